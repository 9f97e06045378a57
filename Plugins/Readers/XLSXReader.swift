import Foundation
import TaizhangCore
import ZIPFoundation

/// `read: xlsx` — Excel 2007+ workbooks (.xlsx, .xlsm), streamed: the sheet's XML is unpacked to
/// a temporary file and parsed chunk by chunk with libexpat, so memory is bounded by a chunk of
/// rows (plus the shared strings), not by the sheet.
///
/// - Shared and inline strings, rich text, `_xHHHH_` escapes; cached formula results (a formula
///   without one is a warning); booleans; error values reported.
/// - Dates from the cell's number format (built-in and custom, including 年月日 formats), in the
///   1900 or 1904 system as the workbook says.
/// - Merged cells: the value of a merged range is given to every cell it covers (a community
///   name merged down a column belongs to every row beside it).
/// - Hidden sheets are listed; `sheet` takes a name, a 1-based index or `all`.
/// - A zip bomb or an oversized sheet is refused before it is unpacked (`max_unpacked_mb`, and
///   a compression ratio over 200); an encrypted workbook is reported as such.
public enum XLSXReaderPlugin {
    public static let spec = PluginSpec(
        name: "xlsx", kind: .reader,
        summary: Message(zh: "读取 Excel 2007+ 工作簿（.xlsx），流式解析；合并单元格、公式缓存值、日期格式、隐藏工作表", en: "Reads Excel 2007+ workbooks (.xlsx), streamed; merged cells, cached formulas, date formats, hidden sheets"),
        options: [
            OptionSpec("path", .inputPath, required: true, doc: Message(zh: "文件路径", en: "file path")),
            OptionSpec("sheet", .string, doc: Message(zh: "工作表：名称、序号（从 1 起）或 all（全部）；不写时取第一个有台账表头的工作表", en: "sheet: a name, a 1-based index, or all; without it, the first sheet whose header names ledger fields")),
            OptionSpec("header_row", .integer, default: "0", doc: Message(zh: "表头行号；0 表示按模式别名自动查找", en: "header row number; 0 finds it by the schema's aliases")),
            OptionSpec("skip_rows", .integer, default: "0", doc: Message(zh: "先跳过的行数", en: "rows to pass over first")),
            OptionSpec("max_unpacked_mb", .integer, default: "2048", doc: Message(zh: "单个工作表解压后的最大大小（MB），防止压缩炸弹", en: "largest unpacked sheet in MB (zip-bomb guard)")),
        ],
        file: "Plugins/Readers/XLSXReader.swift")

    public static let plugin = ReaderPlugin(spec: spec, extensions: ["xlsx", "xlsm"], sniff: { $0.starts(with: [0x50, 0x4B, 0x03, 0x04]) }, sheets: { path, display throws(SourceError) in
        // Every worksheet (chart and dialog sheets hold no rows).
        try XLSXBook(path: path, display: display, maxUnpacked: 2048 << 20).sheets.filter { $0.path.contains("worksheets/") }.map(\.name)
    }) { path, display, options, context throws(SourceError) in
        let book = try XLSXBook(path: path, display: display, maxUnpacked: max(1, options.int("max_unpacked_mb") ?? 2048) << 20)
        func open(_ sheet: String) throws(SourceError) -> SheetTableReader {
            try SheetTableReader(source: try book.rows(sheet: sheet), display: display, schema: context.schema,
                                 headerRow: options.int("header_row") ?? 0, skipRows: options.int("skip_rows") ?? 0)
        }
        if options.has("sheet") { return try open(options.string("sheet") ?? "1") }
        let worksheets = book.sheets.filter { $0.path.contains("worksheets/") }.map { (name: $0.name, hidden: $0.hidden) }
        return try SheetTableReader.firstWithHeader(worksheets, display: display, open: open)
    }
}

/// The workbook parts every sheet needs: sheet list, shared strings, date styles, date system.
final class XLSXBook {
    struct SheetEntry { var name: String; var path: String; var hidden: Bool }

    let display: String
    let archive: ZipParts
    let maxUnpacked: Int
    private(set) var sheets: [SheetEntry] = []
    private(set) var sharedStrings: [String] = []
    /// Unpacked bytes of the shared-string part (what every sheet's text may draw on).
    private(set) var sharedStringBytes = 0
    private(set) var dateStyles: [Int: DateKind] = [:]
    private(set) var date1904 = false

