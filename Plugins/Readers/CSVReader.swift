import Foundation
import TaizhangCore
import CCSV

/// `read: csv` — delimited text files (CSV, TSV), parsed by libcsv on raw bytes.
///
/// - Encoding: UTF-8, GB18030 (GBK, GB2312), Big5, or `auto` (BOM, then UTF-8 validity, then uchardet).
/// - Delimiter: `auto` sniffs `,` `\t` `;` `|` from the first lines; or give one.
/// - The header is found among the first 30 rows by the schema's aliases (below title lines; a
///   two-row header is joined as 上/下), or is the row named by `header_row`; rows above it are
///   skipped as non-data, each with its reason. Quoted fields may hold delimiters, quotes ("") and newlines.
/// - Row numbers are the text file's line numbers (a row spanning lines has its first line).
/// - A field larger than `max_field_mb` (usually an unclosed quote) and an unclosed quote at the
///   end of the file stop the read with an error naming the line where the field began.
public enum CSVReaderPlugin {
    public static let spec = PluginSpec(
        name: "csv", kind: .reader,
        summary: Message(zh: "读取 CSV/TSV 文本（libcsv），支持 UTF-8、GB18030、Big5 与自动识别编码",
                         en: "Reads CSV/TSV text (libcsv); UTF-8, GB18030, Big5 or auto-detected encoding"),
        options: [
            OptionSpec("path", .inputPath, required: true, doc: Message(zh: "文件路径（相对于流水线文件）", en: "file path (relative to the pipeline file)")),
            OptionSpec("encoding", .choice(["auto", "utf-8", "gb18030", "gbk", "gb2312", "big5"]), default: "auto",
                       doc: Message(zh: "文本编码；auto 依次按 BOM、UTF-8 有效性、uchardet 判断", en: "text encoding; auto uses the BOM, UTF-8 validity, then uchardet")),
            OptionSpec("delimiter", .string, default: "auto", doc: Message(zh: "分隔符：auto、, 、tab、; 或 |", en: "delimiter: auto, ',', tab, ';' or '|'")),
            OptionSpec("header_row", .integer, default: "0", doc: Message(zh: "表头所在行号；0 表示按模式别名自动查找", en: "line number of the header; 0 finds it by the schema's aliases")),
            OptionSpec("max_columns", .integer, default: "16384", doc: Message(zh: "最多的列数（默认同 Excel 的上限 16384），超出即报错", en: "most columns a row may have (default Excel's 16,384); more is an error")),
            OptionSpec("max_field_mb", .integer, default: "16", doc: Message(zh: "单个字段的最大大小（MB），超出即报错（多为引号未闭合）", en: "largest field in MB; larger is an error (usually an unclosed quote)")),
        ],
        file: "Plugins/Readers/CSVReader.swift")

    public static let plugin = ReaderPlugin(spec: spec, extensions: ["csv", "tsv", "txt"]) { path, display, options, context throws(SourceError) in
        try CSVReader(path: path, display: display, options: options, schema: context.schema)
    }
}

final class CSVReader: SourceReader {
    private(set) var header: [String] = []
    private(set) var headerRow: Int? = nil
    let sheet: String? = nil
    let recordBased = false
    private(set) var openIssues: [Issue] = []

    private let input: DecodedInput
    private let state: ParseState
    /// libcsv's state, held by pointer: passed as `&property` of the class, every call to
    /// csv_parse (one or more a line) went through Swift's run-time exclusivity check.
    private let parser: UnsafeMutablePointer<csv_parser> = {
        let p = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
        p.initialize(to: csv_parser())
        return p
    }()
    private var text: [UInt8] = []     // decoded UTF-8 not yet fed to libcsv
    private var textPos = 0
    private var finished = false
    private let maxField: Int

    private let path: String
    private let encodingOption: String

    var fractionRead: Double? { input.fractionRead }

