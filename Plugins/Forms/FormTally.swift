import Foundation
import TaizhangCore

/// Counts persons into any number of forms in one pass. The step that knows who is who (one
/// person per ID, a record's fields) adds each person once — a few small numbers per field the
/// forms read, not the record — and fills in what a later record of the same person adds; at the
/// end every form's cells come from one walk over the persons: each person's rows × columns,
/// in the total and in the person's unit.
public final class FormTally {
    /// How a field's value is kept: a text (one value), several values (统战对象类别: a person
    /// counts under each), a date (for ages), or a count the step keeps per person (本年走访次数:
    /// for `at_least` and `total` columns).
    public enum Kind: Sendable { case text, several, date, number }

    /// A person's value of one field, as the step reads it.
    public enum Value {
        case text(String?)
        case several([String])
        /// (year, month, day); nil when the record has no usable date.
        case date((Int, Int, Int)?)
        case number(Int)
    }

    public let forms: [Form]
    /// The fields the forms read, and how each is kept.
    public let fields: [String]
    public let kinds: [Kind]
    private let stride: Int
    /// Per person, per field: 0 empty; a text's number (1…); a bit set of values; a date as yyyymmdd.
    /// Grown in place (`GrowingArray`): a million persons' slots, doubled by copying, made the peak.
    private let slots = GrowingArray<UInt32>()
    private let groups = GrowingArray<Int32>()
    private var ids: [[String: UInt32]]
    private var names: [[String]]
    /// Values past the 31 a field of several values can hold (said once).
    public private(set) var overflow: [String] = []

    /// A value a form names, as the data holds it (the pack's standard value for the word).
    private let canonical: (String, String) -> String

    public init(forms: [Form], kind: (String) -> Kind, canonical: @escaping (_ field: String, _ value: String) -> String = { $1 }) {
        self.forms = forms
        self.canonical = canonical
        var fs: [String] = []
        for f in forms { for name in f.fields where !fs.contains(name) { fs.append(name) } }
        fields = fs
        let ks = fs.map(kind)
        kinds = ks
        stride = max(fs.count, 1)
        ids = Array(repeating: [:], count: fs.count)
        names = Array(repeating: [], count: fs.count)
        // A field of several values keeps (in its 32 bits) only the values the forms name, when they
        // name them all: other values set one bit, "something else", so a district's many spellings
        // of 政治安排 cannot crowd out the nine the form counts.
        var wanted: [String: Set<String>] = [:], open: Set<String> = []
        func visit(_ c: Form.Condition) {
            switch c {
            case .oneOf(let f, let v, _), .holds(let f, let v): wanted[f, default: []].formUnion(v.map { canonical(f, $0) })
            case .all(let cs), .any(let cs): cs.forEach(visit)
            default: break
            }
        }
        for form in forms {
            for t in form.tables {
                t.condition.map(visit)
                t.rows.listed.forEach { visit($0.condition) }
                for c in t.columns { if case .count(let cond?) = c.kind { visit(cond) } }
                if let e = t.rows.each {
                    if let values = t.rows.values { wanted[e, default: []].formUnion(values.map { canonical(e, $0) }) } else { open.insert(e) }
                }
            }
        }
        named = fs.indices.map { ks[$0] == .several && !open.contains(fs[$0]) ? wanted[fs[$0]] ?? [] : nil }
    }

    /// Per field of several values: the values the forms name (nil: every value, rows come from the data).
    private let named: [Set<String>?]
    /// The bit of "a value no form names".
    private static let otherBit: UInt32 = 1 << 31

    /// How a value is kept in a person's slot for field `f` (a caller may remember it for the same
    /// cell text, and pass slots to `add` and `fill`).
    public func slot(_ f: Int, _ v: Value) -> UInt32 {
        switch v {
        case .text(let s):
            guard let s, !s.isEmpty else { return 0 }
            return intern(f, s)
        case .several(let values):
            var mask: UInt32 = 0
            for s in values where !s.isEmpty {
                if let only = named[f], !only.contains(s) { mask |= Self.otherBit; continue }
                let n = intern(f, s)
                if n <= 31 { mask |= 1 << (n - 1) } else if !overflow.contains(s) { overflow.append(s) }
            }
            return mask
        case .date(let d):
            guard let (y, m, dd) = d, y > 0, y < 10000 else { return 0 }
            return UInt32(y * 10000 + m * 100 + dd)
        case .number(let n):
            return UInt32(clamping: n)
        }
    }

