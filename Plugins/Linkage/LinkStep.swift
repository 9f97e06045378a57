import Foundation
import TaizhangCore

/// `step: link` — record linkage for any table, when no rule book of the data's own exists (the
/// member ledger's people are matched by `step: duplicates`, which knows ID numbers, pinyin and
/// 繁简; this step knows nothing of the data and learns what a match looks like from it).
///
/// The Fellegi–Sunter model, as Splink and fastLink use it:
/// - **Compare** the columns named in `compare`, each by its kind: `name`/`text` (Jaro–Winkler:
///   same, ≥ 0.92, ≥ 0.80, other), `code` (same, one or two edits apart — a transposition is one),
///   `date` (same; day and month swapped or one part off; two digits off; other), `exact`.
///   An empty value is no evidence either way.
/// - **Candidates** come from `blocks` (records sharing a column's value, or a `+` combination of
///   columns'; by default each compared column); a block over `max_block` records is left out.
/// - **u** (how often two different records agree by chance) is counted on random pairs of the
///   data; **m** (how often one record written twice agrees) and the share of matches are estimated
///   by EM on the candidates. A pair's match weight is the sum of log2(m/u) of its columns' levels;
///   its probability follows. At `threshold` (%, default 50) the pair is one record written twice;
///   from `review_threshold` it goes to the review sheet (`write: review-workbook`).
/// - **Groups**: records joined by matching pairs are one (transitively); with `one_to_one` (linking
///   two lists) each record matches at most one record of another input, best pairs first.
/// - **Review loop**: `decisions:` names the filled review sheet; its 是/否 (filed under each pair's
///   配对键, a hash of both records' compared values) decide those pairs on every later run.
/// - `policy: flag` warns on each later record of a group (`duplicate-person`, naming the first and
///   explaining the weight column by column); `keep-first` quarantines them. The model's estimates
///   are reported at the end (info `link-model`). The step holds the run's rows until every input
///   is read (memory grows with the inputs: meant for lists up to a few hundred thousand rows).
public enum LinkPlugin {
    public static let spec = PluginSpec(
        name: "link", kind: .step,
        summary: Message(zh: "通用记录链接（Fellegi–Sunter，参数由数据经 EM 估计）：任意列的查重或两份名单的比对，逐列解释匹配权重",
                         en: "Record linkage for any table (Fellegi–Sunter, parameters estimated by EM): duplicates or two-list matching, weights explained per column"),
        options: [
            OptionSpec("compare", .any, required: true,
                       doc: Message(zh: "比较的列：列名到比较方式（name、text、code、date、exact）的映射，或列名的列表（按 text）",
                                    en: "columns to compare: a mapping of column to kind (name, text, code, date, exact), or a list of columns (text)")),
            OptionSpec("blocks", .stringList, doc: Message(zh: "分块键：列名，或用 + 连接的几列；默认每个比较列各一个", en: "blocking keys: a column, or columns joined by +; default: each compared column")),
            OptionSpec("threshold", .integer, default: "50", doc: Message(zh: "判为同一记录的匹配概率（%）", en: "match probability (%) at which two records are one")),
            OptionSpec("review_threshold", .integer, default: "20", doc: Message(zh: "列入人工复核的匹配概率（%）", en: "match probability (%) at which a pair goes to review")),
            OptionSpec("one_to_one", .boolean, default: "false", doc: Message(zh: "两份名单比对：每条记录至多与另一输入的一条记录匹配", en: "linking lists: each record matches at most one record of another input")),
            OptionSpec("policy", .choice(["flag", "keep-first"]), default: "flag", doc: Message(zh: "flag：只标记（警告）；keep-first：保留先出现的，其余隔离", en: "flag: warn only; keep-first: keep the first record, quarantine the rest")),
            OptionSpec("max_block", .integer, default: "1000", doc: Message(zh: "超过此人数的分块不用于产生候选对", en: "blocks with more records than this make no candidates")),
            OptionSpec("decisions", .inputPath, default: "", doc: Message(zh: "已填写「决定」列的复核表（.xlsx 或 .csv），其中的 是/否 每次运行都生效", en: "a filled review sheet; its 是/否 decisions apply on every run")),
        ],
        file: "Plugins/Linkage/LinkStep.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        try LinkStep(options: options, layout: layout, context: context)
    }
}

