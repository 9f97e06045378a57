import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangWriters

/// `taizhang template`: a blank standard ledger a clerk fills in — headers, text columns,
/// drop-downs of standard values — so a new ledger starts clean.
struct Template: ParsableCommand, LanguageChoosing {
    static let configuration = CommandConfiguration(
        abstract: "写一个空白的标准台账模板（.xlsx）：表头、文字格式、下拉列表 / write a blank standard ledger to fill in")

    @Option(help: "模板的写出路径 / where to write the template (.xlsx)")
    var out: String

    @Option(help: "模式：内置名称或模式文件路径 / schema: a built-in name or a schema file")
    var schema: String = "member-ledger"

    @OptionGroup var common: Common

    func run() throws {
        Interrupts.install()
        let registry = builtinRegistry()
        var value: Schema
        if let s = registry.schemas[schema] { value = s } else {
            guard let text = try? String(contentsOfFile: schema, encoding: .utf8) else {
                throw CommandError(Message(zh: "未知的模式 \(schema)", en: "unknown schema \(schema)"), .usage,
                                   suggestion: Suggest.didYouMean(schema, registry.schemas.keys.sorted()))
            }
            value = try Schema.load(from: try ConfigNode.parse(text, file: schema))
        }
        guard out.lowercased().hasSuffix(".xlsx") else {
            throw CommandError(Message(zh: "模板是 Excel 工作簿：--out 应以 .xlsx 结尾（这里是 \(out)）", en: "the template is an Excel workbook: --out must end in .xlsx (got \(out))"), .usage)
        }
        let folder = URL(fileURLWithPath: out).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder) else {
            throw CommandError(Message(zh: "输出文件夹不存在：\(folder)", en: "output folder does not exist: \(folder)"), .io,
                               suggestion: Message(zh: "先创建它：mkdir -p \(folder)", en: "create it first: mkdir -p \(folder)"))
        }
        // The standard columns; fields a ledger has only when it keeps them (when_present: 人员状态 …) are left out.
        value.fields = value.fields.filter { !$0.whenPresent }
        let output = try LedgerTemplate.write(value, path: out, language: common.language)
        let placed = try OutputSet.commit([output])
        let kept = placed.compactMap(\.keptPrevious).first.map { common.language == .zh ? "（旧文件保留为 \($0)）" : " (the old file is kept as \($0))" } ?? ""
        print(common.language == .zh ? "已写出空白台账模板 \(out)\(kept)：\(value.fields.count) 列，\(value.fields.filter { $0.choices != nil }.count) 列带下拉列表"
                                     : "wrote a blank ledger \(out)\(kept): \(value.fields.count) columns, \(value.fields.filter { $0.choices != nil }.count) with drop-downs")
    }
}
