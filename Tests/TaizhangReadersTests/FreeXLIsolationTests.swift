import Foundation
import Testing
import TaizhangCore
@testable import TaizhangReaders

/// The repository's own build, wherever the clone is (this file is Tests/TaizhangReadersTests/…).
let taizhangBinary: String = {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repo.appendingPathComponent(".build/debug/taizhang").path
}()

/// FreeXL runs in a child process when the CLI reads an .xls; what the child sends back is exactly
/// what FreeXL says in-process, and a child that crashes, hangs or stops short is a clear error.
@Suite(.timeLimit(.minutes(3))) struct FreeXLIsolationTests {
    /// A helper script standing in for a FreeXL that misbehaves.
    func script(_ s: Scratch, _ body: String) -> String {
        let p = s.file("helper.sh", "#!/bin/sh\n" + body + "\n")
        chmod(p, 0o755)
        return p
    }

    @Test(arguments: ["date.xls", "date_1904.xls", "formula.xls", "merged.xls", "sheets.xls"])
    func childDumpsEqualInProcessDumpsForTheFixtures(_ file: String) throws {
        let path = fixtures.appendingPathComponent(file).path
        let child = try FreeXLIsolation.load(path: path, sheet: nil, helper: taizhangBinary)
        #expect(child.bytes == FreeXLIsolation.dump(path: path, sheet: nil))
        for i in child.sheetNames.indices {
            #expect(try FreeXLIsolation.load(path: path, sheet: i, helper: taizhangBinary).bytes == FreeXLIsolation.dump(path: path, sheet: i), "\(file) sheet \(i)")
        }
    }

    @Test(needsCorpora) func childDumpsEqualInProcessDumpsForEveryCorpusWorkbook() throws {
        #expect(FileManager.default.isExecutableFile(atPath: taizhangBinary), "build first: swift build (\(taizhangBinary))")
        var sheetsCompared = 0
        for file in corpusFiles("xls") {
            let path = spreadsheets.appendingPathComponent(file).path
            let inProcess = FreeXLIsolation.dump(path: path, sheet: nil)
            let child = try FreeXLIsolation.load(path: path, sheet: nil, helper: taizhangBinary)
            #expect(child.bytes == inProcess, "\(file)")
            for i in child.sheetNames.indices {
                let a = FreeXLIsolation.dump(path: path, sheet: i)
                let b = try FreeXLIsolation.load(path: path, sheet: i, helper: taizhangBinary)
                #expect(b.bytes == a, "\(file) sheet \(i)")
                sheetsCompared += 1
            }
        }
        #expect(sheetsCompared > 60)
    }

    @Test func readerThroughTheChildGivesTheSameRows() throws {
        let path = fixtures.appendingPathComponent("merged.xls").path
        let inProcess = try XLSBook(path: path, display: "m.xls", helper: nil).rows(sheet: "1")
        let child = try XLSBook(path: path, display: "m.xls", helper: taizhangBinary).rows(sheet: "1")
        var a: [[String]] = [], b: [[String]] = []
        while let r = try inProcess.nextRow() { a.append(r.cells) }
        while let r = try child.nextRow() { b.append(r.cells) }
        #expect(a == b && a.count == 4)
    }

    @Test func aCrashingFreeXLIsAnErrorOnThatFile() {
        let s = Scratch()
        defer { withExtendedLifetime(s) {} }
        let helper = script(s, "kill -SEGV $$")
        let path = fixtures.appendingPathComponent("date.xls").path
        let e = #expect(throws: SourceError.self) { try XLSBook(path: path, display: "旧台账.xls", helper: helper) }
        #expect(e?.text(.zh) == "旧台账.xls: 错误: FreeXL 读取此文件时崩溃（信号 11），文件结构可能已损坏；读取在独立进程中进行，其他文件不受影响（用 Excel 或 WPS 打开后另存为 .xls 或 .xlsx 再试）")
    }

    @Test func aHangingFreeXLIsStopped() {
        let s = Scratch()
        defer { withExtendedLifetime(s) {} }
        let helper = script(s, "exec sleep 30")
        let path = fixtures.appendingPathComponent("date.xls").path
        let started = Date()
        #expect(throws: FreeXLIsolation.Failure.self) { try FreeXLIsolation.load(path: path, sheet: nil, helper: helper, timeout: 1) }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func aChildThatStopsShortIsAnError() {
        let s = Scratch()
        defer { withExtendedLifetime(s) {} }
        let helper = script(s, "printf 'TZX1\\000\\000\\000\\000'")
        let path = fixtures.appendingPathComponent("date.xls").path
        let e = #expect(throws: SourceError.self) { try XLSBook(path: path, display: "a.xls", helper: helper) }
        #expect(e?.message.en == "the process reading the .xls gave an incomplete result (exit status 0)")
    }

    @Test func aTruncatedDumpEndsAtWhatItHolds() {
        let path = fixtures.appendingPathComponent("date.xls").path
        let full = FreeXLIsolation.dump(path: path, sheet: 0)
        var whole = Dump(bytes: full)
        var rows = 0
        while whole.nextRow() != nil { rows += 1 }
        #expect(rows == whole.rows && rows > 0)
        var all: [[Dump.Cell]] = []
        var again = Dump(bytes: full)
        while let r = again.nextRow() { all.append(r) }
        // Cut anywhere: never traps, and the rows it gives are the whole dump's first rows.
        for cut in 0..<full.count - 4 {
            var d = Dump(bytes: Array(full.prefix(cut)))
            var got: [[Dump.Cell]] = []
            while let r = d.nextRow() { got.append(r) }
            #expect(!d.isComplete && got.count < all.count && Array(all.prefix(got.count)) == got, "cut at \(cut)")
        }
    }
}

extension FreeXLIsolationTests {
    /// A FreeXL heap overread the fuzzer found (ASAN) with no precise pre-check yet: through the
    /// child process the CLI uses, it is a clear error on that file.
    @Test func anOverreadFoundByFuzzingIsAnErrorOnThatFile() {
        let path = fuzzRegressions.appendingPathComponent("xls/overread-a6fb0da8a7a68da44fb622f8adf65c276e55d533").path
        let e = #expect(throws: SourceError.self) { _ = try XLSBook(path: path, display: "x.xls", helper: taizhangBinary).rows(sheet: "1") }
        #expect(e?.origin.file == "x.xls" && e?.message.zh.isEmpty == false)
    }
}
