#!/usr/bin/env python3
"""Synthetic Chinese ledger with known duplicates, for evaluating `step: duplicates`.

usage: make_chinese_ledger.py PEOPLE OUT.csv [--seed N]

Each person has a hidden 真实编号 (ground truth). About 20 % of people have no ID number.
Duplicates (≈ 15 % of people get one or two more records), by kind:
  id-variant   the same ID written as 15 digits, lower-case x or full-width digits
  no-id        the repeat has no ID; name the same, a homophone (王小明/王晓明), or traditional
               (陳靜/陈静); birth the same or one part off; community and phone the same or not
Hard negatives (different people that look alike):
  homonym-id   same name and birth date, different valid ID numbers
  homonym-dob  same name, different birth date, no ID
"""
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单仇区解朴"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌宇浩凯健俊帆文辉力晨欣怡子涵梓轩雨婷佳琪思远博一鸣海燕建国志小晓"
HOMOPHONES = {"小": "晓", "晓": "小", "明": "鸣", "鸣": "明", "伟": "玮", "静": "晶", "丽": "莉", "华": "桦", "军": "君",
              "张": "章", "章": "张", "红": "虹", "平": "萍", "萍": "平", "英": "瑛", "杰": "洁", "文": "雯", "宇": "雨", "涛": "韬"}
TRADITIONAL = {"陈": "陳", "张": "張", "刘": "劉", "华": "華", "国": "國", "静": "靜", "丽": "麗", "军": "軍", "红": "紅",
               "杨": "楊", "黄": "黃", "赵": "趙", "吴": "吳", "孙": "孫", "马": "馬", "郑": "鄭", "谢": "謝", "冯": "馮",
               "邓": "鄧", "伟": "偉", "杰": "傑", "涛": "濤", "鹏": "鵬", "飞": "飛", "斌": "斌", "宁": "寧", "兰": "蘭"}
COMMUNITIES = ["书院路社区", "和平里社区", "东四社区", "交道口社区", "安定门社区", "北新桥社区", "景山社区", "东华门社区"]
CATEGORIES = ["党外知识分子", "非公有制经济人士", "新的社会阶层人士", "民主党派成员", "少数民族人士", "出国和归国留学人员"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def check_char(body17):
    return CHECK[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


AREAS = ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112", "110113"]
USED = set()


def make_id(rng, y, m, d, male):
    """A valid ID number no one else in the ledger has (people differ; only their records repeat)."""
    while True:
        seq = rng.randrange(0, 99) * 10 + (rng.choice([1, 3, 5, 7, 9]) if male else rng.choice([0, 2, 4, 6, 8]))
        body = rng.choice(AREAS) + "%04d%02d%02d" % (y, m, d) + "%03d" % seq
        if body not in USED:
            USED.add(body)
            return body + check_char(body)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    rng = random.Random(seed)
    rows = []
    kinds = {"id-variant": 0, "no-id": 0, "homonym-id": 0, "homonym-dob": 0}

    def person():
        male = rng.random() < 0.5
        y, m, d = rng.randrange(1940, 2000), rng.randrange(1, 13), rng.randrange(1, 29)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        return {"name": name, "male": male, "birth": (y, m, d), "id": make_id(rng, y, m, d, male) if rng.random() < 0.8 else "",
                "community": rng.choice(COMMUNITIES), "phone": "13%09d" % rng.randrange(10 ** 9) if rng.random() < 0.7 else "",
                "category": rng.choice(CATEGORIES)}

    def emit(p, truth):
        y, m, d = p["birth"]
        rows.append([p["name"], "男" if p["male"] else "女", "%04d-%02d-%02d" % (y, m, d), p["id"], p["category"], p["phone"], p["community"], str(truth)])

    for t in range(n):
        p = person()
        emit(p, t)
        r = rng.random()
        if r < 0.15:
            for _ in range(rng.choice([1, 1, 1, 2])):
                q = dict(p)
                if p["id"] and rng.random() < 0.5:
                    kinds["id-variant"] += 1
                    v = rng.random()
                    if v < 0.33 and p["id"][6:8] == "19":
                        q["id"] = p["id"][:6] + p["id"][8:17]
                    elif v < 0.66:
                        q["id"] = p["id"].lower()
                        q["id"] = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in q["id"]) if rng.random() < 0.5 else q["id"]
                    q["community"] = rng.choice(COMMUNITIES)
                else:
                    kinds["no-id"] += 1
                    q["id"] = ""
                    name = p["name"]
                    v = rng.random()
                    if v < 0.35:
                        i = rng.randrange(len(name))
                        name = name[:i] + HOMOPHONES.get(name[i], name[i]) + name[i + 1:]
                    elif v < 0.55:
                        name = "".join(TRADITIONAL.get(c, c) for c in name)
                    q["name"] = name
                    y, m, d = p["birth"]
                    if rng.random() < 0.2:
                        part = rng.randrange(3)
                        if part == 0: y += rng.choice([-1, 1])
                        elif part == 1: m = m % 12 + 1
                        else: d = d % 28 + 1
                    q["birth"] = (y, m, d)
                    if rng.random() < 0.3: q["community"] = rng.choice(COMMUNITIES)
                    if rng.random() < 0.3: q["phone"] = ""
                emit(q, t)
        elif r < 0.18:
            kinds["homonym-id"] += 1
            q = person()
            q.update(name=p["name"], birth=p["birth"], male=p["male"])
            y, m, d = p["birth"]
            q["id"] = make_id(rng, y, m, d, p["male"])
            if not p["id"]:
                q["id"] = ""
                q["birth"] = (y + rng.choice([-3, 5]), m, d)  # no IDs to tell them apart: another birth date
            emit(q, n + t)
        elif r < 0.21:
            kinds["homonym-dob"] += 1
            q = person()
            q.update(name=p["name"], male=p["male"], id="")
            emit(q, n + t)
    rng.shuffle(rows)
    with open(out, "w", encoding="utf-8") as f:
        f.write("姓名,性别,出生日期,公民身份号码,统战对象类别,联系电话,所在社区,真实编号\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    print(f"{len(rows)} rows from {n} people; duplicates {kinds['id-variant']} id-variant, {kinds['no-id']} no-id; "
          f"look-alikes {kinds['homonym-id']} homonym-id, {kinds['homonym-dob']} homonym-dob", file=sys.stderr)


if __name__ == "__main__":
    main()
