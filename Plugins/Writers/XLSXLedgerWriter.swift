import Foundation
import TaizhangCore
import CXLSXWriter

/// `write: xlsx-ledger` — the clean standard ledger as an Excel workbook (libxlsxwriter,
/// constant-memory mode, streamed). Sheet 台账: the canonical columns, bold header frozen at the
/// top, a filter on it, printed landscape one page wide; widths fitted to the first rows; every
/// value as text (ID numbers and phones keep every digit) except integer/number fields (numbers),
/// date fields (full dates as Excel dates; a year-month stays text) and the serial field (序号,
/// numbered 1, 2, 3… afresh, since the ledgers combined each had their own), with 来源文件 and
/// 来源行 saying where each row came from; when the schema has a field that identifies a person
/// (公民身份号码), a 人员编号 column numbers persons, so one person's rows share a number.
/// Sheet 修改记录: every value a normaliser changed —
/// file, row, column, field, original, canonical value, rule — so a migration shows what changed.
/// Over 1,048,576 rows a table continues on 台账(2).
public enum XLSXLedgerWriterPlugin {
    public static let spec = PluginSpec(
        name: "xlsx-ledger", kind: .writer,
        summary: Message(zh: "写出标准台账 XLSX（含「修改记录」工作表），流式写入", en: "Writes the standard ledger as XLSX (with a sheet of changes), streamed"),
        options: [
            OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径（.xlsx）", en: "output file (.xlsx)")),
            OptionSpec("rows", .choice(RowSelection.allCases.map(\.rawValue)), default: "accepted",
                       doc: Message(zh: "写哪些行：accepted、quarantined、all", en: "which rows: accepted, quarantined or all")),
            OptionSpec("sheet", .string, default: "台账", doc: Message(zh: "数据工作表名称", en: "name of the data sheet")),
            OptionSpec("changes", .boolean, default: "true", doc: Message(zh: "附「修改记录」工作表", en: "add the sheet of changes")),
            OptionSpec("origin", .boolean, default: "true", doc: Message(zh: "加「来源文件」「来源行」两列", en: "add source file and row columns")),
        ],
        file: "Plugins/Writers/XLSXLedgerWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, layout, context in
        try XLSXLedgerWriter(path: path, options: options, layout: layout, context: context)
    }
}

final class XLSXLedgerWriter: Writer {
    private let book: XLSXWorkbook
    private let rows: RowSelection
    private let layout: Layout
    private let numeric: [Bool]
    private let dates: [Bool]
    private let serial: [Bool]
    private var serialNumber = 0
    /// The field that identifies a person, and the number each person got, by a 64-bit hash of the
    /// value (12 bytes a person; two values colliding among a million is a chance of 10⁻⁸).
    private let identity: Int?
    private var persons: [UInt64: UInt32] = [:]
    private var lastPerson: UInt32 = 0
    private let seed = UInt64.random(in: 1...UInt64.max)
    private let withOrigin: Bool
    private let withChanges: Bool
    private let sheetName: String
    private let language: Language
    private var data: SheetTable?
    private var changes: SheetTable?
    private let header: UnsafeMutablePointer<lxw_format>
    private let text: UnsafeMutablePointer<lxw_format>
    private let date: UnsafeMutablePointer<lxw_format>

