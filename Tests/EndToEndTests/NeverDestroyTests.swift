import Foundation
import Testing
import TaizhangTestSupport

/// Nothing the user made is ever destroyed: a file a run reads is never one of its outputs, a
/// device or symlink is never renamed over, and an overwritten output's previous version is kept.
@Suite(.serialized) struct NeverDestroyTests {
    static let sampleLine = "    # decisions: 查重-复核表-已填.xlsx      # the filled copy of out/查重-复核表.xlsx"

    /// The sample's own comment, followed word for word: save the review sheet as the filled copy,
    /// fill 决定, remove the #. The decision holds on every later run and the filled file is untouched.
    @Test func sampleDecisionsCommentWorksAsWritten() throws {
        let c = try PipelinesCopy()
        let first = try taizhang(["run", "pipelines/find-duplicates.yml"], cwd: c.dir)
        #expect(first.code == 1, "\(first.stderr)")   // the samples have errors: the run says so by its exit code
        #expect(first.stdout.contains("核对：读取 14 = 接受 10 + 隔离 4 + 跳过 0 ✓"), "\(first.stdout)")
        let filled = c.path("pipelines/查重-复核表-已填.xlsx")
        try FileManager.default.copyItem(atPath: c.path("pipelines/out/查重-复核表.xlsx"), toPath: filled)
        #expect(try XLSXPeek(path: filled).sheet("疑似重复人员")?["B1"] == "决定")
        try XLSXFill.setText(filled, ref: "B2", text: "是")
        let before = try Data(contentsOf: URL(fileURLWithPath: filled))

        let yml = c.path("pipelines/find-duplicates.yml")
        let text = try String(contentsOfFile: yml, encoding: .utf8)
        #expect(text.contains(Self.sampleLine), "the sample's comment changed; update this test with it")
        try text.replacingOccurrences(of: "    # decisions:", with: "    decisions:").write(toFile: yml, atomically: true, encoding: .utf8)

        let check = try taizhang(["check", "pipelines/find-duplicates.yml"], cwd: c.dir)
        #expect(check.code == 0, "\(check.stdout)\(check.stderr)")
        for run in 1...2 {
            let o = try taizhang(["run", "pipelines/find-duplicates.yml"], cwd: c.dir)
            #expect(o.code == 1, "\(o.stderr)")   // the samples have errors: the run says so by its exit code
            #expect(o.stdout.contains("核对：读取 14 = 接受 9 + 隔离 5 + 跳过 0 ✓"), "run \(run): the decision 是 was not applied\n\(o.stdout)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: filled)) == before, "run \(run) changed the filled review sheet")
        }
    }

