/// The columns every batch of a run has, in order: the schema's fields, then the extra
/// columns found in the sources (carried through, never dropped), in the order first seen.
/// Fixed once all sources are opened, so writers know their columns before the first row.
public final class Layout: Sendable {
    public let schema: Schema
    /// Column names: canonical field names, then extra columns under their header text.
    public let names: [String]
    /// Whether each column is personal data (masked in reports by default).
    public let personal: [Bool]
    private let byName: [String: Int]
    /// The pipeline's severity policy: issue code → the severity it is given (nil: dropped).
    public let severityOverrides: [String: Severity?]

    public init(schema: Schema, extras: [String] = [], severityOverrides: [String: Severity?] = [:]) {
        self.schema = schema
        self.severityOverrides = severityOverrides
        self.names = schema.fields.map(\.name) + extras
        // Values of columns the schema does not describe are treated as personal: we cannot know.
        self.personal = schema.fields.map(\.personal) + extras.map { _ in true }
        var map: [String: Int] = [:]
        for (i, n) in names.enumerated() where map[n] == nil { map[n] = i }
        self.byName = map
    }

    public var count: Int { names.count }
    public var schemaFieldCount: Int { schema.fields.count }

    public func index(of name: String) -> Int? { byName[name] }

    public func field(at index: Int) -> Field? {
        index < schema.fields.count ? schema.fields[index] : nil
    }
}

/// One opened source as the rest of the run sees it: its display name, and for each layout
/// column the source column it came from (letter and header text), if any.
public struct SourceInfo: Sendable {
    public var index: Int
    /// The path as a person knows it (as written in the pipeline, or on the command line).
    public var file: String
    public var sheet: String?
    /// Per layout column: the column letter in the source (nil for JSON keys or absent columns).
    public var columnLetters: [String?]
    /// Per layout column: the header text in the source (nil when the source lacks the column).
    public var headers: [String?]
    /// JSON and other record-based sources number records, not columns.
    public var recordBased: Bool
    /// This period's data, or a previous period's ledger (compared with, never written).
    public var role: SourceRole = .current
    /// The row the header is on in the source (nil when it has none, or for record-based sources).
    public var headerRow: Int? = nil
    /// Fields the input's `set:` fills where the source leaves them empty (no column needed).
    public var setFields: Set<Int> = []

    public init(index: Int, file: String, sheet: String?, columnLetters: [String?], headers: [String?], recordBased: Bool) {
        self.index = index
        self.file = file
        self.sheet = sheet
        self.columnLetters = columnLetters
        self.headers = headers
        self.recordBased = recordBased
    }
}

/// A row left out of the data because it is not data (blank, a title, a 合计 line), with why.
public struct SkippedRow: Sendable, Hashable, Codable {
    public var origin: Origin
    public var reason: Message

    public init(origin: Origin, reason: Message) {
        self.origin = origin
        self.reason = reason
    }
}
