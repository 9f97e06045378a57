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
        var s = raw.precomposedStringWithCompatibilityMapping
        s.removeAll { $0.isWhitespace || $0 == "'" || $0 == "\"" || $0 == "‘" || $0 == "’" }
        s = s.uppercased()
        if s.range(of: #"^[0-9](\.[0-9]+)?E\+?[0-9]+$"#, options: .regularExpression) != nil { return .digitsLost(s) }
        if s.hasSuffix(".0"), s.dropLast(2).allSatisfy(\.isASCII), s.dropLast(2).allSatisfy(\.isNumber) { s.removeLast(2) }
        if s.count == 15, s.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let body = String(s.prefix(6)) + "19" + String(s.dropFirst(6))
            if let c = checkCharacter(body) {
                return .value(body + String(c), rule: Message(zh: "身份证号 15 位升为 18 位", en: "ID number upgraded from 15 to 18 digits"))
            }
        }
        return .value(s, rule: s == raw ? nil : Message(zh: "身份证号格式清理（全角、空格、小写 x）", en: "ID number cleaned (full-width, spaces, lower-case x)"))
    }

    enum Problem: Equatable {
        case length(Int), characters, division(String), birthDate(String), checkCharacter(expected: Character, trailingZeros: Bool)
    }

    struct Facts: Equatable {
        var year: Int, month: Int, day: Int
        var male: Bool
    }

    /// Checks an 18-character ID; returns the facts it carries when it is well formed.
    static func check(_ id: String, today: (Int, Int, Int)) -> (facts: Facts?, problems: [Problem]) {
        let chars = Array(id)
        guard chars.count == 18 else { return (nil, [.length(chars.count)]) }
        guard chars[0..<17].allSatisfy({ $0.isASCII && $0.isNumber }), chars[17].isASCII, chars[17].isNumber || chars[17] == "X" else {
            return (nil, [.characters])
        }
        var problems: [Problem] = []
        let province = String(chars[0..<2])
        if !CodeTables.provinceCodes.contains(province) { problems.append(.division(String(chars[0..<6]))) }
        let y = Int(String(chars[6..<10]))!, m = Int(String(chars[10..<12]))!, d = Int(String(chars[12..<14]))!
        let birth = String(chars[6..<14])
        let valid = DateText.isValid(y, m, d) && y >= 1800 && (y, m, d) <= today
        if !valid { problems.append(.birthDate(birth)) }
        let expected = checkCharacter(String(chars[0..<17]))!
        if expected != chars[17] {
            problems.append(.checkCharacter(expected: expected, trailingZeros: id.hasSuffix("000") || id.hasSuffix("00")))
        }
        let male = Int(String(chars[16]))! % 2 == 1
        return (valid ? Facts(year: y, month: m, day: d, male: male) : nil, problems)
    }
}
