import TaizhangCore

/// `validate: member-category` — every value of 统战对象类别 is one of the 12 official categories
/// (several per cell allowed), and the rules between fields hold: 民主党派成员 ⇒ one of the eight
/// democratic parties; 少数民族人士 ⇒ not 汉族; 宗教界人士 ⇒ a religion is given (one of the five
/// recognised, else a warning). A CPC member in the ledger is a warning: targets are 党外人士.
public enum CategoryValidatorPlugin {
    public static let spec = PluginSpec(
        name: "member-category", kind: .step, verb: "validate",
        summary: Message(zh: "校验统战对象类别及其与政治面貌、民族、宗教的一致性", en: "Checks member categories and their agreement with political status, ethnicity and religion"),
        options: [],
        file: "Plugins/MemberLedger/CategoryValidator.swift")

    public static let plugin = StepPlugin(spec: spec) { _, layout, context throws(Diagnostics) in
        CategoryValidator(layout: layout, vocab: .of(context.schema))
    }
}

final class CategoryValidator: Step {
    typealias F = MemberLedgerSchema.F
    private let category: Int?, political: Int?, ethnicity: Int?, religion: Int?
    private let simplifier = Simplifier()
    private lazy var categories = CodeTables.CategoryMemo(vocab)

    private let vocab: CodeTables

    init(layout: Layout, vocab: CodeTables = .standard) {
        self.vocab = vocab
        category = layout.index(of: F.category)
        political = layout.index(of: F.political)
        ethnicity = layout.index(of: F.ethnicity)
        religion = layout.index(of: F.religion)
    }

    /// Sources already told that a rule's column is missing (file, sheet, field).
    private var told: Set<String> = []

    func process(_ batch: inout Batch) throws {
        guard let category else { return }
        // A rule about a column the file does not have is one issue about the file, not a
        // complaint on every row: those rows are kept, the rule cannot be checked.
        func present(_ f: Int?, _ rule: Message) -> Bool {
            guard let f else { return false }
            if batch.source.headers[f] != nil { return true }
            let name = batch.layout.names[f]
            if told.insert("\(batch.source.file)|\(batch.source.sheet ?? "")|\(name)").inserted {
                batch.reportSource(code: "rule-column-missing", severity: .warning,
                                   message: Message(zh: "台账中没有「\(name)」列，\(rule.zh)无法核对", en: "the ledger has no column 「\(name)」: \(rule.en) cannot be checked"),
                                   suggestion: Message(zh: "补上这一列后重新检查", en: "add the column and check again"))
            }
            return false
        }
        // Said only when a row needs the rule.
        func checkParty() -> Bool { present(political, Message(zh: "民主党派成员的所属党派", en: "the party of 民主党派成员")) }
        func checkEthnicity() -> Bool { present(ethnicity, Message(zh: "少数民族人士的民族", en: "the ethnic group of 少数民族人士")) }
        func checkReligion() -> Bool { present(religion, Message(zh: "宗教界人士的宗教信仰", en: "the religion of 宗教界人士")) }
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
            let cats = Set(parsed.numbers)
            let status = political.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) }
            let statusCode = status.flatMap { vocab.politicalAliases[$0] }
            if cats.contains(1), checkParty(), !(statusCode.map(vocab.democraticParties.contains) ?? false) {
                batch.report(row: r, field: cell(political), code: "party-mismatch", severity: .error,
                             message: Message(zh: "类别为民主党派成员，但政治面貌不是八个民主党派之一", en: "category 民主党派成员 needs one of the eight democratic parties as political status"),
                             suggestion: Message(zh: "填写所属民主党派（民革、民盟、民建、民进、农工党、致公党、九三学社、台盟）", en: "give the party"), value: status)
            }
            if cats.contains(4), checkEthnicity() {
                let e = ethnicity.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) }
                if e == nil || e == "汉族" {
                    batch.report(row: r, field: cell(ethnicity), code: "ethnicity-mismatch", severity: .error,
                                 message: Message(zh: e == nil ? "类别为少数民族人士，但未填写民族" : "类别为少数民族人士，但民族为汉族",
                                                  en: e == nil ? "category 少数民族人士 but no ethnic group given" : "category 少数民族人士 but the ethnic group is 汉族"),
                                 value: e)
                }
            }
            if cats.contains(5), checkReligion() {
                let g = religion.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) }
                if g == nil {
                    batch.report(row: r, field: cell(religion), code: "religion-missing", severity: .error,
                                 message: Message(zh: "类别为宗教界人士，但未填写宗教信仰", en: "category 宗教界人士 but no religion given"))
                } else if let g, !vocab.religions.contains(g) {
                    batch.report(row: r, field: cell(religion), code: "religion-unrecognised", severity: .warning,
                                 message: Message(zh: "「\(g)」不在五大宗教（佛教、道教、伊斯兰教、天主教、基督教）之列", en: "'\(g)' is not one of the five recognised religions"),
                                 value: g)
                }
            }
            if let statusCode, vocab.communist.contains(statusCode) {
                batch.report(row: r, field: political, code: "cpc-member", severity: .warning,
                             message: Message(zh: "政治面貌为中共党员；统战工作对象一般为党外人士", en: "a CPC member: united-front targets are normally outside the party"),
                             suggestion: Message(zh: "确认此人是否应列入台账", en: "check whether this person belongs in the ledger"), value: status)
            }
        }
    }
}
