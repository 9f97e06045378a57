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
        options: [OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径（.json）", en: "output file (.json)"))],
        file: "Plugins/Writers/JSONReturnWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, _, _, _ in
        try JSONReturnWriter(path: path)
    }
}

final class JSONReturnWriter: Writer {
    private let out: OutputFile

    init(path: String) throws { out = try OutputFile(path: path) }

    func write(_ batch: Batch) throws {}

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        guard let doc = ReturnDocument(tables: summary.tables) else {
            out.abort()
            throw OutputError(path: out.path, reason: "没有报表可写：流水线中需要一个统计步骤（如 step: member-return） / no return to write: add a return step such as step: member-return")
        }
        try out.write(Array(try doc.json()))
        try out.write("\n")
        return [try out.seal()]
    }

    func abort() { out.abort() }
}
