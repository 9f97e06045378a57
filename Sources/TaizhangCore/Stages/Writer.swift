/// A destination of rows. Writers stream: `write` is called per batch; `finish` once at the end
/// writes the rest into the writer's ``AtomicOutput``s and seals them — the runner then puts every
/// output of the run in place together (``OutputSet``); `abort` when the run fails (nothing left behind).
public protocol Writer: AnyObject {
    func write(_ batch: Batch) throws
    func finish(_ summary: RunSummary) throws -> [AtomicOutput]
    func abort()
    /// The files `finish` will write, asked just before it (default: the `path` the pipeline gives).
    /// A writer that splits its output (one workbook per community) names each file.
    func outputPaths(declared: String) throws -> [String]
    /// What the writer did beyond files, for the run's summary (asked after `finish`): a store
    /// saved into, say. Nil for most.
    var summaryLine: Message? { get }
}

extension Writer {
    public func outputPaths(declared: String) throws -> [String] { [declared] }
    public var summaryLine: Message? { nil }
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