    private func intern(_ f: Int, _ s: String) -> UInt32 {
        if let n = ids[f][s] { return n }
        names[f].append(s)
        let n = UInt32(names[f].count)
        ids[f][s] = n
        return n
    }

    /// Adds a person in unit `group` from the slots of each field (``slot(_:_:)``); returns the
    /// person's number.
    @discardableResult
    public func add(group: Int32, _ slotOf: (Int) -> UInt32) -> Int {
        if fields.isEmpty { slots.append(0) } else {
            // The person's slots made apart and added at once (`slotOf` may give a value its slot).
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: fields.count) { row in
                for f in row.indices { row[f] = slotOf(f) }
                slots.append(contentsOf: UnsafeBufferPointer(row))
            }
        }
        groups.append(group)
        return groups.count - 1
    }

    /// A later record of the same person: several values add up; what the first left empty is
    /// taken from this one.
    public func fill(_ person: Int, _ slotOf: (Int) -> UInt32) {
        for f in 0..<fields.count {
            let i = person * stride + f
            switch kinds[f] {
            case .several: slots[i] |= slotOf(f)
            case .number: slots[i] = slots[i] &+ slotOf(f)
            case .text, .date: if slots[i] == 0 { slots[i] = slotOf(f) }
            }
        }
    }

    public func group(of person: Int) -> Int32 { groups[person] }

    /// The unit of a person counted into another (``merge(_:into:)``): none, not counted.
    static let mergedAway = Int32.min

    /// Person `other` is found to be `person` after both were added: `other`'s values go to
    /// `person` as a later record's do (``fill(_:_:)``), and `other` is no longer counted.
    public func merge(_ other: Int, into person: Int) {
        fill(person) { slots[other * stride + $0] }
        groups[other] = Self.mergedAway
    }

    // MARK: - Counting

    /// The forms' conditions compiled once against the values met: a flat program of small nodes
    /// (no closures, no reference counting in the walk over a million persons). A condition that
    /// several forms state alike is one node, worked out once per person.
    struct Node {
        enum Kind: UInt8 { case lookup, maskAny, maskNone, empty, age, ageUnknown, atLeast, all, any, always }
        var kind: Kind
        var field: Int32 = 0
        var a: Int32 = 0
        var b: Int32 = 0
        var mask: UInt32 = 0
    }

    final class Program {
        var nodes: [Node] = []
        var children: [Int32] = []
        var lookups: [Bool] = []
        var byText: [String: Int32] = [:]
        let endValue: UInt32, endYear: Int32, endMonthDay: Int32

        init(end: (Int, Int, Int)) {
            endValue = UInt32(end.0 * 10000 + end.1 * 100 + end.2)
            endYear = Int32(end.0)
            endMonthDay = Int32(end.1 * 100 + end.2)
        }

        /// The program's buffers held for a walk.
        func withCode<R>(_ body: (Code) -> R) -> R {
            nodes.withUnsafeBufferPointer { nodes in
                children.withUnsafeBufferPointer { children in
                    lookups.withUnsafeBufferPointer { lookups in
                        body(Code(nodes: nodes, children: children, lookups: lookups, endValue: endValue, endYear: endYear, endMonthDay: endMonthDay))
                    }
                }
            }
        }

        func add(_ n: Node, key: String) -> Int32 {
            if let known = byText[key] { return known }
            nodes.append(n)
            byText[key] = Int32(nodes.count - 1)
            return Int32(nodes.count - 1)
        }
    }

    private func compile(_ c: Form.Condition, _ prog: Program) -> Int32 {
        func index(_ f: String) -> Int32 { Int32(fields.firstIndex(of: f)!) }
        switch c {
        case .oneOf(let f, let named, let negated):
            let i = index(f)
            let values = named.map { canonical(f, $0) }
            let key = "oneOf\u{1}\(f)\u{1}\(values.sorted())\u{1}\(negated)"
            if kinds[Int(i)] == .several {
                return prog.add(Node(kind: negated ? .maskNone : .maskAny, field: i, mask: mask(Int(i), values)), key: key)
            }
            if let known = prog.byText[key] { return known }
            let wanted = Set(values)
            let offset = Int32(prog.lookups.count)
            prog.lookups.append(negated)                       // the empty value
            prog.lookups += names[Int(i)].map { wanted.contains($0) != negated }
            return prog.add(Node(kind: .lookup, field: i, a: offset, b: Int32(names[Int(i)].count)), key: key)
        case .holds(let f, let named):
            let i = index(f)
            if kinds[Int(i)] != .several { return compile(.oneOf(field: f, values: named, negated: false), prog) }
            let values = named.map { canonical(f, $0) }
            return prog.add(Node(kind: .maskAny, field: i, mask: mask(Int(i), values)), key: "holds\u{1}\(f)\u{1}\(values.sorted())")
        case .empty(let f, let yes):
            return prog.add(Node(kind: .empty, field: index(f), a: yes ? 1 : 0), key: "empty\u{1}\(f)\u{1}\(yes)")
        case .age(let f, let lo, let hi):
            return prog.add(Node(kind: .age, field: index(f), a: Int32(clamping: lo ?? Int(Int32.min)), b: Int32(clamping: hi ?? Int(Int32.max))), key: "age\u{1}\(f)\u{1}\(String(describing: lo))\u{1}\(String(describing: hi))")
        case .ageUnknown(let f):
            return prog.add(Node(kind: .ageUnknown, field: index(f)), key: "ageUnknown\u{1}\(f)")
        case .atLeast(let f, let n):
            return prog.add(Node(kind: .atLeast, field: index(f), a: Int32(clamping: n)), key: "atLeast\u{1}\(f)\u{1}\(n)")
        case .all(let cs), .any(let cs):
            let parts = cs.map { compile($0, prog) }
            let isAll: Bool
            if case .all = c { isAll = true } else { isAll = false }
            let key = "\(isAll ? "all" : "any")\u{1}\(parts)"
            if let known = prog.byText[key] { return known }
            let first = Int32(prog.children.count)
            prog.children += parts
            return prog.add(Node(kind: isAll ? .all : .any, a: first, b: Int32(parts.count)), key: key)
        }
    }

    /// The program's buffers, held for a walk.
    struct Code {
        let nodes: UnsafeBufferPointer<Node>
        let children: UnsafeBufferPointer<Int32>
        let lookups: UnsafeBufferPointer<Bool>
        let endValue: UInt32, endYear: Int32, endMonthDay: Int32

        func eval(_ n: Int32, _ p: UnsafeBufferPointer<UInt32>) -> Bool {
            let node = nodes[Int(n)]
            let v = node.kind == .always || node.kind == .all || node.kind == .any ? 0 : p[Int(node.field)]
            switch node.kind {
            case .always: return true
            case .lookup: return v <= UInt32(node.b) && lookups[Int(node.a) + Int(v)]
            case .maskAny: return v & node.mask != 0
            case .maskNone: return v & node.mask == 0
            case .empty: return (v == 0) == (node.a == 1)
            case .age:
                guard v != 0, v <= endValue else { return false }
                let age = endYear - Int32(v / 10000) - (endMonthDay < Int32(v % 10000) ? 1 : 0)
                return age >= node.a && age <= node.b
            case .ageUnknown: return v == 0 || v > endValue
            case .atLeast: return v >= UInt32(node.a)
            case .all:
                for k in Int(node.a)..<Int(node.a + node.b) where !eval(children[k], p) { return false }
                return true
            case .any:
                for k in Int(node.a)..<Int(node.a + node.b) where eval(children[k], p) { return true }
                return false
            }
        }
    }

    private func mask(_ field: Int, _ values: [String]) -> UInt32 {
        var m: UInt32 = 0
        for v in values { if let n = ids[field][v], n <= 31 { m |= 1 << (n - 1) } }
        return m
    }

    /// A table's rows as the data makes them: keys, labels and how a person falls in them, and the
    /// nodes of its counted columns.
    struct RowPlan {
        var keys: [String] = []
        var labels: [String] = []
        var total = false
        /// For `each`: the field, and per row the value's number (text) or bit (several).
        var eachField: Int?
        var eachCodes: [UInt32] = []
        var listed: [Int32] = []
        /// Who the table counts at all (-1: everyone).
        var universe: Int32 = -1
        /// Counted columns: (column, node; -1 for every person of the row; the field whose value a
        /// `total` column adds, -1 for a count of persons).
        var columns: [(column: Int, node: Int32, amount: Int)] = []
    }

    private func plan(_ t: Form.Table, known: (String) -> [String]?, _ prog: Program) -> RowPlan {
        var p = RowPlan()
        p.universe = t.condition.map { compile($0, prog) } ?? -1
        if let total = t.rows.total {
            p.total = true
            p.keys.append("total")
            p.labels.append(total)
        }
        if let each = t.rows.each, let f = fields.firstIndex(of: each) {
            p.eachField = f
            let values = t.rows.values ?? known(each) ?? names[f]
            for (n, v) in values.enumerated() {
                p.keys.append(t.rows.key(n, v))
                p.labels.append(v)
                p.eachCodes.append(ids[f][canonical(each, v)] ?? 0)
            }
        }
        for l in t.rows.listed {
            p.keys.append(l.key)
            p.labels.append(l.label)
            p.listed.append(compile(l.condition, prog))
        }
        for (i, c) in t.columns.enumerated() {
            if case .count(let cond) = c.kind { p.columns.append((i, cond.map { compile($0, prog) } ?? -1, -1)) }
            if case .total(let f) = c.kind, let k = fields.firstIndex(of: f) { p.columns.append((i, -1, k)) }
        }
        return p
    }

    /// Every form's counts, from one walk over the persons: per form, per table, the grid of the
    /// total and of each unit.
    public func count(end: (Int, Int, Int), known: (String) -> [String]?, units: Int) -> [FormCounts] {
        let prog = Program(end: end)
        var plans: [RowPlan] = []
        var at: [(form: Int, table: Int)] = []
        for (fi, form) in forms.enumerated() {
            for (ti, t) in form.tables.enumerated() { plans.append(plan(t, known: known, prog)); at.append((fi, ti)) }
        }
        let widths = at.map { forms[$0.form].tables[$0.table].columns.count }
        // One flat grid per table: [unit + 1][row][column]; unit index 0 is the total.
        var grids = plans.indices.map { [Int](repeating: 0, count: (units + 1) * plans[$0].keys.count * widths[$0]) }
        var rows: [Int] = [], cols: [(column: Int, add: Int)] = []
        // Per condition, its answer for the person it was last worked out for. Buffers, not arrays:
        // arrays captured by the nested `test` are checked for exclusive access on every use.
        let memo = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: prog.nodes.count)
        let stamp = UnsafeMutableBufferPointer<Int>.allocate(capacity: prog.nodes.count)
        memo.initialize(repeating: 0)
        stamp.initialize(repeating: -1)
        defer { memo.deallocate(); stamp.deallocate() }
        prog.withCode { code in
                    slots.withUnsafeBufferPointer { all in
                        for person in 0..<groups.count {
                            let p = UnsafeBufferPointer(rebasing: all[(person * stride)..<(person * stride + stride)])
                            if groups[person] == Self.mergedAway { continue }
                            let g = Int(groups[person]) + 1
                            // A condition several tables share is worked out once for this person.
                            func test(_ n: Int32) -> Bool {
                                if n < 0 { return true }
                                let k = Int(n)
                                if stamp[k] == person { return memo[k] == 1 }
                                let r = code.eval(n, p)
                                stamp[k] = person
                                memo[k] = r ? 1 : 0
                                return r
                            }
                            for ti in plans.indices {
                                personCells(plans[ti], p, test, &rows, &cols)
                                if rows.isEmpty || cols.isEmpty { continue }
                                let n = widths[ti], size = plans[ti].keys.count * n
                                grids[ti].withUnsafeMutableBufferPointer { grid in
                                    for r in rows {
                                        for (c, add) in cols {
                                            grid[r * n + c] += add
                                            if g >= 1 && g <= units { grid[g * size + r * n + c] += add }
                                        }
                                    }
                                }
                            }
                        }
                    }
        }
        return forms.indices.map { fi in
            let mine = at.indices.filter { at[$0].form == fi }
            return FormCounts(form: forms[fi], tables: mine.map { k in
                let size = plans[k].keys.count * widths[k]
                return (plans[k].keys, plans[k].labels, (0...units).map { Array(grids[k][($0 * size)..<(($0 + 1) * size)]) })
            }, knownRows: forms[fi].tables.map { t in t.rows.each.map { known($0) != nil } ?? true })
        }
    }

    private func personCells(_ plan: RowPlan, _ p: UnsafeBufferPointer<UInt32>, _ test: (Int32) -> Bool, _ rows: inout [Int], _ cols: inout [(column: Int, add: Int)]) {
        rows.removeAll(keepingCapacity: true)
        cols.removeAll(keepingCapacity: true)
        if !test(plan.universe) { return }
        if plan.total { rows.append(0) }
        let base = plan.total ? 1 : 0
        if let f = plan.eachField {
            let v = p[f]
            if kinds[f] == .several {
                for (k, code) in plan.eachCodes.enumerated() where code > 0 && code <= 31 && v & (1 << (code - 1)) != 0 { rows.append(base + k) }
            } else {
                for (k, code) in plan.eachCodes.enumerated() where code > 0 && code == v { rows.append(base + k) }
            }
        }
        let listedBase = base + plan.eachCodes.count
        for (k, node) in plan.listed.enumerated() where test(node) { rows.append(listedBase + k) }
        for (c, node, amount) in plan.columns where test(node) {
            let add = amount < 0 ? 1 : Int(p[amount])
            if add > 0 { cols.append((c, add)) }
        }
    }

    /// The rows and columns one person is counted in, in a form's first table (for the fingerprints
    /// a higher unit counts each person once with).
    public func cells(of person: Int, form: Int, end: (Int, Int, Int), known: (String) -> [String]?) -> (rows: [Int], columns: [Int]) {
        if compiledCells == nil || compiledCells!.form != form {
            let prog = Program(end: end)
            compiledCells = (form, plan(forms[form].tables[0], known: known, prog), prog)
        }
        let (_, plan, prog) = compiledCells!
        var rows: [Int] = [], cols: [(column: Int, add: Int)] = []
        prog.withCode { code in
            slots.withUnsafeBufferPointer { all in
                let p = UnsafeBufferPointer(rebasing: all[(person * stride)..<(person * stride + stride)])
                personCells(plan, p, { $0 < 0 || code.eval($0, p) }, &rows, &cols)
            }
        }
        return (rows, cols.map(\.column))
    }

    private var compiledCells: (form: Int, plan: RowPlan, program: Program)?
}

