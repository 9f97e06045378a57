import Foundation
import Testing
import TaizhangCore
@testable import TaizhangReaders

@Suite struct CSVReaderTests {
    let csv = CSVReaderPlugin.plugin

    /// Spaces and tabs around fields are data (the normaliser decides, and records, what to trim);
    /// libcsv would trim them, so the reader feeds those bytes with a space function that keeps them.
    @Test func spacesAndTabsAroundFieldsAreKept() throws {
        let s = Scratch()
        let p = s.file("a.csv", "姓名,备注\n  张三 ,\t区第一中学 教师\t\n李四,\"引号 \"  \n王五,x\n")
        let r = try readAll(p, with: csv)
        #expect(r.rows == [["  张三 ", "\t区第一中学 教师\t"], ["李四", "引号 "], ["王五", "x"]])
    }

    /// A row whose quoted field runs over a line break, begun just as a batch fills, stays whole in
    /// that batch (found by fuzzing: the next batch got the rest of the row's cells, and crashed).
    @Test func rowSpanningLinesAtABatchBoundary() throws {
        let s = Scratch()
        // Past the rows read while the header is looked for, so batches are being filled.
        let filler = (1...40).map { "n\($0),x" }
        let p = s.file("a.csv", "姓名,备注\n" + filler.joined(separator: "\n") + "\ne,\"f\ng\"\nh,i\n")
        for size in 1...8 {
            let r = try readAll(p, with: csv, batchSize: size)
            #expect(r.rows.count == 42 && r.rows[40] == ["e", "f\ng"] && r.rows[41] == ["h", "i"], "batch size \(size)")
            #expect(r.rowNumbers.suffix(2) == [42, 44])
        }
    }

    /// Rows read while the header is looked for go to the sink cell by cell; the rest whole, one
    /// copy a row. The same rows in both places read the same: values, skipped rows and reasons,
    /// issues (ragged rows, control characters, totals, blank lines, quotes, line ends).
    @Test func rowsReadWholeReadAsRowsReadCellByCell() throws {
        let rows = ["1,张三,x", "2,李四", "3,王五,y,多余", "4,赵六,,", "", ",,", "   ", "合计 3人", "填表人：张三",
                    "\u{1A}", "5,陈七,\u{01}备注", "6,周八,a\u{FFFE}b", "7,\"吴\n九\",\"说\"\"明\"", "8,郑十,z\r",
                    "9,钱一,\tt\t", "10,孙二,\"q\"  ", "11,冯三,,,\u{01}"]
        let filler = (100...140).map { "\($0),填充,f" }
        let text = "序号,姓名,备注\n" + rows.joined(separator: "\n") + "\n" + filler.joined(separator: "\n") + "\n" + rows.joined(separator: "\n") + "\n"
        let s = Scratch()
        let r = try readAll(s.file("a.csv", text), with: csv, batchSize: 1000)
        // Data rows: the first copy's, then the filler, then the second copy's.
        let n = (r.rows.count - filler.count) / 2
        #expect(n == 12)
        #expect(Array(r.rows[0..<n]) == Array(r.rows[(n + filler.count)...]))
        let lines = rows.map { $0.filter { $0 == "\n" }.count + 1 }.reduce(0, +) + filler.count
        func shifted(_ row: Int?) -> Int? { row.map { $0 > lines ? $0 - lines : $0 } }
        let firstHalf = 1 + rows.map { $0.filter { $0 == "\n" }.count + 1 }.reduce(0, +)
        let issues = r.issues.filter { ($0.origin.row ?? 0) <= firstHalf }.map { "\($0.code) \(shifted($0.origin.row) ?? 0) \($0.origin.column ?? "")" }
        let again = r.issues.filter { ($0.origin.row ?? 0) > firstHalf + filler.count }.map { "\($0.code) \(shifted($0.origin.row) ?? 0) \($0.origin.column ?? "")" }
        #expect(issues.count >= 5)
        #expect(issues.filter { !$0.hasPrefix("total-mismatch") } == again.filter { !$0.hasPrefix("total-mismatch") })
        let skipped = r.skipped.filter { ($0.origin.row ?? 0) <= firstHalf }.map { "\(shifted($0.origin.row) ?? 0) \($0.reason.zh)" }
        let skippedAgain = r.skipped.filter { ($0.origin.row ?? 0) > firstHalf + filler.count }.map { "\(shifted($0.origin.row) ?? 0) \($0.reason.zh)" }
        #expect(skipped == skippedAgain)
    }

