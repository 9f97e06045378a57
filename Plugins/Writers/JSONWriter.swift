import TaizhangCore

/// `write: json` — the records as a JSON array (or JSON Lines), streamed to disk.
///
/// Every column of the run's layout is a key, in order (schema fields, then extra columns).
/// Integer and number fields are written as JSON numbers when their text is one; boolean
/// fields as true/false; everything else as strings exactly as held. With `origin: true`
/// each record carries `_origin` (file, sheet, row); with `issues: true`, `_issues`.
public enum JSONWriterPlugin {
    public static let spec = PluginSpec(
        name: "json", kind: .writer,
        summary: Message(zh: "写出 JSON 记录（数组或 JSON Lines），流式写入", en: "Writes the records as JSON (array or JSON Lines), streamed"),
        options: [
            OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径", en: "output file path")),
            OptionSpec("rows", .choice(RowSelection.allCases.map(\.rawValue)), default: "accepted",
                       doc: Message(zh: "写哪些行：accepted（接受）、quarantined（隔离）、all", en: "which rows: accepted, quarantined or all")),
            OptionSpec("format", .choice(["array", "lines"]), default: "array", doc: Message(zh: "array：一个 JSON 数组；lines：每行一个对象", en: "array: one JSON array; lines: one object per line")),
            OptionSpec("origin", .boolean, default: "false", doc: Message(zh: "每条记录附带来源（文件、工作表、行号）", en: "add each record's origin (file, sheet, row)")),
            OptionSpec("issues", .boolean, default: "false", doc: Message(zh: "每条记录附带它的问题", en: "add each record's issues")),
        ],
        file: "Plugins/Writers/JSONWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, layout, context in
        try JSONWriter(path: path, options: options, layout: layout, context: context)
    }
}

final class JSONWriter: Writer {
    private let out: OutputFile
    private let rows: RowSelection
    private let lines: Bool
    private let withOrigin: Bool
    private let withIssues: Bool
    private let language: Language
    private let masking: Masking
    private let keys: [[UInt8]]
    private let types: [FieldType]
    private var first = true

    init(path: String, options: Options, layout: Layout, context: PluginContext) throws {
        out = try OutputFile(path: path)
        rows = RowSelection(rawValue: options.string("rows") ?? "accepted") ?? .accepted
        lines = options.string("format") == "lines"
        withOrigin = options.bool("origin")
        withIssues = options.bool("issues")
        language = context.language
        masking = context.masking
        keys = layout.names.map { Array($0.utf8) }
        types = (0..<layout.count).map { layout.field(at: $0)?.type ?? .text }
        if !lines { try out.write("[") }
    }

    func write(_ batch: Batch) throws {
        var rowIssues: [Int: [Issue]] = [:]
        if withIssues {
            for (k, r) in batch.issueRowIndex.enumerated() where r >= 0 { rowIssues[r, default: []].append(batch.issues[k]) }
        }
        for r in 0..<batch.count where rows.includes(hasError: batch.hasError[r]) {
            if lines { if !first { try out.write("\n") } } else { try out.write(first ? "\n" : ",\n") }
            first = false
            try out.write("{")
            for f in 0..<batch.fieldCount {
                if f > 0 { try out.write(",") }
                try keys[f].withUnsafeBufferPointer { try out.writeJSONString($0) }
                try out.write(":")
                try batch.withBytes(row: r, field: f) { v in try writeValue(v, type: types[f]) }
            }
            if withOrigin {
                let o = batch.origin(row: r)
                try out.write(",\"_origin\":{\"file\":")
                try out.writeJSONString(o.file)
                if let s = o.sheet { try out.write(",\"sheet\":"); try out.writeJSONString(s) }
                try out.write(",\"row\":\(o.row ?? 0)")
                if let rec = o.record { try out.write(",\"record\":\(rec)") }
                try out.write("}")
            }
            if withIssues {
                try out.write(",\"_issues\":[")
                for (k, i) in (rowIssues[r] ?? []).enumerated() {
                    if k > 0 { try out.write(",") }
                    try out.write("{\"code\":")
                    try out.writeJSONString(i.code)
                    try out.write(",\"severity\":\"\(i.severity.rawValue)\",\"field\":")
                    if let f = i.field { try out.writeJSONString(f) } else { try out.write("null") }
                    try out.write(",\"message\":")
                    try out.writeJSONString(i.message.text(language))
                    try out.write("}")
                }
                try out.write("]")
            }
            try out.write("}")
        }
    }

    private func writeValue(_ v: UnsafeBufferPointer<UInt8>, type: FieldType) throws {
        switch type {
        case .integer, .number:
            if v.isEmpty { try out.write("null"); return }
            if Self.isJSONNumber(v) { try out.write(UnsafeRawBufferPointer(v)); return }
        case .boolean:
            if v.isEmpty { try out.write("null"); return }
            let s = String(decoding: v, as: UTF8.self).lowercased()
            if ["true", "是", "yes", "1"].contains(s) { try out.write("true"); return }
            if ["false", "否", "no", "0"].contains(s) { try out.write("false"); return }
        default: break
        }
        try out.writeJSONString(v)
    }

    /// A JSON number as RFC 8259 writes it (so it can be copied as is).
    static func isJSONNumber(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = v.count
        func digits() -> Int { let s = i; while i < n, v[i] >= 0x30, v[i] <= 0x39 { i += 1 }; return i - s }
        if i < n, v[i] == 0x2D { i += 1 }
        guard i < n else { return false }
        if v[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
        if i < n, v[i] == 0x2E { i += 1; if digits() == 0 { return false } }
        if i < n, v[i] == 0x65 || v[i] == 0x45 {
            i += 1
            if i < n, v[i] == 0x2B || v[i] == 0x2D { i += 1 }
            if digits() == 0 { return false }
        }
        return i == n
    }

    func commit(_ summary: RunSummary) throws {
        if !lines { try out.write(first ? "]\n" : "\n]\n") } else if !first { try out.write("\n") }
        try out.commit()
    }

    func abort() { out.abort() }
}
