import TaizhangCore
import TaizhangLinkage

/// `step: duplicates` — finds the same person recorded twice: within a file, across the
/// pipeline's inputs, and against a previous period's ledger (an input with `role: previous`).
///
/// - **Exact**: the canonical 18-digit ID number (15-digit, full-width and lower-case-x forms of
///   one ID match). Two different valid ID numbers are two people, whatever their names.
/// - **Probable**, for records without a usable ID: candidates from four blocks (birth date;
///   surname pinyin + birth year; full-name pinyin; phone), scored on name (same +40, traditional/
///   simplified +38, same pinyin +30 — 王小明/王晓明, 张伟/章伟, surnames read as surnames: 曾 zeng,
///   单 shan — one character off +20; names in Latin letters one letter apart +30, two +20),
///   birth date (same +35, month only +28, one part off +15),
///   sex +5, community +10, phone +15. A different birth date, sex or ID number vetoes the match:
///   a homonym is not a duplicate. ≥ `threshold` is the same person; ≥ `review_threshold` a
///   possible duplicate, listed for review (`write: review-workbook`), with the score's breakdown.
/// - **Clusters** are kept against chaining: a record joins a person only by matching that
///   person's first record, never through a chain of look-alikes.
/// - **Policy**: `keep-first` quarantines later records of a person (error `duplicate-person`,
///   naming the first); `keep-most-complete` keeps the record with the most cells filled (the
///   first of equals) and quarantines the others; `merge-fields` does the same and also fills the
///   kept record's empty cells from the others, each filled cell saying where its value came from
///   (info `merged-value`) and each differing value left out said too (warning `merge-differs`);
///   `flag` keeps every record, with a warning. Each person counts once in every return. The two
///   middle policies need every row before deciding, so they hold the run's rows until the end
///   (memory grows with the ledgers; `keep-first` and `flag` stream).
/// - **Review loop**: `decisions:` names the filled review sheet; its 是/否 apply on every run.
///
/// With a previous period's ledger, the run's joiners (新增) and leavers (减少) are counted in a
/// table `人员变动（查重）` — like `member-return`'s, but matching people without ID numbers too.
public enum DuplicatesPlugin {
    public static let spec = PluginSpec(
        name: "duplicates", kind: .step,
        summary: Message(zh: "查重：身份证号精确匹配；无证号时按姓名（繁简、同音）、出生日期、性别、社区、电话打分；疑似重复列入复核表；对比上期算新增/减少",
                         en: "Duplicates: exact on the canonical ID; scored on name (traditional, homophones), birth, sex, community, phone otherwise; review sheet; joiners/leavers"),
        options: [
            OptionSpec("policy", .choice(["keep-first", "keep-most-complete", "merge-fields", "flag"]), default: "keep-first",
                       doc: Message(zh: "keep-first：保留先出现的记录，其余隔离；keep-most-complete：保留填写最完整的记录；merge-fields：保留最完整的并用其余记录补齐空项（注明来源）；flag：只标记（警告），记录都保留",
                                    en: "keep-first: keep the first record, quarantine the rest; keep-most-complete: keep the fullest record; merge-fields: keep the fullest and fill its blanks from the others (each value's source noted); flag: warn only")),
            OptionSpec("threshold", .integer, default: "80", doc: Message(zh: "判为同一人的分数（满分 100）", en: "score at which two records are one person (of 100)")),
            OptionSpec("review_threshold", .integer, default: "60", doc: Message(zh: "列入人工复核的分数", en: "score at which a pair goes to review")),
            OptionSpec("decisions", .inputPath, default: "", doc: Message(zh: "已填写「决定」列的复核表（.xlsx 或 .csv），其中的 是/否 每次运行都生效", en: "a filled review sheet; its 是/否 decisions apply on every run")),
            OptionSpec("max_block", .integer, default: "5000", doc: Message(zh: "一个分块内最多比较的人数（防止常见姓名拖慢）", en: "most people compared within one block")),
        ],
        file: "Plugins/MemberLedger/Duplicates.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        try DuplicateFinder(options: options, layout: layout, context: context)
    }
}

