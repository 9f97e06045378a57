import Foundation
import Testing
import TaizhangTestSupport
import ZIPFoundation
import GRDB

/// Inputs a hunt for crashes found (each stopped the tool with a runtime trap): every one is now a
/// clear error, or is read as meant.
@Suite struct HuntedCrashesTests {
    static let ledger = "姓名,性别,出生日期,人员类别,社区\n张伟,男,1985-03-12,党外知识分子,书院路社区\n"

    /// A folder with the ledger, `files` and pipeline `p.yml`; the run's output.
    func run(_ pipeline: String, files: [String: String] = [:], command: String = "run") throws -> (PipelinesCopy, Output) {
        let c = try PipelinesCopy()
        c.write("l.csv", Self.ledger)
        for (name, text) in files { c.write(name, text) }
        c.write("p.yml", pipeline)
        return (c, try taizhang([command, "p.yml"], cwd: c.dir))
    }

    /// A period written in full-width or Arabic-Indic digits matched the pattern's \d, which Int
    /// does not read: now it is not a period, said where it is written.
    @Test(arguments: ["２０２６Q3", "٢٠٢٦Q3", "２０２６H1", "２０２６", "2026-٩"])
    func aPeriodInOtherDigitsIsNotUnderstood(_ period: String) throws {
        let p = "schema: member-ledger\ninputs: [{read: csv, path: l.csv}]\nsteps: [{step: member-return, period: \(period)}]\noutputs: [{write: json-return, path: r.json}]\n"
        let (_, o) = try run(p)
        #expect(o.code == 2, "\(o.stderr)")
        #expect(o.stderr.contains("p.yml:3:") && o.stderr.contains("报告期「\(period)」无法识别"), "\(o.stderr)")
    }

    /// A bound of 1e20 was turned into an Int to be printed.
    @Test func aNumberPastAnIntegersRangeIsSaidAsANumber() throws {
        let schema = "name: s\nfields:\n  - name: 姓名\n  - name: 数量\n    type: number\n    maximum: 1e20\n"
        let p = "schema: s.yml\ninputs: [{read: csv, path: n.csv}]\nsteps: [{validate: fields}]\noutputs: []\n"
        let (_, o) = try run(p, files: ["s.yml": schema, "n.csv": "姓名,数量\n张三,1e21\n"])
        #expect(o.code == 1, "\(o.stderr)")
        #expect((o.stdout + o.stderr).contains("n.csv:2:B: 错误: [out-of-range] 「数量」大于最大值 1e+20（值：1e21）"), "\(o.stdout + o.stderr)")
    }

    /// A form of one table on sheet 统计表 (a 合计 row, a 人数 column `total`), with `columns` more
    /// and `tail` (a template) after it.
    static func form(_ title: String, columns: [String] = [], tail: String = "") -> String {
        "form: \(title)\nversion: \"1\"\ntitle: \(title)\ntables:\n  - key: main\n    sheet: 统计表\n    rows:\n      total: 合计\n    columns:\n"
            + (["{key: total, heading: [人数]}"] + columns).map { "      - \($0)\n" }.joined() + tail
    }

    /// An age bound beyond 32 bits in a form: no one is that old.
    @Test func anAgeBoundPastAnyAgeCountsNoOne() throws {
        let form = Self.form("测试表", columns: ["{key: old, heading: [老], where: {出生日期: {age: {min: 3000000000}}}}"])
        let p = "schema: member-ledger\ninputs: [{read: csv, path: l.csv}]\nsteps: [{step: member-return, period: 2026Q3, forms: [age.yml]}]\noutputs: [{write: json-return, path: r.json}]\n"
        let (c, o) = try run(p, files: ["age.yml": form])
        #expect(o.code == 0, "\(o.stderr)")
        let doc = try #require(try c.json("r.json") as? [String: Any])
        let total = try #require((doc["rows"] as? [[String: Any]])?.first { $0["key"] as? String == "total" }?["counts"] as? [String: Any])
        #expect(total["total"] as? Int == 1 && total["old"] as? Int == 0, "\(total)")
    }

    /// A minimal .xlsx whose one sheet's XML is `sheet` (and, for a form's template, nothing else).
    static func workbook(_ path: String, sheet: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let parts = [
            ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
            ("_rels/.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="统计表" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ("xl/worksheets/sheet1.xml", #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"# + sheet + "</worksheet>"),
        ]
        for (name, text) in parts {
            let d = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(d.count), compressionMethod: .deflate) { pos, size in d.subdata(in: Int(pos)..<Int(pos) + size) }
        }
    }

