import TaizhangCore

/// The standard ledger (`schema: member-ledger`): the fields every community's ledger is mapped
/// onto, with the header texts real ledgers use for them — data, in `member-ledger.yml`.
public enum MemberLedgerSchema {
    public static let name = "member-ledger"

    /// Field names, used by the steps of this pack (and the commands that read the store).
    public enum Fields {
        public static let serial = "序号", name = "姓名", sex = "性别", ethnicity = "民族", birth = "出生日期"
        public static let id = "公民身份号码", political = "政治面貌", category = "统战对象类别", religion = "宗教信仰"
        public static let education = "学历", work = "工作单位及职务", phone = "联系电话", community = "所在社区", note = "备注"
        public static let subgroup = "细分类别", district = "区县", street = "街道（乡镇）", grid = "网格（楼道）", arrangements = "政治安排"
        public static let status = "人员状态", statusDate = "状态日期", liaison = "联系人", difficulty = "困难情况"
        public static let visitDate = "走访日期", visitor = "走访人", reason = "走访事由", request = "反映问题", handling = "办理情况"
    }
    typealias F = Fields

    /// The fields as `member-ledger.yml` gives them, with the drop-down values its tables hold.
    public static let schema: Schema = {
        do {
            var s = try Schema.load(from: CodeTables.pack, otherKeys: CodeTables.keys)
            for i in s.fields.indices { if let c = CodeTables.standard.choices(s.fields[i].name) { s.fields[i].choices = c } }
            return s
        } catch { fatalError("member-ledger.yml: \((error as? Diagnostics)?.text(.en) ?? "\(error)")") }
    }()

    /// The visit log's fields as `visit-log.yml` gives them (a table of its own beside the ledger).
    public static let visitLog: Schema = {
        do {
            let node = try ConfigNode.parse(String(decoding: PackageResources.visit_log_yml, as: UTF8.self), file: "visit-log.yml")
            var s = try Schema.load(from: node)
            for i in s.fields.indices { if let c = CodeTables.standard.choices(s.fields[i].name) { s.fields[i].choices = c } }
            return s
        } catch { fatalError("visit-log.yml: \((error as? Diagnostics)?.text(.en) ?? "\(error)")") }
    }()

    /// 人员状态's standard values (在册, 迁出, 死亡 — the pack's `values:`).
    static let statuses: Set<String> = Set(CodeTables.standard.values[F.status]?.values.map { $0 } ?? [])

    /// Whether a person is on the roll, so counted: unless 人员状态 is one of its standard values other
    /// than 在册 (迁出, 死亡). A blank status is 在册; one not recognised counts too (and is reported).
    /// On the roll at the end of a period (yyyymmdd): as `onRoll(_:)`, or 迁出/死亡 dated after the
    /// period's end (the return of an earlier period still counts the person).
    public static func onRoll(_ status: String?, date: String?, end: Int) -> Bool {
        if onRoll(status) { return true }
        guard let date, let d = DateText.parseISO(date) else { return false }
        switch d {
        case .day(let y, let m, let dd): return y * 10000 + m * 100 + dd > end
        case .month(let y, let m): return y * 10000 + m * 100 + 1 > end
        }
    }

    public static func onRoll(_ status: String?) -> Bool {
        guard let status, statuses.contains(status) else { return true }
        return status == "在册"
    }
}
