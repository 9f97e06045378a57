/// A row of a spreadsheet as a reader sees it: its row number and the text of its cells
/// (column 0 = A), plus notes on cells that a plain value cannot carry (a formula without a
/// cached value, digits Excel could not keep).
public struct SheetRow: Sendable {
    public var number: Int
    public var cells: [String]
    public var notes: [CellNote]

    public init(number: Int, cells: [String], notes: [CellNote] = []) {
        self.number = number
        self.cells = cells
        self.notes = notes
    }
}

/// Something to say about one cell, reported as an issue on its row.
public struct CellNote: Sendable {
    public var column: Int
    public var code: String
    public var severity: Severity
    public var message: Message
    public var value: String?

    public init(column: Int, code: String, severity: Severity, message: Message, value: String? = nil) {
        self.column = column
        self.code = code
        self.severity = severity
        self.message = message
        self.value = value
    }
}

/// Where spreadsheet readers get their rows from, one at a time.
public protocol SheetRowSource: AnyObject {
    var sheet: String? { get }
    var openIssues: [Issue] { get }
    /// The next row (blank rows may be left out; their numbers are then missing), or nil at the end.
    func nextRow() throws(SourceError) -> SheetRow?
    func close()
    /// The most cell text (bytes) the sheet may expand to — shared strings and merged ranges let a
    /// small file name the same long text millions of times. Past it the sheet is refused.
    var textBudget: Int { get }
    /// How far through the sheet reading is (0…1), nil when unknown (see ``SourceReader``).
    var fractionRead: Double? { get }
}

extension SheetRowSource {
    public var textBudget: Int { 2 << 30 }
    public var fractionRead: Double? { nil }
}

/// How much text a sheet may expand to.
public enum SheetTextBudget {
    /// The budget for a sheet whose stored form is `stored` bytes: text rarely outgrows the XML
    /// or records holding it, so 16 times that (at least 64 MB, at most `ceiling`).
    public static func forStored(_ stored: Int, ceiling: Int) -> Int {
        min(ceiling, max(64 << 20, stored.multipliedReportingOverflow(by: 16).overflow ? Int.max : stored * 16))
    }
}

/// Turns any row source (a sheet of .xls or .xlsx) into a reader: finds the header with
/// ``HeaderDetector`` (or takes `header_row`), skips the rows above it with their reason, and
/// streams the rest into the sink with the cell notes as issues.
public final class SheetTableReader: SourceReader {
    public let header: [String]
    public let headerRow: Int?
    public var sheet: String? { source.sheet }
    public var fractionRead: Double? { source.fractionRead }
    public let recordBased = false
    public private(set) var openIssues: [Issue]

    private let source: any SheetRowSource
    private var pending: [SheetRow] = []
    private var skippedAbove: [(Int, Message)] = []
    private let display: String
    private var textBytes = 0

    /// `headerRow`: 0 to detect, else the row number of the header. `skipRows`: rows to pass over first.
    public init(source: any SheetRowSource, display: String, schema: Schema, headerRow wanted: Int = 0, skipRows: Int = 0) throws(SourceError) {
        self.source = source
        self.display = display
        openIssues = source.openIssues
        var textBytes = 0
        var window: [SheetRow] = []
        var skipped: [(Int, Message)] = []
        while window.count < (wanted > 0 ? Int.max : HeaderDetector.window) {
            guard let row = try source.nextRow() else { break }
            try Self.count(row, into: &textBytes, source: source, display: display)
            if row.number <= skipRows {
                skipped.append((row.number, Message(zh: "按 skip_rows 跳过", en: "skipped by skip_rows")))
                continue
            }
            window.append(row)
            if wanted > 0 && row.number >= wanted { break }
        }
        let chosen: HeaderDetector.Result?
        if wanted > 0 {
            if let i = window.firstIndex(where: { $0.number == wanted }) {
                chosen = HeaderDetector.Result(headerIndex: i, header: window[i].cells, headerParts: [])
            } else {
                throw SourceError(Origin(file: display, sheet: source.sheet, row: wanted),
                                  Message(zh: "第 \(wanted) 行是空行或不存在，不能作表头", en: "row \(wanted) is blank or missing and cannot be the header"))
            }
        } else {
            chosen = HeaderDetector.detect(window.map(\.cells), schema: schema)
        }
        guard let chosen else {
            header = []
            headerRow = nil
            skippedAbove = skipped + window.map { ($0.number, Message(zh: "空行", en: "blank row")) }
            let empty = window.isEmpty && skipped.isEmpty
            // An empty sheet loses nothing (a warning); rows without any header are an error.
            let issue = Issue(code: empty ? "empty-sheet" : "no-header", severity: empty ? .warning : .error,
                              origin: Origin(file: display, sheet: source.sheet),
                              message: window.isEmpty ? Message(zh: "工作表是空的", en: "the sheet is empty") : Message(zh: "没有找到表头行", en: "no header row found"),
                              personal: false)
            openIssues.append(issue)
            return
        }
        // Columns with data but no header text (within the first rows) are kept as columns of
        // their own (named by their letter), not reported as stray cells.
        var width = chosen.header.count
        for row in window[(chosen.headerIndex + 1)...] {
            var n = row.cells.count
            while n > 0, row.cells[n - 1].isEmpty { n -= 1 }
            width = max(width, n)
        }
        header = chosen.header + Array(repeating: "", count: width - chosen.header.count)
        headerRow = window[chosen.headerIndex].number
        for (i, row) in window.enumerated() where i < chosen.headerIndex {
            let blank = row.cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
            let reason = chosen.headerParts.contains(i) ? Message(zh: "多行表头的上一行", en: "upper row of a two-row header")
                : blank ? Message(zh: "空行", en: "blank row") : Message(zh: "表头之前的行（标题或说明）", en: "row above the header (title or note)")
            skipped.append((row.number, reason))
        }
        skippedAbove = skipped
        pending = Array(window[(chosen.headerIndex + 1)...])
        self.textBytes = textBytes
        let index = schema.headerIndex()
        fieldCount = schema.fields.count
        matchedFields = header.filter { HeaderDetector.match($0, index) != nil }.count
    }

