import Foundation
import Testing
import TaizhangCore
import ZIPFoundation
@testable import TaizhangReaders

/// The project's own workbooks (Tests/Fixtures/spreadsheets, written by make_spreadsheets.py):
/// every spreadsheet behaviour that matters is covered here, whether or not the shared corpora
/// are beside the repository.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/spreadsheets")

/// Every row of a sheet as the row source gives it, before header detection: (row number, cells).
func rawRows(_ name: String, sheet: String = "1") throws(SourceError) -> [(Int, [String])] {
    let path = fixtures.appendingPathComponent(name).path
    let source: any SheetRowSource = name.hasSuffix(".xlsx")
        ? try XLSXBook(path: path, display: name, maxUnpacked: 64 << 20).rows(sheet: sheet)
        : try XLSBook(path: path, display: name).rows(sheet: sheet)
    defer { source.close() }
    var out: [(Int, [String])] = []
    while let r = try source.nextRow() { out.append((r.number, r.cells)) }
    return out
}

func fixture(_ name: String, _ options: [String: String] = [:]) throws(SourceError) -> ReadResult {
    let plugin = name.hasSuffix(".xlsx") ? XLSXReaderPlugin.plugin : XLSReaderPlugin.plugin
    return try readAll(fixtures.appendingPathComponent(name).path, with: plugin, options: options)
}

@Suite struct SpreadsheetFixtureTests {
    /// 2021-01-02 and a duration of 10 days 15:10:10 ([hh]:mm:ss), in the 1900 and 1904 systems.
    @Test(arguments: ["date.xls", "date_1904.xls", "date.xlsx", "date_1904.xlsx"])
    func datesInBothSystems(_ file: String) throws {
        let rows = try rawRows(file).map { $0.1.filter { !$0.isEmpty } }
        // .xlsx gives the duration in hours; FreeXL gives .xls durations as the time of day.
        let duration = file.hasSuffix(".xlsx") ? "255:10:10" : "15:10:10"
        #expect(rows == [["2021-01-02", "16"], [duration, "17"]], "\(file)")
    }

    @Test func xlsFormulaCellsUseTheirSavedResultsAndErrorsAreReported() throws {
        #expect(try rawRows("formula.xls").map { $0.1.first ?? "" } == ["20", "110", "65", ""])
        let r = try fixture("formula.xls", ["header_row": "1"])
        #expect(r.issues.filter { $0.code == "formula-cached" }.count == 2)   // the rows under the header
        let err = try #require(r.issues.first { $0.code == "formula-error" })
        #expect(err.message.en.contains("#DIV/0!"))
        #expect(err.origin.column == "B" && err.origin.row == 4)
    }

    @Test func mergedRangesFillEveryCellTheSameInXlsAndXlsx() throws {
        let a = try fixture("merged.xls"), b = try fixture("merged.xlsx")
        #expect(a.header == ["Column", "Chunk", "X", "Y"])
        #expect(a.header == b.header)
        #expect(a.rows == b.rows)
        #expect(b.rows == Array(repeating: ["Column Merge", "Chunk Merged", "Chunk Merged", "Chunk Merged"], count: 3))
    }

    @Test(arguments: ["has_x000D_.xlsx", "has_x000D_inline.xlsx"])
    func xlsxEscapesInSharedAndInlineStrings(_ file: String) throws {
        #expect(try fixture(file).header == ["ABC\r\nDEF"])
    }

    @Test(arguments: ["sheets.xlsx", "sheets.xls"])
    func hiddenSheetsAreListedAndEverySheetIsRead(_ file: String) throws {
        let r = try fixture(file)
        #expect(r.issues.contains { $0.code == "hidden-sheets" && $0.message.en.contains("Hidden, VeryHidden") }, "\(file)")
        let plugin = file.hasSuffix(".xlsx") ? XLSXReaderPlugin.plugin : XLSReaderPlugin.plugin
        #expect(try plugin.sheets!(fixtures.appendingPathComponent(file).path, file) == ["Visible", "Hidden", "VeryHidden"])
        for sheet in ["Visible", "Hidden", "VeryHidden"] {
            #expect(try fixture(file, ["sheet": sheet]).rows == [["1"], ["2"], ["3"]], "\(file)[\(sheet)]")
        }
    }

    @Test(arguments: [("encrypted.xlsx", "encrypted"), ("not_a_workbook.xlsx", "not an Excel workbook")])
    func refusedWithAReason(_ file: String, _ words: String) {
        let e = #expect(throws: SourceError.self) { try fixture(file) }
        #expect(e?.message.en.contains(words) == true, "\(file): \(e?.message.en ?? "")")
        #expect(e?.origin.file == file)
    }

    /// Two 30,000-character strings referenced by 200,000 cells: 6 GB of text from a 460 KB file.
    /// Refused at the budget — 16 × (6,698,113 bytes of sheet XML + ~180 KB of shared strings)
    /// ≈ 104 MB — naming the file, sheet and row, long before memory runs out.
    @Test func aStringAmplificationWorkbookIsRefusedNotATrap() {
        let e = #expect(throws: SourceError.self) { try fixture("amplified.xlsx") }
        #expect(e?.message.zh.contains("工作表展开后的文字超过 104 MB") == true, "\(e?.message.zh ?? "")")
        #expect(e?.origin.file == "amplified.xlsx" && e?.origin.sheet != nil && (e?.origin.row ?? 0) > 1)
        #expect(e?.suggestion?.zh.contains("max_unpacked_mb") == true)
    }
}

