/// A step that has something to hand over once every row has gone through it: tables for the
/// form writers, and issues about the whole run (a logic check that failed).
public protocol FinishingStep: Step {
    func finish(_ summary: RunSummary) throws -> (tables: [StatTable], issues: [Issue])
}
