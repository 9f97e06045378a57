import Foundation
import TaizhangCore
import TaizhangReaders
import TaizhangForms
import ZIPFoundation

/// `write: xlsx-template` — fills the higher unit's own workbook: the form names a template .xlsx
/// and which cells take which figure (`template:` in the form file); the filled copy is written to
/// `path`, the template itself is never changed. Only the target cells change: each is replaced
/// (or added) in place in its sheet's XML, found with expat by byte offset; every other part of
/// the package — styles, merged cells, formulas, other sheets, print settings, defined names — is
/// copied as it was (ZIPFoundation). The workbook is marked to recalculate on opening, so
/// formulas over the filled cells show their new values. A target that holds a formula, or lies
/// inside a merged range other than at its top-left, is refused, naming the cell.
public enum XLSXTemplateWriterPlugin {
    public static let spec = PluginSpec(
        name: "xlsx-template", kind: .writer,
        summary: Message(zh: "把报表数字填进上级下发的 .xlsx 模板（表式文件的 template: 指定模板和单元格），模板的其余部分原样保留",
                         en: "Fills the higher unit's own .xlsx template with the return's figures (the form's template: names it and the cells); the rest of the template is kept as it was"),
        options: [OptionSpec("path", .outputPath, required: true, doc: Message(zh: "填好的工作簿（.xlsx）；模板本身不会被改动", en: "the filled workbook (.xlsx); the template itself is never changed")),
                  OptionSpec("form", .string, doc: Message(zh: "填哪个表式的模板（统计了几个带模板的表式时必填）", en: "whose template to fill (needed when several counted forms have one)"))],
        file: "Plugins/Writers/XLSXTemplateWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, _, _ in
        try XLSXTemplateWriter(path: path, form: options.string("form"))
    }
}

final class XLSXTemplateWriter: Writer {
    private let out: OutputFile
    private let form: String?

    init(path: String, form: String?) throws {
        out = try OutputFile(path: path)
        self.form = form
    }

    func write(_ batch: Batch) throws {}

    func abort() { out.abort() }

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        do {
            let withTemplate = summary.tables.filter { $0.template != nil && (form == nil || $0.form == form) }
            guard let main = withTemplate.first, let template = main.template else {
                throw fail(form.map { "表式「\($0)」没有 template:（模板及其单元格）/ form '\($0)' names no template" }
                           ?? "本次统计的表式都没有 template:（在表式文件中写明模板和单元格）/ no counted form names a template")
            }
            if form == nil && withTemplate.count > 1 {
                throw fail("有 \(withTemplate.count) 个表式带模板（\(withTemplate.compactMap(\.form).joined(separator: "、"))），用 form: 指明填哪一个 / several forms have a template: name one with form:")
            }
            let values = try template.cells.map { c in (c.cell, try value(c, main: main, tables: summary.tables.filter { $0.form == main.form })) }
            let filled = try TemplateFill.fill(template: template.file, sheet: template.sheet, values: values)
            try out.write(Array(filled))
            return [try out.seal()]
        } catch {
            out.abort()
            throw error
        }
    }

    private func fail(_ reason: String) -> OutputError { OutputError(path: out.path, reason: reason) }

    /// A template cell's value: a figure of the form's tables (row by key or label, column by key or
    /// number) or one of the texts.
    private func value(_ c: StatTable.Template.Cell, main: StatTable, tables: [StatTable]) throws -> TemplateFill.Value {
        if let text = c.text {
            switch text {
            case "unit": return .text(main.unit)
            case "period": return .text(main.period)
            case "period_label": return .text(main.periodLabel)
            case "title": return .text(main.title)
            case "report_date": return .text(main.template?.texts["report_date"] ?? "")
            default: throw fail("模板 \(c.cell)：不认识的文字「\(text)」 / template \(c.cell): unknown text '\(text)'")
            }
        }
        let table = c.table.flatMap { key in tables.first { $0.formTable == key && !$0.key.hasPrefix("unit:") } } ?? main
        guard let rowKey = c.row, let row = table.rows.first(where: { $0.key == rowKey }) ?? table.rows.first(where: { $0.label == rowKey }) else {
            let rows = table.rows.map(\.key) + table.rows.map(\.label)
            throw fail("模板 \(c.cell)：表中没有行「\(c.row ?? "")」（有：\(table.rows.map { "\($0.key)=\($0.label)" }.prefix(20).joined(separator: "，"))）"
                       + (Suggest.closest(to: c.row ?? "", in: rows).map { "，是不是「\($0)」？" } ?? "") + " / template \(c.cell): no row '\(c.row ?? "")'")
        }
        guard let colKey = c.column, let col = table.columns.firstIndex(where: { $0.key == colKey }) ?? Int(colKey).flatMap({ $0 >= 1 && $0 <= table.columns.count ? $0 - 1 : nil }) else {
            throw fail("模板 \(c.cell)：表中没有栏「\(c.column ?? "")」 / template \(c.cell): no column '\(c.column ?? "")'")
        }
        if let share = table.columns[col].derived?.share {
            guard let x = row.ratios?[col] ?? nil else { return .text("—") }
            return .number(x, decimals: share.decimals)
        }
        guard let n = row.counts[col] else { return .text("—") }
        return .number(Double(n), decimals: 0)
    }
}