    init(path: String, display: String, options: Options, schema: Schema = .open()) throws(SourceError) {
        self.path = path
        encodingOption = options.string("encoding") ?? "auto"
        input = try DecodedInput(path: path, display: display, encoding: options.string("encoding") ?? "auto")
        maxField = max(1, options.int("max_field_mb") ?? 16) << 20
        state = ParseState(display: display, headerLine: options.int("header_row") ?? 0, maxColumns: max(1, options.int("max_columns") ?? 16384))
        guard csv_init(parser, UInt8(CSV_STRICT_FINI | CSV_APPEND_NULL)) == 0 else {
            throw SourceError(Origin(file: display), Message(zh: "libcsv 初始化失败", en: "libcsv failed to initialise"))
        }
        // Keep spaces and tabs around unquoted fields as written (libcsv trims them by default).
        csv_set_space_func(parser, taizhang_csv_never_space)

        _ = try input.next(into: &text)
        if !input.lastClean { state.lastDirtyPiece = 0 }
        let delimiter = try Self.delimiter(options.string("delimiter") ?? "auto", sample: text, display: display)
        csv_set_delim(parser, delimiter)
        detectedOptions = ["encoding": input.encoding == .big5 ? "big5" : input.encoding == .gb18030 ? "gb18030" : "utf-8",
                           "delimiter": delimiter == 0x09 ? "tab" : String(UnicodeScalar(delimiter))]

        // Read the first rows (or up to the given header line), then choose the header.
        while !state.windowFull {
            if !(try feed(untilHeader: true)) { break }
            try state.checkWidth()
        }
        try state.checkWidth()
        state.chooseHeader(schema: schema)
        if state.headerLine > 0 && state.header == nil {
            // As the sheet readers say it: a header line that does not exist is not "blank rows".
            throw SourceError(Origin(file: display, row: state.headerLine),
                              Message(zh: "第 \(state.headerLine) 行是空行或不存在（文件共 \(state.line - 1) 行），不能作表头", en: "line \(state.headerLine) is blank or missing (the file has \(state.line - 1) lines) and cannot be the header"),
                              suggestion: Message(zh: "改正 header_row，或设为 0 自动查找表头", en: "correct header_row, or set it to 0 to find the header"))
        }
        header = state.header ?? []
        headerRow = state.header == nil ? nil : state.headerLineFound
        if let e = input.detected, input.encoding != .utf8 || e != "UTF-8" {
            openIssues.append(Issue(code: "encoding-detected", severity: .info, origin: Origin(file: display),
                                    message: Message(zh: "自动识别编码为 \(input.encoding.iconvName)（检测器：\(e)）", en: "encoding detected as \(input.encoding.iconvName) (detector: \(e))"),
                                    personal: false))
        }
        if state.header == nil {
            if state.preSkipped.isEmpty {
                openIssues.append(Issue(code: "empty-file", severity: .error, origin: Origin(file: display),
                                        message: Message(zh: "文件是空的，没有表头也没有数据", en: "the file is empty: no header, no data"),
                                        suggestion: Message(zh: "确认导出是否完整", en: "check that the export is complete"), personal: false))
            } else {
                openIssues.append(Issue(code: "no-header", severity: .error, origin: Origin(file: display),
                                        message: Message(zh: "文件中没有找到表头行（只有空行）", en: "no header row found (only blank lines)"), personal: false))
            }
        }
    }

    deinit { close(); parser.deallocate() }

    private(set) var detectedOptions: [String: String] = [:]

    func close() {
        if !finished { csv_free(parser); finished = true }
        input.close()
    }

    func read(into sink: inout RowSink) throws(SourceError) -> Bool {
        for s in state.preSkipped.sorted(by: { $0.0 < $1.0 }) { sink.skip(row: s.0, reason: s.1) }
        state.preSkipped.removeAll()
        guard state.header != nil else { return false }
        // Rows read while the header was being looked for.
        for (line, cells) in state.pending {
            sink.beginRow(number: line)
            for c in cells { sink.cell(c) }
            sink.endRow()
        }
        state.pending.removeAll()
        let more = try withUnsafeMutablePointer(to: &sink) { p throws(SourceError) -> Bool in
            state.sink = p
            defer { state.sink = nil }
            while !p.pointee.isFull {
                if !(try feed(untilHeader: false)) { return false }
            }
            return true
        }
        if !more && sink.dataRows == 0 {
            sink.sourceIssue(code: "no-data", severity: .warning, message: Message(zh: "文件只有表头，没有数据行", en: "the file has a header but no data rows"),
                             row: headerRow)
        }
        return more
    }

