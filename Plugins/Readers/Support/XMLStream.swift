import Foundation
import CExpat

/// A push parser over libexpat: feed it chunks, it calls back with elements and text. Element
/// names arrive without their namespace prefix. Used for the parts of an .xlsx, so a sheet is
/// parsed chunk by chunk and never held whole.
package final class XMLStream {
    package typealias Start = (_ name: String, _ attributes: XMLAttributes) -> Void
    package typealias End = (_ name: String) -> Void
    package typealias Text = (_ bytes: UnsafeBufferPointer<UInt8>) -> Void

    private let parser: XML_Parser
    package var onStart: Start = { _, _ in }
    package var onEnd: End = { _ in }
    package var onText: Text = { _ in }

    package init() {
        parser = XML_ParserCreate(nil)
        XML_SetUserData(parser, Unmanaged.passUnretained(self).toOpaque())
        XML_SetElementHandler(parser, { data, name, attrs in
            let me = Unmanaged<XMLStream>.fromOpaque(data!).takeUnretainedValue()
            me.onStart(XMLStream.local(name!), XMLAttributes(pairs: attrs))
        }, { data, name in
            Unmanaged<XMLStream>.fromOpaque(data!).takeUnretainedValue().onEnd(XMLStream.local(name!))
        })
        XML_SetCharacterDataHandler(parser) { data, s, len in
            let me = Unmanaged<XMLStream>.fromOpaque(data!).takeUnretainedValue()
            s!.withMemoryRebound(to: UInt8.self, capacity: Int(len)) { me.onText(UnsafeBufferPointer(start: $0, count: Int(len))) }
        }
    }

    deinit { XML_ParserFree(parser) }

    /// Where the event being reported starts in the input (bytes) and how many bytes it spans (0
    /// for the end of an empty element, `<c r="A1"/>`): for editing a part in place.
    package var eventStart: Int { Int(XML_GetCurrentByteIndex(parser)) }
    package var eventLength: Int { Int(XML_GetCurrentByteCount(parser)) }

    /// The name without its namespace prefix (`x:row` → `row`). Element names are short ASCII, so
    /// the String is stored inline (no allocation): this runs for every element of a sheet.
    static func local(_ name: UnsafePointer<CChar>) -> String {
        let (start, count) = localRange(name)
        return String(decoding: UnsafeRawBufferPointer(start: name + start, count: count), as: UTF8.self)
    }

    static func localRange(_ name: UnsafePointer<CChar>) -> (start: Int, count: Int) {
        var i = 0, start = 0
        while name[i] != 0 {
            if name[i] == 0x3A { start = i + 1 }
            i += 1
        }
        return (start, i - start)
    }

    /// Feeds a chunk; returns an error description with the line when the XML is broken.
    package func feed(_ bytes: UnsafeRawBufferPointer, final: Bool) -> String? {
        let ok = XML_Parse(parser, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), final ? 1 : 0)
        if ok == XML_STATUS_ERROR {
            let code = XML_GetErrorCode(parser)
            return "\(String(cString: XML_ErrorString(code))) (line \(XML_GetCurrentLineNumber(parser)))"
        }
        return nil
    }

    /// Parses a whole (small) document.
    package func parse(_ data: Data) -> String? {
        data.withUnsafeBytes { feed($0, final: true) }
    }
}

/// An element's attributes as expat hands them over (name, value, name, value …), looked up by
/// local name without building a dictionary per element. Valid only inside the start callback.
package struct XMLAttributes {
    let pairs: UnsafeMutablePointer<UnsafePointer<CChar>?>?

    package subscript(_ key: String) -> String? {
        guard var p = pairs else { return nil }
        let wanted = key.utf8
        while let k = p.pointee, let v = p.advanced(by: 1).pointee {
            let (start, count) = XMLStream.localRange(k)
            if count == wanted.count {
                var j = start
                var same = true
                for b in wanted {
                    if UInt8(bitPattern: k[j]) != b { same = false; break }
                    j += 1
                }
                if same { return String(cString: v) }
            }
            p = p.advanced(by: 2)
        }
        return nil
    }
}
