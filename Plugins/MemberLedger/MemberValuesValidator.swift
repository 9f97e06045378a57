import TaizhangCore

/// `validate: member-values` — the values of the standard ledger are known codes and plausible:
/// sex (男/女), ethnic group (the 56, 其他, 外国血统中国籍人士), political status (GB/T 4762),
/// education group, a birth date that parses, is not in the future and gives an age ≤ 120,
/// and a phone number that looks like a mobile or landline number.
/// Run it after `normalize: member-ledger`, which maps the variants these codes come in.
public enum MemberValuesValidatorPlugin {
    public static let spec = PluginSpec(
        name: "member-values", kind: .step, verb: "validate",
        summary: Message(zh: "校验性别、民族、政治面貌、学历、出生日期（不晚于今天、年龄≤120）、联系电话格式", en: "Checks sex, ethnicity, political status, education, birth date (not future, age ≤ 120), phone format"),
        options: [
            OptionSpec("max_age", .integer, default: "120", doc: Message(zh: "最大年龄", en: "oldest plausible age")),
        ],
        file: "Plugins/MemberLedger/MemberValuesValidator.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        MemberValuesValidator(options: options, layout: layout, vocab: .of(context.schema))
    }
}

final class MemberValuesValidator: Step {
    typealias F = MemberLedgerSchema.F
    private let layout: Layout
    private let maxAge: Int
    private let today = DateText.today()
    // Sets keyed by bytes: String hashing normalises non-ASCII text on every lookup.
    private let political: Set<ByteKey>
    private let ethnic: Set<ByteKey>
    private let education: Set<ByteKey>
    private let sexes = Set(["男", "女", "未知", "未说明"].map(ByteKey.init))

    init(options: Options, layout: Layout, vocab: CodeTables = .standard) {
        political = Set(vocab.politicalStatus.values.map(ByteKey.init))
        ethnic = Set(vocab.ethnicAliases.values.map(ByteKey.init))
        education = Set(vocab.educationAliases.values.map(ByteKey.init))
        self.layout = layout
        maxAge = options.int("max_age") ?? 120
    }

    func process(_ batch: inout Batch) throws {
        let sex = layout.index(of: F.sex), eth = layout.index(of: F.ethnicity), pol = layout.index(of: F.political)
        let edu = layout.index(of: F.education), birth = layout.index(of: F.birth), phone = layout.index(of: F.phone)
        // A birth date `validate: fields` already found unreadable is not reported twice.
        let flagged = birth == nil ? [] : batch.cellsWithErrors()
        for r in 0..<batch.count {
            func value(_ f: Int?) -> String? { f.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) } }
            if let v = value(sex), !sexes.contains(ByteKey(v)) {
                batch.report(row: r, field: sex, code: "unknown-sex", severity: .error,
                             message: Message(zh: "性别应为 男 或 女", en: "sex must be 男 or 女"), value: v)
            }
            if let v = value(eth), !ethnic.contains(ByteKey(v)) {
                batch.report(row: r, field: eth, code: "unknown-ethnicity", severity: .error,
                             message: Message(zh: "「\(v)」不是 56 个民族之一", en: "'\(v)' is not one of the 56 ethnic groups"),
                             suggestion: Message(zh: "写民族全称，如 回族、蒙古族", en: "write the group's name, e.g. 回族"), value: v)
            }
            if let v = value(pol), !political.contains(ByteKey(v)) {
                batch.report(row: r, field: pol, code: "unknown-political-status", severity: .warning,
                             message: Message(zh: "「\(v)」不是标准的政治面貌", en: "'\(v)' is not a standard political status"),
                             suggestion: Message(zh: "如 群众、民盟、九三学社、无党派人士", en: "e.g. 群众, 民盟, 九三学社, 无党派人士"), value: v)
            }
            if let v = value(edu), !education.contains(ByteKey(v)) {
                batch.report(row: r, field: edu, code: "unknown-education", severity: .warning,
                             message: Message(zh: "「\(v)」不是标准的学历", en: "'\(v)' is not a standard education group"),
                             suggestion: Message(zh: "研究生、大学本科、大学专科、中等职业教育、普通高中、初中、小学、其他", en: "use a GB/T 4658 group"), value: v)
            }
            if let v = value(birth), !flagged.contains(r &* batch.fieldCount &+ birth!) {
                if let d = DateText.parse(v, currentYear: today.0) {
                    let (y, m, day): (Int, Int, Int)
                    switch d {
                    case .day(let a, let b, let c): (y, m, day) = (a, b, c)
                    case .month(let a, let b): (y, m, day) = (a, b, 1)
                    }
                    if (y, m, day) > today {
                        batch.report(row: r, field: birth, code: "birth-in-future", severity: .error,
                                     message: Message(zh: "出生日期晚于今天", en: "the birth date is in the future"), value: v)
                    } else if today.0 - y - ((today.1, today.2) < (m, day) ? 1 : 0) > maxAge {
                        batch.report(row: r, field: birth, code: "implausible-age", severity: .error,
                                     message: Message(zh: "按出生日期年龄超过 \(maxAge) 岁", en: "the birth date gives an age over \(maxAge)"), value: v)
                    }
                } else {
                    batch.report(row: r, field: birth, code: "invalid-date", severity: .error,
                                 message: Message(zh: "无法识别的出生日期", en: "birth date not recognised"),
                                 suggestion: Message(zh: "写成 1985-03-12 或 1985年3月", en: "write it as 1985-03-12 or 1985年3月"), value: v)
                }
            }
            if let v = value(phone), !Self.isPhoneNumber(v) {
                batch.report(row: r, field: phone, code: "phone-format", severity: .warning,
                             message: Message(zh: "联系电话格式不对（手机 11 位，座机如 010-66123456）", en: "the phone number is malformed (mobile: 11 digits; landline e.g. 010-66123456)"), value: v)
            }
        }
    }

    /// `1[3-9]\d{9}` (mobile) | `0\d{2,3}-?\d{7,8}(-\d{1,6})?` (landline, extension) | `[2-9]\d{6,7}`
    /// (local number) — matched by hand, as a regular expression per row costs more than the rest
    /// of the row's checks together.
    static func isPhoneNumber(_ s: String) -> Bool {
        let parts = s.utf8.split(separator: 0x2D, omittingEmptySubsequences: false)
        func digits(_ p: Substring.UTF8View.SubSequence, _ n: ClosedRange<Int>) -> Bool {
            n.contains(p.count) && p.allSatisfy { (0x30...0x39).contains($0) }
        }
        func landline(_ p: Substring.UTF8View.SubSequence) -> Bool { p.first == 0x30 && digits(p, 10...12) }
        func area(_ p: Substring.UTF8View.SubSequence) -> Bool { p.first == 0x30 && digits(p, 3...4) }
        switch parts.count {
        case 1:
            let p = parts[0]
            guard let first = p.first else { return false }
            if first == 0x31 { return p.count == 11 && digits(p, 11...11) && (0x33...0x39).contains(p[p.index(after: p.startIndex)]) }
            if first == 0x30 { return landline(p) }
            return (0x32...0x39).contains(first) && digits(p, 7...8)
        case 2:
            return (area(parts[0]) && digits(parts[1], 7...8)) || (landline(parts[0]) && digits(parts[1], 1...6))
        case 3:
            return area(parts[0]) && digits(parts[1], 7...8) && digits(parts[2], 1...6)
        default:
            return false
        }
    }
}
