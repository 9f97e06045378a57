import Foundation
import TaizhangCore
import CXLSXWriter

/// `write: xlsx-return` — the statistical return as an official-looking form, one sheet per
/// table (the return, one per lower unit, the run's figures): title in 黑体; 表号, 制表机关, 批准机关,
/// 批准文号, 有效期至 at the top right; 填报单位, 报告期 and 单位：人; merged multi-row column headings
/// with numbered columns (甲, 1, 2, …); 主栏 with 合计; "—" in structurally empty cells; the
/// footnote of logic relations; the footer 单位负责人 … 报出日期. A4 landscape, fit to width,
/// headings repeated on each page, 宋体 body, borders. Byte-identical for the same data.
/// A table that failed its logic checks carries a red 审核未通过 line under its title.
public enum XLSXReturnWriterPlugin {
    public static let spec = PluginSpec(
        name: "xlsx-return", kind: .writer,
        summary: Message(zh: "写出统计报表 XLSX（正式表式：表头信息、多行表头、合计、页脚签名，A4 横向打印）", en: "Writes the statistical return as an official-looking XLSX form (A4 landscape)"),
        options: [OptionSpec("path", .outputPath, required: true, doc: Message(zh: "输出文件路径（.xlsx）", en: "output file (.xlsx)")),
                  OptionSpec("form", .string, doc: Message(zh: "只写这个表式（统计步骤计了几个表式时）；不写时写出全部", en: "write this form only (when the step counts several); all of them by default"))],
        file: "Plugins/Writers/XLSXReturnWriter.swift")

    public static let plugin = WriterPlugin(spec: spec) { path, options, _, _ in
        try XLSXReturnWriter(path: path, form: options.string("form"))
    }
}

final class XLSXReturnWriter: Writer {
    private let path: String
    private let form: String?
    private var book: XLSXWorkbook?

    init(path: String, form: String? = nil) throws {
        self.path = path
        self.form = form
        book = try XLSXWorkbook(path: path, constantMemory: false)
    }

    func write(_ batch: Batch) throws {}

    func finish(_ summary: RunSummary) throws -> [AtomicOutput] {
        guard let book else { return [] }
        guard !summary.tables.isEmpty else {
            book.abort()
            throw OutputError(path: path, reason: "没有报表可写：流水线中需要一个统计步骤（如 step: member-return） / no return to write: add a return step such as step: member-return")
        }
        var tables = summary.tables
        if let form {
            let forms = ReturnDocument.forms(in: tables)
            guard forms.contains(form) else {
                book.abort()
                throw OutputError(path: path, reason: "没有表式「\(form)」的报表（本次统计的表式：\(forms.joined(separator: "、"))） / no return of form '\(form)' (this run counts: \(forms.joined(separator: ", ")))")
            }
            tables = tables.filter { $0.form == nil || $0.form == form }
        }
        try Self.write(tables, to: book)
        self.book = nil
        return [try book.seal()]
    }

    func abort() { book?.abort() }

