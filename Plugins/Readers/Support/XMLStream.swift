import Foundation
import CExpat

/// A push parser over libexpat: feed it chunks, it calls back with elements and text. Element
/// names arrive without their namespace prefix. Used for the parts of an .xlsx, so a sheet is
/// parsed chunk by chunk and never held whole.
final class XMLStream {
    typealias Start = (_ name: Substring, _ attributes: [Substring: String]) -> Void
    typealias End = (_ name: Substring) -> Void
    typealias Text = (_ bytes: UnsafeBufferPointer<UInt8>) -> Void

    private let parser: XML_Parser
    var onStart: Start = { _, _ in }
    var onEnd: End = { _ in }
    var onText: Text = { _ in }

    init() {
        parser = XML_ParserCreate(nil)
        XML_SetUserData(parser, Unmanaged.passUnretained(self).toOpaque())
        XML_SetElementHandler(parser, { data, name, attrs in
            let me = Unmanaged<XMLStream>.fromOpaque(data!).takeUnretainedValue()
            var a: [Substring: String] = [:]
            var p = attrs
            while let k = p?.pointee, let v = p?.advanced(by: 1).pointee {
                a[XMLStream.local(k)] = String(cString: v)
                p = p?.advanced(by: 2)
            }
            me.onStart(XMLStream.local(name!), a)
        }, { data, name in
            Unmanaged<XMLStream>.fromOpaque(data!).takeUnretainedValue().onEnd(XMLStream.local(name!))
        })
        XML_SetCharacterDataHandler(parser) { data, s, len in
            let me = Unmanaged<XMLStream>.fromOpaque(data!).takeUnretainedValue()
            s!.withMemoryRebound(to: UInt8.self, capacity: Int(len)) { me.onText(UnsafeBufferPointer(start: $0, count: Int(len))) }
        }
    }

    deinit { XML_ParserFree(parser) }

    private static func local(_ name: UnsafePointer<CChar>) -> Substring {
        let s = String(cString: name)
        if let i = s.lastIndex(of: ":") { return s[s.index(after: i)...] }
        return s[...]
    }

    /// Feeds a chunk; returns an error description with the line when the XML is broken.
    func feed(_ bytes: UnsafeRawBufferPointer, final: Bool) -> String? {
        let ok = XML_Parse(parser, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), final ? 1 : 0)
        if ok == XML_STATUS_ERROR {
            let code = XML_GetErrorCode(parser)
            return "\(String(cString: XML_ErrorString(code))) (line \(XML_GetCurrentLineNumber(parser)))"
        }
        return nil
    }

    /// Parses a whole (small) document.
    func parse(_ data: Data) -> String? {
        data.withUnsafeBytes { feed($0, final: true) }
    }
}
