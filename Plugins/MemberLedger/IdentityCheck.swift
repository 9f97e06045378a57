import TaizhangCore

/// One ID number, one person — a rule of counting, whatever steps a pipeline lists: the return
/// counts records with the same canonical ID as one person only when their identities agree.
/// Names agree when they are the same, sound the same (which also covers 繁/简: 陳靜 and 陈静 read
/// alike) or differ in one character (繁简 folded); birth dates when one is the other or a prefix of it (a month
/// against a day); sexes when equal. Every record with an ID is seen, quarantined ones included,
/// so the first run shows every conflict.
///
/// Kept small, as a million records pass: the ID as a number (``key(_:)``) and a few numbers per
/// first record (32 bytes) — the return's own index of persons by ID is this one. One table's
/// steps share one (`validate: id-number` and `step: member-return` keep one index, not two).
final class IdentityCheck {
    /// The table's one check.
    static func shared(_ context: PluginContext) -> IdentityCheck { context.shared.object(IdentityCheck.self) { IdentityCheck() } }

    /// What is kept of the first record of each ID. Names are compared by 32 bits of their hash
    /// and characters by 16 (a false agreement between two records of one ID: one in billions).
    struct Seen {
        var name: UInt32
        var pinyin: UInt32
        var chars: (UInt16, UInt16, UInt16, UInt16)
        var length: UInt8
        var sex: UInt8
        var birth: Int32       // yyyymmdd, yyyymm00 for a month, 0 unknown
        var file: Int32
        var row: Int32
    }

    /// Grown in place (`GrowingArray`: no doubling copy of a million records).
    private let seen = GrowingArray<Seen>()
    private let simplifier = Simplifier()
    private var index = NumberIndex()
    private var files: [String] = []
    private var fileIndex: [String: Int32] = [:]

    /// An 18-character ID number as one number (17 digits, then the check character 0–9 or X).
    static func key(_ id: String) -> UInt64? { key(bytes: id.utf8) }

    /// The same, of the number's UTF-8 bytes (a cell read in place).
    static func key<Bytes: Sequence<UInt8>>(bytes: Bytes) -> UInt64? {
        var v: UInt64 = 0
        var n = 0
        for b in bytes {
            n += 1
            guard n <= 18 else { return nil }
            if n == 18 && (b == 0x58 || b == 0x78) { v = v * 11 + 10; continue }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = n == 18 ? v * 11 + UInt64(b - 0x30) : v * 10 + UInt64(b - 0x30)
        }
        return n == 18 ? v : nil
    }

    enum Outcome {
        /// The first record of this ID (its index in `seen`).
        case new(Int)
        /// The same person as the first record of this ID.
        case same(Int)
        /// Somebody else: where the first record is.
        case conflict(file: String, row: Int)
    }

    func check(key: UInt64, name: String?, birth: String?, sex: String?, file: String, row: Int) -> Outcome {
        let f: Int32
        if let k = fileIndex[file] { f = k } else { f = Int32(files.count); files.append(file); fileIndex[file] = f }
        let i = index[key]
        // The first record itself, asked again by a later step of the table (validator, then
        // return): known without working out its name's prints again.
        if let i, seen[Int(i)].file == f, seen[Int(i)].row == Int32(clamping: row) { return .same(Int(i)) }
        var s = Self.seen(name: name ?? "", birth: birth ?? "", sex: sex, file: f, row: row, simplify: simplifier.simplify)
        guard let i else {
            Self.trust(&s, key: key)
            index.updateValue(Int32(seen.count), forKey: key)
            seen.append(s)
            return .new(seen.count - 1)
        }
        let first = seen[Int(i)]
        return Self.agree(first, s) ? .same(Int(i)) : .conflict(file: files[Int(first.file)], row: Int(first.row))
    }

    /// The `id-conflict` error on row `r`, naming where the first record of its ID is.
    static func report(_ batch: inout Batch, row r: Int, field: Int?, first: (file: String, row: Int), value: String?) {
        batch.report(row: r, field: field, code: "id-conflict", severity: .error,
                     message: Message(zh: "身份证号与 \(first.file) 第 \(first.row) 行相同，但姓名、出生日期或性别对不上：是两个人，至少一处录错；本条未计入报表",
                                      en: "the ID number is the same as in \(first.file) row \(first.row), but the name, birth date or sex differ: two people, one of them mistyped; this record is not counted"),
                     suggestion: Message(zh: "与原始证件核对两条记录的身份证号和姓名", en: "check both records' ID number and name against the originals"),
                     value: value)
    }