    /// Writes each table as a form on a sheet of its own.
    static func write(_ tables: [StatTable], to book: XLSXWorkbook) throws {
        let thin = UInt8(LXW_BORDER_THIN.rawValue)
        let f = (
            title: book.format { f in format_set_font_name(f, "黑体"); format_set_font_size(f, 18); format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue)); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)) },
            mark: book.format { f in format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue)); format_set_font_size(f, 10) },
            left: book.format { _ in },
            center: book.format { f in format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue)) },
            right: book.format { f in format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue)) },
            heading: book.format { f in
                format_set_border(f, thin); format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue)); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)); format_set_text_wrap(f)
            },
            stub: book.format { f in format_set_border(f, thin); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)) },
            total: book.format { f in format_set_border(f, thin); format_set_bold(f); format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue)) },
            number: book.format { f in format_set_border(f, thin); format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue)); format_set_num_format(f, "0") },
            dash: book.format { f in format_set_border(f, thin); format_set_align(f, UInt8(LXW_ALIGN_CENTER.rawValue)) },
            note: book.format { f in format_set_text_wrap(f); format_set_font_size(f, 10); format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) },
            failed: book.format { f in format_set_font_color(f, 0xC00000); format_set_bold(f) }
        )
        var decimals: [Int: UnsafeMutablePointer<lxw_format>] = [:]
        func decimalFormat(_ d: Int) -> UnsafeMutablePointer<lxw_format> {
            if let known = decimals[d] { return known }
            let made = book.format { f in
                format_set_border(f, thin); format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue))
                format_set_num_format(f, d == 0 ? "0" : "0." + String(repeating: "0", count: d))
            }
            decimals[d] = made
            return made
        }
        for t in tables {
            let ws = try book.addSheet(t.sheet)
            let last = t.columns.count          // index of the last column (stub is column 0)
            var r = 0
            worksheet_merge_range(ws, 0, 0, 0, lxw_col_t(last), XLSXWorkbook.escape(t.title), f.title)
            worksheet_set_row(ws, 0, 30, nil)
            r = 1
            // A table that lists (人员变动名单): a heading row and one row of text per entry.
            if let list = t.list {
                XLSXWorkbook.writeText(ws, 1, 0, "填报单位：\(t.unit)　\(t.periodLabel)", f.left)
                let heads = [t.stubHeading] + t.columns.map(\.label)
                for (c, h) in heads.enumerated() { XLSXWorkbook.writeText(ws, 2, c, h, f.heading) }
                for (k, entry) in list.enumerated() {
                    for (c, v) in entry.enumerated() { XLSXWorkbook.writeText(ws, 3 + k, c, v, f.stub) }
                }
                if list.isEmpty { XLSXWorkbook.writeText(ws, 3, 0, t.emptyList ?? "（无）", f.left) }
                XLSXWorkbook.writeText(ws, 4 + max(list.count, 1), 0, "注：" + t.footnote, f.left)
                // The stub 20 wide, the last column (the reason, the detail) 60; those between as wide
                // as their longest text (12 to 40).
                worksheet_set_column(ws, 0, 0, 20, nil)
                let widths = (1..<max(last, 1)).map { c in min(40, max(12, (list.map { c < $0.count ? XLSXWorkbook.width($0[c]) : 0 }.max() ?? 0) + 2)) }
                var c = 0
                while c < widths.count {   // columns of one width in one <col> range
                    var end = c
                    while end + 1 < widths.count && widths[end + 1] == widths[c] { end += 1 }
                    worksheet_set_column(ws, lxw_col_t(c + 1), lxw_col_t(end + 1), widths[c], nil)
                    c = end + 1
                }
                worksheet_set_column(ws, lxw_col_t(last), lxw_col_t(last), 60, nil)
                worksheet_repeat_rows(ws, 2, 2)
                XLSXWorkbook.printOnA4(ws, landscape: false)
                continue
            }
            if !t.passed {
                let why = t.checks.filter { !$0.ok }.map { "\($0.rule) \($0.detail ?? "")" }.joined(separator: "；")
                worksheet_merge_range(ws, 1, 0, 1, lxw_col_t(last), XLSXWorkbook.escape("审核未通过：" + why), f.failed)
                r = 2
            }
            // The form's legal marks, top right.
            let markFrom = max(1, last - 4)
            for m in t.marks where m.count == 2 {
                worksheet_merge_range(ws, lxw_row_t(r), lxw_col_t(markFrom), lxw_row_t(r), lxw_col_t(last), XLSXWorkbook.escape("\(m[0])：\(m[1])"), f.mark)
                r += 1
            }
            // 填报单位, 报告期, 单位.
            let third = max(1, (last + 1) / 3)
            worksheet_merge_range(ws, lxw_row_t(r), 0, lxw_row_t(r), lxw_col_t(third - 1), XLSXWorkbook.escape("填报单位：\(t.unit)"), f.left)
            worksheet_merge_range(ws, lxw_row_t(r), lxw_col_t(third), lxw_row_t(r), lxw_col_t(max(third, last - third)), XLSXWorkbook.escape(t.periodLabel), f.center)
            if last - third + 1 <= last {
                worksheet_merge_range(ws, lxw_row_t(r), lxw_col_t(last - third + 1), lxw_row_t(r), lxw_col_t(last), XLSXWorkbook.escape(t.measure), f.right)
            }
            r += 1
            // Column headings: one row per level, merged across equal groups and down to the last level.
            let depth = t.columns.map(\.path.count).max() ?? 1
            let top = r
            Self.merge(ws, top, 0, top + depth - 1, 0, t.stubHeading, f.heading)
            for level in 0..<depth {
                var c = 0
                while c < t.columns.count {
                    let path = t.columns[c].path
                    guard level < path.count else { c += 1; continue }
                    // A group heading spans the following columns under it; a column's own label spans only itself.
                    var end = c
                    if level < path.count - 1 {
                        while end + 1 < t.columns.count, t.columns[end + 1].path.count > level + 1,
                              Array(t.columns[end + 1].path.prefix(level + 1)) == Array(path.prefix(level + 1)) { end += 1 }
                    }
                    let bottom = level == path.count - 1 ? top + depth - 1 : top + level
                    Self.merge(ws, top + level, c + 1, bottom, end + 1, path[level], f.heading)
                    c = end + 1
                }
            }
            r = top + depth
            XLSXWorkbook.writeText(ws, r, 0, "甲", f.heading)
            for c in 0..<t.columns.count { XLSXWorkbook.writeText(ws, r, c + 1, String(c + 1), f.heading) }
            let numbering = r
            r += 1
            for row in t.rows {
                XLSXWorkbook.writeText(ws, r, 0, row.label, row.key == "total" ? f.total : f.stub)
                for (c, v) in row.counts.enumerated() {
                    if let share = t.columns[c].derived?.share {
                        // A share: its figure to the form's decimals; "—" where the denominator is 0.
                        if let x = row.ratios?[c] ?? nil { XLSXWorkbook.writeNumber(ws, r, c + 1, x, decimalFormat(share.decimals)) } else { XLSXWorkbook.writeText(ws, r, c + 1, "—", f.dash) }
                    } else if let v { XLSXWorkbook.writeNumber(ws, r, c + 1, Double(v), f.number) } else { XLSXWorkbook.writeText(ws, r, c + 1, "—", f.dash) }
                }
                r += 1
            }
            // Notes wrap across the table's width: each row as tall as its lines (Excel does not fit merged cells).
            let across = 26 + 7.5 * Double(last)
            for full in (t.footnote.isEmpty ? [] : ["注：" + t.footnote]) + t.notes {
                // A cell holds 32,767 characters: a longer note is cut, and says so (the JSON keeps it whole).
                let note = full.count > 30_000 ? String(full.prefix(30_000)) + "……（共 \(full.count) 字，完整内容见报表 JSON）" : full
                worksheet_merge_range(ws, lxw_row_t(r), 0, lxw_row_t(r), lxw_col_t(last), XLSXWorkbook.escape(note), f.note)
                let lines = max(1, Int((XLSXWorkbook.width(note) / across).rounded(.up)))
                worksheet_set_row(ws, lxw_row_t(r), Double(14 * lines + 2), nil)
                r += 1
            }
            if !t.footer.isEmpty {
                r += 1
                let span = max(1, (last + 1) / t.footer.count)
                for (k, item) in t.footer.enumerated() {
                    let c0 = k * span, c1 = k == t.footer.count - 1 ? last : min(last, c0 + span - 1)
                    if c0 == c1 { XLSXWorkbook.writeText(ws, r, c0, item, f.left) } else {
                        worksheet_merge_range(ws, lxw_row_t(r), lxw_col_t(c0), lxw_row_t(r), lxw_col_t(c1), XLSXWorkbook.escape(item), f.left)
                    }
                }
            }
            worksheet_set_column(ws, 0, 0, 26, nil)
            if last >= 1 { worksheet_set_column(ws, 1, lxw_col_t(last), 7.5, nil) }
            for level in 0..<depth { worksheet_set_row(ws, lxw_row_t(top + level), level == depth - 1 ? 48 : 20, nil) }
            XLSXWorkbook.printOnA4(ws, landscape: true)
            worksheet_repeat_rows(ws, lxw_row_t(top), lxw_row_t(numbering))
            worksheet_center_horizontally(ws)
        }
        try writeCharts(tables, to: book)
    }

    /// Sheet 图表: persons by category (bars, from the main table's first column), and — when the
    /// return compares with the previous period — 上期 and 本期 side by side; each chart with the
    /// figures it draws beside it, so the sheet prints as it reads.
    static func writeCharts(_ tables: [StatTable], to book: XLSXWorkbook) throws {
        guard let main = tables.first(where: { $0.key == "main" }), !main.columns.isEmpty else { return }
        let bold = book.format { f in format_set_bold(f); format_set_bg_color(f, 0xDDEBF7) }
        let (ws, name) = try book.addNamedSheet("图表")
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        let categories = main.rows.filter { $0.key != "total" }
        XLSXWorkbook.writeText(ws, 0, 0, "类别", bold)
        XLSXWorkbook.writeText(ws, 0, 1, main.columns[0].label, bold)
        for (k, row) in categories.enumerated() {
            XLSXWorkbook.writeText(ws, k + 1, 0, row.label)
            XLSXWorkbook.writeNumber(ws, k + 1, 1, Double(row.counts.first.flatMap { $0 } ?? 0))
        }
        worksheet_set_column(ws, 0, 0, 26, nil)
        func bars(_ title: String, series: [(name: String, column: Int)], rows: Int, at anchor: Int) {
            let chart = book.chart(LXW_CHART_BAR)
            for s in series {
                let col = Origin.columnLetter(s.column)
                let line = chart_add_series(chart, "=\(quoted)!$A$2:$A$\(rows + 1)", "=\(quoted)!$\(col)$2:$\(col)$\(rows + 1)")
                chart_series_set_name(line, XLSXWorkbook.escape(s.name))
                chart_series_set_labels(line)
            }
            chart_title_set_name(chart, XLSXWorkbook.escape(title))
            wholeNumbers(chart, max: categories.compactMap { $0.counts.first.flatMap { $0 } }.max() ?? 0)
            chart_legend_set_position(chart, UInt8(series.count > 1 ? LXW_CHART_LEGEND_BOTTOM.rawValue : LXW_CHART_LEGEND_NONE.rawValue))
            // Categories top to bottom in the order of the return.
            chart_axis_set_reverse(chart.pointee.y_axis)
            var o = lxw_chart_options()
            o.x_scale = 1.6
            o.y_scale = 1.4
            worksheet_insert_chart_opt(ws, lxw_row_t(anchor), 4, chart, &o)
        }
        bars("\(main.periodLabel) \(main.unit) 各类\(main.columns[0].label)", series: [(main.columns[0].label, 1)], rows: categories.count, at: 0)
        // Without the previous period the sheet holds one chart: it prints landscape on one page too.
        if !tables.contains(where: { $0.key == "changes" }) { XLSXWorkbook.printOnA4(ws, landscape: true) }
        // With the previous period: its figures and this one's, per category.
        guard let changes = tables.first(where: { $0.key == "changes" }),
              let was = changes.columns.firstIndex(where: { $0.key == "previous" }),
              let now = changes.columns.firstIndex(where: { $0.key == "current" }) else { return }
        // Below the first chart (15 rows × 1.4 of it), not over it.
        let top = max(categories.count + 3, 23)
        XLSXWorkbook.writeText(ws, top, 0, "类别", bold)
        XLSXWorkbook.writeText(ws, top, 1, "上期", bold)
        XLSXWorkbook.writeText(ws, top, 2, "本期", bold)
        let changed = changes.rows.filter { $0.key != "total" }
        for (k, row) in changed.enumerated() {
            XLSXWorkbook.writeText(ws, top + 1 + k, 0, row.label)
            XLSXWorkbook.writeNumber(ws, top + 1 + k, 1, Double(row.counts[was] ?? 0))
            XLSXWorkbook.writeNumber(ws, top + 1 + k, 2, Double(row.counts[now] ?? 0))
        }
        let chart = book.chart(LXW_CHART_BAR)
        for (name, col) in [("上期", "B"), ("本期", "C")] {
            let line = chart_add_series(chart, "=\(quoted)!$A$\(top + 2):$A$\(top + 1 + changed.count)", "=\(quoted)!$\(col)$\(top + 2):$\(col)$\(top + 1 + changed.count)")
            chart_series_set_name(line, name)
            chart_series_set_labels(line)
        }
        chart_title_set_name(chart, XLSXWorkbook.escape("上期与本期（有上期台账的社区：\(changes.unitsCovered.joined(separator: "、"))）"))
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        chart_axis_set_reverse(chart.pointee.y_axis)
        wholeNumbers(chart, max: changed.flatMap { [$0.counts[was] ?? 0, $0.counts[now] ?? 0] }.max() ?? 0)
        var o = lxw_chart_options()
        o.x_scale = 1.6
        o.y_scale = 1.6
        worksheet_insert_chart_opt(ws, lxw_row_t(top), 4, chart, &o)
        XLSXWorkbook.printOnA4(ws, landscape: true)
    }

    /// People come whole: a small axis steps by one, never 0.5.
    private static func wholeNumbers(_ chart: UnsafeMutablePointer<lxw_chart>, max: Int) {
        chart_axis_set_min(chart.pointee.x_axis, 0)
        if max <= 10 { chart_axis_set_major_unit(chart.pointee.x_axis, 1) }
        chart_axis_set_num_format(chart.pointee.x_axis, "0")
    }

    private static func merge(_ ws: UnsafeMutablePointer<lxw_worksheet>, _ r0: Int, _ c0: Int, _ r1: Int, _ c1: Int, _ text: String, _ format: UnsafeMutablePointer<lxw_format>) {
        if r0 == r1 && c0 == c1 { XLSXWorkbook.writeText(ws, r0, c0, text, format) } else {
            worksheet_merge_range(ws, lxw_row_t(r0), lxw_col_t(c0), lxw_row_t(r1), lxw_col_t(c1), XLSXWorkbook.escape(text), format)
        }
    }
}

