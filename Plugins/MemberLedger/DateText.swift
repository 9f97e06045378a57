import Foundation
import TaizhangCore

/// Dates as ledgers write them, brought to ISO: `YYYY-MM-DD`, or `YYYY-MM` when only the year and
/// month are known (kept as such, never padded with a made-up day).
///
/// Accepted: 1985-03-12, 1985-3-12, 1985.3.12, 1985/03/12, 1985年3月12日, 1985年3月, 19850312,
/// 198503, 85.3 and 85.3.12 (two-digit years: see `parse`),
/// 一九八五年三月(十二日), Excel serial numbers in the 1900 or 1904 system, and any of these
/// followed by a time (00:00:00).
enum DateText {
    enum Parsed: Equatable {
        case day(Int, Int, Int)
        case month(Int, Int)

        var iso: String {
            switch self {
            case .day(let y, let m, let d): return Self.digits(y, m, d)
            case .month(let y, let m): return Self.digits(y, m, nil)
            }
        }

        /// YYYY-MM(-DD) written digit by digit (a million dates a ledger: no interpolation).
        private static func digits(_ y: Int, _ m: Int, _ d: Int?) -> String {
            guard (0...9999).contains(y), (0...99).contains(m), (0...99).contains(d ?? 0) else {
                return pad(y, 4) + "-" + pad(m, 2) + (d.map { "-" + pad($0, 2) } ?? "")
            }
            let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-")
            var b: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (zero + UInt8(y / 1000), zero + UInt8(y / 100 % 10), zero + UInt8(y / 10 % 10), zero + UInt8(y % 10), dash,
                 zero + UInt8(m / 10), zero + UInt8(m % 10), dash, zero + UInt8((d ?? 0) / 10), zero + UInt8((d ?? 0) % 10))
            return withUnsafeBytes(of: &b) { String(decoding: $0.prefix(d == nil ? 7 : 10), as: UTF8.self) }
        }
    }

