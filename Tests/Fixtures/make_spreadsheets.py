#!/usr/bin/env python3
"""Generate the small spreadsheet fixtures in Tests/Fixtures/spreadsheets/.

They stand in for files the tests used to take from a shared corpus that users do
not have. Every file is tiny and made from scratch here; re-running the script
rewrites them all.

What it writes (into ./spreadsheets/ next to this script):

  date.xlsx, date_1904.xlsx   openpyxl; the second uses the 1904 date system.
                              A1 = 2021-01-02 ('yyyy-mm-dd'), B1 = 16;
                              A2 = 10.632060185185185 (10 days 15:10:10, '[hh]:mm:ss'), B2 = 17.
  分类建档-2009.xls            one sheet per category, title rows, 所在村, a 合计 that disagrees (6b).
  date.xls, date_1904.xls     the same two rows, Excel 97-2003 (xlwt; wb.dates_1904).
  formula.xls                 A1..A3 = =10*2, =100+10, =130/2 with saved results 20, 110, 65;
                              B4 = =1/0 (saved result #DIV/0!). Made as .xlsx with openpyxl and
                              converted by LibreOffice, which calculates and stores the results
                              (xlwt cannot store formula results).
  merged.xls, merged.xlsx     A1:D1 = Column, Chunk, X, Y; A2:A4 merged "Column Merge";
                              B2:D4 merged "Chunk Merged" (xlwt write_merge / openpyxl merge_cells).
  has_x000D_.xlsx             written by hand: A1 = the text ABC_x000D_<LF>DEF as a shared string,
  has_x000D_inline.xlsx       ... and as an inline string; A2 = "x" in both.
  sheets.xlsx, sheets.xls     sheets "Visible", "Hidden", "VeryHidden" (visible / hidden /
                              very hidden), each A1 = "A" then 1, 2, 3.
  encrypted.xlsx              a small workbook encrypted with the password "taizhang"
                              (msoffcrypto-tool, ECMA-376 agile): an OLE2 file with an
                              EncryptionInfo stream, not a zip.
  not_a_workbook.xlsx         a valid zip holding only hello.txt.
  amplified.xlsx              written by hand, streamed: 2 shared strings of 30,000 characters
                              each, A1 = "姓名" (inline), then 20,000 rows x 10 cells pointing at
                              them (about 6 billion characters once expanded; a few hundred KB
                              on disk).

After writing, the script checks each file (xlrd, openpyxl, raw zip/XML reads) and prints
what it checked; it exits non-zero if a check fails. `--no-check` skips the checks.

Determinism: zip entries get a fixed timestamp, openpyxl's docProps/core.xml dates are
pinned, xlwt output is byte-stable, and the encryption's random salts/keys and OLE
timestamps come from a fixed seed. formula.xls comes from LibreOffice, which stamps
the conversion time into its SummaryInformation; those times are pinned afterwards, so
with the same LibreOffice version it is byte-stable too (another version may write
different bytes, with the same cells).

Requirements:
    pip install xlwt openpyxl msoffcrypto-tool xlrd
    apt-get install -y --no-install-recommends libreoffice-calc-nogui   # provides `soffice`

Run:
    python3 Tests/Fixtures/make_spreadsheets.py
"""

import datetime
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
import openpyxl.utils.datetime
import xlrd
import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "spreadsheets")

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DT = datetime.datetime(2021, 1, 1, 0, 0, 0)
PASSWORD = "taizhang"

DATE = datetime.date(2021, 1, 2)
DURATION = 10.632060185185185  # 10 days 15:10:10

# ---------------------------------------------------------------------------
# helpers


def out(name):
    return os.path.join(OUT, name)


def zinfo(name):
    zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o644 << 16
    return zi


