import Foundation
import TaizhangCore
import TaizhangReaders

/// libFuzzer entry point for the readers and the pipeline loader. Which one is fuzzed is chosen
/// by TAIZHANG_FUZZ (csv, json, xls, xlsx, pipeline). Built and run by `bash fuzz/run.sh`.
/// Every input must end in rows, issues or a clear error — a crash or sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func taizhangFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let target = ProcessInfo.processInfo.environment["TAIZHANG_FUZZ"] ?? "csv"
    let bytes = Data(bytes: data, count: size)
    if target == "pipeline" {
        var registry = Registry()
        Readers.register(into: &registry)
        let text = String(decoding: bytes, as: UTF8.self)
        if let node = try? ConfigNode.parse(text, file: "fuzz.yml") {
            _ = try? PipelineLoader(registry: registry).load(root: node, file: "fuzz.yml", directory: "/tmp")
        }
        return 0
    }
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
