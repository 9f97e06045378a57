import Foundation
import Testing
import TaizhangTestSupport

/// The repository root (this file is Tests/EndToEndTests/CLITests.swift).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `taizhang` executable: beside the test bundle, or under .build, or $TAIZHANG_BIN.
let binary: String = {
    if let b = ProcessInfo.processInfo.environment["TAIZHANG_BIN"] { return b }
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for dir in [here, here.deletingLastPathComponent(), repoRoot.appendingPathComponent(".build/debug")] {
        let p = dir.appendingPathComponent("taizhang").path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return repoRoot.appendingPathComponent(".build/debug/taizhang").path
}()

struct Output {
    var code: Int32
    var stdout: String
    var stderr: String
}

/// Runs the CLI as a user would, in `cwd`, with standard input closed (or fed `stdin`).
func taizhang(_ args: [String], cwd: URL = repoRoot, env: [String: String] = [:], stdin: Data? = nil) throws -> Output {
    try Output.of(binary, args, cwd: cwd, env: env, stdin: stdin)
}

extension Output {
    /// Runs a program (the CLI, or script(1) for a terminal) and collects what it printed.
    static func of(_ program: String, _ args: [String], cwd: URL, env: [String: String] = [:], stdin: Data? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.currentDirectoryURL = cwd
        var e = ProcessInfo.processInfo.environment
        e["TAIZHANG_LANG"] = nil
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try p.run()
        if let stdin {
            // Fed from another thread: a large input must not wait on a full output pipe.
            Thread { input.fileHandleForWriting.write(stdin); try? input.fileHandleForWriting.close() }.start()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: r, as: UTF8.self))
    }
}

/// A copy of pipelines/ in a scratch folder, so runs never write into the repository.
final class PipelinesCopy {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tz-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("pipelines"), to: dir.appendingPathComponent("pipelines"))
        let out = dir.appendingPathComponent("pipelines/out")
        for f in (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [] where f != ".gitignore" {
            try? FileManager.default.removeItem(at: out.appendingPathComponent(f))
        }
    }
    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ p: String) -> String { dir.appendingPathComponent(p).path }
    func json(_ p: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(p))) }
    func write(_ p: String, _ text: String) { FileManager.default.createFile(atPath: path(p), contents: Data(text.utf8)) }
}

