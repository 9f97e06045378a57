import Foundation
import TaizhangCore
import CXLSXWriter

/// `write: review-workbook` — the pairs a step asks a person to decide on (possible duplicates),
/// side by side: two rows a pair, cells that differ filled yellow, the score and its reasons, and a
/// 决定 column (a drop-down of 是/否). Fill it in and give it back to the step (`decisions:` of
/// `step: duplicates` or `step: link`): the decisions apply on every later run, found by the pair's 配对键, which
/// survives reordered and re-read ledgers. A 说明 sheet says how. Written whole at the end of the run.
public enum ReviewWorkbookWriterPlugin {
    public static let spec = PluginSpec(
        name: "review-workbook", kind: .writer,
        summary: Message(zh: "写出复核表：疑似重复的两条记录并排、不同处标黄、评分依据，「决定」列填 是/否 后可读回", en: "Writes the review sheet: possible duplicates side by side, differences highlighted, a 决定 column to fill and feed back"),
        options: [
            OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径（.xlsx）", en: "output file (.xlsx)")),
        ],
        file: "Plugins/Writers/ReviewWorkbookWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, _, _, context in
        try ReviewWorkbookWriter(path: path, context: context)
    }
}

final class ReviewWorkbookWriter: Writer {
    private let book: XLSXWorkbook
    private let zh: Bool

    init(path: String, context: PluginContext) throws {
        book = try XLSXWorkbook(path: path, constantMemory: false)
        zh = context.language == .zh
    }

