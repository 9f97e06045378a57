import Foundation
import TaizhangCore
import CXLSXWriter

/// A blank standard ledger for a clerk to start clean (`taizhang template`): the schema's fields
/// as headers (required ones marked), every column formatted as text (ID numbers and phones keep
/// their digits), a drop-down on each field with standard values — listed on a hidden sheet, as
/// inline lists of CJK text overflow libxlsxwriter's buffer — and a hint on each header.
public enum LedgerTemplate {
    public static let rows = 5_000

    public static func write(_ schema: Schema, path: String, language: Language) throws -> AtomicOutput {
        let zh = language == .zh
        let book = try XLSXWorkbook(path: path, constantMemory: false)
        guard schema.fields.count <= XLSXWorkbook.maxColumns else { book.abort(); throw book.tooWide(schema.fields.count) }
        do {
            let header = book.format { f in format_set_bold(f); format_set_bg_color(f, 0xDDEBF7); format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)); format_set_num_format(f, "@") }
            let required = book.format { f in format_set_bold(f); format_set_bg_color(f, 0xFFC7CE); format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)); format_set_num_format(f, "@") }
            let text = book.format { f in format_set_num_format(f, "@") }
            let sheet = try book.addSheet(zh ? "台账" : "ledger")
            let lists = try book.addSheet(zh ? "代码表" : "codes")
            worksheet_hide(lists)
            var listColumn = 0
            for (c, field) in schema.fields.enumerated() {
                XLSXWorkbook.writeText(sheet, 0, c, field.name, field.required ? required : header)
                worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), max(10, XLSXWorkbook.width(field.name) + 4, field.personal ? 20 : 0), text)
                var hint = field.required ? (zh ? "必填。" : "required. ") : ""
                if let doc = field.doc { hint += doc }
                if let choices = field.choices, !choices.isEmpty {
                    XLSXWorkbook.writeText(lists, 0, listColumn, field.name)
                    for (r, v) in choices.enumerated() { XLSXWorkbook.writeText(lists, r + 1, listColumn, v) }
                    let letter = Origin.columnLetter(listColumn)
                    let sheetName = zh ? "代码表" : "codes"
                    validate(sheet, column: c, formula: "='\(sheetName)'!$\(letter)$2:$\(letter)$\(choices.count + 1)", title: field.name,
                             message: hint + (zh ? "从下拉列表中选择，也可以照原样填写。" : "pick from the list, or type the value."))
                    listColumn += 1
                } else if !hint.isEmpty {
                    validate(sheet, column: c, formula: nil, title: field.name, message: hint)
                }
            }
            worksheet_freeze_panes(sheet, 1, 0)
            XLSXWorkbook.printOnA4(sheet, landscape: true)
            worksheet_repeat_rows(sheet, 0, 0)
            let guide = try book.addSheet(zh ? "说明" : "how to fill")
            let lines = zh ? ["每人一行，从第 2 行起填写；红色表头为必填项。",
                              "单元格已设为文字格式：身份证号、电话按原样填写，不会被 Excel 变成 1.10105E+17。",
                              "有下拉列表的列请尽量从列表中选择（统战对象类别可写多个，用「、」分开）。",
                              "填好后用 taizhang validate 检查，再交给街道。"]
                           : ["One person per row, from row 2; red headers are required.",
                              "Cells are formatted as text: ID numbers and phones keep every digit.",
                              "Pick values from the drop-downs where there is one (several categories: separate with 、).",
                              "Check the file with taizhang validate before handing it in."]
            for (k, l) in lines.enumerated() { XLSXWorkbook.writeText(guide, k, 0, "\(k + 1). " + l) }
            worksheet_set_column(guide, 0, 0, 90, nil)
            return try book.seal()
        } catch {
            book.abort()
            throw error
        }
    }

    /// A drop-down from `formula` (or none) with an input hint, on the column's data rows.
    private static func validate(_ sheet: UnsafeMutablePointer<lxw_worksheet>, column: Int, formula: String?, title: String, message: String) {
        var dv = lxw_data_validation()
        dv.validate = UInt8(formula == nil ? LXW_VALIDATION_TYPE_ANY.rawValue : LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
        dv.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_WARNING.rawValue)   // a warning: other spellings are still allowed
        let f = strdup(formula ?? ""), t = strdup(String(title.prefix(30))), m = strdup(String(message.prefix(250)))
        defer { free(f); free(t); free(m) }
        if formula != nil { dv.value_formula = f }
        dv.input_title = t
        dv.input_message = m
        worksheet_data_validation_range(sheet, 1, lxw_col_t(column), lxw_row_t(rows), lxw_col_t(column), &dv)
    }
}
