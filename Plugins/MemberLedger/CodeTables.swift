import TaizhangCore
/// The code tables of the member-ledger domain (docs/MEMBER-LEDGER-REFERENCE.md):
/// the 12 official categories with the informal and outdated names ledgers use, political
/// status (GB/T 4762), ethnic groups (GB/T 3304), sex (GB/T 2261.1), education (GB/T 4658
/// groups) and the five recognised religions. Lookups take simplified, NFKC-folded text.
enum CodeTables {
    // MARK: 统战对象类别

    /// The 12 official categories, in their official order (1–12).
    static let categories = [
        "民主党派成员", "无党派人士", "党外知识分子", "少数民族人士", "宗教界人士", "非公有制经济人士",
        "新的社会阶层人士", "出国和归国留学人员", "香港同胞、澳门同胞", "台湾同胞及其在大陆的亲属",
        "华侨、归侨及侨眷", "其他需要联系和团结的人员",
    ]

    /// Informal, partial and outdated names → category number (1-based). Outdated names of the
    /// pre-2015 15-category scheme are marked in `outdatedCategoryNames`.
    static let categoryAliases: [String: Int] = {
        var m: [String: Int] = [:]
        for (i, c) in categories.enumerated() { m[c] = i + 1 }
        let informal: [(String, Int)] = [
            ("民主党派", 1), ("民主党派人士", 1), ("党派成员", 1),
            ("无党派", 2), ("无党派民主人士", 2),
            ("党外知识分子", 3), ("党外知分", 3), ("党外知识份子", 3), ("知识分子", 3),
            ("少数民族", 4), ("少数民族人士", 4),
            ("宗教人士", 5), ("宗教界", 5), ("宗教界人士", 5),
            ("非公经济人士", 6), ("非公人士", 6), ("非公有制经济", 6), ("民营企业家", 6),
            ("新阶层人士", 7), ("新的社会阶层", 7), ("新社会阶层人士", 7), ("新阶层", 7),
            ("民营企业和外商投资企业管理技术人员", 7), ("中介组织和社会组织从业人员", 7), ("自由职业人员", 7), ("新媒体从业人员", 7),
            ("私营企业和外资企业的管理技术人员", 7), ("私营企业管理技术人员", 7), ("外资企业管理技术人员", 7), ("中介组织从业人员", 7),
            ("留学人员", 8), ("出国和归国留学人员", 8), ("归国留学人员", 8), ("出国留学人员", 8), ("留学归国人员", 8),
            ("港澳同胞", 9), ("香港同胞", 9), ("澳门同胞", 9), ("香港同胞澳门同胞", 9),
            ("台胞台属", 10), ("台胞", 10), ("台属", 10), ("台湾同胞", 10), ("台湾同胞及其在大陆的亲属", 10),
            ("归侨侨眷", 11), ("侨眷", 11), ("华侨", 11), ("归侨", 11), ("华侨归侨及侨眷", 11),
            ("其他", 12), ("其他人员", 12), ("原工商业者", 12), ("起义投诚原国民党军政人员及眷属", 12), ("起义投诚人员", 12),
        ]
        for (k, v) in informal { m[k] = v }
        return m
    }()

    /// Names from the pre-2015 scheme, accepted with a note that they were merged.
    static let outdatedCategoryNames: Set<String> = [
        "原工商业者", "起义投诚原国民党军政人员及眷属", "起义投诚人员",
        "私营企业和外资企业的管理技术人员", "私营企业管理技术人员", "外资企业管理技术人员", "中介组织从业人员",
    ]

    /// Separators ledgers put between several categories in one cell.
    static let categorySeparators: Set<Character> = ["、", ",", "，", ";", "；", "/", "／", "|", " "]