final class DuplicateFinder: FinishingStep, ReviewingStep, HoldingStep {
    typealias F = MemberLedgerSchema.F

    /// What is kept of a person's first record to compare with: hashes and numbers only, so the
    /// comparisons of a million-row run copy no strings (and retain nothing).
    struct Person {
        var name: UInt64          // hash of the simplified name; 0 when empty
        var written: UInt64       // hash of the name as written (traditional characters kept)
        var pinyin: UInt64        // hash of the toneless pinyin; 0 when none
        var chars: SIMD4<UInt32>  // the first four characters, for "one character off"
        var length: UInt8         // characters in the name
        var birth: Int32          // yyyymmdd; dd = 0 when only the month is known; 0 unknown
        var sex: UInt8            // 0 unknown, 1 男, 2 女
        var community: Int32      // interned; -1 unknown
        var phone: UInt64         // hash; 0 none
        var categories: UInt16    // the categories held (bit n−1 for category n); 0 none
        var work: UInt64          // hash of 工作单位及职务; 0 none
        var id: UInt64            // hash of the canonical, valid ID; 0 none
        var file: Int32           // interned display name
        var row: Int32
        var previous: Bool
        var seenNow: Bool         // a previous-period person found again in this period
        var nowFile: Int32 = -1   // … and where (a second record there is a duplicate of this one)
        var nowRow: Int32 = 0
        var fingerprint: UInt64
    }

    /// The current record's text, needed only when it is reported or goes to review.
    struct Text {
        var name: String
        var id: String?
        var shown: [String]
        var blocks: [UInt64]
        /// The name when it is written in Latin letters (lower-cased), for spelling distance; else "".
        var latin: String
    }

    struct Score {
        var points: Int
        var reasons: [(zh: String, en: String, points: Int)]
    }

    enum Policy: String { case keepFirst = "keep-first", keepMostComplete = "keep-most-complete", mergeFields = "merge-fields", flag }

    /// A later record of a person, held until the end (keep-most-complete, merge-fields).
    struct Repeat {
        var batch: Int32
        var row: Int32
        var reasons: Message
    }

    private let layout: Layout
    private let policy: Policy
    private var keepFirst: Bool { policy == .keepFirst }
    private var holding: Bool { policy == .keepMostComplete || policy == .mergeFields }
    /// Holding policies: the run's batches, each person's first record this period (batch << 32 | row,
    /// -1 for none), and the later records of each person.
    private var held: [Batch] = []
    private var firstHere: [Int64] = []
    private var repeats: [Int32: [Repeat]] = [:]
    private let threshold: Int
    private let reviewThreshold: Int
    private let maxBlock: Int
    private let masking: Masking
    private let simplifier = Simplifier()
    private let categoryMemo = CodeTables.CategoryMemo()
    private let idx: (name: Int?, sex: Int?, birth: Int?, id: Int?, phone: Int?, community: Int?, category: Int?, work: Int?)
    private let shownIndex: [Int?]
    private let today = DateText.today()

    private var people: [Person] = []
    /// Per person: the values for a review sheet, joined by U+001F (masked when shown).
    private var shownText: [String] = []
    /// Per person: the Latin-letter name (see `Text.latin`); "" for Chinese names (no allocation).
    private var latinNames: [String] = []
    private var byID: [UInt64: Int32] = [:]
    private var blocks = BlockIndex()
    /// The same blocks holding only people without an ID number: all a record with a valid ID
    /// needs to be compared with (most ledgers have IDs for most people, so these stay small).
    private var blocksWithoutID = BlockIndex()
    /// Per person: the number of the last `find` that compared with them (a person in two of a
    /// record's blocks is compared once).
    private var comparedIn: [UInt32] = []
    private var findNumber: UInt32 = 0
    private var communities: [String: Int32] = [:]
    private var files: [String] = []
    private var fileIndex: [String: Int32] = [:]
    private var decisions: [String: Bool] = [:]
    private var reviews: [ReviewSet.Pair] = []
    private var reviewCount = 0
    private var oversizedBlocks = 0
    private var hasPrevious = false
    private var joiners = 0
    private(set) var duplicatesFound = 0

