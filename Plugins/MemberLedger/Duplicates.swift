import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangLinkage

/// `step: duplicates` — finds the same person recorded twice: within a file, across the
/// pipeline's inputs, and against a previous period's ledger (an input with `role: previous`).
/// It shares the matching engine with `step: link` — the Fellegi–Sunter model, its EM and the
/// weights' explanation (`Plugins/Linkage/FellegiSunter.swift`) — and brings what a member ledger
/// needs around it: comparators that know Chinese names and ID numbers, streaming candidates from
/// blocks, every record of a person kept to compare with, the merge policies.
///
/// - **Exact**: the canonical 18-digit ID number (15-digit, full-width and lower-case-x forms of
///   one ID match). Two different valid ID numbers are two people, whatever their names; so are
///   two records of different sex, or whose names are not alike at all.
/// - **Probable**, for records without a usable ID: candidates from blocks (birth date; name
///   pinyin + birth year, and + month and day; name pinyin for a record
///   without a birth date; phone), compared column by column — name
///   (same; traditional/simplified; same pinyin, surnames read as surnames: 曾 zeng, 单 shan;
///   one character off; in Latin letters one or two letters apart), birth date (same; month only;
///   one part off; other), sex, community, phone, category, workplace, 政治面貌, 学历, 民族. What both records fill in
///   and that differs is evidence against. Each level's weight is log2(m/u): u counted on random
///   pairs of the data, m and the share of matches estimated by EM on the candidate pairs, from
///   the preset's values (few records leave them nearly as they are, many outweigh them); m of
///   phone, category, workplace, 政治面貌, 学历 and 民族 counted on the records that share an ID
///   number (labelled pairs: EM alone takes strangers alike in all but these for repeats). The
///   model is learnt on the first `train_rows` records (held meanwhile), then every record is
///   decided with it. At `threshold` (match probability, %) two records are one person; from
///   `review_threshold` the pair is listed for review (`write: review-workbook`), with the weight
///   explained column by column.
/// - **Persons**: a record joins the person of the record it matches best — any of that person's
///   records, so a third record with the birth date of the second finds them — and is reported
///   against the person's first record.
/// - **Policy**: `keep-first` quarantines later records of a person (error `duplicate-person`,
///   naming the first); `keep-most-complete` keeps the record with the most cells filled (the
///   first of equals) and quarantines the others; `merge-fields` does the same and also fills the
///   kept record's empty cells from the others, each filled cell saying where its value came from
///   (info `merged-value`) and each differing value left out said too (warning `merge-differs`);
///   `flag` keeps every record, with a warning. Each person counts once in every return. The two
///   middle policies need every row before deciding, so they hold the run's rows until the end
///   (memory grows with the ledgers; `keep-first` and `flag` hold only the first `train_rows`).
/// - **Review loop**: `decisions:` names the filled review sheet; its 是/否 apply on every run.
///
/// With a previous period's ledger, the run's joiners (新增) and leavers (减少) are counted in a
/// table `人员变动（查重）` — like `member-return`'s, but matching people without ID numbers too.
public enum DuplicatesPlugin {
    public static let spec = PluginSpec(
        name: "duplicates", kind: .step,
        summary: Message(zh: "查重：身份证号精确匹配；无证号时按姓名（繁简、同音）、出生日期、性别、社区、电话、类别、单位、政治面貌、学历、民族逐列比较，权重由数据估计（Fellegi–Sunter）；疑似重复列入复核表；对比上期算新增/减少",
                         en: "Duplicates: exact on the canonical ID; otherwise name (traditional, homophones), birth, sex, community, phone, category, workplace, political status, education, ethnic group compared, weights learnt from the data (Fellegi–Sunter); review sheet; joiners/leavers"),
        options: [
            OptionSpec("policy", .choice(["keep-first", "keep-most-complete", "merge-fields", "flag"]), default: "keep-first",
                       doc: Message(zh: "keep-first：保留先出现的记录，其余隔离；keep-most-complete：保留填写最完整的记录；merge-fields：保留最完整的并用其余记录补齐空项（注明来源）；flag：只标记（警告），记录都保留",
                                    en: "keep-first: keep the first record, quarantine the rest; keep-most-complete: keep the fullest record; merge-fields: keep the fullest and fill its blanks from the others (each value's source noted); flag: warn only")),
            OptionSpec("threshold", .integer, default: "90", doc: Message(zh: "判为同一人的匹配概率（%）", en: "match probability (%) at which two records are one person")),
            OptionSpec("review_threshold", .integer, default: "30", doc: Message(zh: "列入人工复核的匹配概率（%）", en: "match probability (%) at which a pair goes to review")),
            OptionSpec("train_rows", .integer, default: "50000", doc: Message(zh: "用前多少条记录估计匹配模型（这些行在估计完成前暂存）", en: "records the matching model is learnt on (held until it is)")),
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
    /// comparisons of a million-row run copy no strings (and retain nothing); 80 bytes a person.
    /// Values compared only for equality between two candidates keep 32 bits of their hash (a
    /// false agreement once in four billion comparisons); the ID number, looked up among all
    /// people, and the fingerprint, a review decision's key, keep 64.
    struct Person {
        var chars: SIMD4<UInt32>  // the first four characters, for "one character off"
        var id: UInt64            // hash of the canonical, valid ID; 0 none
        var fingerprint: UInt64
        var name: UInt32          // hash of the simplified name; 0 when empty
        var written: UInt32       // hash of the name as written (traditional characters kept)
        var pinyin: UInt32        // hash of the toneless pinyin; 0 when none
        var phone: UInt32         // hash; 0 none
        var work: UInt32          // hash of 工作单位及职务; 0 none
        var party: UInt32         // hash of 政治面貌 (its standard name); 0 none
        var birth: Int32          // yyyymmdd; dd = 0 when only the month is known; 0 unknown
        var community: Int32      // interned; -1 unknown
        var row: Int32
        private var source: UInt16 // the interned source (`file`)
        var categories: UInt16    // the categories held (bit n−1 for category n); 0 none
        var length: UInt8         // characters in the name
        /// Sex in the low 2 bits (0 unknown, 1 男, 2 女), 民族 above them (0 unknown, else interned).
        private var sexEthnicity: UInt8
        /// Flags in the low 3 bits, 学历 above them (0 unknown, else interned).
        private var flags: UInt8 = 0
        var kept: UInt8 = 1       // on a person's first record: how many of their records are kept
        /// The person's first record (its own index when it is one): every record of a person is
        /// kept to compare with, so a third record meets the one it is most like.
        var root: Int32 = -1

        init(chars: SIMD4<UInt32>, id: UInt64, fingerprint: UInt64, name: UInt32, written: UInt32, pinyin: UInt32, phone: UInt32, work: UInt32, party: UInt32,
             birth: Int32, community: Int32, file: Int32, row: Int32, categories: UInt16, length: UInt8, sex: UInt8, previous: Bool,
             education: UInt8 = 0, ethnicity: UInt8 = 0) {
            (self.chars, self.id, self.fingerprint, self.name, self.written, self.pinyin, self.phone, self.work, self.party) = (chars, id, fingerprint, name, written, pinyin, phone, work, party)
            (self.birth, self.community, self.row, self.source, self.categories, self.length) = (birth, community, row, UInt16(truncatingIfNeeded: file), categories, length)
            sexEthnicity = sex & 3 | min(ethnicity, Self.ethnicities) << 2
            self.previous = previous
            self.education = education
        }

        /// Values an interned 学历 / 民族 code can take (one more is "not known").
        static let educations: UInt8 = 31, ethnicities: UInt8 = 63
        var sex: UInt8 { sexEthnicity & 3 }
        var ethnicity: UInt8 { sexEthnicity >> 2 }
        var education: UInt8 {
            get { flags >> 3 }
            set { flags = flags & 7 | min(newValue, Self.educations) << 3 }
        }

        /// The interned display name of the record's source (a run has far fewer than 65,536).
        var file: Int32 {
            get { Int32(source) }
            set { source = UInt16(truncatingIfNeeded: newValue) }
        }
        /// A previous period's record.
        var previous: Bool {
            get { flags & 1 != 0 }
            set { flags = newValue ? flags | 1 : flags & ~1 }
        }
        /// A previous-period person found again in this period.
        var seenNow: Bool {
            get { flags & 2 != 0 }
            set { flags = newValue ? flags | 2 : flags & ~2 }
        }
        /// The name is in Latin letters (kept in `latinNames`).
        var latin: Bool {
            get { flags & 4 != 0 }
            set { flags = newValue ? flags | 4 : flags & ~4 }
        }
    }

    /// The current record's text, needed only when it is reported or goes to review.
    struct Text {
        var name: String
        var id: String?
        /// The blocks the record is kept under and looked for in; `keptOnly` / `lookedOnly`: bits
        /// of the blocks it is only kept under / only looked for in.
        var blocks: [UInt64]
        var keptOnly: UInt8 = 0
        var lookedOnly: UInt8 = 0
        /// The record's `sketch`, worked out once: compared with every block member, kept in `sketches`.
        var sketch: UInt64 = 0
        /// The name when it is written in Latin letters (lower-cased), for spelling distance; else "".
        var latin: String
        /// Where the record is, as `SamePerson` numbers places.
        var place: UInt64 = 0
    }

    /// How two records compare, one level per column of `Column` (`FellegiSunter.none` where
    /// either is empty).
    typealias Gamma = SIMD16<UInt8>

    /// A candidate pair's comparison and match weight (log2 odds).
    struct Score {
        var gamma: Gamma
        var weight: Double
        /// Both names are in Latin letters (the name levels are then spelling distances).
        var latin: Bool
        /// The name's own weight: for one name written alike, by how common the name is (how
        /// many of the records the model learnt on bear it); else the level's.
        var nameWeight: Double
        var nameCount: Int
        var probability: Double { FellegiSunter.probability(weight: weight) }
    }

    /// The columns the model compares, in the order of a pair's levels.
    enum Column: Int, CaseIterable { case name, birth, sex, community, phone, category, work, party, education, ethnicity }

    /// Each column's levels, lowest (most unlike) first, in words.
    static let levelWords: [[(zh: String, en: String)]] = [
        [("姓名不像", "names unlike"), ("姓名差一字", "names differ in one character"), ("姓名同音", "names sound the same"),
         ("姓名繁简不同", "same name in traditional/simplified characters"), ("姓名相同", "same name")],
        [("出生日期不同", "different birth dates"), ("出生年份不同", "different birth years"),
         ("出生日期月或日不同", "birth date differs in the month or the day"),
         ("出生日期一处差一或日月颠倒", "birth date one apart in one part, or day and month swapped"),
         ("出生年月相同", "same birth month"), ("出生日期相同", "same birth date")],
        [("性别不同", "different sex"), ("性别相同", "same sex")],
        [("社区不同", "different communities"), ("社区相同", "same community")],
        [("电话不同", "different phones"), ("电话相同", "same phone")],
        [("类别不同", "no category in common"), ("类别相同", "a category in common")],
        [("工作单位不同", "different workplaces"), ("工作单位相同", "same workplace")],
        [("政治面貌不同", "different political status"), ("政治面貌相同", "same political status")],
        [("学历不同", "different education"), ("学历相同", "same education")],
        [("民族不同", "different ethnic groups"), ("民族相同", "same ethnic group")],
    ]
    static let latinWords: [(zh: String, en: String)] = [("姓名不像", "names unlike"), ("姓名拼写差两处", "names two letters apart"),
                                                         ("姓名拼写差一处", "names one letter apart")]
    static let levels = levelWords.map(\.count)
    /// Weight tables hold this many levels a column.
    static let width = levels.max()!

    /// The preset: m and u before the data has said anything, and the share of matches among
    /// candidates. They are what a ledger of a few dozen rows is judged by; a large one's own
    /// pairs outweigh them (EM with the preset counted as `presetPairs` pairs).
    static let presetM: [[Double]] = [
        [0.01, 0.04, 0.12, 0.08, 0.75],     // name: a repeat is mostly written the same
        [0.02, 0.01, 0.02, 0.10, 0.04, 0.81], // birth: a slip in one part now and then
        [0.01, 0.99],                       // sex
        [0.30, 0.70],                       // community: people move
        [0.10, 0.90],                       // phone
        [0.10, 0.90],                       // category
        [0.30, 0.70],                       // workplace
        [0.05, 0.95],                       // 政治面貌: joined a party now and then
        [0.05, 0.95],                       // 学历: studied on now and then
        [0.01, 0.99],                       // 民族
    ]
    static let presetU: [[Double]] = [
        [0.97, 0.025, 0.003, 0.0005, 0.0015],
        [0.993, 0.0027, 0.0028, 0.0004, 0.00095, 0.00005],
        [0.5, 0.5],
        [0.85, 0.15],
        [0.9999, 0.0001],
        [0.8, 0.2],
        [0.99, 0.01],
        [0.6, 0.4],
        [0.7, 0.3],
        [0.2, 0.8],
    ]
    static let presetLambda = 0.1
    static let presetPairs = 50.0
    static let presetRandomPairs = 10_000.0
    /// The share of matches among all pairs of a ledger, before the data says: one in a million
    /// (a street's 10,000 people with 50 written twice), counted as ten million pairs.
    static let presetMatchShare = 1e-6
    static let presetNames = 10_000.0
    static let presetAllPairs = 1e7

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
    private let threshold: Double
    private let reviewThreshold: Double
    private let maxBlock: Int
    /// Until the model is learnt: the batches held, and their records' comparison data.
    private let trainRows: Int
    private var training = true
    private var window: [Batch] = []
    /// Every record read while training (in order), to learn from and then decide about.
    private var sample: [(person: Person, text: Text)] = []
    private var replayed = 0
    private var model = FellegiSunter(m: DuplicateFinder.presetM, u: DuplicateFinder.presetU, lambda: DuplicateFinder.presetLambda, iterations: 0)
    /// log2(m/u) per column and level (`width` a column), from `model`: for pairs whose names sound
    /// alike (name level `soundAlike` and up); and with u of random pairs, for the others.
    private var weights: [Double] = []
    private var unalikeWeights: [Double] = []
    static let soundAlike: UInt8 = 2
    private var modelFacts = (records: 0, candidates: 0, sameDay: 0)
    /// Pairs of records of one ID number the model counted m on (`countedByID`).
    private var idPairs = 0
    /// The columns whose m pairs of one ID number tell: not the name, birth date and sex, which
    /// IdentityCheck holds alike for one number (a pair differing there is quarantined, not seen);
    /// nor the community: a person listed by two communities is listed with the number in both
    /// more often than a repeat typed without it is (on the bench's ledger +0.7 for the same
    /// community where EM says +2.3, and 400 repeats of 190,000 missed).
    static let countedByID = [Column.phone, .category, .work, .party, .education, .ethnicity].map(\.rawValue)
    private let masking: Masking
    private let simplifier = Simplifier()
    private lazy var categoryMemo = CodeTables.CategoryMemo(vocab)
    private let idx: (name: Int?, sex: Int?, birth: Int?, id: Int?, phone: Int?, community: Int?, category: Int?, work: Int?, party: Int?, education: Int?, ethnicity: Int?)
    /// 学历 and 民族 as small codes, in the order met (a ledger has a few dozen of each).
    private var educations: [String: UInt8] = [:], ethnicities: [String: UInt8] = [:]
    private let shownIndex: [Int?]
    private let today = DateText.today()

    /// Grown in place (`GrowingArray`): at 80 bytes a record, an array's doubling copy was the run's peak.
    private let people = GrowingArray<Person>()
    /// Per person: the values for a review sheet, joined by U+001F (masked when shown).
    private let shown = TextColumn()
    /// Per person: the Latin-letter name (see `Text.latin`); "" for Chinese names (no allocation).
    private var latinNames: [Int32: String] = [:]
    private var byID = NumberIndex()
    /// Previous-period people found again: where, this period (a second record there is a duplicate of that one).
    private var seenAt: [Int32: (file: Int32, row: Int32, place: UInt64)] = [:]
    private let blocks = BlockIndex()
    /// The same blocks holding only people without an ID number: all a record with a valid ID
    /// needs to be compared with (most ledgers have IDs for most people, so these stay small).
    private let blocksWithoutID = BlockIndex()
    /// Per person: the number of the last `find` that compared with them (a person in two of a
    /// record's blocks is compared once).
    private var comparedIn: [UInt32] = []
    private let sketches = GrowingArray<UInt64>()
    private var findNumber: UInt32 = 0
    private var communities: [String: Int32] = [:]
    private var files: [String] = []
    private var fileIndex: [String: Int32] = [:]
    private var sheets: [String?] = []
    /// Records that went on as persons of their own and are not (see `SamePerson`), for the return.
    private let samePerson: SamePerson
    /// Persons found to be one after the first of them had gone on (streaming policies): the
    /// later-found person's first record, the person's, and why — said at the end.
    private var lateJoins: [(person: Int32, viaFile: Int32, viaRow: Int32, reasons: Message)] = []
    private var decisions: [String: Bool] = [:]
    private var reviews: [ReviewSet.Pair] = []
    private var reviewCount = 0
    private var oversizedBlocks = 0
    private var hasPrevious = false
    private var joiners = 0
    private(set) var duplicatesFound = 0

    static let shownFields = [F.name, F.sex, F.birth, F.id, F.phone, F.community, F.category, F.work]

    private let vocab: CodeTables

    init(options: Options, layout: Layout, context: PluginContext) throws(Diagnostics) {
        vocab = .of(context.schema)
        samePerson = .shared(context)
        samePerson.matching = true
        self.layout = layout
        policy = Policy(rawValue: options.string("policy") ?? "keep-first") ?? .keepFirst
        // Without its own review_threshold, a low threshold takes the default review level down with it.
        let threshold = options.int("threshold") ?? 90, review = options.has("review_threshold") ? options.int("review_threshold") ?? 30 : min(30, threshold)
        if (options.int("train_rows") ?? 50_000) < 1 {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "train_rows"), Message(zh: "train_rows 须为正数", en: "train_rows must be positive"))])
        }
        if !(1...99).contains(threshold) || !(1...threshold).contains(review) {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "threshold"), Message(
                zh: "threshold 须在 1–99 之间，review_threshold 在 1 与 threshold 之间（都是匹配概率的百分数）",
                en: "threshold must be 1–99 and review_threshold between 1 and threshold (both are match probabilities, %)"))])
        }
        self.threshold = Double(threshold) / 100
        reviewThreshold = Double(review) / 100
        maxBlock = max(2, options.int("max_block") ?? 5000)
        trainRows = max(1, options.int("train_rows") ?? 50_000)
        masking = context.masking
        idx = (layout.index(of: F.name), layout.index(of: F.sex), layout.index(of: F.birth), layout.index(of: F.id),
               layout.index(of: F.phone), layout.index(of: F.community), layout.index(of: F.category), layout.index(of: F.work), layout.index(of: F.political),
               layout.index(of: F.education), layout.index(of: F.ethnicity))
        shownIndex = Self.shownFields.map { layout.index(of: $0) }
        let fromSheet = try ReviewSet.decisions(options, context, words: .chinese)
        decisions = fromSheet
        // With a store, decisions fed back in earlier runs still hold; this run's sheet wins a
        // disagreement and is kept in the store when the run starts reading.
        if let file = context.store, FileManager.default.fileExists(atPath: file) {
            do {
                let kept = try Store(path: file, create: false).decisions()
                decisions = kept.merging(decisions) { _, sheet in sheet }
            } catch let p as Store.Problem {
                throw Diagnostics([Diagnostic(.error, at: options.position(of: "decisions"), p.message)])
            } catch {}
        }
        storeFile = context.store
        sheetDecisions = fromSheet
        sheetName = options.string("decisions") ?? ""
    }

    /// The store (资料库) the pipeline names, and the decisions to keep in it once the run has begun.
    private let storeFile: String?
    private var sheetDecisions: [String: Bool]
    private let sheetName: String

    func process(_ batch: inout Batch) throws {
        if let file = storeFile, !sheetDecisions.isEmpty {
            // Kept before any writer opens its transaction (a step sees a batch before the writers do).
            do { try Store(path: file).keep(decisions: sheetDecisions, source: sheetName) } catch let p as Store.Problem { throw StepFailure(p.message) }
            sheetDecisions = [:]
        }
        if training { observe(batch) } else { decide(&batch, index: held.count) }
    }

    /// Decides about each record of a batch (the `index`-th held, when the policy holds); with
    /// `replay`, a batch read while training, whose records are in `sample`.
    private func decide(_ batch: inout Batch, index: Int, replay: Bool = false) {
        let previous = batch.source.role == .previous
        if previous { hasPrevious = true }
        let file = intern(batch.source)
        let here = Int64(index) << 32
        for r in 0..<batch.count where previous || !batch.hasError[r] {
            let (p, text): (Person, Text)
            if replay { (p, text) = sample[replayed]; replayed += 1 } else { (p, text) = person(batch, r, file: file, previous: previous) }
            if p.name == 0 && p.id == 0 { continue }
            if let match = find(p, text, shown: { shownValues(batch, r) }) {
                if match.conflict {
                    let first = people[Int(match.index)]
                    batch.report(row: r, field: idx.id, code: "id-conflict", severity: .error,
                                 message: Message(zh: "身份证号与 \(files[Int(first.file)]) 第 \(first.row) 行相同，但姓名对不上：至少一处录错",
                                                  en: "the ID number is the same as in \(files[Int(first.file)]) row \(first.row), but the names differ: one of them is mistyped"),
                                 suggestion: Message(zh: "与原始证件核对两条记录的身份证号和姓名", en: "check both records' ID number and name against the originals"),
                                 value: text.id)
                    continue
                }
                if !previous {
                    for other in match.also { join(other, into: match.index, via: p, reasons: match.alsoReasons ?? match.reasons) }
                }
                var first = people[Int(match.index)]
                // Kept to compare with unless it is a copy of the record it matched.
                let like = people[Int(match.record >= 0 ? match.record : match.index)]
                if p.fingerprint != like.fingerprint && first.kept < Self.recordsPerPerson {
                    people[Int(match.index)].kept += 1
                    add(p, text, root: match.index, shown: batch, r)
                }
                if previous { continue }
                if first.previous {
                    // The same person as last period: the first record of them this period is no
                    // duplicate; a second one is, of that first one.
                    if !first.seenNow {
                        people[Int(match.index)].seenNow = true
                        seenAt[match.index] = (file, p.row, text.place)
                        if holding { firstHere[Int(match.index)] = here | Int64(r) }
                        continue
                    }
                    if let here = seenAt[match.index] { (first.file, first.row) = (here.file, here.row) }
                }
                duplicatesFound += 1
                if holding {
                    repeats[match.index, default: []].append(Repeat(batch: Int32(index), row: Int32(r), reasons: match.reasons))
                    continue
                }
                // Flagged, the record goes on: the return counts it as the person it is.
                if policy == .flag { samePerson.link(text.place, to: first.previous ? seenAt[match.index]?.place ?? 0 : places[Int(match.index)]) }
                let whereFirst = "\(files[Int(first.file)]) 第 \(first.row) 行"
                batch.report(row: r, field: match.byID ? idx.id : idx.name, code: "duplicate-person", severity: keepFirst ? .error : .warning,
                             message: Message(zh: "与 \(whereFirst)是同一人（\(match.reasons.zh)）" + (keepFirst ? "，只保留先出现的记录" : ""),
                                              en: "the same person as \(files[Int(first.file)]) row \(first.row) (\(match.reasons.en))" + (keepFirst ? "; the first record is kept" : "")),
                             suggestion: Message(zh: "核对后删除重复记录，或把不同之处补到先出现的记录中", en: "check, then remove the repeat or move what differs into the first record"),
                             value: (match.byID ? idx.id : idx.name).flatMap { f in batch.isEmpty(row: r, field: f) ? nil : batch.string(row: r, field: f) })
                continue
            }
            if let (i, s) = lastReview, !previous {
                let q = people[Int(i)]
                samePerson.review(text.place, of: places[Int(i)])
                let why = explain(s)
                batch.report(row: r, field: idx.name, code: "possible-duplicate", severity: .warning,
                             message: Message(zh: "可能与 \(files[Int(q.file)]) 第 \(q.row) 行是同一人（\(why.zh)）",
                                              en: "may be the same person as \(files[Int(q.file)]) row \(q.row) (\(why.en))"),
                             suggestion: Message(zh: "在复核表的「决定」列填 是/否，并用 decisions: 读回", en: "decide in the review sheet's 决定 column and feed it back with decisions:"),
                             value: text.name)
            }
            if !previous && hasPrevious {
                joiners += 1
            }
            add(p, text, shown: batch, r)
            if holding && !previous { firstHere[firstHere.count - 1] = here | Int64(r) }
        }
    }

    /// Person `other` is one with `root`: record `via` was surely both. Its records become root's.
    /// Held, they are root's repeats like any other; streamed, the other person's first record has
    /// gone on, so it is said at the end and the return counts the two as one (`samePerson`).
    private func join(_ other: Int32, into root: Int32, via: Person, reasons: Message) {
        let (a, b) = (people[Int(root)], people[Int(other)])
        // An earlier join of this record may have given the person an ID number: two numbers are two people.
        guard b.root == other, a.id == 0 || b.id == 0 || a.id == b.id else { return }
        people[Int(other)].root = root
        if a.id == 0 && b.id != 0 { people[Int(root)].id = b.id; byID.updateValue(root, forKey: b.id) }
        people[Int(root)].kept = UInt8(min(Int(a.kept) + Int(b.kept), Int(Self.recordsPerPerson)))
        duplicatesFound += 1
        // Both were joiners (neither is last period's): one person joined.
        if hasPrevious { joiners -= 1 }
        if holding {
            let first = firstHere[Int(other)]
            if first >= 0 { repeats[root, default: []].append(Repeat(batch: Int32(first >> 32), row: Int32(first & 0xFFFF_FFFF), reasons: reasons)) }
            repeats[root, default: []] += repeats.removeValue(forKey: other) ?? []
            firstHere[Int(other)] = -1
        } else {
            lateJoins.append((other, via.file, via.row, reasons))
        }
    }

    // MARK: Holding (keep-most-complete, merge-fields)

    func hold(_ batch: Batch) -> Bool {
        if training {
            window.append(batch)
            return true
        }
        guard holding, batch.source.role != .previous else { return false }
        held.append(batch)
        return true
    }

    func releaseEarly() throws -> [Batch] {
        guard training, sample.count >= trainRows else { return [] }
        return endTraining()
    }

    func release() throws -> [Batch] {
        let early = training ? endTraining() : []
        guard holding else { return early }
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
        return early + held
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

    /// A source's number here (its file and sheet), its name in messages and its number in `samePerson`.
    private func intern(_ source: SourceInfo) -> Int32 {
        let key = source.file + "\u{1F}" + (source.sheet ?? "")
        if let i = fileIndex[key] { return i }
        let i = Int32(files.count)
        files.append(source.file)
        sheets.append(source.sheet)
        fileIndex[key] = i
        return i
    }

    /// A record's place as `samePerson` numbers it.
    /// Per record kept: where it is (`SamePerson.place`).
    private var places: [UInt64] = []

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
            case .month(let y, let m):
                // A month written where the ID number holds the day: the number's day (the month
                // alone met a repeat born a month off in no block, and compared as two parts off).
                if let f = idFacts, f.year == y, f.month == m { birth = Int32(y * 10000 + m * 100 + f.day) } else { birth = Int32(y * 10000 + m * 100) }
            }
        } else if let f = idFacts {
            birth = Int32(f.year * 10000 + f.month * 100 + f.day)
        }
        var sex: UInt8 = 0
        switch value(idx.sex).map({ vocab.sexAliases[TextFold.basic($0).lowercased()] ?? $0 }) {
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
        // By its standard name (民盟 is 中国民主同盟盟员), whether or not the normaliser ran.
        let party = value(idx.party).map { vocab.standardValue(F.political, $0) ?? TextFold.basic($0).removingSpaces() } ?? ""
        // 学历 and 民族 by their standard names, interned; past the codes a byte holds, unknown.
        func code(_ f: Int?, _ field: String, _ known: inout [String: UInt8], _ most: UInt8) -> UInt8 {
            guard let v = value(f) else { return 0 }
            let standard = vocab.standardValue(field, v) ?? TextFold.basic(v).removingSpaces()
            if standard.isEmpty { return 0 }
            if let c = known[standard] { return c }
            guard known.count < Int(most) else { return 0 }
            let c = UInt8(known.count + 1)
            known[standard] = c
            return c
        }
        let education = code(idx.education, F.education, &educations, Person.educations)
        let ethnicity = code(idx.ethnicity, F.ethnicity, &ethnicities, Person.ethnicities)
        let pinyin = Pinyin.print(name)
        var chars = SIMD4<UInt32>(repeating: 0)
        var length = 0
        for u in name.unicodeScalars { if length < 4 { chars[length] = u.value }; length += 1 }
        func h(_ value: String) -> UInt64 { var f = FNV(); f.add(value); return f.value }
        /// 32 bits of a hash, never 0 (0 is "empty").
        func h32(_ value: String) -> UInt32 { value.isEmpty ? 0 : max(UInt32(truncatingIfNeeded: h(value) >> 16), 1) }
        var f = FNV()
        f.add(name); f.add(Int(birth)); f.add(Int(sex)); f.add(id ?? ""); f.add(phone); f.add(communityText)
        var p = Person(chars: chars, id: id.map(h) ?? 0, fingerprint: f.value,
                       name: h32(name), written: h32(writtenName), pinyin: pinyin.empty ? 0 : max(UInt32(truncatingIfNeeded: pinyin.hash >> 16), 1), phone: h32(phone), work: h32(work), party: h32(party),
                       birth: birth, community: community, file: file, row: Int32(batch.rowNumbers[r]),
                       categories: categories, length: UInt8(min(length, 255)), sex: sex, previous: previous,
                       education: education, ethnicity: ethnicity)
        var blocks: [UInt64] = []
        blocks.reserveCapacity(7)
        func block(_ tag: String, _ parts: (inout FNV) -> Void) { var k = FNV(); k.add(tag); parts(&k); blocks.append(k.value) }
        if birth % 100 != 0 { block("b") { $0.add(Int(birth)) } }
        // No block of surname and birth month: a name one character off (not of one sound) with the
        // day also off scores below review unless the phone agrees — and then the phone block
        // brings the pair. It cost a tenth of a million-row run (the outside check and the bench
        // found the same pairs without it).
        // The name's sound: with the birth year, and with the month and day — a pair alike in
        // sound is a candidate only with at most one part of the date off, so it shares one of the
        // two (a common name's thousand bearers are not each compared). A record without a birth
        // date looks among all bearers of the sound (every record is kept there); those with one
        // look among the sound's records without a date.
        var keptOnly: UInt8 = 0, lookedOnly: UInt8 = 0
        if !pinyin.empty {
            let sound = pinyin.hash ^ 0x6e
            if birth != 0 {
                block("y") { $0.add(Int(bitPattern: UInt(sound))); $0.add(Int(birth / 10000)) }
                block("d") { $0.add(Int(bitPattern: UInt(sound))); $0.add(Int(birth % 10000)) }
                keptOnly |= 1 << blocks.count; blocks.append(sound)
                lookedOnly |= 1 << blocks.count; blocks.append(sound ^ 0x100)
            } else {
                blocks.append(sound)
                keptOnly |= 1 << blocks.count; blocks.append(sound ^ 0x100)
            }
        }
        // The same phone number makes a candidate, whatever else was mistyped.
        if !phone.isEmpty { blocks.append(h(phone) ^ 0x70) }
        let latin = name.unicodeScalars.contains { $0.properties.isAlphabetic && $0.value >= 0x3000 } ? "" : name.lowercased()
        p.latin = !latin.isEmpty
        return (p, Text(name: writtenName, id: id, blocks: blocks, keptOnly: keptOnly, lookedOnly: lookedOnly, sketch: Self.sketch(p),
                        latin: latin, place: SamePerson.place(batch, r)))
    }

    /// A record's values for a review sheet, as written.
    private func shownValues(_ batch: borrowing Batch, _ r: Int) -> [String] {
        shownIndex.map { f in f.map { batch.isEmpty(row: r, field: $0) ? "" : batch.string(row: r, field: $0) } ?? "" }
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

    /// People per block key: each key's newest member, and per entry the person and the entry
    /// before it, side by side in one word (a list through one array, not an array per key: most
    /// keys — a phone number — have one member; walking it is one memory access a step).
    ///
    /// The newest entry of each key sits in an open-addressing table of one word a slot: 32 bits
    /// of the key and the entry (`NumberIndex` keeps all 64 bits of a key, in 12 bytes: a million
    /// phone numbers' blocks cost a third more). Keys that share those 32 bits — a few hundred
    /// among millions — make one block: their records are compared for nothing (and count towards
    /// `max_block`, the members a record is compared with in one block).
    /// A reference (its entries grow in place): one per kind of block, never copied.
    final class BlockIndex {
        // Unchecked exclusivity: see docs/ARCHITECTURE.md, *Exclusivity*.
        @exclusivity(unchecked) private var slots: [UInt64] = Array(repeating: .max, count: 1024)
        private var keys = 0
        private let entries = GrowingArray<UInt64>()

        @inline(__always)
        private static func tag(_ key: UInt64) -> UInt64 { (key ^ key >> 32) & 0xFFFF_FFFF }

        @inline(__always)
        private static func home(_ tag: UInt64, _ count: Int) -> Int {
            Int(truncatingIfNeeded: ((tag &* 0x9E37_79B9_7F4A_7C15) >> UInt64(count.leadingZeroBitCount + 1)))
        }

        /// Sets the key's newest entry; the one it had, or -1.
        private func newest(_ key: UInt64, _ entry: Int32) -> Int32 {
            if (keys + 1) * 4 > slots.count * 3 { grow() }
            let t = Self.tag(key), m = slots.count - 1
            var i = Self.home(t, slots.count)
            return slots.withUnsafeMutableBufferPointer { s in
                while true {
                    let w = s[i]
                    if w == .max { s[i] = t << 32 | UInt64(UInt32(bitPattern: entry)); keys += 1; return -1 }
                    if w >> 32 == t { s[i] = t << 32 | UInt64(UInt32(bitPattern: entry)); return Int32(bitPattern: UInt32(truncatingIfNeeded: w)) }
                    i = (i + 1) & m
                }
            }
        }

        private func newest(_ key: UInt64) -> Int32 {
            let t = Self.tag(key), m = slots.count - 1
            var i = Self.home(t, slots.count)
            return slots.withUnsafeBufferPointer { s in
                while true {
                    let w = s[i]
                    if w == .max { return -1 }
                    if w >> 32 == t { return Int32(bitPattern: UInt32(truncatingIfNeeded: w)) }
                    i = (i + 1) & m
                }
            }
        }

        private func grow() {
            var bigger = Array(repeating: UInt64.max, count: slots.count * 2)
            let m = bigger.count - 1
            for w in slots where w != .max {
                var i = Self.home(w >> 32, bigger.count)
                while bigger[i] != .max { i = (i + 1) & m }
                bigger[i] = w
            }
            slots = bigger
        }

        func add(_ key: UInt64, _ p: Int32) {
            let before = newest(key, Int32(entries.count))
            entries.append(UInt64(UInt32(bitPattern: p)) << 32 | UInt64(UInt32(bitPattern: before)))
        }

        /// The block's newest `limit` members, newest first; and whether there were more.
        func forEach(_ key: UInt64, limit: Int, _ body: (Int32) -> Void) -> Bool {
            var e = newest(key)
            var n = 0
            return entries.withUnsafeBufferPointer { all in
                while e >= 0 {
                    if n == limit { return true }
                    let entry = all[Int(e)]
                    body(Int32(bitPattern: UInt32(truncatingIfNeeded: entry >> 32)))
                    n += 1
                    e = Int32(bitPattern: UInt32(truncatingIfNeeded: entry))
                }
                return false
            }
        }
    }

    /// What of a record decides whether it can be another's candidate, in one word per person
    /// (`sketches`, 8 bytes where `Person` is 80): 12 bits of the name's pinyin hash, its length,
    /// whether it is in Latin letters, sex, whether there is a name, the birth month and day, and
    /// 8 bits of the hash of each of the name's first four characters. Most of what a block brings
    /// — strangers born on one day, namesakes born in one year — is passed over on it alone.
    static func sketch(_ p: Person) -> UInt64 {
        var s = UInt64(p.pinyin & 0xFFF) | UInt64(min(p.length, 7)) << 12 | UInt64(p.latin ? 1 : 0) << 15
        s |= UInt64(p.sex & 3) << 16 | UInt64(p.name != 0 ? 1 : 0) << 18
        s |= UInt64(p.birth / 100 % 100) << 19 | UInt64(p.birth % 100) << 23
        for k in 0..<4 where p.chars[k] != 0 { s |= UInt64((p.chars[k] &* 0x9E37_79B1) >> 24) << (28 + 8 * UInt64(k)) }
        return s
    }

    /// False only when `candidate` would be nil for the two: no name, another sex, names neither
    /// of one sound (nor one pinyin hash) nor one character apart (nor in Latin letters), or birth
    /// dates with both the month and the (known) day differing, not swapped: two parts apart.
    @inline(__always)
    static func mayBeAlike(_ a: UInt64, _ b: UInt64) -> Bool {
        guard a & b & (1 << 18) != 0 else { return false }
        let (sa, sb) = ((a >> 16) & 3, (b >> 16) & 3)
        if sa != 0 && sb != 0 && sa != sb { return false }
        let (ma, mb, da, db) = ((a >> 19) & 15, (b >> 19) & 15, (a >> 23) & 31, (b >> 23) & 31)
        if ma != 0 && mb != 0 && ma != mb && da != 0 && db != 0 && da != db && !(ma == db && da == mb) { return false }
        if (a | b) & (1 << 15) != 0 { return true }
        let (pa, pb) = (a & 0xFFF, b & 0xFFF)
        if pa == 0 || pb == 0 || pa == pb { return true }
        let length = (a >> 12) & 7
        guard length == (b >> 12) & 7, length >= 2, length <= 4 else { return false }
        let x = (a ^ b) >> 28
        var differ = 0
        for k in 0..<4 where (x >> (8 * UInt64(k))) & 0xFF != 0 { differ += 1 }
        return differ <= 1
    }

    /// Keeps a record to compare with: a new person, or (`root`) another record of a known one.
    private func add(_ p: Person, _ text: Text, root: Int32? = nil, shown batch: borrowing Batch, _ r: Int) {
        let i = Int32(people.count)
        var p = p
        p.root = root ?? i
        if p.id != 0 && root == nil { byID.updateValue(i, forKey: p.id) }
        for (n, k) in text.blocks.enumerated() where text.lookedOnly & (1 << n) == 0 {
            blocks.add(k, i)
            if p.id == 0 { blocksWithoutID.add(k, i) }
        }
        comparedIn.append(0)
        sketches.append(text.sketch)
        if holding { firstHere.append(-1) }
        people.append(p)
        places.append(text.place)
        shown.append(batch, row: r, fields: shownIndex)
        if p.latin { latinNames[i] = text.latin }
    }

    // MARK: Matching

    /// The last pair `find` sent to review (for the row's own warning).
    private var lastReview: (index: Int32, score: Score)?

    struct Match {
        /// The person (their first record).
        var index: Int32
        var reasons: Message
        var byID: Bool
        var conflict: Bool
        /// The record of the person that matched (the first one, by ID).
        var record: Int32 = -1
        /// Other persons the record is as surely one with (their first records): the record joins
        /// them to this one.
        var also: [Int32] = []
        /// Why the record is one with `also` (when not `reasons`: a record matched by its ID
        /// number joins persons without one by what else it shares with them).
        var alsoReasons: Message? = nil
    }

    /// Records the current `find` matched at `threshold` or above.
    private var strong: [Int32] = []
    /// The weight (log2 odds, the prior counted) at which a pair is one person.
    private var strongWeight: Double { log2(threshold / (1 - threshold)) }

    /// A person's first record, following persons joined to another since (rare: a short walk).
    private func top(_ i: Int32) -> Int32 { people.withUnsafeBufferPointer { Self.top(i, $0) } }
    private static func top(_ i: Int32, _ all: UnsafeBufferPointer<Person>) -> Int32 {
        var r = i
        while all[Int(r)].root != r { r = all[Int(r)].root }
        return r
    }

    /// The persons besides `root` that the record matched surely, which may be one with it: not a
    /// previous period's (the changes are counted by person), not of another ID number, not decided
    /// apart in review.
    private func alsoLike(_ root: Int32, _ p: Person, among: [Int32]? = nil) -> [Int32] {
        guard (among?.count ?? strong.count - 1) > 0, !people[Int(root)].previous else { return [] }
        var out: [Int32] = []
        for i in among ?? strong {
            let other = top(i)
            guard other != root, !out.contains(other) else { continue }
            let (a, b) = (people[Int(root)], people[Int(other)])
            if b.previous || (a.id != 0 && b.id != 0 && a.id != b.id) { continue }
            // Decided apart in review: this record and that one, or the two persons' first records.
            if decisions[ReviewSet.pairKey(p.fingerprint, people[Int(i)].fingerprint)] == false
                || decisions[ReviewSet.pairKey(a.fingerprint, b.fingerprint)] == false { continue }
            out.append(other)
        }
        return out
    }

    /// Records kept per person to compare with: enough for every way a clerk writes one person,
    /// and a row pasted ten thousand times does not fill its blocks.
    static let recordsPerPerson: UInt8 = 16

    /// Each record of the blocks of `p` that could be the same person, with its score (records of
    /// persons with an ID number left out when `p` has one: those were compared by the number);
    /// those at `threshold` or above are kept in `strong`.
    private func compare(_ p: Person, _ text: Text, _ each: (Int32, Score) -> Void) {
        strong.removeAll(keepingCapacity: true)
        // The levels that compare the name alike weigh by how common it is: the same and 繁简 by
        // this name, 同音 by its sound.
        let bearers = nameCounts[p.name]
        let same = NameWeights(sound: sameNameWeight(bearers, level: 2, pinyinCounts[p.pinyin]),
                               traditional: sameNameWeight(bearers, level: 3), same: sameNameWeight(bearers, level: 4))
        findNumber &+= 1
        let stamp = findNumber
        let mine = text.sketch
        people.withUnsafeBufferPointer { all in sketches.withUnsafeBufferPointer { sketch in
            for (n, k) in text.blocks.enumerated() where text.keptOnly & (1 << n) == 0 {
                let crowded = (p.id != 0 ? blocksWithoutID : blocks).forEach(k, limit: maxBlock) { i in
                    guard Self.mayBeAlike(mine, sketch[Int(i)]), comparedIn[Int(i)] != stamp else { return }
                    comparedIn[Int(i)] = stamp
                    var q = all[Int(i)]
                    // A person's ID number is that of all their records.
                    if q.root != i { q.id = all[Int(Self.top(q.root, all))].id }
                    // Two records with valid ID numbers were already compared by them.
                    if p.id != 0 && q.id != 0 { return }
                    guard let s = score(p, q, text.latin, q.latin ? latinNames[i] ?? "" : "", same: same) else { return }
                    each(i, s)
                    if s.weight >= strongWeight { strong.append(i) }
                }
                if crowded { oversizedBlocks += 1 }
            }
        } }
    }

    /// `shown`: the record's values for a review sheet, asked for only when it goes to review.
    private func find(_ p: Person, _ text: Text, shown values: () -> [String]) -> Match? {
        lastReview = nil
        if p.id != 0, let known = byID[p.id] {
            let i = top(known)
            // One ID number, two names that have nothing in common: a typing error, not a duplicate.
            let q = people[Int(i)]
            guard q.name == 0 || p.name == 0 || Self.nameLevel(p, q, text.latin, latinNames[i] ?? "", surnameOff: true) > 0 else {
                return Match(index: i, reasons: Message(zh: "", en: ""), byID: true, conflict: true)
            }
            // Persons without an ID number, met before, that this record is surely one with: met
            // the other way round (this record first), they would have joined it. The order the
            // rows come in does not decide who is one person.
            var also: [Int32] = []
            var surest: Score?
            if p.name != 0 && !q.previous {
                compare(p, text) { _, s in if s.weight > surest?.weight ?? -.infinity { surest = s } }
                also = alsoLike(i, p, among: strong.filter { people[Int(top($0))].id == 0 })
            }
            return Match(index: i, reasons: Message(zh: "身份证号相同", en: "same ID number"), byID: true, conflict: false, also: also,
                         alsoReasons: surest.map { let why = explain($0); return Message(zh: why.zh, en: why.en) })
        }
        var best: (Int32, Score)?
        compare(p, text) { i, s in
            // The highest weight; of equal ones, the person met first.
            if best == nil || s.weight > best!.1.weight || (s.weight == best!.1.weight && i < best!.0) { best = (i, s) }
        }
        guard let (i, s) = best else { return nil }
        let q = people[Int(i)], root = top(q.root)
        let key = ReviewSet.pairKey(p.fingerprint, q.fingerprint)
        if let decided = decisions[key] {
            guard decided else { return nil }
            let why = explain(s)
            return Match(index: root, reasons: Message(zh: "复核确认为同一人；" + why.zh, en: "confirmed in review; " + why.en), byID: false, conflict: false, record: i)
        }
        let probability = s.probability
        if probability >= threshold {
            if p.id != 0, people[Int(root)].id == 0 { people[Int(root)].id = p.id; byID.updateValue(root, forKey: p.id) }
            let why = explain(s)
            return Match(index: root, reasons: Message(zh: why.zh, en: why.en), byID: false, conflict: false, record: i, also: alsoLike(root, p))
        }
        guard probability >= reviewThreshold else { return nil }
        reviewCount += 1
        lastReview = (i, s)
        if reviews.count < 10_000 {
            let parts = pieces(s)
            let reasons = Message(zh: parts.map(\.zh).joined(separator: " · "), en: parts.map(\.en).joined(separator: " · "))
            let left = shown[Int(i)]
            reviews.append(ReviewSet.Pair(key: key, score: (probability * 100).rounded(), reasons: reasons,
                                          left: .init(origin: Origin(file: files[Int(q.file)], row: Int(q.row)), values: masked(left)),
                                          right: .init(origin: Origin(file: files[Int(p.file)], row: Int(p.row)), values: masked(values()))))
        }
        return nil
    }

    /// The words for a column's level.
    static func words(_ c: Column, _ level: UInt8, latin: Bool) -> (zh: String, en: String) {
        if c == .name, latin, Int(level) < latinWords.count { return latinWords[Int(level)] }
        return levelWords[c.rawValue][Int(level)]
    }

    /// Each compared column's level and weight: "姓名相同（同名 2 条） +15.1", "电话不同 −6.6".
    private func pieces(_ s: Score) -> [(zh: String, en: String)] {
        Column.allCases.compactMap { c in
            let g = s.gamma[c.rawValue]
            guard g != FellegiSunter.none else { return nil }
            let w = FellegiSunter.signed(c == .name ? s.nameWeight : (s.gamma[0] >= Self.soundAlike ? weights : unalikeWeights)[c.rawValue * Self.width + Int(g)])
            var l = Self.words(c, g, latin: s.latin)
            if c == .name && s.nameCount > 0 {
                l = g == 2 ? ("\(l.zh)（同音 \(s.nameCount) 条）", "\(l.en) (\(s.nameCount) records of the sound)")
                    : ("\(l.zh)（同名 \(s.nameCount) 条）", "\(l.en) (\(s.nameCount) records of the name)")
            }
            return ("\(l.zh) \(w)", "\(l.en) \(w)")
        }
    }

    /// "匹配概率 99.9%：姓名相同（同名 2 条） +15.1，出生日期相同 +14.1，…"
    private func explain(_ s: Score) -> (zh: String, en: String) {
        FellegiSunter.sentence(probability: s.probability, pieces(s))
    }

    /// How alike two names are: 4 the same, 3 the same but for traditional/simplified characters,
    /// 2 the same pinyin (or, in Latin letters, one letter apart), 1 one character of the given name off (two
    /// letters), 0 not alike.
    /// `surnameOff`: a surname written otherwise counts as one character off too (under one ID
    /// number, where the number says who the person is: as IdentityCheck judges names).
    static func nameLevel(_ a: Person, _ b: Person, _ la: String = "", _ lb: String = "", surnameOff: Bool = false) -> UInt8 {
        if a.name == b.name && a.written == b.written { return 4 }
        if a.name == b.name { return 3 }
        if a.pinyin != 0 && a.pinyin == b.pinyin { return 2 }
        // One character of the given name off: a surname written otherwise (卢伟, 曾伟), not of one
        // sound, is another family.
        if a.length >= 2, a.length <= 4, a.length == b.length, surnameOff || a.chars[0] == b.chars[0] {
            let differ = a.chars .!= b.chars
            var n = 0
            for k in 0..<4 where differ[k] { n += 1 }
            if n == 1 { return 1 }
        }
        // Names in Latin letters (overseas members, romanised entries): a typing slip or two.
        if !la.isEmpty, !lb.isEmpty, abs(la.utf8.count - lb.utf8.count) <= 2 {
            let d = Suggest.distance(Array(la), Array(lb))
            let longer = max(la.count, lb.count)
            if d == 1 && longer >= 5 { return 2 }
            if d == 2 && longer >= 8 { return 1 }
        }
        return 0
    }

    /// Each column's level for two records, whatever they are.
    static func gamma(_ a: Person, _ b: Person, _ la: String, _ lb: String, name: UInt8? = nil) -> Gamma {
        let none = FellegiSunter.none
        var g = Gamma(repeating: none)
        if a.name != 0 && b.name != 0 { g[0] = name ?? nameLevel(a, b, la, lb) }
        if a.birth != 0 && b.birth != 0 {
            let (ya, ma, da) = (a.birth / 10000, a.birth / 100 % 100, a.birth % 100)
            let (yb, mb, db) = (b.birth / 10000, b.birth / 100 % 100, b.birth % 100)
            let apart = (abs(ya - yb), abs(ma - mb), abs(da - db))
            // A year written wrong is another kind of slip than a month or day (and a homonym born
            // years apart is common): the two are levels of their own, weighed as the data says.
            if a.birth == b.birth { g[1] = 5 }
            else if ya == yb, ma == mb, da == 0 || db == 0 { g[1] = 4 }
            else if da != 0, db != 0, apart.0 + apart.1 + apart.2 == 1 || (ya == yb && ma == db && da == mb) { g[1] = 3 }
            // A month only against a day: the day is unknown, not off (1959-05 and 1959-06-19 are the month off).
            else if (apart.0 > 0 ? 1 : 0) + (apart.1 > 0 ? 1 : 0) + (apart.2 > 0 && da != 0 && db != 0 ? 1 : 0) == 1 { g[1] = apart.0 > 0 ? 1 : 2 }
            else { g[1] = 0 }
        }
        if a.sex != 0 && b.sex != 0 { g[2] = a.sex == b.sex ? 1 : 0 }
        if a.community >= 0 && b.community >= 0 { g[3] = a.community == b.community ? 1 : 0 }
        if a.phone != 0 && b.phone != 0 { g[4] = a.phone == b.phone ? 1 : 0 }
        if a.categories != 0 && b.categories != 0 { g[5] = a.categories & b.categories != 0 ? 1 : 0 }
        if a.work != 0 && b.work != 0 { g[6] = a.work == b.work ? 1 : 0 }
        if a.party != 0 && b.party != 0 { g[7] = a.party == b.party ? 1 : 0 }
        if a.education != 0 && b.education != 0 { g[8] = a.education == b.education ? 1 : 0 }
        if a.ethnicity != 0 && b.ethnicity != 0 { g[9] = a.ethnicity == b.ethnicity ? 1 : 0 }
        return g
    }

    /// The comparison of two records that could be one person, or nil when they cannot: two
    /// different valid ID numbers, different sex, names not alike (or missing), birth dates that
    /// differ in more than one part. A homonym is not a duplicate. (The model learns from the
    /// pairs of alike names whatever their birth dates: `anyBirth`.)
    static func candidate(_ a: Person, _ b: Person, _ la: String, _ lb: String, anyBirth: Bool = false) -> Gamma? {
        if a.id != 0, b.id != 0, a.id != b.id { return nil }
        if a.sex != 0, b.sex != 0, a.sex != b.sex { return nil }
        // The name first: most pairs a block brings are strangers of one birthday.
        guard a.name != 0, b.name != 0 else { return nil }
        let name = nameLevel(a, b, la, lb)
        guard name > 0 else { return nil }
        let g = gamma(a, b, la, lb, name: name)
        guard anyBirth || g[1] != 0 else { return nil }
        return g
    }

    /// How often a name, and a name's sound, was seen among the records the model learnt on
    /// (Splink's term frequencies): agreeing on a rare name says more than agreeing on 张伟.
    private var nameCounts: [UInt32: Int32] = [:]
    private var pinyinCounts: [UInt32: Int32] = [:]
    private var namesCounted = 0

    /// log2(m/u) of agreeing on a name at `level` (u the share of the records bearing it, or
    /// bearing its sound, for 同音: `sound`), and the count.
    private func sameNameWeight(_ name: Int32?, level: UInt8, _ sound: Int32? = nil) -> (Double, Int) {
        let count = Int(level == 2 ? sound ?? 0 : name ?? 0)
        // The level's u stands for `Self.presetNames` records: a small ledger's counts say little.
        let k = Column.name.rawValue
        let u = (Double(count) + model.u[k][Int(level)] * Self.presetNames) / (Double(namesCounted) + Self.presetNames)
        return (log2(model.m[k][Int(level)] / u), count)
    }

    /// The weight and count of agreeing on one record's name at each level that weighs by the name.
    struct NameWeights {
        var sound, traditional, same: (Double, Int)
        subscript(level: UInt8) -> (Double, Int) { level == 2 ? sound : level == 3 ? traditional : same }
    }

    private func score(_ a: Person, _ b: Person, _ la: String, _ lb: String, same: NameWeights) -> Score? {
        guard let g = Self.candidate(a, b, la, lb) else { return nil }
        var w = model.prior
        let table = g[0] >= Self.soundAlike ? weights : unalikeWeights
        for k in 1..<Self.levels.count where g[k] != FellegiSunter.none { w += table[k * Self.width + Int(g[k])] }
        let alike = g[0] >= 2 && la.isEmpty && lb.isEmpty
        let nameWeight = alike ? same[g[0]].0 : weights[Int(g[0])]
        return Score(gamma: g, weight: w + nameWeight, latin: !la.isEmpty && !lb.isEmpty, nameWeight: nameWeight, nameCount: alike ? same[g[0]].1 : 0)
    }

    // MARK: Learning the model

    /// While training: each record's comparison data, kept until the model is learnt.
    private func observe(_ batch: Batch) {
        let previous = batch.source.role == .previous
        let file = intern(batch.source)
        for r in 0..<batch.count where previous || !batch.hasError[r] {
            sample.append(person(batch, r, file: file, previous: previous))
        }
    }

    /// Learns the model from the records seen so far, then decides about them; the batches held
    /// meanwhile go on (or stay held, for the policies that decide at the end).
    private func endTraining() -> [Batch] {
        fit()
        training = false
        var out: [Batch] = []
        for var b in window {
            decide(&b, index: held.count, replay: true)
            if holding && b.source.role != .previous { held.append(b) } else { out.append(b) }
        }
        window = []
        sample = []
        return out
    }

    /// u of the name from random pairs of the sample; m by EM, as Splink does, in two sessions:
    /// pairs whose names sound the same (chosen by the name alone, so that what else they share is
    /// not chosen too) teach the other columns' m; pairs born on the same day teach the name's. A session leaves out the column
    /// its pairs were chosen by (and sex, which a candidate never differs in). λ, the share of
    /// matches among all pairs, is the matches the first session expects over the pairs there are
    /// (with the preset's share counted as `presetAllPairs` pairs, for small ledgers).
    private func fit() {
        let n = sample.count
        let f = Self.levels.count
        let cap = 4_000_000 * f
        var alike: [UInt8] = [], sameDay: [UInt8] = []
        var index: [UInt32: [Int32]] = [:]
        var born: [Int32: [Int32]] = [:]
        var withID = 0, records = 0
        // Records of one valid ID number are one person (IdentityCheck has quarantined those that
        // are not): how often such pairs differ in the columns a person's records may differ in
        // is m itself, counted rather than guessed. EM cannot tell it well where strangers of one
        // name, birthday and community differ in all of them at once (the columns are not
        // independent, as the model takes them): it learnt 类别不同 −4.0 where one in a hundred
        // repeats differ, and merged such strangers.
        var firstOfID: [UInt64: Int32] = [:]
        var idCounts = Self.levels.map { [Double](repeating: 0, count: $0) }
        // Records identical in every compared value (a row copied many times) count once for u
        // and the names' frequencies: else a hundred copies would teach that agreeing means nothing.
        var distinct: [Int32] = []
        var fingerprints: Set<UInt64> = []
        // Training compares each record with at most this many of a block (a sample of pairs is enough).
        let trainingBlock = min(maxBlock, 500)
        for i in 0..<n {
            let p = sample[i].person, la = sample[i].text.latin
            if p.name == 0 && p.id == 0 { continue }
            records += 1
            if p.id != 0 {
                withID += 1
                if let j = firstOfID[p.id] {
                    let q = sample[Int(j)].person
                    if let g = Self.candidate(p, q, la, sample[Int(j)].text.latin, anyBirth: true) {
                        idPairs += 1
                        for c in Self.countedByID where g[c] != FellegiSunter.none { idCounts[c][Int(g[c])] += 1 }
                    }
                } else {
                    firstOfID[p.id] = Int32(i)
                }
            }
            if fingerprints.insert(p.fingerprint).inserted {
                distinct.append(Int32(i))
                if p.name != 0 { nameCounts[p.name, default: 0] += 1; namesCounted += 1 }
                if p.pinyin != 0 { pinyinCounts[p.pinyin, default: 0] += 1 }
            }
            // Pairs chosen by the name alone: chosen by a block of birth date or phone as well, they
            // would teach that strangers of one name share a birthday far more often than they do.
            if p.pinyin != 0 {
                for j in (index[p.pinyin] ?? []).suffix(trainingBlock) where alike.count < cap {
                    let q = sample[Int(j)].person, lb = sample[Int(j)].text.latin
                    if p.id != 0 && q.id != 0 { continue }
                    guard let g = Self.candidate(p, q, la, lb, anyBirth: true) else { continue }
                    for c in 0..<f { alike.append(g[c]) }
                }
                index[p.pinyin, default: []].append(Int32(i))
            }
            if p.birth % 100 != 0 {
                for j in (born[p.birth] ?? []).suffix(trainingBlock) where sameDay.count < cap {
                    let q = sample[Int(j)].person, lb = sample[Int(j)].text.latin
                    if (p.id != 0 && q.id != 0) || (p.sex != 0 && q.sex != 0 && p.sex != q.sex) { continue }
                    let g = Self.gamma(p, q, la, lb)
                    for c in 0..<f { sameDay.append(g[c]) }
                }
                born[p.birth, default: []].append(Int32(i))
            }
        }
        index = [:]
        born = [:]
        firstOfID = [:]
        var counts = Self.levels.map { [Double](repeating: 0, count: $0) }
        var rng = SplitMix(seed: 0x6475_7065)
        let kinds = distinct.count
        func count(_ a: Int, _ b: Int) {
            let p = sample[a].person, q = sample[b].person
            if a == b || (p.id != 0 && p.id == q.id) { return }
            let g = Self.gamma(p, q, sample[a].text.latin, sample[b].text.latin)
            for c in 0..<f where g[c] != FellegiSunter.none { counts[c][Int(g[c])] += 1 }
        }
        if kinds < 1000 {
            // A small ledger's pairs say more about its own duplicates than about chance agreement
            // (in fourteen rows, four pairs born on one day are four repeats): the preset's u stands.
        } else if kinds * (kinds - 1) / 2 <= 200_000 {
            for x in 0..<kinds { for y in x + 1..<kinds { count(Int(distinct[x]), Int(distinct[y])) } }
        } else {
            for _ in 0..<200_000 { count(Int(distinct[Int(rng.next() % UInt64(kinds))]), Int(distinct[Int(rng.next() % UInt64(kinds))])) }
        }
        let u = FellegiSunter.shares(counts, prior: Self.presetU, priorPairs: Self.presetRandomPairs)
        let name = Column.name.rawValue, birth = Column.birth.rawValue, sex = Column.sex.rawValue
        let byName = FellegiSunter.estimate(gammas: alike, levels: Self.levels, u: u, m0: Self.presetM, lambda0: Self.presetLambda,
                                            priorPairs: Self.presetPairs, fixed: [name, sex], estimateU: true,
                                            uPriorPairs: 1000)
        let byDay = FellegiSunter.estimate(gammas: sameDay, levels: Self.levels, u: u, m0: Self.presetM, lambda0: Self.presetLambda,
                                           priorPairs: Self.presetPairs, fixed: [birth, sex])
        // Given names that sound alike, the other columns' u are those among such pairs (the chain
        // rule: P(name) · P(the rest | name) — two strangers of one name share more than two
        // strangers do), counted with random pairs' u as `presetRandomPairs` pairs, for the few
        // homonyms of a small sample; names alike in other ways (差一字) or not alike take u of
        // random pairs. m of the other columns from the same session, the name's from the other.
        var m = byName.m
        m[name] = byDay.m[name]
        // Pairs of one ID number outweigh EM's estimate as they grow (EM's counts as `presetPairs` of them).
        for c in Self.countedByID {
            let n = idCounts[c].reduce(0, +)
            m[c] = zip(idCounts[c], m[c]).map { ($0 + Self.presetPairs * $1) / (n + Self.presetPairs) }
        }
        var uFinal = byName.u
        uFinal[name] = u[name]
        let random = FellegiSunter(m: m, u: u, lambda: 0.5, iterations: 0)
        unalikeWeights = (0..<f).flatMap { k in (0..<Self.width).map { l in l < Self.levels[k] ? random.weight(k, UInt8(l)) : 0 } }
        let candidates = alike.count / f
        let matches = byName.lambda * Double(candidates)
        let pairs = Double(records) * Double(records - 1) / 2 - Double(withID) * Double(withID - 1) / 2
        let lambda = min((matches + Self.presetMatchShare * Self.presetAllPairs) / (max(pairs, 0) + Self.presetAllPairs), 0.5)
        model = FellegiSunter(m: m, u: uFinal, lambda: lambda, iterations: byName.iterations + byDay.iterations)
        weights = (0..<f).flatMap { k in (0..<Self.width).map { l in l < Self.levels[k] ? model.weight(k, UInt8(l)) : 0 } }
        // A month against a day agrees on the month only: it says less than a day agreed on, by
        // what the day adds (one in about thirty). Learnt from the few month-only records, its u can
        // come out smaller than the day's and its weight larger (+17.9 against +14.0, found by an
        // outside check: a month-only record then joined a homonym to the person).
        let monthOnly = Column.birth.rawValue * Self.width + 4
        for t in [\DuplicateFinder.weights, \DuplicateFinder.unalikeWeights] {
            self[keyPath: t][monthOnly] = min(self[keyPath: t][monthOnly], self[keyPath: t][monthOnly + 1] - log2(30))
        }
        modelFacts = (records, candidates, sameDay.count / f)

    }

    // MARK: End of run

    func finish(_ summary: RunSummary) throws -> (tables: [StatTable], issues: [Issue]) {
        var issues: [Issue] = []
        if modelFacts.candidates > 0 {
            let per = Column.allCases.map { c -> (zh: String, en: String) in
                let top = UInt8(Self.levels[c.rawValue] - 1)
                let same = Self.words(c, top, latin: false), differ = Self.words(c, 0, latin: false)
                let (ws, wd) = (FellegiSunter.signed(model.weight(c.rawValue, top)), FellegiSunter.signed(model.weight(c.rawValue, 0)))
                return ("\(same.zh) \(ws)/\(differ.zh) \(wd)", "\(same.en) \(ws)/\(differ.en) \(wd)")
            }
            issues.append(Issue(code: "duplicates-model", severity: .info, origin: Origin(file: files.first ?? ""),
                                message: Message(zh: "查重模型由本次前 \(modelFacts.records) 条记录估计（姓名相近的候选对 \(modelFacts.candidates)、同日出生的 \(modelFacts.sameDay)、身份证号相同的 \(idPairs)，EM 共 \(model.iterations) 轮，先验 \(FellegiSunter.signed(model.prior))）；各列权重：\(per.map(\.zh).joined(separator: "；"))",
                                                 en: "the matching model was learnt on the first \(modelFacts.records) records (\(modelFacts.candidates) pairs with alike names, \(modelFacts.sameDay) born the same day, \(idPairs) of one ID number, EM \(model.iterations) rounds in all, prior \(FellegiSunter.signed(model.prior))); weights: \(per.map(\.en).joined(separator: "; "))"),
                                personal: false))
        }
        if oversizedBlocks > 0 {
            issues.append(Issue(code: "duplicates-block-capped", severity: .info, origin: Origin(file: files.first ?? ""),
                                message: Message(zh: "有 \(oversizedBlocks) 次比较因同名同音人数超过 \(maxBlock) 只比较了最近的 \(maxBlock) 人（可调 max_block）",
                                                 en: "\(oversizedBlocks) comparisons were limited to the latest \(maxBlock) people of a crowded block (see max_block)"),
                                personal: false))
        }
        // Persons found to be one after the first of them had gone on: said on that first record,
        // and counted once (`samePerson`).
        for (person, viaFile, viaRow, reasons) in lateJoins {
            let first = people[Int(person)], into = people[Int(top(person))]
            samePerson.link(places[Int(person)], to: places[Int(top(person))])
            let (there, via) = ("\(files[Int(into.file)]) 第 \(into.row) 行", "\(files[Int(viaFile)]) 第 \(viaRow) 行")
            issues.append(Issue(code: "duplicate-person", severity: .warning,
                                origin: Origin(file: files[Int(first.file)], sheet: sheets[Int(first.file)], row: Int(first.row), header: layout.names[idx.name ?? 0]),
                                field: F.name,
                                message: Message(zh: "与 \(there)是同一人（\(via)的记录与两者都相符：\(reasons.zh)）；发现时此记录已作为另一人接受，报表中只计一次",
                                                 en: "the same person as \(files[Int(into.file)]) row \(into.row) (\(files[Int(viaFile)]) row \(viaRow) matches both: \(reasons.en)); found after this record had been accepted as another person, counted once in the return"),
                                suggestion: Message(zh: "核对后从台账中删去重复的一条", en: "check, then remove the repeat from the ledger"),
                                value: shown[Int(person)].first))
        }
        if reviewCount > 0 {
            issues.append(Issue(code: "possible-duplicates", severity: .warning, origin: Origin(file: files.first ?? ""),
                                message: Message(zh: "\(reviewCount) 对记录疑似同一人，需人工复核（用 write: review-workbook 输出复核表，填好后用 decisions: 读回）",
                                                 en: "\(reviewCount) pairs may be the same person and need review (write: review-workbook; feed it back with decisions:)"),
                                personal: false))
        }
        // With member-return in the table, its 人员变动 (per community, with the names) is the one.
        guard hasPrevious, !samePerson.counting else { return ([], issues) }
        let persons = people.indices.lazy.filter { self.people[$0].root == Int32($0) }.map { self.people[$0] }
        let leavers = persons.filter { $0.previous && !$0.seenNow }.count
        let previousCount = persons.filter(\.previous).count
        let table = StatTable(key: "changes-by-person", title: "人员变动（查重比对）", sheet: "人员变动（查重）", marks: [], unit: "", period: "", periodLabel: "",
                              measure: "单位：人", stubHeading: "项目",
                              columns: [.init(key: "previous", path: ["上期人数"]), .init(key: "joined", path: ["本期变动", "新增"]),
                                        .init(key: "left", path: ["本期变动", "减少"]), .init(key: "current", path: ["本期人数"])],
                              rows: [.init(key: "total", label: "合计", counts: [previousCount, joiners, leavers, previousCount + joiners - leavers])],
                              footnote: "按身份证号，无证号时按姓名（含同音、繁简）、出生日期、性别、社区、电话、类别、单位、政治面貌、学历、民族比对上期台账（匹配模型由数据估计）；疑似重复未经复核的不算同一人。",
                              footer: [], checks: [StatTable.Check(rule: "1+2−3=4", ok: true)])
        return ([table], issues)
    }

    func reviewSets() -> [ReviewSet] {
        guard !reviews.isEmpty else { return [] }
        return [ReviewSet(title: Message(zh: "疑似重复人员", en: "possible duplicates"), fields: Self.shownFields, pairs: reviews, words: .chinese)]
    }
}

