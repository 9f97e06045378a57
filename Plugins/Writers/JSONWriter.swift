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
        // The whole batch is built in one buffer and written once.
        var buf: [UInt8] = []
        buf.reserveCapacity(batch.count * batch.fieldCount * 24)
        for r in 0..<batch.count where rows.includes(hasError: batch.hasError[r]) {
            if lines { if !first { buf.append(0x0A) } } else { JSONBytes.append(first ? "\n" : ",\n", to: &buf) }
            first = false
            buf.append(0x7B)
            for f in 0..<batch.fieldCount {
                if f > 0 { buf.append(0x2C) }
                keys[f].withUnsafeBufferPointer { JSONBytes.appendString($0, to: &buf) }
                buf.append(0x3A)
                batch.withBytes(row: r, field: f) { v in Self.appendValue(v, type: types[f], to: &buf) }
            }
            if withOrigin {
                let o = batch.origin(row: r)
                JSONBytes.append(",\"_origin\":{\"file\":", to: &buf)
                JSONBytes.appendString(o.file, to: &buf)
                if let s = o.sheet { JSONBytes.append(",\"sheet\":", to: &buf); JSONBytes.appendString(s, to: &buf) }
                buf.append(contentsOf: Array(",\"row\":\(o.row ?? 0)".utf8))
                if let rec = o.record { buf.append(contentsOf: Array(",\"record\":\(rec)".utf8)) }
                buf.append(0x7D)
            }
            if withIssues {
                JSONBytes.append(",\"_issues\":[", to: &buf)
                for (k, i) in (rowIssues[r] ?? []).enumerated() {
                    if k > 0 { buf.append(0x2C) }
                    JSONBytes.append("{\"code\":", to: &buf)
                    JSONBytes.appendString(i.code, to: &buf)
                    JSONBytes.append(",\"severity\":", to: &buf)
                    JSONBytes.appendString(i.severity.rawValue, to: &buf)
                    JSONBytes.append(",\"field\":", to: &buf)
                    if let f = i.field { JSONBytes.appendString(f, to: &buf) } else { JSONBytes.append("null", to: &buf) }
                    JSONBytes.append(",\"message\":", to: &buf)
                    JSONBytes.appendString(i.message.text(language), to: &buf)
                    buf.append(0x7D)
                }
                buf.append(0x5D)
            }
            buf.append(0x7D)
        }
        try out.write(buf)
    }

    private static func appendValue(_ v: UnsafeBufferPointer<UInt8>, type: FieldType, to buf: inout [UInt8]) {
        switch type {
        case .integer, .number:
            if v.isEmpty { JSONBytes.append("null", to: &buf); return }
            if isJSONNumber(v) { buf.append(contentsOf: v); return }
        case .boolean:
            if v.isEmpty { JSONBytes.append("null", to: &buf); return }
            let s = String(decoding: v, as: UTF8.self).lowercased()
            if ["true", "是", "yes", "1"].contains(s) { JSONBytes.append("true", to: &buf); return }
            if ["false", "否", "no", "0"].contains(s) { JSONBytes.append("false", to: &buf); return }
        default: break
        }
        JSONBytes.appendString(v, to: &buf)
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

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        if !lines { try out.write(first ? "]\n" : "\n]\n") } else if !first { try out.write("\n") }
        return [try out.seal()]
    }

    func abort() { out.abort() }
}