    @Test func checkRefusesAnOutputOverTheDecisionsFileNamingBothPlaces() throws {
        let c = try PipelinesCopy()
        #expect(try taizhang(["run", "pipelines/find-duplicates.yml"], cwd: c.dir).code == 1)   // the samples have errors: the run says so by its exit code
        let yml = c.path("pipelines/find-duplicates.yml")
        let text = try String(contentsOfFile: yml, encoding: .utf8)
        try text.replacingOccurrences(of: Self.sampleLine, with: "    decisions: out/查重-复核表.xlsx").write(toFile: yml, atomically: true, encoding: .utf8)
        let sheet = try Data(contentsOf: URL(fileURLWithPath: c.path("pipelines/out/查重-复核表.xlsx")))
        for command in ["check", "run"] {
            let o = try taizhang([command, "pipelines/find-duplicates.yml"], cwd: c.dir)
            #expect(o.code == 2)
            #expect(o.stderr.contains("pipelines/find-duplicates.yml:27:11: 错误: 输出会覆盖本次运行要读取的文件 out/查重-复核表.xlsx（pipelines/find-duplicates.yml:22:16 作为「duplicates」的 decisions读取它）"), "\(o.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: c.path("pipelines/out/查重-复核表.xlsx"))) == sheet)
    }

    @Test func anOutputOverThePipelineFileOrItsSchemaIsRefused() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/self.yml", "schema: schemas/basic-ledger.yml\ninputs:\n  - read: csv\n    path: samples/书院路社区.csv\noutputs:\n  - write: json\n    path: self.yml\n  - write: csv\n    path: schemas/basic-ledger.yml\n")
        let before = try String(contentsOfFile: c.path("pipelines/self.yml"), encoding: .utf8)
        let o = try taizhang(["check", "pipelines/self.yml"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.contains("pipelines/self.yml:7:11: 错误: 输出会覆盖本次运行要读取的文件 self.yml（pipelines/self.yml:1:1 作为流水线文件本身读取它）"), "\(o.stderr)")
        #expect(o.stderr.contains("pipelines/self.yml:9:11: 错误: 输出会覆盖本次运行要读取的文件 schemas/basic-ledger.yml（pipelines/self.yml:1:9 作为模式文件读取它）"), "\(o.stderr)")
        #expect(try String(contentsOfFile: c.path("pipelines/self.yml"), encoding: .utf8) == before)
    }

    @Test func twoOutputsOfOneFileNameBothPlaces() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/two.yml", "inputs:\n  - read: csv\n    path: samples/书院路社区.csv\noutputs:\n  - write: json\n    path: out/a.json\n  - write: json-report\n    path: ./out/../out/a.json\n")
        let o = try taizhang(["check", "pipelines/two.yml"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.contains("pipelines/two.yml:8:11: 错误: 两个输出写同一个文件 ./out/../out/a.json（另见 pipelines/two.yml:6:11）"), "\(o.stderr)")
    }

    /// `--report /dev/stdout` writes into standard output; the device link is never replaced, and
    /// the summary goes to standard error so the JSON stays clean.
    @Test(arguments: ["/dev/stdout", "-"])
    func aReportToStandardOutputIsWrittenIntoIt(_ target: String) throws {
        var before = stat()
        lstat("/dev/stdout", &before)
        let o = try taizhang(["validate", "pipelines/samples/书院路社区.csv", "--report", target])
        #expect(o.code == 1)
        let json = try JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any]
        #expect(json?["format"] as? String == "taizhang-report/1")
        #expect(o.stderr.contains("核对：读取 7 = 接受 3 + 隔离 3 + 跳过 1 ✓"))
        var after = stat()
        #expect(lstat("/dev/stdout", &after) == 0)
        #expect(after.st_mode & S_IFMT == S_IFLNK && after.st_ino == before.st_ino, "/dev/stdout was replaced")
    }

    @Test func aDeviceIsWrittenIntoNeverReplaced() throws {
        var before = stat()
        #expect(stat("/dev/null", &before) == 0)
        let o = try taizhang(["validate", "pipelines/samples/书院路社区.csv", "--workbook", "/dev/null", "--report", "/dev/null"])
        #expect(o.code == 1, "\(o.stderr)")
        var after = stat()
        #expect(lstat("/dev/null", &after) == 0)
        #expect(after.st_mode & S_IFMT == S_IFCHR && after.st_rdev == before.st_rdev, "/dev/null is no longer the device")
    }

