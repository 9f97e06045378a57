import Foundation
import Testing
import TaizhangBuiltins
import TaizhangCore
import TaizhangMemberLedger
import TaizhangReaders
import TaizhangTestSupport
import TaizhangFields
import TaizhangWriters

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fullRegistry() -> Registry { Builtins.registry() }

/// A scratch copy of pipelines/, so the sample pipelines run without writing into the repository.
final class SampleRun: @unchecked Sendable {  // immutable after init
    let dir: URL
    let result: RunResult

    /// `files`: written into the copy of pipelines/ (by their path there) before the run.
    /// `readAhead`: bytes of a later table read ahead while the first streams (nil: the default).
    /// `keepIssues`: issues of rows the result keeps for the screen (nil: the default).
    init(_ pipeline: String, batchSize: Int = 5, readAhead: Int? = nil, keepIssues: Int? = nil, files: [String: String] = [:], edit: (String) -> String = { $0 }) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tz-ml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("pipelines"), to: dir.appendingPathComponent("pipelines"))
        for (name, text) in files { try text.write(to: dir.appendingPathComponent("pipelines/\(name)"), atomically: true, encoding: .utf8) }
        let p = dir.appendingPathComponent("pipelines/\(pipeline)")
        try edit(String(contentsOf: p, encoding: .utf8)).write(to: p, atomically: true, encoding: .utf8)
        var o = RunOptions()
        o.showProgress = false
        o.batchSize = batchSize
        if let readAhead { o.readAheadBytes = readAhead }
        if let keepIssues { o.keepIssues = keepIssues }
        result = try Runner(pipeline: try PipelineLoader(registry: fullRegistry()).load(file: p.path), registry: fullRegistry(), options: o).run()
    }
    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ p: String) -> String { dir.appendingPathComponent("pipelines/\(p)").path }
    func json(_ p: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(p)))) }
}

@Suite(.serialized) struct MigrationTests {
    static let run = Result { try SampleRun("migrate-legacy-ledger.yml") }

    func sample() throws -> SampleRun { try Self.run.get() }

    @Test func everyRowIsAccountedFor() throws {
        let s = try sample().result.summary
        #expect(s.read == 32 && s.accepted == 14 && s.quarantined == 9 && s.skipped == 9)
        #expect(s.sources.map(\.read) == [11, 21])
        #expect(s.balanced)
        #expect(s.skipReasons[Message(zh: "合计/小计行", en: "total row")] == 2)
        #expect(s.skipReasons[Message(zh: "表头之前的行（标题或说明）", en: "row above the header (title or note)")] == 4)
        #expect(s.skipReasons[Message(zh: "多行表头的上一行", en: "upper row of a two-row header")] == 1)
    }

    @Test func legitimateVariantsRaiseNoErrors() throws {
        // Lines 4–11 of the sample hold only legitimate variants: aliases, traditional forms,
        // full-width digits, 15-digit IDs, ten date formats, informal category names.
        let errors = try sample().result.issues.filter {
            $0.severity == .error && ($0.origin.file.hasSuffix(".xls") || (4...11).contains($0.origin.row ?? 0) && $0.code != "id-digits-lost")
        }
        #expect(errors.isEmpty, "\(errors.map { $0.line(.en) })")
    }

    @Test func everyErrorInTheSampleIsFound() throws {
        let found = Set(try sample().result.issues.filter { $0.origin.file.hasSuffix(".csv") }.map { "\($0.code)@\($0.origin.row ?? 0)" })
        let expected: Set<String> = [
            "id-digits-lost@12", "unknown-category@13", "ethnicity-mismatch@14", "required@15", "religion-missing@15",
            "type-error@16", "phone-format@16", "id-check-digit@17", "unknown-ethnicity@17", "cpc-member@17",
            "id-birth-mismatch@18", "id-sex-mismatch@19", "party-mismatch@20", "id-missing@20", "encoding-detected@0",
        ]
        #expect(found == expected)
    }

