import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on a terminal: rows so far and rows per second. Silent when
/// standard error is not a terminal (CI logs, pipes), so outputs stay clean.
public final class Progress {
    private let enabled: Bool
    private let language: Language
    private let start = Date()
    private var last = Date.distantPast
    private var shown = false

    public init(language: Language, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.language = language
        self.enabled = enabled
    }

    public func update(file: String, rows: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.2 else { return }
        last = now
        let secs = max(now.timeIntervalSince(start), 0.001)
        let rate = Int(Double(rows) / secs)
        let text = language == .zh ? "正在处理 \(file)：已读 \(rows) 行，\(rate) 行/秒" : "processing \(file): \(rows) rows read, \(rate) rows/s"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        shown = true
    }

    public func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
