import Foundation
import Testing
import TaizhangCore
import TaizhangForms
@testable import TaizhangMemberLedger
import TaizhangTestSupport
import TaizhangWriters

/// A check character for the first 17 digits (so the test data is valid).
func id(_ first17: String) -> String { first17 + String(IDNumber.checkCharacter(first17)!) }

/// A folder with a small ledger and a return pipeline over it.
final class ReturnRun: @unchecked Sendable {
    let dir: URL
    let result: RunResult

    init(ledger: String, period: String = "2026Q3", previous: String? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tz-ret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
        try ledger.write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try previous?.write(to: dir.appendingPathComponent("before.csv"), atomically: true, encoding: .utf8)
        let previousInput = previous == nil ? "" : "\n  - read: csv\n    path: before.csv\n    role: previous"
        let yaml = """
        schema: member-ledger
        inputs:
          - read: csv
            path: a.csv\(previousInput)
        steps:
          - normalize: member-ledger
          - validate: fields
          - validate: id-number
          - validate: member-category
          - validate: member-values
          - step: member-return
            period: \(period)
            unit: 测试社区
            form_number: 统战统 1 表
            report_date: 2026年10月10日
        outputs:
          - write: xlsx-return
            path: out/r.xlsx
          - write: json-return
            path: out/r.json
        """
        try yaml.write(to: dir.appendingPathComponent("p.yml"), atomically: true, encoding: .utf8)
        var o = RunOptions()
        o.showProgress = false
        result = try Runner(pipeline: try PipelineLoader(registry: fullRegistry()).load(file: dir.appendingPathComponent("p.yml").path),
                            registry: fullRegistry(), options: o).run()
    }
    deinit { try? FileManager.default.removeItem(at: dir) }

    var xlsx: String { dir.appendingPathComponent("out/r.xlsx").path }
    var json: String { dir.appendingPathComponent("out/r.json").path }
    func document() throws -> ReturnDocument { try JSONDecoder().decode(ReturnDocument.self, from: Data(contentsOf: URL(fileURLWithPath: json))) }
}

let smallLedger = """
姓名,性别,民族,出生日期,身份证号,政治面貌,人员类别,宗教信仰,学历,社区
甲,女,回族,1990-06-01,\(id("11010519900601002")),民盟,民主党派成员、少数民族人士,,研究生,测试社区
乙,男,汉族,1991-10-01,\(id("11010519911001001")),群众,党外知识分子,,大学本科,测试社区
丙,女,汉族,1960-01-01,\(id("11010519600101002")),无党派,无党派人士,,初中,测试社区
乙,男,汉族,1991-10-01,\(id("11010519911001001")),群众,新的社会阶层人士,,大学本科,测试社区
丁,男,满族,,,群众,宗教界人士,佛教,,测试社区
戊,男,汉族,1980-01-01,\(id("11010519800101001")),群众,离退休干部,,本科,测试社区

"""

@Suite(.serialized) struct ReturnTests {
    static let run = Result { try ReturnRun(ledger: smallLedger) }
    func sample() throws -> ReturnRun { try Self.run.get() }

    @Test func figuresMatchHandCountedExpectations() throws {
        let doc = try sample().document()
        func row(_ key: String) -> [Int?] { doc.columns.sorted { $0.number < $1.number }.map { c in doc.rows.first { $0.key == key }!.counts[c.key] ?? nil } }
        //                        1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16
        #expect(row("total") == [4, 2, 2, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 2])
        #expect(row("c1") == [1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, nil, nil])     // 民主党派成员: "—" for 无党派人士, 群众
        #expect(row("c2") == [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, nil, 1, 0])      // 无党派人士: "—" for 民主党派
        #expect(row("c3")[0] == 1 && row("c7")[0] == 1)                               // 乙 under both categories, once in 合计
        #expect(row("c4")[0] == 1 && row("c5")[0] == 1 && row("c6")[0] == 0)
        #expect(doc.run["duplicates"] == 1 && doc.run["people"] == 4 && doc.run["quarantined"] == 1)
        #expect(doc.checks.allSatisfy { $0.ok })
        #expect(doc.period == "2026Q3" && doc.periodLabel == "2026年第3季度" && doc.unit == "测试社区")
        #expect(doc.marks["表号"] == "统战统 1 表")
    }

