import Foundation

/// How bad an issue is. Errors quarantine the record; warnings and infos keep it.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case info, warning, error

    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }

    /// As a pipeline's `severity:` sets it for `code`: another severity, nil for `ignore`, else this one.
    public func overridden(for code: String, by overrides: [String: Severity?]) -> Severity? {
        guard let o = overrides[code] else { return self }
        return o
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    public func label(_ lang: Language) -> String {
        switch (self, lang) {
        case (.error, .zh): return "错误"
        case (.warning, .zh): return "警告"
        case (.info, .zh): return "提示"
        case (_, .en): return rawValue
        }
    }
}

/// One thing wrong (or worth knowing) about the data: a stable code other tools can rely on,
/// where it is, which field, what is wrong and how to fix it.
///
/// `value` holds the offending value, which may be personal data: printing and reports
/// show it masked unless the user asks for full values (see ``Masking``).
public struct Issue: Sendable, Hashable, Codable {
    /// Stable, kebab-case code such as `type-error`, `missing-cell`, `ragged-row`.
    public var code: String
    public var severity: Severity
    public var origin: Origin
    /// The schema field concerned, if any.
    public var field: String?
    public var message: Message
    public var suggestion: Message?
    public var value: String?
    /// Whether `value` is personal data (masked in reports by default). The runner sets it
    /// from the schema field's `personal` flag; values of unknown columns count as personal.
    public var personal: Bool

    public init(code: String, severity: Severity, origin: Origin, field: String? = nil,
                message: Message, suggestion: Message? = nil, value: String? = nil, personal: Bool = true) {
        self.personal = personal
        self.code = code
        self.severity = severity
        self.origin = origin
        self.field = field
        self.message = message
        self.suggestion = suggestion
        self.value = value
    }

    /// One line for a terminal: `file:row:col: error: message（建议：…）`.
    public func line(_ lang: Language, masking: Masking = .masked) -> String {
        var s = "\(origin.location): \(severity.label(lang)): [\(code)] "
        // The column as the clerk's file heads it, the standard field beside it when they differ.
        if let field {
            let header = origin.header.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !header.isEmpty && header != field {
                s += lang == .zh ? "「\(header)」（标准字段「\(field)」）" : "\(header) (field \(field)): "
            } else {
                s += lang == .zh ? "「\(field)」" : "\(field): "
            }
        }
        s += message.text(lang)
        if let value, !value.isEmpty {
            s += lang == .zh ? "（值：\(shown(value, masking))）" : " (value: \(shown(value, masking)))"
        }
        if let suggestion { s += lang == .zh ? " 建议：\(suggestion.zh)" : " Fix: \(suggestion.en)" }
        return s
    }

    /// The value as a report may show it: masked when personal, unless full values were asked for.
    public func shown(_ value: String, _ masking: Masking) -> String {
        personal ? masking.apply(value) : value
    }
}

/// Whether personal values are shown in full in reports and messages. Masked is the default.
public enum Masking: String, Sendable, Codable {
    case masked, full

    /// Keeps the first 6 and last 4 characters of ID numbers, the first 3 and last 4 of phones
    /// (11–14 characters), the first and last of short values, and masks the rest with `*`.
    public func apply(_ value: String) -> String {
        guard self == .masked else { return value }
        return Masking.mask(value)
    }

    public static func mask(_ value: String) -> String {
        // Most masked values are ID numbers and phones: ASCII, one character a byte, masked on
        // their bytes (CR is left out: CR LF is one character). The rules are the same either way.
        if value.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            let digit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
            return String(decoding: masked(Array(value.utf8), star: UInt8(ascii: "*"), digit: digit,
                                           separator: { scalarSeparators.contains(UInt32($0)) }), as: UTF8.self)
        }
        // Chinese names: each scalar a character of its own (a Han ideograph, the middle dot of
        // 买买提·艾力, ASCII but CR), so the rules run on scalars, not on grapheme clusters.
        if value.unicodeScalars.allSatisfy(isCharacterAlone) {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: masked(Array(value.unicodeScalars), star: "*", digit: { $0.value >= 0x30 && $0.value <= 0x39 },
                                          separator: { scalarSeparators.contains($0.value) }))
            return String(out)
        }
        return String(masked(Array(value), star: "*", digit: { $0.isASCII && $0.isNumber }, separator: separators.contains))
    }

    private static let separators: Set<Character> = ["-", "/", ".", "年", "月", "日"]
    /// The same separators as scalar values (for the scalar and byte paths).
    private static let scalarSeparators = Set(separators.map { $0.unicodeScalars.first!.value })

    /// A scalar that is a whole character wherever it stands: ASCII but CR, the middle dot, a Han
    /// ideograph (nothing joins to these, so characters and scalars count the same).
    private static func isCharacterAlone(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (v < 0x80 && v != 0x0D) || v == 0xB7
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0x20000...0x3134F).contains(v)
    }

    /// The masking rules, on characters or on the bytes of ASCII text.
    private static func masked<E>(_ e: [E], star: E, digit: (E) -> Bool, separator: (E) -> Bool) -> [E] {
        let n = e.count
        var out = e
        // A date keeps its shape, so it reads as a masked date: 1985-03-12 → 1***-**-**.
        if n <= 12, e.contains(where: separator), e.allSatisfy({ digit($0) || separator($0) }) {
            var first = true
            for k in 0..<n where digit(e[k]) {
                if !first { out[k] = star }
                first = false
            }
            return out
        }
        // An ID number keeps its region and last four; a phone its first three and last four;
        // a short value its first (and last) character.
        let (front, back) = n >= 15 ? (6, 4) : n >= 11 ? (3, 4) : n <= 2 ? (1, 0) : (1, 1)
        let from = min(front, n)
        for k in from..<max(from, n - back) { out[k] = star }
        return out
    }
}
