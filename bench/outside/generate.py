#!/usr/bin/env python3
"""Independent generator of a member ledger with known truth (persons, duplicates, homonyms, errors).
usage: generate.py N_PERSONS SEED OUTDIR   (env HOMDIV: one homonym pair per HOMDIV persons, default 200)"""
import csv, json, random, sys, os
from collections import defaultdict

N = int(sys.argv[1]); SEED = int(sys.argv[2]); OUT = sys.argv[3]
rng = random.Random(SEED)
os.makedirs(OUT, exist_ok=True)
PERIOD_END = (2026, 9, 30)

SURNAMES = [("王",7.1),("李",7.0),("张",6.7),("刘",5.4),("陈",4.5),("杨",3.1),("黄",2.1),("赵",2.0),("吴",2.0),("周",1.9),
 ("徐",1.7),("孙",1.5),("马",1.4),("朱",1.3),("胡",1.3),("郭",1.1),("何",1.1),("高",1.0),("林",1.0),("罗",0.9),("郑",0.8),
 ("梁",0.8),("谢",0.7),("宋",0.7),("唐",0.6),("许",0.6),("韩",0.6),("冯",0.6),("邓",0.6),("曹",0.5),("彭",0.5),("曾",0.5),
 ("肖",0.5),("田",0.4),("董",0.4),("袁",0.4),("潘",0.4),("于",0.4),("蒋",0.4),("蔡",0.4),("余",0.3),("杜",0.3),("叶",0.3),
 ("程",0.3),("苏",0.3),("魏",0.3),("吕",0.3),("丁",0.3),("任",0.3),("沈",0.3),("单",0.1),("仇",0.05),("欧阳",0.06),("司马",0.02)]
MALE = ["伟","强","磊","军","勇","杰","涛","斌","超","明","刚","平","辉","鹏","华","飞","鑫","波","宇","浩","建华","建国","志强",
 "国庆","海涛","晓东","文博","子轩","浩然","宇航","俊杰","建军","志明","德华","永刚","国华","建平","卫东","红军","立新","小龙",
 "东升","振华","家豪","天宇","博文","一鸣","思远","长青","少华","凯","亮","健","峰","龙","林","晨","阳","雷","毅"]
FEMALE = ["芳","娜","敏","静","丽","艳","娟","霞","秀英","桂英","玉兰","丽娟","婷","雪","慧","洁","琳","晶","燕","红","秀兰",
 "淑珍","欣怡","梓涵","诗涵","雨桐","佳怡","秀珍","凤英","丽华","海燕","晓红","春梅","玉珍","美玲","颖","倩","萍","莉","丹",
 "梅","兰","欢","璐","佳","月","晓燕","文静","翠花","素芬"]
def zipf(lst, s=1.0): return [1.0/((i+1)**s) for i in range(len(lst))]
MW, FW = zipf(MALE, 0.9), zipf(FEMALE, 0.9)
TRAD = dict(zip("陈刘张杨黄赵吴孙马郑谢许韩冯邓曹肖董袁叶苏吕沈单伟强军涛斌华飞鑫波宇浩国庆东龙凤红兰丽娟艳霞婷洁琳晶燕俊杰刚辉鹏亮晓杨卫振家远长凯毅欢璐丹雷贤梅颖莉萍倩阳龙晨兴欧阳马",
                    "陳劉張楊黃趙吳孫馬鄭謝許韓馮鄧曹肖董袁葉蘇呂沈單偉強軍濤斌華飛鑫波宇浩國慶東龍鳳紅蘭麗娟艷霞婷潔琳晶燕俊傑剛輝鵬亮曉楊衛振家遠長凱毅歡璐丹雷賢梅穎莉萍倩陽龍晨興歐陽馬"))
STREETS = {"和平里街道": ("110101", ["和平里社区","书院路社区","小黄庄社区","民旺社区","交林社区","兴化社区"]),
           "景山街道": ("110101", ["景山社区","东华门社区","黄化门社区","吉祥社区","三眼井社区"]),
           "月坛街道": ("110102", ["月坛社区","南露园社区","三里河社区","白云观社区","复兴门社区"]),
           "八里庄街道": ("110105", ["八里庄社区","红庙社区","延静里社区","甘露园社区"]),
           "海淀街道": ("110108", ["海淀社区","苏州街社区","稻香园社区","万泉庄社区"])}
COMMUNITIES = [(c, code) for s,(code, cs) in STREETS.items() for c in cs]
MINORITIES = ["回族","满族","蒙古族","朝鲜族","壮族","藏族","维吾尔族","苗族","土家族","彝族"]
CATS = ["民主党派成员","无党派人士","党外知识分子","少数民族人士","宗教界人士","非公有制经济人士","新的社会阶层人士","出国和归国留学人员",
        "香港同胞、澳门同胞","台湾同胞及其在大陆的亲属","华侨、归侨及侨眷","其他需要联系和团结的人员"]
