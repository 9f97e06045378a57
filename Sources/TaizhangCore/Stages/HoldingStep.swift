/// A step that must see every row before it can decide about any (keep the most complete of a
/// person's records, merge their fields). It keeps the batches it chooses to and gives them back,
/// changed, once every source is read; the steps after it and the writers see them then, in the
/// order they came. Holding costs memory, so a step holds only when its options need it.
public protocol HoldingStep: Step {
    /// Called after `process`: true when the step keeps this batch until `release`.
    func hold(_ batch: Batch) -> Bool
    /// The held batches, in the order they were held, with the step's final decisions made.
    func release() throws -> [Batch]
}
