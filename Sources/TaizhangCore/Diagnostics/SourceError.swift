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
