#!/usr/bin/env python3
"""False merges and splits of the return, classified by what made them. usage: classify.py DIR (after compare.py)"""
import json,csv,sys,re
from collections import Counter, defaultdict
D=sys.argv[1]
c=json.load(open(f'{D}/out/cluster-diff.json'))
qd=json.load(open(f'{D}/out/quarantine-diff.json'))
rows={int(r["row"]):r for r in csv.DictReader(open(f'{D}/rows.csv'))}
persons=None
led={}
need=set()
for cl in c["merged"]:
    for k,_,_ in cl: need.add(k)
for pid,cls in c["split"].items():
    for cl in cls:
        for k,_ in cl: need.add(k)
bypid=defaultdict(list)
for k,r in rows.items(): bypid[int(r["pid"])].append(k)
for k in qd["extra"]:
    for kk in bypid[int(rows[int(k)]["pid"])]: need.add(kk)
with open(f'{D}/ledger.csv') as f:
    for r in csv.DictReader(f):
        k=int(r["备注"][1:])
        if k in need: led[k]=r
msgs=defaultdict(list)
for i in json.load(open(f'{D}/out/report.json'))["issues"]:
    if i.get("row") and i["row"]-1 in need: msgs[i["row"]-1].append((i["code"],i["message"]))
TR=str.maketrans("陳劉張楊黃趙吳孫馬鄭謝許韓馮鄧葉蘇呂單偉強軍濤華飛國慶東龍鳳紅蘭麗艷潔傑剛輝鵬曉衛遠長凱歡穎陽興歐","陈刘张杨黄赵吴孙马郑谢许韩冯邓叶苏吕单伟强军涛华飞国庆东龙凤红兰丽艳洁杰刚辉鹏晓卫远长凯欢颖阳兴欧")
def nm(k): return led[k]["姓名"].replace(" ","").translate(TR)
# --- merges
mk=Counter(); extra_people_lost=0
for cl in c["merged"]:
    pids={p for _,p,_ in cl}; extra_people_lost += len(pids)-1
    text=" ".join(m for k,_,_ in cl for _,m in msgs[k])
    hom = any(rows[k]["pid"] for k,_,_ in cl) and len(pids)==2 and any(v for v in [json.load(open(f'{D}/homonyms.json'))] if False)
    ids={p: any(led[k]["公民身份号码"] for k,pp,_ in cl if pp==p) for p in pids}
    if "两者都相符" in text: kind="transitive join (alsoLike)"
    elif "出生年月相同" in text: kind="month-only birth bridges"
    else: kind=f"homonym, {sum(ids.values())} of {len(pids)} persons with an ID"
    mk[kind]+=1
# --- splits
sk=Counter(); extra_people=0
for pid,cls in c["split"].items():
    extra_people += len(cls)-1
    rs=[[k for k,_ in cl] for cl in cls]
    order=False
    for a in rs:
        for b in rs:
            if a is b: continue
            for x in a:
                for y in b:
                    lx,ly=led[x],led[y]
                    if not lx["公民身份号码"] and ly["公民身份号码"] and nm(x)==nm(y) and lx["联系电话"] and lx["联系电话"]==ly["联系电话"] and lx["所在社区"]==ly["所在社区"]:
                        order=True
    review=any(code=="possible-duplicate" for cl in rs for k in cl for code,_ in msgs[k])
    vs="+".join(sorted({v for cl in rs for k in cl for v in rows[k]["variant"].replace("dup:","").split("+") if v in ("moved","trad","phone_changed","month","noid","space")}))
    if order: kind="order: no-ID record met before the ID records; a later identical ID record never compared (byID early return)"
    else: kind=f"below threshold{' (sent to review)' if review else ''}: {vs}"
    sk[kind]+=1
# --- lost persons / quarantined clean rows
lk=Counter()
for k,codes in qd["extra"].items():
    k=int(k); pid=int(rows[k]["pid"]); others=[o for o in bypid[pid] if o!=k]
    errs=[rows[o]["error"] for o in others if rows[o]["error"]]
    if any(e in ("sex_vs_id","birth_vs_id") for e in errs) : kind="id-conflict vs a quarantined record (sex/birth contradicts its own ID)"
    elif any(nm(o)==nm(k) and led[o]["姓名"].replace(" ","")!=led[k]["姓名"].replace(" ","") for o in others): kind="id-conflict: 繁/简 name (surname reading)"
    else: kind="id-conflict other"
    lk[kind]+=1
print(f"false merges: {len(c['merged'])} clusters, persons lost to them {extra_people_lost}"); [print(f"   {n:5d} {k}") for k,n in mk.most_common()]
print(f"splits: {len(c['split'])} persons, extra persons counted {extra_people}"); [print(f"   {n:5d} {k}") for k,n in sk.most_common()]
print(f"clean rows quarantined: {len(qd['extra'])}"); [print(f"   {n:5d} {k}") for k,n in lk.most_common()]