@Suite(.serialized) struct CLITests {
    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: binary), "build first: swift build (looked for \(binary))")
    }

    /// On a terminal (a pseudo-terminal made by script(1)) the progress line says the share read
    /// and is cleared at the end; the summary follows on clean lines.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
    func progressOnATerminalShowsTheShareRead() throws {
        let c = try PipelinesCopy()
        var csv = "姓名,性别,人员类别,社区\n"
        for i in 0..<30_000 { csv += "张\(i),男,党外知识分子,书院路社区\n" }
        c.write("big.csv", csv)
        c.write("p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: big.csv\noutputs:\n  - write: csv\n    path: out.csv\nfail_on: never\n")
        let command = "'\(binary)' run p.yml"
        let o = try Output.of("/usr/bin/script", ["-qec", command, "/dev/null"], cwd: c.dir, env: ["COLUMNS": "200"])
        #expect(o.code == 0, "\(o.stdout)")
        #expect(o.stdout.contains("正在读取 big.csv：已读 "), "\(o.stdout.prefix(400))")
        #expect(o.stdout.range(of: #"完成 \d+%"#, options: .regularExpression) != nil, "\(o.stdout.prefix(400))")
        // The last progress line is wiped before the summary is printed.
        let last = try #require(o.stdout.range(of: "正在", options: .backwards))
        let summary = try #require(o.stdout.range(of: "核对："))
        #expect(o.stdout[last.upperBound..<summary.lowerBound].contains("\r\u{1B}[K"), "the line is cleared")
        #expect(o.stdout.contains("核对：读取 30000 = 接受 30000 + 隔离 0 + 跳过 0 ✓"))
    }

    @Test func sampleQuarterlyPipelineRunsEndToEnd() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-check.yml", "--set", "period=2026Q4"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")   // the samples have errors: the run says so by its exit code
        #expect(o.stdout.contains("核对：读取 12 = 接受 7 + 隔离 4 + 跳过 1 ✓"))
        #expect(o.stdout.contains("samples/书院路社区.csv:6:D: 错误: [type-error] 「出生日期」应为日期（YYYY-MM-DD 或 YYYY-MM）（值：1992-02-30）"))
        #expect(o.stdout.contains("（值：110105********0012）"), "ID numbers are masked on screen")
        #expect(!o.stdout.contains("110105198503120012"))
        #expect(o.stderr.isEmpty, "no progress line when not a terminal: \(o.stderr)")

        let members = try c.json("pipelines/out/2026Q4-members.json") as! [[String: Any]]
        #expect(members.count == 7)
        #expect(members.map { $0["姓名"] as! String }.contains("周强"))     // from the GB18030 file
        let zhou = members.first { $0["姓名"] as? String == "周强" }!
        #expect(zhou["备注"] as? String == "民进会员，\r\n曾任区人大代表")   // CRLF file: kept as written
        #expect(members.first?["公民身份号码"] as? String == "110105198503120012")   // clean output keeps the value

        let report = try c.json("pipelines/out/2026Q4-report.json") as! [String: Any]
        let s = report["summary"] as! [String: Any]
        #expect(s["read"] as? Int == 12 && s["accepted"] as? Int == 7 && s["quarantined"] as? Int == 4 && s["skipped"] as? Int == 1)
        let quarantined = try String(contentsOfFile: c.path("pipelines/out/2026Q4-quarantined.csv"), encoding: .utf8)
        #expect(quarantined.contains("孙丽,不详"))
        #expect(quarantined.contains("[not-in-codes] 性别: 不在代码表中"))
    }

    @Test func everyBundledPipelineChecks() throws {
        let dir = repoRoot.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yml") }
        #expect(!files.isEmpty)
        for f in files {
            let o = try taizhang(["check", "pipelines/\(f)"])
            #expect(o.code == 0, "\(f): \(o.stderr)")
        }
    }

    @Test func validateExitsOneAndSaysWhereAndWhy() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["validate", "--schema", "pipelines/schemas/basic-ledger.yml", "pipelines/samples/书院路社区.csv", "--report", "r.json"], cwd: c.dir)
        #expect(o.code == 1)
        #expect(o.stdout.contains("pipelines/samples/书院路社区.csv:7:B: 错误: [required] 「姓名」必填字段为空"))
        let report = try c.json("r.json") as! [String: Any]
        #expect((report["issues"] as! [Any]).count == 4)
        let en = try taizhang(["validate", "--lang", "en", "--schema", "pipelines/schemas/basic-ledger.yml", "pipelines/samples/书院路社区.csv"], cwd: c.dir)
        #expect(en.stdout.contains(":7:B: error: [required] 姓名: required field is empty"))
        #expect(en.stdout.contains("check: read 7 = accepted 3 + quarantined 3 + skipped 1 ✓"))
        #expect(en.stdout.contains("issues: 4 errors, 0 warnings"))
        // One of a kind is said in the singular.
        c.write("one.csv", "姓名,性别,公民身份号码,统战对象类别,所在社区\n,男,110105198503120012,党外知识分子,书院路社区\n")
        let one = try taizhang(["validate", "--lang", "en", "--schema", "pipelines/schemas/basic-ledger.yml", "one.csv"], cwd: c.dir)
        #expect(one.stdout.contains("issues: 1 error, 0 warnings"), "\(one.stdout)")
        #expect(one.stdout.contains("NOT passed — 1 error; 1 record quarantined"), "\(one.stdout)")
    }

    @Test func validateCleanFileExitsZero() throws {
        let c = try PipelinesCopy()
        c.write("ok.csv", "姓名,性别,身份证号,人员类别,社区\n张三,男,110105198503120012,党外知识分子,书院路社区\n")
        let o = try taizhang(["validate", "ok.csv"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stdout)\(o.stderr)")
        c.write("generic.csv", "姓名,性别\n张三,男\n")
        let g = try taizhang(["validate", "--schema", "pipelines/schemas/basic-ledger.yml", "generic.csv"], cwd: c.dir)
        #expect(g.code == 1)   // basic-ledger requires 统战对象类别 and 所在社区
        #expect(g.stdout.contains("missing-column"))
    }

    /// The summary names columns no field answers to; a file without a header (its first data row
    /// read as one) has no such columns to name, and its ID numbers and phones are never printed whole.
    @Test func columnsNoFieldAnswersToAreNamedAndDataRowsNever() throws {
        let c = try PipelinesCopy()
        c.write("extra.csv", "姓名,性别,身份证号,人员类别,社区,爱好\n张三,男,110105198503120012,党外知识分子,书院路社区,钓鱼\n")
        let extra = try taizhang(["validate", "extra.csv"], cwd: c.dir)
        #expect(extra.stdout.contains("未对应到字段的列（原样保留为附加列，不检查、不统计；若是某个字段的另一种叫法，把表头改成该字段的名称）：extra.csv：F 爱好"), "\(extra.stdout)")
        c.write("nohead.csv", "张伟,男,1985-03-12,110105198503120012,党外知识分子,13800138000,书院路社区\n李娜,女,1990-07-01,11010519900701002X,党外知识分子,13912345678,书院路社区\n")
        let nohead = try taizhang(["validate", "nohead.csv"], cwd: c.dir)
        let out = nohead.stdout + nohead.stderr
        #expect(!out.contains("未对应到字段的列") && !out.contains("110105198503120012") && !out.contains("13800138000"), "\(out)")
    }

    @Test func wrongPipelineExitsTwoWithPositions() throws {
        let c = try PipelinesCopy()
        c.write("bad.yml", "inputs:\n  - read: cvs\n    path: pipelines/samples/书院路社区.csv\nsteps:\n  - validate: feilds\n")
        let o = try taizhang(["run", "bad.yml"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.contains("bad.yml:2:11: 错误: 未知的读取插件「cvs」（是不是「csv」？）"))
        #expect(o.stderr.contains("bad.yml:5:15: 错误: 未知的步骤插件「feilds」（是不是「fields」？）"))
    }

    @Test func missingInputExitsThree() throws {
        let c = try PipelinesCopy()
        c.write("p.yml", "inputs:\n  - read: csv\n    path: 没有这个文件.csv\n")
        let o = try taizhang(["check", "p.yml"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.contains("p.yml:3:11: 错误: 输入文件不存在：没有这个文件.csv"))
    }

    @Test func unreadableDataExitsThreeAndWritesNothing() throws {
        let c = try PipelinesCopy()
        c.write("q.csv", "姓名,备注\n张三,\"没闭合\n")
        c.write("p.yml", "inputs:\n  - read: csv\n    path: q.csv\noutputs:\n  - write: json\n    path: pipelines/out/x.json\n")
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.contains("q.csv:2: 错误: 第 2 行开始的引号到文件末尾都没有闭合"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out")) == [".gitignore"])
    }

    @Test func failOnMakesRunExitOne() throws {
        let c = try PipelinesCopy()
        let text = try String(contentsOfFile: c.path("pipelines/quarterly-check.yml"), encoding: .utf8) + "fail_on: error\n"
        c.write("pipelines/strict.yml", text)
        let o = try taizhang(["run", "pipelines/strict.yml", "--dry-run"], cwd: c.dir)
        #expect(o.code == 1)
        #expect(o.stdout.contains("试运行：未写出任何文件"))
    }

    @Test func pluginsListsEveryPluginWithItsFile() throws {
        let o = try taizhang(["plugins"])
        #expect(o.code == 0)
        for name in ["read: csv", "read: json", "validate: fields", "write: json", "write: csv", "write: json-report"] {
            #expect(o.stdout.contains(name), "\(name)")
        }
        #expect(o.stdout.contains("Plugins/Readers/CSVReader.swift"))
        let typo = try taizhang(["plugins", "jsno"])
        #expect(typo.code == 2)
        #expect(typo.stderr.contains("是不是「json」"))
        // As a pipeline writes it: the verb picks the one of that name (read: json, not write: json).
        let asWritten = try taizhang(["plugins", "read: json"])
        #expect(asWritten.code == 0 && asWritten.stdout.hasPrefix("read: json") && !asWritten.stdout.contains("write: json"), "\(asWritten.stdout)\(asWritten.stderr)")
        let visits = try taizhang(["plugins", "step:visits"])
        #expect(visits.code == 0 && visits.stdout.contains("members (string)"), "\(visits.stdout)\(visits.stderr)")
        let otherVerb = try taizhang(["plugins", "write: visits"])
        #expect(otherVerb.code == 2 && otherVerb.stderr.contains("没有「write: visits」；有「step: visits」"), "\(otherVerb.stderr)")
    }
}

/// The report a run writes has every key its documented JSON Schema requires.
@Suite struct ReportSchemaTests {
    func required(_ schema: [String: Any]) -> [String] { schema["required"] as? [String] ?? [] }

    @Test func reportMatchesDocumentedSchema() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-check.yml"], cwd: c.dir)
        #expect(o.code == 1)   // the samples have errors: the run says so by its exit code
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repoRoot.appendingPathComponent("docs/schemas/report.schema.json"))) as! [String: Any]
        let report = try c.json("pipelines/out/2026Q3-report.json") as! [String: Any]
        let props = schema["properties"] as! [String: Any]
        #expect(Set(report.keys) == Set(required(schema)))
        let issueSchema = (props["issues"] as! [String: Any])["items"] as! [String: Any]
        for issue in report["issues"] as! [[String: Any]] {
            #expect(Set(required(issueSchema)).isSubset(of: issue.keys))
            #expect(["error", "warning", "info"].contains(issue["severity"] as! String))
        }
        let summarySchema = props["summary"] as! [String: Any]
        let summary = report["summary"] as! [String: Any]
        #expect(Set(required(summarySchema)).isSubset(of: summary.keys))
        let sourceSchema = ((summarySchema["properties"] as! [String: Any])["sources"] as! [String: Any])["items"] as! [String: Any]
        for s in summary["sources"] as! [[String: Any]] { #expect(Set(required(sourceSchema)).isSubset(of: s.keys)) }
    }
}

@Suite(.serialized) struct DomainCLITests {
    @Test func validateBeforeSubmissionExitsOneWithAWorkbook() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/validate-before-submission.yml"], cwd: c.dir)
        #expect(o.code == 1, "fail_on: error")
        #expect(o.stdout.contains("核对：读取 33 = 接受 16 + 隔离 12 + 跳过 5 ✓"))
        let book = try XLSXPeek(path: c.path("pipelines/out/2026Q3-报送前问题清单.xlsx"))
        #expect(book.sheetNames == ["汇总", "问题清单", "问题行-书院路社区", "问题行-书院路社区-2008旧台账-GBK", "说明"])
    }

    /// `by: 所在社区`: one workbook per community, each with only its own rows and counts.
    @Test func issueWorkbookByCommunity() throws {
        let c = try PipelinesCopy()
        let text = try String(contentsOfFile: c.path("pipelines/validate-before-submission.yml"), encoding: .utf8)
        c.write("pipelines/by.yml", text.replacingOccurrences(of: "    path: out/${period}-报送前问题清单.xlsx", with: "    path: out/${period}-报送前问题清单.xlsx\n    by: 所在社区"))
        let o = try taizhang(["run", "pipelines/by.yml"], cwd: c.dir)
        #expect(o.code == 1)
        #expect(o.stdout.contains("已写出：pipelines/out/2026Q3-报送前问题清单-书院路社区.xlsx，pipelines/out/2026Q3-报送前问题清单-和平里社区.xlsx，pipelines/out/2026Q3-校验报告.json"), "\(o.stdout)")
        #expect(!FileManager.default.fileExists(atPath: c.path("pipelines/out/2026Q3-报送前问题清单.xlsx")))
        let report = try c.json("pipelines/out/2026Q3-校验报告.json") as! [String: Any]
        #expect((report["summary"] as? [String: Any])?["outputs"] as? [String] == ["pipelines/out/2026Q3-报送前问题清单-书院路社区.xlsx", "pipelines/out/2026Q3-报送前问题清单-和平里社区.xlsx", "pipelines/out/2026Q3-校验报告.json"])
        let shuyuan = try XLSXPeek(path: c.path("pipelines/out/2026Q3-报送前问题清单-书院路社区.xlsx"))
        let heping = try XLSXPeek(path: c.path("pipelines/out/2026Q3-报送前问题清单-和平里社区.xlsx"))
        #expect(shuyuan.sheet("汇总")?["A2"] == "本工作簿只含「所在社区」为「书院路社区」的行；全部数据见运行报告。")
        #expect(shuyuan.sheetNames == ["汇总", "问题清单", "问题行-书院路社区", "问题行-书院路社区-2008旧台账-GBK", "说明"])
        #expect(heping.sheetNames.allSatisfy { !$0.contains("书院路") })
        // Each lists only its own files; the rows read add up to the run's rows of data.
        let files = (2...(heping.sheet("问题清单")?.rowCount ?? 1)).compactMap { heping.sheet("问题清单")?["C\($0)"] }
        #expect(!files.isEmpty && files.allSatisfy { $0.contains("和平里社区") }, "\(files)")
        let read = [shuyuan, heping].compactMap { Int($0.sheet("汇总")?["B3"] ?? "") }
        #expect(read.count == 2 && read.reduce(0, +) == 28, "\(read)")   // 33 read − 5 skipped as non-data

        c.write("pipelines/by-typo.yml", text.replacingOccurrences(of: "    path: out/${period}-报送前问题清单.xlsx", with: "    path: out/${period}-报送前问题清单.xlsx\n    by: 所在社"))
        // A field name that is not in the schema is caught by `check`, positioned, with did-you-mean.
        let typo = try taizhang(["check", "pipelines/by-typo.yml"], cwd: c.dir)
        #expect(typo.code == 2)
        #expect(typo.stderr.contains("by-typo.yml:24:9: 错误: 选项「by」：模式「member-ledger」中没有字段「所在社」（是不是「所在社区」？）"), "\(typo.stderr)")
        // The column's own header (社区) is another name of the field: the message says which.
        c.write("pipelines/by-alias.yml", text.replacingOccurrences(of: "    path: out/${period}-报送前问题清单.xlsx", with: "    path: out/${period}-报送前问题清单.xlsx\n    by: 社区"))
        let alias = try taizhang(["check", "pipelines/by-alias.yml"], cwd: c.dir)
        #expect(alias.code == 2 && alias.stderr.contains("「社区」是字段「所在社区」的别名：写「所在社区」"), "\(alias.stderr)")
    }

    /// The clean ledger: 序号 numbered afresh as numbers, full dates as Excel dates, where each row
    /// came from; read back by the tool it gives the very records of the JSON ledger.
    @Test func cleanLedgerNumbersRowsKeepsDatesAndReadsBackTheSame() throws {
        let c = try PipelinesCopy()
        _ = try taizhang(["run", "pipelines/migrate-legacy-ledger.yml"], cwd: c.dir)
        let book = try XLSXPeek(path: c.path("pipelines/out/书院路社区-标准台账.xlsx"))
        let ledger = try #require(book.sheet("台账"))
        #expect((2...ledger.rowCount).map { ledger["A\($0)"] } == (1...(ledger.rowCount - 1)).map { String($0) })
        // The standard columns A–S (细分类别, 区县, 街道（乡镇）, 网格（楼道）, 政治安排 last), then 人员编号 and the origin.
        #expect(ledger["O1"] == "细分类别" && ledger["R1"] == "网格（楼道）" && ledger["S1"] == "政治安排")
        #expect(ledger["T1"] == "人员编号" && ledger["V1"] == "来源行" && ledger["U2"] == "pipelines/samples/和平里社区-2009旧台账.xls" && ledger["V2"] == "5")
        #expect(book.comments["T1"]?.hasPrefix("人员编号相同的各行是同一个人（「公民身份号码」相同）") == true)
        #expect(ledger["E2"] == "27505")      // 1975-04-21 as an Excel date serial, not text
        #expect(ledger["E11"] == "1985-03")   // a year and month stays as written
        let styles = try #require(try XLSXPeek.part(c.path("pipelines/out/书院路社区-标准台账.xlsx"), "xl/styles.xml"))
        #expect(styles.contains("formatCode=\"yyyy-mm-dd\""))
        c.write("pipelines/back.yml", """
        schema: member-ledger
        inputs:
          - read: xlsx
            path: out/书院路社区-标准台账.xlsx
        outputs:
          - write: json
            path: out/back.json
        fail_on: never
        """)
        let o = try taizhang(["run", "pipelines/back.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let first = try c.json("pipelines/out/书院路社区-标准台账.json") as! [[String: Any]]
        let back = try c.json("pipelines/out/back.json") as! [[String: Any]]
        #expect(first.count == back.count && first.count == ledger.rowCount - 1)
        for (a, b) in zip(first, back) {
            for (k, v) in a where k != "序号" {
                #expect("\(v)" == "\(b[k] ?? "")", "\(k): \(v) came back as \(b[k] ?? "nothing")")
            }
        }
    }

    /// `validate -` reads standard input (CSV, JSON or a workbook, told by its first bytes), calls
    /// it 标准输入 in every message, and leaves no copy of it behind.
    @Test func validateReadsStandardInput() throws {
        let c = try PipelinesCopy()
        let tmp = c.dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let csv = try Data(contentsOf: c.dir.appendingPathComponent("pipelines/samples/书院路社区.csv"))
        let o = try taizhang(["validate", "-"], cwd: c.dir, env: ["TMPDIR": tmp.path], stdin: csv)
        #expect(o.code == 1)
        #expect(o.stdout.contains("标准输入:6:E: 错误: [id-birth-date]"), "\(o.stdout)")
        #expect(o.stdout.contains("（值：110105********0041）"))
        let full = try taizhang(["validate", "-", "--full-personal-data"], cwd: c.dir, env: ["TMPDIR": tmp.path], stdin: csv)
        #expect(full.stdout.contains("（值：110105199202300041）"), "\(full.stdout)")
        let xls = try Data(contentsOf: c.dir.appendingPathComponent("pipelines/samples/和平里社区-2009旧台账.xls"))
        let w = try taizhang(["validate", "-", "--workbook", "w.xlsx"], cwd: c.dir, env: ["TMPDIR": tmp.path], stdin: xls)
        #expect(w.stdout.contains("核对：读取 "), "\(w.stdout)\(w.stderr)")
        #expect(try XLSXPeek(path: c.path("w.xlsx")).sheetNames.first == "汇总")
        let empty = try taizhang(["validate", "-"], cwd: c.dir, env: ["TMPDIR": tmp.path], stdin: Data())
        #expect(empty.code == 2 && empty.stderr.contains("标准输入是空的"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "no copy of the input is left")
    }

    /// Values that clean to one file name (甲/乙, 甲_乙) still get a workbook each, inside the folder.
    @Test func issueWorkbooksByValuesThatCleanAlike() throws {
        let c = try PipelinesCopy()
        c.write("l.csv", "姓名,性别,统战对象类别,所在社区\n张三,男,无党派人士,甲/乙\n李四,男,坏类别,甲_乙\n王五,男,坏类别,..\n")
        c.write("p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - validate: member-category\noutputs:\n  - write: issue-workbook\n    path: out/问题.xlsx\n    by: 所在社区\nfail_on: never\n")
        try FileManager.default.createDirectory(atPath: c.path("out"), withIntermediateDirectories: true)
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: c.path("out")).sorted()
        #expect(files == ["问题-_...xlsx", "问题-甲_乙(2).xlsx", "问题-甲_乙.xlsx"], "\(files)")
    }

    @Test func validateDefaultsToTheMemberLedgerChecks() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["validate", "pipelines/samples/书院路社区-2008旧台账-GBK.csv", "--workbook", "w.xlsx", "--report", "r.json"], cwd: c.dir)
        // The title lines make the header unrecognisable without header_row: every required column is missing.
        #expect(o.code == 1)
        let ok = try taizhang(["validate", "--lang", "en", "pipelines/samples/和平里社区-GB18030.csv"], cwd: c.dir)
        // That ledger has no 政治面貌 column: the party rule is one warning about the file, not an error per row.
        #expect(ok.stdout.contains("和平里社区-GB18030.csv: warning: [rule-column-missing] the ledger has no column 「政治面貌」: the party of 民主党派成员 cannot be checked"))
        #expect(!ok.stdout.contains("[party-mismatch]"))
        #expect(FileManager.default.fileExists(atPath: c.path("w.xlsx")))
    }
}

