import Foundation
import TaizhangCore
import CFreeXL

/// `read: xls` — Excel 97-2003 workbooks (BIFF8, and BIFF5/Excel 95 where FreeXL reads them;
/// WPS .et files are the same format) through FreeXL.
///
/// - `sheet`: a name, a 1-based index, or `all` (each sheet becomes its own source).
/// - The header is found by the schema's aliases below any title rows (or given by `header_row`);
///   a two-row merged header is joined as 上/下 and matched by its last part.
/// - Dates come as YYYY-MM-DD (FreeXL applies the 1900/1904 system); whole numbers without ".0";
///   numbers of 16+ digits as Excel keeps them (1.10105198503120E+17), so lost ID digits are
///   reported downstream rather than invented.
/// - Formula cells: FreeXL reads them blank, so the reader finds their saved results itself
///   (`Support/BIFFFormulas.swift`), uses them, and says so; a formula with an error or no saved
///   result is a warning on that cell.
/// - Merged ranges (which FreeXL does not expose) are read by the same scan, and each range's
///   value is given to all its cells.
/// - FreeXL's quirk of answering OK with no handle, encrypted files and corrupt files are errors.
public enum XLSReaderPlugin {
    public static let spec = PluginSpec(
        name: "xls", kind: .reader,
        summary: Message(zh: "读取 Excel 97-2003 工作簿（.xls，FreeXL），含 WPS .et；自动识别标题行与多行表头", en: "Reads Excel 97-2003 workbooks (.xls, FreeXL) incl. WPS .et; finds title rows and two-row headers"),
        options: [
            OptionSpec("path", .inputPath, required: true, doc: Message(zh: "文件路径", en: "file path")),
            OptionSpec("sheet", .string, doc: Message(zh: "工作表：名称、序号（从 1 起）或 all（全部）；不写时取第一个有台账表头的工作表", en: "sheet: a name, a 1-based index, or all; without it, the first sheet whose header names ledger fields")),
            OptionSpec("header_row", .integer, default: "0", doc: Message(zh: "表头行号；0 表示按模式别名自动查找", en: "header row number; 0 finds it by the schema's aliases")),
            OptionSpec("skip_rows", .integer, default: "0", doc: Message(zh: "先跳过的行数", en: "rows to pass over first")),
        ],
        file: "Plugins/Readers/XLSReader.swift")

    /// FreeXL runs in this process (library users, the fuzz harness).
    public static let plugin = plugin(freeXLIn: nil)

    /// `helper`, run as `helper __freexl-dump FILE [SHEET]`, answers with ``childMain(_:)``: FreeXL
    /// then runs in a child process, so a crash or hang inside it is an error on that file. The CLI
    /// passes itself.
    public static func plugin(freeXLIn helper: String?) -> ReaderPlugin {
        ReaderPlugin(spec: spec, extensions: ["xls", "et"], sniff: { $0.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) }, sheets: { path, display throws(SourceError) in
            let book = try XLSBook(path: path, display: display, helper: helper)
            // Every worksheet (charts and macro sheets hold no rows).
            return book.sheetNames.indices.filter { book.kind(of: $0) == 0 }.map { book.sheetNames[$0] }
        }) { path, display, options, context throws(SourceError) in
            try open(path, display, options, context, helper: helper)
        }
    }

    static func open(_ path: String, _ display: String, _ options: Options, _ context: PluginContext, helper: String?) throws(SourceError) -> any SourceReader {
        let book = try XLSBook(path: path, display: display, helper: helper)
        func open(_ sheet: String) throws(SourceError) -> SheetTableReader {
            try SheetTableReader(source: try book.rows(sheet: sheet), display: display, schema: context.schema,
                                 headerRow: options.int("header_row") ?? 0, skipRows: options.int("skip_rows") ?? 0)
        }
        if options.has("sheet") { return try open(options.string("sheet") ?? "1") }
        let worksheets = book.sheetNames.indices.filter { book.kind(of: $0) == 0 }.map { (name: book.sheetNames[$0], hidden: book.isHidden($0)) }
        return try SheetTableReader.firstWithHeader(worksheets, display: display, open: open)
    }
}

