import TaizhangCore

/// A strict RFC 8259 JSON scanner over bytes. It checks syntax and hands back spans, so the
/// reader can stream a large array of records one at a time, keep numbers exactly as written
/// (18-digit ID numbers survive), and say where an error is. Nesting is limited, so hostile
/// input cannot exhaust the stack.
struct JSONScanner {
    enum Kind { case object, array, string, number, literal }

    struct Failure: Error {
        var offset: Int
        var reason: Message
        /// JSON Lines: where the record that failed starts, when the failure lies on a later line.
        var recordStart: Int? = nil
    }

    let buf: UnsafeRawBufferPointer
    var pos = 0
    let maxDepth: Int

    init(_ buf: UnsafeRawBufferPointer, maxDepth: Int = 256) {
        self.buf = buf
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { pos >= buf.count }

    @inline(__always) func peek() -> UInt8? { pos < buf.count ? buf[pos] : nil }

    mutating func skipWhitespace() {
        while pos < buf.count {
            let b = buf[pos]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
        }
    }

    func fail(_ zh: String, _ en: String, at: Int? = nil) -> Failure {
        Failure(offset: at ?? pos, reason: Message(zh: zh, en: en))
    }

    /// Scans one value; returns its kind and byte range.
    mutating func value(depth: Int = 0) throws(Failure) -> (Kind, Range<Int>) {
        skipWhitespace()
        guard let b = peek() else { throw fail("JSON 意外结束", "unexpected end of JSON") }
        let start = pos
        switch b {
        case UInt8(ascii: "{"):
            if depth >= maxDepth { throw fail("嵌套超过 \(maxDepth) 层", "nesting deeper than \(maxDepth) levels") }
            try object(depth: depth) { _, _, _ throws(Failure) in }
            return (.object, start..<pos)
        case UInt8(ascii: "["):
            if depth >= maxDepth { throw fail("嵌套超过 \(maxDepth) 层", "nesting deeper than \(maxDepth) levels") }
            pos += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { pos += 1; return (.array, start..<pos) }
            while true {
                _ = try value(depth: depth + 1)
                skipWhitespace()
                guard let c = peek() else { throw fail("数组没有结束（缺少 ]）", "unterminated array (missing ])") }
                pos += 1
                if c == UInt8(ascii: "]") { return (.array, start..<pos) }
                if c != UInt8(ascii: ",") { throw fail("数组元素之间应为逗号", "expected ',' between array elements", at: pos - 1) }
            }
        case UInt8(ascii: "\""):
            try string()
            return (.string, start..<pos)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return (.number, start..<pos)
        case UInt8(ascii: "t"): try literal("true"); return (.literal, start..<pos)
        case UInt8(ascii: "f"): try literal("false"); return (.literal, start..<pos)
        case UInt8(ascii: "n"): try literal("null"); return (.literal, start..<pos)
        default:
            throw fail("无效的 JSON 字符 0x\(String(b, radix: 16, uppercase: true))", "invalid JSON character 0x\(String(b, radix: 16, uppercase: true))")
        }
    }

    /// Scans an object, calling `pair(keySpan, kind, valueSpan)` for each member.
    mutating func object(depth: Int, _ pair: (Range<Int>, Kind, Range<Int>) throws(Failure) -> Void) throws(Failure) {
        pos += 1 // {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { pos += 1; return }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw fail("对象的键应为带引号的字符串", "object keys must be quoted strings") }
            let ks = pos
            try string()
            let key = ks..<pos
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw fail("键后应为冒号", "expected ':' after key") }
            pos += 1
            let (kind, span) = try value(depth: depth + 1)
            try pair(key, kind, span)
            skipWhitespace()
            guard let c = peek() else { throw fail("对象没有结束（缺少 }）", "unterminated object (missing })") }
            pos += 1
            if c == UInt8(ascii: "}") { return }
            if c != UInt8(ascii: ",") { throw fail("对象成员之间应为逗号", "expected ',' between object members", at: pos - 1) }
        }
    }

    mutating func string() throws(Failure) {
        let start = pos
        pos += 1
        while pos < buf.count {
            let b = buf[pos]
            if b == UInt8(ascii: "\"") { pos += 1; return }
            if b < 0x20 { throw fail("字符串中有未转义的控制字符", "unescaped control character in string") }
            if b == UInt8(ascii: "\\") {
                pos += 1
                guard let e = peek() else { throw fail("字符串没有结束（缺少 \"）", "unterminated string (missing \")", at: start) }
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    pos += 1
                case UInt8(ascii: "u"):
                    guard pos + 4 < buf.count else { throw fail("\\u 后应为 4 位十六进制数", "\\u must be followed by 4 hex digits") }
                    for k in 1...4 where !isHex(buf[pos + k]) { throw fail("\\u 后应为 4 位十六进制数", "\\u must be followed by 4 hex digits") }
                    pos += 5
                default:
                    throw fail("无效的转义 \\\(Character(UnicodeScalar(e)))", "invalid escape \\\(Character(UnicodeScalar(e)))")
                }
                continue
            }
            if b < 0x80 { pos += 1; continue }
            // Multi-byte UTF-8: validate it.
            let rest = UnsafeRawBufferPointer(rebasing: buf[pos..<min(buf.count, pos + 4)])
            let n = utf8Length(rest)
            if n == 0 { throw fail("字符串中有无效的 UTF-8 字节", "invalid UTF-8 in string") }
            pos += n
        }
        throw fail("字符串没有结束（缺少 \"）", "unterminated string (missing \")", at: start)
    }

    /// Length of the valid UTF-8 sequence at the start of `b`, or 0.
    func utf8Length(_ b: UnsafeRawBufferPointer) -> Int {
        let v = UTF8Validator.validPrefixLength(b)
        if v > 0 {
            let b0 = b[0]
            return b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
        }
        return 0
    }

    mutating func number() throws(Failure) {
        if peek() == UInt8(ascii: "-") { pos += 1 }
        guard let d = peek(), isDigit(d) else { throw fail("数字格式无效", "invalid number") }
        if d == UInt8(ascii: "0") {
            pos += 1
            if let n = peek(), isDigit(n) { throw fail("数字不能以 0 开头", "numbers may not have leading zeros") }
        } else {
            while let n = peek(), isDigit(n) { pos += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            pos += 1
            guard let n = peek(), isDigit(n) else { throw fail("小数点后应有数字", "expected digits after the decimal point") }
            while let n = peek(), isDigit(n) { pos += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            pos += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { pos += 1 }
            guard let n = peek(), isDigit(n) else { throw fail("指数应有数字", "expected digits in the exponent") }
            while let n = peek(), isDigit(n) { pos += 1 }
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= buf.count else { throw fail("无效的字面量", "invalid literal") }
        for k in 0..<n where buf[pos + k] != word.utf8Start[k] { throw fail("无效的字面量", "invalid literal") }
        pos += n
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }

    /// Decodes a string span (with its quotes) into UTF-8 bytes, resolving escapes. Lone
    /// surrogates become U+FFFD.
    func decodeString(_ span: Range<Int>, into out: inout [UInt8]) {
        var i = span.lowerBound + 1
        let end = span.upperBound - 1
        while i < end {
            let b = buf[i]
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            let e = buf[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var cp = hex4(i)
                i += 4
                if (0xD800...0xDBFF).contains(cp), i + 6 <= end, buf[i] == UInt8(ascii: "\\"), buf[i + 1] == UInt8(ascii: "u") {
                    let lo = hex4(i + 2)
                    if (0xDC00...0xDFFF).contains(lo) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                        i += 6
                    }
                }
                let scalar = UnicodeScalar(cp) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
        }
    }

    private func hex4(_ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = buf[at + k]
            let d: UInt32 = c <= 0x39 ? UInt32(c - 0x30) : UInt32((c | 0x20) - 0x61 + 10)
            v = v << 4 | d
        }
        return v
    }

    /// 1-based line and column (in characters) of a byte offset, for error messages.
    func lineColumn(_ offset: Int) -> (Int, Int) {
        var line = 1, col = 1
        var i = 0
        while i < min(offset, buf.count) {
            if buf[i] == 0x0A { line += 1; col = 1 } else if buf[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        return (line, col)
    }
}