    func write(_ batch: Batch) throws {}

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        let header = book.format { f in format_set_bold(f); format_set_bg_color(f, 0xDDEBF7); format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)); format_set_text_wrap(f) }
        let text = book.format { f in format_set_num_format(f, "@"); format_set_border(f, UInt8(LXW_BORDER_HAIR.rawValue)) }
        let differs = book.format { f in format_set_num_format(f, "@"); format_set_bg_color(f, 0xFFEB9C); format_set_border(f, UInt8(LXW_BORDER_HAIR.rawValue)) }
        let merged = book.format { f in format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)); format_set_text_wrap(f); format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        // The decision is the only cell a person types in: unlocked on a protected sheet.
        let decision = book.format { f in format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue)); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)); format_set_bg_color(f, 0xE2EFDA); format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)); format_set_bold(f); format_set_unlocked(f) }

        for set in summary.reviews {
            let ws = try book.addSheet(set.title.text(zh ? .zh : .en))
            let fixed = ["编号", set.words.decisionHeader, "匹配概率%", "依据", "来源"]
            let columns = fixed + set.fields + [set.words.keyHeader]
            for (c, h) in columns.enumerated() { XLSXWorkbook.writeText(ws, 0, c, h, header) }
            let widths: [Double] = [6, 8, 6, 40, 26] + set.fields.map { max(10, XLSXWorkbook.width($0) + 4) } + [36]
            let keyColumn = columns.count - 1
            for (c, w) in widths.enumerated() where c != keyColumn { worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), w, nil) }
            // The pair key is how a decision finds its pair again: hidden, and locked with the sheet.
            var hidden = lxw_row_col_options()
            hidden.hidden = 1
            worksheet_set_column_opt(ws, lxw_col_t(keyColumn), lxw_col_t(keyColumn), 36, nil, &hidden)
            var protection = lxw_protection()
            protection.format_columns = 1
            protection.format_rows = 1
            protection.autofilter = 1
            protection.sort = 1
            worksheet_protect(ws, nil, &protection)
            worksheet_freeze_panes(ws, 1, 5)
            // A pair (two rows) on one printed page, the header on each.
            XLSXWorkbook.printOnA4(ws, landscape: true)
            worksheet_repeat_rows(ws, 0, 0)
            for (n, pair) in set.pairs.enumerated() {
                let top = 1 + 2 * n
                guard top + 1 < XLSXWorkbook.maxRows else { break }
                let reasons = pair.reasons.text(zh ? .zh : .en)
                worksheet_merge_range(ws, lxw_row_t(top), 0, lxw_row_t(top + 1), 0, "", merged)
                worksheet_write_number(ws, lxw_row_t(top), 0, Double(n + 1), merged)
                worksheet_merge_range(ws, lxw_row_t(top), 1, lxw_row_t(top + 1), 1, "", decision)
                worksheet_merge_range(ws, lxw_row_t(top), 2, lxw_row_t(top + 1), 2, "", merged)
                worksheet_write_number(ws, lxw_row_t(top), 2, pair.score, merged)
                worksheet_merge_range(ws, lxw_row_t(top), 3, lxw_row_t(top + 1), 3, XLSXWorkbook.escape(reasons), merged)
                for (k, record) in [pair.left, pair.right].enumerated() {
                    let row = top + k
                    XLSXWorkbook.writeText(ws, row, 4, record.origin.location, text)
                    for (i, v) in record.values.enumerated() {
                        let other = (k == 0 ? pair.right : pair.left).values
                        let same = i < other.count && other[i] == v
                        XLSXWorkbook.writeText(ws, row, 5 + i, v, same ? text : differs)
                    }
                    XLSXWorkbook.writeText(ws, row, keyColumn, pair.key, text)
                }
            }
            // Page breaks between pairs (15 to a page), so a pair's two records never print apart.
            var breaks = stride(from: 1 + 2 * Self.pairsPerPage, to: 1 + 2 * set.pairs.count, by: 2 * Self.pairsPerPage).prefix(1022).map { lxw_row_t($0) }
            if !breaks.isEmpty {
                breaks.append(0)
                worksheet_set_h_pagebreaks(ws, &breaks)
            }
            if !set.pairs.isEmpty {
                listValidation(ws, rows: 1...(2 * set.pairs.count), column: 1, values: [set.words.yes[0], set.words.no[0]])
            }
        }
        let help = try book.addSheet(zh ? "说明" : "how to")
        worksheet_set_column(help, 0, 0, 100, nil)
        let count = summary.reviews.reduce(0) { $0 + $1.pairs.count }
        let lines = zh ? [
            count == 0 ? "本次运行没有需要人工复核的疑似重复记录。" : "共 \(count) 对疑似重复记录，每对占两行，黄色为两条记录不同之处。",
            "在「决定」列填「是」（同一人）或「否」（不是同一人），不确定的留空。",
            "填好后另存为一个新文件（例如 查重-复核表-已填.xlsx；本表每次运行都会重写，运行时不能读写同一个文件），",
            "再在流水线的 duplicates 步骤中加 decisions: 新文件的路径，之后每次运行都按所填决定处理：",
            "  是 → 后出现的记录按同一人处理；否 → 两人分别计入，不再列入复核。",
            "本表受保护，只有「决定」列可以填写；隐藏的「配对键」列由两条记录的内容算出，行序变化不影响，记录内容修改后需重新复核。",
            "身份证号、电话按默认设置部分遮盖；如需完整显示，运行时加 --full-personal-data。",
        ] : [
            count == 0 ? "No pairs need review in this run." : "\(count) pairs may be the same person; each takes two rows, differences in yellow.",
            "Write 是 (same person) or 否 (not) in the 决定 column; leave it blank when unsure.",
            "Save it under a new name (this sheet is rewritten on every run, and a run never reads and writes one file),",
            "then add decisions: <the new file> to the pipeline's duplicates step; the decisions apply on every later run.",
            "The sheet is protected but for the 决定 column; the hidden 配对键 (pair key) is computed from both records' content: row order does not matter; an edited record needs a new review.",
            "ID numbers and phones are partly masked by default; run with --full-personal-data to show them in full.",
        ]
        for (i, l) in lines.enumerated() { XLSXWorkbook.writeText(help, i, 0, l) }
        return [try book.seal()]
    }

    /// A drop-down of `values` on the cells of `column` in `rows`.
    private func listValidation(_ ws: UnsafeMutablePointer<lxw_worksheet>, rows: ClosedRange<Int>, column: Int, values: [String]) {
        var v = lxw_data_validation()
        v.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
        let strings = values.map { strdup($0) } + [nil]
        defer { strings.forEach { free($0) } }
        var pointers = strings
        pointers.withUnsafeMutableBufferPointer { buf in
            v.value_list = buf.baseAddress
            worksheet_data_validation_range(ws, lxw_row_t(rows.lowerBound), lxw_col_t(column), lxw_row_t(rows.upperBound), lxw_col_t(column), &v)
        }
    }

    static let pairsPerPage = 15

    func abort() { book.abort() }
}
