import Foundation
import Testing
import TaizhangBuiltins
import TaizhangCore
import TaizhangExec
import TaizhangLinkage
import TaizhangMemberLedger
import TaizhangReaders
import TaizhangTesting
import TaizhangFields
import TaizhangWriters

let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func everything() -> Registry { Builtins.registry() }

let sampleRows: [[String: String]] = [
    ["姓名": "张三", "性别": "男", "统战对象类别": "党外知识分子", "所在社区": "甲社区", "公民身份号码": "110105198503120012", "出生日期": "1985-03-12"],
    ["姓名": "", "性别": "未", "统战对象类别": "离退休干部", "所在社区": "甲社区", "公民身份号码": "12345", "出生日期": "85.3"],
]

/// The kit applied to every built-in plugin: they are its first users.
@Suite struct BuiltinPluginsConformTests {
    @Test(arguments: everything().allSpecs.map(\.name).enumerated().map { "\($0.offset):\($0.element)" })
    func specIsWellFormed(_ key: String) {
        let spec = everything().allSpecs[Int(key.split(separator: ":")[0])!]
        #expect(PluginConformance.spec(spec) == [], "\(spec.name)")
        #expect(FileManager.default.fileExists(atPath: repo.appendingPathComponent(spec.file).path), "\(spec.file)")
    }

