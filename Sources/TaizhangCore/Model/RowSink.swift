import Foundation

/// What a reader pushes rows into. It places each source cell in its layout column, drops
/// blank rows as skipped non-data, reports ragged rows, and counts every row it is given,
/// so the run can prove that rows read = accepted + quarantined + skipped.
public struct RowSink {
    public private(set) var batch: Batch
    /// Source column → layout column.
    private let columnMap: [Int]
    private let capacity: Int
    private var column = 0
    private var rowOpen = false
    private var rowHasValue = false
    private var surplus: [String] = []
    private var surplusStart = 0
    private var surplusCount = 0
    /// Every row handed to the sink: data rows plus skipped ones.
    public private(set) var rowsRead = 0
    /// Rows that held data (not blank, not skipped).
    public private(set) var dataRows = 0

    /// Cells a batch holds at most: a wide table gets fewer rows per batch, so memory does not
    /// grow with columns × rows.
    public static let cellsPerBatch = 1 << 20
    /// Cells beyond the header's width kept for the `extra-cell` issue (the rest are counted).
    static let surplusKept = 16

    public init(layout: Layout, source: SourceInfo, columnMap: [Int], capacity: Int) {
        let rows = min(capacity, max(16, Self.cellsPerBatch / max(1, layout.count)))
        self.batch = Batch(layout: layout, source: source, capacity: rows)
        self.columnMap = columnMap
        self.capacity = rows
    }

    /// A batch is handed on at this many bytes of text, whatever its row count.
    public static let fullBytes = 256 << 20
    /// Bytes of cell text handed to the sink so far (the whole source).
    public private(set) var totalBytes = 0
    private var rowTooLarge = false
    /// Layout columns of the open row holding characters XML forbids (cleaned at the row's end).
    private var controlFields: [Int] = []

    /// True when the current batch has reached its size; the reader should return.
    public var isFull: Bool { batch.count >= capacity || batch.byteCount >= Self.fullBytes }

    /// The number of source columns (the header's width).
    public var width: Int { columnMap.count }

    /// Hands over the rows gathered so far and starts an empty batch.
    public mutating func take() -> Batch {
        let b = batch
        batch = Batch(layout: b.layout, source: b.source, capacity: capacity)
        return b
    }

    // MARK: Rows

    /// Starts a row. `number` is the row number a person sees (line or spreadsheet row);
    /// `record` the 1-based record index for record-based sources.
    public mutating func beginRow(number: Int, record: Int = 0) {
        precondition(!rowOpen, "beginRow called twice without endRow")
        batch.beginRow(number: number, record: record)
        rowOpen = true
        rowHasValue = false
        column = 0
        surplus.removeAll(keepingCapacity: true)
        surplusCount = 0
        rowTooLarge = false
        controlFields.removeAll(keepingCapacity: true)
        rowsRead += 1
        dataRows += 1
    }

    /// The next cell of a tabular row, left to right.
    public mutating func cell(_ bytes: UnsafeRawBufferPointer) {
        totalBytes += bytes.count
        if column < columnMap.count {
            if bytes.count > 0 {
                if !batch.setLastRowCell(columnMap[column], bytes) { rowTooLarge = true }
                if XMLForbidden.contains(bytes) { controlFields.append(columnMap[column]) }
                rowHasValue = true
            }
        } else if bytes.count > 0 {
            if surplus.isEmpty { surplusStart = column }
            surplusCount += 1
            if surplus.count < Self.surplusKept { surplus.append(String(decoding: bytes, as: UTF8.self)) }
        }
        column += 1
    }

