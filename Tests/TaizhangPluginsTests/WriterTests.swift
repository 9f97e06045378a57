import Foundation
import Testing
import TaizhangCore

@Suite struct WriterTests {
    @Test func csvQuotesEscapesAndDefusesFormulas() throws {
        let w = Workspace()
        w.write("a.json", #"[{"姓名": "=HYPERLINK(\"x\")", "备注": "a,b", "说明": "他说\"好\"", "空格": " x", "数": "-5", "换行": "1\n2"}]"#)
        _ = try w.run("inputs:\n  - read: json\n    path: a.json\noutputs:\n  - write: csv\n    path: out/x.csv\n")
        let text = try #require(w.read("out/x.csv"))
        #expect(text.hasPrefix("\u{FEFF}"))     // BOM for Excel
        let body = text.dropFirst()
        #expect(body == "姓名,备注,说明,空格,数,换行\n\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",\"他说\"\"好\"\"\",\" x\",\"'-5\",\"1\n2\"\n")
    }

    @Test func jsonLinesAndEscapes() throws {
        let w = Workspace()
        w.write("a.csv", "a,b\n\"x\"\"y\",\"t\tz\"\n")
        _ = try w.run("inputs:\n  - read: csv\n    path: a.csv\noutputs:\n  - write: json\n    path: out/x.jsonl\n    format: lines\n")
        #expect(w.read("out/x.jsonl") == "{\"a\":\"x\\\"y\",\"b\":\"t\\tz\"}\n")
    }

    @Test func emptyInputGivesAValidEmptyArray() throws {
        let w = Workspace()
        w.write("a.csv", "a\n")
        _ = try w.run("inputs:\n  - read: csv\n    path: a.csv\noutputs:\n  - write: json\n    path: out/x.json\n")
        #expect(try w.json("out/x.json") as? [Any] != nil)
        #expect(w.read("out/x.json") == "[]\n")
    }
}
