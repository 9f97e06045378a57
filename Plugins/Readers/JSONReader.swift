import Foundation
import TaizhangCore

/// `read: json` — a JSON array of objects, or JSON Lines (one object per line).
///
/// Each object is a record; its keys are the columns (the union of all keys, in first-seen
/// order). Strings are taken as written, numbers exactly as written (so long ID numbers keep
/// every digit), true/false as text, null as empty, nested values as their JSON text.
/// Positions are the record's index and the line it starts on. The file is checked strictly
/// (RFC 8259) before any record is used: a syntax error names its line and column.
public enum JSONReaderPlugin {
    public static let spec = PluginSpec(
        name: "json", kind: .reader,
        summary: Message(zh: "读取 JSON 对象数组或 JSON Lines（每行一个对象）", en: "Reads a JSON array of objects, or JSON Lines (one object per line)"),
        options: [
            OptionSpec("path", .inputPath, required: true, doc: Message(zh: "文件路径（相对于流水线文件）", en: "file path (relative to the pipeline file)")),
            OptionSpec("format", .choice(["auto", "array", "lines"]), default: "auto",
                       doc: Message(zh: "auto：.jsonl/.ndjson 按行读，其余按整个文档读", en: "auto: .jsonl/.ndjson as lines, anything else as one document")),
            OptionSpec("max_depth", .integer, default: "64", doc: Message(zh: "允许的最大嵌套层数（至多 2000）", en: "deepest nesting allowed (at most 2000)")),
        ],
        file: "Plugins/Readers/JSONReader.swift")

