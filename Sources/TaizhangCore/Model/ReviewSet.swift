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

/// A step that proposes pairs for review once every row has gone through.
public protocol ReviewingStep: Step {
    func reviewSets() -> [ReviewSet]
}
