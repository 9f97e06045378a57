/// Variables a pipeline gets from its `period` (2026Q3, 2026H1, 2026, 2026-09), so what depends on
/// the period follows it when a user writes `--set period=2026Q4`:
/// `${previous_period}` (2026Q2), `${period_end}` (2026-12-31) and `${report_month}` (the month
/// after the period, as a form writes it: 2027年1月).
public enum PeriodVariables {
    public static func derived(from period: String) -> [String: String]? {
        guard let p = Parsed(period) else { return nil }
        return ["previous_period": p.previous, "period_end": p.end, "report_month": p.reportMonth]
    }

    struct Parsed {
        enum Kind { case quarter(Int), half(Int), year, month(Int) }
        var year: Int
        var kind: Kind

        init?(_ s: String) {
            let t = s.uppercased()
            guard t.count >= 4, let y = Int(t.prefix(4)), y >= 1900, y <= 9999 else { return nil }
            year = y
            let rest = t.dropFirst(4)
            if rest.isEmpty { kind = .year }
            else if rest.first == "Q", let q = Int(rest.dropFirst()), (1...4).contains(q) { kind = .quarter(q) }
            else if rest.first == "H", let h = Int(rest.dropFirst()), (1...2).contains(h) { kind = .half(h) }
            else if rest.first == "-", let m = Int(rest.dropFirst()), (1...12).contains(m) { kind = .month(m) }
            else { return nil }
        }

        var lastMonth: Int {
            switch kind {
            case .quarter(let q): return q * 3
            case .half(let h): return h * 6
            case .year: return 12
            case .month(let m): return m
            }
        }

        var previous: String {
            switch kind {
            case .quarter(let q): return q == 1 ? "\(year - 1)Q4" : "\(year)Q\(q - 1)"
            case .half(let h): return h == 1 ? "\(year - 1)H2" : "\(year)H1"
            case .year: return "\(year - 1)"
            case .month(let m): return m == 1 ? "\(year - 1)-12" : "\(year)-" + (m - 1 < 10 ? "0" : "") + "\(m - 1)"
            }
        }

        var end: String {
            let m = lastMonth
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
            return "\(year)-" + (m < 10 ? "0" : "") + "\(m)-\(days)"
        }

        var reportMonth: String {
            let m = lastMonth
            return m == 12 ? "\(year + 1)年1月" : "\(year)年\(m + 1)月"
        }
    }
}
