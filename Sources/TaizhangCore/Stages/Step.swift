/// A step over batches: a normaliser changes values, a validator reports issues.
/// Steps are created once per run and may keep state across batches (e.g. `unique`).
public protocol Step: AnyObject {
    func process(_ batch: inout Batch) throws
}