final class LinkStep: HoldingStep, FinishingStep, ReviewingStep {
    enum Kind: String, CaseIterable {
        case name, text, code, date, exact
        var levels: Int { self == .exact ? 2 : 4 }
    }

    struct Column {
        var name: String
        var field: Int
        var kind: Kind
    }

    private let columns: [Column]
    private let blockFields: [[Int]]
    private let threshold: Double
    private let reviewThreshold: Double
    private let oneToOne: Bool
    private let quarantine: Bool
    private let maxBlock: Int
    private let masking: Masking
    private let layout: Layout

    private var held: [Batch] = []
    /// Per record: its batch and row, its input, and per compared column its normalised value.
    private var at: [(batch: Int32, row: Int32)] = []
    private var input: [Int32] = []
    private var values: [[[UInt32]]]
    private var blockKeys: [[UInt64]]
    private var model: FellegiSunter?
    private var reviews: [ReviewSet.Pair] = []
    private var stats = (candidates: 0, matched: 0, grouped: 0, oversized: 0)

    /// The clerk's decisions from a filled review sheet, by pair key.
    private var decisions: [String: Bool] = [:]
    /// Per record: a hash of its compared values (the pair key is made of two).
    private var fingerprints: [UInt64] = []

    init(options: Options, layout: Layout, context: PluginContext) throws(Diagnostics) {
        let masking = context.masking
        var d = DiagnosticCollector()
        func field(_ name: String, _ option: String) -> Int? {
            if let i = layout.index(of: name) { return i }
            d.error(options.position(of: option), Message(zh: "没有列「\(name)」", en: "there is no column '\(name)'"),
                    suggestion: Suggest.didYouMean(name, layout.names))
            return nil
        }
        var columns: [Column] = []
        let node = options.node("compare")
        let pairs: [(String, String)] = node?.pairs.map { $0.map { ($0.key, $0.value.scalar ?? "") } }
            ?? node?.items?.compactMap { $0.scalar.map { ($0, "text") } } ?? []
        if pairs.isEmpty {
            d.error(options.position(of: "compare"), Message(zh: "compare 须给出要比较的列", en: "compare must name the columns to compare"))
        }
        for (name, kindName) in pairs {
            guard let kind = Kind(rawValue: kindName) else {
                d.error(options.position(of: "compare"), Message(zh: "「\(name)」的比较方式「\(kindName)」未知；可用：name、text、code、date、exact",
                                                                 en: "'\(name)': unknown kind '\(kindName)'; known: name, text, code, date, exact"))
                continue
            }
            if let f = field(name, "compare") { columns.append(Column(name: name, field: f, kind: kind)) }
        }
        let blockSpecs = options.strings("blocks")
        var blockFields: [[Int]] = []
        for spec in blockSpecs {
            let parts = spec.split(separator: "+").map { String($0).trimmingSpaces() }
            let fields = parts.compactMap { field($0, "blocks") }
            if fields.count == parts.count { blockFields.append(fields) }
        }
        if blockSpecs.isEmpty { blockFields = columns.map { [$0.field] } }
        let threshold = options.int("threshold") ?? 50, review = options.int("review_threshold") ?? 20
        if !(1...99).contains(threshold) || !(1...threshold).contains(review) {
            d.error(options.position(of: "threshold"), Message(zh: "threshold 须在 1–99 之间，review_threshold 在 1 与 threshold 之间", en: "threshold must be 1–99 and review_threshold between 1 and threshold"))
        }
        try d.throwIfErrors()
        decisions = try ReviewSet.decisions(options, context, words: .chinese)
        self.columns = columns
        self.blockFields = blockFields
        self.threshold = Double(threshold) / 100
        self.reviewThreshold = Double(review) / 100
        oneToOne = options.bool("one_to_one")
        quarantine = options.string("policy") == "keep-first"
        maxBlock = max(2, options.int("max_block") ?? 1000)
        self.masking = masking
        self.layout = layout
        values = Array(repeating: [], count: columns.count)
        blockKeys = Array(repeating: [], count: blockFields.count)
    }