/// Rows of a few strings each (values parted by U+001F), written to a temporary file that is
/// unlinked as soon as it is made — nothing is left behind, whatever ends the run — and read back
/// by position: a million people's values for the review sheet cost 8 bytes each in memory, not
/// the hundred their text does. Where no temporary file can be made or written (a full disk),
/// the rows stay in memory.
final class TextColumn {
    private static let flushSize = 1 << 20
    private var fd: Int32 = -1
    private var writable = true
    /// Bytes not yet in the file, and how many bytes the file holds before them.
    // Unchecked exclusivity: see docs/ARCHITECTURE.md, *Exclusivity*.
    @exclusivity(unchecked) private var pending: [UInt8] = []
    private var inFile: UInt64 = 0
    /// Where each row begins, counting the file's bytes and then the pending ones; and the end.
    @exclusivity(unchecked) private var starts: [UInt64] = []
    @exclusivity(unchecked) private var end: UInt64 = 0

    init() {
        var template = Array((NSTemporaryDirectory() + "/.taizhang-review-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if made >= 0 {
            fd = made
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        }
        pending.reserveCapacity(Self.flushSize)
    }

    deinit { if fd >= 0 { close(fd) } }

    func append(_ values: [String]) {
        begin()
        for (k, v) in values.enumerated() {
            var v = v
            v.withUTF8 { value($0, first: k == 0) }
        }
        finish()
    }

    /// A row of a batch's cells (nil: an empty value), their bytes as they are: no string made.
    func append(_ batch: borrowing Batch, row r: Int, fields: [Int?]) {
        begin()
        for (k, f) in fields.enumerated() {
            if let f { batch.withBytes(row: r, field: f) { value($0, first: k == 0) } } else { value(UnsafeBufferPointer(start: nil, count: 0), first: k == 0) }
        }
        finish()
    }

    private var rowStart = 0
    private func begin() {
        starts.append(end)
        rowStart = pending.count
    }

    private func value(_ bytes: UnsafeBufferPointer<UInt8>, first: Bool) {
        if !first { pending.append(0x1F) }
        let at = pending.count
        pending.append(contentsOf: bytes)   // the bytes at once, not one by one
        // A unit separator inside a value would split it: it becomes a space.
        pending.withUnsafeMutableBufferPointer { p in
            for i in at..<p.count where p[i] == 0x1F { p[i] = 0x20 }
        }
    }

    private func finish() {
        end += UInt64(pending.count - rowStart)
        if pending.count >= Self.flushSize { flush() }
    }

    /// Writes the pending bytes to the file; on a failed write the file keeps what it has and the
    /// rest stays in memory from then on.
    private func flush() {
        guard fd >= 0, writable, !pending.isEmpty else { return }
        var done = 0
        while done < pending.count {
            let n = pending.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(inFile) + off_t(done)) }
            if n <= 0 { break }
            done += n
        }
        inFile += UInt64(done)
        pending.removeFirst(done)
        if !pending.isEmpty { writable = false }
    }

    subscript(row: Int) -> [String] {
        let from = starts[row], to = row + 1 < starts.count ? starts[row + 1] : end
        var bytes = [UInt8](repeating: 0, count: Int(to - from))
        var k = 0
        // The file's part (read until all is there: a read may return less than asked).
        while from + UInt64(k) < min(to, inFile) {
            let want = Int(min(to, inFile) - from) - k
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + k, want, off_t(from) + off_t(k)) }
            if n <= 0 { break }
            k += n
        }
        // The pending part.
        if to > inFile {
            let s = Int(max(from, inFile) - inFile), e = Int(to - inFile)
            bytes.replaceSubrange(Int(max(from, inFile) - from)..<bytes.count, with: pending[s..<e])
        }
        return bytes.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
}

