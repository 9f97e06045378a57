/// A step that must see rows before it can decide about them (keep the most complete of a
/// person's records, merge their fields; learn a model from the first rows). It keeps the batches it chooses to and gives them back,
/// changed, once every source is read; the steps after it and the writers see them then, in the
/// order they came. Holding costs memory, so a step holds only when its options need it.
public protocol HoldingStep: Step {
    /// Called after `process`: true when the step keeps this batch until `release`.
    func hold(_ batch: Batch) -> Bool
    /// Called after each batch from the sources has gone through the steps: the held batches,
    /// when the step no longer needs to hold them (one that learns from the first rows and then
    /// streams; one that works on each batch a round behind, on another thread); [] otherwise.
    /// Batches are given back in the order they were held, so the order the rows came in is kept.
    func releaseEarly() throws -> [Batch]
    /// The held batches, in the order they were held, with the step's final decisions made.
    func release() throws -> [Batch]
}

extension HoldingStep {
    public func releaseEarly() throws -> [Batch] { [] }
}