/// Two communities' returns made with one person key: the street's return counts each person once.
@Suite(.serialized) struct PersonKeyMergeTests {
    static let header = "姓名,性别,出生日期,公民身份号码,统战对象类别,所在社区\n"
    /// 张伟 is listed by both (his name in 繁体 in one); 王芳 has no ID number in 甲 and one in 乙.
    static let a = header + "张伟,男,1985-03-12,110105198503120012,党外知识分子,甲社区\n李娜,女,1990-07-01,11010519900701002X,无党派人士,甲社区\n王芳,女,1980-01-01,,无党派人士,甲社区\n"
    static let b = header + "張偉,男,1985-03-12,110105198503120012,非公有制经济人士,乙社区\n陈静,女,1975-04-21,110105197504210023,党外知识分子,乙社区\n王芳,女,1980-01-01,110105198001010024,无党派人士,乙社区\n"

    static func pipeline(_ inputs: [String], out: String, key: String?) -> String {
        "schema: member-ledger\ninputs:\n" + inputs.map { "  - read: csv\n    path: \($0)\n" }.joined()
            + "steps:\n  - normalize: member-ledger\n  - validate: id-number\n  - step: member-return\n    period: 2026Q3\n"
            + (key.map { "    person_key_file: \($0)\n" } ?? "") + "outputs:\n  - write: json-return\n    path: \(out)\nfail_on: never\n"
    }

