/// A few thousand rows of one source, the unit every step and writer works on.
///
/// Cell bytes live in one buffer; each cell is a span (offset, length) into it, so no Swift
/// `String` is made for a value unless a step reads it as text or a writer needs one.
/// Setting a value appends its bytes and repoints the span, so the buffer only grows within
/// a batch, and the batch is dropped once written.
public struct Batch: Sendable {
    public let layout: Layout
    public let source: SourceInfo
    public private(set) var count: Int = 0

    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var offsets: [UInt32] = []
    @usableFromInline var lengths: [UInt32] = []
    /// Per row: the row number a person sees (spreadsheet row, or text line).
    public private(set) var rowNumbers: [Int] = []
    /// Per row: the 1-based record index (JSON sources), else 0.
    public private(set) var recordNumbers: [Int] = []
    /// Per row: true once an error-severity issue was reported (the row will be quarantined).
    public private(set) var hasError: [Bool] = []
    /// Issues reported on this batch's rows, in the order found.
    public var issues: [Issue] = []
    /// Per issue, the batch row it concerns (-1 for none).
    public private(set) var issueRows: [Int] = []
    /// Rows of this stretch of the source that were left out as non-data.
    public var skipped: [SkippedRow] = []
    /// Values normalisers changed, with what they were (for the migration's change log).
    public private(set) var changes: [Change] = []

    public init(layout: Layout, source: SourceInfo, capacity: Int = 0) {
        self.layout = layout
        self.source = source
        self.fieldCount = layout.count
        if capacity > 0 {
            bytes.reserveCapacity(capacity * fieldCount * 12)
            offsets.reserveCapacity(capacity * fieldCount)
            lengths.reserveCapacity(capacity * fieldCount)
        }
    }

    /// The layout's column count, kept in the batch: every cell's place is worked out from it, and
    /// reading it through the layout cost a chain of loads per cell.
    public let fieldCount: Int

    /// Bytes of cell text held. Spans are 32-bit, so a batch is handed on once it holds
    /// ``RowSink/fullBytes`` and a row that would take it past ``byteLimit`` is refused (512 MB of
    /// read text leaves room for normalisers to rewrite every value several times).
    public var byteCount: Int { bytes.count }
    /// About the memory the batch holds (for a budget): its text, cells, rows, changes and issues.
    var footprint: Int { bytes.count + 8 * offsets.count + 25 * count + 64 * changes.count + 512 * issues.count }
    public static let byteLimit = 1 << 29

    // MARK: Building (readers, via RowSink)

    /// Starts a row whose cells are all empty until set.
    mutating func beginRow(number: Int, record: Int) {
        offsets.append(contentsOf: repeatElement(0, count: fieldCount))
        lengths.append(contentsOf: repeatElement(0, count: fieldCount))
        rowNumbers.append(number)
        recordNumbers.append(record)
        hasError.append(false)
        count += 1
    }

    /// Drops the last row (used when a row turns out to be blank or a total line). Issues already
    /// reported on it stay, as issues of the source (their origin keeps the row number).
    mutating func dropLastRow() {
        for k in issueRows.indices where issueRows[k] == count - 1 { issueRows[k] = -1 }
        offsets.removeLast(fieldCount)
        lengths.removeLast(fieldCount)
        rowNumbers.removeLast()
        recordNumbers.removeLast()
        hasError.removeLast()
        count -= 1
    }

    /// False (and nothing stored) when the cell would take the batch past ``byteLimit``.
    mutating func setLastRowCell(_ field: Int, _ buffer: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + buffer.count <= Self.byteLimit else { return false }
        let i = (count - 1) * fieldCount + field
        offsets[i] = UInt32(bytes.count)
        lengths[i] = UInt32(buffer.count)
        bytes.append(contentsOf: buffer)
        return true
    }

    /// Sets the last row's cells from one row of text at once: cell `k` is `bytes[ends[k-1]..<ends[k]]`
    /// and goes to column `columns[k]`. One copy of the row's bytes, and no check of the arrays per cell.
    /// False (and nothing stored) when the row would take the batch past ``byteLimit``.
    mutating func setLastRowCells(_ bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<UInt32>, columns: [Int]) -> Bool {
        guard self.bytes.count + bytes.count <= Self.byteLimit else { return false }
        let base = UInt32(self.bytes.count)
        let row = (count - 1) * fieldCount
        self.bytes.append(contentsOf: bytes)
        offsets.withUnsafeMutableBufferPointer { o in
            lengths.withUnsafeMutableBufferPointer { l in
                columns.withUnsafeBufferPointer { c in
                    var start: UInt32 = 0
                    for k in 0..<min(ends.count, c.count) {
                        let end = ends[k]
                        if end > start { o[row + c[k]] = base + start; l[row + c[k]] = end - start }
                        start = end
                    }
                }
            }
        }
        return true
    }

    // MARK: Reading values

