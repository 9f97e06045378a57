import Foundation
import TaizhangCore

/// The vocabulary of the member-ledger domain, read from `member-ledger.yml` (compiled in) and,
/// for a pipeline with `profile:`, the office's additions: the 12 official categories with the
/// informal and outdated names ledgers use, combined names, sub-groups, political status
/// (GB/T 4762), ethnic groups (GB/T 3304), sex (GB/T 2261.1), education (GB/T 4658 groups) and
/// the five recognised religions. Lookups take simplified, NFKC-folded text without spaces.
final class CodeTables: Sendable {
    /// The 12 official categories, in their official order (1–12).
    let categories: [String]
    /// Official, informal, combined and outdated names → category numbers (1-based).
    let categoryAliases: [String: [Int]]
    /// Names from the pre-2015 scheme, accepted with a note that they were merged.
    let outdatedCategoryNames: Set<String>
    /// A sub-group's names → its standard name and the category it belongs to (nil: it spans
    /// categories, and the category must be written beside it).
    let subgroups: [String: (name: String, category: Int?)]
    /// 政治面貌: code → standard name; any name → code.
    let politicalStatus: [String: String]
    let politicalAliases: [String: String]
    /// The eight democratic parties (codes 04–11).
    let democraticParties: Set<String>
    let communist: Set<String> = ["01", "02"]
    let ethnicGroups: [String]
    let ethnicAliases: [String: String]
    let sexAliases: [String: String]
    let educationAliases: [String: String]
    let religions: Set<String>
    let religionAliases: [String: String]
    /// Cells that mean "no religion": cleared, not reported.
    let noReligion: Set<String>
    /// Rules between a category and another field (`rules:`), the pack's then the profile's.
    let rules: [Rule]
    /// Other names of values of any field (`values:` — a profile's own code fields): field →
    /// name as written → standard value.
    let values: [String: [String: String]]
    /// Where each field of `values:` was named (for the mistake of a field the schema lacks).
    let valueFields: [String: Position]

    /// A person of `category` must have `field` filled (`missing` says what is wrong when it is
    /// empty) with an acceptable value (`wrong`, with its test).
    struct Rule: Sendable {
        struct Check: Sendable {
            let code: String
            let severity: Severity
            let message: Message      // "{value}" stands for the cell's value
            let suggestion: Message?
            /// Worked out once: asked for every failed check, it was a tenth of `taizhang validate`.
            let showsValue: Bool

            init(code: String, severity: Severity, message: Message, suggestion: Message?) {
                (self.code, self.severity, self.message, self.suggestion) = (code, severity, message, suggestion)
                showsValue = [message.zh, message.en, suggestion?.zh ?? "", suggestion?.en ?? ""].contains { $0.contains("{value}") }
            }
        }
        enum Test: Sendable { case oneOf(Set<String>), parties, religions, not(Set<String>) }
        var category: Int
        var field: String
        var fieldPosition: Position
        var column: Message
        var missing: Check?
        var wrong: (test: Test, check: Check)?
    }

    /// Separators ledgers put between several categories in one cell.
    static let categorySeparators: Set<Character> = ["、", ",", "，", ";", "；", "/", "／", "|", " ", "「", "」", "“", "”", "\"", "（", "）", "(", ")"]

    /// The keys of the pack (and of a profile, beside `extends` and `fields`).
    static let keys = ["categories", "combined", "subgroups", "political", "party_forms", "ethnic", "sex", "education", "religions", "no_religion", "rules", "values"]

    /// The pack as compiled in.
    static let pack: ConfigNode = {
        do { return try ConfigNode.parse(String(decoding: PackageResources.member_ledger_yml, as: UTF8.self), file: "member-ledger.yml") }
        catch { fatalError("member-ledger.yml: \((error as? Diagnostics)?.text(.en) ?? "\(error)")") }
    }()

