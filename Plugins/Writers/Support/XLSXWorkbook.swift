import Foundation
import TaizhangCore
import CXLSXWriter
#if canImport(Glibc)
import Glibc
#endif

/// A libxlsxwriter workbook written into an ``AtomicOutput``'s temporary file; `seal()` closes it
/// and hands the output to the run, which puts it in place. Owns the C handle; `abort()` is safe twice.
/// Handles libxlsxwriter's pitfalls: text is always written as text (never a formula), a literal
/// `_xHHHH_` is escaped so Excel shows it as written, strings are cut at Excel's 32,767
/// characters, NaN/Inf are never written as numbers, sheet names are made legal, and the
/// document's created time is fixed so the same input gives byte-identical files.
final class XLSXWorkbook {
    let path: String
    let output: AtomicOutput
    private let scratch: String
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var sheetNames: Set<String> = []
    private var tmpdir: [CChar]

    static let maxRows = 1_048_576
    /// Columns a sheet holds (A … XFD): a cell past them would be left out without a word.
    static let maxColumns = 16_384

    /// The error for a table wider than a sheet.
    func tooWide(_ columns: Int) -> OutputError {
        OutputError(path: path, reason: "有 \(columns) 列，超过 Excel 工作表的 16,384 列，写不进 .xlsx（可写成 CSV 或 JSON） / \(columns) columns, more than an Excel sheet's 16,384: write CSV or JSON instead")
    }
    static let maxText = 32_767

    init(path: String, constantMemory: Bool) throws {
        self.path = path
        output = try AtomicOutput(path: path)
        output.handOver()
        let temporaryPath = output.temporaryPath
        // libxlsxwriter's own scratch files go in a folder of this output's, so an interrupted run
        // removes them with the output's temporary file (and a later run, those of a dead one).
        scratch = temporaryPath + ".d"
        if mkdir(scratch, 0o700) != 0 { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        TemporaryFiles.shared.add(scratch)
        tmpdir = Array(scratch.utf8CString)
        var opts = lxw_workbook_options()
        opts.constant_memory = constantMemory ? 1 : 0
        opts.use_zip64 = 1
        let wb = tmpdir.withUnsafeMutableBufferPointer { buf -> UnsafeMutablePointer<lxw_workbook>? in
            opts.tmpdir = buf.baseAddress
            return workbook_new_opt(temporaryPath, &opts)
        }
        guard let wb else {
            try? FileManager.default.removeItem(atPath: scratch)
            TemporaryFiles.shared.remove(scratch)
            output.abort()
            throw OutputError(path: path, reason: "libxlsxwriter could not create the workbook")
        }
        workbook = wb
        var props = lxw_doc_properties()
        props.created = 946_684_800   // 2000-01-01: fixed, so output is byte-identical for the same input
        workbook_set_properties(wb, &props)
    }

    private func removeScratch() {
        try? FileManager.default.removeItem(atPath: scratch)
        TemporaryFiles.shared.remove(scratch)
    }

    // A sealed workbook's output belongs to the run's commit now; only an unsealed one is discarded.
    deinit { if workbook != nil { abort() } }

    /// Adds a worksheet with a legal, unique name (≤ 31 characters, none of []:*?/\).
    func addSheet(_ wanted: String) throws -> UnsafeMutablePointer<lxw_worksheet> { try addNamedSheet(wanted).0 }

    /// A new sheet, named as wanted as far as Excel allows (31 characters, no []:*?/\\, each name once).
    /// Streaming (`constantMemory`), each sheet holds a temporary file open until the workbook is
    /// sealed: past the open files the system allows, it is an error, not a trap.
    func addNamedSheet(_ wanted: String) throws -> (UnsafeMutablePointer<lxw_worksheet>, String) {
        var name = String(XMLForbidden.removing(from: wanted).0.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        if name.isEmpty { name = "Sheet" }
        var n = 2
        let base = name
        while sheetNames.contains(name) {
            let suffix = "(\(n))"
            name = String(base.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        sheetNames.insert(name)
        guard let sheet = workbook_add_worksheet(workbook, name) else {
            throw OutputError(path: path, reason: "无法为第 \(sheetNames.count) 张工作表「\(name)」打开临时文件（打开的文件太多？可用 ulimit -n 调高上限） / cannot open a temporary file for sheet \(sheetNames.count), '\(name)' (too many open files?)")
        }
        return (sheet, name)
    }

    /// A chart of the given type (`LXW_CHART_BAR` …), to be inserted into a sheet.
    func chart(_ type: lxw_chart_type) -> UnsafeMutablePointer<lxw_chart> {
        workbook_add_chart(workbook, UInt8(type.rawValue))
    }

    func format(_ configure: (UnsafeMutablePointer<lxw_format>) -> Void) -> UnsafeMutablePointer<lxw_format> {
        let f = workbook_add_format(workbook)!
        format_set_font_name(f, "宋体")
        format_set_font_size(f, 11)
        configure(f)
        return f
    }

    /// Text as text: escaped and cut to Excel's limit. Never a formula, whatever it starts with.
    static func writeText(_ sheet: UnsafeMutablePointer<lxw_worksheet>, _ row: Int, _ col: Int, _ text: String,
                          _ format: UnsafeMutablePointer<lxw_format>? = nil) {
        if text.isEmpty {
            if let format { worksheet_write_blank(sheet, lxw_row_t(row), lxw_col_t(col), format) }
            return
        }
        var t = escape(text)
        // Excel's limit counts characters as libxlsxwriter does (code points), not graphemes.
        if t.utf8.count > maxText, t.unicodeScalars.count > maxText {
            var u = String.UnicodeScalarView()
            u.append(contentsOf: t.unicodeScalars.prefix(maxText - 1))
            t = String(u) + "…"
        }
        worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(col), t, format)
    }

    static func writeNumber(_ sheet: UnsafeMutablePointer<lxw_worksheet>, _ row: Int, _ col: Int, _ value: Double,
                            _ format: UnsafeMutablePointer<lxw_format>? = nil) {
        guard value.isFinite else { writeText(sheet, row, col, String(value), format); return }
        worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(col), value, format)
    }

    /// Excel reads `_xHHHH_` in text as an escaped character; write the underscore as `_x005F_`
    /// so the text shows as written.
    /// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE, U+FFFF) are written as
    /// `_xHHHH_` too, so no text can make the file ill-formed (cells had them removed on reading;
    /// this covers every other text: unit names, messages, headers).
    /// A full ISO date (1985-03-12) Excel can hold as a date (1900-01-01 to 9999-12-31), else nil.
    static func isoDate(_ s: String) -> (year: Int, month: Int, day: Int)? {
        let b = Array(s.utf8)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
              let y = Int(s.prefix(4)), let m = Int(s.dropFirst(5).prefix(2)), let d = Int(s.suffix(2)),
              b.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || (0x30...0x39).contains($0.element) }),
              y >= 1900, (1...12).contains(m) else { return nil }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d) ? (y, m, d) : nil
    }

    /// Printed on A4, one page wide (as long as it needs), landscape or not.
    static func printOnA4(_ sheet: UnsafeMutablePointer<lxw_worksheet>, landscape: Bool) {
        if landscape { worksheet_set_landscape(sheet) }
        worksheet_set_paper(sheet, 9)
        worksheet_fit_to_pages(sheet, 1, 0)
    }

    static func escape(_ s: String) -> String {
        var t = s
        // Nearly every cell needs nothing: one pass over its bytes says so.
        let plain = t.withUTF8 { b in
            guard !XMLForbidden.contains(UnsafeRawBufferPointer(b)) else { return false }
            var i = 0
            while i + 1 < b.count {
                if b[i] == 0x5F && b[i + 1] == 0x78 { return false }   // _x
                i += 1
            }
            return true
        }
        if plain { return t }
        if t.containsBytes(of: "_x") {
            t = t.replacingOccurrences(of: #"_(x[0-9A-Fa-f]{4}_)"#, with: "_x005F_$1", options: .regularExpression)
        }
        guard t.unicodeScalars.contains(where: XMLForbidden.isForbidden) else { return t }
        var out = ""
        for u in t.unicodeScalars {
            if XMLForbidden.isForbidden(u) {
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
            } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Display width of text in Excel's column units (CJK characters count two).
    static func width(_ s: String) -> Double {
        Double(s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) })
    }

    /// Closes the workbook into the temporary file and syncs it: ready to be put in place.
    func seal() throws -> AtomicOutput {
        guard let wb = workbook else { return output }
        workbook = nil
        // libxlsxwriter creates the file by its name here: not while an interrupt removes temporaries.
        let err = TemporaryFiles.shared.whileHoldingInterrupts { workbook_close(wb) }
        removeScratch()
        if err != LXW_NO_ERROR {
            output.abort()
            throw OutputError(path: path, reason: String(cString: lxw_strerror(err)))
        }
        try output.seal()
        return output
    }

    func abort() {
        if let wb = workbook {
            workbook = nil
            // libxlsxwriter has no "discard": close into the temporary file, then remove it.
            _ = TemporaryFiles.shared.whileHoldingInterrupts { workbook_close(wb) }
        }
        removeScratch()
        output.abort()
    }
}

