import Foundation
import TaizhangCore
#if canImport(Glibc)
import Glibc
#endif

/// `taizhang validate -`: standard input is read once into an owner-only temporary file (a
/// reader needs a file it can measure and read twice), named by what it holds — a workbook
/// (PK…), an Excel 97-2003 file (D0 CF 11 E0), JSON ([ or {) or else CSV — and removed when the
/// run ends, however it ends. Messages call it 标准输入, not by the temporary name.
enum StandardInput {
    /// The largest input taken from a pipe (a ledger is far smaller; a runaway producer is not).
    static let limit = 2 << 30

    static func spool(language: Language) throws -> (path: String, display: String) {
        removeStale()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-stdin-\(getpid())-\(UUID().uuidString.prefix(8))")
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700]) } catch {
            throw CommandError(Message(zh: "无法创建临时文件夹保存标准输入：\(error.localizedDescription)", en: "cannot make a temporary folder for standard input: \(error.localizedDescription)"), .io)
        }
        // The folder is registered: an interrupt removes it with what is in it; so does a failure here.
        TemporaryFiles.shared.add(dir.path)
        let scratch = dir.appendingPathComponent("input").path
        do { return try fill(scratch, language: language) } catch {
            remove(scratch)
            throw error
        }
    }

    private static func fill(_ scratch: String, language: Language) throws -> (path: String, display: String) {
        let fd = open(scratch, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandError(Message(zh: "无法写临时文件", en: "cannot write a temporary file"), .io) }
        var head: [UInt8] = []
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { close(fd); throw CommandError(Message(zh: "读取标准输入失败", en: "cannot read standard input"), .io) }
            if n == 0 { break }
            total += n
            guard total <= limit else {
                close(fd)
                throw CommandError(Message(zh: "标准输入超过 2 GB，请先存成文件", en: "standard input is over 2 GB: save it to a file first"), .usage)
            }
            if head.count < 4096 { head += buffer[0..<min(n, 4096 - head.count)] }
            let ok = buffer.withUnsafeBytes { b -> Bool in
                var off = 0
                while off < n {
                    let w = write(fd, b.baseAddress! + off, n - off)
                    if w < 0 && errno == EINTR { continue }
                    guard w > 0 else { return false }
                    off += w
                }
                return true
            }
            guard ok else { close(fd); throw CommandError(Message(zh: "写临时文件失败（磁盘已满？）", en: "cannot write the temporary file (disk full?)"), .io) }
        }
        close(fd)
        guard total > 0 else {
            throw CommandError(Message(zh: "标准输入是空的：用法如 taizhang validate - < 台账.csv", en: "standard input is empty: use e.g. taizhang validate - < ledger.csv"), .usage)
        }
        let named = scratch + "." + kind(head)
        guard rename(scratch, named) == 0 else { throw CommandError(Message(zh: "无法写临时文件", en: "cannot write a temporary file"), .io) }
        return (named, language == .zh ? "标准输入" : "standard input")
    }

    /// The file extension for what the first bytes show.
    static func kind(_ head: [UInt8]) -> String {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "xlsx" }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "xls" }
        var i = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[i]) { i += 1 }
        // JSON only when it looks like it: [ then { or ], { then " or } — a CSV header may start with [.
        var j = i + 1
        while j < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[j]) { j += 1 }
        let next = j < head.count ? head[j] : 0
        let json = i < head.count && ((head[i] == UInt8(ascii: "[") && (next == UInt8(ascii: "{") || next == UInt8(ascii: "]")))
                                   || (head[i] == UInt8(ascii: "{") && (next == UInt8(ascii: "\"") || next == UInt8(ascii: "}"))))
        if json {
            // One object per line is JSON Lines; anything else JSON.
            if head[i] == UInt8(ascii: "{"), let nl = head[i...].firstIndex(of: 0x0A), head[(nl + 1)...].first(where: { ![0x20, 0x09, 0x0D, 0x0A].contains($0) }) == UInt8(ascii: "{") {
                return "jsonl"
            }
            return "json"
        }
        return "csv"
    }

    /// Copies that runs killed outright (kill -9, a crash) left behind: their process is gone.
    static func removeStale() {
        let tmp = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix("taizhang-stdin-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[2]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                let url = tmp.appendingPathComponent(name)
                // Only our own folders (owner-only) of dead runs.
                if let a = try? FileManager.default.attributesOfItem(atPath: url.path), (a[.ownerAccountID] as? NSNumber)?.uint32Value == getuid() {
                    try? FileManager.default.removeItem(at: url)
                }
            }
        }
    }

    /// Removes what `spool` made (also done on an interrupt, through TemporaryFiles).
    static func remove(_ path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.removeItem(atPath: dir)
        TemporaryFiles.shared.remove(dir)
    }
}
