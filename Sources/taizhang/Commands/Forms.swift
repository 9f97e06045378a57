import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangForms
import TaizhangMemberLedger

/// `taizhang forms [NAME|FILE]`: the shipped statistical forms, or one form's tables as text — what a
/// statistician checks against the paper form. A form file is checked as a run would check it.
struct Forms: ParsableCommand, LanguageChoosing {
    static let configuration = CommandConfiguration(
        abstract: "列出内置的统计表式，或打印一个表式（名称或表式文件）的栏目、行、审核关系 / list the shipped forms, or print one form's tables")

    @Argument(help: "表式名称或表式文件（YAML）/ a form's name or a form file")
    var form: String?

    @OptionGroup var common: Common

    func run() throws {
        guard let form else {
            print(common.language == .zh ? "内置表式（在流水线中写 forms: [名称]，或写表式文件的路径）：" : "shipped forms (name them in forms: [...], or give a form file's path):")
            for f in ShippedForms.all {
                guard let parsed = ShippedForms.form(named: f.name) else { continue }
                print("  \(f.name)　第 \(parsed.version) 版，\(parsed.tables.count) 张表，\(parsed.tables.map(\.columns.count).reduce(0, +)) 栏　（Plugins/MemberLedger/\(f.file)）")
            }
            print(common.language == .zh ? "打印一个表式：taizhang forms 统战工作对象情况统计表" : "print one: taizhang forms 统战工作对象情况统计表")
            return
        }
        if let shipped = ShippedForms.form(named: form) {
            print(shipped.text, terminator: "")
            return
        }
        guard FileManager.default.fileExists(atPath: form) else {
            throw CommandError(Message(zh: "没有表式「\(form)」：既不是内置表式，也没有这个文件", en: "no form '\(form)': neither a shipped form nor a file"), .usage,
                               suggestion: Suggest.didYouMean(form, ShippedForms.all.map(\.name)))
        }
        // Checked as a run checks it: fields, values, rows, the template.
        guard let parsed = try ShippedForms.check(form, schema: MemberLedgerSchema.schema).first else { return }
        print(parsed.text, terminator: "")
    }
}
