/// A step that cannot go on (an outside program that stopped answering, say). Ends the run with
/// exit code 3 and the message; no output is written.
public struct StepFailure: Error, Sendable {
    public var message: Message
    public init(_ message: Message) { self.message = message }
}
