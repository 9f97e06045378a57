import TaizhangCore

/// The standard ledger (`schema: member-ledger`): the fields every community's ledger is mapped
/// onto, with the header texts real ledgers use for them (simplified and traditional).
public enum MemberLedgerSchema {
    public static let name = "member-ledger"

    /// Field names, used by the steps of this pack.
    enum F {
        static let serial = "序号", name = "姓名", sex = "性别", ethnicity = "民族", birth = "出生日期"
        static let id = "公民身份号码", political = "政治面貌", category = "统战对象类别", religion = "宗教信仰"
        static let education = "学历", work = "工作单位及职务", phone = "联系电话", community = "所在社区", note = "备注"
    }

    public static let schema = Schema(name: name, fields: [
        Field(name: F.serial, aliases: ["编号", "序", "No", "No.", "序號", "编 号"], type: .serial, doc: "行序号"),
        Field(name: F.name, aliases: ["名字", "人员姓名", "对象姓名", "姓名(中文)"], required: true, personal: true),
        Field(name: F.sex, aliases: ["性別"], required: true, choices: ["男", "女"]),
        Field(name: F.ethnicity, aliases: ["族别", "民族成分", "族別"], choices: CodeTables.ethnicGroups),
        Field(name: F.birth, aliases: ["出生年月", "出生年月日", "生日", "出生时间", "出生時間", "出生年月(日)", "出生日期(年月)"], type: .date, personal: true,
              doc: "写成 1985-03-12 或 1985-03"),
        Field(name: F.id, aliases: ["身份证号", "身份证号码", "证件号码", "身份证", "公民身份证号码", "身份证件号码",
                                    "身份證號", "身份證號碼", "證件號碼", "公民身份號碼", "身份證"], personal: true,
              doc: "18 位，最后一位可以是 X；按文字填写，不要让 Excel 变成数字", choices: nil, identifies: true),
        Field(name: F.political, aliases: ["政治面目", "党派", "政治面貌(党派)", "黨派", "政治面貌(黨派)"],
              choices: CodeTables.politicalStatus.sorted { $0.key < $1.key }.map(\.value)),
        Field(name: F.category, aliases: ["人员类别", "类别", "对象类别", "统战类别", "统战对象", "人员类型",
                                          "統戰對象類別", "類別", "人員類別", "對象類別"], required: true,
              doc: "一人兼有多个类别时用「、」分开", choices: CodeTables.categories),
        Field(name: F.religion, aliases: ["宗教", "信仰", "宗教信仰情况"], personal: true,
              choices: ["无"] + CodeTables.religions.sorted()),
        Field(name: F.education, aliases: ["文化程度", "学历(学位)", "學歷", "最高学历"],
              choices: ["研究生", "大学本科", "大学专科", "中等职业教育", "普通高中", "初中", "小学", "其他"]),
        Field(name: F.work, aliases: ["工作单位", "单位及职务", "单位职务", "工作单位职务", "现工作单位及职务", "工作单位及职务(职称)",
                                      "工作單位及職務", "工作單位", "單位及職務"]),
        Field(name: F.phone, aliases: ["电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "聯繫電話", "電話", "手機", "聯繫方式"], personal: true),
        Field(name: F.community, aliases: ["社区", "所属社区", "社区名称", "社區", "所在社區", "所屬社區"], required: true),
        Field(name: F.note, aliases: ["備註", "说明", "備注"]),
    ])
}