    @Test func aSymlinkedOutputKeepsItsLinkAndItsTargetIsReplaced() throws {
        let c = try PipelinesCopy()
        try "old".write(toFile: c.path("real.json"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: c.path("link.json"), withDestinationPath: "real.json")
        let o = try taizhang(["validate", "pipelines/samples/书院路社区.csv", "--report", "link.json"], cwd: c.dir)
        #expect(o.code == 1)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: c.path("link.json")) == "real.json")
        #expect(try String(contentsOfFile: c.path("real.json"), encoding: .utf8).contains("taizhang-report/1"))
        #expect(try String(contentsOfFile: c.path("real.1.json"), encoding: .utf8) == "old")
    }

    /// An overwritten output keeps its previous versions, NAME.1.EXT newest, at most three; an
    /// output written again with the same bytes keeps none. The summary says what was kept.
    @Test func overwrittenOutputsKeepThreePreviousVersions() throws {
        let c = try PipelinesCopy()
        var contents: [String] = []
        c.write("same.csv", "姓名,性别,统战对象类别,所在社区\n张三,男,无党派人士,书院路社区\n")
        for run in 1...5 {
            // Each run reads another ledger, so its report differs; the workbook of same.csv does not.
            c.write("in.csv", "姓名,性别,统战对象类别,所在社区\n张三,男,无党派人士,第\(run)社区\n" + String(repeating: "\n", count: run))
            let o = try taizhang(["validate", "in.csv", "--report", "r.json"], cwd: c.dir)
            #expect(o.code == 0, "\(o.stderr)")
            let w = try taizhang(["validate", "same.csv", "--workbook", "w.xlsx"], cwd: c.dir)
            #expect(w.code == 0, "\(w.stderr)")
            contents.insert(try String(contentsOfFile: c.path("r.json"), encoding: .utf8), at: 0)
            if run == 1 { #expect(!o.stdout.contains("旧文件已保留")) }
            if run > 1 { #expect(o.stdout.contains("被覆盖的旧文件已保留为：r.1.json（每个输出最多保留 3 个旧版本）"), "\(o.stdout)") }
        }
        for n in 1...3 { #expect(try String(contentsOfFile: c.path("r.\(n).json"), encoding: .utf8) == contents[n]) }
        #expect(!FileManager.default.fileExists(atPath: c.path("r.4.json")))
        #expect(!FileManager.default.fileExists(atPath: c.path("w.1.xlsx")), "the same workbook again is no new version")
        let hidden = try FileManager.default.contentsOfDirectory(atPath: c.dir.path).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "temporary files left: \(hidden)")
    }

    @Test func mergeRefusesAnOutputOverItsInputsNamingBoth() throws {
        let c = try PipelinesCopy()
        try "{\"r\":1}".write(toFile: c.path("R1.json"), atomically: true, encoding: .utf8)
        try "{\"r\":3}".write(toFile: c.path("R3.json"), atomically: true, encoding: .utf8)
        let o = try taizhang(["merge", "R1.json", "R3.json", "--out", "R1.json"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.contains("错误：--out R1.json 会覆盖第 1 个输入报表 R1.json"), "\(o.stderr)")
        let x = try taizhang(["merge", "R1.json", "R3.json", "--out", "m.json", "--xlsx", "./R3.json"], cwd: c.dir)
        #expect(x.code == 2)
        #expect(x.stderr.contains("错误：--xlsx ./R3.json 会覆盖第 2 个输入报表 R3.json"), "\(x.stderr)")
        let same = try taizhang(["merge", "R1.json", "R3.json", "--out", "m.json", "--xlsx", "m.json"], cwd: c.dir)
        #expect(same.code == 2)
        #expect(same.stderr.contains("--out 与 --xlsx 是同一个文件"))
        #expect(try String(contentsOfFile: c.path("R1.json"), encoding: .utf8) == "{\"r\":1}")
        #expect(try String(contentsOfFile: c.path("R3.json"), encoding: .utf8) == "{\"r\":3}")
        #expect(!FileManager.default.fileExists(atPath: c.path("m.json")))
    }

    @Test func mergeSaysWhatItExpectsOfAFileThatIsNotAReturn() throws {
        let c = try PipelinesCopy()
        try "{\"r\":1}".write(toFile: c.path("R1.json"), atomically: true, encoding: .utf8)
        let o = try taizhang(["merge", "R1.json", "--out", "m.json"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr == "错误：R1.json 不是 json-return 写出的报表（merge 只汇总 write: json-return 的输出，格式 taizhang-return/1）\n")
    }
}

    /// The same run on the same files writes the same bytes: a rerun keeps no "old version" of
    /// anything (nothing in an output depends on the clock).
    @Test func aRerunWritesTheSameFilesAndKeepsNoOldVersions() throws {
        let c = try PipelinesCopy()
        _ = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        let again = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        #expect(!again.stdout.contains("被覆盖的旧文件已保留为"), "\(again.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out"))
        #expect(!files.contains { $0.contains(".1.") }, "\(files)")
    }

/// The quarterly return's outputs as a whole, against golden files (Tests/Golden; re-record with
/// RECORD_GOLDEN=1 and read the diff): the return's figures, the run report, every cell of the
/// issue workbook and of the form.
@Suite(.serialized) struct GoldenOutputTests {
    @Test func quarterlyReturnOutputs() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")   // the samples have errors: the run says so by its exit code
        let figures = try String(contentsOfFile: c.path("pipelines/out/2026Q3-统计表.json"), encoding: .utf8)
        #expect(Golden.compare(figures, "quarterly-return/2026Q3-统计表.json") == nil, "\(Golden.compare(figures, "quarterly-return/2026Q3-统计表.json") ?? "")")
        // The report's dates (if any) are the only parts that change run to run.
        let report = try String(contentsOfFile: c.path("pipelines/out/2026Q3-运行报告.json"), encoding: .utf8)
            .replacingOccurrences(of: #""(started|finished|date)" *: *"[^"]*""#, with: #""$1": "—""#, options: .regularExpression)
        #expect(Golden.compare(report, "quarterly-return/2026Q3-运行报告.json") == nil, "\(Golden.compare(report, "quarterly-return/2026Q3-运行报告.json") ?? "")")
        for name in ["2026Q3-问题清单.xlsx", "2026Q3-统计表.xlsx"] {
            let cells = Golden.cells(try XLSXPeek(path: c.path("pipelines/out/\(name)")))
            #expect(Golden.compare(cells, "quarterly-return/\(name).txt") == nil, "\(Golden.compare(cells, "quarterly-return/\(name).txt") ?? "")")
        }
    }
}

/// Nothing silently wrong: a typo in --set, a period that does not carry what depends on it.
@Suite(.serialized) struct NeverSilentlyWrongTests {
    @Test func anUnknownSetVariableIsAnErrorWithDidYouMean() throws {
        let c = try PipelinesCopy()
        for command in ["check", "run"] {
            let o = try taizhang([command, "pipelines/quarterly-return.yml", "--set", "perod=2026Q4"], cwd: c.dir)
            #expect(o.code == 2)
            #expect(o.stderr == "错误: --set perod=…：流水线中没有变量「perod」（有：period、pipeline_dir、previous_period、report_month、today、unit）（是不是「period」？）\n", "\(o.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out")) == [".gitignore"])
    }

    /// --set period=2027Q1 looks for last quarter's file under 2026Q4 (and says it is missing),
    /// and the form's report date follows the period; the README's 2026Q4 runs on the samples.
    @Test func whatDependsOnThePeriodFollowsIt() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["check", "pipelines/quarterly-return.yml", "--set", "period=2027Q1"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.contains("输入文件不存在：samples/书院路社区-2026Q4上期.csv"), "\(o.stderr)")
        let r = try taizhang(["run", "pipelines/quarterly-return.yml", "--set", "period=2026Q4"], cwd: c.dir)
        #expect(r.code == 1)
        let form = try XLSXPeek(path: c.path("pipelines/out/2026Q4-统计表.xlsx"))
        #expect(form.sheet("统计表")?.values.values.contains("报出日期：2027年1月10日") == true)
    }

    @Test func everyRunEndsOnAVerdictAndAReturnOnItsTotal() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        #expect(o.code == 1)
        let lines = o.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last == "结论：未通过 — 6 个错误；3 条记录被隔离，未计入输出（逐条改正后重新运行）")
        #expect(lines.contains("统计表合计 10 人（另有 3 条记录有错误，未计入）"))
        // The count by kind of issue, errors first, in the clerk's words.
        #expect(lines.contains { $0.hasPrefix("问题类型：身份证号中的出生日期无效 1，") && $0.contains("同一身份证号登记了不同的人 1") }, "\(lines)")
        c.write("pipelines/clean.csv", "姓名,性别,统战对象类别,所在社区\n张三,男,无党派人士,甲社区\n")
        let ok = try taizhang(["validate", "pipelines/clean.csv"], cwd: c.dir)
        #expect(ok.code == 0)
        #expect(ok.stdout.hasSuffix("结论：通过（没有错误）\n"))
    }
}

/// A quarantine CSV a clerk opens in Excel, WPS or LibreOffice keeps every digit of an ID number.
@Suite(.serialized) struct ExcelSafeCSVTests {
    static let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func longDigitStringsOpenAsTextAndComeBackWhole() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/in.csv", "姓名,性别,统战对象类别,所在社区,身份证号,编号,联系电话\n张三,男,无党派人士,,110105198503120012,007,13700001111\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: in.csv\nsteps:\n  - validate: fields\noutputs:\n  - write: csv\n    path: out/q.csv\n    rows: quarantined\n")
        #expect(try taizhang(["run", "pipelines/p.yml"], cwd: c.dir).code == 1)
        let text = try String(contentsOfFile: c.path("pipelines/out/q.csv"), encoding: .utf8)
        #expect(text.contains(",\"\t110105198503120012\","), "an ID number is written so a spreadsheet takes it as text")
        #expect(text.contains("\"\t007\","), "a leading 0 is kept (编号 is the ledger's 序号, its first column)")
        #expect(text.contains(",13700001111"), "an 11-digit phone is left as it is (Excel keeps 15 digits)")
        // Read back by Taizhang: the same values, no new issue from the tab.
        let back = try taizhang(["validate", "pipelines/out/q.csv"], cwd: c.dir)
        #expect(!back.stdout.contains("id-"), "\(back.stdout)")
    }

    @Test(.enabled(if: soffice != nil, "LibreOffice (soffice) is not installed: the check that it opens the ID as text is skipped"))
    func libreOfficeOpensTheIDAsText() throws {
        let c = try PipelinesCopy()
        c.write("q.csv", "姓名,身份证号\n张三,\"\t110105198503120012\"\n李四,110105198503120012\n")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.soffice!)
        // A profile of its own, so a LibreOffice already running elsewhere cannot get in the way.
        p.arguments = ["-env:UserInstallation=file://" + c.path("lo-profile"), "--headless", "--infilter=CSV:44,34,76",
                       "--convert-to", "xlsx", "--outdir", c.dir.path, c.path("q.csv")]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let sheet = try #require(try XLSXPeek(path: c.path("q.xlsx")).sheets.first)
        #expect(sheet["B2"] == "\t110105198503120012", "the tab-prefixed ID is text, every digit kept")
        #expect(sheet["B3"] != "110105198503120012", "without it LibreOffice makes a number and loses digits (the reason for the tab)")
    }
}

/// `taizhang template`: a blank standard ledger a clerk can start from.
@Suite(.serialized) struct TemplateTests {
    @Test func aBlankLedgerWithTextColumnsAndDropDowns() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["template", "--out", "台账模板.xlsx"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        #expect(o.stdout == "已写出空白台账模板 台账模板.xlsx：19 列，6 列带下拉列表\n")
        let book = try XLSXPeek(path: c.path("台账模板.xlsx"))
        #expect(book.sheetNames == ["台账", "代码表", "说明"])
        let ledger = try #require(book.sheet("台账"))
        #expect((0..<18).map { ledger["\(columnLetter($0))1"] ?? "" } ==
                ["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码", "政治面貌", "统战对象类别", "宗教信仰", "学历", "工作单位及职务", "联系电话", "所在社区", "备注",
                 "细分类别", "区县", "街道（乡镇）", "网格（楼道）"])
        let codes = try #require(book.sheet("代码表"))
        let categoryColumn = try #require(["A", "B", "C", "D", "E", "F"].first { codes["\($0)1"] == "统战对象类别" })
        #expect(codes["\(categoryColumn)2"] == "民主党派成员" && codes["\(categoryColumn)13"] == "其他需要联系和团结的人员")
        let workbook = try #require(try XLSXPeek.part(c.path("台账模板.xlsx"), "xl/workbook.xml"))
        #expect(workbook.contains("name=\"代码表\" sheetId=\"2\" state=\"hidden\""))
        let sheet = try #require(try XLSXPeek.part(c.path("台账模板.xlsx"), "xl/worksheets/sheet1.xml"))
        #expect(sheet.contains("sqref=\"H2:H5001\"><formula1>'代码表'!$\(categoryColumn)$2:$\(categoryColumn)$13</formula1>"), "the category drop-down")
        #expect(sheet.contains("promptTitle=\"公民身份号码\" prompt=\"18 位，最后一位可以是 X"))
        // Read as a ledger: every column maps, nothing is missing, no rows yet.
        let v = try taizhang(["validate", "台账模板.xlsx"], cwd: c.dir)
        #expect(v.code == 0, "\(v.stdout)")
        #expect(v.stdout.contains("核对：读取 0 = 接受 0 + 隔离 0 + 跳过 0 ✓"), "\(v.stdout)")
        #expect(v.stdout.hasSuffix("结论：没有读到任何数据行（见上面的警告：表头、工作表或文件是否选对）\n"), "nothing read is not 通过")
        #expect(!v.stdout.contains("missing-column"))
    }
}

