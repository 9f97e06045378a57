import ArgumentParser
import Foundation
import TaizhangCore
import Yams

/// `taizhang init FILE`: opens a ledger as a run would (encoding, sheet, header row found the same
/// way) and writes a starting pipeline: the header mapping as comments, then the pipeline itself.
struct Init: ParsableCommand, LanguageChoosing {
    static let configuration = CommandConfiguration(
        abstract: "为手头的台账文件写一个起步流水线 / write a starting pipeline for a ledger you have",
        discussion: "识别编码、工作表和表头行，把表头对应到模式字段，列出对应不上的列。")

    @Argument(help: "台账文件（.csv .xls .xlsx .json）/ a ledger file")
    var sample: String

    @Option(help: "模式 / schema")
    var schema: String = "member-ledger"

    @Option(help: "流水线文件的写出路径（默认打印到标准输出）/ where to write the pipeline (default: standard output)")
    var out: String?

    @Flag(help: "覆盖已有文件（旧文件保留为 NAME.1.yml）/ overwrite an existing file (the old one is kept as NAME.1.yml)")
    var force = false

    @OptionGroup var common: Common

    func run() throws {
        Interrupts.install()
        let registry = builtinRegistry()
        let cwd = FileManager.default.currentDirectoryPath
        let samplePath = Options.resolve(sample, against: cwd)
        let (plugin, schemaValue) = try checkArguments(registry, samplePath: samplePath)
        let reader = try plugin.open(samplePath, sample, Options.strings(["path": samplePath], spec: plugin.spec), PluginContext(schema: schemaValue, language: common.language))
        defer { reader.close() }
        let m = Mapping(reader: reader, schema: schemaValue, zh: common.language == .zh)
        let pipelineDir = out.map { URL(fileURLWithPath: Options.resolve($0, against: cwd)).deletingLastPathComponent().path } ?? cwd
        let text = comments(m, headerRow: reader.headerRow).map { "# " + $0 }.joined(separator: "\n") + "\n"
            + (try Yams.serialize(node: pipeline(registry, plugin: plugin, reader: reader, samplePath: samplePath, pipelineDir: pipelineDir), allowUnicode: true))
        guard let out else { print(text, terminator: ""); return }
        try write(text, to: out, m)
    }

    /// The reader for the sample and the schema; refuses an output over the sample or an existing file.
    func checkArguments(_ registry: Registry, samplePath: String) throws -> (ReaderPlugin, Schema) {
        guard FileManager.default.isReadableFile(atPath: samplePath) else {
            throw CommandError(FileManager.default.fileExists(atPath: samplePath)
                               ? Message(zh: "无法读取 \(sample)（权限不足或是文件夹）", en: "cannot read \(sample) (permission, or a folder)")
                               : Message(zh: "文件不存在：\(sample)", en: "no such file: \(sample)"), .io)
        }
        guard let plugin = registry.reader(forFile: sample) else {
            let known = registry.readers.values.flatMap(\.extensions).sorted().map { "." + $0 }.joined(separator: " ")
            throw CommandError(Message(zh: "不知道如何读取 \(sample)（支持 \(known)）", en: "no reader for \(sample) (use \(known))"), .usage)
        }
        var schemaValue = registry.schemas[schema]
        if schemaValue == nil {
            guard let text = try? String(contentsOfFile: schema, encoding: .utf8) else {
                throw CommandError(Message(zh: "未知的模式 \(schema)", en: "unknown schema \(schema)"), .usage,
                                   suggestion: Suggest.didYouMean(schema, registry.schemas.keys.sorted()))
            }
            schemaValue = try Schema.load(from: try ConfigNode.parse(text, file: schema))
        }
        if let out {
            if FileIdentity.same(out, samplePath) {
                throw CommandError(Message(zh: "--out \(out) 就是要读取的台账文件", en: "--out \(out) is the ledger being read"), .usage)
            }
            if FileManager.default.fileExists(atPath: out), !force {
                throw CommandError(Message(zh: "\(out) 已存在", en: "\(out) exists"), .io,
                                   suggestion: Message(zh: "用 --force 覆盖（旧文件保留为 \(AtomicOutput.versionName(out, 1))）", en: "use --force to overwrite (the old file is kept as \(AtomicOutput.versionName(out, 1)))"))
            }
        }
        return (plugin, schemaValue!)
    }

    /// Which columns of the sample map to which fields, which do not, and required fields without a column.
    struct Mapping {
        var mapped: [(String, String)] = [], unmapped: [String] = [], missing: [String] = []

