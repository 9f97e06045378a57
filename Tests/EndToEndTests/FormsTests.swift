import Foundation
import Testing
import TaizhangTestSupport
import ZIPFoundation

/// Issue 21: statistical forms are data. The quarterly return is a shipped form file giving what
/// the Swift return gave; other forms count from the same pass; a higher unit's own template is
/// filled cell by cell and nothing else in it changes. Expected figures are counted by hand from
/// the sample ledger (pipelines/samples/代表人士-书院路社区.csv, period 2026Q4).
@Suite(.serialized) struct FormsTests {
    func rows(_ doc: Any) -> [String: [Any]] {
        let d = doc as! [String: Any]
        let keys = (d["columns"] as! [[String: Any]]).map { $0["key"] as! String }
        var out: [String: [Any]] = [:]
        for r in d["rows"] as! [[String: Any]] {
            let counts = r["counts"] as! [String: Any], ratios = r["ratios"] as? [String: Any] ?? [:]
            out[r["category"] as! String] = keys.map { counts[$0] is NSNull ? (ratios[$0] ?? NSNull()) : counts[$0]! }
        }
        return out
    }

    /// The form file gives the very workbook the Swift return wrote (a byte-for-byte golden file
    /// kept from before the change) and the same figures in the JSON, now with the form's name.
    @Test func theShippedQuarterlyFormIsTheOldReturnByteForByte() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")      // the sample has errors on purpose
        let xlsx = try Data(contentsOf: URL(fileURLWithPath: c.path("pipelines/out/2026Q3-统计表.xlsx")))
        let golden = try Data(contentsOf: repoRoot.appendingPathComponent("Tests/Golden/forms/before-forms-统计表.xlsx"))
        #expect(xlsx == golden, "the return's workbook differs from the one the Swift return wrote")
        var now = try c.json("pipelines/out/2026Q3-统计表.json") as! [String: Any]
        let before = try JSONSerialization.jsonObject(with: Data(contentsOf: repoRoot.appendingPathComponent("Tests/Golden/forms/before-forms-统计表.json"))) as! [String: Any]
        #expect(now["form"] as? String == "统战工作对象情况统计表" && now["form_version"] as? String == "2026.1")
        now["form"] = nil
        now["form_version"] = nil
        #expect(NSDictionary(dictionary: now).isEqual(to: before))
    }

    /// A value with a bracketed list in it (县（市、区）人大代表) is one value, not three.
    @Test func bracketsKeepAValueWhole() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/a.csv", "姓名,性别,身份证号,统战对象类别,政治安排,所在社区\n甲,男,110101196503120018,民主党派成员,\"县（市、区）人大代表、市政协委员\",东村\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: a.csv\nsteps:\n  - step: member-return\n    period: 2026Q4\n    forms: [代表人士政治安排情况表]\noutputs:\n  - write: json-return\n    path: out/a.json\n")
        #expect(try taizhang(["run", "pipelines/p.yml"], cwd: c.dir).code == 0)
        let counted = rows(try c.json("pipelines/out/a.json"))
        #expect(counted["县级人大代表"]?.first as? Int == 1 && counted["市级政协委员"]?.first as? Int == 1 && counted["合计"]?.first as? Int == 1)
    }

    @Test func threeFormsFromOneCountWithHandCountedFigures() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/representatives-return.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let a = rows(try c.json("pipelines/out/2026Q4-政治安排.json"))
        // 人数, 民主党派, 无党派, 其他, 女, 少数民族, ≤40, 41–55, ≥56, 不详 — 6 people hold an arrangement (钱红 none).
        #expect(a["合计"] as? [Int] == [6, 3, 1, 2, 2, 2, 1, 2, 3, 0])
        #expect(a["全国人大代表"] as? [Int] == [1, 1, 0, 0, 0, 0, 0, 0, 1, 0])          // 吴刚
        #expect(a["县级人大代表"] as? [Int] == [2, 1, 0, 1, 0, 1, 0, 0, 2, 0])          // 李建国 (区人大代表), 周明
        #expect(a["县级政协委员"] as? [Int] == [2, 1, 0, 1, 2, 1, 1, 1, 0, 0])          // 王淑芬 (区政协委员), 孙丽华
        #expect(a["市级政协委员"] as? [Int] == [1, 1, 0, 0, 0, 0, 0, 0, 1, 0])          // 李建国
        #expect(a["省级人大代表"] as? [Int] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let s = rows(try c.json("pipelines/out/2026Q4-结构占比.json"))
        // 7 members: 1 非公 (14.3%), 1 新阶层 (14.3%), 2 少数民族 (28.6%), 3 女 (42.9%), 100% of all.
        let total = try #require(s["合计"])
        #expect(total.map { "\($0)" } == ["7", "1", "14.3", "1", "14.3", "2", "28.6", "3", "42.9", "100"])
        let book = try XLSXPeek(path: c.path("pipelines/out/2026Q4-代表人士-报表.xlsx"))
        #expect(book.sheet("统计表") != nil && book.sheet("政治安排") != nil && book.sheet("占比表") != nil)
        #expect(book.sheet("占比表")?["D8"] == "14.3" && book.sheet("占比表")?["A8"] == "合计")
        let styles = try #require(try XLSXPeek.part(c.path("pipelines/out/2026Q4-代表人士-报表.xlsx"), "xl/styles.xml"))
        #expect(styles.contains("formatCode=\"0.0\""))
    }

    /// Only the target cells change: every other part of the template is byte-identical, the
    /// target cells read back as the figures, the formula and the merged ranges stay.
    @Test func theDistrictsTemplateIsFilledAndNothingElseChanges() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/fill-district-template.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let original = try Archive(url: URL(fileURLWithPath: c.path("pipelines/samples/模板/区统战部-代表人士模板.xlsx")), accessMode: .read)
        let filled = try Archive(url: URL(fileURLWithPath: c.path("pipelines/out/2026Q4-区代表人士上报表.xlsx")), accessMode: .read)
        func read(_ a: Archive, _ name: String) throws -> Data {
            var d = Data()
            _ = try a.extract(a[name]!, consumer: { d.append($0) })
            return d
        }
        #expect(original.map(\.path) == filled.map(\.path))
        for e in original where e.path != "xl/worksheets/sheet1.xml" {
            #expect(try read(original, e.path) == read(filled, e.path), "\(e.path) changed")
        }
        let book = try XLSXPeek(path: c.path("pipelines/out/2026Q4-区代表人士上报表.xlsx"))
        let sheet = try #require(book.sheet("表1"))
        #expect(sheet["B2"] == "书院路社区" && sheet["E2"] == "2026年第4季度" && sheet["E11"] == "2027年1月10日")
        #expect((4...7).map { r in ["B", "C", "D", "E", "F"].map { sheet["\($0)\(r)"] ?? "" } } ==
                [["6", "3", "1", "2", "2"], ["2", "1", "0", "0", "1"], ["2", "1", "0", "2", "1"], ["1", "1", "0", "0", "0"]])
        #expect(sheet["A1"] == "区统战部 代表人士情况（上报表）" && sheet["A5"] == "人大代表（县级）")
        let xml = try #require(try XLSXPeek.part(c.path("pipelines/out/2026Q4-区代表人士上报表.xlsx"), "xl/worksheets/sheet1.xml"))
        #expect(xml.contains("<f>B5+B6+B7</f>") && xml.contains("mergeCell ref=\"A1:F1\"") && xml.contains("<c r=\"B4\" s=\"3\"><v>6</v></c>"))
        // A cell on another sheet: `说明!C3`; that sheet's part changes too, and nothing else.
        let form = try String(contentsOfFile: c.path("pipelines/samples/模板/代表人士-区模板.yml"), encoding: .utf8)
        c.write("pipelines/samples/模板/两页.yml", form.replacingOccurrences(of: "    E11: report_date", with: "    E11: report_date\n    说明!C3: period_label"))
        let pipeline = try String(contentsOfFile: c.path("pipelines/fill-district-template.yml"), encoding: .utf8)
        c.write("pipelines/t.yml", pipeline.replacingOccurrences(of: "代表人士-区模板.yml", with: "两页.yml").replacingOccurrences(of: "区代表人士上报表.xlsx", with: "两页.xlsx"))
        #expect(try taizhang(["run", "pipelines/t.yml"], cwd: c.dir).code == 0)
        let two = try Archive(url: URL(fileURLWithPath: c.path("pipelines/out/2026Q4-两页.xlsx")), accessMode: .read)
        #expect(try original.filter { try read(original, $0.path) != read(two, $0.path) }.map(\.path).sorted() == ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
        #expect(try XLSXPeek(path: c.path("pipelines/out/2026Q4-两页.xlsx")).sheet("说明")?["C3"] == "2026年第4季度")
    }

    @Test func aFormulaOrAMergedCellOrANonXlsxTemplateIsRefusedNamingIt() throws {
        let c = try PipelinesCopy()
        let form = try String(contentsOfFile: c.path("pipelines/samples/模板/代表人士-区模板.yml"), encoding: .utf8)
        c.write("pipelines/samples/模板/公式.yml", form.replacingOccurrences(of: "    E11: report_date", with: "    E11: report_date\n    B9: 合计/total"))
        c.write("pipelines/samples/模板/合并.yml", form.replacingOccurrences(of: "    E11: report_date", with: "    B11: report_date"))
        c.write("pipelines/samples/模板/不是.xlsx", "序号,姓名\n")
        c.write("pipelines/samples/模板/非xlsx.yml", form.replacingOccurrences(of: "file: 区统战部-代表人士模板.xlsx", with: "file: 不是.xlsx"))
        let pipeline = try String(contentsOfFile: c.path("pipelines/fill-district-template.yml"), encoding: .utf8)
        for (name, said) in [("公式", "B9 是公式"), ("合并", "B11 在合并单元格 A11:C11 之内"), ("非xlsx", "不是 .xlsx 文件")] {
            c.write("pipelines/t.yml", pipeline.replacingOccurrences(of: "代表人士-区模板.yml", with: "\(name).yml"))
            let o = try taizhang(["run", "pipelines/t.yml"], cwd: c.dir)
            #expect(o.code != 0 && o.stderr.contains(said), "\(name): \(o.stderr)")
            #expect(!FileManager.default.fileExists(atPath: c.path("pipelines/out/2026Q4-区代表人士上报表.xlsx")), "\(name): half-written output")
        }
    }

    /// A template as office suites write them: formulas keep their text and lose their stored result
    /// (LibreOffice would show the template's old 0), on the filled sheet and on a sheet that refers to
    /// it; an empty <row/> that only sets a height takes two cells; new rows come in order; control
    /// characters never reach the XML.
    @Test func officeSuiteTemplatesFillCleanly() throws {
        let c = try PipelinesCopy()
        try FileManager.default.copyItem(atPath: repoRoot.appendingPathComponent("Tests/Fixtures/templates/办公软件式模板.xlsx").path,
                                         toPath: c.path("pipelines/samples/模板/办公.xlsx"))
        let form = try String(contentsOfFile: c.path("pipelines/samples/模板/代表人士-区模板.yml"), encoding: .utf8)
            .replacingOccurrences(of: "file: 区统战部-代表人士模板.xlsx", with: "file: 办公.xlsx")
            .replacingOccurrences(of: "    E11: report_date", with: "    E11: report_date\n    A13: unit\n    C13: period\n    C42: main/total/total\n    B41: main/total/female\n    D40: main/total/minority")
        c.write("pipelines/samples/模板/办公.yml", form)
        let pipeline = try String(contentsOfFile: c.path("pipelines/fill-district-template.yml"), encoding: .utf8)
            .replacingOccurrences(of: "代表人士-区模板.yml", with: "办公.yml").replacingOccurrences(of: "unit: 书院路社区", with: "unit: \"书院路\\u0001社区\"")
        c.write("pipelines/t.yml", pipeline)
        let o = try taizhang(["run", "pipelines/t.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        let path = c.path("pipelines/out/2026Q4-区代表人士上报表.xlsx")
        let xml = try #require(try XLSXPeek.part(path, "xl/worksheets/sheet1.xml"))
        #expect(xml.contains("<c r=\"B9\"><f>B5+B6+B7</f></c>"), "the formula keeps a stale result")
        #expect(try #require(try XLSXPeek.part(path, "xl/worksheets/sheet2.xml")).contains("<f>'表1'!B4*2</f></c>"))
        #expect(xml.contains("<row r=\"13\" ht=\"20\" customHeight=\"1\"><c r=\"A13\" t=\"inlineStr\"><is><t>书院路社区</t></is></c><c r=\"C13\" t=\"inlineStr\"><is><t>2026Q4</t></is></c></row>"), "\(xml)")
        let r40 = try #require(xml.range(of: "<row r=\"40\">")), r41 = try #require(xml.range(of: "<row r=\"41\">")), r42 = try #require(xml.range(of: "<row r=\"42\">"))
        #expect(r40.lowerBound < r41.lowerBound && r41.lowerBound < r42.lowerBound)
        #expect(!xml.contains("\u{1}"))
        let sheet = try #require(try XLSXPeek(path: path).sheet("表1"))
        #expect(sheet["C42"] == "6" && sheet["B41"] == "2" && sheet["D40"] == "2" && sheet["B4"] == "6")
        // The same figures give the same bytes.
        let first = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try taizhang(["run", "pipelines/t.yml"], cwd: c.dir).code == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == first)
    }

    /// Mistakes in a template mapping are found when the pipeline is checked, before any data is read.
    @Test func templateMistakesAreFoundByCheck() throws {
        let c = try PipelinesCopy()
        let form = try String(contentsOfFile: c.path("pipelines/samples/模板/代表人士-区模板.yml"), encoding: .utf8)
        for (extra, said) in [("    表1!B4: main/total/total", "表1!B4 被指定了两次"), ("    B9: main/total/total", "B9 是公式"),
                              ("    表一!B2: unit", "没有工作表「表一」"), ("    G20: main/县人大代表/total", "没有行「县人大代表」")] {
            c.write("pipelines/samples/模板/错.yml", form.replacingOccurrences(of: "    E11: report_date", with: "    E11: report_date\n" + extra))
            let pipeline = try String(contentsOfFile: c.path("pipelines/fill-district-template.yml"), encoding: .utf8)
            c.write("pipelines/t.yml", pipeline.replacingOccurrences(of: "代表人士-区模板.yml", with: "错.yml"))
            let o = try taizhang(["check", "pipelines/t.yml"], cwd: c.dir)
            #expect(o.code == 2 && o.stderr.contains("错.yml:") && o.stderr.contains(said), "\(extra): \(o.stderr)")
        }
        // Writing the filled copy over the template is refused; the template stays as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: c.path("pipelines/samples/模板/区统战部-代表人士模板.xlsx")))
        let pipeline = try String(contentsOfFile: c.path("pipelines/fill-district-template.yml"), encoding: .utf8)
        c.write("pipelines/t.yml", pipeline.replacingOccurrences(of: "path: out/${period}-区代表人士上报表.xlsx", with: "path: samples/模板/区统战部-代表人士模板.xlsx"))
        let o = try taizhang(["run", "pipelines/t.yml"], cwd: c.dir)
        #expect(o.code != 0 && o.stderr.contains("输出文件就是模板"), "\(o.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: c.path("pipelines/samples/模板/区统战部-代表人士模板.xlsx"))) == before)
    }

    /// More than 32 distinct values in a field of several values: those past 32 are not counted,
    /// and the run says so as an error (never a silent 0).
    @Test func tooManyValuesOfASeveralValuedFieldIsAnError() throws {
        let c = try PipelinesCopy()
        var csv = "姓名,性别,身份证号,统战对象类别,政治安排,所在社区\n"
        func id(_ s17: String) -> String {
            let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], m = Array("10X98765432")
            return s17 + String(m[zip(s17, w).map { Int(String($0))! * $1 }.reduce(0, +) % 11])
        }
        for i in 0..<40 { csv += "人\(i),男,\(id("110101198001" + String(format: "%02d", i % 28 + 1) + String(format: "%03d", i))),无党派人士,\(i % 20 == 0 ? "区人大代表、" : "")第\(i)届委员,东村\n" }
        c.write("pipelines/many.csv", csv)
        // The shipped form names its nine arrangements: forty other values take no room, and count nowhere.
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: many.csv\nsteps:\n  - step: member-return\n    period: 2026Q4\n    forms: [代表人士政治安排情况表]\noutputs:\n  - write: json-return\n    path: out/r.json\n")
        let shipped = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(shipped.code == 0 && !shipped.stdout.contains("form-too-many-values"), "\(shipped.stdout)")
        let counted = rows(try c.json("pipelines/out/r.json"))
        #expect(counted["合计"]?.first as? Int == 2 && counted["县级人大代表"]?.first as? Int == 2)
        // A form with a row per value met: the 32nd value on has no room — an error, not a silent 0.
        c.write("pipelines/f.yml", "form: 每项一行\ntables:\n  - rows: {total: 合计, each: 政治安排}\n    columns:\n      - {key: n, heading: [人数]}\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: many.csv\nsteps:\n  - step: member-return\n    period: 2026Q4\n    forms: [f.yml]\noutputs:\n  - write: json-report\n    path: out/r.json\n")
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 1 && o.stdout.contains("form-too-many-values"), "\(o.stdout)")
    }

    /// A mistake in a form file is said with its line and column, and the nearest right word.
    @Test func aFormFileIsCheckedWithLineColumnAndDidYouMean() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/f.yml", "form: 测试表\ntables:\n  - key: main\n    rows: {total: 合计, each: 所在社区}\n    columns:\n      - {key: total, heading: [人数]}\n      - {key: w, heading: [女], wher: {性别: 女}}\n      - {key: x, heading: [民族], where: {民足: 汉族}}\n    checks:\n      - each_row: [1≥9]\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: samples/书院路社区.csv\nsteps:\n  - normalize: member-ledger\n  - step: member-return\n    period: 2026Q3\n    forms: [f.yml]\noutputs:\n  - write: json-return\n    path: out/f.json\n")
        let o = try taizhang(["check", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code != 0)
        #expect(o.stderr.contains("f.yml:7:") && o.stderr.contains("wher") && o.stderr.contains("where"), "\(o.stderr)")
        #expect(o.stderr.contains("审核关系「1≥9」看不懂"), "\(o.stderr)")
        c.write("pipelines/f.yml", "form: 测试表\ntables:\n  - rows: {total: 合计}\n    columns:\n      - {key: x, where: {民足: 汉族}}\n")
        let o2 = try taizhang(["check", "pipelines/p.yml"], cwd: c.dir)
        #expect(o2.code != 0 && o2.stderr.contains("f.yml:5:") && o2.stderr.contains("「民足」不是台账的字段") && o2.stderr.contains("民族"), "\(o2.stderr)")
        // A value the field cannot hold would count nobody: said, with the right word; the pack's
        // other words for a value (民盟, 党外知识份子) are understood.
        c.write("pipelines/f.yml", "form: 测试表\ntables:\n  - rows: {total: 合计, each: 统战对象类别, values: [民主党派, 党外知识份子]}\n    columns:\n      - {key: x, where: {政治面貌: [民盟, 民主同盟]}}\n")
        let o3 = try taizhang(["check", "pipelines/p.yml"], cwd: c.dir)
        #expect(o3.code != 0 && o3.stderr.contains("f.yml:5:") && o3.stderr.contains("「政治面貌」没有「民主同盟」这个值") && !o3.stderr.contains("民盟」") && !o3.stderr.contains("党外知识份子"), "\(o3.stderr)")
        // A sum of itself, an empty age band, a row per person's name: each refused where it is written.
        c.write("pipelines/f.yml", "form: 测试表\ntables:\n  - rows: {total: 合计, each: 姓名}\n    columns:\n      - {key: a, where: {出生日期: {age: {min: 60, max: 40}}}}\n      - {key: b, sum: [a, b]}\n")
        let o4 = try taizhang(["check", "pipelines/p.yml"], cwd: c.dir)
        #expect(o4.stderr.contains("f.yml:5:") && o4.stderr.contains("age 的 min（60）大于 max（40）"), "\(o4.stderr)")
        #expect(o4.stderr.contains("f.yml:6:") && o4.stderr.contains("第 2 栏不能用第 2 栏"), "\(o4.stderr)")
        // An age from a field that is no date; a share over a row the table lacks; a "—" row that is not there.
        c.write("pipelines/f.yml", "form: 测试表\ntables:\n  - rows: {total: 合计, each: 统战对象类别}\n    columns:\n      - {key: a, where: {学历: {age: {min: 3}}}}\n      - {key: b, share: {of: a, over: {row: 总计, column: a}}}\n    empty:\n      - {row: 民主党派, columns: [a]}\n")
        let o6 = try taizhang(["check", "pipelines/p.yml"], cwd: c.dir)
        #expect(o6.stderr.contains("「学历」不是日期字段") && o6.stderr.contains("以行「总计」为分母") && o6.stderr.contains("empty 中没有行「民主党派」"), "\(o6.stderr)")
        c.write("pipelines/f.yml", "form: 测试表\ntables:\n  - rows: {total: 合计, each: 姓名}\n    columns:\n      - {key: a}\n")
        let o5 = try taizhang(["check", "pipelines/p.yml"], cwd: c.dir)
        #expect(o5.code != 0 && o5.stderr.contains("f.yml:3:") && o5.stderr.contains("按「姓名」分行或分表：它是个人信息"), "\(o5.stderr)")
    }

    /// Checks between rows and between columns, as the form states them; a failing one is an error
    /// of the run (`return-check`) naming the row or column, with both sides of an equation.
    @Test func declaredChecksBetweenRowsAndColumns() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/f.yml", """
        form: 审核测试表
        tables:
          - rows: {total: 合计, each: 统战对象类别, key: "c{n}"}
            columns:
              - {key: total, heading: [人数]}
              - {key: female, heading: [女], where: {性别: 女}}
              - {key: male, heading: [男], where: {性别: 男}}
              - {key: both, heading: [男女合计], sum: [female, male]}
            checks:
              - {rule: 总数等于男女之和, each_row: [1=2+3, 4=2+3]}
              - {rule: 合计不少于民主党派成员, each_column: [total≥c1]}
              - {rule: 女性多于男性（故意不成立）, each_row: [2>3]}
              - {rule: 民主党派成员多于合计（故意不成立）, each_column: [c1>合计]}

        """)
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: samples/代表人士-书院路社区.csv\nsteps:\n  - normalize: member-ledger\n  - step: member-return\n    period: 2026Q4\n    forms: [f.yml]\noutputs:\n  - write: json-return\n    path: out/f.json\n")
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")
        let doc = try c.json("pipelines/out/f.json") as! [String: Any]
        let checks = Dictionary(uniqueKeysWithValues: (doc["checks"] as! [[String: Any]]).map { ($0["rule"] as! String, $0) })
        #expect(checks["总数等于男女之和"]?["ok"] as? Bool == true && checks["合计不少于民主党派成员"]?["ok"] as? Bool == true)
        #expect(checks["女性多于男性（故意不成立）"]?["ok"] as? Bool == false)
        #expect((checks["女性多于男性（故意不成立）"]?["detail"] as? String)?.contains("合计：2>3") == true)   // 3 women, 4 men
        #expect((checks["民主党派成员多于合计（故意不成立）"]?["detail"] as? String)?.contains("第 1 栏：c1>合计") == true)
        #expect(o.stdout.contains("[return-check]") || o.stderr.contains("return-check"), "\(o.stdout)")
        #expect(rows(doc)["合计"] as? [Int] == [7, 3, 4, 7])
    }

    @Test func mergeRefusesReturnsOfDifferentForms() throws {
        let c = try PipelinesCopy()
        #expect(try taizhang(["run", "pipelines/representatives-return.yml"], cwd: c.dir).code == 0)
        let o = try taizhang(["merge", "pipelines/out/2026Q4-政治安排.json", "pipelines/out/2026Q4-结构占比.json", "--out", "m.json"], cwd: c.dir)
        #expect(o.code != 0 && o.stderr.contains("不同表式或版本的报表不能相加"), "\(o.stderr)")
        // The same form merges, and its shares are worked out again from the sums.
        // Another community's return of the same form: its row is its own community (rows from the data).
        var doc = try c.json("pipelines/out/2026Q4-结构占比.json") as! [String: Any]
        #expect(doc["open_rows"] as? Bool == true)
        doc["unit"] = "和平里社区"
        doc["units_covered"] = ["和平里社区"]
        doc["rows"] = (doc["rows"] as! [[String: Any]]).map { r in
            var r = r
            if r["key"] as? String == "书院路社区" { r["key"] = "和平里社区"; r["category"] = "和平里社区" }
            return r
        }
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: c.path("b.json")))
        let m = try taizhang(["merge", "pipelines/out/2026Q4-结构占比.json", "b.json", "--out", "m.json", "--xlsx", "m.xlsx"], cwd: c.dir)
        #expect(m.code == 0 || m.code == 1, "\(m.stderr)")
        let merged = rows(try c.json("m.json"))
        #expect(merged["合计"]?.map { "\($0)" } == ["14", "2", "14.3", "2", "14.3", "4", "28.6", "6", "42.9", "100"])
        #expect(merged["书院路社区"]?.map { "\($0)" } == ["7", "1", "14.3", "1", "14.3", "2", "28.6", "3", "42.9", "50"])
        #expect(merged["和平里社区"]?.map { "\($0)" } == ["7", "1", "14.3", "1", "14.3", "2", "28.6", "3", "42.9", "50"])
        let book = try XLSXPeek(path: c.path("m.xlsx"))
        #expect(book.sheet("统计表")?["K10"] == "50", "\(book.sheet("统计表").map { "\($0)" } ?? "")")
    }

    /// A form's second table with a row per community adds up as the union of the units' rows; an
    /// edited return (a negative count in another table, a share under a column that is no share) is refused.
    @Test func mergeAddsUpEveryTableOfAForm() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/f.yml", """
        form: 两表
        tables:
          - rows: {total: 合计, each: 统战对象类别, key: "c{n}"}
            columns:
              - {key: n, heading: [人数]}
          - key: by_community
            sheet: 按社区
            rows: {total: 合计, each: 所在社区}
            columns:
              - {key: n, heading: [人数]}
              - {key: f, heading: [女], where: {性别: 女}}
              - {key: share, heading: [女性占比], share: {of: f, over: n}}
              - {key: of_all, heading: [占全部], share: {of: n, over: {row: total, column: n}}}

        """)
        for (name, csv) in [("a", "samples/书院路社区.csv"), ("b", "samples/和平里社区-GB18030.csv")] {
            c.write("pipelines/\(name).yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: \(csv)\nsteps:\n  - normalize: member-ledger\n  - step: member-return\n    period: 2026Q3\n    forms: [f.yml]\noutputs:\n  - write: json-return\n    path: out/\(name).json\n")
            _ = try taizhang(["run", "pipelines/\(name).yml"], cwd: c.dir)
        }
        let m = try taizhang(["merge", "pipelines/out/a.json", "pipelines/out/b.json", "--out", "m.json"], cwd: c.dir)
        #expect(m.stderr.isEmpty || !m.stderr.contains("错误"), "\(m.stderr)")
        let doc = try c.json("m.json") as! [String: Any]
        let other = try #require((doc["other_tables"] as? [[String: Any]])?.first)
        let byCommunity = rows(other)
        let a = rows((try c.json("pipelines/out/a.json") as! [String: Any])["other_tables"].map { ($0 as! [[String: Any]])[0] }!)
        let b = rows((try c.json("pipelines/out/b.json") as! [String: Any])["other_tables"].map { ($0 as! [[String: Any]])[0] }!)
        let na = (a["合计"]?[0] as? Int) ?? -1, nb = (b["合计"]?[0] as? Int) ?? -1
        #expect(byCommunity["合计"]?[0] as? Int == na + nb && na > 0 && nb > 0)
        #expect(byCommunity["书院路社区"]?[0] as? Int == a["书院路社区"]?[0] as? Int && byCommunity["和平里社区"]?[0] as? Int == b["和平里社区"]?[0] as? Int)
        // Shares worked out again over the merged total, not carried over.
        let share = byCommunity["书院路社区"]?[3] as? Double
        #expect(share == (Double(na) / Double(na + nb) * 1000).rounded() / 10, "\(String(describing: share))")
        // Edited returns are refused.
        var bad = try c.json("pipelines/out/b.json") as! [String: Any]
        var tables = bad["other_tables"] as! [[String: Any]]
        var tableRows = tables[0]["rows"] as! [[String: Any]]
        var counts = tableRows[0]["counts"] as! [String: Any]
        counts["n"] = -93
        tableRows[0]["counts"] = counts
        tables[0]["rows"] = tableRows
        bad["other_tables"] = tables
        try JSONSerialization.data(withJSONObject: bad).write(to: URL(fileURLWithPath: c.path("bad.json")))
        let refused = try taizhang(["merge", "pipelines/out/a.json", "bad.json", "--out", "m2.json"], cwd: c.dir)
        #expect(refused.code != 0 && refused.stderr.contains("负数"), "\(refused.stderr)")
        var stray = try c.json("pipelines/out/b.json") as! [String: Any]
        var mainRows = stray["rows"] as! [[String: Any]]
        mainRows[0]["ratios"] = ["n": 42.9]
        stray["rows"] = mainRows
        try JSONSerialization.data(withJSONObject: stray).write(to: URL(fileURLWithPath: c.path("stray.json")))
        let strayed = try taizhang(["merge", "pipelines/out/a.json", "stray.json", "--out", "m3.json"], cwd: c.dir)
        #expect(strayed.code != 0 && strayed.stderr.contains("不属于占比栏的占比数字"), "\(strayed.stderr)")
    }

    @Test func formsListsTheShippedFormsAndPrintsOne() throws {
        let c = try PipelinesCopy()
        let list = try taizhang(["forms"], cwd: c.dir)
        #expect(list.code == 0 && ["统战工作对象情况统计表", "统战成员结构占比表", "代表人士政治安排情况表"].allSatisfy { list.stdout.contains($0) })
        let one = try taizhang(["forms", "统战工作对象情况统计表"], cwd: c.dir)
        #expect(one.stdout.contains("4. 其中 / 年龄（报告期末） / 35岁及以下［age_35_below］：人数，其中 报告期末年龄 35岁及以下（按「出生日期」）"), "\(one.stdout)")
        #expect(one.stdout.contains("按定义为空（填「—」）：民主党派成员 × pol_nonparty"))
    }
}
