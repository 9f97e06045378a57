import Foundation
import Testing
@testable import TaizhangCore

/// A registry with stand-in plugins, so the loader is tested without the real ones.
func testRegistry() -> Registry {
    var r = Registry()
    let pathIn = OptionSpec("path", .inputPath, required: true, doc: Message(zh: "路径", en: "path"))
    let pathOut = OptionSpec("path", .outputPath, required: true, doc: Message(zh: "路径", en: "path"))
    r.register(ReaderPlugin(spec: PluginSpec(name: "csv", kind: .reader, summary: Message(zh: "", en: ""),
                                             options: [pathIn, OptionSpec("encoding", .choice(["auto", "utf-8", "gb18030"]), default: "auto", doc: Message(zh: "", en: "")),
                                                       OptionSpec("header_row", .integer, default: "0", doc: Message(zh: "", en: ""))],
                                             file: "x"), extensions: ["csv"]) { _, d, _, _ throws(SourceError) in
        throw SourceError(Origin(file: d), Message(zh: "未用", en: "unused"))
    })
    r.register(StepPlugin(spec: PluginSpec(name: "fields", kind: .step, summary: Message(zh: "", en: ""),
                                           options: [OptionSpec("strict", .boolean, default: "false", doc: Message(zh: "", en: ""))], file: "x")) { _, _, _ throws(Diagnostics) in
        throw Diagnostics([])
    })
    r.register(WriterPlugin(spec: PluginSpec(name: "json", kind: .writer, summary: Message(zh: "", en: ""), options: [pathOut], file: "x")) { _, _, _, _ in
        throw OutputError(path: "", reason: "unused")
    })
    r.register(schema: Schema(name: "member-ledger", fields: [Field(name: "姓名")]))
    return r
}

/// Writes a pipeline (and an input file beside it) into a fresh folder and loads it.
func load(_ yaml: String, sets: [String: String] = [:], file: String = "p.yml") throws(Diagnostics) -> Pipeline {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tz-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: dir.appendingPathComponent("in.csv").path, contents: Data("a\n1\n".utf8))
    let p = dir.appendingPathComponent(file).path
    FileManager.default.createFile(atPath: p, contents: Data(yaml.utf8))
    return try PipelineLoader(registry: testRegistry()).load(file: p, variables: sets)
}

func diagnostics(_ yaml: String, sets: [String: String] = [:]) -> Diagnostics? {
    do { _ = try load(yaml, sets: sets); return nil } catch { return error }
}

@Suite struct PipelineLoaderTests {
    @Test func validPipelineLoads() throws {
        let p = try load("""
        name: 季度检查
        schema: member-ledger
        inputs:
          - read: csv
            path: in.csv
            encoding: gb18030
        steps:
          - validate: fields
        outputs:
          - write: json
            path: out/x.json
        fail_on: error
        """)
        #expect(p.name == "季度检查")
        #expect(p.schema.name == "member-ledger")
        #expect(p.inputs.first?.options.string("encoding") == "gb18030")
        #expect(p.inputs.first?.options.int("header_row") == 0)
        #expect(p.outputs.first?.options.path("path")?.hasSuffix("/out/x.json") == true)
        #expect(p.failOn == .error)
    }

