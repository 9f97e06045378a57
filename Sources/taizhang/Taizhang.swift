import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangExec
import TaizhangLinkage
import TaizhangMemberLedger
import TaizhangReaders
import TaizhangValidators
import TaizhangWriters

/// Every built-in plugin, registered once at start-up.
func builtinRegistry() -> Registry {
    var r = Registry()
    Readers.register(into: &r)
    Validators.register(into: &r)
    Writers.register(into: &r)
    MemberLedger.register(into: &r)
    Exec.register(into: &r)
    Linkage.register(into: &r)
    return r
}

@main
struct Taizhang: ParsableCommand {
    /// A program that closes its end of a pipe (an exec plugin) must give us an error, not SIGPIPE.
    static func main() {
        // This executable is also its own FreeXL child (Plugins/Readers/Support/FreeXLIsolation.swift).
        if let status = XLSReaderPlugin.childMain(Array(CommandLine.arguments.dropFirst())) { Foundation.exit(status) }
        if let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { XLSReaderPlugin.isolateFreeXL(in: me) }
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "taizhang",
        abstract: "台账：统战对象台账的导入、校验与导出流水线 (import, validate and export member ledgers)",
        discussion: """
        退出码 exit codes: 0 完成 done; 1 发现数据错误 data errors found (validate, or fail_on); \
        2 流水线或命令行有误 pipeline or command line wrong; 3 输入或输出无法读写 input/output unreadable or unwritable.
        """,
        version: "0.1.0",
        subcommands: [Run.self, Check.self, Validate.self, Merge.self, Init.self, Plugins.self])
}

/// Options every command shares.
struct Common: ParsableArguments {
    @Option(name: .long, help: "界面语言 zh 或 en（默认取 TAIZHANG_LANG，否则 zh）/ message language")
    var lang: Language?

    var language: Language { lang ?? Language.fromEnvironment(ProcessInfo.processInfo.environment) }
}

extension Language: ExpressibleByArgument {}

/// Prints to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Ctrl-C or SIGTERM: remove temporary outputs, so nothing half-written is left, then exit.
func installInterruptHandlers() {
    for sig in [SIGINT, SIGTERM] {
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler {
            TemporaryFiles.shared.removeAll()
            printError("\n已中断：未写出任何不完整的文件 / interrupted: no partial output left")
            exit(130)
        }
        source.resume()
        interruptSources.append(source)
    }
}

nonisolated(unsafe) var interruptSources: [any DispatchSourceSignal] = []

/// Parses `--set k=v` values.
func parseSets(_ sets: [String], language: Language) throws -> [String: String] {
    var vars: [String: String] = [:]
    for s in sets {
        guard let eq = s.firstIndex(of: "="), eq != s.startIndex else {
            printError(language == .zh ? "错误：--set 应写成 名称=值，这里是「\(s)」" : "error: --set takes NAME=VALUE, got '\(s)'")
            throw ExitCode(2)
        }
        vars[String(s[..<eq])] = String(s[s.index(after: eq)...])
    }
    return vars
}

/// Loads a pipeline file, printing its diagnostics and exiting 2 (or 3 for file problems) if it is wrong.
func loadPipeline(_ path: String, sets: [String], registry: Registry, language: Language) throws -> Pipeline {
    let vars = try parseSets(sets, language: language)
    do {
        return try PipelineLoader(registry: registry).load(file: path, variables: vars)
    } catch {
        printError(error.text(language))
        throw ExitCode(error.isIO ? 3 : 2)
    }
}

