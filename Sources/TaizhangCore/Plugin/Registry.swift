/// Every plugin and built-in schema the CLI knows, by name. An immutable value: built once at
/// start-up by each plugin module's `register(into:)`, then passed where it is needed.
public struct Registry: Sendable {
    public private(set) var readers: [String: ReaderPlugin] = [:]
    public private(set) var steps: [String: StepPlugin] = [:]
    public private(set) var writers: [String: WriterPlugin] = [:]
    public private(set) var schemas: [String: Schema] = [:]
    /// Per built-in schema, the steps `taizhang validate` runs by default.
    public private(set) var defaultSteps: [String: [String]] = [:]
    /// Per built-in schema, what an office profile extending it may say beyond `fields` (the
    /// pack's vocabulary keys), and the pack's check of those keys (mistakes with their positions).
    public private(set) var profiles: [String: Profiles] = [:]
    public struct Profiles: Sendable {
        public var keys: [String]
        public var check: @Sendable (ConfigNode) -> [Diagnostic]
        /// The effective tables of a schema (extended or not), as text (`taizhang profile show`).
        public var show: @Sendable (Schema) -> String
        public init(keys: [String], check: @escaping @Sendable (ConfigNode) -> [Diagnostic], show: @escaping @Sendable (Schema) -> String) {
            self.keys = keys
            self.check = check
            self.show = show
        }
    }
    /// What each issue code means, in a few words (shown beside the code in the issue workbook).
    public private(set) var issueTypes: [String: Message] = [:]

    /// The issues the core itself reports (header mapping, row shape, cell text) are known from the start.
    public init() {
        issueTypes = [
            "duplicate-header": Message(zh: "两列对应同一字段或表头重复", en: "two columns for one field, or a repeated header"),
            "missing-column": Message(zh: "缺少必填字段的列", en: "no column for a required field"),
            "control-character": Message(zh: "单元格中有不可见的控制字符", en: "invisible control character in a cell"),
            "row-too-large": Message(zh: "一行文字过多", en: "row holds too much text"),
            "missing-cell": Message(zh: "一行比表头少单元格", en: "fewer cells than the header"),
            "total-mismatch": Message(zh: "合计/小计与其上的行数不符", en: "a total disagrees with the rows above it"),
            "set-no-sheet": Message(zh: "set 用了 ${sheet}，但文件没有工作表", en: "set uses ${sheet} but the file has no sheets"),
            "extra-cell": Message(zh: "一行比表头多出单元格", en: "more cells than the header"),
        ]
    }

    /// Names the issue codes a module reports: code → what it means.
    public mutating func register(issueTypes types: [String: Message]) {
        issueTypes.merge(types) { a, _ in a }
    }

    public mutating func register(_ p: ReaderPlugin) { readers[p.spec.name] = p }
    public mutating func register(_ p: StepPlugin) { steps[p.spec.name] = p }
    public mutating func register(_ p: WriterPlugin) { writers[p.spec.name] = p }
    public mutating func register(schema: Schema, defaultSteps steps: [String] = ["fields"], profiles: Profiles? = nil) {
        schemas[schema.name] = schema
        defaultSteps[schema.name] = steps
        if let profiles { self.profiles[schema.name] = profiles }
    }

    public func spec(_ kind: PluginKind, _ name: String) -> PluginSpec? {
        switch kind {
        case .reader: return readers[name]?.spec
        case .step: return steps[name]?.spec
        case .writer: return writers[name]?.spec
        }
    }

    public func names(_ kind: PluginKind) -> [String] {
        switch kind {
        case .reader: return readers.keys.sorted()
        case .step: return steps.keys.sorted()
        case .writer: return writers.keys.sorted()
        }
    }

    /// A registered plugin, or an internal error (the loader checked every name already).
    func require<P>(_ kind: PluginKind, _ name: String, _ table: [String: P]) throws -> P {
        guard let p = table[name] else {
            throw InternalError(Message(zh: "插件 \(kind.verbs[0]): \(name) 未注册", en: "plugin \(kind.verbs[0]): \(name) is not registered"))
        }
        return p
    }

    /// All plugin specs, readers then steps then writers, each sorted by name.
    public var allSpecs: [PluginSpec] {
        PluginKind.allCases.flatMap { kind in names(kind).compactMap { spec(kind, $0) } }
    }

    /// The reader for a file, by its name's ending (`.csv`, `.json`, `.jsonl` …).
    public func reader(forFile path: String) -> ReaderPlugin? {
        let lower = path.lowercased()
        return readers.values.sorted { $0.spec.name < $1.spec.name }.first { r in r.extensions.contains { lower.hasSuffix("." + $0) } }
    }
}
