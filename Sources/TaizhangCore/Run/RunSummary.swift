/// What a run did, per source and in total. Printed at the end of every run and written by the
/// `json-report` writer. The conservation check: read = accepted + quarantined + skipped.
public struct RunSummary: Sendable {
    public struct SourceCounts: Sendable {
        public var file: String
        public var sheet: String?
        public var reader: String
        public var read = 0
        public var accepted = 0
        public var quarantined = 0
        public var skipped = 0
        public var role: SourceRole = .current
        /// Columns whose header no field of the schema answers to ("F 爱好"): kept as extra columns,
        /// neither checked nor counted.
        public var unknownColumns: [String] = []

        public init(file: String, sheet: String?, reader: String) {
            self.file = file
            self.sheet = sheet
            self.reader = reader
        }

        public var balanced: Bool { read == accepted + quarantined + skipped }
    }

    public var pipeline: String
    public var sources: [SourceCounts] = []
    /// Issue counts by code and severity.
    public var issueCounts: [String: [Severity: Int]] = [:]
    /// Skipped rows, counted by reason.
    public var skipReasons: [Message: Int] = [:]
    /// Values normalisers changed, counted by rule.
    public var changeCounts: [Message: Int] = [:]
    public var changed: Int { changeCounts.values.reduce(0, +) }
    /// Outputs written (paths), in pipeline order; empty on a dry run.
    public var outputs: [String] = []
    /// Temporary files of earlier runs that died (kill -9), removed from the output folders.
    public var staleTemporariesRemoved = 0
    /// Output folders the run created.
    public var createdFolders: [String] = []
    /// Previous versions kept of outputs this run replaced (`out/表.1.xlsx` …).
    public var keptPrevious: [String] = []
    /// Lines writers add about what they did beyond files (``Writer/summaryLine``).
    public var writerLines: [Message] = []
    public var seconds: Double = 0
    public var dryRun = false
    /// Tables built by finishing steps (statistical returns), for the form writers.
    public var tables: [StatTable] = []
    /// Pairs proposed for a person's review (possible duplicates), for review writers.
    public var reviews: [ReviewSet] = []
    /// Issues about the whole run, raised after all rows went through (e.g. a failed logic check).
    public var runIssues: [Issue] = []

    public init(pipeline: String) { self.pipeline = pipeline }

    /// Adds another table's run (`tables:`) to this one: its sources, issues, outputs, tables.
    public mutating func absorb(_ other: RunSummary) {
        sources += other.sources
        for (code, bySeverity) in other.issueCounts {
            for (severity, n) in bySeverity { issueCounts[code, default: [:]][severity, default: 0] += n }
        }
        for (reason, n) in other.skipReasons { skipReasons[reason, default: 0] += n }
        for (rule, n) in other.changeCounts { changeCounts[rule, default: 0] += n }
        outputs += other.outputs
        createdFolders += other.createdFolders.filter { !createdFolders.contains($0) }
        staleTemporariesRemoved += other.staleTemporariesRemoved
        writerLines += other.writerLines
        tables += other.tables
        reviews += other.reviews
        runIssues += other.runIssues
    }

    /// This period's sources (a previous period's ledger is counted apart).
    public var current: [SourceCounts] { sources.filter { $0.role == .current } }
    public var read: Int { current.reduce(0) { $0 + $1.read } }
    public var accepted: Int { current.reduce(0) { $0 + $1.accepted } }
    public var quarantined: Int { current.reduce(0) { $0 + $1.quarantined } }
    public var skipped: Int { current.reduce(0) { $0 + $1.skipped } }
    public var balanced: Bool { sources.allSatisfy(\.balanced) }

    public func count(_ severity: Severity) -> Int {
        issueCounts.values.reduce(0) { $0 + ($1[severity] ?? 0) }
    }