    init(path: String, display: String, maxUnpacked: Int) throws(SourceError) {
        self.display = display
        self.maxUnpacked = maxUnpacked
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 8)) ?? Data()
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw SourceError(Origin(file: display), Message(zh: "这是加密（有密码）的工作簿，或其实是 .xls 文件", en: "this is an encrypted (password-protected) workbook, or really an .xls file"),
                              suggestion: Message(zh: "去掉密码后另存；若是 .xls 请用 read: xls", en: "remove the password and save a copy; for .xls use read: xls"))
        }
        do { archive = try ZipParts(path: path) } catch {
            throw SourceError(Origin(file: display), Message(zh: "不是有效的 .xlsx 文件（无法按 zip 打开），可能已损坏或被截断", en: "not a valid .xlsx file (not a readable zip); it may be damaged or truncated"))
        }
        guard let wb = try part("xl/workbook.xml") else {
            throw SourceError(Origin(file: display), Message(zh: "不是 Excel 工作簿（缺少 xl/workbook.xml）", en: "not an Excel workbook (no xl/workbook.xml)"))
        }
        // Relationships: r:id → part path.
        var targets: [String: (String, String)] = [:]
        if let rels = try part("xl/_rels/workbook.xml.rels") {
            let x = XMLStream()
            x.onStart = { name, a in
                guard name == "Relationship", let id = a["Id"], let t = a["Target"] else { return }
                let p = t.hasPrefix("/") ? String(t.dropFirst()) : "xl/" + t
                targets[id] = (p, a["Type"] ?? "")
            }
            _ = x.parse(rels)
        }
        var entries: [SheetEntry] = []
        var is1904 = false
        let x = XMLStream()
        x.onStart = { name, a in
            if name == "sheet", let n = a["name"] {
                let path = a["id"].flatMap { targets[$0]?.0 } ?? "xl/worksheets/sheet\(entries.count + 1).xml"
                entries.append(SheetEntry(name: n, path: path, hidden: (a["state"] ?? "visible") != "visible"))
            } else if name == "workbookPr", let d = a["date1904"] {
                is1904 = d == "1" || d == "true"
            }
        }
        if let e = x.parse(wb) { throw SourceError(Origin(file: display), Message(zh: "workbook.xml 损坏：\(e)", en: "workbook.xml is broken: \(e)")) }
        sheets = entries
        date1904 = is1904
        let sstPath = targets.values.first { $0.1.hasSuffix("/sharedStrings") }?.0 ?? "xl/sharedStrings.xml"
        if let sst = try part(sstPath) {
            sharedStrings = try Self.strings(sst, display: display)
            sharedStringBytes = sst.count
        }
        let stylesPath = targets.values.first { $0.1.hasSuffix("/styles") }?.0 ?? "xl/styles.xml"
        if let styles = try part(stylesPath) { dateStyles = Self.dateStyles(styles) }
    }

    /// A small part, read whole (workbook, relationships, shared strings, styles), size-checked.
    func part(_ name: String) throws(SourceError) -> Data? {
        guard let entry = archive.parts[name] else { return nil }
        try check(entry)
        var d = Data()
        do { try archive.extract(entry) { d.append($0) } } catch {
            throw SourceError(Origin(file: display), Message(zh: "无法解压 \(name)：文件已损坏", en: "cannot unpack \(name): the file is damaged"))
        }
        return d
    }

    /// Refuses parts that unpack beyond the limit or at a ratio only a zip bomb has.
    func check(_ entry: ZipParts.Part) throws(SourceError) {
        let unpacked = entry.uncompressedSize, packed = max(1, entry.compressedSize)
        if unpacked > maxUnpacked || (unpacked > 100 << 20 && unpacked / packed > 200) {
            throw SourceError(Origin(file: display), Message(zh: "「\(entry.name)」解压后有 \(unpacked >> 20) MB（压缩比 \(unpacked / packed):1），超过上限，拒绝读取（可能是压缩炸弹）",
                                                             en: "'\(entry.name)' unpacks to \(unpacked >> 20) MB (ratio \(unpacked / packed):1), over the limit; refused (possibly a zip bomb)"),
                              suggestion: Message(zh: "确属正常的大表可调高 max_unpacked_mb", en: "raise max_unpacked_mb for a genuinely large sheet"))
        }
    }

    static func strings(_ data: Data, display: String) throws(SourceError) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        var inT = false, inPhonetic = false
        let x = XMLStream()
        x.onStart = { name, _ in
            if name == "si" { current.removeAll(keepingCapacity: true) } else if name == "t" { inT = true } else if name == "rPh" { inPhonetic = true }
        }
        x.onEnd = { name in
            if name == "si" { out.append(unescape(String(decoding: current, as: UTF8.self))) } else if name == "t" { inT = false } else if name == "rPh" { inPhonetic = false }
        }
        x.onText = { b in if inT && !inPhonetic { current.append(contentsOf: b) } }
        if let e = x.parse(data) { throw SourceError(Origin(file: display), Message(zh: "共享字符串表损坏：\(e)", en: "the shared strings are broken: \(e)")) }
        return out
    }

    /// Excel's `_xHHHH_` escapes (e.g. `_x000D_` for a carriage return).
    static func unescape(_ s: String) -> String {
        guard s.containsBytes(of: "_x") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            if after.count >= 5, after.dropFirst(4).first == "_", let v = UInt32(after.prefix(4), radix: 16), let u = UnicodeScalar(v) {
                out.unicodeScalars.append(u)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }

    /// What a date-like number format shows: a date (maybe with a time), a time of day, or a
    /// duration in hours (`[h]:mm:ss`).
    enum DateKind { case date, time, duration }

    /// Style indexes whose number format shows a date or time.
    static func dateStyles(_ data: Data) -> [Int: DateKind] {
        var custom: [Int: String] = [:]
        var xfFormats: [Int] = []
        var inCellXfs = false
        let x = XMLStream()
        x.onStart = { name, a in
            if name == "numFmt", let id = a["numFmtId"].flatMap({ Int($0) }) { custom[id] = a["formatCode"] ?? "" }
            else if name == "cellXfs" { inCellXfs = true }
            else if name == "xf", inCellXfs { xfFormats.append(a["numFmtId"].flatMap { Int($0) } ?? 0) }
        }
        x.onEnd = { name in if name == "cellXfs" { inCellXfs = false } }
        _ = x.parse(data)
        var out: [Int: DateKind] = [:]
        for (i, f) in xfFormats.enumerated() where isDateFormat(f, custom[f]) { out[i] = dateKind(f, custom[f]) }
        return out
    }

    static func dateKind(_ id: Int, _ code: String?) -> DateKind {
        if (18...21).contains(id) || id == 45 || id == 47 { return .time }
        if id == 46 { return .duration }
        guard let code = code?.lowercased() else { return .date }
        if code.contains("[h") { return .duration }
        return code.contains("y") || code.contains("d") || code.contains("年") || code.contains("月") || code.contains("日") ? .date : .time
    }

    static func isDateFormat(_ id: Int, _ code: String?) -> Bool {
        if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) { return true }
        guard let code, !code.isEmpty else { return false }
        var plain = ""
        var inQuote = false, inBracket = false
        for ch in code {
            if ch == "\"" { inQuote.toggle(); continue }
            if inQuote { continue }
            if ch == "[" { inBracket = true; continue }
            if ch == "]" { inBracket = false; continue }
            if inBracket || ch == "\\" { continue }
            plain.append(ch)
        }
        let lower = plain.lowercased()
        if lower == "general" || lower.contains("0") || lower.contains("#") { return false }
        return lower.contains { "ymdhs年月日".contains($0) }
    }

    func rows(sheet wanted: String) throws(SourceError) -> XLSXRows {
        guard !sheets.isEmpty else { throw SourceError(Origin(file: display), Message(zh: "工作簿中没有工作表", en: "the workbook has no sheets")) }
        let index: Int
        if let i = sheets.firstIndex(where: { $0.name == wanted }) { index = i } else if let n = Int(wanted), n >= 1, n <= sheets.count { index = n - 1 } else {
            let names = sheets.map(\.name)
            throw SourceError(Origin(file: display), Message(zh: "没有工作表「\(wanted)」；有：\(names.joined(separator: "、"))", en: "no sheet '\(wanted)'; there are: \(names.joined(separator: ", "))"),
                              suggestion: Suggest.didYouMean(wanted, names))
        }
        let entry = sheets[index]
        guard let zipEntry = archive.parts[entry.path] else {
            throw SourceError(Origin(file: display, sheet: entry.name), Message(zh: "工作表数据缺失（\(entry.path)）", en: "the sheet's data is missing (\(entry.path))"))
        }
        try check(zipEntry)
        // Unpack to a temporary file, counting bytes: the declared size may lie.
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-sheet-\(UUID().uuidString).xml")
        FileManager.default.createFile(atPath: tmp.path, contents: nil)
        guard let out = try? FileHandle(forWritingTo: tmp) else {
            throw SourceError(Origin(file: display), Message(zh: "无法创建临时文件", en: "cannot create a temporary file"))
        }
        var written = 0
        let limit = maxUnpacked
        do {
            try archive.extract(zipEntry) { chunk in
                written += chunk.count
                if written > limit { throw CocoaError(.fileReadTooLarge) }
                out.write(chunk)
            }
            try? out.close()
        } catch {
            try? out.close()
            try? FileManager.default.removeItem(at: tmp)
            if written > limit {
                throw SourceError(Origin(file: display, sheet: entry.name), Message(zh: "工作表解压后超过 \(limit >> 20) MB，拒绝读取（可能是压缩炸弹）", en: "the sheet unpacks to more than \(limit >> 20) MB; refused (possibly a zip bomb)"))
            }
            throw SourceError(Origin(file: display, sheet: entry.name), Message(zh: "无法解压工作表：文件已损坏或被截断", en: "cannot unpack the sheet: the file is damaged or truncated"))
        }
        var issues: [Issue] = []
        let hidden = sheets.filter(\.hidden).map(\.name)
        if !hidden.isEmpty {
            issues.append(Issue(code: "hidden-sheets", severity: .info, origin: Origin(file: display),
                                message: Message(zh: "工作簿有隐藏的工作表：\(hidden.joined(separator: "、"))（用 sheet: all 或按名称读取）", en: "the workbook has hidden sheets: \(hidden.joined(separator: ", ")) (read them with sheet: all or by name)"),
                                personal: false))
        }
        return try XLSXRows(book: self, sheet: entry.name, file: tmp, openIssues: issues,
                            textBudget: SheetTextBudget.forStored(written + sharedStringBytes, ceiling: maxUnpacked))
    }
}

