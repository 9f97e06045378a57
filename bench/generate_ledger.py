#!/usr/bin/env python3
"""Deterministic generator of realistic member ledgers for benchmarks.

usage: generate_ledger.py ROWS OUT.csv [--seed N] [--errors 0.02] [--dups 0.01] [--messy]

14 columns as real ledgers have them (序号, 姓名, 性别, 民族, 出生日期, 公民身份号码, 政治面貌,
统战对象类别, 宗教信仰, 学历, 工作单位及职务, 联系电话, 所在社区, 备注), valid ID check characters,
a share of errors (bad check characters, impossible dates, blank names) and of duplicated people.

--messy writes a ledger as clerks type them, the one `bench/return.sh` runs (its shares are printed
by that script from the run's own counts): categories agree with 民族 / 宗教 / 政治面貌 as an
office's would (so errors are the injected ones, not the generator's chance), 10 % of rows are a
person written again (typed anew: another date form, the 15-digit ID, 繁体), and values are written
the ways the offices' own ledgers write them — 1985.3.5 / 1985年3月5日 / 19850305 dates, 15-digit and
full-width ID numbers, 男性, 汉, 民盟, 本科, 138-1234-5678, 书院路 / 書院路社區, 张 伟, short category
names — about one value in fourteen (one a row) needing a change.
"""
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌宇浩凯健俊帆文辉力晨欣怡子涵梓轩雨婷佳琪思远博一鸣海燕建国志强"
CATEGORIES = ["民主党派成员", "无党派人士", "党外知识分子", "少数民族人士", "宗教界人士", "非公有制经济人士",
              "新的社会阶层人士", "出国和归国留学人员", "香港同胞、澳门同胞", "台湾同胞及其在大陆的亲属",
              "华侨、归侨及侨眷", "其他需要联系和团结的人员"]