    /// A template sheet whose rows are numbered past what Excel has (a damaged file): the numbers
    /// are not taken, and the form is filled.
    @Test(arguments: [#"<row r="9223372036854775807"/><row/>"#, #"<row r="-9223372036854775808"><c/></row>"#])
    func aTemplateRowNumberPastExcelsIsNotTaken(_ rows: String) throws {
        let form = Self.form("模板表", tail: "template:\n  file: tpl.xlsx\n  cells:\n    B2: main/total/total\n")
        let p = "schema: member-ledger\ninputs: [{read: csv, path: l.csv}]\nsteps: [{step: member-return, period: 2026Q3, forms: [form.yml]}]\noutputs: [{write: xlsx-template, path: out.xlsx}]\n"
        let c = try PipelinesCopy()
        c.write("l.csv", Self.ledger)
        c.write("form.yml", form)
        c.write("p.yml", p)
        try Self.workbook(c.path("tpl.xlsx"), sheet: "<sheetData>\(rows)</sheetData>")
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        #expect(try XLSXPeek(path: c.path("out.xlsx")).sheet("统计表")?["B2"] == "1")
    }

    /// A merged range written backwards (C2:A3) covers the same cells as A2:C3.
    @Test func aMergedRangeWrittenBackwardsIsTheSameRange() throws {
        let c = try PipelinesCopy()
        func row(_ n: Int, _ values: [String]) -> String {
            "<row r=\"\(n)\">" + zip(["A", "B", "C", "D"], values).map { "<c r=\"\($0)\(n)\" t=\"inlineStr\"><is><t>\($1)</t></is></c>" }.joined() + "</row>"
        }
        let sheet = "<sheetData>" + row(1, ["社区", "人员类别", "性别", "姓名"]) + row(2, ["书院路社区", "", "", "张伟"]) + row(3, ["", "", "", "李明"])
            + "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"C2:A3\"/></mergeCells>"
        try Self.workbook(c.path("m.xlsx"), sheet: sheet)
        c.write("p.yml", "schema: member-ledger\nfail_on: never\ninputs: [{read: xlsx, path: m.xlsx}]\noutputs: [{write: csv, path: out.csv}]\n")
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let out = try String(contentsOfFile: c.path("out.csv"), encoding: .utf8)
        // 书院路社区 fills A2:C3 — the community of both rows (and the other merged cells with it).
        #expect(out.components(separatedBy: "书院路社区").count - 1 == 6, "\(out)")
    }

    /// A return whose figure no return can have is refused before anything is added (a derived
    /// sum overflowed).
    @Test func mergeRefusesAFigureNoReturnCanHave() throws {
        let c = try PipelinesCopy()
        let sample = try taizhang(["run", "pipelines/visits-return.yml"], cwd: c.dir)
        #expect(sample.code <= 1, "\(sample.stderr)")
        var doc = try #require(try c.json("pipelines/out/2026Q3-走访/联系走访情况统计表.json") as? [String: Any])
        var rows = try #require(doc["rows"] as? [[String: Any]])
        var counts = try #require(rows[0]["counts"] as? [String: Any])
        counts["reason1"] = Int.max
        counts["reason2"] = 1
        rows[0]["counts"] = counts
        doc["rows"] = rows
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: c.path("r.json")))
        let o = try taizhang(["merge", "r.json", "--out", "m.json"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")
        #expect(o.stderr.contains("r.json 中有数字 9223372036854775807，不是报表中可能有的人数或次数"), "\(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("m.json")))
    }

    /// `max_depth` is held to 2000: deeper nesting is an error naming where, not a stack overflow.
    @Test func nestingDeeperThanTheReaderCanGoIsAnError() throws {
        let c = try PipelinesCopy()
        c.write("deep.json", String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000))
        c.write("p.yml", "schema: member-ledger\ninputs: [{read: json, path: deep.json, max_depth: 1000000}]\noutputs: []\n")
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 3, "\(o.stderr)")
        #expect(o.stderr.contains("deep.json:1: 错误: JSON 语法错误（第 1 行第 2001 列）：嵌套超过 2000 层"), "\(o.stderr)")
    }

