import ArgumentParser
import Foundation
import TaizhangCore

/// `taizhang profile show [FILE]`: the fields and vocabulary a run uses — the built-in pack's, or
/// with an office profile (`extends: member-ledger`) added — so an office sees what its words map to.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "查看模式与办公室档案：字段、表头别名、类别与代码表 / show a schema's fields and vocabulary, with an office profile",
        subcommands: [Show.self])

    struct Show: ParsableCommand, LanguageChoosing {
        static let configuration = CommandConfiguration(
            abstract: "打印生效的字段和代码表（不给文件时为内置的 member-ledger）/ print the effective fields and tables")

        @Argument(help: "办公室档案文件（extends: member-ledger），或内置模式的名称（如 visit-log）/ an office profile file, or a built-in schema's name (visit-log)")
        var file: String?

        @OptionGroup var common: Common

        func run() throws {
            let registry = builtinRegistry()
            let schema: Schema
            if let file, !FileManager.default.fileExists(atPath: file), let builtin = registry.schemas[file] {
                // A built-in schema by name: its pack's tables when it has them, else its fields.
                guard registry.profiles[file] == nil else { print(registry.profiles[file]!.show(builtin), terminator: ""); return }
                print((["# 模式 \(file)"] + builtin.fieldSection).joined(separator: "\n"))
                return
            } else if let file, !FileManager.default.fileExists(atPath: file), let near = Suggest.didYouMean(file, Array(registry.schemas.keys)) {
                throw CommandError(Message(zh: "没有档案文件「\(file)」，也没有这个名称的内置模式", en: "no profile file '\(file)', nor a built-in schema of that name"), .usage, suggestion: near)
            } else if let file {
                schema = try PipelineLoader(registry: registry).loadProfile(file: file)
            } else {
                // The built-in schema a profile can extend (one pack registers one today).
                guard let name = registry.profiles.keys.sorted().first, let s = registry.schemas[name] else {
                    throw CommandError(Message(zh: "没有可扩展的内置模式", en: "no built-in schema can be extended"), .usage)
                }
                schema = s
            }
            let base = schema.profile?["extends"]?.scalar ?? schema.name
            guard let pack = registry.profiles[base] else {
                throw CommandError(Message(zh: "模式 \(base) 没有可显示的代码表", en: "schema \(base) has no tables to show"), .usage)
            }
            print(pack.show(schema), terminator: "")
        }
    }
}
