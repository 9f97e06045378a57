import Foundation
import TaizhangCore
import CUchardet
#if canImport(Glibc)
import Glibc
#endif

/// The text encodings readers accept. Everything is turned into UTF-8 before parsing.
enum TextEncoding: String, CaseIterable {
    case utf8 = "utf-8"
    case gb18030
    case big5
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"
    case utf32le = "utf-32le"
    case utf32be = "utf-32be"

    /// The name glibc's iconv knows. GB18030 is a superset of GBK and GB2312; CP950 is the
    /// Big5 that Windows (and so most Big5 files) uses.
    var iconvName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .gb18030: return "GB18030"
        case .big5: return "CP950"
        case .utf16le: return "UTF-16LE"
        case .utf16be: return "UTF-16BE"
        case .utf32le: return "UTF-32LE"
        case .utf32be: return "UTF-32BE"
        }
    }

    /// Reads a pipeline's `encoding:` value (`auto` is handled by the caller).
    init?(option: String) {
        switch option.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        case "big5", "cp950": self = .big5
        default: return nil
        }
    }

    /// Guesses the encoding of a sample: valid UTF-8 wins; else uchardet's answer, mapped onto
    /// the encodings ledgers use; else GB18030, the most common legacy encoding in mainland China.
    static func detect(_ sample: UnsafeRawBufferPointer) -> (TextEncoding, String) {
        let valid = UTF8Validator.validPrefixLength(sample)
        if sample.count - valid <= 3 { return (.utf8, "UTF-8") }
        // Text that is UTF-8 for its first kilobytes, Chinese included, and then has a bad byte is
        // a UTF-8 file with a damaged line — not GB18030 (whose error would point at line 1).
        let multiByte = sample.prefix(valid).lazy.filter { $0 >= 0xE0 && $0 <= 0xEF }.count
        // (GBK text is almost never valid UTF-8 for a few characters running: its lead bytes are not.)
        if valid >= 32 && multiByte >= 4 { return (.utf8, "UTF-8（第一个无效字节之前全部是 UTF-8）") }
        guard let ud = uchardet_new() else { return (.gb18030, "?") }
        defer { uchardet_delete(ud) }
        _ = uchardet_handle_data(ud, sample.baseAddress?.assumingMemoryBound(to: CChar.self), sample.count)
        uchardet_data_end(ud)
        let name = uchardet_get_charset(ud).map { String(cString: $0) } ?? ""
        switch name.uppercased() {
        case "BIG5", "BIG5-HKSCS", "EUC-TW": return (.big5, name)
        case "UTF-16LE": return (.utf16le, name)
        case "UTF-16BE": return (.utf16be, name)
        default: return (.gb18030, name.isEmpty ? "?" : name)
        }
    }
}

/// Checks UTF-8 byte by byte (shortest forms, no surrogates, ≤ U+10FFFF).
enum UTF8Validator {
    /// The length of the longest valid prefix. With `final: false`, a sequence cut off by the
    /// end of the buffer is not counted as invalid (it is left for the next chunk).
    static func validPrefixLength(_ buf: UnsafeRawBufferPointer, final: Bool = true) -> Int {
        let n = buf.count
        var i = 0
        guard let base = buf.baseAddress else { return 0 }
        while i < n {
            // Eight ASCII bytes at a time (most ledger text is ASCII digits and punctuation).
            while i + 8 <= n && base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i >= n { break }
            let b0 = buf[i]
            if b0 < 0x80 { i += 1; continue }
            // Runs of three-byte sequences (CJK ideographs, E1–EC lead bytes) checked with one mask.
            while b0 >= 0xE1, i + 3 < n {
                let lead = buf[i]
                guard lead >= 0xE1 && lead <= 0xEC, buf[i + 1] & 0xC0 == 0x80, buf[i + 2] & 0xC0 == 0x80 else { break }
                i += 3
            }
            if i >= n { break }
            if buf[i] < 0x80 { continue }
            let b1st = buf[i]
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b1st {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            // A sequence cut off by the end of the buffer ends the valid prefix; the caller
            // decides whether that is an error (at the end of the file) or a tail to carry.
            if i + need >= n { return i }
            let b1 = buf[i + 1]
            if b1 < lo || b1 > hi { return i }
            if need >= 2 { let b = buf[i + 2]; if b < 0x80 || b > 0xBF { return i } }
            if need == 3 { let b = buf[i + 3]; if b < 0x80 || b > 0xBF { return i } }
            i += need + 1
        }
        return n
    }
}

/// Reads a file in chunks and hands out UTF-8: strips a BOM, validates UTF-8 or converts
/// from GB18030/Big5/UTF-16 with iconv, and carries sequences cut by chunk ends to the next chunk.
/// Invalid bytes stop the read with an error naming the line and byte offset.
final class DecodedInput {
    let display: String
    private(set) var encoding: TextEncoding
    /// What the detector said, when the encoding was guessed.
    private(set) var detected: String?
    private var fd: Int32
    private var cd: iconv_t?
    private var raw: [UInt8] = []          // undecoded bytes (carried tail + new chunk)
    private var rawOffset = 0               // file offset of raw[0]
    private var eof = false
    /// The read buffer: as large as the file (up to a chunk), so a run over a thousand small files
    /// does not hold a thousand megabytes; dropped at the end of the file.
    private var chunk: [UInt8] = []
    /// Lines (\n) handed out so far, for error positions.
    var linesSoFar = 0
    static let chunkSize = 1 << 20

