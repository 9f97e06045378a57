import Foundation
import GRDB
import Testing
import TaizhangTestSupport

/// Issue 22: the store (资料库). Two quarters through one store give the named 人员变动 without a
/// previous-ledger file; a snapshot is all or nothing (kill -9 mid-write leaves the store as it
/// was), re-running a period replaces it, two runs at once do not corrupt it, a newer store is
/// refused, the file is the owner's alone.
@Suite(.serialized) struct StoreTests {
    func pipeline(_ c: PipelinesCopy, _ name: String, period: String, input: String, extra: String = "") {
        c.write("pipelines/\(name)", """
        name: \(period)
        schema: member-ledger
        store: 台账.sqlite
        inputs:
          - read: csv
            path: \(input)
        steps:
          - normalize: member-ledger
          - validate: id-number
        \(extra)
        outputs:
          - write: json-return
            path: out/\(period).json
          - write: xlsx-return
            path: out/\(period).xlsx
          - write: store
            period: \(period)

        """)
    }

    /// The CLI started in the pipelines folder and left running (to be killed, or raced).
    func background(_ args: [String], in c: PipelinesCopy) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = c.dir.appendingPathComponent("pipelines")
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func twoQuarters(_ c: PipelinesCopy) throws {
        let step = "  - step: member-return\n    period: 2026Q2"
        pipeline(c, "q2.yml", period: "2026Q2", input: "samples/书院路社区-2026Q2上期.csv", extra: step)
        pipeline(c, "q3.yml", period: "2026Q3", input: "samples/书院路社区.csv", extra: step.replacingOccurrences(of: "2026Q2", with: "2026Q3"))
        let q2 = try taizhang(["run", "pipelines/q2.yml"], cwd: c.dir)
        #expect(q2.code == 0 && q2.stdout.contains("已存入资料库 pipelines/台账.sqlite：2026Q2 期，书院路社区 3 条"), "\(q2.stdout)")
        let o = try taizhang(["run", "pipelines/q3.yml"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")     // the sample has errors on purpose
    }

    /// A lookup by name finds the name however it was written (陳靜 for 陈静), and two people of
    /// one name are shown apart — one's record is never read as the other's 调动.
    @Test func historyByNameFoldsTheWritingAndKeepsPeopleApart() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/people.csv", """
            姓名,性别,出生日期,身份证号,统战对象类别,所在社区
            李伟,男,1985-03-12,110105198503120012,党外知识分子,书院路社区
            李伟,男,1971-01-01,110105197101010035,民主党派成员,和平里社区
            陳靜,女,1990-07-01,11010519900701002X,非公有制经济人士,书院路社区

            """)
        pipeline(c, "p.yml", period: "2026Q3", input: "people.csv", extra: "  - step: member-return\n    period: 2026Q3")
        _ = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        let two = try taizhang(["store", "history", "李伟", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(two.code == 0 && two.stdout.contains("—— 第 1 人（共 2 人）——") && two.stdout.contains("—— 第 2 人（共 2 人）——"), "\(two.stdout)")
        #expect(!two.stdout.contains("调动") && !two.stdout.contains("类别："), "two people, not one who moved: \(two.stdout)")
        let folded = try taizhang(["store", "history", "陈静", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(folded.code == 0 && folded.stdout.contains("2026Q3  书院路社区") && folded.stdout.contains("非公有制经济人士"), "\(folded.stdout)\(folded.stderr)")
    }

    @Test func twoQuartersGiveTheNamedChangesWithoutAPreviousLedger() throws {
        let c = try PipelinesCopy()
        try twoQuarters(c)
        let doc = try c.json("pipelines/out/2026Q3.json") as! [String: Any]
        let changes = try #require(doc["changes"] as? [String: Any])
        let total = (changes["rows"] as! [[String: Any]]).first { $0["key"] as? String == "total" }!["counts"] as! [String: Int]
        // 2026Q2: 张伟, 李娜, 钱* (3); 2026Q3 accepted: 张伟, 李娜 (now 非公), 王小明, and one more; 钱 left.
        #expect(total["previous"] == 3 && total["left"] == 1 && total["current"] == total["previous"]! + total["joined"]! - 1, "\(total)")
        let book = try XLSXPeek(path: c.path("pipelines/out/2026Q3.xlsx"))
        let list = try #require(book.sheet("人员变动名单"))
        let cells = (3...list.rowCount).flatMap { r in ["A", "B", "C", "D"].map { list["\($0)\(r)"] ?? "" } }
        #expect(cells.contains("减少") && cells.contains("新增") && cells.contains("类别变化"), "\(cells)")
        let out = try taizhang(["store", "changes", "2026Q2", "2026Q3", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(out.code == 0 && out.stdout.contains("减少 1 人") && out.stdout.contains("类别变化  书院路社区  李*  党外知识分子 → 非公有制经济人士"), "\(out.stdout)")
        let history = try taizhang(["store", "history", "李娜", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(history.stdout.contains("2026Q2") && history.stdout.contains("2026Q3") && history.stdout.contains("类别：党外知识分子 → 非公有制经济人士"), "\(history.stdout)")
        #expect(!history.stdout.contains("李娜"))     // masked by default
        let periods = try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(periods.stdout.contains("2026Q2：书院路社区 3 条") && periods.stdout.contains("2026Q3：书院路社区"), "\(periods.stdout)")
        let attributes = try FileManager.default.attributesOfItem(atPath: c.path("pipelines/台账.sqlite"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let export = try taizhang(["store", "export", "2026Q2", "--store", "pipelines/台账.sqlite", "--out", "q2.csv"], cwd: c.dir)
        let exported = try String(contentsOfFile: c.path("q2.csv"), encoding: .utf8)
        #expect(export.code == 0 && exported.split(separator: "\n").count == 4)
        #expect(!exported.contains("李娜"), "export masks names unless asked")
        let full = try taizhang(["store", "export", "2026Q2", "--store", "pipelines/台账.sqlite", "--out", "q2-full.csv", "--full-personal-data"], cwd: c.dir)
        let fullText = try String(contentsOfFile: c.path("q2-full.csv"), encoding: .utf8)
        #expect(full.code == 0 && fullText.contains("李娜"))
        // Asking never makes a store: an empty file stays empty and is refused.
        c.write("empty.sqlite", "")
        let empty = try taizhang(["store", "periods", "--store", "empty.sqlite"], cwd: c.dir)
        let size = try FileManager.default.attributesOfItem(atPath: c.path("empty.sqlite"))[.size] as? Int
        #expect(empty.code != 0 && empty.stderr.contains("不是 taizhang 的资料库") && size == 0)
        let xlsx = try taizhang(["store", "export", "2026Q2", "--store", "pipelines/台账.sqlite", "--out", "q2.xlsx"], cwd: c.dir)
        let sheet = try #require(try XLSXPeek(path: c.path("q2.xlsx")).sheet("台账"))
        #expect(xlsx.code == 0 && sheet["B1"] == "姓名" && sheet.rowCount == 4 && sheet["F2"]?.count == 18, "\(xlsx.stderr)")
    }

    /// A stored period read back as an input (`read: store`) gives the records as they were saved.
    @Test func aStoredPeriodIsAnInput() throws {
        let c = try PipelinesCopy()
        try twoQuarters(c)
        c.write("pipelines/back.yml", "schema: member-ledger\ninputs:\n  - read: store\n    path: 台账.sqlite\n    period: 2026Q2\noutputs:\n  - write: csv\n    path: out/back.csv\n")
        let o = try taizhang(["run", "pipelines/back.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let text = try String(contentsOfFile: c.path("pipelines/out/back.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4 && text.contains("钱") && text.contains("书院路社区"), "\(text)")
        c.write("pipelines/none.yml", "schema: member-ledger\ninputs:\n  - read: store\n    path: 台账.sqlite\n    period: 2025Q4\noutputs:\n  - write: csv\n    path: out/none.csv\n")
        let none = try taizhang(["run", "pipelines/none.yml"], cwd: c.dir)
        #expect(none.code != 0 && none.stderr.contains("资料库中没有 2025Q4 期的台账记录（有：2026Q2、2026Q3）"), "\(none.stderr)")
    }

    /// A review decision fed back once is kept in the store and holds on later runs without the sheet.
    @Test func reviewDecisionsAreKeptInTheStore() throws {
        let c = try PipelinesCopy()
        #expect(try taizhang(["run", "pipelines/find-duplicates.yml"], cwd: c.dir).code == 1)
        let key = try #require(try XLSXPeek(path: c.path("pipelines/out/查重-复核表.xlsx")).sheet("疑似重复人员")?["N2"])
        c.write("pipelines/决定.csv", "编号,决定,配对键\n1,是,\(key)\n")
        let base = try String(contentsOfFile: c.path("pipelines/find-duplicates.yml"), encoding: .utf8)
            .replacingOccurrences(of: "schema: member-ledger\n", with: "schema: member-ledger\nstore: 台账.sqlite\n")
        c.write("pipelines/with.yml", base.replacingOccurrences(of: "    # decisions: 查重-复核表-已填.xlsx      # the filled copy of out/查重-复核表.xlsx", with: "    decisions: 决定.csv"))
        c.write("pipelines/without.yml", base)
        func merged(_ pipeline: String) throws -> Bool {
            _ = try taizhang(["run", "pipelines/\(pipeline)"], cwd: c.dir)
            let report = try c.json("pipelines/out/查重-报告.json") as! [String: Any]
            return (report["issues"] as! [[String: Any]]).contains { i in
                i["code"] as? String == "duplicate-person" && (i["file"] as? String)?.hasSuffix("交道口社区.csv") == true && i["row"] as? Int == 4
            }
        }
        #expect(try merged("without.yml") == false)          // no decision yet: still a pair to review
        #expect(try merged("with.yml") == true)
        #expect(try merged("without.yml") == true)           // the store remembers 是
    }

    @Test func runningAPeriodAgainReplacesItsSnapshot() throws {
        let c = try PipelinesCopy()
        try twoQuarters(c)
        let before = try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir).stdout
        #expect(try taizhang(["run", "pipelines/q3.yml"], cwd: c.dir).code == 1)
        #expect(try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir).stdout == before)
    }

    /// A big run killed while it writes: the store still holds exactly the earlier period.
    @Test func killedMidWriteLeavesTheStoreAsItWas() throws {
        let c = try PipelinesCopy()
        try twoQuarters(c)
        var csv = "姓名,性别,身份证号,统战对象类别,所在社区\n"
        for i in 0..<300_000 { csv += "人\(i),男,ID\(i),党外知识分子,东村\n" }
        c.write("pipelines/big.csv", csv)
        c.write("pipelines/big.yml", "schema: member-ledger\nstore: 台账.sqlite\ninputs:\n  - read: csv\n    path: big.csv\noutputs:\n  - write: store\n    period: 2026Q4\n")
        let p = try background(["run", "big.yml"], in: c)
        // Wait until the write has begun (the WAL grows), then kill -9.
        let wal = c.path("pipelines/台账.sqlite-wal")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, p.isRunning, ((try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) < 2_000_000 { usleep(20_000) }
        #expect(p.isRunning, "the run ended before it could be killed mid-write")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let periods = try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(periods.code == 0 && !periods.stdout.contains("2026Q4") && periods.stdout.contains("2026Q2：书院路社区 3 条"), "\(periods.stdout)\(periods.stderr)")
        let db = try DatabaseQueue(path: c.path("pipelines/台账.sqlite"))
        #expect(try db.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    /// Two runs on one store at once: the second waits for the first; both land, nothing is lost or doubled.
    @Test func twoRunsAtOnceDoNotCorruptTheStore() throws {
        let c = try PipelinesCopy()
        try twoQuarters(c)
        var csv = "姓名,性别,身份证号,统战对象类别,所在社区\n"
        for i in 0..<60_000 { csv += "人\(i),男,ID\(i),党外知识分子,西村\n" }
        c.write("pipelines/big.csv", csv)
        c.write("pipelines/a.yml", "schema: member-ledger\nstore: 台账.sqlite\ninputs:\n  - read: csv\n    path: big.csv\noutputs:\n  - write: store\n    period: 2026Q4\n")
        c.write("pipelines/b.yml", "schema: member-ledger\nstore: 台账.sqlite\ninputs:\n  - read: csv\n    path: samples/书院路社区-2026Q2上期.csv\noutputs:\n  - write: store\n    period: 2026Q1\n")
        let p = try background(["run", "a.yml"], in: c)
        usleep(300_000)
        let second = try taizhang(["run", "pipelines/b.yml"], cwd: c.dir)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0 && second.code == 0, "\(second.stderr)")
        let periods = try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir).stdout
        #expect(periods.contains("2026Q4：西村 60000 条") && periods.contains("2026Q1：书院路社区 3 条"), "\(periods)")
    }

    /// A person without an ID number is found again when written another way (繁体, a space) or
    /// when the number is filled in later — not counted as one leaver and one joiner.
    @Test func aPersonWithoutAnIDIsFoundAgainAcrossPeriods() throws {
        let c = try PipelinesCopy()
        let header = "姓名,性别,出生日期,身份证号,统战对象类别,所在社区\n"
        c.write("pipelines/q1.csv", header + """
            張偉,男,1985-03-12,,党外知识分子,书院路社区
            王五,男,1960-05-05,,党外知识分子,书院路社区
            李娜,女,1990-07-01,11010519900701002X,非公有制经济人士,书院路社区

            """)
        c.write("pipelines/q2.csv", header + """
            张伟,男,1985-03-12,110105198503120012,党外知识分子,新华社区
            王 五,男,1960-05-05,,党外知识分子,书院路社区
            李娜,女,1990-07-01,11010519900701002X,非公有制经济人士,书院路社区

            """)
        for q in ["q1", "q2"] {
            c.write("pipelines/\(q).yml", "schema: member-ledger\nstore: 台账.sqlite\ninputs:\n  - read: csv\n    path: \(q).csv\nsteps:\n  - normalize: member-ledger\noutputs:\n  - write: store\n    period: 2026\(q.uppercased())\n")
            let o = try taizhang(["run", "pipelines/\(q).yml"], cwd: c.dir)
            #expect(o.code == 0, "\(o.stderr)")
        }
        let out = try taizhang(["store", "changes", "2026Q1", "2026Q2", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        // 張偉 → 张伟 with his number, moved to 新华社区; 王五 → 王 五.
        #expect(out.code == 0 && out.stdout.contains("新增 0 人，减少 0 人，调动 1 人"), "\(out.stdout)")
        #expect(out.stdout.contains("调动  新华社区  张*"), "\(out.stdout)")
    }

    /// The return's 人员变动 from the store says what `store changes` says: a person written without an
    /// ID number last quarter and with one now is the same person (moved), not a joiner beside a leaver;
    /// one without a number in both, written alike (王 五 / 王五), is one person whose category changed.
    @Test func theReturnsChangesAgreeWithTheStoreForAPersonNumberedLater() throws {
        let c = try PipelinesCopy()
        let header = "姓名,性别,出生日期,身份证号,统战对象类别,所在社区\n"
        c.write("pipelines/q1.csv", header + """
            張偉,男,1985-03-12,,党外知识分子,书院路社区
            李娜,女,1990-07-01,11010519900701002X,非公有制经济人士,书院路社区
            王芳,女,1980-01-01,110105198001010024,无党派人士,新华社区
            王 五,男,1960-05-05,,党外知识分子,书院路社区

            """)
        c.write("pipelines/q2.csv", header + """
            张伟,男,1985-03-12,110105198503120012,党外知识分子,新华社区
            李娜,女,1990-07-01,11010519900701002X,非公有制经济人士,书院路社区
            王芳,女,1980-01-01,110105198001010024,无党派人士,新华社区
            王五,男,1960-05-05,,民主党派成员,书院路社区

            """)
        for q in ["q1", "q2"] {
            pipeline(c, "\(q).yml", period: "2026\(q.uppercased())", input: q + ".csv", extra: "  - step: member-return\n    period: 2026\(q.uppercased())")
            let o = try taizhang(["run", "pipelines/\(q).yml"], cwd: c.dir)
            #expect(o.code == 0, "\(o.stdout)\(o.stderr)")
        }
        let doc = try c.json("pipelines/out/2026Q2.json") as! [String: Any]
        let changes = try #require(doc["changes"] as? [String: Any])
        let total = (changes["rows"] as! [[String: Any]]).first { $0["key"] as? String == "total" }!["counts"] as! [String: Int]
        #expect(total == ["previous": 4, "joined": 0, "left": 0, "current": 4], "\(total)")
        let book = try XLSXPeek(path: c.path("pipelines/out/2026Q2.xlsx"))
        let list = try #require(book.sheet("人员变动名单"))
        let cells = (1...list.rowCount).flatMap { r in ["A", "B", "C", "D"].map { list["\($0)\(r)"] ?? "" } }
        #expect(cells.contains("调动") && cells.contains("类别变化") && !cells.contains("新增") && !cells.contains("减少"), "\(cells)")
        let store = try taizhang(["store", "changes", "2026Q1", "2026Q2", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(store.stdout.contains("新增 0 人，减少 0 人，调动 1 人，类别变化 1 人"), "\(store.stdout)")
    }

    /// A store named where a folder is: said so, for a run and for a question.
    @Test func aFolderIsNoStore() throws {
        let c = try PipelinesCopy()
        try FileManager.default.createDirectory(atPath: c.path("pipelines/台账.sqlite"), withIntermediateDirectories: true)
        pipeline(c, "q.yml", period: "2026Q3", input: "samples/书院路社区.csv")
        let o = try taizhang(["run", "pipelines/q.yml"], cwd: c.dir)
        #expect(o.code != 0 && o.stderr.contains("是一个文件夹，不是资料库文件"), "\(o.stdout)\(o.stderr)")
        let ask = try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(ask.code != 0 && ask.stderr.contains("是一个文件夹，不是资料库文件"), "\(ask.stdout)\(ask.stderr)")
    }

    /// A store written before visits were kept (tables of v1 and v2, one snapshot per unit and
    /// period) is brought to this version's tables with its period intact, and takes new periods.
    @Test func aStoreOfTheEarlierVersionKeepsItsPeriods() throws {
        let c = try PipelinesCopy()
        let db = try DatabaseQueue(path: c.path("pipelines/台账.sqlite"))
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1'), ('v2');
                CREATE TABLE unit (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
                CREATE TABLE snapshot (id INTEGER PRIMARY KEY AUTOINCREMENT, unit_id INTEGER NOT NULL REFERENCES unit(id), period TEXT NOT NULL,
                    written_at TEXT NOT NULL, pipeline TEXT NOT NULL, profile TEXT, fields TEXT NOT NULL, records INTEGER NOT NULL, UNIQUE (unit_id, period));
                CREATE TABLE person (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, print INTEGER);
                CREATE TABLE source (id INTEGER PRIMARY KEY AUTOINCREMENT, snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE, file TEXT NOT NULL, sheet TEXT);
                CREATE TABLE record (id INTEGER PRIMARY KEY AUTOINCREMENT, snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
                    person_id INTEGER NOT NULL REFERENCES person(id), name TEXT, "values" TEXT NOT NULL, source_id INTEGER NOT NULL, row INTEGER NOT NULL, changes TEXT);
                CREATE TABLE decision (pair_key TEXT PRIMARY KEY, same BOOLEAN NOT NULL, decided_at TEXT NOT NULL, source TEXT);
                CREATE INDEX record_person ON record(person_id);
                CREATE INDEX record_snapshot ON record(snapshot_id);
                CREATE INDEX record_name ON record(name);
                CREATE INDEX snapshot_period ON snapshot(period);
                INSERT INTO unit VALUES (1, '书院路社区');
                INSERT INTO snapshot VALUES (1, 1, '2026Q1', '2026-04-01T00:00:00Z', 'q1.yml', NULL, '["姓名","公民身份号码","所在社区","统战对象类别"]', 1);
                INSERT INTO person VALUES (1, 'id:110105198503120012', NULL);
                INSERT INTO source VALUES (1, 1, '书院路社区-2026Q1.csv', NULL);
                """)
            try db.execute(sql: "INSERT INTO record VALUES (1, 1, 1, '张伟', ?, 1, 2, NULL)",
                           arguments: [["张伟", "110105198503120012", "书院路社区", "党外知识分子"].joined(separator: "\u{1F}")])
        }
        let history = try taizhang(["store", "history", "110105198503120012", "--store", "pipelines/台账.sqlite", "--full-personal-data"], cwd: c.dir)
        #expect(history.code == 0 && history.stdout.contains("2026Q1") && history.stdout.contains("张伟") && history.stdout.contains("书院路社区-2026Q1.csv"), "\(history.stdout)\(history.stderr)")
        pipeline(c, "q2.yml", period: "2026Q2", input: "samples/书院路社区-2026Q2上期.csv", extra: "  - step: member-return\n    period: 2026Q2")
        let q2 = try taizhang(["run", "pipelines/q2.yml"], cwd: c.dir)
        #expect(q2.code == 0, "\(q2.stdout)\(q2.stderr)")
        // 人员变动 against the period kept from before.
        let changes = try taizhang(["store", "changes", "2026Q1", "2026Q2", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(changes.code == 0 && changes.stdout.contains("新增 2 人，减少 0 人"), "\(changes.stdout)\(changes.stderr)")
        let periods = try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(periods.stdout.contains("2026Q1：书院路社区 1 条") && periods.stdout.contains("2026Q2：书院路社区 3 条"), "\(periods.stdout)")
    }

    @Test func aStoreFromANewerVersionIsRefused() throws {
        let c = try PipelinesCopy()
        try twoQuarters(c)
        let db = try DatabaseQueue(path: c.path("pipelines/台账.sqlite"))
        try db.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        let o = try taizhang(["run", "pipelines/q3.yml"], cwd: c.dir)
        #expect(o.code != 0 && o.stderr.contains("更新版本的 taizhang 写的"), "\(o.stderr)")
        let q = try taizhang(["store", "periods", "--store", "pipelines/台账.sqlite"], cwd: c.dir)
        #expect(q.code != 0 && q.stderr.contains("更新版本"), "\(q.stderr)")
    }

    /// A period written 2026q3 (or with a space) is the period 2026Q3, as a return reads it — not
    /// a period of its own beside it.
    @Test func aPeriodIsKeptAsAReturnReadsIt() throws {
        let c = try PipelinesCopy()
        for (k, period) in ["2026q3 ", "2026Q3"].enumerated() {
            c.write("st\(k).yml", "schema: member-ledger\nstore: st.sqlite\ninputs: [{read: csv, path: pipelines/samples/书院路社区.csv}]\nsteps: [{normalize: member-ledger}]\noutputs: [{write: store, period: \"\(period)\"}]\nfail_on: never\n")
            #expect(try taizhang(["run", "st\(k).yml"], cwd: c.dir).code == 0)
        }
        let periods = try taizhang(["store", "periods", "--store", "st.sqlite"], cwd: c.dir)
        let lines = periods.stdout.split(separator: "\n").filter { $0.contains("2026") }
        #expect(lines.count == 1 && lines[0].hasPrefix("2026Q3："), "\(periods.stdout)")
        #expect(try taizhang(["store", "export", "2026q3", "--store", "st.sqlite", "--out", "q3.csv"], cwd: c.dir).code == 0)
    }
}
