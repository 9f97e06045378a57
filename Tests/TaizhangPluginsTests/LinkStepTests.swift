import Foundation
import Testing
import TaizhangCore
import TaizhangTestSupport
@testable import TaizhangLinkage
import TaizhangWriters

/// `step: link` on lists made here with known repeats: every repeat is found and linked to its own
/// original, people who only share a name are not, and the answer is explained column by column.
@Suite struct LinkStepTests {
    @Test(arguments: [("martha", "marhta", 0.961), ("dwayne", "duane", 0.840), ("dixon", "dicksonx", 0.813), ("abc", "xyz", 0.0)])
    func jaroWinklerHasItsTextbookValues(_ a: String, _ b: String, _ expected: Double) {
        let s = StringMetrics.jaroWinkler(LinkStep.normalized(a), LinkStep.normalized(b))
        #expect(abs(s - expected) < 0.001, "\(a)/\(b): \(s)")
    }

    @Test func editsCountATranspositionOnceAndStopEarly() {
        func e(_ a: String, _ b: String) -> Int { StringMetrics.edits(LinkStep.normalized(a), LinkStep.normalized(b), atMost: 2) }
        #expect(e("1234567", "1243567") == 1)
        #expect(e("1234567", "1234597") == 1)
        #expect(e("1234567", "1234") == 3)
        #expect(e("1234567", "7654321") == 3)
        #expect(e("", "12") == 2)
        #expect(LinkStep.normalized("  Wallaby   Place ") == LinkStep.normalized("wallaby place"))
    }

    /// People with random names (so some share one), and later copies of some of them with one or
    /// two slips each: a letter changed, two swapped, a digit off, a field left empty.
    struct Made {
        var header = "given_name,surname,street_number,address,suburb,postcode,date_of_birth,soc_sec_id"
        var originals: [[String]] = []
        var copies: [(of: Int, row: [String])] = []
    }

