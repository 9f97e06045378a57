import TaizhangCore
import Foundation

/// The JSON form of a statistical return (docs/schemas/return.schema.json): the main table's
/// figures, the same per lower unit, and the run's figures. Written by `json-return`, read and
/// added up by `taizhang merge`.
public struct ReturnDocument: Codable, Sendable, Equatable {
    public struct Column: Codable, Sendable, Equatable {
        public var key: String
        public var number: Int
        public var label: String
        public var path: [String]
    }

    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var category: String
        /// Column key → count; null where the cell is structurally empty ("—").
        public var counts: [String: Int?]

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encode(category, forKey: .category)
            // Keep nulls: a structurally empty cell is not a missing one.
            var counts = c.nestedContainer(keyedBy: AnyKey.self, forKey: .counts)
            for (k, v) in self.counts.sorted(by: { $0.key < $1.key }) { try counts.encode(v, forKey: AnyKey(k)) }
        }

        enum CodingKeys: String, CodingKey { case key, category, counts }
    }

    public struct Part: Codable, Sendable, Equatable {
        public var unit: String
        public var rows: [Row]
        public var checks: [StatTable.Check]
    }

    public var format = "taizhang-return/1"
    public var title: String
    public var period: String
    public var periodLabel: String
    public var unit: String
    public var measure: String
    public var marks: [String: String]
    public var unitsCovered: [String]
    public var columns: [Column]
    public var rows: [Row]
    public var checks: [StatTable.Check]
    public var footnote: String
    public var footer: [String]
    public var byUnit: [Part]
    public var run: [String: Int]
    /// Joiners and leavers against the previous period (上期人数, 新增, 减少, 本期人数), when compared.
    public var changes: Part?

    enum CodingKeys: String, CodingKey {
        case format, title, period, periodLabel = "period_label", unit, measure, marks, unitsCovered = "units_covered", columns, rows,
             checks, footnote, footer, byUnit = "by_unit", run, changes
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Builds the document from the tables a return step made: the `main` table, the
    /// `community:` tables and the `run` figures.
    public init?(tables: [StatTable]) {
        guard let main = tables.first(where: { $0.key == "main" }) else { return nil }
        title = main.title
        period = main.period
        periodLabel = main.periodLabel
        unit = main.unit
        measure = main.measure
        marks = Dictionary(main.marks.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, uniquingKeysWith: { a, _ in a })
        unitsCovered = main.unitsCovered
        columns = main.columns.enumerated().map { Column(key: $1.key, number: $0 + 1, label: $1.label, path: $1.path) }
        rows = ReturnDocument.rows(main)
        checks = main.checks
        footnote = main.footnote
        footer = main.footer
        byUnit = tables.filter { $0.key.hasPrefix("community:") }.map { Part(unit: $0.unit, rows: ReturnDocument.rows($0), checks: $0.checks) }
        run = Dictionary(uniqueKeysWithValues: (tables.first { $0.key == "run" }?.rows ?? []).map { ($0.key, $0.counts.first.flatMap { $0 } ?? 0) })
        changes = tables.first { $0.key == "changes" }.map { Part(unit: $0.unit, rows: ReturnDocument.rows($0), checks: $0.checks) }
    }

    static func rows(_ t: StatTable) -> [Row] {
        t.rows.map { r in Row(key: r.key, category: r.label, counts: Dictionary(uniqueKeysWithValues: zip(t.columns.map(\.key), r.counts))) }
    }

    /// The main table back as a `StatTable` (for writing the form of a merged return).
    public var table: StatTable {
        let cols = columns.sorted { $0.number < $1.number }.map { StatTable.Column(key: $0.key, path: $0.path) }
        return StatTable(key: "main", title: title, sheet: "统计表", marks: ["表号", "制表机关", "批准机关", "批准文号", "有效期至"].map { [$0, marks[$0] ?? ""] },
                         unit: unit, period: period, periodLabel: periodLabel, measure: measure, stubHeading: "项目", columns: cols,
                         rows: rows.map { r in StatTable.Row(key: r.key, label: r.category, counts: cols.map { r.counts[$0.key] ?? nil }) },
                         footnote: footnote, footer: footer, checks: checks, unitsCovered: unitsCovered)
    }

    /// The main table and one table per unit it covers (the sheets of a merged return's form).
    public var tables: [StatTable] {
        let main = table
        return [main] + byUnit.map { part in
            var t = main
            t.key = "unit:\(part.unit)"
            t.sheet = part.unit
            t.unit = part.unit
            t.rows = part.rows.map { r in StatTable.Row(key: r.key, label: r.category, counts: t.columns.map { r.counts[$0.key] ?? nil }) }
            t.checks = part.checks
            return t
        }
    }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }
}

extension ReturnDocument {
    /// Why returns cannot be added up.
    public struct MergeProblem: Sendable, Equatable {
        public var message: Message
    }