    /// A date cell of two dozen digits (a number pasted into the column) overflowed the parser.
    @Test func aLongRunOfDigitsInADateIsNotADate() throws {
        let c = try PipelinesCopy()
        c.write("a.csv", "姓名,性别,出生日期,身份证号,统战对象类别,所在社区\n张伟,男,99999999999999999999999,,党外知识分子,书院路社区\n李娜,女,2026.1.99999999999999999999,,党外知识分子,书院路社区\n")
        let o = try taizhang(["validate", "a.csv"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")
        let out = o.stdout + o.stderr
        #expect(out.contains("a.csv:2:C: 错误:") && out.contains("a.csv:3:C: 错误:"), "\(out)")
    }

    /// The issue workbook streams, and a sheet it streams holds a temporary file open: when the
    /// system allows no more (a folder of many ledgers, each with issues, under a low limit), the
    /// run stops with an error naming the sheet — not a trap — and leaves nothing behind.
    @Test func aSheetPastTheOpenFilesAllowedIsAnErrorNotATrap() throws {
        let c = try PipelinesCopy()
        try FileManager.default.createDirectory(atPath: c.path("c"), withIntermediateDirectories: true)
        for i in 0..<60 { c.write("c/社区\(i).csv", "姓名,性别,出生日期,人员类别,社区\n张伟,男,19x5-03-12,党外知识分子,社区\(i)\n") }
        c.write("p.yml", "schema: member-ledger\ninputs: [{read: csv, path: \"c/*.csv\"}]\nsteps: [{validate: fields}]\noutputs: [{write: issue-workbook, path: out/问题清单.xlsx}]\n")
        // 96 open files (soft and hard): the 60 ledgers open, and the sheets run out.
        let o = try Output.of("/bin/sh", ["-c", "ulimit -n 96 && exec '\(binary)' run p.yml"], cwd: c.dir)
        #expect(o.code == 3, "\(o.stdout)\(o.stderr)")
        #expect(o.stderr.contains("打开临时文件（打开的文件太多？可用 ulimit -n 调高上限）"), "\(o.stderr)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: c.path("out"))) ?? []).isEmpty, "nothing left behind")
    }

    /// A store written by a run, then edited by hand: text where a number belongs, a number too
    /// large for its column, a trigger that takes a unit away. Each is an error of the store.
    @Test func aStoreEditedByHandIsAnErrorNotATrap() throws {
        let c = try PipelinesCopy()
        c.write("st.yml", "schema: member-ledger\nstore: st.sqlite\ninputs: [{read: csv, path: pipelines/samples/书院路社区.csv}]\nsteps: [{normalize: member-ledger}]\noutputs: [{write: store, period: 2026Q3}]\nfail_on: never\n")
        #expect(try taizhang(["run", "st.yml"], cwd: c.dir).code == 0)
        let store = try DatabaseQueue(path: c.path("st.sqlite"))
        try store.write { db in
            try db.execute(sql: "UPDATE record SET row = 'abc' WHERE id = (SELECT min(id) FROM record)")
            try db.execute(sql: "UPDATE snapshot SET records = 1e30")
        }
        try store.close()
        for command in [["store", "periods"], ["store", "export", "2026Q3", "--out", "x.csv"]] {
            let o = try taizhang(command + ["--store", "st.sqlite"], cwd: c.dir)
            #expect(o.code == 3, "\(command): \(o.stderr)")
            #expect(o.stderr.contains("资料库 st.sqlite 已损坏（有的值不是它该有的类型，是否被手工改过？）"), "\(command): \(o.stderr)")
        }
        // A trigger that deletes every unit as it is written: the run cannot keep its period.
        let fresh = try DatabaseQueue(path: c.path("st.sqlite"))
        try fresh.write { db in try db.execute(sql: "CREATE TRIGGER gone AFTER INSERT ON unit BEGIN DELETE FROM unit WHERE id = new.id; END") }
        try fresh.close()
        c.write("st2.yml", "schema: member-ledger\nstore: st.sqlite\ninputs: [{read: csv, path: pipelines/samples/和平里社区-GB18030.csv}]\nsteps: [{normalize: member-ledger}]\noutputs: [{write: store, period: 2026Q3}]\nfail_on: never\n")
        let o = try taizhang(["run", "st2.yml"], cwd: c.dir)
        #expect(o.code == 3 && o.stderr.contains("资料库中写不进单位"), "\(o.code) \(o.stderr)")
    }

    /// A form whose columns double one another seventy times: the sums hold at the largest number
    /// instead of overflowing, and `merge` refuses such a return.
    @Test func aSumPastAnyNumberHoldsAndMergeRefusesIt() throws {
        var form = "form: 倍增表\nversion: \"1\"\ntitle: 倍增\ntables:\n  - key: main\n    rows: {total: 合计}\n    columns:\n      - {key: c0, heading: [人数]}\n"
        for k in 1..<70 { form += "      - {key: c\(k), heading: [c\(k)], sum: [c\(k - 1), c\(k - 1)]}\n" }
        let p = "schema: member-ledger\ninputs: [{read: csv, path: l.csv}]\nsteps: [{step: member-return, period: 2026Q3, forms: [dbl.yml]}]\noutputs: [{write: json-return, path: r.json}]\n"
        let (c, o) = try run(p, files: ["dbl.yml": form])
        #expect(o.code == 0, "\(o.stderr)")
        let doc = try #require(try c.json("r.json") as? [String: Any])
        let total = try #require((doc["rows"] as? [[String: Any]])?.first { $0["key"] as? String == "total" }?["counts"] as? [String: Any])
        #expect(total["c10"] as? Int == 1024 && total["c69"] as? Int == Int.max, "\(total["c10"] ?? "") \(total["c69"] ?? "")")
        let m = try taizhang(["merge", "r.json", "--out", "m.json"], cwd: c.dir)
        #expect(m.code == 1 && m.stderr.contains("r.json 中有数字") && m.stderr.contains("不是报表中可能有的人数或次数"), "\(m.stderr)")
        // Parts each a figure a return can have, whose derived sums are not: refused after adding.
        var edited = doc
        var rows = try #require(doc["rows"] as? [[String: Any]])
        for r in rows.indices {
            var counts = try #require(rows[r]["counts"] as? [String: Any])
            for k in counts.keys { counts[k] = k == "c0" ? 1_000_000_000_000 : 0 }
            rows[r]["counts"] = counts
        }
        edited["rows"] = rows
        try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: c.path("e.json")))
        let e = try taizhang(["merge", "e.json", "--out", "m.json"], cwd: c.dir)
        #expect(e.code == 1 && e.stderr.contains("汇总后的数字超出可表示的范围"), "\(e.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("m.json")))
    }

