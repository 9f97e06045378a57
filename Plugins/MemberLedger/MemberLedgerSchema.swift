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
}
