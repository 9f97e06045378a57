import Foundation
import TaizhangCore
import TaizhangForms
import TaizhangStore

/// `step: visits` — the ledger's work (六必访, regular visits by 统战联络员), in a pipeline's visit-log
/// table (`tables:`, schema `visit-log`). Each visit is linked to a person of the member-ledger
/// table: by ID number, else by name (简繁 alike) and community — among several of one name, the
/// one whose 联系人 made the visit; when no one has the name, the one person of the community
/// whose name the matching engine's comparator finds alike (同音, or one character off in a name of
/// three or more) and whose 联系人 made the visit, with a warning to correct it. A visit that finds no one, or several, is an
/// error naming its row. With the pipeline's store, the visits kept there from this year's
/// earlier periods (`write: store` in the visit-log table) count toward the year's coverage, each
/// visit once. Each visit is checked against its person (not before the
/// birth, not in the future, not after a death — but for the 发生死亡 visit itself — or after the
/// person moved away; a request 办理中 for longer than `open_days` at the period's end, or today
/// if that is sooner), and at the end each person of the ledger against the visits: 在册 persons
/// visited fewer than `per_year` times this year so far (pro rata, rounded up), persons with 困难 not visited this
/// period, a death without its 发生死亡 visit (this year, on or after the death), persons
/// with no 联系人. The step counts its forms — 统战对象联系走访情况统计表 (`forms/visits.yml`) unless
/// `forms:` names others — over the ledger's persons, each with the ledger's fields and the counts
/// the step keeps (本年走访次数, this period's visits by reason, requests …; `VisitChecker.counts`),
/// and makes the clerk's 待走访名单 (by 联系人), for `write: xlsx-return` / `json-return` in the same table.
public enum VisitsPlugin {
    public static let spec = PluginSpec(
        name: "visits", kind: .step,
        summary: Message(zh: "走访记录：逐条对应台账中的人（身份证号，或姓名+社区），核对走访（六必访、覆盖、困难必访、死亡必访、联系人），生成联系走访情况统计表与待走访名单",
                         en: "Visit log: links each visit to a person of the ledger (ID, or name + community), checks the work (coverage, visits for hardship and death, liaisons), makes the visits return and the to-do list"),
        options: [
            OptionSpec("members", .string, doc: Message(zh: "台账所在的表（排在前面的表；不写时为前面唯一一张模式为 member-ledger 的表）",
                                                        en: "the table of the member ledger (an earlier table; by default the one earlier table of schema member-ledger)")),
            OptionSpec("period", .string, required: true, doc: Message(zh: "报告期：2026Q3、2026H1、2026、2026-09；本年覆盖率算到期末", en: "reporting period: 2026Q3, 2026H1, 2026 or 2026-09; the year's coverage runs to its end")),
            OptionSpec("per_year", .integer, default: "1", doc: Message(zh: "每名在册人员每年至少走访的次数", en: "visits each person on the roll should have a year")),
            OptionSpec("open_days", .integer, default: "30", doc: Message(zh: "反映的问题「办理中」超过多少天报出", en: "days a request may stay 办理中 before it is reported")),
            OptionSpec("today", .string, default: "", doc: Message(zh: "判断「未来日期」用的今天（默认运行当天）；报告期未结束时，「办理中」的天数也算到这一天", en: "the day after which a visit is in the future (default: the day of the run); while the period has not ended, an open request's days are counted to it")),
            OptionSpec("unit", .string, doc: Message(zh: "填报单位（默认：只有一个社区时用它）", en: "reporting unit (default: the community, when there is one)")),
            OptionSpec("forms", .stringList, doc: Message(zh: "统计哪些表式（内置表式的名称或表式文件的路径）；默认 统战对象联系走访情况统计表。表式可用台账的字段和本步骤按人记下的次数（本年走访次数 等，见 docs/FORMS.md）",
                                                          en: "the forms to count (shipped names or form files); default 统战对象联系走访情况统计表. A form reads the ledger's fields and the counts this step keeps per person (本年走访次数 …, docs/FORMS.md)")),
        ],
        file: "Plugins/MemberLedger/Visits.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        try VisitChecker(options: options, layout: layout, context: context)
    }

    /// The reasons of the visits return, in its column order: the six 必访, then the others.
    static let reasons = ["家庭有矛盾", "生病住院", "发生死亡", "有困难", "逢重大节日", "有重要活动", "定期走访", "节日慰问", "其他"]
}

/// Sendable by its own discipline: while visits stream, the linking thread (`process`) reads only
/// what `absorb` made, and writes only its own memos and tables, while this thread counts.
final class VisitChecker: FinishingStep, HoldingStep, @unchecked Sendable {
    typealias F = MemberLedgerSchema.F
    /// The ledger's fields the step reads, in `members`' order.
    static let memberFields = [F.id, F.name, F.community, F.birth, F.status, F.statusDate, F.liaison, F.difficulty]
    private enum M { static let id = 0, name = 1, community = 2, birth = 3, status = 4, statusDate = 5, liaison = 6, difficulty = 7 }

    // Unchecked exclusivity (the hot properties marked so): see docs/ARCHITECTURE.md, *Exclusivity*.
    private let members: KeptRows
    private let at: (date: Int?, id: Int?, name: Int?, community: Int?, reason: Int?, request: Int?, handling: Int?)
    private let period: ReportPeriod
    private let start: Int, end: Int, yearStart: Int, today: Int
    private let perYear: Int, openDays: Int
    /// The visits due by the period's end: `per_year` for the months gone, rounded up (4 a year
    /// are 1 by the end of March, 3 by September; once a year is once from the first quarter on).
    private var dueSoFar: Int { perYear > Int.max / 12 ? perYear : (perYear * (end / 100 % 100) + 11) / 12 }
    private let unit: String?
    private let masking: Masking
    private let simplifier = Simplifier()
    /// The linking thread's own (a simplifier keeps a cache).
    private let linkSimplifier = Simplifier()
    private let visitorAt: Int?
    /// The store's visits of this year's earlier periods (`write: store` of the visit log).
    private let stored: (store: Store, kind: String, periods: [String])?
    /// This run's visits counted, by `visitKey`, and where each was (file index << 32 | row): a
    /// visit written twice, or in both the log and the store, is counted once.
    @exclusivity(unchecked) private var visitAt = NumberIndex(capacity: 1 << 16)
    @exclusivity(unchecked) private var visitPlaces: [UInt64] = []
    private var visitFiles: [String] = []
    private var visitFileIndex: [String: UInt64] = [:]
    private var storedCounted = 0, storedUnlinked = 0
    /// This run's visit rows (accepted or not): a log of none says so on the form.
    private var visitsRead = 0
    /// Visits (this run's and the store's) dated before this year or after the period: not counted.
    private var outside = 0

    /// Per person of the ledger (kept row), worked out once when the visits begin: what each visit
    /// is checked against, and what it adds to — in one compact array rather than a string per
    /// field or an array per count (3M visits look up 1M people at random: a few dozen bytes each, read together).
    private struct Facts {
        var name: UInt64 = 0            // the name's bytes hashed: a visit naming the person as written needs no string
        var birth: Int32 = 0            // yyyymmdd, 0 when not a date
        var statusDay: Int32 = 0
        var community: Int32 = 0        // index into `communities`
        var liaison: Int32 = -1         // the 联系人's name (`Simplifier.name`) in `liaisons`, -1 none
        var status: UInt8 = 0           // Facts.died, Facts.left, else 0
        var repeats = false             // a later row of an ID number already in the ledger
        var person: Int32 = 0           // the kept row standing for the person: this row, or its number's first
        var onRoll = true               // on the roll at the period's end (`MemberLedgerSchema.onRoll`)
        var listed = true               // its status itself 在册 (or blank): not 迁出 or 死亡 dated later
        var hardship = false            // 困难情况 says something
        var elsewhere = false           // the person has another row, and one of the two is 在册 (moved within the ledger)
        static let died: UInt8 = 1, left: UInt8 = 2
    }
    /// Fixed once `absorb` and `seal` have made them: the linking thread reads them while visits are counted (in `tallies`).
    @exclusivity(unchecked) private var facts: [Facts] = []

    /// What a person's visits add up to (by kept row).
    /// 32 bytes, one access a visit (3M visits count into 1M people at random).
    private struct Tally {
        // Visits this year so far and this period; this period's requests raised and of them 办结.
        var yearVisits: Int32 = 0
        var periodVisits: Int32 = 0
        var requests: UInt16 = 0
        var settled: UInt16 = 0
        /// This period's visits by reason, in `VisitsPlugin.reasons`' order.
        private var reasons: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        var deathVisit = false          // a 发生死亡 visit counted

        /// This period's visits for reason `k`.
        func visits(for k: Int) -> UInt16 {
            precondition(k >= 0 && k < VisitsPlugin.reasons.count)
            return withUnsafeBytes(of: reasons) { $0.load(fromByteOffset: 2 * k, as: UInt16.self) }
        }

