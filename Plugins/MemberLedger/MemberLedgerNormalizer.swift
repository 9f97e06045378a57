import Foundation
import TaizhangCore

/// `normalize: member-ledger` — brings every value of the standard ledger to its canonical form
/// and records each change (original → canonical, and the rule), so a migration can show what
/// changed: full-width and spaces folded; traditional → simplified for code values (names are
/// kept as written unless `traditional: all`); sex, ethnicity, political status, education,
/// religion and categories to their standard names; dates to YYYY-MM-DD (or YYYY-MM); ID
/// numbers cleaned and 15 → 18 digits. Values it cannot map are left as they are for the
/// validators to report.
public enum MemberLedgerNormalizerPlugin {
    public static let spec = PluginSpec(
        name: "member-ledger", kind: .step, verb: "normalize",
        summary: Message(zh: "统战台账规范化：全角、繁简、日期、性别、民族、政治面貌、学历、宗教、类别、身份证号（记录每处修改）",
                         en: "Normalises a member ledger: width, traditional, dates, codes, categories, ID numbers (every change recorded)"),
        options: [
            OptionSpec("traditional", .choice(["codes", "all", "none"]), default: "codes",
                       doc: Message(zh: "繁转简的范围：codes 仅代码类字段；all 含姓名、单位等；none 不转", en: "traditional → simplified for: codes only, all text, or none")),
            OptionSpec("excel_date_system", .choice(["1900", "1904"]), default: "1900",
                       doc: Message(zh: "日期序列号的体系（Mac 旧版 Excel 用 1904）", en: "Excel serial date system (old Mac Excel used 1904)")),
            OptionSpec("units", .inputPath, doc: Message(zh: "单位名单（CSV/XLSX/YAML：名称、代码、别名、上级）：所在社区统一为正式名称，名单外的名称报出",
                                                         en: "list of units (CSV/XLSX/YAML: 名称, 代码, 别名, 上级): community names brought to the official name, unknown ones reported")),
        ],
        file: "Plugins/MemberLedger/MemberLedgerNormalizer.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        let vocab = CodeTables.of(context.schema)
        var d = DiagnosticCollector()
        // A profile's `values:` for a field the schema lacks is a mistake; the pack's own name the
        // fields of both its schemas (the ledger's and the visit log's).
        for (field, at) in vocab.valueFields.sorted(by: { $0.key < $1.key }) where layout.index(of: field) == nil && at.file != CodeTables.pack.position.file {
            d.error(at, Message(zh: "values：模式中没有字段「\(field)」", en: "values: the schema has no field '\(field)'"),
                    suggestion: Suggest.didYouMean(field, context.schema.fields.map(\.name)))
        }
        try d.throwIfErrors()
        return try MemberLedgerNormalizer(options: options, layout: layout, units: Units.load(options, context), vocab: vocab)
    }
}

final class MemberLedgerNormalizer: Step {
    typealias F = MemberLedgerSchema.F
    private let simplifier = Simplifier()
    private lazy var categories = CodeTables.CategoryMemo(vocab)
    private let simplifyAll: Bool
    private let simplifyCodes: Bool
    private let excel1904: Bool
    private let currentYear = DateText.today().0
    private let today = DateText.today()
    private let index: [String: Int]
    private let textFields: [Int]
    private let nameFields: [Int]
    private let freeText: [Int]
    /// Field indices, looked up once: a dictionary lookup by a Chinese field name hashes with NFC
    /// normalisation, too dear for every row.
    private let at: (name: Int?, sex: Int?, ethnicity: Int?, political: Int?, education: Int?, religion: Int?, category: Int?,
                     birth: Int?, id: Int?, phone: Int?, subgroup: Int?)

    static let rules = (
        width: Message(zh: "全角/空白规范化", en: "width and spaces folded"),
        traditional: Message(zh: "繁体转简体", en: "traditional to simplified"),
        name: Message(zh: "姓名空格与间隔号", en: "name spaces and middle dots"),
        sex: Message(zh: "性别统一为 男/女", en: "sex to 男/女"),
        ethnicity: Message(zh: "民族名称统一", en: "ethnic group to its standard name"),
        political: Message(zh: "政治面貌统一为标准名称", en: "political status to its standard name"),
        education: Message(zh: "学历统一", en: "education to its standard group"),
        religion: Message(zh: "宗教名称统一", en: "religion to its standard name"),
        category: Message(zh: "统战对象类别统一为正式名称", en: "categories to their official names"),
        subgroup: Message(zh: "类别中的细分群体记入「细分类别」", en: "a sub-group named as category kept in 细分类别"),
        sexFromID: Message(zh: "性别按身份证号补齐", en: "sex filled from the ID number"),
        value: Message(zh: "其他取值统一为标准名称（政治安排、走访事由等）", en: "other values to their standard names (政治安排, 走访事由 …)"),
        birthFromID: Message(zh: "出生日期按身份证号补齐", en: "birth date filled from the ID number"),
        date: Message(zh: "日期统一为 YYYY-MM-DD", en: "date to YYYY-MM-DD"),
        phone: Message(zh: "电话号码清理", en: "phone number cleaned"),
        unit: Message(zh: "所在社区统一为单位名单中的正式名称", en: "community to its official name in the list of units")
    )

