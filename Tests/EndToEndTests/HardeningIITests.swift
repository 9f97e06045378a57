import Foundation
import Testing
import TaizhangTestSupport

/// Hardening II: no corrupt workbook, no bomb, no crash.
@Suite(.serialized) struct HardeningIITests {
    /// Every class of code point a cell can hold, through every writer, read back by a strict XML
    /// parser: characters XML forbids are removed on reading (a change and a warning each), the
    /// rest arrive as written.
    @Test func everyWriterWritesWellFormedFilesWhateverTheText() throws {
        let c = try PipelinesCopy()
        let odd = ["a\u{1}b", "esc\u{1B}[0m", "x\u{FFFE}y", "z\u{FFFF}", "bel\u{7}"]
        let fine = ["tab\there", "𠀀𪚥", "e\u{301}", "😀", "«_x0041_»"]
        var csv = "姓名,性别,统战对象类别,所在社区,备注\n"
        for (k, v) in (odd + fine).enumerated() { csv += "人\(k),男,无党派人士,\(k == 0 ? "" : "甲社区"),\"\(v)\"\n" }
        c.write("pipelines/odd.csv", csv)
        c.write("pipelines/p.yml", """
        schema: member-ledger
        inputs:
          - read: csv
            path: odd.csv
        steps:
          - validate: fields
        outputs:
          - write: xlsx-ledger
            path: out/l.xlsx
          - write: issue-workbook
            path: out/i.xlsx
          - write: csv
            path: out/l.csv
            rows: all
          - write: json
            path: out/l.json
            rows: all
          - write: json-report
            path: out/r.json
        """)
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")   // the samples have errors: the run says so by its exit code
        #expect(o.stdout.contains("删除不可见的控制字符 5"), "\(o.stdout)")
        for book in ["out/l.xlsx", "out/i.xlsx"] {
            let peek = try XLSXPeek(path: c.path("pipelines/\(book)"))   // a strict XML parser: throws on ill-formed XML
            #expect(!peek.sheets.isEmpty, "\(book)")
        }
        let ledger = try #require(try XLSXPeek(path: c.path("pipelines/out/l.xlsx")).sheet("台账"))
        let notes = (2...11).compactMap { ledger["N\($0)"] }
        // Row 2 (no community) is quarantined, so not in the clean ledger; its note is in the JSON below.
        #expect(notes.contains("esc[0m") && notes.contains("xy") && notes.contains("z") && notes.contains("bel"), "\(notes)")
        #expect(notes.contains("tab\there") && notes.contains("𠀀𪚥") && notes.contains("😀"), "\(notes)")
        // A literal _x0041_ is stored escaped (the raw XML, as this reader shows it), so Excel shows it as written.
        #expect(notes.contains("«_x005F_x0041_»"), "\(notes)")
        let text = try String(contentsOfFile: c.path("pipelines/out/l.csv"), encoding: .utf8)
        #expect(!text.unicodeScalars.contains { $0.value == 0 || $0.value == 1 || $0.value == 0x1B || $0.value == 0xFFFE || $0.value == 0xFFFF })
        let rows = try #require(try c.json("pipelines/out/l.json") as? [[String: Any]])
        #expect(rows.count == 10)
        #expect(rows.first?["备注"] as? String == "ab")
        let report = try #require(try c.json("pipelines/out/r.json") as? [String: Any])
        let issues = try #require(report["issues"] as? [[String: Any]])
        #expect(issues.filter { $0["code"] as? String == "control-character" }.count == 5)
        #expect(issues.contains { ($0["message"] as? String)?.contains("U+001B") == true })
    }

