import Foundation
import TaizhangCore
import TaizhangForms

/// `write: xlsx-template` — fills the higher unit's own workbook: the form names a template .xlsx
/// and which cells take which figure (`template:` in the form file); the filled copy is written to
/// `path`, the template itself is never changed. Only the target cells change: each is replaced
/// (or added) in place in its sheet's XML, found with expat by byte offset; every other part of
/// the package — styles, merged cells, formulas, other sheets, print settings, defined names — is
/// copied as it was (ZIPFoundation). The workbook is marked to recalculate on opening, so
/// formulas over the filled cells show their new values. A target that holds a formula, or lies
/// inside a merged range other than at its top-left, is refused, naming the cell.
public enum XLSXTemplateWriterPlugin {
    public static let spec = PluginSpec(
        name: "xlsx-template", kind: .writer,
        summary: Message(zh: "把报表数字填进上级下发的 .xlsx 模板（表式文件的 template: 指定模板和单元格），模板的其余部分原样保留",
                         en: "Fills the higher unit's own .xlsx template with the return's figures (the form's template: names it and the cells); the rest of the template is kept as it was"),
        options: [OptionSpec("path", .outputPath, required: true, doc: Message(zh: "填好的工作簿（.xlsx）；模板本身不会被改动", en: "the filled workbook (.xlsx); the template itself is never changed")),
                  OptionSpec("form", .string, doc: Message(zh: "填哪个表式的模板（统计了几个带模板的表式时必填）", en: "whose template to fill (needed when several counted forms have one)"))],
        file: "Plugins/Writers/XLSXTemplateWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, _, _ in
        try XLSXTemplateWriter(path: path, form: options.string("form"))
    }
}

final class XLSXTemplateWriter: Writer {
    private let out: OutputFile
    private let form: String?

    init(path: String, form: String?) throws {
        out = try OutputFile(path: path)
        self.form = form
    }

    func write(_ batch: Batch) throws {}

    func abort() { out.abort() }

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        do {
            let withTemplate = summary.tables.filter { $0.template != nil && (form == nil || $0.form == form) }
            guard let main = withTemplate.first, let template = main.template else {
                throw fail(form.map { "表式「\($0)」没有 template:（模板及其单元格）/ form '\($0)' names no template" }
                           ?? "本次统计的表式都没有 template:（在表式文件中写明模板和单元格）/ no counted form names a template")
            }
            if form == nil && withTemplate.count > 1 {
                throw fail("有 \(withTemplate.count) 个表式带模板（\(withTemplate.compactMap(\.form).joined(separator: "、"))），用 form: 指明填哪一个 / several forms have a template: name one with form:")
            }
            // The filled copy never replaces the template it is made from.
            if FileIdentity.same(out.path, template.file) {
                throw fail("输出文件就是模板 \(Options.display(template.file)) 本身：请写到另一个文件 / the output is the template itself: write to another file")
            }
            let values = try template.cells.map { c in (c.cell, try value(c, main: main, tables: summary.tables.filter { $0.form == main.form })) }
            let filled: Data
            do { filled = try TemplateFill.fill(template: template.file, sheet: template.sheet, values: values) } catch let p as TemplateFill.Problem {
                throw fail("\(p.message.zh) / \(p.message.en)")
            }
            try out.write(Array(filled))
            return [try out.seal()]
        } catch {
            out.abort()
            throw error
        }
    }

    private func fail(_ reason: String) -> OutputError { OutputError(path: out.path, reason: reason) }

    /// A template cell's value: a figure of the form's tables (row by key or label, column by key or
    /// number) or one of the texts.
    private func value(_ c: StatTable.Template.Cell, main: StatTable, tables: [StatTable]) throws -> TemplateFill.Value {
        if let text = c.text {
            switch text {
            case "unit": return .text(main.unit)
            case "period": return .text(main.period)
            case "period_label": return .text(main.periodLabel)
            case "title": return .text(main.title)
            case "report_date": return .text(main.template?.texts["report_date"] ?? "")
            default: throw fail("模板 \(c.cell)：不认识的文字「\(text)」 / template \(c.cell): unknown text '\(text)'")
            }
        }
        var table = main
        if let key = c.table {
            guard let other = tables.first(where: { $0.formTable == key && !$0.key.hasPrefix("unit:") }) else {
                throw fail("模板 \(c.cell)：表式中没有表「\(key)」 / template \(c.cell): the form has no table '\(key)'")
            }
            table = other
        }
        guard let rowKey = c.row, let row = table.rows.first(where: { $0.key == rowKey }) ?? table.rows.first(where: { $0.label == rowKey }) else {
            let rows = table.rows.map(\.key) + table.rows.map(\.label)
            throw fail("模板 \(c.cell)：表中没有行「\(c.row ?? "")」（有：\(table.rows.map { "\($0.key)=\($0.label)" }.prefix(20).joined(separator: "，"))）"
                       + (Suggest.closest(to: c.row ?? "", in: rows).map { "，是不是「\($0)」？" } ?? "") + " / template \(c.cell): no row '\(c.row ?? "")'")
        }
        guard let colKey = c.column, let col = table.columns.firstIndex(where: { $0.key == colKey }) ?? Int(colKey).flatMap({ $0 >= 1 && $0 <= table.columns.count ? $0 - 1 : nil }) else {
            throw fail("模板 \(c.cell)：表中没有栏「\(c.column ?? "")」 / template \(c.cell): no column '\(c.column ?? "")'")
        }
        if let share = table.columns[col].derived?.share {
            guard let x = row.ratios?[col] ?? nil else { return .text("—") }
            return .number(x, decimals: share.decimals)
        }
        guard let n = row.counts[col] else { return .text("—") }
        return .number(Double(n), decimals: 0)
    }
}
