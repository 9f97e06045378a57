extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (Unicode Zs and \t, as Foundation's
    /// `.whitespaces`), in Swift: `trimmingCharacters(in:)` bridges to NSString on every call,
    /// which a per-cell loop cannot afford.
    public func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        func isSpace(_ u: Unicode.Scalar) -> Bool {
            u == " " || u == "\t" || (u.value >= 0x80 && u.properties.generalCategory == .spaceSeparator)
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }
}

extension String {
    /// Whether `needle` occurs, by a scan of the UTF-8 bytes. `contains(_: String)` goes through
    /// Foundation's locale-aware search, far too slow for a check made on every cell.
    public func containsBytes(of needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first else { return true }
        var u = utf8[...]
        while let i = u.firstIndex(of: first) {
            if u[i...].starts(with: n) { return true }
            u = u[u.index(after: i)...]
        }
        return false
    }
}
