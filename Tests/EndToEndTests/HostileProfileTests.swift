import Foundation
import Testing
import TaizhangTestSupport
@testable import TaizhangCore

/// What a hostile-input review of issue 20's features found, each kept as a test: inputs that
/// hung or stopped a run, profiles that rewrote standard values or unmasked personal data, totals
/// read wrongly, a file read twice, duplicates that stopped being found when copied many times.
@Suite(.serialized) struct HostileProfileTests {
    func run(_ c: PipelinesCopy, _ yml: String) throws -> Output {
        c.write("p.yml", yml)
        return try taizhang(["run", "p.yml"], cwd: c.dir)
    }

    @Test func autoOnAPipeOrAFolderIsRefusedNotWaitedOn() throws {
        let c = try PipelinesCopy()
        try FileManager.default.createDirectory(atPath: c.path("l/sub"), withIntermediateDirectories: true)
        #expect(mkfifo(c.path("l/pipe.csv"), 0o600) == 0)
        let fifo = try run(c, "schema: member-ledger\ninputs:\n  - read: auto\n    path: l/pipe.csv\noutputs: []\n")
        #expect(fifo.code == 3 && fifo.stderr.contains("输入不是普通文件（是管道或设备）"), "\(fifo.stderr)")
        let folder = try run(c, "schema: member-ledger\ninputs:\n  - read: auto\n    path: l/sub\noutputs: []\n")
        #expect(folder.code == 3 && folder.stderr.contains("输入路径是文件夹"), "\(folder.stderr)")
    }

    @Test func officeLockFilesAndWebPagesAreNotLedgers() throws {
        let c = try PipelinesCopy()
        try FileManager.default.createDirectory(atPath: c.path("l"), withIntermediateDirectories: true)
        c.write("l/台账.csv", "姓名,性别,统战对象类别,所在社区\n甲,男,党外知识分子,东村\n")
        c.write("l/~$台账.xlsx", "\u{1}lock")
        c.write("l/desktop.ini", "[.ShellClassInfo]\n")
        let o = try run(c, "schema: member-ledger\ninputs:\n  - read: auto\n    path: l/*\noutputs: []\n")
        #expect(o.code == 0 && o.stderr.contains("匹配到的 2 个不是数据的文件未读取") && o.stdout.contains("读取 1 = 接受 1"), "\(o.stdout)\(o.stderr)")
        c.write("web.xls", "<html><body><table><tr><td>姓名</td></tr></table></body></html>")
        let web = try run(c, "schema: member-ledger\ninputs:\n  - read: auto\n    path: web.xls\noutputs: []\n")
        #expect(web.code == 3 && web.stderr.contains("是网页（HTML）文件") && web.stderr.contains("另存为 .xlsx"), "\(web.stderr)")
    }

    @Test func aFileReadTwiceIsRefused() throws {
        let c = try PipelinesCopy()
        try FileManager.default.createDirectory(atPath: c.path("l"), withIntermediateDirectories: true)
        c.write("l/书院路 社区.csv", "姓名,性别,统战对象类别,所在社区\n甲,男,党外知识分子,东村\n")
        let o = try run(c, "schema: member-ledger\ninputs:\n  - read: csv\n    path: l/*.csv\n  - read: csv\n    path: l/书院路*\noutputs: []\n")
        #expect(o.code == 2 && o.stderr.contains("已由第 3 行的输入读取：再读一次，其中的记录会被算两次"), "\(o.stderr)")
    }

    /// 200 different people and 200 copies of one row: every copy is a duplicate, however many.
    @Test(arguments: [200, 2000])
    func manyCopiesOfOneRowAreAllDuplicates(_ copies: Int) throws {
        let c = try PipelinesCopy()
        var csv = "姓名,性别,出生日期,所在社区,联系电话,统战对象类别\n"
        for i in 0..<200 { csv += "人\(i),男,19\(50 + i % 40)-0\(1 + i % 9)-1\(i % 10),东村,1380000\(String(format: "%04d", i)),党外知识分子\n" }
        for _ in 0..<copies { csv += "张伟,男,1980-01-01,东村,13900000000,党外知识分子\n" }
        c.write("l.csv", csv)
        let o = try run(c, "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - normalize: member-ledger\n  - step: duplicates\noutputs: []\n")
        #expect(o.stdout.contains("接受 201 + 隔离 \(copies - 1)"), "\(o.stdout)")
    }

