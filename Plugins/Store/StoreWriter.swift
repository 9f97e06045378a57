import Foundation
import GRDB
import TaizhangCore

/// `write: store` — saves the run's accepted records into the store (资料库) as the period's snapshot
/// of each unit (one per value of `by`, 所在社区 by default), with where each record came from and
/// what normalising changed. Everything is written in one transaction that commits when the run
/// ends well: an interrupted or failed run (even kill -9) leaves the store as it was; running a
/// period again replaces that unit's snapshot, never adds to it. The store is the pipeline's
/// `store:` unless `path` names another.
public enum StoreWriterPlugin {
    public static let spec = PluginSpec(
        name: "store", kind: .writer,
        summary: Message(zh: "把本次接受的记录存入资料库（SQLite）：每个单位每期一份快照，重跑同一期则替换，写入要么全部成功要么不变",
                         en: "Saves the accepted records into the store (SQLite): one snapshot per unit and period, replaced when the period is run again, all or nothing"),
        options: [
            OptionSpec("path", .string, doc: Message(zh: "资料库文件（默认用流水线的 store:）", en: "the store file (default: the pipeline's store:)")),
            OptionSpec("period", .string, required: true, doc: Message(zh: "这批记录所属的报告期，如 2026Q3", en: "the period the records are of, e.g. 2026Q3")),
            OptionSpec("by", .field, default: "所在社区", doc: Message(zh: "按哪个字段分单位保存快照", en: "the field whose values are the units")),
            OptionSpec("name_field", .field, default: "姓名", doc: Message(zh: "姓名字段（按姓名查历史用）", en: "the name field (for history by name)")),
            OptionSpec("match", .fieldList, default: "[姓名, 出生日期, 性别]", doc: Message(zh: "没有身份证号的记录按这些字段认人", en: "records without an ID number are the same person when these fields agree")),
        ],
        file: "Plugins/Store/StoreWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, layout, context in
        guard let file = options.path("path") ?? context.store else {
            throw OutputError(path: "store", reason: "没有资料库：在流水线中写 store: 台账.sqlite，或在 write: store 下写 path / no store: add store: to the pipeline or path: to write: store")
        }
        return try StoreWriter(file: file, options: options, layout: layout, context: context)
    }
}

final class StoreWriter: Writer {
    private let session: Store.Session
    private var store: Store { session.store }
    private let period: String
    private let layout: Layout
    private let by: Int?
    private let nameField: Int?
    private let identifying: Int?
    private let match: [Int]
    private let source: String
    private let profile: String?
    /// '' for a persons' ledger (its schema has an identifying field); else the schema's name — a
    /// visit log's records are kept as snapshots of that kind, not as persons (`step: visits`
    /// links them to persons again when it reads them).
    private let kind: String
    private var snapshots: [String: Int64] = [:]
    private var counts: [String: Int] = [:]
    private var persons: [ByteKey: Int64] = [:]
    private var printer = Store.Printer()
    private var unnumbered: Bool?
    private struct SourceKey: Hashable { var snapshot: Int64; var index: Int }
    private var sources: [SourceKey: Int64] = [:]
    private var fieldsJSON: String
    private let encoder = JSONEncoder()

