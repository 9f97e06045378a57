import Foundation
import TaizhangCore
import TaizhangForms
import TaizhangStore

/// `step: member-return` — counts the accepted records into statistical forms (`forms:`; by default
/// the quarterly 统战工作对象情况统计表, `forms/objects.yml`). Each form is a file of tables, rows,
/// columns and checks (docs/FORMS.md); all forms are counted in one pass, by `FormTally`.
///
/// What the pack adds: one canonical ID number is one person (a later record of the person adds
/// categories and fills what the first left empty; somebody else under the same ID is an
/// `id-conflict`); a form's words made standard as the data is (民盟 → 中国民主同盟盟员); ages at the
/// period's end from 出生日期, or the ID's birth date; the same tables for each unit (`by:`); the
/// records left out, under each table; 人员变动 against the previous period — from an input with
/// `role: previous`, or else from the pipeline's store (资料库) — with the named list of changes;
/// keyed person fingerprints for `merge` (`person_key_file`); the run's own figures. A failed check
/// is an error of the run. Write them with `xlsx-return`, `json-return` and `xlsx-template`.
public enum MemberReturnPlugin {
    public static let spec = PluginSpec(
        name: "member-return", kind: .step,
        summary: Message(zh: "按表式统计报表（默认统战工作对象情况统计表，可同时统计多个表式）：每人只计一次，并做审核；人员变动比对上期台账或资料库",
                         en: "Counts the statistical forms (the quarterly return by default; several in one pass), each person once, with the forms' checks; changes against the previous ledger or the store"),
        options: [
            OptionSpec("period", .string, required: true, doc: Message(zh: "报告期：2026Q3、2026H1、2026、2026-09", en: "reporting period: 2026Q3, 2026H1, 2026 or 2026-09")),
            OptionSpec("unit", .string, default: "", doc: Message(zh: "填报单位", en: "reporting unit")),
            OptionSpec("forms", .stringList, doc: Message(zh: "统计哪些表式：内置表式的名称（taizhang forms 列出）或表式文件（YAML）的路径；默认 统战工作对象情况统计表。多个表式一次计数",
                                                          en: "the forms to count: a shipped form's name (taizhang forms lists them) or a form file (YAML); default 统战工作对象情况统计表. Several forms are counted in one pass")),
            OptionSpec("title", .string, default: "", doc: Message(zh: "表名（默认用表式的表名）", en: "form title (default: the form's)")),
            OptionSpec("form_number", .string, default: "", doc: Message(zh: "表号", en: "form number (表号)")),
            OptionSpec("authority", .string, default: "", doc: Message(zh: "制表机关", en: "issuing office (制表机关)")),
            OptionSpec("approved_by", .string, default: "", doc: Message(zh: "批准机关", en: "approving office (批准机关)")),
            OptionSpec("approval_number", .string, default: "", doc: Message(zh: "批准文号", en: "approval number (批准文号)")),
            OptionSpec("valid_until", .string, default: "", doc: Message(zh: "有效期至", en: "valid until (有效期至)")),
            OptionSpec("head", .string, default: "", doc: Message(zh: "单位负责人", en: "head of the unit")),
            OptionSpec("statistician", .string, default: "", doc: Message(zh: "统计负责人", en: "person responsible for statistics")),
            OptionSpec("preparer", .string, default: "", doc: Message(zh: "填表人", en: "person who filled in the form")),
            OptionSpec("phone", .string, default: "", doc: Message(zh: "联系电话", en: "contact phone")),
            OptionSpec("report_date", .string, default: "", doc: Message(zh: "报出日期（默认今天）", en: "date reported (default today)")),
            OptionSpec("by_community", .boolean, default: "true", doc: Message(zh: "为 by 字段的每个值（默认每个所在社区）各出一张表", en: "one more table per value of `by` (per community by default)")),
            OptionSpec("by", .field, default: "所在社区", doc: Message(zh: "分表的字段：所在社区、街道（乡镇）、区县、网格（楼道）……（不写时用表式的 by:，再没有则按所在社区）", en: "the field the per-unit tables go by: 所在社区, 街道（乡镇）, 区县, 网格（楼道） … (default: the form's by:, else 所在社区)")),
            OptionSpec("units", .inputPath, doc: Message(zh: "单位名单（同 normalize 的 units）：名单中没有任何记录的社区在表下列出并报警告；社区名按名单归并",
                                                         en: "list of units (as normalize's units): listed communities without any record are named under the table, with a warning; names follow the list")),
            OptionSpec("person_key_file", .inputPath, doc: Message(
                zh: "按人汇总的密钥文件：报表 JSON 为每个计入的人带上用它算出的指纹（不含个人信息），上级 merge 时每人只计一次；不写时用环境变量 TAIZHANG_PERSON_KEY；密钥本身不写入任何输出",
                en: "key file for counting each person once up the chain: the return JSON carries keyed fingerprints of every person counted (no personal values) so merge counts each once; else the environment variable TAIZHANG_PERSON_KEY; the key is never written anywhere")),
        ],
        file: "Plugins/MemberLedger/MemberReturn.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        try MemberReturn(options: options, layout: layout, issueTypes: context.registry?.issueTypes ?? [:], units: Units.load(options, context),
                         masking: context.masking, store: context.store, vocab: .of(context.schema), identities: .shared(context), samePerson: .shared(context))
    }
}

/// The reporting period: its label and its last day (ages are counted at the end of the period).
struct ReportPeriod: Equatable {
    var code: String
    var label: String
    var end: (Int, Int, Int)

    /// The period's first day, as yyyymmdd.
    var startDay: Int {
        let code = self.code
        let y = end.0
        if code.contains("Q") { return y * 10000 + (end.1 - 2) * 100 + 1 }
        if code.contains("H") { return y * 10000 + (end.1 - 5) * 100 + 1 }
        if code.count == 4 { return y * 10000 + 101 }
        return y * 10000 + end.1 * 100 + 1
    }

    static func == (a: ReportPeriod, b: ReportPeriod) -> Bool { a.code == b.code && a.label == b.label && a.end == b.end }

