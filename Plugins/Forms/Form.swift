import Foundation
import TaizhangCore

/// A statistical form as data (a form file, YAML): one or more tables of rows × columns, each cell
/// counting the persons whose record meets the row's and the column's conditions, or derived from
/// other cells (sums, shares); cells empty by definition ("—"); logic checks between columns and
/// rows; the form's marks, title, footnote and signature footer; and, optionally, the cells of a
/// higher unit's own .xlsx template the figures go into. Read and checked here (file:line:column,
/// did-you-mean), counted by ``FormTally``, drawn by the writers from the ``StatTable``s it makes.
/// The format, key by key, with a worked example: docs/FORMS.md.
public struct Form: Sendable {
    public var id: String
    public var version: String
    public var title: String
    /// Top-right marks (表号, 制表机关 …), label and value, in the form's order.
    public var marks: [(label: String, value: String)]
    public var measure: String
    public var stub: String
    public var footnote: String
    /// Signature line labels (单位负责人 …); the values come from the step's options.
    public var footer: [String]
    /// The field the per-unit tables go by, when the form names one.
    public var by: String?
    public var tables: [Table]
    public var template: Template?
    /// Where the form came from (a file path, or the shipped form's name).
    public var source: String
    /// Where each field the form reads is first named in it (for a field the ledger lacks).
    public var fieldPositions: [String: Position] = [:]
    /// Every value the form names for a field (conditions, listed rows), and where: a pack checks
    /// them against the field's standard values, so a misspelt value is an error, not a silent 0.
    public var valuesNamed: [(field: String, value: String, position: Position)] = []

    public struct Table: Sendable {
        public var key: String
        public var sheet: String
        public var title: String?
        /// Who the table counts at all (nil: every person).
        public var condition: Condition?
        public var rows: Rows
        public var columns: [Column]
        /// Cells empty by definition: (row key, column key).
        public var empty: [(row: String, column: String)]
        public var checks: [Check]
    }

    /// The rows: a first row counting every person once (`total`), then one row per value of a field
    /// (`each`; a person under every value held when the field holds several), or listed rows with
    /// conditions.
    public struct Rows: Sendable {
        public var total: String?
        public var each: String?
        public var values: [String]?
        /// Row keys from a pattern: `c{n}` → c1, c2 … (default: the value itself).
        public var keyPattern: String?

        /// The key of the n-th (0-based) row of `each`: from the pattern (`c{n}` → c1), else the value.
        public func key(_ n: Int, _ value: String) -> String {
            keyPattern.map { $0.replacingOccurrences(of: "{n}", with: String(n + 1)).replacingOccurrences(of: "{value}", with: value) } ?? value
        }
        public var listed: [(key: String, label: String, condition: Condition)]
    }

    public struct Column: Sendable {
        public var key: String
        public var heading: [String]
        public var kind: Kind

        public enum Kind: Sendable {
            /// Persons meeting the condition (nil: every person of the row).
            case count(Condition?)
            /// The sum of other columns (indices).
            case sum([Int])
            /// `of` over `over` (another column of the row, or a fixed cell), × `per`, rounded half
            /// away from zero to `decimals` places; "—" when the denominator is 0.
            case share(of: Int, overRow: String?, overColumn: Int, per: Double, decimals: Int)
            /// The sum of a count the step keeps per person (`total: 本期走访次数`) over the persons
            /// of the row: what the persons did (visits), not how many they are.
            case total(field: String)
        }
    }

    /// A condition on a person's values; a form's `where:`.
    public indirect enum Condition: Sendable {
        /// The field's value is (or, negated, is not) one of these; an empty value is none of them.
        case oneOf(field: String, values: [String], negated: Bool)
        case empty(field: String, Bool)
        /// Age in whole years at the end of the period, from a date field, within [min, max].
        case age(field: String, min: Int?, max: Int?)
        /// No usable date (empty, not a date, or after the period's end).
        case ageUnknown(field: String)
        /// A field that holds several values (统战对象类别) holds one of these.
        case holds(field: String, values: [String])
        /// A count the step keeps per person (本年走访次数) is at least this.
        case atLeast(field: String, Int)
        case all([Condition])
        case any([Condition])

        public var fields: [String] {
            switch self {
            case .oneOf(let f, _, _), .empty(let f, _), .age(let f, _, _), .ageUnknown(let f), .holds(let f, _), .atLeast(let f, _): return [f]
            case .all(let cs), .any(let cs): return cs.flatMap(\.fields)
            }
        }
    }