    @Test func jsonEscapesOfForbiddenCharactersAreRemovedToo() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/j.json", #"[{"姓名":"张\u0000三","备注":"\ufffe\uffff好"}]"#)
        let o = try taizhang(["validate", "pipelines/j.json", "--workbook", "w.xlsx", "--report", "r.json"], cwd: c.dir)
        #expect(o.code == 1)
        #expect(try XLSXPeek(path: c.path("w.xlsx")).sheetNames.count == 4)
        let issues = try #require((try c.json("r.json") as? [String: Any])?["issues"] as? [[String: Any]])
        #expect(issues.filter { $0["code"] as? String == "control-character" }.count == 2)
    }

    @Test func aUnitNameWithControlCharactersGivesAWellFormedForm() throws {
        let c = try PipelinesCopy()
        let r = try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir)
        #expect(r.code == 1)   // the samples have errors: the run says so by its exit code
        let m = try taizhang(["merge", "pipelines/out/2026Q3-统计表.json", "--out", "m.json", "--xlsx", "m.xlsx", "--unit", "街道\u{1B}\u{7}"], cwd: c.dir)
        #expect(m.code == 1, "\(m.stderr)")   // written; the sample's return left records out
        let form = try XLSXPeek(path: c.path("m.xlsx"))
        #expect(form.sheet("统计表")?["A7"] == "填报单位：街道_x001B__x0007_", "\(form.sheet("统计表")?["A7"] ?? "")")
    }

    /// "Billion laughs": a few lines of nested aliases. Refused at once, at the line and column.
    @Test func aYAMLAliasBombIsRefusedWithAPosition() throws {
        let c = try PipelinesCopy()
        var y = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for k in 1..<names.count { y += "\(names[k]): &\(names[k]) [" + Array(repeating: "*\(names[k - 1])", count: 9).joined(separator: ", ") + "]\n" }
        y += "inputs: *i\n"
        c.write("pipelines/bomb.yml", y)
        let started = Date()
        let o = try taizhang(["check", "pipelines/bomb.yml"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.hasPrefix("pipelines/bomb.yml:"), "\(o.stderr)")
        #expect(o.stderr.contains("YAML 超过 100000 个节点（别名展开后计），拒绝读取"))
        #expect(Date().timeIntervalSince(started) < 30)
    }
}

extension HardeningIITests {
    /// Two returns whose figures add up past Int.max: refused with a message, nothing written.
    @Test func mergeRefusesFiguresTooLargeToAdd() throws {
        let c = try PipelinesCopy()
        #expect(try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir).code == 1)   // the samples have errors: the run says so by its exit code
        var doc = try #require(try c.json("pipelines/out/2026Q3-统计表.json") as? [String: Any])
        var rows = try #require(doc["rows"] as? [[String: Any]])
        var counts = try #require(rows[0]["counts"] as? [String: Any])
        counts["total"] = Int.max - 5
        rows[0]["counts"] = counts
        doc["rows"] = rows
        for (k, unit) in ["甲街道", "乙街道"].enumerated() {
            doc["unit"] = unit
            doc["units_covered"] = [unit]
            try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: c.path("r\(k).json")))
        }
        let o = try taizhang(["merge", "r0.json", "r1.json", "--out", "m.json"], cwd: c.dir)
        #expect(o.code == 1, "\(o.stderr)")
        #expect(o.stderr.contains("r0.json 中有数字 9223372036854775802，不是报表中可能有的人数或次数"), "refused before adding: \(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("m.json")))
    }
}

/// A run's outputs are one set: signals, a second run in the same folder, what dead runs left.
@Suite(.serialized) struct OutputSetTests {
    static func pipeline(_ c: PipelinesCopy) {
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: samples/书院路社区.csv\noutputs:\n  - write: json\n    path: out/a.json\n  - write: xlsx-ledger\n    path: out/a.xlsx\n")
    }

    @Test(arguments: [SIGHUP, SIGQUIT, SIGTERM, SIGINT])
    func aSignalLeavesNothingBehind(_ sig: Int32) throws {
        let c = try PipelinesCopy()
        // Long enough that the signal is handled while the run still streams.
        var text = "姓名,性别,统战对象类别,所在社区\n"
        for i in 0..<40_000 { text += "人\(i),男,无党派人士,甲社区\n" }
        c.write("pipelines/big.csv", text)
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: big.csv\noutputs:\n  - write: json\n    path: out/a.json\n  - write: xlsx-ledger\n    path: out/a.xlsx\n")
        let p = try CrashSafetyTests.stoppedRun(c, at: "stream")
        kill(p.processIdentifier, sig)
        kill(p.processIdentifier, SIGCONT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130 && p.terminationReason == .exit, "signal \(sig): \(p.terminationReason) \(p.terminationStatus)")
        // Nothing partial and no temporary: outputs all absent (or, had the run already been putting
        // them in place, all complete — the handler waits for that phase).
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out")))
        #expect(left == [".gitignore"] || left == [".gitignore", "a.json", "a.xlsx"], "signal \(sig) left \(left)")
    }