    /// Calls `body` with the raw UTF-8 bytes of a cell (no copy).
    @inlinable
    public func withBytes<R>(row: Int, field: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let i = row * fieldCount + field
        let o = Int(offsets[i]), n = Int(lengths[i])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[o..<(o + n)])) }
    }

    @inlinable
    public func isEmpty(row: Int, field: Int) -> Bool { lengths[row * fieldCount + field] == 0 }

    @inlinable
    public func byteCount(row: Int, field: Int) -> Int { Int(lengths[row * fieldCount + field]) }

    /// The cell as text.
    public func string(row: Int, field: Int) -> String {
        withBytes(row: row, field: field) { String(decoding: $0, as: UTF8.self) }
    }

    /// The whole row as column name → text (for plugins that want simplicity over speed).
    public func dictionary(row: Int) -> [String: String] {
        var d: [String: String] = [:]
        for f in 0..<fieldCount where !isEmpty(row: row, field: f) { d[layout.names[f]] = string(row: row, field: f) }
        return d
    }

    // MARK: Changing values (normalisers)

    /// Sets a value and records the change (original → new, and the rule) when it differs.
    public mutating func set(row: Int, field: Int, _ value: String, rule: Message) {
        let original = string(row: row, field: field)
        guard original != value else { return }
        changes.append(Change(row: row, field: field, original: original, rule: rule))
        set(row: row, field: field, value)
    }

    /// The values changed cells had when they were read (before any normaliser changed them), by
    /// cell (`row * fieldCount + field`); a cell not in it is as it was read. Worked out once for a
    /// batch (looking each cell up among the changes would cost the batch's changes a cell).
    public func originalValues() -> [Int: String] {
        var d: [Int: String] = [:]
        for c in changes where d[c.row * fieldCount + c.field] == nil { d[c.row * fieldCount + c.field] = c.original }
        return d
    }

    public mutating func set(row: Int, field: Int, _ value: String) {
        var v = value
        v.withUTF8 { buf in
            let i = row * fieldCount + field
            offsets[i] = UInt32(bytes.count)
            lengths[i] = UInt32(buf.count)
            bytes.append(contentsOf: buf)
        }
    }

    // MARK: Origins and issues

    /// Where a row (and optionally a cell) came from.
    public func origin(row: Int, field: Int? = nil) -> Origin {
        var o = Origin(file: source.file, sheet: source.sheet, row: rowNumbers[row])
        if source.recordBased { o.record = recordNumbers[row] }
        if let field {
            o.column = source.columnLetters[field]
            o.header = source.headers[field] ?? layout.names[field]
        }
        return o
    }

    /// Reports an issue on a row (and field). An error marks the row for quarantine.
    public mutating func report(row: Int, field: Int?, code: String, severity: Severity, message: Message,
                                suggestion: Message? = nil, value: String? = nil) {
        guard let severity = severity.overridden(for: code, by: layout.severityOverrides) else { return }
        let issue = Issue(code: code, severity: severity, origin: origin(row: row, field: field),
                          field: field.map { layout.names[$0] }, message: message, suggestion: suggestion,
                          value: value, personal: field.map { layout.personal[$0] } ?? true)
        issues.append(issue)
        issueRows.append(row)
        if severity == .error { hasError[row] = true }
    }

    /// Reports an issue that belongs to the source, not to one row (an empty file, a header problem).
    public mutating func reportSource(code: String, severity: Severity, message: Message, row: Int? = nil,
                                      suggestion: Message? = nil) {
        guard let severity = severity.overridden(for: code, by: layout.severityOverrides) else { return }
        issues.append(Issue(code: code, severity: severity, origin: Origin(file: source.file, sheet: source.sheet, row: row),
                            message: message, suggestion: suggestion))
        issueRows.append(-1)
    }

    /// The issues of one row.
    public func issues(ofRow row: Int) -> [Issue] {
        var out: [Issue] = []
        for (k, r) in issueRows.enumerated() where r == row { out.append(issues[k]) }
        return out
    }

    /// Index of each issue's row (-1 for source issues), parallel to `issues`.
    public var issueRowIndex: [Int] { issueRows }

    /// The cells (`row * fieldCount + field`) that already have an error: a later check of the
    /// same cell (its type, after a step found the date unreadable) need not say it again.
    public func cellsWithErrors() -> Set<Int> {
        var cells: Set<Int> = []
        for (k, r) in issueRows.enumerated() where r >= 0 && issues[k].severity == .error {
            if let f = issues[k].field.flatMap(layout.index(of:)) { cells.insert(r &* fieldCount &+ f) }
        }
        return cells
    }

    public var acceptedCount: Int { hasError.lazy.filter { !$0 }.count }
}

extension Batch {
    /// Puts issues found while opening the source at the head of this batch's issues.
    mutating func prependSourceIssues(_ list: [Issue]) {
        issues = list + issues
        issueRows = Array(repeating: -1, count: list.count) + issueRows
    }
}

/// A value a normaliser changed: which cell, what it was, and the rule that changed it.
/// The new value is the cell's current value.
public struct Change: Sendable, Hashable {
    public var row: Int
    public var field: Int
    public var original: String
    public var rule: Message

    public init(row: Int, field: Int, original: String, rule: Message) {
        self.row = row
        self.field = field
        self.original = original
        self.rule = rule
    }
}