/// The filling itself: a template's parts copied, the target sheet's XML edited at the targets only.
enum TemplateFill {
    enum Value: Equatable {
        case number(Double, decimals: Int)
        case text(String)
    }

    /// What a template's problem is, said in both languages (the writer names the output).
    static func problem(_ zh: String, _ en: String) -> OutputError { OutputError(path: "xlsx-template", reason: "\(zh) / \(en)") }

    /// The filled workbook's bytes.
    static func fill(template: String, sheet wanted: String?, values: [(String, Value)]) throws -> Data {
        let display = Options.display(template)
        guard FileManager.default.fileExists(atPath: template) else {
            throw problem("模板文件不存在：\(display)", "template not found: \(display)")
        }
        let zip: ZipParts
        do { zip = try ZipParts(path: template) } catch {
            throw problem("模板 \(display) 不是 .xlsx 文件（模板须为 Excel 2007 及以后的 .xlsx；.xls 请先在 Excel 或 WPS 中另存为 .xlsx）",
                          "template \(display) is not an .xlsx file (save an .xls as .xlsx first)")
        }
        func part(_ name: String) throws -> Data {
            guard let p = zip.parts[name] else { throw problem("模板 \(display) 缺少 \(name)：不是完整的 .xlsx", "template \(display) lacks \(name): not a whole .xlsx") }
            var data = Data()
            do { try zip.extract(p) { data.append($0) } } catch {
                throw problem("模板 \(display) 的 \(name) 已损坏，无法读取", "template \(display): \(name) is damaged")
            }
            return data
        }
        // Which part is the sheet: workbook.xml names it, its relationships give the part.
        let workbook = try part("xl/workbook.xml")
        var sheets: [(name: String, id: String)] = []
        let wbXML = XMLStream()
        wbXML.onStart = { name, a in if name == "sheet", let n = a["name"], let id = a["id"] { sheets.append((n, id)) } }
        if let e = wbXML.parse(workbook) { throw problem("模板 \(display) 的 workbook.xml 无法解析：\(e)", "template \(display): workbook.xml cannot be parsed: \(e)") }
        var targets: [String: String] = [:]
        let rels = XMLStream()
        rels.onStart = { name, a in if name == "Relationship", let id = a["Id"], let t = a["Target"] { targets[id] = t } }
        _ = rels.parse(try part("xl/_rels/workbook.xml.rels"))
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
            guard let chosen = sheets.first(where: { $0.name == name }) else {
                throw problem("模板 \(display) 中没有工作表「\(name)」（有：\(sheets.map(\.name).joined(separator: "、"))）",
                              "template \(display) has no sheet '\(name)' (it has: \(sheets.map(\.name).joined(separator: ", ")))")
            }
            guard let target = targets[chosen.id] else { throw problem("模板 \(display)：找不到工作表「\(chosen.name)」的内容", "template \(display): sheet '\(chosen.name)' has no part") }
            let sheetPart = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            edited[sheetPart] = try SheetEdit(try part(sheetPart), sheet: chosen.name, display: display).apply(cells)
        }
        // Formulas over the filled cells show new values when the workbook opens.
        let wb = recalculateOnLoad(workbook)
        // The package again, part by part in its order, the edited parts in place of the old.
        let archive = try Archive(data: Data(), accessMode: .create)
        let stamp = Date(timeIntervalSince1970: 1_767_225_600)   // fixed: the same figures give the same bytes
        for name in zip.order {
            let data = try edited[name] ?? (name == "xl/workbook.xml" ? wb : part(name))
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp, compressionMethod: .deflate) { pos, size in
                data.subdata(in: Int(pos)..<(Int(pos) + size))
            }
        }
        guard let bytes = archive.data else { throw problem("无法写出填好的工作簿", "cannot write the filled workbook") }
        return bytes
    }

    /// `fullCalcOnLoad="1"` on the workbook's calcPr (added when it has none).
    static func recalculateOnLoad(_ workbook: Data) -> Data {
        var s = String(decoding: workbook, as: UTF8.self)
        if s.contains("fullCalcOnLoad") { return workbook }
        if let r = s.range(of: #"<([A-Za-z0-9]+:)?calcPr\b"#, options: .regularExpression) {
            s.insert(contentsOf: " fullCalcOnLoad=\"1\"", at: r.upperBound)
        } else if let r = s.range(of: #"</([A-Za-z0-9]+:)?(definedNames|externalReferences|sheets)>"#, options: [.regularExpression, .backwards]) {
            // calcPr comes after these (the schema's order), before anything else.
            let prefix = s[r].hasPrefix("</") ? String(s[r].dropFirst(2).prefix { $0 != ":" && $0 != ">" && $0 != "d" && $0 != "s" }) : ""
            s.insert(contentsOf: "<\(prefix.isEmpty ? "" : prefix + ":")calcPr fullCalcOnLoad=\"1\"/>", at: r.upperBound)
        }
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

    init(_ xml: Data, sheet: String, display: String) throws {
        self.xml = xml
        self.sheet = sheet
        self.display = display
        let parser = XMLStream()
        var stack: [(name: String, start: Int, tagEnd: Int)] = []
        var rowNumber = 0, column = -1
        var current: (ref: String, style: String?, formula: Bool, start: Int, tagEnd: Int, column: Int)?
        var rowStart: (Int, Int)?
        var result = self
        parser.onStart = { name, a in
            let at = parser.eventStart, len = parser.eventLength
            stack.append((name, at, at + len))
            switch name {
            case "sheetData":
                result.prefix = SheetEdit.prefix(xml, at)
            case "row":
                rowNumber = a["r"].flatMap { Int($0) } ?? rowNumber + 1
                column = -1
                rowStart = (at, at + len)
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
            case "row": result.rows.append((rowNumber, element)); rowStart = nil
            case "c":
                if let c = current { result.cells[c.ref] = (element, c.style, c.formula, rowNumber - 1, c.column) }
                current = nil
            default: break
            }
        }
        if let e = parser.parse(xml) {
            throw TemplateFill.problem("模板 \(display) 的工作表「\(sheet)」无法解析：\(e)", "template \(display): sheet '\(sheet)' cannot be parsed: \(e)")
        }
        _ = rowStart
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

    func apply(_ values: [(String, TemplateFill.Value)]) throws -> Data {
        var edits: [(start: Int, end: Int, text: String)] = []
        var newCells: [Int: [(column: Int, xml: String)]] = [:]   // by row (0-based), for rows not in the sheet
        for (ref, value) in values {
            guard let address = CellAddress(ref) else { continue }
            for m in merged where address.row >= m.top && address.row <= m.bottom && address.column >= m.left && address.column <= m.right
                && !(address.row == m.top && address.column == m.left) {
                throw TemplateFill.problem("模板工作表「\(sheet)」的 \(ref) 在合并单元格 \(m.ref) 之内（只有左上角 \(CellAddress(row: m.top, column: m.left).a1) 能填）：请改为左上角单元格",
                                           "template sheet '\(sheet)': \(ref) lies inside the merged range \(m.ref); only its top-left cell \(CellAddress(row: m.top, column: m.left).a1) can be filled")
            }
            if let c = cells[address.a1] {
                if c.formula {
                    throw TemplateFill.problem("模板工作表「\(sheet)」的 \(address.a1) 是公式：不能填数字（会覆盖模板的公式）；请改填公式引用的单元格",
                                               "template sheet '\(sheet)': \(address.a1) holds a formula; it is not overwritten (fill the cells it refers to)")
                }
                edits.append((c.element.start, c.element.end, cellXML(address, c.style, value)))
                continue
            }
            let xml = cellXML(address, nil, value)
            if let row = rows.first(where: { $0.number == address.row + 1 }) {
                // Into the row, before the first cell to its right.
                let after = cells.values.filter { $0.row == address.row && $0.column > address.column }.min { $0.column < $1.column }
                if row.element.selfClosing {
                    let open = String(decoding: xml_(row.element.start, row.element.end), as: UTF8.self)
                    let tag = open.hasSuffix("/>") ? String(open.dropLast(2)) + ">" : open
                    edits.append((row.element.start, row.element.end, tag + xml + "</\(prefix)row>"))
                } else {
                    let at = after?.element.start ?? endTagStart(row.element)
                    edits.append((at, at, xml))
                }
            } else {
                newCells[address.row, default: []].append((address.column, xml))
            }
        }
        // Rows the sheet does not have yet, each before the first row below it.
        for (r, list) in newCells {
            let text = "<\(prefix)row r=\"\(r + 1)\">" + list.sorted { $0.column < $1.column }.map(\.xml).joined() + "</\(prefix)row>"
            let sd = sheetData!
            if sd.selfClosing {
                edits.append((sd.start, sd.end, "<\(prefix)sheetData>" + text + "</\(prefix)sheetData>"))
            } else {
                let at = rows.first { $0.number > r + 1 }?.element.start ?? endTagStart(sd)
                edits.append((at, at, text))
            }
        }
        // Several new rows into a self-closed sheetData: one edit.
        let sdEdits = edits.filter { $0.start == sheetData!.start && $0.end == sheetData!.end && sheetData!.selfClosing }
        if sdEdits.count > 1 {
            let rowsText = newCells.sorted { $0.key < $1.key }.map { r, list in
                "<\(prefix)row r=\"\(r + 1)\">" + list.sorted { $0.column < $1.column }.map(\.xml).joined() + "</\(prefix)row>"
            }.joined()
            edits.removeAll { $0.start == sheetData!.start && $0.end == sheetData!.end }
            edits.append((sheetData!.start, sheetData!.end, "<\(prefix)sheetData>" + rowsText + "</\(prefix)sheetData>"))
        }
        // Inserts at one place keep the order of their rows and columns.
        edits.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        var out = Data()
        var at = 0
        for e in edits {
            out.append(xml_(at, e.start))
            out.append(Data(e.text.utf8))
            at = max(at, e.end)
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
            let escaped = t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            return "<\(p)c r=\"\(a.a1)\"\(s) t=\"inlineStr\"><\(p)is><\(p)t>\(escaped)</\(p)t></\(p)is></\(p)c>"
        }
    }
}
