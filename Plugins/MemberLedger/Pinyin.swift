import TaizhangCore

/// Toneless pinyin of Chinese names, for matching homophones (王小明/王晓明, 张伟/章伟).
/// Readings come from `PinyinTable` (generated from pypinyin's dictionary); a surname takes its
/// surname reading where that differs from the common one (曾 zeng, 单 shan, 仇 qiu …).
enum Pinyin {
    static let syllables: [String] = PinyinTable.syllables.split(separator: " ").map(String.init)

    /// Per code point from `PinyinTable.first`: 1-based index into `syllables`, 0 for none.
    static let codes: [UInt16] = {
        func digit(_ b: UInt8) -> UInt16 {
            switch b {
            case 0x30...0x39: return UInt16(b - 0x30)
            case 0x41...0x5A: return UInt16(b - 0x41 + 10)
            case 0x61...0x7A: return UInt16(b - 0x61 + 36)
            case 0x2B: return 62
            default: return 63
            }
        }
        var out: [UInt16] = []
        out.reserveCapacity(Int(PinyinTable.last - PinyinTable.first + 1))
        var high: UInt16?
        for b in PinyinTable.codes.utf8 {
            if let h = high { out.append(h * 64 + digit(b)); high = nil } else { high = digit(b) }
        }
        return out
    }()

    /// Surnames read otherwise than the character's common reading.
    static let surnameReadings: [String: String] = [
        "曾": "zeng", "单": "shan", "覃": "qin", "仇": "qiu", "区": "ou", "解": "xie", "朴": "piao", "查": "zha",
        "盖": "ge", "乐": "yue", "缪": "miao", "翟": "zhai", "秘": "bi", "种": "chong", "员": "yun", "召": "shao",
        "繁": "po", "黑": "he", "宁": "ning", "折": "she", "句": "gou", "长": "chang", "重": "chong", "冼": "xian",
        "尉迟": "yu chi", "万俟": "mo qi", "长孙": "zhang sun", "澹台": "tan tai", "单于": "chan yu",
        // The same surnames in traditional characters (單偉 is 单伟, not dan wei).
        "單": "shan", "區": "ou", "蓋": "ge", "樂": "yue", "繆": "miao", "種": "chong", "員": "yun", "長": "chang",
        "寧": "ning", "尉遲": "yu chi", "萬俟": "mo qi", "長孫": "zhang sun", "單于": "chan yu",
    ]

    static func syllable(_ u: Unicode.Scalar) -> String? {
        guard u.value >= PinyinTable.first, u.value <= PinyinTable.last else { return nil }
        let c = codes[Int(u.value - PinyinTable.first)]
        return c == 0 ? nil : syllables[Int(c) - 1]
    }

    /// "zeng xiao ming" for 曾小明: syllables separated by spaces; other characters kept, lower-cased.
    /// Read by code point (a million names each pass: no `Character`, no String key hashed).
    static func ofName(_ name: String) -> String {
        var out = ""
        var rest = Substring(name).unicodeScalars
        func part(_ p: String) { if !out.isEmpty { out.append(" ") }; out.append(p) }
        if let (n, reading) = surnameReading(rest) { part(reading); rest = rest.dropFirst(n) }
        for u in rest {
            if let s = syllable(u) { part(s) } else if u != "·" && u != " " { part(String(u).lowercased()) }
        }
        return out
    }

    /// The FNV hash of `ofName(name)` as `FNV.add` takes it, worked out without making the string
    /// (the identity and matching steps hash the pinyin of every record's name); and whether that
    /// pinyin is empty.
    static func print(_ name: String) -> (hash: UInt64, empty: Bool) {
        var f = FNV()
        var empty = true
        func part(_ p: String) {
            if !empty { f.byte(0x20) }
            var p = p
            p.withUTF8 { for b in $0 { f.byte(b) } }
            empty = false
        }
        var rest = Substring(name).unicodeScalars
        if let (n, reading) = surnameReading(rest) { part(reading); rest = rest.dropFirst(n) }
        for u in rest {
            if let s = syllable(u) { part(s) } else if u != "·" && u != " " { part(String(u).lowercased()) }
        }
        f.byte(0x1F)
        return (f.value, empty)
    }

    /// The surname reading a name begins with (a compound surname's first), and its length in code points.
    private static func surnameReading(_ scalars: Substring.UnicodeScalarView) -> (Int, String)? {
        guard let a = scalars.first else { return nil }
        let b = scalars.dropFirst().first
        if let b, let r = surnameByCode[UInt64(a.value) << 21 | UInt64(b.value)] { return (2, r) }
        return surnameByCode[UInt64(a.value) << 21].map { (1, $0) }
    }

    /// `surnameReadings` keyed by the code points: first << 21 | second (0 for one character).
    private static let surnameByCode: [UInt64: String] = Dictionary(uniqueKeysWithValues: surnameReadings.map { k, v in
        let u = Array(k.unicodeScalars)
        return (UInt64(u[0].value) << 21 | (u.count > 1 ? UInt64(u[1].value) : 0), v)
    })

    /// The pinyin of the surname alone (the first syllable, or a compound surname's two).
    static func surname(_ name: String) -> String {
        if let (_, r) = surnameReading(Substring(name).unicodeScalars) { return r }
        return name.unicodeScalars.first.flatMap(syllable) ?? String(name.prefix(1))
    }
}
