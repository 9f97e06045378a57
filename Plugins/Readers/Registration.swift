import TaizhangCore

/// The built-in readers. The CLI calls this once at start-up.
public enum Readers {
    /// `freeXLHelper`: the executable .xls files are read in (see ``XLSReaderPlugin/plugin(freeXLIn:)``).
    public static func register(into registry: inout Registry, freeXLHelper: String? = nil) {
        registry.register(issueTypes: ReaderIssueTypes.all)
        registry.register(CSVReaderPlugin.plugin)
        registry.register(JSONReaderPlugin.plugin)
        registry.register(XLSReaderPlugin.plugin(freeXLIn: freeXLHelper))
        registry.register(XLSXReaderPlugin.plugin)
    }
}
