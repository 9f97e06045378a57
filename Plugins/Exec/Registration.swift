import TaizhangCore

/// Outside programs as plugins (JSON Lines over stdin/stdout).
public enum Exec {
    public static func register(into registry: inout Registry) {
        registry.register(ExecStepPlugin.plugin)
        registry.register(ExecReaderPlugin.plugin)
        registry.register(ExecWriterPlugin.plugin)
    }
}