    static let shownFields = [F.name, F.sex, F.birth, F.id, F.phone, F.community, F.category, F.work]

    init(options: Options, layout: Layout, context: PluginContext) throws(Diagnostics) {
        self.layout = layout
        policy = Policy(rawValue: options.string("policy") ?? "keep-first") ?? .keepFirst
        threshold = options.int("threshold") ?? 80
        reviewThreshold = min(options.int("review_threshold") ?? 60, threshold)
        maxBlock = options.int("max_block") ?? 5000
        masking = context.masking
        idx = (layout.index(of: F.name), layout.index(of: F.sex), layout.index(of: F.birth), layout.index(of: F.id),
               layout.index(of: F.phone), layout.index(of: F.community), layout.index(of: F.category), layout.index(of: F.work))
        shownIndex = Self.shownFields.map { layout.index(of: $0) }
        decisions = try ReviewSet.decisions(options, context, words: .chinese)
    }

    func process(_ batch: inout Batch) throws {
        let previous = batch.source.role == .previous
        if previous { hasPrevious = true }
        let file = intern(file: batch.source.file)
        let here = Int64(held.count) << 32
        for r in 0..<batch.count where previous || !batch.hasError[r] {
            let (p, text) = person(batch, r, file: file, previous: previous)
            if p.name == 0 && p.id == 0 { continue }
            if let match = find(p, text) {
                if match.conflict {
                    let first = people[Int(match.index)]
                    batch.report(row: r, field: idx.id, code: "id-conflict", severity: .error,
                                 message: Message(zh: "身份证号与 \(files[Int(first.file)]) 第 \(first.row) 行相同，但姓名对不上：至少一处录错",
                                                  en: "the ID number is the same as in \(files[Int(first.file)]) row \(first.row), but the names differ: one of them is mistyped"),
                                 suggestion: Message(zh: "与原始证件核对两条记录的身份证号和姓名", en: "check both records' ID number and name against the originals"),
                                 value: text.id)
                    continue
                }
                var first = people[Int(match.index)]
                if previous { continue }
                if first.previous {
                    // The same person as last period: the first record of them this period is no
                    // duplicate; a second one is, of that first one.
                    if !first.seenNow {
                        people[Int(match.index)].seenNow = true
                        people[Int(match.index)].nowFile = file
                        people[Int(match.index)].nowRow = p.row
                        if holding { firstHere[Int(match.index)] = here | Int64(r) }
                        continue
                    }
                    first.file = first.nowFile
                    first.row = first.nowRow
                }
                duplicatesFound += 1
                if holding {
                    repeats[match.index, default: []].append(Repeat(batch: Int32(held.count), row: Int32(r), reasons: Message(
                        zh: match.score.reasons.map(\.zh).joined(separator: "、"), en: match.score.reasons.map(\.en).joined(separator: ", "))))
                    continue
                }
                let whereFirst = "\(files[Int(first.file)]) 第 \(first.row) 行"
                let why = match.score.reasons.map(\.zh).joined(separator: "、")
                batch.report(row: r, field: match.byID ? idx.id : idx.name, code: "duplicate-person", severity: keepFirst ? .error : .warning,
                             message: Message(zh: "与 \(whereFirst)是同一人（\(why)）" + (keepFirst ? "，只保留先出现的记录" : ""),
                                              en: "the same person as \(files[Int(first.file)]) row \(first.row) (\(match.score.reasons.map(\.en).joined(separator: ", ")))" + (keepFirst ? "; the first record is kept" : "")),
                             suggestion: Message(zh: "核对后删除重复记录，或把不同之处补到先出现的记录中", en: "check, then remove the repeat or move what differs into the first record"),
                             value: (match.byID ? idx.id : idx.name).flatMap { f in batch.isEmpty(row: r, field: f) ? nil : batch.string(row: r, field: f) })
                continue
            }
            if let (i, s) = lastReview, !previous {
                let q = people[Int(i)]
                batch.report(row: r, field: idx.name, code: "possible-duplicate", severity: .warning,
                             message: Message(zh: "可能与 \(files[Int(q.file)]) 第 \(q.row) 行是同一人（\(s.reasons.map(\.zh).joined(separator: "、"))，得分 \(s.points)）",
                                              en: "may be the same person as \(files[Int(q.file)]) row \(q.row) (\(s.reasons.map(\.en).joined(separator: ", ")); score \(s.points))"),
                             suggestion: Message(zh: "在复核表的「决定」列填 是/否，并用 decisions: 读回", en: "decide in the review sheet's 决定 column and feed it back with decisions:"),
                             value: text.name)
            }
            if !previous && hasPrevious {
                joiners += 1
            }
            add(p, text)
            if holding { firstHere.append(previous ? -1 : here | Int64(r)) }
        }
    }

