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
        let registry = builtinRegistry()
        let p = try loadPipeline(pipeline, sets: sets, registry: registry)
        // What a step reads when it is made (a form file, a list of units) is checked too, as a run
        // would check it — without reading data or starting any program (exec steps are not made).
        // Every table's, in order, so a lookup of another table is checked as a run makes it.
        let tables = [p] + p.tables
        let directory = TableDirectory(tables.map { .init(name: $0.tableName, schema: $0.schema) })
        var problems: [Diagnostic] = []
        for (k, t) in tables.enumerated() {
            var context = PluginContext(schema: t.schema, language: common.language)
            context.registry = registry
            context.pipelineFile = t.file
            context.store = t.store
            context.tables = directory
            directory.current = k
            let layout = Layout(schema: t.schema)
            for c in t.steps where c.name != "exec" {
                do { _ = try registry.steps[c.name]?.make(c.options, layout, context) } catch { problems += error.items }
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        if let notes = notesText(p, common.language) { print(notes) }
        print(common.language == .zh
              ? "流水线「\(p.name)」无误：" + (p.tables.isEmpty ? "" : "\(tables.count) 张表；") + "\(p.inputs.count) 个输入，\(p.steps.count) 个步骤，\(p.outputs.count) 个输出；模式 \(p.schema.name)（\(p.schema.fields.count) 个字段）"
              : "pipeline '\(p.name)' is valid: " + (p.tables.isEmpty ? "" : "\(tables.count) tables; ") + "\(p.inputs.count) inputs, \(p.steps.count) steps, \(p.outputs.count) outputs; schema \(p.schema.name) (\(p.schema.fields.count) fields)")
    }
}
