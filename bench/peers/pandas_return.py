#!/usr/bin/env python3
"""Peer for scenario (b): the quarterly return from a CSV ledger, the way a statistician would
write it with pandas — read_csv, the same ID-number and category checks, drop_duplicates on the
ID, a crosstab of categories, to_excel through xlsxwriter for the clean ledger and the table.

usage: pandas_return.py LEDGER.csv OUT_DIR
"""
import sys
import time

import pandas as pd

CATEGORIES = ["民主党派成员", "无党派人士", "党外知识分子", "少数民族人士", "宗教界人士", "非公有制经济人士",
              "新的社会阶层人士", "出国和归国留学人员", "香港同胞、澳门同胞", "台湾同胞及其在大陆的亲属",
              "华侨、归侨及侨眷", "其他需要联系和团结的人员"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_ok(s):
    if not isinstance(s, str) or len(s) != 18 or not s[:17].isdigit():
        return False
    return CHECK[sum(int(c) * w for c, w in zip(s[:17], WEIGHTS)) % 11] == s[17]


def main():
    src, out = sys.argv[1], sys.argv[2]
    t0 = time.time()
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    df["id_ok"] = df["公民身份号码"].map(id_ok)
    df["date_ok"] = pd.to_datetime(df["出生日期"], errors="coerce", format="%Y-%m-%d").notna()
    df["name_ok"] = df["姓名"].str.len() > 0
    # Official names with 、 are taken whole before the cell is split on 、.
    joined = df["统战对象类别"]
    for name in CATEGORIES:
        if "、" in name:
            joined = joined.str.replace(name, name.replace("、", "／"), regex=False)
    cats = joined.str.split("、").map(lambda xs: [x.replace("／", "、") for x in xs])
    df["cats"] = cats
    df["cat_ok"] = cats.map(lambda xs: all(x in CATEGORIES for x in xs))
    ok = df[df.id_ok & df.date_ok & df.name_ok & df.cat_ok].drop_duplicates(subset="公民身份号码")
    exploded = ok.assign(类别=ok["cats"]).explode("类别")
    table = pd.crosstab(exploded["类别"], exploded["性别"], margins=True, margins_name="合计")
    with pd.ExcelWriter(f"{out}/pandas-return.xlsx", engine="xlsxwriter") as w:
        table.to_excel(w, sheet_name="统计表")
    ok.drop(columns=["id_ok", "date_ok", "name_ok", "cat_ok", "cats"]).to_excel(f"{out}/pandas-ledger.xlsx", index=False, engine="xlsxwriter")
    print(f"pandas: {len(df)} rows, {len(ok)} accepted, {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
