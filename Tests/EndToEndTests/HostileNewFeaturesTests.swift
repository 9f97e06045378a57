import Foundation
import Testing
import TaizhangTestSupport

/// What a hunt for hostile inputs found in this round's features, each kept as a test.
@Suite(.serialized) struct HostileNewFeaturesTests {
    static let ledger = "姓名,性别,统战对象类别,所在社区\n张三,男,坏类别,甲社区\n李四,男,坏类别,乙社区\n"

    static func pipeline(_ path: String, extra: String = "") -> String {
        "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - validate: member-category\noutputs:\n  - write: issue-workbook\n    path: \(path)\n    by: 所在社区\n\(extra)fail_on: never\n"
    }

    /// by: with standard output as the path: refused before anything is read, no crash.
    @Test func byWithStandardOutputIsRefused() throws {
        let c = try PipelinesCopy()
        c.write("l.csv", Self.ledger)
        c.write("p.yml", Self.pipeline("'-'"))
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 3 && o.stderr.contains("按 by: 分册时 path 必须是普通文件路径"), "\(o.code) \(o.stderr)")
    }

    /// A workbook named by value may not land on a file the run reads, nor on another output.
    @Test func aWorkbookNamedByValueNeverOverwritesAnInputOrAnotherOutput() throws {
        let c = try PipelinesCopy()
        c.write("l.csv", Self.ledger)
        // A second input named like the workbook 甲社区's rows would get (CSV text, whatever its name).
        let theirs = "姓名,性别,统战对象类别,所在社区\n王五,男,坏类别,甲社区\n"
        c.write("问题-甲社区.xlsx", theirs)
        c.write("p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\n  - read: csv\n    path: 问题-甲社区.xlsx\nsteps:\n  - validate: member-category\noutputs:\n  - write: issue-workbook\n    path: 问题.xlsx\n    by: 所在社区\nfail_on: never\n")
        let r = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(r.code == 3 && r.stderr.contains("会覆盖本次运行要读取的文件"), "\(r.stderr)")
        #expect(try String(contentsOfFile: c.path("问题-甲社区.xlsx"), encoding: .utf8) == theirs)
        c.write("q.yml", Self.pipeline("问题.xlsx", extra: "  - write: csv\n    path: 问题-乙社区.xlsx\n"))
        let o = try taizhang(["run", "q.yml"], cwd: c.dir)
        #expect(o.code == 3 && o.stderr.contains("与另一个输出"), "\(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("问题-乙社区.xlsx")))
    }

    /// Within one unit the return tells people apart; merge does not join them again.
    @Test func mergeJoinsOnlyAcrossUnits() throws {
        let c = try PipelinesCopy()
        c.write("key.txt", "a long shared secret for the whole chain")
        c.write("a.csv", "姓名,性别,出生日期,公民身份号码,统战对象类别,所在社区\n王芳,女,1980-01-01,,无党派人士,甲社区\n王芳,女,1980-01-01,,无党派人士,甲社区\n张伟,男,1985-03-12,110105198503120012,党外知识分子,甲社区\n张伟,男,1985-03-12,,党外知识分子,甲社区\n")
        c.write("a.yml", PersonKeyMergeTests.pipeline(["a.csv"], out: "a.json", key: "key.txt"))
        _ = try taizhang(["run", "a.yml"], cwd: c.dir)
        let m = try taizhang(["merge", "a.json", "--out", "m.json"], cwd: c.dir)
        let own = try PersonKeyMergeTests().counts(c, "a.json"), merged = try PersonKeyMergeTests().counts(c, "m.json")
        #expect(own["total"]?["total"] == 4 && merged == own, "\(m.stdout)")
        // Fingerprints without the name of their key: refused, not merged as if unkeyed.
        var doc = try c.json("a.json") as! [String: Any]
        doc["person_key"] = nil
        try JSONSerialization.data(withJSONObject: doc).write(to: c.dir.appendingPathComponent("nokey.json"))
        let bad = try taizhang(["merge", "nokey.json", "--out", "x.json"], cwd: c.dir)
        #expect(bad.code == 1 && bad.stderr.contains("有人员指纹却没有 person_key"), "\(bad.stderr)")
    }

    /// Two streets that each have a 新华社区 are two communities at the county: merged, not refused.
    @Test func twoStreetsEachWithTheSameCommunityName() throws {
        let c = try PipelinesCopy()
        let h = "姓名,性别,出生日期,公民身份号码,统战对象类别,所在社区\n"
        c.write("a.csv", h + "张伟,男,1985-03-12,110105198503120012,党外知识分子,新华社区\n李娜,女,1990-07-01,11010519900701002X,无党派人士,东风社区\n")
        c.write("b.csv", h + "陈静,女,1975-04-21,110105197504210023,党外知识分子,新华社区\n周强,男,1969-12-01,110105196912010018,党外知识分子,红星社区\n")
        for (n, street) in [("a", "甲街道"), ("b", "乙街道")] {
            c.write("\(n).yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: \(n).csv\nsteps:\n  - step: member-return\n    period: 2026Q3\n    unit: \(street)\noutputs:\n  - write: json-return\n    path: \(n).json\nfail_on: never\n")
            _ = try taizhang(["run", "\(n).yml"], cwd: c.dir)
        }
        let m = try taizhang(["merge", "a.json", "b.json", "--unit", "某区", "--out", "county.json"], cwd: c.dir)
        #expect(m.code == 0, "\(m.stderr)")
        let doc = try c.json("county.json") as! [String: Any]
        #expect(Set(doc["units_covered"] as? [String] ?? []) == ["甲街道/新华社区", "甲街道/东风社区", "乙街道/新华社区", "乙街道/红星社区"])
        let again = try taizhang(["merge", "a.json", "a.json", "--out", "x.json"], cwd: c.dir)
        #expect(again.code == 1 && again.stderr.contains("「甲街道/新华社区」同时出现在 a.json 和 a.json 中"), "\(again.stderr)")
    }

    /// --show limits the issues of rows; what concerns a whole file or the run is always printed.
    @Test func runLevelIssuesAreAlwaysShown() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-return.yml", "--show", "1"], cwd: c.dir)
        #expect(o.stdout.contains("人员变动: 警告: [previous-missing] 「和平里社区」没有上期台账"), "\(o.stdout)")
        #expect(o.stdout.components(separatedBy: ": 错误: ").count - 1 == 1, "one row issue shown")
    }

    /// A list that gives one name to two units is refused, naming both.
    @Test func aUnitsListWithOneNameForTwoUnitsIsRefused() throws {
        let c = try PipelinesCopy()
        c.write("units.csv", "名称,别名\n甲社区,乙社区\n乙社区,\n")
        c.write("l.csv", Self.ledger)
        c.write("p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - normalize: member-ledger\n    units: units.csv\noutputs:\n  - write: csv\n    path: o.csv\n")
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 3 && o.stderr.contains("单位名单中「乙社区」同时指「甲社区」和「乙社区」"), "\(o.stderr)")
    }

    /// A CSV whose header starts with [ is CSV; a copy a killed run left is removed by the next.
    @Test func standardInputEdgeCases() throws {
        let c = try PipelinesCopy()
        let tmp = c.dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp.appendingPathComponent("taizhang-stdin-999999-DEADBEEF"), withIntermediateDirectories: true)
        c.write("tmp/taizhang-stdin-999999-DEADBEEF/input.csv", "姓名\n张三\n")
        let o = try taizhang(["validate", "-", "--steps", "fields"], cwd: c.dir, env: ["TMPDIR": tmp.path], stdin: Data("[姓名],性别\n张三,男\n".utf8))
        #expect(o.stdout.contains("核对：读取 1 = ") && !o.stderr.contains("JSON"), "\(o.stdout)\(o.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
    }
}
