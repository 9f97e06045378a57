import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Named points of a run where a test can stop the process (`TAIZHANG_STOP_AT=stream` or `commit`:
/// the process stops itself with SIGSTOP there), so crash tests kill it at a known moment rather
/// than after a guessed delay. Does nothing unless that variable names the point.
enum Checkpoint {
    static let stopAt = ProcessInfo.processInfo.environment["TAIZHANG_STOP_AT"]

    static func reach(_ name: String) {
        if stopAt == name { raise(SIGSTOP) }
    }
}