    init?(_ text: String) {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        func monthEnd(_ y: Int, _ m: Int) -> (Int, Int, Int) {
            var d = 31
            while !DateText.isValid(y, m, d) { d -= 1 }
            return (y, m, d)
        }
        code = s
        // ASCII digits only (\d takes ２０２６ and ٢٠٢٦ too, which Int does not read).
        if let r = s.range(of: #"^([0-9]{4})Q([1-4])$"#, options: .regularExpression), r.lowerBound == s.startIndex {
            let y = Int(s.prefix(4))!, q = Int(String(s.last!))!
            label = "\(y)年第\(q)季度"
            end = monthEnd(y, q * 3)
        } else if s.range(of: #"^[0-9]{4}H[12]$"#, options: .regularExpression) != nil {
            let y = Int(s.prefix(4))!, h = Int(String(s.last!))!
            label = "\(y)年\(h == 1 ? "上" : "下")半年"
            end = monthEnd(y, h * 6)
        } else if s.range(of: #"^[0-9]{4}$"#, options: .regularExpression) != nil {
            let y = Int(s)!
            label = "\(y)年"
            end = (y, 12, 31)
        } else if s.range(of: #"^[0-9]{4}-[0-9]{1,2}$"#, options: .regularExpression) != nil {
            let parts = s.split(separator: "-").map { Int($0)! }
            guard (1...12).contains(parts[1]) else { return nil }
            label = "\(parts[0])年\(parts[1])月"
            end = monthEnd(parts[0], parts[1])
        } else {
            return nil
        }
    }
}

final class MemberReturn: FinishingStep {
    typealias F = MemberLedgerSchema.F

    /// What the step itself needs of a person (the forms keep their own values in `tally`).
    struct Person {
        var categories: UInt16
        var community: Int32
    }

    /// The forms counted (the first one's figures are the return's headline and fingerprints), and
    /// the persons' values they read: one pass, whatever the number of forms.
    private let forms: [Form]
    private let tally: FormTally
    /// Where each field the forms read is in the records.
    private let formFields: [Int?]
    /// Per field the forms read: a cell's bytes (by hash) → its slot.
    /// Per field a form reads: each cell text met and its slot (the slot's bits as the entry's value).
    private var slotMemo: [ByteIndex]
    private let options: Options
    private let period: ReportPeriod
    private let byCommunity: Bool
    /// The field of the per-unit tables, and its values met (when it is not the community).
    private let byField: Int?
    private var groups: [String] = []
    private var groupIndex: [String: Int32] = [:]
    private let layout: Layout
    /// The field indices looked up once (a lookup by Chinese field name hashes with NFC normalisation).
    private let fields: (id: Int?, category: Int?, community: Int?, sex: Int?, birth: Int?, name: Int?)
    /// 人员状态: only persons 在册 (or with no status) are counted; the others by status, and the
    /// status of each (by ID) for the reason a leaver left.
    private let statusField: Int?
    private var offRoll: [String: [String: Int]] = [:]   // community → status → persons
    private var offRollStatus: [UInt64: String] = [:]
    private let identities: IdentityCheck
    /// Per ID the check has seen (its index in `identities.seen`): the person this return counts
    /// under it, -1 until a record of it is counted.
    private var personOf: [Int32] = []
    /// What each issue code means (for the form's note on left-out records).
    private let issueTypes: [String: Message]
    /// Records with errors, left out of the return, per community as written.
    private var leftOut: [String: Int] = [:]
    private var people: [Person] = []
    /// Where each person's first counted record is (as `samePerson` numbers places), and the
    /// persons counted into another at the end (the same person, found by `step: duplicates`).
    private var origins: [UInt64] = []
    private var joinedAway: Set<Int> = []
    private let samePerson: SamePerson
    private lazy var categories = CodeTables.CategoryMemo(vocab)
    private var communities: [String] = []
    private var communityIndex: [String: Int32] = [:]
    private(set) var mergedDuplicates = 0
    private var withoutID = 0
    /// The previous period's people by canonical ID: their categories.
    private var previous: [UInt64: UInt16] = [:]
    private var hasPrevious = false
    /// Communities the previous period's ledgers cover: only their people are compared.
    private var previousCommunities: Set<String> = []
    /// For the named list of changes: last period's name and community per ID, this period's names.
    private var previousWho: [UInt64: (name: String, community: String)] = [:]
    private var names: [Int: (name: String, birth: String, sex: String)] = [:]
    /// Last period's people without an ID number, by name (folded), birth date and sex: one of them
    /// given a number this period is the same person, not a joiner (as the store links them).
    private var previousUnnumbered: [String: (categories: UInt16, name: String, community: String, count: Int)] = [:]
    private var previousWithoutID = 0
    /// People without an ID number in both periods, written alike in each: compared under a key of their own.
    private var unnumberedCounted: [(UInt64, Int)] = []
    /// Every person compared with the previous period: by ID number, and those matched without one.
    private var compared: [(UInt64, Int)] { countedByID + unnumberedCounted }
    /// Persons counted under an ID: (ID key, person index).
    private var countedByID: [(UInt64, Int)] {
        identities.ids.compactMap { k, i in Int(i) < personOf.count && personOf[Int(i)] >= 0 ? (k, Int(personOf[Int(i)])) : nil }
    }
    private let simplifier = Simplifier()
    private let masking: Masking
    /// The pipeline's store, and where the previous period came from when it was the store.
    private let storeFile: String?
    private var previousSource: String?

    /// With a person key: every counted person's fingerprints and first record (for merge).
    private let prints: PersonPrints?
    private var printed: [(id: String?, person: String, at: String)] = []

    /// The units the return expects (from `units:`), when given.
    private let units: Units?

    private let vocab: CodeTables