    public func read(into sink: inout RowSink) throws(SourceError) -> Bool {
        for s in skippedAbove { sink.skip(row: s.0, reason: s.1) }
        skippedAbove.removeAll()
        guard !header.isEmpty else { return false }
        while !sink.isFull {
            let row: SheetRow
            if !pending.isEmpty { row = pending.removeFirst() } else {
                guard let next = try source.nextRow() else {
                    if sink.dataRows == 0 {
                        sink.sourceIssue(code: "no-data", severity: .warning, message: Message(zh: "工作表只有表头，没有数据行", en: "the sheet has a header but no data rows"), row: headerRow)
                    }
                    return false
                }
                try Self.count(next, into: &textBytes, source: source, display: display)
                row = next
            }
            // Trailing empty cells beyond the header are not ragged data.
            var cells = row.cells
            while cells.count > header.count, let last = cells.last, last.isEmpty { cells.removeLast() }
            // Trailing blank cells are left out by spreadsheets: they are not missing data.
            while cells.count < header.count { cells.append("") }
            sink.beginRow(number: row.number)
            for c in cells { sink.cell(c) }
            for n in row.notes {
                sink.reportCurrentRow(field: nil, code: n.code, severity: n.severity, message: n.message, value: n.value)
                sink.setLastIssueColumn(Origin.columnLetter(n.column), header: n.column < header.count ? header[n.column] : nil)
            }
            sink.endRow()
        }
        return true
    }

    public func close() { source.close() }

    /// True when a header was found that names at least one schema field (any header, for a
    /// schema without fields): a sheet of notes or an empty one has none.
    public var foundHeader: Bool { !header.isEmpty && (fieldCount == 0 || matchedFields > 0) }
    private var matchedFields = 0
    private var fieldCount = 0

    /// Adds an issue about the source (which sheet was chosen, say).
    public func note(_ issue: Issue) { openIssues.append(issue) }

    /// With no `sheet` asked for: the first sheet — visible ones before hidden ones — whose header
    /// is found, so a workbook opening on a notes sheet or a hidden one still gives its ledger; the
    /// first of them when none has a header. Says which sheet it took when it is not the first.
    public static func firstWithHeader(_ sheets: [(name: String, hidden: Bool)], display: String,
                                       open: (String) throws(SourceError) -> SheetTableReader) throws(SourceError) -> SheetTableReader {
        let ordered = sheets.filter { !$0.hidden } + sheets.filter(\.hidden)
        guard let first = ordered.first else { return try open("1") }
        for s in ordered {
            let r = try open(s.name)
            guard r.foundHeader else { r.close(); continue }
            if s.name != sheets.first?.name {
                r.note(Issue(code: "sheet-chosen", severity: .info, origin: Origin(file: display, sheet: s.name),
                             message: Message(zh: "读取工作表「\(s.name)」：它是第一个有台账表头的工作表（用 sheet: 指定其他工作表）",
                                              en: "reading sheet '\(s.name)', the first with a ledger header (choose another with sheet:)"),
                             personal: false))
            }
            return r
        }
        return try open(first.name)
    }

    /// Adds a row's text to the sheet's total; past the source's budget the sheet is refused.
    private static func count(_ row: SheetRow, into textBytes: inout Int, source: any SheetRowSource, display: String) throws(SourceError) {
        for c in row.cells { textBytes += c.utf8.count }
        let budget = source.textBudget
        guard textBytes > budget else { return }
        throw SourceError(Origin(file: display, sheet: source.sheet, row: row.number),
                          Message(zh: "工作表展开后的文字超过 \(budget >> 20) MB（少量长文字被成千上万个单元格引用，或合并区域过大），不像台账，未读取",
                                  en: "the sheet's text expands past \(budget >> 20) MB (a few long strings referenced by thousands of cells, or huge merged ranges); not a ledger, not read"),
                          suggestion: Message(zh: "确属正常的大表可调高 max_unpacked_mb", en: "raise max_unpacked_mb for a genuinely large sheet"))
    }

    public var detectedOptions: [String: String] { sheet.map { ["sheet": $0] } ?? [:] }
}