    /// The official names of the communities, when the pipeline gives a list.
    private let units: Units?
    private let community: Int?
    private var nearest: [String: Message] = [:]

    private let vocab: CodeTables
    /// Fields with other names for their values (`values:` of the pack or profile), by column.
    private let valueTables: [(Int, [String: String])]
    private let otherDates: [Int]

    init(options: Options, layout: Layout, units: Units? = nil, vocab: CodeTables = .standard) {
        self.vocab = vocab
        valueTables = vocab.values.compactMap { field, table in layout.index(of: field).map { ($0, table) } }.sorted { $0.0 < $1.0 }
        self.units = units
        community = layout.index(of: F.community)
        let t = options.string("traditional") ?? "codes"
        simplifyAll = t == "all"
        simplifyCodes = t != "none"
        excel1904 = options.string("excel_date_system") == "1904"
        var idx: [String: Int] = [:]
        for f in MemberLedgerSchema.schema.fields { if let i = layout.index(of: f.name) { idx[f.name] = i } }
        index = idx
        at = (idx[F.name], idx[F.sex], idx[F.ethnicity], idx[F.political], idx[F.education], idx[F.religion], idx[F.category],
              idx[F.birth], idx[F.id], idx[F.phone], idx[F.subgroup])
        // Names of people — the person's, a visit's 走访人, the 联系人 — fold as names (张 伟 → 张伟).
        nameFields = [F.name, F.liaison, F.visitor].compactMap { layout.index(of: $0) }
        textFields = [F.work, F.community, F.note, F.serial].compactMap { idx[$0] } + nameFields
        // Dates other than the birth date (状态日期, 走访日期 …): brought to YYYY-MM-DD the same way.
        otherDates = layout.schema.fields.enumerated().compactMap { f, field in field.type == .date && field.name != F.birth ? f : nil }
        freeText = [F.work, F.note].compactMap { idx[$0] }
    }

