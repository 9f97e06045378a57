import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on a terminal: which file of how many, rows so far and rows per
/// second, the share of the input bytes read and the time left, then the phase that writes the outputs (it can take seconds for large workbooks); cut
/// to the terminal's width so it never wraps into stale lines. Silent when standard error is not
/// a terminal (CI logs, pipes), so outputs stay clean.
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

    /// `done`: the share of all input bytes read (0…1), when known: shown as a percentage, with
    /// the time left once there is enough to go on.
    public func update(file: String, index: Int, of count: Int, rows: Int, done: Double? = nil) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.2 else { return }
        last = now
        show(Self.line(file: file, index: index, of: count, rows: rows, done: done, seconds: now.timeIntervalSince(start), language: language))
    }

    /// The progress line: 正在读取 第 2/3 个文件 a.csv：已读 120000 行，60000 行/秒，完成 45%，约剩 3 秒
    static func line(file: String, index: Int, of count: Int, rows: Int, done: Double?, seconds: Double, language: Language) -> String {
        let zh = language == .zh
        let rate = Int(Double(rows) / max(seconds, 0.001))
        let which = count > 1 ? (zh ? "第 \(index)/\(count) 个文件 " : "file \(index)/\(count) ") : ""
        var s = zh ? "正在读取 \(which)\(file)：已读 \(rows) 行" : "reading \(which)\(file): \(rows) rows"
        // A rate over the first instants says nothing.
        if seconds >= 0.5 { s += zh ? "，\(rate) 行/秒" : ", \(rate) rows/s" }
        if let done, done > 0 {
            let share = min(done, 1)
            s += zh ? "，完成 \(Int(share * 100))%" : ", \(Int(share * 100))% done"
            // Time left from the pace so far, once a second and 2% have gone by.
            if seconds >= 1, share >= 0.02, share < 1 {
                let left = Int((seconds * (1 - share) / share).rounded(.up))
                let text = left >= 120 ? (zh ? "\(left / 60) 分钟" : "\(left / 60) min") : (zh ? "\(left) 秒" : "\(left) s")
                s += zh ? "，约剩 \(text)" : ", about \(text) left"
            }
        }
        return s
    }

    /// A phase without rows to count (writing the outputs).
    public func phase(_ text: Message) {
        guard enabled else { return }
        show(text.text(language))
    }

    private func show(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + Self.cut(text, to: Self.width() - 1)).utf8))
        shown = true
    }

    public func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }

    /// The terminal's width in columns (80 when it cannot be told).
    static func width() -> Int {
        var w = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 else { return 80 }
        return Int(w.ws_col)
    }

    /// `text` cut to `columns` display columns (CJK characters take two), with … when cut.
    static func cut(_ text: String, to columns: Int) -> String {
        var used = 0, out = ""
        for ch in text {
            let w = ch.unicodeScalars.first.map { $0.value >= 0x1100 ? 2 : 1 } ?? 1
            if used + w > max(1, columns - 1) { return out + "…" }
            used += w
            out.append(ch)
        }
        return out
    }
}