extension XLSReaderPlugin {
    /// The child's side: when `arguments` (without the program name) start with the hidden command,
    /// the exit status to end with; otherwise nil.
    public static func childMain(_ arguments: [String]) -> Int32? {
        guard arguments.first == FreeXLIsolation.command else { return nil }
        return FreeXLIsolation.childMain(Array(arguments.dropFirst()))
    }
}

/// An open .xls: the checks FreeXL needs first, then what FreeXL reads of it
/// (`Support/FreeXLIsolation.swift`: in a child process when the CLI runs us).
final class XLSBook {
    let path: String
    let display: String
    let sheetNames: [String]
    let scan: [BIFFFormulas.Sheet]?
    private let helper: String?

    init(path: String, display: String, helper: String? = nil) throws(SourceError) {
        self.path = path
        self.display = display
        self.helper = helper
        // FreeXL 1.0.6 trusts lengths it reads from the file (found by fuzzing; fuzz/regressions/xls):
        // a directory entry's name, read past its stack buffer, and a FORMAT or LABEL string, copied
        // past its record. Both are checked first, on one mapping of the file.
        let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let (tooLong, stream) = data?.withUnsafeBytes { raw in
            (CompoundFile.directoryNameTooLong(raw), CompoundFile(raw)?.stream(named: ["workbook", "book"]))
        } ?? (nil, nil)
        if let bad = tooLong {
            throw SourceError(Origin(file: display), Message(zh: "文件结构损坏：OLE2 目录项名称长度为 \(bad)（最多 64）", en: "the file is corrupted: an OLE2 directory entry declares a name of \(bad) bytes (at most 64)"),
                              suggestion: XLSBook.saveAgain)
        }
        if let stream, let record = BIFFFormulas.stringOverrun(stream) {
            throw SourceError(Origin(file: display), Message(zh: "文件结构损坏：记录中的文字长度超出记录本身（\(record)）", en: "the file is corrupted: a string runs past the end of its record (\(record))"),
                              suggestion: XLSBook.saveAgain)
        }
        let book = try XLSBook.load(path: path, sheet: nil, display: display, helper: helper)
        guard book.openCode == FREEXL_OK else {
            throw SourceError(Origin(file: display), XLSBook.message(book.openCode), suggestion: XLSBook.saveAgain)
        }
        if book.encrypted {
            throw SourceError(Origin(file: display), Message(zh: "工作簿有密码保护（已加密），无法读取", en: "the workbook is password-protected (encrypted) and cannot be read"),
                              suggestion: Message(zh: "去掉密码后另存一份再导入", en: "remove the password and save a copy"))
        }
        sheetNames = book.sheetNames.enumerated().map { $0.element ?? "Sheet\($0.offset + 1)" }
        scan = stream.flatMap(BIFFFormulas.sheets)
    }

    static let saveAgain = Message(zh: "用 Excel 或 WPS 打开后另存为 .xls 或 .xlsx 再试", en: "open it in Excel or WPS and save it again as .xls or .xlsx")

    /// FreeXL's reading of the file, with what can go wrong in the child said in the user's terms.
    private static func load(path: String, sheet: Int?, display: String, helper: String?) throws(SourceError) -> Dump {
        do {
            return try FreeXLIsolation.load(path: path, sheet: sheet, helper: helper)
        } catch {
            throw failure(error, display: display)
        }
    }

    private static func failure(_ error: FreeXLIsolation.Failure, display: String) -> SourceError {
        switch error {
        case .crashed(let signal):
            return SourceError(Origin(file: display), Message(zh: "FreeXL 读取此文件时崩溃（信号 \(signal)），文件结构可能已损坏；读取在独立进程中进行，其他文件不受影响", en: "FreeXL crashed reading this file (signal \(signal)); the file is probably damaged. It was read in a separate process, so nothing else is affected"),
                              suggestion: saveAgain)
        case .timedOut(let seconds):
            return SourceError(Origin(file: display), Message(zh: "FreeXL 在 \(seconds) 秒内没有读完此文件，已停止；文件结构可能已损坏", en: "FreeXL did not finish reading this file in \(seconds) s and was stopped; the file is probably damaged"),
                              suggestion: saveAgain)
        case .incomplete(let status):
            return SourceError(Origin(file: display), Message(zh: "读取 .xls 的子进程没有给出完整结果（退出码 \(status)）", en: "the process reading the .xls gave an incomplete result (exit status \(status))"),
                              suggestion: saveAgain)
        case .cannotStart(let why):
            return SourceError(Origin(file: display), Message(zh: "无法启动读取 .xls 的子进程：\(why)", en: "cannot start the process that reads the .xls: \(why)"))
        }
    }