    func process(_ batch: inout Batch) throws {
        // The step's lists, once a batch (read through `self` in the loop, each is retained and released a cell).
        let textFields = textFields, nameFields = nameFields, freeText = freeText, valueTables = valueTables, otherDates = otherDates
        for r in 0..<batch.count {
            for f in textFields where !batch.isEmpty(row: r, field: f) {
                // Most cells need nothing done: told from their bytes, no string made.
                if !simplifyAll, batch.withBytes(row: r, field: f, { TextFold.isPlain(utf8: $0, name: nameFields.contains(f)) }) { continue }
                let v = batch.string(row: r, field: f)
                // Free text (备注, 工作单位及职务) keeps its Chinese punctuation and line breaks:
                // only spaces at its ends go.
                if freeText.contains(f) {
                    batch.set(row: r, field: f, v.trimmingSpaces(), rule: Self.rules.width)
                    continue
                }
                let basic = TextFold.basic(v)
                var n = nameFields.contains(f) ? TextFold.name(v) : basic
                var rule = n != basic ? Self.rules.name : Self.rules.width
                if simplifyAll {
                    let simple = simplifier.simplify(n)
                    if simple != n { n = simple; rule = Self.rules.traditional }
                }
                batch.set(row: r, field: f, n, rule: rule)
            }
            if let units, let f = community, !batch.isEmpty(row: r, field: f) {
                let v = batch.string(row: r, field: f)
                if let official = units.official(v) {
                    batch.set(row: r, field: f, official, rule: Self.rules.unit)
                } else {
                    // The nearest name is worked out once per unknown name (a list can be long).
                    if nearest[v] == nil { nearest[v] = units.nearest(v) ?? Message(zh: "改为名单中的正式名称，或把它加入名单的「别名」", en: "write the official name, or add this one to the list's 别名") }
                    batch.report(row: r, field: f, code: "unknown-unit", severity: .warning,
                                 message: Message(zh: "「\(v)」不在单位名单中：会单独成表", en: "'\(v)' is not in the list of units: it makes a table of its own"),
                                 suggestion: nearest[v], value: v)
                }
            }
            code(at.sex, r, &batch, rule: Self.rules.sex) { vocab.sexAliases[$0.lowercased()] }
            code(at.ethnicity, r, &batch, rule: Self.rules.ethnicity) { vocab.ethnicAliases[$0] }
            code(at.political, r, &batch, rule: Self.rules.political) { vocab.politicalAliases[$0].flatMap { vocab.politicalStatus[$0] } }
            code(at.education, r, &batch, rule: Self.rules.education) { vocab.educationAliases[$0] }
            code(at.religion, r, &batch, rule: Self.rules.religion) { vocab.noReligion.contains($0) ? "" : vocab.religionAliases[$0] }
            for k in valueTables.indices { code(valueTables[k].0, r, &batch, rule: Self.rules.value, profileValues: true) { valueTables[k].1[$0] } }
            categoryNotes(r, &batch)
            code(at.category, r, &batch, rule: Self.rules.category) { v in
                let p = categories.parse(v)
                guard p.unknown.isEmpty, !p.numbers.isEmpty else { return nil }
                return p.numbers.map { vocab.categories[$0 - 1] }.joined(separator: "、")
            }
            if let f = at.birth, !batch.isEmpty(row: r, field: f) {
                let v = batch.string(row: r, field: f)
                if DateText.parseISO(v) != nil {
                    // Already written as the standard asks.
                } else if let d = DateText.parse(v, currentYear: currentYear, excel1904: excel1904) {
                    batch.set(row: r, field: f, d.iso, rule: Self.rules.date)
                } else {
                    batch.set(row: r, field: f, TextFold.basic(v), rule: Self.rules.width)
                }
            }
            for f in otherDates where !batch.isEmpty(row: r, field: f) {
                if batch.withBytes(row: r, field: f, { DateText.parseISO(utf8: $0) }) != nil { continue }
                let v = batch.string(row: r, field: f)
                if let d = DateText.parse(v, currentYear: currentYear, excel1904: excel1904, event: true) {
                    batch.set(row: r, field: f, d.iso, rule: Self.rules.date)
                }
            }
            if let f = at.id, !batch.isEmpty(row: r, field: f) {
                if !batch.withBytes(row: r, field: f, { IDNumber.isCanonical(bytes: $0) }),
                   case .value(let s, let rule) = IDNumber.clean(batch.string(row: r, field: f)), let rule { batch.set(row: r, field: f, s, rule: rule) }
                if at.sex != nil || at.birth != nil { fillFromID(r, &batch, id: batch.string(row: r, field: f)) }
            }
            if let f = at.phone, !batch.isEmpty(row: r, field: f) {
                let v = batch.string(row: r, field: f)
                var p = TextFold.basic(v).removingSpaces()
                for prefix in ["+86-", "+86", "0086", "86-"] where p.hasPrefix(prefix) && p.count > 11 { p.removeFirst(prefix.count) }
                if p.hasSuffix(".0"), p.dropLast(2).allSatisfy(\.isNumber) { p.removeLast(2) }
                // A mobile number written in groups (138-1234-5678): a landline keeps its dash.
                if p.utf8.contains(0x2D), p.hasPrefix("1"), let second = p.utf8.dropFirst().first, second >= 0x33 && second <= 0x39 {
                    let digits = p.utf8.filter { $0 != 0x2D }
                    if digits.count == 11, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { p = String(decoding: digits, as: UTF8.self) }
                }
                batch.set(row: r, field: f, p, rule: Self.rules.phone)
            }
        }
    }

    /// A sex left blank or 不详/未知, or a birth date left blank, that a valid ID number gives is
    /// filled from it (recorded as a change, like every other).
    private func fillFromID(_ r: Int, _ batch: inout Batch, id: String) {
        var sexUnknown = false, birthBlank = false   // (closures over the inout batch would copy it)
        if let f = at.sex { sexUnknown = batch.isEmpty(row: r, field: f) || batch.withBytes(row: r, field: f) { b in Self.unknownSex.contains { $0.elementsEqual(b) } } }
        if let f = at.birth { birthBlank = batch.isEmpty(row: r, field: f) }
        guard sexUnknown || birthBlank, id.utf8.count == 18 else { return }
        let (facts, problems) = IDNumber.check(id, today: today)
        guard let facts, problems.isEmpty else { return }
        if sexUnknown, let f = at.sex { batch.set(row: r, field: f, facts.male ? "男" : "女", rule: Self.rules.sexFromID) }
        if birthBlank, let f = at.birth {
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            batch.set(row: r, field: f, "\(facts.year)-\(two(facts.month))-\(two(facts.day))", rule: Self.rules.birthFromID)
        }
    }

