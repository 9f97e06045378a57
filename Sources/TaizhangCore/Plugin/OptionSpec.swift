/// The kind of value a plugin option takes. The pipeline loader checks every option against
/// its kind before any data is read.
public enum OptionType: Sendable, Hashable {
    case string
    case integer
    case boolean
    /// A file that must exist and be readable (relative to the pipeline file).
    case inputPath
    /// A file to be written: its folder must exist, and it must not be one of the inputs.
    case outputPath
    /// One of a fixed set of words.
    case choice([String])
    case stringList
    /// The name of a schema field (checked against the pipeline's schema, with did-you-mean).
    case field
    /// A list of schema field names (or one).
    case fieldList
    /// Any YAML value, checked by the plugin itself (e.g. nested match rules).
    case any

    public var name: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .inputPath: return "input path"
        case .outputPath: return "output path"
        case .choice(let c): return c.joined(separator: " | ")
        case .stringList: return "list of strings"
        case .field: return "field name"
        case .fieldList: return "list of field names"
        case .any: return "any"
        }
    }
}

/// One option a plugin declares: name, kind, default and a one-line doc in both languages.
/// The declaration drives checking, `taizhang plugins` and the generated reference.
public struct OptionSpec: Sendable, Hashable {
    public var name: String
    public var type: OptionType
    public var defaultValue: String?
    public var required: Bool
    public var doc: Message

    public init(_ name: String, _ type: OptionType, default defaultValue: String? = nil, required: Bool = false, doc: Message) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.required = required
        self.doc = doc
    }
}

/// What kind of plugin: where in a pipeline it stands.
public enum PluginKind: String, Sendable, CaseIterable {
    case reader, step, writer

    /// The pipeline-file keys that name a plugin of this kind.
    public var verbs: [String] {
        switch self {
        case .reader: return ["read"]
        case .step: return ["validate", "normalize", "step"]
        case .writer: return ["write"]
        }
    }
}

/// A plugin's description: its name, kind, what it does and the options it takes.
public struct PluginSpec: Sendable {
    public var name: String
    public var kind: PluginKind
    public var summary: Message
    public var options: [OptionSpec]
    /// The source file that implements it, relative to the repository (for the README's table).
    public var file: String
    /// The key a pipeline names it with (`read`, `write`; for steps `validate`, `normalize` or `step`,
    /// as the README and the sample pipelines write it). Any of a kind's verbs is accepted.
    public var verb: String

    public init(name: String, kind: PluginKind, verb: String? = nil, summary: Message, options: [OptionSpec], file: String) {
        self.name = name
        self.kind = kind
        self.verb = verb ?? (kind == .step ? "step" : kind.verbs[0])
        self.summary = summary
        self.options = options
        self.file = file
    }

    public func option(named name: String) -> OptionSpec? { options.first { $0.name == name } }
}
