#!/usr/bin/env python3
"""Peer for scenario (b) in polars: the same checks and outputs as pandas_return.py — read the
CSV, check ID numbers (length, digits, check character), birth dates, names and categories, drop
duplicate IDs, count categories by sex, write the table and the clean ledger with write_excel
(xlsxwriter underneath).

usage: polars_return.py LEDGER.csv OUT_DIR
"""
import sys
import time

import polars as pl

CATEGORIES = ["民主党派成员", "无党派人士", "党外知识分子", "少数民族人士", "宗教界人士", "非公有制经济人士",
              "新的社会阶层人士", "出国和归国留学人员", "香港同胞、澳门同胞", "台湾同胞及其在大陆的亲属",
              "华侨、归侨及侨眷", "其他需要联系和团结的人员"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def main():
    src, out = sys.argv[1], sys.argv[2]
    t0 = time.time()
    df = pl.read_csv(src, infer_schema=False)
    idc = pl.col("公民身份号码")
    checksum = sum(idc.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(WEIGHTS))
    expected = pl.lit(CHECK).str.slice((checksum % 11).cast(pl.Int64), 1)
    # Official names with 、 are taken whole before the cell is split on 、.
    cats = pl.col("统战对象类别").fill_null("")
    for name in CATEGORIES:
        if "、" in name:
            cats = cats.str.replace_all(name, name.replace("、", "／"), literal=True)
    df = df.with_columns(
        id_ok=(idc.str.len_chars() == 18) & idc.str.slice(0, 17).str.contains(r"^\d{17}$") & (expected == idc.str.slice(17, 1)),
        date_ok=pl.col("出生日期").str.strptime(pl.Date, "%Y-%m-%d", strict=False).is_not_null(),
        name_ok=pl.col("姓名").str.len_chars() > 0,
        cats=cats.str.split("、").list.eval(pl.element().str.replace_all("／", "、", literal=True)),
    )
    df = df.with_columns(cat_ok=pl.col("cats").list.eval(pl.element().is_in(CATEGORIES)).list.all())
    ok = df.filter(pl.col("id_ok") & pl.col("date_ok") & pl.col("name_ok") & pl.col("cat_ok")).unique(subset="公民身份号码", keep="first", maintain_order=True)
    table = ok.explode("cats").pivot(on="性别", index="cats", values="姓名", aggregate_function="len")
    table.write_excel(f"{out}/polars-return.xlsx", worksheet="统计表")
    ok.drop(["id_ok", "date_ok", "name_ok", "cat_ok", "cats"]).write_excel(f"{out}/polars-ledger.xlsx")
    print(f"polars: {df.height} rows, {ok.height} accepted, {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
