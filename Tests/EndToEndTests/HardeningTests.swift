import Foundation
import Testing
import TaizhangTestSupport

/// The bad-input matrix: each case gets its clear error, its exit code, and no partial output.
@Suite(.serialized) struct BadInputMatrixTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var file: String
        var reader: String
        var bytes: @Sendable (PipelinesCopy) throws -> Data
        var code: Int32
        var words: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "truncated xlsx", file: "t.xlsx", reader: "xlsx", bytes: { c in
            let d = try Data(contentsOf: URL(fileURLWithPath: c.path("pipelines/samples/和平里社区-2009旧台账.xlsx"))); return d.prefix(d.count / 2) },
             code: 3, words: "xlsx"),
        Case(name: "corrupt xls", file: "c.xls", reader: "xls", bytes: { _ in Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }) }, code: 3, words: ".xls"),
        Case(name: "encrypted xlsx", file: "e.xlsx", reader: "xlsx", bytes: { _ in
            try Data(contentsOf: repoRoot.appendingPathComponent("Tests/Fixtures/spreadsheets/encrypted.xlsx")) },
             code: 3, words: "加密"),
        Case(name: "binary file named .csv", file: "b.csv", reader: "csv", bytes: { c in
            try Data(contentsOf: URL(fileURLWithPath: c.path("pipelines/samples/和平里社区-2009旧台账.xls"))) }, code: 3, words: "不是文本文件"),
        Case(name: "invalid UTF-8 declared", file: "u.csv", reader: "csv", bytes: { _ in Data("姓名\n张三\n".utf8) + Data([0xFF, 0xFE, 0x0A]) }, code: 3, words: "第 3 行"),
        Case(name: "unclosed quote", file: "q.csv", reader: "csv", bytes: { _ in Data("姓名,备注\n张三,\"未闭合\n".utf8) }, code: 3, words: "引号"),
        Case(name: "deeply nested json", file: "d.json", reader: "json", bytes: { _ in Data((String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)).utf8) }, code: 3, words: "嵌套"),
    ]

    @Test(arguments: cases)
    func clearErrorExitCodeAndNoOutput(_ k: Case) throws {
        let c = try PipelinesCopy()
        try k.bytes(c).write(to: URL(fileURLWithPath: c.path("pipelines/\(k.file)")))
        let encoding = k.name.contains("UTF-8") ? "\n    encoding: utf-8" : ""
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: \(k.reader)\n    path: \(k.file)\(encoding)\noutputs:\n  - write: json\n    path: out/x.json\n  - write: xlsx-ledger\n    path: out/x.xlsx\n")
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == k.code, "\(k.name): \(o.stderr)")
        #expect(o.stderr.contains(k.file) && o.stderr.contains(k.words), "\(k.name): \(o.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out")) == [".gitignore"], "\(k.name): no partial output")
    }

    /// Past Excel's 16,384 columns a file is refused at once, naming the line; `max_columns` lets a
    /// real wide table through, in batches of fewer rows (memory does not grow with the width).
    @Test func aHundredThousandColumns() throws {
        let c = try PipelinesCopy()
        let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<100_000).map { String($0 % 10) }.joined(separator: ",")
        c.write("pipelines/wide.csv", "姓名," + header + "\n张三," + row + "\n")
        c.write("pipelines/p.yml", "inputs:\n  - read: csv\n    path: wide.csv\noutputs:\n  - write: csv\n    path: out/w.csv\n")
        let refused = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(refused.code == 3)
        #expect(refused.stderr.contains("wide.csv:1: 错误: 第 1 行的单元格超过 16384 个（列数上限，与 Excel 相同），不像台账，未读取（若确实需要，可设 max_columns 调高上限）"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("pipelines/out/w.csv")))
        c.write("pipelines/p.yml", "inputs:\n  - read: csv\n    path: wide.csv\n    max_columns: 100001\noutputs:\n  - write: csv\n    path: out/w.csv\n")
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        #expect(o.stdout.contains("核对：读取 1 = 接受 1 + 隔离 0 + 跳过 0 ✓"))
        let out = try String(contentsOfFile: c.path("pipelines/out/w.csv"), encoding: .utf8)
        #expect(out.split(separator: "\n")[1].split(separator: ",").count == 100_001)
    }

    /// A 20 MB line of ten million cells: among the first lines (where the header is looked for) it
    /// is refused naming its line; further down it is one row with an extra-cell error that keeps
    /// the first values and counts the rest. Either way in bounded memory and time.
    @Test func aLineOfMillionsOfCells() throws {
        let c = try PipelinesCopy()
        let long = "张三,x" + String(repeating: ",y", count: 10_000_000) + "\n"
        c.write("pipelines/p.yml", "inputs:\n  - read: csv\n    path: long.csv\noutputs:\n  - write: json-report\n    path: out/r.json\n")
        c.write("pipelines/long.csv", "姓名,备注\n" + long)
        let early = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(early.code == 3)
        #expect(early.stderr.contains("long.csv:2: 错误: 第 2 行的单元格超过 16384 个"), "\(early.stderr)")
        c.write("pipelines/long.csv", "姓名,备注\n" + String(repeating: "李四,z\n", count: 40) + long)
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")   // the samples have errors: the run says so by its exit code
        #expect(o.stdout.contains("核对：读取 41 = 接受 40 + 隔离 1 + 跳过 0 ✓"), "\(o.stdout)")
        let issues = try #require((try c.json("pipelines/out/r.json") as? [String: Any])?["issues"] as? [[String: Any]])
        let extra = try #require(issues.first { $0["code"] as? String == "extra-cell" })
        #expect((extra["message"] as? String)?.contains("本行比表头多出 10000000 个单元格") == true, "\(extra["message"] ?? "")")
        // The value is masked in the report (it belongs to no known field); its end says how many were left out.
        #expect((extra["value"] as? String)?.hasSuffix("4 个）") == true)
    }
}