    /// A whole tabular row at once (what a text reader gathers): cell `k` is
    /// `bytes[ends[k-1]..<ends[k]]`, left to right. The same as `beginRow`, a `cell` per cell and
    /// `endRow`, with one copy of the row's text instead of one per cell. `clean`: the reader has
    /// already seen that the text holds no character XML forbids (so it is not looked at again).
    public mutating func row(number: Int, bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<UInt32>, clean: Bool = false) {
        beginRow(number: number)
        let inside = min(ends.count, columnMap.count)
        let insideBytes = inside == 0 ? 0 : Int(ends[inside - 1])
        if ends.count > columnMap.count || (!clean && XMLForbidden.contains(UnsafeRawBufferPointer(rebasing: bytes[..<insideBytes])))
            || !batch.setLastRowCells(UnsafeRawBufferPointer(rebasing: bytes[..<insideBytes]), ends: UnsafeBufferPointer(rebasing: ends[..<inside]), columns: columnMap) {
            // Cells past the header, characters to clean or a row too large: cell by cell.
            var start = 0
            for k in 0..<ends.count {
                cell(UnsafeRawBufferPointer(rebasing: bytes[start..<Int(ends[k])]))
                start = Int(ends[k])
            }
        } else {
            totalBytes += insideBytes
            column = inside
            rowHasValue = insideBytes > 0
        }
        endRow()
    }

    public mutating func cell(_ value: String) {
        var v = value
        v.withUTF8 { cell(UnsafeRawBufferPointer($0)) }
    }

    /// A cell of a keyed row (JSON): `column` is the index of its key in the source header.
    public mutating func cell(column key: Int, _ bytes: UnsafeRawBufferPointer) {
        totalBytes += bytes.count
        if bytes.count > 0 {
            if !batch.setLastRowCell(columnMap[key], bytes) { rowTooLarge = true }
            if XMLForbidden.contains(bytes) { controlFields.append(columnMap[key]) }
            rowHasValue = true
        }
        column = max(column, key + 1)
    }

    /// Ends the row. Blank rows become skipped non-data; ragged rows get an issue.
    /// Pass `checkWidth: false` for keyed rows, which may leave keys out.
    public mutating func endRow(checkWidth: Bool = true) {
        precondition(rowOpen, "endRow without beginRow")
        rowOpen = false
        let last = batch.count - 1
        // A line of nothing but control characters (a DOS end-of-file mark, 0x1A) is a blank line.
        if !controlFields.isEmpty && surplus.isEmpty && (0..<batch.fieldCount).allSatisfy({ f in
            batch.isEmpty(row: last, field: f) || XMLForbidden.removing(from: batch.string(row: last, field: f)).0.isEmpty }) {
            rowHasValue = false
        }
        if !rowHasValue && surplus.isEmpty {
            let origin = batch.origin(row: last)
            batch.dropLastRow()
            dataRows -= 1
            batch.skipped.append(SkippedRow(origin: origin, reason: Message(zh: "空行", en: "blank row")))
            return
        }
        if let reason = Self.nonDataReason(batch, row: last) {
            let origin = batch.origin(row: last)
            checkTotal(row: last, origin: origin)
            batch.dropLastRow()
            dataRows -= 1
            batch.skipped.append(SkippedRow(origin: origin, reason: reason))
            return
        }
        rowsSinceSubtotal += 1
        rowsSinceTotal += 1
        // Invisible control characters (and U+FFFE/U+FFFF) cannot be written to a workbook or read
        // by a person: removed, each removal a recorded change and a warning.
        for f in controlFields {
            let (clean, first) = XMLForbidden.removing(from: batch.string(row: last, field: f))
            let code = first.map { "U+" + String(format: "%04X", $0.value) } ?? ""
            batch.set(row: last, field: f, clean, rule: Message(zh: "删除不可见的控制字符", en: "invisible control characters removed"))
            batch.report(row: last, field: f, code: "control-character", severity: .warning,
                         message: Message(zh: "单元格中有不可见的控制字符（\(code)），已删除", en: "the cell held an invisible control character (\(code)); removed"),
                         suggestion: Message(zh: "在原文件中删去该字符", en: "remove it in the source file"))
        }
        if rowTooLarge {
            batch.report(row: last, field: nil, code: "row-too-large", severity: .error,
                         message: Message(zh: "本行文字过多（超过 \(Batch.byteLimit >> 20) MB），无法完整读取", en: "this row holds too much text (over \(Batch.byteLimit >> 20) MB) to be read whole"),
                         suggestion: Message(zh: "检查本行是否有异常的超长单元格", en: "look for abnormally long cells in this row"))
        }
        guard checkWidth else { return }
        if !surplus.isEmpty {
            var o = batch.origin(row: last)
            o.column = Origin.columnLetter(surplusStart)
            batch.report(row: last, field: nil, code: "extra-cell", severity: .error,
                         message: Message(zh: "本行比表头多出 \(column - columnMap.count) 个单元格（表头 \(columnMap.count) 列，本行 \(column) 列），多出的值无法归入任何列",
                                          en: "row has \(column - columnMap.count) more cells than the header (\(columnMap.count) columns, this row \(column)); the extra values belong to no column"),
                         suggestion: Message(zh: "检查本行是否有多余的分隔符或未加引号的逗号", en: "look for a stray delimiter or an unquoted comma in this row"),
                         value: surplus.joined(separator: " | ") + (surplusCount > surplus.count ? " | …（另有 \(surplusCount - surplus.count) 个）" : ""))
            batch.issues[batch.issues.count - 1].origin.column = o.column
        } else if column < columnMap.count {
            batch.report(row: last, field: nil, code: "missing-cell", severity: .warning,
                         message: Message(zh: "本行只有 \(column) 个单元格，少于表头的 \(columnMap.count) 列；缺少的单元格按空值处理",
                                          en: "row has \(column) cells, fewer than the header's \(columnMap.count); the missing cells are taken as empty"))
        }
    }