    /// Splits a cell into category numbers. Official names that themselves contain 、
    /// (香港同胞、澳门同胞; 华侨、归侨及侨眷) are matched before splitting.
    /// Returns the numbers in official order without repeats, and the parts not recognised.
    static func parseCategories(_ text: String) -> (numbers: [Int], unknown: [String], outdated: [String]) {
        var rest = text
        var found: Set<Int> = []
        for (i, name) in categories.enumerated() where name.contains("、") && rest.contains(name) {
            found.insert(i + 1)
            rest = rest.replacingOccurrences(of: name, with: "、")
        }
        var unknown: [String] = []
        var outdated: [String] = []
        for part in rest.split(whereSeparator: { categorySeparators.contains($0) }) {
            let p = String(part)
            if let n = categoryAliases[p] {
                found.insert(n)
                if outdatedCategoryNames.contains(p) { outdated.append(p) }
            } else if let n = categoryAliases[p.replacingOccurrences(of: "人员", with: "人士")] {
                found.insert(n)
            } else {
                unknown.append(p)
            }
        }
        return (found.sorted(), unknown, outdated)
    }

    /// `parseCategories` remembered: a ledger repeats a few dozen distinct category cells over
    /// millions of rows. One per step instance (steps run on one thread each).
    final class CategoryMemo {
        typealias Parsed = (numbers: [Int], unknown: [String], outdated: [String])
        private var memo: [ByteKey: Parsed] = [:]

        func parse(_ text: String) -> Parsed {
            let key = ByteKey(text)
            if let p = memo[key] { return p }
            let p = CodeTables.parseCategories(text)
            if memo.count < 50_000 { memo[key] = p }
            return p
        }
    }

    // MARK: 政治面貌 (GB/T 4762)

    static let politicalStatus = [
        "01": "中国共产党党员", "02": "中国共产党预备党员", "03": "中国共产主义青年团团员",
        "04": "中国国民党革命委员会会员", "05": "中国民主同盟盟员", "06": "中国民主建国会会员",
        "07": "中国民主促进会会员", "08": "中国农工民主党党员", "09": "中国致公党党员",
        "10": "九三学社社员", "11": "台湾民主自治同盟盟员", "12": "无党派民主人士", "13": "群众",
    ]

    static let politicalAliases: [String: String] = {
        var m: [String: String] = [:]
        for (code, name) in politicalStatus { m[name] = code; m[code] = code; if code.hasPrefix("0") { m[String(code.dropFirst())] = code } }
        let short: [(String, String)] = [
            ("中共党员", "01"), ("党员", "01"), ("共产党员", "01"), ("中国共产党", "01"), ("中共", "01"),
            ("中共预备党员", "02"), ("预备党员", "02"),
            ("团员", "03"), ("共青团员", "03"), ("共青团", "03"),
            ("民革", "04"), ("民革党员", "04"), ("民革会员", "04"), ("中国国民党革命委员会", "04"),
            ("民盟", "05"), ("民盟盟员", "05"), ("中国民主同盟", "05"),
            ("民建", "06"), ("民建会员", "06"), ("中国民主建国会", "06"),
            ("民进", "07"), ("民进会员", "07"), ("中国民主促进会", "07"),
            ("农工党", "08"), ("农工党党员", "08"), ("农工民主党", "08"), ("中国农工民主党", "08"),
            ("致公党", "09"), ("致公党党员", "09"), ("中国致公党", "09"),
            ("九三", "10"), ("九三学社", "10"), ("九三社员", "10"),
            ("台盟", "11"), ("台盟盟员", "11"), ("台湾民主自治同盟", "11"),
            ("无党派", "12"), ("无党派人士", "12"), ("无党派民主人士", "12"),
            ("群众", "13"), ("普通群众", "13"),
        ]
        for (k, v) in short { m[k] = v }
        return m
    }()

    /// The eight democratic parties (codes 04–11).
    static let democraticParties: Set<String> = ["04", "05", "06", "07", "08", "09", "10", "11"]
    static let communist: Set<String> = ["01", "02"]

    // MARK: 民族 (GB/T 3304)

