import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Temporary output files still open, so an interrupted run (Ctrl-C, SIGTERM, SIGHUP) can remove
/// them, and so the phase that puts a run's outputs in place is not cut short by a signal.
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()
    /// In every temporary output's name: `.NAME.taizhang-tmp-PID-N`.
    public static let marker = ".taizhang-tmp-"
    // Recursive: the commit phase holds it while outputs deregister themselves.
    private let lock = NSRecursiveLock()
    private var paths: Set<String> = []

    public func add(_ p: String) { lock.lock(); paths.insert(p); lock.unlock() }
    public func remove(_ p: String) { lock.lock(); paths.remove(p); lock.unlock() }

    /// Deletes every temporary file still registered (called on interrupt). Waits for a commit
    /// phase under way to end, so outputs are either all in place or none.
    public func removeAll() {
        lock.lock()
        // Files are unlinked; a scratch folder (a library's own temporary files) is removed whole.
        for p in paths where unlink(p) != 0 { try? FileManager.default.removeItem(atPath: p) }
        paths.removeAll()
        lock.unlock()
    }

    /// Removes every temporary file and ends the process at once (`_exit`), holding the lock to the
    /// end: no other thread can put an output in place or start a new temporary file meanwhile.
    public func removeAllAndExit(_ status: Int32, saying message: String) -> Never {
        lock.lock()
        for p in paths where unlink(p) != 0 {
            // A library's scratch folder: another thread may still add a file to it while it goes.
            for _ in 0..<5 where FileManager.default.fileExists(atPath: p) { try? FileManager.default.removeItem(atPath: p) }
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        _exit(status)
    }

    /// Runs `body` (putting outputs in place, or a library writing a file by its name) so that an
    /// interrupt waits until it is done.
    public func whileHoldingInterrupts<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
