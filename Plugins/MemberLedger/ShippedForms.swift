import Foundation
import TaizhangCore
import TaizhangForms

/// The forms this pack ships (`forms/*.yml`, compiled into the program) and the loading of the
/// forms a pipeline names: a shipped form by its name, or a form file by its path.
public enum ShippedForms {
    /// The quarterly return, counted when a pipeline names no form.
    public static let standard = "统战工作对象情况统计表"

    /// Shipped forms: the file's text, by the name a pipeline uses.
    public static let all: [(name: String, file: String, text: String)] = [
        ("统战工作对象情况统计表", "forms/objects.yml", String(decoding: PackageResources.objects_yml, as: UTF8.self)),
        ("统战成员结构占比表", "forms/shares.yml", String(decoding: PackageResources.shares_yml, as: UTF8.self)),
        ("代表人士政治安排情况表", "forms/arrangements.yml", String(decoding: PackageResources.arrangements_yml, as: UTF8.self)),
        (visits, "forms/visits.yml", String(decoding: PackageResources.visits_yml, as: UTF8.self)),
    ]

    /// The return of the ledger's work, counted by `step: visits` (not by the member return).
    public static let visits = "统战对象联系走访情况统计表"

    /// A shipped form by name.
    public static func form(named name: String) -> Form? {
        guard let f = all.first(where: { $0.name == name }) else { return nil }
        return try? Form.load(ConfigNode.parse(f.text, file: f.file), source: f.name, baseDirectory: ".")
    }

    /// A form file (or a shipped form) checked as a run checks it, for `taizhang forms FILE`.
    /// A form may be one of `step: visits` (reading its counts per person): checked as that step would.
    public static func check(_ path: String, schema: Schema) throws(Diagnostics) -> [Form] {
        var readable = schema
        readable.fields += VisitChecker.counts.map { Field(name: $0, type: .integer) } + [Field(name: VisitChecker.hardship, codes: ["是", "否"])]
        return try load([path], options: Options.strings([:]), schema: readable, vocab: .of(schema), numbers: Set(VisitChecker.counts))
    }

