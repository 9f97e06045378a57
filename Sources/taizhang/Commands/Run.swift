import ArgumentParser
import TaizhangCore

struct Run: ParsableCommand, LanguageChoosing {
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

    @OptionGroup var reporting: Reporting

    @OptionGroup var common: Common

    func run() throws {
        Interrupts.install()
        let registry = builtinRegistry()
        let p = try loadPipeline(pipeline, sets: sets, registry: registry)
        var o = RunOptions()
        o.dryRun = dryRun
        o.language = common.language
        if fullPersonalData { o.masking = .full }
        try execute(p, registry: registry, options: o, show: show, failOn: p.failOn, reporting: reporting).end()
    }
}
