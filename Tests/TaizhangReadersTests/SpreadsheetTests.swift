import Foundation
import Testing
import TaizhangCore
import ZIPFoundation
@testable import TaizhangReaders

let spreadsheets = corporaRoot.appendingPathComponent("spreadsheets")

func corpusFiles(_ ext: String) -> [String] {
    let fm = FileManager.default
    guard let e = fm.enumerator(atPath: spreadsheets.path) else { return [] }
    return e.compactMap { $0 as? String }.filter { $0.lowercased().hasSuffix("." + ext) }.sorted()
}

func read(_ relative: String, _ options: [String: String] = [:], schema: Schema = .open()) throws(SourceError) -> ReadResult {
    let path = spreadsheets.appendingPathComponent(relative).path
    let plugin = relative.hasSuffix(".xlsx") ? XLSXReaderPlugin.plugin : XLSReaderPlugin.plugin
    return try readAll(path, with: plugin, options: options, schema: schema)
}

/// Every .xls and .xlsx of the shared corpora is read, or refused with a clear error naming the
/// file; none crashes or hangs. (A hang would hit the suite's time limit: it is a guard, not a
/// speed test.)
@Suite(needsCorpora, .timeLimit(.minutes(2))) struct SpreadsheetConformanceTests {
    @Test func corpusIsWhole() {
        #expect(corpusFiles("xls").count > 40 && corpusFiles("xlsx").count > 50, "\(spreadsheets.path) is incomplete")
    }

    @Test(arguments: corpusFiles("xls") + corpusFiles("xlsx"))
    func readOrRefusedClearly(_ file: String) {
        do {
            let r = try read(file)
            #expect(r.read == r.rows.count + r.skipped.count, "\(file): nothing lost")
        } catch {
            #expect(error.origin.file == URL(fileURLWithPath: file).lastPathComponent)
            #expect(!error.message.zh.isEmpty && !error.message.en.isEmpty)
        }
    }
}

@Suite(needsCorpora) struct SpreadsheetValueTests {
    @Test(arguments: ["calamine/date.xls", "calamine/date_1904.xls", "calamine/date.xlsx", "calamine/date_1904.xlsx"])
    func datesInBothSystems(_ file: String) throws {
        let r = try read(file)
        // 10.632 days formatted [hh]:mm:ss: a duration of 255 hours in .xlsx; FreeXL gives the time of day.
        let duration = file.hasSuffix(".xlsx") ? "255:10:10" : "15:10:10"
        #expect(r.rows.map { $0.filter { !$0.isEmpty } } == [["2021-01-02", "16"], [duration, "17"]], "\(file)")
    }

    @Test func xlsFormulaCellsUseTheirSavedResults() throws {
        let r = try read("calamine/xls_formula.xls")
        #expect(r.rows.map { $0[0] } == ["20", "110", "65"])
        #expect(r.issues.filter { $0.code == "formula-cached" }.count == 3)
        let sj = try read("xlrd/formula_test_sjmachin.xls")
        let err = try #require(sj.issues.first { $0.code == "formula-error" })
        #expect(err.message.en.contains("#DIV/0!"))
        #expect(err.origin.column == "B" && err.origin.row == 7)
    }

    @Test(arguments: ["merged_range", "merge_cells"])
    func mergedCellsAreFilledTheSameInXlsAndXlsx(_ name: String) throws {
        let a = try read("calamine/\(name).xls"), b = try read("calamine/\(name).xlsx")
        #expect(a.rows == b.rows)
        #expect(a.header == b.header)
    }

    @Test func mergedRangeValueReachesEveryCell() throws {
        let r = try read("calamine/merge_cells.xlsx")
        #expect(r.rows.allSatisfy { $0[1] == "Chunk Merged" && $0[3] == "Chunk Merged" })
        #expect(r.rows.map { $0[0] } == ["Column Merge", "Column Merge", "Column Merge"])
    }

    @Test func xlsxEscapesAndInlineStrings() throws {
        #expect(try read("calamine/has_x000D_.xlsx").header == ["ABC\r\nDEF"])
        #expect(try read("calamine/has_x000D_inline.xlsx").header == ["ABC\r\nDEF"])
        #expect(XLSXBook.unescape("a_x005F_x0041_b") == "a_x0041_b")
    }

    @Test func hiddenSheetsAreListedAndAllSheetsRead() throws {
        let r = try read("calamine/any_sheets.xlsx")
        #expect(r.issues.contains { $0.code == "hidden-sheets" && $0.message.en.contains("Hidden, VeryHidden") })
        let names = try XLSXReaderPlugin.plugin.sheets!(spreadsheets.appendingPathComponent("calamine/any_sheets.xlsx").path, "x")
        #expect(names == ["Visible", "Hidden", "VeryHidden"])   // the chart sheet holds no rows
        let xlsNames = try XLSReaderPlugin.plugin.sheets!(spreadsheets.appendingPathComponent("calamine/any_sheets.xls").path, "x")
        #expect(xlsNames == ["Visible", "Hidden", "VeryHidden"])
    }

