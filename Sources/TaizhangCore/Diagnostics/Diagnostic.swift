/// A problem with a pipeline file, a schema file or the command line, reported before any data
/// is read, as `file:line:column: error: …` (the form compilers and editors understand).
public struct Diagnostic: Sendable, Hashable {
    public enum Kind: String, Sendable { case error, warning, note }

    public var kind: Kind
    public var position: Position?
    public var message: Message
    public var suggestion: Message?
    /// True when the problem is a file that cannot be read or written (exit code 3),
    /// rather than a mistake in the configuration (exit code 2).
    public var isIO: Bool

    public init(_ kind: Kind, at position: Position?, _ message: Message, suggestion: Message? = nil, isIO: Bool = false) {
        self.kind = kind
        self.position = position
        self.message = message
        self.suggestion = suggestion
        self.isIO = isIO
    }

    public func text(_ lang: Language) -> String {
        var s = ""
        if let p = position { s += "\(p.file):\(p.line):\(p.column): " }
        let label: String
        switch (kind, lang) {
        case (.error, .zh): label = "错误"
        case (.warning, .zh): label = "警告"
        case (.note, .zh): label = "注"
        default: label = kind.rawValue
        }
        s += "\(label): \(message.text(lang))"
        if let suggestion { s += lang == .zh ? "（\(suggestion.zh)）" : " (\(suggestion.en))" }
        return s
    }
}

/// One or more diagnostics, thrown together so a user sees every mistake in one pass.
public struct Diagnostics: Error, Sendable {
    public var items: [Diagnostic]

    public init(_ items: [Diagnostic]) { self.items = items }

    public var hasErrors: Bool { items.contains { $0.kind == .error } }
    public var isIO: Bool { items.contains { $0.kind == .error && $0.isIO } }

    public func text(_ lang: Language) -> String { items.map { $0.text(lang) }.joined(separator: "\n") }
}

/// Collects diagnostics while a file is checked, so all of them are reported at once.
public struct DiagnosticCollector: Sendable {
    public private(set) var items: [Diagnostic] = []
    public init() {}

    public mutating func error(_ at: Position?, _ message: Message, suggestion: Message? = nil, io: Bool = false) {
        items.append(Diagnostic(.error, at: at, message, suggestion: suggestion, isIO: io))
    }

    public mutating func warning(_ at: Position?, _ message: Message) {
        items.append(Diagnostic(.warning, at: at, message))
    }

    public mutating func append(_ other: Diagnostics) { items += other.items }

    public func throwIfErrors() throws(Diagnostics) {
        if items.contains(where: { $0.kind == .error }) { throw Diagnostics(items) }
    }
}