/// The rows of one .xlsx sheet, parsed from its unpacked XML a chunk at a time.
final class XLSXRows: SheetRowSource {
    let sheet: String?
    let openIssues: [Issue]
    private let book: XLSXBook
    private let file: URL
    private let handle: FileHandle
    private let xml = XMLStream()
    private var ready: [SheetRow] = []
    private var done = false
    private var lastRow = 0

    // Cell being parsed.
    private var row: SheetRow?
    private var column = 0
    private var type = ""
    private var style = -1
    private var hasFormula = false
    private var value: [UInt8] = []
    private var inValue = false
    private var inInline = false
    private var inPhonetic = false
    private var merges: MergeFiller
    let textBudget: Int
    /// The first cell or row reference outside Excel's sheet (a damaged or hostile file).
    private var badReference: String?

    init(book: XLSXBook, sheet: String, file: URL, openIssues: [Issue], textBudget: Int) throws(SourceError) {
        self.textBudget = textBudget
        self.book = book
        self.sheet = sheet
        self.file = file
        self.openIssues = openIssues
        guard let h = try? FileHandle(forReadingFrom: file) else {
            throw SourceError(Origin(file: book.display, sheet: sheet), Message(zh: "无法读取临时文件", en: "cannot read the temporary file"))
        }
        handle = h
        merges = MergeFiller(Self.mergedRanges(file))
        xml.onStart = { [unowned self] n, a in start(n, a) }
        xml.onEnd = { [unowned self] n in end(n) }
        xml.onText = { [unowned self] b in if (inValue || inInline) && !inPhonetic { value.append(contentsOf: b) } }
    }