/// One form's counts: per table, its row keys and labels and the grid of the total (index 0) and of
/// each unit (index unit + 1).
public struct FormCounts {
    public let form: Form
    let tables: [(keys: [String], labels: [String], grids: [[Int]])]
    /// Per table: whether its `each` rows came from the pack's list (false: from the data).
    var knownRows: [Bool] = []

    /// What a form's table is headed with on this run.
    public struct Heading {
        public var unit: String
        public var period: String
        public var periodLabel: String
        /// Marks by label (the form's own values unless given here).
        public var marks: [String: String]
        public var footer: [String]
        public var title: String?
        /// The date the return is reported (for a template's report_date).
        public var reportDate = ""

        public init(unit: String, period: String, periodLabel: String, marks: [String: String] = [:], footer: [String] = [], title: String? = nil) {
            self.unit = unit
            self.period = period
            self.periodLabel = periodLabel
            self.marks = marks
            self.footer = footer
            self.title = title
        }
    }

    /// The tables of the form for the total (unit nil) or one unit, with their derived cells and checks.
    public func tables(unit: Int?, sheet: (Form.Table, Int) -> String, key: (Form.Table, Int) -> String, heading: Heading, covered: [String]) -> [StatTable] {
        form.tables.enumerated().map { ti, t in
            let (keys, labels, grids) = tables[ti]
            let grid = grids[(unit ?? -1) + 1]
            let n = t.columns.count
            let empty = Set(t.empty.map { "\($0.row)\u{1}\($0.column)" })
            var rows: [StatTable.Row] = keys.indices.map { r in
                StatTable.Row(key: keys[r], label: labels[r], counts: (0..<n).map { c in
                    empty.contains("\(keys[r])\u{1}\(t.columns[c].key)") || empty.contains("\(labels[r])\u{1}\(t.columns[c].key)") ? nil : grid[r * n + c]
                })
            }
            var columns = t.columns.map { StatTable.Column(key: $0.key, path: $0.heading) }
            for (c, col) in t.columns.enumerated() {
                switch col.kind {
                case .count, .total: break
                case .sum(let parts):
                    columns[c].derived = StatTable.Derivation(sum: parts.map { t.columns[$0].key })
                case .share(let of, let overRow, let overColumn, let per, let decimals):
                    columns[c].derived = StatTable.Derivation(share: StatTable.Share(of: t.columns[of].key, overRow: overRow, over: t.columns[overColumn].key, per: per, decimals: decimals))
                }
            }
            StatTable.derive(columns: columns, rows: &rows)
            let marks = form.marks.map { [$0.label, heading.marks[$0.label] ?? $0.value] }
            var table = StatTable(key: key(t, ti), title: heading.title ?? t.title ?? form.title, sheet: sheet(t, ti), marks: marks, unit: heading.unit,
                                  period: heading.period, periodLabel: heading.periodLabel, measure: form.measure, stubHeading: form.stub,
                                  columns: columns, rows: rows, footnote: ti == 0 ? form.footnote : "", footer: heading.footer, unitsCovered: covered)
            table.form = form.id
            table.formVersion = form.version
            table.formTable = ti == 0 ? nil : t.key
            table.openRows = t.rows.each != nil && t.rows.values == nil && !keys.isEmpty && knownRows[ti] == false
            if ti == 0, unit == nil, let tp = form.template {
                table.template = StatTable.Template(file: tp.file, sheet: tp.sheet, cells: tp.cells.map { c in
                    switch c.value {
                    case .figure(let tk, let row, let column): return StatTable.Template.Cell(cell: c.cell, table: tk == form.tables[0].key ? nil : tk, row: row, column: column)
                    case .text(let s): return StatTable.Template.Cell(cell: c.cell, text: s)
                    }
                })
                table.template?.texts["report_date"] = heading.reportDate
            }
            table.checks = t.checks(of: table)
            return table
        }
    }

}

