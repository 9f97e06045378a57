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
        let inputs = tables.reduce(0) { $0 + $1.inputs.count }, steps = tables.reduce(0) { $0 + $1.steps.count }, outputs = tables.reduce(0) { $0 + $1.outputs.count }
        if let notes = notesText(p, common.language) { print(notes) }
        let zhTables = p.tables.isEmpty ? "" : "\(tables.count) 张表；"
        let enTables = p.tables.isEmpty ? "" : "\(tables.count) tables; "
        let zhSchemas = tables.map { "\($0.schema.name)（\($0.schema.fields.count) 个字段）" }.joined(separator: "、")
        let enSchemas = tables.map { "\($0.schema.name) (\($0.schema.fields.count) fields)" }.joined(separator: ", ")
        print(common.language == .zh
              ? "流水线「\(p.name)」无误：\(zhTables)\(inputs) 个输入，\(steps) 个步骤，\(outputs) 个输出；模式 \(zhSchemas)"
              : "pipeline '\(p.name)' is valid: \(enTables)\(inputs) inputs, \(steps) steps, \(outputs) outputs; schema \(enSchemas)")
    }
}