    /// Feeds decoded text to libcsv one line at a time, so each row's line number is known.
    /// Returns false once the whole file has been parsed.
    private func feed(untilHeader: Bool) throws(SourceError) -> Bool {
        if finished { return false }
        while true {
            if textPos >= text.count {
                text.removeAll(keepingCapacity: true)
                textPos = 0
                if !(try input.next(into: &text)) {
                    try finish()
                    return false
                }
                state.piece += 1
                if !input.lastClean { state.lastDirtyPiece = state.piece }
                continue
            }
            // A full batch is handed on only between rows: a quoted field can carry a row over
            // several lines, and its cells must land in the batch its row began in.
            let stop = untilHeader ? { self.state.windowFull } : { self.state.sink!.pointee.isFull && !self.state.rowStarted }
            while textPos < text.count {
                if stop() { return true }
                try feedSegment()
            }
            if stop() { return true }
        }
    }

    private func feedSegment() throws(SourceError) {
        let from = textPos
        let end: Int = text.withUnsafeBytes { (buf: UnsafeRawBufferPointer) -> Int in
            let base = buf.baseAddress!
            guard let p = memchr(base + from, 0x0A, buf.count - from) else { return buf.count }
            return UnsafeRawPointer(p) - base + 1
        }
        let atLineStart = state.atLineStart
        if atLineStart && parser.pointee.pstate == 0 {
            state.rowLine = state.line
            state.rowPiece = state.piece
            // libcsv passes over blank lines in silence; count them here as skipped rows.
            let len = end - textPos
            if (len == 1 && text[textPos] == 0x0A) || (len == 2 && text[textPos] == 0x0D && text[textPos + 1] == 0x0A) {
                state.blankLine()
            }
        }
        let unmanaged = Unmanaged.passUnretained(state).toOpaque()
        // libcsv trims spaces and tabs around unquoted fields unless given a space function, and
        // calls that function for every byte. Runs without a space or tab are fed without it (the
        // same result, as nothing there is a space), the rest with one that never sees a space.
        let ok = text.withUnsafeBytes { raw -> Bool in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var pos = textPos
            // memchr to the next space (and tab, when the line has one): most of a line has none.
            let hasTab = memchr(base + pos, 0x09, end - pos) != nil
            while pos < end {
                var q = memchr(base + pos, 0x20, end - pos).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? end
                if hasTab, let t = memchr(base + pos, 0x09, q - pos) { q = UnsafeRawPointer(t) - UnsafeRawPointer(base) }
                var r = q
                while r < end && (base[r] == 0x20 || base[r] == 0x09) { r += 1 }
                if q > pos {
                    parser.pointee.is_space = nil
                    guard csv_parse(parser, base + pos, q - pos, csvField, csvRow, unmanaged) == q - pos else { return false }
                }
                if r > q {
                    // After a closing quote, spaces before the delimiter are passed over (as libcsv
                    // does by default); anywhere else they are data.
                    parser.pointee.is_space = parser.pointee.pstate == 3 /* libcsv.c: FIELD_MIGHT_HAVE_ENDED */ ? nil : taizhang_csv_never_space
                    guard csv_parse(parser, base + q, r - q, csvField, csvRow, unmanaged) == r - q else { return false }
                }
                pos = r
            }
            return true
        }
        if !ok {
            throw SourceError(Origin(file: state.display, row: state.line), Message(zh: "CSV 解析失败：\(String(cString: csv_strerror(csv_error(parser))))",
                                                                                en: "CSV parse failed: \(String(cString: csv_strerror(csv_error(parser))))"))
        }
        let endsLine = text[end - 1] == 0x0A
        textPos = end
        if endsLine { state.line += 1 }
        state.atLineStart = endsLine
        if parser.pointee.entry_pos > maxField {
            throw SourceError(Origin(file: state.display, row: state.rowLine),
                              Message(zh: "从第 \(state.rowLine) 行开始的一个字段超过 \(maxField >> 20) MB，多半是引号没有闭合",
                                      en: "a field starting on line \(state.rowLine) is larger than \(maxField >> 20) MB, most likely an unclosed quote"),
                              suggestion: Message(zh: "检查该行的双引号是否成对；确需更大字段可设 max_field_mb", en: "check that the quotes on that line are paired; set max_field_mb if the field is really that large"))
        }
    }