    /// Before the category cell is rewritten: an outdated name in it is said (the change log keeps
    /// the original too), and the sub-groups it names (信教群众, 个体工商户 …) are kept in 细分类别,
    /// after what that holds already; the category cell keeps the categories they belong to.
    private func categoryNotes(_ r: Int, _ batch: inout Batch) {
        guard let c = at.category, !batch.isEmpty(row: r, field: c) else { return }
        // Remembered per raw cell (a ledger has a few dozen distinct category cells): most say nothing.
        let raw = batch.string(row: r, field: c)
        let key = ByteKey(raw)
        let parsed: (outdated: [String], subgroups: [String])
        if let known = notesMemo[key] { parsed = known } else {
            let p = categories.parse(simplifier.simplify(TextFold.basic(raw)))
            // An outdated name is said here when the cell is rewritten; a cell with an unknown part
            // keeps it, and the validator says it (once either way).
            parsed = (p.unknown.isEmpty && !p.numbers.isEmpty ? p.outdated : [], p.subgroups)
            if notesMemo.count < 10_000 { notesMemo[key] = parsed }
        }
        if parsed.outdated.isEmpty && parsed.subgroups.isEmpty { return }
        for o in parsed.outdated {
            batch.report(row: r, field: c, code: "outdated-category", severity: .info,
                         message: Message(zh: "「\(o)」是 2015 年前的类别，已按现行 12 类归并", en: "'\(o)' is a pre-2015 category, merged into the current 12"),
                         value: o)
        }
        let named = parsed.subgroups
        guard let g = at.subgroup, !named.isEmpty else { return }
        let had = batch.isEmpty(row: r, field: g) ? [] : batch.string(row: r, field: g).split(separator: "、").map(String.init)
        let all = had + named.filter { !had.contains($0) }
        guard all.count > had.count else { return }
        batch.set(row: r, field: g, all.joined(separator: "、"), rule: Self.rules.subgroup)
    }

    /// Folds a code value, simplifies it, and maps it through `lookup`; unmapped values keep the folding.
    /// Remembered per field and raw value (by its bytes): a code column holds a few dozen distinct
    /// values, and each fold, conversion and lookup costs more than the lookup of the memo.
    /// The profile's `values:` for a field the pack has words for too (性别 …) is a second lookup
    /// with a memo of its own (`profileValues`): one memo would answer it with the first's result.
    private func code(_ field: Int?, _ r: Int, _ batch: inout Batch, rule: @autoclosure () -> Message, profileValues: Bool = false, _ lookup: (String) -> String?) {
        guard let f = field, !batch.isEmpty(row: r, field: f) else { return }
        let key = f << 1 | (profileValues ? 1 : 0)
        if key >= memo.count { memo += (memo.count...key).map { _ in CodeMemo() } }
        let m = memo[key]
        // A value met before is looked up by its bytes: no string made.
        if let e = batch.withBytes(row: r, field: f, { m.index.find(UnsafeRawBufferPointer($0)) })?.entry {
            guard !m.unchanged[e] else { return }
            let (value, rule) = m.results[e]
            batch.set(row: r, field: f, value, rule: rule)
            return
        }
        let v = batch.string(row: r, field: f)
        let folded = TextFold.basic(v)
        let simple = simplifyCodes ? simplifier.simplify(folded) : folded
        let compact = simple.removingSpaces()
        let result: (String, Message)
        if let mapped = lookup(compact) {
            result = (mapped, mapped == compact && simple != folded ? Self.rules.traditional : rule())
        } else {
            result = (simple, simple != folded ? Self.rules.traditional : Self.rules.width)
        }
        if m.results.count < 10_000, m.index.insert(v).new { m.results.append(result); m.unchanged.append(result.0 == v) }
        batch.set(row: r, field: f, result.0, rule: result.1)
    }

    /// Per field (and lookup: `code`'s `profileValues`), the values met and what each became.
    private final class CodeMemo {
        // Unchecked exclusivity: see docs/ARCHITECTURE.md, *Exclusivity*.
        @exclusivity(unchecked) var index = ByteIndex()
        @exclusivity(unchecked) var results: [(String, Message)] = []
        /// Per result, whether it is the value as written (nothing to set).
        @exclusivity(unchecked) var unchanged: [Bool] = []
    }
    /// By field << 1 | profileValues.
    @exclusivity(unchecked) private var memo: [CodeMemo] = []
    private static let unknownSex = [Array("未知".utf8), Array("未说明".utf8)]
    private var notesMemo: [ByteKey: (outdated: [String], subgroups: [String])] = [:]
}