    static let standard: CodeTables = {
        var d = DiagnosticCollector()
        let t = CodeTables(pack, profile: nil, diags: &d)
        precondition(d.items.isEmpty, "member-ledger.yml: \(Diagnostics(d.items).text(.en))")
        return t
    }()

    /// The tables a run uses: the pack's, or the pack's with the pipeline's profile added.
    static func of(_ schema: Schema) -> CodeTables {
        guard let profile = schema.profile else { return standard }
        var d = DiagnosticCollector()
        return CodeTables(pack, profile: profile, diags: &d)
    }

    /// Mistakes in a profile's vocabulary keys, with their positions (for `check` and `run`).
    static func check(_ profile: ConfigNode) -> [Diagnostic] {
        var d = DiagnosticCollector()
        _ = CodeTables(pack, profile: profile, diags: &d)
        return d.items
    }

    private init(_ pack: ConfigNode, profile: ConfigNode?, diags d: inout DiagnosticCollector) {
        let layers = [pack] + (profile.map { [$0] } ?? [])
        func strings(_ n: ConfigNode?) -> [String] { n?.items?.compactMap(\.scalar) ?? n?.scalar.map { [$0] } ?? [] }
        func mapping(_ n: ConfigNode?, _ what: String) -> [(key: String, keyPosition: Position, value: ConfigNode)] {
            guard let n else { return [] }
            guard let p = n.pairs else {
                d.error(n.position, Message(zh: "「\(what)」应是映射", en: "'\(what)' must be a mapping"))
                return []
            }
            return p
        }

        /// Keys a mapping may have (a profile's typo is said with its place, never ignored).
        func keys(_ n: ConfigNode, _ allowed: [String], in what: String) {
            guard let pairs = n.pairs else {
                d.error(n.position, Message(zh: "「\(what)」的每一项应是映射（\(allowed.joined(separator: "、"))）", en: "each item of '\(what)' must be a mapping (\(allowed.joined(separator: ", ")))"))
                return
            }
            for p in pairs where !allowed.contains(p.key) {
                d.error(p.keyPosition, Message(zh: "「\(what)」中未知的键「\(p.key)」", en: "unknown key '\(p.key)' in '\(what)'"),
                        suggestion: Suggest.didYouMean(p.key, allowed))
            }
        }
        func list(_ layer: ConfigNode, _ key: String) -> [ConfigNode] {
            guard let n = layer[key] else { return [] }
            guard let items = n.items else {
                d.error(n.position, Message(zh: "「\(key)」应是列表（每项以 - 开头）", en: "'\(key)' must be a list (items starting with -)"))
                return []
            }
            return items
        }
        /// A profile may give a standard value another name, never make one standard value another's.
        func guardStandard(_ name: String, at: Position, standard: Set<String>, target: String) {
            if standard.contains(name) && name != target {
                d.error(at, Message(zh: "「\(name)」本身是标准值，不能作为「\(target)」的别名", en: "'\(name)' is a standard value itself and cannot be another name of '\(target)'"))
            }
        }

        // Categories: the pack names the 12; a profile adds names to them.
        let names = pack["categories"]?.items?.compactMap { $0["name"]?.scalar } ?? []
        categories = names
        func number(_ name: String, at position: Position) -> Int? {
            if let i = names.firstIndex(of: name) { return i + 1 }
            d.error(position, Message(zh: "「\(name)」不是 12 类统战对象类别之一", en: "'\(name)' is not one of the 12 categories"),
                    suggestion: Suggest.didYouMean(name, names))
            return nil
        }
        var aliases: [String: [Int]] = [:]
        var outdated: Set<String> = []
        for (i, c) in names.enumerated() { aliases[c] = [i + 1] }
        for layer in layers {
            for item in list(layer, "categories") {
                keys(item, ["name", "aliases", "outdated"], in: "categories")
                guard let name = item["name"]?.scalar, let n = number(name, at: item["name"]?.position ?? item.position) else { continue }
                for key in ["aliases", "outdated"] {
                    for a in item[key]?.items ?? item[key].map({ [$0] }) ?? [] {
                        guard let v = a.scalar else { continue }
                        guardStandard(v, at: a.position, standard: Set(names), target: name)
                        aliases[v] = [n]
                        if key == "outdated" { outdated.insert(v) }
                    }
                }
            }
            for p in mapping(layer["combined"], "combined") {
                let ns = p.value.items?.compactMap { v in v.scalar.flatMap { number($0, at: v.position) } } ?? []
                if !ns.isEmpty { aliases[p.key] = ns.sorted() }
            }
        }
        var groups: [String: (String, Int?)] = [:]
        for layer in layers {
            for item in list(layer, "subgroups") {
                keys(item, ["name", "aliases", "category"], in: "subgroups")
                guard let name = item["name"]?.scalar else {
                    d.error(item.position, Message(zh: "细分类别缺少 name", en: "a sub-group needs a name"))
                    continue
                }
                let category = item["category"].flatMap { c in c.scalar.flatMap { number($0, at: c.position) } }
                for a in [name] + strings(item["aliases"]) { groups[a] = (name, category) }
            }
        }
        outdatedCategoryNames = outdated
        subgroups = groups

        // 政治面貌.
        var status: [String: String] = [:], political: [String: String] = [:], parties: Set<String> = []
        let forms = layers.flatMap { strings($0["party_forms"]) }
        for layer in layers {
            for item in list(layer, "political") {
                keys(item, ["code", "name", "aliases", "party"], in: "political")
                guard let code = item["code"]?.scalar ?? item["name"]?.scalar.flatMap({ n in status.first { $0.value == n }?.key }) else {
                    d.error(item.position, Message(zh: "政治面貌须有 code（或已有的 name）", en: "a political status needs its code (or a known name)"))
                    continue
                }
                if status[code] == nil && item["name"] == nil {
                    d.error(item.position, Message(zh: "新的政治面貌代码 \(code) 须有 name（标准名称）", en: "a new political status code \(code) needs its name"))
                    continue
                }
                if let name = item["name"]?.scalar { status[code] = name; political[name] = code }
                let standard = Set(status.values).union(status.keys)
                for a in item["aliases"]?.items ?? [] { if let v = a.scalar { guardStandard(v, at: a.position, standard: standard, target: status[code] ?? code) } }
                political[code] = code
                if code.hasPrefix("0") { political[String(code.dropFirst())] = code }
                let party = item["party"]?.scalar == "true" || parties.contains(code)
                if party { parties.insert(code) }
                for a in strings(item["aliases"]) {
                    political[a] = code
                    // 九三 → 九三学社成员, 民盟 → 民盟盟员, 农工 → 农工党员 …
                    if party { for f in forms { political[a + f] = code } }
                }
            }
        }
        politicalStatus = status
        politicalAliases = political
        democraticParties = parties
        // A party written in the category column (九三学社成员, 民盟) means 民主党派成员.
        if let party = names.firstIndex(of: "民主党派成员") {
            for (name, code) in political where parties.contains(code) && aliases[name] == nil && groups[name] == nil && !name.allSatisfy(\.isNumber) {
                aliases[name] = [party + 1]
            }
        }
        categoryAliases = aliases

        // 民族: each group by its name, its name without 族, its two-digit code and its number.
        let groupsList = strings(pack["ethnic"]?["groups"])
        var ethnic: [String: String] = [:]
        for (i, name) in groupsList.enumerated() {
            ethnic[name] = name
            ethnic[String(name.dropLast())] = name
            ethnic[i + 1 < 10 ? "0\(i + 1)" : "\(i + 1)"] = name
            ethnic[String(i + 1)] = name
        }
        for (k, layer) in layers.enumerated() {
            guard let e = layer["ethnic"] else { continue }
            keys(e, k == 0 ? ["groups", "aliases"] : ["aliases"], in: "ethnic")
            for p in mapping(e["aliases"], "ethnic.aliases") {
                guard let v = p.value.scalar else { continue }
                if k > 0 { guardStandard(p.key, at: p.keyPosition, standard: Set(groupsList), target: v) }
                if k > 0, !Set(ethnic.values).contains(v) {
                    d.error(p.value.position, Message(zh: "「\(v)」不是民族名称", en: "'\(v)' is not an ethnic group"), suggestion: Suggest.didYouMean(v, groupsList))
                }
                ethnic[p.key] = v
            }
        }
        ethnicGroups = groupsList
        ethnicAliases = ethnic

        // Standard value → other names (sex, education, religions).
        func table(_ key: String) -> [String: String] {
            var m: [String: String] = [:]
            let standard = Set(mapping(pack[key], key).map(\.key))
            for (k, layer) in layers.enumerated() {
                for p in mapping(layer[key], key) {
                    if k > 0, !standard.contains(p.key), key == "sex" {
                        d.error(p.keyPosition, Message(zh: "性别的标准值只有 男、女、未知、未说明", en: "sex has the standard values 男, 女, 未知, 未说明 only"),
                                suggestion: Suggest.didYouMean(p.key, standard.sorted()))
                    }
                    m[p.key] = p.key
                    for a in p.value.items ?? [p.value] {
                        guard let v = a.scalar else { continue }
                        if k > 0 { guardStandard(v, at: a.position, standard: standard, target: p.key) }
                        m[v] = p.key
                    }
                }
            }
            return m
        }
        sexAliases = table("sex")
        educationAliases = table("education")
        religionAliases = table("religions")
        religions = Set(layers.flatMap { mapping($0["religions"], "religions").map(\.key) })
        noReligion = Set(layers.flatMap { strings($0["no_religion"]) })
        for layer in layers.dropFirst() {
            for a in layer["no_religion"]?.items ?? [] where religionAliases[a.scalar ?? ""] != nil {
                d.error(a.position, Message(zh: "「\(a.scalar ?? "")」是宗教名称，不能视为无宗教信仰", en: "'\(a.scalar ?? "")' names a religion; it cannot mean none"))
            }
        }

        // Rules.
        func check(_ n: ConfigNode?, test: Bool) -> Rule.Check? {
            guard let n else { return nil }
            let allowed = ["code", "severity", "message", "message_en", "suggestion", "suggestion_en"] + (test ? ["one_of", "not"] : [])
            for p in n.pairs ?? [] where !allowed.contains(p.key) {
                d.error(p.keyPosition, Message(zh: "规则中未知的键「\(p.key)」", en: "unknown key '\(p.key)' in a rule"), suggestion: Suggest.didYouMean(p.key, allowed))
            }
            guard let code = n["code"]?.scalar, let zh = n["message"]?.scalar else {
                d.error(n.position, Message(zh: "规则须有 code 和 message", en: "a rule needs code and message"))
                return nil
            }
            var severity = Severity.error
            if let sv = n["severity"] {
                switch sv.scalar { case "error": severity = .error; case "warning": severity = .warning; case "info": severity = .info
                default: d.error(sv.position, Message(zh: "severity 应为 error、warning 或 info", en: "severity must be error, warning or info"))
                }
            }
            let suggestion = n["suggestion"]?.scalar.map { Message(zh: $0, en: n["suggestion_en"]?.scalar ?? $0) }
            return Rule.Check(code: code, severity: severity, message: Message(zh: zh, en: n["message_en"]?.scalar ?? zh), suggestion: suggestion)
        }
        var rules: [Rule] = []
        for layer in layers {
            for item in layer["rules"]?.items ?? [] {
                let allowed = ["category", "field", "column", "column_en", "missing", "wrong"]
                for p in item.pairs ?? [] where !allowed.contains(p.key) {
                    d.error(p.keyPosition, Message(zh: "规则中未知的键「\(p.key)」", en: "unknown key '\(p.key)' in a rule"), suggestion: Suggest.didYouMean(p.key, allowed))
                }
                guard let c = item["category"], let n = c.scalar.flatMap({ number($0, at: c.position) }) else {
                    if item["category"] == nil { d.error(item.position, Message(zh: "规则须有 category", en: "a rule needs a category")) }
                    continue
                }
                guard let field = item["field"]?.scalar else {
                    d.error(item.position, Message(zh: "规则须有 field（要核对的字段）", en: "a rule needs the field it checks"))
                    continue
                }
                var test: Rule.Test?
                if let w = item["wrong"] {
                    if let o = w["one_of"] {
                        switch o.scalar {
                        case "parties": test = .parties
                        case "religions": test = .religions
                        default: test = .oneOf(Set(strings(o)))
                        }
                    } else if let not = w["not"] {
                        test = .not(Set(strings(not)))
                    } else {
                        d.error(w.position, Message(zh: "wrong 须有 one_of 或 not", en: "wrong needs one_of or not"))
                    }
                }
                let wrong = test.flatMap { t in check(item["wrong"], test: true).map { (t, $0) } }
                let column = item["column"]?.scalar ?? field
                rules.append(Rule(category: n, field: field, fieldPosition: item["field"]!.position, column: Message(zh: column, en: item["column_en"]?.scalar ?? column),
                                  missing: check(item["missing"], test: false), wrong: wrong))
            }
        }
        self.rules = rules

        var values: [String: [String: String]] = [:]
        var valueFields: [String: Position] = [:]
        for layer in layers {
            for field in mapping(layer["values"], "values") {
                valueFields[field.key] = field.keyPosition
                for p in mapping(field.value, "values.\(field.key)") {
                    values[field.key, default: [:]][p.key] = p.key
                    for a in strings(p.value) { values[field.key, default: [:]][a] = p.key }
                }
            }
        }
        self.values = values
        self.valueFields = valueFields
    }