extension Form.Table {
    /// The form's logic checks on a table: each failure says the row and, for an equation, both sides.
    public func checks(of t: StatTable) -> [StatTable.Check] {
        func n(_ r: StatTable.Row, _ c: Int) -> Int { r.counts.indices.contains(c) ? (r.counts[c] ?? 0) : 0 }
        func holds(_ a: Int, _ op: String, _ b: Int) -> Bool {
            switch op {
            case "≥": return a >= b
            case "≤": return a <= b
            case ">": return a > b
            case "<": return a < b
            default: return a == b
            }
        }
        return checks.map { check in
            var failures: [String] = []
            if !check.eachRow.isEmpty {
                for r in t.rows {
                    for rel in check.eachRow {
                        let a = rel.left.reduce(0) { $0 + n(r, $1) }, b = rel.right.reduce(0) { $0 + n(r, $1) }
                        if !holds(a, rel.op, b) { failures.append("\(r.label)：\(rel.text)" + (rel.op == "=" ? "（\(a)≠\(b)）" : "")) }
                    }
                }
            }
            for rel in check.eachColumn {
                func row(_ k: String) -> StatTable.Row? { t.rows.first { $0.key == k } ?? t.rows.first { $0.label == k } }
                let missing = (rel.left + rel.right).filter { row($0) == nil }
                if !missing.isEmpty {
                    failures.append("\(rel.text)：表中没有行「\(missing.joined(separator: "、"))」")
                    continue
                }
                for (c, col) in t.columns.enumerated() where col.derived?.share == nil {
                    let a = rel.left.reduce(0) { $0 + n(row($1)!, c) }, b = rel.right.reduce(0) { $0 + n(row($1)!, c) }
                    if !holds(a, rel.op, b) { failures.append("第 \(c + 1) 栏：\(rel.text)" + (rel.op == "=" ? "（\(a)≠\(b)）" : "")) }
                }
            }
            if let (c, name) = check.totalBetween, let total = t.rows.first(where: { $0.key == "total" }) {
                let others = t.rows.filter { $0.key != "total" }.map { n($0, c) }
                let sum = others.reduce(0, +), most = others.max() ?? 0
                if !(n(total, c) <= sum && n(total, c) >= most) {
                    failures.append("\(total.label) \(n(total, c))，\(name)最大 \(most)，\(name)之和 \(sum)")
                }
            }
            return StatTable.Check(rule: check.rule, ok: failures.isEmpty, detail: failures.isEmpty ? nil : failures.joined(separator: "；"))
        }
    }
}