        /// A visit of the person counted: `reason` its index (不明 → 其他).
        mutating func count(day: Int, statusDay: Int32, death: Bool, inPeriod: Bool, reason: Int, request: Bool, done: Bool) {
            // The 发生死亡 visit a death needs: in the year so far, not before the death.
            if death, statusDay == 0 || day >= Int(statusDay) { deathVisit = true }
            yearVisits += 1
            guard inPeriod else { return }
            periodVisits += 1
            precondition(reason >= 0 && reason < VisitsPlugin.reasons.count)
            withUnsafeMutableBytes(of: &reasons) { b in
                let n = b.load(fromByteOffset: 2 * reason, as: UInt16.self)
                b.storeBytes(of: n &+ (n == .max ? 0 : 1), toByteOffset: 2 * reason, as: UInt16.self)
            }
            if request {
                requests = requests &+ (requests == .max ? 0 : 1)
                if done { settled = settled &+ (settled == .max ? 0 : 1) }
            }
        }
    }
    @exclusivity(unchecked) private var tallies: [Tally] = []
    /// The ledger's first row of each ID number, built with `facts`: by the number as a number
    /// (`IdentityCheck.key`: a visit's lookup is one probe), or by its text — a number with a
    /// lower-case x, or not of 18 characters.
    private var firstOfID = NumberIndex()
    private var firstOfOtherID: [ByteKey: Int32] = [:]
    /// How surely a row is where its person was at the period's end: 2 when it says they left (or
    /// died) after it — so they were still there —, 1 for 在册, 0 when they had left by then.
    private static func there(_ f: Facts) -> Int { f.onRoll ? (f.listed ? 1 : 2) : 0 }
    /// Whether row `a` stands for its person rather than row `b`: the surer of being where they
    /// were; of two that say they left after the period, the sooner (they were there first); of two
    /// that say they left before its end, the later (where they were last).
    private static func stands(_ a: Facts, over b: Facts) -> Bool {
        let (x, y) = (there(a), there(b))
        if x != y { return x > y }
        return x == 2 ? a.statusDay < b.statusDay : x == 0 ? a.statusDay > b.statusDay : false
    }
    /// A person's earlier row to the later one standing for them (moved between communities).
    private var movedTo: [Int32: Int32] = [:]

    /// The ledger's first row of ID number `id` (its UTF-8 bytes).
    private func firstRow<Bytes: BidirectionalCollection<UInt8>>(ofID id: Bytes) -> Int? {
        if id.last != 0x78, let key = IdentityCheck.key(bytes: id) { return firstOfID[key].map(Int.init) }
        return firstOfOtherID[ByteKey(String(decoding: id, as: UTF8.self))].map(Int.init)
    }
    /// The ledger's first row of each row's ID number, when it is one `IdentityCheck.key` reads
    /// (-1: not in the ledger; nil: no such number, or not looked up here). The numbers are read
    /// first, then looked up in a loop of nothing else: the lookups, each a cache miss in a table of
    /// a million, overlap rather than wait one by one.
    private func firstRows(_ batch: Batch) -> [Int32?] {
        guard let i = at.id else { return Array(repeating: nil, count: batch.count) }
        let keys = (0..<batch.count).map { r -> UInt64? in
            guard !batch.hasError[r], !batch.isEmpty(row: r, field: i) else { return nil }
            return batch.withBytes(row: r, field: i) { id in id.last == 0x78 ? nil : IdentityCheck.key(bytes: id) }
        }
        return keys.map { $0.map { firstOfID[$0] ?? -1 } }
    }
    private var communities: [String] = []
    /// The 联系人 of the ledger, by name as `Simplifier.name` writes it: a visitor is compared by number.
    private var liaisons = ByteIndex()
    /// A community's name as written and in 简体 → its indices (one name may be written two ways in the ledger).
    private var communityKeys: [ByteKey: [Int32]] = [:]
    /// The kept rows of a community by name (`Simplifier.name`) — a later row of an ID number too,
    /// when it bears its person's name (the person listed again, maybe in another community): a
    /// visit by name looks in its community only (a common name is borne by
    /// hundreds across a street's ledger).
    private var named = RowIndex()
    /// Each person's name as `Simplifier.name` writes it (by kept row).
    private var simpleNames: [String] = []