    static func make(people: Int, copies: Int, seed: UInt64) -> Made {
        var rng = SplitMix(seed: seed)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(rng.next() % 10)) }) }
        let given = ["james", "mary", "john", "linda", "robert", "susan", "michael", "karen", "william", "lisa", "david", "nancy", "joseph", "betty", "thomas", "sandra"]
        let surname = ["smith", "jones", "taylor", "brown", "wilson", "johnson", "white", "martin", "anderson", "thompson", "nguyen", "walker"]
        let streets = ["wallaby place", "edkins street", "light street", "pridham street", "main road", "church street", "george street", "king street"]
        let suburbs = ["cleveland", "marsden", "windermere", "north ryde", "pinehill", "delmar", "milton", "kellerberrin"]
        var m = Made()
        for _ in 0..<people {
            let dob = "19\(String(format: "%02d", 20 + Int(rng.next() % 80)))\(String(format: "%02d", 1 + Int(rng.next() % 12)))\(String(format: "%02d", 1 + Int(rng.next() % 28)))"
            m.originals.append([pick(given), pick(surname), String(1 + rng.next() % 200), pick(streets), pick(suburbs), "2" + digits(3), dob, digits(7)])
        }
        for k in 0..<copies {
            let of = (k * 7) % people
            var row = m.originals[of]
            for _ in 0..<(1 + Int(rng.next() % 2)) {
                let f = Int(rng.next() % UInt64(row.count))
                var chars = Array(row[f])
                switch rng.next() % 3 {
                case 0 where chars.count > 2:
                    let i = Int(rng.next() % UInt64(chars.count - 1))
                    chars.swapAt(i, i + 1)
                case 1 where !chars.isEmpty:
                    let i = Int(rng.next() % UInt64(chars.count))
                    chars[i] = chars[i].isNumber ? Character(String((Int(String(chars[i]))! + 1) % 10)) : "x"
                default:
                    chars = []
                }
                row[f] = String(chars)
            }
            m.copies.append((of, row))
        }
        return m
    }

    /// The (row → first row) links the run reported, by row number in the file.
    func links(_ w: Workspace, code: String = "duplicate-person") throws -> [Int: (file: String, row: Int)] {
        let report = try w.json("out/r.json") as! [String: Any]
        var out: [Int: (String, Int)] = [:]
        for i in report["issues"] as! [[String: Any]] where i["code"] as? String == code {
            let msg = i["message"] as! String
            let m = try #require(msg.firstMatch(of: /与 (\S+) 第 (\d+) 行/))
            out[i["row"] as! Int] = (String(m.1), Int(m.2)!)
        }
        return out
    }

    let compare = """
        compare:
          given_name: name
          surname: name
          street_number: code
          address: text
          suburb: text
          postcode: code
          date_of_birth: date
          soc_sec_id: code
    """

    /// A list as CSV text.
    static func csv(_ header: String, _ rows: [[String]]) -> String {
        ([header] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    /// Runs `step: link` (with `compare` above and `options`) over CSV `inputs`, writing out/r.json
    /// and any `outputs` given (YAML list items).
    func runLink(_ w: Workspace, inputs: [String], options: [String] = [], outputs: String = "") throws -> RunResult {
        var yaml = "name: t\ninputs:\n"
        for i in inputs { yaml += "  - read: csv\n    path: \(i)\n" }
        yaml += "steps:\n  - step: link\n" + options.map { "    \($0)\n" }.joined() + compare + "\n"
        yaml += "outputs:\n  - write: json-report\n    path: out/r.json\n" + outputs
        return try w.run(yaml)
    }

    @Test func findsEveryRepeatOfOneListAndNoHomonym() throws {
        let made = Self.make(people: 300, copies: 60, seed: 7)
        let rows = made.originals + made.copies.map(\.row)
        #expect(Set(made.originals.map { $0[0] + $0[1] }).count < 300, "the list has people who share a name")
        let w = Workspace()
        w.write("list.csv", Self.csv(made.header, rows))
        let result = try runLink(w, inputs: ["list.csv"])
        let found = try links(w)
        // Row numbers: header is row 1, original k is row k + 2, copy j is row 302 + j.
        var expected: [Int: Int] = [:]
        for (j, c) in made.copies.enumerated() {
            // A copy of a person copied before links to the first record of that person: the original.
            expected[302 + j] = c.of + 2
        }
        #expect(found.count == expected.count)
        for (row, first) in expected { #expect(found[row]?.row == first, "row \(row): \(String(describing: found[row]))") }
        #expect(result.summary.accepted == rows.count, "flag keeps every record")
    }

    @Test func keepFirstQuarantinesTheRepeatsAndExplainsWhy() throws {
        let made = Self.make(people: 200, copies: 30, seed: 11)
        let w = Workspace()
        w.write("list.csv", Self.csv(made.header, made.originals + made.copies.map(\.row)))
        let result = try runLink(w, inputs: ["list.csv"], options: ["policy: keep-first"])
        #expect(result.summary.accepted == 200 && result.summary.quarantined == 30)
        let report = try w.json("out/r.json") as! [String: Any]
        let issues = report["issues"] as! [[String: Any]]
        let first = try #require(issues.first { $0["code"] as? String == "duplicate-person" })
        #expect(first["severity"] as? String == "error")
        let msg = first["message"] as! String
        #expect(msg.contains("匹配概率") && msg.contains("date_of_birth") && msg.contains("soc_sec_id"), "\(msg)")
        let model = try #require(issues.first { $0["code"] as? String == "link-model" })
        #expect((model["message"] as! String).contains("重复记录 30"))
    }

    @Test func linksTwoListsOneToOne() throws {
        let made = Self.make(people: 250, copies: 250, seed: 3)
        // b holds one copy of each of a's first 250 people, shuffled: copy k is of person (7k mod 250).
        let w = Workspace()
        w.write("a.csv", Self.csv(made.header, made.originals))
        w.write("b.csv", Self.csv(made.header, made.copies.map(\.row)))
        _ = try runLink(w, inputs: ["a.csv", "b.csv"], options: ["one_to_one: true"])
        let found = try links(w)
        let right = made.copies.enumerated().filter { found[$0.offset + 2]?.row == $0.element.of + 2 && found[$0.offset + 2]?.file == "a.csv" }.count
        #expect(right >= 248 && found.count <= 250, "\(right) of 250 right, \(found.count) links")
    }

    @Test func unknownColumnsAndKindsAreSaidWithASuggestion() throws {
        let w = Workspace()
        w.write("list.csv", "given_name,surname\na,b\n")
        var text = ""
        do {
            _ = try w.run("""
            name: t
            inputs:
              - read: csv
                path: list.csv
            steps:
              - step: link
                compare:
                  given_nmae: name
                  surname: soundex
            outputs:
              - write: json-report
                path: out/r.json
            """)
            Issue.record("the run should not start")
        } catch let d as Diagnostics {
            text = d.items.map { $0.message.zh + ($0.suggestion?.zh ?? "") }.joined(separator: "\n")
        }
        #expect(text.contains("没有列「given_nmae」") && text.contains("是不是「given_name」"), "\(text)")
        #expect(text.contains("比较方式「soundex」未知"), "\(text)")
        #expect(!w.exists("out/r.json"))
    }
}

extension LinkStepTests {
    /// Many pairs to review: page breaks every 15 pairs, so a pair's two records print on one page.
    @Test func reviewSheetBreaksPagesBetweenPairs() throws {
        let w = Workspace()
        let path = w.dir.appendingPathComponent("review.xlsx").path
        let plugin = ReviewWorkbookWriterPlugin.plugin
        let schema = Schema(name: "t", fields: [Field(name: "姓名")])
        let writer = try plugin.make(path, try Options.yaml("path: '\(path)'\n", spec: plugin.spec, baseDirectory: w.dir.path), Layout(schema: schema), PluginContext(schema: schema))
        var summary = RunSummary(pipeline: "t")
        let pairs = (0..<40).map { k in
            ReviewSet.Pair(key: "k\(k)", score: 5, reasons: Message(zh: "姓名相同", en: "same name"),
                           left: .init(origin: Origin(file: "a.csv", row: 2 + k), values: ["张\(k)"]),
                           right: .init(origin: Origin(file: "a.csv", row: 100 + k), values: ["张\(k)"]))
        }
        summary.reviews = [ReviewSet(title: Message(zh: "疑似重复记录", en: "possible duplicates"), fields: ["姓名"], pairs: pairs, words: .chinese)]
        _ = try OutputSet.commit(try writer.finish(summary))
        let xml = try #require(try XLSXPeek.part(path, "xl/worksheets/sheet1.xml"))
        // Rows are 0-based in libxlsxwriter: breaks after the 15th and 30th pairs (rows 31 and 61).
        #expect(xml.contains("<rowBreaks count=\"2\"") && xml.contains("<brk id=\"31\"") && xml.contains("<brk id=\"61\""), "\(xml.suffix(600))")
    }

    /// A pair sent to review, decided 是 in the filled sheet, is one record on the next run; 否 keeps
    /// it apart and out of review.
    @Test(arguments: ["是", "否"])
    func reviewDecisionsApplyOnTheNextRun(_ answer: String) throws {
        let made = Self.make(people: 120, copies: 10, seed: 5)
        // The first person's name and nothing else: the model cannot be sure either way.
        var doubtful = made.originals[0]
        for k in 2..<doubtful.count { doubtful[k] = "" }
        let w = Workspace()
        w.write("list.csv", Self.csv(made.header, made.originals + made.copies.map(\.row) + [doubtful]))
        func run(_ extra: [String]) throws -> [[String: Any]] {
            _ = try runLink(w, inputs: ["list.csv"], options: ["threshold: 99", "review_threshold: 1"] + extra,
                            outputs: "  - write: review-workbook\n    path: out/review.xlsx\n")
            return (try w.json("out/r.json") as! [String: Any])["issues"] as! [[String: Any]]
        }
        let before = try run([])
        let sheet = try #require(try XLSXPeek(path: w.dir.appendingPathComponent("out/review.xlsx").path).sheets.first)
        func column(_ header: String) -> String? {
            sheet.values.first { $0.value == header && $0.key.drop(while: { $0.isLetter }) == "1" }.map { String($0.key.prefix(while: { $0.isLetter })) }
        }
        let keyColumn = try #require(column("配对键"), "\(sheet.name) \(sheet.values.filter { $0.key.hasSuffix("1") })"), sourceColumn = try #require(column("来源"))
        let key = try #require(sheet[keyColumn + "2"])
        let left = try #require(sheet[sourceColumn + "2"]), right = try #require(sheet[sourceColumn + "3"])   // "list.csv:N"
        let row = Int(right.split(separator: ":").last!)!
        #expect(before.contains { $0["code"] as? String == "possible-duplicate" && $0["row"] as? Int == row })
        w.write("decisions.csv", "配对键,决定\n\(key),\(answer)\n")
        let after = try run(["decisions: decisions.csv"])
        let linked = after.first { $0["code"] as? String == "duplicate-person" && $0["row"] as? Int == row }
        let reviewed = after.contains { $0["code"] as? String == "possible-duplicate" && $0["row"] as? Int == row && ($0["message"] as! String).contains("第 \(left.split(separator: ":").last!) 行") }
        if answer == "是" {
            #expect((linked?["message"] as? String)?.contains("复核确认为同一记录") == true, "\(String(describing: linked))")
        } else {
            #expect(linked == nil && !reviewed)
        }
    }
}
