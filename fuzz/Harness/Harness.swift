import Foundation
import TaizhangBuiltins
import TaizhangCore
import TaizhangReaders

/// libFuzzer entry point for the readers, the pipeline loader and the writers. Which one is
/// fuzzed is chosen by TAIZHANG_FUZZ (csv, json, xls, xlsx, pipeline, writers). Built and run by
/// `bash fuzz/run.sh`. Every input must end in rows, issues or a clear error — a crash or
/// sanitizer report is a bug; a workbook a writer made must read back whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func taizhangFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let target = ProcessInfo.processInfo.environment["TAIZHANG_FUZZ"] ?? "csv"
    let bytes = Data(bytes: data, count: size)
    if target == "pipeline" {
        let registry = Builtins.registry()
        let text = String(decoding: bytes, as: UTF8.self)
        if let node = try? ConfigNode.parse(text, file: "fuzz.yml") {
            _ = try? PipelineLoader(registry: registry).load(root: node, file: "fuzz.yml", directory: "/tmp")
        }
        return 0
    }
    if target == "writers" { fuzzWriters(bytes); return 0 }
    let ext = target
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-fuzz-\(getpid()).\(ext)").path
    _ = FileManager.default.createFile(atPath: path, contents: bytes)
    defer { unlink(path) }
    let plugins: [String: ReaderPlugin] = ["csv": CSVReaderPlugin.plugin, "json": JSONReaderPlugin.plugin, "xls": XLSReaderPlugin.plugin, "xlsx": XLSXReaderPlugin.plugin]
    guard let plugin = plugins[ext] else { return 0 }
    do {
        let reader = try plugin.open(path, "fuzz", Options.strings(["path": path, "max_unpacked_mb": "64"], spec: plugin.spec), PluginContext(schema: .open()))
        defer { reader.close() }
        var names: [String] = []
        for (j, h) in reader.header.enumerated() { names.append(names.contains(h) || h.isEmpty ? "\(h)#\(j)" : h) }
        let layout = Layout(schema: .open(), extras: names)
        let info = SourceInfo(index: 0, file: "fuzz", sheet: nil, columnLetters: names.map { _ in nil }, headers: reader.header, recordBased: reader.recordBased)
        var sink = RowSink(layout: layout, source: info, columnMap: Array(names.indices), capacity: 64)
        var more = true
        var data = 0, skipped = 0
        while more {
            more = try reader.read(into: &sink)
            let b = sink.take()
            data += b.count
            skipped += b.skipped.count
        }
        // Nothing lost: the invariant every run checks.
        if sink.rowsRead != data + skipped { fatalError("rows lost: read \(sink.rowsRead), data \(data), skipped \(skipped)") }
    } catch {
        _ = error.text(.en)
    }
    return 0
}

/// The input's bytes as cells (0x00 ends a cell, 0x01 a row, four columns), through RowSink into
/// the xlsx-ledger, csv and json writers; the workbook is read back by the .xlsx reader (our own
/// parser, not libxlsxwriter) and must give every row.
func fuzzWriters(_ bytes: Data) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-fuzz-w-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let layout = Layout(schema: .open(), extras: ["a", "b", "c", "d"])
    let info = SourceInfo(index: 0, file: "fuzz", sheet: nil, columnLetters: ["A", "B", "C", "D"], headers: ["a", "b", "c", "d"], recordBased: false)
    var sink = RowSink(layout: layout, source: info, columnMap: [0, 1, 2, 3], capacity: 4096)
    for (k, line) in bytes.split(separator: 0x01, omittingEmptySubsequences: false).prefix(2000).enumerated() {
        sink.beginRow(number: k + 2)
        for cell in line.split(separator: 0x00, omittingEmptySubsequences: false).prefix(4) {
            let text = String(decoding: cell, as: UTF8.self)
            sink.cell(String(text.prefix(40000)))
        }
        sink.endRow(checkWidth: false)
    }
    let batch = sink.take()
    let written = batch.count
    var outputs: [AtomicOutput] = []
    for (name, ext) in [("xlsx-ledger", "xlsx"), ("csv", "csv"), ("json", "json")] {
        let path = dir.appendingPathComponent("out.\(ext)").path
        guard let plugin = Builtins.registry().writers[name],
              let w = try? plugin.make(path, Options.strings(["path": path], spec: plugin.spec), layout, PluginContext(schema: .open())) else { fatalError("cannot make \(name)") }
        do {
            try w.write(batch)
            outputs += try w.finish(RunSummary(pipeline: "fuzz"))
        } catch { fatalError("\(name) failed: \(error)") }
    }
    do { _ = try OutputSet.commit(outputs) } catch { fatalError("commit failed: \(error)") }
    let book = dir.appendingPathComponent("out.xlsx").path
    do {
        let reader = try XLSXReaderPlugin.plugin.open(book, "out.xlsx", Options.strings(["path": book, "header_row": "1"], spec: XLSXReaderPlugin.spec), PluginContext(schema: .open()))
        defer { reader.close() }
        var back = 0
        _ = try reader.drain(display: "out.xlsx") { b in back += b.count }
        // Every data row written comes back as a data row (blank and total lines were skipped
        // before writing, by the same rules that skip them on reading).
        if back != written { fatalError("the workbook gave back \(back) rows of \(written) written") }
    } catch {
        fatalError("a written workbook does not read back: \(error.text(.en))")
    }
}

// SwiftPM links an executable's entry point as `<module>_main`; hand it to libFuzzer's driver.
// Without the fuzzer (a normal `swift build`), the binary only says how to build it.
#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("taizhang_fuzz_main")
public func taizhangFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { data, size in taizhangFuzz(data, size) }
}
#else
@_cdecl("taizhang_fuzz_main")
public func taizhangFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FileHandle.standardError.write(Data("build and run the fuzzers with: bash fuzz/run.sh\n".utf8))
    return 2
}
#endif
