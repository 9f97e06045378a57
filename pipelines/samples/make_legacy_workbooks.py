#!/usr/bin/env python3
"""Writes the legacy-ledger sample workbooks of pipelines/samples from one table, so the same
ledger exists as .xls (Excel 97-2003, via xlwt), .xlsx (via openpyxl) and GB18030 CSV:

    pip install xlwt openpyxl && python3 pipelines/samples/make_legacy_workbooks.py

Layout as old ledgers have it: a title row merged across, a unit/date line, a two-row merged
header (基本情况 over 姓名/性别/…), the community merged down its column, dates as real date
cells, a phone typed as a number, a 合计 line and a 填表人 line under the data.
"""
import csv
import datetime
import os

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def idn(first17):
    """A resident ID number with its check character (GB 11643, ISO 7064 MOD 11-2)."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]

NAME = "和平里社区-2009旧台账"
TITLE = "和平里社区统战工作对象台账"
UNIT = "填报单位：和平里社区居委会（盖章）        填报日期：2009年12月31日"
TOP = ["序号", "基本情况", "", "", "", "", "政治面貌", "人员类别", "宗教信仰", "文化程度", "工作单位及职务", "联系电话", "所在社区"]
SUB = ["", "姓名", "性别", "民族", "出生年月", "身份证号", "", "", "", "", "", "", ""]
ROWS = [
    [1, "陈静", "女", "汉族", datetime.date(1975, 4, 21), idn("11010519750421002"), "群众", "无党派人士", "", "大学本科", "某设计院 高级工程师", 13512340000, "和平里社区"],
    [2, "周强", "男", "汉族", datetime.date(1969, 12, 1), idn("11010519691201001"), "民进", "民主党派成员", "", "研究生", "区第一医院 主任医师", 13612341111, ""],
    [3, "马丽娅", "女", "回族", datetime.date(1983, 6, 15), idn("11010519830615002"), "群众", "少数民族人士", "伊斯兰教", "大学专科", "个体", 13712342222, ""],
    [4, "郑芳", "女", "汉族", datetime.date(1995, 9, 9), idn("11010519950909004"), "群众", "港澳同胞", "", "大学本科", "某贸易公司 经理", 13812343333, ""],
    [5, "释妙音", "女", "汉族", datetime.date(1960, 3, 3), idn("11010519600303002"), "群众", "宗教人士", "佛教", "大学本科", "某寺 住持", 13912344444, ""],
    [6, "王小明", "男", "满族", datetime.date(1978, 11, 30), idn("11010519781130003"), "九三", "民主党派成员/党外知识分子", "", "研究生", "某研究所 研究员", 13012345555, ""],
]
TOTAL = ["合计：6人"]
FOOT = ["填表人：李红    审核人：王芳"]
COMMUNITY_ROWS = len(ROWS)


def write_xls(path):
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write_merge(0, 0, 0, len(TOP) - 1, TITLE)
    ws.write_merge(1, 1, 0, len(TOP) - 1, UNIT)
    # Two-row header: 基本情况 merged over B..F; the other headings merged down two rows.
    ws.write_merge(2, 2, 1, 5, "基本情况")
    for c, h in enumerate(TOP):
        if c == 0 or c >= 6:
            ws.write_merge(2, 3, c, c, h)
    for c in range(1, 6):
        ws.write(3, c, SUB[c])
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            if c == 12:
                continue
            if isinstance(v, datetime.date):
                ws.write(4 + r, c, v, date_style)
            elif v != "":
                ws.write(4 + r, c, v)
    ws.write_merge(4, 4 + COMMUNITY_ROWS - 1, 12, 12, ROWS[0][12])
    ws.write(4 + len(ROWS), 0, TOTAL[0])
    ws.write(5 + len(ROWS), 0, FOOT[0])
    wb.save(path)


def write_xlsx(path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.cell(1, 1, TITLE)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TOP))
    ws.cell(2, 1, UNIT)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(TOP))
    ws.cell(3, 2, "基本情况")
    ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=6)
    for c, h in enumerate(TOP):
        if c == 0 or c >= 6:
            ws.cell(3, c + 1, h)
            ws.merge_cells(start_row=3, start_column=c + 1, end_row=4, end_column=c + 1)
    for c in range(1, 6):
        ws.cell(4, c + 1, SUB[c])
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            if c == 12 or v == "":
                continue
            cell = ws.cell(5 + r, c + 1, v)
            if isinstance(v, datetime.date):
                cell.number_format = "yyyy\"年\"m\"月\"d\"日\""
    ws.cell(5, 13, ROWS[0][12])
    ws.merge_cells(start_row=5, start_column=13, end_row=4 + COMMUNITY_ROWS, end_column=13)
    ws.cell(5 + len(ROWS), 1, TOTAL[0])
    ws.cell(6 + len(ROWS), 1, FOOT[0])
    notes = wb.create_sheet("填表说明")
    notes.cell(1, 1, "本表按 2015 年统战工作条例分类填写。")
    notes.sheet_state = "hidden"
    wb.save(path)


def write_csv(path):
    with open(path, "w", encoding="gb18030", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow([TITLE] + [""] * (len(TOP) - 1))
        w.writerow([UNIT] + [""] * (len(TOP) - 1))
        w.writerow([t or ("基本情况" if 1 <= i <= 5 else "") for i, t in enumerate(TOP)])
        w.writerow(SUB)
        for row in ROWS:
            out = []
            for c, v in enumerate(row):
                if c == 12:
                    v = ROWS[0][12]
                out.append(v.isoformat() if isinstance(v, datetime.date) else v)
            w.writerow(out)
        w.writerow(TOTAL + [""] * (len(TOP) - 1))
        w.writerow(FOOT + [""] * (len(TOP) - 1))


if __name__ == "__main__":
    write_xls(os.path.join(HERE, NAME + ".xls"))
    write_xlsx(os.path.join(HERE, NAME + ".xlsx"))
    write_csv(os.path.join(HERE, NAME + "-GB18030.csv"))
    print("wrote", NAME + ".xls, .xlsx, -GB18030.csv")