/// The return's form, for callers outside a pipeline (`taizhang merge --xlsx`).
public enum ReturnForms {
    /// Writes the tables as a workbook of forms; the caller puts it in place (``OutputSet``).
    public static func writeXLSX(_ tables: [StatTable], path: String) throws -> AtomicOutput {
        let book = try XLSXWorkbook(path: path, constantMemory: false)
        do {
            try XLSXReturnWriter.write(tables, to: book)
            return try book.seal()
        } catch {
            book.abort()
            throw error
        }
    }
}

/// A plain table as a workbook, for callers outside a pipeline (`taizhang store export`): a bold
/// header row, every cell as text (ID numbers stay text), the header frozen.
public enum PlainWorkbook {
    public static func writeXLSX(header: [String], rows: [[String]], sheet: String, path: String) throws -> AtomicOutput {
        let book = try XLSXWorkbook(path: path, constantMemory: true)
        do {
            let bold = book.format { f in format_set_bold(f); format_set_bg_color(f, 0xDDEBF7) }
            let ws = try book.addSheet(sheet)
            for (c, h) in header.enumerated() { XLSXWorkbook.writeText(ws, 0, c, h, bold) }
            for (r, row) in rows.enumerated() {
                for (c, v) in row.enumerated() where !v.isEmpty { XLSXWorkbook.writeText(ws, r + 1, c, v) }
            }
            worksheet_freeze_panes(ws, 1, 0)
            return try book.seal()
        } catch {
            book.abort()
            throw error
        }
    }
}