    /// A logic check (审核公式) as the form states it (`rule`), made of relations between column
    /// numbers in each row (`1=4+5+6+7+8`, `1≥2`) and/or the total row against the others in a
    /// column (`total_between`: the largest row ≤ total ≤ the sum of the rows).
    public struct Check: Sendable {
        public var rule: String
        public var eachRow: [Relation]
        /// Relations between rows (by key or label), in every counted column: `total≥c1`, `a=b+c`.
        public var eachColumn: [RowRelation] = []
        public var totalBetween: (column: Int, name: String)?
    }

    public struct RowRelation: Sendable {
        public var text: String
        public var left: [String]
        public var op: String
        public var right: [String]
    }

    public struct Relation: Sendable {
        public var text: String
        public var left: [Int]
        public var op: String
        public var right: [Int]
    }

    /// A higher unit's own workbook the figures are written into.
    public struct Template: Sendable {
        /// `C7` → `C7`; `表2!c7` → `表2!C7`; `'表 2'!C7` → `表 2!C7`; nil when it is no cell address.
        public static func cell(_ text: String) -> String? {
            guard let bang = text.lastIndex(of: "!") else { return CellAddress(text).map(\.a1) }
            var sheet = String(text[..<bang])
            if sheet.hasPrefix("'") && sheet.hasSuffix("'") && sheet.count >= 2 { sheet = String(sheet.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") }
            guard !sheet.isEmpty, let a = CellAddress(String(text[text.index(after: bang)...])) else { return nil }
            return "\(sheet)!\(a.a1)"
        }

        public var file: String
        public var sheet: String?
        /// Cell (A1) → what goes there.
        public var cells: [(cell: String, value: Ref, position: Position)]
    }

    /// A figure (table, row, column) or one of the form's texts (unit, period …).
    public enum Ref: Sendable, Equatable {
        case figure(table: String, row: String, column: String)
        case text(String)
    }
}

// MARK: - Reading a form file

extension Form {
    static let topKeys = ["form", "version", "title", "marks", "measure", "stub", "footnote", "footer", "by", "tables", "template"]
    static let tableKeys = ["key", "sheet", "title", "where", "rows", "columns", "empty", "checks"]
    static let rowKeys = ["total", "each", "values", "key", "listed"]
    static let columnKeys = ["key", "heading", "where", "sum", "share", "total"]
    static let shareKeys = ["of", "over", "per", "decimals"]
    static let matcherKeys = ["in", "not", "empty", "age", "holds", "at_least"]
    static let checkKeys = ["rule", "each_row", "each_column", "total_between"]
    static let templateKeys = ["file", "sheet", "cells", "blocks"]
    static let blockKeys = ["at", "sheet", "table", "rows", "columns"]
    /// Texts a template cell can take besides figures.
    public static let textRefs = ["unit", "period", "period_label", "title", "report_date"]