    @Test func jsonPipelineIsAcceptedToo() throws {
        let p = try load(#"{"name": "j", "inputs": [{"read": "csv", "path": "in.csv"}], "outputs": [{"write": "json", "path": "out/a.json"}]}"#, file: "p.json")
        #expect(p.inputs.count == 1)
    }

    @Test func unknownPluginGetsPositionAndDidYouMean() throws {
        let d = try #require(diagnostics("inputs:\n  - read: cvs\n    path: in.csv\n"))
        let text = d.text(.en)
        #expect(text.contains("p.yml:2:11: error: unknown reader plugin 'cvs'"))
        #expect(text.contains("did you mean 'csv'?"))
        #expect(!d.isIO)
    }

    @Test func unknownOptionGetsDidYouMean() throws {
        let d = try #require(diagnostics("inputs:\n  - read: csv\n    path: in.csv\n    encodng: utf-8\n"))
        #expect(d.text(.en).contains("p.yml:4:5: error: plugin 'csv' has no option 'encodng'"))
        #expect(d.text(.en).contains("did you mean 'encoding'?"))
        #expect(d.text(.zh).contains("插件「csv」没有选项「encodng」"))
    }

    @Test func wrongOptionTypesAreReportedTogether() throws {
        let d = try #require(diagnostics("""
        inputs:
          - read: csv
            path: in.csv
            header_row: first
            encoding: latin1
        steps:
          - validate: fields
            strict: maybe
        """))
        let t = d.text(.en)
        #expect(d.items.count == 3)
        #expect(t.contains("p.yml:4:17: error: option 'header_row' must be an integer"))
        #expect(t.contains("p.yml:5:15: error: option 'encoding': 'latin1' is not one of auto, utf-8, gb18030"))
        #expect(t.contains("p.yml:8:13: error: option 'strict' must be true or false"))
    }

    @Test func missingInputFileIsAnIOError() throws {
        let d = try #require(diagnostics("inputs:\n  - read: csv\n    path: nowhere.csv\n"))
        #expect(d.isIO)
        #expect(d.text(.zh).contains("p.yml:3:11: 错误: 输入文件不存在：nowhere.csv"))
    }

    @Test func outputInMissingFolderOutsideThePipelinesFolderIsAnIOError() throws {
        let d = try #require(diagnostics("inputs:\n  - read: csv\n    path: in.csv\noutputs:\n  - write: json\n    path: /nonexistent-taizhang-folder/x.json\n"))
        #expect(d.isIO)
        #expect(d.text(.en).contains("p.yml:6:11: error: output folder does not exist: /nonexistent-taizhang-folder (create it first: mkdir -p /nonexistent-taizhang-folder)"))
    }

    /// A missing output folder inside the pipeline's folder is created by the run; check says so.
    @Test func outputInMissingFolderInsideThePipelinesFolderIsToBeCreated() throws {
        let p = try load("inputs:\n  - read: csv\n    path: in.csv\noutputs:\n  - write: json\n    path: new/sub/x.json\n")
        #expect(p.foldersToCreate == [p.directory + "/new/sub"])
        #expect(p.notes.map { $0.text(.en) } == ["\(p.directory)/p.yml:6:11: warning: output folder \(p.directory)/new/sub does not exist; the run will create it"])
    }

    @Test func outputThatOverwritesAnInputIsRefused() throws {
        let d = try #require(diagnostics("inputs:\n  - read: csv\n    path: in.csv\noutputs:\n  - write: json\n    path: ./in.csv\n"))
        #expect(d.text(.en).contains("p.yml:6:11: error: the output would overwrite ./in.csv, which this run reads (as an input, "))
        #expect(d.text(.en).contains("p.yml:3:11)"))
    }

    @Test func missingRequiredOption() throws {
        let d = try #require(diagnostics("inputs:\n  - read: csv\n"))
        #expect(d.text(.en).contains("plugin 'csv' needs option 'path'"))
    }

    @Test func variablesComeFromVarsAndSet() throws {
        let yaml = "name: ${period} 检查\nvars:\n  period: 2026Q2\ninputs:\n  - read: csv\n    path: in.csv\noutputs:\n  - write: json\n    path: out/${period}.json\n"
        #expect(try load(yaml).name == "2026Q2 检查")
        let p = try load(yaml, sets: ["period": "2026Q3"])
        #expect(p.name == "2026Q3 检查")
        #expect(p.outputs[0].options.string("path") == "out/2026Q3.json")
    }

    @Test func undefinedVariableIsPositioned() throws {
        let d = try #require(diagnostics("name: ${peroid}\ninputs:\n  - read: csv\n    path: in.csv\n"))
        #expect(d.text(.en).contains("p.yml:1:7: error: undefined variable ${peroid}"))
    }

    @Test func yamlSyntaxErrorIsPositioned() throws {
        let d = try #require(diagnostics("inputs:\n  - read: csv\n   path: [in.csv\n"))
        #expect(d.text(.en).contains("p.yml:"))
        #expect(d.text(.en).contains("YAML syntax error"))
    }

    @Test func unknownTopLevelKeyAndSchema() throws {
        let d = try #require(diagnostics("shema: member-ledger\ninputs:\n  - read: csv\n    path: in.csv\n"))
        #expect(d.text(.en).contains("p.yml:1:1: error: unknown key 'shema'"))
        #expect(d.text(.en).contains("did you mean 'schema'?"))
        let d2 = try #require(diagnostics("schema: member-ledgr\ninputs:\n  - read: csv\n    path: in.csv\n"))
        #expect(d2.text(.en).contains("did you mean 'member-ledger'?"))
    }
}

@Suite struct SupportTests {
    @Test(arguments: [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (702, "AAA")])
    func columnLetters(_ i: Int, _ s: String) { #expect(Origin.columnLetter(i) == s) }

    @Test func maskingKeepsSixAndFour() {
        #expect(Masking.mask("110105198503120012") == "110105********0012")
        #expect(Masking.mask("13800138000") == "138****8000")
        #expect(Masking.mask("张三") == "张*")
        #expect(Masking.mask("欧阳娜娜") == "欧**娜")
        // Dates read as masked dates.
        #expect(Masking.mask("1985-03-12") == "1***-**-**")
        #expect(Masking.mask("1985年3月") == "1***年*月")
        #expect(Masking.mask("1992/2/30") == "1***/*/**")
        #expect(Masking.full.apply("110105198503120012") == "110105198503120012")
        // ASCII values take a path of their own (on bytes): the same rules, short and long.
        #expect(Masking.mask("") == "")
        #expect(Masking.mask("张") == "张")
        #expect(Masking.mask("A") == "A")
        #expect(Masking.mask("12") == "1*")
        #expect(Masking.mask("abc") == "a*c")
        #expect(Masking.mask("2026.3.5") == "2***.*.*")
        #expect(Masking.mask("11010519850312") == "110*******0312")
        #expect(Masking.mask("11010519850312001X") == "110105********001X")
        #expect(Masking.mask("a\r\nb") == "a*b")
        // Names of ideographs (and the middle dot) are masked by scalar, anything else by character:
        // a combining accent stays with its letter, and a supplementary ideograph is one character.
        #expect(Masking.mask("买买提·艾力") == "买****力")
        #expect(Masking.mask("𠀋小明") == "𠀋*明")
        #expect(Masking.mask("e\u{301}abc") == "e\u{301}**c")
        #expect(Masking.mask("张三丰\r\n") == "张**\r\n")
        #expect(Masking.mask("1985年3月12日") == "1***年*月**日")
    }

    @Test func headerKeysFoldWidthSpacesAndMarks() {
        #expect(Schema.headerKey(" 姓　名* ") == Schema.headerKey("姓名"))
        #expect(Schema.headerKey("ＩＤ") == "id")
        #expect(Schema.headerKey("电话：") == "电话")
    }

    @Test func schemaFileErrorsArePositioned() throws {
        let node = try ConfigNode.parse("name: s\nfields:\n  - name: a\n    typ: integer\n  - name: b\n    type: int\n", file: "s.yml")
        let e = #expect(throws: Diagnostics.self) { try Schema.load(from: node) }
        let t = e?.text(.en) ?? ""
        #expect(t.contains("s.yml:4:5: error: unknown field key 'typ'"))
        #expect(t.contains("did you mean 'type'?"))
        #expect(t.contains("s.yml:6:11: error: unknown type 'int'"))
    }
}

@Suite struct HeaderDetectorTests {
    let schema = Schema(name: "t", fields: [Field(name: "序号"), Field(name: "姓名"), Field(name: "性别"), Field(name: "身份证号"), Field(name: "社区")])

    @Test func titleRowsAreSkipped() throws {
        let rows = [["某社区台账", "", ""], ["填报单位：某社区", "", ""], ["序号", "姓名", "性别"], ["1", "张三", "男"]]
        let r = try #require(HeaderDetector.detect(rows, schema: schema))
        #expect(r.headerIndex == 2 && r.header == ["序号", "姓名", "性别"] && r.headerParts.isEmpty)
    }

    @Test func twoRowMergedHeaderIsJoined() throws {
        let rows = [["台账", "", "", "", ""], ["序号", "基本情况", "", "", "社区"], ["", "姓名", "性别", "身份证号", ""], ["1", "张三", "男", "x", "a"]]
        let r = try #require(HeaderDetector.detect(rows, schema: schema))
        #expect(r.headerIndex == 2)
        #expect(r.headerParts == [1])
        #expect(r.header == ["序号", "基本情况/姓名", "基本情况/性别", "基本情况/身份证号", "社区"])
        #expect(r.header.map { HeaderDetector.match($0, schema.headerIndex()) } == [0, 1, 2, 3, 4])
    }

    @Test func withoutASchemaTheFirstNonBlankRowIsTheHeader() throws {
        let r = try #require(HeaderDetector.detect([["", ""], ["a", "b"], ["1", "2"]], schema: .open()))
        #expect(r.headerIndex == 1)
        #expect(HeaderDetector.detect([["", ""]], schema: .open()) == nil)
    }
}

/// The word-at-a-time scan for characters XML forbids agrees with a plain look at each scalar.
@Suite struct XMLForbiddenTests {
    @Test func wordScanAgreesWithScalars() {
        var rng = SplitMix(seed: 7)
        let pieces = ["a", "张", "\t", "\n", "\r", "\u{1}", "\u{1B}", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "\u{EF}", "ï", "😀", " ", "1234567"]
        for _ in 0..<5_000 {
            let s = (0..<Int.random(in: 0...24, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let expected = s.unicodeScalars.contains(where: XMLForbidden.isForbidden)
            var t = s
            let got = t.withUTF8 { XMLForbidden.contains(UnsafeRawBufferPointer($0)) }
            #expect(got == expected, "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(XMLForbidden.removing(from: "a\u{1}b\u{FFFF}").0 == "ab")
    }
}

@Suite struct ProgressLineTests {
    /// A progress line never wraps: cut to the terminal's columns, CJK characters counted as two.
    @Test func cutToTheTerminalsWidth() {
        #expect(Progress.cut("正在读取 书院路社区.csv：已读 100 行", to: 20) == "正在读取 书院路社区…")   // 19 columns and the …
        #expect(Progress.cut("reading a.csv", to: 80) == "reading a.csv")
    }

    /// The share read as a percentage, and the time left at the pace so far (not in the first second).
    @Test func percentageAndTimeLeft() {
        #expect(Progress.line(file: "a.csv", index: 2, of: 3, rows: 120_000, done: 0.45, seconds: 2, language: .zh)
                == "正在读取 第 2/3 个文件 a.csv：已读 120000 行，60000 行/秒，完成 45%，约剩 3 秒")
        #expect(Progress.line(file: "a.csv", index: 1, of: 1, rows: 1000, done: 0.1, seconds: 30, language: .en)
                == "reading a.csv: 1000 rows, 33 rows/s, 10% done, about 4 min left")
        #expect(Progress.line(file: "a.xls", index: 1, of: 1, rows: 10, done: nil, seconds: 0.1, language: .zh) == "正在读取 a.xls：已读 10 行")
        #expect(Progress.line(file: "a.csv", index: 1, of: 1, rows: 10, done: 0.5, seconds: 0.3, language: .zh) == "正在读取 a.csv：已读 10 行，完成 50%")
    }
}

@Suite struct DuplicateKeyTests {
    /// A key written twice is said where the YAML library found it, not at 1:1.
    @Test func aDuplicateKeyIsSaidAtItsMapping() {
        let d = diagnostics("inputs:\n  - read: csv\n    path: in.csv\n    path: in.csv\n")
        #expect(d?.text(.zh).contains("p.yml:3:5: 错误: 键重复：path（同一层中每个键只能写一次）") == true, "\(d?.text(.zh) ?? "")")
    }
}

/// Shares round as by hand: half away from zero on the exact fraction (23/80 = 28.75 % → 28.8).
@Suite struct ShareRoundingTests {
    @Test func halvesRoundUpOnTheExactFraction() {
        let s = StatTable.Share(of: "a", overRow: nil, over: "b", per: 100, decimals: 1)
        #expect(s.value(23, 80) == 28.8)
        #expect(s.value(1, 3) == 33.3 && s.value(2, 3) == 66.7 && s.value(1, 8) == 12.5 && s.value(7, 7) == 100)
        #expect(s.value(1, 0) == nil)
        #expect(StatTable.Share(of: "a", overRow: nil, over: "b", per: 100, decimals: 0).value(1, 8) == 13)
        #expect(StatTable.Share(of: "a", overRow: nil, over: "b", per: 1000, decimals: 2).value(1, 7) == 142.86)
    }
}

/// Which of a later table's first steps run ahead of its turn, on the reading thread.
@Suite struct ReadAheadStepsTests {
    final class X {}
    final class Y {}
    static let x: Set = [ObjectIdentifier(X.self)], y: Set = [ObjectIdentifier(Y.self)]

    @Test func stepsBeforeTheFirstThatWaitsRunAheadUnlessTheyShareWithALaterOne() {
        // No step waits: all run ahead; the first that waits (a lookup, a holding step) and those after it do not.
        #expect(Runner.independent([false, false, false], [[], [], []]) == 3)
        #expect(Runner.independent([false, false, true, false], [[], [], [], []]) == 2)
        #expect(Runner.independent([true, false], [[], []]) == 0)
        // A step sharing an object with a step that waits (or one after it) waits too, and so do those after it.
        #expect(Runner.independent([false, false, true], [Self.x, [], Self.x]) == 0)
        #expect(Runner.independent([false, false, false, true, false], [[], Self.x, [], [], Self.x]) == 1)
        // Sharing among the steps that run ahead, or among those that wait, holds nothing back.
        #expect(Runner.independent([false, false, true, false], [Self.x, Self.x, Self.y, Self.y]) == 2)
        // Held back in turn: step 1 shares with step 2, which waits; step 0 shares with step 1.
        #expect(Runner.independent([false, false, true], [Self.x, Self.x.union(Self.y), Self.y]) == 0)
    }
}

/// Of a finishing step's issues, what the result keeps for the screen (all are counted and written).
@Suite struct KeptForTheScreenTests {
    static func issue(_ file: String, _ row: Int?) -> TaizhangCore.Issue {
        TaizhangCore.Issue(code: "x", severity: .warning, origin: Origin(file: file, row: row), message: Message(zh: "问题", en: "issue"))
    }

    @Test func theFirstRowsByFileAndRowAndEveryIssueOfTheWholeRun() {
        // Raised in the order found, not by row: a.csv first met, then b.csv.
        let issues = [Self.issue("a.csv", 9), Self.issue("b.csv", 2), Self.issue("run", nil), Self.issue("a.csv", 3),
                      Self.issue("a.csv", 7), Self.issue("b.csv", 1)]
        let kept = Runner.keptForTheScreen(issues, rows: 3)
        // a.csv's rows 3, 7, 9 come first by file and row; b.csv's none; the issue of the run always; in the order given.
        #expect(kept.map { "\($0.origin.file):\($0.origin.row.map(String.init) ?? "-")" } == ["a.csv:9", "run:-", "a.csv:3", "a.csv:7"])
        #expect(Runner.keptForTheScreen(issues, rows: 0).map(\.origin.file) == ["run"])
        #expect(Runner.keptForTheScreen(issues, rows: 4).map { "\($0.origin.file):\($0.origin.row.map(String.init) ?? "-")" } == ["a.csv:9", "run:-", "a.csv:3", "a.csv:7", "b.csv:1"])
        #expect(Runner.keptForTheScreen(issues, rows: 100) == issues)
    }
}