    @Test func formCellsMergesAndPrintSetup() throws {
        let s = try sample()
        let book = try XLSXPeek(path: s.xlsx)
        #expect(book.sheetNames == ["统计表", "数据情况", "图表"])      // one community: no per-community sheets
        let t = try #require(book.sheet("统计表"))
        #expect(t["A1"] == "统战工作对象情况统计表")
        #expect(t["M2"] == "表号：统战统 1 表")
        #expect(t["A7"] == "填报单位：测试社区" && t["F7"] == "2026年第3季度" && t["M7"] == "单位：人")
        #expect(t["A8"] == "项目" && t["B8"] == "人数" && t["C8"] == "其中" && t["E9"] == "年龄（报告期末）" && t["E10"] == "35岁及以下")
        #expect(t["A11"] == "甲" && t["B11"] == "1" && t["Q11"] == "16")
        #expect(t["A12"] == "合计" && t["B12"] == "4")
        #expect(t["A13"] == "民主党派成员" && t["P13"] == "—" && t["Q13"] == "—")
        #expect(t["A24"] == "其他需要联系和团结的人员" && t["B24"] == "0")
        #expect(t["A25"]?.hasPrefix("注：指标关系：1≥2") == true)
        // Under the footnote, what the table leaves out and why; then the signatures.
        // (戊's 离退休干部 is no category: that record is left out, and the form says so.)
        #expect(t["A26"] == "未计入本表的记录 1 条（有错误，已隔离，见问题清单）。")
        #expect(t["A27"] == "错误类型：统战对象类别无法识别 1 处。")
        #expect(t["A29"] == "单位负责人：" && t["M29"] == "报出日期：2026年10月10日")
        for m in ["A1:Q1", "A8:A10", "B8:B10", "C8:Q8", "C9:C10", "E9:I9", "J9:N9", "O9:Q9"] { #expect(t.merges.contains(m), "\(m)") }
        let xml = try #require(try XLSXPeek.part(s.xlsx, "xl/worksheets/sheet1.xml"))
        #expect(xml.contains("orientation=\"landscape\"") && xml.contains("paperSize=\"9\"") && xml.contains("fitToHeight=\"0\""))
        let wb = try #require(try XLSXPeek.part(s.xlsx, "xl/workbook.xml"))
        #expect(wb.contains("_xlnm.Print_Titles"))                                     // heading rows repeat on each page
        let styles = try #require(try XLSXPeek.part(s.xlsx, "xl/styles.xml"))
        #expect(styles.contains("黑体") && styles.contains("宋体"))
    }

    @Test func sameDataGivesByteIdenticalFiles() throws {
        let a = try ReturnRun(ledger: smallLedger), b = try ReturnRun(ledger: smallLedger)
        let xa = try Data(contentsOf: URL(fileURLWithPath: a.xlsx)), xb = try Data(contentsOf: URL(fileURLWithPath: b.xlsx))
        let ja = try Data(contentsOf: URL(fileURLWithPath: a.json)), jb = try Data(contentsOf: URL(fileURLWithPath: b.json))
        #expect(xa == xb)
        #expect(ja == jb)
    }

    @Test func aFailedLogicCheckIsShownOnTheForm() throws {
        var t = try sample().document().table
        t.rows[0].counts[1] = 99                                                       // more women than people
        t.checks = try #require(ShippedForms.form(named: "统战工作对象情况统计表")).tables[0].checks(of: t)
        #expect(!t.passed)
        #expect(t.checks.first { !$0.ok }?.detail?.contains("合计：1≥2") == true)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try OutputSet.commit([try ReturnForms.writeXLSX([t], path: path)])
        let book = try XLSXPeek(path: path)
        #expect(book.sheet("统计表")?["A2"]?.hasPrefix("审核未通过") == true)
    }

    @Test func joinersAndLeaversAgainstThePreviousLedger() throws {
        let before = """
        姓名,性别,身份证号,人员类别,社区
        乙,男,\(id("11010519911001001")),党外知识分子,测试社区
        丙,女,\(id("11010519600101002")),无党派人士,测试社区
        己,女,\(id("11010519700101002")),党外知识分子,测试社区
        庚,女,12345,党外知识分子,测试社区

        """
        let run = try ReturnRun(ledger: smallLedger, previous: before)
        let doc = try run.document()
        let changes = try #require(doc.changes)
        func row(_ key: String) -> [Int?] { ["previous", "joined", "left", "current"].map { changes.rows.first { $0.key == key }!.counts[$0] ?? nil } }
        #expect(row("total") == [3, 1, 1, 3])          // 己 left, 甲 joined; 丁 has no ID; 庚's ID is invalid
        #expect(row("c3") == [2, 0, 1, 1])             // 党外知识分子: 乙 stays, 己 left
        #expect(row("c7") == [0, 1, 0, 1])             // 乙 is also 新的社会阶层人士 now
        #expect(row("c1") == [0, 1, 0, 1] && row("c2") == [1, 0, 0, 1])
        #expect(changes.checks.allSatisfy { $0.ok })
        // The previous ledger is compared with, never written or counted in this period.
        #expect(run.result.summary.read == 6)
        #expect(run.result.summary.sources.map(\.role) == [.current, .previous])
        #expect(!run.result.issues.contains { $0.origin.file == "before.csv" })
        let book = try XLSXPeek(path: run.xlsx)
        #expect(book.sheetNames == ["统计表", "人员变动", "人员变动名单", "数据情况", "图表"])
        #expect(book.sheet("人员变动")?["A3"] == "项目" && book.sheet("人员变动")?["C3"] == "本期变动")
    }

    @Test(arguments: [("2026Q3", "2026年第3季度", "2026-09-30"), ("2026H1", "2026年上半年", "2026-06-30"), ("2025", "2025年", "2025-12-31"), ("2024-02", "2024年2月", "2024-02-29")])
    func periods(_ code: String, _ label: String, _ end: String) throws {
        let p = try #require(ReportPeriod(code))
        #expect(p.label == label)
        #expect(String(format: "%04d-%02d-%02d", p.end.0, p.end.1, p.end.2) == end)
    }
}

@Suite struct MergeTests {
    func community(_ name: String, period: String = "2026Q3") throws -> (ReturnRun, ReturnDocument) {
        let ledger = smallLedger.replacingOccurrences(of: "测试社区", with: name)
        let r = try ReturnRun(ledger: ledger, period: period)
        var doc = try r.document()
        doc.unit = name
        return (r, doc)
    }

