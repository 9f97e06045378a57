extension OutputFile {
    /// Writes bytes as a JSON string literal (quotes included), escaping what RFC 8259 requires.
    public func writeJSONString(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 2)
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
        try write(out)
    }

    public func writeJSONString(_ s: String) throws {
        var v = s
        try v.withUTF8 { try writeJSONString($0) }
    }
}
