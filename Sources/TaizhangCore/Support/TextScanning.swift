import Foundation

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
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return String(self) }   // most values: nothing to trim
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }
}

extension String {
    /// Whether `needle` occurs, by a scan of the UTF-8 bytes. `contains(_: String)` goes through
    /// Foundation's locale-aware search, far too slow for a check made on every cell.
    public func containsBytes(of needle: String) -> Bool {
        let n = needle.utf8
        guard let first = n.first else { return true }
        let h = utf8
        var i = h.startIndex
        while let k = h[i...].firstIndex(of: first) {
            if h[k...].starts(with: n) { return true }
            i = h.index(after: k)
        }
        return false
    }
}

/// A String compared and hashed by its UTF-8 bytes, for memo tables on the per-cell path: String's
/// own hashing normalises non-ASCII text (NFC) on every lookup. Two keys are equal only when their
/// bytes are — canonically equivalent spellings are different keys, which a memo can afford.
public struct ByteKey: Hashable, Sendable {
    public let string: String
    public init(_ string: String) { self.string = string }
    public func hash(into hasher: inout Hasher) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { for b in string.utf8 { hasher.combine(b) } }
    }
    public static func == (a: ByteKey, b: ByteKey) -> Bool {
        let same: Bool?? = a.string.utf8.withContiguousStorageIfAvailable { x in
            b.string.utf8.withContiguousStorageIfAvailable { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
        if let same, let same { return same }
        return a.string.utf8.elementsEqual(b.string.utf8)
    }
}

/// Characters XML 1.0 does not allow (C0 controls other than tab, LF and CR; U+FFFE; U+FFFF):
/// a cell holding one would make an .xlsx that Excel and LibreOffice refuse or cut short.
public enum XMLForbidden {
    /// True when the UTF-8 bytes hold such a character (one pass, no allocation).
    @inlinable
    public static func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        // Eight bytes at a time: skip words with no byte below 0x20 and no 0xEF (SWAR zero-byte tests).
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        if let base = bytes.baseAddress {
            while i + 8 <= n {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let below = (w &- ones &* 0x20) & ~w & highs
                let e = w ^ (ones &* 0xEF)
                let ef = (e &- ones) & ~e & highs
                if below | ef != 0 { break }
                i += 8
            }
        }
        while i < n {
            let b = bytes[i]
            if b < 0x20 {
                if b != 0x09 && b != 0x0A && b != 0x0D { return true }
            } else if b == 0xEF, i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF {
                return true
            }
            i += 1
        }
        return false
    }

    public static func isForbidden(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u.value != 0x09 && u.value != 0x0A && u.value != 0x0D) || u.value == 0xFFFE || u.value == 0xFFFF
    }

    /// The text without such characters, and the first one removed (for the message).
    public static func removing(from s: String) -> (String, Unicode.Scalar?) {
        var out = String.UnicodeScalarView()
        var first: Unicode.Scalar?
        for u in s.unicodeScalars {
            if isForbidden(u) { if first == nil { first = u }; continue }
            out.append(u)
        }
        return (String(out), first)
    }
}
