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
        /// A column worked out from others (a sum, a share): merge works it out again.
        public var derived: StatTable.Derivation?
    }

    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var category: String
        /// Column key → count; null where the cell is structurally empty ("—").
        public var counts: [String: Int?]
        /// Share columns' figures (column key → value; null where the denominator is 0).
        public var ratios: [String: Double?]?

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encode(category, forKey: .category)
            // Keep nulls: a structurally empty cell is not a missing one.
            var counts = c.nestedContainer(keyedBy: AnyKey.self, forKey: .counts)
            for (k, v) in self.counts.sorted(by: { $0.key < $1.key }) { try counts.encode(v, forKey: AnyKey(k)) }
            if let ratios {
                var r = c.nestedContainer(keyedBy: AnyKey.self, forKey: .ratios)
                for (k, v) in ratios.sorted(by: { $0.key < $1.key }) { try r.encode(v, forKey: AnyKey(k)) }
            }
        }

        enum CodingKeys: String, CodingKey { case key, category, counts, ratios }
    }

    /// A form's second and later tables, with their per-unit parts.
    public struct Table: Codable, Sendable, Equatable {
        public var key: String
        public var title: String
        public var columns: [Column]
        public var rows: [Row]
        public var checks: [StatTable.Check]
        public var byUnit: [Part]
        public var openRows: Bool?

        enum CodingKeys: String, CodingKey { case key, title, columns, rows, checks, byUnit = "by_unit", openRows = "open_rows" }
    }

    public struct Part: Codable, Sendable, Equatable {
        public var unit: String
        public var rows: [Row]
        public var checks: [StatTable.Check]
    }

    public var format = "taizhang-return/1"
    /// The form the figures are of, and its version: merge adds up returns of one form and version only.
    public var form: String?
    public var formVersion: String?
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
    /// Joiners and leavers against the previous period (上期人数, 新增, 减少, 本期人数), when compared;
    /// and the same per lower unit.
    public var changes: Part?
    public var changesByUnit: [Part]?
    /// Every person counted, by keyed fingerprints, and the name of the key (see ``StatTable/Counted``);
    /// absent when the return was made without a person key.
    public var persons: [StatTable.Counted]?
    public var personKey: String?
    /// In a merged return: the people listed by more than one lower unit, counted once.
    public var overlaps: [Overlap]?
    /// The lines under the main table: what it leaves out and why (in a merged return, each unit's).
    public var notes: [String]?
    /// The form's other tables, when it has more than one.
    public var otherTables: [Table]?
    /// Rows made from the data (one per value met, such as each community): units' returns may have
    /// different rows, and merge takes every unit's.
    public var openRows: Bool?

    /// One person found in two lower units' returns.
    public struct Overlap: Codable, Sendable, Equatable {
        /// The units and where each listed the person (`file:row`).
        public var units: [String]
        public var at: [String]
        /// `id` when the ID numbers' fingerprints agree, `person` when name, birth date and sex do.
        public var by: String
    }

    enum CodingKeys: String, CodingKey {
        case format, form, formVersion = "form_version", otherTables = "other_tables", openRows = "open_rows", title, period, periodLabel = "period_label", unit, measure, marks, unitsCovered = "units_covered", columns, rows,
             checks, footnote, footer, byUnit = "by_unit", run, changes, changesByUnit = "changes_by_unit", persons, personKey = "person_key", overlaps, notes
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The forms whose figures a run's tables hold, in order.
    public static func forms(in tables: [StatTable]) -> [String] {
        var out: [String] = []
        for t in tables where t.key == "main" && t.formTable == nil { if let f = t.form, !out.contains(f) { out.append(f) } }
        return out
    }

    /// Builds the document from the tables a return step made: the `main` table of the form (the
    /// first form when none is named), the `unit:` tables, the form's other tables, and the tables
    /// that belong to no form (the `run` figures, the changes).
    public init?(tables all: [StatTable], form: String? = nil) {
        let wanted = form ?? ReturnDocument.forms(in: all).first
        let tables = all.filter { $0.form == nil || $0.form == wanted }
        guard let main = tables.first(where: { $0.key == "main" && $0.formTable == nil }) else { return nil }
        self.form = main.form
        formVersion = main.formVersion
        openRows = main.openRows ? true : nil
        title = main.title
        period = main.period
        periodLabel = main.periodLabel
        unit = main.unit
        measure = main.measure
        marks = Dictionary(main.marks.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, uniquingKeysWith: { a, _ in a })
        unitsCovered = main.unitsCovered
        columns = ReturnDocument.columns(main)
        rows = ReturnDocument.rows(main)
        checks = main.checks
        footnote = main.footnote
        footer = main.footer
        byUnit = tables.filter { $0.key.hasPrefix("unit:") && $0.formTable == nil }.map { Part(unit: $0.unit, rows: ReturnDocument.rows($0), checks: $0.checks) }
        var more: [Table] = []
        for t in tables where t.formTable != nil && !t.key.hasPrefix("unit:") {
            more.append(Table(key: t.formTable!, title: t.title, columns: ReturnDocument.columns(t), rows: ReturnDocument.rows(t), checks: t.checks,
                              byUnit: tables.filter { $0.key.hasPrefix("unit:") && $0.formTable == t.formTable }.map { Part(unit: $0.unit, rows: ReturnDocument.rows($0), checks: $0.checks) },
                              openRows: t.openRows ? true : nil))
        }
        otherTables = more.isEmpty ? nil : more
        run = Dictionary(uniqueKeysWithValues: (tables.first { $0.key == "run" }?.rows ?? []).map { ($0.key, $0.counts.first.flatMap { $0 } ?? 0) })
        changes = tables.first { $0.key == "changes" }.map { Part(unit: $0.unit, rows: ReturnDocument.rows($0), checks: $0.checks) }
        let perUnit = tables.filter { $0.key.hasPrefix("changes:") }.map { Part(unit: $0.unit, rows: ReturnDocument.rows($0), checks: $0.checks) }
        changesByUnit = perUnit.isEmpty ? nil : perUnit
        persons = main.counted
        personKey = main.personKey
        notes = main.notes.isEmpty ? nil : main.notes
    }

    static func columns(_ t: StatTable) -> [Column] {
        t.columns.enumerated().map { Column(key: $1.key, number: $0 + 1, label: $1.label, path: $1.path, derived: $1.derived) }
    }

    static func rows(_ t: StatTable) -> [Row] {
        let shares = t.columns.indices.filter { t.columns[$0].derived?.share != nil }
        return t.rows.map { r in
            Row(key: r.key, category: r.label, counts: Dictionary(uniqueKeysWithValues: zip(t.columns.map(\.key), r.counts)),
                ratios: shares.isEmpty ? nil : Dictionary(uniqueKeysWithValues: shares.map { (t.columns[$0].key, r.ratios?[$0] ?? nil) }))
        }
    }

    /// Table rows back from the document's (counts, and shares' figures).
    static func statRows(_ rows: [Row], _ cols: [StatTable.Column]) -> [StatTable.Row] {
        rows.map { r in
            var row = StatTable.Row(key: r.key, label: r.category, counts: cols.map { r.counts[$0.key] ?? nil })
            if let ratios = r.ratios { row.ratios = cols.map { ratios[$0.key] ?? nil } }
            return row
        }
    }

    /// Works the derived columns out again (after adding up): sums, then shares.
    static func derive(_ rows: [Row], _ columns: [Column]) -> [Row] {
        guard columns.contains(where: { $0.derived != nil }) else { return rows }
        let cols = columns.sorted { $0.number < $1.number }.map { StatTable.Column(key: $0.key, path: $0.path, derived: $0.derived) }
        var table = statRows(rows, cols)
        StatTable.derive(columns: cols, rows: &table)
        return rows.enumerated().map { i, r in
            var r = r
            for (c, col) in cols.enumerated() where col.derived?.sum != nil { r.counts[col.key] = .some(table[i].counts[c]) }
            if let ratios = table[i].ratios {
                r.ratios = Dictionary(uniqueKeysWithValues: cols.indices.filter { cols[$0].derived?.share != nil }.map { (cols[$0].key, ratios[$0]) })
            }
            return r
        }
    }

    /// The main table back as a `StatTable` (for writing the form of a merged return).
    public var table: StatTable {
        let cols = columns.sorted { $0.number < $1.number }.map { StatTable.Column(key: $0.key, path: $0.path, derived: $0.derived) }
        var t = StatTable(key: "main", title: title, sheet: "统计表", marks: markOrder.map { [$0, marks[$0] ?? ""] },
                          unit: unit, period: period, periodLabel: periodLabel, measure: measure, stubHeading: "项目", columns: cols,
                          rows: ReturnDocument.statRows(rows, cols), footnote: footnote, footer: footer, checks: checks, unitsCovered: unitsCovered)
        t.form = form
        t.formVersion = formVersion
        return t
    }

    /// The marks in the order forms put them (the usual five first, then any others by name).
    var markOrder: [String] {
        let usual = ["表号", "制表机关", "批准机关", "批准文号", "有效期至"]
        return usual.filter { marks[$0] != nil || form == nil } + marks.keys.filter { !usual.contains($0) }.sorted()
    }

    /// The main table and one table per unit it covers (the sheets of a merged return's form); under
    /// a merged table, whom it counted once although two units listed them — or that nobody could tell.
    public var tables: [StatTable] {
        var main = table
        main.notes = notes ?? []
        if let overlaps, !overlaps.isEmpty {
            let listed = overlaps.prefix(20).map { "\($0.units.joined(separator: "与")) (\($0.at.joined(separator: "，")))" }.joined(separator: "；")
            main.notes.append("\(overlaps.count) 人在两个及以上单位都有登记，合计和各类别中每人只计一次：\(listed)\(overlaps.count > 20 ? "……" : "")。")
        } else if persons == nil && !byUnit.isEmpty {
            main.notes.append("各单位的报表未带人员指纹（生成时未设 person_key_file 或 TAIZHANG_PERSON_KEY），未能核对单位之间的重复人员：同一人在两个单位登记会被计两次。")
        }
        return [main] + byUnit.map { part in
            var t = main
            t.notes = []
            t.key = "unit:\(part.unit)"
            t.sheet = part.unit
            t.unit = part.unit
            t.rows = ReturnDocument.statRows(part.rows, t.columns)
            t.checks = part.checks
            return t
        } + (otherTables ?? []).map { extra in
            var t = main
            t.notes = []
            t.key = extra.key
            t.formTable = extra.key
            t.title = extra.title
            t.sheet = extra.key
            t.footnote = ""
            t.columns = extra.columns.sorted { $0.number < $1.number }.map { StatTable.Column(key: $0.key, path: $0.path, derived: $0.derived) }
            t.rows = ReturnDocument.statRows(extra.rows, t.columns)
            t.checks = extra.checks
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
    public static func merge(_ given: [(file: String, doc: ReturnDocument)], unit: String?) -> (ReturnDocument?, [MergeProblem]) {
        var problems: [MergeProblem] = []
        let inputs = qualifyingSharedRows(given)
        guard let first = inputs.first?.doc else { return (nil, [MergeProblem(message: Message(zh: "没有要汇总的报表", en: "no returns to merge"))]) }
        // A return that cannot be right is refused, not added: another format, a negative count,
        // a unit without a name or with control characters.
        for (file, d) in inputs {
            if d.format != "taizhang-return/1" {
                problems.append(MergeProblem(message: Message(zh: "\(file) 的格式是「\(d.format)」，merge 只汇总 taizhang-return/1", en: "\(file) is in format '\(d.format)'; merge adds up taizhang-return/1 only")))
            }
            let allRows = d.rows + d.byUnit.flatMap(\.rows) + (d.otherTables ?? []).flatMap { $0.rows + $0.byUnit.flatMap(\.rows) }
            let negative = allRows.contains { $0.counts.values.contains { ($0 ?? 0) < 0 } }
            // Shares belong to share columns only: a figure under any other column was not made by the tool.
            let shareKeys = Set(d.columns.filter { $0.derived?.share != nil }.map(\.key) + (d.otherTables ?? []).flatMap { $0.columns.filter { $0.derived?.share != nil }.map(\.key) })
            if allRows.contains(where: { ($0.ratios ?? [:]).keys.contains { !shareKeys.contains($0) } }) {
                problems.append(MergeProblem(message: Message(zh: "\(file) 中有不属于占比栏的占比数字，报表已损坏或被改动", en: "\(file) holds share figures under columns that are no shares: the return is damaged or was edited")))
            }
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
            if d.form != first.form || d.formVersion != first.formVersion {
                func name(_ d: ReturnDocument) -> String { d.form.map { "「\($0)」第 \(d.formVersion ?? "?") 版" } ?? "（未注明表式）" }
                problems.append(MergeProblem(message: Message(zh: "\(file) 是\(name(d))，\(inputs[0].file) 是\(name(first))：不同表式或版本的报表不能相加",
                                                              en: "\(file) is of form \(d.form ?? "-") version \(d.formVersion ?? "-"), \(inputs[0].file) of \(first.form ?? "-") version \(first.formVersion ?? "-"): returns of different forms or versions cannot be added up")))
            } else if d.columns.map(\.key) != first.columns.map(\.key) || (first.openRows != true && d.rows.map(\.key) != first.rows.map(\.key)) {
                problems.append(MergeProblem(message: Message(zh: "\(file) 的表式（栏目或类别）与 \(inputs[0].file) 不同", en: "\(file) has another layout (columns or rows) than \(inputs[0].file)")))
            }
        }
        var seen: [String: String] = [:]
        for (file, d) in inputs {
            for u in Set(d.qualifiedUnits) {
                if let other = seen[u] {
                    problems.append(MergeProblem(message: Message(zh: "「\(u)」同时出现在 \(other) 和 \(file) 中，会被重复统计", en: "'\(u)' is in both \(other) and \(file): it would be counted twice")))
                } else {
                    seen[u] = file
                }
            }
        }
        // Fingerprints must be made with one key, and must add up to the figures they come with.
        let keys = Set(inputs.compactMap(\.doc.personKey))
        if keys.count > 1 {
            problems.append(MergeProblem(message: Message(zh: "这些报表用不同的密钥生成人员指纹（\(inputs.map { "\($0.file)：\($0.doc.personKey ?? "无")" }.joined(separator: "，"))），无法判断谁是同一个人；请上下级使用同一个密钥重新生成",
                                                          en: "the returns' person fingerprints were made with different keys (\(inputs.map { "\($0.file): \($0.doc.personKey ?? "none")" }.joined(separator: ", "))); make them again with one key")))
        }
        for (file, d) in inputs where d.persons != nil && d.personKey == nil {
            problems.append(MergeProblem(message: Message(zh: "\(file) 有人员指纹却没有 person_key（报表被改动过？），无法确认与其他报表用的是同一个密钥", en: "\(file) has person fingerprints but no person_key (edited?): the key cannot be matched")))
        }
        for (file, d) in inputs {
            if let bad = d.recountProblem() {
                problems.append(MergeProblem(message: Message(zh: "\(file) 的人员指纹与表中数字对不上（\(bad)），报表已损坏或被改动", en: "\(file): the person fingerprints do not add up to its figures (\(bad)); the return is damaged or was edited")))
            }
        }
        // A head count or a count of visits is far below a trillion: a figure beyond it is not a
        // return's (and its derived sums would not fit in a number).
        func implausible(_ v: Int) -> Bool { v > 1_000_000_000_000 || v < -1_000_000_000_000 }
        for (file, d) in inputs {
            let tables = [d.rows] + (d.otherTables ?? []).map(\.rows) + [d.changes?.rows ?? []]
            if let bad = tables.joined().lazy.flatMap({ $0.counts.values.compactMap { $0 } }).first(where: implausible) {
                problems.append(MergeProblem(message: Message(zh: "\(file) 中有数字 \(bad)，不是报表中可能有的人数或次数：报表已损坏或被改动", en: "\(file) holds the figure \(bad), which no return can have: the return is damaged or was edited")))
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
        merged.unitsCovered = inputs.flatMap(\.doc.qualifiedUnits)
        // Rows from the data (one per community …): every unit's rows, each once, the total first.
        var layout = first
        if first.openRows == true { layout.rows = unionRows(inputs.map(\.doc.rows)) }
        merged.rows = layout.rows.map { row in
            var r = row
            for key in first.columns.map(\.key) {
                let values = inputs.compactMap { $0.doc.rows.first { $0.key == row.key }?.counts[key] ?? nil }
                r.counts[key] = values.isEmpty ? .some(nil) : .some(sum(values))
            }
            return r
        }
        merged.rows = derive(merged.rows, first.columns)
        // A derived sum past what a return can hold (its parts each passed): refused like any sum.
        if merged.rows.contains(where: { $0.counts.values.contains { v in v.map(implausible) ?? false } }) { overflow = true }
        // The form's other tables add up the same way.
        if let extras = first.otherTables {
            merged.otherTables = extras.map { extra in
                var t = extra
                let base = extra.openRows == true ? unionRows(inputs.compactMap { $0.doc.otherTables?.first { $0.key == extra.key }?.rows }) : extra.rows
                t.rows = base.map { row in
                    var r = row
                    for key in extra.columns.map(\.key) {
                        let values = inputs.compactMap { $0.doc.otherTables?.first { $0.key == extra.key }?.rows.first { $0.key == row.key }?.counts[key] ?? nil }
                        r.counts[key] = values.isEmpty ? .some(nil) : .some(sum(values))
                    }
                    return r
                }
                t.rows = derive(t.rows, extra.columns)
                t.checks = extra.checks.map { c in StatTable.Check(rule: c.rule, ok: inputs.allSatisfy { $0.doc.otherTables?.first { $0.key == extra.key }?.checks.first { $0.rule == c.rule }?.ok ?? true }) }
                t.byUnit = inputs.compactMap { i in i.doc.otherTables?.first { $0.key == extra.key }.map { Part(unit: i.doc.unit, rows: $0.rows, checks: $0.checks) } }
                return t
            }
        }
        // Sums keep the logic relations (they are linear): the merged return passes when every part did.
        merged.checks = first.checks.map { c in
            StatTable.Check(rule: c.rule, ok: inputs.allSatisfy { $0.doc.checks.first { $0.rule == c.rule }?.ok ?? true })
        }
        merged.byUnit = inputs.map { Part(unit: $0.doc.unit, rows: $0.doc.rows, checks: $0.doc.checks) }
        // Each unit's account of what it left out stays on the higher unit's form.
        let unitNotes = inputs.flatMap { i in (i.doc.notes ?? []).map { "\(i.doc.unit)：\($0)" } }
        merged.notes = unitNotes.isEmpty ? nil : unitNotes
        merged.run = Dictionary(grouping: inputs.flatMap(\.doc.run), by: \.key).mapValues { sum($0.map(\.value)) }
        // Joiners and leavers add up too, when every part was compared with its previous ledger.
        let parts = inputs.compactMap(\.doc.changes)
        if parts.count == inputs.count, let base = parts.first {
            merged.changes = Part(unit: merged.unit, rows: base.rows.map { row in
                var r = row
                for key in row.counts.keys { r.counts[key] = .some(sum(parts.compactMap { $0.rows.first { $0.key == row.key }?.counts[key] ?? nil })) }
                return r
            }, checks: base.checks.map { c in StatTable.Check(rule: c.rule, ok: parts.allSatisfy { $0.checks.allSatisfy(\.ok) }) })
            // Each lower unit's own changes are carried up: per community when it gave them, else the unit's.
            merged.changesByUnit = inputs.flatMap { i in i.doc.changesByUnit ?? i.doc.changes.map { [Part(unit: i.doc.unit, rows: $0.rows, checks: $0.checks)] } ?? [] }
        } else {
            merged.changes = nil
            merged.changesByUnit = nil
        }
        if overflow {
            return (nil, [MergeProblem(message: Message(zh: "汇总后的数字超出可表示的范围（报表中的数字不可信，可能已损坏）", en: "a sum is too large to hold (the returns' figures cannot be right; they may be damaged)"))])
        }
        // With fingerprints from every part: each person once, whichever units listed them.
        if inputs.allSatisfy({ $0.doc.persons != nil }) {
            // A person's rows are positions in the unit's own table: brought to the merged table's rows.
            let position = Dictionary(layout.rows.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
            let (people, overlaps) = onceEach(inputs.flatMap { i in i.doc.persons!.map { p in
                var p = p
                p.unit = i.doc.qualified(p.unit)
                p.rows = p.rows.compactMap { i.doc.rows.indices.contains($0) ? position[i.doc.rows[$0].key] : nil }
                return p
            } })
            merged.persons = people
            merged.personKey = keys.first
            merged.overlaps = overlaps
            merged.rows = derive(recount(people, like: layout), first.columns)
            if !overlaps.isEmpty, merged.otherTables != nil {
                merged.notes = (merged.notes ?? []) + ["本表式的其他表由各单位数字相加：在两个单位都登记的 \(overlaps.count) 人在那些表中计了两次（只有主表按人员指纹每人只计一次）。"]
            }
            if merged.run["people"] != nil { merged.run["people"] = people.count }
            merged.checks = first.checks.map { c in
                StatTable.Check(rule: c.rule, ok: inputs.allSatisfy { $0.doc.checks.first { $0.rule == c.rule }?.ok ?? true })
            }
        } else {
            merged.persons = nil
            merged.personKey = nil
            merged.overlaps = nil
        }
        return (merged, [])
    }

    /// Rows from the data that two units' returns both have are two units' own (two streets'
    /// 新华社区): such a row is named with its return's unit (和平里街道/新华社区), so it is not added
    /// to the other's.
    static func qualifyingSharedRows(_ inputs: [(file: String, doc: ReturnDocument)]) -> [(file: String, doc: ReturnDocument)] {
        func qualify(_ rowsOf: [[Row]]) -> Set<String> {
            var seen: [String: Int] = [:]
            for rows in rowsOf { for k in Set(rows.map(\.key)) where k != "total" { seen[k, default: 0] += 1 } }
            return Set(seen.filter { $0.value > 1 }.keys)
        }
        func renamed(_ rows: [Row], _ shared: Set<String>, _ unit: String) -> [Row] {
            rows.map { r in
                guard shared.contains(r.key) else { return r }
                var r = r
                r.key = "\(unit)/\(r.key)"
                r.category = "\(unit)/\(r.category)"
                return r
            }
        }
        var out = inputs
        if inputs.first?.doc.openRows == true {
            let shared = qualify(inputs.map(\.doc.rows))
            if !shared.isEmpty { for i in out.indices { out[i].doc.rows = renamed(out[i].doc.rows, shared, out[i].doc.unit) } }
        }
        for (t, table) in (inputs.first?.doc.otherTables ?? []).enumerated() where table.openRows == true {
            let shared = qualify(inputs.compactMap { $0.doc.otherTables?.first { $0.key == table.key }?.rows })
            guard !shared.isEmpty else { continue }
            for i in out.indices {
                guard let k = out[i].doc.otherTables?.firstIndex(where: { $0.key == table.key }) else { continue }
                out[i].doc.otherTables![k].rows = renamed(out[i].doc.otherTables![k].rows, shared, out[i].doc.unit)
            }
            _ = t
        }
        return out
    }

    /// Every unit's rows, each once, the total first (rows made from the data differ by unit); cells
    /// start at 0 ("—" stays "—").
    static func unionRows(_ all: [[Row]]) -> [Row] {
        var keys: [String] = [], seen: Set<String> = [], first: [String: Row] = [:]
        for rows in all { for r in rows where seen.insert(r.key).inserted { keys.append(r.key); first[r.key] = r } }
        keys.sort { ($0 == "total" ? 0 : 1) < ($1 == "total" ? 0 : 1) }
        return keys.map { k in
            var r = first[k]!
            for c in r.counts.keys where r.counts[c] != nil && r.counts[c]! != nil { r.counts[c] = .some(0) }
            return r
        }
    }

    /// The lower units a return covers, named so two streets' 新华社区 stay two: a return of one unit
    /// names it; a return of several (a street's) names each as 街道/社区.
    var qualifiedUnits: [String] {
        unitsCovered.isEmpty ? [unit] : unitsCovered.map(qualified)
    }

    func qualified(_ u: String) -> String {
        unitsCovered == [unit] || u == unit || u.hasPrefix(unit + "/") ? u : unit + "/" + u
    }

    /// Which inputs carry no fingerprints (their overlaps with the others cannot be checked).
    public static func unkeyed(_ inputs: [(file: String, doc: ReturnDocument)]) -> [String] {
        inputs.filter { $0.doc.persons == nil }.map(\.file)
    }

    /// The people of several units, each once: records with the same ID fingerprint are one person;
    /// so are records with the same name-birth-sex fingerprint when one of them has no ID. A person
    /// in two units counts in the rows of both (categories add up) and the columns of the first.
    static func onceEach(_ all: [StatTable.Counted]) -> ([StatTable.Counted], [Overlap]) {
        var out: [StatTable.Counted] = []
        var overlaps: [Overlap] = []
        var byID: [String: Int] = [:], byPerson: [String: Int] = [:], personHasID: [String: Bool] = [:]
        for p in all {
            var match: (Int, String)?
            // Within one unit the return has already told people apart (two 王芳 without an ID are two):
            // only records of different units are joined.
            if let id = p.id, let k = byID[id], out[k].unit != p.unit { match = (k, "id") }
            else if let k = byPerson[p.person], out[k].unit != p.unit, p.id == nil || personHasID[p.person] == false { match = (k, "person") }
            if let (k, how) = match {
                if out[k].unit != p.unit { overlaps.append(Overlap(units: [out[k].unit, p.unit], at: [out[k].at, p.at], by: how)) }
                out[k].rows = Array(Set(out[k].rows).union(p.rows)).sorted()
                if out[k].id == nil, let id = p.id { out[k].id = id; byID[id] = k; personHasID[p.person] = true }
                continue
            }
            let k = out.count
            out.append(p)
            if let id = p.id { byID[id] = k }
            if byPerson[p.person] == nil { byPerson[p.person] = k; personHasID[p.person] = p.id != nil }
        }
        return (out, overlaps)
    }

    /// The main table's rows counted again from the people (structurally empty cells stay empty).
    static func recount(_ people: [StatTable.Counted], like doc: ReturnDocument) -> [Row] {
        let keys = doc.columns.sorted { $0.number < $1.number }.map(\.key)
        var grid = [[Int]](repeating: [Int](repeating: 0, count: keys.count), count: doc.rows.count)
        for p in people {
            for r in p.rows where r < grid.count {
                for c in p.columns where c < keys.count { grid[r][c] += 1 }
            }
        }
        return doc.rows.enumerated().map { i, row in
            var r = row
            for (c, key) in keys.enumerated() where row.counts[key] != nil && row.counts[key]! != nil { r.counts[key] = .some(grid[i][c]) }
            return r
        }
    }

    /// Whether the fingerprinted people give the table's own figures; the first cell that differs if not.
    func recountProblem() -> String? {
        guard let persons else { return nil }
        if persons.contains(where: { $0.rows.contains { $0 < 0 || $0 >= rows.count } || $0.columns.contains { $0 < 0 || $0 >= columns.count } }) {
            return "行或栏的编号超出表的范围"
        }
        let again = Self.derive(Self.recount(persons, like: self), columns)
        for (a, b) in zip(rows, again) where a != b {
            let key = a.counts.keys.sorted().first { a.counts[$0] != b.counts[$0] } ?? ""
            return "「\(a.category)」\(key)：表中 \((a.counts[key] ?? nil).map(String.init) ?? "—")，按指纹 \((b.counts[key] ?? nil).map(String.init) ?? "—")"
        }
        return nil
    }
}
