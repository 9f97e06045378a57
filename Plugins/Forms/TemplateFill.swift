import Foundation
import TaizhangCore
import TaizhangReaders
import ZIPFoundation

/// The filling itself: a template's parts copied, the target sheet's XML edited at the targets only.
public enum TemplateFill {
    public enum Value: Equatable {
        case number(Double, decimals: Int)
        case text(String)
    }

    /// What a template's problem is, said in both languages (the writer names the output).
    static func problem(_ zh: String, _ en: String) -> Problem { Problem(message: Message(zh: zh, en: en)) }

    public struct Problem: Error {
        public var message: Message
    }

    /// The filled workbook's bytes.
    public static func fill(template: String, sheet wanted: String?, values: [(String, Value)]) throws -> Data {
        let book = try Book(template)
        let display = book.display
        func part(_ name: String) throws -> Data { try book.part(name) }
        let workbook = try part("xl/workbook.xml")
        let sheets = book.sheets
        // Cells written `表2!C7` go to that sheet; the others to `sheet` (the first sheet by default).
        var bySheet: [String: [(String, Value)]] = [:]
        for (cell, value) in values {
            if let bang = cell.lastIndex(of: "!") {
                bySheet[String(cell[..<bang]), default: []].append((String(cell[cell.index(after: bang)...]), value))
            } else {
                bySheet[wanted ?? sheets.first?.name ?? "", default: []].append((cell, value))
            }
        }
        var edited: [String: Data] = [:]
        for (name, cells) in bySheet.sorted(by: { $0.key < $1.key }) {
            let sheetPart = try book.partOf(sheet: name)
            edited[sheetPart] = try SheetEdit(try part(sheetPart), sheet: name, display: display).apply(cells)
        }
        // A formula's stored result would show the template's old figure until recalculated (and
        // LibreOffice keeps it): formulas on the filled sheets, and on sheets that refer to them,
        // lose their stored result; Excel and LibreOffice work them out on opening.
        let filledNames = Set(bySheet.keys)
        for s in sheets {
            guard let p = try? book.partOf(sheet: s.name), edited[p] == nil, let xml = try? part(p) else { continue }
            let text = String(decoding: xml, as: UTF8.self)
            guard filledNames.contains(where: { text.contains("\($0)!") || text.contains("'\($0.replacingOccurrences(of: "'", with: "''"))'!") }) else { continue }
            edited[p] = try SheetEdit(xml, sheet: s.name, display: display).apply([])
        }
        // Formulas over the filled cells show new values when the workbook opens.
        let wb = recalculateOnLoad(workbook)
        // The package again, part by part in its order, the edited parts in place of the old.
        let archive = try Archive(data: Data(), accessMode: .create)
        let stamp = Date(timeIntervalSince1970: 1_767_225_600)   // fixed: the same figures give the same bytes
        for name in book.zip.order {
            let data = try edited[name] ?? (name == "xl/workbook.xml" ? wb : part(name))
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp, compressionMethod: .deflate) { pos, size in
                data.subdata(in: Int(pos)..<(Int(pos) + size))
            }
        }
        guard let bytes = archive.data else { throw problem("无法写出填好的工作簿", "cannot write the filled workbook") }
        return bytes
    }

    /// An opened template: its parts, its sheets and which part each is.
    struct Book {
        let zip: ZipParts
        let display: String
        var sheets: [(name: String, id: String)] = []
        var targets: [String: String] = [:]

        init(_ template: String) throws {
            display = Options.display(template)
            guard FileManager.default.fileExists(atPath: template) else {
                throw problem("模板文件不存在：\(display)", "template not found: \(display)")
            }
            do { zip = try ZipParts(path: template) } catch {
                if let head = FileHandle(forReadingAtPath: template)?.readData(ofLength: 4), head == Data([0xD0, 0xCF, 0x11, 0xE0]) {
                    throw problem("模板 \(display) 是加了密码的 .xlsx 或旧的 .xls：请在 Excel 或 WPS 中去掉密码、另存为 .xlsx",
                                  "template \(display) is a password-protected .xlsx or an old .xls: remove the password and save it as .xlsx")
                }
                throw problem("模板 \(display) 不是 .xlsx 文件（模板须为 Excel 2007 及以后的 .xlsx；.xls 请先在 Excel 或 WPS 中另存为 .xlsx）",
                              "template \(display) is not an .xlsx file (save an .xls as .xlsx first)")
            }
            let workbook = try part("xl/workbook.xml")
            var sheets: [(name: String, id: String)] = []
            let wbXML = XMLStream()
            wbXML.onStart = { name, a in if name == "sheet", let n = a["name"], let id = a["id"] { sheets.append((n, id)) } }
            if let e = wbXML.parse(workbook) { throw problem("模板 \(display) 的 workbook.xml 无法解析：\(e)", "template \(display): workbook.xml cannot be parsed: \(e)") }
            var targets: [String: String] = [:]
            let rels = XMLStream()
            rels.onStart = { name, a in if name == "Relationship", let id = a["Id"], let t = a["Target"] { targets[id] = t } }
            _ = rels.parse(try part("xl/_rels/workbook.xml.rels"))
            self.sheets = sheets
            self.targets = targets
        }

        /// A template part larger than this is refused (a template is a form, not a ledger).
        static let largestPart = 256 << 20

        func part(_ name: String) throws -> Data {
            guard let p = zip.parts[name] else { throw problem("模板 \(display) 缺少 \(name)：不是完整的 .xlsx", "template \(display) lacks \(name): not a whole .xlsx") }
            var data = Data()
            struct TooLarge: Error {}
            do {
                try zip.extract(p) { chunk in
                    data.append(chunk)
                    if data.count > Book.largestPart { throw TooLarge() }
                }
            } catch is TooLarge {
                throw problem("模板 \(display) 的 \(name) 解压后超过 256 MB：不像是一张表式", "template \(display): \(name) unpacks to more than 256 MB")
            } catch {
                throw problem("模板 \(display) 的 \(name) 已损坏，无法读取", "template \(display): \(name) is damaged")
            }
            return data
        }

        func partOf(sheet name: String) throws -> String {
            guard let chosen = sheets.first(where: { $0.name == name }) else {
                throw problem("模板 \(display) 中没有工作表「\(name)」（有：\(sheets.map(\.name).joined(separator: "、"))）",
                              "template \(display) has no sheet '\(name)' (it has: \(sheets.map(\.name).joined(separator: ", ")))")
            }
            guard let target = targets[chosen.id] else { throw problem("模板 \(display)：找不到工作表「\(chosen.name)」的内容", "template \(display): sheet '\(chosen.name)' has no part") }
            if target.hasPrefix("/") { return String(target.dropFirst()) }
            return target.hasPrefix("xl/") ? target : "xl/" + target
        }
    }

    /// The template checked against the cells a form maps, before any data is read: it opens as an
    /// .xlsx, the sheets exist, and no target holds a formula or lies inside a merged range other
    /// than at its top-left. Each problem is said at the cell's line in the form file.
    public static func check(_ t: Form.Template) -> [Diagnostic] {
        let book: Book
        func said(_ e: any Error) -> Message { (e as? Problem)?.message ?? Message(zh: "模板无法读取：\(e)", en: "the template cannot be read: \(e)") }
        do { book = try Book(t.file) } catch { return [Diagnostic(.error, at: t.cells.first?.position, said(error))] }
        var out: [Diagnostic] = []
        var scanned: [String: SheetEdit] = [:]
        var seen: [String: Position] = [:]
        for c in t.cells {
            let (sheet, address): (String, String)
            if let bang = c.cell.lastIndex(of: "!") { (sheet, address) = (String(c.cell[..<bang]), String(c.cell[c.cell.index(after: bang)...])) }
            else { (sheet, address) = (t.sheet ?? book.sheets.first?.name ?? "", c.cell) }
            // B4 and 表1!B4 are one cell when 表1 is the template's sheet.
            if let first = seen["\(sheet)!\(address)"] {
                out.append(Diagnostic(.error, at: c.position, Message(zh: "模板单元格 \(sheet)!\(address) 被指定了两次（另一处在第 \(first.line) 行）", en: "template cell \(sheet)!\(address) is given twice (also at line \(first.line))")))
                continue
            }
            seen["\(sheet)!\(address)"] = c.position
            do {
                if scanned[sheet] == nil { scanned[sheet] = try SheetEdit(try book.part(try book.partOf(sheet: sheet)), sheet: sheet, display: book.display) }
                if let a = CellAddress(address), let why = scanned[sheet]!.refusal(a) { out.append(Diagnostic(.error, at: c.position, why.message)) }
            } catch {
                if !out.contains(where: { $0.message == said(error) }) { out.append(Diagnostic(.error, at: c.position, said(error))) }
            }
        }
        return out
    }

    /// `fullCalcOnLoad="1"` on the workbook's calcPr; when it has none, one is added where the
    /// schema puts it (after definedNames, externalReferences or sheets, whichever comes last), with
    /// the prefix the workbook gives its own elements.
    static func recalculateOnLoad(_ workbook: Data) -> Data {
        var s = String(decoding: workbook, as: UTF8.self)
        if s.contains("fullCalcOnLoad") { return workbook }
        if let r = s.range(of: #"<([A-Za-z0-9_]+:)?calcPr\b"#, options: .regularExpression) {
            s.insert(contentsOf: " fullCalcOnLoad=\"1\"", at: r.upperBound)
            return Data(s.utf8)
        }
        let closings = ["definedNames", "externalReferences", "sheets"].compactMap { name in
            s.range(of: "</([A-Za-z0-9_]+:)?\(name)>", options: [.regularExpression, .backwards])
        }
        guard let last = closings.max(by: { $0.upperBound < $1.upperBound }) else { return workbook }
        let tag = s[last]
        let prefix = tag.contains(":") ? String(tag.dropFirst(2).prefix { $0 != ":" }) + ":" : ""
        s.insert(contentsOf: "<\(prefix)calcPr fullCalcOnLoad=\"1\"/>", at: last.upperBound)
        return Data(s.utf8)
    }
}

/// One sheet's XML, with where each row and cell is (byte offsets), its merged ranges and formula
/// cells; `apply` returns the XML with the target cells replaced or added, nothing else touched.
struct SheetEdit {
    struct Element {
        var start: Int
        var end: Int            // exclusive
        var selfClosing: Bool
        var startTagEnd: Int    // end of the start tag
    }

    var xml: Data
    var sheet: String
    var display: String
    var prefix = ""
    var sheetData: Element?
    var rows: [(number: Int, element: Element)] = []
    var cells: [String: (element: Element, style: String?, formula: Bool, row: Int, column: Int)] = [:]
    var merged: [(top: Int, left: Int, bottom: Int, right: Int, ref: String)] = []
    /// The stored results (`<v>…</v>`) of formula cells, by byte range.
    var formulaValues: [Range<Int>] = []

    init(_ xml: Data, sheet: String, display: String) throws {
        self.xml = xml
        self.sheet = sheet
        self.display = display
        let parser = XMLStream()
        var stack: [(name: String, start: Int, tagEnd: Int)] = []
        var rowNumber = 0, column = -1
        var current: (ref: String, style: String?, formula: Bool, start: Int, tagEnd: Int, column: Int)?
        var valueRange: Range<Int>?
        var result = self
        parser.onStart = { name, a in
            let at = parser.eventStart, len = parser.eventLength
            stack.append((name, at, at + len))
            switch name {
            case "sheetData":
                result.prefix = SheetEdit.prefix(xml, at)
            case "row":
                // Excel's rows are 1 … 1,048,576: a number outside them (a damaged file) is not taken.
                rowNumber = a["r"].flatMap { Int($0) }.flatMap { (1...1_048_576).contains($0) ? $0 : nil } ?? min(rowNumber + 1, 1_048_576)
                column = -1
            case "c":
                let ref = a["r"] ?? CellAddress(row: rowNumber - 1, column: column + 1).a1
                column = CellAddress(ref)?.column ?? column + 1
                current = (ref.uppercased(), a["s"], false, at, at + len, column)
            case "f":
                current?.formula = true
            case "mergeCell":
                if let ref = a["ref"] {
                    let ends = ref.split(separator: ":").compactMap { CellAddress(String($0)) }
                    if ends.count == 2 { result.merged.append((ends[0].row, ends[0].column, ends[1].row, ends[1].column, ref)) }
                }
            default: break
            }
        }
        parser.onEnd = { name in
            let at = parser.eventStart, len = parser.eventLength
            guard let open = stack.popLast() else { return }
            let element = len == 0 ? Element(start: open.start, end: open.tagEnd, selfClosing: true, startTagEnd: open.tagEnd)
                                   : Element(start: open.start, end: at + len, selfClosing: false, startTagEnd: open.tagEnd)
            switch name {
            case "sheetData": result.sheetData = element
            case "row": result.rows.append((rowNumber, element))
            case "c":
                if let c = current {
                    result.cells[c.ref] = (element, c.style, c.formula, rowNumber - 1, c.column)
                    if c.formula, let v = valueRange { result.formulaValues.append(v) }
                }
                current = nil
                valueRange = nil
            case "v":
                if current != nil { valueRange = element.start..<element.end }
            default: break
            }
        }
        if let e = parser.parse(xml) {
            throw TemplateFill.problem("模板 \(display) 的工作表「\(sheet)」无法解析：\(e)", "template \(display): sheet '\(sheet)' cannot be parsed: \(e)")
        }
        self = result
        guard sheetData != nil else {
            throw TemplateFill.problem("模板 \(display) 的工作表「\(sheet)」没有 sheetData", "template \(display): sheet '\(sheet)' has no sheetData")
        }
    }

    /// The namespace prefix of the element starting at `at` (`x:` in `<x:sheetData>`), or "".
    static func prefix(_ xml: Data, _ at: Int) -> String {
        var name: [UInt8] = []
        var i = at + 1
        while i < xml.count, name.count < 64 {
            let b = xml[xml.startIndex + i]
            if b == 0x20 || b == 0x3E || b == 0x2F || b == 0x09 || b == 0x0A || b == 0x0D { break }
            name.append(b)
            i += 1
        }
        let s = String(decoding: name, as: UTF8.self)
        guard let colon = s.firstIndex(of: ":") else { return "" }
        return String(s[...colon])
    }

    /// Why a cell cannot take a figure: it holds a formula, or lies inside a merged range other
    /// than at its top-left.
    func refusal(_ address: CellAddress) -> TemplateFill.Problem? {
        for m in merged where address.row >= m.top && address.row <= m.bottom && address.column >= m.left && address.column <= m.right
            && !(address.row == m.top && address.column == m.left) {
            return TemplateFill.problem("模板工作表「\(sheet)」的 \(address.a1) 在合并单元格 \(m.ref) 之内（只有左上角 \(CellAddress(row: m.top, column: m.left).a1) 能填）：请改为左上角单元格",
                                        "template sheet '\(sheet)': \(address.a1) lies inside the merged range \(m.ref); only its top-left cell \(CellAddress(row: m.top, column: m.left).a1) can be filled")
        }
        if cells[address.a1]?.formula == true {
            return TemplateFill.problem("模板工作表「\(sheet)」的 \(address.a1) 是公式：不能填数字（会覆盖模板的公式）；请改填公式引用的单元格",
                                        "template sheet '\(sheet)': \(address.a1) holds a formula; it is not overwritten (fill the cells it refers to)")
        }
        return nil
    }

    func apply(_ values: [(String, TemplateFill.Value)]) throws -> Data {
        // Each edit replaces [start, end) (an insert when they are equal); edits at one place go in
        // the order of their rows and columns (`order`), so the same figures give the same bytes.
        var edits: [(start: Int, end: Int, order: Int, text: String)] = []
        var targets: [CellAddress: TemplateFill.Value] = [:]
        for (ref, value) in values {
            guard let address = CellAddress(ref) else {
                throw TemplateFill.problem("模板工作表「\(sheet)」：「\(ref)」不是单元格地址", "template sheet '\(sheet)': '\(ref)' is not a cell address")
            }
            if targets[address] != nil {
                throw TemplateFill.problem("模板工作表「\(sheet)」的 \(address.a1) 被指定了两次", "template sheet '\(sheet)': \(address.a1) is given twice")
            }
            if let why = refusal(address) { throw why }
            targets[address] = value
        }
        // Formulas keep their text and lose their stored result (worked out again on opening).
        for v in formulaValues { edits.append((v.lowerBound, v.upperBound, 0, "")) }
        var newRows: [Int: [(column: Int, xml: String)]] = [:]      // rows the sheet lacks, or holds empty (<row/>)
        for (address, value) in targets {
            if let c = cells[address.a1] {
                edits.append((c.element.start, c.element.end, 0, cellXML(address, c.style, value)))
                continue
            }
            let xml = cellXML(address, nil, value)
            if let row = rows.first(where: { $0.number == address.row + 1 }), !row.element.selfClosing {
                // Into the row, before the first cell to its right.
                let after = cells.values.filter { $0.row == address.row && $0.column > address.column }.min { $0.column < $1.column }
                let at = after?.element.start ?? endTagStart(row.element)
                edits.append((at, at, address.column, xml))
            } else {
                newRows[address.row, default: []].append((address.column, xml))
            }
        }
        var newSheetData: [String] = []
        for (r, list) in newRows.sorted(by: { $0.key < $1.key }) {
            let cellsText = list.sorted { $0.column < $1.column }.map(\.xml).joined()
            if let row = rows.first(where: { $0.number == r + 1 }) {
                // An empty <row r="8" ht="20"/> keeps its attributes and takes the cells.
                let open = String(decoding: xml_(row.element.start, row.element.end), as: UTF8.self)
                let tag = open.hasSuffix("/>") ? String(open.dropLast(2)).trimmingCharacters(in: .whitespaces) + ">" : open
                edits.append((row.element.start, row.element.end, 0, tag + cellsText + "</\(prefix)row>"))
                continue
            }
            let text = "<\(prefix)row r=\"\(r + 1)\">" + cellsText + "</\(prefix)row>"
            let sd = sheetData!
            if sd.selfClosing { newSheetData.append(text); continue }
            let at = rows.first { $0.number > r + 1 }?.element.start ?? endTagStart(sd)
            edits.append((at, at, r, text))
        }
        if !newSheetData.isEmpty, let sd = sheetData {
            let open = String(decoding: xml_(sd.start, sd.end), as: UTF8.self)
            let tag = open.hasSuffix("/>") ? String(open.dropLast(2)).trimmingCharacters(in: .whitespaces) + ">" : open
            edits.append((sd.start, sd.end, 0, tag + newSheetData.joined() + "</\(prefix)sheetData>"))
        }
        edits.sort { ($0.start, $0.end, $0.order) < ($1.start, $1.end, $1.order) }
        var out = Data()
        var at = 0
        for e in edits {
            // Edits never overlap: each cell and row is edited once, and no target holds a formula.
            guard e.start >= at else {
                throw TemplateFill.problem("模板工作表「\(sheet)」无法填写：两处修改重叠（请报告这个问题）", "template sheet '\(sheet)': two edits overlap (please report this)")
            }
            out.append(xml_(at, e.start))
            out.append(Data(e.text.utf8))
            at = e.end
        }
        out.append(xml_(at, xml.count))
        return out
    }

    private func xml_(_ a: Int, _ b: Int) -> Data { xml.subdata(in: (xml.startIndex + a)..<(xml.startIndex + b)) }

    /// Where an element's end tag starts (`</row>`).
    private func endTagStart(_ e: Element) -> Int {
        var i = e.end - 1
        while i > e.startTagEnd, xml[xml.startIndex + i] != 0x3C { i -= 1 }
        return i
    }

    private func cellXML(_ a: CellAddress, _ style: String?, _ v: TemplateFill.Value) -> String {
        let s = style.map { " s=\"\($0)\"" } ?? ""
        let p = prefix
        switch v {
        case .number(let x, let decimals):
            let text = decimals == 0 && x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.\(decimals)f", x)
            return "<\(p)c r=\"\(a.a1)\"\(s)><\(p)v>\(text)</\(p)v></\(p)c>"
        case .text(let t):
            let escaped = XMLForbidden.removing(from: t).0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            return "<\(p)c r=\"\(a.a1)\"\(s) t=\"inlineStr\"><\(p)is><\(p)t>\(escaped)</\(p)t></\(p)is></\(p)c>"
        }
    }
}
