import ArgumentParser
import Foundation
import TaizhangCore

/// `taizhang validate FILE…`: a pipeline built from the command line (the schema's default steps,
/// an issue workbook and a report if asked), run with `fail_on: error`.
struct Validate: ParsableCommand, LanguageChoosing {
    static let configuration = CommandConfiguration(
        abstract: "不写流水线，直接校验文件；发现错误时退出码为 1 / check files without a pipeline; exits 1 on errors")

    @Argument(help: "要校验的文件（.csv .tsv .txt .json .jsonl .ndjson .xls .et .xlsx；- 为标准输入）/ files to check (- for standard input)")
    var files: [String]

    @Option(help: "模式：内置名称或模式文件路径（默认 member-ledger，并运行其全部规范化与校验）/ schema: a built-in name or a schema file")
    var schema: String = "member-ledger"

    @Option(help: "要运行的步骤（逗号分隔；默认取模式的默认步骤）/ steps to run, comma-separated")
    var steps: String?

    @Option(help: "写出问题工作簿（.xlsx）/ write an issue workbook")
    var workbook: String?

    @Option(help: "把完整的问题报告写成 JSON（- 为标准输出）/ write the full issue report as JSON (- for standard output)")
    var report: String?

    @Option(help: "CSV 编码 auto|utf-8|gb18030|big5 / CSV encoding")
    var encoding: String = "auto"

    @Option(help: "在终端显示的问题条数 / issues to print")
    var show = 50

    @Flag(help: "报告中显示完整的个人信息（默认遮蔽）/ show personal values in full in reports")
    var fullPersonalData = false

    @OptionGroup var reporting: Reporting

    @OptionGroup var common: Common

    func run() throws {
        Interrupts.install()
        let registry = builtinRegistry()
        let here = Position(file: common.language == .zh ? "<命令行>" : "<command line>", line: 1, column: 1)
        func scalar(_ s: String) -> ConfigNode { ConfigNode(value: .scalar(s, quoted: true), position: here) }
        func map(_ pairs: [(String, ConfigNode)]) -> ConfigNode { ConfigNode(value: .mapping(pairs.map { ($0.0, here, $0.1) }), position: here) }

        var inputs: [ConfigNode] = []
        var names: [String: String] = [:]
        var spooled: String?
        defer { if let spooled { StandardInput.remove(spooled) } }
        if files.filter({ $0 == "-" }).count > 1 {
            throw CommandError(Message(zh: "标准输入（-）只能读一次", en: "standard input (-) can be read only once"), .usage)
        }
        for var f in files {
            if f == "-" {
                let (path, display) = try StandardInput.spool(language: common.language)
                spooled = path
                names[path] = display
                f = path
            }
            guard let reader = registry.reader(forFile: f) else {
                let known = registry.readers.values.flatMap(\.extensions).sorted().map { "." + $0 }.joined(separator: " ")
                throw CommandError(Message(zh: "不知道如何读取 \(f)（支持 \(known)）", en: "no reader for \(f) (use \(known))"), .usage)
            }
            var pairs: [(String, ConfigNode)] = [("read", scalar(reader.spec.name)), ("path", scalar(f))]
            if reader.spec.option(named: "encoding") != nil { pairs.append(("encoding", scalar(encoding))) }
            inputs.append(map(pairs))
        }
        let stepNames = steps.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? registry.defaultSteps[schema] ?? ["fields"]
        var outputs: [ConfigNode] = []
        if let report { outputs.append(map([("write", scalar("json-report")), ("path", scalar(report))])) }
        if let workbook { outputs.append(map([("write", scalar("issue-workbook")), ("path", scalar(workbook))])) }
        let top = map([("name", scalar("validate")), ("schema", scalar(schema)),
                       ("inputs", ConfigNode(value: .sequence(inputs), position: here)),
                       ("steps", ConfigNode(value: .sequence(stepNames.map { map([("step", scalar($0))]) }), position: here)),
                       ("outputs", ConfigNode(value: .sequence(outputs), position: here))])
        let pipeline = try PipelineLoader(registry: registry).load(root: top, file: nil, directory: FileManager.default.currentDirectoryPath)
        var o = RunOptions()
        o.language = common.language
        o.names = names
        if fullPersonalData { o.masking = .full }
        try execute(pipeline, registry: registry, options: o, show: show, failOn: .error, reporting: reporting).end()
    }
}
