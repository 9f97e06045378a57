#!/usr/bin/env python3
"""The return a statistician signs, against the truth: a member return of the bench ledger after
`step: duplicates` (keep-first), its 合计 row and each category's 人数 and 女, against the people
the ledger's 真实编号 column says there are (a person's repeats share name, sex and category in
this generator, so those cells have one true value; community and birth date may differ between
repeats, so the columns by age and the units are not checked).

usage: return_truth.py LEDGER.csv RETURN.json
"""
import csv
import json
import sys
from collections import defaultdict


def main():
    ledger, ret = sys.argv[1], sys.argv[2]
    people = {}
    with open(ledger, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            people.setdefault(row["真实编号"], (row["统战对象类别"], row["性别"]))
    truth = defaultdict(lambda: {"total": 0, "female": 0})
    for category, sex in people.values():
        for key in ("合计", category):
            truth[key]["total"] += 1
            truth[key]["female"] += sex == "女"
    with open(ret, encoding="utf-8") as f:
        rows = {r["category"]: r["counts"] for r in json.load(f)["rows"]}
    cells = wrong = 0
    for key, want in truth.items():
        got = rows.get(key, {})
        for column, value in want.items():
            cells += 1
            if got.get(column) != value:
                wrong += 1
                print(f"  {key} {column}: return {got.get(column)}, true {value} ({(got.get(column) or 0) - value:+d})")
    print(f"return against the truth: {cells - wrong} of {cells} cells equal (合计 and each category's 人数 and 女)")


if __name__ == "__main__":
    main()
