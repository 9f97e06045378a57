import TaizhangCore

/// The generic record-linkage step. The CLI calls this once at start-up.
public enum Linkage {
    public static func register(into registry: inout Registry) {
        registry.register(LinkPlugin.plugin)
    }
}
