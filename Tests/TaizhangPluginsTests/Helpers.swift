import Foundation
import Testing
import TaizhangBuiltins
import TaizhangCore
import TaizhangReaders
import TaizhangFields
import TaizhangWriters
import TaizhangLinkage

func registry() -> Registry { Builtins.registry() }

/// A folder with a pipeline and its files; runs it with the real plugins.
final class Workspace {
    let dir: URL
    init() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tz-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) { write(name, Array(text.utf8)) }
    func write(_ name: String, _ bytes: [UInt8]) {
        FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data(bytes))
    }
    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: dir.appendingPathComponent(name).path).map { String(decoding: $0, as: UTF8.self) }
    }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) }
    func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(folder).path)) ?? []).sorted()
    }

    func pipeline(_ yaml: String) throws -> Pipeline {
        write("p.yml", yaml)
        return try PipelineLoader(registry: registry()).load(file: dir.appendingPathComponent("p.yml").path)
    }

    func run(_ yaml: String, dryRun: Bool = false, batchSize: Int = 2) throws -> RunResult {
        var o = RunOptions()
        o.showProgress = false
        o.dryRun = dryRun
        o.batchSize = batchSize
        return try Runner(pipeline: try pipeline(yaml), registry: registry(), options: o).run()
    }

    func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(name)))
    }
}

let schemaYAML = """
schema:
  name: t
  fields:
    - name: 姓名
      aliases: [名字]
      required: true
      personal: true
    - name: 性别
      codes: [男, 女]
    - name: 年龄
      type: integer
      minimum: 0
      maximum: 120
    - name: 出生日期
      type: date
    - name: 身份证号
      pattern: '[0-9]{17}[0-9X]'
      unique: true
      personal: true
"""