/// Runs a pipeline and prints issues and the summary; returns the exit code.
func execute(_ pipeline: Pipeline, registry: Registry, options: RunOptions, show: Int, failOn: Severity?) -> Int32 {
    let lang = options.language
    let result: RunResult
    do {
        result = try Runner(pipeline: pipeline, registry: registry, options: options).run()
    } catch {
        printError(error.text(lang))
        return error.exitCode
    }
    let masking = options.masking ?? pipeline.masking
    // In file order, then by row: the order a clerk works through a file.
    var fileOrder: [String: Int] = [:]
    for i in result.issues where fileOrder[i.origin.file] == nil { fileOrder[i.origin.file] = fileOrder.count }
    let shown = result.issues.filter { $0.severity >= .warning }
        .enumerated().sorted { a, b in
            let ka = (fileOrder[a.element.origin.file]!, a.element.origin.row ?? 0, a.offset)
            let kb = (fileOrder[b.element.origin.file]!, b.element.origin.row ?? 0, b.offset)
            return ka < kb
        }.map(\.element).prefix(show)
    for issue in shown { print(issue.line(lang, masking: masking)) }
    let total = result.summary.count(.error) + result.summary.count(.warning)
    if total > shown.count {
        print(lang == .zh ? "……另有 \(total - shown.count) 个问题未显示（完整列表见报告输出，或用 --show 调整）"
                          : "… \(total - shown.count) more issues not shown (see the report output, or use --show)")
    }
    if !shown.isEmpty { print("") }
    print(result.summary.table(lang))
    if let failOn, Severity.allCases.contains(where: { $0 >= failOn && result.summary.count($0) > 0 }) { return 1 }
    return 0
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "运行流水线 / run a pipeline")

    @Argument(help: "流水线文件（.yml 或 .json）/ pipeline file")
    var pipeline: String

    @Option(name: .customLong("set"), help: "设置变量 NAME=VALUE（覆盖 vars:）/ set a ${variable}")
    var sets: [String] = []

    @Flag(help: "读取并校验全部数据，但不写出任何文件 / read and check everything, write nothing")
    var dryRun = false

    @Option(help: "在终端显示的问题条数 / issues to print")
    var show = 20

    @Flag(help: "报告中显示完整的个人信息（默认遮蔽）/ show personal values in full in reports")
    var fullPersonalData = false

    @OptionGroup var common: Common

    func run() throws {
        installInterruptHandlers()
        let registry = builtinRegistry()
        let p = try loadPipeline(pipeline, sets: sets, registry: registry, language: common.language)
        var o = RunOptions()
        o.dryRun = dryRun
        o.language = common.language
        if fullPersonalData { o.masking = .full }
        let code = execute(p, registry: registry, options: o, show: show, failOn: p.failOn)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "只检查流水线文件与选项，不读数据 / check a pipeline without reading data")

    @Argument(help: "流水线文件 / pipeline file")
    var pipeline: String

    @Option(name: .customLong("set"), help: "设置变量 NAME=VALUE / set a ${variable}")
    var sets: [String] = []

    @OptionGroup var common: Common

    func run() throws {
        let lang = common.language
        let p = try loadPipeline(pipeline, sets: sets, registry: builtinRegistry(), language: lang)
        print(lang == .zh
              ? "流水线「\(p.name)」无误：\(p.inputs.count) 个输入，\(p.steps.count) 个步骤，\(p.outputs.count) 个输出；模式 \(p.schema.name)（\(p.schema.fields.count) 个字段）"
              : "pipeline '\(p.name)' is valid: \(p.inputs.count) inputs, \(p.steps.count) steps, \(p.outputs.count) outputs; schema \(p.schema.name) (\(p.schema.fields.count) fields)")
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "不写流水线，直接校验文件；发现错误时退出码为 1 / check files without a pipeline; exits 1 on errors")

    @Argument(help: "要校验的文件（.csv .tsv .txt .json .jsonl）/ files to check")
    var files: [String]

    @Option(help: "模式：内置名称或模式文件路径（默认 member-ledger，并运行其全部规范化与校验）/ schema: a built-in name or a schema file")
    var schema: String = "member-ledger"

    @Option(help: "要运行的步骤（逗号分隔；默认取模式的默认步骤）/ steps to run, comma-separated")
    var steps: String?

    @Option(help: "写出问题工作簿（.xlsx）/ write an issue workbook")
    var workbook: String?

    @Option(help: "把完整的问题报告写成 JSON / write the full issue report as JSON")
    var report: String?

    @Option(help: "CSV 编码 auto|utf-8|gb18030|big5 / CSV encoding")
    var encoding: String = "auto"

    @Option(help: "在终端显示的问题条数 / issues to print")
    var show = 50

    @OptionGroup var common: Common

    func run() throws {
        installInterruptHandlers()
        let lang = common.language
        let registry = builtinRegistry()
        let cwd = FileManager.default.currentDirectoryPath
        let here = Position(file: lang == .zh ? "<命令行>" : "<command line>", line: 1, column: 1)
        func scalar(_ s: String) -> ConfigNode { ConfigNode(value: .scalar(s, quoted: true), position: here) }
        func map(_ pairs: [(String, ConfigNode)]) -> ConfigNode { ConfigNode(value: .mapping(pairs.map { ($0.0, here, $0.1) }), position: here) }

        var inputs: [ConfigNode] = []
        for f in files {
            guard let reader = registry.reader(forFile: f) else {
                printError(lang == .zh ? "错误：不知道如何读取 \(f)（支持 .csv .tsv .txt .json .jsonl .ndjson）" : "error: no reader for \(f) (use .csv .tsv .txt .json .jsonl .ndjson)")
                throw ExitCode(2)
            }
            var pairs: [(String, ConfigNode)] = [("read", scalar(reader.spec.name)), ("path", scalar(f))]
            if reader.spec.option(named: "encoding") != nil { pairs.append(("encoding", scalar(encoding))) }
            inputs.append(map(pairs))
        }
        let stepNames = steps.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? registry.defaultSteps[schema] ?? ["fields"]
        var top: [(String, ConfigNode)] = [("name", scalar("validate")), ("schema", scalar(schema)),
                                           ("inputs", ConfigNode(value: .sequence(inputs), position: here)),
                                           ("steps", ConfigNode(value: .sequence(stepNames.map { map([("step", scalar($0))]) }), position: here))]
        var outputs: [ConfigNode] = []
        if let report { outputs.append(map([("write", scalar("json-report")), ("path", scalar(report))])) }
        if let workbook { outputs.append(map([("write", scalar("issue-workbook")), ("path", scalar(workbook))])) }
        top.append(("outputs", ConfigNode(value: .sequence(outputs), position: here)))
        let pipeline: Pipeline
        do {
            pipeline = try PipelineLoader(registry: registry).load(root: map(top), file: nil, directory: cwd)
        } catch {
            printError(error.text(lang))
            throw ExitCode(error.isIO ? 3 : 2)
        }
        var o = RunOptions()
        o.language = lang
        let code = execute(pipeline, registry: registry, options: o, show: show, failOn: .error)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "列出插件及其选项 / list plugins and their options")

    @Argument(help: "只显示这个插件 / show only this plugin")
    var name: String?

    @Flag(help: "输出 Markdown 格式的插件参考（docs/PLUGINS.md 由此生成）/ print the plugin reference as Markdown")
    var markdown = false

    @OptionGroup var common: Common

    func run() throws {
        let lang = common.language
        let registry = builtinRegistry()
        if markdown {
            print(PluginReference.markdown(registry), terminator: "")
            return
        }
        var specs = registry.allSpecs
        if let name {
            specs = specs.filter { $0.name == name }
            if specs.isEmpty {
                let s = Suggest.closest(to: name, in: registry.allSpecs.map(\.name))
                printError((lang == .zh ? "错误：没有名为「\(name)」的插件" : "error: no plugin named '\(name)'") + (s.map { lang == .zh ? "；是不是「\($0)」？" : "; did you mean '\($0)'?" } ?? ""))
                throw ExitCode(2)
            }
        }
        for spec in specs {
            let verb = spec.kind.verbs[0]
            print("\(verb): \(spec.name)  — \(spec.summary.text(lang))")
            print("    " + (lang == .zh ? "源码：" : "source: ") + spec.file)
            for o in spec.options {
                var line = "    \(o.name) (\(o.type.name))"
                if o.required { line += lang == .zh ? " 必填" : " required" }
                if let d = o.defaultValue { line += lang == .zh ? " 默认 \(d)" : " default \(d)" }
                print(line + "：" + o.doc.text(lang))
            }
            print("")
        }
        if name == nil {
            print(lang == .zh ? "内置模式：" : "built-in schemas:", registry.schemas.keys.sorted().joined(separator: ", "))
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "把下级单位的报表（json-return）汇总为上级报表 / roll lower units' returns up into the higher unit's",
        discussion: "报告期不同、表式不同或同一单位出现在两份报表中时报错并退出 1，不写出任何文件。")

    @Argument(help: "下级单位的报表 JSON（json-return 写出）/ lower units' return JSON files")
    var returns: [String]

    @Option(help: "汇总报表 JSON 的输出路径 / output JSON")
    var out: String

    @Option(help: "同时写出汇总报表 XLSX / also write the form as XLSX")
    var xlsx: String?

    @Option(help: "上级填报单位名称 / the higher unit's name")
    var unit: String?

    @OptionGroup var common: Common

    func run() throws {
        let lang = common.language
        var inputs: [(file: String, doc: ReturnDocument)] = []
        for f in returns {
            guard let data = FileManager.default.contents(atPath: f) else {
                printError(lang == .zh ? "错误：无法读取 \(f)" : "error: cannot read \(f)")
                throw ExitCode(3)
            }
            do {
                inputs.append((f, try JSONDecoder().decode(ReturnDocument.self, from: data)))
            } catch {
                printError(lang == .zh ? "错误：\(f) 不是 json-return 写出的报表：\(error)" : "error: \(f) is not a return written by json-return: \(error)")
                throw ExitCode(2)
            }
        }
        let (merged, problems) = ReturnDocument.merge(inputs, unit: unit)
        guard let merged else {
            for p in problems { printError((lang == .zh ? "错误：" : "error: ") + p.message.text(lang)) }
            printError(lang == .zh ? "未汇总，未写出文件。" : "not merged; nothing written.")
            throw ExitCode(1)
        }
        for path in [out] + (xlsx.map { [$0] } ?? []) {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder) {
                printError(lang == .zh ? "错误：输出文件夹不存在：\(folder)" : "error: output folder does not exist: \(folder)")
                throw ExitCode(3)
            }
        }
        do {
            let file = try OutputFile(path: out)
            try file.write(Array(try merged.json()))
            try file.write("\n")
            if let xlsx {
                var tables = [merged.table]
                for part in merged.byUnit {
                    var t = merged.table
                    t.key = "unit:\(part.unit)"
                    t.sheet = part.unit
                    t.unit = part.unit
                    t.rows = part.rows.map { r in StatTable.Row(key: r.key, label: r.category, counts: t.columns.map { r.counts[$0.key] ?? nil }) }
                    t.checks = part.checks
                    tables.append(t)
                }
                try ReturnForms.writeXLSX(tables, path: xlsx)
            }
            try file.commit()
        } catch {
            printError((lang == .zh ? "错误：" : "error: ") + "\(error)")
            throw ExitCode(3)
        }
        let total = merged.rows.first { $0.key == "total" }?.counts["total"].flatMap { $0 } ?? 0
        print(lang == .zh ? "已汇总 \(inputs.count) 份报表（\(merged.periodLabel)）：\(merged.unitsCovered.joined(separator: "、"))，合计 \(total) 人 → \(out)\(xlsx.map { "，\($0)" } ?? "")"
                          : "merged \(inputs.count) returns (\(merged.periodLabel)): \(total) people → \(out)\(xlsx.map { ", \($0)" } ?? "")")
    }
}