    /// Reads a form file; every problem is said with its file:line:column, all at once.
    public static func load(_ node: ConfigNode, source: String, baseDirectory: String) throws(Diagnostics) -> Form {
        var d = DiagnosticCollector()
        func unknownKeys(_ n: ConfigNode, _ allowed: [String], _ what: String) {
            for p in n.pairs ?? [] where !allowed.contains(p.key) {
                d.error(p.keyPosition, Message(zh: "\(what)中未知的键「\(p.key)」", en: "unknown key '\(p.key)' in \(what)"),
                        suggestion: Suggest.didYouMean(p.key, allowed))
            }
        }
        func text(_ n: ConfigNode?, _ what: String) -> String? {
            guard let n else { return nil }
            guard let s = n.scalar else {
                d.error(n.position, Message(zh: "「\(what)」应为文字", en: "'\(what)' should be text"))
                return nil
            }
            return s
        }
        func texts(_ n: ConfigNode?, _ what: String) -> [String]? {
            guard let n else { return nil }
            if let s = n.scalar { return [s] }
            guard let items = n.items else {
                d.error(n.position, Message(zh: "「\(what)」应为文字或文字列表", en: "'\(what)' should be text or a list of texts"))
                return nil
            }
            return items.compactMap { text($0, what) }
        }
        guard node.pairs != nil else {
            throw Diagnostics([Diagnostic(.error, at: node.position, Message(zh: "表式文件应为键值映射（form:、title:、tables: …）", en: "a form file should be a mapping (form:, title:, tables: …)"))])
        }
        unknownKeys(node, topKeys, "表式")
        let id = text(node["form"], "form") ?? ""
        if node["form"] == nil { d.error(node.position, Message(zh: "表式缺少「form:」（表式的名称，如 统战工作对象情况统计表）", en: "the form lacks 'form:' (its name)")) }
        var form = Form(id: id, version: text(node["version"], "version") ?? "1", title: text(node["title"], "title") ?? id, marks: [],
                        measure: text(node["measure"], "measure") ?? "单位：人", stub: text(node["stub"], "stub") ?? "项目",
                        footnote: text(node["footnote"], "footnote") ?? "", footer: texts(node["footer"], "footer") ?? [],
                        by: text(node["by"], "by"), tables: [], template: nil, source: source)
        if let b = form.by { form.fieldPositions[b] = node["by"]?.position }
        if let m = node["marks"] {
            if let pairs = m.pairs { form.marks = pairs.map { ($0.key, $0.value.scalar ?? "") } }
            else if let items = m.items { form.marks = items.compactMap { $0.scalar }.map { ($0, "") } }
            else { d.error(m.position, Message(zh: "「marks」应为「表号: 值」的映射", en: "'marks' should map labels to values")) }
        }
        guard let tables = node["tables"]?.items, !tables.isEmpty else {
            d.error(node["tables"]?.position ?? node.position, Message(zh: "表式缺少「tables:」（至少一张表）", en: "the form lacks 'tables:' (one table at least)"))
            throw Diagnostics(d.items)
        }
        for (k, t) in tables.enumerated() {
            guard t.pairs != nil else { d.error(t.position, Message(zh: "每张表应为映射（key:、rows:、columns: …）", en: "each table should be a mapping")); continue }
            unknownKeys(t, tableKeys, "表")
            let key = text(t["key"], "key") ?? (k == 0 ? "main" : "table\(k + 1)")
            if form.tables.contains(where: { $0.key == key }) { d.error(t["key"]?.position ?? t.position, Message(zh: "表的 key「\(key)」重复", en: "table key '\(key)' is used twice")) }
            // Columns first: checks and shares refer to them.
            var columns: [Column] = []
            let colNodes = t["columns"]?.items ?? []
            if colNodes.count > 1000 { d.error(t["columns"]!.position, Message(zh: "一张表最多 1000 栏（这里有 \(colNodes.count) 栏）", en: "a table has at most 1000 columns (here \(colNodes.count))")) }
            if colNodes.isEmpty { d.error(t["columns"]?.position ?? t.position, Message(zh: "表缺少「columns:」（宾栏）", en: "the table lacks 'columns:'")) }
            func columnIndex(_ n: ConfigNode) -> Int? {
                guard let s = n.scalar else { d.error(n.position, Message(zh: "应为栏的 key 或栏号", en: "should be a column key or number")); return nil }
                if let i = Int(s), i >= 1, i <= colNodes.count { return i - 1 }
                let keys = colNodes.enumerated().map { i, c in c["key"]?.scalar ?? "col\(i + 1)" }
                if let i = keys.firstIndex(of: s) { return i }
                d.error(n.position, Message(zh: "没有栏「\(s)」", en: "no column '\(s)'"), suggestion: Suggest.didYouMean(s, keys))
                return nil
            }
            for (i, c) in colNodes.enumerated() {
                unknownKeys(c, columnKeys, "栏")
                let ckey = text(c["key"], "key") ?? "col\(i + 1)"
                if columns.contains(where: { $0.key == ckey }) { d.error(c["key"]?.position ?? c.position, Message(zh: "栏的 key「\(ckey)」重复", en: "column key '\(ckey)' is used twice")) }
                let heading = texts(c["heading"], "heading") ?? [ckey]
                var kind = Column.Kind.count(nil)
                let given = ["where", "sum", "share", "total"].filter { c[$0] != nil }
                if given.count > 1 { d.error(c.position, Message(zh: "一栏只能有 where、sum、share、total 之一（这里有 \(given.joined(separator: "、"))）", en: "a column has one of where, sum, share, total (here: \(given.joined(separator: ", ")))")) }
                if let w = c["where"] { kind = .count(condition(w, &d, &form.fieldPositions, &form.valuesNamed)) }
                if let t = c["total"] {
                    if let f = text(t, "total") {
                        kind = .total(field: f)
                        if form.fieldPositions[f] == nil { form.fieldPositions[f] = t.position }
                    }
                }
                // A derived column is worked out in the columns' order: it may use counted columns and
                // earlier sums, never itself, a later derived column or a share (a share is no count).
                func derived(_ k: Int) -> Bool { colNodes[k]["sum"] != nil || colNodes[k]["share"] != nil }
                func usable(_ n: ConfigNode, _ k: Int?) -> Int? {
                    guard let k else { return nil }
                    if k == i || (k > i && derived(k)) || colNodes[k]["share"] != nil {
                        d.error(n.position, Message(zh: "第 \(i + 1) 栏不能用第 \(k + 1) 栏：只能用计数的栏和它前面的合计栏（不能用自己、后面的计算栏或占比栏）",
                                                    en: "column \(i + 1) cannot use column \(k + 1): only counted columns and earlier sums (not itself, a later derived column or a share)"))
                        return nil
                    }
                    return k
                }
                if let s = c["sum"] {
                    kind = .sum((s.items ?? [s]).compactMap { usable($0, columnIndex($0)) })
                }
                if let s = c["share"] {
                    unknownKeys(s, shareKeys, "share")
                    let of = s["of"].flatMap { usable($0, columnIndex($0)) }
                    var overRow: String?, overColumn: Int?
                    if let o = s["over"] {
                        if o.pairs != nil {
                            unknownKeys(o, ["row", "column"], "over")
                            overRow = text(o["row"], "row")
                            overColumn = o["column"].flatMap { usable($0, columnIndex($0)) }
                            if o["column"] == nil || o["row"] == nil { d.error(o.position, Message(zh: "over 写成 {row: 行, column: 栏}，两者都要写", en: "over needs both row: and column:")) }
                        } else { overColumn = usable(o, columnIndex(o)) }
                    }
                    if s["of"] == nil || s["over"] == nil { d.error(s.position, Message(zh: "share 需要 of:（分子栏）和 over:（分母栏，或 {row:, column:}）", en: "share needs of: and over:")) }
                    if let p = s["per"], Double(p.scalar ?? "") == nil { d.error(p.position, Message(zh: "per 应为数字（通常是 100）", en: "per should be a number (usually 100)")) }
                    if let k = s["decimals"], Int(k.scalar ?? "") == nil { d.error(k.position, Message(zh: "decimals 应为整数（保留几位小数）", en: "decimals should be a whole number")) }
                    let per = Double(s["per"]?.scalar ?? "100") ?? 100
                    if !per.isFinite || per <= 0 || per > 1_000_000 { d.error(s["per"]?.position ?? s.position, Message(zh: "per 应为 1 到 1000000 之间的数（通常是 100）", en: "per should be a number from 1 to 1000000 (usually 100)")) }
                    let decimals = Int(s["decimals"]?.scalar ?? "1") ?? 1
                    if !(0...6).contains(decimals) { d.error(s["decimals"]?.position ?? s.position, Message(zh: "decimals 应在 0 到 6 之间", en: "decimals should be 0 to 6")) }
                    kind = .share(of: of ?? 0, overRow: overRow, overColumn: overColumn ?? 0, per: per, decimals: decimals)
                }
                columns.append(Column(key: ckey, heading: heading, kind: kind))
            }
            // Rows.
            var rows = Rows(total: nil, each: nil, values: nil, keyPattern: nil, listed: [])
            if let r = t["rows"] {
                unknownKeys(r, rowKeys, "主栏（rows）")
                rows.total = text(r["total"], "total")
                rows.each = text(r["each"], "each")
                if let e = rows.each, form.fieldPositions[e] == nil { form.fieldPositions[e] = r["each"]?.position }
                rows.values = texts(r["values"], "values")
                if let e = rows.each { for x in r["values"].map({ $0.items ?? [$0] }) ?? [] { if let v = x.scalar { form.valuesNamed.append((e, v, x.position)) } } }
                rows.keyPattern = text(r["key"], "key")
                for item in r["listed"]?.items ?? [] {
                    unknownKeys(item, ["key", "label", "where"], "列出的行")
                    let label = text(item["label"], "label") ?? ""
                    let key = text(item["key"], "key") ?? label
                    guard let w = item["where"] else { d.error(item.position, Message(zh: "列出的行需要 where:", en: "a listed row needs where:")); continue }
                    if let c = condition(w, &d, &form.fieldPositions, &form.valuesNamed) { rows.listed.append((key, label, c)) }
                }
                if rows.each != nil && !rows.listed.isEmpty { d.error(r.position, Message(zh: "rows 中 each 与 listed 只能用一个", en: "rows has each or listed, not both")) }
                if rows.total == nil && rows.each == nil && rows.listed.isEmpty { d.error(r.position, Message(zh: "rows 需要 total、each 或 listed", en: "rows needs total, each or listed")) }
            } else {
                d.error(t.position, Message(zh: "表缺少「rows:」（主栏）", en: "the table lacks 'rows:'"))
            }
            var empty: [(String, String)] = []
            for e in t["empty"]?.items ?? [] {
                unknownKeys(e, ["row", "columns"], "empty")
                guard let row = text(e["row"], "row") else { d.error(e.position, Message(zh: "empty 的每项需要 row: 和 columns:", en: "each empty item needs row: and columns:")); continue }
                for c in e["columns"]?.items ?? (e["columns"].map { [$0] } ?? []) {
                    if let i = columnIndex(c) { empty.append((row, columns.indices.contains(i) ? columns[i].key : "")) }
                }
            }
            var checks: [Check] = []
            for c in t["checks"]?.items ?? [] {
                unknownKeys(c, checkKeys, "审核（checks）")
                var check = Check(rule: text(c["rule"], "rule") ?? "", eachRow: [], totalBetween: nil)
                for r in c["each_row"]?.items ?? [] {
                    guard let s = r.scalar else { continue }
                    if let rel = relation(s, columns: colNodes.count) { check.eachRow.append(rel) } else {
                        d.error(r.position, Message(zh: "审核关系「\(s)」看不懂：写成 1=4+5+6 或 1≥2（栏号，≥ ≤ = > <）", en: "relation '\(s)' not understood: write 1=4+5+6 or 1>=2 (column numbers)"))
                    }
                }
                for r in c["each_column"]?.items ?? [] {
                    guard let s = r.scalar, let rel = rowRelation(s) else {
                        d.error(r.position, Message(zh: "行间审核关系「\(r.scalar ?? "")」看不懂：写成 total≥c1 或 合计=甲+乙（行的 key 或名称，≥ ≤ = > <）", en: "row relation '\(r.scalar ?? "")' not understood: write total>=c1 or a=b+c (row keys or labels)"))
                        continue
                    }
                    check.eachColumn.append(rel)
                }
                if let tb = c["total_between"] {
                    unknownKeys(tb, ["column", "name"], "total_between")
                    if tb["column"] == nil { d.error(tb.position, Message(zh: "total_between 需要 column:（哪一栏）", en: "total_between needs column:")) }
                    let col = tb["column"].flatMap(columnIndex) ?? 0
                    check.totalBetween = (col, tb["name"]?.scalar ?? "")
                }
                if check.rule.isEmpty { check.rule = (check.eachRow.map(\.text) + check.eachColumn.map(\.text)).joined(separator: "，") }
                checks.append(check)
            }
            form.tables.append(Table(key: key, sheet: text(t["sheet"], "sheet") ?? (k == 0 ? "统计表" : key), title: text(t["title"], "title"),
                                     condition: t["where"].flatMap { condition($0, &d, &form.fieldPositions, &form.valuesNamed) }, rows: rows, columns: columns, empty: empty, checks: checks))
        }
        if let tn = node["template"] {
            unknownKeys(tn, templateKeys, "模板（template）")
            let file = text(tn["file"], "file") ?? ""
            if file.isEmpty { d.error(tn.position, Message(zh: "template 需要 file:（上级下发的 .xlsx 模板）", en: "template needs file: (the .xlsx template)")) }
            var t = Template(file: file.isEmpty ? "" : Options.resolve(file, against: baseDirectory), sheet: text(tn["sheet"], "sheet"), cells: [])
            for p in tn["cells"]?.pairs ?? [] {
                // `表2!C7` (or `'表 2'!C7`) names a cell on another sheet than the template's `sheet`.
                guard let cell = Template.cell(p.key) else {
                    d.error(p.keyPosition, Message(zh: "「\(p.key)」不是单元格地址（如 C7）", en: "'\(p.key)' is not a cell address (like C7)"))
                    continue
                }
                if let ref = reference(p.value, form: form, &d) { t.cells.append((cell, ref, p.value.position)) }
            }
            for b in tn["blocks"]?.items ?? [] {
                unknownKeys(b, blockKeys, "区块（blocks）")
                guard let at = b["at"]?.scalar.flatMap(CellAddress.init) else {
                    d.error(b["at"]?.position ?? b.position, Message(zh: "区块需要 at:（左上角单元格，如 C7）", en: "a block needs at: (its top-left cell)"))
                    continue
                }
                let table = b["table"]?.scalar ?? form.tables.first?.key ?? "main"
                let rowKeys = texts(b["rows"], "rows") ?? []
                let colKeys = texts(b["columns"], "columns") ?? []
                if rowKeys.isEmpty || colKeys.isEmpty { d.error(b.position, Message(zh: "区块需要 rows: 和 columns:（行和栏的 key）", en: "a block needs rows: and columns:")) }
                for (i, r) in rowKeys.enumerated() {
                    for (j, c) in colKeys.enumerated() {
                        guard at.row + i < 1_048_576, at.column + j < 16_384 else {
                            d.error(b.position, Message(zh: "区块超出了工作表的范围（最多 1048576 行、XFD 列）", en: "the block runs past the sheet's last row or column"))
                            break
                        }
                        let a1 = CellAddress(row: at.row + i, column: at.column + j).a1
                        t.cells.append(((b["sheet"]?.scalar).map { "\($0)!\(a1)" } ?? a1, .figure(table: table, row: r, column: c), b.position))
                    }
                }
            }
            let cells = t.cells.map(\.cell)
            for c in Set(cells) where cells.filter({ $0 == c }).count > 1 {
                d.error(tn.position, Message(zh: "模板单元格 \(c) 被指定了两次", en: "template cell \(c) is given twice"))
            }
            form.template = t
        }
        // Figures named by the template exist (rows of `each` are known only when counting: checked then).
        if let t = form.template {
            var said: Set<String> = []
            for c in t.cells {
                guard case .figure(let table, _, let column) = c.value, said.insert("\(c.position)\(table)/\(column)").inserted else { continue }
                guard let tb = form.tables.first(where: { $0.key == table }) else {
                    d.error(c.position, Message(zh: "模板 \(c.cell)：没有表「\(table)」", en: "template \(c.cell): no table '\(table)'"), suggestion: Suggest.didYouMean(table, form.tables.map(\.key)))
                    continue
                }
                if !tb.columns.contains(where: { $0.key == column }) && !(Int(column).map { $0 >= 1 && $0 <= tb.columns.count } ?? false) {
                    d.error(c.position, Message(zh: "模板 \(c.cell)：表「\(table)」没有栏「\(column)」", en: "template \(c.cell): table '\(table)' has no column '\(column)'"),
                            suggestion: Suggest.didYouMean(column, tb.columns.map(\.key)))
                }
            }
        }
        try d.throwIfErrors()
        return form
    }