    // MARK: Holding (keep-most-complete, merge-fields)

    func hold(_ batch: Batch) -> Bool {
        guard holding, batch.source.role != .previous else { return false }
        held.append(batch)
        return true
    }

    func release() throws -> [Batch] {
        defer { held = []; repeats = [:] }
        for (person, later) in repeats.sorted(by: { $0.key < $1.key }) {
            let first = firstHere[Int(person)]
            guard first >= 0 else { continue }
            var records = [Repeat(batch: Int32(first >> 32), row: Int32(first & 0xFFFF_FFFF), reasons: Message(zh: "", en: ""))] + later
            func filled(_ m: Repeat) -> Int {
                let b = held[Int(m.batch)]
                return (0..<b.fieldCount).lazy.filter { !b.isEmpty(row: Int(m.row), field: $0) }.count
            }
            let counts = records.map(filled)
            let k = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
            let keep = records.remove(at: k)
            let keptAt = held[Int(keep.batch)].origin(row: Int(keep.row))
            let keptWhere = (zh: "\(keptAt.file) 第 \(keptAt.row ?? 0) 行", en: "\(keptAt.file) row \(keptAt.row ?? 0)")
            if policy == .mergeFields { merge(into: keep, from: records) }
            for m in records {
                let why = m.reasons.zh.isEmpty ? keep.reasons : m.reasons
                let how = policy == .mergeFields ? (zh: "已并入该记录", en: "merged into it") : (zh: "保留填写最完整的那条", en: "the fullest record is kept")
                let nameField = idx.name ?? 0
                let b = held[Int(m.batch)]
                let name = b.isEmpty(row: Int(m.row), field: nameField) ? nil : b.string(row: Int(m.row), field: nameField)
                held[Int(m.batch)].report(row: Int(m.row), field: idx.name, code: "duplicate-person", severity: .error,
                                          message: Message(zh: "与 \(keptWhere.zh)是同一人（\(why.zh)），\(how.zh)", en: "the same person as \(keptWhere.en) (\(why.en)); \(how.en)"),
                                          suggestion: Message(zh: "核对后删除重复记录", en: "check, then remove the repeat"), value: name)
            }
        }
        return held
    }

