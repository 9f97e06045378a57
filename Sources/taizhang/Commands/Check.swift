import ArgumentParser
import TaizhangCore

struct Check: ParsableCommand, LanguageChoosing {
    static let configuration = CommandConfiguration(abstract: "只检查流水线文件与选项，不读数据 / check a pipeline without reading data")

    @Argument(help: "流水线文件 / pipeline file")
    var pipeline: String

    @Option(name: .customLong("set"), help: "设置变量 NAME=VALUE / set a ${variable}")
    var sets: [String] = []

    @OptionGroup var common: Common

    func run() throws {
        let p = try loadPipeline(pipeline, sets: sets, registry: builtinRegistry())
        if let notes = notesText(p, common.language) { print(notes) }
        print(common.language == .zh
              ? "流水线「\(p.name)」无误：\(p.inputs.count) 个输入，\(p.steps.count) 个步骤，\(p.outputs.count) 个输出；模式 \(p.schema.name)（\(p.schema.fields.count) 个字段）"
              : "pipeline '\(p.name)' is valid: \(p.inputs.count) inputs, \(p.steps.count) steps, \(p.outputs.count) outputs; schema \(p.schema.name) (\(p.schema.fields.count) fields)")
    }
}