/// A table that continues on a new sheet ("台账(2)") when it reaches Excel's row limit, each
/// sheet with the same header row, frozen below it.
final class SheetTable {
    private let book: XLSXWorkbook
    private let name: String
    private let header: [String]
    private let headerFormat: UnsafeMutablePointer<lxw_format>?
    private let widths: [Double]
    private(set) var sheet: UnsafeMutablePointer<lxw_worksheet>
    private(set) var row = 1
    /// The name of the current sheet (for A1 references).
    private(set) var sheetName: String

    init(book: XLSXWorkbook, name: String, header: [String], headerFormat: UnsafeMutablePointer<lxw_format>?, widths: [Double]) throws {
        guard header.count <= XLSXWorkbook.maxColumns else { throw book.tooWide(header.count) }
        self.book = book
        self.name = name
        self.header = header
        self.headerFormat = headerFormat
        self.widths = widths
        (sheet, sheetName) = try book.addNamedSheet(name)
        start()
    }

    private func start() {
        for (c, h) in header.enumerated() {
            XLSXWorkbook.writeText(sheet, 0, c, h, headerFormat)
            worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), c < widths.count ? widths[c] : 12, nil)
        }
        worksheet_freeze_panes(sheet, 1, 0)
        // Printed as a clerk prints a list: A4 landscape, one page wide, the header on every page.
        XLSXWorkbook.printOnA4(sheet, landscape: true)
        worksheet_repeat_rows(sheet, 0, 0)
        row = 1
    }

    /// A filter on the header of the sheet being written (called when it is full, and at the end).
    func finish() {
        guard !header.isEmpty else { return }
        worksheet_autofilter(sheet, 0, 0, lxw_row_t(max(0, row - 1)), lxw_col_t(header.count - 1))
    }

    /// The row to write next; moves to a new sheet when the current one is full.
    func nextRow() throws -> Int {
        if row >= XLSXWorkbook.maxRows {
            finish()
            (sheet, sheetName) = try book.addNamedSheet(name)
            start()
        }
        defer { row += 1 }
        return row
    }
}