    func counts(_ c: PipelinesCopy, _ file: String) throws -> [String: [String: Int]] {
        let doc = try c.json(file) as! [String: Any]
        var out: [String: [String: Int]] = [:]
        for r in doc["rows"] as! [[String: Any]] { out[r["key"] as! String] = (r["counts"] as! [String: Any]).compactMapValues { $0 as? Int } }
        return out
    }

    @Test func eachPersonOnceAcrossUnits() throws {
        let c = try PipelinesCopy()
        c.write("key.txt", "a long shared secret for the whole chain\n")
        c.write("a.csv", Self.a)
        c.write("b.csv", Self.b)
        c.write("a.yml", Self.pipeline(["a.csv"], out: "a.json", key: "key.txt"))
        c.write("b.yml", Self.pipeline(["b.csv"], out: "b.json", key: "key.txt"))
        for f in ["a.yml", "b.yml"] { #expect(try taizhang(["run", f], cwd: c.dir).code == 0) }
        // No ID number or name leaves the office; the key is nowhere.
        for f in ["a.json", "b.json"] {
            let text = try String(contentsOfFile: c.path(f), encoding: .utf8)
            #expect(!text.contains("110105") && !text.contains("张伟") && !text.contains("王芳") && !text.contains("shared secret"))
        }
        let m = try taizhang(["merge", "a.json", "b.json", "--unit", "街道", "--out", "m.json", "--xlsx", "m.xlsx"], cwd: c.dir)
        #expect(m.code == 0, "\(m.stderr)")
        #expect(m.stdout.contains("单位之间的重复人员：2 人"), "\(m.stdout)")
        #expect(m.stdout.contains("甲社区 ↔ 乙社区：a.csv:2 ↔ b.csv:2（身份证号相同）"))
        #expect(m.stdout.contains("甲社区 ↔ 乙社区：a.csv:4 ↔ b.csv:4（姓名、出生日期、性别相同）"))
        let merged = try counts(c, "m.json")
        // 6 records, 4 people: 张伟 counted once, in both his categories; 王芳 once.
        #expect(merged["total"]?["total"] == 4)
        #expect(merged["c3"]?["total"] == 2 && merged["c6"]?["total"] == 1 && merged["c2"]?["total"] == 2, "\(merged)")
        let overlaps = (try c.json("m.json") as! [String: Any])["overlaps"] as? [[String: Any]]
        #expect(overlaps?.map { $0["by"] as? String } == ["id", "person"])
        // The form says whom it counted once.
        let form = try XLSXPeek(path: c.path("m.xlsx"))
        #expect(form.sheet("统计表")?.values.values.contains { $0.hasPrefix("2 人在两个及以上单位都有登记，合计和各类别中每人只计一次") } == true)

        // For people with an ID number, the merged figures are those of one run over both ledgers.
        c.write("a2.csv", Self.a.replacingOccurrences(of: "王芳,女,1980-01-01,,无党派人士,甲社区\n", with: ""))
        c.write("a2.yml", Self.pipeline(["a2.csv"], out: "a2.json", key: "key.txt"))
        c.write("all.yml", Self.pipeline(["a2.csv", "b.csv"], out: "all.json", key: nil))
        for f in ["a2.yml", "all.yml"] { _ = try taizhang(["run", f], cwd: c.dir) }
        _ = try taizhang(["merge", "a2.json", "b.json", "--out", "m2.json"], cwd: c.dir)
        #expect(try counts(c, "m2.json") == counts(c, "all.json"))
    }

    @Test func differentKeysTamperingAndNoKey() throws {
        let c = try PipelinesCopy()
        c.write("a.csv", Self.a)
        c.write("b.csv", Self.b)
        c.write("k1.txt", "the first long secret of this office")
        c.write("a.yml", Self.pipeline(["a.csv"], out: "a.json", key: "k1.txt"))
        c.write("b.yml", Self.pipeline(["b.csv"], out: "b.json", key: nil))
        _ = try taizhang(["run", "a.yml"], cwd: c.dir)
        // The key from the environment when the pipeline names no file.
        _ = try taizhang(["run", "b.yml"], cwd: c.dir, env: ["TAIZHANG_PERSON_KEY": "another secret, of another office"])
        let mixed = try taizhang(["merge", "a.json", "b.json", "--out", "m.json"], cwd: c.dir)
        #expect(mixed.code == 1 && mixed.stderr.contains("用不同的密钥生成人员指纹"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("m.json")))
        // A return whose fingerprints do not give its own figures is refused.
        var doc = try c.json("a.json") as! [String: Any]
        var persons = doc["persons"] as! [[String: Any]]
        persons.removeLast()
        doc["persons"] = persons
        try JSONSerialization.data(withJSONObject: doc).write(to: c.dir.appendingPathComponent("bad.json"))
        let bad = try taizhang(["merge", "bad.json", "--out", "m.json"], cwd: c.dir)
        #expect(bad.code == 1 && bad.stderr.contains("人员指纹与表中数字对不上"), "\(bad.stderr)")
        // A return whose fields were edited out of shape: the field is named.
        doc["persons"] = "many"
        try JSONSerialization.data(withJSONObject: doc).write(to: c.dir.appendingPathComponent("shape.json"))
        let shape = try taizhang(["merge", "shape.json", "--out", "m.json"], cwd: c.dir)
        #expect(shape.code == 2 && shape.stderr.contains("不是 json-return 写出的报表（字段 .persons 的类型不对）"), "\(shape.stderr)")
        // Without fingerprints: merged as before, with a warning on screen and a note on the form.
        _ = try taizhang(["run", "b.yml"], cwd: c.dir)
        c.write("a0.yml", Self.pipeline(["a.csv"], out: "a0.json", key: nil))
        _ = try taizhang(["run", "a0.yml"], cwd: c.dir)
        let plain = try taizhang(["merge", "a0.json", "b.json", "--out", "m.json", "--xlsx", "m.xlsx"], cwd: c.dir)
        #expect(plain.code == 0 && plain.stderr.contains("没有人员指纹（生成时未设密钥），无法核对单位之间的重复人员"), "\(plain.stderr)")
        #expect(try XLSXPeek(path: c.path("m.xlsx")).sheet("统计表")?.values.values.contains { $0.hasPrefix("各单位的报表未带人员指纹") } == true)
        // A key too short to keep anyone's identity safe is refused before any data is read.
        c.write("short.txt", "1234")
        c.write("s.yml", Self.pipeline(["a.csv"], out: "s.json", key: "short.txt"))
        let short = try taizhang(["run", "s.yml"], cwd: c.dir)
        #expect(short.code == 2 && short.stderr.contains("密钥太短"), "\(short.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("s.json")))
    }
}

/// A list of units: one community under four spellings is one table; a listed community that sent
/// nothing, and a name not on the list, are said — in the run and in merge.
@Suite(.serialized) struct UnitsListTests {
    @Test func oneUnitOneTableAndWhoSentNothing() throws {
        let c = try PipelinesCopy()
        c.write("units.csv", "名称,代码,别名,上级\n黄新路社区,001,,和平里街道\n书院路社区,002,書院路,和平里街道\n东四社区,003,,和平里街道\n")
        c.write("l.csv", """
        姓名,性别,出生日期,公民身份号码,统战对象类别,所在社区
        张伟,男,1985-03-12,110105198503120012,党外知识分子,黃新路社區
        李娜,女,1990-07-01,11010519900701002X,无党派人士,黄新路社区居委会
        陈静,女,1975-04-21,110105197504210023,党外知识分子,黄新路
        周强,男,1969-12-01,110105196912010018,党外知识分子,書院路
        王芳,女,1980-01-01,110105198001010024,无党派人士,火星社区

        """)
        c.write("p.yml", """
        schema: member-ledger
        inputs:
          - read: csv
            path: l.csv
        steps:
          - normalize: member-ledger
            units: units.csv
          - step: member-return
            period: 2026Q3
            unit: 和平里街道
            units: units.csv
        outputs:
          - write: json-return
            path: r.json
          - write: xlsx-return
            path: r.xlsx
        fail_on: never
        """)
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stdout)\(o.stderr)")
        #expect(o.stdout.contains("l.csv:6:F: 警告: [unknown-unit] 「所在社区」「火星社区」不在单位名单中：会单独成表"), "\(o.stdout)")
        #expect(o.stdout.contains("警告: [unit-missing] 单位名单中的「东四社区」没有任何记录：本表不含该社区"), "\(o.stdout)")
        let form = try XLSXPeek(path: c.path("r.xlsx"))
        #expect(form.sheetNames == ["统计表", "黄新路社区", "书院路社区", "火星社区", "数据情况", "图表"], "\(form.sheetNames)")
        #expect(form.sheet("黄新路社区")?["B12"] == "3")
        #expect(form.sheet("统计表")?.values.values.contains("单位名单中以下社区没有任何记录（未报或漏报）：东四社区。") == true)