    init(file: String, options: Options, layout: Layout, context: PluginContext) throws {
        do { session = try Store.Session.join(file) } catch let p as Store.Problem { throw OutputError(path: file, reason: "\(p.message.zh) / \(p.message.en)") }
        period = Store.periodCode(options.string("period") ?? "")
        self.layout = layout
        by = layout.index(of: options.string("by") ?? "所在社区")
        nameField = layout.index(of: options.string("name_field") ?? "姓名")
        identifying = layout.schema.fields.firstIndex { $0.identifies }.flatMap { layout.index(of: layout.schema.fields[$0].name) }
        match = options.strings("match").compactMap { layout.index(of: $0) }
        source = context.pipelineFile ?? ""
        profile = layout.schema.profile?.position.file
        kind = identifying == nil ? layout.schema.name : ""
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        fieldsJSON = String(decoding: (try? encoder.encode(layout.names)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The transaction opens with the first records and stays open until the run ends (shared
    /// with the run's other writers of this store: `Store.Session`).
    private func begin(_ db: Database) throws { try session.begin(db) }

    func write(_ batch: Batch) throws {
        guard batch.source.role == .current else { return }
        do {
            try store.db.writeWithoutTransaction { db in
                try begin(db)
                var changes: [Int: [String]] = [:]
                for c in batch.changes { changes[c.row, default: []] += [layout.names[c.field], c.original] }
                let insert = try db.cachedStatement(sql: "INSERT INTO record (snapshot_id, person_id, name, \"values\", source_id, row, changes) VALUES (?, ?, ?, ?, ?, ?, ?)")
                for r in 0..<batch.count where !batch.hasError[r] {
                    let unit = by.map { batch.isEmpty(row: r, field: $0) ? "（未填）" : batch.string(row: r, field: $0) } ?? "（全部）"
                    let snapshot = try snapshotID(db, unit: unit)
                    let source = try sourceID(db, snapshot: snapshot, batch.source)
                    let person = try kind.isEmpty ? personID(db, batch, r) : nobody(db)
                    let name = nameField.map { batch.string(row: r, field: $0) }
                    try insert.execute(arguments: [snapshot, person, name, encodedValues(batch, r), source, batch.rowNumbers[r], changes[r].map(Store.encode)])
                    counts[unit, default: 0] += 1
                }
            }
        } catch let e as OutputError {
            throw e
        } catch {
            throw OutputError(path: store.path, reason: "\(Store.problem(error, Options.display(store.path)).message.zh)")
        }
    }

    /// A record's values as `Store.encode` writes them, joined from the batch's bytes (no string
    /// per value); a value holding the separator takes `Store.encode`'s escaped form.
    private func encodedValues(_ batch: Batch, _ r: Int) -> String {
        joined.removeAll(keepingCapacity: true)
        var plain = true
        for f in 0..<layout.count {
            if f > 0 { joined.append(0x1F) }
            batch.withBytes(row: r, field: f) { bytes in
                if bytes.contains(0x1F) || (f == 0 && bytes.first == 0x1E) { plain = false }
                joined.append(contentsOf: bytes)
            }
        }
        if plain { return String(decoding: joined, as: UTF8.self) }
        return Store.encode((0..<layout.count).map { batch.isEmpty(row: r, field: $0) ? "" : batch.string(row: r, field: $0) })
    }
    private var joined: [UInt8] = []

    /// The source (file and sheet) of a snapshot's records, one row per file rather than per record.
    private func sourceID(_ db: Database, snapshot: Int64, _ source: SourceInfo) throws -> Int64 {
        let key = SourceKey(snapshot: snapshot, index: source.index)
        if let known = sources[key] { return known }
        try db.cachedStatement(sql: "INSERT INTO source (snapshot_id, file, sheet) VALUES (?, ?, ?)").execute(arguments: [snapshot, source.file, source.sheet])
        sources[key] = db.lastInsertedRowID
        return db.lastInsertedRowID
    }

    /// The person of a record. With an ID number (the schema's identifying field, canonical): the
    /// person of that number — or, the first time the number is seen, the one person stored without
    /// a number whose `match` fields (folded: 繁简, width, spaces) agree, who now has it. Without:
    /// the one stored person whose folded `match` fields agree, with or without a number; when none
    /// or several (two people of one name, birth date and sex), a person of its own.
    private func personID(_ db: Database, _ batch: Batch, _ r: Int) throws -> Int64 {
        func values() -> [String] { match.map { batch.string(row: r, field: $0) } }
        let id = identifying.flatMap { batch.isEmpty(row: r, field: $0) ? nil : batch.string(row: r, field: $0) }
        let key = id.map { "id:" + $0 } ?? "match:" + Store.encode(values())
        if let known = persons[ByteKey(key)] { return known }
        if try storedPersons(db), let known = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM person WHERE key = ?"), arguments: [key]) {
            persons[ByteKey(key)] = known
            return known
        }
        // Someone not stored under this key: the print is worked out only now.
        for f in match { batch.withBytes(row: r, field: f) { printer.add($0) } }
        let print = printer.finish()
        let found: Int64?
        if id != nil {
            if try !anyUnnumbered(db) { return try newPerson(db, key: key, print: print) }
            try indexPrints(db)
            let unnumbered = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM person WHERE print = ? AND key LIKE 'match:%' LIMIT 2"), arguments: [print])
            if unnumbered.count == 1 {
                try db.cachedStatement(sql: "UPDATE person SET key = ? WHERE id = ?").execute(arguments: [key, unnumbered[0]])
                found = unnumbered[0]
            } else {
                found = nil
            }
        } else {
            try indexPrints(db)
            let alike = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM person WHERE print = ? LIMIT 2"), arguments: [print])
            found = alike.count == 1 ? alike[0] : nil
        }
        if let found {
            persons[ByteKey(key)] = found
            return found
        }
        return try newPerson(db, key: key, print: print)
    }

    /// The person of records of another kind: none (a row of its own, key '').
    private func nobody(_ db: Database) throws -> Int64 {
        if let known = noPerson { return known }
        try db.execute(sql: "INSERT OR IGNORE INTO person (key) VALUES ('')")
        noPerson = try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE key = ''")
        return noPerson!
    }
    private var noPerson: Int64?

    private func newPerson(_ db: Database, key: String, print: Int64) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO person (key, print) VALUES (?, ?)").execute(arguments: [key, print])
        let person = db.lastInsertedRowID
        persons[ByteKey(key)] = person
        if key.hasPrefix("match:") { unnumbered = true }
        return person
    }

    /// The index of persons' prints, made the first time one is looked up (then kept up by SQLite).
    private func indexPrints(_ db: Database) throws {
        guard !printsIndexed else { return }
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS person_print ON person(print)")
        printsIndexed = true
    }
    private var printsIndexed = false

    /// Whether the store held anyone when the run began (asked once): when not — the first period
    /// saved — everyone is found in `persons` or new, and no key needs looking up.
    private func storedPersons(_ db: Database) throws -> Bool {
        if let anyStored { return anyStored }
        let any = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM person WHERE key != '')") ?? false
        anyStored = any
        return any
    }
    private var anyStored: Bool?

    /// Whether the store holds anyone without an ID number (asked once; most ledgers' stores do not).
    private func anyUnnumbered(_ db: Database) throws -> Bool {
        if let unnumbered { return unnumbered }
        let any = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM person WHERE key >= 'match:' AND key < 'match;')") ?? false
        unnumbered = any
        return any
    }