    /// Fills the kept record's empty cells from the person's other records (in the order they
    /// came), saying where each value came from; a differing value that was not taken is said too.
    private func merge(into keep: Repeat, from others: [Repeat]) {
        let kb = Int(keep.batch), kr = Int(keep.row)
        for f in 0..<layout.count {
            for m in others {
                let b = held[Int(m.batch)], r = Int(m.row)
                guard !b.isEmpty(row: r, field: f) else { continue }
                let value = b.string(row: r, field: f)
                let at = b.origin(row: r)
                if held[kb].isEmpty(row: kr, field: f) {
                    held[kb].set(row: kr, field: f, value, rule: Message(zh: "合并同一人的重复记录，补入空项", en: "merged from the same person's repeat record"))
                    held[kb].report(row: kr, field: f, code: "merged-value", severity: .info,
                                    message: Message(zh: "此项取自 \(at.file) 第 \(at.row ?? 0) 行（同一人的重复记录）", en: "this value comes from \(at.file) row \(at.row ?? 0) (the same person's repeat record)"),
                                    value: value)
                } else if held[kb].string(row: kr, field: f) != value {
                    held[kb].report(row: kr, field: f, code: "merge-differs", severity: .warning,
                                    message: Message(zh: "同一人的重复记录（\(at.file) 第 \(at.row ?? 0) 行）此项不同，未采用", en: "the same person's repeat record (\(at.file) row \(at.row ?? 0)) has a different value here, not taken"),
                                    suggestion: Message(zh: "核对哪个值正确", en: "check which value is right"), value: value)
                }
            }
        }
    }

    // MARK: Records

    private func intern(file: String) -> Int32 {
        if let i = fileIndex[file] { return i }
        let i = Int32(files.count)
        files.append(file)
        fileIndex[file] = i
        return i
    }

    private func person(_ batch: Batch, _ r: Int, file: Int32, previous: Bool) -> (Person, Text) {
        func value(_ f: Int?) -> String? {
            guard let f, !batch.isEmpty(row: r, field: f) else { return nil }
            return batch.string(row: r, field: f)
        }
        let writtenName = TextFold.name(value(idx.name) ?? "")
        let name = simplifier.simplify(writtenName)
        var id: String?
        var idFacts: IDNumber.Facts?
        if let raw = value(idx.id), case .value(let s, _) = IDNumber.clean(raw) {
            let (facts, problems) = IDNumber.check(s, today: today)
            if problems.isEmpty, let facts { id = s; idFacts = facts }
        }
        var birth: Int32 = 0
        if let b = value(idx.birth), let d = DateText.parse(b, currentYear: today.0) {
            switch d {
            case .day(let y, let m, let dd): birth = Int32(y * 10000 + m * 100 + dd)
            case .month(let y, let m): birth = Int32(y * 10000 + m * 100)
            }
        } else if let f = idFacts {
            birth = Int32(f.year * 10000 + f.month * 100 + f.day)
        }
        var sex: UInt8 = 0
        switch value(idx.sex).map({ CodeTables.sexAliases[TextFold.basic($0).lowercased()] ?? $0 }) {
        case "男"?: sex = 1
        case "女"?: sex = 2
        default: if let f = idFacts { sex = f.male ? 1 : 2 }
        }
        var community: Int32 = -1
        let communityText = value(idx.community).map { TextFold.basic($0).removingSpaces() } ?? ""
        if !communityText.isEmpty {
            if let i = communities[communityText] { community = i } else { community = Int32(communities.count); communities[communityText] = community }
        }
        let phone = value(idx.phone).map { TextFold.basic($0).removingSpaces() } ?? ""
        var categories: UInt16 = 0
        for n in categoryMemo.parse(value(idx.category) ?? "").numbers { categories |= 1 << (n - 1) }
        let work = value(idx.work).map { TextFold.basic($0).removingSpaces() } ?? ""
        let shown = shownIndex.map { value($0) ?? "" }
        let pinyin = Pinyin.ofName(name)
        var chars = SIMD4<UInt32>(repeating: 0)
        var length = 0
        for u in name.unicodeScalars { if length < 4 { chars[length] = u.value }; length += 1 }
        func h(_ value: String) -> UInt64 { var f = FNV(); f.add(value); return f.value }
        var f = FNV()
        f.add(name); f.add(Int(birth)); f.add(Int(sex)); f.add(id ?? ""); f.add(phone); f.add(communityText)
        let p = Person(name: name.isEmpty ? 0 : h(name), written: h(writtenName), pinyin: pinyin.isEmpty ? 0 : h(pinyin),
                       chars: chars, length: UInt8(min(length, 255)), birth: birth, sex: sex, community: community,
                       phone: phone.isEmpty ? 0 : h(phone), categories: categories, work: work.isEmpty ? 0 : h(work),
                       id: id.map(h) ?? 0, file: file, row: Int32(batch.rowNumbers[r]),
                       previous: previous, seenNow: false, fingerprint: f.value)
        var blocks: [UInt64] = []
        blocks.reserveCapacity(4)
        func block(_ tag: String, _ parts: (inout FNV) -> Void) { var k = FNV(); k.add(tag); parts(&k); blocks.append(k.value) }
        if birth % 100 != 0 { block("b") { $0.add(Int(birth)) } }
        if birth != 0 { block("s") { $0.add(Pinyin.surname(name)); $0.add(Int(birth / 10000)) } }
        if !pinyin.isEmpty { blocks.append(p.pinyin ^ 0x6e) }
        // The same phone number makes a candidate, whatever else was mistyped.
        if !phone.isEmpty { blocks.append(p.phone ^ 0x70) }
        let latin = name.unicodeScalars.contains { $0.properties.isAlphabetic && $0.value >= 0x3000 } ? "" : name.lowercased()
        return (p, Text(name: writtenName, id: id, shown: shown, blocks: blocks, latin: latin))
    }