    /// Reads line `line` again and finds a quoted field followed by other text: `"张伟"x`.
    private func textAfterClosingQuote(line: Int) -> (String, String)? {
        guard let again = try? DecodedInput(path: path, display: state.display, encoding: encodingOption) else { return nil }
        var text: [UInt8] = []
        var n = 1
        var current: [UInt8] = []
        while n <= line, (try? again.next(into: &text)) == true {
            for b in text {
                if b == 0x0A { if n == line { break }; n += 1; current.removeAll(keepingCapacity: true); continue }
                if n == line { current.append(b) }
            }
            text.removeAll(keepingCapacity: true)
            if current.count > 1 << 20 { break }
        }
        let delimiter = parser.pointee.delim_char
        var i = 0
        let bytes = current
        while i < bytes.count {
            // A field that starts with a quote, at the line's start or after a delimiter.
            guard bytes[i] == 0x22, i == 0 || bytes[i - 1] == delimiter else { i += 1; continue }
            var j = i + 1
            while j < bytes.count {
                if bytes[j] == 0x22 {
                    if j + 1 < bytes.count && bytes[j + 1] == 0x22 { j += 2; continue }   // "" inside
                    break
                }
                j += 1
            }
            guard j < bytes.count else { return nil }
            let next = j + 1
            if next < bytes.count, bytes[next] != delimiter, bytes[next] != 0x0D {
                var end = next
                while end < bytes.count, bytes[end] != delimiter, end - next < 20 { end += 1 }
                return (String(decoding: bytes[i...j], as: UTF8.self), String(decoding: bytes[next..<end], as: UTF8.self))
            }
            i = next
        }
        return nil
    }

    private func finish() throws(SourceError) {
        // libcsv reports an unclosed quote only in strict mode, which also rejects quotes that
        // ledgers do contain (`5"`); so look at its state: inside a quoted field at the end.
        let unclosed = parser.pointee.pstate == 2 && parser.pointee.quoted != 0
        let unmanaged = Unmanaged.passUnretained(state).toOpaque()
        let r = unclosed ? -1 : csv_fini(parser, csvField, csvRow, unmanaged)
        csv_free(parser)
        finished = true
        if r != 0 {
            // The usual cause is not a missing quote but text after a closing one ("张伟"x): a
            // lenient reader then reads on to the end of the file. Look at that line and say so.
            if let (field, after) = textAfterClosingQuote(line: state.rowLine) {
                throw SourceError(Origin(file: state.display, row: state.rowLine),
                                  Message(zh: "第 \(state.rowLine) 行：带引号的字段 \(field) 后面紧跟着文字「\(after)」，引号之外不能再有文字（之后的内容都被当成了这个字段）",
                                          en: "line \(state.rowLine): the quoted field \(field) is followed by '\(after)'; no text may follow a closing quote (everything after it was read into that field)"),
                                  suggestion: Message(zh: "把整个值放进一对双引号里，或去掉多余的引号", en: "put the whole value inside one pair of quotes, or remove the stray quotes"))
            }
            throw SourceError(Origin(file: state.display, row: state.rowLine),
                              Message(zh: "第 \(state.rowLine) 行开始的引号到文件末尾都没有闭合", en: "the quote opened on line \(state.rowLine) is never closed"),
                              suggestion: Message(zh: "在该字段末尾补上双引号", en: "add the closing double quote to that field"))
        }
    }

    /// Picks the delimiter: the candidate that splits the first lines into the same number of
    /// fields most consistently (quotes respected).
    static func delimiter(_ option: String, sample: [UInt8], display: String) throws(SourceError) -> UInt8 {
        switch option {
        case "auto": break
        case "tab", "\\t", "\t": return 0x09
        default:
            guard option.utf8.count == 1, let b = option.utf8.first else {
                throw SourceError(Origin(file: display), Message(zh: "分隔符应为单个字符：\(option)", en: "the delimiter must be one character: \(option)"))
            }
            return b
        }
        let candidates: [UInt8] = [0x2C, 0x09, 0x3B, 0x7C]
        var counts = [[Int]](repeating: [], count: candidates.count)
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuote = false
        var lines = 0
        for b in sample.prefix(64 * 1024) {
            if b == 0x22 { inQuote.toggle(); continue }
            if inQuote { continue }
            if b == 0x0A {
                if current.contains(where: { $0 > 0 }) { for k in candidates.indices { counts[k].append(current[k]) }; lines += 1 }
                current = [Int](repeating: 0, count: candidates.count)
                if lines >= 20 { break }
                continue
            }
            if let k = candidates.firstIndex(of: b) { current[k] += 1 }
        }
        if current.contains(where: { $0 > 0 }) { for k in candidates.indices { counts[k].append(current[k]) } }
        var best: (UInt8, Int) = (0x2C, -1)
        for (k, c) in counts.enumerated() {
            guard let first = c.first, first > 0 else { continue }
            let consistent = c.filter { $0 == first }.count
            let score = consistent * 1000 + first
            if score > best.1 { best = (candidates[k], score) }
        }
        return best.0
    }
}