    @Test func cleanLedgerHasCanonicalValues() throws {
        let rows = try sample().json("out/书院路社区-标准台账.json") as! [[String: Any]]
        // The CSV's rows come after the .xls's, which reuse serials 1–6.
        func row(_ serial: String) -> [String: String] { (rows.last { $0["序号"] as? String == serial } ?? [:]).compactMapValues { $0 as? String } }
        #expect(row("1")["姓名"] == "张伟")
        #expect(row("1")["性别"] == "男")
        #expect(row("1")["民族"] == "汉族")
        #expect(row("1")["公民身份号码"] == "110105198503120012")          // full-width digits
        #expect(row("1")["政治面貌"] == "中国民主同盟盟员")
        #expect(row("1")["联系电话"] == "13800138000")
        #expect(row("2")["姓名"] == "买买提·艾力")
        #expect(row("2")["统战对象类别"] == "少数民族人士")                 // traditional 少數民族人士
        #expect(row("2")["民族"] == "维吾尔族")
        #expect(row("3")["公民身份号码"] == "110105198503120020")
        #expect(row("3")["统战对象类别"] == "党外知识分子")                 // 黨外知識分子
        #expect(row("3")["学历"] == "研究生")
        #expect(row("4")["公民身份号码"] == "34052419850301001X")           // 15 → 18
        #expect(row("4")["出生日期"] == "1985-03")                          // 85.3: year-month kept
        #expect(row("5")["出生日期"] == "1985-03")                          // 一九八五年三月
        #expect(row("5")["统战对象类别"] == "非公有制经济人士")
        #expect(row("6")["出生日期"] == "1985-03-12")                       // Excel serial 31118
        #expect(row("6")["统战对象类别"] == "党外知识分子、新的社会阶层人士")
        #expect(row("7")["民族"] == "毛南族")
        #expect(row("7")["统战对象类别"] == "香港同胞、澳门同胞")
        #expect(row("8")["统战对象类别"] == "台湾同胞及其在大陆的亲属")
        #expect(rows.count == 14)
        // From the .xls: two-row header, merged community, a date cell, a phone typed as a number.
        let xls = rows.filter { $0["序号"] as? String == "2" }.compactMap { $0 as? [String: Any] }
        #expect(xls.contains { $0["姓名"] as? String == "周强" && $0["出生日期"] as? String == "1969-12-01" && $0["所在社区"] as? String == "和平里社区"
            && $0["联系电话"] as? String == "13612341111" && $0["政治面貌"] as? String == "中国民主促进会会员" })
    }

    @Test func ledgerWorkbookCellsAndChanges() throws {
        let book = try XLSXPeek(path: try sample().path("out/书院路社区-标准台账.xlsx"))
        #expect(book.sheetNames == ["台账", "修改记录"])
        let ledger = try #require(book.sheet("台账"))
        #expect(ledger["A1"] == "序号" && ledger["F1"] == "公民身份号码" && ledger["H1"] == "统战对象类别")
        #expect(ledger["B2"] == "陈静")                      // the .xls comes first
        #expect(ledger["F11"] == "34052419850301001X")
        #expect(ledger["E11"] == "1985-03")
        #expect(ledger.rowCount == 15)
        let changes = try #require(book.sheet("修改记录"))
        var pairs: [String] = []
        for r in 2...changes.rowCount { pairs.append("\(changes["D\(r)"] ?? ""):\(changes["E\(r)"] ?? "")→\(changes["F\(r)"] ?? "")") }
        #expect(pairs.contains("姓名:张 伟→张伟"))
        #expect(pairs.contains("公民身份号码:340524850301001→34052419850301001X"))
        #expect(pairs.contains("出生日期:31118→1985-03-12"))
        #expect(pairs.contains("统战对象类别:黨外知識分子→党外知识分子"))
    }

    @Test func issueWorkbookHighlightsCommentsAndMasks() throws {
        let path = try sample().path("out/书院路社区-问题清单.xlsx")
        let book = try XLSXPeek(path: path)
        // One sheet of rows per file, named after it.
        // (The .xls ledger has no issue rows: no sheet for it.)
        #expect(book.sheetNames == ["汇总", "问题清单", "问题行-书院路社区-2008旧台账-GBK", "说明"])
        #expect(book.sheet("说明")?["A3"]?.hasPrefix("1. 这本工作簿指出台账中的问题，本身不是台账") == true)
        // The list has a filter and prints landscape one page wide with the header on every page.
        let listXML = try #require(try XLSXPeek.part(path, "xl/worksheets/sheet2.xml"))
        #expect(listXML.contains("<autoFilter ref=\"A1:"))
        #expect(listXML.contains("orientation=\"landscape\"") && listXML.contains("fitToPage=\"1\"") && listXML.contains("fitToHeight=\"0\""))
        // The rows sheet hides the rows without issues and prints Excel's row numbers and letters.
        let rowsXML = try #require(try XLSXPeek.part(path, "xl/worksheets/sheet3.xml"))
        #expect(rowsXML.contains("zeroHeight=\"1\"") && rowsXML.contains("headings=\"1\""))
        let workbookXML = try #require(try XLSXPeek.part(path, "xl/workbook.xml"))
        #expect(workbookXML.contains("_xlnm.Print_Titles"))
        // Line 17 of the GBK file (冯军: wrong check digit, unknown ethnicity, CPC member) is row 17
        // here, each value under the letter it has in the clerk's file.
        let rows = try #require(book.sheet("问题行-书院路社区-2008旧台账-GBK"))
        #expect(rows["A3"] == "序号" && rows["F3"] == "身份證號碼" && rows["N3"] == "备注" && rows["O3"] == "问题说明")
        #expect(rows["A17"] == "14")
        #expect(rows["F17"] == "110105198503120110")                // the offending ID, in full
        #expect(rows.fills["F17"] == "FFFFC7CE")                    // error: red
        #expect(rows.fills["G17"] == "FFFFEB9C")                    // warning (CPC member): yellow
        #expect(rows["G17"] == "中共党员")                          // as the clerk wrote it, not as normalised (中国共产党党员)
        #expect(book.comments["F17"]?.contains("校验位不符") == true)
        #expect(rows["B17"] == "冯*")                               // a personal value outside the offending cells is masked
        #expect(rows["L17"] == "139****1111")
        #expect(rows["O17"]?.contains("【错误】公民身份号码：") == true)
        #expect(rows["A11"] == nil && rows["A4"] == nil)            // rows without issues are not copied
        // Every link in the list points at the cell its row and column name, in the sheet of its file.
        let list = try #require(book.sheet("问题清单"))
        let links = try XLSXPeek.links(path, sheet: 2)
        for r in 2...list.rowCount {
            guard let row = list["E\(r)"], let column = list["F\(r)"], !column.isEmpty, let link = links["K\(r)"] else { continue }
            #expect(link.hasSuffix("!\(column)\(row)"), "问题清单 row \(r): 行 \(row) 列 \(column) links to \(link)")
        }
        #expect(links.values.contains("'问题行-书院路社区-2008旧台账-GBK'!F17"))
        let summary = try #require(book.sheet("汇总"))
        #expect(summary["A3"] == "读取行数" && summary["B3"] == "32")
        let codes = (1...40).compactMap { summary["A\($0)"] }
        #expect(codes.contains("id-check-digit") && codes.contains("cpc-member"))
        // Each code with what it means, in the clerk's words.
        let cpc = try #require((1...40).first { summary["A\($0)"] == "cpc-member" })
        #expect(summary["B\(cpc)"] == "中共党员列入统战对象")
        let digit = try #require((1...40).first { summary["A\($0)"] == "id-check-digit" })
        #expect(summary["B\(digit)"] == "身份证号校验位不符")
        #expect(list.rowCount == 15)   // header + 14 issues
    }
}

