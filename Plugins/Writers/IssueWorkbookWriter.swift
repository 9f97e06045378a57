import Foundation
import TaizhangCore
import CXLSXWriter

/// `write: issue-workbook` — a workbook a clerk can act on. Sheet 问题行-FILE, one per input file
/// with issues: its rows with issues at their own row numbers and column letters (F23 there is F23
/// in the clerk's file; other rows hidden), each offending cell filled (red: error, yellow:
/// warning) with a comment saying what is wrong and how to fix it, a 问题说明 column with all of
/// the row's issues; personal data outside the offending cells is masked. Sheet 问题清单: one line
/// per issue (level, code, file, row, column, field, message, suggestion) linking to its cell.
/// Sheet 汇总: the run's counts and the issues by type with their first cells. Sheet 说明: how to use it.
/// With `by: 所在社区`, one such workbook per community, so a street office hands each its own.
public enum IssueWorkbookWriterPlugin {
    public static let spec = PluginSpec(
        name: "issue-workbook", kind: .writer,
        summary: Message(zh: "写出问题工作簿：问题单元格标色并批注、问题清单（可跳转）、按类型汇总", en: "Writes an issue workbook: offending cells highlighted with comments, a linked issue list, a summary by type"),
        options: [
            OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径（.xlsx）", en: "output file (.xlsx)")),
            OptionSpec("min_severity", .choice(["info", "warning", "error"]), default: "warning", doc: Message(zh: "列入的最低问题级别", en: "least severity listed")),
            OptionSpec("by", .field, doc: Message(zh: "按此字段分册：每个值一本工作簿，文件名加上该值（如 by: 所在社区 → 问题清单-书院路社区.xlsx）",
                                                   en: "one workbook per value of this field, named after it (by: 所在社区 → 问题清单-书院路社区.xlsx)")),
        ],
        file: "Plugins/Writers/IssueWorkbookWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, layout, context in
        try IssueWorkbookWriter(path: path, options: options, layout: layout, context: context)
    }
}

final class IssueWorkbookWriter: Writer {
    private let path: String
    private let layout: Layout
    private let context: PluginContext
    private let minSeverity: Severity
    /// `by`: the field whose values split the workbooks, and its name.
    private let by: (index: Int, name: String)?
    private var books: [String: IssueBook] = [:]
    private var bookOrder: [String] = []
    /// Issues about a whole file (no row), kept until the end with the source they belong to.
    private var fileIssues: [(source: Int, issue: Issue)] = []
    /// Per source: the `by` values its rows carry, in first-seen order.
    private var sourceValues: [Int: [String]] = [:]

    static let maxBooks = 500

    init(path: String, options: Options, layout: Layout, context: PluginContext) throws {
        self.path = path
        self.layout = layout
        self.context = context
        minSeverity = Severity(rawValue: options.string("min_severity") ?? "warning") ?? .warning
        // The loader has checked that `by` names a field of the schema.
        by = options.string("by").flatMap { name in layout.index(of: name).map { ($0, name) } }
        // Workbooks named by value go beside a file, never onto standard output or a device.
        if by != nil && (AtomicOutput.namesStandardOutput(path) || FileIdentity.isSpecial(path)) {
            throw OutputError(path: path, reason: context.language == .zh ? "按 by: 分册时 path 必须是普通文件路径（每个值写一本，名称加在它后面）"
                                                                           : "with by:, path must be a regular file path (one workbook per value, named after it)")
        }
        if by == nil { _ = try book(for: "") }
    }

    private var zh: Bool { context.language == .zh }