    /// True for a hidden or very hidden sheet, when the scan could tell.
    func isHidden(_ index: Int) -> Bool { (scan.flatMap { index < $0.count ? $0[index].visibility : nil } ?? 0) != 0 }

    /// BOUNDSHEET type of a sheet (0 worksheet, 2 chart, 6 macro), when the scan could tell.
    func kind(of index: Int) -> Int { scan.flatMap { index < $0.count ? $0[index].kind : nil } ?? 0 }

    func rows(sheet: String) throws(SourceError) -> XLSRows {
        let index: Int
        if let i = sheetNames.firstIndex(of: sheet) { index = i } else if let n = Int(sheet), n >= 1, n <= sheetNames.count { index = n - 1 } else {
            throw SourceError(Origin(file: display), Message(zh: "没有工作表「\(sheet)」；有：\(sheetNames.joined(separator: "、"))", en: "no sheet '\(sheet)'; there are: \(sheetNames.joined(separator: ", "))"),
                              suggestion: Suggest.didYouMean(sheet, sheetNames))
        }
        if kind(of: index) != 0 {
            throw SourceError(Origin(file: display, sheet: sheetNames[index]), Message(zh: "「\(sheetNames[index])」是图表或宏工作表，没有数据行", en: "'\(sheetNames[index])' is a chart or macro sheet and holds no rows"))
        }
        let cells = try XLSBook.load(path: path, sheet: index, display: display, helper: helper)
        guard cells.openCode == FREEXL_OK, cells.selectCode == FREEXL_OK else {
            throw SourceError(Origin(file: display, sheet: sheetNames[index]), Message(zh: "无法打开该工作表", en: "cannot open the sheet"))
        }
        let found = scan.flatMap { index < $0.count ? $0[index] : nil } ?? BIFFFormulas.Sheet()
        let hidden = sheetNames.indices.filter { i in (scan.flatMap { i < $0.count ? $0[i].visibility : nil } ?? 0) != 0 }.map { sheetNames[$0] }
        return XLSRows(book: self, cells: cells, sheet: sheetNames[index], scan: found, scanned: scan != nil, hidden: hidden)
    }

    static func message(_ rc: Int32) -> Message {
        switch rc {
        case FREEXL_FILE_NOT_FOUND: return Message(zh: "文件不存在或无法打开", en: "file not found or cannot be opened")
        case FREEXL_NULL_HANDLE: return Message(zh: "FreeXL 无法读取此文件（返回空句柄），文件可能已损坏", en: "FreeXL could not read the file (it returned no handle); the file may be damaged")
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE:
            return Message(zh: "不是 Excel 97-2003（.xls）文件；若是 .xlsx，请用 read: xlsx", en: "not an Excel 97-2003 (.xls) file; for .xlsx use read: xlsx")
        case FREEXL_INSUFFICIENT_MEMORY: return Message(zh: "文件声明的大小异常，拒绝读取（可能是恶意或损坏的文件）", en: "the file declares impossible sizes; refused (damaged or hostile file)")
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND: return Message(zh: "文件中没有工作簿数据", en: "the file holds no workbook stream")
        case FREEXL_UNSUPPORTED_CHARSET, FREEXL_INVALID_CHARACTER: return Message(zh: "文件的字符编码无法识别", en: "the file's character set is not supported")
        case FREEXL_CRAFTED_FILE: return Message(zh: "文件结构严重损坏", en: "the file is severely corrupted")
        default: return Message(zh: "无法读取 .xls 文件（FreeXL 错误 \(rc)），文件可能已损坏", en: "cannot read the .xls file (FreeXL error \(rc)); it may be damaged")
        }
    }
}