    /// Ends the row, keeping it even if it has no cells, with an error that quarantines it
    /// (e.g. a JSON record that is not an object; `value` keeps what it held).
    public mutating func endRejectedRow(code: String, message: Message, value: String?) {
        precondition(rowOpen, "endRejectedRow without beginRow")
        rowOpen = false
        batch.report(row: batch.count - 1, field: nil, code: code, severity: .error, message: message, value: value)
    }

    /// Reports an issue on the row being built.
    public mutating func reportCurrentRow(field: Int? = nil, code: String, severity: Severity, message: Message,
                                          suggestion: Message? = nil, value: String? = nil) {
        batch.report(row: batch.count - 1, field: field, code: code, severity: severity, message: message,
                     suggestion: suggestion, value: value)
    }

    /// Data rows since the last total of any kind (what a 小计 sums), and since the last 合计
    /// (what a 合计 sums: a sheet may hold several tables, each with its own 合计).
    private var rowsSinceSubtotal = 0
    private var rowsSinceTotal = 0

    /// A 合计/小计 line that gives a number of people (合计 9人, 小计：5) is checked against the
    /// rows above it (since the last 小计, for a 小计): a total that disagrees is said, both figures.
    private mutating func checkTotal(row: Int, origin: Origin) {
        let text = (0..<batch.fieldCount).filter { !batch.isEmpty(row: row, field: $0) }.map { batch.string(row: row, field: $0) }.joined(separator: " ")
        let subtotal = text.drop { $0 == " " }.hasPrefix("小计")
        guard ["合计", "小计", "总计", "共计"].contains(where: { text.drop { $0 == " " }.hasPrefix($0) }) else { return }
        defer {
            rowsSinceSubtotal = 0
            if !subtotal { rowsSinceTotal = 0 }
        }
        guard let stated = Self.statedCount(text) else { return }
        let counted = subtotal ? rowsSinceSubtotal : rowsSinceTotal
        guard stated != counted else { return }
        batch.reportSource(code: "total-mismatch", severity: .warning,
                           message: Message(zh: "第 \(origin.row ?? 0) 行「\(text)」写的是 \(stated)，但其上\(subtotal ? "（自上一小计起）" : "")有 \(counted) 行记录",
                                            en: "row \(origin.row ?? 0) ('\(text)') says \(stated), but \(counted) records are above it\(subtotal ? " (since the last subtotal)" : "")"),
                           row: origin.row,
                           suggestion: Message(zh: "核对是否漏录、多录了记录，或合计写错", en: "check whether records are missing or repeated, or the total is wrong"))
    }