    /// The workbook for one value of `by` ("" without `by`), made when first needed.
    private func book(for key: String) throws -> IssueBook {
        if let b = books[key] { return b }
        guard books.count < Self.maxBooks else {
            throw StepFailure(Message(zh: "「\(by!.name)」的不同取值超过 \(Self.maxBooks) 个，不能每个值写一本工作簿；请按社区等取值少的字段分册",
                                      en: "'\(by!.name)' has more than \(Self.maxBooks) values: too many workbooks; split by a field with few values, such as the community"))
        }
        var target = path
        var scope: String? = nil
        if let by {
            scope = key.isEmpty ? (zh ? "未填\(by.name)" : "no \(by.name)") : key
            target = Self.path(path, adding: scope!)
            // Two values that clean to one file name (a/b, a_b) get a workbook each.
            var n = 2
            while books.values.contains(where: { $0.path == target }) {
                target = Self.path(path, adding: scope!, suffix: "(\(n))")
                n += 1
            }
        }
        // One workbook streams its rows to disk as they come (a row of a sheet is written once, in
        // order: each sheet's rows are); with `by`, each of up to 500 keeps its cells in memory, as
        // streaming costs an open file a sheet.
        let b = try IssueBook(path: target, layout: layout, context: context, scope: scope.map { (by!.name, $0) }, streaming: by == nil)
        books[key] = b
        bookOrder.append(key)
        return b
    }

    /// `out/问题清单.xlsx` + 书院路社区 → `out/问题清单-书院路社区.xlsx`; characters a file name cannot hold become _.
    /// The value is cut to 120 bytes (a file name holds 255), whole characters only; `suffix` (2) is kept.
    static func path(_ path: String, adding value: String, suffix: String = "") -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let file = (path as NSString).lastPathComponent
        let ext = (file as NSString).pathExtension
        var clean = ""
        for c in value {
            let safe: Character = c.unicodeScalars.allSatisfy { $0.value >= 0x20 && !"/\\:*?\"<>|".unicodeScalars.contains($0) } ? c : "_"
            if clean.utf8.count + String(safe).utf8.count > 120 { break }
            clean.append(safe)
        }
        clean = clean.trimmingCharacters(in: .whitespaces)
        if clean.isEmpty || clean.hasPrefix(".") { clean = "_" + clean }
        var stem = (file as NSString).deletingPathExtension
        while stem.utf8.count > 100 { stem.removeLast() }
        let name = stem + "-" + clean + suffix + (ext.isEmpty ? "" : "." + ext)
        return dir.isEmpty ? name : (dir as NSString).appendingPathComponent(name)
    }

    func write(_ batch: Batch) throws {
        var perRow: [Int: [Issue]] = [:]
        var rowOrder: [Int] = []
        for (k, r) in batch.issueRowIndex.enumerated() where batch.issues[k].severity >= minSeverity {
            if r < 0 {
                // Without `by` it is listed where it comes; with `by`, once the file's workbooks are known.
                if by == nil { try book(for: "").list(batch.issues[k]) } else { fileIssues.append((batch.source.index, batch.issues[k])) }
                continue
            }
            if perRow[r] == nil { rowOrder.append(r) }
            perRow[r, default: []].append(batch.issues[k])
        }
        let originals = batch.originalValues()
        guard let by else {
            let b = try book(for: "")
            for r in 0..<batch.count { b.count(row: r, of: batch) }
            for r in rowOrder.sorted() { try b.add(row: r, of: batch, issues: perRow[r]!, originals: originals) }
            return
        }
        var seen = sourceValues[batch.source.index] ?? []
        for r in 0..<batch.count {
            let key = batch.string(row: r, field: by.index)
            if !seen.contains(key) { seen.append(key) }
            try book(for: key).count(row: r, of: batch)
        }
        sourceValues[batch.source.index] = seen
        for r in rowOrder.sorted() {
            try book(for: batch.string(row: r, field: by.index)).add(row: r, of: batch, issues: perRow[r]!, originals: originals)
        }
    }

    /// An issue about a whole file goes to every workbook that has rows of that file.
    private func settle() throws {
        for (source, issue) in fileIssues {
            let keys = by == nil ? [""] : (sourceValues[source] ?? [""])
            for k in keys { try book(for: k).list(issue) }
        }
        fileIssues = []
        if bookOrder.isEmpty { _ = try book(for: "") }
    }

    func outputPaths(declared: String) throws -> [String] {
        try settle()
        return bookOrder.map { books[$0]!.path }
    }

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        try settle()
        // Issues about the whole run (a failed logic check, a listed unit with no records, a person
        // not visited …): on the list, by where they point, with no cell of their own here.
        for issue in summary.runIssues where issue.severity >= minSeverity {
            for k in by == nil ? [""] : bookOrder { try book(for: k).list(issue) }
        }
        return try bookOrder.map { k throws in try books[k]!.finish(summary) }
    }

    func abort() { for b in books.values { b.abort() } }
}

