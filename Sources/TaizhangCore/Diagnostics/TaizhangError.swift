/// How a command ends, as its exit status (README, "Exit codes"). One place for the numbers.
public enum ExitStatus: Int32, Sendable {
    /// Done.
    case done = 0
    /// Done, but data errors were found where the command says to fail on them.
    case dataErrors = 1
    /// The pipeline, a file it names or the command line is wrong.
    case usage = 2
    /// An input or output could not be read or written.
    case io = 3
    /// A bug of ours: a check that can never fail did.
    case internalError = 70
    /// Stopped by Ctrl-C, SIGTERM or SIGHUP.
    case interrupted = 130
}

/// Every error that reaches a user: what to print, in either language, and how the command
/// ends. The CLI turns any of them into text and an exit status in one function.
public protocol TaizhangError: Error {
    var exitStatus: ExitStatus { get }
    /// The full text, position first (`file:line:col: 错误: …`), in the given language.
    func text(_ lang: Language) -> String
}

extension Diagnostics: TaizhangError {
    public var exitStatus: ExitStatus { isIO ? .io : .usage }
}

extension SourceError: TaizhangError {
    public var exitStatus: ExitStatus { .io }
}

extension StepFailure: TaizhangError {
    public var exitStatus: ExitStatus { .io }
    public func text(_ lang: Language) -> String { (lang == .zh ? "错误：" : "error: ") + message.text(lang) }
}

extension OutputError: TaizhangError {
    public var exitStatus: ExitStatus { .io }
    public func text(_ lang: Language) -> String { (lang == .zh ? "错误：" : "error: ") + message.text(lang) }
}

/// A failure with a message and an exit status, for commands that are not pipelines (`merge`,
/// `init`): a file that is not what the command expects, an output that would overwrite an input.
public struct CommandError: TaizhangError, Sendable {
    public var message: Message
    public var suggestion: Message?
    public var exitStatus: ExitStatus
    public init(_ message: Message, _ status: ExitStatus, suggestion: Message? = nil) {
        self.message = message
        self.exitStatus = status
        self.suggestion = suggestion
    }
    public func text(_ lang: Language) -> String {
        var s = (lang == .zh ? "错误：" : "error: ") + message.text(lang)
        if let suggestion { s += lang == .zh ? "（\(suggestion.zh)）" : " (\(suggestion.en))" }
        return s
    }
}

/// A bug of ours, reported rather than trapped.
public struct InternalError: TaizhangError, Sendable {
    public var message: Message
    public init(_ message: Message) { self.message = message }
    public var exitStatus: ExitStatus { .internalError }
    public func text(_ lang: Language) -> String { (lang == .zh ? "内部错误：" : "internal error: ") + message.text(lang) }
}

extension Error {
    /// Any error as a ``TaizhangError`` (an unknown one is an internal error, never a crash).
    public var asTaizhangError: any TaizhangError {
        if let e = self as? any TaizhangError { return e }
        return InternalError(Message(zh: "\(self)", en: "\(self)"))
    }
}