    /// A review sheet's values: names and birth dates in full (what a clerk decides on), ID numbers
    /// and phones masked unless the run shows personal data in full.
    private func masked(_ values: [String]) -> [String] {
        values.enumerated().map { i, v in
            let f = Self.shownFields[i]
            return f == F.id || f == F.phone ? masking.apply(v) : v
        }
    }

    /// FNV-1a over the values: stable from run to run (Swift's `Hasher` is seeded per process),
    /// so a decision filed under a pair's key finds the pair again next quarter.
    static func fingerprint(_ values: [String]) -> UInt64 {
        var f = FNV()
        for v in values { f.add(v) }
        return f.value
    }

    typealias FNV = TaizhangCore.FNV

    /// People per block key, oldest first.
    struct BlockIndex {
        private var members: [UInt64: [Int32]] = [:]

        mutating func add(_ key: UInt64, _ p: Int32) { members[key, default: []].append(p) }

        /// The block's newest `limit` members, oldest of them first; and whether there were more.
        func forEach(_ key: UInt64, limit: Int, _ body: (Int32) -> Void) -> Bool {
            guard let m = members[key] else { return false }
            m.suffix(limit).withUnsafeBufferPointer { for p in $0 { body(p) } }
            return m.count > limit
        }
    }

    private func add(_ p: Person, _ text: Text) {
        let i = Int32(people.count)
        if p.id != 0 { byID[p.id] = i }
        for k in text.blocks {
            blocks.add(k, i)
            if p.id == 0 { blocksWithoutID.add(k, i) }
        }
        comparedIn.append(0)
        people.append(p)
        shownText.append(text.shown.joined(separator: "\u{1F}"))
        latinNames.append(text.latin)
    }

    // MARK: Matching

    /// The last pair `find` sent to review (for the row's own warning).
    private var lastReview: (index: Int32, score: Score)?