/// A, B, … Z for the first 26 columns.
func columnLetter(_ i: Int) -> String { String(UnicodeScalar(UInt8(65 + i))) }

/// Messages name the column as the clerk's file heads it, with the standard field beside it.
@Suite struct ClerksTermsTests {
    @Test func theFilesHeaderFirstTheStandardFieldBeside() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["validate", "pipelines/samples/书院路社区.csv"], cwd: c.dir)
        #expect(o.stdout.contains("pipelines/samples/书院路社区.csv:6:E: 错误: [id-check-digit] 「身份证号」（标准字段「公民身份号码」）校验位不符"), "\(o.stdout)")
        #expect(o.stdout.contains("pipelines/samples/书院路社区.csv:7:B: 错误: [required] 「姓名」必填字段为空"), "a header that is the field's own name is said once")
        let en = try taizhang(["validate", "pipelines/samples/书院路社区.csv", "--lang", "en"], cwd: c.dir)
        #expect(en.stdout.contains("[id-check-digit] 身份证号 (field 公民身份号码): "), "\(en.stdout)")
    }
}

extension ClerksTermsTests {
    /// A rule about a column the file does not have: one issue about the file, the rows kept.
    @Test func aRulesMissingColumnIsOneFileLevelIssue() throws {
        let c = try PipelinesCopy()
        c.write("np.csv", "姓名,性别,统战对象类别,所在社区\n张三,男,民主党派成员,甲社区\n李四,女,民主党派成员,甲社区\n")
        let o = try taizhang(["validate", "np.csv", "--report", "r.json"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stdout)")
        #expect(o.stdout.contains("np.csv: 警告: [rule-column-missing] 台账中没有「政治面貌」列，民主党派成员的所属党派无法核对 建议：补上这一列后重新检查"), "\(o.stdout)")
        #expect(!o.stdout.contains("party-mismatch"))
        #expect(o.stdout.contains("核对：读取 2 = 接受 2 + 隔离 0 + 跳过 0 ✓"))
    }
}

extension NeverSilentlyWrongTests {
    /// A community whose previous ledger was not given is left out of 人员变动 with a warning —
    /// not counted as if everyone in it had just joined.
    @Test func aCommunityWithoutAPreviousLedgerIsNoJoiners() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        #expect(o.stdout.contains("人员变动: 警告: [previous-missing] 「和平里社区」没有上期台账：人员变动表不含该社区，其人员不算作新增"), "\(o.stdout)")
        let changes = try #require(try XLSXPeek(path: c.path("pipelines/out/2026Q3-统计表.xlsx")).sheet("人员变动"))
        #expect(changes.values.values.contains("以下社区没有上期台账，未计入本表（其人员不算作新增）：和平里社区。"))
        let json = try #require(try c.json("pipelines/out/2026Q3-统计表.json") as? [String: Any])
        let total = try #require(((json["changes"] as? [String: Any])?["rows"] as? [[String: Any]])?.first?["counts"] as? [String: Int])
        // 书院路社区 alone: last quarter 3 people, this quarter 3 of its accepted records' people.
        #expect(total["previous"] == 3 && total["current"] == 3 && total["joined"]! - total["left"]! == 0, "\(total)")
    }
}

