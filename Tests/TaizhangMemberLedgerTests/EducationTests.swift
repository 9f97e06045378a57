import Foundation
import Testing
import TaizhangCore

/// Education as ledgers write it: each common form becomes a standard group, without a warning.
@Suite struct EducationTests {
    @Test(arguments: [("初中及以下", "初中及以下"), ("中等专科", "中等职业教育"), ("中专", "中等职业教育"), ("技校", "中等职业教育"),
                      ("技工学校", "中等职业教育"), ("职业高中", "中等职业教育"), ("高中/中专", "普通高中"), ("小学及以下", "小学及以下"),
                      ("高中及以下", "高中及以下"), ("大专", "大学专科")])
    func commonFormsAreStandardGroups(_ written: String, _ standard: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tz-edu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "姓名,性别,统战对象类别,所在社区,学历\n张三,男,无党派人士,甲社区,\(written)\n".write(to: dir.appendingPathComponent("l.csv"), atomically: true, encoding: .utf8)
        let p = dir.appendingPathComponent("p.yml")
        try "schema: member-ledger\ninputs:\n  - read: csv\n    path: l.csv\nsteps:\n  - normalize: member-ledger\n  - validate: member-values\noutputs:\n  - write: json\n    path: out.json\n"
            .write(to: p, atomically: true, encoding: .utf8)
        var o = RunOptions()
        o.showProgress = false
        let r = try Runner(pipeline: try PipelineLoader(registry: fullRegistry()).load(file: p.path), registry: fullRegistry(), options: o).run()
        #expect(!r.issues.contains { $0.code == "unknown-education" }, "\(written)")
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("out.json"))) as? [[String: Any]]
        #expect(rows?.first?["学历"] as? String == standard)
    }
}

extension EducationTests {
    /// Groups that span several GB/T 4658 groups are counted under 高中及以下, not 不详.
    @Test func spanningGroupsAreCountedUnderHighSchoolAndBelow() throws {
        let r = try ReturnRun(ledger: """
        姓名,性别,民族,出生日期,公民身份号码,政治面貌,统战对象类别,学历,所在社区
        甲,男,汉族,1970-01-01,,群众,党外知识分子,初中及以下,甲社区
        乙,女,汉族,1971-01-01,,群众,党外知识分子,小学及以下,甲社区
        丙,男,汉族,1972-01-01,,群众,党外知识分子,技工学校,甲社区
        丁,女,汉族,1973-01-01,,群众,党外知识分子,,甲社区
        """)
        let total = try #require(try r.document().rows.first { $0.key == "total" })
        #expect(total.counts["total"] == .some(4))
        #expect(total.counts["edu_high_school_below"] == .some(3))
        #expect(total.counts["edu_unknown"] == .some(1))
    }
}
