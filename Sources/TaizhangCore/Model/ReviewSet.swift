/// Pairs of records a step could not decide on alone and asks a person to look at (possible
/// duplicates, say). A review writer lays them out side by side with a decision column; the
/// filled sheet comes back to the step (its `decisions` option) on later runs.
public struct ReviewSet: Sendable {
    public struct Record: Sendable {
        public var origin: Origin
        /// One value per `ReviewSet.fields` entry, as the report may show it (masked if personal).
        public var values: [String]
        public init(origin: Origin, values: [String]) {
            self.origin = origin
            self.values = values
        }
    }

    public struct Pair: Sendable {
        /// Stable across runs and row order: what a decision is filed under.
        public var key: String
        public var score: Double
        /// Why the pair was proposed ("姓名同音 +30 · 出生日期相同 +30 …").
        public var reasons: Message
        public var left: Record
        public var right: Record
        public init(key: String, score: Double, reasons: Message, left: Record, right: Record) {
            self.key = key
            self.score = score
            self.reasons = reasons
            self.left = left
            self.right = right
        }
    }

    /// The words of a review sheet: its key and decision columns, and what a person writes to
    /// say "the same" or "not the same" (the first of each is offered in the sheet's drop-down).
    /// The matching module supplies the sheet's language; the core knows none.
    public struct Vocabulary: Sendable {
        public var keyHeader: String
        public var decisionHeader: String
        public var yes: [String]
        public var no: [String]
        public init(keyHeader: String, decisionHeader: String, yes: [String], no: [String]) {
            self.keyHeader = keyHeader
            self.decisionHeader = decisionHeader
            self.yes = yes
            self.no = no
        }
    }

    /// The sheet's title ("疑似重复人员").
    public var title: Message
    public var fields: [String]
    public var pairs: [Pair]
    public var words: Vocabulary

    public init(title: Message, fields: [String], pairs: [Pair], words: Vocabulary) {
        self.title = title
        self.fields = fields
        self.pairs = pairs
        self.words = words
    }
}

extension ReviewSet {
    /// A pair's key from its two records' fingerprints (hashes of their content), smaller first: the
    /// same two records have the same key on every run, whatever the row order.
    public static func pairKey(_ a: UInt64, _ b: UInt64) -> String {
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return a < b ? hex(a) + "-" + hex(b) : hex(b) + "-" + hex(a)
    }

    /// The decisions of a filled review sheet named by the step's `decisions` option (none when the
    /// option is empty): pair key → the same or not, in the words of `words`.
    public static func decisions(_ options: Options, _ context: PluginContext, words: Vocabulary) throws(Diagnostics) -> [String: Bool] {
        guard let path = options.path("decisions"), !path.isEmpty, let registry = context.registry else { return [:] }
        let display = options.string("decisions") ?? path
        var out: [String: Bool] = [:]
        do {
            let table = try SideTable.read(path: path, display: display, registry: registry, language: context.language)
            for r in table.rows.indices {
                guard let key = table.value(r, words.keyHeader), !key.isEmpty,
                      let d = table.value(r, words.decisionHeader)?.trimmingSpaces(), !d.isEmpty else { continue }
                if words.yes.contains(d) { out[key] = true }
                else if words.no.contains(d) { out[key] = false }
            }
        } catch {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "decisions"), Message(
                zh: "无法读取复核决定文件 \(display)：\(error.message.zh)", en: "cannot read the decisions file \(display): \(error.message.en)"), isIO: true)])
        }
        return out
    }
}
