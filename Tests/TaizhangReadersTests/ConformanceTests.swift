import Foundation
import Testing
import TaizhangCore
@testable import TaizhangReaders

/// csv-spectrum: every file gives exactly the expected records.
@Suite(needsCorpora) struct CSVSpectrumTests {
    static let dir = corporaRoot.appendingPathComponent("csv/csv-spectrum")
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("csvs").path)) ?? [])
        .filter { $0.hasSuffix(".csv") }.sorted()

    @Test func corpusIsWhole() {
        #expect(Self.names.count == 11, "\(Self.dir.path) is incomplete")
    }

    @Test(arguments: names)
    func matchesExpectedJSON(_ name: String) throws {
        var bytes = Array(try Data(contentsOf: Self.dir.appendingPathComponent("csvs/\(name)")))
        if name.contains("crlf") {
            // Upstream gets CRLF from .gitattributes; here the files have LF: convert.
            var out: [UInt8] = []
            for b in bytes { if b == 0x0A { out.append(0x0D) }; out.append(b) }
            bytes = out
        }
        let scratch = Scratch()
        let path = scratch.file(name, bytes)
        let result = try readAll(path, with: CSVReaderPlugin.plugin, options: ["encoding": "utf-8", "delimiter": ","])
        let jsonName = name.replacingOccurrences(of: ".csv", with: ".json")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dir.appendingPathComponent("json/\(jsonName)"))) as! [[String: String]]
        let got = result.rows.map { row in Dictionary(uniqueKeysWithValues: zip(result.header, row)) }
        #expect(got == expected, "\(name)")
        #expect(result.read == expected.count)
    }
}

/// JSONTestSuite: every y_ file parses, every n_ file is rejected with an error, no i_ file crashes.
@Suite(needsCorpora) struct JSONTestSuiteTests {
    static let dir = corporaRoot.appendingPathComponent("json/JSONTestSuite")
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()

    @Test func corpusIsWhole() {
        #expect(Self.names.count > 300, "\(Self.dir.path) is incomplete")
    }

    /// nil when the file was accepted; the error text when it was rejected.
    func outcome(_ name: String) -> String? {
        do {
            let r = try readAll(Self.dir.appendingPathComponent(name).path, with: JSONReaderPlugin.plugin, options: ["format": "array"])
            // An empty document is reported as an error issue rather than a thrown error.
            if let e = r.issues.first(where: { $0.code == "empty-file" }) { return e.message.en }
            return nil
        } catch {
            return error.text(.en)
        }
    }

    @Test(arguments: names.filter { $0.hasPrefix("y_") })
    func accepts(_ name: String) {
        #expect(outcome(name) == nil, "\(name) should parse")
    }

    @Test(arguments: names.filter { $0.hasPrefix("n_") })
    func rejects(_ name: String) {
        let e = outcome(name)
        #expect(e != nil, "\(name) should be rejected")
        if let e { #expect(e.contains(name) || e.contains("JSON") || e.contains("empty"), "error names the file or the problem: \(e)") }
    }

    @Test(arguments: names.filter { $0.hasPrefix("i_") })
    func implementationDefinedDoesNotCrash(_ name: String) {
        _ = outcome(name)
    }
}
