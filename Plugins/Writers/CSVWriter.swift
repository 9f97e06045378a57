import TaizhangCore

/// `write: csv` — the records as CSV, streamed. UTF-8 with a BOM by default, so Excel on a
/// Chinese Windows opens it correctly. Text that a spreadsheet would run as a formula
/// (starting with = + - @, tab or CR) is prefixed with `'`, unless `protect_formulas: false`.
public enum CSVWriterPlugin {
    public static let spec = PluginSpec(
        name: "csv", kind: .writer,
        summary: Message(zh: "写出 CSV（默认 UTF-8 带 BOM，Excel 可直接打开）", en: "Writes CSV (UTF-8 with BOM by default, opens in Excel)"),
        options: [
            OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径", en: "output file path")),
            OptionSpec("rows", .choice(RowSelection.allCases.map(\.rawValue)), default: "accepted",
                       doc: Message(zh: "写哪些行：accepted、quarantined、all", en: "which rows: accepted, quarantined or all")),
            OptionSpec("delimiter", .string, default: ",", doc: Message(zh: "分隔符（tab 表示制表符）", en: "delimiter (tab for a tab)")),
            OptionSpec("bom", .boolean, default: "true", doc: Message(zh: "写 UTF-8 BOM（Excel 需要）", en: "write a UTF-8 BOM (Excel needs it)")),
            OptionSpec("protect_formulas", .boolean, default: "true", doc: Message(zh: "以 = + - @ 开头的文本前加 '，防止被当作公式", en: "prefix text starting with = + - @ with ' so it is not run as a formula")),
            OptionSpec("excel_safe", .boolean, default: "true", doc: Message(zh: "长数字串（身份证号、电话、以 0 开头的编号）前加制表符，使 Excel/WPS 打开时按文字显示、不丢位；不是公式", en: "a tab before long digit strings (ID numbers, phones, codes with a leading 0) so Excel/WPS open them as text without losing digits; not a formula")),
            OptionSpec("issues", .boolean, default: "false", doc: Message(zh: "增加一列「问题」，列出每行的问题", en: "add a column listing each row's issues")),
        ],
        file: "Plugins/Writers/CSVWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, layout, context in
        try CSVWriter(path: path, options: options, layout: layout, context: context)
    }
}

final class CSVWriter: Writer {
    private let out: OutputFile
    private let rows: RowSelection
    private let delimiter: UInt8
    private let protect: Bool
    private let excelSafe: Bool
    private let withIssues: Bool
    private let numeric: [Bool]
    private let language: Language
    private var line: [UInt8] = []

    init(path: String, options: Options, layout: Layout, context: PluginContext) throws {
        out = try OutputFile(path: path)
        rows = RowSelection(rawValue: options.string("rows") ?? "accepted") ?? .accepted
        let d = options.string("delimiter") ?? ","
        delimiter = d == "tab" || d == "\t" ? 0x09 : d.utf8.first ?? 0x2C
        protect = options.has("protect_formulas") ? options.bool("protect_formulas") : true
        excelSafe = options.has("excel_safe") ? options.bool("excel_safe") : true
        withIssues = options.bool("issues")
        language = context.language
        numeric = (0..<layout.count).map { [.integer, .number].contains(layout.field(at: $0)?.type ?? .text) }
        if options.has("bom") ? options.bool("bom") : true { try out.write([0xEF, 0xBB, 0xBF]) }
        var names = layout.names
        if withIssues { names.append(language == .zh ? "问题" : "issues") }
        for (i, n) in names.enumerated() {
            if i > 0 { line.append(delimiter) }
            var s = n
            s.withUTF8 { append($0, numeric: false) }
        }
        line.append(0x0A)
        try out.write(line)
    }

    func write(_ batch: Batch) throws {
        var rowIssues: [Int: [String]] = [:]
        if withIssues {
            for (k, r) in batch.issueRowIndex.enumerated() where r >= 0 {
                let i = batch.issues[k]
                rowIssues[r, default: []].append("[\(i.code)] " + (i.field.map { "\($0): " } ?? "") + i.message.text(language))
            }
        }
        line.removeAll(keepingCapacity: true)
        for r in 0..<batch.count where rows.includes(hasError: batch.hasError[r]) {
            for f in 0..<batch.fieldCount {
                if f > 0 { line.append(delimiter) }
                batch.withBytes(row: r, field: f) { append($0, numeric: numeric[f]) }
            }
            if withIssues {
                line.append(delimiter)
                var s = (rowIssues[r] ?? []).joined(separator: "；")
                s.withUTF8 { append($0, numeric: false) }
            }
            line.append(0x0A)
        }
        try out.write(line)
    }

    private func append(_ v: UnsafeBufferPointer<UInt8>, numeric: Bool) {
        var needsQuote = false
        for b in v where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D { needsQuote = true; break }
        if let f = v.first, f == 0x20 || v.last == 0x20 { needsQuote = true }
        let dangerous = protect && !numeric && v.first.map { [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains($0) } == true
        let digits = excelSafe && !numeric && !dangerous && Self.losesDigitsInExcel(v)
        if dangerous || digits { needsQuote = true }
        if !needsQuote { line.append(contentsOf: v); return }
        line.append(0x22)
        if dangerous { line.append(0x27) }
        if digits { line.append(0x09) }
        for b in v {
            if b == 0x22 { line.append(0x22) }
            line.append(b)
        }
        line.append(0x22)
    }

    /// Digits Excel, WPS and LibreOffice would turn into a number and spoil: 12 or more (they keep
    /// 15 significant digits and show 1.10105E+17), an ID number ending in X, or a leading 0 (lost).
    static func losesDigitsInExcel(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        guard v.count >= 2, let first = v.first, first >= 0x30 && first <= 0x39 else { return false }
        var n = 0
        for (k, b) in v.enumerated() {
            if b >= 0x30 && b <= 0x39 { n += 1; continue }
            if (b == 0x58 || b == 0x78) && k == v.count - 1 && v.count == 18 { continue }
            return false
        }
        return n >= 12 || first == 0x30 || v.count == 18
    }

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] { [try out.seal()] }
    func abort() { out.abort() }
}