    @Test func aSecondRunIntoTheSameFolderIsRefusedWhileTheFirstWrites() throws {
        let c = try PipelinesCopy()
        Self.pipeline(c)
        let first = try CrashSafetyTests.stoppedRun(c, at: "stream")
        defer { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() }
        let second = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(second.code == 3)
        #expect(second.stderr.contains("另一个 taizhang 运行正在向这个文件夹写出；等它结束再运行"), "\(second.stderr)")
    }

    @Test func temporariesOfDeadRunsAreRemovedAndCounted() throws {
        let c = try PipelinesCopy()
        Self.pipeline(c)
        // The temporaries a run killed with -9 leaves: its PID no longer runs.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        for name in [".a.json.taizhang-tmp-\(dead.processIdentifier)-1", ".a.xlsx.taizhang-tmp-\(dead.processIdentifier)-2"] {
            c.write("pipelines/out/\(name)", "张三,110105198503120012")
        }
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stderr)")
        #expect(o.stdout.contains("已清除以前中断的运行留下的临时文件 2 个"), "\(o.stdout)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out"))) == [".gitignore", "a.json", "a.xlsx"])
    }

    @Test func anInputThatChangesWhileReadFailsTheRunWithoutOutputs() throws {
        let c = try PipelinesCopy()
        var text = "姓名,性别,统战对象类别,所在社区\n"
        for i in 0..<30_000 { text += "人\(i),男,无党派人士,甲社区\n" }
        c.write("pipelines/big.csv", text)
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: big.csv\noutputs:\n  - write: json\n    path: out/a.json\n")
        let err = Pipe()
        let p = try CrashSafetyTests.stoppedRun(c, at: "stream", stderr: err)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: c.path("pipelines/big.csv")))
        try h.truncate(atOffset: UInt64(text.utf8.count / 2))
        try h.close()
        kill(p.processIdentifier, SIGCONT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 3)
        #expect(message == "pipelines/big.csv: 错误: 文件在读取过程中被改动（或被截断），读到的内容不可信；未写出任何文件（等文件写完、不再变动后重新运行）\n")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out"))) == [".gitignore"])
    }
}

/// Messages that point to the right place.
@Suite struct RightPlaceTests {
    static let rows = ["姓名,性别,统战对象类别,所在社区"] + (0..<60).map { "张\($0),男,无党派人士,甲社区" }