    /// `C7: main/total/female` (or `total/female` for the first table) or a text: unit, period …
    static func reference(_ n: ConfigNode, form: Form, _ d: inout DiagnosticCollector) -> Ref? {
        guard let s = n.scalar else { d.error(n.position, Message(zh: "应为 表/行/栏 或 unit、period 等", en: "should be table/row/column or unit, period …")); return nil }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            if textRefs.contains(s) { return .text(s) }
            d.error(n.position, Message(zh: "「\(s)」不是报表中的数字（写成 行/栏 或 表/行/栏）或文字（\(textRefs.joined(separator: "、"))）", en: "'\(s)' is neither a figure (row/column or table/row/column) nor a text (\(textRefs.joined(separator: ", ")))"),
                    suggestion: Suggest.didYouMean(s, textRefs))
            return nil
        case 2: return .figure(table: form.tables.first?.key ?? "main", row: parts[0], column: parts[1])
        case 3: return .figure(table: parts[0], row: parts[1], column: parts[2])
        default:
            d.error(n.position, Message(zh: "「\(s)」：写成 行/栏 或 表/行/栏", en: "'\(s)': write row/column or table/row/column"))
            return nil
        }
    }

    /// A `where:` mapping: field → matcher, all of them; `any:` / `all:` lists of such mappings.
    static func condition(_ n: ConfigNode, _ d: inout DiagnosticCollector, _ fp: inout [String: Position], _ named: inout [(field: String, value: String, position: Position)]) -> Condition? {
        guard let pairs = n.pairs else {
            d.error(n.position, Message(zh: "where 应为「字段: 值」的映射", en: "where should map fields to values"))
            return nil
        }
        var all: [Condition] = []
        for p in pairs {
            if p.key == "any" || p.key == "all" {
                let parts = (p.value.items ?? []).compactMap { condition($0, &d, &fp, &named) }
                if p.value.items == nil { d.error(p.value.position, Message(zh: "\(p.key) 应为条件的列表", en: "\(p.key) should be a list of conditions")) }
                all.append(p.key == "any" ? .any(parts) : .all(parts))
                continue
            }
            let field = p.key
            if fp[field] == nil { fp[field] = p.keyPosition }
            let v = p.value
            func list(_ n: ConfigNode) -> [String] {
                let nodes = n.items ?? [n]
                for x in nodes { if let s = x.scalar { named.append((field, s, x.position)) } }
                return nodes.compactMap(\.scalar)
            }
            if v.scalar != nil || v.items != nil { all.append(.oneOf(field: field, values: list(v), negated: false)); continue }
            for m in v.pairs ?? [] {
                switch m.key {
                case "in": all.append(.oneOf(field: field, values: list(m.value), negated: false))
                case "not": all.append(.oneOf(field: field, values: list(m.value), negated: true))
                case "holds": all.append(.holds(field: field, values: list(m.value)))
                case "at_least":
                    guard let n = m.value.scalar.flatMap({ Int($0) }), n >= 0 else {
                        d.error(m.value.position, Message(zh: "at_least 应为不小于 0 的整数", en: "at_least should be a whole number, 0 or more")); continue
                    }
                    all.append(.atLeast(field: field, n))
                case "empty":
                    let b = m.value.scalar?.lowercased()
                    guard b == "true" || b == "false" else { d.error(m.value.position, Message(zh: "empty 应为 true 或 false", en: "empty should be true or false")); continue }
                    all.append(.empty(field: field, b == "true"))
                case "age":
                    if m.value.scalar == "unknown" { all.append(.ageUnknown(field: field)); continue }
                    let lo = m.value["min"]?.scalar.flatMap { Int($0) }, hi = m.value["max"]?.scalar.flatMap { Int($0) }
                    for k in ["min", "max"] where m.value[k] != nil && m.value[k]!.scalar.flatMap({ Int($0) }) == nil {
                        d.error(m.value[k]!.position, Message(zh: "age 的 \(k) 应为整岁数", en: "age \(k) should be whole years"))
                    }
                    for q in m.value.pairs ?? [] where q.key != "min" && q.key != "max" {
                        d.error(q.keyPosition, Message(zh: "age 中未知的键「\(q.key)」（min、max 或 age: unknown）", en: "unknown key '\(q.key)' in age (min, max, or age: unknown)"))
                    }
                    if lo == nil && hi == nil { d.error(m.value.position, Message(zh: "age 需要 min:、max: 之一（整岁，含端点），或写 age: unknown", en: "age needs min: or max: (whole years, inclusive), or age: unknown")) }
                    if let lo, let hi, lo > hi { d.error(m.value.position, Message(zh: "age 的 min（\(lo)）大于 max（\(hi)）：这一栏不会计入任何人", en: "age min (\(lo)) is above max (\(hi)): the column would count nobody")) }
                    all.append(.age(field: field, min: lo, max: hi))
                default:
                    d.error(m.keyPosition, Message(zh: "条件中未知的键「\(m.key)」", en: "unknown key '\(m.key)' in a condition"), suggestion: Suggest.didYouMean(m.key, matcherKeys))
                }
            }
            if v.pairs == nil && v.scalar == nil && v.items == nil { d.error(v.position, Message(zh: "「\(field)」的条件为空", en: "empty condition for '\(field)'")) }
        }
        return all.count == 1 ? all[0] : .all(all)
    }