    /// The decoder tells the reader which pieces of text (a megabyte each) held characters XML
    /// forbids, and a row of clean pieces is not looked at again; a row whose quoted field began
    /// pieces back, with the character at its start, is still cleaned and warned of.
    @Test func aControlCharacterPiecesBeforeItsRowEndsIsStillFound() throws {
        let long = String(repeating: "长", count: 1_200_000)   // 3.6 MB: the field spans four pieces
        let text = "姓名,备注\n张三,x\n李四,\"\u{01}" + long + "\"\n王五,y\n"
        let s = Scratch()
        let r = try readAll(s.file("a.csv", text), with: csv)
        #expect(r.rows.count == 3)
        #expect(r.rows[1][1] == long)
        #expect(r.issues.map(\.code) == ["control-character"])
        #expect(r.issues.first?.origin.row == 3)
    }

    /// A row of many more cells than the header is read cell by cell as libcsv gives them: the
    /// cells past the header are counted, not kept (a line of a million commas costs no memory).
    @Test func aRowFarWiderThanTheHeaderIsCountedNotKept() throws {
        let wide = "1,张三," + String(repeating: "x,", count: 200_000) + "y"
        let s = Scratch()
        // Past the rows read while the header is looked for (those are held whole, and a row
        // wider than max_columns there stops the read).
        let filler = (100...140).map { "\($0),填充,f\n" }.joined()
        let r = try readAll(s.file("a.csv", "序号,姓名,备注\n" + filler + wide + "\n2,李四,z\n"), with: csv)
        #expect(r.rows.suffix(2) == [["1", "张三", "x"], ["2", "李四", "z"]])
        let extra = try #require(r.issues.first { $0.code == "extra-cell" })
        #expect(extra.message.zh.contains("多出 200000 个单元格"))
        #expect(extra.value?.contains("另有") == true)
    }

    @Test func quotedNewlinesKeepLineNumbersOfTheRowStart() throws {
        let s = Scratch()
        let p = s.file("a.csv", "姓名,备注\n张三,\"第一行\n第二行\"\n李四,x\n")
        let r = try readAll(p, with: csv)
        #expect(r.rows == [["张三", "第一行\n第二行"], ["李四", "x"]])
        #expect(r.rowNumbers == [2, 4])
    }

    @Test func blankRowsAreSkippedWithAReasonAndCounted() throws {
        let s = Scratch()
        let p = s.file("a.csv", "\n姓名,性别\n张三,男\n\n,,\r\n李四,女\n")
        let r = try readAll(p, with: csv)
        #expect(r.rows.count == 2)
        #expect(r.skipped.map { $0.origin.row } == [1, 4, 5])
        #expect(r.skipped.allSatisfy { $0.reason.zh == "空行" })
        #expect(r.read == r.rows.count + r.skipped.count)
    }

    @Test func spacesAroundUnquotedFieldsAreKept() throws {
        let s = Scratch()
        let r = try readAll(s.file("a.csv", "a\tb\n x \t y\n"), with: csv, options: ["delimiter": "tab"])
        #expect(r.rows == [[" x ", " y"]])
    }

    @Test(arguments: [("a,b,c\n1,2,3\n", ","), ("a\tb\tc\n1\t2\t3\n", "\t"), ("a;b;c\n1;2,5;3\n", ";"), ("a|b\n1|2\n", "|")])
    func delimiterIsSniffed(_ text: String, _ delimiter: String) throws {
        let s = Scratch()
        let r = try readAll(s.file("a.csv", text), with: csv)
        #expect(r.header.count == (delimiter == "|" ? 2 : 3), "delimiter \(delimiter)")
    }

    @Test func utf8BOMIsStripped() throws {
        let s = Scratch()
        let r = try readAll(s.file("a.csv", [0xEF, 0xBB, 0xBF] + Array("姓名\n张三\n".utf8)), with: csv)
        #expect(r.header == ["姓名"])
    }