def write_zip(path, entries):
    """entries: list of (name, str|bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in entries:
            if isinstance(data, str):
                data = data.encode("utf-8")
            z.writestr(zinfo(name), data)


def normalize_zip(path, replace=None):
    """Rewrite a zip (e.g. openpyxl's output) with fixed timestamps and pinned core.xml dates;
    replace: optional {entry name: (old bytes, new bytes)}."""
    with zipfile.ZipFile(path) as z:
        entries = [(n, z.read(n)) for n in z.namelist()]
    fixed = FIXED_DT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    norm = []
    for name, data in entries:
        if name == "docProps/core.xml":
            for tag in (b"dcterms:created", b"dcterms:modified"):
                data = re.sub(b"(<" + tag + b"[^>]*>)[^<]*(</" + tag + b">)",
                              lambda m: m.group(1) + fixed + m.group(2), data)
        if replace and name in replace:
            old, new = replace[name]
            assert old in data, (name, old)
            data = data.replace(old, new)
        norm.append((name, data))
    write_zip(path, norm)


def new_workbook():
    wb = openpyxl.Workbook()
    wb.properties.creator = "make_spreadsheets.py"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    return wb


def save_xlsx(wb, path, replace=None):
    wb.save(path)
    normalize_zip(path, replace)


def soffice_convert(src, outdir, fmt="xls"):
    """Convert src with LibreOffice headless (own throwaway profile); return the output path."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [soffice, "-env:UserInstallation=file://" + profile, "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", outdir, src],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    result = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + "." + fmt)
    if not os.path.exists(result):
        sys.exit("LibreOffice did not write " + result)
    return result


# ---------------------------------------------------------------------------
# 1. date.xlsx / date_1904.xlsx


def make_date_xlsx(name, epoch_1904):
    wb = new_workbook()
    if epoch_1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = DATE
    ws["A1"].number_format = "yyyy-mm-dd"
    ws["B1"] = 16
    ws["A2"] = DURATION
    ws["A2"].number_format = "[hh]:mm:ss"
    ws["B2"] = 17
    # openpyxl writes floats with 16 significant digits (10.63206018518519, 0.4 ns off);
    # store the exact shortest repr instead.
    save_xlsx(wb, out(name), {"xl/worksheets/sheet1.xml": (b"<v>%.16g</v>" % DURATION, b"<v>%r</v>" % DURATION)})


# 2. date.xls / date_1904.xls


def make_date_xls(name, epoch_1904):
    wb = xlwt.Workbook()
    wb.dates_1904 = epoch_1904
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, DATE, xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    ws.write(0, 1, 16)
    ws.write(1, 0, DURATION, xlwt.easyxf(num_format_str="[hh]:mm:ss"))
    ws.write(1, 1, 17)
    wb.save(out(name))


# 3. formula.xls


def make_formula_xls():
    with tempfile.TemporaryDirectory(prefix="formula-") as tmp:
        wb = new_workbook()
        ws = wb.active
        ws.title = "Sheet1"
        ws["A1"] = "=10*2"
        ws["A2"] = "=100+10"
        ws["A3"] = "=130/2"
        ws["B4"] = "=1/0"
        src = os.path.join(tmp, "formula.xlsx")
        wb.save(src)
        conv = soffice_convert(src, tmp, "xls")
        shutil.copyfile(conv, out("formula.xls"))
    pin_summary_times(out("formula.xls"))


def pin_summary_times(path):
    """Set the FILETIME properties of an OLE file's SummaryInformation stream (LibreOffice puts
    the conversion time in "last saved") to FIXED_DT, in place, so the output is byte-stable."""
    import struct

    import olefile

    ft = (FIXED_DT - datetime.datetime(1601, 1, 1)) // datetime.timedelta(microseconds=1) * 10
    with olefile.OleFileIO(path, write_mode=True) as ole:
        name = "\x05SummaryInformation"
        if not ole.exists(name):
            return
        data = bytearray(ole.openstream(name).read())
        nsets = struct.unpack_from("<I", data, 24)[0]
        for k in range(nsets):
            sec = struct.unpack_from("<I", data, 28 + 20 * k + 16)[0]
            count = struct.unpack_from("<I", data, sec + 4)[0]
            for i in range(count):
                _pid, off = struct.unpack_from("<II", data, sec + 8 + 8 * i)
                if struct.unpack_from("<I", data, sec + off)[0] == 0x40:   # VT_FILETIME
                    struct.pack_into("<Q", data, sec + off + 4, ft)
        ole.write_stream(name, bytes(data))


# 4. merged.xls / merged.xlsx


def make_merged():
    header = ["Column", "Chunk", "X", "Y"]

    wb = new_workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    ws["A2"] = "Column Merge"
    ws.merge_cells("A2:A4")
    ws["B2"] = "Chunk Merged"
    ws.merge_cells("B2:D4")
    save_xlsx(wb, out("merged.xlsx"))

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    for c, h in enumerate(header):
        ws.write(0, c, h)
    ws.write_merge(1, 3, 0, 0, "Column Merge")   # A2:A4
    ws.write_merge(1, 3, 1, 3, "Chunk Merged")   # B2:D4
    wb.save(out("merged.xls"))


# 5. has_x000D_.xlsx / has_x000D_inline.xlsx  (and the minimal-xlsx parts shared with 9.)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def minimal_parts(shared_strings):
    ct = (XML_DECL +
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
             if shared_strings else '') +
          '</Types>')
    rels = (XML_DECL +
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    workbook = (XML_DECL +
                f'<workbook xmlns="{NS}" xmlns:r="{RNS}">'
                '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
                '</workbook>')
    wb_rels = (XML_DECL +
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                  if shared_strings else '') +
               '</Relationships>')
    return [("[Content_Types].xml", ct), ("_rels/.rels", rels),
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", wb_rels)]


X000D_TEXT = "ABC_x000D_&#10;DEF"  # as written in the XML: _x000D_ then a real line feed


def make_x000d():
    sheet = (XML_DECL + f'<worksheet xmlns="{NS}"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
             '</sheetData></worksheet>')
    sst = (XML_DECL + f'<sst xmlns="{NS}" count="2" uniqueCount="2">'
           f'<si><t xml:space="preserve">{X000D_TEXT}</t></si>'
           '<si><t>x</t></si></sst>')
    write_zip(out("has_x000D_.xlsx"),
              minimal_parts(True) + [("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst)])

    sheet = (XML_DECL + f'<worksheet xmlns="{NS}"><sheetData>'
             f'<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">{X000D_TEXT}</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
             '</sheetData></worksheet>')
    write_zip(out("has_x000D_inline.xlsx"),
              minimal_parts(False) + [("xl/worksheets/sheet1.xml", sheet)])


# 6. sheets.xlsx / sheets.xls

SHEETS = [("Visible", "visible", 0), ("Hidden", "hidden", 1), ("VeryHidden", "veryHidden", 2)]


def make_sheets():
    wb = new_workbook()
    wb.remove(wb.active)
    for name, state, _ in SHEETS:
        ws = wb.create_sheet(name)
        ws.sheet_state = state
        for v in ["A", 1, 2, 3]:
            ws.append([v])
    save_xlsx(wb, out("sheets.xlsx"))

    wb = xlwt.Workbook()
    for name, _, visibility in SHEETS:
        ws = wb.add_sheet(name)
        ws.visibility = visibility   # BOUNDSHEET: 0 visible, 1 hidden, 2 very hidden
        for r, v in enumerate(["A", 1, 2, 3]):
            ws.write(r, 0, v)
    wb.save(out("sheets.xls"))


# 6b. 分类建档-2009.xls: a 2009 ledger kept one sheet per category (no category column), with a
#     title row, villages (所在村) for communities, the parties as written (九三学社成员, 民盟成员),
#     a sex left 不详 that the ID number gives, and a 合计 line that disagrees with the rows.


def make_per_category():
    sheets = {
        "民主党派成员": [["张立", "男", "1961-03-02", "110105196103020013", "九三学社成员", "东坝村", "", ""],
                    ["李红", "不详", "1970-07-08", "110105197007080029", "民盟成员", "东坝村", "", ""]],
        "宗教界人士": [["王道", "男", "1955-01-01", "110105195501010019", "群众", "西坝村", "道教", ""]],
        "个体户": [["赵五", "女", "1980-05-05", "110105198005050023", "群众", "西坝村", "", ""]],
    }
    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        ws.write(0, 0, "某乡统战对象台账（2009年）——" + name)
        for c, h in enumerate(["姓名", "性别", "出生年月", "身份证号", "政治面貌", "所在村", "宗教", "备注"]):
            ws.write(1, c, h)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                ws.write(2 + r, c, v)
        ws.write(2 + len(rows), 0, "合计 %d人" % (len(rows) + 1 if name == "民主党派成员" else len(rows)))
    wb.save(out("分类建档-2009.xls"))


# 7. encrypted.xlsx


def make_encrypted():
    import msoffcrypto.method.container.ecma376_encrypted as container
    import msoffcrypto.method.ecma376_agile as agile
    from msoffcrypto.format.ooxml import OOXMLFile

    wb = new_workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["A"])
    ws.append([1])
    plain = io.BytesIO()
    wb.save(plain)
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    tmp.close()
    try:
        with open(tmp.name, "wb") as f:
            f.write(plain.getvalue())
        normalize_zip(tmp.name)
        with open(tmp.name, "rb") as f:
            plain = io.BytesIO(f.read())
    finally:
        os.unlink(tmp.name)

    # Pin the salts/keys (normally secrets.token_bytes) and the OLE directory timestamps.
    rng = random.Random(20210102)

    class FixedDatetime(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return FIXED_DT

    saved = agile._random_buffer, container.datetime
    agile._random_buffer = rng.randbytes
    container.datetime = FixedDatetime
    try:
        with open(out("encrypted.xlsx"), "wb") as f:
            OOXMLFile(plain).encrypt(PASSWORD, f)
    finally:
        agile._random_buffer, container.datetime = saved


# 8. not_a_workbook.xlsx


def make_not_a_workbook():
    write_zip(out("not_a_workbook.xlsx"), [("hello.txt", "hello, this is not a workbook\n")])


# 9. amplified.xlsx

AMP_LEN = 30000
AMP_ROWS = 20000
AMP_COLS = 10


def make_amplified():
    cols = "ABCDEFGHIJ"[:AMP_COLS]
    sst = (XML_DECL + f'<sst xmlns="{NS}" count="{AMP_ROWS * AMP_COLS}" uniqueCount="2">'
           f'<si><t>{"甲" * AMP_LEN}</t></si><si><t>{"乙" * AMP_LEN}</t></si></sst>')
    with zipfile.ZipFile(out("amplified.xlsx"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in minimal_parts(True):
            z.writestr(zinfo(name), data.encode("utf-8"))
        z.writestr(zinfo("xl/sharedStrings.xml"), sst.encode("utf-8"))
        # The sheet is streamed row by row: nothing large is held in memory.
        with z.open(zinfo("xl/worksheets/sheet1.xml"), "w") as f:
            f.write((XML_DECL + f'<worksheet xmlns="{NS}"><sheetData>'
                     '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>').encode("utf-8"))
            for r in range(2, AMP_ROWS + 2):
                cells = "".join(f'<c r="{c}{r}" t="s"><v>{i % 2}</v></c>' for i, c in enumerate(cols))
                f.write(f'<row r="{r}">{cells}</row>'.encode("ascii"))
            f.write(b"</sheetData></worksheet>")


# ---------------------------------------------------------------------------
# checks

failures = []


def check(cond, what):
    print(("  ok   " if cond else "  FAIL ") + what)
    if not cond:
        failures.append(what)


def zip_text(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def raw_cell(sheet_xml, ref):
    m = re.search(r'<c r="%s"[^>]*>(.*?)</c>' % ref, sheet_xml)
    return m and m.group(1)


def check_all():
    print("date.xlsx / date_1904.xlsx")
    serial = {}
    for name, is1904 in (("date.xlsx", False), ("date_1904.xlsx", True)):
        wbxml = zip_text(out(name), "xl/workbook.xml")
        check(('date1904="1"' in wbxml) == is1904, f'{name}: date1904="1" in xl/workbook.xml is {is1904}')
        sxml = zip_text(out(name), "xl/worksheets/sheet1.xml")
        v = re.search(r"<v>([^<]*)</v>", raw_cell(sxml, "A1") or "")
        serial[name] = v and v.group(1)
        check("<v>10.632060185185185</v>" in (raw_cell(sxml, "A2") or ""), f"{name}: A2 stored as 10.632060185185185")
        ws = openpyxl.load_workbook(out(name)).active
        check(ws["A1"].value.date() == DATE and ws["A1"].number_format == "yyyy-mm-dd",
              f"{name}: openpyxl reads A1 as 2021-01-02, 'yyyy-mm-dd'")
        check(ws["A2"].number_format == "[hh]:mm:ss" and ws["A2"].value == datetime.timedelta(days=10, seconds=15 * 3600 + 610),
              f"{name}: openpyxl reads A2 as 10 days 15:10:10, '[hh]:mm:ss'")
        check(ws["B1"].value == 16 and ws["B2"].value == 17, f"{name}: B1 = 16, B2 = 17")
    check(serial["date.xlsx"] == "44198" and serial["date_1904.xlsx"] == "42736",
          f"A1 serials: date.xlsx {serial['date.xlsx']} (1900 system), date_1904.xlsx {serial['date_1904.xlsx']} (1904 system)")

    print("date.xls / date_1904.xls / formula.xls / merged.xls / sheets.xls")
    for name, mode in (("date.xls", 0), ("date_1904.xls", 1)):
        book = xlrd.open_workbook(out(name), formatting_info=True)
        sh = book.sheet_by_index(0)
        check(book.datemode == mode, f"{name}: datemode == {mode}")
        a1 = sh.cell(0, 0)
        check(a1.ctype == xlrd.XL_CELL_DATE and xlrd.xldate_as_datetime(a1.value, book.datemode).date() == DATE,
              f"{name}: A1 is a date cell = 2021-01-02 (serial {a1.value:g})")
        check(book.format_map[book.xf_list[a1.xf_index].format_key].format_str == "yyyy-mm-dd", f"{name}: A1 format yyyy-mm-dd")
        a2 = sh.cell(1, 0)
        check(a2.value == DURATION and book.format_map[book.xf_list[a2.xf_index].format_key].format_str == "[hh]:mm:ss",
              f"{name}: A2 = 10.632060185185185, format [hh]:mm:ss")
        check(sh.cell_value(0, 1) == 16 and sh.cell_value(1, 1) == 17 and sh.nrows == 2, f"{name}: B1 = 16, B2 = 17, 2 rows")

    book = xlrd.open_workbook(out("formula.xls"), formatting_info=True)
    sh = book.sheet_by_index(0)
    check([sh.cell_value(r, 0) for r in range(3)] == [20, 110, 65], "formula.xls: A1..A3 read as 20, 110, 65")
    check(all(sh.cell_type(r, 0) == xlrd.XL_CELL_NUMBER for r in range(3)), "formula.xls: A1..A3 are number results")
    b4 = sh.cell(3, 1)
    check(b4.ctype == xlrd.XL_CELL_ERROR and b4.value == 7, f"formula.xls: B4 ctype {b4.ctype} value {b4.value} (#DIV/0!)")
    # The FORMULA records themselves (BIFF record 0x0006) at A1..A3 and B4.
    data = open(out("formula.xls"), "rb").read()
    cells = set()
    for m in re.finditer(rb"\x06\x00", data):
        p = m.start()
        if p + 10 <= len(data):
            ln = int.from_bytes(data[p + 2:p + 4], "little")
            r, c = int.from_bytes(data[p + 4:p + 6], "little"), int.from_bytes(data[p + 6:p + 8], "little")
            if 20 < ln < 100 and (r, c) in {(0, 0), (1, 0), (2, 0), (3, 1)}:
                cells.add((r, c))
    check(cells == {(0, 0), (1, 0), (2, 0), (3, 1)}, "formula.xls: FORMULA records found at A1, A2, A3, B4")

    book = xlrd.open_workbook(out("merged.xls"), formatting_info=True)
    sh = book.sheet_by_index(0)
    check(sh.row_values(0) == ["Column", "Chunk", "X", "Y"], "merged.xls: header Column, Chunk, X, Y")
    check(sorted(sh.merged_cells) == [(1, 4, 0, 1), (1, 4, 1, 4)], f"merged.xls: merged ranges A2:A4, B2:D4 {sh.merged_cells}")
    check(sh.cell_value(1, 0) == "Column Merge" and sh.cell_value(1, 1) == "Chunk Merged", "merged.xls: A2 / B2 values")
    ws = openpyxl.load_workbook(out("merged.xlsx")).active
    check(sorted(str(r) for r in ws.merged_cells.ranges) == ["A2:A4", "B2:D4"], "merged.xlsx: merged ranges A2:A4, B2:D4")
    check([c.value for c in ws[1]] == ["Column", "Chunk", "X", "Y"] and ws["A2"].value == "Column Merge"
          and ws["B2"].value == "Chunk Merged", "merged.xlsx: header and values")

    book = xlrd.open_workbook(out("sheets.xls"))
    check([(s.name, s.visibility) for s in book.sheets()] == [(n, v) for n, _, v in SHEETS],
          "sheets.xls: Visible/0, Hidden/1, VeryHidden/2")
    check(all(s.col_values(0) == ["A", 1, 2, 3] for s in book.sheets()), "sheets.xls: each sheet A, 1, 2, 3")
    wb = openpyxl.load_workbook(out("sheets.xlsx"))
    check([(ws.title, ws.sheet_state) for ws in wb.worksheets] == [(n, s) for n, s, _ in SHEETS],
          "sheets.xlsx: visible / hidden / veryHidden")
    check(all([c.value for c in ws["A"]] == ["A", 1, 2, 3] for ws in wb.worksheets), "sheets.xlsx: each sheet A, 1, 2, 3")

    print("has_x000D_*.xlsx")
    for name in ("has_x000D_.xlsx", "has_x000D_inline.xlsx"):
        ws = openpyxl.load_workbook(out(name)).active
        # openpyxl does not decode the _x000D_ escape: it hands back the six characters as they are.
        check(ws["A1"].value == "ABC_x000D_\nDEF" and ws["A2"].value == "x",
              f"{name}: openpyxl opens it, A1 = 'ABC_x000D_\\nDEF', A2 = 'x'")
    check('<si><t xml:space="preserve">ABC_x000D_&#10;DEF</t></si>' in zip_text(out("has_x000D_.xlsx"), "xl/sharedStrings.xml")
          and '<c r="A1" t="s"><v>0</v></c>' in zip_text(out("has_x000D_.xlsx"), "xl/worksheets/sheet1.xml"),
          "has_x000D_.xlsx: shared string XML as specified, A1 t=\"s\"")
    check('<c r="A1" t="inlineStr"><is><t xml:space="preserve">ABC_x000D_&#10;DEF</t></is></c>'
          in zip_text(out("has_x000D_inline.xlsx"), "xl/worksheets/sheet1.xml"), "has_x000D_inline.xlsx: inline string XML as specified")

    print("encrypted.xlsx / not_a_workbook.xlsx / amplified.xlsx")
    import msoffcrypto
    import olefile
    head = open(out("encrypted.xlsx"), "rb").read(8)
    check(head == bytes.fromhex("D0CF11E0A1B11AE1"), f"encrypted.xlsx: starts with {head.hex(' ').upper()}")
    ole = olefile.OleFileIO(out("encrypted.xlsx"))
    check(ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"), "encrypted.xlsx: EncryptionInfo and EncryptedPackage streams")
    ole.close()
    with open(out("encrypted.xlsx"), "rb") as f:
        of = msoffcrypto.OfficeFile(f)
        dec = io.BytesIO()
        of.load_key(password=PASSWORD)
        of.decrypt(dec)
    ws = openpyxl.load_workbook(dec).active
    check(ws["A1"].value == "A" and ws["A2"].value == 1, f"encrypted.xlsx: decrypts with password {PASSWORD!r} to a workbook")
    check(not zipfile.is_zipfile(out("encrypted.xlsx")), "encrypted.xlsx: not a zip")

    with zipfile.ZipFile(out("not_a_workbook.xlsx")) as z:
        check(z.testzip() is None and z.namelist() == ["hello.txt"], "not_a_workbook.xlsx: valid zip holding only hello.txt")

    with zipfile.ZipFile(out("amplified.xlsx")) as z:
        check(z.testzip() is None, "amplified.xlsx: zip CRCs ok")
        sst = z.read("xl/sharedStrings.xml").decode("utf-8")
        check(sst.count("甲") == AMP_LEN and sst.count("乙") == AMP_LEN and sst.count("<si>") == 2,
              "amplified.xlsx: 2 shared strings of 30,000 characters")
        refs, rows, first = [0, 0], 0, None
        with z.open("xl/worksheets/sheet1.xml") as f:
            tail = b""
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                buf = tail + chunk
                cut = buf.rfind(b"</row>") + 6 if b"</row>" in buf else 0
                part, tail = buf[:cut], buf[cut:]
                if first is None:
                    first = part[:400].decode("utf-8")
                rows += part.count(b"</row>")
                refs[0] += part.count(b"<v>0</v>")
                refs[1] += part.count(b"<v>1</v>")
        check('<c r="A1" t="inlineStr"><is><t>姓名</t></is></c>' in first, "amplified.xlsx: A1 = 姓名 inline")
        check(rows == AMP_ROWS + 1 and refs == [AMP_ROWS * AMP_COLS // 2] * 2,
              f"amplified.xlsx: {rows} rows, {sum(refs)} shared-string cells")
        info = z.getinfo("xl/worksheets/sheet1.xml")
        print(f"       sheet1.xml {info.file_size:,} bytes -> {info.compress_size:,} compressed; "
              f"expanded text ≈ {AMP_ROWS * AMP_COLS * AMP_LEN:,} characters")
    size = os.path.getsize(out("amplified.xlsx"))
    check(size < 1_000_000, f"amplified.xlsx: {size:,} bytes on disk (< 1 MB)")

    print("sizes")
    for name in sorted(os.listdir(OUT)):
        print(f"  {os.path.getsize(out(name)):>9,}  {name}")


def main():
    os.makedirs(OUT, exist_ok=True)
    make_date_xlsx("date.xlsx", False)
    make_date_xlsx("date_1904.xlsx", True)
    make_date_xls("date.xls", False)
    make_date_xls("date_1904.xls", True)
    make_formula_xls()
    make_merged()
    make_x000d()
    make_sheets()
    make_per_category()
    make_encrypted()
    make_not_a_workbook()
    make_amplified()
    print("wrote", OUT)
    if "--no-check" not in sys.argv:
        check_all()
        if failures:
            sys.stdout.flush()
            sys.exit(f"{len(failures)} check(s) failed")


if __name__ == "__main__":
    main()
