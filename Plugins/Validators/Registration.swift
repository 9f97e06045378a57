import TaizhangCore

/// The built-in generic validators. The CLI calls this once at start-up.
public enum Validators {
    public static func register(into registry: inout Registry) {
        registry.register(FieldsValidatorPlugin.plugin)
    }
}
