/// A step that proposes pairs for review once every row has gone through.
public protocol ReviewingStep: Step {
    func reviewSets() -> [ReviewSet]
}