    private func find(_ p: Person, _ text: Text) -> (index: Int32, score: Score, byID: Bool, conflict: Bool)? {
        lastReview = nil
        if p.id != 0, let i = byID[p.id] {
            // One ID number, two names that have nothing in common: a typing error, not a duplicate.
            guard Self.nameScore(p, people[Int(i)], text.latin, latinNames[Int(i)]) != nil || people[Int(i)].name == 0 || p.name == 0 else {
                return (i, Score(points: 0, reasons: []), true, true)
            }
            return (i, Score(points: 100, reasons: [("身份证号相同", "same ID number", 100)]), true, false)
        }
        var best: (Int32, Score)?
        findNumber &+= 1
        let stamp = findNumber
        people.withUnsafeBufferPointer { all in
            for k in text.blocks {
                let crowded = (p.id != 0 ? blocksWithoutID : blocks).forEach(k, limit: maxBlock) { i in
                    let q = all[Int(i)]
                    // Two records with valid ID numbers were already compared by them.
                    if p.id != 0 && q.id != 0 { return }
                    if comparedIn[Int(i)] == stamp { return }
                    comparedIn[Int(i)] = stamp
                    guard let s = Self.compare(p, q, text.latin, latinNames[Int(i)]) else { return }
                    // The best score; of equal ones, the person met first.
                    if best == nil || s.points > best!.1.points || (s.points == best!.1.points && i < best!.0) { best = (i, s) }
                }
                if crowded { oversizedBlocks += 1 }
            }
        }
        guard let (i, s) = best, s.points >= reviewThreshold else { return nil }
        let q = people[Int(i)]
        let key = ReviewSet.pairKey(p.fingerprint, q.fingerprint)
        if let decided = decisions[key] {
            guard decided else { return nil }
            var s = s
            s.reasons.append(("复核确认为同一人", "confirmed in review", 0))
            return (i, s, false, false)
        }
        if s.points >= threshold {
            if p.id != 0, q.id == 0 { people[Int(i)].id = p.id; byID[p.id] = i }
            return (i, s, false, false)
        }
        reviewCount += 1
        lastReview = (i, s)
        if reviews.count < 10_000 {
            func signed(_ n: Int) -> String { n >= 0 ? "+\(n)" : "−\(-n)" }
            let reasons = Message(zh: s.reasons.map { "\($0.zh) \(signed($0.points))" }.joined(separator: " · "),
                                  en: s.reasons.map { "\($0.en) \(signed($0.points))" }.joined(separator: " · "))
            let left = shownText[Int(i)].split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            reviews.append(ReviewSet.Pair(key: key, score: Double(s.points), reasons: reasons,
                                          left: .init(origin: Origin(file: files[Int(q.file)], row: Int(q.row)), values: masked(left)),
                                          right: .init(origin: Origin(file: files[Int(p.file)], row: Int(p.row)), values: masked(text.shown))))
        }
        return nil
    }

    /// How alike two names are, or nil when not at all.
    static func nameScore(_ a: Person, _ b: Person, _ la: String = "", _ lb: String = "") -> (zh: String, en: String, points: Int)? {
        if a.name == b.name && a.written == b.written { return ("姓名相同", "same name", 40) }
        if a.name == b.name { return ("姓名繁简不同", "same name in traditional/simplified characters", 38) }
        if a.pinyin != 0 && a.pinyin == b.pinyin { return ("姓名同音", "names sound the same", 30) }
        if a.length >= 2, a.length <= 4, a.length == b.length {
            let differ = a.chars .!= b.chars
            var n = 0
            for k in 0..<4 where differ[k] { n += 1 }
            if n == 1 { return ("姓名差一字", "names differ in one character", 20) }
        }
        // Names in Latin letters (overseas members, romanised entries): a typing slip or two.
        if !la.isEmpty, !lb.isEmpty, abs(la.utf8.count - lb.utf8.count) <= 2 {
            let d = Suggest.distance(Array(la), Array(lb))
            let longer = max(la.count, lb.count)
            if d == 1 && longer >= 5 { return ("姓名拼写差一处", "names one letter apart", 30) }
            if d == 2 && longer >= 8 { return ("姓名拼写差两处", "names two letters apart", 20) }
        }
        return nil
    }