    init(path: String, options: Options, layout: Layout, context: PluginContext) throws {
        book = try XLSXWorkbook(path: path, constantMemory: true)
        rows = RowSelection(rawValue: options.string("rows") ?? "accepted") ?? .accepted
        self.layout = layout
        numeric = (0..<layout.count).map { [.integer, .number].contains(layout.field(at: $0)?.type ?? .text) }
        dates = (0..<layout.count).map { layout.field(at: $0)?.type == .date }
        serial = (0..<layout.count).map { layout.field(at: $0)?.type == .serial }
        withOrigin = options.has("origin") ? options.bool("origin") : true
        identity = layout.schema.fields.firstIndex(where: \.identifies)
        withChanges = options.has("changes") ? options.bool("changes") : true
        sheetName = options.string("sheet") ?? "台账"
        language = context.language
        header = book.format { f in format_set_bold(f); format_set_bg_color(f, 0xDDEBF7); format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        text = book.format { f in format_set_num_format(f, "@") }
        date = book.format { f in format_set_num_format(f, "yyyy-mm-dd") }
    }

    private var zh: Bool { language == .zh }

    func write(_ batch: Batch) throws {
        if data == nil {
            // Widths from the header and the first rows (fixed once: constant-memory mode streams).
            var widths = layout.names.map { XLSXWorkbook.width($0) + 2 }
            for r in 0..<min(batch.count, 200) {
                for f in 0..<batch.fieldCount { widths[f] = max(widths[f], min(40, XLSXWorkbook.width(batch.string(row: r, field: f)) + 2)) }
            }
            var names = layout.names
            if identity != nil { names += [zh ? "人员编号" : "person"]; widths += [10] }
            if withOrigin { names += zh ? ["来源文件", "来源行"] : ["source file", "source row"]; widths += [max(24, min(60, XLSXWorkbook.width(batch.source.file) + 12)), 8] }
            data = try SheetTable(book: book, name: sheetName, header: names, headerFormat: header, widths: widths)
            if let identity {
                let field = layout.names[identity]
                worksheet_write_comment(data!.sheet, 0, lxw_col_t(batch.fieldCount), XLSXWorkbook.escape(zh
                    ? "人员编号相同的各行是同一个人（「\(field)」相同）；「\(field)」为空的行各算一人。"
                    : "Rows with the same number are one person (the same \(field)); a row without \(field) is a person of its own."))
            }
            if withChanges {
                let h = zh ? ["来源文件", "行号", "列", "字段", "原值", "规范值", "规则"] : ["file", "row", "column", "field", "original", "canonical", "rule"]
                changes = try SheetTable(book: book, name: zh ? "修改记录" : "changes", header: h, headerFormat: header, widths: [max(24, min(60, XLSXWorkbook.width(batch.source.file) + 12)), 8, 6, 14, 28, 28, 24])
            }
        }
        guard let data else { return }
        for r in 0..<batch.count where rows.includes(hasError: batch.hasError[r]) {
            let out = try data.nextRow()
            serialNumber += 1
            for f in 0..<batch.fieldCount where serial[f] { XLSXWorkbook.writeNumber(data.sheet, out, f, Double(serialNumber)) }
            for f in 0..<batch.fieldCount where !batch.isEmpty(row: r, field: f) && !serial[f] {
                let v = batch.string(row: r, field: f)
                if dates[f], let d = XLSXWorkbook.isoDate(v) {
                    var dt = lxw_datetime(year: Int32(d.year), month: Int32(d.month), day: Int32(d.day), hour: 0, min: 0, sec: 0)
                    worksheet_write_datetime(data.sheet, lxw_row_t(out), lxw_col_t(f), &dt, date)
                } else if numeric[f], let d = Double(v), d.isFinite {
                    XLSXWorkbook.writeNumber(data.sheet, out, f, d)
                } else {
                    XLSXWorkbook.writeText(data.sheet, out, f, v, text)
                }
            }
            var column = batch.fieldCount
            if let identity {
                XLSXWorkbook.writeNumber(data.sheet, out, column, Double(person(batch, row: r, field: identity)))
                column += 1
            }
            if withOrigin {
                XLSXWorkbook.writeText(data.sheet, out, column, batch.source.file)
                XLSXWorkbook.writeNumber(data.sheet, out, column + 1, Double(batch.rowNumbers[r]))
            }
        }
        if let changes {
            for c in batch.changes where rows.includes(hasError: batch.hasError[c.row]) {
                let out = try changes.nextRow()
                let o = batch.origin(row: c.row, field: c.field)
                XLSXWorkbook.writeText(changes.sheet, out, 0, o.file)
                XLSXWorkbook.writeNumber(changes.sheet, out, 1, Double(o.row ?? 0))
                XLSXWorkbook.writeText(changes.sheet, out, 2, o.column ?? "")
                XLSXWorkbook.writeText(changes.sheet, out, 3, layout.names[c.field])
                XLSXWorkbook.writeText(changes.sheet, out, 4, c.original, text)
                XLSXWorkbook.writeText(changes.sheet, out, 5, batch.string(row: c.row, field: c.field), text)
                XLSXWorkbook.writeText(changes.sheet, out, 6, c.rule.text(language))
            }
        }
    }

    /// The person number of a row: the same value of the identifying field, the same number.
    private func person(_ batch: Batch, row r: Int, field f: Int) -> UInt32 {
        guard !batch.isEmpty(row: r, field: f) else { lastPerson += 1; return lastPerson }
        // FNV-1a, seeded per run, then mixed (splitmix64's finaliser).
        var h = seed ^ 0xcbf29ce484222325
        batch.withBytes(row: r, field: f) { v in for b in v { h = (h ^ UInt64(b)) &* 0x100000001b3 } }
        h = (h ^ (h >> 30)) &* 0xbf58476d1ce4e5b9
        h = (h ^ (h >> 27)) &* 0x94d049bb133111eb
        h ^= h >> 31
        if let n = persons[h] { return n }
        lastPerson += 1
        persons[h] = lastPerson
        return lastPerson
    }

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        if data == nil {
            data = try SheetTable(book: book, name: sheetName, header: layout.names, headerFormat: header, widths: layout.names.map { XLSXWorkbook.width($0) + 2 })
        }
        data?.finish()
        changes?.finish()
        return [try book.seal()]
    }

    func abort() { book.abort() }
}
