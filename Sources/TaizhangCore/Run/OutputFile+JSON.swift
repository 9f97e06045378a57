/// JSON text, built into a byte buffer (writers fill a buffer per batch and write it once).
public enum JSONBytes {
    /// Appends bytes as a JSON string literal (quotes included), escaping what RFC 8259 requires.
    @inlinable
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var clean = true
        for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C { clean = false; break }
        if clean {
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