/// Workbooks built here to be hostile: references past the sheet's end, hundreds of thousands of merges.
@Suite struct HostileWorkbookTests {
    /// A minimal .xlsx whose first sheet's XML is `sheet`.
    static func workbook(_ s: Scratch, _ name: String, sheet: String) throws -> String {
        let path = s.url.appendingPathComponent(name)
        let archive = try Archive(url: path, accessMode: .create)
        let parts = [
            ("xl/workbook.xml", #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>"#),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        for (n, text) in parts {
            let d = Data(text.utf8)
            try archive.addEntry(with: n, type: .file, uncompressedSize: Int64(d.count), compressionMethod: .deflate) { pos, size in d.subdata(in: Int(pos)..<Int(pos) + size) }
        }
        return path.path
    }

    static let ns = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#

    @Test(arguments: ["AAAAAA2", "A99999999", "XFE2"])
    func aCellReferencePastTheSheetIsRefusedNamingIt(_ ref: String) throws {
        let s = Scratch()
        let path = try Self.workbook(s, "far.xlsx", sheet: Self.ns + #"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="\#(ref)" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#)
        let started = Date()
        let e = #expect(throws: SourceError.self) { try readAll(path, with: XLSXReaderPlugin.plugin) }
        #expect(e?.message.zh == "单元格引用「\(ref)」超出Excel 工作表的范围（最大 XFD1048576），文件已损坏", "\(e?.message.zh ?? "")")
        #expect(e?.origin.file == "far.xlsx" && e?.origin.sheet == "S")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// A row numbered -5 or 0 (no such row in Excel) is refused, not "skipped by skip_rows".
    @Test(arguments: ["-5", "0", "1048577"])
    func aRowNumberOutsideTheSheetIsRefusedNamingIt(_ r: String) throws {
        let s = Scratch()
        let path = try Self.workbook(s, "rows.xlsx", sheet: Self.ns + #"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="\#(r)"><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#)
        let e = #expect(throws: SourceError.self) { try readAll(path, with: XLSXReaderPlugin.plugin) }
        #expect(e?.message.zh == "单元格引用「\(r)」超出Excel 工作表的范围（最大 XFD1048576），文件已损坏", "\(e?.message.zh ?? "")")
    }

    /// 200,000 merged ranges (two cells each, one per row): linear, not 200,000 × 200,000.
    @Test func manyMergedRangesAreFilledInLinearTime() throws {
        let s = Scratch()
        var rows = #"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>备注</t></is></c></row>"#
        var merges = ""
        for r in 2...200_001 {
            rows += #"<row r="\#(r)"><c r="A\#(r)" t="inlineStr"><is><t>v\#(r)</t></is></c></row>"#
            merges += #"<mergeCell ref="A\#(r):B\#(r)"/>"#
        }
        let path = try Self.workbook(s, "merges.xlsx", sheet: Self.ns + "<sheetData>" + rows + #"</sheetData><mergeCells count="200000">"# + merges + "</mergeCells></worksheet>")
        let started = Date()
        let r = try readAll(path, with: XLSXReaderPlugin.plugin, batchSize: 4096)
        #expect(r.rows.count == 200_000)
        #expect(r.rows[0] == ["v2", "v2"] && r.rows[199_999] == ["v200001", "v200001"])
        #expect(Date().timeIntervalSince(started) < 60, "merges must not cost rows × ranges")
    }
}

extension HostileWorkbookTests {
    /// A workbook opening on a notes sheet (or a hidden one): with no `sheet:` asked for, the first
    /// sheet whose header names ledger fields is read, and an info says which.
    @Test func theFirstSheetWithALedgerHeaderIsRead() throws {
        let s = Scratch()
        let path = s.url.appendingPathComponent("two.xlsx")
        let archive = try Archive(url: path, accessMode: .create)
        func inline(_ ref: String, _ t: String) -> String { #"<c r="\#(ref)" t="inlineStr"><is><t>\#(t)</t></is></c>"# }
        let parts = [
            ("xl/workbook.xml", #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="说明" sheetId="1"/><sheet name="台账" sheetId="2"/></sheets></workbook>"#),
            ("xl/worksheets/sheet1.xml", Self.ns + "<sheetData><row r=\"1\">" + inline("A1", "本表说明") + "</row></sheetData></worksheet>"),
            ("xl/worksheets/sheet2.xml", Self.ns + "<sheetData><row r=\"1\">" + inline("A1", "姓名") + inline("B1", "性别") + "</row><row r=\"2\">" + inline("A2", "张三") + inline("B2", "男") + "</row></sheetData></worksheet>"),
        ]
        for (n, text) in parts {
            let d = Data(text.utf8)
            try archive.addEntry(with: n, type: .file, uncompressedSize: Int64(d.count), compressionMethod: .deflate) { pos, size in d.subdata(in: Int(pos)..<Int(pos) + size) }
        }
        let schema = Schema(name: "t", fields: [Field(name: "姓名"), Field(name: "性别")])
        let r = try readAll(path.path, with: XLSXReaderPlugin.plugin, schema: schema)
        #expect(r.header == ["姓名", "性别"] && r.rows == [["张三", "男"]])
        #expect(r.issues.contains { $0.code == "sheet-chosen" && $0.origin.sheet == "台账" })
        let asked = try readAll(path.path, with: XLSXReaderPlugin.plugin, options: ["sheet": "说明"], schema: schema)
        #expect(asked.rows.isEmpty, "sheet: still reads the sheet asked for")
    }
}