    /// The score of two records without a shared ID number, or nil when they cannot be one person.
    static func compare(_ a: Person, _ b: Person, _ la: String = "", _ lb: String = "") -> Score? {
        if a.id != 0, b.id != 0, a.id != b.id { return nil }
        if a.sex != 0, b.sex != 0, a.sex != b.sex { return nil }
        var s = Score(points: 0, reasons: [])
        func add(_ zh: String, _ en: String, _ n: Int) { s.points += n; s.reasons.append((zh, en, n)) }
        guard let n = nameScore(a, b, la, lb) else { return nil }
        add(n.zh, n.en, n.points)
        if a.birth != 0 && b.birth != 0 {
            let (ya, ma, da) = (a.birth / 10000, a.birth / 100 % 100, a.birth % 100)
            let (yb, mb, db) = (b.birth / 10000, b.birth / 100 % 100, b.birth % 100)
            if a.birth == b.birth {
                add("出生日期相同", "same birth date", 35)
            } else if ya == yb, ma == mb, da == 0 || db == 0 {
                add("出生年月相同", "same birth month", 28)
            } else if [ya != yb, ma != mb, da != db].filter({ $0 }).count == 1 {
                add("出生日期一处不同", "birth date differs in one part", 15)
            } else {
                return nil
            }
        }
        if a.sex != 0 && a.sex == b.sex { add("性别相同", "same sex", 5) }
        if a.community >= 0 && a.community == b.community { add("社区相同", "same community", 10) }
        if a.phone != 0 && a.phone == b.phone { add("电话相同", "same phone", 15) }
        // What both records fill in and that differs is evidence against: two people who share a
        // common name, birth date, sex and community differ in phone, category or workplace.
        if a.phone != 0 && b.phone != 0 && a.phone != b.phone { add("电话不同", "different phones", -20) }
        if a.categories != 0 && b.categories != 0 && a.categories & b.categories == 0 { add("类别不同", "no category in common", -10) }
        if a.work != 0 && b.work != 0 && a.work != b.work { add("工作单位不同", "different workplaces", -10) }
        return s
    }

    // MARK: End of run

    func finish(_ summary: RunSummary) throws -> (tables: [StatTable], issues: [Issue]) {
        var issues: [Issue] = []
        if oversizedBlocks > 0 {
            issues.append(Issue(code: "duplicates-block-capped", severity: .info, origin: Origin(file: files.first ?? ""),
                                message: Message(zh: "有 \(oversizedBlocks) 次比较因同名同音人数超过 \(maxBlock) 只比较了最近的 \(maxBlock) 人（可调 max_block）",
                                                 en: "\(oversizedBlocks) comparisons were limited to the latest \(maxBlock) people of a crowded block (see max_block)"),
                                personal: false))
        }
        if reviewCount > 0 {
            issues.append(Issue(code: "possible-duplicates", severity: .warning, origin: Origin(file: files.first ?? ""),
                                message: Message(zh: "\(reviewCount) 对记录疑似同一人，需人工复核（用 write: review-workbook 输出复核表，填好后用 decisions: 读回）",
                                                 en: "\(reviewCount) pairs may be the same person and need review (write: review-workbook; feed it back with decisions:)"),
                                personal: false))
        }
        guard hasPrevious else { return ([], issues) }
        let leavers = people.lazy.filter { $0.previous && !$0.seenNow }.count
        let previousCount = people.lazy.filter(\.previous).count
        let table = StatTable(key: "changes-by-person", title: "人员变动（查重比对）", sheet: "人员变动（查重）", marks: [], unit: "", period: "", periodLabel: "",
                              measure: "单位：人", stubHeading: "项目",
                              columns: [.init(key: "previous", path: ["上期人数"]), .init(key: "joined", path: ["本期变动", "新增"]),
                                        .init(key: "left", path: ["本期变动", "减少"]), .init(key: "current", path: ["本期人数"])],
                              rows: [.init(key: "total", label: "合计", counts: [previousCount, joiners, leavers, previousCount + joiners - leavers])],
                              footnote: "按身份证号，无证号时按姓名（含同音、繁简）、出生日期、性别、社区、电话比对上期台账；疑似重复未经复核的不算同一人。",
                              footer: [], checks: [StatTable.Check(rule: "1+2−3=4", ok: true)])
        return ([table], issues)
    }

    func reviewSets() -> [ReviewSet] {
        guard !reviews.isEmpty else { return [] }
        return [ReviewSet(title: Message(zh: "疑似重复人员", en: "possible duplicates"), fields: Self.shownFields, pairs: reviews, words: .chinese)]
    }
}
