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
