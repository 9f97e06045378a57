import Foundation
import TaizhangCore

/// `read: exec` — a program the pipeline names reads a file Taizhang has no reader for (a .dbf,
/// an .ods, an export of some old system) and hands over its rows as JSON Lines:
///
///   taizhang → program: hello {path, options}
///   program → taizhang: header {columns} · row {row, cells} · skip {row, reason} · done
///
/// Rows then go through the pipeline like any other source; `row` is the number a person would
/// see in that file. Same rules as `step: exec` (no shell, timeout, errors name the program).
public enum ExecReaderPlugin {
    public static let spec = PluginSpec(
        name: "exec", kind: .reader,
        summary: Message(zh: "由流水线指定的外部程序读取文件，按 JSON Lines 交回表头和各行", en: "A program named in the pipeline reads the file and hands back header and rows as JSON Lines"),
        options: [
            OptionSpec("path", .inputPath, required: true, doc: Message(zh: "要读取的文件（交给程序）", en: "the file to read (given to the program)")),
            OptionSpec("command", .stringList, required: true, doc: Message(zh: "程序及其参数；不经过 shell", en: "the program and its arguments; no shell")),
            OptionSpec("timeout", .integer, default: "60", doc: Message(zh: "等待程序每一行输出的最长秒数", en: "seconds to wait for each line from the program")),
            OptionSpec("options", .any, doc: Message(zh: "原样转交给程序的设置", en: "settings passed on to the program as they are")),
        ],
        file: "Plugins/Exec/ExecReader.swift")

    public static let plugin = ReaderPlugin(spec: spec, extensions: []) { path, display, options, context throws(SourceError) in
        try ExecReader(path: path, display: display, options: options, schema: context.schema)
    }
}

final class ExecReader: SourceReader {
    private(set) var header: [String] = []
    let headerRow: Int? = nil
    let sheet: String? = nil
    let recordBased = false
    private(set) var openIssues: [Issue] = []
    private let program: ExecProgram
    private let display: String
    private let timeout: Double
    private var pending: [String: Any]?

    init(path: String, display: String, options: Options, schema: Schema) throws(SourceError) {
        self.display = display
        timeout = ExecProgram.timeout(options)
        do { program = try ExecProgram.start(options: options, kind: "reader") } catch {
            throw SourceError(Origin(file: display), error.items.first?.message ?? Message(zh: "无法启动程序", en: "cannot start the program"))
        }
        do throws(StepFailure) {
            try program.send([["type": "hello", "protocol": 1, "kind": "reader", "path": path, "schema": ExecProgram.schema(schema),
                               "options": options.node("options").map(ExecProgram.plain) ?? [:]]])
            let first = try program.receive(timeout: timeout)
            guard first["type"] as? String == "header", let cols = first["columns"] as? [String] else {
                throw program.protocolError(first, "第一条消息应是 header", "the first message must be a header")
            }
            header = cols
        } catch {
            throw SourceError(Origin(file: display), error.message)
        }
        // An empty input is an error whatever the program makes of it, as for the built-in readers.
        if (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0 {
            openIssues.append(Issue(code: "empty-file", severity: .error, origin: Origin(file: display),
                                    message: Message(zh: "文件是空的", en: "the file is empty"), personal: false))
        }
    }

    func read(into sink: inout RowSink) throws(SourceError) -> Bool {
        do throws(StepFailure) {
            while !sink.isFull {
                let m = try program.receive(timeout: timeout)
                switch m["type"] as? String {
                case "row":
                    guard let n = m["row"] as? Int, let cells = m["cells"] as? [Any] else { throw program.protocolError(m, "row 需要 row 和 cells", "row needs row and cells") }
                    sink.beginRow(number: n)
                    for c in cells { sink.cell(c as? String ?? (c is NSNull ? "" : "\(c)")) }
                    sink.endRow()
                case "skip":
                    sink.skip(row: m["row"] as? Int ?? 0, reason: Message(zh: m["reason"] as? String ?? "外部程序跳过", en: m["reason"] as? String ?? "skipped by the program"))
                case "done":
                    program.stop()
                    return false
                default:
                    throw program.protocolError(m, "未知的消息类型", "unknown message type")
                }
            }
            return true
        } catch {
            throw SourceError(Origin(file: display), error.message)
        }
    }

    func close() { program.stop() }
}