    /// The key of `named`: the community's index, then the name's bytes (made on the stack).
    private static func nameKey<R>(_ community: Int32, _ name: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        var name = name
        return name.withUTF8 { nameKey(community, $0, body) }
    }
    private static func nameKey<R>(_ community: Int32, _ name: UnsafeBufferPointer<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: 4 + name.count, alignment: 4) { key in
            key.storeBytes(of: community.littleEndian, as: Int32.self)
            UnsafeMutableRawBufferPointer(rebasing: key[4...]).copyMemory(from: UnsafeRawBufferPointer(name))
            return body(UnsafeRawBufferPointer(key))
        }
    }

    /// The kept rows of this (simplified) name in community `c`.
    private func rows(named name: String, in c: Int32) -> [Int] {
        Array(Self.nameKey(c, name) { named.rows($0) })
    }

    /// What the step keeps per person for its forms, besides the ledger's fields: counts
    /// (`at_least:`, `total:` in a form) and 有困难 (是/否).
    static let counts = ["本年走访次数", "本期走访次数"] + VisitsPlugin.reasons.map { "本期走访次数（\($0)）" } + ["本期反映问题件数", "本期办结件数"]
    static let hardship = "有困难"
    private let forms: [Form]
    /// Where each field a form reads is among the kept ledger fields (nil: one the step keeps).
    private var formColumn: [String: Int] = [:]
    private let vocab: CodeTables
    private let dates: Set<String>
    private let options: Options
    private lazy var categories = CodeTables.CategoryMemo(vocab)

    init(options: Options, layout: Layout, context: PluginContext) throws(Diagnostics) {
        guard let p = ReportPeriod(options.string("period") ?? "") else {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "period"), Message(zh: "报告期「\(options.string("period") ?? "")」无法识别", en: "period not understood"),
                                          suggestion: Message(zh: "写成 2026Q3、2026H1、2026 或 2026-09", en: "write 2026Q3, 2026H1, 2026 or 2026-09"))])
        }
        guard let tables = context.tables else {
            throw Diagnostics([Diagnostic(.error, at: nil, Message(zh: "step: visits 须在流水线的走访记录表中（tables:）", en: "step: visits belongs in the visit-log table of a pipeline (tables:)"))])
        }
        // Not named: the one earlier table of the member ledger's schema; none or several, the pipeline must say.
        let ledgers = tables.entries.prefix(tables.current).filter { $0.schema.name == MemberLedgerSchema.schema.name }.map(\.name)
        guard let table = options.string("members") ?? (ledgers.count == 1 ? ledgers[0] : nil) else {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "members"),
                ledgers.isEmpty ? Message(zh: "step: visits：本表之前没有模式为 member-ledger 的台账表；用 members: 写明台账所在的表",
                                          en: "step: visits: no earlier table has the member-ledger schema; name the ledger's table with members:")
                                : Message(zh: "step: visits：本表之前有 \(ledgers.count) 张台账表（\(ledgers.joined(separator: "、"))），用 members: 写明是哪一张",
                                          en: "step: visits: \(ledgers.count) earlier tables are member ledgers (\(ledgers.joined(separator: ", "))); say which with members:"))])
        }
        // The forms read the ledger's fields (by the ledger's schema) and the step's counts.
        let k = tables.entries.firstIndex { $0.name == table }
        if k == nil || k! >= tables.current {
            // No such table, this table, or a later one: the directory says which (and throws).
            _ = try tables.rows(of: table, fields: Self.memberFields, asker: "step: visits", at: options.position(of: "members"))
        }
        let ledger = k.map { tables.entries[$0].schema } ?? MemberLedgerSchema.schema
        var readable = ledger
        readable.fields += Self.counts.map { TaizhangCore.Field(name: $0, type: .integer) } + [TaizhangCore.Field(name: Self.hardship, codes: ["是", "否"])]
        vocab = .of(ledger)
        dates = Set(ledger.fields.filter { $0.type == .date }.map(\.name))
        self.options = options
        forms = try ShippedForms.load(options.has("forms") ? options.strings("forms") : [ShippedForms.visits], options: options, schema: readable, vocab: vocab, numbers: Set(Self.counts))
        let extra = forms.flatMap(\.fields).filter { f in !Self.memberFields.contains(f) && ledger.fields.contains { $0.name == f } }
        var fields = Self.memberFields
        for f in extra where !fields.contains(f) { fields.append(f) }
        for (k, f) in fields.enumerated() { formColumn[f] = k }
        members = try tables.rows(of: table, fields: fields, asker: "step: visits", at: options.position(of: "members"))
        period = p
        end = p.end.0 * 10000 + p.end.1 * 100 + p.end.2
        start = p.startDay
        yearStart = p.end.0 * 10000 + 101
        let todayText = options.string("today").flatMap { $0.isEmpty ? nil : $0 }
        if let t = todayText {
            guard let d = DateText.parseISO(t), case .day(let y, let m, let dd) = d else {
                throw Diagnostics([Diagnostic(.error, at: options.position(of: "today"), Message(zh: "today「\(t)」不是日期", en: "today '\(t)' is not a date"),
                                              suggestion: Message(zh: "写成 2026-10-01", en: "write 2026-10-01"))])
            }
            today = y * 10000 + m * 100 + dd
        } else {
            let c = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: Date())
            today = c.year! * 10000 + c.month! * 100 + c.day!
        }
        perYear = options.int("per_year") ?? 1
        openDays = options.int("open_days") ?? 30
        unit = options.string("unit")
        masking = context.masking
        at = (layout.index(of: F.visitDate), layout.index(of: F.id), layout.index(of: F.name), layout.index(of: F.community),
              layout.index(of: F.reason), layout.index(of: F.request), layout.index(of: F.handling))
        visitorAt = layout.index(of: F.visitor)
        var stored: (Store, String, [String])?
        if let file = context.store, FileManager.default.fileExists(atPath: file) {
            // Earlier periods of the same year, ending by this one's end (not this period itself:
            // running it again replaces its visits).
            let kind = layout.schema.name, endDay = end
            do {
                let store = try Store(path: file, create: false)
                let earlier = try store.periods(kind: kind).filter { code in
                    guard code != p.code, let q = ReportPeriod(code) else { return false }
                    return q.end.0 == p.end.0 && q.end.0 * 10000 + q.end.1 * 100 + q.end.2 <= endDay
                }
                if !earlier.isEmpty { stored = (store, kind, earlier) }
            } catch {
                let message = (error as? Store.Problem)?.message ?? Message(zh: "无法读取资料库：\(error)", en: "cannot read the store: \(error)")
                throw Diagnostics([Diagnostic(.error, at: nil, message)])
            }
        }
        self.stored = stored
        storeNamed = context.store != nil
        for (name, least) in [("per_year", 0), ("open_days", 0)] {
            if let n = options.int(name), n < least {
                throw Diagnostics([Diagnostic(.error, at: options.position(of: name), Message(zh: "\(name) 不能是负数（这里是 \(n)）", en: "\(name) cannot be negative (here \(n))"))])
            }
        }
        // The ledger's rows are absorbed as they are kept, on the linking thread (`absorb`). Unowned,
        // not weak: the kept rows, which hold this closure, are asked for no longer than the step
        // lives, and a weak reference would send every retain of the step through a side table.
        members.observe { [unowned self] batch, rows in
            absorbing.wait()
            linking.async { self.absorb(batch, rows); self.absorbing.signal() }
        }
    }
    private let storeNamed: Bool

    /// Values worked out once per distinct text, then found by a cell's bytes with no string made:
    /// a log writes a few reasons, handlings and communities millions of times. Free text (a
    /// request) is remembered up to `limit` distinct values, then worked out each time.
    private struct Memo {
        private var index = ByteIndex()
        static let limit = 100_000
        mutating func value(_ bytes: UnsafeBufferPointer<UInt8>, _ make: (String) -> Int32) -> Int32 {
            let raw = UnsafeRawBufferPointer(bytes)
            if let known = index.find(raw) { return known.value }
            let v = make(String(decoding: bytes, as: UTF8.self))
            if index.count < Self.limit { _ = index.insert(raw, value: v) }
            return v
        }
    }
    /// Cell `f` of row `r` through `memo`; nil when the row has no such cell or it is empty.
    private func memoized(_ memo: inout Memo, _ batch: borrowing Batch, _ r: Int, _ f: Int?, _ make: (String) -> Int32) -> Int32? {
        guard let f, !batch.isEmpty(row: r, field: f) else { return nil }
        return batch.withBytes(row: r, field: f) { memo.value($0, make) }
    }
    // The memos are the linking thread's: it works out what each visit says (`said`).
    /// A reason as written → its index in `VisitsPlugin.reasons`, -1 when not one of them.
    @exclusivity(unchecked) private var reasonMemo = Memo()
    /// 办理情况 as written → 0 办理中, 1 办结, 2 未办理, 3 not one of them.
    @exclusivity(unchecked) private var handlingMemo = Memo()
    private static func handlingCode(_ h: ByteKey) -> Int32 { h == inHand ? 0 : h == done ? 1 : handlings.contains(h) ? 2 : 3 }
    /// 反映问题 as written → 1 when it says something (`says`), else 0.
    @exclusivity(unchecked) private var saysMemo = Memo()
    /// A community as a visit writes it → its entry in `places` (the ledger's communities it names).
    @exclusivity(unchecked) private var communityMemo = Memo()
    @exclusivity(unchecked) private var places: [[Int32]] = []
    /// Each community's bytes as the ledger writes it (by `Facts.community`): compared with every visit's.
    private var communityBytes: [[UInt8]] = []

    /// `ledgerCommunities(named:)` kept in `places`; -1 once `places` holds as many as the memo keeps (a
    /// log of endless spellings).
    private func place(_ written: String) -> Int32 {
        guard places.count < Memo.limit else { return -1 }
        places.append(ledgerCommunities(named: written))
        return Int32(places.count - 1)
    }

    /// The ledger's communities a visit's community names: as written, in 简体, or without its suffix.
    private func ledgerCommunities(named written: String) -> [Int32] {
        communityKeys[ByteKey(written)] ?? communityKeys[ByteKey(linkSimplifier.simplify(written))]
            ?? communityKeys[ByteKey(Units.key(written, simplify: linkSimplifier.simplify))] ?? []
    }

    /// The rows of the name in community `c`, when `Simplifier.name` leaves its bytes as they are
    /// (nil: it would not).
    private func rows(named bytes: UnsafeBufferPointer<UInt8>, in c: Int32) -> [Int]? {
        guard linkSimplifier.isName(utf8: bytes) else { return nil }
        return Array(Self.nameKey(c, bytes) { named.rows($0) })
    }

    private static let reasonIndex = Dictionary(uniqueKeysWithValues: VisitsPlugin.reasons.enumerated().map { (ByteKey($0.element), $0.offset) })
    private static let deathReason = VisitsPlugin.reasons.firstIndex(of: "发生死亡")
    private static let inHand = ByteKey("办理中"), done = ByteKey("办结"), died = ByteKey("死亡"), left = ByteKey("迁出")
    private static let handlings: Set = [inHand, done, ByteKey("未办理")]

    static func day(_ s: String) -> Int? { day(utf8: s.utf8) }

    static func day<Bytes: Sequence<UInt8>>(utf8: Bytes) -> Int? {
        guard let d = DateText.parseISO(utf8: utf8) else { return nil }
        switch d {
        case .day(let y, let m, let dd): return y * 10000 + m * 100 + dd
        case .month(let y, let m): return y * 10000 + m * 100 + 1
        }
    }

    /// Days from `a` to `b` (yyyymmdd).
    static func days(_ a: Int, _ b: Int) -> Int {
        CivilDate.days(b / 10000, b / 100 % 100, b % 100) - CivilDate.days(a / 10000, a / 100 % 100, a % 100)
    }

    /// How a visit found its person: by ID number or name as written, by the visitor being the
    /// person's 联系人 (among several of one name), or by an alike name (the level of
    /// `DuplicateFinder.nameLevel`: 2 同音, 1 one character off).
    /// `nameOnly`: the visit names no community, and the name is found once in the whole ledger.
    /// `id`: by the ID number, the name not yet compared.
    enum How {
        case id, exact, liaison, alike(UInt8), nameNotID, nameOnly
        /// Found by the name as written (among several, by the visitor).
        var byName: Bool { switch self { case .exact, .liaison, .nameOnly: true; default: false } }
    }

    /// The person a visit is of: kept row, or the issue to raise.
    /// `first`: the ledger's first row of the visit's ID number when `firstRows` has looked it up
    /// (-1: the ledger has no such number), nil when it has not.
    private func link(_ batch: Batch, _ r: Int, first: Int32?) -> Result<(Int, How), LinkProblem> {
        func value(_ f: Int?) -> String? { f.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) } }
        let hasID = at.id.map { !batch.isEmpty(row: r, field: $0) } ?? false
        if !hasID, at.name.map({ batch.isEmpty(row: r, field: $0) }) ?? true { return .failure(.nobody) }
        if hasID, let i = at.id {
            // Canonical in both tables (normalize: member-ledger). Rows of one number are one person:
            // the first row stands for them (as the return counts them).
            // The name is compared with the person's by the counting thread (`check`), which reads
            // their facts anyway.
            let row: Int? = if let first { first >= 0 ? Int(first) : nil } else { batch.withBytes(row: r, field: i) { firstRow(ofID: $0) } }
            if let row { return .success((row, .id)) }
        }
        // Most visits by name: a community the ledger has, a name as `Simplifier.name` writes it,
        // one row of it there — found by the cells' bytes. Several rows: the visitor decides (below).
        var found: (community: Int32, rows: [Int])?
        if let n = at.name, let c = at.community, members.has(M.community), !batch.isEmpty(row: r, field: c), !batch.isEmpty(row: r, field: n) {
            let p = Int(batch.withBytes(row: r, field: c) { communityMemo.value($0) { self.place($0) } })
            if p >= 0, places[p].count == 1, let rows = batch.withBytes(row: r, field: n, { rows(named: $0, in: places[p][0]) }), !rows.isEmpty {
                if rows.count == 1 { return .success((Int(facts[rows[0]].person), hasID ? .nameNotID : .exact)) }
                found = (places[p][0], rows)
            }
        }
        let byName = link(name: value(at.name), community: value(at.community), visitor: { value(self.visitorAt) }, byID: hasID, found: found)
        // A number the ledger does not have, and the name found in the community: counted, and said.
        if hasID, case .success((let p, let how)) = byName, how.byName { return .success((p, .nameNotID)) }
        return byName
    }

    /// Per community, made as the ledger is absorbed: its persons by
    /// the pinyin of their name (同音), and, for names of three or four characters, by the name with
    /// one character left out (one character off) — the levels 2 and 1 of
    /// `DuplicateFinder.nameLevel`, looked up instead of compared person by person.
    /// Keys (of a community and a name's sound, or the name less one character) to the persons
    /// that have them: each key's persons chained through `next` (a community of 100,000 makes no
    /// array per key).
    private struct Alike {
        var heads = NumberIndex()
        var next: [Int32] = []
        var persons: [Int32] = []
        mutating func add(_ key: UInt64, _ person: Int32) {
            next.append(heads.updateValue(Int32(persons.count), forKey: key) ?? -1)
            persons.append(person)
        }
        subscript(key: UInt64) -> [Int32] {
            var found: [Int32] = []
            var i = heads[key] ?? -1
            while i >= 0 { found.append(persons[Int(i)]); i = next[Int(i)] }
            return found
        }
    }
    private var sounds = Alike(), oneOffs = Alike()

    private static func soundKey(_ name: String, in c: Int32) -> UInt64? {
        let p = Pinyin.print(name)   // the pinyin's hash, without making the string
        guard !p.empty else { return nil }
        var h = FNV(); h.add(Int(c)); h.add(Int(bitPattern: UInt(p.hash)))
        return h.value
    }

    private static func oneOffKeys(_ name: String, in c: Int32) -> [UInt64] {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count >= 3, scalars.count <= 4 else { return [] }
        return scalars.indices.map { i in
            var h = FNV(); h.add(Int(c)); h.add(i); h.add(scalars.count)
            for (k, u) in scalars.enumerated() where k != i { h.add(Int(u.value)) }
            return h.value
        }
    }

    /// The persons of community `c` whose name is alike in sound (level 2) or one character off (level 1).
    /// (The tables hold every row of the community, made as the ledger is absorbed; a row found
    /// to repeat an earlier one's person only later is left out here.)
    private func alike(_ name: String, in c: Int32) -> (sound: [Int32], oneOff: [Int32]) {
        let standing = { (m: Int32) in !self.facts[Int(m)].repeats }
        return ((Self.soundKey(name, in: c).map { sounds[$0] } ?? []).filter(standing), Self.oneOffKeys(name, in: c).flatMap { oneOffs[$0] }.filter(standing))
    }

    /// A stored visit's person, from its values.
    private func link(_ values: [String: String]) -> Result<(Int, How), LinkProblem> {
        if let id = values[F.id] {
            if let first = firstRow(ofID: id.utf8) {
                if let name = values[F.name], !sameName(name, members.value(first, M.name), linkSimplifier) { return .failure(.otherName) }
                return .success((first, .exact))
            }
        }
        return link(name: values[F.name], community: values[F.community], visitor: { values[F.visitor] }, byID: values[F.id] != nil)
    }

    private func sameName(_ a: String, _ b: String, _ simplifier: Simplifier) -> Bool {
        ByteKey(a) == ByteKey(b) || ByteKey(simplifier.name(a)) == ByteKey(simplifier.name(b))
    }

    /// By name (简繁, width and spaces alike) within the community; among several of the name, the
    /// one whose 联系人 is the visitor; when no one has the name, the one person of the community
    /// whose name is alike (同音 first, then one character off in a name of three or more).
    /// `known`: the one community the visit names and the rows of the name there, found already.
    private func link(name: String?, community written: String?, visitor: () -> String?, byID: Bool,
                      found known: (community: Int32, rows: [Int])? = nil) -> Result<(Int, How), LinkProblem> {
        guard let name else { return .failure(.none(byID: byID)) }
        let community = members.has(M.community) ? written : nil   // a ledger without the column: by name alone
        // A ledger with communities, a visit without one: found by name in the whole ledger, and said.
        let wholeLedger = written == nil && members.has(M.community)
        let here = known.map { [$0.community] } ?? community.map { ledgerCommunities(named: $0) } ?? []
        if let community, here.isEmpty, !byID { return .failure(.noCommunity(community)) }
        let simple = known == nil ? linkSimplifier.name(name) : name
        var found: [Int]
        if let known {
            found = known.rows
        } else if community == nil {
            found = Array(members.rows(where: M.name, is: name, key: linkSimplifier.name))
        } else {
            found = here.flatMap { rows(named: simple, in: $0) }
        }
        // Rows found stand for their persons (two rows of one number are one person); the visitor
        // is compared with each row's own 联系人. (Sorted, each once: a name has a few rows.)
        func persons(_ rows: [Int]) -> [Int] {
            var p = rows.map { Int(facts[$0].person) }
            guard p.count > 1 else { return p }
            p.sort()
            var n = 1
            for i in 1..<p.count where p[i] != p[n - 1] { p[n] = p[i]; n += 1 }
            p.removeLast(p.count - n)
            return p
        }
        let candidates = persons(found)
        // One person of the name, as written: the visitor is not asked (most visits).
        if candidates.count == 1 { return .success((candidates[0], wholeLedger ? .nameOnly : .exact)) }
        let v = visitor().flatMap { liaisons.find(linkSimplifier.name($0)) }.map { Int32($0.entry) }
        func byLiaison(_ rows: [Int]) -> [Int] { v.map { v in persons(rows.filter { facts[$0].liaison == v }) } ?? [] }
        if found.isEmpty, !here.isEmpty, !byID {
            // No one of this name here (and no ID number to go by): the matching engine's name
            // comparator, within the community. A name only alike is another person as often as a
            // slip (张卫 is not 张伟): linked only when the visitor is that person's 联系人 too — two
            // pieces of evidence, not one; 同音 first, then one character off.
            let near = here.map { self.alike(simple, in: $0) }
            let sound = Array(Set(near.flatMap { $0.sound }.map(Int.init))).sorted()
            let oneOff = Array(Set(near.flatMap { $0.oneOff }.map(Int.init))).sorted()
            for (level, rows) in [(UInt8(2), sound), (1, oneOff)] {
                let visited = byLiaison(rows)
                if visited.count == 1 { return .success((visited[0], .alike(level))) }
                // Several 同音 with the visitor for 联系人: no name a character off is nearer.
                if visited.count > 1 { return .failure(.ambiguousAlike(persons(sound + oneOff).count)) }
            }
            let alike = persons(sound + oneOff)
            if !alike.isEmpty { return .failure(.alikeUnconfirmed(alike.count)) }
        }
        let visited = byLiaison(found)
        if candidates.count > 1, visited.count == 1 { return .success((visited[0], .liaison)) }
        return .failure(candidates.isEmpty ? .none(byID: byID) : .ambiguous(candidates.count))
    }

    /// Whether visit `r` was looked for by name in the whole ledger (it names no community, the ledger has them).
    private func wholeLedger(_ batch: borrowing Batch, _ r: Int) -> Bool {
        members.has(M.community) && at.community.map { batch.isEmpty(row: r, field: $0) } ?? true
    }

    enum LinkProblem: Error { case none(byID: Bool), ambiguous(Int), ambiguousAlike(Int), alikeUnconfirmed(Int), otherName, noCommunity(String), nobody }

    /// The ledger's rows as they are kept (`KeptRows.observe`), on the linking thread while the
    /// ledger streams (its own thread is busy with the ledger's steps): each row's `Facts`, and
    /// the indexes a visit is looked up by. `members` itself is not read here — it grows on the
    /// other thread — only the batch.
    private func absorb(_ batch: Batch, _ rows: [Int]) {
        let fieldAt = members.fields.prefix(Self.memberFields.count).map { batch.layout.index(of: $0) }
        for r in rows {
            func value(_ k: Int) -> String {
                guard let f = fieldAt[k], !batch.isEmpty(row: r, field: f) else { return "" }
                return batch.string(row: r, field: f)
            }
            let m = facts.count
            var f = Facts()
            f.birth = Int32(Self.day(value(M.birth)) ?? 0)
            f.statusDay = Int32(Self.day(value(M.statusDate)) ?? 0)
            let status = value(M.status)
            f.status = ByteKey(status) == Self.died ? Facts.died : ByteKey(status) == Self.left ? Facts.left : 0
            f.listed = MemberLedgerSchema.onRoll(status)
            f.onRoll = f.listed || MemberLedgerSchema.onRoll(status, date: value(M.statusDate), end: end)
            f.hardship = Self.says(value(M.difficulty))
            // The ledger's first row of each number; a later row of it is the same person.
            let id = value(M.id)
            var first: Int32?
            if !id.isEmpty {
                if id.utf8.last != 0x78, let key = IdentityCheck.key(id) {
                    first = firstOfID[key]
                    if first == nil { firstOfID.updateValue(Int32(m), forKey: key) }
                } else {
                    first = firstOfOtherID[ByteKey(id)]
                    if first == nil { firstOfOtherID[ByteKey(id)] = Int32(m) }
                }
            }
            f.repeats = first != nil
            f.person = first ?? Int32(m)
            let name = value(M.name)
            var hash = FNV()
            hash.add(name)
            f.name = hash.value
            // `sameName`, of names already simplified: the same bytes.
            let simple = linkSimplifier.name(name)
            simpleNames.append(simple)
            // The person listed again (moved from one of the ledger's communities to another: 迁出
            // there, 在册 here): the row of where they were at the period's end stands for them —
            // visited and counted there, whichever file came first. A visit after the move is no
            // visit after leaving.
            if let p = first, ByteKey(simple) == ByteKey(simpleNames[Int(p)]) {
                if f.listed || facts[Int(p)].listed { facts[Int(p)].elsewhere = true; f.elsewhere = true }
                if Self.stands(f, over: facts[Int(p)]) {
                    facts[Int(p)].repeats = true
                    facts[Int(p)].person = Int32(m)
                    movedTo[p] = Int32(m)
                    (f.repeats, f.person) = (false, Int32(m))
                    if id.utf8.last != 0x78, let key = IdentityCheck.key(id) { firstOfID.updateValue(Int32(m), forKey: key) } else { firstOfOtherID[ByteKey(id)] = Int32(m) }
                }
            }
            let liaison = value(M.liaison)
            if !liaison.isEmpty {
                if let known = liaisonIndex[ByteKey(liaison)] { f.liaison = known } else {
                    f.liaison = Int32(liaisons.insert(linkSimplifier.name(liaison)).entry)
                    liaisonIndex[ByteKey(liaison)] = f.liaison
                }
            }
            let community = value(M.community)
            if let known = communityIndex[ByteKey(community)] { f.community = known } else {
                f.community = Int32(communities.count)
                communityIndex[ByteKey(community)] = f.community
                communities.append(community)
                communityBytes.append(Array(community.utf8))
                // As written, in 简体, and without its suffix (书院路社区居委会, 書院路社區 and 书院路 are one).
                for key in Set([community, linkSimplifier.simplify(community), Units.key(community, simplify: linkSimplifier.simplify)].map(ByteKey.init)) {
                    communityKeys[key, default: []].append(f.community)
                }
            }
            // The alike-name tables of `alike`, made as the rows come (the ledger's thread is the busy one).
            if let k = Self.soundKey(simple, in: f.community) { sounds.add(k, Int32(m)) }
            for k in Self.oneOffKeys(simple, in: f.community) { oneOffs.add(k, Int32(m)) }
            // A later row of a number (the person listed again, maybe in another community) finds
            // its person — when it bears the person's name, not another's under a mistyped number.
            if !name.isEmpty, !f.repeats || ByteKey(simple) == ByteKey(simpleNames[Int(f.person)]) {
                _ = Self.nameKey(f.community, simple) { named.add($0, row: Int32(m)) }
            }
            facts.append(f)
        }
    }
    private var communityIndex: [ByteKey: Int32] = [:], liaisonIndex: [ByteKey: Int32] = [:]
    /// At most this many of the ledger's batches wait for `absorb` (the ledger's thread waits for the linking one).
    private let absorbing = DispatchSemaphore(value: 16)

    /// Once the whole ledger is absorbed, on the linking thread (or once it is idle): rows that
    /// pointed to a person's earlier row point to the row standing for them now.
    private func seal() {
        guard !sealed else { return }
        sealed = true
        if !movedTo.isEmpty {
            for k in facts.indices where movedTo[facts[k].person] != nil {
                var p = facts[k].person
                while let q = movedTo[p] { p = q }
                facts[k].person = p
            }
        }
    }
    private var sealed = false

    /// This thread's per-person counts, once the ledger is whole (after a `settle`, or with the linking thread idle).
    private func sizeTallies() {
        guard tallies.count < facts.count else { return }
        tallies += Array(repeating: Tally(), count: facts.count - tallies.count)
    }

    /// Each batch's visits are linked on a thread of their own while this one checks and counts
    /// the batch before (the step holds each batch until then, and gives them back in order).
    /// The linking reads what `absorb` made — `facts`, the indexes — and keeps its own memos,
    /// alike-name tables and `linkSimplifier`; the counting writes `tallies` and the rest.
    private let linking = DispatchQueue(label: "taizhang.visits.link")
    private final class Job: @unchecked Sendable {
        var batch: Batch?
        var links: [Result<(Int, How), LinkProblem>?] = []
        var said: [Said] = []
        /// The person of each row linked, -1 for the others.
        var persons: [Int32] = []
        let done = DispatchSemaphore(value: 0)
        init(_ batch: Batch) { self.batch = batch }
    }
    private var pending: Job?
    private var ready: [Batch] = []

    func process(_ batch: inout Batch) throws {
        let job = Job(batch)
        linking.async { [self] in
            do {
                seal()
                let b = job.batch!
                let firsts = firstRows(b)
                job.links = (0..<b.count).map { r in b.hasError[r] ? nil : link(b, r, first: firsts[r]) }
                job.said = (0..<b.count).map { r in if case .success = job.links[r] { said(b, r) } else { Said() } }
                job.persons = job.links.map { if case .success((let p, _))? = $0 { Int32(p) } else { -1 } }
            }
            job.done.signal()
        }
        try settle()
        pending = job
    }

    func hold(_ batch: Batch) -> Bool { true }

    func releaseEarly() throws -> [Batch] {
        defer { ready = [] }
        return ready
    }

    func release() throws -> [Batch] {
        try settle()
        defer { ready = [] }
        return ready
    }

    /// The batch whose visits are being linked: checked and counted once they are, then ready to go on.
    private func settle() throws {
        guard let job = pending else { return }
        pending = nil
        job.done.wait()
        sizeTallies()
        var batch = job.batch!
        job.batch = nil
        check(&batch, job.links, job.said, job.persons)
        ready.append(batch)
    }

    private func report(otherName batch: inout Batch, _ r: Int) {
        batch.report(row: r, field: at.id, code: "visit-name-mismatch", severity: .error,
                     message: Message(zh: "这个身份证号在台账中是另一个人（姓名不同）：无法确定走访的是谁", en: "this ID number is someone else's in the ledger (another name): who was visited is unclear"),
                     suggestion: Message(zh: "核对被走访人的姓名和身份证号", en: "check the name and the ID number"),
                     value: at.id.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) })
    }

    /// What a linked visit says besides whom, worked out from the cells' bytes on the linking
    /// thread (with its memos) for `check`, on the counting thread, to read.
    private struct Said {
        /// yyyymmdd; 0: no date, or not one (`validate: fields` says so).
        var day: Int32 = 0
        /// The index in `VisitsPlugin.reasons`; -1: not one of them; -2: none given.
        var reason: Int32 = -2
        /// `handlingCode`; -1: none given.
        var handling: Int32 = -1
        /// 反映问题 says something (`says`).
        var request = false
        var reasonHash: UInt64 = 0
        /// The visitor's `nameKey`.
        var visitor: UInt64 = 0
    }

    private func said(_ batch: borrowing Batch, _ r: Int) -> Said {
        var s = Said()
        if let f = at.date, !batch.isEmpty(row: r, field: f) { s.day = Int32(batch.withBytes(row: r, field: f, { Self.day(utf8: $0) }) ?? 0) }
        s.reason = memoized(&reasonMemo, batch, r, at.reason) { Self.reasonIndex[ByteKey($0)].map(Int32.init) ?? -1 } ?? -2
        s.reasonHash = Self.emptyHash
        if let f = at.reason { s.reasonHash = batch.withBytes(row: r, field: f) { var h = FNV(); h.add($0); return h.value } }
        s.handling = memoized(&handlingMemo, batch, r, at.handling) { Self.handlingCode(ByteKey($0)) } ?? -1
        s.request = memoized(&saysMemo, batch, r, at.request) { Self.says($0) ? 1 : 0 } == 1
        s.visitor = visitorKey(batch, r)
        return s
    }

    /// Reads what `check` is about to for rows `rows`: each person's facts and counts, and the
    /// visit's slot in `visitAt`, in a loop of nothing else — the cache misses (three a visit, at
    /// random in tables of a million) overlap rather than come one at a time in the checking.
    private func touch(_ rows: Range<Int>, _ persons: [Int32], _ said: [Said]) {
        var sum: UInt64 = 0
        facts.withUnsafeBufferPointer { f in
            tallies.withUnsafeBufferPointer { t in
                for r in rows where persons[r] >= 0 {
                    let p = Int(persons[r]), s = said[r]
                    sum &+= f[p].name &+ UInt64(UInt32(bitPattern: t[p].yearVisits))
                    if s.day != 0, let seen = visitAt[visitKey(p, Int(s.day), s.reasonHash, s.visitor)] { sum &+= UInt64(UInt32(bitPattern: seen)) }
                }
            }
        }
        touched = sum
    }
    /// What `touch` read, kept (so that its reads are not left out as unused).
    private var touched: UInt64 = 0

    private func check(_ batch: inout Batch, _ links: [Result<(Int, How), LinkProblem>?], _ said: [Said], _ persons: [Int32]) {
        if visitFileIndex[batch.source.file] == nil { visitFileIndex[batch.source.file] = UInt64(visitFiles.count); visitFiles.append(batch.source.file) }
        let fileBits = visitFileIndex[batch.source.file]! << 32
        visitsRead += batch.count
        for r in 0..<batch.count {
            if r % Self.touchRows == 0 { touch(r..<min(r + Self.touchRows, batch.count), persons, said) }
            guard !batch.hasError[r] else { continue }
            // The batch is passed, not captured: a nested function capturing the inout batch copied it per call.
            func value(_ batch: borrowing Batch, _ f: Int?) -> String? {
                guard let f, !batch.isEmpty(row: r, field: f) else { return nil }
                return batch.string(row: r, field: f)
            }
            guard let link = links[r] else { continue }
            let person: Int
            switch link {
            case .success((let p, .id)):
                // The number is the ledger's, the name another's: which of the two was visited is unclear.
                if let n = at.name, !batch.isEmpty(row: r, field: n),
                   batch.withBytes(row: r, field: n, { var h = FNV(); h.add($0); return h.value }) != facts[p].name,
                   !sameName(batch.string(row: r, field: n), members.value(p, M.name), simplifier) {
                    report(otherName: &batch, r)
                    continue
                }
                person = p
            case .success((let p, .exact)): person = p
            case .success((let p, .liaison)):
                person = p
                batch.report(row: r, field: at.name, code: "visit-linked-by-liaison", severity: .info,
                             message: Message(zh: "台账\(wholeLedger(batch, r) ? "中" : "本社区")有多人同名，按走访人（即此人的联系人）对应到 \(members.origin(p).location) 的人",
                                              en: "several of this name in the \(wholeLedger(batch, r) ? "ledger" : "community"): linked by the visitor, who is the person's liaison, to \(members.origin(p).location)"),
                             suggestion: Message(zh: "填写被走访人的身份证号，免得认错人", en: "give the person's ID number"), value: value(batch, at.name))
            case .success((let p, .nameOnly)):
                person = p
                batch.report(row: r, field: at.community ?? at.name, code: "visit-no-community", severity: .warning,
                             message: Message(zh: "没有填所在社区；按姓名在整个台账中只找到一人，对应到 \(members.origin(p).location) 的人，已计入",
                                              en: "no community given; the name is found once in the whole ledger, at \(members.origin(p).location); counted"),
                             suggestion: Message(zh: "填写所在社区或被走访人的身份证号，免得认错人", en: "give the community or the person's ID number"),
                             value: value(batch, at.community ?? at.name))  // the cell it is about: the name, masked as one, only without the column
            case .success((let p, .nameNotID)):
                person = p
                batch.report(row: r, field: at.id, code: "visit-id-not-in-ledger", severity: .warning,
                             message: Message(zh: "台账中没有这个身份证号；按姓名\(wholeLedger(batch, r) ? "（未填所在社区，在整个台账中）" : "和所在社区")对应到 \(members.origin(p).location) 的人，已计入",
                                              en: "the ledger has no such ID number; linked by name\(wholeLedger(batch, r) ? " (no community given: in the whole ledger)" : " and community") to \(members.origin(p).location); counted"),
                             suggestion: Message(zh: "核对身份证号，改成与台账一致", en: "check the ID number against the ledger"), value: value(batch, at.id))
            case .failure(.nobody):
                // A source without either column: the header is what to fix, not each row.
                let info = batch.source
                let noColumn = [at.name, at.id].allSatisfy { f in f.map { info.headers[$0] == nil && !info.setFields.contains($0) } ?? true }
                batch.report(row: r, field: at.name ?? at.id, code: "visit-unlinked", severity: .error,
                             message: noColumn ? Message(zh: "表头中没有被走访人的列（姓名或身份证号）：这次走访无法计入", en: "the header has no column for the person visited (name or ID number): the visit cannot be counted")
                                               : Message(zh: "没有填被走访人（姓名和身份证号都空）：这次走访无法计入", en: "no one is named (neither name nor ID number): the visit cannot be counted"),
                             suggestion: noColumn ? Message(zh: "给被走访人的姓名列加上表头「被走访人」（或身份证号列加「身份证号」）", en: "head the person's name column 被走访人 (or the ID number column 身份证号)")
                                                  : Message(zh: "填写被走访人的姓名（和所在社区）或身份证号", en: "give the person's name (and community) or ID number"))
                continue
            case .failure(.noCommunity(let c)):
                let known = communities.filter { !$0.isEmpty }
                batch.report(row: r, field: at.community, code: "visit-unlinked", severity: .error,
                             message: Message(zh: "台账中没有「\(c)」这个社区，按姓名找不到此人：这次走访无法计入（台账中的社区：\(known.prefix(8).joined(separator: "、"))\(known.count > 8 ? " 等" : "")）",
                                              en: "the ledger has no community '\(c)', so the person cannot be found by name: the visit cannot be counted"),
                             suggestion: Suggest.didYouMean(c, known) ?? Message(zh: "写成台账中的社区名称，或填写被走访人的身份证号", en: "write the community as the ledger does, or give the ID number"),
                             value: c)
                continue
            case .success((let p, .alike(let level))):
                person = p
                let theirs = members.value(p, M.name), how = level == 2 ? "同音" : "一字之差"
                let alike = level == 2 ? "sounds the same" : "differs in one character", ledgerRow = members.origin(p).location
                // Masked, two alike names read the same (张* and 张*): the ledger's row says whom.
                batch.report(row: r, field: at.name, code: "visit-name-alike", severity: .warning,
                             message: masking == .full
                                ? Message(zh: "台账本社区没有叫「\(value(batch, at.name) ?? "")」的人，按\(how)对应到「\(theirs)」（\(ledgerRow)），已计入",
                                          en: "no one of this name in the community: linked to '\(theirs)' (\(ledgerRow)), a name that \(alike); counted")
                                : Message(zh: "台账本社区没有与此姓名相同的人，按\(how)对应到 \(ledgerRow) 的人，已计入",
                                          en: "no one of this name in the community: linked to the person at \(ledgerRow), whose name \(alike); counted"),
                             suggestion: Message(zh: "核对姓名，改成与台账一致（或填写身份证号）", en: "write the name as the ledger does (or give the ID number)"), value: value(batch, at.name))
            case .failure(.none(let byID)):
                batch.report(row: r, field: byID ? at.id : at.name, code: "visit-unlinked", severity: .error,
                             message: Message(zh: byID ? "台账（已接受的记录）中找不到这个身份证号，按姓名和社区也找不到此人：这次走访无法计入" : "台账（已接受的记录）中找不到此人（按姓名和所在社区）：这次走访无法计入",
                                              en: byID ? "no one in the ledger has this ID number, nor this name in this community: the visit cannot be counted" : "no one of this name in this community in the ledger: the visit cannot be counted"),
                             suggestion: Message(zh: "填写被走访人的身份证号，或核对姓名、所在社区与台账一致", en: "give the person's ID number, or write the name and community as the ledger does"),
                             value: value(batch, byID ? at.id : at.name))
                continue
            case .failure(.otherName):
                report(otherName: &batch, r)
                continue
            case .failure(.alikeUnconfirmed(let n)):
                batch.report(row: r, field: at.name, code: "visit-unlinked", severity: .error,
                             message: Message(zh: "台账本社区没有这个姓名；姓名同音或只差一字的有 \(n) 人，但走访人不是其联系人，不能认定是同一人：这次走访无法计入",
                                              en: "no one of this name in the community; \(n) with a name alike, but the visitor is not their liaison: not taken as the same person, the visit cannot be counted"),
                             suggestion: Message(zh: "核对姓名，改成与台账一致，或填写被走访人的身份证号", en: "write the name as the ledger does, or give the person's ID number"), value: value(batch, at.name))
                continue
            case .failure(.ambiguousAlike(let n)):
                batch.report(row: r, field: at.name, code: "visit-ambiguous", severity: .error,
                             message: Message(zh: "台账本社区没有这个姓名；姓名同音或只差一字的有 \(n) 人，无法确定走访的是谁", en: "no one of this name in the community, and \(n) people whose names sound alike or differ in one character: which one was visited is unclear"),
                             suggestion: Message(zh: "核对姓名，或填写被走访人的身份证号", en: "check the name, or give the person's ID number"), value: value(batch, at.name))
                continue
            case .failure(.ambiguous(let n)):
                batch.report(row: r, field: at.name, code: "visit-ambiguous", severity: .error,
                             message: Message(zh: "台账中有 \(n) 人与此姓名、社区相同，无法确定走访的是谁", en: "\(n) people of the ledger have this name and community: which one was visited is unclear"),
                             suggestion: Message(zh: "填写被走访人的身份证号", en: "give the person's ID number"), value: value(batch, at.name))
                continue
            }
            // The visit is of the person's community as the ledger writes it: the store keeps it
            // under that unit (書院路社區, 书院路, or a blank would each make a unit of its own).
            if let c = at.community {
                let k = Int(facts[person].community)
                if !communityBytes[k].isEmpty, batch.isEmpty(row: r, field: c) || !batch.withBytes(row: r, field: c, { $0.elementsEqual(communityBytes[k]) }) {
                    batch.set(row: r, field: c, communities[k], rule: Message(zh: "按台账中被走访人的所在社区", en: "the visited person's community as the ledger writes it"))
                }
            }
            // The cells read by their bytes (each distinct text worked out once); the text itself
            // only for a message (the date's too).
            let says = said[r]
            guard says.day != 0, let dateAt = at.date else { continue }   // `validate: fields` says so
            let day = Int(says.day)
            let reasonCode = says.reason
            let reasonAt = reasonCode >= 0 ? Int(reasonCode) : nil
            let handling = says.handling >= 0 ? says.handling : nil
            if day > today {
                let dateText = batch.string(row: r, field: dateAt)
                batch.report(row: r, field: at.date, code: "visit-in-future", severity: .error,
                             message: Message(zh: "走访日期 \(dateText) 晚于今天", en: "visit date \(dateText) is in the future"), value: dateText)
                continue
            }
            let fact = facts[person]
            if fact.birth != 0, day < Int(fact.birth) {
                let dateText = batch.string(row: r, field: dateAt)
                batch.report(row: r, field: at.date, code: "visit-before-birth", severity: .error,
                             message: Message(zh: "走访日期 \(dateText) 早于被走访人的出生日期", en: "visit date \(dateText) is before the person's birth"), value: dateText)
                continue
            }
            let statusDay = fact.statusDay == 0 ? nil : Int(fact.statusDay)
            if fact.status == Facts.died, let d = statusDay, day > d, reasonAt != Self.deathReason {
                let dateText = batch.string(row: r, field: dateAt)
                batch.report(row: r, field: at.date, code: "visit-after-death", severity: .error,
                             message: Message(zh: "走访日期 \(dateText) 晚于台账记载的死亡日期 \(members.value(person, M.statusDate))", en: "visit date \(dateText) is after the death recorded in the ledger"),
                             suggestion: Message(zh: "核对走访日期或台账的人员状态；看望家属记为「发生死亡」", en: "check the date or the ledger's status; a visit to the family is 发生死亡"), value: dateText)
                continue
            }
            // One visit written twice (a row pasted again): counted once, and said.
            let key = visitKey(person, day, says.reasonHash, says.visitor)
            if let seen = visitAt[key] {
                let first = visitPlaces[Int(seen)]
                let file = visitFiles[Int(first >> 32)], row = first & 0xFFFF_FFFF
                let dateText = batch.string(row: r, field: dateAt)
                batch.report(row: r, field: at.date, code: "visit-repeated", severity: .warning,
                             message: Message(zh: "与 \(file) 第 \(row) 行是同一次走访（同一人、同一天、同一事由、同一走访人）：只计一次",
                                              en: "the same visit as \(file) row \(row) (same person, day, reason and visitor): counted once"),
                             suggestion: Message(zh: "删去重复的一行；确是两次走访的，写明各自的事由或走访人", en: "delete the repeated row; if they were two visits, give each its reason or visitor"),
                             value: dateText)
                continue
            }
            if fact.status == Facts.left, !fact.elsewhere, let d = statusDay, day > d {
                let dateText = batch.string(row: r, field: dateAt)
                batch.report(row: r, field: at.date, code: "visit-after-leaving", severity: .warning,
                             message: Message(zh: "走访日期 \(dateText) 晚于台账记载的迁出日期 \(members.value(person, M.statusDate))", en: "visit date \(dateText) is after the person moved away"), value: dateText)
            }
            // Open for how long: to the period's end, or to today when the period has not ended.
            let asOf = min(end, today)
            if handling == 0, day <= asOf, Self.days(day, asOf) > openDays {
                let when = asOf == end ? (zh: "到期末", en: "at the period's end") : (zh: "到今天", en: "today")
                let dateText = batch.string(row: r, field: dateAt)
                batch.report(row: r, field: at.handling, code: "request-open-too-long", severity: .warning,
                             message: Message(zh: "反映的问题自 \(dateText) 起仍在办理中，\(when.zh)已 \(Self.days(day, asOf)) 天（超过 \(openDays) 天）", en: "the request raised on \(dateText) is still open \(when.en), after \(Self.days(day, asOf)) days (over \(openDays))"),
                             suggestion: Message(zh: "催办，办结后改为「办结」", en: "follow it up; mark it 办结 when done"), value: "办理中")
            }
            if reasonCode == -1 {
                let reason = value(batch, at.reason) ?? ""
                batch.report(row: r, field: at.reason, code: "unknown-visit-reason", severity: .warning,
                             message: Message(zh: "走访事由「\(reason)」无法识别：计为「其他」", en: "reason '\(reason)' not recognised: counted as 其他"),
                             suggestion: Message(zh: "写六必访之一（家庭有矛盾、生病住院、发生死亡、有困难、逢重大节日、有重要活动）或 定期走访、节日慰问、其他；本单位的叫法可在档案的 values 中加",
                                                 en: "write one of the six 必访 reasons, 定期走访, 节日慰问 or 其他; an office's own words go in its profile's values"), value: reason)
            }
            let request = says.request
            if request, handling == nil {
                batch.report(row: r, field: at.handling, code: "request-unhandled", severity: .warning,
                             message: Message(zh: "反映了问题，未填办理情况", en: "a request with no 办理情况"),
                             suggestion: Message(zh: "填写 办结、办理中 或 未办理", en: "write 办结, 办理中 or 未办理"))
            }
            if handling == 3, let h = value(batch, at.handling).map(ByteKey.init) {
                batch.report(row: r, field: at.handling, code: "unknown-handling", severity: .warning,
                             message: Message(zh: "办理情况「\(h.string)」无法识别：不计为办结", en: "办理情况 '\(h.string)' not recognised: not counted as settled"),
                             suggestion: Message(zh: "写 办结、办理中 或 未办理；本单位的叫法可在档案的 values 中加", en: "write 办结, 办理中 or 未办理; an office's own words go in its profile's values"),
                             value: h.string)
            }
            visitAt.updateValue(Int32(visitPlaces.count), forKey: key)
            visitPlaces.append(fileBits | UInt64(UInt32(clamping: batch.rowNumbers[r])))
            count(person, day: day, reasonAt: reasonAt, request: request, done: handling == 1)
        }
    }

    /// Rows whose memory `touch` reads at a time: their facts, counts and slots fit the core's cache.
    private static let touchRows = 256

    /// A visit counted: toward the person's year (to the period's end) and period, by its reason
    /// (不明 → 其他), with its request.
    private func count(_ person: Int, day: Int, reasonAt: Int?, request: Bool, done: Bool) {
        guard day <= end, day >= yearStart else { outside += 1; return }
        tallies[person].count(day: day, statusDay: facts[person].statusDay, death: reasonAt == Self.deathReason, inPeriod: day >= start,
                              reason: reasonAt ?? VisitsPlugin.reasons.count - 1, request: request, done: done)
    }

    /// One visit, wherever it is written: the person, the day, the reason and the visitor (its
    /// `nameKey`: 劉芳 is 刘芳). The same visit in this run's log and in the store's is counted once.
    private func visitKey(_ person: Int, _ day: Int, _ reason: UInt64, _ visitor: UInt64) -> UInt64 {
        // Person and day side by side in one word, then the two hashes mixed in (a multiply and a shift each).
        func mix(_ h: UInt64, _ x: UInt64) -> UInt64 { let m = (h ^ x) &* 0x9E37_79B9_7F4A_7C15; return m ^ m >> 29 }
        return mix(mix(UInt64(UInt32(truncatingIfNeeded: person)) << 32 | UInt64(UInt32(truncatingIfNeeded: day)), reason), visitor)
    }
    private static let emptyHash = reasonHash("")

    /// A reason as a visit writes it, hashed for `visitKey`.
    private static func reasonHash(_ reason: String) -> UInt64 { var h = FNV(); h.add(reason); return h.value }

    /// A name as `Simplifier.name` writes it, hashed (with the simplifier of the thread that asks).
    private func nameKey(_ name: String, _ simplifier: Simplifier) -> UInt64 {
        var h = FNV()
        h.add(simplifier.name(name))
        return h.value
    }

    /// The visitors met, by their bytes as written, and the `nameKey` of each: a log names a few
    /// hundred visitors, millions of times.
    @exclusivity(unchecked) private var visitors = ByteIndex()
    @exclusivity(unchecked) private var visitorKeys: [UInt64] = []

    /// The `nameKey` of row `r`'s visitor (on the linking thread).
    private func visitorKey(_ batch: borrowing Batch, _ r: Int) -> UInt64 {
        guard let f = visitorAt, !batch.isEmpty(row: r, field: f) else { return nameKey("", linkSimplifier) }
        if let known = batch.withBytes(row: r, field: f, { visitors.find(UnsafeRawBufferPointer($0)) }) { return visitorKeys[Int(known.value)] }
        let name = batch.string(row: r, field: f)
        let key = nameKey(name, linkSimplifier)
        if visitors.count < 100_000 {
            _ = visitors.insert(name, value: Int32(visitorKeys.count))
            visitorKeys.append(key)
        }
        return key
    }

    /// The visits of this year's earlier periods kept in the store: linked to this run's ledger,
    /// counted unless this run's log has them too. A request they left 办理中 is as old as it is now
    /// (`request-open-too-long` at the stored row: an earlier quarter's run saw it young).
    private func countStored() throws -> [Issue] {
        guard let stored else { return [] }
        var issues: [Issue] = []
        for code in stored.periods {
            let records: [Store.Record]
            do { records = try stored.store.records(period: code, kind: stored.kind) } catch let p as Store.Problem { throw StepFailure(p.message) }
            for record in records {
                let v = record.values
                guard case .success((let person, _)) = link(v) else { storedUnlinked += 1; continue }
                guard let day = v[F.visitDate].flatMap(Self.day), day >= yearStart, day <= end else { continue }
                let reason = v[F.reason] ?? ""
                // A visit this run's log has too is counted once (by the log); the stored ones are
                // counted as their own run counted them.
                let key = visitKey(person, day, Self.reasonHash(reason), nameKey(v[F.visitor] ?? "", simplifier))
                guard visitAt[key] == nil else { continue }
                visitAt.updateValue(Int32(visitPlaces.count), forKey: key)   // a visit the store holds twice is counted once too
                visitPlaces.append(.max)
                storedCounted += 1
                let handling = v[F.handling].map(ByteKey.init)
                count(person, day: day, reasonAt: reason.isEmpty ? nil : Self.reasonIndex[ByteKey(reason)], request: Self.says(v[F.request]), done: handling == Self.done)
                let asOf = min(end, today)
                if handling == Self.inHand, Self.days(day, asOf) > openDays {
                    let dateText = v[F.visitDate] ?? ""
                    let when = asOf == end ? (zh: "到期末", en: "at the period's end") : (zh: "到今天", en: "today")
                    issues.append(Issue(code: "request-open-too-long", severity: .warning,
                                        origin: Origin(file: record.file, sheet: record.sheet, row: record.row), field: F.handling,
                                        message: Message(zh: "（资料库 \(code) 期的走访）反映的问题自 \(dateText) 起仍在办理中，\(when.zh)已 \(Self.days(day, asOf)) 天（超过 \(openDays) 天）",
                                                         en: "(a visit of the store's period \(code)) the request raised on \(dateText) is still open \(when.en), after \(Self.days(day, asOf)) days (over \(openDays))"),
                                        suggestion: Message(zh: "催办；办结后在资料库中更新该期（改为「办结」后重新运行该期并写入资料库）", en: "follow it up; when done, mark it 办结 and write that period to the store again"),
                                        value: "办理中", personal: false))
                }
            }
        }
        return issues
    }

    /// On the roll at the period's end (迁出 or 死亡 dated later is still on it).
    private func onRoll(_ m: Int) -> Bool { facts[m].onRoll }
    /// A row of the ledger repeating an earlier row's ID number: the same person, counted once (by the first).
    private func repeats(_ m: Int) -> Bool { facts[m].repeats }

    /// A cell that says "nothing" (无, 没有, /, …): as good as empty.
    static func says(_ text: String?) -> Bool {
        guard text?.isEmpty == false, var words = text.map({ Substring($0) }) else { return false }
        // 「无。」「暂无；」 say nothing either: the words without the punctuation clerks end them with.
        while let last = words.unicodeScalars.last, ending.contains(last) { words = words.dropLast() }
        return !nothing.contains(ByteKey(String(words)))
    }
    private static let ending = Set("。.，,；;：:！!、 　".unicodeScalars)
    private static let nothing = Set(["", "无", "没有", "否", "-", "—", "/", "暂无", "无困难", "暂无困难", "没有困难", "无特殊困难", "无明显困难", "无问题", "无诉求"].map(ByteKey.init))
    private func hasDifficulty(_ m: Int) -> Bool { facts[m].hardship }

    func finish(_ summary: RunSummary) throws -> (tables: [StatTable], issues: [Issue]) {
        linking.sync { seal() }   // the ledger whole, and the linking thread done
        sizeTallies()
        let storedIssues = try countStored()
        // The forms are counted on the linking thread while this one goes through the persons
        // (both only read what the visits made).
        final class Counted: @unchecked Sendable { var tables: [StatTable] = [] }
        let counted = Counted(), done = DispatchSemaphore(value: 0)
        linking.async { counted.tables = self.statistics(); done.signal() }
        var issues = storedIssues
        var todo: [[String]] = []
        func issue(_ m: Int, _ field: String, _ code: String, _ severity: Severity, _ message: Message, _ suggestion: Message? = nil) {
            issues.append(Issue(code: code, severity: severity, origin: members.origin(m, field: field), field: field, message: message, suggestion: suggestion, personal: false))
        }
        for m in 0..<members.count {
            let noLiaison = members.isEmpty(m, M.liaison)
            // A death this year to the period's end (or undated): a death of an earlier year had its visit in that year's log.
            if facts[m].status == Facts.died, facts[m].statusDay == 0 || (Int(facts[m].statusDay) <= end && Int(facts[m].statusDay) >= yearStart),
               !tallies[m].deathVisit, !repeats(m) {
                issue(m, F.status, "death-without-visit", .warning, Message(zh: "台账记载此人已死亡，走访记录中没有「发生死亡」的走访", en: "the ledger records a death, with no 发生死亡 visit in the log"),
                      Message(zh: "看望家属后补记走访", en: "visit the family and log it"))
            }
            guard onRoll(m), !repeats(m) else { continue }
            var why: [String] = []
            if Int(tallies[m].yearVisits) < dueSoFar {
                let rate = dueSoFar < perYear ? "按每年 \(perYear) 次，" : ""
                issue(m, F.name, "visit-coverage", .warning,
                      Message(zh: "本年截至 \(period.label)末走访 \(tallies[m].yearVisits) 次，\(rate)应至少 \(dueSoFar) 次",
                              en: "visited \(tallies[m].yearVisits) times this year to the end of \(period.code), at least \(dueSoFar) due\(dueSoFar < perYear ? " (\(perYear) a year)" : "")"))
                why.append("本年走访 \(tallies[m].yearVisits) 次（应 \(dueSoFar) 次）")
            }
            if hasDifficulty(m), tallies[m].periodVisits == 0 {
                issue(m, F.difficulty, "difficulty-not-visited", .warning, Message(zh: "有困难，本期没有走访", en: "in hardship, not visited this period"),
                      Message(zh: "困难必访：安排走访并记入走访记录", en: "hardship is a visit due: arrange one and log it"))
                why.append("有困难，本期未走访")
            }
            if noLiaison, members.has(M.liaison) {
                issue(m, F.liaison, "no-liaison", .warning, Message(zh: "没有联系人（统战联络员）", en: "no liaison assigned"), Message(zh: "指定一名统战联络员", en: "assign a liaison"))
            }
            if !why.isEmpty {
                // The ledger's file and row beside the name: two masked namesakes (刘*) stay apart.
                todo.append([noLiaison ? "（未指定联系人）" : members.value(m, M.liaison), members.value(m, M.community), masking.apply(members.value(m, M.name)),
                             members.origin(m).rowPlace, why.joined(separator: "；")])
            }
        }
        // By liaison, community and name, compared by their bytes (a String's `<` weighs canonical
        // equivalence, slowly, over hundreds of thousands of names).
        todo = todo.map { (Array(($0[0] + "\u{1}" + $0[1] + "\u{1}" + $0[2]).utf8), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
        done.wait()
        var tables = counted.tables
        for t in tables {
            for c in t.checks where !c.ok {
                issues.append(Issue(code: "return-check", severity: .error, origin: Origin(file: t.sheet),
                                    message: Message(zh: "报表审核未通过（\(t.sheet)）：\(c.rule)；\(c.detail ?? "")", en: "the return fails a logic check (\(t.sheet)): \(c.rule); \(c.detail ?? "")"),
                                    personal: false))
            }
        }
        var main = tables.removeFirst()
        main.notes = visitsRead == 0 ? ["本次没有读取到走访记录（走访记录文件为空或只有表头）。"]
            : summary.quarantined > 0 ? ["未计入本表的走访记录 \(summary.quarantined) 条（有错误，已隔离，见问题清单）。"]
            : ["数据情况：读取的走访记录全部计入本表。"]
        if outside > 0 {
            main.notes.append("走访日期不在本年 1 月 1 日至\(period.label)末之间的走访 \(outside) 条，不计入本表。")
        }
        if let stored {
            main.notes.append("另计入资料库中本年此前各期（\(stored.periods.joined(separator: "、"))）的走访 \(storedCounted) 条（与本次走访记录重复的只计一次）"
                              + (storedUnlinked > 0 ? "；另有 \(storedUnlinked) 条在本期台账中找不到对应的人，未计入。" : "。"))
        } else if storeNamed, start > yearStart {
            main.notes.append("资料库中没有本年此前各期的走访记录：本年已走访人数只含本次走访记录中的走访（此前各期的走访记录用 write: store 存入资料库后才会计入）。")
        }
        return ([main] + tables + [todoList(todo, unit: main.unit)], issues)
    }

    /// The forms (统战对象联系走访情况统计表 unless `forms:` says), counted over the ledger's persons
    /// (a repeated ID number's later rows are the same person): each with the ledger's fields the
    /// forms read and the counts the step kept, in the unit of the person's community.
    private func statistics() -> [StatTable] {
        let tally = FormTally(forms: forms, kind: { name in
            if Self.counts.contains(name) { return .number }
            if MemberReturn.several.contains(name) { return .several }
            return self.dates.contains(name) ? .date : .text
        }, canonical: { [vocab] field, value in vocab.standardValue(field, value) ?? value })
        // Where each field's value comes from, worked out once (not by name for each person).
        enum Source { case count(Int), text((Int) -> String), column(Int), none }
        let sources: [Source] = tally.fields.map { name in
            if let k = Self.counts.firstIndex(of: name) { return .count(k) }
            if name == Self.hardship { return .text { self.hasDifficulty($0) ? "是" : "否" } }
            // 迁出 or 死亡 after the period's end: on the roll for this period's forms.
            if name == F.status { return .text { self.facts[$0].onRoll && !self.facts[$0].listed ? "在册" : self.members.value($0, M.status) } }
            return formColumn[name].map { .column($0) } ?? .none
        }
        let reasons = VisitsPlugin.reasons.count
        var memo = Array(repeating: Memo(), count: tally.fields.count)
        // A value's slot in the tally: worked out once per field and text, then found by its bytes.
        func slot(_ k: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
            if bytes.isEmpty { return 0 }
            return UInt32(bitPattern: memo[k].value(bytes) { Int32(bitPattern: tally.slot(k, self.formValue(tally.fields[k], tally.kinds[k], $0))) })
        }
        for m in 0..<members.count where !repeats(m) {
            tally.add(group: facts[m].community) { k in
                switch sources[k] {
                case .count(let c):
                    let n = c == 0 ? Int(tallies[m].yearVisits) : c == 1 ? Int(tallies[m].periodVisits) : c - 2 < reasons ? Int(tallies[m].visits(for: c - 2))
                        : c - 2 == reasons ? Int(tallies[m].requests) : Int(tallies[m].settled)
                    return UInt32(clamping: n)
                case .none:
                    return 0
                case .text(let of):
                    var text = of(m)
                    return text.withUTF8 { slot(k, $0) }
                case .column(let c):
                    return members.withBytes(m, c) { slot(k, $0) }
                }
            }
        }
        let unit = self.unit ?? (communities.count == 1 ? communities[0] : "（填报单位）")
        return tally.count(end: period.end, known: { _ in nil }, units: communities.count).enumerated().flatMap { fi, counts in
            let heading = MemberReturn.heading(counts.form, options: options, period: period, unit: unit, first: fi == 0)
            return counts.tables(unit: nil, sheet: { t, _ in t.sheet }, key: { t, ti in ti == 0 ? "main" : t.key }, heading: heading, covered: communities)
        }
    }

    /// A ledger value as a form reads it: made standard (民盟 → 中国民主同盟盟员), several values
    /// split, a date for ages.
    private func formValue(_ name: String, _ kind: FormTally.Kind, _ text: String) -> FormTally.Value {
        switch kind {
        case .number: return .number(Int(text) ?? 0)
        case .date:
            guard let d = DateText.parse(text, currentYear: period.end.0) else { return .date(nil) }
            switch d { case .day(let y, let mo, let dd): return .date((y, mo, dd)); case .month(let y, let mo): return .date((y, mo, 1)) }
        case .several:
            if text.isEmpty { return .several([]) }
            if name == F.category { return .several(categories.parse(text).numbers.map { vocab.categories[$0 - 1] }) }
            return .several(MemberReturn.pieces(text).map { vocab.standardValue(name, $0) ?? $0 })
        case .text:
            return .text(text.isEmpty ? nil : vocab.standardValue(name, text) ?? text)
        }
    }

    /// 待走访名单: who is due a visit, by 联系人 (names masked as the pipeline says).
    private func todoList(_ rows: [[String]], unit: String) -> StatTable {
        var t = StatTable(key: "visits-todo", title: "待走访名单", sheet: "待走访名单", marks: [], unit: unit, period: period.code, periodLabel: period.label,
                          measure: "", stubHeading: "联系人", columns: [.init(key: "community", path: ["所在社区"]), .init(key: "name", path: ["姓名"]), .init(key: "row", path: ["台账位置"]),
                                                                  .init(key: "why", path: ["原因"])],
                          rows: [], footnote: "本年走访次数不足的在册人员，和有困难而本期未走访的人员，按联系人排列。", footer: [])
        t.list = rows
        t.emptyList = "（没有待走访的人员）"
        return t
    }
}