    @Test func returnsOfTwoCommunitiesAddUp() throws {
        let (_, a) = try community("书院路社区"), (_, b) = try community("和平里社区")
        let (merged, problems) = ReturnDocument.merge([("a.json", a), ("b.json", b)], unit: "和平里街道")
        #expect(problems.isEmpty)
        let m = try #require(merged)
        #expect(m.unit == "和平里街道")
        #expect(m.unitsCovered == ["书院路社区", "和平里社区"])
        #expect(m.rows.first { $0.key == "total" }?.counts["total"] == .some(8))
        #expect(m.rows.first { $0.key == "c1" }?.counts["pol_masses"] == .some(nil))   // "—" stays "—"
        #expect(m.byUnit.map(\.unit) == ["书院路社区", "和平里社区"])
        #expect(m.run["people"] == 8)
        #expect(m.checks.allSatisfy { $0.ok })
    }

    @Test func overlappingUnitsAndDifferentPeriodsAreRefused() throws {
        let (_, a) = try community("书院路社区"), (_, b) = try community("书院路社区"), (_, c) = try community("和平里社区", period: "2026Q2")
        let (m1, p1) = ReturnDocument.merge([("a.json", a), ("b.json", b)], unit: nil)
        #expect(m1 == nil)
        #expect(p1.first?.message.zh.contains("「书院路社区」同时出现在 a.json 和 b.json 中") == true)
        let (m2, p2) = ReturnDocument.merge([("a.json", a), ("c.json", c)], unit: nil)
        #expect(m2 == nil)
        #expect(p2.first?.message.zh.contains("2026年第2季度") == true)
    }
}
