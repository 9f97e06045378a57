import Foundation

/// The tables of one pipeline (`tables:`), and what an earlier table keeps for later ones to look
/// up. A pipeline is one table (its own `inputs`, `steps`, `outputs`, named by `table:` or its
/// schema) plus the tables under `tables:`, each with its own schema, inputs, steps and outputs.
/// Tables run in order, each in one streaming pass; a step of a later table asks, when it is
/// made, for fields of an earlier table (`rows(of:fields:asker:)`), and the runner keeps those
/// fields of that table's accepted rows as they stream by. Nothing else is held.
public final class TableDirectory: @unchecked Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var schema: Schema

        public init(name: String, schema: Schema) {
            self.name = name
            self.schema = schema
        }
    }

    /// The tables, in the order they run.
    public let entries: [Entry]
    /// The table whose steps are being made (set by the runner, and by `check`).
    public var current = 0
    private var kept: [Int: [KeptRows]] = [:]
    /// How many times a step has asked for an earlier table's rows (the runner tells by it which
    /// steps look nothing up, and can run while the earlier tables stream: see ``BatchProducer``).
    private(set) var lookups = 0

    /// `current`: the table whose steps are made next (the runner moves it on; a test sets it).
    public init(_ entries: [Entry], current: Int = 0) {
        self.entries = entries
        self.current = current
    }

    /// The accepted rows of an earlier table, with the `fields` named (those its schema has; the
    /// others read as empty). Asked for when a step is made; filled while that table streams.
    public func rows(of table: String, fields: [String], asker: String, at position: Position? = nil) throws(Diagnostics) -> KeptRows {
        guard let k = entries.firstIndex(where: { $0.name == table }) else {
            throw Diagnostics([Diagnostic(.error, at: position,
                Message(zh: "\(asker)：流水线中没有表「\(table)」（有：\(entries.map(\.name).joined(separator: "、"))）",
                        en: "\(asker): the pipeline has no table '\(table)' (it has: \(entries.map(\.name).joined(separator: ", ")))"),
                suggestion: Suggest.didYouMean(table, entries.map(\.name)))])
        }
        guard k != current else {
            throw Diagnostics([Diagnostic(.error, at: position,
                Message(zh: "\(asker)：表「\(table)」就是本表，应指向另一张（排在前面的）表", en: "\(asker): '\(table)' is this very table; name another, earlier one"),
                suggestion: Suggest.didYouMean(table, entries.enumerated().filter { $0.offset != current }.map(\.element.name)))])
        }
        guard k < current else {
            throw Diagnostics([Diagnostic(.error, at: position,
                Message(zh: "\(asker)：表「\(table)」须排在表「\(entries[current].name)」之前（先读完被查找的表）",
                        en: "\(asker): table '\(table)' must come before table '\(entries[current].name)' (the table looked up is read first)"))])
        }
        let rows = KeptRows(table: table, fields: fields, schema: entries[k].schema)
        kept[k, default: []].append(rows)
        lookups += 1
        return rows
    }

    /// The runner: a batch of table `k` has gone through its steps.
    func keep(_ batch: Batch, table k: Int) {
        guard let all = kept[k], batch.source.role == .current else { return }
        for rows in all { rows.append(batch) }
    }
}

/// Fields of an earlier table's accepted rows, for a later table's step to look up.
public final class KeptRows: @unchecked Sendable {
    public let table: String
    public let fields: [String]
    private let schema: Schema
    /// Per field, the values' bytes end to end and where each row's end (a string is made when
    /// one is asked for: a million rows kept are copied, not made into strings a cell).
    // Unchecked exclusivity: see docs/ARCHITECTURE.md, *Exclusivity*.
    @exclusivity(unchecked) private var bytes: [[UInt8]]
    @exclusivity(unchecked) private var ends: [[Int]]
    /// Per source: file, sheet, and the column letters and headers of `fields` there.
    private var files: [(file: String, sheet: String?, letters: [String?], headers: [String?])] = []
    private var fileIndex: [Int: Int32] = [:]
    @exclusivity(unchecked) private var at: [(file: Int32, row: Int32)] = []
    private var indexes: [Index?]

    init(table: String, fields: [String], schema: Schema) {
        self.table = table
        self.fields = fields
        self.schema = schema
        bytes = Array(repeating: [], count: fields.count)
        ends = Array(repeating: [], count: fields.count)
        indexes = Array(repeating: nil, count: fields.count)
        present = Array(repeating: false, count: fields.count)
    }

    public var count: Int { at.count }

    /// Whether any source of the table has the column of `fields[field]` (else every value is "").
    public func has(_ field: Int) -> Bool { present[field] }
    private var present: [Bool]