    @Test func aProfileCannotRewriteStandardValuesOrUnmaskPersonalData() throws {
        let c = try PipelinesCopy()
        c.write("l.csv", "姓名,性别,统战对象类别,所在社区\n甲,女,党外知识分子,东村\n")
        c.write("坏.yml", """
            extends: member-ledger
            fields:
              - name: 公民身份号码
                personal: false
            categories:
              - name: 宗教界人士
                aliases: [党外知识分子]
            sex: {男: [女]}
            no_religion: [佛教]
            """)
        let o = try run(c, "profile: 坏.yml\ninputs:\n  - read: csv\n    path: l.csv\noutputs: []\n")
        #expect(o.code == 2, "\(o.stdout)")
        for line in ["坏.yml:4:15: 错误: 「公民身份号码」是个人信息，档案不能取消", "坏.yml:7:15: 错误: 「党外知识分子」本身是标准值，不能作为「宗教界人士」的别名",
                     "坏.yml:8:11: 错误: 「女」本身是标准值，不能作为「男」的别名", "坏.yml:9:15: 错误: 「佛教」是宗教名称，不能视为无宗教信仰"] {
            #expect(o.stderr.contains(line), "\(line) in \(o.stderr)")
        }
        let by = try run(c, "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - step: member-return\n    period: 2026Q3\n    by: 姓名\noutputs: []\n")
        #expect(by.code == 2 && by.stderr.contains("by：「姓名」是个人信息，不能按它分表"), "\(by.stderr)")
    }

    @Test(arguments: [("合计 3户 9人", 9), ("合计：共 12 人", 12), ("合计 2026年", nil), ("合计（截至2026年9月30日）：2人", 2), ("小计：第1网格 2人", 2),
                      ("合计 -5 人", nil), ("小计 3", 3), ("合计 １２ 人", 12), ("合计：1,2,3", nil), ("合计 2026-09-30", nil), ("合计 十二人", nil)] as [(String, Int?)])
    func theFigureOfATotalLine(_ line: String, _ figure: Int?) {
        #expect(RowSink.statedCount(line) == figure, "\(line)")
    }

    /// What a review of the code found: patterns written with ./ or ../, per-source names outside
    /// `set:`, a field set by `set:` that a rule needs, two tables in one sheet each with its 合计.
    @Test func patternsPerSourceNamesAndSections() throws {
        let c = try PipelinesCopy()
        try FileManager.default.createDirectory(atPath: c.path("a/ledgers"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: c.path("a/p"), withIntermediateDirectories: true)
        c.write("a/ledgers/东村.csv", "姓名,性别,统战对象类别,所在社区\n甲,男,党外知识分子,东村\n乙,男,党外知识分子,东村\n合计 2人,,,\n丙,女,党外知识分子,东村\n合计 1人,,,\n")
        for (folder, pattern) in [("a", "./ledgers/*.csv"), ("a/p", "../ledgers/*.csv")] {
            c.write("\(folder)/q.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: \(pattern)\noutputs: []\n")
            let o = try taizhang(["run", "\(folder)/q.yml"], cwd: c.dir)
            #expect(o.code == 0 && o.stdout.contains("读取 5 = 接受 3 + 隔离 0 + 跳过 2") && !o.stdout.contains("total-mismatch"), "\(pattern): \(o.stdout)\(o.stderr)")
        }
        let outside = try run(c, "schema: member-ledger\ninputs:\n  - read: csv\n    path: a/ledgers/东村.csv\noutputs:\n  - write: csv\n    path: out/${file_stem}.csv\n")
        #expect(outside.code == 2 && outside.stderr.contains("未定义的变量 ${file_stem}"), "\(outside.stderr)")
        c.write("b.csv", "姓名,性别,政治面貌,民族\n甲,男,群众,回族\n")
        let set = try run(c, "schema: member-ledger\ninputs:\n  - read: csv\n    path: b.csv\n    set: {统战对象类别: 民主党派成员, 所在社区: 东村}\nsteps:\n  - validate: member-category\noutputs: []\nfail_on: never\n")
        #expect(set.stdout.contains("[party-mismatch]") && !set.stdout.contains("rule-column-missing"), "\(set.stdout)")
    }

    @Test func setTakesALiteralAndSaysWhenASheetIsMissing() throws {
        let c = try PipelinesCopy()
        c.write("东村.csv", "姓名,性别,统战对象类别\n甲,男,党外知识分子\n")
        let o = try run(c, """
            schema: member-ledger
            inputs:
              - read: csv
                path: 东村.csv
                set: {备注: "来自 $${file}", 所在社区: "${file_stem}", 细分类别: "${sheet}"}
            outputs:
              - write: csv
                path: out.csv
            """)
        #expect(o.code == 0 && o.stdout.contains("set-no-sheet"), "\(o.stdout)\(o.stderr)")
        let text = try String(contentsOfFile: c.path("out.csv"), encoding: .utf8)
        #expect(text.contains(",东村,来自 ${file},"), "\(text)")
    }
}