/// What goes into a spreadsheet or CSV is data, never a formula; odd values stay as written.
@Suite struct InjectionTests {
    @Test func formulasAndEscapesStayText() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/i.json", #"[{"姓名": "=HYPERLINK(\"http://x\",\"点我\")", "备注": "_x0041_ 与 +1", "序号": "nan", "单位": "@SUM(A1)"}]"#)
        c.write("pipelines/p.yml", """
        schema:
          name: t
          fields:
            - name: 姓名
            - name: 序号
              type: number
        inputs:
          - read: json
            path: i.json
        outputs:
          - write: xlsx-ledger
            path: out/i.xlsx
          - write: csv
            path: out/i.csv
            bom: false
        """)
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let xlsx = c.path("pipelines/out/i.xlsx")
        let sheet = try #require(try XLSXPeek.part(xlsx, "xl/worksheets/sheet1.xml"))
        #expect(!sheet.contains("<f>"), "no formula in the sheet")
        #expect(try XLSXPeek(path: xlsx).sheet("台账")?["A2"] == "=HYPERLINK(\"http://x\",\"点我\")")
        #expect(try XLSXPeek(path: xlsx).sheet("台账")?["B2"] == "nan")                  // NaN is never a number
        #expect(sheet.contains("_x005F_x0041_"))                                           // shown by Excel as _x0041_
        let csv = try String(contentsOfFile: c.path("pipelines/out/i.csv"), encoding: .utf8)
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""))
        #expect(csv.contains("\"'@SUM(A1)\""))
    }
}

/// kill -9 leaves each output absent or complete, and an earlier version of it untouched. The
/// run stops itself at a named point (TAIZHANG_STOP_AT), so the kill lands exactly there.
@Suite(.serialized) struct CrashSafetyTests {
    static func stopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] == "T"
    }

    /// Starts `taizhang run pipelines/p.yml` in `c`, stopping itself at `point`; returns once it is stopped.
    static func stoppedRun(_ c: PipelinesCopy, at point: String, stderr: Pipe? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["run", "pipelines/p.yml"]
        p.currentDirectoryURL = c.dir
        p.environment = ProcessInfo.processInfo.environment.merging(["TAIZHANG_STOP_AT": point]) { _, b in b }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = stderr ?? FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while !stopped(p.processIdentifier) && p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return p
    }

    @Test(arguments: ["stream", "commit"])
    func killNineLeavesOutputsAsTheyWere(_ point: String) throws {
        let c = try PipelinesCopy()
        var text = "姓名,性别,身份证号,人员类别,社区\n"
        for i in 0..<20_000 { text += "人\(i),男,110105198503120012,党外知识分子,甲社区\n" }
        c.write("pipelines/big.csv", text)
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: big.csv\nsteps:\n  - normalize: member-ledger\noutputs:\n  - write: json\n    path: out/big.json\n  - write: xlsx-ledger\n    path: out/big.xlsx\n")
        c.write("pipelines/out/big.json", "[\"earlier run\"]")
        let p = try Self.stoppedRun(c, at: point)
        #expect(Self.stopped(p.processIdentifier), "the run never reached \(point)")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        #expect(try String(contentsOfFile: c.path("pipelines/out/big.json"), encoding: .utf8) == "[\"earlier run\"]", "killed at \(point): the earlier output was changed")
        #expect(!FileManager.default.fileExists(atPath: c.path("pipelines/out/big.xlsx")), "killed at \(point): an output appeared")
        // What the killed run left are its temporaries, readable by their owner only (they hold ID numbers).
        let out = try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out"))
        for f in out where f.hasPrefix(".big.") {
            let attributes = try FileManager.default.attributesOfItem(atPath: c.path("pipelines/out/\(f)"))
            let folder = attributes[.type] as? FileAttributeType == .typeDirectory   // libxlsxwriter's scratch folder
            #expect(attributes[.posixPermissions] as? Int == (folder ? 0o700 : 0o600), "\(f) is readable by others")
        }
        #expect(Set(out.filter { !$0.hasPrefix(".big.") }) == [".gitignore", "big.json"])
    }

    @Test func aCompleteRunReplacesTheOutputsAndKeepsTheEarlierOne() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: samples/书院路社区.csv\noutputs:\n  - write: json\n    path: out/big.json\n")
        c.write("pipelines/out/big.json", "[\"earlier run\"]")
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 0)
        #expect((try c.json("pipelines/out/big.json") as? [[String: Any]])?.first?["所在社区"] as? String == "书院路社区")
        #expect(try String(contentsOfFile: c.path("pipelines/out/big.1.json"), encoding: .utf8) == "[\"earlier run\"]")
        let mode = try FileManager.default.attributesOfItem(atPath: c.path("pipelines/out/big.json"))[.posixPermissions] as? Int
        #expect(mode == 0o644 || mode == 0o664, "a finished output has the usual permissions, not the temporary's 0600")
    }
}