/// One issue workbook: 汇总, 问题清单, a 问题行 sheet per file, 说明.
final class IssueBook {
    let path: String
    private let book: XLSXWorkbook
    private let layout: Layout
    private let language: Language
    private let issueTypes: [String: Message]
    private let masking: Masking
    /// With `by`: the field and the value this workbook holds.
    private let scope: (field: String, value: String)?
    private let summarySheet: UnsafeMutablePointer<lxw_worksheet>
    private let listTable: SheetTable
    private let fmt: (header: UnsafeMutablePointer<lxw_format>, error: UnsafeMutablePointer<lxw_format>, warning: UnsafeMutablePointer<lxw_format>,
                      info: UnsafeMutablePointer<lxw_format>, title: UnsafeMutablePointer<lxw_format>, link: UnsafeMutablePointer<lxw_format>,
                      text: UnsafeMutablePointer<lxw_format>, noteError: UnsafeMutablePointer<lxw_format>, noteWarning: UnsafeMutablePointer<lxw_format>,
                      noteInfo: UnsafeMutablePointer<lxw_format>, wrap: UnsafeMutablePointer<lxw_format>)
    /// Per issue code: severity, count, first message, and the first cell references.
    private var byCode: [String: (severity: Severity, count: Int, message: String, refs: [String])] = [:]
    private var order: [String] = []
    private var listed = 0
    /// This workbook's own rows (with `by`): read, and quarantined for an error.
    private var rowsRead = 0
    private var rowsQuarantined = 0
    private var severityCounts: [Severity: Int] = [:]
    /// Cell comments and list links written: each costs the workbook memory until it is sealed
    /// (a comment about a kilobyte), and Excel takes 65,530 links a sheet. Past these, a cell is
    /// coloured and its row's 问题说明 says it all; a list line gives its cell as text.
    private var comments = 0, links = 0
    static let commentLimit = 20_000, linkLimit = 65_530

    private var zh: Bool { language == .zh }