extension NeverDestroyTests {
    /// The review sheet a clerk fills: only 决定 can be typed in, the pair key is hidden and
    /// locked, each pair prints on one page, the instructions name real flags and the safe way back.
    @Test func theReviewSheetProtectsItsKeyAndSaysHowToFeedItBack() throws {
        let c = try PipelinesCopy()
        #expect(try taizhang(["run", "pipelines/find-duplicates.yml"], cwd: c.dir).code == 1)
        let path = c.path("pipelines/out/查重-复核表.xlsx")
        let sheet = try #require(try XLSXPeek.part(path, "xl/worksheets/sheet1.xml"))
        #expect(sheet.contains("<sheetProtection "), "protected")
        #expect(sheet.range(of: #"<col min="14" max="14" width="[0-9.]+" hidden="1""#, options: .regularExpression) != nil, "the pair key column is hidden")
        #expect(sheet.contains("orientation=\"landscape\""))
        let styles = try #require(try XLSXPeek.part(path, "xl/styles.xml"))
        #expect(styles.contains("<protection locked=\"0\"/>"), "the 决定 cells are unlocked")
        let guide = try #require(try XLSXPeek(path: path).sheet("说明"))
        let text = guide.values.values.joined(separator: "\n")
        #expect(text.contains("--full-personal-data") && !text.contains("--full。"))
        #expect(text.contains("另存为一个新文件（例如 查重-复核表-已填.xlsx"))
    }
}

extension NeverSilentlyWrongTests {
    /// For scripts: -q prints the verdict alone, --json one object with the figures; exit status as always.
    @Test func quietAndJSONForScripts() throws {
        let c = try PipelinesCopy()
        let q = try taizhang(["run", "pipelines/quarterly-return.yml", "-q"], cwd: c.dir)
        #expect(q.code == 1)
        #expect(q.stdout == "结论：未通过 — 6 个错误；3 条记录被隔离，未计入输出（逐条改正后重新运行）\n")
        let j = try taizhang(["validate", "pipelines/samples/书院路社区.csv", "--json"], cwd: c.dir)
        #expect(j.code == 1)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(o["read"] as? Int == 7 && o["accepted"] as? Int == 3 && o["quarantined"] as? Int == 3 && o["skipped"] as? Int == 1)
        #expect(o["passed"] as? Bool == false && o["exit_status"] as? Int == 1 && o["balanced"] as? Bool == true)
        #expect((o["issues"] as? [String: [String: Int]])?["id-check-digit"]?["error"] == 1)
        #expect(!j.stdout.contains("110105"), "no personal data in the summary")
    }
}