        // merge --units: the street's list says which community sent no return.
        let m = try taizhang(["merge", "r.json", "--out", "m.json", "--xlsx", "m.xlsx", "--unit", "街道", "--units", "units.csv"], cwd: c.dir)
        #expect(m.code == 1)
        #expect(m.stdout.contains("没有报表的单位（名单中有，未计入）：东四社区"), "\(m.stdout)")
        #expect(m.stderr.contains("警告：「火星社区」不在单位名单 units.csv 中"), "\(m.stderr)")
        #expect(try XLSXPeek(path: c.path("m.xlsx")).sheet("统计表")?.values.values.contains("单位名单中以下单位没有报表，未计入本表：东四社区。") == true)
    }
}

/// 人员变动 per community, and a person who moved between two communities named as such.
@Suite(.serialized) struct ChangesPerCommunityTests {
    @Test func movedPeopleAndEachCommunitysChanges() throws {
        let c = try PipelinesCopy()
        let h = "姓名,性别,出生日期,公民身份号码,统战对象类别,所在社区\n"
        c.write("prev.csv", h + "张伟,男,1985-03-12,110105198503120012,党外知识分子,甲社区\n李娜,女,1990-07-01,11010519900701002X,无党派人士,甲社区\n陈静,女,1975-04-21,110105197504210023,党外知识分子,乙社区\n")
        c.write("now.csv", h + "张伟,男,1985-03-12,110105198503120012,党外知识分子,乙社区\n李娜,女,1990-07-01,11010519900701002X,无党派人士,甲社区\n陈静,女,1975-04-21,110105197504210023,党外知识分子,乙社区\n")
        c.write("p.yml", """
        schema: member-ledger
        inputs:
          - read: csv
            path: prev.csv
            role: previous
          - read: csv
            path: now.csv
        steps:
          - normalize: member-ledger
          - step: member-return
            period: 2026Q3
        outputs:
          - write: json-return
            path: r.json
          - write: xlsx-return
            path: r.xlsx
        fail_on: never
        """)
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stdout)\(o.stderr)")
        let form = try XLSXPeek(path: c.path("r.xlsx"))
        #expect(form.sheetNames.contains("人员变动-甲社区") && form.sheetNames.contains("人员变动-乙社区"), "\(form.sheetNames)")
        let named = try #require(form.sheet("人员变动名单"))
        #expect(named["A4"] == "乙社区" && named["B4"] == "张*" && named["C4"] == "调动" && named["D4"] == "由「甲社区」调入", "\(named.values)")
        let doc = try c.json("r.json") as! [String: Any]
        let perUnit = try #require(doc["changes_by_unit"] as? [[String: Any]])
        func total(_ part: [String: Any]) -> [String: Int] {
            ((part["rows"] as! [[String: Any]]).first { $0["key"] as? String == "total" }!["counts"] as! [String: Any]).compactMapValues { $0 as? Int }
        }
        // 甲: 2 before, 张伟 left; 乙: 1 before, 张伟 joined; the whole run: nobody came or went.
        #expect(perUnit.map { $0["unit"] as? String } == ["乙社区", "甲社区"] || perUnit.map { $0["unit"] as? String } == ["甲社区", "乙社区"])
        let byUnit = Dictionary(uniqueKeysWithValues: perUnit.map { ($0["unit"] as! String, total($0)) })
        #expect(byUnit["甲社区"] == ["previous": 2, "joined": 0, "left": 1, "current": 1], "\(byUnit)")
        #expect(byUnit["乙社区"] == ["previous": 1, "joined": 1, "left": 0, "current": 2], "\(byUnit)")
        #expect(total(doc["changes"] as! [String: Any]) == ["previous": 3, "joined": 0, "left": 0, "current": 3])
    }
}

