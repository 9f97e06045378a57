import Foundation
import GRDB
import TaizhangCore

/// 资料库: the ledger kept between runs — one SQLite file per office, through GRDB (WAL, versioned
/// migrations). A snapshot is one unit's accepted records for one period, written in one
/// transaction and replaced whole when the period is run again; persons are keyed by the value of
/// the schema's identifying field (the canonical ID number), so one person is one person across
/// periods. Tables and the migration policy: docs/STORE.md.
public final class Store {
    public let path: String
    let db: DatabasePool

    /// Migrations, in order; a store that holds one this program does not know was written by a
    /// newer version and is refused.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "unit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
            }
            try db.create(table: "snapshot") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("unit_id", .integer).notNull().references("unit")
                t.column("period", .text).notNull()
                t.column("written_at", .text).notNull()
                t.column("pipeline", .text).notNull()
                t.column("profile", .text)
                t.column("fields", .text).notNull()          // JSON array: the field names, in order
                t.column("records", .integer).notNull()
                t.uniqueKey(["unit_id", "period"])
            }
            try db.create(table: "person") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()    // the identifying field's value, or a record's own key
            }
            try db.create(table: "source") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("snapshot_id", .integer).notNull().references("snapshot", onDelete: .cascade)
                t.column("file", .text).notNull()
                t.column("sheet", .text)
            }
            try db.create(table: "record") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("snapshot_id", .integer).notNull().references("snapshot", onDelete: .cascade)
                t.column("person_id", .integer).notNull().references("person")
                t.column("name", .text)                      // the record's name, for asking by name
                t.column("values", .text).notNull()          // the values in the snapshot's field order (Store.encode)
                // Not a foreign key: sources and records go together with their snapshot, and a key
                // here would make deleting a source scan every record.
                t.column("source_id", .integer).notNull()
                t.column("row", .integer).notNull()
                t.column("changes", .text)                   // what normalising changed: field, original, … (Store.encode)
            }
            try db.create(table: "decision") { t in
                t.primaryKey("pair_key", .text)              // the review sheet's 配对键
                t.column("same", .boolean).notNull()         // 是: the same person; 否: two people
                t.column("decided_at", .text).notNull()
                t.column("source", .text)                    // the filled review sheet it came from
            }
            try db.create(index: "record_person", on: "record", columns: ["person_id"])
            try db.create(index: "record_snapshot", on: "record", columns: ["snapshot_id"])
            try db.create(index: "record_name", on: "record", columns: ["name"])
            try db.create(index: "snapshot_period", on: "snapshot", columns: ["period"])
        }
        // v2: a person's print — the `match` fields folded (width, spaces, 繁→简) — so a record
        // without an ID number meets the same person written another way, or with an ID number.
        m.registerMigration("v2") { db in
            try db.alter(table: "person") { t in t.add(column: "print", .integer) }
            var printer = Printer()
            for row in try Row.fetchAll(db, sql: "SELECT id, key FROM person WHERE key LIKE 'match:%'") {
                let key: String = row["key"]
                let values = Store.decode(String(key.dropFirst("match:".count)))
                try db.execute(sql: "UPDATE person SET print = ? WHERE id = ?", arguments: [printer.print(values), row["id"] as Int64])
            }
            // Its index is made when a print is first looked up (StoreWriter): a store of people who
            // all have ID numbers never needs it, and a million random keys cost seconds to insert.
        }
        // v3: records of other kinds beside the persons' ledger — a visit log's visits — as
        // snapshots of their own: `kind` is '' for the ledger (a schema with an identifying field)
        // and the schema's name otherwise; one snapshot per unit, period and kind. SQLite cannot
        // change a table's unique key in place: the table is made again and its rows copied (ids kept).
        m.registerMigration("v3") { db in
            try db.create(table: "snapshot_v3") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("unit_id", .integer).notNull().references("unit")
                t.column("period", .text).notNull()
                t.column("kind", .text).notNull().defaults(to: "")
                t.column("written_at", .text).notNull()
                t.column("pipeline", .text).notNull()
                t.column("profile", .text)
                t.column("fields", .text).notNull()
                t.column("records", .integer).notNull()
                t.uniqueKey(["unit_id", "period", "kind"])
            }
            try db.execute(sql: "INSERT INTO snapshot_v3 (id, unit_id, period, kind, written_at, pipeline, profile, fields, records) SELECT id, unit_id, period, '', written_at, pipeline, profile, fields, records FROM snapshot")
            try db.drop(table: "snapshot")
            try db.rename(table: "snapshot_v3", to: "snapshot")
            try db.create(index: "snapshot_period", on: "snapshot", columns: ["period"])
        }
        return m
    }

    /// A person's print: the `match` values of a record, folded so that the same person written
    /// another way meets himself — no spaces, Latin letters in lower case, full-width forms and
    /// traditional characters as simplified (ICU's NFKC and Traditional-Simplified, worked out once
    /// per character met) — and hashed (FNV-1a, 64 bits) to keep the store small. Read from the
    /// values' UTF-8 bytes: no string is made per record.
    struct Printer {
        private var folded: [UInt32: [UInt8]] = [:]
        private var hash: UInt64 = Self.basis
        private var started = false
        private static let basis: UInt64 = 0xcbf2_9ce4_8422_2325

        private mutating func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }

        /// Adds the next value.
        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            if started { mix(0x1F) }
            started = true
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    if b != 0x20 && b != 0x09 { mix(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
                    i += 1
                    continue
                }
                // One character of 2–4 bytes, folded once and remembered by its bytes.
                let n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                guard i + n <= bytes.count else { mix(b); i += 1; continue }
                var key: UInt32 = 0
                for k in 0..<n { key = key << 8 | UInt32(bytes[i + k]) }
                if folded[key] == nil { folded[key] = Self.fold(Array(bytes[i..<(i + n)])) }
                for byte in folded[key]! { mix(byte) }
                i += n
            }
        }

        /// The print of the values added; the printer is ready for the next record.
        mutating func finish() -> Int64 {
            defer { hash = Self.basis; started = false }
            return Int64(bitPattern: hash)
        }

        mutating func print(_ values: [String]) -> Int64 {
            for v in values { Array(v.utf8).withUnsafeBufferPointer { add($0) } }
            return finish()
        }

        private static func fold(_ character: [UInt8]) -> [UInt8] {
            let s = String(decoding: character, as: UTF8.self)
            let compatible = s.precomposedStringWithCompatibilityMapping.lowercased()
            let text = compatible.applyingTransform(StringTransform("Traditional-Simplified"), reverse: false) ?? compatible
            return Array(text.filter { !$0.isWhitespace }.utf8)
        }
    }

    /// The writers of one store in one run (one per table that saves its records) share one
    /// connection and one transaction: the first to write begins it, the last to finish commits
    /// it — every table's records, or none. A second transaction would wait for the first, which
    /// is open until the run ends.
    final class Session: @unchecked Sendable {
        let store: Store
        private var writers = 0
        private var began = false
        private(set) var failed = false
        private let key: String
        private static let lock = NSLock()
        nonisolated(unsafe) private static var open: [String: Session] = [:]

        private init(store: Store, key: String) { self.store = store; self.key = key }

        /// The run's session of the store at `path` (opened, or created, the first time).
        static func join(_ path: String) throws -> Session {
            lock.lock(); defer { lock.unlock() }
            let key = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            let session = try open[key] ?? Session(store: Store(path: path), key: key)
            open[key] = session
            session.writers += 1
            return session
        }

        /// Opens the transaction, if no writer has yet.
        func begin(_ db: Database) throws {
            if failed { throw Problem(message: Message(zh: "本次运行已失败，资料库未作改动", en: "the run failed; the store is unchanged")) }
            guard !began else { return }
            try db.execute(sql: "BEGIN IMMEDIATE")
            began = true
        }

        /// A writer is done: the last one commits (unless another failed).
        func leave() throws {
            writers -= 1
            guard writers == 0, !failed else { return }
            defer { close() }
            guard began else { return }
            try store.db.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            began = false
        }

        /// The run failed: nothing of it is kept.
        func rollBack() {
            failed = true
            if began { try? store.db.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") } }
            began = false
            close()
        }

        private func close() {
            Session.lock.lock(); defer { Session.lock.unlock() }
            if Session.open[key] === self { Session.open[key] = nil }
        }
    }

    /// What went wrong with the store, said to the user (a damaged, busy or unwritable file).
    public struct Problem: TaizhangError, Sendable {
        public var message: Message
        public var exitStatus: ExitStatus { .io }
        public func text(_ lang: Language) -> String { (lang == .zh ? "错误：" : "error: ") + message.text(lang) }
    }

    /// Opens (or creates, owner-only) a store and brings it to this version's tables.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        let display = Options.display(path)
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw Problem(message: Message(zh: "\(display) 是一个文件夹，不是资料库文件（写成 文件夹/台账.sqlite）", en: "\(display) is a folder, not a store file (write folder/台账.sqlite)"))
        }
        if !fm.fileExists(atPath: path) {
            guard create else {
                throw Problem(message: Message(zh: "资料库不存在：\(display)", en: "no store at \(display)"))
            }
            // Personal data: the file (and SQLite's -wal and -shm, which copy its mode) is the owner's alone.
            guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw Problem(message: Message(zh: "无法创建资料库 \(display)（文件夹不存在或没有写权限）", en: "cannot create the store \(display) (no such folder, or no permission)"))
            }
        }
        // Asking a store never makes one: an empty file or a folder is no store.
        if !create {
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size == 0 {
                throw Problem(message: Message(zh: "\(display) 不是 taizhang 的资料库", en: "\(display) is not a taizhang store"))
            }
        }
        var config = Configuration()
        // A second run on the same store waits for the first to finish writing (up to a minute).
        config.busyMode = .timeout(60)
        config.foreignKeysEnabled = true
        // `write: store` keeps one transaction open across the run's batches (committed at its end).
        config.allowsUnsafeTransactions = true
        config.prepareDatabase { db in
            // A period's records are one transaction: pages stay in memory (up to 128 MB) rather than
            // spill into the WAL and be read back. NORMAL is safe with WAL (an interrupted write is
            // rolled back; only the very last commit could be lost to a power cut).
            try db.execute(sql: "PRAGMA cache_size = -131072")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            db = try DatabasePool(path: path, configuration: config)
            if try db.read({ try Store.migrator.hasBeenSuperseded($0) }) {
                throw Problem(message: Message(zh: "资料库 \(display) 是更新版本的 taizhang 写的，这个版本不能打开它（请升级 taizhang）",
                                               en: "the store \(display) was written by a newer taizhang; this version cannot open it (upgrade taizhang)"))
            }
            if !create, try !db.read({ try $0.tableExists("snapshot") }) {
                throw Problem(message: Message(zh: "\(display) 不是 taizhang 的资料库", en: "\(display) is not a taizhang store"))
            }
            try Store.migrator.migrate(db)
        } catch let p as Problem {
            throw p
        } catch {
            throw Store.problem(error, display)
        }
    }

    /// A database error as a user reads it: busy, not a store, or the error itself.
    static func problem(_ error: any Error, _ display: String) -> Problem {
        if let e = error as? DatabaseError {
            switch e.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return Problem(message: Message(zh: "资料库 \(display) 正忙：另一次运行正在写入，请等它结束后再试", en: "the store \(display) is busy: another run is writing to it; try again when it ends"))
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return Problem(message: Message(zh: "\(display) 不是 taizhang 的资料库（或已损坏）", en: "\(display) is not a taizhang store (or it is damaged)"))
            case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
                return Problem(message: Message(zh: "无法写入资料库 \(display)（没有写权限？）", en: "cannot write the store \(display) (permission?)"))
            default: break
            }
        }
        if error is RowDecodingError {
            // Not GRDB's own words: they quote the whole row, personal data and all.
            return Problem(message: Message(zh: "资料库 \(display) 已损坏（有的值不是它该有的类型，是否被手工改过？）", en: "the store \(display) is damaged (a value of the wrong type; edited by hand?)"))
        }
        return Problem(message: Message(zh: "资料库 \(display) 出错：\(error)", en: "store \(display): \(error)"))
    }

    // MARK: - Reading

    public struct Snapshot: Sendable {
        public var unit: String
        public var period: String
        public var writtenAt: String
        public var pipeline: String
        public var records: Int
        /// '' for the persons' ledger, else the schema of the records (a visit log's).
        public var kind: String
    }

    public func snapshots() throws -> [Snapshot] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT unit.name, period, written_at, pipeline, records, kind FROM snapshot JOIN unit ON unit.id = unit_id ORDER BY period, kind, unit.name")
                .map { Snapshot(unit: try $0.decode(atIndex: 0), period: try $0.decode(atIndex: 1), writtenAt: try $0.decode(atIndex: 2),
                                pipeline: try $0.decode(atIndex: 3), records: try $0.decode(atIndex: 4), kind: try $0.decode(atIndex: 5)) }
        }
    }

    /// A stored record: whose, where, its values by field.
    public struct Record: Sendable {
        public var person: String
        public var unit: String
        public var period: String
        public var values: [String: String]
        public var file: String
        public var sheet: String?
        public var row: Int
        public var changes: [String: String]
    }

    /// The records of a period (all units, or one): the persons' ledger's, or those of another `kind`.
    public func records(period: String, unit: String? = nil, kind: String = "") throws -> [Record] {
        let period = Store.periodCode(period)
        return try read { db in
            var sql = "SELECT person.key, unit.name, snapshot.period, snapshot.fields, record.\"values\", source.file, source.sheet, record.row, record.changes FROM record JOIN snapshot ON snapshot.id = record.snapshot_id JOIN unit ON unit.id = snapshot.unit_id JOIN person ON person.id = record.person_id JOIN source ON source.id = record.source_id WHERE snapshot.period = ? AND snapshot.kind = ?"
            var args: [any DatabaseValueConvertible] = [period, kind]
            if let unit { sql += " AND unit.name = ?"; args.append(unit) }
            sql += " ORDER BY unit.name, record.id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Store.record)
        }
    }

    /// Every record of a person (by the identifying value), or of a name (in a unit), oldest period first.
    /// The distinct names of the ledger's records of `length` characters (for a lookup by name
    /// that folds how names are written).
    public func names(ofLength length: Int) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT name FROM record WHERE length(name) = ?", arguments: [length]) }
    }

    /// A person's records, period by period: by person key, or every person who has ever borne
    /// one of `names` (in `unit`), with all their records.
    public func history(key: String? = nil, names: [String] = [], unit: String? = nil) throws -> [Record] {
        try read { db in
            var sql = "SELECT person.key, unit.name, snapshot.period, snapshot.fields, record.\"values\", source.file, source.sheet, record.row, record.changes FROM record JOIN snapshot ON snapshot.id = record.snapshot_id JOIN unit ON unit.id = snapshot.unit_id JOIN person ON person.id = record.person_id JOIN source ON source.id = record.source_id WHERE snapshot.kind = '' AND "
            var args: [any DatabaseValueConvertible] = []
            if let key {
                sql += "person.key = ?"
                args.append(key)
            } else {
                // By name: every person who has ever had this name (in the unit), with all their records.
                let marks = Array(repeating: "?", count: max(names.count, 1)).joined(separator: ",")
                sql += "record.person_id IN (SELECT r.person_id FROM record r JOIN snapshot s ON s.id = r.snapshot_id JOIN unit u ON u.id = s.unit_id WHERE s.kind = '' AND r.name IN (\(marks))" + (unit == nil ? ")" : " AND u.name = ?)")
                args.append(contentsOf: names.isEmpty ? [""] : names)
                if let unit { args.append(unit) }
            }
            sql += " ORDER BY snapshot.period, unit.name, record.id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Store.record)
        }
    }

    /// The field names a period's snapshots hold (every snapshot's, in first-seen order).
    public func fields(period: String, unit: String? = nil) throws -> [String] {
        let period = Store.periodCode(period)
        return try read { db in
            var out: [String] = []
            for f in try String.fetchAll(db, sql: "SELECT fields FROM snapshot JOIN unit ON unit.id = unit_id WHERE period = ? AND kind = ''" + (unit == nil ? "" : " AND unit.name = ?"),
                                         arguments: StatementArguments([period] + (unit.map { [$0] } ?? []))) {
                for name in (try? JSONDecoder().decode([String].self, from: Data(f.utf8))) ?? [] where !out.contains(name) { out.append(name) }
            }
            return out
        }
    }

    /// A page of a period's records after record `after` (by id): values by field, and the row.
    public func page(period: String, unit: String?, after: Int64, limit: Int) throws -> [(id: Int64, values: [String: String], row: Int)] {
        let period = Store.periodCode(period)
        return try read { db in
            var sql = "SELECT record.id, snapshot.fields, record.\"values\", record.row FROM record JOIN snapshot ON snapshot.id = record.snapshot_id"
            var args: [any DatabaseValueConvertible] = [period, after]
            if unit != nil { sql += " JOIN unit ON unit.id = snapshot.unit_id" }
            sql += " WHERE snapshot.period = ? AND snapshot.kind = '' AND record.id > ?"
            if let unit { sql += " AND unit.name = ?"; args.append(unit) }
            sql += " ORDER BY record.id LIMIT \(limit)"
            var fieldsOf: [String: [String]] = [:]
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let json: String = try row.decode(atIndex: 1)
                let fields = fieldsOf[json] ?? ((try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? [])
                fieldsOf[json] = fields
                return (try row.decode(atIndex: 0), Dictionary(zip(fields, Store.decode(try row.decode(atIndex: 2))).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }), try row.decode(atIndex: 3))
            }
        }
    }

    /// Review decisions kept from every filled review sheet fed back so far (配对键 → same person?).
    public func decisions() throws -> [String: Bool] {
        try read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT pair_key, same FROM decision").map { (try $0.decode(String.self, atIndex: 0), try $0.decode(Bool.self, atIndex: 1)) }, uniquingKeysWith: { _, b in b })
        }
    }

    /// Keeps a review sheet's decisions (a later decision on a pair replaces the earlier one), in
    /// one short transaction of its own.
    public func keep(decisions: [String: Bool], source: String) throws {
        guard !decisions.isEmpty else { return }
        let stamp = ISO8601DateFormatter().string(from: Date())
        do {
            try db.write { db in
                let upsert = try db.cachedStatement(sql: "INSERT INTO decision (pair_key, same, decided_at, source) VALUES (?, ?, ?, ?) ON CONFLICT (pair_key) DO UPDATE SET same = excluded.same, decided_at = excluded.decided_at, source = excluded.source WHERE same != excluded.same")
                for (k, v) in decisions.sorted(by: { $0.key < $1.key }) { try upsert.execute(arguments: [k, v, stamp, source]) }
            }
        } catch {
            throw Store.problem(error, Options.display(path))
        }
    }

    /// The periods stored of the persons' ledger (or of another `kind` of records), oldest first
    /// (codes written alike sort by time: 2026Q2 < 2026Q3).
    public func periods(kind: String = "") throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT period FROM snapshot WHERE kind = ? ORDER BY period", arguments: [kind]) }
    }

    /// "the store has no period P" — with the periods it has, or, when it holds no ledger at all
    /// (only visits, say), that.
    public static func noPeriod(_ period: String, unit: String? = nil, has periods: [String]) -> Message {
        let which = unit.map { "「\($0)」" } ?? "", whichEn = unit.map { " for '\($0)'" } ?? ""
        guard !periods.isEmpty else {
            return Message(zh: "资料库中没有 \(period) 期\(which)的台账记录（资料库中还没有存入任何一期台账）",
                           en: "the store has no ledger records of \(period)\(whichEn) (it holds no period of the ledger yet)")
        }
        return Message(zh: "资料库中没有 \(period) 期\(which)的台账记录（有：\(periods.joined(separator: "、"))）",
                       en: "the store has no ledger records of \(period)\(whichEn) (it has: \(periods.joined(separator: ", ")))")
    }

    /// The latest stored period of the ledger before `period` (written alike: quarters before a quarter).
    public func period(before period: String) throws -> String? {
        let period = Store.periodCode(period)
        let shape = Store.shape(period)
        return try periods().filter { $0 < period && Store.shape($0) == shape }.last
    }

    static func shape(_ p: String) -> String { String(p.map { $0.isNumber ? "9" : $0 }) }

    /// A period as the store keeps it: 2026q3 and " 2026Q3" are 2026Q3 (as a return reads them),
    /// not periods of their own.
    public static func periodCode(_ p: String) -> String { p.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() }

    /// A record read back. Each value is decoded with a check (a hand-edited store can hold text
    /// where a number belongs): a wrong one is an error of the store, not a trap.
    static func record(_ row: Row) throws -> Record {
        let fields = (try? JSONDecoder().decode([String].self, from: Data((try row.decode(String.self, atIndex: 3)).utf8))) ?? []
        let values = decode(try row.decode(String.self, atIndex: 4))
        let changed = (try row.decode(String?.self, atIndex: 8)).map(decode) ?? []
        let changes = Dictionary(stride(from: 0, to: changed.count - 1, by: 2).map { (changed[$0], changed[$0 + 1]) }, uniquingKeysWith: { a, _ in a })
        return Record(person: try row.decode(atIndex: 0), unit: try row.decode(atIndex: 1), period: try row.decode(atIndex: 2),
                      values: Dictionary(zip(fields, values).filter { !$0.1.isEmpty }.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }),
                      file: try row.decode(atIndex: 5), sheet: try row.decode(atIndex: 6), row: try row.decode(atIndex: 7), changes: changes)
    }

    /// Values kept compactly: joined by U+001F (which no ledger value holds — a value that does is
    /// kept whole as a JSON array after U+001E).
    static func encode(_ values: [String]) -> String {
        if values.contains(where: { $0.utf8.contains(0x1F) || $0.utf8.first == 0x1E }) {
            return "\u{1E}" + String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
        }
        return values.joined(separator: "\u{1F}")
    }

    static func decode(_ text: String) -> [String] {
        if text.utf8.first == 0x1E { return (try? JSONDecoder().decode([String].self, from: Data(text.dropFirst().utf8))) ?? [] }
        return text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try db.read(body) } catch { throw Store.problem(error, Options.display(path)) }
    }
}
