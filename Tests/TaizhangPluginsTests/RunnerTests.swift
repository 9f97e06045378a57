import Foundation
import Testing
import TaizhangCore

@Suite struct RunnerTests {
    @Test func everyRowIsAccountedForAndRoutedByErrors() throws {
        let w = Workspace()
        w.write("a.csv", "名字,性别,年龄,出生日期,身份证号,备注\n张三,男,30,1995-01-01,11010519950101001X,\n\n李四,未知,30,1995-01-01,110105199501010028,x\n王五,女,200,1995-02-30,110105199501010028,\n,男,1,2025-01-01,abc,\n赵六,女,40,1985-06-01,110105198506010021,\"多行\n备注\"\n")
        let r = try w.run(schemaYAML + """

        inputs:
          - read: csv
            path: a.csv
        steps:
          - validate: fields
        outputs:
          - write: json
            path: out/ok.json
            origin: true
          - write: json
            path: out/bad.json
            rows: quarantined
            issues: true
          - write: json-report
            path: out/report.json
        """)
        let s = r.summary
        #expect(s.read == 6 && s.accepted == 2 && s.quarantined == 3 && s.skipped == 1)
        #expect(s.balanced)

        let ok = try w.json("out/ok.json") as! [[String: Any]]
        #expect(ok.map { $0["姓名"] as? String } == ["张三", "赵六"])
        #expect(ok[1]["备注"] as? String == "多行\n备注")
        #expect(ok[0]["年龄"] as? Int == 30)            // integer fields are JSON numbers
        #expect((ok[1]["_origin"] as? [String: Any])?["row"] as? Int == 7)   // a row spanning lines has its first line

        let bad = try w.json("out/bad.json") as! [[String: Any]]
        #expect(bad.count == 3)
        let codes = bad.map { ($0["_issues"] as! [[String: Any]]).map { $0["code"] as! String } }
        #expect(codes[0] == ["not-in-codes"])
        #expect(Set(codes[1]) == ["out-of-range", "type-error", "unique-violation"])
        #expect(Set(codes[2]) == ["required", "pattern-mismatch"])

        let report = try w.json("out/report.json") as! [String: Any]
        let summary = report["summary"] as! [String: Any]
        #expect(summary["read"] as? Int == 6)
        #expect(summary["balanced"] as? Bool == true)
        let issues = report["issues"] as! [[String: Any]]
        let unique = try #require(issues.first { $0["code"] as? String == "unique-violation" })
        #expect(unique["row"] as? Int == 5)
        #expect(unique["column"] as? String == "E")
        #expect(unique["value"] as? String == "110105********0028")   // personal: masked
        let range = try #require(issues.first { $0["code"] as? String == "out-of-range" })
        #expect(range["value"] as? String == "200")                   // not personal: shown
        #expect((report["skipped"] as! [[String: Any]]).first?["row"] as? Int == 3)
    }

    @Test func aliasesAndExtraColumnsMapAcrossSources() throws {
        let w = Workspace()
        w.write("a.csv", "名字,性别,身份证号,爱好\n张三,男,11010519950101001X,围棋\n")
        w.write("b.json", #"[{"姓名": "李四", "单位": "二中", "爱好": "书法"}]"#)
        _ = try w.run(schemaYAML + """

        inputs:
          - read: csv
            path: a.csv
          - read: json
            path: b.json
        outputs:
          - write: csv
            path: out/all.csv
            bom: false
            excel_safe: false
        """)
        let csv = try #require(w.read("out/all.csv"))
        #expect(csv == "姓名,性别,年龄,出生日期,身份证号,爱好,单位\n张三,男,,,11010519950101001X,围棋,\n李四,,,,,书法,二中\n")
    }

    @Test func duplicateHeadersKeepBothColumns() throws {
        let w = Workspace()
        w.write("a.csv", "姓名,名字,备注,备注\n张三,张三丰,a,b\n")
        let r = try w.run(schemaYAML + "\ninputs:\n  - read: csv\n    path: a.csv\noutputs:\n  - write: csv\n    path: out/x.csv\n    bom: false\n")
        #expect(r.issues.filter { $0.code == "duplicate-header" }.count == 2)
        #expect(w.read("out/x.csv") == "姓名,性别,年龄,出生日期,身份证号,名字（B）,备注,备注（D）\n张三,,,,,张三丰,a,b\n")
    }

    @Test func aFailingRunLeavesNoOutputBehind() throws {
        let w = Workspace()
        w.write("good.csv", "姓名\n张三\n")
        w.write("bad.csv", "姓名\n\"未闭合\n")
        #expect(throws: SourceError.self) {
            try w.run(schemaYAML + "\ninputs:\n  - read: csv\n    path: good.csv\n  - read: csv\n    path: bad.csv\noutputs:\n  - write: json\n    path: out/x.json\n  - write: json-report\n    path: out/r.json\n")
        }
        #expect(w.files(in: "out").isEmpty, "no output and no temporary file left: \(w.files(in: "out"))")
    }

    @Test func anExistingOutputIsReplacedOnlyOnSuccess() throws {
        let w = Workspace()
        w.write("out/x.json", "old")
        w.write("bad.csv", "姓名\n\"未闭合\n")
        _ = try? w.run("inputs:\n  - read: csv\n    path: bad.csv\noutputs:\n  - write: json\n    path: out/x.json\n")
        #expect(w.read("out/x.json") == "old")
        w.write("good.csv", "姓名\n张三\n")
        _ = try w.run("inputs:\n  - read: csv\n    path: good.csv\noutputs:\n  - write: json\n    path: out/x.json\n")
        #expect(w.read("out/x.json") == "[\n{\"姓名\":\"张三\"}\n]\n")
    }

    @Test func dryRunWritesNothing() throws {
        let w = Workspace()
        w.write("a.csv", "姓名\n张三\n")
        let r = try w.run("inputs:\n  - read: csv\n    path: a.csv\noutputs:\n  - write: json\n    path: out/x.json\n", dryRun: true)
        #expect(r.summary.read == 1)
        #expect(!w.exists("out/x.json"))
    }

    @Test func missingRequiredColumnIsSaidOnce() throws {
        let w = Workspace()
        w.write("a.csv", "性别\n男\n女\n")
        let r = try w.run(schemaYAML + "\ninputs:\n  - read: csv\n    path: a.csv\nsteps:\n  - validate: fields\n")
        #expect(r.issues.filter { $0.code == "missing-column" }.count == 1)
        #expect(r.issues.filter { $0.code == "required" }.count == 2)
    }
}

@Suite struct SeverityPolicyTests {
    @Test func pipelineCanDemoteOrDropIssueCodes() throws {
        let w = Workspace()
        w.write("a.csv", "名字,性别\n,男\n张三,未知\n")
        let base = schemaYAML + "\ninputs:\n  - read: csv\n    path: a.csv\nsteps:\n  - validate: fields\n"
        let strict = try w.run(base)
        #expect(strict.summary.quarantined == 2)
        let relaxed = try w.run(base + "severity:\n  required: warning\n  not-in-codes: ignore\n")
        #expect(relaxed.summary.quarantined == 0)
        #expect(relaxed.issues.filter { $0.code == "required" }.map(\.severity) == [.warning])
        #expect(relaxed.issues.allSatisfy { $0.code != "not-in-codes" })
    }

    @Test func badSeverityIsADiagnostic() throws {
        let w = Workspace()
        w.write("a.csv", "姓名\n张三\n")
        #expect(throws: Diagnostics.self) { try w.pipeline("inputs:\n  - read: csv\n    path: a.csv\nseverity:\n  required: warn\n") }
    }
}