    /// The number of people a total line states: the number before 人/名/条/户/位 (合计 9人,
    /// 小计：第1网格 2人); else the line's only number when nothing marks it as a date, an ordinal
    /// or a sign (合计 2026年, 第1网格, -5 are not counts); else nil.
    static func statedCount(_ text: String) -> Int? {
        let chars = Array(text.precomposedStringWithCompatibilityMapping)
        var runs: [(value: Int?, before: Character?, after: Character?)] = []
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber else { i += 1; continue }
            var j = i
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            let before = chars[..<i].last { $0 != " " }
            let after = chars[j...].first { $0 != " " }
            runs.append((j - i <= 7 ? Int(String(chars[i..<j])) : nil, before, after))
            i = j
        }
        let signed: (Character?) -> Bool = { $0 == "-" || $0 == "第" }
        // 人 and 名 count people; 条, 户, 位 only when no number counts people (合计 3户 9人 is 9).
        if let counted = runs.first(where: { "人名".contains($0.after ?? " ") }) ?? runs.first(where: { "条户位".contains($0.after ?? " ") }) {
            return signed(counted.before) ? nil : counted.value
        }
        guard runs.count == 1, let only = runs.first, !"年月日号.".contains(only.after ?? " "), !signed(only.before) else { return nil }
        return only.value
    }

    /// Lines that close a table rather than hold data: totals and the signature/notes footer.
    static let footerMarks: [(prefix: [UInt8], reason: Message)] = [
        ("合计", Message(zh: "合计/小计行", en: "total row")), ("小计", Message(zh: "合计/小计行", en: "total row")),
        ("总计", Message(zh: "合计/小计行", en: "total row")), ("共计", Message(zh: "合计/小计行", en: "total row")),
        ("填表人", Message(zh: "表尾签名或说明", en: "footer (signatures or notes)")), ("制表人", Message(zh: "表尾签名或说明", en: "footer (signatures or notes)")),
        ("审核人", Message(zh: "表尾签名或说明", en: "footer (signatures or notes)")), ("注：", Message(zh: "表尾签名或说明", en: "footer (signatures or notes)")),
        ("说明：", Message(zh: "表尾签名或说明", en: "footer (signatures or notes)")), ("备注：", Message(zh: "表尾签名或说明", en: "footer (signatures or notes)")),
    ].map { (Array($0.0.utf8), $0.1) }

    /// A row whose first non-empty cell starts with 合计, 小计, 填表人, 注： … and that has at most
    /// three non-empty cells is a total or footer line, not a person.
    static func nonDataReason(_ batch: Batch, row: Int) -> Message? {
        var filled = 0
        var first = -1
        for f in 0..<batch.fieldCount where !batch.isEmpty(row: row, field: f) {
            filled += 1
            if first < 0 { first = f }
            if filled > 3 { return nil }
        }
        guard first >= 0 else { return nil }
        return batch.withBytes(row: row, field: first) { v in
            var start = 0
            while start < v.count, v[start] == 0x20 { start += 1 }
            for m in footerMarks where v.count - start >= m.prefix.count && zip(v[start...], m.prefix).allSatisfy({ $0 == $1 }) { return m.reason }
            return nil
        }
    }

    /// Points the last issue at a source column (for notes on cells outside the layout's fields).
    public mutating func setLastIssueColumn(_ letter: String, header: String?) {
        guard !batch.issues.isEmpty else { return }
        batch.issues[batch.issues.count - 1].origin.column = letter
        batch.issues[batch.issues.count - 1].origin.header = header
    }

    /// Records a row left out as non-data, with the reason.
    public mutating func skip(row number: Int, reason: Message) {
        rowsRead += 1
        batch.skipped.append(SkippedRow(origin: Origin(file: batch.source.file, sheet: batch.source.sheet, row: number), reason: reason))
    }

    /// An issue about the source as a whole.
    public mutating func sourceIssue(code: String, severity: Severity, message: Message, row: Int? = nil, suggestion: Message? = nil) {
        batch.reportSource(code: code, severity: severity, message: message, row: row, suggestion: suggestion)
    }
}
