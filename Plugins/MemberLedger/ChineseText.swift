import Foundation
import COpenCC

/// Traditional → simplified conversion through OpenCC (its `t2s.json` configuration), with a
/// cache: ledgers repeat the same code values (categories, ethnicities) on every row.
final class Simplifier {
    private let handle: opencc_t?
    // Unchecked exclusivity: see docs/ARCHITECTURE.md, *Exclusivity*.
    @exclusivity(unchecked) private var cache: [String: String] = [:]

    init() {
        let h = opencc_open("t2s.json")
        handle = (h == nil || Int(bitPattern: h) == -1) ? nil : h
    }

    deinit { if let handle { opencc_close(handle) } }

    /// True when OpenCC loaded (its data files are installed).
    var isAvailable: Bool { handle != nil }

    func simplify(_ s: String) -> String {
        guard let handle, s.unicodeScalars.contains(where: { $0.value >= 0x3400 && changes($0) }) else { return s }
        if let c = cache[s] { return c }
        var out = s
        if let p = opencc_convert_utf8(handle, s, s.utf8.count) {
            out = String(cString: p)
            opencc_convert_utf8_free(p)
        }
        if cache.count < 100_000 { cache[s] = out }
        return out
    }

    /// Whether t2s changes this character on its own, asked of OpenCC once per character met: text
    /// with no such character (nearly every name and value of a simplified ledger) is already
    /// simplified and needs no conversion — a million distinct names would each miss the cache.
    private func changes(_ c: Unicode.Scalar) -> Bool {
        let v = Int(c.value)
        guard v < 0x40000, let handle else { return true }
        if known.isEmpty { known = [UInt8](repeating: 0, count: 0x40000) }
        if known[v] == 0 {
            let one = String(c)
            var same = true
            if let p = opencc_convert_utf8(handle, one, one.utf8.count) {
                same = String(cString: p) == one
                opencc_convert_utf8_free(p)
            }
            known[v] = same ? 1 : 2
        }
        return known[v] == 2
    }
    private var known: [UInt8] = []

    /// Whether `name` leaves these bytes as they are (nearly every name of a simplified ledger):
    /// then the bytes themselves are the name's key, and no string need be made.
    func isName(utf8 b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !b.isEmpty, TextFold.isPlain(utf8: b, name: true) else { return false }
        guard handle != nil, b.contains(where: { $0 >= 0xE3 }) else { return true }   // below U+3000: no t2s change
        return !String(decoding: b, as: UTF8.self).unicodeScalars.contains { $0.value >= 0x3400 && changes($0) }
    }

    /// A person's name as compared across records and units: width and dots folded, in 简体, no spaces.
    func name(_ s: String) -> String {
        let n = simplify(TextFold.name(s))
        return n.utf8.contains(0x20) ? String(n.filter { $0 != " " }) : n
    }
}

/// Width, spaces and dots, the way ledgers mistype them.
enum TextFold {
    /// Full-width to half-width (NFKC), trimmed, runs of white space made one space.
    static func basic(_ s: String) -> String {
        if isPlain(s) { return s }
        let folded = compatibility(s)
        var out = ""
        var pendingSpace = false
        for ch in folded {
            if ch.isWhitespace { pendingSpace = !out.isEmpty; continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(ch)
        }
        return out
    }

    /// NFKC, skipped when no character of `s` can change under it (ASCII, CJK ideographs, 、。·):
    /// ledgers are mostly such text, and Foundation's NFKC costs a bridge to NSString per call.
    static func compatibility(_ s: String) -> String {
        s.unicodeScalars.allSatisfy(isCompatibilityStable) ? s : s.precomposedStringWithCompatibilityMapping
    }

    @inline(__always)
    static func isCompatibilityStable(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0..<0xA0, 0xB7, 0x3001...0x3002, 0x3008...0x3011, 0x3400...0x4DBF, 0x4E00...0x9FFF: return true
        default: return false
        }
    }