    // MARK: Rows

    func process(_ batch: inout Batch) throws {
        let b = Int32(held.count)
        for r in 0..<batch.count where !batch.hasError[r] {
            at.append((b, Int32(r)))
            input.append(Int32(batch.source.index))
            var print = FNV()
            for (k, c) in columns.enumerated() {
                let v = Self.normalized(batch.string(row: r, field: c.field))
                print.add(scalars: v)
                values[k].append(v)
            }
            fingerprints.append(print.value)
            for (k, fields) in blockFields.enumerated() {
                var h = FNV()
                var empty = false
                for f in fields {
                    let v = Self.normalized(batch.string(row: r, field: f))
                    if v.isEmpty { empty = true; break }
                    h.add(scalars: v)
                }
                blockKeys[k].append(empty ? 0 : h.value | 1)
            }
        }
    }

    func hold(_ batch: Batch) -> Bool {
        held.append(batch)
        return true
    }

    /// Lower-cased, trimmed, inner runs of spaces made one; as Unicode scalars.
    static func normalized(_ s: String) -> [UInt32] {
        var out: [UInt32] = []
        var space = false
        for u in s.unicodeScalars {
            if u.properties.isWhitespace { space = !out.isEmpty; continue }
            if space { out.append(0x20); space = false }
            out.append(u.properties.lowercaseMapping.unicodeScalars.first.map { $0.value } ?? u.value)
        }
        return out
    }

