#!/usr/bin/env python3
"""Deterministic generator of realistic member ledgers for benchmarks.

usage: generate_ledger.py ROWS OUT.csv [--seed N] [--errors 0.02] [--dups 0.01]

14 columns as real ledgers have them (序号, 姓名, 性别, 民族, 出生日期, 公民身份号码, 政治面貌,
统战对象类别, 宗教信仰, 学历, 工作单位及职务, 联系电话, 所在社区, 备注), valid ID check characters,
a share of errors (bad check characters, impossible dates, blank names) and of duplicated people.
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


def main():
    rows = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 20261123
    err = float(sys.argv[sys.argv.index("--errors") + 1]) if "--errors" in sys.argv else 0.02
    dup = float(sys.argv[sys.argv.index("--dups") + 1]) if "--dups" in sys.argv else 0.01
    rnd = random.Random(seed)
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
                    kind = rnd.randint(0, 2)
                    if kind == 0:
                        row[5] = row[5][:17] + ("0" if row[5][17] != "0" else "1")
                    elif kind == 1:
                        row[4] = f"{y:04d}-02-30"
                    else:
                        row[1] = ""
                people.append(row)
                if len(people) > 5000:
                    people.pop(rnd.randrange(len(people)))
            f.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