    /// The summary table shown at the end of a run.
    /// `issueTypes`: what each code means (the registry's), for the count by kind of issue.
    public func table(_ lang: Language, issueTypes: [String: Message] = [:]) -> String {
        let zh = lang == .zh
        let head = zh ? ["来源", "读取", "接受", "隔离", "跳过"] : ["source", "read", "accepted", "quarantined", "skipped"]
        var rows: [[String]] = current.map { s in
            [s.file + (s.sheet.map { "[\($0)]" } ?? ""), "\(s.read)", "\(s.accepted)", "\(s.quarantined)", "\(s.skipped)"]
        }
        rows.append([zh ? "合计" : "total", "\(read)", "\(accepted)", "\(quarantined)", "\(skipped)"])
        var widths = head.map(Self.width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], Self.width(c)) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - Self.width(c))
                return i == 0 ? c + pad : pad + c
            }.joined(separator: "  ")
        }
        var out = [line(head), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += rows.dropLast().map(line)
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        out.append(line(rows.last!))
        let check = balanced
            ? (zh ? "核对：读取 \(read) = 接受 \(accepted) + 隔离 \(quarantined) + 跳过 \(skipped) ✓"
                  : "check: read \(read) = accepted \(accepted) + quarantined \(quarantined) + skipped \(skipped) ✓")
            : (zh ? "核对失败：读取行数与去向不符！" : "CHECK FAILED: rows read do not add up!")
        out.append(check)
        for p in sources where p.role == .previous {
            out.append(zh ? "上期台账 \(p.file)\(p.sheet.map { "[\($0)]" } ?? "")：读取 \(p.read) 行（仅用于比对新增、减少，不写出）"
                          : "previous ledger \(p.file): \(p.read) rows read (compared with, not written)")
        }
        // Columns the schema has no name for: a clerk's own word for a field (群众诉求) is seen here, not lost.
        let unknown = current.filter { !$0.unknownColumns.isEmpty }.map { s in
            s.file + (s.sheet.map { "[\($0)]" } ?? "") + (zh ? "：" : ": ") + s.unknownColumns.prefix(8).joined(separator: zh ? "、" : ", ") + (s.unknownColumns.count > 8 ? "…" : "")
        }
        if !unknown.isEmpty {
            out.append((zh ? "未对应到字段的列（原样保留为附加列，不检查、不统计；若是某个字段的另一种叫法，把表头改成该字段的名称）："
                           : "columns no field answers to (kept as extra columns, neither checked nor counted; if one is a field under another name, head it with the field's name): ")
                       + unknown.joined(separator: zh ? "；" : "; "))
        }
        if !skipReasons.isEmpty {
            var byText: [String: Int] = [:]
            for (k, v) in skipReasons { byText[k.text(lang), default: 0] += v }
            let reasons = byText.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
            out.append((zh ? "跳过的原因：" : "skipped because: ") + reasons.joined(separator: zh ? "，" : ", "))
        }
        if !changeCounts.isEmpty {
            let rules = changeCounts.sorted { ($0.value, $1.key.zh) > ($1.value, $0.key.zh) }.prefix(6).map { "\($0.key.text(lang)) \($0.value)" }
            out.append((zh ? "规范化修改 \(changed) 处：" : "normalised \(changed) values: ") + rules.joined(separator: zh ? "，" : ", ") + (changeCounts.count > 6 ? "…" : ""))
        }
        let e = count(.error), w = count(.warning)
        out.append(zh ? "问题：错误 \(e) 个，警告 \(w) 个" : "issues: \(Self.counted(e, "error")), \(Self.counted(w, "warning"))")
        // By kind, most first: what to fix first.
        let kinds = issueCounts.map { code, by in (code, (by[.error] ?? 0) + (by[.warning] ?? 0), by[.error] ?? 0) }.filter { $0.1 > 0 }
            .sorted { ($0.2, $0.1, $1.0) > ($1.2, $1.1, $0.0) }
        if !kinds.isEmpty {
            let shown = kinds.prefix(6).map { "\(issueTypes[$0.0]?.text(lang) ?? $0.0) \($0.1)" }
            out.append((zh ? "问题类型：" : "by kind: ") + shown.joined(separator: zh ? "，" : ", ") + (kinds.count > 6 ? "…" : ""))
        }
        for t in tables { if let h = t.headline { out.append(h.text(lang)) } }
        if dryRun {
            out.append(zh ? "试运行：未写出任何文件" : "dry run: no output written")
        } else if !outputs.isEmpty {
            if staleTemporariesRemoved > 0 {
                out.append(zh ? "已清除以前中断的运行留下的临时文件 \(staleTemporariesRemoved) 个" : "removed \(staleTemporariesRemoved) temporary files left by runs that died")
            }
            if !createdFolders.isEmpty {
                out.append((zh ? "已创建输出文件夹：" : "output folders created: ") + createdFolders.joined(separator: zh ? "，" : ", "))
            }
            out.append((zh ? "已写出：" : "written: ") + outputs.joined(separator: zh ? "，" : ", "))
            if !keptPrevious.isEmpty {
                out.append(zh ? "被覆盖的旧文件已保留为：\(keptPrevious.joined(separator: "，"))（每个输出最多保留 \(OutputSet.generations) 个旧版本）"
                              : "previous versions kept as: \(keptPrevious.joined(separator: ", ")) (up to \(OutputSet.generations) per output)")
            }
        }
        if !dryRun { out += writerLines.map { $0.text(lang) } }
        let rate = seconds > 0 ? Int(Double(read) / seconds) : 0
        out.append(zh ? String(format: "用时 %.2f 秒（%d 行/秒）", seconds, rate) : String(format: "took %.2f s (%d rows/s)", seconds, rate))
        out.append(verdict(lang))
        return out.joined(separator: "\n")
    }

    /// The last line of every run: passed, or not and why, in a clerk's words.
    /// "1 error", "2 errors": English counts in the summary.
    static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    public func verdict(_ lang: Language) -> String {
        let e = count(.error)
        if e == 0 && read == 0 {
            return lang == .zh ? "结论：没有读到任何数据行（见上面的警告：表头、工作表或文件是否选对）" : "verdict: no data rows were read (see the warnings: the header, sheet or file)"
        }
        if e == 0 && quarantined == 0 {
            return lang == .zh ? "结论：通过（没有错误）" : "verdict: passed (no errors)"
        }
        return lang == .zh ? "结论：未通过 — \(e) 个错误；\(quarantined) 条记录被隔离，未计入输出（逐条改正后重新运行）"
                           : "verdict: NOT passed — \(Self.counted(e, "error")); \(Self.counted(quarantined, "record")) quarantined, left out of the outputs (correct them and run again)"
    }

    /// Display width: CJK characters take two columns.
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xA4CF).contains($1.value) || (0xAC00...0xD7A3).contains($1.value) || (0xF900...0xFAFF).contains($1.value) || (0xFE30...0xFE4F).contains($1.value) || (0xFF00...0xFF60).contains($1.value) || (0xFFE0...0xFFE6).contains($1.value) || $1.value >= 0x20000) ? 2 : 1) }
    }
}

import Foundation