ETHNIC = ["汉族"] * 8 + ["回族", "满族", "蒙古族", "维吾尔族", "壮族", "苗族", "朝鲜族"]
POLITICAL = ["群众", "中国民主同盟盟员", "九三学社社员", "中国民主促进会会员", "无党派民主人士", "中国致公党党员"]
EDU = ["研究生", "大学本科", "大学专科", "普通高中", "初中"]
COMMUNITIES = ["书院路社区", "和平里社区", "东四社区", "交道口社区", "安定门社区", "北新桥社区", "景山社区", "东华门社区"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def check_char(body17):
    return CHECK[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


MINORITIES = ["回族", "满族", "蒙古族", "维吾尔族", "壮族", "苗族", "朝鲜族"]
PARTIES = ["中国民主同盟盟员", "九三学社社员", "中国民主促进会会员", "中国致公党党员", "中国民主建国会会员", "中国农工民主党党员"]
PARTY_SHORT = {"中国民主同盟盟员": "民盟", "九三学社社员": "九三", "中国民主促进会会员": "民进", "中国致公党党员": "致公党",
               "中国民主建国会会员": "民建", "中国农工民主党党员": "农工党"}
CATEGORY_SHORT = {"民主党派成员": "民主党派", "无党派人士": "无党派", "党外知识分子": "知识分子", "少数民族人士": "少数民族",
                  "宗教界人士": "宗教人士", "非公有制经济人士": "非公经济人士", "新的社会阶层人士": "新阶层人士",
                  "出国和归国留学人员": "留学人员", "香港同胞、澳门同胞": "港澳同胞", "台湾同胞及其在大陆的亲属": "台胞台属",
                  "华侨、归侨及侨眷": "归侨侨眷", "其他需要联系和团结的人员": "其他"}
EDU_SHORT = {"大学本科": "本科", "大学专科": "大专", "普通高中": "高中"}
TRAD = str.maketrans("张伟刘华陈东杨军赵国黄丽书院路和平里东四门桥华区红静飞鹏涛", "張偉劉華陳東楊軍趙國黃麗書院路和平裡東四門橋華區紅靜飛鵬濤")
MOBILE = [str(p) for p in [*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 176, 177, 178, *range(180, 190), 199]]
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def spoil(rnd, row, at, idn, year):
    """One injected error, in place (`at`: where 姓名 is; 出生日期 and the ID follow it): a wrong
    check character, 30 February, or a blank name."""
    kind = rnd.randint(0, 2)
    if kind == 0:
        row[at + 4] = idn[:17] + ("0" if idn[17] != "0" else "1")
    elif kind == 1:
        row[at + 3] = f"{year:04d}-02-30"
    else:
        row[at] = ""


def clean_person(rnd, used):
    """A person as the standard ledger holds them: categories that agree with the other columns,
    an ID number no one else has (`used`)."""
    while True:
        y, m, d = rnd.randint(1940, 2004), rnd.randint(1, 12), rnd.randint(1, 28)
        sex = rnd.choice("男女")
        seq = rnd.randint(0, 99) * 10 + (rnd.choice([1, 3, 5, 7, 9]) if sex == "男" else rnd.choice([0, 2, 4, 6, 8]))
        area = rnd.choice(["110101", "110102", "110105", "110106", "110108", "110111", "110112", "110113", "110114", "110115"])
        body = f"{area}{y:04d}{m:02d}{d:02d}{seq:03d}"
        if body not in used:
            used.add(body)
            break
    cat = rnd.choice(CATEGORIES)
    cats = [cat] + ([c] if rnd.random() < 0.1 and (c := rnd.choice(CATEGORIES)) != cat else [])
    eth = rnd.choice(MINORITIES) if "少数民族人士" in cats else rnd.choice(ETHNIC)
    pol = rnd.choice(PARTIES) if "民主党派成员" in cats else "无党派民主人士" if "无党派人士" in cats else "群众"
    rel = rnd.choice(["佛教", "道教", "伊斯兰教", "天主教", "基督教"]) if "宗教界人士" in cats else ""
    name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else "")
    return [name, sex, eth, (y, m, d), body + check_char(body), pol, cats, rel, rnd.choice(EDU),
            rnd.choice(["区第一中学 教师", "北京某科技有限公司 工程师", "个体", "某律师事务所 律师", "协和医院, 主任医师"]),
            f"{rnd.choice(MOBILE)}{rnd.randint(0, 99999999):08d}", rnd.choice(COMMUNITIES)]


def typed(rnd, p):
    """The person as a clerk types them: the ways offices' ledgers write each value."""
    name, sex, eth, (y, m, d), idn, pol, cats, rel, edu, work, phone, com = p
    r = rnd.random()
    if r < 0.03:
        name = " ".join(name)
    elif r < 0.05:
        name = name.translate(TRAD)
    elif r < 0.06:
        name += " "
    if rnd.random() < 0.06:
        sex += "性"
    if eth != "汉族" or rnd.random() < 0.9:
        pass
    else:
        eth = "汉"
    r = rnd.random()
    birth = (f"{y:04d}-{m:02d}-{d:02d}" if r < 0.55 else f"{y}.{m}.{d}" if r < 0.75 else f"{y}年{m}月{d}日" if r < 0.88
             else f"{y:04d}{m:02d}{d:02d}" if r < 0.95 else f"{y:04d}/{m:02d}/{d:02d}")
    r = rnd.random()
    if r < 0.04 and y < 2000:
        idn = idn[:6] + idn[8:17]
    elif r < 0.06:
        idn = idn.translate(FULL)
    elif r < 0.07 and idn.endswith("X"):
        idn = idn[:-1] + "x"
    if pol in PARTY_SHORT and rnd.random() < 0.3:
        pol = PARTY_SHORT[pol]
    cats = [CATEGORY_SHORT[c] if rnd.random() < 0.12 else c for c in cats]
    if edu in EDU_SHORT and rnd.random() < 0.3:
        edu = EDU_SHORT[edu]
    r = rnd.random()
    if r < 0.08:
        phone = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    elif r < 0.12:
        phone = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    r = rnd.random()
    if r < 0.08:
        com = com.removesuffix("社区")
    elif r < 0.11:
        com = com.translate(TRAD).replace("社区", "社區")
    return [name, sex, eth, birth, idn, pol, "、".join(cats), rel, edu, work, phone, com]


def messy(rows, out, rnd, err, dup):
    import csv
    people, used = [], set()
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["序号", "姓名", "性别", "民族", "出生日期", "公民身份号码", "政治面貌", "统战对象类别", "宗教信仰", "学历",
                    "工作单位及职务", "联系电话", "所在社区", "备注"])
        for i in range(1, rows + 1):
            if people and rnd.random() < dup:
                row = typed(rnd, rnd.choice(people))
            else:
                p = clean_person(rnd, used)
                people.append(p)
                if len(people) > 5000:
                    people.pop(rnd.randrange(len(people)))
                row = typed(rnd, p)
                if rnd.random() < err:
                    spoil(rnd, row, 0, p[4], p[3][0])
            w.writerow([str(i)] + row + [""])


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 20261123
    err = float(sys.argv[sys.argv.index("--errors") + 1]) if "--errors" in sys.argv else 0.02
    dup = float(sys.argv[sys.argv.index("--dups") + 1]) if "--dups" in sys.argv else 0.01
    rnd = random.Random(seed)
    if "--messy" in sys.argv:
        return messy(rows, out, rnd, err, float(sys.argv[sys.argv.index("--dups") + 1]) if "--dups" in sys.argv else 0.1)
    people = []
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("序号,姓名,性别,民族,出生日期,公民身份号码,政治面貌,统战对象类别,宗教信仰,学历,工作单位及职务,联系电话,所在社区,备注\n")
        for i in range(1, rows + 1):
            if people and rnd.random() < dup:
                row = list(rnd.choice(people))
                row[0] = str(i)
            else:
                y, m, d = rnd.randint(1940, 2004), rnd.randint(1, 12), rnd.randint(1, 28)
                sex = rnd.choice("男女")
                seq = rnd.randint(0, 99) * 10 + (rnd.choice([1, 3, 5, 7, 9]) if sex == "男" else rnd.choice([0, 2, 4, 6, 8]))
                body = f"110105{y:04d}{m:02d}{d:02d}{seq:03d}"
                cats = rnd.choice(CATEGORIES)
                if rnd.random() < 0.1:
                    cats += "、" + rnd.choice(CATEGORIES)
                eth = rnd.choice(ETHNIC)
                row = [str(i), rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else ""),
                       sex, eth, f"{y:04d}-{m:02d}-{d:02d}", body + check_char(body), rnd.choice(POLITICAL), cats,
                       rnd.choice(["", "", "", "佛教", "伊斯兰教", "基督教"]), rnd.choice(EDU),
                       rnd.choice(["区第一中学 教师", "北京某科技有限公司 工程师", "个体", "某律师事务所 律师", "\"协和医院, 主任医师\""]),
                       f"1{rnd.choice('3578')}{rnd.randint(0, 999999999):09d}", rnd.choice(COMMUNITIES), ""]
                if rnd.random() < err:
                    spoil(rnd, row, 1, row[5], y)
                people.append(row)
                if len(people) > 5000:
                    people.pop(rnd.randrange(len(people)))
            f.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
