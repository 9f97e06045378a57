import Foundation
import TaizhangCore

/// `write: exec` — a program the pipeline names writes an output in a format Taizhang has no
/// writer for. It gets the records as JSON Lines and a temporary path to write to:
///
///   taizhang → program: hello {path (temporary), columns} · record… · end {summary}
///   program → taizhang: done (after it has written and closed the file)
///
/// Taizhang renames the file into place only after `done`, so the output is complete or absent,
/// like every built-in writer.
public enum ExecWriterPlugin {
    public static let spec = PluginSpec(
        name: "exec", kind: .writer,
        summary: Message(zh: "由流水线指定的外部程序写出文件（JSON Lines 交给它各条记录），完成后原子地放到位", en: "A program named in the pipeline writes the output from JSON Lines records; moved into place atomically"),
        options: [
            OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径", en: "output file path")),
            OptionSpec("command", .stringList, required: true, doc: Message(zh: "程序及其参数；不经过 shell", en: "the program and its arguments; no shell")),
            OptionSpec("rows", .choice(RowSelection.allCases.map(\.rawValue)), default: "accepted", doc: Message(zh: "写哪些行", en: "which rows")),
            OptionSpec("timeout", .integer, default: "60", doc: Message(zh: "等待程序完成的最长秒数", en: "seconds to wait for the program to finish")),
            OptionSpec("options", .any, doc: Message(zh: "原样转交给程序的设置", en: "settings passed on to the program as they are")),
        ],
        file: "Plugins/Exec/ExecWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, layout, _ in
        try ExecWriter(path: path, options: options, layout: layout)
    }
}

final class ExecWriter: Writer {
    private let path: String
    private let output: AtomicOutput
    private let program: ExecProgram
    private let rows: RowSelection
    private let layout: Layout
    private let timeout: Double
    private var nextID = 0
    private var done = false

    init(path: String, options: Options, layout: Layout) throws {
        self.path = path
        self.layout = layout
        output = try AtomicOutput(path: path)
        output.handOver()
        let temporary = output.temporaryPath
        rows = RowSelection(rawValue: options.string("rows") ?? "accepted") ?? .accepted
        timeout = ExecProgram.timeout(options)
        program = try ExecProgram.start(options: options, kind: "writer")
        try program.send([["type": "hello", "protocol": 1, "kind": "writer", "path": temporary, "columns": layout.names,
                           "schema": ExecProgram.schema(layout.schema),
                           "options": options.node("options").map(ExecProgram.plain) ?? [:]]])
    }

    func write(_ batch: Batch) throws {
        var lines: [[String: Any]] = []
        for r in 0..<batch.count where rows.includes(hasError: batch.hasError[r]) {
            nextID += 1
            var values: [String: String] = [:]
            for f in 0..<batch.fieldCount where !batch.isEmpty(row: r, field: f) { values[layout.names[f]] = batch.string(row: r, field: f) }
            lines.append(["type": "record", "id": nextID, "file": batch.source.file, "row": batch.rowNumbers[r], "values": values])
        }
        if !lines.isEmpty { try program.send(lines) }
    }

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        try program.send([["type": "end", "summary": ["read": summary.read, "accepted": summary.accepted, "quarantined": summary.quarantined, "skipped": summary.skipped]]])
        while true {
            let m = try program.receive(timeout: timeout)
            if m["type"] as? String == "done" { break }
        }
        program.stop()
        // The temporary file was created (empty, owner-only) for the program; after `done` whatever
        // it holds is the output — an empty one included.
        try output.seal()
        return [output]
    }

    func abort() {
        program.stop()
        output.abort()
    }
}
