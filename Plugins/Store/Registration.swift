import TaizhangCore

/// The store's plugins. The CLI calls this once at start-up.
public enum StorePlugins {
    public static func register(into registry: inout Registry) {
        registry.register(StoreWriterPlugin.plugin)
        registry.register(StoreReaderPlugin.plugin)
    }
}