/// The plugin reference in Markdown, generated from the registry's specs, so docs never drift
/// (docs/PLUGINS.md is this output; a test compares them).
enum PluginReference {
    static func markdown(_ registry: Registry) -> String {
        var out = "# Plugin reference\n\nGenerated by `taizhang plugins --markdown` from the plugins' own option specs; do not edit by hand.\n"
        out += "Options are checked before any data is read; paths are relative to the pipeline file.\n"
        for kind in PluginKind.allCases {
            let title = ["reader": "Readers（读取）", "step": "Steps（规范化与校验）", "writer": "Writers（输出）"][kind.rawValue]!
            out += "\n## \(title)\n"
            for name in registry.names(kind) {
                guard let spec = registry.spec(kind, name) else { continue }
                out += "\n### `\(kind.verbs[0]): \(spec.name)`\n\n\(spec.summary.zh)  \n\(spec.summary.en)\n\nSource: [\(spec.file)](../\(spec.file))\n"
                if let r = registry.readers[name], !r.extensions.isEmpty, kind == .reader {
                    out += "\nFiles: " + r.extensions.map { "`.\($0)`" }.joined(separator: ", ") + "\n"
                }
                if spec.options.isEmpty { out += "\nNo options.\n"; continue }
                out += "\n| option | type | default | 说明 | description |\n|---|---|---|---|---|\n"
                for o in spec.options {
                    let def = o.required ? "required" : (o.defaultValue.map { "`\($0)`" } ?? "—")
                    out += "| `\(o.name)` | \(o.type.name.replacingOccurrences(of: "|", with: "\\|")) | \(def) | \(o.doc.zh.replacingOccurrences(of: "|", with: "\\|")) | \(o.doc.en.replacingOccurrences(of: "|", with: "\\|")) |\n"
                }
            }
        }
        out += "\n## Schemas\n\n" + registry.schemas.keys.sorted().map { name in
            let s = registry.schemas[name]!
            return "- `\(name)`: " + s.fields.map { $0.required ? "**\($0.name)**" : $0.name }.joined(separator: ", ") + " (bold: required)"
        }.joined(separator: "\n") + "\n"
        out += "\nEvery input also takes `role: current | previous` (a previous period's ledger is compared with, never written).\n"
        return out
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "为手头的台账文件写一个起步流水线 / write a starting pipeline for a ledger you have",
        discussion: "识别编码、工作表和表头行，把表头对应到模式字段，列出对应不上的列。")

