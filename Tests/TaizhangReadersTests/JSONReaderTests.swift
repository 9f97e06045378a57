import Foundation
import Testing
import TaizhangCore
@testable import TaizhangReaders

@Suite struct JSONReaderTests {
    let json = JSONReaderPlugin.plugin

    @Test func arrayOfObjectsWithUnionOfKeysAndExactNumbers() throws {
        let s = Scratch()
        let p = s.file("a.json", """
        [
          {"姓名": "张三", "身份证号": 110105198503120012, "党员": false},
          {"姓名": "李四", "电话": "138\\u0030", "备注": null, "标签": ["a", 1]}
        ]
        """)
        let r = try readAll(p, with: json)
        #expect(r.header == ["姓名", "身份证号", "党员", "电话", "备注", "标签"])
        #expect(r.rows[0] == ["张三", "110105198503120012", "false", "", "", ""])
        #expect(r.rows[1] == ["李四", "", "", "1380", "", "[\"a\", 1]"])
        #expect(r.rowNumbers == [2, 3])
    }

    @Test func jsonLinesByExtension() throws {
        let s = Scratch()
        let r = try readAll(s.file("a.jsonl", "{\"a\":1}\n\n{\"a\":2,\"b\":\"x\"}\n"), with: json)
        #expect(r.rows == [["1", ""], ["2", "x"]])
        #expect(r.rowNumbers == [1, 3])
    }

    @Test func syntaxErrorNamesLineAndColumn() throws {
        let s = Scratch()
        let p = s.file("bad.json", "[\n {\"a\": 1},\n {\"a\": 2,}\n]")
        let e = #expect(throws: SourceError.self) { try readAll(p, with: json) }
        #expect(e?.origin.row == 3)
        #expect(e?.message.zh.contains("第 3 行") == true)
    }

    /// A JSON Lines record left open on line 50,001 is that line's error, not the line where
    /// the scanner finally gave up.
    @Test func aJSONLinesRecordLeftOpenIsBlamedOnItsOwnLine() throws {
        let s = Scratch()
        var text = String(repeating: "{\"姓名\": \"张三\"}\n", count: 50_000)
        text += "{\"姓名\": \"李四\", \n{\"姓名\": \"王五\"}\n\n"
        let e = #expect(throws: SourceError.self) { try readAll(s.file("a.jsonl", text), with: json) }
        #expect(e?.origin.row == 50_001)
        #expect(e?.message.zh.hasPrefix("JSON 语法错误：第 50001 行的记录没有在本行结束") == true, "\(e?.message.zh ?? "")")
        let bad = s.file("b.jsonl", String(repeating: "{\"a\": 1}\n", count: 50_000) + "{\"a\": 坏}\n")
        let e2 = #expect(throws: SourceError.self) { try readAll(bad, with: json) }
        #expect(e2?.origin.row == 50_001)
        #expect(e2?.message.zh.contains("第 50001 行第 7 列") == true, "\(e2?.message.zh ?? "")")
    }

    @Test func nonObjectRecordsAreQuarantinedNotLost() throws {
        let s = Scratch()
        let r = try readAll(s.file("n.json", "[{\"a\":1}, 42, \"x\"]"), with: json)
        #expect(r.rows.count == 3)
        let bad = r.issues.filter { $0.code == "not-an-object" }
        #expect(bad.count == 2)
        #expect(bad.map(\.value) == ["42", "\"x\""])
        #expect(bad.allSatisfy { $0.severity == .error })
    }

    @Test func deepNestingIsRefused() throws {
        let s = Scratch()
        let p = s.file("deep.json", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        let e = #expect(throws: SourceError.self) { try readAll(p, with: json) }
        #expect(e?.message.en.contains("nesting") == true)
    }
}