    @Test(arguments: [("csv", "pipelines/samples/书院路社区.csv"), ("json", "pipelines/samples/none.json"),
                      ("xls", "pipelines/samples/和平里社区-2009旧台账.xls"), ("xlsx", "pipelines/samples/和平里社区-2009旧台账.xlsx")])
    func readers(_ name: String, _ sample: String) throws {
        var path = repo.appendingPathComponent(sample).path
        if name == "json" {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("conf-\(UUID().uuidString).json").path
            try #"[{"姓名":"张三","性别":"男"},{"姓名":"李四"}]"#.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(PluginConformance.reader(everything().readers[name]!, sample: path, schema: MemberLedgerSchema.schema) == [], "\(name)")
    }

    /// read: store, on a store a run has just filled.
    @Test func storeReader() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("conf-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = repo.appendingPathComponent("pipelines/samples/书院路社区.csv").path
        try "schema: member-ledger\nstore: s.sqlite\ninputs:\n  - read: csv\n    path: '\(sample)'\noutputs:\n  - write: store\n    period: 2026Q3\n"
            .write(to: dir.appendingPathComponent("p.yml"), atomically: true, encoding: .utf8)
        var o = RunOptions()
        o.showProgress = false
        let p = try PipelineLoader(registry: everything()).load(file: dir.appendingPathComponent("p.yml").path)
        _ = try Runner(pipeline: p, registry: everything(), options: o).run()
        #expect(PluginConformance.reader(everything().readers["store"]!, sample: dir.appendingPathComponent("s.sqlite").path,
                                         options: ["period": "2026Q3"], schema: MemberLedgerSchema.schema) == [])
    }

    @Test func execReader() {
        let dir = repo.appendingPathComponent("pipelines").path
        #expect(PluginConformance.reader(everything().readers["exec"]!, sample: dir + "/samples/老系统导出-定长.txt",
                                         yaml: "command: [python3, plugins/fixed_width.py]\noptions:\n  columns: [姓名, 性别, 人员类别, 社区]\n  widths: [6, 2, 10, 8]\n",
                                         directory: dir, schema: MemberLedgerSchema.schema) == [])
    }

    /// Every built-in reader, step and writer is checked by one of the tests here.
    @Test func everyBuiltinPluginIsCovered() {
        let covered: Set<String> = ["read: csv", "read: json", "read: xls", "read: xlsx", "read: exec", "read: store",
                                    "step: fields", "step: member-ledger", "step: id-number", "step: member-category", "step: member-values",
                                    "step: member-return", "step: duplicates", "step: link", "step: exec", "step: visits",
                                    "write: json", "write: csv", "write: json-report", "write: xlsx-ledger", "write: issue-workbook",
                                    "write: xlsx-return", "write: json-return", "write: review-workbook", "write: exec", "write: xlsx-template", "write: store"]
        let all = Set(everything().allSpecs.map { "\($0.kind == .step ? "step" : $0.kind.verbs[0]): \($0.name)" })
        #expect(all == covered, "not covered: \(all.subtracting(covered)); gone: \(covered.subtracting(all))")
    }

    /// A run's summary with a return and review pairs, for the writers that draw them.
    static func summary(_ pipeline: String) throws -> RunSummary {
        var o = RunOptions()
        o.dryRun = true
        o.showProgress = false
        let p = try PipelineLoader(registry: everything()).load(file: repo.appendingPathComponent("pipelines/\(pipeline)").path)
        return try Runner(pipeline: p, registry: everything(), options: o).run().summary
    }

    @Test(arguments: ["fields", "member-ledger", "id-number", "member-category", "member-values", "duplicates"])
    func steps(_ name: String) {
        #expect(PluginConformance.step(everything().steps[name]!, schema: MemberLedgerSchema.schema, rows: sampleRows) == [], "\(name)")
    }

    /// `step: visits` in the visit-log table of a pipeline whose member-ledger table comes first.
    @Test func visitsStep() {
        let tables = TableDirectory([.init(name: "member-ledger", schema: MemberLedgerSchema.schema), .init(name: "走访", schema: MemberLedgerSchema.visitLog)], current: 1)
        let visits = [["走访日期": "2026-08-01", "姓名": "张三", "所在社区": "书院路社区", "走访事由": "定期走访"], ["走访日期": "2026-13-01", "姓名": "李四", "走访事由": "其他"]]
        #expect(PluginConformance.step(everything().steps["visits"]!, options: ["period": "2026Q3"], schema: MemberLedgerSchema.visitLog, rows: visits, tables: tables) == [])
    }

    @Test(arguments: [("member-return", "period: 2026Q3\n"), ("link", "compare: {姓名: name, 出生日期: date}\n"),
                      ("exec", "command: [plugins/flag_word.sh, 张三]\n")])
    func stepsWithOptions(_ name: String, _ yaml: String) {
        #expect(PluginConformance.step(everything().steps[name]!, yaml: yaml, directory: repo.appendingPathComponent("pipelines").path,
                                       schema: MemberLedgerSchema.schema, rows: sampleRows) == [], "\(name)")
    }

    @Test(arguments: [("xlsx-return", "quarterly-return.yml"), ("json-return", "quarterly-return.yml"), ("review-workbook", "find-duplicates.yml"),
                      ("xlsx-template", "fill-district-template.yml")])
    func writersOfWholeRuns(_ name: String, _ pipeline: String) throws {
        let summary = try Self.summary(pipeline)
        #expect(!summary.tables.isEmpty || !summary.reviews.isEmpty)
        #expect(PluginConformance.writer(everything().writers[name]!, schema: MemberLedgerSchema.schema, rows: sampleRows,
                                         ext: name == "json-return" ? "json" : "xlsx", summary: summary) == [], "\(name)")
    }

    @Test func execWriter() {
        #expect(PluginConformance.writer(everything().writers["exec"]!, yaml: "command: [python3, plugins/to_markdown.py]\n",
                                         directory: repo.appendingPathComponent("pipelines").path,
                                         schema: MemberLedgerSchema.schema, rows: sampleRows, ext: "md") == [])
    }

    @Test(arguments: [("json", "json"), ("csv", "csv"), ("json-report", "json"), ("xlsx-ledger", "xlsx"), ("issue-workbook", "xlsx")])
    func writers(_ name: String, _ ext: String) {
        #expect(PluginConformance.writer(everything().writers[name]!, schema: MemberLedgerSchema.schema, rows: sampleRows, ext: ext) == [], "\(name)")
    }

    @Test func theKitFindsProblems() {
        let bad = PluginSpec(name: "Bad_Name", kind: .writer, summary: Message(zh: "", en: "x"),
                             options: [OptionSpec("n", .integer, default: "many", doc: Message(zh: "", en: "")), OptionSpec("n", .boolean, default: "yes", doc: Message(zh: "x", en: "x"))], file: "")
        let problems = PluginConformance.spec(bad)
        #expect(problems.count >= 6, "\(problems)")
        #expect(problems.contains { $0.contains("kebab-case") } && problems.contains { $0.contains("declared twice") } && problems.contains { $0.contains("path") })
    }
}
