import TaizhangCore

/// The built-in readers. The CLI calls this once at start-up.
public enum Readers {
    public static func register(into registry: inout Registry) {
        registry.register(issueTypes: ReaderIssueTypes.all)
        registry.register(CSVReaderPlugin.plugin)
        registry.register(JSONReaderPlugin.plugin)
        registry.register(XLSReaderPlugin.plugin)
        registry.register(XLSXReaderPlugin.plugin)
    }
}
