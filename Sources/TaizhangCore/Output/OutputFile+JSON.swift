/// JSON text, built into a byte buffer (writers fill a buffer per batch and write it once).
public enum JSONBytes {
    /// Appends bytes as a JSON string literal (quotes included), escaping what RFC 8259 requires.
    @inlinable
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        if isClean(bytes) {
            out.append(contentsOf: bytes)
        } else {
            for b in bytes {
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0..<0x20:
                    let hex: StaticString = "0123456789abcdef"
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex.utf8Start[Int(b >> 4)], hex.utf8Start[Int(b & 0xF)]])
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }

    /// True when nothing in the bytes needs escaping: no control character, quote or backslash.
    /// Eight bytes at a time (SWAR): most ledger values need no escaping at all.
    @inlinable
    public static func isClean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let control = (w &- ones &* 0x20) & ~w & high
            let q = w ^ (ones &* 0x22), b = w ^ (ones &* 0x5C)
            let quote = (q &- ones) & ~q & high
            let slash = (b &- ones) & ~b & high
            if control | quote | slash != 0 { return false }
            i += 8
        }
        while i < n {
            let c = base[i]
            if c < 0x20 || c == 0x22 || c == 0x5C { return false }
            i += 1
        }
        return true
    }

    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var v = s
        v.withUTF8 { appendString($0, to: &out) }
    }

    @inlinable
    public static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}

extension OutputFile {
    /// Writes bytes as a JSON string literal (quotes included).
    public func writeJSONString(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var out: [UInt8] = []
        JSONBytes.appendString(bytes, to: &out)
        try write(out)
    }

    public func writeJSONString(_ s: String) throws {
        var v = s
        try v.withUTF8 { try writeJSONString($0) }
    }
}