/// State shared with libcsv's callbacks (which get it as an opaque pointer).
final class ParseState {
    let display: String
    let headerLine: Int
    var line = 1
    var rowLine = 1
    var atLineStart = true
    var header: [String]?
    var headerLineFound = 0
    var headerCells: [String] = []
    /// A row's first field has been read and its end not yet.
    var rowStarted: Bool { scratch.pointee.open }
    /// The pieces of decoded text handed out so far (numbered from 0), the last that held a
    /// character XML forbids (as the decoder found while checking it), and the piece the open row
    /// began in: a row is clean when no such piece came since it began (a quoted field can carry
    /// a row over many pieces).
    var piece = 0
    var lastDirtyPiece = -1
    var rowPiece = 0
    var preSkipped: [(Int, Message)] = []
    /// Rows read before the header is chosen, and those after it waiting for the sink.
    var window: [(Int, [String])] = []
    var pending: [(Int, [String])] = []
    /// The sink of the `read` call under way (nil while opening).
    var sink: UnsafeMutablePointer<RowSink>? = nil
    let maxColumns: Int
    /// The first line, while the header is looked for, with more cells than `maxColumns`.
    var tooWide: Int?

    init(display: String, headerLine: Int, maxColumns: Int) {
        self.display = display
        self.headerLine = headerLine
        self.maxColumns = maxColumns
    }

    /// A row wider than the limit is refused before its cells are kept (a line of millions of
    /// cells would otherwise take gigabytes).
    func checkWidth() throws(SourceError) {
        guard let line = tooWide else { return }
        throw SourceError(Origin(file: display, row: line),
                          Message(zh: "第 \(line) 行的单元格超过 \(maxColumns) 个（列数上限，与 Excel 相同），不像台账，未读取",
                                  en: "line \(line) has more than \(maxColumns) cells (the column limit, as in Excel); not a ledger, not read"),
                          suggestion: Message(zh: "若确实需要，可设 max_columns 调高上限", en: "set max_columns to raise the limit if you really need it"))
    }

    func blankLine() {
        if let sink { sink.pointee.skip(row: line, reason: Message(zh: "空行", en: "blank row")) } else {
            preSkipped.append((line, Message(zh: "空行", en: "blank row")))
        }
    }

