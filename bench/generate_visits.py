"""A member ledger with the columns of the ledger's work, and a visit log of its people, from a
bench ledger (bench/generate_ledger.py): 1 % moved away or died (with a date), 5 % in hardship,
a liaison for 95 %; VISITS visits over 2026-01-01 … 2026-09-30, 80 % naming the person by ID number
and the rest by name and community (some in traditional characters), reasons and handling as clerks
write them (the six 必访 and others, informal names among them), a request on 10 %. As the offices'
documents say (统战联络员定期走访统战对象, ../shared/reference/seeds/000), 85 % of visits to a person
with a liaison are that liaison's; the rest, and visits to persons without one, are another's.
    python3 bench/generate_visits.py LEDGER MEMBERS_OUT VISITS_OUT VISITS
"""
import csv, random, sys

ledger, members_out, visits_out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(23)
people = []
with open(ledger, newline="", encoding="utf-8") as f, open(members_out, "w", newline="", encoding="utf-8") as g:
    r = csv.reader(f)
    w = csv.writer(g)
    header = next(r)
    name, birth, idn, community = header.index("姓名"), header.index("出生日期"), header.index("公民身份号码"), header.index("所在社区")
    w.writerow(header + ["人员状态", "状态日期", "联系人", "困难情况"])
    liaisons = [f"联络员{i}" for i in range(500)]
    for row in r:
        x = rng.random()
        status, date = ("迁出", "2026-05-01") if x < 0.005 else ("死亡", "2026-06-01") if x < 0.01 else ("在册", "")
        liaison = rng.choice(liaisons) if rng.random() < 0.95 else ""
        w.writerow(row + [status, date, liaison, "生活困难" if rng.random() < 0.05 else ""])
        people.append((row[name], row[idn], row[community], liaison))
reasons = ["定期走访", "例行走访", "节日慰问", "春节慰问", "逢重大节日", "有困难", "困难帮扶", "生病住院", "住院", "家庭有矛盾", "有重要活动", "发生死亡", "其他"]
trad = str.maketrans("张伟刘华陈东杨军赵国黄丽", "張偉劉華陳東楊軍趙國黃麗")
with open(visits_out, "w", newline="", encoding="utf-8") as g:
    w = csv.writer(g)
    w.writerow(["走访日期", "被走访人", "身份证号", "所在社区", "走访人", "走访事由", "反映问题", "办理情况"])
    for _ in range(n):
        name, idn, community, liaison = people[rng.randrange(len(people))]
        month, day = rng.randint(1, 9), rng.randint(1, 28)
        date = f"2026-{month:02d}-{day:02d}" if rng.random() < 0.7 else f"2026.{month}.{day}"
        by_id = rng.random() < 0.8
        request = rng.random() < 0.1
        w.writerow([date, name if by_id or rng.random() < 0.7 else name.translate(trad), idn if by_id else "", community,
                    liaison if liaison and rng.random() < 0.85 else "联络员" + str(rng.randrange(500)), rng.choice(reasons), "反映问题" if request else "",
                    rng.choice(["办结", "已办结", "办理中", "未办理"]) if request else ""])