    /// The effective fields and tables, as `taizhang profile show` prints them.
    static func describe(_ schema: Schema) -> String {
        let t = of(schema)
        var out: [String] = []
        func section(_ title: String) { out.append(""); out.append("## \(title)") }
        out += schema.fieldSection
        func inverted(_ m: [String: String], order: [String]) -> [String] {
            let byValue = Dictionary(grouping: m.keys.filter { m[$0] != $0 }, by: { m[$0]! })
            return order.map { v in "\(v) ← \((byValue[v] ?? []).sorted().joined(separator: "、"))" }
        }
        section("统战对象类别（12 类）")
        for (i, c) in t.categories.enumerated() {
            let names = t.categoryAliases.filter { $0.value == [i + 1] && $0.key != c }.keys.sorted()
            out.append("\(i + 1). \(c) ← \(names.map { t.outdatedCategoryNames.contains($0) ? "\($0)（旧类别）" : $0 }.joined(separator: "、"))")
        }
        let combined = t.categoryAliases.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
        if !combined.isEmpty {
            section("一个名称对应多个类别")
            for (k, v) in combined { out.append("\(k) → \(v.map { t.categories[$0 - 1] }.joined(separator: "、"))") }
        }
        section("细分类别（记入「细分类别」）")
        let groupNames = Set(t.subgroups.values.map(\.name)).sorted()
        for g in groupNames {
            let entry = t.subgroups.first { $0.value.name == g }!.value
            let others = t.subgroups.filter { $0.value.name == g && $0.key != g }.keys.sorted()
            out.append("\(g)\(others.isEmpty ? "" : "（\(others.joined(separator: "、"))）") → \(entry.category.map { t.categories[$0 - 1] } ?? "须另写所属类别")")
        }
        section("政治面貌")
        for (code, name) in t.politicalStatus.sorted(by: { $0.key < $1.key }) {
            let names = t.politicalAliases.filter { $0.value == code && $0.key != name && $0.key != code && $0.key != String(code.dropFirst()) }.keys.sorted()
            out.append("\(code) \(name) ← \(names.joined(separator: "、"))")
        }
        section("性别")
        out += inverted(t.sexAliases, order: ["男", "女", "未知", "未说明"])
        section("学历")
        out += inverted(t.educationAliases, order: Set(t.educationAliases.values).sorted())
        section("宗教信仰")
        out += inverted(t.religionAliases, order: t.religions.sorted())
        out.append("视为无宗教信仰：" + t.noReligion.sorted().joined(separator: "、"))
        section("民族（另可写不带「族」的名称、两位代码）")
        out.append(t.ethnicAliases.filter { !t.ethnicGroups.contains($0.key) && $0.key.first?.isNumber == false && $0.key + "族" != $0.value }
            .sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: "；"))
        return "# 模式 \(schema.name)" + (schema.profile.map { " + 档案 \($0.position.file)" } ?? "") + "\n" + out.joined(separator: "\n") + "\n"
    }

    /// The standard values a field offers in a blank ledger's drop-down.
    func choices(_ field: String) -> [String]? {
        switch field {
        case MemberLedgerSchema.F.ethnicity: return ethnicGroups
        case MemberLedgerSchema.F.political: return politicalStatus.sorted { $0.key < $1.key }.map(\.value)
        case MemberLedgerSchema.F.category: return categories
        case MemberLedgerSchema.F.religion: return ["无"] + religions.sorted()
        default: return nil
        }
    }

    typealias Parsed = (numbers: [Int], unknown: [String], outdated: [String], subgroups: [String], asked: [String])

    /// Splits a cell into category numbers. Official names that themselves contain 、
    /// (香港同胞、澳门同胞; 华侨、归侨及侨眷) are matched before splitting. Returns the numbers in
    /// official order without repeats, the parts not recognised, the outdated names, the
    /// sub-groups named (standard names), and those of them that leave the category to be asked.
    func parseCategories(_ text: String) -> Parsed {
        var rest = text
        var found: Set<Int> = []
        for (i, name) in categories.enumerated() where name.contains("、") && rest.contains(name) {
            found.insert(i + 1)
            rest = rest.replacingOccurrences(of: name, with: "、")
        }
        var unknown: [String] = [], outdated: [String] = [], groups: [String] = [], asked: [String] = [], ordinals: [String] = []
        for part in rest.split(whereSeparator: { Self.categorySeparators.contains($0) }) {
            var p = String(part)
            // A sheet or heading named "一、民主党派成员", "3.党外知识分子名册": the numbering is no
            // category, and a roll's word after a known name is dropped.
            if Self.isOrdinal(p) { ordinals.append(p); continue }
            if categoryAliases[p] == nil, subgroups[p] == nil, let bare = Self.withoutRollWords(p),
               categoryAliases[bare] != nil || subgroups[bare] != nil { p = bare }
            if let ns = categoryAliases[p] {
                found.formUnion(ns)
                if outdatedCategoryNames.contains(p) { outdated.append(p) }
            } else if let ns = categoryAliases[p.replacingOccurrences(of: "人员", with: "人士")] {
                found.formUnion(ns)
            } else if let g = subgroups[p] {
                if !groups.contains(g.name) { groups.append(g.name) }
                if let n = g.category { found.insert(n) } else { asked.append(g.name) }
            } else {
                unknown.append(p)
            }
        }
        // Numbering alone is no category.
        if found.isEmpty && asked.isEmpty { unknown += ordinals }
        return (found.sorted(), unknown, outdated, groups, found.isEmpty ? asked : [])
    }

    /// 一, 二, 十二, 3, (一), 第一类: numbering, not a category.
    static func isOrdinal(_ p: String) -> Bool {
        var t = Substring(p)
        if t.hasPrefix("第") { t = t.dropFirst() }
        if t.hasSuffix("类") || t.hasSuffix(".") || t.hasSuffix("．") { t = t.dropLast() }
        return !t.isEmpty && t.count <= 3 && t.allSatisfy { "一二三四五六七八九十0123456789".contains($0) }
    }

    /// The name without a leading number (1. 3、 第二类) or a trailing roll word (名册, 名单, 台账 …), or nil.
    /// A numeral is numbering only before a mark (、 . ．) or as 第…类: 九三学社 keeps its 九三.
    static func withoutRollWords(_ p: String) -> String? {
        var t = Substring(p)
        let numerals = "0123456789一二三四五六七八九十"
        if t.hasPrefix("第"), let end = t.firstIndex(of: "类"), t[t.index(after: t.startIndex)..<end].allSatisfy({ numerals.contains($0) }) {
            t = t[t.index(after: end)...]
        } else {
            let digits = t.prefix { numerals.contains($0) }
            if !digits.isEmpty, let mark = t.dropFirst(digits.count).first, "、.．".contains(mark) { t = t.dropFirst(digits.count + 1) }
        }
        for w in ["人员名单", "花名册", "信息表", "登记表", "统计表", "名册", "名单", "台账", "明细"] where t.hasSuffix(w) && t.count > w.count {
            t = t.dropLast(w.count)
            break
        }
        return t == Substring(p) || t.isEmpty ? nil : String(t)
    }

    /// The standard values of a field the pack knows the words of (nil for a free-text field).
    func standardValues(_ field: String) -> [String]? {
        typealias F = MemberLedgerSchema.F
        switch field {
        case F.category: return categories
        case F.political: return politicalStatus.sorted { $0.key < $1.key }.map(\.value)
        case F.ethnicity: return ethnicGroups
        case F.sex: return Array(Set(sexAliases.values)).sorted()
        case F.education: return Array(Set(educationAliases.values)).sorted()
        case F.religion: return religions.sorted()
        default: return values[field].map { Array(Set($0.values)).sorted() }
        }
    }

    /// A value as the pack's words make it standard (民盟 → 中国民主同盟盟员, 区人大代表 → 县级人大代表),
    /// nil when the field has standard values and this is none of them; free text as it is.
    func standardValue(_ field: String, _ v: String) -> String? {
        typealias F = MemberLedgerSchema.F
        switch field {
        case F.category:
            let n = CategoryMemo(self).parse(v).numbers
            return n.count == 1 ? categories[n[0] - 1] : nil
        case F.political: return politicalAliases[v].flatMap { politicalStatus[$0] } ?? (politicalStatus.values.contains(v) ? v : nil)
        case F.ethnicity: return ethnicAliases[v] ?? (ethnicGroups.contains(v) ? v : nil)
        // (Each standard value is its own alias in these tables: a value they do not hold is none.)
        case F.sex: return sexAliases[v]
        case F.education: return educationAliases[v]
        case F.religion: return religionAliases[v] ?? (religions.contains(v) ? v : nil)
        default:
            guard let map = values[field] else { return v }
            return map[v]
        }
    }

    /// `parseCategories` remembered: a ledger repeats a few dozen distinct category cells over
    /// millions of rows. One per step instance (steps run on one thread each).
    final class CategoryMemo {
        private var memo: [ByteKey: Parsed] = [:]
        private let tables: CodeTables

        init(_ tables: CodeTables) { self.tables = tables }

        func parse(_ text: String) -> Parsed {
            let key = ByteKey(text)
            if let p = memo[key] { return p }
            let p = tables.parseCategories(text)
            if memo.count < 50_000 { memo[key] = p }
            return p
        }
    }

    // MARK: Places

    /// First two digits of the administrative division codes of provinces (GB/T 2260), plus
    /// 71 台湾, 81 香港, 82 澳门 and 83 (residence permits for people from Taiwan).
    static let provinceCodes: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    ]
}