CATW = [12,8,20,0,3,15,15,6,2,2,5,5]
CAT_ALIAS = {"民主党派成员":["民主党派"],"无党派人士":["无党派"],"党外知识分子":["党外知分","知识分子"],"少数民族人士":["少数民族"],
  "宗教界人士":["宗教人士"],"非公有制经济人士":["非公人士","非公经济人士","民营企业家"],"新的社会阶层人士":["新阶层人士","新的社会阶层"],
  "出国和归国留学人员":["留学人员","海归"],"香港同胞、澳门同胞":["港澳同胞"],"台湾同胞及其在大陆的亲属":["台胞台属","台胞"],
  "华侨、归侨及侨眷":["归侨侨眷","侨眷"],"其他需要联系和团结的人员":["其他"]}
PARTIES = [("中国国民党革命委员会会员","民革"),("中国民主同盟盟员","民盟"),("中国民主建国会会员","民建"),("中国民主促进会会员","民进"),
           ("中国农工民主党党员","农工党"),("中国致公党党员","致公党"),("九三学社社员","九三学社"),("台湾民主自治同盟盟员","台盟")]
EDU = [("研究生",10,["硕士","博士"]),("大学本科",33,["本科"]),("大学专科",20,["大专"]),("普通高中",12,["高中"]),("中等职业教育",8,["中专"]),
       ("初中",8,[]),("小学",3,[]),("",6,[])]
RELIGIONS = ["佛教","道教","伊斯兰教","天主教","基督教"]
ORGS = ["区第一中学","区人民医院","某律师事务所","某科技有限公司","某会计师事务所","区图书馆","某贸易公司","某建筑设计院","社区卫生服务中心",
        "某餐饮有限公司","某文化传媒公司","区政协","某大学","某软件公司","个体经营","某物流公司","某投资公司","区科协"]
POSTS = ["教师","医生","律师","经理","会计","馆员","工程师","主任","职员","总经理","设计师","教授","董事长","店主","研究员"]
W = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
def check(id17): return "10X98765432"[sum(int(a)*b for a,b in zip(id17,W)) % 11]
DAYS = [31,28,31,30,31,30,31,31,30,31,30,31]
def leap(y): return y%4==0 and (y%100!=0 or y%400==0)
def rand_birth():
    y = rng.randint(1938, 2004); m = rng.randint(1,12); d = rng.randint(1, 29 if (m==2 and leap(y)) else DAYS[m-1]); return (y,m,d)

used_ids = set()
def make_id(code, b, sex):
    while True:
        seq = rng.randint(0, 499)*2 + (1 if sex=="男" else 0)
        id17 = f"{code}{b[0]:04d}{b[1]:02d}{b[2]:02d}{seq:03d}"
        i = id17 + check(id17)
        if i not in used_ids: used_ids.add(i); return i
def phone(): return rng.choice("3456789") and "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))
def work(): return rng.choice(ORGS) + " " + rng.choice(POSTS)

def new_person(pid, name=None, sex=None, birth=None, community=None):
    sex = sex or rng.choice(["男","女"])
    if name is None:
        sur = rng.choices([s for s,_ in SURNAMES], [w for _,w in SURNAMES])[0]
        name = sur + (rng.choices(MALE, MW)[0] if sex=="男" else rng.choices(FEMALE, FW)[0])
    birth = birth or rand_birth()
    community = community or rng.choice(COMMUNITIES)
    eth = "汉族" if rng.random() < 0.92 else rng.choice(MINORITIES)
    cats = []
    if eth != "汉族" and rng.random() < 0.6: cats.append("少数民族人士")
    else: cats.append(rng.choices(CATS, CATW)[0])
    if rng.random() < 0.15:
        c2 = rng.choices(CATS, CATW)[0]
        if c2 not in cats: cats.append(c2)
    if "民主党派成员" in cats and "无党派人士" in cats: cats.remove("无党派人士")
    if "民主党派成员" in cats: pol = rng.choice(PARTIES)[0]
    elif "无党派人士" in cats: pol = "无党派民主人士"
    else: pol = rng.choices(["群众","无党派民主人士","中国共产主义青年团团员",rng.choice(PARTIES)[0],""],[70,4,8,8,10])[0]
    religion = rng.choice(RELIGIONS) if "宗教界人士" in cats or rng.random() < 0.04 else ""
    edu = rng.choices(EDU, [w for _,w,_ in EDU])[0][0]
    has_id = rng.random() < 0.90
    return dict(pid=pid, name=name, sex=sex, eth=eth, birth=birth, id=make_id(community[1], birth, sex) if has_id else "",
                pol=pol, cats=cats, religion=religion, edu=edu, work=work() if rng.random()<0.85 else "",
                phone=phone() if rng.random()<0.9 else "", community=community[0], ccode=community[1])