/// Disagreement is evidence: two people who share a common name, birth date, sex and community but
/// not phone, category or workplace are not one person; differing only in phone (people change
/// numbers: a tenth of a person's records, by the preset), what they share outweighs it.
@Suite(.serialized) struct DuplicatesDisagreementTests {
    @Test func whatBothFillAndDiffersCountsAgainst() throws {
        let c = try PipelinesCopy()
        c.write("l.csv", """
        姓名,性别,出生日期,统战对象类别,工作单位及职务,联系电话,所在社区
        张伟,男,1985-03-12,党外知识分子,市一中 教师,13800000001,东四社区
        张伟,男,1985-03-12,非公有制经济人士,张记餐馆 经理,13900000002,东四社区
        李娜,女,1990-07-01,无党派人士,区医院 医生,13700000003,东四社区
        李娜,女,1990-07-01,无党派人士,区医院 医生,13700000004,东四社区
        王芳,女,1980-01-01,党外知识分子,,13600000005,东四社区
        王芳,女,1980-01-01,党外知识分子,,13600000005,东四社区

        """)
        c.write("p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - normalize: member-ledger\n  - step: duplicates\n    policy: flag\noutputs:\n  - write: json-report\n    path: r.json\nfail_on: never\n")
        _ = try taizhang(["run", "p.yml"], cwd: c.dir)
        let issues = (try c.json("r.json") as! [String: Any])["issues"] as! [[String: Any]]
        func codes(_ row: Int) -> [String] { issues.filter { $0["row"] as? Int == row }.compactMap { $0["code"] as? String } }
        #expect(codes(3).isEmpty, "张伟 twice, two people: \(codes(3))")
        #expect(codes(5) == ["duplicate-person"], "李娜 with another phone, all else the same: one person, \(codes(5))")
        let why = issues.first { $0["row"] as? Int == 5 }?["message"] as? String ?? ""
        #expect(why.contains("电话不同 −") && why.contains("工作单位相同 +"), "the differing phone counted against: \(why)")
        #expect(codes(7) == ["duplicate-person"], "王芳 with the same phone: one person, \(codes(7))")
    }
}

@Suite(.serialized) struct ReturnCLITests {
    /// The shipped return pipeline matches people without an ID number: one written twice (王小明 /
    /// 王晓明, same birth date and phone) is counted once, the repeat kept and warned of.
    @Test func theShippedReturnCountsAPersonWithoutAnIDOnce() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/samples/twice.csv", """
            姓名,性别,出生日期,公民身份号码,统战对象类别,联系电话,所在社区
            王小明,男,1980-01-02,,党外知识分子,13812345678,书院路社区
            王晓明,男,1980-01-02,,党外知识分子,13812345678,书院路社区
            李四,女,1970-05-06,,民主党派成员,,书院路社区