    init(path: String, layout: Layout, context: PluginContext, scope: (String, String)?, streaming: Bool) throws {
        book = try XLSXWorkbook(path: path, constantMemory: streaming)
        self.path = path
        self.layout = layout
        self.scope = scope
        language = context.language
        issueTypes = context.registry?.issueTypes ?? [:]
        masking = context.masking
        let header = book.format { f in format_set_bold(f); format_set_bg_color(f, 0xDDEBF7); format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        fmt = (header,
               book.format { f in format_set_bg_color(f, 0xFFC7CE); format_set_font_color(f, 0x9C0006); format_set_num_format(f, "@") },
               book.format { f in format_set_bg_color(f, 0xFFEB9C); format_set_font_color(f, 0x9C5700); format_set_num_format(f, "@") },
               book.format { f in format_set_bg_color(f, 0xDDEBF7); format_set_num_format(f, "@") },
               book.format { f in format_set_bold(f); format_set_font_name(f, "黑体"); format_set_font_size(f, 14) },
               book.format { f in format_set_font_color(f, 0x0563C1); format_set_underline(f, UInt8(LXW_UNDERLINE_SINGLE.rawValue)) },
               book.format { f in format_set_num_format(f, "@") },
               book.format { f in format_set_bg_color(f, 0xFFC7CE); format_set_font_color(f, 0x9C0006); format_set_text_wrap(f); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) },
               book.format { f in format_set_bg_color(f, 0xFFEB9C); format_set_font_color(f, 0x9C5700); format_set_text_wrap(f); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) },
               book.format { f in format_set_bg_color(f, 0xDDEBF7); format_set_text_wrap(f); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) },
               book.format { f in format_set_text_wrap(f); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) })
        let zh = context.language == .zh
        summarySheet = try book.addSheet(zh ? "汇总" : "summary")
        listTable = try SheetTable(book: book, name: zh ? "问题清单" : "issues",
                               header: zh ? ["级别", "代码", "文件", "工作表", "行", "列", "字段", "问题", "建议", "值", "位置"]
                                          : ["severity", "code", "file", "sheet", "row", "column", "field", "message", "suggestion", "value", "cell"],
                               headerFormat: header, widths: [6, 18, 24, 10, 6, 5, 12, 48, 36, 20, 14])
    }
    /// 问题行 for one source: the clerk's rows at their own row numbers and column letters (F23
    /// here is F23 in her file), the rows without issues hidden, a 问题说明 column after hers.
    private final class SourceSheet {
        let sheet: UnsafeMutablePointer<lxw_worksheet>
        let name: String
        /// The sheet in a reference: `'问题行-台账'!` for a link, `问题行-台账!` as a clerk reads it.
        let quoted: String, plain: String
        /// Layout column → sheet column (nil: the source has no such column).
        let column: [Int?]
        /// Where the issues of each row are written out (and where row-level issues link).
        let noteColumn: Int
        /// Record-based sources (JSON) have no letters or Excel rows: their rows follow one another.
        let sequential: Bool
        var nextRow: Int
        var lastRow = 0

        init(sheet: UnsafeMutablePointer<lxw_worksheet>, name: String, column: [Int?], noteColumn: Int, sequential: Bool, firstRow: Int) {
            self.sheet = sheet; self.name = name; self.column = column; self.noteColumn = noteColumn
            quoted = "'\(name)'!"; plain = IssueBook.unquoted(name) + "!"
            self.sequential = sequential; nextRow = firstRow; lastRow = firstRow - 1
        }
    }
    private var sourceSheets: [Int: SourceSheet] = [:]

    private func sourceSheet(for info: SourceInfo) throws -> SourceSheet {
        if let s = sourceSheets[info.index] { return s }
        let stem = ((info.file as NSString).lastPathComponent as NSString).deletingPathExtension
        let (sheet, name) = try book.addNamedSheet((zh ? "问题行-" : "rows-") + stem + (info.sheet.map { "-" + $0 } ?? ""))
        let sequential = info.recordBased || info.headerRow == nil
        var column = [Int?](repeating: nil, count: layout.count)
        var headerCells: [(Int, String)] = []
        if sequential {
            // Column A: the line or record number; then the source's columns in layout order.
            var next = 1
            for f in 0..<layout.count where info.headers[f] != nil {
                column[f] = next; headerCells.append((next, info.headers[f]!)); next += 1
            }
            headerCells.append((0, zh ? "行号" : "line"))
        } else {
            for f in 0..<layout.count {
                if let l = info.columnLetters[f], let c = Origin.columnIndex(l) { column[f] = c; headerCells.append((c, info.headers[f] ?? layout.names[f])) }
            }
        }
        let note = (headerCells.map(\.0).max() ?? -1) + 1
        headerCells.append((note, zh ? "问题说明" : "issues"))
        let headerRow = sequential ? 0 : info.headerRow! - 1
        for (c, h) in headerCells {
            XLSXWorkbook.writeText(sheet, headerRow, c, h, fmt.header)
            let f = column.firstIndex(of: c)
            let wide = f.map { layout.personal[$0] } ?? false
            worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), c == note ? 40 : max(wide ? 20 : 8, XLSXWorkbook.width(h) + 2), nil)
        }
        // Only the header and the rows written show; the row numbers are the file's own.
        if !sequential { worksheet_set_default_row(sheet, 15, UInt8(LXW_TRUE.rawValue)) }
        worksheet_freeze_panes(sheet, lxw_row_t(headerRow + 1), 0)
        XLSXWorkbook.printOnA4(sheet, landscape: true)
        worksheet_repeat_rows(sheet, lxw_row_t(headerRow), lxw_row_t(headerRow))
        worksheet_print_row_col_headers(sheet)
        let s = SourceSheet(sheet: sheet, name: name, column: column, noteColumn: note, sequential: sequential, firstRow: headerRow + 1)
        sourceSheets[info.index] = s
        return s
    }

    /// Counts a row of this workbook's part of the data (with `by`).
    func count(row r: Int, of batch: Batch) {
        rowsRead += 1
        if batch.hasError[r] { rowsQuarantined += 1 }
    }

    /// Writes a row with issues into the sheet of its file (the cells as the clerk wrote them:
    /// `originals`, from `Batch.originalValues`), and its issues into the list.
    func add(row r: Int, of batch: Batch, issues: [Issue], originals: [Int: String]) throws {
        let target = try sourceSheet(for: batch.source)
        let sheet = target.sheet
        let number = batch.rowNumbers[r]
        let out: Int
        if target.sequential {
            out = target.nextRow; target.nextRow += 1
            XLSXWorkbook.writeNumber(sheet, out, 0, Double(number))
        } else {
            out = number - 1
        }
        // A row Excel cannot hold (a CSV past 1,048,576 lines) is listed without a cell.
        guard out > target.lastRow || target.sequential, out < XLSXWorkbook.maxRows else {
            for i in issues { try list(i) }
            return
        }
        target.lastRow = out
        // Each issue's field in the layout, looked up once (not once a field).
        let fieldOf = issues.map { $0.field.flatMap(layout.index(of:)) }
        for f in 0..<batch.fieldCount {
            guard let c = target.column[f] else { continue }
            let cellIssues = zip(issues, fieldOf).filter { $0.1 == f }.map(\.0)
            var v = originals[r * batch.fieldCount + f] ?? batch.string(row: r, field: f)
            if cellIssues.isEmpty, layout.personal[f], !v.isEmpty { v = masking.apply(v) }
            if let w = worst(cellIssues) {
                XLSXWorkbook.writeText(sheet, out, c, v, format(w))
                if comments < Self.commentLimit { comment(sheet, out, c, cellIssues); comments += 1 }
            } else if !v.isEmpty {
                XLSXWorkbook.writeText(sheet, out, c, v, fmt.text)
            }
        }
        let parts = issues.map { "【\($0.severity.label(language))】" + ($0.field.map { "\($0)：" } ?? "") + $0.message.text(language) }
        // The row's issues, wrapped in their column; the row as tall as its lines.
        XLSXWorkbook.writeText(sheet, out, target.noteColumn, parts.joined(separator: "\n"), worst(issues).map(noteFormat))
        let lines = parts.reduce(0) { n, part in
            (part.utf8.contains(0x0A) ? part.split(separator: "\n").map(String.init) : [part]).reduce(n) { $0 + max(1, Int((XLSXWorkbook.width($1) / 40).rounded(.up))) }
        }
        if lines > 1 { worksheet_set_row(sheet, lxw_row_t(out), Double(15 * min(lines, 20)), nil) }
        for (k, i) in issues.enumerated() {
            let col = fieldOf[k].flatMap { target.column[$0] } ?? target.noteColumn
            try list(i, cell: (target, "\(Origin.columnLetter(col))\(out + 1)"))
        }
    }

    private func noteFormat(_ s: Severity) -> UnsafeMutablePointer<lxw_format> {
        s == .error ? fmt.noteError : s == .warning ? fmt.noteWarning : fmt.noteInfo
    }

    private func worst(_ issues: [Issue]) -> Severity? { issues.map(\.severity).max() }

    private func format(_ s: Severity) -> UnsafeMutablePointer<lxw_format> {
        s == .error ? fmt.error : s == .warning ? fmt.warning : fmt.info
    }

    private func comment(_ sheet: UnsafeMutablePointer<lxw_worksheet>, _ row: Int, _ col: Int, _ issues: [Issue]) {
        let text = issues.map { i in
            "【\(i.severity.label(language))】" + i.message.text(language) + (i.suggestion.map { (zh ? "\n建议：" : "\nFix: ") + $0.text(language) } ?? "")
        }.joined(separator: "\n")
        var opts = lxw_comment_options()
        opts.width = 320
        opts.height = UInt16(min(400, 40 + 18 * text.split(separator: "\n").count))
        worksheet_write_comment_opt(sheet, lxw_row_t(row), lxw_col_t(col), XLSXWorkbook.escape(String(text.prefix(30000))), &opts)
    }

    /// An issue on the list, with no cell of its own (about a file, or the whole run).
    func list(_ i: Issue) throws { try list(i, cell: nil) }

    /// `cell`: the issue's cell, on a 问题行 sheet (a link to it).
    private func list(_ i: Issue, cell: (sheet: SourceSheet, ref: String)?) throws {
        let out = try listTable.nextRow()
        let s = listTable.sheet
        XLSXWorkbook.writeText(s, out, 0, i.severity.label(language), format(i.severity))
        XLSXWorkbook.writeText(s, out, 1, i.code)
        XLSXWorkbook.writeText(s, out, 2, i.origin.file)
        XLSXWorkbook.writeText(s, out, 3, i.origin.sheet ?? "")
        if let row = i.origin.row { XLSXWorkbook.writeNumber(s, out, 4, Double(row)) }
        XLSXWorkbook.writeText(s, out, 5, i.origin.column ?? "")
        XLSXWorkbook.writeText(s, out, 6, i.field ?? "")
        XLSXWorkbook.writeText(s, out, 7, i.message.text(language))
        XLSXWorkbook.writeText(s, out, 8, i.suggestion?.text(language) ?? "")
        XLSXWorkbook.writeText(s, out, 9, i.value.map { i.shown($0, masking) } ?? "", fmt.text)
        let plain = cell.map { $0.sheet.plain + $0.ref }
        if let cell, let plain, links < Self.linkLimit {
            worksheet_write_url_opt(s, lxw_row_t(out), 10, "internal:" + cell.sheet.quoted + cell.ref, fmt.link, plain, nil)
            links += 1
        } else if let plain {
            XLSXWorkbook.writeText(s, out, 10, plain)
        }
        var code = byCode[i.code] ?? { order.append(i.code); return (i.severity, 0, i.message.text(language), []) }()
        code.count += 1
        code.severity = max(code.severity, i.severity)
        if let plain, code.refs.count < 10 { code.refs.append(plain) }
        byCode[i.code] = code
        listed += 1
        severityCounts[i.severity, default: 0] += 1
    }

    /// `'问题行-台账'!F23` as a clerk reads it.
    static func unquoted(_ cell: String) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: cell.unicodeScalars.lazy.filter { $0 != "'" })
        return String(s)
    }

    func finish(_ summary: RunSummary) throws -> AtomicOutput {
        let s = summarySheet
        XLSXWorkbook.writeText(s, 0, 0, (zh ? "问题汇总 — " : "Issue summary — ") + summary.pipeline + (scope.map { " — \($0.value)" } ?? ""), fmt.title)
        var counts: [(String, Int)]
        if scope != nil {
            // This workbook's part: its rows (rows skipped as non-data belong to no community).
            counts = zh ? [("读取行数", rowsRead), ("接受", rowsRead - rowsQuarantined), ("隔离（有错误）", rowsQuarantined)]
                        : [("rows read", rowsRead), ("accepted", rowsRead - rowsQuarantined), ("quarantined", rowsQuarantined)]
        } else {
            counts = zh ? [("读取行数", summary.read), ("接受", summary.accepted), ("隔离（有错误）", summary.quarantined), ("跳过（非数据行）", summary.skipped)]
                        : [("rows read", summary.read), ("accepted", summary.accepted), ("quarantined", summary.quarantined), ("skipped", summary.skipped)]
        }
        let errors = scope == nil ? summary.count(.error) : severityCounts[.error] ?? 0
        let warnings = scope == nil ? summary.count(.warning) : severityCounts[.warning] ?? 0
        counts += zh ? [("错误", errors), ("警告", warnings)] : [("errors", errors), ("warnings", warnings)]
        if let scope {
            XLSXWorkbook.writeText(s, 1, 0, zh ? "本工作簿只含「\(scope.field)」为「\(scope.value)」的行；全部数据见运行报告。"
                                               : "This workbook holds only the rows whose \(scope.field) is \(scope.value); the run report covers all data.")
        }
        for (k, c) in counts.enumerated() {
            XLSXWorkbook.writeText(s, 2 + k, 0, c.0, fmt.header)
            XLSXWorkbook.writeNumber(s, 2 + k, 1, Double(c.1))
        }
        let top = 3 + counts.count
        let head = zh ? ["代码", "问题类型", "级别", "数量", "说明（示例）", "位置（前 10 处）"] : ["code", "kind of issue", "severity", "count", "message (example)", "cells (first 10)"]
        for (c, h) in head.enumerated() { XLSXWorkbook.writeText(s, top, c, h, fmt.header) }
        let sorted = order.sorted { (byCode[$0]!.severity, byCode[$0]!.count) > (byCode[$1]!.severity, byCode[$1]!.count) }
        for (k, code) in sorted.enumerated() {
            let e = byCode[code]!
            XLSXWorkbook.writeText(s, top + 1 + k, 0, code)
            XLSXWorkbook.writeText(s, top + 1 + k, 1, issueTypes[code]?.text(language) ?? (zh ? "（外部程序或未登记的问题）" : "(from an outside program, or not registered)"))
            XLSXWorkbook.writeText(s, top + 1 + k, 2, e.severity.label(language), format(e.severity))
            XLSXWorkbook.writeNumber(s, top + 1 + k, 3, Double(e.count))
            XLSXWorkbook.writeText(s, top + 1 + k, 4, e.message)
            XLSXWorkbook.writeText(s, top + 1 + k, 5, e.refs.joined(separator: ", "))
        }
        if order.isEmpty { XLSXWorkbook.writeText(s, top + 1, 0, zh ? "没有问题" : "no issues") }
        worksheet_set_column(s, 0, 0, 22, nil)
        worksheet_set_column(s, 1, 1, 30, nil)
        worksheet_set_column(s, 2, 3, 10, nil)
        worksheet_set_column(s, 4, 4, 50, nil)
        worksheet_set_column(s, 5, 5, 60, nil)
        XLSXWorkbook.printOnA4(s, landscape: true)
        listTable.finish()
        try writeGuide()
        return try book.seal()
    }

    /// 说明: how to use the workbook, in the clerk's words.
    private func writeGuide() throws {
        let g = try book.addSheet(zh ? "说明" : "how to use")
        let lines = zh ? [
            "这本工作簿指出台账中的问题，本身不是台账：请在您自己的原文件中改正，改完后重新运行检查。",
            "「汇总」：各类问题的数量和说明；「问题清单」：每个问题一行，点「位置」跳到那个单元格；「问题行-文件名」：该文件中有问题的行。",
            "「问题行-文件名」中的行号和列字母与您的原文件相同：那里的 F23 就是您文件的 F23；没有问题的行不显示，最右边的「问题说明」列写着这一行的全部问题。",
            "颜色：红色 = 错误（这一行被隔离，不计入统计表和标准台账）；黄色 = 警告（保留，但请核实）；蓝色 = 提示。",
            "「问题清单」的「行」是原文件中的行号（Excel 左边的数字），不是台账里的「序号」。",
            "带 * 的值（如 110105********0012）是遮蔽后的个人信息，只为帮您找到那一行，不是数据；出问题的那个单元格显示原值。",
            "每个单元格的批注写着问题和改正建议（前 \(Self.commentLimit) 处；其余的单元格只标色，问题见该行的「问题说明」列）。「位置」的跳转链接最多 \(Self.linkLimit) 个，其余只写位置。",
        ] : [
            "This workbook points at problems in the ledger; it is not the ledger: correct your own file, then run the check again.",
            "summary: counts and meanings; issues: one line per issue, 'cell' links to the cell; rows-FILE: the rows of that file that have issues.",
            "In rows-FILE, row numbers and column letters are your file's own: F23 there is F23 in your file; rows without issues are hidden; the last column, 'issues', lists every issue of the row.",
            "Colours: red = error (the row is quarantined, left out of the return and the clean ledger); yellow = warning (kept; please check); blue = info.",
            "In 'issues', 'row' is the row number in your file (the number at Excel's left edge), not the ledger's 序号.",
            "Values with * (110105********0012) are masked personal data, shown only to help you find the row; the offending cell shows its value.",
            "Each cell's comment says what is wrong and how to fix it (the first \(Self.commentLimit); past them a cell is only coloured and its row's 'issues' column says it all). At most \(Self.linkLimit) 'cell' links; past them the cell is given as text.",
        ]
        XLSXWorkbook.writeText(g, 0, 0, zh ? "使用说明" : "How to use this workbook", fmt.title)
        for (k, l) in lines.enumerated() {
            XLSXWorkbook.writeText(g, 2 + k, 0, "\(k + 1). " + l, fmt.wrap)
            worksheet_set_row(g, lxw_row_t(2 + k), Double(15 * max(1, Int((XLSXWorkbook.width(l) / 90).rounded(.up)))), nil)
        }
        worksheet_set_column(g, 0, 0, 92, nil)
        XLSXWorkbook.printOnA4(g, landscape: false)
    }

    func abort() { book.abort() }
}
