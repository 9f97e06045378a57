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

/// Checks UTF-8 (shortest forms, no surrogates, ≤ U+10FFFF), and in the same pass counts line
/// feeds and looks for characters XML forbids (so readers need not look again cell by cell).
enum UTF8Validator {
    /// The length of the longest valid prefix. A sequence cut off by the end of the buffer ends
    /// it: the caller decides whether that is an error (at the end of a file) or a tail to carry.
    static func validPrefixLength(_ buf: UnsafeRawBufferPointer) -> Int {
        scan(buf).valid
    }

    struct Scan: Equatable {
        /// The length of the longest valid prefix (as `validPrefixLength`).
        var valid = 0
        /// Line feeds in the valid prefix.
        var lines = 0
        /// Whether the valid prefix holds a control character other than tab, CR and LF, or
        /// U+FFFE/U+FFFF (``XMLForbidden``).
        var forbidden = false
    }

    // Per-byte flags in a word (bit 7 of each byte), eight bytes at a time. Ledger text is two
    // thirds Chinese (three-byte sequences) mixed with ASCII: a loop that decides byte by byte
    // mispredicts at every change between the two; words of both need no decision. (Swift's
    // SIMD types were tried: their reductions are not vectorised, and the scan ran 80× slower.)
    private static let highs: UInt64 = 0x8080_8080_8080_8080, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static func every(_ b: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(b) }
    /// Bit 7 set in each byte of `y` that is zero (exact: no carry crosses bytes).
    @inline(__always) private static func zeros(_ y: UInt64) -> UInt64 { ~(((y & lows) &+ lows) | y) & highs }

    static func scan(_ buf: UnsafeRawBufferPointer) -> Scan {
        var r = Scan()
        let n = buf.count
        guard let base = buf.baseAddress else { return r }
        var i = 0
        var expect: UInt64 = 0      // flags of this word's first bytes that must continue a sequence
        while i + 8 <= n {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let high = w & highs
            let below20 = ~(((w & lows) &+ every(0x60)) | w) & highs
            let lf = zeros(w ^ every(0x0A))
            var ok = true
            var next: UInt64 = 0
            if high != 0 || expect != 0 {
                let cont = zeros((w & every(0xC0)) ^ highs)
                let lead3 = zeros((w & every(0xF0)) ^ every(0xE0))
                // Leads other than E1–EF with their two continuations (two- and four-byte forms,
                // E0 and ED with their narrower second byte, bytes never valid) go the slow way.
                let special = zeros(w ^ every(0xE0)) | zeros(w ^ every(0xED))
                ok = high & ~cont & ~lead3 == 0 && special == 0 && cont == (lead3 << 8) | (lead3 << 16) | expect
                next = (lead3 >> 56) | (lead3 >> 48)
                if ok, case let ef = zeros(w ^ every(0xEF)), ef != 0 {
                    // EF BF BE / EF BF BF (U+FFFE, U+FFFF) among the full-width forms.
                    var f = ef
                    while f != 0 {
                        let p = i + f.trailingZeroBitCount / 8
                        if p + 2 < n, base.load(fromByteOffset: p + 1, as: UInt8.self) == 0xBF,
                           base.load(fromByteOffset: p + 2, as: UInt8.self) | 1 == 0xBF { r.forbidden = true }
                        f &= f &- 1
                    }
                }
            }
            if ok {
                if below20 & ~(lf | zeros(w ^ every(0x0D)) | zeros(w ^ every(0x09))) != 0 { r.forbidden = true }
                r.lines += lf.nonzeroBitCount
                expect = next
                i += 8
                continue
            }
            // The slow way from the start of the character the word begins in.
            let to = slow(base, n, from: start(i, expect), until: i + 8, into: &r)
            if to < 0 { r.valid = -to - 1; return r }
            i = to
            expect = 0
        }
        let to = slow(base, n, from: start(i, expect), until: n, into: &r)
        r.valid = to < 0 ? -to - 1 : to
        return r
    }

    /// Where the character a word begins in starts: a lead in the last byte of the word before
    /// expects this word's first two bytes, a lead one byte earlier only the first.
    @inline(__always) private static func start(_ i: Int, _ expect: UInt64) -> Int {
        expect & 0x8000 != 0 ? i - 1 : expect != 0 ? i - 2 : i
    }

    /// Byte by byte from `from` (the start of a character) to the first character boundary at or
    /// past `until`. Returns that boundary, or `-(p + 1)` where the valid prefix ends at `p`.
    private static func slow(_ base: UnsafeRawPointer, _ n: Int, from: Int, until: Int, into r: inout Scan) -> Int {
        var i = from
        while i < until {
            let b0 = base.load(fromByteOffset: i, as: UInt8.self)
            if b0 < 0x80 {
                if b0 == 0x0A { r.lines += 1 } else if b0 < 0x20 && b0 != 0x09 && b0 != 0x0D { r.forbidden = true }
                i += 1
                continue
            }
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return -(i + 1)
            }
            // A sequence cut off by the end of the buffer ends the valid prefix; the caller
            // decides whether that is an error (at the end of the file) or a tail to carry.
            if i + need >= n { return -(i + 1) }
            let b1 = base.load(fromByteOffset: i + 1, as: UInt8.self)
            if b1 < lo || b1 > hi { return -(i + 1) }
            var k = 2
            while k <= need {
                let b = base.load(fromByteOffset: i + k, as: UInt8.self)
                if b < 0x80 || b > 0xBF { return -(i + 1) }
                k += 1
            }
            if b0 == 0xEF, b1 == 0xBF, base.load(fromByteOffset: i + 2, as: UInt8.self) | 1 == 0xBF { r.forbidden = true }
            i += need + 1
        }
        return i
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
    /// Whether the text the last `next` handed out holds no character XML forbids.
    private(set) var lastClean = false
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
            let scan = raw.withUnsafeBytes { UTF8Validator.scan($0) }
            let valid = scan.valid
            if valid < raw.count && (eof || raw.count - valid > 3) {
                throw invalid(at: valid, decodedPrefix: raw[0..<valid])
            }
            raw.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<valid])) }
            linesSoFar += scan.lines
            lastClean = !scan.forbidden
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
        lastClean = out[start...].withUnsafeBytes { !XMLForbidden.contains($0) }
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