    func release() throws -> [Batch] {
        let n = at.count
        let f = columns.count
        // 1. Candidates from the blocks.
        var candidates = Set<UInt64>()
        for keys in blockKeys {
            var groups: [UInt64: [Int32]] = [:]
            for (i, k) in keys.enumerated() where k != 0 { groups[k, default: []].append(Int32(i)) }
            for members in groups.values where members.count > 1 {
                if members.count > maxBlock { stats.oversized += 1; continue }
                for x in 0..<members.count {
                    for y in x + 1..<members.count where !oneToOne || input[Int(members[x])] != input[Int(members[y])] {
                        candidates.insert(UInt64(members[x]) << 32 | UInt64(members[y]))
                    }
                }
            }
        }
        let pairs = candidates.sorted()
        stats.candidates = pairs.count
        var gamma = [UInt8](repeating: 0, count: pairs.count * f)
        for (p, key) in pairs.enumerated() {
            for k in 0..<f { gamma[p * f + k] = level(k, Int(key >> 32), Int(key & 0xFFFF_FFFF)) }
        }
        // 2. u on random pairs (a fixed seed: the same data gives the same answer).
        var rng = SplitMix(seed: 0x7a69_6e67)
        var uCount = columns.map { [Double](repeating: 1, count: $0.kind.levels) }   // one pseudo-count per level
        var sampled = 0
        let wanted = min(200_000, n * (n - 1) / 2)
        var tries = 0
        while sampled < wanted && tries < wanted * 20 && n > 1 {
            tries += 1
            let a = Int(rng.next() % UInt64(n)), b = Int(rng.next() % UInt64(n))
            if a == b || (oneToOne && input[a] == input[b]) { continue }
            sampled += 1
            for k in 0..<f { let g = level(k, a, b); if g != FellegiSunter.none { uCount[k][Int(g)] += 1 } }
        }
        let u = uCount.map { c in c.map { $0 / c.reduce(0, +) } }
        // 3. m and λ by EM on the candidates.
        let m0 = columns.map { c -> [Double] in
            let top = c.kind.levels - 1
            return (0...top).map { $0 == top ? 0.9 : 0.1 / Double(top) }
        }
        let model = FellegiSunter.estimate(gammas: gamma, levels: columns.map(\.kind.levels), u: u, m0: m0, lambda0: 0.1)
        var posterior = [Double](repeating: 0, count: pairs.count)
        self.model = model
        for p in 0..<pairs.count { posterior[p] = model.probability(gamma[p * f..<p * f + f]) }
        // The clerk's word outranks the model.
        var decided = [Bool](repeating: false, count: pairs.count)
        if !decisions.isEmpty {
            for (p, key) in pairs.enumerated() {
                if let yes = decisions[pairKey(Int(key >> 32), Int(key & 0xFFFF_FFFF))] {
                    posterior[p] = yes ? 1 : 0
                    decided[p] = true
                }
            }
        }
        // 4. Groups.
        var parent = Array(0..<n)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        let order = pairs.indices.filter { posterior[$0] >= threshold }.sorted { posterior[$0] > posterior[$1] || (posterior[$0] == posterior[$1] && $0 < $1) }
        var best = [Int](repeating: -1, count: n)   // the pair that joined each record to its group
        var used = [Bool](repeating: false, count: n)
        for p in order {
            let a = Int(pairs[p] >> 32), b = Int(pairs[p] & 0xFFFF_FFFF)
            if oneToOne {
                if used[a] || used[b] { continue }
                used[a] = true; used[b] = true
            }
            stats.matched += 1
            if best[a] < 0 { best[a] = p }
            if best[b] < 0 { best[b] = p }
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        // 5. Each later record of a group: said, with the pair's weights column by column.
        for i in 0..<n {
            let first = root(i)
            guard first != i else { continue }
            stats.grouped += 1
            let p = best[i]
            let other = Int(pairs[p] >> 32) == i ? Int(pairs[p] & 0xFFFF_FFFF) : Int(pairs[p] >> 32)
            let g = gamma[p * f..<p * f + f]
            var why = explain(g, model: model)
            if decided[p] { why = ("复核确认为同一记录；" + why.zh, "confirmed in review; " + why.en) }
            let firstAt = origin(first), otherAt = origin(other)
            let via = other == first ? (zh: "", en: "") : (zh: "，经 \(otherAt.file) 第 \(otherAt.row ?? 0) 行", en: ", through \(otherAt.file) row \(otherAt.row ?? 0)")
            held[Int(at[i].batch)].report(row: Int(at[i].row), field: nil, code: "duplicate-person", severity: quarantine ? .error : .warning,
                                          message: Message(zh: "与 \(firstAt.file) 第 \(firstAt.row ?? 0) 行是同一记录\(via.zh)（\(why.zh)）",
                                                           en: "the same record as \(firstAt.file) row \(firstAt.row ?? 0)\(via.en) (\(why.en))"),
                                          suggestion: Message(zh: "核对后删除重复记录", en: "check, then remove the repeat"))
        }
        // 6. Pairs in between go to review.
        for p in pairs.indices where posterior[p] >= reviewThreshold && posterior[p] < threshold && !decided[p] {
            let a = Int(pairs[p] >> 32), b = Int(pairs[p] & 0xFFFF_FFFF)
            if root(a) == root(b) { continue }
            let why = explain(gamma[p * f..<p * f + f], model: model)
            held[Int(at[b].batch)].report(row: Int(at[b].row), field: nil, code: "possible-duplicate", severity: .warning,
                                          message: Message(zh: "可能与 \(origin(a).file) 第 \(origin(a).row ?? 0) 行是同一记录（\(why.zh)），需人工复核",
                                                           en: "may be the same record as \(origin(a).file) row \(origin(a).row ?? 0) (\(why.en)); needs review"))
            if reviews.count < 10_000 {
                reviews.append(ReviewSet.Pair(key: pairKey(a, b), score: (posterior[p] * 100).rounded(), reasons: Message(zh: why.zh, en: why.en),
                                              left: .init(origin: origin(a), values: shown(a)), right: .init(origin: origin(b), values: shown(b))))
            }
        }
        defer { held = [] }
        return held
    }

    /// The pair's key in the review sheet: both records' fingerprints, smaller first.
    private func pairKey(_ a: Int, _ b: Int) -> String { ReviewSet.pairKey(fingerprints[a], fingerprints[b]) }

    private func origin(_ i: Int) -> Origin { held[Int(at[i].batch)].origin(row: Int(at[i].row)) }

    private func shown(_ i: Int) -> [String] {
        columns.map { c in
            let v = held[Int(at[i].batch)].string(row: Int(at[i].row), field: c.field)
            return layout.personal[c.field] ? masking.apply(v) : v
        }
    }

    /// What each level of a kind is called, lowest first.
    private static let levelNames: [Kind: [(String, String)]] = [
        .exact: [("不同", "differs"), ("相同", "same")],
        .code: [("不同", "differs"), ("差两处", "two edits apart"), ("差一处", "one edit apart"), ("相同", "same")],
        .date: [("不同", "differs"), ("差两位", "two digits off"), ("差一项或日月颠倒", "one part off or day/month swapped"), ("相同", "same")],
        .text: [("不同", "differs"), ("相近", "alike (JW ≥ 0.80)"), ("很近", "close (JW ≥ 0.92)"), ("相同", "same")],
    ]

    private func explain(_ gamma: ArraySlice<UInt8>, model: FellegiSunter) -> (zh: String, en: String) {
        model.explain(gamma) { k, g in
            let label = (Self.levelNames[columns[k].kind] ?? Self.levelNames[.text]!)[Int(g)]
            return ("\(columns[k].name) \(label.0)", "\(columns[k].name) \(label.1)")
        }
    }

    /// The comparison level of column `k` for records `a` and `b` (`FellegiSunter.none` when either is empty).
    func level(_ k: Int, _ a: Int, _ b: Int) -> UInt8 {
        let x = values[k][a], y = values[k][b]
        if x.isEmpty || y.isEmpty { return FellegiSunter.none }
        if x == y { return UInt8(columns[k].kind.levels - 1) }
        switch columns[k].kind {
        case .exact: return 0
        case .name, .text:
            let s = StringMetrics.jaroWinkler(x, y)
            return s >= 0.92 ? 2 : s >= 0.80 ? 1 : 0
        case .code:
            switch StringMetrics.edits(x, y, atMost: 2) { case 1: return 2; case 2: return 1; default: return 0 }
        case .date:
            if x.count == 8, y.count == 8 {
                let parts = [0..<4, 4..<6, 6..<8].map { (Array(x[$0]), Array(y[$0])) }
                let differing = parts.filter { $0.0 != $0.1 }.count
                if differing == 1 || (parts[0].0 == parts[0].1 && parts[1].0 == parts[2].1 && parts[2].0 == parts[1].1) { return 2 }
            }
            return StringMetrics.edits(x, y, atMost: 2) <= 2 ? 1 : 0
        }
    }

    // MARK: End of run

    func finish(_ summary: RunSummary) throws -> (tables: [StatTable], issues: [Issue]) {
        guard let model else { return ([], []) }
        let per = columns.indices.map { k -> String in
            let top = columns[k].kind.levels - 1
            return "\(columns[k].name) m=\(String(format1: model.m[k][top] * 100))% u=\(String(format1: model.u[k][top] * 100))%"
        }.joined(separator: "; ")
        var issues = [Issue(code: "link-model", severity: .info, origin: Origin(file: held.first?.source.file ?? ""),
                            message: Message(zh: "链接模型：候选对 \(stats.candidates)，估计匹配比例 \(String(format1: model.lambda * 100))%（EM \(model.iterations) 轮），判为同一的对 \(stats.matched)，重复记录 \(stats.grouped)；各列完全相同的 m/u：\(per)",
                                             en: "link model: \(stats.candidates) candidate pairs, estimated match share \(String(format1: model.lambda * 100))% (EM \(model.iterations) rounds), \(stats.matched) matching pairs, \(stats.grouped) repeat records; m/u of agreeing exactly: \(per)"),
                            personal: false)]
        if stats.oversized > 0 {
            issues.append(Issue(code: "link-block-skipped", severity: .info, origin: Origin(file: ""),
                                message: Message(zh: "\(stats.oversized) 个分块超过 \(maxBlock) 条记录，未用于产生候选对（可调 max_block 或换更细的分块键）",
                                                 en: "\(stats.oversized) blocks held more than \(maxBlock) records and made no candidates (see max_block, or a finer key)"),
                                personal: false))
        }
        return ([], issues)
    }

    func reviewSets() -> [ReviewSet] {
        guard !reviews.isEmpty else { return [] }
        return [ReviewSet(title: Message(zh: "疑似重复记录", en: "possible duplicates"), fields: columns.map(\.name), pairs: reviews, words: .chinese)]
    }
}