    /// `1=4+5+6`, `1≥2`, `1>=14+15+16`: column numbers on both sides.
    static func relation(_ s: String, columns: Int) -> Relation? {
        let t = s.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: ">=", with: "≥").replacingOccurrences(of: "<=", with: "≤")
        for op in ["≥", "≤", "=", ">", "<"] {
            let sides = t.components(separatedBy: op)
            guard sides.count == 2 else { continue }
            func numbers(_ side: String) -> [Int]? {
                let ns = side.split(separator: "+").map { Int($0) }
                guard !ns.isEmpty, ns.allSatisfy({ $0 != nil && $0! >= 1 && $0! <= columns }) else { return nil }
                return ns.map { $0! - 1 }
            }
            guard let l = numbers(sides[0]), let r = numbers(sides[1]) else { return nil }
            return Relation(text: t, left: l, op: op, right: r)
        }
        return nil
    }

    /// `total≥c1`, `合计=甲+乙`: row keys or labels on both sides.
    static func rowRelation(_ s: String) -> RowRelation? {
        let t = s.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: ">=", with: "≥").replacingOccurrences(of: "<=", with: "≤")
        for op in ["≥", "≤", "=", ">", "<"] {
            let sides = t.components(separatedBy: op)
            guard sides.count == 2 else { continue }
            let l = sides[0].split(separator: "+").map(String.init), r = sides[1].split(separator: "+").map(String.init)
            guard !l.isEmpty, !r.isEmpty else { return nil }
            return RowRelation(text: t, left: l, op: op, right: r)
        }
        return nil
    }

    /// The fields the form reads, each once, in the order met.
    public var fields: [String] {
        var out: [String] = []
        func add(_ f: String) { if !out.contains(f) { out.append(f) } }
        for t in tables {
            t.condition?.fields.forEach(add)
            if let e = t.rows.each { add(e) }
            t.rows.listed.flatMap(\.condition.fields).forEach(add)
            for c in t.columns {
                if case .count(let cond?) = c.kind { cond.fields.forEach(add) }
                if case .total(let f) = c.kind { add(f) }
            }
        }
        if let by { add(by) }
        return out
    }
}