    /// The unit's snapshot of this period: the old one (if this period was run before) goes, with its records.
    private func snapshotID(_ db: Database, unit: String) throws -> Int64 {
        if let known = snapshots[unit] { return known }
        try db.execute(sql: "INSERT OR IGNORE INTO unit (name) VALUES (?)", arguments: [unit])
        guard let unitID = try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE name = ?", arguments: [unit]) else {
            // Inserted and gone (a trigger of a hand-edited store): not a store this run can write.
            throw Store.Problem(message: Message(zh: "资料库中写不进单位「\(unit)」（资料库被改动过？）", en: "the store would not keep the unit '\(unit)' (was it edited?)"))
        }
        if let old = try Int64.fetchOne(db, sql: "SELECT id FROM snapshot WHERE unit_id = ? AND period = ? AND kind = ?", arguments: [unitID, period, kind]) {
            try db.execute(sql: "DELETE FROM record WHERE snapshot_id = ?", arguments: [old])
            try db.execute(sql: "DELETE FROM source WHERE snapshot_id = ?", arguments: [old])
            try db.execute(sql: "DELETE FROM snapshot WHERE id = ?", arguments: [old])
        }
        let stamp = ISO8601DateFormatter().string(from: Date())
        try db.execute(sql: "INSERT INTO snapshot (unit_id, period, kind, written_at, pipeline, profile, fields, records) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                       arguments: [unitID, period, kind, stamp, source, profile, fieldsJSON])
        let id = db.lastInsertedRowID
        snapshots[unit] = id
        return id
    }

    /// Said at the end of the run: where the period went, unit by unit.
    var summaryLine: Message? {
        guard committed else { return nil }
        let units = counts.sorted { $0.key < $1.key }
        let zh = units.map { "\($0.key) \($0.value) 条" }.joined(separator: "，"), en = units.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let of = kind.isEmpty ? "" : "（\(kind)）"
        return Message(zh: "已存入资料库 \(Options.display(store.path))：\(period) 期\(of)，\(units.isEmpty ? "没有接受的记录" : zh)",
                       en: "saved into the store \(Options.display(store.path)): \(period)\(kind.isEmpty ? "" : " (\(kind))"), \(units.isEmpty ? "no accepted records" : en)")
    }
    private var committed = false

    /// The store is no file the run replaces whole: nothing to list among the outputs.
    func outputPaths(declared: String) throws -> [String] { [] }

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        do {
            try store.db.writeWithoutTransaction { db in
                try begin(db)
                for (unit, n) in counts { try db.execute(sql: "UPDATE snapshot SET records = ? WHERE id = ?", arguments: [n, snapshots[unit]!]) }
            }
            try session.leave()
            committed = true
        } catch {
            abort()
            throw OutputError(path: store.path, reason: "\(Store.problem(error, Options.display(store.path)).message.zh)")
        }
        return []
    }

    func abort() { session.rollBack() }
}