    @Test func aBadByteInAUTF8FileIsReportedOnItsLineAsUTF8() throws {
        let c = try PipelinesCopy()
        var data = Data(Self.rows.joined(separator: "\n").utf8) + Data("\n".utf8)
        let line52 = try #require(data.ranges(of: Data("张50,".utf8)).first)
        data.insert(contentsOf: [0xFF, 0xFE], at: line52.lowerBound)
        try data.write(to: URL(fileURLWithPath: c.path("bad.csv")))
        let o = try taizhang(["validate", "bad.csv"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.hasPrefix("bad.csv:52: 错误: 第 52 行（字节偏移 "), "\(o.stderr)")
        #expect(o.stderr.contains("有按 UTF-8 无法解码的字节 FF FE"), "\(o.stderr)")
    }

    @Test(arguments: [("utf-32", "UTF-32LE"), ("utf-16", "UTF-16LE")])
    func aUTF32OrUTF16FileIsReadAsSuchAndNamed(_ encoding: String, _ name: String) throws {
        let c = try PipelinesCopy()
        let text = Self.rows.prefix(5).joined(separator: "\n") + "\n"
        let data = try #require(text.data(using: encoding == "utf-32" ? .utf32 : .utf16))
        try data.write(to: URL(fileURLWithPath: c.path("w.csv")))
        let o = try taizhang(["validate", "w.csv", "--report", "r.json"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stdout)\(o.stderr)")
        #expect(o.stdout.contains("核对：读取 4 = 接受 4 + 隔离 0 + 跳过 0 ✓"), "\(o.stdout)")
        let issues = try #require((try c.json("r.json") as? [String: Any])?["issues"] as? [[String: Any]])
        #expect(!issues.contains { ["missing-cell", "control-character"].contains($0["code"] as? String ?? "") })
        #expect(issues.contains { $0["code"] as? String == "encoding-detected" && ($0["message"] as? String)?.contains(name) == true }, "\(issues)")
    }

    @Test func aHeaderRowPastTheEndIsAnErrorNotBlankRows() throws {
        let c = try PipelinesCopy()
        c.write("h.csv", Self.rows.prefix(5).joined(separator: "\n") + "\n")
        c.write("p.yml", "inputs:\n  - read: csv\n    path: h.csv\n    header_row: 40\n")
        let o = try taizhang(["run", "p.yml"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr == "h.csv:40: 错误: 第 40 行是空行或不存在（文件共 5 行），不能作表头（改正 header_row，或设为 0 自动查找表头）\n")
    }
}

/// What review of the output code found, each pinned.
@Suite(.serialized) struct OutputEdgeTests {
    /// `--report /dev/stdout > r.json`: written into standard output (the shell's file), never renamed
    /// over it and never versioned.
    @Test func standardOutputRedirectedToAFileIsWrittenInto() throws {
        let c = try PipelinesCopy()
        FileManager.default.createFile(atPath: c.path("r.json"), contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: c.path("r.json")))
        var before = stat()
        stat(c.path("r.json"), &before)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["validate", "pipelines/samples/书院路社区.csv", "--report", "/dev/stdout"]
        p.currentDirectoryURL = c.dir
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        #expect(p.terminationStatus == 1)
        var after = stat()
        stat(c.path("r.json"), &after)
        #expect(after.st_ino == before.st_ino, "the shell's file was replaced")
        #expect((try c.json("r.json") as? [String: Any])?["format"] as? String == "taizhang-report/1")
        #expect(!FileManager.default.fileExists(atPath: c.path("r.1.json")))
    }

    @Test func aPipeNobodyReadsIsAnErrorNotAHang() throws {
        let c = try PipelinesCopy()
        #expect(mkfifo(c.path("fifo.json"), 0o600) == 0)
        let started = Date()
        let o = try taizhang(["validate", "pipelines/samples/书院路社区.csv", "--report", "fifo.json"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.contains("没有程序在读这个管道"), "\(o.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test func anOutputsPreviousVersionsMayNotBeAFileTheRunReads() throws {
        let c = try PipelinesCopy()
        try FileManager.default.copyItem(atPath: c.path("pipelines/samples/书院路社区.csv"), toPath: c.path("x.1.csv"))
        let o = try taizhang(["validate", "x.1.csv", "--report", "x.csv"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.contains("输出 x.csv 的旧版本会占用本次运行要读取的文件"), "\(o.stderr)")
    }

    @Test(arguments: [(["rnu", "p.yml"], "错误：没有「rnu」这个命令（有：run、check、validate、merge、init、template、profile、forms、store、plugins、help）（是不是「run」？）"),
                      (["run"], "命令行有误：缺少参数 <pipeline>"),
                      (["validate", "--show", "abc", "x.csv"], "命令行有误：「abc」不是 --show <show> 可用的值"),
                      (["run", "p.yml", "--sett", "x"], "命令行有误：没有选项 --sett（是不是 --set？）")])
    func commandLineMistakesExitTwoInChinese(_ args: [String], _ first: String) throws {
        let o = try taizhang(args)
        #expect(o.code == 2)
        #expect(o.stderr.hasPrefix(first), "\(o.stderr)")
    }

    /// A mistyped pipeline file or sample: said as missing, with the nearest name; exit 3.
    @Test func aMissingFileIsSaidAsMissingWithTheNearestName() throws {
        let o = try taizhang(["run", "pipelines/quarterly-retrun.yml"])
        #expect(o.code == 3)
        #expect(o.stderr.hasPrefix("错误: 流水线文件不存在：pipelines/quarterly-retrun.yml（是不是「quarterly-return.yml」？）"), "\(o.stderr)")
        let i = try taizhang(["init", "我的台账.xlsx"])
        #expect(i.code == 3 && i.stderr.hasPrefix("错误：文件不存在：我的台账.xlsx"), "\(i.stderr)")
    }

    @Test func aLineOfOnlyControlCharactersIsABlankLine() throws {
        let c = try PipelinesCopy()
        c.write("eof.csv", "姓名,性别,统战对象类别,所在社区\n张三,男,无党派人士,甲社区\n\u{1A}\n")
        let o = try taizhang(["validate", "eof.csv"], cwd: c.dir)
        #expect(o.code == 0, "\(o.stdout)")
        #expect(o.stdout.contains("核对：读取 2 = 接受 1 + 隔离 0 + 跳过 1 ✓"), "\(o.stdout)")
    }
}

/// One ID number, one person — in the return, whatever steps the pipeline lists.
@Suite struct IdentityInTheReturnTests {
    @Test func twoPeopleUnderOneIDAreAConflictAndNotOnePerson() throws {
        let id = "110105198503120012"
        let r = try ReturnRunCLI(ledger: """
        姓名,性别,出生日期,身份证号,统战对象类别,所在社区
        张伟,男,1985-03-12,\(id),无党派人士,甲社区
        刘洋,女,1990-01-01,\(id),党外知识分子,甲社区
        張偉,男,1985-03,\(id),少数民族人士,甲社区
        """)
        #expect(r.output.code == 1)
        #expect(r.output.stdout.contains("pipelines/l.csv:3:D: 错误: [id-conflict] 「身份证号」（标准字段「公民身份号码」）身份证号与 pipelines/l.csv 第 2 行相同，但姓名、出生日期或性别对不上"), "\(r.output.stdout)")
        #expect(r.output.stdout.contains("统计表合计 1 人（另有 1 条记录有错误，未计入）"), "\(r.output.stdout)")
        // 張偉 (traditional, month only) is the same person as 张伟: one person, both categories.
        #expect(!r.output.stdout.contains("l.csv:4:D: 错误: [id-conflict]"))
    }

    /// A first record typed with a day no calendar has (1955-02-30) is left out for its date; the
    /// person's correct record after it is the same person and is counted — not taken for a second
    /// person under the number (an `id-conflict` left both out: 0 people).
    @Test func anImpossibleBirthDateIsNoEvidenceOfAnotherPerson() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/l.csv", "姓名,性别,出生日期,身份证号,统战对象类别,所在社区\n邹静鸣,女,1955-02-30,110108195511181507,无党派人士,甲社区\n邹静鸣,女,1955.11.18,110108195511181507,无党派人士,甲社区\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - normalize: member-ledger\n  - validate: fields\n  - step: member-return\n    period: 2026Q3\noutputs:\n  - write: json-return\n    path: out/r.json\n")
        let o = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        #expect(!o.stdout.contains("[id-conflict]"), "\(o.stdout)")
        #expect(o.stdout.contains("l.csv:2:C: 错误"), "\(o.stdout)")
        #expect(o.stdout.contains("统计表合计 1 人（另有 1 条记录有错误，未计入）"), "\(o.stdout)")
    }

    /// A first record whose sex or birth date contradicts its own ID number is left out for that
    /// (id-sex-mismatch, id-birth-mismatch); the person's correct record after it is counted — a
    /// slip of the first is no evidence of a second person under the number (found by an outside
    /// check: 705 persons of a million left out so).
    @Test(arguments: [("男", "1953-04-08", "id-sex-mismatch"), ("女", "1953-04-09", "id-birth-mismatch")])
    func aFirstRecordContradictingItsIDLeavesTheCorrectOneCounted(_ sex: String, _ birth: String, _ code: String) throws {
        let r = try ReturnRunCLI(ledger: """
        姓名,性别,出生日期,身份证号,统战对象类别,所在社区
        朱娟,\(sex),\(birth),110108195304083306,党外知识分子,景山社区
        朱娟,女,1953-04-08,110108195304083306,党外知识分子,景山社区
        """, checks: "  - validate: id-number\n")
        #expect(!r.output.stdout.contains("[id-conflict]"), "\(r.output.stdout)")
        #expect(r.output.stdout.contains("l.csv:2:") && r.output.stdout.contains("[\(code)]"), "\(r.output.stdout)")
        #expect(r.output.stdout.contains("统计表合计 1 人（另有 1 条记录有错误，未计入）"), "\(r.output.stdout)")
    }

    /// The number's person is who its first record is (with the birth date and sex the number
    /// holds): a later record of the same name born otherwise is somebody else under the number.
    @Test func aNamesakeUnderAnothersNumberIsStillAConflict() throws {
        let r = try ReturnRunCLI(ledger: """
        姓名,性别,出生日期,身份证号,统战对象类别,所在社区
        朱娟,女,1953-04-08,110108195304083306,党外知识分子,景山社区
        朱娟,女,1961-09-17,110108195304083306,民主党派成员,东华门社区
        """)
        #expect(r.output.stdout.contains("l.csv:3:D: 错误: [id-conflict]"), "\(r.output.stdout)")
        #expect(r.output.stdout.contains("统计表合计 1 人（另有 1 条记录有错误，未计入）"), "\(r.output.stdout)")
    }

    /// 黃慶爱 and 黄庆勇 are one character apart once 繁简 is folded (an outside check saw 51 correct
    /// records quarantined as id-conflict: each difference alone passed, the two together did not).
    @Test func traditionalCharactersAndOneCharacterOffAreStillOnePerson() throws {
        let r = try ReturnRunCLI(ledger: """
        姓名,性别,出生日期,身份证号,统战对象类别,所在社区
        黃慶爱,男,1996-09-22,510104199609227136,党外知识分子,东湖路社区
        黄庆勇,男,1996-09-22,510104199609227136,党外知识分子,东湖路社区
        """)
        #expect(!r.output.stdout.contains("[id-conflict]"), "\(r.output.stdout)")
        #expect(r.output.stdout.contains("统计表合计 1 人"), "\(r.output.stdout)")
    }

    /// 單偉 is 单伟 in traditional characters: 單 as a surname reads shan, as 单 does — one person
    /// under the number, both categories, not an id-conflict.
    @Test func aTraditionalSurnameReadsAsItsSimplifiedForm() throws {
        let r = try ReturnRunCLI(ledger: """
        姓名,性别,出生日期,身份证号,统战对象类别,所在社区
        单伟,男,1987-08-05,110101198708056215,党外知识分子,小黄庄社区
        單偉,男,1987-08-05,110101198708056215,非公有制经济人士,小黄庄社区
        """)
        #expect(!r.output.stdout.contains("[id-conflict]"), "\(r.output.stdout)")
        #expect(r.output.code == 0, "\(r.output.stdout)")
        #expect(r.output.stdout.contains("统计表合计 1 人"), "\(r.output.stdout)")
    }
}

/// The quarterly return of one small ledger, run as a user runs it.
struct ReturnRunCLI {
    let output: Output
    /// `checks`: steps between normalising and the return.
    init(ledger: String, checks: String = "") throws {
        let c = try PipelinesCopy()
        c.write("pipelines/l.csv", ledger + "\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - normalize: member-ledger\n\(checks)  - step: member-return\n    period: 2026Q3\noutputs:\n  - write: json-return\n    path: out/r.json\n")
        output = try taizhang(["run", "pipelines/p.yml"], cwd: c.dir)
        _ = c
    }
}

/// What an adversarial user found, each pinned.
@Suite(.serialized) struct HuntFindingsTests {
    @Test func anInvalidPeriodIsSaidOnceAsAPeriod() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["check", "pipelines/quarterly-return.yml", "--set", "period=2026Q5"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr == "错误: 报告期「2026Q5」无法识别（写成 2026Q3、2026H1、2026 或 2026-09）\n", "\(o.stderr)")
    }

    @Test func aVariableWhoseValueNamesAnotherIsAnError() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/loop.yml", "vars:\n  a: ${b}\n  b: ${a}\ninputs:\n  - read: csv\n    path: samples/书院路社区.csv\noutputs:\n  - write: csv\n    path: out/${a}.csv\n")
        let o = try taizhang(["run", "pipelines/loop.yml"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.contains("变量 ${a} 的值「${b}」里又引用了变量：vars 中的值不再展开"), "\(o.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: c.path("pipelines/out")) == [".gitignore"])
    }

    @Test func aShortUTF8FileWithABadByteIsReportedAsUTF8OnItsLine() throws {
        let c = try PipelinesCopy()
        let data = Data("姓名,性别,统战对象类别,所在社区\n张三,男,无党派人士,甲社区".utf8) + Data([0xFF, 0xFE, 0xC3, 0x28]) + Data("\n".utf8)
        try data.write(to: URL(fileURLWithPath: c.path("u.csv")))
        let o = try taizhang(["validate", "u.csv"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr.hasPrefix("u.csv:2: 错误: 第 2 行") && o.stderr.contains("按 UTF-8 无法解码的字节 FF FE"), "\(o.stderr)")
    }

    @Test func theTemplateIsAnXLSXByName() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["template", "--out", "t.csv"], cwd: c.dir)
        #expect(o.code == 2)
        #expect(o.stderr.contains("--out 应以 .xlsx 结尾"))
        #expect(!FileManager.default.fileExists(atPath: c.path("t.csv")))
    }

    @Test(arguments: [("format", "taizhang-return/2", "的格式是「taizhang-return/2」，merge 只汇总 taizhang-return/1"),
                      ("negative", "", "中有负数人数，报表已损坏或被改动"),
                      ("unit", "", "的填报单位名称为空或含控制字符")])
    func mergeRefusesReturnsThatCannotBeRight(_ what: String, _ value: String, _ words: String) throws {
        let c = try PipelinesCopy()
        #expect(try taizhang(["run", "pipelines/quarterly-return.yml"], cwd: c.dir).code == 1)
        var doc = try #require(try c.json("pipelines/out/2026Q3-统计表.json") as? [String: Any])
        switch what {
        case "format": doc["format"] = value
        case "negative":
            var rows = try #require(doc["rows"] as? [[String: Any]])
            var counts = try #require(rows[0]["counts"] as? [String: Any])
            counts["total"] = -5
            rows[0]["counts"] = counts
            doc["rows"] = rows
        default: doc["unit"] = ""
        }
        try JSONSerialization.data(withJSONObject: doc).write(to: URL(fileURLWithPath: c.path("bad.json")))
        let o = try taizhang(["merge", "bad.json", "--out", "m.json"], cwd: c.dir)
        #expect(o.code == 1)
        #expect(o.stderr.contains("bad.json " + words), "\(o.stderr)")
        #expect(!FileManager.default.fileExists(atPath: c.path("m.json")))
    }
}

extension HuntFindingsTests {
    /// What a new user met, pinned.
    @Test func freeTextKeepsItsChinesePunctuationAndLineBreaks() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/n.csv", "姓名,性别,统战对象类别,所在社区,备注\n张三,男,无党派人士,甲社区,\"民进会员，\n曾任区人大代表：是\"\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: n.csv\nsteps:\n  - normalize: member-ledger\noutputs:\n  - write: json\n    path: out/n.json\n")
        #expect(try taizhang(["run", "pipelines/p.yml"], cwd: c.dir).code == 0)
        let rows = try #require(try c.json("pipelines/out/n.json") as? [[String: Any]])
        #expect(rows.first?["备注"] as? String == "民进会员，\n曾任区人大代表：是")
    }

    @Test func validateCatchesOneIDForTwoPeopleAsTheReturnDoes() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["validate", "pipelines/samples/书院路社区.csv"], cwd: c.dir)
        #expect(o.stdout.contains("书院路社区.csv:8:E: 错误: [id-conflict] 「身份证号」（标准字段「公民身份号码」）身份证号与 pipelines/samples/书院路社区.csv 第 2 行相同"), "\(o.stdout)")
    }

    /// A person in two ledgers is counted once, with what either record says: the first file had
    /// no 学历 column, the second gives 研究生.
    @Test func aPersonsFiguresComeFromEveryRecordOfThem() throws {
        let c = try PipelinesCopy()
        c.write("pipelines/a.csv", "姓名,性别,身份证号,统战对象类别,所在社区\n周强,男,110105196912010018,民主党派成员,甲社区\n")
        c.write("pipelines/b.csv", "姓名,性别,身份证号,统战对象类别,所在社区,学历,政治面貌\n周强,男,110105196912010018,民主党派成员,甲社区,研究生,民进\n")
        c.write("pipelines/p.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: a.csv\n  - read: csv\n    path: b.csv\nsteps:\n  - normalize: member-ledger\n  - step: member-return\n    period: 2026Q3\noutputs:\n  - write: json-return\n    path: out/r.json\n")
        #expect(try taizhang(["run", "pipelines/p.yml"], cwd: c.dir).code == 0)
        let doc = try #require(try c.json("pipelines/out/r.json") as? [String: Any])
        let total = try #require((doc["rows"] as? [[String: Any]])?.first?["counts"] as? [String: Int])
        #expect(total["total"] == 1 && total["edu_postgraduate"] == 1 && total["edu_unknown"] == 0 && total["pol_democratic"] == 1, "\(total)")
    }

    @Test func mergeSaysAMissingReturnIsMissing() throws {
        let c = try PipelinesCopy()
        let o = try taizhang(["merge", "nowhere.json", "--out", "m.json"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr == "错误：文件不存在：nowhere.json\n")
    }
}

