#!/usr/bin/env python3
"""Pair precision, recall and F1 of `step: duplicates` against the ledger's 真实编号 column.

usage: evaluate.py LEDGER.csv REPORT.json [--second LEDGER2.csv]
With --second, the run had two inputs (FEBRL 4): rows are told apart by file.
The report is taizhang's json-report of a run with `step: duplicates` (policy flag or keep-first):
every `duplicate-person` issue links a row to the first record of its person ("… 第 N 行是同一人").
Predicted clusters are those links; true clusters are the rows sharing a 真实编号. Pairs within a
cluster are counted, as in the record-linkage literature.
"""
import csv
import json
import re
import sys
from collections import defaultdict

from pairscore import score


def main():
    ledger, report = sys.argv[1], sys.argv[2]
    files = [ledger] + ([sys.argv[sys.argv.index("--second") + 1]] if "--second" in sys.argv else [])
    names = [f.rsplit("/", 1)[-1] for f in files]
    truth = defaultdict(list)
    for path, name in zip(files, names):
        with open(path, encoding="utf-8") as f:
            for i, row in enumerate(csv.DictReader(f)):
                truth[row["真实编号"]].append((name, i + 2))  # spreadsheet row number (header is row 1)
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    review = 0
    with open(report, encoding="utf-8") as f:
        rep = json.load(f)
    for issue in rep["issues"]:
        if issue["code"] == "possible-duplicate":
            review += 1
        if issue["code"] != "duplicate-person":
            continue
        m = re.search(r"与 (\S+) 第 (\d+) 行", issue["message"])
        first = (m.group(1).rsplit("/", 1)[-1], int(m.group(2)))
        row = (issue["file"].rsplit("/", 1)[-1], issue["row"])
        parent[find(row)] = find(first)
    predicted = defaultdict(list)
    for x in set(parent) | set(parent.values()):
        predicted[find(x)].append(x)
    print(f"{score(truth, predicted)}; {review} pairs sent to review")


if __name__ == "__main__":
    main()