        init(reader: any SourceReader, schema: Schema, zh: Bool) {
            let index = schema.headerIndex()
            var taken = Set<Int>()
            for (j, h) in reader.header.enumerated() {
                let letter = reader.recordBased ? h : Origin.columnLetter(j)
                if let f = HeaderDetector.match(h, index), taken.insert(f).inserted { mapped.append(("\(letter) \(h)", schema.fields[f].name)) }
                else { unmapped.append("\(letter) \(h.isEmpty ? (zh ? "（无表头）" : "(no header)") : h)") }
            }
            missing = schema.fields.enumerated().filter { $0.element.required && !taken.contains($0.offset) }.map(\.element.name)
        }
    }

    func comments(_ m: Mapping, headerRow: Int?) -> [String] {
        let zh = common.language == .zh
        var c = [zh ? "由 taizhang init 根据 \(sample) 生成，请检查后使用。" : "written by taizhang init from \(sample); check it before use.",
                 (zh ? "表头对应：" : "header mapping: ") + (m.mapped.isEmpty ? "—" : m.mapped.map { "\($0.0) → \($0.1)" }.joined(separator: "，"))]
        if !m.unmapped.isEmpty { c.append((zh ? "未对应的列（原样保留为附加列）：" : "columns not mapped (kept as extra columns): ") + m.unmapped.joined(separator: "，")) }
        if !m.missing.isEmpty { c.append((zh ? "注意：缺少必填字段的列：" : "note: no column for required fields: ") + m.missing.joined(separator: "，")) }
        if let headerRow {
            c.append(zh ? "表头在第 \(headerRow) 行（自动识别；若识别有误，在输入下加 header_row: 行号）" : "header found on row \(headerRow) (detected; set header_row if that is wrong)")
        }
        return c
    }

    /// The pipeline itself, as YAML nodes (paths relative to the pipeline's folder).
    func pipeline(_ registry: Registry, plugin: ReaderPlugin, reader: any SourceReader, samplePath: String, pipelineDir: String) -> Node {
        func scalar(_ s: String) -> Node { .scalar(.init(s)) }
        func mapping(_ pairs: [(String, Node)]) -> Node { .mapping(.init(pairs.map { (scalar($0.0), $0.1) })) }
        func sequence(_ items: [Node]) -> Node { .sequence(.init(items)) }
        let stem = URL(fileURLWithPath: sample).deletingPathExtension().lastPathComponent
        var input: [(String, Node)] = [("read", scalar(plugin.spec.name)), ("path", scalar(Init.relativePath(samplePath, from: pipelineDir)))]
        for (k, v) in reader.detectedOptions.sorted(by: { $0.key < $1.key }) where plugin.spec.option(named: k) != nil { input.append((k, scalar(v))) }
        let steps = (registry.defaultSteps[schema] ?? ["fields"]).map { name in mapping([(registry.spec(.step, name)?.verb ?? "step", scalar(name))]) }
        let outputs = [("xlsx-ledger", "标准台账.xlsx"), ("issue-workbook", "问题清单.xlsx"), ("json-report", "报告.json")].map { w, suffix in
            mapping([("write", scalar(w)), ("path", scalar("out/\(stem)-\(suffix)"))])
        }
        return mapping([("name", scalar("\(stem) 台账检查")), ("schema", scalar(schema)),
                        ("inputs", sequence([mapping(input)])), ("steps", sequence(steps)), ("outputs", sequence(outputs))])
    }

    func write(_ text: String, to out: String, _ m: Mapping) throws {
        let zh = common.language == .zh
        let file = try OutputFile(path: out)
        do {
            try file.write(text)
            let placed = try OutputSet.commit([try file.seal()])
            let kept = placed.compactMap(\.keptPrevious).map { zh ? "（旧文件保留为 \($0)）" : " (the old file is kept as \($0))" }.joined()
            print(zh ? "已写出 \(out)\(kept)：\(m.mapped.count) 列已对应，\(m.unmapped.count) 列未对应\(m.missing.isEmpty ? "" : "，缺少必填字段：\(m.missing.joined(separator: "、"))")。"
                     : "wrote \(out)\(kept): \(m.mapped.count) columns mapped, \(m.unmapped.count) not mapped.")
        } catch {
            file.abort()
            throw error
        }
    }

    static func relativePath(_ path: String, from dir: String) -> String {
        let p = URL(fileURLWithPath: path).standardizedFileURL.pathComponents, d = URL(fileURLWithPath: dir).standardizedFileURL.pathComponents
        var i = 0
        while i < p.count, i < d.count, p[i] == d[i] { i += 1 }
        return (Array(repeating: "..", count: d.count - i) + p[i...]).joined(separator: "/")
    }
}
