#!/usr/bin/env python3
"""Truth vs the tool's return. usage: compare.py DIR"""
import csv, json, re, sys
from collections import defaultdict, Counter
D = sys.argv[1]
persons = json.load(open(f"{D}/persons.json"))
rows = list(csv.DictReader(open(f"{D}/rows.csv")))
ledger = {int(r["备注"][1:]): r for r in csv.DictReader(open(f"{D}/ledger.csv"))}
END = (2026, 9, 30)
CATS = ["民主党派成员","无党派人士","党外知识分子","少数民族人士","宗教界人士","非公有制经济人士","新的社会阶层人士","出国和归国留学人员",
        "香港同胞、澳门同胞","台湾同胞及其在大陆的亲属","华侨、归侨及侨眷","其他需要联系和团结的人员"]
PARTIES = {"中国国民党革命委员会会员","中国民主同盟盟员","中国民主建国会会员","中国民主促进会会员","中国农工民主党党员","中国致公党党员","九三学社社员","台湾民主自治同盟盟员"}
def cells(p):
    y,m,d = p["birth"]; age = END[0]-y-((END[1],END[2]) < (m,d))
    c = {"total":1, "female": p["sex"]=="女", "minority": p["eth"]!="汉族",
         "age_35_below": age<=35, "age_36_45": 36<=age<=45, "age_46_55": 46<=age<=55, "age_56_above": age>=56, "age_unknown": 0,
         "edu_postgraduate": p["edu"]=="研究生", "edu_bachelor": p["edu"]=="大学本科", "edu_college": p["edu"]=="大学专科",
         "edu_high_school_below": p["edu"] in ("中等职业教育","普通高中","初中","小学"), "edu_unknown": p["edu"]=="",
         "pol_democratic": p["pol"] in PARTIES, "pol_nonparty": p["pol"]=="无党派民主人士", "pol_masses": p["pol"]=="群众"}
    return {k:int(v) for k,v in c.items()}
# --- truth
first_clean = {}
for r in rows:
    if not r["error"]:
        pid = int(r["pid"]); k = int(r["row"])
        if pid not in first_clean or k < first_clean[pid]: first_clean[pid] = k
def table(pids):
    t = defaultdict(Counter)
    for pid in pids:
        p = persons[pid]; c = cells(p)
        for key in ["合计"] + p["cats"]: t[key].update(c)
    return t
truth_main = table(first_clean)
by = defaultdict(list)
for pid, k in first_clean.items(): by[ledger[k]["所在社区"]].append(pid)
truth_units = {u: table(ps) for u, ps in by.items()}
# --- tool
ret = json.load(open(f"{D}/out/return.json"))
def tool_table(rs):
    return {r["category"]: {k:(v or 0) for k,v in r["counts"].items()} for r in rs}
tool_main = tool_table(ret["rows"]); tool_units = {u["unit"]: tool_table(u["rows"]) for u in ret["by_unit"]}
def diff(name, truth, tool, out):
    n = bad = 0
    for key in ["合计"] + CATS:
        for col in tool.get("合计", {}):
            n += 1; a = tool.get(key, {}).get(col, 0); b = truth.get(key, Counter())[col]
            if a != b: bad += 1; out.append((name, key, col, a, b))
    return n, bad
out = []; n, bad = diff("MAIN", truth_main, tool_main, out)
un = ub = 0
for u in sorted(set(truth_units) | set(tool_units)):
    a, b = diff(u, truth_units.get(u, {}), tool_units.get(u, {}), out); un += a; ub += b
print(f"main table: {n-bad}/{n} cells equal; per-community tables: {un-ub}/{un} cells equal")
print(f"合计 total: tool {tool_main['合计']['total']} truth {truth_main['合计']['total']}")
for o in out:
    if o[0] == "MAIN": print(f"  MAIN {o[1]} {o[2]}: tool {o[3]} truth {o[4]} ({o[3]-o[4]:+d})")
print(f"  ({sum(1 for o in out if o[0]!='MAIN')} per-community cells differ)")
# --- quarantine vs intended errors
rep = json.load(open(f"{D}/out/report.json"))
q = defaultdict(set)
for i in rep["issues"]:
    if i["severity"] == "error" and i.get("row"): q[i["row"] - 1].add(i["code"])
intended = {int(r["row"]): r["error"] for r in rows if r["error"]}
extra = {k: v for k, v in q.items() if k not in intended}
missed = {k: v for k, v in intended.items() if k not in q}
print(f"quarantined {len(q)}, intended errors {len(intended)}, quarantined but clean {len(extra)}, error rows accepted {len(missed)}")
print("  extra by code:", Counter(c for v in extra.values() for c in v))
print("  missed by type:", Counter(missed.values()))
json.dump({"extra": {k: sorted(v) for k, v in extra.items()}, "missed": missed}, open(f"{D}/out/quarantine-diff.json", "w"), ensure_ascii=False)
# --- tool clusters: union-find over accepted rows by the links the report states
parent = {}
def root(x):
    while parent.get(x, x) != x: x = parent[x]
    return x
def union(a, b):
    ra, rb = root(a), root(b)
    if ra != rb: parent[max(ra, rb)] = min(ra, rb)
pat = re.compile(r"第 (\d+) 行")
links = Counter()
for i in rep["issues"]:
    if i["code"] in ("duplicate-person", "same-person-again", "same-person-two-communities") and i["severity"] != "error":
        m = pat.findall(i["message"])
        if m:
            a = i["row"] - 1; b = int(m[0]) - 1
            union(a, b); links[i["code"]] += 1
            if len(m) > 1: union(a, int(m[1]) - 1)
accepted = [k for k in ledger if k not in q]
rowpid = {int(r["row"]): int(r["pid"]) for r in rows}
clusters = defaultdict(list)
for k in accepted: clusters[root(k)].append(k)
print(f"links read: {dict(links)}; tool persons (clusters of accepted rows) {len(clusters)}")
# pairwise precision/recall on accepted rows
tp = fp = 0
for c in clusters.values():
    cnt = Counter(rowpid[k] for k in c); s = len(c)
    tp += sum(v*(v-1)//2 for v in cnt.values()); fp += s*(s-1)//2 - sum(v*(v-1)//2 for v in cnt.values())
bypid = Counter(rowpid[k] for k in accepted); allpos = sum(v*(v-1)//2 for v in bypid.values())
print(f"pairwise on accepted rows: TP {tp} FP {fp} FN {allpos-tp}; precision {tp/max(tp+fp,1):.5f} recall {tp/max(allpos,1):.5f}")
merged = [c for c in clusters.values() if len(set(rowpid[k] for k in c)) > 1]
pid_clusters = defaultdict(set)
for r, c in clusters.items():
    for k in c: pid_clusters[rowpid[k]].add(r)
split = {pid: cs for pid, cs in pid_clusters.items() if len(cs) > 1}
print(f"false merges (clusters with >1 true person): {len(merged)}; split persons (one person, >1 cluster): {len(split)}")
rv = {int(r["row"]): r["variant"] for r in rows}
json.dump({"merged": [[(k, rowpid[k], rv[k]) for k in c] for c in merged],
           "split": {pid: [[(k, rv[k]) for k in clusters[r]] for r in cs] for pid, cs in split.items()}},
          open(f"{D}/out/cluster-diff.json", "w"), ensure_ascii=False, indent=0)
clean_pids = set(first_clean)
counted_pids = {rowpid[k] for k in accepted}
lost = clean_pids - counted_pids
print(f"persons with a clean row but no accepted row (left out entirely): {len(lost)}")