extension RightPlaceTests {
    /// Text after a closing quote is said as such, not as a quote never closed.
    @Test func textAfterAClosingQuoteIsSaidAsSuch() throws {
        let c = try PipelinesCopy()
        c.write("q.csv", "姓名,性别,统战对象类别,所在社区\n\"张伟\"x,男,无党派人士,甲社区\n李四,女,无党派人士,甲社区\n")
        let o = try taizhang(["validate", "q.csv"], cwd: c.dir)
        #expect(o.code == 3)
        #expect(o.stderr == "q.csv:2: 错误: 第 2 行：带引号的字段 \"张伟\" 后面紧跟着文字「x」，引号之外不能再有文字（之后的内容都被当成了这个字段）（把整个值放进一对双引号里，或去掉多余的引号）\n", "\(o.stderr)")
        c.write("u.csv", "姓名,备注\n张三,\"未闭合\n")
        #expect(try taizhang(["validate", "u.csv"], cwd: c.dir).stderr.contains("第 2 行开始的引号到文件末尾都没有闭合"), "a quote really never closed is still said so")
    }
}

/// An issue workbook of a large run stays within what Excel and memory allow.
@Suite struct LargeIssueWorkbookTests {
    /// 66,000 rows with a wrong phone each: the list links the first 65,530 issues to their cells
    /// (Excel's limit a sheet) and gives the rest as text, with no flood of warnings from the
    /// writer; the first 20,000 offending cells carry a comment, the rest only their colour.
    @Test func linksAndCommentsStopAtTheirLimits() throws {
        let c = try PipelinesCopy()
        var csv = "姓名,性别,出生日期,联系电话\n"
        for i in 0..<66_000 { csv += "人\(i),男,1980-01-01,12345\n" }
        c.write("pipelines/many.csv", csv)
        c.write("pipelines/many.yml", "schema: member-ledger\ninputs:\n  - read: csv\n    path: many.csv\nsteps:\n  - normalize: member-ledger\n  - validate: member-values\noutputs:\n  - write: issue-workbook\n    path: out/many.xlsx\n")
        let o = try taizhang(["run", "pipelines/many.yml"], cwd: c.dir)
        #expect(o.code == 0 && !o.stderr.contains("URL ignored"), "\(o.stderr.suffix(500))")
        let path = c.path("pipelines/out/many.xlsx")
        #expect(try XLSXPeek.links(path, sheet: 2).count == 65_530)
        let book = try XLSXPeek(path: path)
        #expect(book.comments.count == 20_000)
        let list = try #require(book.sheet("问题清单"))
        #expect(list["K66003"] == "问题行-many!D66001" && list["B66003"] == "phone-format", "\(list["K66003"] ?? "")")
    }
}