/// The rows of one sheet of an .xls. Interior blank rows are passed on (and skipped as blank);
/// blank rows after the last row with data are not rows at all.
final class XLSRows: SheetRowSource {
    let sheet: String?
    private(set) var openIssues: [Issue] = []
    private let book: XLSBook
    private var dump: Dump
    private let formulas: [BIFFFormulas.Cell: BIFFFormulas.Result]
    private var merges: MergeFiller
    private var next = 0
    private var blanks: [SheetRow] = []
    let textBudget: Int

    init(book: XLSBook, cells: Dump, sheet: String, scan: BIFFFormulas.Sheet, scanned: Bool, hidden: [String]) {
        self.book = book
        self.dump = cells
        self.sheet = sheet
        self.formulas = scan.formulas
        self.merges = MergeFiller(scan.merges)
        let stored = (try? FileManager.default.attributesOfItem(atPath: book.path)[.size] as? Int) ?? 0
        textBudget = SheetTextBudget.forStored(stored, ceiling: 2 << 30)
        if !hidden.isEmpty {
            openIssues.append(Issue(code: "hidden-sheets", severity: .info, origin: Origin(file: book.display),
                                    message: Message(zh: "工作簿有隐藏的工作表：\(hidden.joined(separator: "、"))（用 sheet: all 或按名称读取）", en: "the workbook has hidden sheets: \(hidden.joined(separator: ", ")) (read them with sheet: all or by name)"),
                                    personal: false))
        }
        if !scanned {
            openIssues.append(Issue(code: "formula-scan-failed", severity: .warning, origin: Origin(file: book.display, sheet: sheet),
                                    message: Message(zh: "无法检查公式单元格；若有公式，其值可能显示为空", en: "formula cells could not be checked; formulas may read as blank"), personal: false))
        }
    }

    func nextRow() throws(SourceError) -> SheetRow? {
        if !blanks.isEmpty { return blanks.removeFirst() }
        while let values = dump.nextRow() {
            let r = next
            next += 1
            var cells: [String] = []
            var notes: [CellNote] = []
            cells.reserveCapacity(values.count)
            for (c, value) in values.enumerated() {
                var text = ""
                switch value {
                case .int(let i): text = String(i)
                case .double(let d): text = SpreadsheetValues.text(d)
                case .text(let t): text = t
                case .blank:
                    if let f = formulas[BIFFFormulas.Cell(row: r, column: c)] {
                        switch f {
                        case .number(let d): text = SpreadsheetValues.text(d)
                        case .text(let s): text = s
                        case .boolean(let b): text = b ? "TRUE" : "FALSE"
                        case .error(let e):
                            notes.append(CellNote(column: c, code: "formula-error", severity: .warning,
                                                  message: Message(zh: "公式单元格的结果是错误值 \(SpreadsheetValues.errorText(e))，按空值处理", en: "the formula's result is the error \(SpreadsheetValues.errorText(e)); taken as blank")))
                        case .empty: break
                        }
                        if !text.isEmpty {
                            notes.append(CellNote(column: c, code: "formula-cached", severity: .info,
                                                  message: Message(zh: "公式单元格，取其保存的计算结果", en: "a formula cell: its saved result is used"), value: text))
                        }
                    }
                }
                cells.append(text)
            }
            merges.fill(&cells, row: r)
            while let last = cells.last, last.isEmpty { cells.removeLast() }
            let row = SheetRow(number: r + 1, cells: cells, notes: notes)
            if cells.isEmpty && notes.isEmpty {
                blanks.append(row)
                continue
            }
            if !blanks.isEmpty {
                blanks.append(row)
                return blanks.removeFirst()
            }
            return row
        }
        if let e = dump.cellError {
            throw SourceError(Origin(file: book.display, sheet: sheet, row: e.row + 1, column: Origin.columnLetter(e.column)), XLSBook.message(e.code))
        }
        blanks.removeAll()   // trailing blank rows: not rows
        return nil
    }

    func close() {}
}