    @Test(arguments: ["gb18030", "auto"])
    func gb18030IsDecoded(_ encoding: String) throws {
        let s = Scratch()
        let text = "姓名,民族,类别\n欧阳娜娜,维吾尔族,少数民族人士\n李娜,汉族,党外知识分子\n"
        let bytes = try #require(text.data(using: String.Encoding(rawValue: 0x80000632)))
        let r = try readAll(s.file("gb.csv", Array(bytes)), with: csv, options: ["encoding": encoding])
        #expect(r.header == ["姓名", "民族", "类别"])
        #expect(r.rows[0] == ["欧阳娜娜", "维吾尔族", "少数民族人士"])
    }

    @Test func big5IsDecoded() throws {
        let s = Scratch()
        let text = "姓名,類別\n陳大文,臺灣同胞\n"
        let bytes = try #require(text.data(using: String.Encoding(rawValue: 0x80000A03)))
        let r = try readAll(s.file("b5.csv", Array(bytes)), with: csv, options: ["encoding": "big5"])
        #expect(r.rows == [["陳大文", "臺灣同胞"]])
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let s = Scratch()
        let p = s.file("bad.csv", Array("姓名,性别\n张三,男\n".utf8) + [0xC4, 0xE3, 0x2C, 0x41, 0x0A])
        let e = #expect(throws: SourceError.self) { try readAll(p, with: csv, options: ["encoding": "utf-8"]) }
        #expect(e?.origin.row == 3)
        #expect(e?.message.zh.contains("第 3 行") == true)
        #expect(e?.suggestion?.zh.contains("encoding") == true)
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() throws {
        let s = Scratch()
        let p = s.file("q.csv", "姓名,备注\n张三,ok\n李四,\"没有闭合\n王五,x\n")
        let e = #expect(throws: SourceError.self) { try readAll(p, with: csv) }
        #expect(e?.origin.row == 3)
        #expect(e?.message.zh.contains("引号") == true)
    }

    @Test func hundredMegabyteFieldIsRefusedWithoutReadingItAll() throws {
        let s = Scratch()
        var bytes = Array("姓名,备注\n张三,\"".utf8)
        bytes += [UInt8](repeating: 0x61, count: 100 << 20)
        bytes += Array("\"\n".utf8)
        let p = s.file("big.csv", bytes)
        let e = #expect(throws: SourceError.self) { try readAll(p, with: csv) }
        #expect(e?.origin.row == 2)
        #expect(e?.message.en.contains("larger than 16 MB") == true)
    }

    @Test func emptyFileIsAnErrorIssue() throws {
        let s = Scratch()
        let r = try readAll(s.file("e.csv", ""), with: csv)
        #expect(r.rows.isEmpty)
        #expect(r.issues.map(\.code) == ["empty-file"])
        #expect(r.issues.first?.severity == .error)
    }

    @Test func headerOnlyFileIsAWarning() throws {
        let s = Scratch()
        let r = try readAll(s.file("h.csv", "姓名,性别\n"), with: csv)
        #expect(r.header == ["姓名", "性别"])
        #expect(r.rows.isEmpty)
        #expect(r.issues.map(\.code) == ["no-data"])
    }

    @Test func raggedRowsAreReported() throws {
        let s = Scratch()
        let r = try readAll(s.file("r.csv", "a,b,c\n1,2\n1,2,3,4\n1,2,3,,\n"), with: csv)
        #expect(r.rows.count == 3)
        let codes = r.issues.map { "\($0.code)@\($0.origin.row ?? 0)" }
        #expect(codes == ["missing-cell@2", "extra-cell@3"])
        let extra = try #require(r.issues.first { $0.code == "extra-cell" })
        #expect(extra.severity == .error)
        #expect(extra.value == "4")
        #expect(extra.origin.column == "D")
    }

    @Test func headerRowOptionSkipsTitleRows() throws {
        let s = Scratch()
        let r = try readAll(s.file("t.csv", "书院路社区统战对象台账\n填报日期：2026-09-30\n姓名,性别\n张三,男\n"), with: csv, options: ["header_row": "3"])
        #expect(r.header == ["姓名", "性别"])
        #expect(r.rows == [["张三", "男"]])
        #expect(r.skipped.map { $0.origin.row } == [1, 2])
        #expect(r.read == 3)
    }

    @Test func rowsSpanningManyBatchesAreAllRead() throws {
        let s = Scratch()
        var text = "n,v\n"
        for i in 1...1000 { text += "\(i),\"x\(i)\"\n" }
        let r = try readAll(s.file("m.csv", text), with: csv)
        #expect(r.rows.count == 1000)
        #expect(r.rows.last == ["1000", "x1000"])
        #expect(r.rowNumbers.last == 1001)
    }
}

/// The validator's fast path for runs of three-byte sequences must stop exactly where the text
/// stops being UTF-8, like the byte-by-byte path (and Swift's own decoder) do.
@Suite struct UTF8ValidatorTests {
    static func swiftPrefix(_ bytes: [UInt8]) -> Int {
        // The longest prefix Swift decodes without repair.
        var best = 0
        for k in stride(from: bytes.count, through: 0, by: -1) where String(validating: bytes[0..<k], as: UTF8.self) != nil {
            best = k
            break
        }
        return best
    }