    /// The forms named by a step's `forms:` — shipped names or paths — each read, checked, and
    /// checked against the schema's fields (file:line:column, did-you-mean).
    /// `numbers`: the counts the step keeps per person (`step: visits`: 本年走访次数 …), the only
    /// fields a form may add up (`total:`) or compare (`at_least:`).
    static func load(_ names: [String], options: Options, schema: Schema, vocab: CodeTables, numbers: Set<String> = []) throws(Diagnostics) -> [Form] {
        var out: [Form] = []
        var d = DiagnosticCollector()
        let at = options.position(of: "forms")
        for name in names {
            let form: Form
            do {
                if let shipped = all.first(where: { $0.name == name }) {
                    form = try Form.load(ConfigNode.parse(shipped.text, file: shipped.file), source: shipped.name, baseDirectory: ".")
                } else {
                    let path = Options.resolve(name, against: options.baseDirectory)
                    guard let data = FileManager.default.contents(atPath: path), !FileManager.default.isDirectory(path) else {
                        d.error(at, Message(zh: "找不到表式「\(name)」：既不是内置表式，也没有这个文件", en: "no form '\(name)': neither a shipped form nor a file"),
                                suggestion: Suggest.didYouMean(name, all.map(\.name)) ?? Message(zh: "内置表式：\(all.map(\.name).joined(separator: "、"))（taizhang forms 列出）",
                                                                                               en: "shipped forms: \(all.map(\.name).joined(separator: ", ")) (taizhang forms lists them)"))
                        continue
                    }
                    guard let text = String(data: data, encoding: .utf8) else {
                        d.error(at, Message(zh: "表式文件 \(name) 不是 UTF-8 文本", en: "form file \(name) is not UTF-8 text"))
                        continue
                    }
                    form = try Form.load(ConfigNode.parse(text, file: Options.display(path)), source: Options.display(path),
                                         baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
                }
            } catch {
                d.append(error)
                continue
            }
            if out.contains(where: { $0.id == form.id }) {
                d.error(at, Message(zh: "表式「\(form.id)」列了两次", en: "form '\(form.id)' is listed twice"))
                continue
            }
            // The ledger's work is counted by step: visits, not by the member return.
            if numbers.isEmpty, !Set(form.fields).isDisjoint(with: VisitChecker.counts + [VisitChecker.hardship]) {
                d.error(form.fieldPositions[form.fields.first { VisitChecker.counts.contains($0) || $0 == VisitChecker.hardship } ?? ""] ?? at,
                        Message(zh: "表式「\(form.id)」统计走访（本年走访次数 等），由走访记录表中的 step: visits 计数，不能用在 step: member-return 中",
                                en: "form '\(form.id)' counts visits (本年走访次数 …): it belongs to step: visits in the visit-log table, not step: member-return"),
                        suggestion: Message(zh: "把它写在 step: visits 的 forms: 中（见 pipelines/visits-return.yml）", en: "name it in step: visits' forms: (see pipelines/visits-return.yml)"))
                continue
            }
            // Every field the form reads is one of the ledger's (by its standard name).
            let names = schema.fields.map(\.name)
            for f in form.fields where !names.contains(f) {
                let standard = schema.fields.first { $0.aliases.contains(f) }?.name
                d.error(form.fieldPositions[f] ?? at, Message(zh: "表式「\(form.id)」（\(form.source)）用到的字段「\(f)」不是台账的字段" + (standard.map { "（标准名称是「\($0)」）" } ?? ""),
                                    en: "form '\(form.id)' (\(form.source)) reads field '\(f)', which the ledger does not have" + (standard.map { " (its standard name is '\($0)')" } ?? "")),
                        suggestion: standard.map { Message(zh: "改为「\($0)」", en: "write '\($0)'") } ?? Suggest.didYouMean(f, names))
            }
            // Rows or tables per value of a personal field would put personal data on the form.
            for f in form.tables.compactMap(\.rows.each) + [form.by].compactMap({ $0 }) where schema.fields.first(where: { $0.name == f })?.personal == true {
                d.error(form.fieldPositions[f] ?? at, Message(zh: "表式「\(form.id)」按「\(f)」分行或分表：它是个人信息，不能出现在报表上", en: "form '\(form.id)' has a row or table per '\(f)', which is personal data and cannot be on a return"),
                        suggestion: Message(zh: "按所在社区、街道（乡镇）、类别等分行", en: "use 所在社区, 街道（乡镇）, a category … instead"))
            }
            // Every value it names is one the data can hold: a misspelt 民主党派 counts nobody, silently.
            for v in form.valuesNamed where names.contains(v.field) {
                guard let standard = vocab.standardValues(v.field), vocab.standardValue(v.field, v.value) == nil else { continue }
                d.error(v.position, Message(zh: "「\(v.field)」没有「\(v.value)」这个值：这个条件不会计入任何人", en: "'\(v.field)' has no value '\(v.value)': the condition would count nobody"),
                        suggestion: Suggest.didYouMean(v.value, standard) ?? containing(v.value, standard) ?? Message(zh: "标准值：\(standard.prefix(20).joined(separator: "、"))", en: "standard values: \(standard.prefix(20).joined(separator: ", "))"))
            }
            // Ages are read from dates only; a date is no list of values.
            func kinds(_ c: Form.Condition) {
                func isDate(_ f: String) -> Bool { schema.fields.first { $0.name == f }?.type == .date }
                switch c {
                case .age(let f, _, _), .ageUnknown(let f):
                    if names.contains(f) && !isDate(f) { d.error(form.fieldPositions[f] ?? at, Message(zh: "「\(f)」不是日期字段，不能按年龄统计", en: "'\(f)' is no date: it has no age")) }
                case .oneOf(let f, _, _), .holds(let f, _):
                    if numbers.contains(f) {
                        d.error(form.fieldPositions[f] ?? at, Message(zh: "「\(f)」是次数：写 {at_least: N}（至少 N 次），不要列出具体的值", en: "'\(f)' is a count: write {at_least: N}, not listed values"))
                    }
                    if isDate(f) { d.error(form.fieldPositions[f] ?? at, Message(zh: "「\(f)」是日期字段：请按年龄（age:）统计，不要列出具体的值", en: "'\(f)' is a date: count by age (age:), not by listed values")) }
                case .atLeast(let f, _):
                    if names.contains(f) && !numbers.contains(f) { notCounted(f, "at_least") }
                case .all(let cs), .any(let cs): cs.forEach(kinds)
                case .empty: break
                }
            }
            func notCounted(_ f: String, _ key: String) {
                let counts = numbers.sorted()
                d.error(form.fieldPositions[f] ?? at, Message(zh: "「\(f)」不是计数：\(key) 只用于统计步骤按人记下的次数" + (counts.isEmpty ? "（step: member-return 没有；step: visits 有 本年走访次数 等）" : "（\(counts.joined(separator: "、"))）"),
                                                              en: "'\(f)' is no count: \(key) is for the counts a step keeps per person" + (counts.isEmpty ? " (step: member-return has none; step: visits has 本年走访次数 …)" : " (\(counts.joined(separator: ", ")))")),
                        suggestion: counts.isEmpty ? nil : Suggest.didYouMean(f, counts))
            }
            for t in form.tables { for c in t.columns { if case .total(let f) = c.kind, names.contains(f), !numbers.contains(f) { notCounted(f, "total") } } }
            for t in form.tables {
                t.condition.map(kinds)
                t.rows.listed.forEach { kinds($0.condition) }
                for c in t.columns { if case .count(let cond?) = c.kind { kinds(cond) } }
            }
            // A share over a named row, a "—" cell, a check between rows: each row is one the table has.
            for t in form.tables {
                guard let rows = fixedRows(t, vocab: vocab) else { continue }
                for e in t.empty where !rows.contains(e.row) {
                    d.error(form.fieldPositions[t.rows.each ?? ""] ?? at, Message(zh: "表式「\(form.id)」的 empty 中没有行「\(e.row)」", en: "form '\(form.id)': empty names row '\(e.row)', which the table does not have"),
                            suggestion: Suggest.didYouMean(e.row, rows))
                }
                for check in t.checks {
                    for rel in check.eachColumn {
                        for r in rel.left + rel.right where !rows.contains(r) {
                            d.error(form.fieldPositions[t.rows.each ?? ""] ?? at, Message(zh: "表式「\(form.id)」的审核「\(rel.text)」中没有行「\(r)」", en: "form '\(form.id)': check '\(rel.text)' names row '\(r)', which the table does not have"),
                                    suggestion: Suggest.didYouMean(r, rows))
                        }
                    }
                }
                for c in t.columns {
                    if case .share(_, let overRow?, _, _, _) = c.kind, !rows.contains(overRow) {
                        d.error(form.fieldPositions[t.rows.each ?? ""] ?? at, Message(zh: "表式「\(form.id)」第「\(c.key)」栏的占比以行「\(overRow)」为分母，但表中没有这一行", en: "form '\(form.id)': column '\(c.key)' divides by row '\(overRow)', which the table does not have"),
                                suggestion: Suggest.didYouMean(overRow, rows))
                    }
                }
            }
            // The template opens, its sheets exist, no target is a formula or inside a merged range, and
            // every row a figure names is one the table has (where its rows do not come from the data).
            if let t = form.template {
                TemplateFill.check(t).forEach { d.error($0.position, $0.message) }
                var said: Set<String> = []
                for c in t.cells {
                    guard case .figure(let tk, let row, _) = c.value, let table = form.tables.first(where: { $0.key == tk }),
                          let rows = fixedRows(table, vocab: vocab), !rows.contains(row), said.insert("\(c.position)\(row)").inserted else { continue }
                    d.error(c.position, Message(zh: "模板 \(c.cell)：表「\(tk)」没有行「\(row)」", en: "template \(c.cell): table '\(tk)' has no row '\(row)'"),
                            suggestion: Suggest.didYouMean(row, rows) ?? Message(zh: "行：\(rows.prefix(30).joined(separator: "、"))", en: "rows: \(rows.prefix(30).joined(separator: ", "))"))
                }
            }
            out.append(form)
        }
        try d.throwIfErrors()
        return out
    }
}

/// 民主同盟 → 中国民主同盟盟员: the one standard value that holds the word.
private func containing(_ word: String, _ values: [String]) -> Message? {
    let hits = values.filter { $0.contains(word) }
    return hits.count == 1 ? Message(zh: "是不是「\(hits[0])」？", en: "did you mean '\(hits[0])'?") : nil
}

/// A table's row keys and labels when the form fixes them (nil when they come from the data).
private func fixedRows(_ t: Form.Table, vocab: CodeTables) -> [String]? {
    var rows: [String] = []
    if let total = t.rows.total { rows += ["total", total] }
    if let each = t.rows.each {
        guard let values = t.rows.values ?? (each == MemberLedgerSchema.F.category ? vocab.categories : nil) else { return nil }
        for (n, v) in values.enumerated() {
            rows += [v, t.rows.key(n, v)]
        }
    }
    for l in t.rows.listed { rows += [l.key, l.label] }
    return rows
}

extension FileManager {
    fileprivate func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }
}