    /// Adds up the returns of lower units into the higher unit's return. Refuses returns of
    /// different periods or layouts, and units that appear in more than one return (their
    /// people would be counted twice). The lower units' main tables become its `by_unit` parts.
    public static func merge(_ inputs: [(file: String, doc: ReturnDocument)], unit: String?) -> (ReturnDocument?, [MergeProblem]) {
        var problems: [MergeProblem] = []
        guard let first = inputs.first?.doc else { return (nil, [MergeProblem(message: Message(zh: "没有要汇总的报表", en: "no returns to merge"))]) }
        // A return that cannot be right is refused, not added: another format, a negative count,
        // a unit without a name or with control characters.
        for (file, d) in inputs {
            if d.format != "taizhang-return/1" {
                problems.append(MergeProblem(message: Message(zh: "\(file) 的格式是「\(d.format)」，merge 只汇总 taizhang-return/1", en: "\(file) is in format '\(d.format)'; merge adds up taizhang-return/1 only")))
            }
            let negative = (d.rows + d.byUnit.flatMap(\.rows)).contains { $0.counts.values.contains { ($0 ?? 0) < 0 } }
            if negative {
                problems.append(MergeProblem(message: Message(zh: "\(file) 中有负数人数，报表已损坏或被改动", en: "\(file) holds a negative count: the return is damaged or was edited")))
            }
            let unitBad = d.unit.trimmingCharacters(in: .whitespaces).isEmpty || d.unit.unicodeScalars.contains { $0.value < 0x20 }
                || d.unitsCovered.contains { $0.unicodeScalars.contains { $0.value < 0x20 } }
            if unitBad {
                problems.append(MergeProblem(message: Message(zh: "\(file) 的填报单位名称为空或含控制字符", en: "\(file) has an empty unit name or one with control characters")))
            }
        }
        for (file, d) in inputs.dropFirst() {
            if d.period != first.period {
                problems.append(MergeProblem(message: Message(zh: "\(file) 的报告期是 \(d.period)（\(d.periodLabel)），与 \(inputs[0].file) 的 \(first.period)（\(first.periodLabel)）不同",
                                                              en: "\(file) is for \(d.period) (\(d.periodLabel)), \(inputs[0].file) for \(first.period) (\(first.periodLabel))")))
            }
            if d.columns.map(\.key) != first.columns.map(\.key) || d.rows.map(\.key) != first.rows.map(\.key) {
                problems.append(MergeProblem(message: Message(zh: "\(file) 的表式（栏目或类别）与 \(inputs[0].file) 不同", en: "\(file) has another layout (columns or rows) than \(inputs[0].file)")))
            }
        }
        var seen: [String: String] = [:]
        for (file, d) in inputs {
            for u in Set(d.unitsCovered.isEmpty ? [d.unit] : d.unitsCovered) {
                if let other = seen[u] {
                    problems.append(MergeProblem(message: Message(zh: "「\(u)」同时出现在 \(other) 和 \(file) 中，会被重复统计", en: "'\(u)' is in both \(other) and \(file): it would be counted twice")))
                } else {
                    seen[u] = file
                }
            }
        }
        guard problems.isEmpty else { return (nil, problems) }
        // Figures are added with overflow checked: a sum past Int.max is a refusal, never a wrap or a trap.
        var overflow = false
        func sum<S: Sequence>(_ values: S) -> Int where S.Element == Int {
            var t = 0
            for v in values {
                let (r, o) = t.addingReportingOverflow(v)
                if o { overflow = true; return 0 }
                t = r
            }
            return t
        }
        var merged = first
        merged.unit = unit ?? "汇总（" + inputs.map(\.doc.unit).joined(separator: "、") + "）"
        merged.unitsCovered = inputs.flatMap { $0.doc.unitsCovered.isEmpty ? [$0.doc.unit] : $0.doc.unitsCovered }
        merged.rows = first.rows.map { row in
            var r = row
            for key in first.columns.map(\.key) {
                let values = inputs.compactMap { $0.doc.rows.first { $0.key == row.key }?.counts[key] ?? nil }
                r.counts[key] = values.isEmpty ? .some(nil) : .some(sum(values))
            }
            return r
        }
        // Sums keep the logic relations (they are linear): the merged return passes when every part did.
        merged.checks = first.checks.map { c in
            StatTable.Check(rule: c.rule, ok: inputs.allSatisfy { $0.doc.checks.first { $0.rule == c.rule }?.ok ?? true })
        }
        merged.byUnit = inputs.map { Part(unit: $0.doc.unit, rows: $0.doc.rows, checks: $0.doc.checks) }
        merged.run = Dictionary(grouping: inputs.flatMap(\.doc.run), by: \.key).mapValues { sum($0.map(\.value)) }
        // Joiners and leavers add up too, when every part was compared with its previous ledger.
        let parts = inputs.compactMap(\.doc.changes)
        if parts.count == inputs.count, let base = parts.first {
            merged.changes = Part(unit: merged.unit, rows: base.rows.map { row in
                var r = row
                for key in row.counts.keys { r.counts[key] = .some(sum(parts.compactMap { $0.rows.first { $0.key == row.key }?.counts[key] ?? nil })) }
                return r
            }, checks: base.checks.map { c in StatTable.Check(rule: c.rule, ok: parts.allSatisfy { $0.checks.allSatisfy(\.ok) }) })
        } else {
            merged.changes = nil
        }
        if overflow {
            return (nil, [MergeProblem(message: Message(zh: "汇总后的数字超出可表示的范围（报表中的数字不可信，可能已损坏）", en: "a sum is too large to hold (the returns' figures cannot be right; they may be damaged)"))])
        }
        return (merged, [])
    }
}