    init(options: Options, layout: Layout, issueTypes: [String: Message] = [:], units: Units? = nil, masking: Masking = .masked, store: String? = nil,
         vocab: CodeTables = .standard, identities: IdentityCheck = IdentityCheck(), samePerson: SamePerson = SamePerson()) throws(Diagnostics) {
        self.vocab = vocab
        self.samePerson = samePerson
        samePerson.counting = true
        self.identities = identities
        storeFile = store
        self.units = units
        self.masking = masking
        self.options = options
        self.issueTypes = issueTypes
        prints = try PersonPrints(options: options)
        guard let p = ReportPeriod(options.string("period") ?? "") else {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "period"),
                                          Message(zh: "报告期「\(options.string("period") ?? "")」无法识别", en: "period '\(options.string("period") ?? "")' not understood"),
                                          suggestion: Message(zh: "写成 2026Q3、2026H1、2026 或 2026-09", en: "write 2026Q3, 2026H1, 2026 or 2026-09"))])
        }
        period = p
        byCommunity = options.has("by_community") ? options.bool("by_community") : true
        forms = try ShippedForms.load(options.has("forms") ? options.strings("forms") : [ShippedForms.standard], options: options, schema: layout.schema, vocab: vocab)
        let several = Self.several
        tally = FormTally(forms: forms, kind: { name in
            several.contains(name) ? .several : layout.index(of: name).flatMap { layout.field(at: $0)?.type } == .date ? .date : .text
        }, canonical: { field, value in vocab.standardValue(field, value) ?? value })
        formFields = tally.fields.map { layout.index(of: $0) }
        slotMemo = Array(repeating: ByteIndex(), count: tally.fields.count)
        // The per-unit tables go by the step's `by`, else the form's, else the community.
        byField = layout.index(of: options.has("by") ? options.string("by")! : forms.first?.by ?? F.community)
        self.layout = layout
        if let f = byField, layout.personal[f] {
            // A table per person's ID or name would put personal data in the return's sheets and JSON.
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "by"),
                                          Message(zh: "by：「\(layout.names[f])」是个人信息，不能按它分表", en: "by: '\(layout.names[f])' is personal data; the return cannot be split by it"),
                                          suggestion: Message(zh: "按所在社区、街道（乡镇）、区县或网格（楼道）分表", en: "split by 所在社区, 街道（乡镇）, 区县 or 网格（楼道）"))])
        }
        var i: [String: Int] = [:]
        for f in MemberLedgerSchema.schema.fields { if let k = layout.index(of: f.name) { i[f.name] = k } }
        fields = (i[F.id], i[F.category], i[F.community], i[F.sex], i[F.birth], i[F.name])
        statusField = i[F.status]
        statusDateField = i[F.statusDate]
    }
    private let statusDateField: Int?

    func process(_ batch: inout Batch) throws {
        // The batch is passed, not captured: a nested function capturing an inout batch copies it per call.
        func value(_ batch: borrowing Batch, _ r: Int, _ f: Int?) -> String? {
            guard let f, !batch.isEmpty(row: r, field: f) else { return nil }
            let v = batch.string(row: r, field: f)
            // Communities by their official names when there is a list: one unit, one table.
            if f == fields.community, let units { return units.official(v) ?? v }
            return v
        }
        if batch.source.role == .previous {
            hasPrevious = true
            for r in 0..<batch.count {
                guard MemberLedgerSchema.onRoll(value(batch, r, statusField)) else { continue }   // left before then
                notePrevious(id: value(batch, r, fields.id), category: value(batch, r, fields.category), name: value(batch, r, fields.name), community: value(batch, r, fields.community),
                             birth: value(batch, r, fields.birth), sex: value(batch, r, fields.sex))
            }
            return
        }
        // One ID, one person: every record with an ID, quarantined ones too, against the first of its
        // ID; a record of the same person adds its categories, somebody else's is a conflict.
        for r in 0..<batch.count {
            var cats: UInt16 = 0
            let key = value(batch, r, fields.id).flatMap(IdentityCheck.key)
            var seenIndex: Int?
            if let key {
                switch identities.check(key: key, name: value(batch, r, fields.name), birth: value(batch, r, fields.birth), sex: value(batch, r, fields.sex),
                                        file: batch.source.file, row: batch.rowNumbers[r]) {
                case .new(let i): seenIndex = i
                case .same(let i): seenIndex = i
                case .conflict(let file, let row):
                    // step: duplicates may have said so already.
                    if !batch.issues.indices.contains(where: { batch.issueRowIndex[$0] == r && batch.issues[$0].code == "id-conflict" }) {
                        IdentityCheck.report(&batch, row: r, field: fields.id, first: (file, row), value: value(batch, r, fields.id))
                    }
                    leftOut[value(batch, r, fields.community) ?? "（未填社区）", default: 0] += 1
                    continue
                }
            }
            guard !batch.hasError[r] else {
                leftOut[value(batch, r, fields.community) ?? "（未填社区）", default: 0] += 1
                continue
            }
            // Moved away, died …: on the ledger for the record, not counted; a leaver with the reason.
            if let status = value(batch, r, statusField) {
                let end = period.end.0 * 10000 + period.end.1 * 100 + period.end.2
                let date = value(batch, r, statusDateField)
                if !MemberLedgerSchema.onRoll(status, date: date, end: end) {
                    // Without its date, the leaving is taken as before the period's end; said, since an
                    // earlier period's return and the visit checks (死亡必访, visits after it) need the day.
                    if date == nil {
                        batch.report(row: r, field: statusDateField ?? statusField, code: "status-date-missing", severity: .warning,
                                     message: Message(zh: "人员状态为「\(status)」但没有填状态日期：按期末前已不在册处理，不计入",
                                                      en: "status '\(status)' without its date: taken as off the roll before the period's end, not counted"),
                                     suggestion: Message(zh: "填写状态日期（\(status)的日期，如 2026-06-01）", en: "give the date of the status (such as 2026-06-01)"))
                    }
                    offRoll[value(batch, r, fields.community) ?? "（未填社区）", default: [:]][status, default: 0] += 1
                    if let key { offRollStatus[key] = status }
                    continue
                }
                if !MemberLedgerSchema.statuses.contains(status) {
                    batch.report(row: r, field: statusField, code: "unknown-status", severity: .warning,
                                 message: Message(zh: "人员状态「\(status)」无法识别：按在册计入", en: "status '\(status)' not recognised: counted as on the roll"),
                                 suggestion: Message(zh: "写 在册、迁出 或 死亡（本单位的叫法可在档案的 values 中加）", en: "write 在册, 迁出 or 死亡 (an office's own words go in its profile's values)"),
                                 value: status)
                }
            }
            for n in categories.parse(value(batch, r, fields.category) ?? "").numbers { cats |= 1 << (n - 1) }
            if let s = seenIndex, s < personOf.count, personOf[s] >= 0 {
                // The same person again (another ledger, say): categories add up, and what the first
                // record left unknown (no 学历 or 政治面貌 column in its file) comes from this one.
                let p = Int(personOf[s])
                // Never silently: the same person again is said, and loudly when another community lists them.
                let first = identities.place(s)
                let here = value(batch, r, fields.community) ?? "（未填社区）"
                let there = communities[Int(people[p].community)]
                if here != there {
                    batch.report(row: r, field: fields.community, code: "same-person-two-communities", severity: .warning,
                                 message: Message(zh: "此人（身份证号、姓名相同）也登记在「\(there)」（\(first.file) 第 \(first.row) 行）：合计中只计一次，计在「\(there)」，不计入「\(here)」的表",
                                                  en: "this person (same ID number and name) is also listed by '\(there)' (\(first.file) row \(first.row)): counted once, under '\(there)', not in '\(here)''s table"),
                                 suggestion: Message(zh: "确认此人属于哪个社区，从另一个社区的台账中删去", en: "settle which community the person belongs to and remove them from the other ledger"),
                                 value: here)
                } else if !batch.issues.indices.contains(where: { batch.issueRowIndex[$0] == r && batch.issues[$0].code == "duplicate-person" }) {
                    // (step: duplicates has said so already when it ran.)
                    batch.report(row: r, field: fields.id, code: "same-person-again", severity: .info,
                                 message: Message(zh: "与 \(first.file) 第 \(first.row) 行是同一人（身份证号、姓名相同），报表中只计一次",
                                                  en: "the same person as \(first.file) row \(first.row) (same ID number and name): counted once"),
                                 value: value(batch, r, fields.id))
                }
                people[p].categories |= cats
                tally.fill(p) { formSlot($0, &batch, r) }
                mergedDuplicates += 1
                continue
            }
            let community = value(batch, r, fields.community) ?? "（未填社区）"
            let c: Int32
            if let known = communityIndex[community] { c = known } else {
                c = Int32(communities.count)
                communities.append(community)
                communityIndex[community] = c
            }
            let g: Int32
            if let byField, byField != fields.community {
                let v = value(batch, r, byField) ?? "（未填\(layout.names[byField])）"
                if let known = groupIndex[v] { g = known } else { g = Int32(groups.count); groups.append(v); groupIndex[v] = g }
            } else {
                g = c
            }
            let id = key != nil ? value(batch, r, fields.id) : nil
            tally.add(group: g) { formSlot($0, &batch, r) }
            let person = Person(categories: cats, community: c)
            if let s = seenIndex {
                if s >= personOf.count { personOf.append(contentsOf: repeatElement(-1, count: s + 1 - personOf.count)) }
                personOf[s] = Int32(people.count)
            } else { withoutID += 1 }
            if hasPrevious || storeFile != nil {
                names[people.count] = (value(batch, r, fields.name) ?? "", value(batch, r, fields.birth) ?? "", value(batch, r, fields.sex) ?? "")
            }
            people.append(person)
            origins.append(SamePerson.place(batch, r))
            if let prints {
                printed.append((id.map(prints.id), prints.person(name: value(batch, r, fields.name), birth: value(batch, r, fields.birth), sex: value(batch, r, fields.sex)),
                                "\(batch.source.file):\(batch.rowNumbers[r])"))
            }
        }
    }

    /// A record of the previous period (a `role: previous` ledger, or the store's last snapshot):
    /// its person by canonical ID, categories, name and community.
    private func notePrevious(id: String?, category: String?, name: String?, community: String?, birth: String?, sex: String?) {
        let community = community.map { units?.official($0) ?? $0 } ?? "（未填社区）"
        previousCommunities.insert(community)
        var cats: UInt16 = 0
        for n in categories.parse(category ?? "").numbers { cats |= 1 << (n - 1) }
        guard let id, id.count == 18, IDNumber.check(id, today: period.end).problems.isEmpty, let k = IdentityCheck.key(id) else {
            previousWithoutID += 1
            if let name, !name.isEmpty {
                let key = identity(name: name, birth: birth ?? "", sex: sex ?? "")
                let known = previousUnnumbered[key]
                previousUnnumbered[key] = (cats, name, community, (known?.count ?? 0) + 1)
            }
            return
        }
        previous[k, default: 0] |= cats
        if previousWho[k] == nil { previousWho[k] = (name ?? "", community) }
    }

    /// A person as written without an ID number: the name folded (简繁, width, spaces), birth date, sex.
    private func identity(name: String, birth: String, sex: String) -> String {
        simplifier.name(name) + "\u{1F}" + birth + "\u{1F}" + sex
    }

    /// This period's people with an ID number the previous period did not have, who are the one
    /// person of last period written without a number with their name, birth date and sex: the
    /// same person, now numbered — compared under the number (moved, category changed), not a
    /// joiner beside a leaver. Two such people alike are left apart (neither is guessed).
    private func numberPreviousUnnumbered() {
        guard !previousUnnumbered.isEmpty else { return }
        let counted = Set(countedByID.map { $0.1 })
        var claims: [String: [UInt64]] = [:]
        for (k, i) in countedByID where previous[k] == nil {
            guard let who = names[i] else { continue }
            let key = identity(name: who.name, birth: who.birth, sex: who.sex)
            if previousUnnumbered[key]?.count == 1 { claims[key, default: []].append(k) }
        }
        // Without a number in both periods: the one person written alike in each is the same person.
        var alike: [String: [Int]] = [:]
        for (i, who) in names where !counted.contains(i) { alike[identity(name: who.name, birth: who.birth, sex: who.sex), default: []].append(i) }
        for (key, people) in alike where people.count == 1 && previousUnnumbered[key]?.count == 1 && claims[key] == nil {
            var h = FNV(); h.add("unnumbered"); h.add(key)
            let before = previousUnnumbered.removeValue(forKey: key)!
            previous[h.value] = before.categories
            previousWho[h.value] = (before.name, before.community)
            unnumberedCounted.append((h.value, people[0]))
            previousWithoutID -= 1
        }
        for (key, ks) in claims where ks.count == 1 {
            let before = previousUnnumbered.removeValue(forKey: key)!
            previous[ks[0]] = before.categories
            previousWho[ks[0]] = (before.name, before.community)
            previousWithoutID -= 1
        }
    }

    /// Without a previous ledger among the inputs, the pipeline's store gives the latest earlier
    /// period of the same kind (2026Q2 before 2026Q3), when it holds one.
    private func previousFromStore() throws {
        guard !hasPrevious, let file = storeFile, FileManager.default.fileExists(atPath: file) else { return }
        let store: Store
        do { store = try Store(path: file, create: false) } catch let p as Store.Problem { throw StepFailure(p.message) }
        guard let before = try store.period(before: period.code) else { return }
        for r in try store.records(period: before) {
            guard MemberLedgerSchema.onRoll(r.values[F.status]) else { continue }
            notePrevious(id: r.values[F.id], category: r.values[F.category], name: r.values[F.name], community: r.values[F.community],
                         birth: r.values[F.birth], sex: r.values[F.sex])
        }
        hasPrevious = true
        previousSource = "资料库 \(Options.display(file)) 的 \(before)"
    }

    /// A cell's slot for the forms, remembered by the cell's bytes, so `formValue` runs once per
    /// distinct text, not per record. A birth date not read from its own cell (from the ID) is
    /// worked out each time.
    private func formSlot(_ k: Int, _ batch: inout Batch, _ r: Int) -> UInt32 {
        guard let at = formFields[k], !batch.isEmpty(row: r, field: at) else {
            return tally.kinds[k] == .date ? tally.slot(k, formValue(k, &batch, r)) : 0
        }
        if let known = batch.withBytes(row: r, field: at, { slotMemo[k].find(UnsafeRawBufferPointer($0)) }) { return UInt32(bitPattern: known.value) }
        let value = formValue(k, &batch, r)
        let slot = tally.slot(k, value)
        // A date read from the ID (the birth cell unreadable) belongs to the record, not to the text.
        if case .date = tally.kinds[k], birthDate(batch.string(row: r, field: at), id: nil) == nil { return slot }
        if slotMemo[k].count < 1 << 20 { batch.withBytes(row: r, field: at) { _ = slotMemo[k].insert(UnsafeRawBufferPointer($0), value: Int32(bitPattern: slot)) } }
        return slot
    }

    /// A record's value of a field a form reads: categories by their official names, several values
    /// split and made standard, the birth date (or the ID's) for ages, a community by the list's
    /// official name, any other value made standard (民盟 → 中国民主同盟盟员).
    private func formValue(_ k: Int, _ batch: inout Batch, _ r: Int) -> FormTally.Value {
        let (name, at) = (tally.fields[k], formFields[k])
        func value(_ f: Int?) -> String? {
            guard let f, !batch.isEmpty(row: r, field: f) else { return nil }
            return batch.string(row: r, field: f)
        }
        switch tally.kinds[k] {
        case .date:
            return .date(birthDate(value(at), id: name == F.birth ? value(fields.id) : nil))
        case .several:
            guard let v = value(at) else { return .several([]) }
            if name == F.category { return .several(categories.parse(v).numbers.map { vocab.categories[$0 - 1] }) }
            return .several(Self.pieces(v).map { vocab.standardValue(name, $0) ?? $0 })
        case .text:
            guard let v = value(at) else { return .text(nil) }
            if at == fields.community, let units { return .text(units.official(v) ?? v) }
            return .text(vocab.standardValue(name, v) ?? v)
        case .number:
            return .number(0)      // never: the return keeps no count per person (ShippedForms.load refuses `total`, `at_least`)
        }
    }

    /// The fields that hold several values (a person counts under each).
    static let several: Set<String> = [F.category, F.subgroup, F.arrangements]

    /// A cell of several values split on 、，,;； and spaces — not inside brackets, so
    /// 县（市、区）人大代表 stays one value.
    static func pieces(_ v: String) -> [String] {
        var out: [String] = [], current = "", depth = 0
        for ch in v {
            if "（(".contains(ch) { depth += 1 } else if "）)".contains(ch) { depth = max(0, depth - 1) }
            if depth == 0 && "、,，;；/ \t".contains(ch) {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The birth date for ages at the period's end: the date as written, else the ID number's.
    private func birthDate(_ birth: String?, id: String?) -> (Int, Int, Int)? {
        if let b = birth, let d = DateText.parse(b, currentYear: period.end.0) {
            switch d { case .day(let y, let m, let dd): return (y, m, dd); case .month(let y, let m): return (y, m, 1) }
        }
        if let id, let facts = IDNumber.check(id, today: period.end).facts { return (facts.year, facts.month, facts.day) }
        return nil
    }

    /// The rows a form takes from the pack when it does not list them: the 12 categories in order.
    private func known(_ field: String) -> [String]? { field == F.category ? vocab.categories : nil }

    /// A form's marks and signature line, filled from the step's options (表号 ← form_number …; the
    /// form's own values otherwise); the report date defaults to today.
    private func heading(_ form: Form, unit: String, first: Bool) -> FormCounts.Heading {
        Self.heading(form, options: options, period: period, unit: unit, first: first)
    }

    /// A form's heading from a counting step's options (`step: visits` heads its forms alike).
    static func heading(_ form: Form, options o: Options, period: ReportPeriod, unit: String, first: Bool) -> FormCounts.Heading {
        var marks: [String: String] = [:]
        for (label, option) in [("表号", "form_number"), ("制表机关", "authority"), ("批准机关", "approved_by"), ("批准文号", "approval_number"), ("有效期至", "valid_until")]
        where o.has(option) { marks[label] = o.string(option) ?? "" }
        let today = DateText.today()
        let reported = (o.string("report_date") ?? "").isEmpty ? "\(today.0)年\(today.1)月\(today.2)日" : o.string("report_date")!
        let signed = ["单位负责人": o.string("head") ?? "", "统计负责人": o.string("statistician") ?? "", "填表人": o.string("preparer") ?? "",
                      "联系电话": o.string("phone") ?? "", "报出日期": reported]
        let title = first ? o.string("title").flatMap { $0.isEmpty ? nil : $0 } : nil
        var h = FormCounts.Heading(unit: unit, period: period.code, periodLabel: period.label, marks: marks,
                                   footer: form.footer.map { "\($0)：\(signed[$0] ?? "")" }, title: title)
        h.reportDate = reported
        return h
    }

    /// Under the table: the records left out (with errors) and why, so the form itself says what it
    /// does not count. For a community's table, its own records.
    /// Persons not on the roll (迁出, 死亡 …) by status, in the communities given (nil: all).
    private func offRolls(_ communities: [String]?) -> [(key: String, value: Int)] {
        var byStatus: [String: Int] = [:]
        for (c, statuses) in offRoll where communities?.contains(c) ?? true { for (s, n) in statuses { byStatus[s, default: 0] += n } }
        return byStatus.sorted { $0.key < $1.key }
    }

    private func exclusionNotes(_ summary: RunSummary, communities: [String]?) -> [String] {
        let counts = communities.map { cs in leftOut.filter { cs.contains($0.key) } } ?? leftOut
        let total = counts.values.reduce(0, +)
        let off = offRolls(communities)
        var offLine = off.isEmpty ? [] : ["不在册、未计入本表的人员 \(off.reduce(0) { $0 + $1.value }) 人：" + off.map { "\($0.key) \($0.value) 人" }.joined(separator: "，") + "。"]
        // Pairs the matching could not settle are counted as two people until a clerk decides: said on the form.
        let pending = pendingReviews(summary)
        if communities == nil && pending > 0 {
            offLine.append("另有 \(pending) 条记录疑似与已计入的人是同一人、待复核，本表按不同的人计入（复核后用 decisions: 读回）。")
        }
        if communities == nil && !joinedAcross.isEmpty {
            let moved = joinedAcross.map { (self.communities[Int($0.key.from)], self.communities[Int($0.key.to)], $0.value) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            offLine.append("按查重结果与其他社区的人是同一人、只在先出现的社区计入：" + moved.map { "\($0.0) \($0.2) 人（计入\($0.1)）" }.joined(separator: "，") + "。")
        }
        guard total > 0 else { return (off.isEmpty ? ["数据情况：读取的记录全部计入本表，没有因错误未计入的记录。"] : ["数据情况：没有因错误未计入的记录。"]) + offLine }
        var lines = ["未计入本表的记录 \(total) 条（有错误，已隔离，见问题清单）" +
                     (communities == nil && counts.count > 1 ? "：" + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) 条" }.joined(separator: "，") : "") + "。"]
        if communities == nil {
            let kinds = summary.issueCounts.compactMap { code, by in by[.error].map { (code, $0) } }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            if !kinds.isEmpty {
                lines.append("错误类型：" + kinds.prefix(8).map { "\(issueTypes[$0.0]?.zh ?? $0.0) \($0.1) 处" }.joined(separator: "，") + (kinds.count > 8 ? "……" : "") + "。")
            }
        }
        return lines + offLine
    }

    /// Joiners and leavers against the previous period's ledger, by canonical ID: per category,
    /// 上期人数 + 新增 − 减少 = 本期人数 (a person moving between categories leaves one and joins the other).
    /// Communities of this period without a previous ledger: their people are no 新增.
    private var uncoveredCommunities: [String] { communities.filter { !previousCommunities.contains($0) } }

    /// 人员变动 for the communities a previous ledger covers (or for one of them): per category,
    /// 上期 + 新增 − 减少 = 本期, matched by ID number.
    private func movements(unit: String, community only: String? = nil) -> StatTable {
        var current: [UInt64: UInt16] = [:]
        let covered = Set(communities.indices.filter { previousCommunities.contains(communities[$0]) && (only == nil || communities[$0] == only) }.map { Int32($0) })
        for (k, i) in compared where covered.contains(people[i].community) { current[k] = people[i].categories }
        let previous = only.map { c in self.previous.filter { previousWho[$0.key]?.community == c } } ?? self.previous
        func row(_ key: String, _ label: String, _ inCategory: (UInt16) -> Bool) -> StatTable.Row {
            let before = Set(previous.filter { inCategory($0.value) }.keys)
            let now = Set(current.filter { inCategory($0.value) }.keys)
            return StatTable.Row(key: key, label: label, counts: [before.count, now.subtracting(before).count, before.subtracting(now).count, now.count])
        }
        var rows = [row("total", "合计") { _ in true }]
        for (i, name) in vocab.categories.enumerated() { rows.append(row("c\(i + 1)", name) { $0 & (1 << i) != 0 }) }
        let ok = rows.allSatisfy { r in r.counts[0]! + r.counts[1]! - r.counts[2]! == r.counts[3]! }
        var t = StatTable(key: only.map { "changes:\($0)" } ?? "changes", title: "统战工作对象人员变动情况", sheet: only.map { "人员变动-\($0)" } ?? "人员变动", marks: [], unit: only ?? unit, period: period.code,
                         periodLabel: period.label, measure: "单位：人", stubHeading: "项目",
                         columns: [.init(key: "previous", path: ["上期人数"]), .init(key: "joined", path: ["本期变动", "新增"]),
                                   .init(key: "left", path: ["本期变动", "减少"]), .init(key: "current", path: ["本期人数"])],
                         rows: rows,
                         footnote: "按公民身份号码比对上期台账：1+2−3=4。本期只比对已接受的记录（被隔离的记录改正后才计入），\(previousWithoutID == 0 ? "无身份证号的 \(withoutID) 人" : "无身份证号、两期也对不上的人（上期 \(previousWithoutID) 人、本期 \(withoutID - unnumberedCounted.count) 人）")未参与比对；一人调整类别时在原类别计减少、新类别计新增。",
                         footer: [], checks: [StatTable.Check(rule: "1+2−3=4", ok: ok)], unitsCovered: communities.filter { previousCommunities.contains($0) })
        if only == nil, let previousSource { t.notes.append("上期数据取自\(previousSource)。") }
        if only == nil && !uncoveredCommunities.isEmpty {
            t.notes = ["以下社区没有上期台账，未计入本表（其人员不算作新增）：" + uncoveredCommunities.joined(separator: "、") + "。"]
        }
        return t
    }

    /// 人员变动名单: who joined, left, moved between communities or changed category, by name (masked
    /// as the pipeline says), for the communities a previous ledger covers.
    private func changeList(unit: String) -> StatTable {
        func labels(_ cats: UInt16) -> String {
            (0..<vocab.categories.count).filter { cats & (1 << $0) != 0 }.map { vocab.categories[$0] }.joined(separator: "、")
        }
        var rows: [(String, String, String, String)] = []
        var now: [UInt64: Int] = [:]
        for (k, i) in compared where previousCommunities.contains(communities[Int(people[i].community)]) { now[k] = i }
        for (k, i) in now.sorted(by: { $0.value < $1.value }) {
            let here = communities[Int(people[i].community)]
            let name = masking.apply(names[i]?.name ?? "")
            if let before = previousWho[k] {
                if before.community != here, previousCommunities.contains(before.community) {
                    rows.append((here, name, "调动", "由「\(before.community)」调入"))
                }
                if previous[k] != people[i].categories {
                    rows.append((here, name, "类别变化", "\(labels(previous[k] ?? 0)) → \(labels(people[i].categories))"))
                }
            } else {
                rows.append((here, name, "新增", labels(people[i].categories)))
            }
        }
        for (k, who) in previousWho.sorted(by: { ($0.value.community, $0.value.name) < ($1.value.community, $1.value.name) }) where now[k] == nil {
            rows.append((who.community, masking.apply(who.name), "减少", labels(previous[k] ?? 0) + (offRollStatus[k].map { "（\($0)）" } ?? "")))
        }
        rows.sort { ($0.0, $0.2, $0.1) < ($1.0, $1.2, $1.1) }
        var t = StatTable(key: "change-list", title: "人员变动名单", sheet: "人员变动名单", marks: [], unit: unit, period: period.code,
                          periodLabel: period.label, measure: "", stubHeading: "所在社区",
                          columns: [.init(key: "name", path: ["姓名"]), .init(key: "change", path: ["变动"]), .init(key: "detail", path: ["说明"])],
                          rows: [], footnote: "按公民身份号码比对上期台账；姓名按个人信息设置遮蔽。调动：上期在另一社区；类别变化：上期类别 → 本期类别。", footer: [])
        t.list = rows.map { [$0.0, $0.1, $0.2, $0.3] }
        t.emptyList = "（本期没有人员变动）"
        return t
    }

    /// Persons `step: duplicates` found to be one after their records went on (`SamePerson`):
    /// counted once, the later-found one's values added to the other's as a later record's are.
    /// Pairs left for review that the joins settled (`SamePerson.reviews`): not said as pending.
    private var settledReviews = 0

    /// Records left for review and still awaiting it: the run's pairs less those the joins settled.
    private func pendingReviews(_ summary: RunSummary) -> Int {
        max(0, (summary.issueCounts["possible-duplicate"]?[.warning] ?? 0) - settledReviews)
    }
    /// Persons of one community joined into a person of another (counted there, where the person
    /// was first met): said on the form, or a community's table would lose them without a word.
    private struct JoinedAcross: Hashable { var from: Int32, to: Int32 }
    private var joinedAcross: [JoinedAcross: Int] = [:]

    private func joinSamePersons() {
        guard !samePerson.links.isEmpty else { return }
        // Only the places the links name are looked up: an index of every person's place cost
        // tens of MB at a million, at the run's peak.
        let linked = Set(samePerson.links.flatMap { [$0.record, $0.person] })
        var at = NumberIndex(capacity: linked.count)
        for (i, o) in origins.enumerated() where linked.contains(o) { at.updateValue(Int32(i), forKey: o) }
        // The links join places, counted or not (a person's first record may have been left out:
        // their other records are still one person): each group's counted persons become one.
        var parent: [UInt64: UInt64] = [:]
        func root(_ x: UInt64) -> UInt64 { var r = x; while let n = parent[r] { r = n }; return r }
        for (record, person) in samePerson.links {
            let (a, b) = (root(record), root(person))
            if a != b { parent[a] = b }
        }
        // A pair left for review that a later record surely joined awaits no one's review.
        settledReviews = samePerson.reviews.filter { root($0.record) == root($0.person) }.count
        var numbered = [Bool](repeating: false, count: people.count)
        for p in personOf where p >= 0 { numbered[Int(p)] = true }
        var into: [Int32: Int32] = [:]
        func top(_ p: Int32) -> Int32 { var r = p; while let n = into[r] { r = n }; return r }
        var first: [UInt64: Int32] = [:]   // a group's first counted person
        for place in linked.sorted() {
            guard let p = at[place] else { continue }   // not counted (an error, off the roll), or counted by ID
            let g = root(place)
            guard let q = first[g] else { first[g] = p; continue }
            let (ra, rb) = (top(p), top(q))
            guard ra != rb else { continue }
            into[ra] = rb
            if people[Int(ra)].community != people[Int(rb)].community {
                joinedAcross[JoinedAcross(from: people[Int(ra)].community, to: people[Int(rb)].community), default: 0] += 1
            }
            tally.merge(Int(ra), into: Int(rb))
            people[Int(rb)].categories |= people[Int(ra)].categories
            joinedAway.insert(Int(ra))
            names.removeValue(forKey: Int(ra))
            if !numbered[Int(ra)] { withoutID -= 1 }
        }
        for s in personOf.indices where personOf[s] >= 0 && into[personOf[s]] != nil { personOf[s] = top(personOf[s]) }
    }

    func finish(_ summary: RunSummary) throws -> (tables: [StatTable], issues: [Issue]) {
        joinSamePersons()
        try previousFromStore()
        numberPreviousUnnumbered()
        let unit = options.string("unit").flatMap { $0.isEmpty ? nil : $0 } ?? (communities.count == 1 ? communities[0] : "（填报单位）")
        let byOther = byField != nil && byField != fields.community
        let unitNames = byOther ? groups : communities
        let counts = tally.count(end: period.end, known: known, units: unitNames.count)
        var tables: [StatTable] = []
        for (fi, formCounts) in counts.enumerated() {
            let heading = self.heading(forms[fi], unit: unit, first: fi == 0)
            var main = formCounts.tables(unit: nil, sheet: { t, _ in t.sheet }, key: { t, ti in ti == 0 ? "main" : t.key }, heading: heading, covered: communities)
            main[0].notes = exclusionNotes(summary, communities: nil)
            if fi == 0 {
                let left = summary.quarantined
                // The form's own total (its table may count only some persons: `where:`).
                let counted = main[0].rows.first.flatMap { $0.counts.first ?? nil } ?? people.count - joinedAway.count
                let off = offRolls(nil)
                let offZh = off.isEmpty ? "" : "；不在册 \(off.map { "\($0.key) \($0.value) 人" }.joined(separator: "、"))，未计入"
                let offEn = off.isEmpty ? "" : "; not on the roll, not counted: \(off.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
                // Repeats of a person counted once are not errors in the data: said apart.
                let repeats = min(left, summary.issueCounts["duplicate-person"]?[.error] ?? 0)
                let wrong = left - repeats
                let outZh = [wrong > 0 ? "\(wrong) 条记录有错误" : nil, repeats > 0 ? "\(repeats) 条是已计入人员的重复记录" : nil].compactMap { $0 }
                let outEn = [wrong > 0 ? "\(wrong) records with errors" : nil, repeats > 0 ? "\(repeats) repeats of people counted" : nil].compactMap { $0 }
                let pending = pendingReviews(summary)
                main[0].headline = Message(zh: "统计表合计 \(counted) 人" + (outZh.isEmpty ? "" : "（另有 \(outZh.joined(separator: "、"))，未计入）") + offZh
                                               + (pending > 0 ? "；\(pending) 条疑似重复待复核，暂按不同的人计" : ""),
                                           en: "the return counts \(counted) people" + (outEn.isEmpty ? "" : " (\(outEn.joined(separator: " and ")) are not counted)") + offEn
                                               + (pending > 0 ? "; \(pending) possible repeats await review and are counted as other people" : ""))
            }
            if let prints {
                main[0].personKey = prints.keyName
                main[0].counted = people.indices.filter { !joinedAway.contains($0) }.map { i in
                    let cells = tally.cells(of: i, form: fi, end: period.end, known: known)
                    return StatTable.Counted(id: printed[i].id, person: printed[i].person, unit: communities[Int(people[i].community)], at: printed[i].at,
                                             rows: cells.rows, columns: cells.columns)
                }
            }
            tables += main
            // One table per unit (community, or street … by `by`): the communities its people are in make its coverage.
            guard byCommunity, unitNames.count > 1 else { continue }
            for (g, name) in unitNames.enumerated() {
                let covered = byOther ? Set(people.indices.filter { !joinedAway.contains($0) && tally.group(of: $0) == Int32(g) }.map { communities[Int(people[$0].community)] }).sorted() : [name]
                var h = heading
                h.unit = name
                // The first form's unit sheets are named by the unit alone (as the return always was).
                var parts = formCounts.tables(unit: g, sheet: { t, ti in fi == 0 && ti == 0 ? name : "\(t.sheet)-\(name)" },
                                              key: { _, _ in "unit:\(name)" }, heading: h, covered: covered)
                parts[0].notes = exclusionNotes(summary, communities: covered)
                tables += parts
            }
        }
        var issues: [Issue] = []
        // Who sent nothing: listed units with no record at all (counted or left out).
        if let units {
            let seen = Set(communities).union(leftOut.keys)
            let missing = units.under(options.string("unit") ?? "").map(\.name).filter { !seen.contains($0) }
            if !missing.isEmpty {
                tables[0].notes.append("单位名单中以下社区没有任何记录（未报或漏报）：" + missing.prefix(50).joined(separator: "、") + (missing.count > 50 ? " 等 \(missing.count) 个" : "") + "。")
                for m in missing {
                    issues.append(Issue(code: "unit-missing", severity: .warning, origin: Origin(file: options.string("units") ?? "units"),
                                        message: Message(zh: "单位名单中的「\(m)」没有任何记录：本表不含该社区", en: "'\(m)' is in the list of units but has no records: the return leaves it out"),
                                        suggestion: Message(zh: "确认该社区的台账已加入流水线", en: "check that its ledger is among the inputs"), personal: false))
                }
            }
        }
        for t in tables {
            for c in t.checks where !c.ok {
                issues.append(Issue(code: "return-check", severity: .error, origin: Origin(file: t.sheet),
                                    message: Message(zh: "报表审核未通过（\(t.sheet)）：\(c.rule)；\(c.detail ?? "")", en: "the return fails a logic check (\(t.sheet)): \(c.rule); \(c.detail ?? "")"),
                                    personal: false))
            }
        }
        // A field of several values holds 32 at most in one run: people under a 33rd are not counted, so the return must not pass.
        if !tally.overflow.isEmpty {
            issues.append(Issue(code: "form-too-many-values", severity: .error, origin: Origin(file: tables[0].sheet),
                                message: Message(zh: "可填多个值的字段出现了超过 31 个不同的值，以下值未计入报表：\(tally.overflow.prefix(20).joined(separator: "、"))\(tally.overflow.count > 20 ? "……" : "")",
                                                 en: "a field of several values has more than 31 distinct values; these are not counted: \(tally.overflow.prefix(20).joined(separator: ", "))"),
                                suggestion: Message(zh: "用办公室档案的 values: 把同一项的不同写法归并为标准值", en: "bring the spellings of one value together with a profile's values:"), personal: false))
        }
        // Without `step: duplicates`, a person without an ID number written twice is counted twice: said on screen.
        if withoutID > 0 && !samePerson.matching {
            issues.append(Issue(code: "return-unchecked-duplicates", severity: .warning, origin: Origin(file: tables[0].sheet),
                                message: Message(zh: "\(withoutID) 人没有身份证号，本流水线没有查重步骤：同一人登记两次会计为两人",
                                                 en: "\(withoutID) people have no ID number and the pipeline has no duplicates step: one of them written twice is counted twice"),
                                suggestion: Message(zh: "在 member-return 之前加 step: duplicates", en: "add step: duplicates before member-return"),
                                personal: false))
        }
        if hasPrevious {
            tables.append(movements(unit: unit))
            let compared = communities.filter { previousCommunities.contains($0) }
            if compared.count > 1 { for c in compared { tables.append(movements(unit: unit, community: c)) } }
            tables.append(changeList(unit: unit))
            for c in uncoveredCommunities {
                issues.append(Issue(code: "previous-missing", severity: .warning, origin: Origin(file: "人员变动"),
                                    message: Message(zh: "「\(c)」没有上期台账：人员变动表不含该社区，其人员不算作新增", en: "'\(c)' has no previous ledger: the changes table leaves it out rather than count its people as joiners"),
                                    suggestion: Message(zh: "加入该社区上期的台账（role: previous）", en: "add its previous ledger (role: previous)"), personal: false))
            }
        }
        // The run's own figures, as a small table of its own.
        let figures: [(String, String, Int)] = [("read", "读取行数", summary.read), ("accepted", "接受（计入报表）", summary.accepted),
                                                ("quarantined", "隔离（有错误，未计入）", summary.quarantined), ("skipped", "跳过（非数据行）", summary.skipped),
                                                ("duplicates", "按身份证号合并的重复记录", mergedDuplicates)]
            + (joinedAway.isEmpty ? [] : [("matched", "按查重结果合并的人员（记录已接受）", joinedAway.count)])
            + [("people", "计入报表的人数", people.count - joinedAway.count)]
        tables.append(StatTable(key: "run", title: "本次统计的数据情况", sheet: "数据情况", marks: [], unit: unit, period: period.code,
                                periodLabel: period.label, measure: "单位：行、人", stubHeading: "项目", columns: [.init(key: "count", path: ["数量"])],
                                rows: figures.map { StatTable.Row(key: $0.0, label: $0.1, counts: [$0.2]) },
                                footnote: "读取 = 接受 + 隔离 + 跳过；接受的记录中按身份证号合并重复后计入报表。" + (joinedAway.isEmpty ? "" : "查重判为同一人的已接受记录（flag 或事后发现）也只计一次。"), footer: [],
                                checks: [StatTable.Check(rule: "读取=接受+隔离+跳过", ok: summary.balanced)], unitsCovered: communities))
        return (tables, issues)
    }
}