    static let ethnicGroups = [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
        "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族",
        "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族",
        "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族",
        "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    ]

    static let ethnicAliases: [String: String] = {
        var m: [String: String] = [:]
        for (i, name) in ethnicGroups.enumerated() {
            m[name] = name
            m[String(name.dropLast())] = name                 // 回 → 回族, 蒙古 → 蒙古族
            let code = i + 1 < 10 ? "0\(i + 1)" : "\(i + 1)"
            m[code] = name
            m[String(i + 1)] = name
        }
        m["97"] = "其他"; m["其他"] = "其他"; m["其他族"] = "其他"
        m["98"] = "外国血统中国籍人士"; m["外国血统中国籍人士"] = "外国血统中国籍人士"; m["外国血统"] = "外国血统中国籍人士"
        m["毛难族"] = "毛南族"; m["毛难"] = "毛南族"
        m["维族"] = "维吾尔族"; m["蒙族"] = "蒙古族"; m["哈族"] = "哈萨克族"
        return m
    }()

    // MARK: 性别 (GB/T 2261.1)

    static let sexAliases: [String: String] = [
        "男": "男", "男性": "男", "m": "男", "male": "男", "1": "男", "男士": "男",
        "女": "女", "女性": "女", "f": "女", "female": "女", "2": "女", "女士": "女",
        "0": "未知", "未知": "未知", "不详": "未知", "9": "未说明", "未说明": "未说明",
    ]

    // MARK: 学历 (GB/T 4658 groups)

    static let educationAliases: [String: String] = {
        let groups: [(String, [String])] = [
            ("研究生", ["研究生", "博士", "硕士", "博士研究生", "硕士研究生", "研究生毕业", "博士后", "10"]),
            ("大学本科", ["大学本科", "本科", "大学", "学士", "本科毕业", "大本", "20"]),
            ("大学专科", ["大学专科", "大专", "专科", "高职", "大专毕业", "30"]),
            ("中等职业教育", ["中等职业教育", "中专", "职高", "技校", "中职", "中技", "40", "中等专科", "中等专业学校", "中等专业",
                              "技工学校", "职业高中", "中专/技校", "中职/中专", "中专（技校）", "中专(技校)", "中专中技"]),
            // Both sides of these fall in the return's 高中及以下: the first is taken.
            ("普通高中", ["普通高中", "高中", "60", "高中/中专", "中专/高中", "高中（中专）", "高中(中专)", "高中、中专", "高中中专", "中专或高中", "高中或中专"]),
            ("初中", ["初中", "初级中学", "70"]),
            ("小学", ["小学", "80"]),
            // Groups ledgers use that span GB/T 4658 groups; the return counts them under 高中及以下.
            ("初中及以下", ["初中及以下", "初中以下", "初中或以下"]),
            ("小学及以下", ["小学及以下", "小学以下"]),
            ("高中及以下", ["高中及以下", "高中以下"]),
            ("其他", ["其他", "文盲", "半文盲", "无", "90"]),
        ]
        var m: [String: String] = [:]
        for (canonical, names) in groups { for n in names { m[n] = canonical } }
        return m
    }()

    // MARK: 宗教信仰

    static let religions: Set<String> = ["佛教", "道教", "伊斯兰教", "天主教", "基督教"]
    static let religionAliases: [String: String] = [
        "佛教": "佛教", "佛": "佛教", "藏传佛教": "佛教", "汉传佛教": "佛教", "南传佛教": "佛教",
        "道教": "道教", "道": "道教",
        "伊斯兰教": "伊斯兰教", "伊斯兰": "伊斯兰教", "回教": "伊斯兰教",
        "天主教": "天主教", "天主": "天主教",
        "基督教": "基督教", "基督": "基督教", "基督新教": "基督教", "新教": "基督教", "耶稣教": "基督教",
    ]
    /// Cells that mean "no religion": cleared, not reported.
    static let noReligion: Set<String> = ["无", "没有", "无宗教信仰", "不信教", "-", "—", "/"]

    // MARK: Places

    /// First two digits of the administrative division codes of provinces (GB/T 2260), plus
    /// 71 台湾, 81 香港, 82 澳门 and 83 (residence permits for people from Taiwan).
    static let provinceCodes: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    ]
}