    /// The file's size when opened (for the share read so far).
    private var size = 0

    /// How far through the file reading is (0…1).
    var fractionRead: Double? {
        guard size > 0, fd >= 0 else { return nil }
        return min(1, Double(max(0, lseek(fd, 0, SEEK_CUR))) / Double(size))
    }

    init(path: String, display: String, encoding option: String) throws(SourceError) {
        self.display = display
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw SourceError(Origin(file: display), Message(zh: "无法打开文件：\(String(cString: strerror(errno)))", en: "cannot open file: \(String(cString: strerror(errno)))"))
        }
        var st = stat()
        if fstat(fd, &st) == 0 { size = Int(st.st_size) }
        encoding = .utf8
        try fill()
        // A byte-order mark says what the file is, whatever was declared.
        if raw.starts(with: [0xEF, 0xBB, 0xBF]) {
            raw.removeFirst(3); rawOffset = 3; encoding = .utf8
        } else if raw.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            raw.removeFirst(4); rawOffset = 4; encoding = .utf32le; detected = "UTF-32LE (BOM)"
        } else if raw.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            raw.removeFirst(4); rawOffset = 4; encoding = .utf32be; detected = "UTF-32BE (BOM)"
        } else if raw.starts(with: [0xFF, 0xFE]) {
            raw.removeFirst(2); rawOffset = 2; encoding = .utf16le; detected = "UTF-16LE (BOM)"
        } else if raw.starts(with: [0xFE, 0xFF]) {
            raw.removeFirst(2); rawOffset = 2; encoding = .utf16be; detected = "UTF-16BE (BOM)"
        } else if option.lowercased() == "auto" {
            let (e, name) = raw.withUnsafeBytes { TextEncoding.detect($0) }
            encoding = e
            detected = name
        } else if let e = TextEncoding(option: option) {
            encoding = e
        } else {
            throw SourceError(Origin(file: display), Message(zh: "不支持的编码「\(option)」", en: "unsupported encoding '\(option)'"),
                              suggestion: Message(zh: "可用：auto, utf-8, gb18030, big5", en: "use auto, utf-8, gb18030 or big5"))
        }
        // NUL bytes do not occur in text (outside UTF-16): a binary file (a workbook renamed .csv …).
        if ![.utf16le, .utf16be, .utf32le, .utf32be].contains(encoding) && raw.prefix(64 * 1024).contains(0) {
            throw SourceError(Origin(file: display), Message(zh: "文件含有二进制内容（NUL 字节），不是文本文件", en: "the file has binary content (NUL bytes); it is not a text file"),
                              suggestion: Message(zh: "若是 Excel 工作簿，请用 read: xls 或 read: xlsx", en: "for an Excel workbook use read: xls or read: xlsx"))
        }
        if encoding != .utf8 {
            let c = iconv_open("UTF-8", encoding.iconvName)
            if c == iconv_t(bitPattern: -1) {
                throw SourceError(Origin(file: display), Message(zh: "系统不支持编码 \(encoding.iconvName)", en: "this system lacks the \(encoding.iconvName) converter"))
            }
            cd = c
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        if let c = cd { iconv_close(c); cd = nil }
    }

    /// Reads the next chunk from the file into `raw`.
    private func fill() throws(SourceError) {
        guard !eof else { return }
        if chunk.isEmpty {
            var st = stat()
            let size = fstat(fd, &st) == 0 ? Int(st.st_size) : DecodedInput.chunkSize
            chunk = [UInt8](repeating: 0, count: max(4096, min(DecodedInput.chunkSize, size + 1)))
        }
        let n = chunk.withUnsafeMutableBytes { buf -> Int in
            var r = 0
            repeat { r = read(fd, buf.baseAddress!, buf.count) } while r < 0 && errno == EINTR
            return r
        }
        if n < 0 {
            throw SourceError(Origin(file: display), Message(zh: "读取失败：\(String(cString: strerror(errno)))", en: "read failed: \(String(cString: strerror(errno)))"))
        }
        if n == 0 { eof = true; chunk = []; return }
        chunk.withUnsafeBytes { raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }

    /// The next piece of UTF-8 text, appended to `out`; false when the file is done.
    func next(into out: inout [UInt8]) throws(SourceError) -> Bool {
        if raw.isEmpty { try fill() }
        if raw.isEmpty && eof { return false }
        if encoding == .utf8 {
            let valid = raw.withUnsafeBytes { UTF8Validator.validPrefixLength($0, final: eof) }
            if valid < raw.count && (eof || raw.count - valid > 3) {
                throw invalid(at: valid, decodedPrefix: raw[0..<valid])
            }
            raw.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<valid])) }
            countLines(raw[0..<valid])
            raw.removeSubrange(0..<valid)
            rawOffset += valid
            if valid == 0 && !eof { try fill() ; return try next(into: &out) }
            return true
        }
        // iconv: convert as much as possible; keep an incomplete tail for the next chunk.
        let start = out.count
        var consumed = 0
        var failure: Int? = nil
        raw.withUnsafeMutableBytes { rb in
            var inPtr: UnsafeMutablePointer<CChar>? = rb.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = rb.count
            while inLeft > 0 {
                let room = max(inLeft * 2, 4096)
                let before = out.count
                out.append(contentsOf: repeatElement(0, count: room))
                var written = 0
                let r: Int = out.withUnsafeMutableBytes { ob in
                    var outPtr: UnsafeMutablePointer<CChar>? = (ob.baseAddress! + before).assumingMemoryBound(to: CChar.self)
                    var outLeft = room
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    written = room - outLeft
                    return r
                }
                out.removeLast(room - written)
                if r == -1 {
                    if errno == E2BIG { continue }
                    if errno == EINVAL && !eof { break }       // cut-off sequence: wait for more
                    failure = rb.count - inLeft
                    break
                }
            }
            consumed = rb.count - inLeft
        }
        countLines(out[start...])
        if let f = failure {
            throw invalid(at: f, decodedPrefix: [])
        }
        raw.removeSubrange(0..<consumed)
        rawOffset += consumed
        if consumed == 0 && !eof { try fill(); return try next(into: &out) }
        if eof && !raw.isEmpty { throw invalid(at: 0, decodedPrefix: []) }
        return true
    }

    private func countLines(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { buf in
            guard var p = buf.baseAddress else { return }
            let end = p + buf.count
            while p < end, let hit = memchr(p, 0x0A, end - p) {
                linesSoFar += 1
                p = UnsafeRawPointer(hit) + 1
            }
        }
    }

    private func invalid<C: Collection>(at offset: Int, decodedPrefix: C) -> SourceError where C.Element == UInt8 {
        var line = linesSoFar + 1
        for b in decodedPrefix where b == 0x0A { line += 1 }
        let byte = rawOffset + offset
        let hex = raw[offset..<min(raw.count, offset + 4)].map { String(format: "%02X", $0) }.joined(separator: " ")
        let enc = encoding == .utf8 ? "UTF-8" : encoding.iconvName
        return SourceError(Origin(file: display, row: line),
                           Message(zh: "第 \(line) 行（字节偏移 \(byte)）有按 \(enc) 无法解码的字节 \(hex)",
                                   en: "line \(line) (byte offset \(byte)) has bytes that are not valid \(enc): \(hex)"),
                           suggestion: Message(zh: "确认文件编码，在流水线中写明 encoding: gb18030 / big5 / utf-8，或用 encoding: auto 自动识别",
                                               en: "check the file's encoding and set encoding: gb18030 / big5 / utf-8, or encoding: auto"))
    }

    /// Reads up to `limit` decoded bytes from the start (for sniffing), without losing them.
    var isUTF8Declared: Bool { encoding == .utf8 }
}
