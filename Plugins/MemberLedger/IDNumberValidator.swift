import TaizhangCore

/// `validate: id-number` — checks 公民身份号码 (GB 11643-1999): length and characters, the
/// province part of the division code, a real birth date (1800 to today), the check character,
/// and agreement with 出生日期 and 性别. Digits lost to Excel's numeric cells are reported,
/// never guessed. A missing number is a warning (old ledgers often lack it). Where the schema's
/// number `identifies` a person (the member ledger: rows of one number are one person), one number
/// borne by two people is an `id-conflict`; in a visit log, whose rows are visits, many rows name
/// one person, and `step: visits` checks each against the ledger instead.
public enum IDNumberValidatorPlugin {
    public static let spec = PluginSpec(
        name: "id-number", kind: .step, verb: "validate",
        summary: Message(zh: "校验公民身份号码：长度、字符、地区码、出生日期、校验位，以及与出生日期、性别是否一致",
                         en: "Checks resident ID numbers: length, characters, division, birth date, check character, agreement with birth date and sex"),
        options: [
            OptionSpec("required", .boolean, default: "false", doc: Message(zh: "缺少身份证号时报错误而不是警告", en: "a missing ID number is an error, not a warning")),
        ],
        file: "Plugins/MemberLedger/IDNumberValidator.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        IDNumberValidator(options: options, layout: layout, identities: .shared(context))
    }
}

final class IDNumberValidator: Step {
    typealias F = MemberLedgerSchema.F
    private let id: Int?, birth: Int?, sex: Int?
    private let required: Bool
    private let today = DateText.today()
    private let name: Int?
    /// One ID, one person: the same check the return makes, so `validate` shows it before hand-in
    /// (nil when the schema's number does not identify a row's person: a visit log's rows are visits).
    private let identities: IdentityCheck?

    init(options: Options, layout: Layout, identities: IdentityCheck = IdentityCheck()) {
        self.identities = layout.schema.field(named: F.id)?.identifies == true ? identities : nil
        id = layout.index(of: F.id)
        name = layout.index(of: F.name)
        birth = layout.index(of: F.birth)
        sex = layout.index(of: F.sex)
        required = options.bool("required")
    }

