import Foundation
import TaizhangCore

/// Resident identity numbers (GB 11643-1999): cleaning, the 15 → 18 upgrade, and the checks.
enum IDNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    /// The check character (ISO 7064 MOD 11-2) for the first 17 digits.
    static func checkCharacter(_ first17: String) -> Character? {
        let digits = first17.compactMap { $0.wholeNumberValue }
        guard digits.count == 17, first17.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    enum Cleaned: Equatable {
        /// The value to keep, and why it changed (nil if only trivially).
        case value(String, rule: Message?)
        /// Digits were lost to a numeric cell (scientific notation): must be re-entered.
        case digitsLost(String)
    }

    /// Cleans a written ID number: full-width folded, spaces and quote marks removed, x → X,
    /// a numeric cell's ".0" dropped, 15 digits upgraded to 18. Lost digits are reported, never guessed.
    static func clean(_ raw: String) -> Cleaned {
        if isCanonical(raw) { return .value(raw, rule: nil) }
        var s = TextFold.compatibility(raw)
        s.removeAll { $0.isWhitespace || $0 == "'" || $0 == "\"" || $0 == "‘" || $0 == "’" }
        s = s.uppercased()
        if isScientific(s) { return .digitsLost(s) }
        if s.hasSuffix(".0"), s.dropLast(2).allSatisfy(\.isASCII), s.dropLast(2).allSatisfy(\.isNumber) { s.removeLast(2) }
        if s.count == 15, s.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let body = String(s.prefix(6)) + "19" + String(s.dropFirst(6))
            if let c = checkCharacter(body) {
                return .value(body + String(c), rule: Message(zh: "身份证号 15 位升为 18 位", en: "ID number upgraded from 15 to 18 digits"))
            }
        }
        return .value(s, rule: s == raw ? nil : Message(zh: "身份证号格式清理（全角、空格、小写 x）", en: "ID number cleaned (full-width, spaces, lower-case x)"))
    }

    /// Already as `clean` leaves it: 18 ASCII digits, or 17 and X (the common case, checked first).
    static func isCanonical(_ s: String) -> Bool { isCanonical(bytes: s.utf8) }

    /// The same, of the number's UTF-8 bytes (a cell read in place).
    static func isCanonical<Bytes: Sequence<UInt8>>(bytes: Bytes) -> Bool {
        var n = 0
        for b in bytes {
            n += 1
            guard n <= 18, (0x30...0x39).contains(b) || (n == 18 && b == 0x58) else { return false }
        }
        return n == 18
    }

    /// `[0-9](\.[0-9]+)?E\+?[0-9]+` — what a numeric cell makes of a long number (4.40524E+17).
    static func isScientific(_ s: String) -> Bool {
        let parts = s.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let exponent = parts[1].hasPrefix("+") ? parts[1].dropFirst() : parts[1][...]
        func digits<S: StringProtocol>(_ p: S) -> Bool { !p.isEmpty && p.allSatisfy { $0.isASCII && $0.isNumber } }
        return mantissa[0].count == 1 && digits(mantissa[0]) && (mantissa.count == 1 || digits(mantissa[1])) && digits(exponent)
    }

    enum Problem: Equatable {
        case length(Int), characters, division(String), birthDate(String), checkCharacter(expected: Character, trailingZeros: Bool)
    }

    struct Facts: Equatable {
        var year: Int, month: Int, day: Int
        var male: Bool
    }

    /// Checks an 18-character ID; returns the facts it carries when it is well formed.
    /// Works on the UTF-8 bytes: it runs on every row, several times.
    static func check(_ id: String, today: (Int, Int, Int)) -> (facts: Facts?, problems: [Problem]) {
        var b: [UInt8] = []
        b.reserveCapacity(18)
        for u in id.utf8 { b.append(u); if b.count > 18 { break } }
        guard b.count == 18 else { return (nil, [.length(id.count)]) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        guard b[0..<17].allSatisfy(isDigit), isDigit(b[17]) || b[17] == 0x58 else { return (nil, [.characters]) }
        func number(_ r: Range<Int>) -> Int { b[r].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        func text(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
        var problems: [Problem] = []
        if !CodeTables.provinceCodes.contains(text(0..<2)) { problems.append(.division(text(0..<6))) }
        let y = number(6..<10), m = number(10..<12), d = number(12..<14)
        let valid = DateText.isValid(y, m, d) && y >= 1800 && (y, m, d) <= today
        if !valid { problems.append(.birthDate(text(6..<14))) }
        let sum = (0..<17).reduce(0) { $0 + Int(b[$1] - 0x30) * weights[$1] }
        let expected = checkCharacters[sum % 11]
        if expected.asciiValue != b[17] {
            problems.append(.checkCharacter(expected: expected, trailingZeros: id.hasSuffix("000") || id.hasSuffix("00")))
        }
        let male = Int(b[16] - 0x30) % 2 == 1
        return (valid ? Facts(year: y, month: m, day: d, male: male) : nil, problems)
    }
}
