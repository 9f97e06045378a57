import ArgumentParser
import TaizhangCore

struct Plugins: ParsableCommand, LanguageChoosing {
    static let configuration = CommandConfiguration(abstract: "列出插件及其选项 / list plugins and their options")

    @Argument(help: "只显示这个插件（如 visits，或照流水线写法 \"step: visits\"）/ show only this plugin (visits, or as a pipeline writes it, \"step: visits\")")
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
        if var name {
            // As a pipeline writes it (`step: visits`): the verb picks among plugins of one name.
            var verb: String? = nil
            if let colon = name.firstIndex(of: ":") {
                verb = name[..<colon].trimmingCharacters(in: .whitespaces)
                name = name[name.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            specs = specs.filter { $0.name == name && (verb == nil || $0.verb == verb) }
            if specs.isEmpty, let verb, let other = registry.allSpecs.first(where: { $0.name == name }) {
                throw CommandError(Message(zh: "没有「\(verb): \(name)」；有「\(other.verb): \(name)」", en: "there is no '\(verb): \(name)'; there is '\(other.verb): \(name)'"), .usage)
            }
            if specs.isEmpty {
                throw CommandError(Message(zh: "没有名为「\(name)」的插件", en: "no plugin named '\(name)'"), .usage,
                                   suggestion: Suggest.didYouMean(name, registry.allSpecs.map(\.name)))
            }
        }
        for spec in specs {
            print("\(spec.verb): \(spec.name)  — \(spec.summary.text(lang))")
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
