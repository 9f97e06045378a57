import Foundation

/// A statistical table as official forms lay it out: a title and the form's legal marks, the
/// reporting unit and period, column headings in groups (宾栏), row headings (主栏) with a total
/// row, counts, a footnote of the logic relations and a signature footer. Built by a step from
/// the data (the domain pack's `member-return`), written by form writers (`xlsx-return`,
/// `json-return`), and added up across units by `taizhang merge`.
public struct StatTable: Sendable, Codable, Equatable {
    public struct Column: Sendable, Codable, Equatable {
        /// Stable key (used by merge), e.g. `female`.
        public var key: String
        /// The heading path from the top: ["其中", "年龄", "35岁及以下"]; the last is the column's own label.
        public var path: [String]
        /// A column worked out from others (a sum, a share) rather than counted.
        public var derived: Derivation?

        public init(key: String, path: [String], derived: Derivation? = nil) {
            self.key = key
            self.path = path
            self.derived = derived
        }

        public var label: String { path.last ?? key }
    }

    /// How a derived column is worked out: the sum of other columns, or a share.
    public struct Derivation: Sendable, Codable, Equatable {
        public var sum: [String]?
        public var share: Share?

        public init(sum: [String]? = nil, share: Share? = nil) {
            self.sum = sum
            self.share = share
        }
    }

    /// `of` ÷ `over` (the same row's column, or the cell of row `overRow`) × `per`, rounded half away
    /// from zero to `decimals` places; no figure ("—") when the denominator is 0.
    public struct Share: Sendable, Codable, Equatable {
        public var of: String
        public var overRow: String?
        public var over: String
        public var per: Double
        public var decimals: Int

        public init(of: String, overRow: String?, over: String, per: Double, decimals: Int) {
            self.of = of
            self.overRow = overRow
            self.over = over
            self.per = per
            self.decimals = decimals
        }

        enum CodingKeys: String, CodingKey { case of, overRow = "over_row", over, per, decimals }

        public func value(_ numerator: Int, _ denominator: Int) -> Double? {
            guard denominator != 0 else { return nil }
            // With a whole `per` (100), rounding is done on integers: 23/80 = 28.75 % is 28.8, as by hand
            // (in floating point 28.75 may be 28.749999… and round down).
            if per == per.rounded(), abs(per) <= 1_000_000, (0...6).contains(decimals) {
                var scale = 1
                for _ in 0..<decimals { scale *= 10 }
                let (a, o1) = numerator.multipliedReportingOverflow(by: Int(per) * scale)
                let (twice, o2) = a.magnitude.multipliedReportingOverflow(by: 2)
                if !o1 && !o2 {
                    let d = denominator.magnitude
                    let q = (twice + d) / (2 * d)
                    let negative = (numerator < 0) != (denominator < 0) && q != 0
                    return Double(q) / Double(scale) * (negative ? -1 : 1)
                }
            }
            let scale = pow(10.0, Double(decimals))
            let x = (Double(numerator) / Double(denominator) * per * scale).rounded(.toNearestOrAwayFromZero) / scale
            return x.isFinite ? x : nil
        }
    }

    public struct Row: Sendable, Codable, Equatable {
        public var key: String
        public var label: String
        /// Per column (same order as `columns`); nil where the cell is structurally empty ("—").
        public var counts: [Int?]
        /// Per column, the figures of share columns (nil elsewhere and where there is no figure);
        /// absent when the table has no shares.
        public var ratios: [Double?]?

        public init(key: String, label: String, counts: [Int?]) {
            self.key = key
            self.label = label
            self.counts = counts
        }
    }

    /// A logic relation the table must satisfy (审核公式), and whether it does.
    public struct Check: Sendable, Codable, Equatable {
        public var rule: String
        public var ok: Bool
        public var detail: String?

        public init(rule: String, ok: Bool, detail: String? = nil) {
            self.rule = rule
            self.ok = ok
            self.detail = detail
        }
    }

    /// A person the table counts, as far as adding up across units needs: keyed fingerprints (no
    /// personal value), where the record is, and which cells the person is counted in — the rows
    /// (indices into `rows`, the total row included) and the columns (indices into `columns`).
    /// A higher unit counts each person once from these (`taizhang merge`).
    public struct Counted: Sendable, Codable, Equatable, Hashable {
        /// Keyed fingerprint of the identity number, when the record has a valid one.
        public var id: String?
        /// Keyed fingerprint of the normalised name, birth date and sex.
        public var person: String
        /// The lower unit (community) that listed the person, and where: `file:row`.
        public var unit: String
        public var at: String
        public var rows: [Int]
        public var columns: [Int]

        public init(id: String?, person: String, unit: String, at: String, rows: [Int], columns: [Int]) {
            self.id = id
            self.person = person
            self.unit = unit
            self.at = at
            self.rows = rows
            self.columns = columns
        }
    }

