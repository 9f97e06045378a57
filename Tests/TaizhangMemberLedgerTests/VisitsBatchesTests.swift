import Foundation
import Testing
import TaizhangCore

/// `step: visits` links each batch of visits on a thread of its own while the batch before is
/// checked and counted, and absorbs the ledger as its rows are kept (`KeptRows.observe`): read a
/// row a batch or all in one, a ledger and a log give the same return, the same to-do list and
/// the same issues in the same order.
@Suite(.serialized) struct VisitsBatchesTests {
    /// 240 members in three communities (homonyms among them, a number listed twice, a row with an
    /// error) and 900 visits: by ID number, by name, in traditional characters, of no one, twice.
    static let files: [String: String] = {
        var rng = SplitMix(seed: 7)
        let surnames = Array("王李张刘陈杨黄赵"), given = Array("伟芳娜敏静丽强磊军洋")
        let communities = ["书院路社区", "和平里社区", "东四社区"]
        var members = ["姓名,性别,出生日期,身份证号,统战对象类别,所在社区,人员状态,状态日期,联系人,困难情况"]
        var people: [(name: String, id: String, community: String)] = []
        for k in 0..<240 {
            let name = String(surnames[rng.next(8)]) + String(given[rng.next(10)])
            let (month, day) = (1 + k % 12, 1 + k % 28)
            let body = String(format: "1101051980%02d%02d%03d", month, day, k)
            let id = k % 3 == 0 ? "" : body + checkDigit(body)
            let community = communities[rng.next(3)]
            let status = k % 40 == 0 ? "死亡,2026-06-01" : k % 45 == 0 ? "迁出,2026-05-01" : "在册,"
            let sex = k % 2 == 1 ? "男" : "女"   // the number's 17th digit: odd for a man
            let birth = String(format: "1980-%02d-%02d", month, day)
            members.append("\(name),\(k == 7 ? "不详x" : sex),\(birth),\(id),党外知识分子,\(community),\(status),联络员\(rng.next(5)),\(k % 9 == 0 ? "生活困难" : "")")
            people.append((name, id, community))
        }
        members.append("\(people[4].name),女,1980-05-05,\(people[4].id),党外知识分子,\(communities[0]),在册,,联络员1,")   // listed again
        var visits = ["走访日期,被走访人,身份证号,所在社区,走访人,走访事由,反映问题,办理情况"]
        let reasons = ["定期走访", "节日慰问", "生病住院", "有困难", "发生死亡", "例行走访", "看看"]
        for v in 0..<900 {
            let p = people[rng.next(people.count)]
            let name = v % 11 == 0 ? p.name.replacingOccurrences(of: "张", with: "張").replacingOccurrences(of: "刘", with: "劉") : v % 97 == 0 ? "某某" : p.name
            let date = v % 5 == 0 ? "2026.\(1 + rng.next(9)).\(1 + rng.next(28))" : String(format: "2026-%02d-%02d", 1 + rng.next(9), 1 + rng.next(28))
            let request = v % 7 == 0 ? "反映问题,\(["办结", "办理中", "未办理"][rng.next(3)])" : ","
            let line = "\(date),\(name),\(v % 2 == 0 ? p.id : ""),\(p.community),联络员\(rng.next(5)),\(reasons[rng.next(reasons.count)]),\(request)"
            visits.append(line)
            if v % 50 == 0 { visits.append(line) }   // a visit written twice
        }
        return ["samples/走访/书院路社区台账.csv": members.joined(separator: "\n") + "\n", "samples/走访/走访记录2026.csv": visits.joined(separator: "\n") + "\n"]
    }()

    /// The issues of the visit log, and those the step raises of the ledger's persons at the end
    /// (the ledger's own steps order theirs by batch: not this step's to keep).
    static func lines(_ r: SampleRun) -> [String] {
        let ofTheStep: Set = ["visit-coverage", "difficulty-not-visited", "death-without-visit", "no-liaison"]
        return r.result.issues.filter { $0.origin.file.hasSuffix("走访记录2026.csv") || ofTheStep.contains($0.code) }.map { $0.line(.en) }
    }