    static func isValid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    /// Zero-padded decimal (`pad(7, 2)` = "07").
    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses a written date. `currentYear` decides two-digit years — for a birth date (the
    /// default) `85` is 1985 and a year less than 16 years ago is taken for the last century; for an
    /// event (`event: true`: a visit, a status change) `26` is 2026 up to this year; `excel1904` the
    /// serial system.
    static func parse(_ raw: String, currentYear: Int, excel1904: Bool = false, event: Bool = false) -> Parsed? {
        if let iso = parseISO(raw) ?? parseNumeric(raw) ?? parseWritten(raw) { return iso }
        var s = chineseNumeralsToDigits(TextFold.compatibility(raw).trimmingSpaces())
        // Drop a time part: "1985-03-12 00:00:00", "1985-03-12T00:00".
        if let cut = timePartStart(s) { s = String(s[..<cut]) }
        s = s.trimmingSpaces()
        if s.hasSuffix("日") || s.hasSuffix("号") { s.removeLast() }

        // Pure digits: yyyymmdd, yyyymm, or an Excel serial.
        if !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }) || isWholeDecimal(s) {
            let digits = s.split(separator: ".").first.map(String.init) ?? s
            if digits.count == 8, let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)), let d = Int(digits.suffix(2)) {
                return isValid(y, m, d) && y >= 1800 ? .day(y, m, d) : nil
            }
            if digits.count == 6, let y = Int(digits.prefix(4)), let m = Int(digits.suffix(2)), y >= 1800, (1...12).contains(m) {
                return .month(y, m)
            }
            // Five digits: an Excel serial (1927–2173). Four digits are more likely a bare year than a
            // date before 1927, and a year alone is not a date.
            if let n = Int(digits), digits.count == 5 {
                return excelSerial(n, excel1904: excel1904)
            }
            return nil
        }
        let parts = s.split(whereSeparator: { "-./年月".contains($0) }).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        guard var y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        if parts[0].count == 2 {
            y = 2000 + y <= (event ? currentYear : currentYear - 16) ? 2000 + y : 1900 + y
        } else if parts[0].count != 4 {
            return nil
        }
        guard y >= 1800, parts[1].count <= 2 else { return nil }
        if parts.count == 2 { return (1...12).contains(m) ? .month(y, m) : nil }
        guard let d = Int(parts[2]), parts[2].count <= 2 else { return nil }
        return isValid(y, m, d) ? .day(y, m, d) : nil
    }

    /// `1985年3月5日` (日 or 号, or neither) and `19850305`: the other common forms, read from the
    /// bytes; anything else (a two-digit year, 一九八五年, a time part) is left to the general parser,
    /// which reads these two alike.
    static func parseWritten(_ s: String) -> Parsed? {
        let b = Array(s.utf8)
        if b.count == 8 {
            var v = [Int](repeating: 0, count: 8)
            for i in 0..<8 {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v[i] = Int(b[i] - 0x30)
            }
            let y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5], d = v[6] * 10 + v[7]
            return y >= 1800 && isValid(y, m, d) ? .day(y, m, d) : nil
        }
        // 年 E5 B9 B4, 月 E6 9C 88, 日 E6 97 A5, 号 E5 8F B7
        func mark(_ i: Int, _ c: (UInt8, UInt8, UInt8)) -> Bool { i + 2 < b.count && b[i] == c.0 && b[i + 1] == c.1 && b[i + 2] == c.2 }
        var i = 0
        func number(_ most: Int) -> (value: Int, digits: Int) {
            var v = 0, n = 0
            while i < b.count, n < most, b[i] >= 0x30 && b[i] <= 0x39 { v = v * 10 + Int(b[i] - 0x30); n += 1; i += 1 }
            return (v, n)
        }
        let y = number(4)
        guard y.digits == 4, mark(i, (0xE5, 0xB9, 0xB4)) else { return nil }
        i += 3
        let m = number(2)
        guard m.digits > 0, mark(i, (0xE6, 0x9C, 0x88)) else { return nil }
        i += 3
        let d = number(2)
        guard d.digits > 0 else { return nil }
        if mark(i, (0xE6, 0x97, 0xA5)) || mark(i, (0xE5, 0x8F, 0xB7)) { i += 3 }
        guard i == b.count, y.value >= 1800, isValid(y.value, m.value, d.value) else { return nil }
        return .day(y.value, m.value, d.value)
    }

    /// `2026.3.5`, `2026/03/05`, `2026-3-5`: a four-digit year, one or two digits of month and of
    /// day, one separator (. / -) twice — the common written forms, read from the bytes.
    static func parseNumeric(_ s: String) -> Parsed? {
        var y = 0, m = 0, d = 0, ny = 0, nm = 0, nd = 0, k = 0
        var separator: UInt8 = 0
        for b in s.utf8 {
            if b >= 0x30 && b <= 0x39 {
                let v = Int(b - 0x30)
                switch k {
                case 0: y = y * 10 + v; ny += 1
                case 1: m = m * 10 + v; nm += 1
                default: d = d * 10 + v; nd += 1
                }
                if ny > 4 || nm > 2 || nd > 2 { return nil }   // no date (and a long run of digits would overflow)
            } else if b == 0x2E || b == 0x2F || b == 0x2D, k < 2, separator == 0 || separator == b {
                separator = b
                k += 1
            } else {
                return nil
            }
        }
        guard k == 2, ny == 4, (1...2).contains(nm), (1...2).contains(nd), y >= 1800, isValid(y, m, d) else { return nil }
        return .day(y, m, d)
    }

    /// The canonical forms the normaliser writes, `YYYY-MM-DD` and `YYYY-MM`, read without
    /// allocating: later steps parse every birth date again.
    static func parseISO(_ s: String) -> Parsed? { parseISO(utf8: s.utf8) }

    /// The same, of a cell's UTF-8 bytes read in place.
    static func parseISO<Bytes: Sequence<UInt8>>(utf8: Bytes) -> Parsed? {
        var u = utf8.makeIterator()
        func digits(_ n: Int) -> Int? {
            var v = 0
            for _ in 0..<n {
                guard let b = u.next(), b >= 0x30, b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard let y = digits(4), u.next() == 0x2D, let m = digits(2), y >= 1800 else { return nil }
        switch u.next() {
        case nil: return (1...12).contains(m) ? .month(y, m) : nil
        case 0x2D?:
            guard let d = digits(2), u.next() == nil else { return nil }
            return isValid(y, m, d) ? .day(y, m, d) : nil
        default: return nil
        }
    }

    /// Where a trailing time (`[ T]h:mm`, `[ T]hh:mm:ss`, `[ T]hh:mm:ss.fff`) begins, if there is one.
    static func timePartStart(_ s: String) -> String.Index? {
        guard let sep = s.lastIndex(where: { $0 == " " || $0 == "T" }) else { return nil }
        let parts = s[s.index(after: sep)...].split(separator: ":", omittingEmptySubsequences: false)
        func digits(_ p: Substring, _ range: ClosedRange<Int>) -> Bool {
            range.contains(p.count) && p.allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard (2...3).contains(parts.count), digits(parts[0], 1...2), digits(parts[1], 2...2) else { return nil }
        if parts.count == 3 {
            let sec = parts[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard digits(sec[0], 2...2), sec.count == 1 || digits(sec[1], 1...Int.max) else { return nil }
        }
        return sep
    }

    /// `\d+\.0+` — a whole number from a numeric cell ("19850312.0").
    static func isWholeDecimal(_ s: String) -> Bool {
        let p = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return p.count == 2 && !p[0].isEmpty && !p[1].isEmpty
            && p[0].allSatisfy { $0.isASCII && $0.isNumber } && p[1].allSatisfy { $0 == "0" }
    }

    /// Excel's day numbers. The 1900 system counts a 29 February 1900 that never was (serial 60).
    static func excelSerial(_ n: Int, excel1904: Bool) -> Parsed? {
        if n == 60 && !excel1904 { return nil }
        let (y, m, d) = CivilDate.excel(n, date1904: excel1904)
        return .day(y, m, d)
    }

    /// 一九八五年三月十二日 → 1985年3月12日 (digit-by-digit years, 十-style months and days).
    static let numeralDigits: [Character: Int] = ["〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

    static func chineseNumeralsToDigits(_ s: String) -> String {
        let digit = numeralDigits
        guard !s.utf8.allSatisfy({ $0 < 0x80 }), s.contains(where: { digit[$0] != nil || $0 == "十" }) else { return s }
        var out = ""
        var run: [Character] = []
        func flush(_ terminator: Character?) {
            defer { run = [] }
            guard !run.isEmpty else { return }
            if terminator == "年" || !run.contains("十") {
                out += run.map { digit[$0].map(String.init) ?? String($0) }.joined()
                return
            }
            // 十 = 10, 十二 = 12, 二十 = 20, 二十一 = 21
            var value = 0
            if let i = run.firstIndex(of: "十") {
                let tens = i == 0 ? 1 : (digit[run[i - 1]] ?? 1)
                let ones = i + 1 < run.count ? (digit[run[i + 1]] ?? 0) : 0
                value = tens * 10 + ones
            }
            out += String(value)
        }
        for c in s {
            if digit[c] != nil || c == "十" { run.append(c) } else { flush(c); out.append(c) }
        }
        flush(nil)
        return out
    }

    /// Today's year, month and day (local time).
    static func today() -> (Int, Int, Int) {
        let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
        return (c.year!, c.month!, c.day!)
    }
}
