import Foundation
import TaizhangCore

/// `step: exec` — runs a program the pipeline names and talks JSON Lines with it over its standard
/// input and output, so an office can add a check (or a fix) in Python or shell without
/// recompiling. Protocol version 1, documented in docs/EXEC-PLUGINS.md:
///
///   taizhang → program: hello · record… · flush (after each batch) · end
///   program → taizhang: issue · set · flushed (after each flush) · done
///
/// The program runs without a shell, from the pipeline's folder, only because the pipeline names
/// it; its standard error is passed on to ours, prefixed with its name. A batch that gets no
/// `flushed` within `timeout` seconds, a line that is not the protocol, or an exit before `done`
/// stops the run with an error naming the program — never a hang or a crash.
public enum ExecStepPlugin {
    public static let spec = PluginSpec(
        name: "exec", kind: .step,
        summary: Message(zh: "运行流水线指定的外部程序（JSON Lines 协议），由它报告问题或修改值", en: "Runs a program named in the pipeline (JSON Lines protocol) that reports issues or sets values"),
        options: [
            OptionSpec("command", .stringList, required: true, doc: Message(zh: "程序及其参数，如 [python3, plugins/check.py]；不经过 shell", en: "the program and its arguments, e.g. [python3, plugins/check.py]; no shell")),
            OptionSpec("timeout", .integer, default: "60", doc: Message(zh: "每批记录等待程序回应的最长秒数", en: "seconds to wait for the program's answer to a batch")),
            OptionSpec("fields", .fieldList, doc: Message(zh: "只发送这些字段（默认全部）", en: "send only these fields (default: all)")),
            OptionSpec("options", .any, doc: Message(zh: "原样转交给程序的设置", en: "settings passed on to the program as they are")),
        ],
        file: "Plugins/Exec/ExecStep.swift")

    public static let plugin = StepPlugin(spec: spec) { options, layout, context throws(Diagnostics) in
        try ExecStep(options: options, layout: layout, language: context.language)
    }
}

final class ExecStep: FinishingStep {
    private let program: ExecProgram
    private let layout: Layout
    private let fields: [Int]
    private let timeout: Double
    private var nextID = 0

    init(options: Options, layout: Layout, language: Language) throws(Diagnostics) {
        self.layout = layout
        timeout = ExecProgram.timeout(options)
        let only = options.strings("fields")
        fields = only.isEmpty ? Array(0..<layout.count) : only.compactMap { layout.index(of: $0) }
        program = try ExecProgram.start(options: options, kind: "step")
        let hello: [String: Any] = ["type": "hello", "protocol": 1, "kind": "step", "columns": fields.map { layout.names[$0] },
                                    "options": options.node("options").map(ExecProgram.plain) ?? [:], "language": language.rawValue,
                                    "schema": ExecProgram.schema(layout.schema)]
        do { try program.send([hello]) } catch { throw Diagnostics([Diagnostic(.error, at: options.position(of: "command"), error.message, isIO: true)]) }
    }

    deinit { program.stop() }

    func finish(_ summary: RunSummary) throws -> (tables: [StatTable], issues: [Issue]) {
        try program.finish(timeout: timeout)
        return ([], [])
    }

    func process(_ batch: inout Batch) throws {
        var lines: [[String: Any]] = []
        var rowOf: [Int: Int] = [:]
        for r in 0..<batch.count {
            nextID += 1
            rowOf[nextID] = r
            var values: [String: String] = [:]
            for f in fields where !batch.isEmpty(row: r, field: f) { values[layout.names[f]] = batch.string(row: r, field: f) }
            var line: [String: Any] = ["type": "record", "id": nextID, "file": batch.source.file, "row": batch.rowNumbers[r], "values": values]
            if let sheet = batch.source.sheet { line["sheet"] = sheet }
            lines.append(line)
        }
        lines.append(["type": "flush"])
        try program.send(lines)
        while true {
            let m = try program.receive(timeout: timeout)
            switch m["type"] as? String {
            case "flushed": return
            case "issue":
                guard let id = m["id"] as? Int, let r = rowOf[id] else { throw program.protocolError(m, "issue 的 id 不属于本批记录", "issue id is not one of this batch's records") }
                let field = (m["field"] as? String).flatMap { layout.index(of: $0) }
                let severity = (m["severity"] as? String).flatMap(Severity.init(rawValue:)) ?? .error
                let text = m["message"] as? String ?? "(no message)"
                batch.report(row: r, field: field, code: m["code"] as? String ?? "exec-\(program.name)", severity: severity,
                             message: Message(zh: text, en: m["message_en"] as? String ?? text),
                             suggestion: (m["suggestion"] as? String).map { Message(zh: $0, en: $0) },
                             value: field.map { batch.string(row: r, field: $0) })
            case "set":
                guard let id = m["id"] as? Int, let r = rowOf[id], let name = m["field"] as? String, let f = layout.index(of: name), let v = m["value"] as? String else {
                    throw program.protocolError(m, "set 需要本批记录的 id、已有的 field 和字符串 value", "set needs a record id of this batch, a known field and a string value")
                }
                let rule = m["rule"] as? String ?? program.name
                batch.set(row: r, field: f, v, rule: Message(zh: rule, en: rule))
            default:
                throw program.protocolError(m, "未知的消息类型", "unknown message type")
            }
        }
    }
}
