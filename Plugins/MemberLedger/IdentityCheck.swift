import TaizhangCore

/// One ID number, one person — a rule of counting, whatever steps a pipeline lists: the return
/// counts records with the same canonical ID as one person only when their identities agree.
/// Names agree when they are the same, sound the same (which also covers 繁/简: 陳靜 and 陈静 read
/// alike) or differ in one character; birth dates when one is the other or a prefix of it (a month
/// against a day); sexes when equal. Every record with an ID is seen, quarantined ones included,
/// so the first run shows every conflict.
struct IdentityCheck {
    /// What is kept of the first record of each ID: a few numbers, not the record.
    struct Seen {
        var name: UInt64
        var pinyin: UInt64
        var chars: (UInt32, UInt32, UInt32, UInt32)
        var length: UInt8
        var birth: String
        var sex: UInt8
        var file: Int32
        var row: Int32
    }

    private var byID: [String: Seen] = [:]
    private var files: [String] = []
    private var fileIndex: [String: Int32] = [:]

    /// The first record of this ID when `this` one is somebody else; nil when they agree (or the
    /// ID is new).
    mutating func conflict(id: String, name: String?, birth: String?, sex: String?, file: String, row: Int) -> (file: String, row: Int)? {
        let f: Int32
        if let k = fileIndex[file] { f = k } else { f = Int32(files.count); files.append(file); fileIndex[file] = f }
        let s = Self.seen(name: name ?? "", birth: birth ?? "", sex: sex, file: f, row: row)
        guard let first = byID[id] else { byID[id] = s; return nil }
        return Self.agree(first, s) ? nil : (files[Int(first.file)], Int(first.row))
    }

    static func seen(name: String, birth: String, sex: String?, file: Int32, row: Int) -> Seen {
        let folded = TextFold.name(name)
        var h = FNV(); h.add(folded)
        var p = FNV(); p.add(Pinyin.ofName(folded))
        var c: [UInt32] = folded.unicodeScalars.prefix(4).map(\.value)
        while c.count < 4 { c.append(0) }
        return Seen(name: folded.isEmpty ? 0 : h.value, pinyin: folded.isEmpty ? 0 : p.value, chars: (c[0], c[1], c[2], c[3]),
                    length: UInt8(min(folded.unicodeScalars.count, 255)), birth: birth,
                    sex: sex == "男" ? 1 : sex == "女" ? 2 : 0, file: file, row: Int32(clamping: row))
    }

    static func agree(_ a: Seen, _ b: Seen) -> Bool {
        if a.sex != 0 && b.sex != 0 && a.sex != b.sex { return false }
        if !a.birth.isEmpty && !b.birth.isEmpty && !a.birth.hasPrefix(b.birth) && !b.birth.hasPrefix(a.birth) { return false }
        if a.name == 0 || b.name == 0 || a.name == b.name || a.pinyin == b.pinyin { return true }
        guard a.length == b.length, a.length >= 2, a.length <= 4 else { return false }
        let x = [a.chars.0, a.chars.1, a.chars.2, a.chars.3], y = [b.chars.0, b.chars.1, b.chars.2, b.chars.3]
        return zip(x, y).filter { $0 != $1 }.count == 1
    }
}
