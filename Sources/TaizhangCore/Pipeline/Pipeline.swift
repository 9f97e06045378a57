/// A plugin as named in a pipeline: which one, its checked options, where it was written.
public struct Component: Sendable {
    public var kind: PluginKind
    public var name: String
    public var options: Options
    public var position: Position
    /// For inputs: this period's data, or a previous period's ledger used only for comparison.
    public var role: SourceRole
    /// For inputs: fields written on every row that leaves them empty (`set:`), from a constant or
    /// `${sheet}`, `${file}`, `${file_stem}` — one sheet per category, one file per community.
    public var set: [(field: String, template: String)] = []

    public init(kind: PluginKind, name: String, options: Options, position: Position, role: SourceRole = .current) {
        self.kind = kind
        self.name = name
        self.options = options
        self.position = position
        self.role = role
    }
}

/// What an input is for. A `previous` input (a previous period's ledger, `role: previous`) goes
/// through the steps — so its values are canonical and steps can compare with it — but none of
/// its rows are written, its issues are not reported, and it is counted apart.
public enum SourceRole: String, Sendable, CaseIterable {
    case current, previous
}

/// A checked pipeline: the sources, steps and outputs of one job, ready to run.
public struct Pipeline: Sendable {
    public var name: String
    /// The pipeline file, if the pipeline came from one.
    public var file: String?
    /// The folder relative paths are resolved against.
    public var directory: String
    public var schema: Schema
    public var inputs: [Component]
    public var steps: [Component]
    public var outputs: [Component]
    /// The least severity that makes `run` exit with 1 (nil: never). `error` unless the file says.
    public var failOn: Severity?
    public var masking: Masking
    /// Issue code → severity (nil: the issue is dropped), from the pipeline's `severity:` mapping.
    public var severityOverrides: [String: Severity?]
    /// Warnings and notes found while checking (shown by `check` and `run`).
    public var notes: [Diagnostic] = []
    /// Output folders inside the pipeline's folder that do not exist yet: the run creates them.
    public var foldersToCreate: [String] = []
    /// Every file the run reads (inputs, side tables, the schema and pipeline files): no output may be one.
    public var readFiles: [String] = []
    /// The store (资料库) the pipeline names with `store:`, resolved; plugins that keep or read the
    /// ledger between runs use it.
    public var store: String?
    /// This table's name (`table:`, else the schema's): how a later table's step names it.
    public var tableName: String
    /// The pipeline's other tables (`tables:`), each a pipeline of its own (schema, inputs, steps,
    /// outputs), run after this one in order (see ``TableDirectory``).
    public var tables: [Pipeline] = []

    public init(name: String, file: String?, directory: String, schema: Schema, inputs: [Component], steps: [Component],
                outputs: [Component], failOn: Severity? = nil, masking: Masking = .masked, severityOverrides: [String: Severity?] = [:]) {
        self.severityOverrides = severityOverrides
        self.name = name
        self.file = file
        self.directory = directory
        self.schema = schema
        self.inputs = inputs
        self.steps = steps
        self.outputs = outputs
        self.failOn = failOn
        self.masking = masking
        self.tableName = schema.name
    }
}