    func process(_ batch: inout Batch) throws {
        guard let id else { return }
        for r in 0..<batch.count {
            if batch.isEmpty(row: r, field: id) {
                batch.report(row: r, field: id, code: "id-missing", severity: required ? .error : .warning,
                             message: Message(zh: "缺少身份证号", en: "no ID number"),
                             suggestion: Message(zh: "补录公民身份号码", en: "add the ID number"))
                continue
            }
            let value = batch.string(row: r, field: id)
            if case .digitsLost = IDNumber.clean(value) {
                batch.report(row: r, field: id, code: "id-digits-lost", severity: .error,
                             message: Message(zh: "身份证号曾以数字格式保存在 Excel 中（\(value.count > 6 ? "科学计数法" : "数值")），后几位已丢失，无法还原",
                                              en: "the ID number was stored as a number in Excel (scientific notation); its last digits are lost and cannot be recovered"),
                             suggestion: Message(zh: "按原始证件重新录入，并把该列设为文本格式", en: "re-enter it from the original, with the column formatted as text"),
                             value: value)
                continue
            }
            let (facts, problems) = IDNumber.check(value, today: today)
            for p in problems {
                switch p {
                case .length(let n):
                    batch.report(row: r, field: id, code: "id-length", severity: .error,
                                 message: Message(zh: "身份证号应为 18 位（或旧式 15 位），这里是 \(n) 位", en: "an ID number has 18 characters (or 15 in the old form); this has \(n)"),
                                 value: value)
                case .characters:
                    batch.report(row: r, field: id, code: "id-characters", severity: .error,
                                 message: Message(zh: "身份证号只能是 17 位数字加 1 位数字或 X", en: "an ID number is 17 digits and a digit or X"), value: value)
                case .division(let code):
                    batch.report(row: r, field: id, code: "id-division", severity: .error,
                                 message: Message(zh: "地区码 \(code.prefix(2))… 不是任何省份的代码", en: "division code \(code.prefix(2))… belongs to no province"), value: value)
                case .birthDate(let b):
                    batch.report(row: r, field: id, code: "id-birth-date", severity: .error,
                                 message: Message(zh: "身份证号中的出生日期 \(b) 不存在或晚于今天", en: "the birth date \(b) in the ID number does not exist or is in the future"), value: value)
                case .checkCharacter(let expected, let zeros):
                    batch.report(row: r, field: id, code: "id-check-digit", severity: .error,
                                 message: Message(zh: "校验位不符（按前 17 位应为 \(expected)），通常是某一位录错\(zeros ? "；末尾为 0，也可能是 Excel 数字格式截断了末几位" : "")",
                                                  en: "the check character does not match (the first 17 digits give \(expected)); usually one digit is mistyped\(zeros ? "; it ends in zeros, so Excel may have cut its last digits" : "")"),
                                 suggestion: Message(zh: "与原始证件核对每一位", en: "compare every digit with the original"), value: value)
                }
            }
            guard let facts else { continue }
            if let birth, !batch.isEmpty(row: r, field: birth) {
                let b = batch.string(row: r, field: birth)
                // Compared on bytes, and read as a date only when it disagrees (both were done for
                // every row: a twentieth of `taizhang validate`).
                if !Self.agrees(b, facts.year, facts.month, facts.day), DateText.parse(b, currentYear: today.0) != nil {
                    let full = DateText.Parsed.day(facts.year, facts.month, facts.day).iso
                    batch.report(row: r, field: birth, code: "id-birth-mismatch", severity: .error,
                                 message: Message(zh: "出生日期与身份证号中的 \(full) 不一致", en: "the birth date disagrees with \(full) in the ID number"),
                                 suggestion: Message(zh: "核对出生日期和身份证号，改正错的那一个", en: "check both and correct the wrong one"), value: b)
                }
            }
            if let sex, !batch.isEmpty(row: r, field: sex) {
                let s = batch.string(row: r, field: sex)
                if (s == "男" && !facts.male) || (s == "女" && facts.male) {
                    batch.report(row: r, field: sex, code: "id-sex-mismatch", severity: .error,
                                 message: Message(zh: "性别与身份证号不一致（第 17 位\(facts.male ? "为奇数，应为男" : "为偶数，应为女")）",
                                                  en: "sex disagrees with the ID number (digit 17 is \(facts.male ? "odd: male" : "even: female"))"), value: s)
                }
            }
            checkIdentity(&batch, r)
        }
    }

    /// Whether a standard birth date (YYYY-MM-DD, or YYYY-MM for a month) is the ID number's.
    static func agrees(_ written: String, _ y: Int, _ m: Int, _ d: Int) -> Bool {
        let want: [UInt8] = [y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10, -1, m / 10, m % 10, -1, d / 10, d % 10]
            .map { $0 < 0 ? 0x2D : UInt8(0x30 + $0) }
        let b = written.utf8
        guard y >= 0, y <= 9999, b.count == 10 || b.count == 7 else { return false }
        return b.elementsEqual(want.prefix(b.count))
    }

    private func checkIdentity(_ batch: inout Batch, _ r: Int) {
        guard batch.source.role != .previous, let identities, let id, let key = IdentityCheck.key(batch.string(row: r, field: id)) else { return }
        func value(_ batch: borrowing Batch, _ f: Int?) -> String? {   // passed, not captured (a capture copies the batch)
            guard let f, !batch.isEmpty(row: r, field: f) else { return nil }
            return batch.string(row: r, field: f)
        }
        guard case .conflict(let file, let row) = identities.check(key: key, name: value(batch, name), birth: value(batch, birth), sex: value(batch, sex),
                                                                    file: batch.source.file, row: batch.rowNumbers[r]) else { return }
        IdentityCheck.report(&batch, row: r, field: id, first: (file, row), value: batch.string(row: r, field: id))
    }
}