/// The same ledger as .xls, .xlsx and GB18030 CSV gives identical records.
@Suite struct SameLedgerThreeFormatsTests {
    @Test func identicalRecords() throws {
        var outputs: [String] = []
        for (reader, file) in [("xls", "和平里社区-2009旧台账.xls"), ("xlsx", "和平里社区-2009旧台账.xlsx"), ("csv", "和平里社区-2009旧台账-GB18030.csv")] {
            let run = try SampleRun("migrate-legacy-ledger.yml") { _ in
                """
                schema: member-ledger
                inputs:
                  - read: \(reader)
                    path: samples/\(file)
                steps:
                  - normalize: member-ledger
                  - validate: fields
                  - validate: id-number
                  - validate: member-category
                  - validate: member-values
                outputs:
                  - write: json
                    path: out/same.json
                """
            }
            #expect(run.result.summary.read == 11 && run.result.summary.accepted == 6 && run.result.summary.skipped == 5, "\(file)")
            outputs.append(try String(contentsOfFile: run.path("out/same.json"), encoding: .utf8))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
        #expect(outputs[0].contains("\"基本情况\"") == false)
        #expect(outputs[0].contains("\"所在社区\":\"和平里社区\",\"备注\":\"\",\"细分类别\":\"\",\"区县\":\"\",\"街道（乡镇）\":\"\",\"网格（楼道）\":\"\",\"政治安排\":\"\"}"))
    }
}
