import Foundation
/// What plugins are given when they are created: the run's schema, language and choices.
public struct PluginContext: Sendable {
    public var schema: Schema
    public var language: Language
    public var masking: Masking
    /// Rows per batch.
    public var batchSize: Int
    /// The run's plugins, for a step that reads a side table (``SideTable``) such as a filled review sheet.
    public var registry: Registry?
    /// The pipeline file, and the store it names (`store:`), when there are.
    public var pipelineFile: String?
    public var store: String?
    /// The pipeline's tables (`tables:`): a step looks up rows of an earlier table through it.
    public var tables: TableDirectory?
    /// What the steps of this table share (``TableShared``).
    public var shared = TableShared()

    public init(schema: Schema, language: Language = .zh, masking: Masking = .masked, batchSize: Int = 4096) {
        self.schema = schema
        self.language = language
        self.masking = masking
        self.batchSize = batchSize
    }
}

/// Objects the steps of one table share, each kind made by the first step that asks for it: two
/// steps that keep the same index of the table's records (a validator and a return, say) keep one.
/// The steps of a table run one after another on one thread (those that share an object, at least).
public final class TableShared: @unchecked Sendable {
    private var objects: [ObjectIdentifier: AnyObject] = [:]
    private let lock = NSLock()

    public init() {}

    /// The kinds asked for, in the order asked (the runner tells by them which steps share one:
    /// those must run on one thread, see `Runner.independent`).
    private(set) var asked: [ObjectIdentifier] = []

    public func object<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        asked.append(ObjectIdentifier(type))
        if let o = objects[ObjectIdentifier(type)] as? T { return o }
        let o = make()
        objects[ObjectIdentifier(type)] = o
        return o
    }
}

/// Factories, registered under a name with the plugin's spec.
public struct ReaderPlugin: Sendable {
    public var spec: PluginSpec
    /// File name endings this reader handles by default (for `validate FILE…` and `init`).
    public var extensions: [String]
    /// True when a file's first bytes are this reader's format (`read: auto`); nil: never chosen by content.
    public var sniff: (@Sendable (Data) -> Bool)?
    /// For workbooks: the names of the sheets, so `sheet: all` makes one source per sheet.
    public var sheets: (@Sendable (_ path: String, _ display: String) throws(SourceError) -> [String])?
    public var open: @Sendable (_ path: String, _ display: String, _ options: Options, _ context: PluginContext) throws(SourceError) -> any SourceReader

    public init(spec: PluginSpec, extensions: [String], sniff: (@Sendable (Data) -> Bool)? = nil,
                sheets: (@Sendable (String, String) throws(SourceError) -> [String])? = nil,
                open: @escaping @Sendable (String, String, Options, PluginContext) throws(SourceError) -> any SourceReader) {
        self.spec = spec
        self.extensions = extensions
        self.sniff = sniff
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