    /// The value of `fields[field]` on kept row `row` ("" when empty or not in the table).
    public func value(_ row: Int, _ field: Int) -> String {
        withBytes(row, field) { String(decoding: $0, as: UTF8.self) }
    }

    /// The UTF-8 bytes of `fields[field]` on kept row `row` (none when empty or not in the table).
    public func withBytes<R>(_ row: Int, _ field: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = row == 0 ? 0 : ends[field][row - 1], end = ends[field][row]
        return bytes[field].withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Whether `fields[field]` is empty on kept row `row` (no string made).
    public func isEmpty(_ row: Int, _ field: Int) -> Bool {
        ends[field].withUnsafeBufferPointer { e in e[row] == (row == 0 ? 0 : e[row - 1]) }
    }

    /// Where kept row `row` came from (file, sheet, row), and the field's column when named.
    public func origin(_ row: Int, field: String? = nil) -> Origin {
        let (f, r) = at[row]
        let source = files[Int(f)]
        let k = field.flatMap { fields.firstIndex(of: $0) }
        return Origin(file: source.file, sheet: source.sheet, row: Int(r), column: k.flatMap { source.letters[$0] }, header: k.flatMap { source.headers[$0] } ?? field)
    }

    /// The rows whose `fields[field]`, passed through `key`, equals `value`'s. The index is built on
    /// the first call for a field, with that call's `key`: ask for one field always with the same key.
    public func rows(where field: Int, is value: String, key: (String) -> String = { $0 }) -> RowIndex.Found {
        buildIndex(field, key)
        return indexes[field]!.rows.rows(key(value))
    }

    /// Whether an earlier kept row has `row`'s value of `fields[field]` (passed through `key`, as for `rows(where:)`).
    public func repeats(_ row: Int, in field: Int, key: (String) -> String = { $0 }) -> Bool {
        buildIndex(field, key)
        return indexes[field]!.repeated[row]
    }

    private func buildIndex(_ field: Int, _ key: (String) -> String) {
        guard indexes[field] == nil else { return }
        var index = Index(rows: RowIndex(capacity: count), repeated: Array(repeating: false, count: count))
        for r in 0..<count {
            let v = value(r, field)
            if v.isEmpty { continue }
            if !index.rows.add(key(v), row: Int32(r)) { index.repeated[r] = true }
        }
        indexes[field] = index
    }

    /// A field's values with their rows; per kept row, whether it repeats an earlier row's value.
    private struct Index {
        var rows: RowIndex
        var repeated: [Bool]
    }

    /// Told of each batch as its rows are kept — the batch, and which of its rows (those with no
    /// error, in order; the first is kept row `count` as it was before) — on the runner's thread
    /// while the table streams: a later table's step can make what it needs of the rows as they
    /// come, on a thread of its own, rather than all at once when its table begins. Asked when
    /// the step is made (no row is kept yet). Work handed to another thread reads the batch, not
    /// these rows: they grow on the runner's thread, unlocked, until the table has streamed.
    public func observe(_ body: @escaping (Batch, [Int]) -> Void) {
        precondition(count == 0, "KeptRows.observe: asked after rows were kept")
        observers.append(body)
    }
    private var observers: [(Batch, [Int]) -> Void] = []

    func append(_ batch: Batch) {
        // Rows kept after a lookup (not in a run: a table is read whole before a later one's steps
        // look) make the indexes again on the next.
        if indexes.contains(where: { $0 != nil }) { indexes = Array(repeating: nil, count: fields.count) }
        let layoutFields = fields.map { batch.layout.index(of: $0) }
        for (k, f) in layoutFields.enumerated() where f.map({ batch.source.columnLetters[$0] != nil || batch.source.headers[$0] != nil || batch.source.setFields.contains($0) }) ?? false { present[k] = true }
        let file: Int32
        if let known = fileIndex[batch.source.index] { file = known } else {
            file = Int32(files.count)
            files.append((batch.source.file, batch.source.sheet, layoutFields.map { $0.flatMap { batch.source.columnLetters[$0] } },
                          layoutFields.map { $0.flatMap { batch.source.headers[$0] } }))
            fileIndex[batch.source.index] = file
        }
        let kept = (0..<batch.count).filter { !batch.hasError[$0] }
        for r in kept {
            for (k, f) in layoutFields.enumerated() {
                if let f { batch.withBytes(row: r, field: f) { bytes[k].append(contentsOf: $0) } }
                ends[k].append(bytes[k].count)
            }
            at.append((file, Int32(batch.rowNumbers[r])))
        }
        for o in observers { o(batch, kept) }
    }
}
