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

    /// The sheet's title ("疑似重复人员").
    public var title: Message
    public var fields: [String]
    public var pairs: [Pair]
    /// The words a person writes in the decision column.
    public var yes: String
    public var no: String

    public init(title: Message, fields: [String], pairs: [Pair], yes: String = "是", no: String = "否") {
        self.title = title
        self.fields = fields
        self.pairs = pairs
        self.yes = yes
        self.no = no
    }
}

extension ReviewSet {
    /// The review sheet's key and decision columns.
    public static let keyHeader = "配对键"
    public static let decisionHeader = "决定"

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
    /// option is empty): pair key → same (是) or not (否).
    public static func decisions(_ options: Options, _ context: PluginContext) throws(Diagnostics) -> [String: Bool] {
        guard let path = options.path("decisions"), !path.isEmpty, let registry = context.registry else { return [:] }
        let display = options.string("decisions") ?? path
        var out: [String: Bool] = [:]
        do {
            let table = try SideTable.read(path: path, display: display, registry: registry, language: context.language)
            for r in table.rows.indices {
                guard let key = table.value(r, keyHeader), !key.isEmpty,
                      let d = table.value(r, decisionHeader)?.trimmingSpaces(), !d.isEmpty else { continue }
                if ["是", "Y", "YES", "y", "yes", "同一人"].contains(d) { out[key] = true }
                else if ["否", "N", "NO", "n", "no", "不是"].contains(d) { out[key] = false }
            }
        } catch {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "decisions"), Message(
                zh: "无法读取复核决定文件 \(display)：\(error.message.zh)", en: "cannot read the decisions file \(display): \(error.message.en)"), isIO: true)])
        }
        return out
    }
}