    public static let plugin = ReaderPlugin(spec: spec, extensions: ["json", "jsonl", "ndjson"], sniff: { head in
        // `{`, or `[` then `{` or `]`, after a BOM and white space (a CSV may start with `[`).
        let bytes = Array(head.prefix(512)).drop { [0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard let first = bytes.first else { return false }
        if first == UInt8(ascii: "{") { return true }
        guard first == UInt8(ascii: "[") else { return false }
        let next = bytes.dropFirst().first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return next == UInt8(ascii: "{") || next == UInt8(ascii: "]")
    }) { path, display, options, _ throws(SourceError) in
        try JSONReader(path: path, display: display, options: options)
    }
}

final class JSONReader: SourceReader {
    let header: [String]
    let headerRow: Int? = nil
    let sheet: String? = nil
    let recordBased = true
    private(set) var openIssues: [Issue] = []

    private let display: String
    private let data: Data
    private let lines: Bool
    private let maxDepth: Int
    private var keyIndex: [[UInt8]: Int] = [:]
    /// Where the next record starts, and the line there.
    private var pos = 0
    private var line = 1
    private var lineCountedTo = 0
    private var record = 0
    private var inArray = false
    private var done = false
    private var scratch: [UInt8] = []

    init(path: String, display: String, options: Options) throws(SourceError) {
        self.display = display
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw SourceError(Origin(file: display), Message(zh: "无法读取文件：\(error.localizedDescription)", en: "cannot read file: \(error.localizedDescription)"))
        }
        // The scanner recurses once a level: past a few thousand the reading thread's stack would run out.
        maxDepth = min(max(2, options.int("max_depth") ?? 64), 2_000)
        let format = options.string("format") ?? "auto"
        let lower = path.lowercased()
        lines = format == "lines" || (format == "auto" && (lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson")))

        // Pass 1: check the whole file and gather the keys.
        var keys: [String] = []
        var index: [[UInt8]: Int] = [:]
        let empty: Bool
        let bomLength = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let lines = self.lines, maxDepth = self.maxDepth
        do {
            empty = try data.withUnsafeBytes { raw throws(JSONScanner.Failure) -> Bool in
                var s = JSONScanner(raw, maxDepth: maxDepth)
                s.pos = bomLength
                s.skipWhitespace()
                if s.atEnd { return true }
                try Self.forEachRecord(&s, lines: lines) { s, kind, span throws(JSONScanner.Failure) in
                    guard kind == .object else { return }
                    var t = JSONScanner(raw, maxDepth: maxDepth)
                    t.pos = span.lowerBound
                    let dec = JSONScanner(raw)
                    try t.object(depth: 1) { k, _, _ throws(JSONScanner.Failure) in
                        var key: [UInt8] = []
                        dec.decodeString(k, into: &key)
                        if index[key] == nil {
                            index[key] = keys.count
                            keys.append(String(decoding: key, as: UTF8.self))
                        }
                    }
                }
                return false
            }
        } catch let error as JSONScanner.Failure {
            let (l, c) = data.withUnsafeBytes { JSONScanner($0).lineColumn(error.offset) }
            if let start = error.recordStart {
                let (sl, _) = data.withUnsafeBytes { JSONScanner($0).lineColumn(start) }
                throw SourceError(Origin(file: display, row: sl), Message(
                    zh: "JSON 语法错误：第 \(sl) 行的记录没有在本行结束（JSON Lines 每行一个完整的对象）；读到第 \(l) 行第 \(c) 列时：\(error.reason.zh)",
                    en: "JSON syntax error: the record on line \(sl) does not end on its line (JSON Lines is one whole object per line); at line \(l), column \(c): \(error.reason.en)"))
            }
            throw SourceError(Origin(file: display, row: l), Message(zh: "JSON 语法错误（第 \(l) 行第 \(c) 列）：\(error.reason.zh)", en: "JSON syntax error (line \(l), column \(c)): \(error.reason.en)"))
        } catch {
            throw SourceError(Origin(file: display), Message(zh: "无法读取 JSON：\(error)", en: "cannot read JSON: \(error)"))
        }
        header = keys
        keyIndex = index
        pos = bomLength
        if empty {
            done = true
            openIssues.append(Issue(code: "empty-file", severity: .error, origin: Origin(file: display),
                                    message: Message(zh: "文件是空的，没有任何 JSON 数据", en: "the file is empty: no JSON data"), personal: false))
        }
    }

    func close() {}

    var fractionRead: Double? { data.isEmpty ? nil : Double(pos) / Double(data.count) }

    /// Calls `body` for each record: the elements of a top-level array, the values of JSON Lines,
    /// or a single top-level value. Checks that nothing but whitespace follows.
    static func forEachRecord(_ s: inout JSONScanner, lines: Bool,
                              _ body: (inout JSONScanner, JSONScanner.Kind, Range<Int>) throws(JSONScanner.Failure) -> Void) throws(JSONScanner.Failure) {
        s.skipWhitespace()
        if !lines && s.peek() == UInt8(ascii: "[") {
            s.pos += 1
            s.skipWhitespace()
            if s.peek() == UInt8(ascii: "]") { s.pos += 1 } else {
                while true {
                    let (k, span) = try s.value(depth: 1)
                    try body(&s, k, span)
                    s.skipWhitespace()
                    guard let c = s.peek() else { throw s.fail("数组没有结束（缺少 ]）", "unterminated array (missing ])") }
                    s.pos += 1
                    if c == UInt8(ascii: "]") { break }
                    if c != UInt8(ascii: ",") { throw s.fail("数组元素之间应为逗号", "expected ',' between array elements", at: s.pos - 1) }
                }
            }
            s.skipWhitespace()
            if !s.atEnd { throw s.fail("JSON 文档结束后还有多余内容", "extra content after the JSON document") }
            return
        }
        var first = true
        while true {
            s.skipWhitespace()
            if s.atEnd { return }
            if !first {
                // Records after the first must each start on a new line (JSON Lines).
                let before = s.buf[..<s.pos].lastIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }) ?? 0
                let hasNewline = s.buf[before..<s.pos].contains(0x0A)
                guard hasNewline, lines || s.peek() == UInt8(ascii: "{") else {
                    throw s.fail("JSON 文档结束后还有多余内容", "extra content after the JSON document")
                }
            }
            let start = s.pos
            let (k, span): (JSONScanner.Kind, Range<Int>)
            do { (k, span) = try s.value(depth: 1) } catch {
                // A JSON Lines record is one line: an error past its line is that line's fault.
                var failure = error
                if lines, s.buf[start..<min(failure.offset, s.buf.count)].contains(0x0A) { failure.recordStart = start }
                throw failure
            }
            try body(&s, k, span)
            first = false
        }
    }

    func read(into sink: inout RowSink) throws(SourceError) -> Bool {
        if done { return false }
        // Pass 2: the file was checked at open, so scanning cannot fail here.
        var finished = false
        data.withUnsafeBytes { raw in
            var s = JSONScanner(raw, maxDepth: maxDepth)
            s.pos = pos
            if pos == 0 || (pos == 3 && data.starts(with: [0xEF, 0xBB, 0xBF])) {
                s.skipWhitespace()
                if !lines && s.peek() == UInt8(ascii: "[") { s.pos += 1; inArray = true }
            }
            while !sink.isFull {
                s.skipWhitespace()
                if inArray {
                    if s.peek() == UInt8(ascii: ",") { s.pos += 1; s.skipWhitespace() }
                    if s.peek() == UInt8(ascii: "]") || s.atEnd { finished = true; break }
                } else if s.atEnd { finished = true; break }
                let start = s.pos
                guard let (kind, span) = try? s.value(depth: 1) else { finished = true; break }
                record += 1
                sink.beginRow(number: lineOf(start, raw), record: record)
                if kind == .object {
                    var t = JSONScanner(raw, maxDepth: maxDepth)
                    t.pos = span.lowerBound
                    var seen = Set<Int>()
                    let dec = JSONScanner(raw)
                    try? t.object(depth: 1) { k, vk, v throws(JSONScanner.Failure) in
                        scratch.removeAll(keepingCapacity: true)
                        dec.decodeString(k, into: &scratch)
                        guard let col = keyIndex[scratch] else { return }
                        if !seen.insert(col).inserted { duplicateKey(&sink, col) }
                        scratch.removeAll(keepingCapacity: true)
                        switch vk {
                        case .string: dec.decodeString(v, into: &scratch)
                        case .literal:
                            if raw[v.lowerBound] != UInt8(ascii: "n") { scratch.append(contentsOf: raw[v]) }
                        default: scratch.append(contentsOf: raw[v])
                        }
                        scratch.withUnsafeBytes { sink.cell(column: col, $0) }
                    }
                    sink.endRow(checkWidth: false)
                } else {
                    // A non-object record has no fields: keep it whole in the issue and quarantine it.
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: raw[span]), as: UTF8.self)
                    sink.endRejectedRow(code: "not-an-object",
                                        message: Message(zh: "第 \(record) 条记录不是对象（{…}），无法对应到列", en: "record \(record) is not an object ({…}) and has no columns"),
                                        value: text)
                }
            }
            pos = s.pos
        }
        if finished {
            done = true
            if record == 0 {
                sink.sourceIssue(code: "no-data", severity: .warning, message: Message(zh: "文件中没有记录", en: "the file holds no records"))
            }
        }
        return !finished
    }

    private func duplicateKey(_ sink: inout RowSink, _ col: Int) {
        sink.reportCurrentRow(code: "duplicate-key", severity: .warning,
                          message: Message(zh: "键「\(header[col])」在同一对象中出现多次，取最后一个值", en: "key '\(header[col])' appears more than once in the object; the last value is used"))
    }

    private func lineOf(_ offset: Int, _ raw: UnsafeRawBufferPointer) -> Int {
        var i = lineCountedTo
        while i < offset {
            if raw[i] == 0x0A { line += 1 }
            i += 1
        }
        lineCountedTo = offset
        return line
    }
}