    /// True when `basic` would return `s` unchanged: NFKC-stable, no white space other than
    /// single inner spaces.
    static func isPlain(_ s: String) -> Bool {
        var previousSpace = true  // a leading space is not plain
        for u in s.unicodeScalars {
            guard isCompatibilityStable(u) else { return false }
            if u == " " {
                if previousSpace { return false }
                previousSpace = true
            } else {
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) { return false }
                previousSpace = false
            }
        }
        return !previousSpace || s.isEmpty
    }

    /// `isPlain` (or, for a person's name, that `name` leaves it as it is: `isPlainNameScalar`
    /// throughout) of a cell's UTF-8 bytes, read in place: most cells of a ledger need no folding,
    /// and this tells so without making a string. False for what it does not decode (two- and
    /// four-byte characters): those take the string's way.
    static func isPlain(utf8 b: UnsafeBufferPointer<UInt8>, name: Bool) -> Bool {
        var i = 0, previousSpace = true
        while i < b.count {
            let c = b[i]
            var u: UInt32
            if c < 0x80 {
                u = UInt32(c); i += 1
            } else if c & 0xF0 == 0xE0, i + 2 < b.count, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 {
                u = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                guard u >= 0x800 else { return false }
                i += 3
            } else {
                return false
            }
            guard let scalar = Unicode.Scalar(u) else { return false }   // a surrogate's bytes: not UTF-8
            if name {
                guard isPlainNameScalar(scalar) else { return false }
                continue
            }
            guard isCompatibilityStable(scalar) else { return false }
            if u == 0x20 {
                if previousSpace { return false }
                previousSpace = true
            } else {
                if u < 0x20 || u == 0x7F { return false }
                previousSpace = false
            }
        }
        return name ? b.count > 0 : !previousSpace || b.isEmpty
    }

    /// The middle dots of minority names (· • ‧ ・ ･ ⋅ and the full stop used for one), as U+00B7.
    static let dots: Set<Character> = ["·", "•", "‧", "・", "･", "⋅", "∙", "."]

    /// A person's name: spaces between Chinese characters removed (张 伟 → 张伟), middle dots unified.
    static func name(_ s: String) -> String {
        // Most names (and visitors' 联络员373) have no space, dot, control or width to fold: as they are.
        if !s.isEmpty, s.unicodeScalars.allSatisfy(isPlainNameScalar) { return s }
        let b = basic(s)
        var out: [Character] = []
        let chars = Array(b)
        for (i, c) in chars.enumerated() {
            if c == " ", i > 0, i + 1 < chars.count, isCJK(chars[i - 1]) || dots.contains(chars[i - 1]), isCJK(chars[i + 1]) || dots.contains(chars[i + 1]) { continue }
            if dots.contains(c), i > 0, i + 1 < chars.count { out.append("·"); continue }
            out.append(c)
        }
        let joined = String(out)
        return joined.utf8.contains(0x20) && joined.contains(" · ") ? joined.replacingOccurrences(of: " · ", with: "·") : joined
    }

    /// A character `name` leaves as it is wherever it stands: NFKC-stable, not a space, control or dot.
    @inline(__always)
    static func isPlainNameScalar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21..<0x7F: return u != "."
        default: return false
        }
    }

    static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.first.map { (0x3400...0x9FFF).contains($0.value) || (0x20000...0x2FFFF).contains($0.value) } ?? false
    }
}

extension String {
    /// The text with its ASCII spaces removed (the common case, none, costs one scan).
    func removingSpaces() -> String {
        guard utf8.contains(0x20) else { return self }
        return String(decoding: utf8.filter { $0 != 0x20 }, as: UTF8.self)
    }
}

/// `Simplifier.name` for commands that look a person up by name (陳 靜 and 陈静 are one name).
public final class NameFolder {
    private let simplifier = Simplifier()
    public init() {}
    public func fold(_ name: String) -> String { simplifier.name(name) }
}