    @inline(__always)
    func field(_ ptr: UnsafeRawPointer?, _ len: Int) {
        if !scratch.pointee.headerChosen {
            if headerCells.count >= maxColumns { if tooWide == nil { tooWide = rowLine }; return }
            headerCells.append(ptr.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: len), as: UTF8.self) } ?? "")
            return
        }
        if scratch.pointee.direct {
            sink!.pointee.cell(UnsafeRawBufferPointer(start: ptr, count: ptr == nil ? 0 : len))
            return
        }
        scratch.pointee.open = true
        scratch.pointee.add(ptr, len)
        if scratch.pointee.cells > scratch.pointee.width || scratch.pointee.count > Row.largest { cellByCell() }
    }

    /// A row with more cells than the header (or of more text than a batch takes) goes to the
    /// sink cell by cell, as it is read: the cells past the header are counted there, not kept.
    private func cellByCell() {
        let r = scratch.pointee
        sink!.pointee.beginRow(number: rowLine)
        var start = 0
        for k in 0..<r.cells {
            sink!.pointee.cell(UnsafeRawBufferPointer(start: r.bytes + start, count: Int(r.ends[k]) - start))
            start = Int(r.ends[k])
        }
        scratch.pointee.count = 0
        scratch.pointee.cells = 0
        scratch.pointee.direct = true
    }

    @inline(__always)
    func row() {
        if !scratch.pointee.headerChosen {
            window.append((rowLine, headerCells))
            headerCells = []
            return
        }
        scratch.pointee.open = false
        if scratch.pointee.direct {
            scratch.pointee.direct = false
            sink!.pointee.endRow()
            return
        }
        let r = scratch.pointee
        sink!.pointee.row(number: rowLine, bytes: UnsafeRawBufferPointer(start: r.bytes, count: r.count),
                          ends: UnsafeBufferPointer(start: r.ends, count: r.cells), clean: lastDirtyPiece < rowPiece)
        scratch.pointee.count = 0
        scratch.pointee.cells = 0
    }

    /// The row being read, handed to the sink whole at its end: its cells' text end to end, and
    /// where each cell ends. Plain memory held by pointer: libcsv calls `add` for every field,
    /// and an array's checks (unique, capacity, exclusivity) cost more there than the copy.
    struct Row {
        var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096), count = 0, capacity = 4096
        var ends = UnsafeMutablePointer<UInt32>.allocate(capacity: 64), cells = 0, endsCapacity = 64
        var open = false
        /// Set once the header is chosen: fields are then data.
        var headerChosen = false
        /// The open row is going to the sink cell by cell (``ParseState/cellByCell()``).
        var direct = false
        /// The header's cells.
        var width = 0
        /// Text a row may gather here (the batch's own limit: a larger row is handed on cell by cell).
        static let largest = Batch.byteLimit

        @inline(__always)
        mutating func add(_ ptr: UnsafeRawPointer?, _ len: Int) {
            if let ptr, len > 0 {
                if count + len > capacity { grow(count + len) }
                (bytes + count).update(from: ptr.assumingMemoryBound(to: UInt8.self), count: len)
                count += len
            }
            if cells == endsCapacity {
                let more = UnsafeMutablePointer<UInt32>.allocate(capacity: endsCapacity * 2)
                more.update(from: ends, count: cells)
                ends.deallocate()
                ends = more
                endsCapacity *= 2
            }
            ends[cells] = UInt32(truncatingIfNeeded: count)
            cells += 1
        }

        mutating func grow(_ needed: Int) {
            var c = capacity * 2
            while c < needed { c *= 2 }
            let more = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            more.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = more
            capacity = c
        }

        func free() { bytes.deallocate(); ends.deallocate() }
    }
    let scratch: UnsafeMutablePointer<Row> = {
        let p = UnsafeMutablePointer<Row>.allocate(capacity: 1)
        p.initialize(to: Row())
        return p
    }()
    deinit { scratch.pointee.free(); scratch.deinitialize(count: 1); scratch.deallocate() }

    /// True once enough rows are read to choose the header.
    var windowFull: Bool {
        if headerLine > 0 { return window.last.map { $0.0 >= headerLine } ?? false }
        return window.count >= HeaderDetector.window
    }

    /// Picks the header among the rows read so far; the rows above become skipped non-data,
    /// the rows below wait to be handed to the sink.
    func chooseHeader(schema: Schema) {
        let chosen: HeaderDetector.Result?
        if headerLine > 0 {
            chosen = window.firstIndex { $0.0 == headerLine }.map { HeaderDetector.Result(headerIndex: $0, header: window[$0].1, headerParts: []) }
        } else {
            chosen = HeaderDetector.detect(window.map(\.1), schema: schema)
        }
        guard let chosen else {
            for (line, _) in window { preSkipped.append((line, Message(zh: "空行", en: "blank row"))) }
            window.removeAll()
            return
        }
        for (i, (line, cells)) in window.enumerated() where i < chosen.headerIndex {
            let blank = cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
            preSkipped.append((line, chosen.headerParts.contains(i) ? Message(zh: "多行表头的上一行", en: "upper row of a two-row header")
                                    : blank ? Message(zh: "空行", en: "blank row") : Message(zh: "表头之前的行（标题或说明）", en: "row above the header (title or note)")))
        }
        header = chosen.header
        scratch.pointee.headerChosen = true
        scratch.pointee.width = chosen.header.count
        headerLineFound = window[chosen.headerIndex].0
        pending = Array(window[(chosen.headerIndex + 1)...])
        window.removeAll()
    }
}

// The reader holds the state for as long as libcsv runs, so the callbacks borrow it without a
// retain and release per field (which were 15 % of the reader's time).
private func csvField(_ ptr: UnsafeMutableRawPointer?, _ len: Int, _ data: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.field(UnsafeRawPointer(ptr), len) }
}

private func csvRow(_ c: Int32, _ data: UnsafeMutableRawPointer?) {
    Unmanaged<ParseState>.fromOpaque(data!)._withUnsafeGuaranteedRef { $0.row() }
}
