/// What plugins are given when they are created: the run's schema, language and choices.
public struct PluginContext: Sendable {
    public var schema: Schema
    public var language: Language
    public var masking: Masking
    /// Rows per batch.
    public var batchSize: Int
    /// The run's plugins, for a step that reads a side table (``SideTable``) such as a filled review sheet.
    public var registry: Registry?

    public init(schema: Schema, language: Language = .zh, masking: Masking = .masked, batchSize: Int = 4096) {
        self.schema = schema
        self.language = language
        self.masking = masking
        self.batchSize = batchSize
    }
}

/// An opened source. `open` reads just enough to know the columns; rows come later in batches.
public protocol SourceReader: AnyObject {
    /// The source's column headers as written (or the JSON keys in first-seen order).
    var header: [String] { get }
    /// The row number of the header (shown in header issues), if any.
    var headerRow: Int? { get }
    var sheet: String? { get }
    /// True for sources of keyed records (JSON), which have no column letters.
    var recordBased: Bool { get }
    /// Issues found while opening (encoding guessed, header-only file …).
    var openIssues: [Issue] { get }
    /// Pushes rows into `sink` until it is full or the source ends; returns false at the end.
    func read(into sink: inout RowSink) throws(SourceError) -> Bool
    func close()
    /// Settings the reader worked out for itself (encoding, delimiter …), as pipeline options,
    /// so `taizhang init` can write them down.
    var detectedOptions: [String: String] { get }
}

extension SourceReader {
    public var detectedOptions: [String: String] { [:] }
}

/// A reader that cannot go on: the file, and where in it, and why. Ends the run with exit code 3.
public struct SourceError: Error, Sendable {
    public var origin: Origin
    public var message: Message
    public var suggestion: Message?

    public init(_ origin: Origin, _ message: Message, suggestion: Message? = nil) {
        self.origin = origin
        self.message = message
        self.suggestion = suggestion
    }

    public func text(_ lang: Language) -> String {
        var s = "\(origin.location): \(lang == .zh ? "错误" : "error"): \(message.text(lang))"
        if let suggestion { s += lang == .zh ? "（\(suggestion.zh)）" : " (\(suggestion.en))" }
        return s
    }
}

/// A step that cannot go on (an outside program that stopped answering, say). Ends the run with
/// exit code 3 and the message; no output is written.
public struct StepFailure: Error, Sendable {
    public var message: Message
    public init(_ message: Message) { self.message = message }
}

/// A step over batches: a normaliser changes values, a validator reports issues.
/// Steps are created once per run and may keep state across batches (e.g. `unique`).
public protocol Step: AnyObject {
    func process(_ batch: inout Batch) throws
}

/// A step that must see every row before it can decide about any (keep the most complete of a
/// person's records, merge their fields). It keeps the batches it chooses to and gives them back,
/// changed, once every source is read; the steps after it and the writers see them then, in the
/// order they came. Holding costs memory, so a step holds only when its options need it.
public protocol HoldingStep: Step {
    /// Called after `process`: true when the step keeps this batch until `release`.
    func hold(_ batch: Batch) -> Bool
    /// The held batches, in the order they were held, with the step's final decisions made.
    func release() throws -> [Batch]
}

/// A destination of rows. Writers stream: `write` is called per batch; `finish` once at the end
/// writes the rest into the writer's ``AtomicOutput``s and seals them — the runner then puts every
/// output of the run in place together (``OutputSet``); `abort` when the run fails (nothing left behind).
public protocol Writer: AnyObject {
    func write(_ batch: Batch) throws
    func finish(_ summary: RunSummary) throws -> [AtomicOutput]
    func abort()
}

/// Which rows a writer takes.
public enum RowSelection: String, Sendable, CaseIterable {
    case accepted, quarantined, all

    public func includes(hasError: Bool) -> Bool {
        switch self {
        case .accepted: return !hasError
        case .quarantined: return hasError
        case .all: return true
        }
    }
}

/// Factories, registered under a name with the plugin's spec.
public struct ReaderPlugin: Sendable {
    public var spec: PluginSpec
    /// File name endings this reader handles by default (for `validate FILE…` and `init`).
    public var extensions: [String]
    /// For workbooks: the names of the sheets, so `sheet: all` makes one source per sheet.
    public var sheets: (@Sendable (_ path: String, _ display: String) throws(SourceError) -> [String])?
    public var open: @Sendable (_ path: String, _ display: String, _ options: Options, _ context: PluginContext) throws(SourceError) -> any SourceReader

    public init(spec: PluginSpec, extensions: [String],
                sheets: (@Sendable (String, String) throws(SourceError) -> [String])? = nil,
                open: @escaping @Sendable (String, String, Options, PluginContext) throws(SourceError) -> any SourceReader) {
        self.spec = spec
        self.extensions = extensions
        self.sheets = sheets
        self.open = open
    }
}

public struct StepPlugin: Sendable {
    public var spec: PluginSpec
    public var make: @Sendable (_ options: Options, _ layout: Layout, _ context: PluginContext) throws(Diagnostics) -> any Step

    public init(spec: PluginSpec, make: @escaping @Sendable (Options, Layout, PluginContext) throws(Diagnostics) -> any Step) {
        self.spec = spec
        self.make = make
    }
}

public struct WriterPlugin: Sendable {
    public var spec: PluginSpec
    public var make: @Sendable (_ path: String, _ options: Options, _ layout: Layout, _ context: PluginContext) throws -> any Writer

    public init(spec: PluginSpec, make: @escaping @Sendable (String, Options, Layout, PluginContext) throws -> any Writer) {
        self.spec = spec
        self.make = make
    }
}