    /// Where the first record of an ID is.
    func place(_ i: Int) -> (file: String, row: Int) { (files[Int(seen[i].file)], Int(seen[i].row)) }

    /// Each ID seen and the index of its first record in `seen`.
    var ids: [(key: UInt64, value: Int32)] {
        var all: [(key: UInt64, value: Int32)] = []
        all.reserveCapacity(index.count)
        index.forEach { all.append(($0, $1)) }
        return all
    }

    /// The characters are compared simplified (黃慶爱 and 黄庆勇 are one character apart, not three).
    static func seen(name: String, birth: String, sex: String?, file: Int32, row: Int, simplify: (String) -> String) -> Seen {
        let folded = TextFold.name(name)
        var h = FNV(); h.add(folded)
        let pinyin = Pinyin.print(folded).hash
        var c: (UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0)
        var length = 0
        for u in simplify(folded).unicodeScalars {
            let v = UInt16(truncatingIfNeeded: u.value ^ (u.value >> 16) &* 0x9E37)
            switch length { case 0: c.0 = v; case 1: c.1 = v; case 2: c.2 = v; case 3: c.3 = v; default: break }
            length += 1
        }
        var b: Int32 = 0
        let digits = birth.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }
        if digits.count == 8 || digits.count == 6 {
            b = Int32(String(decoding: digits, as: UTF8.self)) ?? 0
            if digits.count == 6 { b *= 100 }
            // A date no calendar has (1955-02-30) tells nothing of who the person is.
            if !Self.possible(b) { b = 0 }
        }
        func h32(_ v: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: v ^ (v >> 32)) }
        return Seen(name: folded.isEmpty ? 0 : max(h32(h.value), 1), pinyin: folded.isEmpty ? 0 : max(h32(pinyin), 1), chars: c,
                    length: UInt8(min(length, 255)), sex: sex == "男" ? 1 : sex == "女" ? 2 : 0, birth: b,
                    file: file, row: Int32(clamping: row))
    }

    /// The first record of an ID stands for the number's person with the birth date and sex the
    /// number holds where its own contradict them (its slip, said by `validate: id-number` as
    /// id-birth-mismatch or id-sex-mismatch): else a mistyped first record would make the person's
    /// correct records after it "two people" and leave them out too — while a later record born
    /// otherwise than the number says is still another person's. An ID whose digits hold no
    /// calendar date says nothing, and the record's own values stand.
    static func trust(_ s: inout Seen, key: UInt64) {
        let digits = key / 11
        let born = Int32(truncatingIfNeeded: digits / 1000 % 100_000_000)
        guard possible(born) else { return }
        if s.birth != 0 && s.birth != born && !(s.birth % 100 == 0 && s.birth / 100 == born / 100) { s.birth = born }
        let sex: UInt8 = digits % 2 == 1 ? 1 : 2
        if s.sex != 0 && s.sex != sex { s.sex = sex }
    }

    /// Whether yyyymmdd (dd 00 for a month) is a day or month of the calendar.
    static func possible(_ v: Int32) -> Bool {
        let y = Int(v / 10000), m = Int(v / 100 % 100), d = Int(v % 100)
        guard (1800...2199).contains(y), (1...12).contains(m) else { return false }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = m == 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].contains(m) ? 30 : 31
        return d <= days
    }

    static func agree(_ a: Seen, _ b: Seen) -> Bool {
        if a.sex != 0 && b.sex != 0 && a.sex != b.sex { return false }
        if a.birth != 0 && b.birth != 0 && a.birth != b.birth {
            // A month (yyyymm00) agrees with any day of it.
            guard a.birth % 100 == 0 || b.birth % 100 == 0, a.birth / 100 == b.birth / 100 else { return false }
        }
        if a.name == 0 || b.name == 0 || a.name == b.name || a.pinyin == b.pinyin { return true }
        guard a.length == b.length, a.length >= 2, a.length <= 4 else { return false }
        var differ = 0
        if a.chars.0 != b.chars.0 { differ += 1 }
        if a.chars.1 != b.chars.1 { differ += 1 }
        if a.chars.2 != b.chars.2 { differ += 1 }
        if a.chars.3 != b.chars.3 { differ += 1 }
        return differ == 1
    }
}