    @Test func sheetByNameWithDidYouMean() throws {
        let e = #expect(throws: SourceError.self) { try read("calamine/any_sheets.xlsx", ["sheet": "Visibel"]) }
        #expect(e?.suggestion?.en.contains("Visible") == true)
        #expect(try read("calamine/any_sheets.xlsx", ["sheet": "Visible"]).rows.count == 3)
    }

    @Test(arguments: [("calamine/pass_protected.xlsx", "encrypted"), ("calamine/issue_530.xlsx", "not an Excel workbook"),
                      ("calamine/biff5_write.xls", "FreeXL"), ("xlrd/biff4_no_format_no_window2.xls", "not an Excel 97-2003")])
    func refusedWithAReason(_ file: String, _ words: String) {
        let e = #expect(throws: SourceError.self) { try read(file) }
        #expect(e?.message.en.contains(words) == true, "\(file): \(e?.message.en ?? "")")
    }
}

/// Guards and value rules that need no corpus.
@Suite struct SpreadsheetGuardTests {
    /// FreeXL 1.0.6 trusts a directory entry's name length and a FORMAT or LABEL string's length
    /// and reads past its buffers; the reader checks them first (the fuzzer's finds, and a
    /// hand-made one).
    @Test(arguments: FuzzRegressionTests.files.filter { $0.hasPrefix("xls/crash-") })
    func freeXLOverrunsAreRefusedBeforeFreeXL(_ file: String) throws {
        let s = Scratch()
        let path = s.file("input.xls", Array(try Data(contentsOf: fuzzRegressions.appendingPathComponent(file))))
        let e = #expect(throws: SourceError.self) { try readAll(path, with: XLSReaderPlugin.plugin) }
        #expect(e?.message.en.hasPrefix("the file is corrupted: ") == true, "\(e?.message.en ?? "")")
    }

    @Test func handMadeOverlongDirectoryName() throws {
        var bytes = Array(try Data(contentsOf: fixtures.appendingPathComponent("date.xls")))
        let shift = Int(bytes[0x1E]), start = Int(bytes[0x30]) | Int(bytes[0x31]) << 8
        let second = (start + 1) << shift + 128 + 0x40   // the second entry of the first directory sector
        bytes[second] = 0x00; bytes[second + 1] = 0x40  // 16,384 bytes
        let s = Scratch()
        let e = #expect(throws: SourceError.self) { try readAll(s.file("long-name.xls", bytes), with: XLSReaderPlugin.plugin) }
        #expect(e?.message.zh.contains("目录项名称长度为 16384") == true, "\(e?.message.zh ?? "")")
        #expect(try fixture("date.xls", ["header_row": "1"]).rows.count == 1)
    }

    @Test func zipBombIsRefusedBeforeUnpacking() throws {
        let s = Scratch()
        let path = s.url.appendingPathComponent("bomb.xlsx")
        let archive = try Archive(url: path, accessMode: .create)
        let wb = Data(#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>"#.utf8)
        try archive.addEntry(with: "xl/workbook.xml", type: .file, uncompressedSize: Int64(wb.count), compressionMethod: .deflate) { pos, size in wb.subdata(in: Int(pos)..<Int(pos) + size) }
        let size: Int64 = 8 << 20
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: size, compressionMethod: .deflate) { _, n in Data(count: n) }
        let e = #expect(throws: SourceError.self) { try readAll(path.path, with: XLSXReaderPlugin.plugin, options: ["max_unpacked_mb": "1"]) }
        #expect(e?.message.en.contains("zip bomb") == true)
    }

    @Test(arguments: [(14, nil, true), (0, nil, false), (49, nil, false), (176, "yyyy\"年\"m\"月\"d\"日\"", true), (177, "0.00", false),
                      (178, "[$-F800]dddd, mmmm dd, yyyy", true), (179, "#,##0", false), (180, "h:mm", true), (181, "General", false), (182, "[Red]0.00", false)])
    func dateFormats(_ id: Int, _ code: String?, _ isDate: Bool) {
        #expect(XLSXBook.isDateFormat(id, code) == isDate)
    }

    @Test func numbersAsText() {
        #expect(SpreadsheetValues.text(110105198503120012) == "1.10105198503120E+17")
        #expect(SpreadsheetValues.text(13800138000) == "13800138000")
        #expect(SpreadsheetValues.text(42) == "42")
        #expect(SpreadsheetValues.text(0.5) == "0.5")
        #expect(XLSXRows.dateText(31118, date1904: false) == "1985-03-12")
        #expect(XLSXRows.dateText(29656, date1904: true) == "1985-03-12")
        #expect(XLSXRows.dateText(31118.5, date1904: false) == "1985-03-12 12:00:00")
    }
}
