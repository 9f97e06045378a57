import TaizhangCore

/// The built-in writers. The CLI calls this once at start-up.
public enum Writers {
    public static func register(into registry: inout Registry) {
        registry.register(JSONWriterPlugin.plugin)
        registry.register(CSVWriterPlugin.plugin)
        registry.register(ReportWriterPlugin.plugin)
        registry.register(XLSXLedgerWriterPlugin.plugin)
        registry.register(IssueWorkbookWriterPlugin.plugin)
        registry.register(XLSXReturnWriterPlugin.plugin)
        registry.register(JSONReturnWriterPlugin.plugin)
        registry.register(XLSXTemplateWriterPlugin.plugin)
        registry.register(ReviewWorkbookWriterPlugin.plugin)
    }
}