    /// An exec plugin's `timeout:` past what the clock can wait for is held to a year.
    @Test func anExecTimeoutPastTheClockIsHeldToAYear() throws {
        let p = "schema: member-ledger\ninputs: [{read: csv, path: l.csv}]\nsteps:\n  - step: exec\n    command: [sh, -c, \"sleep 1\"]\n    timeout: 9300000000\noutputs: []\n"
        let (_, o) = try run(p)
        #expect(o.code == 3, "the program ends without answering: \(o.stderr)")
    }

    /// A length of 1e19 characters in a schema is past any cell, not a trap.
    @Test func aLengthPastAnyCellIsNotATrap() throws {
        let c = try PipelinesCopy()
        c.write("s.yml", "name: s\nfields:\n  - name: 姓名\n    max_length: 1e19\n  - name: 社区\n    min_length: 1e19\n")
        c.write("n.csv", "姓名,社区\n张三,东村\n")
        let o = try taizhang(["validate", "--schema", "s.yml", "n.csv"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stdout)\(o.stderr)")
        #expect((o.stdout + o.stderr).contains("n.csv:2:B: 错误:"), "东村 is shorter than 1e19 characters: \(o.stdout)")
    }

    /// A blank ledger of more fields than a sheet has columns was written with the columns past
    /// XFD left out without a word: now it is refused, and nothing is written.
    @Test func aTemplateWiderThanASheetIsRefused() throws {
        let c = try PipelinesCopy()
        c.write("s.yml", "name: s\nfields:\n" + (0..<17_000).map { "  - name: f\($0)\n" }.joined())
        let o = try taizhang(["template", "--out", "t.xlsx", "--schema", "s.yml"], cwd: c.dir)
        #expect(o.code == 3 && o.stderr.contains("有 17000 列，超过 Excel 工作表的 16,384 列"), "\(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("t.xlsx")))
    }
}