    public var key: String
    public var title: String
    public var sheet: String
    /// Top-right marks: 表号, 制表机关, 批准机关, 批准文号, 有效期至 (label, value).
    public var marks: [[String]]
    public var unit: String
    public var period: String
    public var periodLabel: String
    public var measure: String
    /// Heading of the row-heading column (主栏), e.g. 项目.
    public var stubHeading: String
    public var columns: [Column]
    public var rows: [Row]
    public var footnote: String
    /// Signature line items, e.g. ["单位负责人：", "统计负责人：", …].
    public var footer: [String]
    public var checks: [Check]
    /// The lower units whose data is in the table (communities), for overlap checks when merging.
    public var unitsCovered: [String]
    /// Lines under the table (what it leaves out and why).
    public var notes: [String] = []
    /// The figure a run's summary ends on (the return's 合计), when the step gives one.
    public var headline: Message?
    /// A table that lists rather than counts (人员变动名单): one row of text per entry, under the
    /// columns' labels; written on the form, never into the return's JSON.
    public var list: [[String]]?
    /// What an empty list says on the form (（本期没有人员变动）).
    public var emptyList: String?
    /// Every person counted, fingerprinted with a key the pipeline names (nil without a key).
    public var counted: [Counted]?
    /// Names the key the fingerprints were made with (a keyed hash of a fixed text, not the key).
    public var personKey: String?

    public init(key: String, title: String, sheet: String, marks: [[String]], unit: String, period: String, periodLabel: String,
                measure: String, stubHeading: String, columns: [Column], rows: [Row], footnote: String, footer: [String],
                checks: [Check] = [], unitsCovered: [String] = []) {
        self.key = key
        self.title = title
        self.sheet = sheet
        self.marks = marks
        self.unit = unit
        self.period = period
        self.periodLabel = periodLabel
        self.measure = measure
        self.stubHeading = stubHeading
        self.columns = columns
        self.rows = rows
        self.footnote = footnote
        self.footer = footer
        self.checks = checks
        self.unitsCovered = unitsCovered
    }

    /// The form the table belongs to (its id and version) and, for a form's second and later tables,
    /// the table's key in the form; nil for tables a step makes of its own.
    public var form: String?
    public var formVersion: String?
    public var formTable: String?
    /// Rows made from the data (one per value met): another unit's table may have others.
    public var openRows = false
    /// On a form's first table: the higher unit's own workbook its figures go into (`xlsx-template`).
    public var template: Template?

    /// A workbook to fill: which cells take which figure (a form's table, row, column) or text.
    public struct Template: Sendable, Codable, Equatable {
        public struct Cell: Sendable, Codable, Equatable {
            public var cell: String
            public var table: String?
            public var row: String?
            public var column: String?
            /// unit, period, period_label, title or report_date.
            public var text: String?

            public init(cell: String, table: String? = nil, row: String? = nil, column: String? = nil, text: String? = nil) {
                self.cell = cell
                self.table = table
                self.row = row
                self.column = column
                self.text = text
            }
        }

        public var file: String
        public var sheet: String?
        public var cells: [Cell]
        /// Texts the step gives besides the table's own (report_date).
        public var texts: [String: String] = [:]

        public init(file: String, sheet: String?, cells: [Cell]) {
            self.file = file
            self.sheet = sheet
            self.cells = cells
        }
    }

    public var passed: Bool { checks.allSatisfy(\.ok) }

    /// Works out the derived columns of rows from their counted cells: sums first, then shares.
    public static func derive(columns: [Column], rows: inout [Row]) {
        let index = Dictionary(columns.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        for (c, col) in columns.enumerated() {
            guard let parts = col.derived?.sum else { continue }
            for r in rows.indices where rows[r].counts[c] != nil {
                // Added without a trap: a form that doubles a column again and again (or a figure no
                // count can reach) holds at the largest number, which `merge` refuses and no one signs.
                rows[r].counts[c] = parts.compactMap { index[$0].flatMap { rows[r].counts[$0] } }.reduce(0) { t, v in
                    let (sum, over) = t.addingReportingOverflow(v)
                    return over ? (v < 0 ? Int.min : Int.max) : sum
                }
            }
        }
        guard columns.contains(where: { $0.derived?.share != nil }) else { return }
        let snapshot = rows
        for r in rows.indices {
            var ratios = [Double?](repeating: nil, count: columns.count)
            for (c, col) in columns.enumerated() {
                guard let share = col.derived?.share, let of = index[share.of], let over = index[share.over] else { continue }
                rows[r].counts[c] = nil
                // A named denominator row the table lacks gives no figure, never the row's own.
                let denominatorRow = share.overRow.map { key in snapshot.first { $0.key == key || $0.label == key } } ?? snapshot[r]
                guard let denominatorRow, let a = snapshot[r].counts[of], let b = denominatorRow.counts[over] else { continue }
                ratios[c] = share.value(a, b)
            }
            rows[r].ratios = ratios
        }
    }

    public func count(row: String, column: String) -> Int? {
        guard let r = rows.first(where: { $0.key == row }), let c = columns.firstIndex(where: { $0.key == column }) else { return nil }
        return r.counts[c]
    }
}