            """)
        let shipped = try String(contentsOfFile: c.path("pipelines/quarterly-return.yml"), encoding: .utf8)
        let inputs = try #require(shipped.range(of: "inputs:\n")), steps = try #require(shipped.range(of: "steps:\n"))
        c.write("pipelines/twice.yml", shipped.replacingCharacters(in: inputs.lowerBound..<steps.lowerBound, with: "inputs:\n  - read: csv\n    path: samples/twice.csv\n"))
        let o = try taizhang(["run", "pipelines/twice.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stdout)\(o.stderr)")
        #expect((o.stdout + o.stderr).contains("twice.csv:3:A: 警告: [duplicate-person]"), "\(o.stdout)\(o.stderr)")
        let doc = try c.json("pipelines/out/2026Q3-统计表.json") as! [String: Any]
        let total = (doc["rows"] as! [[String: Any]]).first { $0["key"] as? String == "total" }!["counts"] as! [String: Any]
        #expect(total["total"] as? Int == 2, "\(total)")
    }

    @Test func quarterlyReturnAndMerge() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-return.yml", "--set", "period=2026Q3"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")   // the samples have errors: the run says so by its exit code
        #expect(o.stdout.contains("已写出：pipelines/out/2026Q3-统计表.xlsx，pipelines/out/2026Q3-统计表.json"))
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repoRoot.appendingPathComponent("docs/schemas/return.schema.json"))) as! [String: Any]
        let figures = try c.json("pipelines/out/2026Q3-统计表.json") as! [String: Any]
        #expect(Set(schema["required"] as! [String]).isSubset(of: figures.keys))
        #expect(Set(figures.keys).isSubset(of: (schema["properties"] as! [String: Any]).keys), "every key is documented")
        let form = try XLSXPeek(path: c.path("pipelines/out/2026Q3-统计表.xlsx"))
        #expect(form.sheetNames == ["统计表", "书院路社区", "和平里社区", "人员变动", "人员变动名单", "数据情况", "图表"])
        // Who joined, left or changed category, by name (masked), as the counts of 人员变动 say.
        let named = try #require(form.sheet("人员变动名单"))
        let entries = (4...6).map { r in ["A", "B", "C", "D"].map { named["\($0)\(r)"] ?? "" } }
        #expect(entries == [["书院路社区", "钱*", "减少", "无党派人士"], ["书院路社区", "王*明", "新增", "民主党派成员、党外知识分子"],
                            ["书院路社区", "李*", "类别变化", "党外知识分子 → 非公有制经济人士"]], "\(entries)")
        // The chart sheet draws the return's own figures: persons by category, then 上期 and 本期.
        let charts = try #require(form.sheet("图表"))
        let main = try #require(form.sheet("统计表"))
        let mainRows = (1...main.rowCount).filter { main["A\($0)"] == "民主党派成员" }
        #expect(charts["A2"] == "民主党派成员" && charts["B2"] == main["B\(mainRows.first ?? 0)"])
        let chart1 = try #require(try XLSXPeek.part(c.path("pipelines/out/2026Q3-统计表.xlsx"), "xl/charts/chart1.xml"))
        #expect(chart1.contains("<c:f>'图表'!$B$2:$B$13</c:f>") && chart1.contains("<c:barDir val=\"bar\"/>"))
        let chart2 = try #require(try XLSXPeek.part(c.path("pipelines/out/2026Q3-统计表.xlsx"), "xl/charts/chart2.xml"))
        #expect(chart2.contains("上期") && chart2.contains("本期"))
        #expect(o.stdout.contains("上期台账 pipelines/samples/书院路社区-2026Q2上期.csv：读取 3 行（仅用于比对新增、减少，不写出）"))
        #expect(form.sheet("统计表")?["A12"] == "合计")
        // 王小明 is in 书院路's ledger and in 和平里's: counted once, and said so.
        #expect(o.stdout.contains("samples/和平里社区-2009旧台账.xls[台账]:10:M: 警告: [same-person-two-communities] 「所在社区」此人（身份证号、姓名相同）也登记在「书院路社区」（pipelines/samples/书院路社区.csv 第 5 行）"), "\(o.stdout)")
        // The clean ledger numbers persons as the return counts them: 20 records, 10 people.
        let ledger = try #require(try XLSXPeek(path: c.path("pipelines/out/2026Q3-标准台账.xlsx")).sheet("台账"))
        #expect(ledger["T1"] == "人员编号")
        let persons = Set((2...ledger.rowCount).compactMap { ledger["T\($0)"] })
        #expect(ledger.rowCount - 1 == 20 && persons.count == 10 && form.sheet("统计表")?["B12"] == "10")
        for a in 2...ledger.rowCount {
            for b in (a + 1)..<(ledger.rowCount + 1) {
                #expect((ledger["T\(a)"] == ledger["T\(b)"]) == (ledger["F\(a)"] == ledger["F\(b)"]), "rows \(a) and \(b)")
            }
        }

        // Two lower units' returns → the street's return.
        let doc = try c.json("pipelines/out/2026Q3-统计表.json") as! [String: Any]
        var a = doc, b = doc
        a["unit"] = "甲社区"; a["units_covered"] = ["甲社区"]
        b["unit"] = "乙社区"; b["units_covered"] = ["乙社区"]
        try JSONSerialization.data(withJSONObject: a).write(to: URL(fileURLWithPath: c.path("a.json")))
        try JSONSerialization.data(withJSONObject: b).write(to: URL(fileURLWithPath: c.path("b.json")))
        let m = try taizhang(["merge", "a.json", "b.json", "--out", "street.json", "--xlsx", "street.xlsx", "--unit", "和平里街道",
                              "--head", "赵主任", "--report-date", "2026年10月12日"], cwd: c.dir)
        // Written, but the units left records out: not 0, and said on the last line.
        #expect(m.code == 1, "\(m.stderr)")
        #expect(m.stdout.contains("合计 20 人（各单位另有 6 条记录有错误，未计入）"), "\(m.stdout)")
        #expect(m.stdout.hasSuffix("结论：未通过 — 各单位共有 6 条记录有错误，未计入汇总（见表下说明；改正后重新生成各单位报表）\n"))
        // The street signs its own form; each unit's account of what it left out stays under the table.
        let streetForm = try #require(try XLSXPeek(path: c.path("street.xlsx")).sheet("统计表"))
        #expect(streetForm.values.values.contains("单位负责人：赵主任") && streetForm.values.values.contains("报出日期：2026年10月12日"))
        #expect(!streetForm.values.values.contains { $0.hasPrefix("单位负责人：") && $0 != "单位负责人：赵主任" })
        #expect(streetForm.values.values.contains { $0.hasPrefix("甲社区：未计入本表的记录 3 条") }, "\(streetForm.values.values.filter { $0.contains("未计入") })")
        let street = try c.json("street.json") as! [String: Any]
        let total = ((street["rows"] as! [[String: Any]]).first { $0["key"] as? String == "total" }!["counts"] as! [String: Any])["total"] as? Int
        let one = ((doc["rows"] as! [[String: Any]]).first { $0["key"] as? String == "total" }!["counts"] as! [String: Any])["total"] as? Int
        #expect(total == 2 * one!)
        #expect(try XLSXPeek(path: c.path("street.xlsx")).sheetNames == ["统计表", "甲社区", "乙社区", "图表"])

        let overlap = try taizhang(["merge", "a.json", "a.json", "--out", "x.json"], cwd: c.dir)
        #expect(overlap.code == 1)
        #expect(overlap.stderr.contains("「甲社区」同时出现在 a.json 和 a.json 中"))
        #expect(!FileManager.default.fileExists(atPath: c.path("x.json")))
    }
}

/// docs/PLUGINS.md is generated from the plugins' specs; it must say what the code does.
@Suite struct GeneratedDocsTests {
    @Test func pluginReferenceIsUpToDate() throws {
        let o = try taizhang(["plugins", "--markdown"])
        #expect(o.code == 0)
        let committed = try String(contentsOf: repoRoot.appendingPathComponent("docs/PLUGINS.md"), encoding: .utf8)
        #expect(o.stdout == committed, "docs/PLUGINS.md is stale: run `taizhang plugins --markdown > docs/PLUGINS.md`")
        #expect(committed.contains("### `read: xlsx`") && committed.contains("| `max_unpacked_mb` | integer | `2048` |"))
    }

    /// The README's sample of what the quarterly return prints is what it prints: every line of it
    /// (the elided ones and the time apart) is a line of the run's output.
    @Test func theReadmesSampleRunIsWhatTheRunPrints() throws {
        let readme = try String(contentsOf: repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let after = try #require(readme.range(of: "What the quarterly return prints")).upperBound
        let block = readme[after...].components(separatedBy: "```")[1]
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        let printed = Set((o.stdout + o.stderr).split(separator: "\n").map(String.init))
        let lines = block.split(separator: "\n").map(String.init).filter { $0 != "…" && !$0.hasPrefix("用时") }
        #expect(lines.count > 10)
        for line in lines { #expect(printed.contains(line), "README shows a line the run does not print: \(line)") }
    }
}

@Suite(.serialized) struct InitTests {
    @Test func initWritesAPipelineThatChecksAndRuns() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["init", "pipelines/samples/和平里社区-2009旧台账-GB18030.csv", "--out", "pipelines/mine.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        #expect(o.stdout.contains("13 列已对应，0 列未对应"))
        let text = try String(contentsOfFile: c.path("pipelines/mine.yml"), encoding: .utf8)
        #expect(text.contains("B 基本情况/姓名 → 姓名"))
        #expect(text.contains("path: samples/和平里社区-2009旧台账-GB18030.csv"))
        #expect(text.contains("encoding: gb18030"))
        #expect(try taizhang(["check", "pipelines/mine.yml"], cwd: c.dir).code == 0)
        let run = try taizhang(["run", "pipelines/mine.yml"], cwd: c.dir)
        #expect(run.code == 0)
        #expect(run.stdout.contains("核对：读取 11 = 接受 6 + 隔离 0 + 跳过 5 ✓"))
        let again = try taizhang(["init", "pipelines/samples/和平里社区-2009旧台账-GB18030.csv", "--out", "pipelines/mine.yml"], cwd: c.dir)
        #expect(again.code == 3)   // never overwrites without --force
    }

    @Test func initListsUnmappedColumnsAndMissingRequiredFields() throws {
        let c = try PipelinesCopy()
        c.write("odd.csv", "姓名,爱好,身份证号\n张三,围棋,110105198503120012\n")
        let o = try taizhang(["init", "odd.csv"], cwd: c.dir)
        #expect(o.code == 0)
        #expect(o.stdout.contains("未对应的列（原样保留为附加列）：B 爱好"))
        #expect(o.stdout.contains("缺少必填字段的列：性别，统战对象类别，所在社区"))
    }
}

@Suite(.serialized) struct ExecPluginTests {
    @Test func officeChecksRunPythonAndShellPlugins() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/office-checks.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        #expect(o.stdout.contains("samples/书院路社区.csv:3: 警告: [flagged-word] 记录中有「回访」，请核实"))
        #expect(o.stderr.contains("[check_phone_owner.py] check_phone_owner: protocol 1"))
        // The outside reader (fixed-width text) and writer (Markdown) took part like built-ins.
        #expect(o.stdout.contains("samples/老系统导出-定长.txt        4     3     0     1"))
        let md = try String(contentsOfFile: c.path("pipelines/out/自定义检查-名单.md"), encoding: .utf8)
        #expect(md.hasPrefix("| 姓名 | 性别 | 统战对象类别 | 所在社区 |"))
        #expect(md.contains("| 马丽 | 女 | 少数民族人士 | 书院路社区 |"))
        #expect(md.contains("共 14 条（读取 16 行）"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out")).allSatisfy { !$0.contains("taizhang-tmp") })
    }

    /// A mobile number written in groups is the number; a landline keeps its dash; a number short
    /// of a digit is still said.
    @Test func aMobileNumberWrittenInGroupsIsCleaned() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/samples/x.csv", "姓名,性别,统战对象类别,所在社区,联系电话\n张三,男,无党派人士,甲社区,138-1234-5678\n李四,男,无党派人士,甲社区,010-66123456\n王五,男,无党派人士,甲社区,138 1234-567\n")
        c.write("pipelines/x.yml", """
        schema: member-ledger
        inputs:
          - read: csv
            path: samples/x.csv
        steps:
          - normalize: member-ledger
          - validate: member-values
        outputs:
          - write: json
            path: out/x.json
        """)
        let o = try taizhang(["run", "pipelines/x.yml"], cwd: c.dir)
        let rows = try c.json("pipelines/out/x.json") as! [[String: Any]]
        #expect(rows.map { $0["联系电话"] as? String } == ["13812345678", "010-66123456", "1381234-567"])
        #expect(!o.stdout.contains("x.csv:2:E: 警告: [phone-format]") && !o.stdout.contains("x.csv:3:E: 警告: [phone-format]"), "\(o.stdout)")
        #expect(o.stdout.contains("x.csv:4:E: 警告: [phone-format]"), "\(o.stdout)")
    }

    @Test func pluginIssuesAndChangesReachTheOutputs() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/samples/x.csv", "姓名,性别,人员类别,社区,联系电话,工作单位及职务\n张三,男,党外知识分子,甲社区,13800000000,某厂（退休）\n李四,男,党外知识分子,甲社区,13800000000,某校\n")
        c.write("pipelines/x.yml", """
        schema: member-ledger
        inputs:
          - read: csv
            path: samples/x.csv
        steps:
          - step: exec
            command: [python3, plugins/check_phone_owner.py]
        outputs:
          - write: json
            path: out/x.json
            issues: true
        """)
        let o = try taizhang(["run", "pipelines/x.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        #expect(o.stdout.contains("x.csv:3:E: 警告: [phone-shared] 「联系电话」与「张三」的联系电话相同，请核实"))
        #expect(o.stdout.contains("规范化修改 2 处：退休标注移入备注 2"))
        let rows = try c.json("pipelines/out/x.json") as! [[String: Any]]
        #expect(rows[0]["工作单位及职务"] as? String == "某厂" && rows[0]["备注"] as? String == "已退休")
    }

    @Test(arguments: [
        ("garbage.sh", "#!/bin/sh\nread l; echo 'not json'\n", "不是 JSON 对象"),
        ("silent.sh", "#!/bin/sh\nsleep 30\n", "没有回应"),
        ("quitter.sh", "#!/bin/sh\nexit 4\n", "没有完成协议就退出了（状态 4）"),
        ("closer.sh", "#!/bin/sh\nexec >&-\nsleep 30\n", "没有完成协议就关闭了输出，已终止"),
    ])
    func misbehavingProgramsStopTheRunCleanly(_ name: String, _ script: String, _ words: String) throws {
        let c = try PipelinesCopy()
        c.write("pipelines/plugins/\(name)", script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: c.path("pipelines/plugins/\(name)"))
        c.write("pipelines/bad.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: samples/书院路社区.csv\nsteps:\n  - step: exec\n    command: [plugins/\(name)]\n    timeout: 2\noutputs:\n  - write: json\n    path: out/bad.json\n")
        let o = try taizhang(["run", "pipelines/bad.yml"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.contains(words), "\(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("pipelines/out/bad.json")))
    }

    @Test func aMissingProgramIsNamed() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/bad.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: samples/书院路社区.csv\nsteps:\n  - step: exec\n    command: [plugins/nothing-here.py]\n")
        let o = try taizhang(["run", "pipelines/bad.yml"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.contains("bad.yml:7:14: 错误: 找不到程序「plugins/nothing-here.py」"))
    }
}

/// ARCHITECTURE.md's module diagram names every target of Package.swift, and no other.
@Suite struct ArchitectureDocTests {
    @Test func moduleDiagramMatchesThePackage() throws {
        let package = try String(contentsOf: repoRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let doc = try String(contentsOf: repoRoot.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        let diagram = String(doc[doc.range(of: "## Modules and direction of dependency")!.upperBound...].prefix { _ in true }
            .components(separatedBy: "```")[1])
        let re = try NSRegularExpression(pattern: #"\.(?:target|executableTarget|systemLibrary)\(\s*name: "([^"]+)""#)
        let targets = Set(re.matches(in: package, range: NSRange(package.startIndex..., in: package)).map { String(package[Range($0.range(at: 1), in: package)!]) })
            .subtracting(["TaizhangTestSupport"])
        let missing = targets.filter { !diagram.contains($0) }.sorted()
        #expect(missing.isEmpty, "targets of Package.swift not in ARCHITECTURE.md's diagram: \(missing)")
        let named = try NSRegularExpression(pattern: #"\b(Taizhang[A-Za-z]+|C(?:CSV|[A-Z][a-z][A-Za-z]+)|taizhang-fuzz)\b"#)
        let inDiagram = Set(named.matches(in: diagram, range: NSRange(diagram.startIndex..., in: diagram)).map { String(diagram[Range($0.range(at: 1), in: diagram)!]) })
        #expect(inDiagram.subtracting(targets).isEmpty, "ARCHITECTURE.md names modules that do not exist: \(inDiagram.subtracting(targets).sorted())")
    }
}
