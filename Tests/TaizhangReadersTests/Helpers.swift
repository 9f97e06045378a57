import Foundation
import Testing
import TaizhangCore
@testable import TaizhangReaders

/// What a reader produced for one file: header, rows as text, row numbers, issues, skipped rows.
struct ReadResult {
    var header: [String]
    var rows: [[String]]
    var rowNumbers: [Int]
    var issues: [TaizhangCore.Issue]
    var skipped: [SkippedRow]
    var read: Int
}

/// Reads a whole file with a reader plugin, the way the runner does (every column an extra
/// of an open schema), and returns everything it produced.
func readAll(_ path: String, with plugin: ReaderPlugin, options: [String: String] = [:], batchSize: Int = 3, schema: Schema = .open()) throws(SourceError) -> ReadResult {
    let opts = Options.strings(options.merging(["path": path]) { a, _ in a }, spec: plugin.spec)
    let reader = try plugin.open(path, URL(fileURLWithPath: path).lastPathComponent, opts, PluginContext(schema: schema))
    defer { reader.close() }
    var result = ReadResult(header: reader.header, rows: [], rowNumbers: [], issues: reader.openIssues, skipped: [], read: 0)
    result.read = try reader.drain(display: path, batchSize: batchSize) { b in
        for r in 0..<b.count {
            result.rows.append((0..<b.fieldCount).map { b.string(row: r, field: $0) })
            result.rowNumbers.append(b.rowNumbers[r])
        }
        result.issues += b.issues
        result.skipped += b.skipped
    }
    return result
}

/// A scratch folder for one test, removed at the end.
final class Scratch {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let p = url.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }
}

/// The shared corpora beside the repository (../shared/corpora), or where TAIZHANG_CORPORA says;
/// a user's clone has none, and the tests that need them are skipped with the reason.
let corporaRoot: URL = ProcessInfo.processInfo.environment["TAIZHANG_CORPORA"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpora")
let corporaPresent = FileManager.default.fileExists(atPath: corporaRoot.path)
/// The trait of every suite that reads the shared corpora.
let needsCorpora = ConditionTrait.enabled(if: corporaPresent, "the shared corpora (../shared/corpora or TAIZHANG_CORPORA) are not here; their tests are skipped — the project's own fixtures cover the same behaviours")