    static let zw: [UInt8] = Array("张伟".utf8)
    static let cases: [[UInt8]] = {
        var c: [[UInt8]] = []
        c.append(Array("张伟李娜abc".utf8))
        c.append(zw + [0xE4, 0x41])
        c.append(zw + [0xE4, 0xB8])
        c.append(zw + [0xED, 0xA0, 0x80])
        c.append(zw + [0xE0, 0x80, 0x80])
        c.append(Array("汉字".utf8) + [0xF0, 0x9F, 0x98, 0x80] + Array("字".utf8))
        c.append([0xE4, 0xB8, 0xAD, 0xFF])
        c.append(Array("ＡＢＣ１２３".utf8) + [0xC0, 0xAF])
        c.append([UInt8](repeating: 0, count: 0) + Array(String(repeating: "中", count: 100).utf8) + [0x80])
        return c
    }()

    @Test(arguments: cases)
    func stopsWhereTheTextStopsBeingUTF8(_ bytes: [UInt8]) {
        let n = bytes.withUnsafeBytes { UTF8Validator.validPrefixLength($0) }
        #expect(n == Self.swiftPrefix(bytes))
    }

    /// The scan checks eight bytes at a time: pieces of every kind (ASCII, line ends, controls,
    /// CJK, full-width forms, U+FFFE/U+FFFF, two- and four-byte forms, E0/ED forms, broken and
    /// cut-off sequences) strung at random, so sequences fall across the words' edges. Its valid
    /// prefix is Swift's, its line count and forbidden flag those of that prefix counted plainly.
    @Test func scanAgreesWithSwiftsDecoderOnRandomText() {
        let pieces: [[UInt8]] = [Array("a1,".utf8), [0x0A], [0x0D, 0x0A], [0x09], [0x01], [0x1A], Array("张".utf8), Array("伟李".utf8),
                                 Array("，（".utf8), [0xEF, 0xBF, 0xBE], [0xEF, 0xBF, 0xBF], [0xEF, 0xBF, 0xBD], Array("é·".utf8),
                                 [0xF0, 0x9F, 0x98, 0x80], [0xE0, 0xA4, 0x85], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
                                 [0xE0, 0x80, 0x80], [0xE4, 0xB8], [0x80], [0xFF], [0xC0, 0xAF], Array("2026-03-05 ".utf8)]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(truncatingIfNeeded: seed >> 33) }
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            let count = next() % 12
            for _ in 0..<count {
                // Mostly text that is valid, so the scan runs long before it stops.
                let k = next() % 100 < 85 ? next() % 13 : next() % pieces.count
                bytes += pieces[k]
            }
            let scan = bytes.withUnsafeBytes { UTF8Validator.scan($0) }
            let valid = Self.swiftPrefix(bytes)
            let prefix = Array(bytes[..<valid])
            #expect(scan.valid == valid, "\(bytes)")
            #expect(scan.lines == prefix.filter { $0 == 0x0A }.count, "\(bytes)")
            #expect(scan.forbidden == prefix.withUnsafeBytes { XMLForbidden.contains($0) }, "\(bytes)")
        }
    }
}
