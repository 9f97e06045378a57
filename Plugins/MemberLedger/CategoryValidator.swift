import TaizhangCore

/// `validate: member-category` — every value of 统战对象类别 is one of the 12 official categories
/// (several per cell allowed; a sub-group across categories needs one written beside it), and the
/// rules between fields hold — data, `rules:` in member-ledger.yml (an office profile adds its
/// own): 民主党派成员 ⇒ one of the eight democratic parties; 少数民族人士 ⇒ not 汉族; 宗教界人士 ⇒ a
/// religion is given (one of the five recognised, else a warning). A CPC member in the ledger is a
/// warning: targets are 党外人士.
public enum CategoryValidatorPlugin {
    public static let spec = PluginSpec(
        name: "member-category", kind: .step, verb: "validate",
        summary: Message(zh: "校验统战对象类别及其与政治面貌、民族、宗教的一致性", en: "Checks member categories and their agreement with political status, ethnicity and religion"),
        options: [],
        file: "Plugins/MemberLedger/CategoryValidator.swift")

    public static let plugin = StepPlugin(spec: spec) { _, layout, context throws(Diagnostics) in
        let vocab = CodeTables.of(context.schema)
        var d = DiagnosticCollector()
        for rule in vocab.rules where context.schema.field(named: rule.field) == nil {
            d.error(rule.fieldPosition, Message(zh: "规则：模式中没有字段「\(rule.field)」", en: "rule: the schema has no field '\(rule.field)'"),
                    suggestion: Suggest.didYouMean(rule.field, context.schema.fields.map(\.name)))
        }
        try d.throwIfErrors()
        return CategoryValidator(layout: layout, vocab: vocab)
    }
}

final class CategoryValidator: Step {
    typealias F = MemberLedgerSchema.F
    private let category: Int?, political: Int?
    private let simplifier = Simplifier()
    private lazy var categories = CodeTables.CategoryMemo(vocab)

    private let vocab: CodeTables

    /// Per rule of the vocabulary, its field's column in the layout.
    private let ruleFields: [Int?]
    private let ruleCategories: [Int]

    init(layout: Layout, vocab: CodeTables = .standard) {
        self.vocab = vocab
        ruleFields = vocab.rules.map { layout.index(of: $0.field) }
        ruleCategories = vocab.rules.map(\.category)
        category = layout.index(of: F.category)
        political = layout.index(of: F.political)
    }

    /// Sources already told that a rule's column is missing (file, sheet, field).
    private var told: Set<String> = []

    func process(_ batch: inout Batch) throws {
        guard let category else { return }
        // A rule about a column the file does not have is one issue about the file, not a
        // complaint on every row: those rows are kept, the rule cannot be checked.
        func present(_ f: Int?, _ rule: Message) -> Bool {
            guard let f else { return false }
            if batch.source.headers[f] != nil || batch.source.setFields.contains(f) { return true }
            let name = batch.layout.names[f]
            if told.insert("\(batch.source.file)|\(batch.source.sheet ?? "")|\(name)").inserted {
                batch.reportSource(code: "rule-column-missing", severity: .warning,
                                   message: Message(zh: "台账中没有「\(name)」列，\(rule.zh)无法核对", en: "the ledger has no column 「\(name)」: \(rule.en) cannot be checked"),
                                   suggestion: Message(zh: "补上这一列后重新检查", en: "add the column and check again"))
            }
            return false
        }
        // Point at a field the source has a column for; else at the category cell itself.
        func cell(_ f: Int?) -> Int { f.flatMap { batch.source.columnLetters[$0] != nil || batch.source.recordBased ? $0 : nil } ?? category }
        for r in 0..<batch.count where !batch.isEmpty(row: r, field: category) {
            let text = simplifier.simplify(TextFold.basic(batch.string(row: r, field: category)))
            let parsed = categories.parse(text)
            for g in parsed.asked {
                batch.report(row: r, field: category, code: "category-needed", severity: .error,
                             message: Message(zh: "「\(g)」是跨类别的细分群体（已记入细分类别），还须写明此人属于 12 类中的哪一类",
                                              en: "'\(g)' is a group across categories (kept in 细分类别): the person's category must be written too"),
                             suggestion: Message(zh: "在类别中加上所属类别，如「\(g)、民主党派成员」", en: "add the category, e.g. '\(g)、民主党派成员'"),
                             value: g)
            }
            for u in parsed.unknown {
                batch.report(row: r, field: category, code: "unknown-category", severity: .error,
                             message: Message(zh: "「\(u)」不是统战对象类别", en: "'\(u)' is not a member category"),
                             suggestion: Message(zh: "用 12 类之一，如：\(vocab.categories.prefix(4).joined(separator: "、"))……", en: "use one of the 12 official categories"),
                             value: u)
            }
            for o in parsed.outdated {
                batch.report(row: r, field: category, code: "outdated-category", severity: .info,
                             message: Message(zh: "「\(o)」是 2015 年前的类别，已按现行 12 类归并", en: "'\(o)' is a pre-2015 category, merged into the current 12"))
            }
            var cats = 0
            for n in parsed.numbers { cats |= 1 << n }
            let status = political.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) }
            let statusCode = status.flatMap { vocab.politicalAliases[$0] }
            for k in ruleCategories.indices where cats & (1 << ruleCategories[k]) != 0 {
                let rule = vocab.rules[k]
                let f = ruleFields[k]
                guard present(f, rule.column) else { continue }
                let v = f.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) }
                let failed: CodeTables.Rule.Check?
                if let v, let (test, check) = rule.wrong {
                    let ok: Bool
                    switch test {
                    case .oneOf(let set): ok = set.contains(v)
                    case .not(let set): ok = !set.contains(v)
                    case .parties: ok = (f == political ? statusCode : vocab.politicalAliases[v]).map(vocab.democraticParties.contains) ?? false
                    case .religions: ok = vocab.religions.contains(v)
                    }
                    failed = ok ? nil : check
                } else {
                    failed = v == nil ? rule.missing : nil
                }
                guard let c = failed else { continue }
                func filled(_ m: Message) -> Message {
                    guard c.showsValue else { return m }
                    // The standard library's `replacing`, not Foundation's `replacingOccurrences`
                    // (which compares Unicode on every call).
                    return Message(zh: m.zh.replacing("{value}", with: v ?? ""), en: m.en.replacing("{value}", with: v ?? ""))
                }
                batch.report(row: r, field: cell(f), code: c.code, severity: c.severity, message: filled(c.message),
                             suggestion: c.suggestion.map(filled), value: v)
            }
            if let statusCode, vocab.communist.contains(statusCode) {
                batch.report(row: r, field: political, code: "cpc-member", severity: .warning,
                             message: Message(zh: "政治面貌为中共党员；统战工作对象一般为党外人士", en: "a CPC member: united-front targets are normally outside the party"),
                             suggestion: Message(zh: "确认此人是否应列入台账", en: "check whether this person belongs in the ledger"), value: status)
            }
        }
    }
}