persons = []
for pid in range(N): persons.append(new_person(pid))
# homonyms: ~1% of persons get a different person sharing name, birth, sex, community
hom = []
for k in range(0 if os.environ.get("PLAIN") or os.environ.get("NOHOM") else N // int(os.environ.get("HOMDIV", "200"))):
    a = persons[rng.randrange(N)]
    if a.get("homonym_of") is not None or a["pid"] in set(): continue
    code = dict(COMMUNITIES)[a["community"]]
    b = new_person(len(persons), name=a["name"], sex=a["sex"], birth=a["birth"], community=(a["community"], code))
    kind = rng.choices(["both","a_only","b_only","none"],[50,25,10,15])[0]
    if kind in ("both","a_only") and not a["id"]: a["id"] = make_id(code, a["birth"], a["sex"])
    if kind in ("b_only","none"): a["id"] = ""
    b["id"] = make_id(code, b["birth"], b["sex"]) if kind in ("both","b_only") else ""
    # different phone/category/workplace
    b["phone"] = phone(); b["work"] = work()
    while set(b["cats"]) & set(a["cats"]) or "少数民族人士" in b["cats"] and b["eth"]=="汉族":
        b["cats"] = [rng.choices(CATS, CATW)[0]]
        if "民主党派成员" in b["cats"]: b["pol"] = rng.choice(PARTIES)[0]
        elif "无党派人士" in b["cats"]: b["pol"] = "无党派民主人士"
        elif b["pol"] in [p for p,_ in PARTIES] and rng.random()<0.5: b["pol"] = "群众"
        if "宗教界人士" in b["cats"] and not b["religion"]: b["religion"] = rng.choice(RELIGIONS)
    b["homonym_of"] = a["pid"]; a["homonym_of"] = b["pid"]; hom.append((a["pid"], b["pid"], kind))
    persons.append(b)

def fmt_date(b, style):
    y,m,d = b
    return {"iso": f"{y:04d}-{m:02d}-{d:02d}", "dot": f"{y}.{m}.{d}", "cn": f"{y}年{m}月{d}日", "compact": f"{y:04d}{m:02d}{d:02d}",
            "slash": f"{y}/{m}/{d}", "month": f"{y:04d}-{m:02d}", "monthdot": f"{y}.{m}"}[style]

def base_row(p):
    return {"姓名": p["name"], "性别": p["sex"], "民族": p["eth"], "出生日期": fmt_date(p["birth"], "iso"), "公民身份号码": p["id"],
            "政治面貌": p["pol"], "统战对象类别": "、".join(p["cats"]), "宗教信仰": p["religion"], "学历": p["edu"],
            "工作单位及职务": p["work"], "联系电话": p["phone"], "所在社区": p["community"]}

rows = []   # (row dict, pid, variants, error)
for p in persons:
    r = base_row(p)
    # the original row itself is sometimes in an older style
    if rng.random() < 0.15: r["出生日期"] = fmt_date(p["birth"], rng.choice(["dot","cn","compact","slash"]))
    rows.append([r, p["pid"], "orig", ""])
VARIANTS = ["trad","space","datefmt","noid","phone_changed","phone_blank","work_changed","work_blank","cat_alias","id15","idx",
            "pol_short","month","moved","edu_alias","sex_blank","birth_blank"]
ndup = 0
for p in persons:
    copies = 0
    if rng.random() < 0.10 and not os.environ.get("PLAIN"): copies = 1 + (rng.random() < 0.1)
    for _ in range(copies):
        r = base_row(p); vs = rng.sample(VARIANTS, rng.randint(1,3)); applied = []
        for v in vs:
            if v == "trad":
                t = "".join(TRAD.get(ch, ch) for ch in r["姓名"])
                if t != r["姓名"]: r["姓名"] = t; applied.append(v)
            elif v == "space" and len(r["姓名"]) == 2: r["姓名"] = r["姓名"][0] + " " + r["姓名"][1]; applied.append(v)
            elif v == "space": r["姓名"] = " " + r["姓名"] + " "; applied.append(v)
            elif v == "datefmt" and r["出生日期"]: r["出生日期"] = fmt_date(p["birth"], rng.choice(["dot","cn","compact","slash"])); applied.append(v)
            elif v == "noid" and r["公民身份号码"]: r["公民身份号码"] = ""; applied.append(v)
            elif v == "phone_changed": r["联系电话"] = phone(); applied.append(v)
            elif v == "phone_blank": r["联系电话"] = ""; applied.append(v)
            elif v == "work_changed": r["工作单位及职务"] = work(); applied.append(v)
            elif v == "work_blank": r["工作单位及职务"] = ""; applied.append(v)
            elif v == "cat_alias": r["统战对象类别"] = "、".join(rng.choice(CAT_ALIAS[c]) for c in p["cats"]); applied.append(v)
            elif v == "id15" and r["公民身份号码"] and r["公民身份号码"][6:8] == "19":
                i = r["公民身份号码"]; r["公民身份号码"] = i[:6] + i[8:17]; applied.append(v)
            elif v == "idx" and r["公民身份号码"] and len(r["公民身份号码"])==18:
                i = r["公民身份号码"]
                if i.endswith("X"): r["公民身份号码"] = i[:-1] + "x"
                else: r["公民身份号码"] = "".join(chr(ord(c)+0xFEE0) for c in i)
                applied.append(v)
            elif v == "pol_short" and r["政治面貌"] in dict(PARTIES): r["政治面貌"] = dict(PARTIES)[r["政治面貌"]]; applied.append(v)
            elif v == "month" and r["出生日期"]: r["出生日期"] = fmt_date(p["birth"], rng.choice(["month","monthdot"])); applied.append(v)
            elif v == "moved" and r["公民身份号码"] and len(r["公民身份号码"]) == 18:
                r["所在社区"] = rng.choice([c for c,_ in COMMUNITIES if c != p["community"]]); applied.append(v)
            elif v == "edu_alias":
                al = [a for e,_,als in EDU if e == r["学历"] for a in als]
                if al: r["学历"] = rng.choice(al); applied.append(v)
            elif v == "sex_blank" and r["公民身份号码"]: r["性别"] = ""; applied.append(v)
            elif v == "birth_blank" and r["公民身份号码"]: r["出生日期"] = ""; applied.append(v)
        if not r["公民身份号码"]:   # without an ID the blanks cannot be filled from it: keep sex and birth
            if "sex_blank" in applied: r["性别"] = p["sex"]; applied.remove("sex_blank")
            if "birth_blank" in applied: r["出生日期"] = fmt_date(p["birth"], "iso"); applied.remove("birth_blank")
        rows.append([r, p["pid"], "dup:" + "+".join(applied), ""]); ndup += 1

# injected errors, ~3% of rows
ERRORS = ["check_digit","impossible_date","unknown_category","category_needed","sex_vs_id","birth_vs_id"]
for row in rng.sample(rows, 0 if os.environ.get("PLAIN") or os.environ.get("NOHOM") else int(len(rows) * 0.03)):
    r = row[0]; e = rng.choice(ERRORS)
    i = r["公民身份号码"]
    if e == "check_digit" and len(i) == 18 and i.isascii():
        c = check(i[:17]); r["公民身份号码"] = i[:17] + rng.choice([x for x in "0123456789X" if x != c.upper()])
    elif e == "impossible_date":
        y = persons[row[1]]["birth"][0]; r["出生日期"] = rng.choice([f"{y}-02-30", f"{y}-13-05", f"{y}-04-31"])
    elif e == "unknown_category": r["统战对象类别"] = rng.choice(["统战人士","爱国人士","社会名流"])
    elif e == "category_needed": r["统战对象类别"] = "代表人士"
    elif e == "sex_vs_id" and len(i) == 18 and i.isascii(): r["性别"] = "女" if persons[row[1]]["sex"] == "男" else "男"
    elif e == "birth_vs_id" and len(i) == 18 and i.isascii():
        y,m,d = persons[row[1]]["birth"]; d2 = d + 1 if d < 28 else d - 1; r["出生日期"] = f"{y:04d}-{m:02d}-{d2:02d}"
    else: continue
    row[3] = e

rng.shuffle(rows)
COLS = ["序号","姓名","性别","民族","出生日期","公民身份号码","政治面貌","统战对象类别","宗教信仰","学历","工作单位及职务","联系电话","所在社区","备注"]
with open(f"{OUT}/ledger.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(COLS)
    for k, (r, pid, var, err) in enumerate(rows):
        w.writerow([k+1] + [r[c] for c in COLS[1:-1]] + [f"R{k+1}"])
with open(f"{OUT}/rows.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(["row","pid","variant","error"])
    for k, (r, pid, var, err) in enumerate(rows): w.writerow([k+1, pid, var, err])
with open(f"{OUT}/persons.json", "w", encoding="utf-8") as f:
    json.dump([{k: v for k, v in p.items()} for p in persons], f, ensure_ascii=False)
json.dump(hom, open(f"{OUT}/homonyms.json","w"))
print(f"persons {len(persons)}, rows {len(rows)}, duplicate rows {ndup}, homonym pairs {len(hom)}, error rows {sum(1 for r in rows if r[3])}")
