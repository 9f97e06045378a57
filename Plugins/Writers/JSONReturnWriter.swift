import Foundation
import TaizhangCore

/// `write: json-return` — the figures of the statistical return as JSON
/// (docs/schemas/return.schema.json): period, unit, columns, rows of counts (合计 included,
/// null for "—"), the logic checks, the same per lower unit, and the run's figures. This is
/// what `taizhang merge` adds up. Needs a step that makes a return (e.g. `step: member-return`).
public enum JSONReturnWriterPlugin {
    public static let spec = PluginSpec(
        name: "json-return", kind: .writer,
        summary: Message(zh: "写出报表数字（JSON），供上级汇总（taizhang merge）", en: "Writes the return's figures as JSON, for roll-up with taizhang merge"),
        options: [OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径（.json）", en: "output file (.json)")),
                  OptionSpec("form", .string, doc: Message(zh: "写哪个表式的数字（统计步骤计了几个表式时必填：每个表式一个 JSON）", en: "which form's figures (needed when the step counts several: one JSON per form)"))],
        file: "Plugins/Writers/JSONReturnWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, _, _ in
        try JSONReturnWriter(path: path, form: options.string("form"))
    }
}

final class JSONReturnWriter: Writer {
    private let out: OutputFile
    private let form: String?

    init(path: String, form: String? = nil) throws {
        out = try OutputFile(path: path)
        self.form = form
    }

    func write(_ batch: Batch) throws {}

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        let forms = ReturnDocument.forms(in: summary.tables)
        if form == nil && forms.count > 1 {
            out.abort()
            throw OutputError(path: out.path, reason: "本次统计了 \(forms.count) 个表式（\(forms.joined(separator: "、"))）：每个表式写一个 JSON，用 form: 指明 / \(forms.count) forms were counted: write one JSON per form, naming it with form:")
        }
        if let form, !forms.contains(form) {
            out.abort()
            throw OutputError(path: out.path, reason: "没有表式「\(form)」的报表（本次统计的表式：\(forms.joined(separator: "、"))） / no return of form '\(form)'")
        }
        guard let doc = ReturnDocument(tables: summary.tables, form: form) else {
            out.abort()
            throw OutputError(path: out.path, reason: "没有报表可写：流水线中需要一个统计步骤（如 step: member-return） / no return to write: add a return step such as step: member-return")
        }
        try out.write(Array(try doc.json()))
        try out.write("\n")
        return [try out.seal()]
    }

    func abort() { out.abort() }
}
