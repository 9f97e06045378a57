/// A small table a plugin reads whole beside the pipeline's inputs — a filled review sheet, a
/// code list — through whichever registered reader handles the file's name, so a step need not
/// know CSV from XLSX. Rows are the reader's data rows (header detection included).
public struct SideTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Spreadsheet row (or line) number of each row.
    public var rowNumbers: [Int]

    /// The value of `column` (a header) in row `r`, or nil when there is no such column.
    public func value(_ r: Int, _ column: String) -> String? {
        guard let c = header.firstIndex(of: column), c < rows[r].count else { return nil }
        return rows[r][c]
    }

    public static func read(path: String, display: String, registry: Registry, language: Language = .zh) throws(SourceError) -> SideTable {
        guard let plugin = registry.reader(forFile: path) else {
            throw SourceError(Origin(file: display), Message(zh: "不知道如何读取此文件（按扩展名找不到读取插件）", en: "no reader handles this file's name"))
        }
        let options = Options.strings(["path": path], spec: plugin.spec)
        let reader = try plugin.open(path, display, options, PluginContext(schema: Schema(name: "side-table", fields: []), language: language))
        defer { reader.close() }
        var table = SideTable(header: reader.header, rows: [], rowNumbers: [])
        try reader.drain(display: display) { batch in
            for r in 0..<batch.count {
                table.rows.append((0..<batch.fieldCount).map { batch.string(row: r, field: $0) })
                table.rowNumbers.append(batch.rowNumbers[r])
            }
        }
        return table
    }
}
