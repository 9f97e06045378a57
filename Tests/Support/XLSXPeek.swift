import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads back what a written workbook holds — cell values, fill colours, comments, merged
/// ranges — so tests can check what a user would see when opening it. For tests only: it loads
/// whole parts into memory.
public struct XLSXPeek {
    public struct Sheet {
        public var name: String
        /// A1 reference → text (numbers as Excel writes them).
        public var values: [String: String] = [:]
        /// A1 reference → fill colour (ARGB, e.g. FFFFC7CE), for filled cells.
        public var fills: [String: String] = [:]
        public var merges: [String] = []
        public var rowCount: Int { values.keys.compactMap { Int($0.drop(while: { $0.isLetter })) }.max() ?? 0 }
        public subscript(_ ref: String) -> String? { values[ref] }
    }

    public var sheets: [Sheet] = []
    /// Comments of all sheets: A1 reference → text.
    public var comments: [String: String] = [:]
    public var sheetNames: [String] { sheets.map(\.name) }

    public func sheet(_ name: String) -> Sheet? { sheets.first { $0.name == name } }

    /// The raw XML of one part (e.g. `xl/worksheets/sheet1.xml`), for checks on page setup.
    public static func part(_ path: String, _ name: String) throws -> String? {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        guard let e = archive[name] else { return nil }
        var d = Data()
        _ = try archive.extract(e) { d.append($0) }
        return String(decoding: d, as: UTF8.self)
    }

    /// The internal links of a sheet (1-based, in workbook order): cell → location.
    public static func links(_ path: String, sheet: Int) throws -> [String: String] {
        guard let xml = try part(path, "xl/worksheets/sheet\(sheet).xml") else { return [:] }
        let tree = XMLElements(Data(xml.utf8))
        var out: [String: String] = [:]
        for e in tree.elements where e.name == "hyperlink" {
            if let ref = e.attributes["ref"], let loc = e.attributes["location"] { out[ref] = loc }
        }
        return out
    }

    public init(path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        func part(_ name: String) throws -> Data? {
            guard let e = archive[name] else { return nil }
            var d = Data()
            _ = try archive.extract(e) { d.append($0) }
            return d
        }
        let shared = try part("xl/sharedStrings.xml").map { XMLElements($0).texts(of: "si") } ?? []
        // styles: cellXfs index → fill colour
        var xfFill: [Int: String] = [:]
        if let styles = try part("xl/styles.xml") {
            let tree = XMLElements(styles)
            let fills = tree.fillColours()
            for (i, fillId) in tree.cellXfFillIds().enumerated() { if let c = fills[fillId], fillId >= 2 { xfFill[i] = c } }
        }
        let names = try part("xl/workbook.xml").map { XMLElements($0).attributes(of: "sheet", "name") } ?? []
        for (i, name) in names.enumerated() {
            var sheet = Sheet(name: name)
            if let data = try part("xl/worksheets/sheet\(i + 1).xml") {
                for cell in XMLElements(data).cells() {
                    var v = cell.value
                    if cell.type == "s", let k = Int(v), k < shared.count { v = shared[k] }
                    sheet.values[cell.ref] = v
                    if let s = cell.style, let c = xfFill[s] { sheet.fills[cell.ref] = c }
                }
                sheet.merges = XMLElements(data).attributes(of: "mergeCell", "ref")
            }
            sheets.append(sheet)
        }
        var k = 1
        while let c = try part("xl/comments\(k).xml") {
            for (ref, text) in XMLElements(c).comments() { comments[ref] = text }
            k += 1
        }
    }
}

/// A tiny SAX collector over one XML part.
final class XMLElements: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String]; var text: String; var depth: Int }
    private(set) var elements: [Element] = []
    private var stack: [Int] = []

    init(_ data: Data) {
        super.init()
        let p = XMLParser(data: data)
        p.delegate = self
        p.parse()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        let local = name.split(separator: ":").last.map(String.init) ?? name
        elements.append(Element(name: local, attributes: attributes, text: "", depth: stack.count))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = stack.last { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        _ = stack.popLast()
    }

    /// Elements nested under element `i`.
    private func children(of i: Int) -> ArraySlice<Element> {
        let d = elements[i].depth
        var j = i + 1
        while j < elements.count && elements[j].depth > d { j += 1 }
        return elements[(i + 1)..<j]
    }

    func attributes(of name: String, _ attribute: String) -> [String] {
        elements.filter { $0.name == name }.compactMap { $0.attributes[attribute] }
    }

    /// The concatenated <t> texts under each `name` element (shared strings, rich text).
    func texts(of name: String) -> [String] {
        elements.indices.filter { elements[$0].name == name }.map { i in children(of: i).filter { $0.name == "t" }.map(\.text).joined() }
    }

    func cells() -> [(ref: String, type: String?, style: Int?, value: String)] {
        elements.indices.filter { elements[$0].name == "c" }.map { i in
            let e = elements[i]
            let kids = children(of: i)
            let v = e.attributes["t"] == "inlineStr" ? kids.filter { $0.name == "t" }.map(\.text).joined() : (kids.first { $0.name == "v" }?.text ?? "")
            return (e.attributes["r"] ?? "", e.attributes["t"], e.attributes["s"].flatMap { Int($0) }, v)
        }
    }

    func fillColours() -> [Int: String] {
        var out: [Int: String] = [:]
        for (k, i) in elements.indices.filter({ elements[$0].name == "fill" }).enumerated() {
            if let c = children(of: i).first(where: { $0.name == "fgColor" })?.attributes["rgb"] { out[k] = c }
        }
        return out
    }

    func cellXfFillIds() -> [Int] {
        guard let xfs = elements.indices.first(where: { elements[$0].name == "cellXfs" }) else { return [] }
        return children(of: xfs).filter { $0.name == "xf" }.map { Int($0.attributes["fillId"] ?? "0") ?? 0 }
    }

    func comments() -> [(String, String)] {
        elements.indices.filter { elements[$0].name == "comment" }.map { i in
            (elements[i].attributes["ref"] ?? "", children(of: i).filter { $0.name == "t" }.map(\.text).joined())
        }
    }
}

/// Types text into one cell of a written workbook, as a clerk filling in a sheet would (for tests
/// of files that come back: a filled review sheet). The cell must exist in the sheet's XML.
public enum XLSXFill {
    public static func setText(_ path: String, sheetPart: String = "xl/worksheets/sheet1.xml", ref: String, text: String) throws {
        let url = URL(fileURLWithPath: path)
        guard let xml = try XLSXPeek.part(path, sheetPart) else { throw CocoaError(.fileReadCorruptFile) }
        let cell = try NSRegularExpression(pattern: "<c r=\"\(ref)\"([^>]*?)(/>|>.*?</c>)")
        guard let m = cell.firstMatch(in: xml, range: NSRange(xml.startIndex..., in: xml)),
              let whole = Range(m.range, in: xml), let attrs = Range(m.range(at: 1), in: xml) else { throw CocoaError(.fileReadCorruptFile) }
        let style = xml[attrs].replacingOccurrences(of: #"\s*t="[^"]*""#, with: "", options: .regularExpression)
        let edited = xml.replacingCharacters(in: whole, with: "<c r=\"\(ref)\"\(style) t=\"inlineStr\"><is><t>\(text)</t></is></c>")
        let archive = try Archive(url: url, accessMode: .update)
        if let e = archive[sheetPart] { try archive.remove(e) }
        let data = Data(edited.utf8)
        try archive.addEntry(with: sheetPart, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
