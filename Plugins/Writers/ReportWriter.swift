import Foundation
import TaizhangCore

/// `write: json-report` — the run report: every issue (code, severity, file, sheet, row,
/// column, field, message, suggestion, value), every skipped row with its reason, and the
/// summary with the conservation check. Values are masked unless the pipeline says
/// `personal_data: full`. Format: docs/schemas/report.schema.json.
public enum ReportWriterPlugin {
    public static let spec = PluginSpec(
        name: "json-report", kind: .writer,
        summary: Message(zh: "写出运行报告（JSON）：每个问题、每个跳过的行及汇总", en: "Writes the run report (JSON): every issue, every skipped row, the summary"),
        options: [
            OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径", en: "output file path")),
            OptionSpec("min_severity", .choice(["info", "warning", "error"]), default: "info", doc: Message(zh: "只列出不低于此级别的问题", en: "list issues of at least this severity")),
        ],
        file: "Plugins/Writers/ReportWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, _, context in
        try ReportWriter(path: path, options: options, context: context)
    }
}

final class ReportWriter: Writer {
    private let out: OutputFile
    private let language: Language
    private let masking: Masking
    private let minSeverity: Severity
    private var skipped: [SkippedRow] = []
    private var first = true

    init(path: String, options: Options, context: PluginContext) throws {
        out = try OutputFile(path: path)
        language = context.language
        masking = context.masking
        minSeverity = Severity(rawValue: options.string("min_severity") ?? "info") ?? .info
        try out.write("{\n\"format\": \"taizhang-report/1\",\n\"language\": \"\(language.rawValue)\",\n\"personal_data\": \"\(masking.rawValue)\",\n\"issues\": [")
    }

    func write(_ batch: Batch) throws {
        skipped += batch.skipped
        for issue in batch.issues where issue.severity >= minSeverity {
            try out.write(first ? "\n" : ",\n")
            first = false
            try writeIssue(issue)
        }
    }

    private func writeIssue(_ i: Issue) throws {
        var fields: [(String, String?)] = [
            ("code", i.code), ("severity", i.severity.rawValue), ("file", i.origin.file), ("sheet", i.origin.sheet),
        ]
        fields.append(("column", i.origin.column))
        fields.append(("header", i.origin.header))
        fields.append(("field", i.field))
        fields.append(("message", i.message.text(language)))
        fields.append(("suggestion", i.suggestion?.text(language)))
        fields.append(("value", i.value.map { i.shown($0, masking) }))
        try out.write("  {")
        try out.write("\"row\":" + (i.origin.row.map(String.init) ?? "null"))
        if let rec = i.origin.record { try out.write(",\"record\":\(rec)") }
        for (k, v) in fields {
            try out.write(",")
            try out.writeJSONString(k)
            try out.write(":")
            if let v { try out.writeJSONString(v) } else { try out.write("null") }
        }
        try out.write("}")
    }

    func finish(_ s: RunSummary) throws -> [AtomicOutput] {
        for issue in s.runIssues where issue.severity >= minSeverity {
            try out.write(first ? "\n" : ",\n")
            first = false
            try writeIssue(issue)
        }
        try out.write("\n],\n\"skipped\": [")
        for (k, row) in skipped.enumerated() {
            try out.write(k == 0 ? "\n  {\"file\":" : ",\n  {\"file\":")
            try out.writeJSONString(row.origin.file)
            if let sheet = row.origin.sheet { try out.write(",\"sheet\":"); try out.writeJSONString(sheet) }
            try out.write(",\"row\":\(row.origin.row ?? 0),\"reason\":")
            try out.writeJSONString(row.reason.text(language))
            try out.write("}")
        }
        try out.write("\n],\n\"summary\": {\n  \"pipeline\": ")
        try out.writeJSONString(s.pipeline)
        try out.write(",\n  \"read\": \(s.read), \"accepted\": \(s.accepted), \"quarantined\": \(s.quarantined), \"skipped\": \(s.skipped),")
        try out.write("\n  \"balanced\": \(s.balanced), \"errors\": \(s.count(.error)), \"warnings\": \(s.count(.warning)), \"infos\": \(s.count(.info)),")
        // No timing: the same run on the same files writes the same report (no old version kept).
        try out.write("\n  \"sources\": [")
        for (k, src) in s.sources.enumerated() {
            try out.write(k == 0 ? "\n    {\"file\":" : ",\n    {\"file\":")
            try out.writeJSONString(src.file)
            if let sheet = src.sheet { try out.write(",\"sheet\":"); try out.writeJSONString(sheet) }
            try out.write(",\"reader\":")
            try out.writeJSONString(src.reader)
            try out.write(",\"read\":\(src.read),\"accepted\":\(src.accepted),\"quarantined\":\(src.quarantined),\"skipped\":\(src.skipped)}")
        }
        try out.write("\n  ],\n  \"issue_counts\": {")
        for (k, code) in s.issueCounts.keys.sorted().enumerated() {
            try out.write(k == 0 ? "\n    " : ",\n    ")
            try out.writeJSONString(code)
            let c = s.issueCounts[code]!
            try out.write(": {" + Severity.allCases.reversed().compactMap { sev in c[sev].map { "\"\(sev.rawValue)\": \($0)" } }.joined(separator: ", ") + "}")
        }
        try out.write("\n  },\n  \"outputs\": [")
        try out.write(s.outputs.map { o in "\"" + o.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ", "))
        try out.write("]\n}\n}\n")
        return [try out.seal()]
    }

    func abort() { out.abort() }
}
