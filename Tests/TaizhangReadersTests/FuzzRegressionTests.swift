import Foundation
import Testing
import TaizhangCore
@testable import TaizhangReaders

let fuzzRegressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fuzz/regressions")

/// Every input the fuzzers ever found a problem with (fuzz/regressions/TARGET/) is replayed:
/// it must be read or refused with a clear error, and nothing may be lost.
@Suite struct FuzzRegressionTests {
    static let files: [String] = ["csv", "json", "xls", "xlsx"].flatMap { t in
        ((try? FileManager.default.contentsOfDirectory(atPath: fuzzRegressions.appendingPathComponent(t).path)) ?? [])
            .filter { !$0.hasPrefix(".") }.map { "\(t)/\($0)" }
    }

    @Test(arguments: files)
    func replays(_ file: String) throws {
        let target = String(file.split(separator: "/")[0])
        let plugins: [String: ReaderPlugin] = ["csv": CSVReaderPlugin.plugin, "json": JSONReaderPlugin.plugin, "xls": XLSReaderPlugin.plugin, "xlsx": XLSXReaderPlugin.plugin]
        let s = Scratch()
        let path = s.file("input.\(target)", Array(try Data(contentsOf: fuzzRegressions.appendingPathComponent(file))))
        do {
            let r = try readAll(path, with: plugins[target]!)
            #expect(r.read == r.rows.count + r.skipped.count)
        } catch {
            #expect(!error.message.en.isEmpty)
        }
    }
}

extension FuzzRegressionTests {
    /// A DIFAT chain that loops (found by fuzzing: 9 s and 1.3 GB to refuse 36 KB): the FAT read can
    /// never hold more entries than the file has room for.
    @Test func aLoopingDIFATChainStaysSmall() throws {
        let bytes = try Data(contentsOf: fuzzRegressions.appendingPathComponent("xls/timeout-7697ee11cd310312d8c89e7ebb714f971cef6627"))
        bytes.withUnsafeBytes { raw in
            if let cf = CompoundFile(raw) {
                #expect(cf.fat.count <= (raw.count / 512 + 1) * 128, "\(cf.fat.count) FAT entries for \(raw.count) bytes")
            }
        }
    }
}