/// A cell address, A1 style.
public struct CellAddress: Sendable, Hashable {
    public var row: Int      // 0-based
    public var column: Int   // 0-based

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public init?(_ s: String) {
        let u = s.uppercased()
        var col = 0, row = 0, letters = 0, digits = 0
        for ch in u.unicodeScalars {
            if ch.value >= 65 && ch.value <= 90 && digits == 0 { col = col * 26 + Int(ch.value - 64); letters += 1 }
            else if ch.value >= 48 && ch.value <= 57 && letters > 0 { row = row * 10 + Int(ch.value - 48); digits += 1 }
            else { return nil }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, digits > 0, row >= 1, col <= 16384, row <= 1_048_576 else { return nil }
        self.row = row - 1
        self.column = col - 1
    }

    public var a1: String { Origin.columnLetter(column) + String(row + 1) }
}

// MARK: - The form as text

extension Form {
    /// The form as a statistician checks it against the paper one: marks, each table's columns
    /// numbered with their headings and what they count, its rows, "—" cells, logic checks, and
    /// the template's cells.
    public var text: String {
        var out = ["\(title)（表式「\(id)」第 \(version) 版；\(source)）"]
        if !marks.isEmpty { out.append("表头：" + marks.map { "\($0.label)：\($0.value.isEmpty ? "（由流水线填写）" : $0.value)" }.joined(separator: "；")) }
        out.append(measure + (by.map { "；分表：按「\($0)」每个值一张表" } ?? ""))
        for t in tables {
            out.append("")
            out.append("表「\(t.key)」（工作表「\(t.sheet)」）" + (t.title.map { "：\($0)" } ?? ""))
            if let c = t.condition { out.append("  只统计：\(Self.describe(c))") }
            out.append("  宾栏：")
            for (i, c) in t.columns.enumerated() {
                let what: String
                switch c.kind {
                case .count(let cond): what = cond.map { "人数，其中 " + Self.describe($0) } ?? "人数"
                case .sum(let parts): what = "合计 " + parts.map { String($0 + 1) }.joined(separator: "+")
                case .share(let of, let row, let over, let per, let d):
                    what = "占比 = \(of + 1) ÷ \(row.map { "「\($0)」行的 " } ?? "")\(over + 1) × \(per == 100 ? "100" : String(per))，四舍五入保留 \(d) 位小数；分母为 0 时填「—」"
                case .total(let f): what = "各人「\(f)」之和"
                }
                out.append("    \(i + 1). \(c.heading.joined(separator: " / "))［\(c.key)］：\(what)")
            }
            out.append("  主栏：")
            if let total = t.rows.total { out.append("    \(total)［total］：每人只计一次") }
            if let each = t.rows.each {
                let values = t.rows.values.map { $0.joined(separator: "、") } ?? "台账中出现的各个值（按代码表的顺序或出现的顺序）"
                out.append("    「\(each)」的每个值一行（可填多个值的字段如统战对象类别、政治安排，一人在所填的各行分别统计）：\(values)" + (t.rows.keyPattern.map { "；行 key：\($0)" } ?? ""))
            }
            for l in t.rows.listed { out.append("    \(l.label)［\(l.key)］：\(Self.describe(l.condition))") }
            if !t.empty.isEmpty { out.append("  按定义为空（填「—」）：" + t.empty.map { "\($0.row) × \($0.column)" }.joined(separator: "；")) }
            for c in t.checks {
                out.append("  审核：\(c.rule)" + (c.totalBetween.map { "（第 \($0.column + 1) 栏：\($0.name)最大值 ≤ 合计 ≤ \($0.name)之和）" } ?? ""))
            }
        }
        if !footnote.isEmpty { out.append(""); out.append("注：\(footnote)") }
        if !footer.isEmpty { out.append("表尾：" + footer.joined(separator: "　")) }
        if let t = template {
            out.append("")
            out.append("模板：\(t.file)" + (t.sheet.map { "（工作表「\($0)」）" } ?? "") + "，\(t.cells.count) 个单元格：")
            for c in t.cells.prefix(40) {
                switch c.value {
                case .figure(let table, let row, let column): out.append("    \(c.cell) ← \(table)/\(row)/\(column)")
                case .text(let s): out.append("    \(c.cell) ← \(s)")
                }
            }
            if t.cells.count > 40 { out.append("    ……") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func describe(_ c: Condition) -> String {
        switch c {
        case .oneOf(let f, let v, let negated):
            return negated ? "「\(f)」不是 \(v.joined(separator: "、"))（空着的也算）" : "「\(f)」为 \(v.joined(separator: "、"))"
        case .empty(let f, let yes): return "「\(f)」\(yes ? "空着" : "已填")"
        case .age(let f, let lo, let hi):
            let range = lo != nil && hi != nil ? "\(lo!)至\(hi!)岁" : lo != nil ? "\(lo!)岁及以上" : "\(hi!)岁及以下"
            return "报告期末年龄 \(range)（按「\(f)」）"
        case .ageUnknown(let f): return "年龄不详（「\(f)」没有可用的日期，或晚于报告期末）"
        case .holds(let f, let v): return "「\(f)」含 \(v.joined(separator: "、"))"
        case .atLeast(let f, let n): return "「\(f)」不少于 \(n)"
        case .all(let cs):
            // {not: 汉族, empty: false} reads as one thing: 「民族」已填且不是 汉族.
            if cs.count == 2, case .oneOf(let f, let v, true) = cs[0], case .empty(let g, false) = cs[1], f == g {
                return "「\(f)」已填且不是 \(v.joined(separator: "、"))"
            }
            return cs.map(describe).joined(separator: "，且 ")
        case .any(let cs): return "（" + cs.map(describe).joined(separator: "，或 ") + "）"
        }
    }
}