    @Argument(help: "台账文件（.csv .xls .xlsx .json）/ a ledger file")
    var sample: String

    @Option(help: "模式 / schema")
    var schema: String = "member-ledger"

    @Option(help: "流水线文件的写出路径（默认打印到标准输出）/ where to write the pipeline (default: standard output)")
    var out: String?

    @Flag(help: "覆盖已有文件 / overwrite an existing file")
    var force = false

    @OptionGroup var common: Common

    func run() throws {
        let lang = common.language
        let zh = lang == .zh
        let registry = builtinRegistry()
        let samplePath = Options.resolve(sample, against: FileManager.default.currentDirectoryPath)
        guard FileManager.default.isReadableFile(atPath: samplePath) else {
            printError(zh ? "错误：无法读取 \(sample)" : "error: cannot read \(sample)")
            throw ExitCode(3)
        }
        guard let plugin = registry.reader(forFile: sample) else {
            printError(zh ? "错误：不知道如何读取 \(sample)（支持 \(registry.readers.values.flatMap(\.extensions).sorted().joined(separator: " "))）" : "error: no reader for \(sample)")
            throw ExitCode(2)
        }
        let schemaValue: Schema
        if let s = registry.schemas[schema] { schemaValue = s } else {
            do {
                let text = try String(contentsOfFile: schema, encoding: .utf8)
                schemaValue = try Schema.load(from: try ConfigNode.parse(text, file: schema))
            } catch {
                printError(zh ? "错误：未知的模式 \(schema)" : "error: unknown schema \(schema)")
                throw ExitCode(2)
            }
        }
        if let out, FileManager.default.fileExists(atPath: out), !force {
            printError(zh ? "错误：\(out) 已存在；用 --force 覆盖" : "error: \(out) exists; use --force to overwrite")
            throw ExitCode(3)
        }
        let reader: any SourceReader
        do {
            reader = try plugin.open(samplePath, sample, Options.strings(["path": samplePath], spec: plugin.spec), PluginContext(schema: schemaValue, language: lang))
        } catch {
            printError(error.text(lang))
            throw ExitCode(3)
        }
        defer { reader.close() }
        let index = schemaValue.headerIndex()
        var mapped: [(String, String)] = [], unmapped: [String] = []
        var taken = Set<Int>()
        for (j, h) in reader.header.enumerated() {
            let letter = reader.recordBased ? h : Origin.columnLetter(j)
            if let f = HeaderDetector.match(h, index), taken.insert(f).inserted { mapped.append(("\(letter) \(h)", schemaValue.fields[f].name)) } else { unmapped.append("\(letter) \(h.isEmpty ? (zh ? "（无表头）" : "(no header)") : h)") }
        }
        let missing = schemaValue.fields.enumerated().filter { $0.element.required && !taken.contains($0.offset) }.map(\.element.name)

        // Paths in the pipeline are relative to the pipeline's folder.
        let pipelineDir = out.map { URL(fileURLWithPath: Options.resolve($0, against: FileManager.default.currentDirectoryPath)).deletingLastPathComponent().path }
            ?? FileManager.default.currentDirectoryPath
        let relative = Init.relativePath(samplePath, from: pipelineDir)
        let stem = URL(fileURLWithPath: sample).deletingPathExtension().lastPathComponent
        var y = "# " + (zh ? "由 taizhang init 根据 \(sample) 生成，请检查后使用。" : "written by taizhang init from \(sample); check it before use.") + "\n"
        y += "# " + (zh ? "表头对应：" : "header mapping: ") + (mapped.isEmpty ? "—" : mapped.map { "\($0.0) → \($0.1)" }.joined(separator: "，")) + "\n"
        if !unmapped.isEmpty { y += "# " + (zh ? "未对应的列（原样保留为附加列）：" : "columns not mapped (kept as extra columns): ") + unmapped.joined(separator: "，") + "\n" }
        if !missing.isEmpty { y += "# " + (zh ? "注意：缺少必填字段的列：" : "note: no column for required fields: ") + missing.joined(separator: "，") + "\n" }
        if let row = reader.headerRow {
            y += "# " + (zh ? "表头在第 \(row) 行（自动识别；若识别有误，在输入下加 header_row: 行号）" : "header found on row \(row) (detected; set header_row if that is wrong)") + "\n"
        }
        y += "name: \(stem) 台账检查\nschema: \(schema)\ninputs:\n  - read: \(plugin.spec.name)\n    path: \(Init.quote(relative))\n"
        for (k, v) in reader.detectedOptions.sorted(by: { $0.key < $1.key }) where plugin.spec.option(named: k) != nil { y += "    \(k): \(Init.quote(v))\n" }
        y += "steps:\n" + (registry.defaultSteps[schema] ?? ["fields"]).map { "  - step: \($0)\n" }.joined()
        y += "outputs:\n  - write: xlsx-ledger\n    path: out/\(stem)-标准台账.xlsx\n  - write: issue-workbook\n    path: out/\(stem)-问题清单.xlsx\n  - write: json-report\n    path: out/\(stem)-报告.json\n"
        if let out {
            do { try y.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                printError((zh ? "错误：无法写出 " : "error: cannot write ") + out)
                throw ExitCode(3)
            }
            print(zh ? "已写出 \(out)：\(mapped.count) 列已对应，\(unmapped.count) 列未对应\(missing.isEmpty ? "" : "，缺少必填字段：\(missing.joined(separator: "、"))")。输出文件夹 out/ 需先创建。"
                     : "wrote \(out): \(mapped.count) columns mapped, \(unmapped.count) not mapped. Create the out/ folder first.")
        } else {
            print(y, terminator: "")
        }
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { ":#'\"{}[],&*?|<>=!%@`".contains($0) }) || s.hasPrefix(" ") || s.isEmpty ? "'" + s.replacingOccurrences(of: "'", with: "''") + "'" : s
    }

    static func relativePath(_ path: String, from dir: String) -> String {
        let p = URL(fileURLWithPath: path).standardizedFileURL.pathComponents, d = URL(fileURLWithPath: dir).standardizedFileURL.pathComponents
        var i = 0
        while i < p.count, i < d.count, p[i] == d[i] { i += 1 }
        return (Array(repeating: "..", count: d.count - i) + p[i...]).joined(separator: "/")
    }
}