    static func form(_ r: SampleRun) throws -> String {
        let doc = try r.json("out/2026Q3-走访/联系走访情况统计表.json")
        return String(decoding: try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func aRowABatchGivesWhatOneBatchGives() throws {
        let one = try SampleRun("visits-return.yml", batchSize: 1, files: Self.files)
        let some = try SampleRun("visits-return.yml", batchSize: 7, files: Self.files)
        let all = try SampleRun("visits-return.yml", batchSize: 100_000, files: Self.files)
        let lines = Self.lines, form = Self.form
        let codes = Set(all.result.issues.map(\.code))
        // The log reaches the paths that matter: found by number and by name, in traditional
        // characters, no one of the name, a visit twice, a death and its visit.
        for code in ["visit-unlinked", "visit-repeated", "visit-coverage", "unknown-visit-reason"] { #expect(codes.contains(code), "\(code)") }
        #expect(lines(one) == lines(all))
        #expect(lines(some) == lines(all))
        #expect(try form(one) == form(all))
        #expect(try form(some) == form(all))
        #expect(one.result.summary.accepted == all.result.summary.accepted && one.result.summary.quarantined == all.result.summary.quarantined)
    }

    /// The log is read, normalised and checked field by field while the ledger streams, up to a
    /// budget, and read on from there when its turn comes: with no read-ahead, a budget of one
    /// byte (a batch ahead, then a wait), or all of it ahead, the same issues in the same order,
    /// the same return and the same counts.
    @Test(arguments: [(1, 0), (1, 1), (1, 1 << 30), (7, 1), (7, 1 << 30)])
    func readingTheLogAheadChangesNothing(_ batchSize: Int, _ readAhead: Int) throws {
        let reference = try SampleRun("visits-return.yml", batchSize: 100_000, readAhead: 0, files: Self.files)
        let run = try SampleRun("visits-return.yml", batchSize: batchSize, readAhead: readAhead, files: Self.files)
        #expect(Self.lines(run) == Self.lines(reference))
        #expect(try Self.form(run) == Self.form(reference))
        #expect(run.result.summary.sources.map { [$0.read, $0.accepted, $0.quarantined, $0.skipped] } == reference.result.summary.sources.map { [$0.read, $0.accepted, $0.quarantined, $0.skipped] })
        #expect(run.result.summary.changeCounts == reference.result.summary.changeCounts)
    }

    /// The issues a step raises at the end, one per person, are all counted and all reach the
    /// writers; the result keeps for the screen as many of rows as it keeps of a table's batches
    /// (the first, in row order), and every one about the whole run.
    @Test func issuesOfPersonsAreKeptForTheScreenAsABatchsAre() throws {
        let all = try SampleRun("visits-return.yml", batchSize: 7, files: Self.files)
        let few = try SampleRun("visits-return.yml", batchSize: 7, keepIssues: 2, files: Self.files)
        let ofTheStep: Set = ["visit-coverage", "difficulty-not-visited", "death-without-visit", "no-liaison"]
        let everyOne = all.result.issues.filter { ofTheStep.contains($0.code) }.map { $0.line(.en) }
        #expect(everyOne.count > 2)
        #expect(few.result.issues.filter { ofTheStep.contains($0.code) }.map { $0.line(.en) } == Array(everyOne.prefix(2)))
        #expect(few.result.summary.issueCounts == all.result.summary.issueCounts)
        #expect(few.result.summary.runIssues.map { $0.line(.en) } == all.result.summary.runIssues.map { $0.line(.en) })
        #expect(few.result.summary.runIssues.filter { ofTheStep.contains($0.code) }.count == everyOne.count)
        // An issue about the whole run (a community without its previous ledger) is kept whatever the limit.
        let quarterly = try SampleRun("quarterly-return.yml", keepIssues: 0)
        let ofTheRun = quarterly.result.issues.filter { $0.origin.row == nil }
        #expect(ofTheRun.map(\.code).contains("previous-missing"))
        #expect(quarterly.result.issues.allSatisfy { $0.origin.row == nil })
    }
}

/// The check character of an ID number's first 17 digits (GB 11643).
private func checkDigit(_ body: String) -> String {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let sum = zip(body.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
    return String(Array("10X98765432")[sum % 11])
}

/// A small deterministic generator for test data (SplitMix64).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }
}