    deinit { close() }

    func close() {
        try? handle.close()
        try? FileManager.default.removeItem(at: file)
    }

    private lazy var size: UInt64 = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? UInt64) ?? 0

    var fractionRead: Double? {
        guard size > 0, let at = try? handle.offset() else { return nil }
        return min(1, Double(at) / Double(size))
    }

    /// `<mergeCell ref="A1:C2"/>` elements follow the sheet data: read them from the file's tail.
    static func mergedRanges(_ file: URL) -> [MergedRange] {
        guard let h = try? FileHandle(forReadingFrom: file) else { return [] }
        defer { try? h.close() }
        let size = (try? h.seekToEnd()) ?? 0
        var tail = Data()
        var offset = size
        // Read backwards until the end of the sheet data is in view (mergeCells come after it).
        while offset > 0 {
            let step = min(offset, 1 << 20)
            offset -= step
            try? h.seek(toOffset: offset)
            tail = (h.readData(ofLength: Int(step))) + tail
            if tail.range(of: Data("</sheetData>".utf8)) != nil || tail.count > 64 << 20 { break }
        }
        guard let from = tail.range(of: Data("</sheetData>".utf8))?.upperBound else { return [] }
        // On bytes: Foundation's string search bridges the whole rest on every call (quadratic).
        let bytes = [UInt8](tail[from...])
        let open = Array("<mergeCell ".utf8), refAttr = Array("ref=\"".utf8)
        var out: [MergedRange] = []
        var i = bytes.startIndex
        while let r = bytes[i...].firstRange(of: open) {
            guard let q = bytes[r.upperBound...].firstRange(of: refAttr),
                  let endq = bytes[q.upperBound...].firstIndex(of: UInt8(ascii: "\"")) else { break }
            let ref = String(decoding: bytes[q.upperBound..<endq], as: UTF8.self).split(separator: ":")
            if ref.count == 2, let a = cellRef(ref[0]), let b = cellRef(ref[1]) { out.append(MergedRange(top: a.0, bottom: b.0, left: a.1, right: b.1)) }
            i = endq
        }
        return out
    }

    /// "B12" → (row 11, column 1); nil for anything that is not a reference inside Excel's sheet
    /// (at most XFD1048576: 16,384 columns, 1,048,576 rows).
    static func cellRef<S: StringProtocol>(_ s: S) -> (Int, Int)? {
        var col = 0, row = 0, letters = 0, digits = 0
        for u in s.utf8 {
            if u >= 65 && u <= 90 { col = col * 26 + Int(u - 64); letters += 1 } else if u >= 97 && u <= 122 { col = col * 26 + Int(u - 96); letters += 1 }
            else if u >= 48 && u <= 57 { row = row * 10 + Int(u - 48); digits += 1 } else if u == 36 { continue } else { return nil }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, row > 0, row <= 1_048_576, col <= 16_384 else { return nil }
        return (row - 1, col - 1)
    }

    /// Where Excel's sheet ends, for messages.
    static let sheetLimit = Message(zh: "Excel 工作表的范围（最大 XFD1048576）", en: "an Excel sheet (at most XFD1048576)")

    func nextRow() throws(SourceError) -> SheetRow? {
        if let bad = badReference {
            throw SourceError(Origin(file: book.display, sheet: sheet, row: lastRow + 1),
                              Message(zh: "单元格引用「\(bad.prefix(40))」超出\(Self.sheetLimit.zh)，文件已损坏", en: "cell reference '\(bad.prefix(40))' lies outside \(Self.sheetLimit.en); the file is damaged"),
                              suggestion: Message(zh: "用 Excel 或 WPS 打开后另存再试", en: "open it in Excel or WPS, save a copy and try again"))
        }
        while ready.isEmpty && !done {
            let chunk = handle.readData(ofLength: 256 << 10)
            let final = chunk.isEmpty
            if let e = chunk.withUnsafeBytes({ xml.feed($0, final: final) }) {
                throw SourceError(Origin(file: book.display, sheet: sheet, row: lastRow), Message(zh: "工作表 XML 损坏：\(e)", en: "the sheet's XML is broken: \(e)"))
            }
            if final { done = true }
            if badReference != nil { return try nextRow() }
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    private func start(_ name: String, _ a: XMLAttributes) {
        switch name {
        case "row":
            var n = lastRow + 1
            if let r = a["r"] {
                guard let v = Int(r), v >= 1, v <= 1_048_576 else { badReference = badReference ?? r; return }
                n = v
            }
            row = SheetRow(number: n, cells: [])
            column = 0
        case "c":
            if let r = a["r"] {
                guard let ref = Self.cellRef(r) else { badReference = badReference ?? r; return }
                column = ref.1
            }
            type = a["t"] ?? "n"
            style = a["s"].flatMap { Int($0) } ?? -1
            hasFormula = false
            value.removeAll(keepingCapacity: true)
        case "v": inValue = true
        case "is": inInline = true
        case "f": hasFormula = true
        case "rPh": inPhonetic = true
        default: break
        }
    }

    private func end(_ name: String) {
        switch name {
        case "v": inValue = false
        case "is": inInline = false
        case "rPh": inPhonetic = false
        case "c": finishCell()
        case "row":
            guard var r = row else { return }
            merges.fill(&r.cells, row: r.number - 1)
            while let last = r.cells.last, last.isEmpty { r.cells.removeLast() }
            lastRow = r.number
            ready.append(r)
            row = nil
        default: break
        }
    }

    private func finishCell() {
        guard row != nil else { return }
        let raw = String(decoding: value, as: UTF8.self)
        var text = ""
        switch type {
        case "s": text = Int(raw).flatMap { $0 >= 0 && $0 < book.sharedStrings.count ? book.sharedStrings[$0] : nil } ?? ""
        case "inlineStr", "str": text = XLSXBook.unescape(raw)
        case "b": text = raw == "1" ? "TRUE" : raw == "0" ? "FALSE" : raw
        case "e":
            row!.notes.append(CellNote(column: column, code: "formula-error", severity: .warning,
                                       message: Message(zh: "单元格是错误值 \(raw)，按空值处理", en: "the cell holds the error \(raw); taken as blank"), value: raw))
        case "d": text = raw.count >= 10 && raw.hasSuffix("T00:00:00") || raw.count == 10 ? String(raw.prefix(10)) : raw
        default:
            if let d = Double(raw) {
                switch book.dateStyles[style] {
                case .date: text = Self.dateText(d, date1904: book.date1904)
                case .time: text = Self.timeText(d - d.rounded(.down))
                case .duration: text = Self.timeText(d, hours: true)
                case nil: text = SpreadsheetValues.text(d)
                }
            } else {
                text = raw
            }
        }
        if hasFormula && raw.isEmpty && type != "e" {
            row!.notes.append(CellNote(column: column, code: "formula-no-value", severity: .warning,
                                       message: Message(zh: "公式单元格没有保存计算结果，按空值处理", en: "the formula cell has no saved result; taken as blank")))
        }
        while row!.cells.count < column { row!.cells.append("") }
        if row!.cells.count == column { row!.cells.append(text) } else { row!.cells[column] = text }
        column += 1
    }

    /// An Excel serial as a date (and time, if it has one).
    static func dateText(_ serial: Double, date1904: Bool) -> String {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return SpreadsheetValues.text(serial) }
        let days = Int(serial.rounded(.down))
        let secs = Int(((serial - Double(days)) * 86400).rounded())
        var date = ""
        if days > 0 || date1904 {
            // Day 0 of the 1900 system is 1899-12-31 for serials below 60 (Excel's phantom 29 Feb 1900).
            let (y, m, d) = CivilDate.excel(days, date1904: date1904)
            date = String(format: "%04d-%02d-%02d", y, m, d)
        }
        if secs == 0 || secs == 86400 { return date.isEmpty ? "00:00:00" : date }
        let time = String(format: "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)
        return date.isEmpty ? time : date + " " + time
    }

    /// A fraction of a day as HH:MM:SS; with `hours`, a duration whose hours may pass 24.
    static func timeText(_ days: Double, hours: Bool = false) -> String {
        guard days.isFinite, days >= 0, days < 1e7 else { return SpreadsheetValues.text(days) }
        let secs = Int((days * 86400).rounded())
        let h = hours ? secs / 3600 : secs / 3600 % 24
        return String(format: "%02d:%02d:%02d", h, secs / 60 % 60, secs % 60)
    }
}
