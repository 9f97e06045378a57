#!/usr/bin/env python3
"""Dataset C: several ledger files (one per community, CSV/.xlsx), several visit logs (one per quarter,
CSV/.xlsx with title row + merged two-row header, Excel serial dates), persons moved between communities
(with/without ID, 迁出 row first/second), deaths with 发生死亡 before/after the date, ID-only visits,
a visit in two quarterly files, 联系人 in 繁体 in the ledger. Writes files + model2.json (semantics)."""
import random, json, csv, datetime as dt, sys, os
from collections import defaultdict
import openpyxl
from openpyxl.styles import Alignment

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 11
NPER = int(sys.argv[2]) if len(sys.argv) > 2 else 250
OUT = sys.argv[3] if len(sys.argv) > 3 else 'data3'
os.makedirs(OUT, exist_ok=True)
R = random.Random(SEED)
TODAY = 20261204
SURN = list('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭')
GIVEN = list('伟芳娜敏静秀强磊军勇艳杰涛明超霞平刚桂英华玉兰文辉建云红波海斌婷欣凯浩思雪倩悦东春秋坤梅娟帆振荣德庆瑞芬翠爽')
LTRAD = {'刘芳': '劉芳', '陈晓东': '陳曉東', '赵丽华': '趙麗華', '孙志强': '孫志強', '郑国庆': '鄭國慶', '冯雪梅': '馮雪梅',
         '韩美玲': '韓美玲', '邓秀云': '鄧秀雲', '罗志刚': '羅志剛', '吴桂兰': '吳桂蘭', '黄建平': '黃建平', '杨淑芬': '楊淑芬'}
COMMS = ['书院路社区', '青年路社区', '和平里社区']
LIA = {'书院路社区': ['刘芳', '王建国', '陈晓东', '赵丽华'], '青年路社区': ['孙志强', '李秀英', '郑国庆', '冯雪梅'],
       '和平里社区': ['韩美玲', '邓秀云', '罗志刚', '吴桂兰']}
LFILES = [('书院路社区台账.csv', '书院路社区'), ('青年路社区台账.xlsx', '青年路社区'), ('和平里社区台账.xlsx', '和平里社区')]
REASON_W = {'生病住院': '住院', '发生死亡': '吊唁', '有困难': '困难帮扶', '逢重大节日': '重大节日', '定期走访': '日常走访',
            '节日慰问': '春节慰问', '其他': '其它', '家庭有矛盾': '家庭矛盾', '有重要活动': '重要活动'}
REASONS = ['家庭有矛盾', '生病住院', '发生死亡', '有困难', '逢重大节日', '有重要活动', '定期走访', '节日慰问', '其他']

def ymd(d): return d.year * 10000 + d.month * 100 + d.day
def date_of(n): return dt.date(n // 10000, n // 100 % 100, n % 100)
def iso(n): return date_of(n).isoformat()
def rday(lo, hi):
    a, b = date_of(lo), date_of(hi)
    return ymd(a + dt.timedelta(days=R.randrange((b - a).days + 1)))
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
used_ids = set()
def make_id(birth, male):
    while True:
        s = '110105' + date_of(birth).strftime('%Y%m%d') + '%02d' % R.randrange(100)
        s += str(R.choice([1, 3, 5, 7, 9]) if male else R.choice([0, 2, 4, 6, 8]))
        s += '10X98765432'[sum(int(a) * b for a, b in zip(s, W)) % 11]
        if s not in used_ids: used_ids.add(s); return s
used_names = set()
def new_name():
    while True:
        n = R.choice(SURN) + ''.join(R.choice(GIVEN) for _ in range(2))
        if n not in used_names: used_names.add(n); return n

persons = []       # real persons
def person(comm, name=None, kind='normal', hasid=None):
    male = R.random() < 0.5
    birth = ymd(dt.date(1945, 1, 1) + dt.timedelta(days=R.randrange(365 * 55)))
    hasid = (R.random() < 0.8) if hasid is None else hasid
    p = dict(pid=len(persons), name=name or new_name(), male=male, birth=birth, id=make_id(birth, male) if hasid else '',
             comm=comm, kind=kind, status='在册', sdate=0, liaison=R.choice(LIA[comm]), hard=R.random() < 0.15)
    p['lia_trad'] = p['liaison'] in LTRAD and R.random() < 0.6
    persons.append(p)
    return p

for c in COMMS:
    for _ in range(NPER): person(c)
    for _ in range(12):   # deaths this year
        p = person(c, kind='died'); p['status'] = '死亡'; p['sdate'] = rday(20260115, 20261120)
    for _ in range(6):    # moved out of the district
        p = person(c, kind='left'); p['status'] = '迁出'; p['sdate'] = rday(20260115, 20261120)
    for _ in range(8):    # namesakes in the community, told apart by the 联系人 (written 繁体 in the ledger)
        a = person(c, kind='namesake')
        lia = [l for l in LIA[c] if l != a['liaison']]
        b = person(c, name=a['name'], kind='namesake'); b['liaison'] = R.choice(lia); b['lia_trad'] = b['liaison'] in LTRAD
        a['lia_trad'] = a['liaison'] in LTRAD
# moved between the ledger's communities: (from, to) — 书院路 rows come first in the inputs, so
# 书院路→青年路 has the 迁出 row first, 青年路→书院路 second; 和平里 is last.
moves = []
for frm, to in [('书院路社区', '青年路社区'), ('青年路社区', '书院路社区'), ('和平里社区', '书院路社区'), ('青年路社区', '和平里社区')]:
    for j in range(10):
        p = person(frm, kind='moved', hasid=j < 7)
        p['from'], p['to'] = frm, to
        p['mdate'] = rday(20260201, 20261110) if j % 5 else rday(20250301, 20251201)
        p['liaison_to'] = R.choice(LIA[to]); p['lia_to_trad'] = False
        moves.append(p)

# ---- ledger rows
rows = []    # dicts: file, row, pid, comm, status, sdate, liaison_w
for fname, c in LFILES:
    mine = []
    for p in persons:
        if p['kind'] == 'moved':
            if p['from'] == c: mine.append(dict(pid=p['pid'], comm=c, status='迁出', sdate=p['mdate'], lia=p['liaison']))
            if p['to'] == c: mine.append(dict(pid=p['pid'], comm=c, status='在册', sdate=0, lia=p['liaison_to']))
        elif p['comm'] == c:
            mine.append(dict(pid=p['pid'], comm=c, status=p['status'], sdate=p['sdate'], lia=p['liaison']))
    R.shuffle(mine)
    first = 3 if fname.endswith('xlsx') and '青年路' in fname else 2
    for i, r in enumerate(mine):
        r['file'] = fname; r['row'] = first + i
        p = persons[r['pid']]
        r['lia_w'] = LTRAD[r['lia']] if (r['lia'] in LTRAD and (p['lia_trad'] or R.random() < 0.3)) else r['lia']
        rows.append(r)
HEAD = ['序号', '姓名', '性别', '出生日期', '身份证号', '统战对象类别', '社区', '人员状态', '状态日期', '联络员', '困难情况']
def lrow(i, r):
    p = persons[r['pid']]
    return [i + 1, p['name'], '男' if p['male'] else '女', iso(p['birth']), p['id'], '党外知识分子', r['comm'], r['status'],
            iso(r['sdate']) if r['sdate'] else '', r['lia_w'], R.choice(['家庭收入低', '本人患慢性病']) if p['hard'] else R.choice(['无', '暂无。', '', '无。'])]
for fname, c in LFILES:
    mine = [r for r in rows if r['file'] == fname]
    data = [lrow(i, r) for i, r in enumerate(mine)]
    if fname.endswith('csv'):
        with open(f'{OUT}/{fname}', 'w', newline='', encoding='utf-8') as f:
            w = csv.writer(f); w.writerow(HEAD); w.writerows(data)
    else:
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = '台账'
        if '青年路' in fname:
            ws.append([f'{c}统战对象台账'] + [None] * (len(HEAD) - 1)); ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
        ws.append(HEAD)
        for d in data:
            d = list(d); d[3] = date_of(int(d[3].replace('-', '')))    # birth as a real date cell
            ws.append(d)
            ws.cell(ws.max_row, 4).number_format = 'yyyy-mm-dd'
            ws.cell(ws.max_row, 5).number_format = '@'
        wb.save(f'{OUT}/{fname}')

# ---- visits
visits = []
def visit(p, day, reason, comm=None, ident='auto', visitor=None, req=None, handling=None, special=''):
    comm = p['comm'] if comm is None else comm
    if visitor is None:
        lia = p['liaison_to'] if p['kind'] == 'moved' and comm in (p.get('to'), '') else p['liaison']
        visitor = lia if R.random() < 0.85 else R.choice(LIA[comm or p['comm']])
    if ident == 'auto':
        ident = R.choice(['id+name', 'id-only', 'name']) if p['id'] else 'name'
    v = dict(pid=p['pid'], day=day, reason=reason, comm=comm, ident=ident, visitor=visitor, req=req, handling=handling, special=special)
    visits.append(v); return v

for p in persons:
    if p['kind'] == 'namesake':
        for _ in range(R.choice([0, 1, 1, 2])):
            visit(p, rday(20260101, TODAY), '定期走访', ident='name', visitor=p['liaison'], special='namesake')
        continue
    last = p['sdate'] if p['sdate'] else TODAY
    if p['kind'] == 'moved':
        md = p['mdate']
        for _ in range(R.choice([0, 1, 1, 2, 2, 3])):
            d = rday(20260101, TODAY)
            if d < md: visit(p, d, R.choice(['定期走访', '节日慰问', '生病住院']), comm=p['from'], ident='auto' if p['id'] else 'name')
            else: visit(p, d, R.choice(['定期走访', '节日慰问', '有困难']), comm=p['to'], ident='auto' if p['id'] else 'name')
        continue
    for _ in range(R.choice([0, 0, 1, 1, 2, 3])):
        if last < 20260101: break
        reason = R.choices(REASONS, weights=[2, 5, 0, 6 if p['hard'] else 1, 6, 3, 30, 10, 2])[0]
        v = visit(p, rday(20260101, min(last, TODAY)), reason)
        if R.random() < 0.2:
            v['req'] = '希望协调医保报销'; v['handling'] = R.choice(['办结', '办理中', '未办理', '已办结'])
    if p['kind'] == 'died':
        k = R.random(); D = p['sdate']
        if k < 0.3 and D > 20260120: visit(p, rday(20260101, ymd(date_of(D) - dt.timedelta(days=1))), '发生死亡', special='death-before')
        elif k < 0.6: visit(p, rday(D, min(TODAY, ymd(date_of(D) + dt.timedelta(days=15)))), '发生死亡', special='death-after')
        elif k < 0.7: visit(p, D, '发生死亡', special='death-on')
        elif k < 0.85: visit(p, rday(ymd(date_of(D) + dt.timedelta(days=1)), TODAY), '定期走访', special='after-death')
    if p['kind'] == 'left' and R.random() < 0.3:
        visit(p, rday(ymd(date_of(p['sdate']) + dt.timedelta(days=1)), TODAY), '节日慰问', special='after-leaving')
# ID-only visits without a community; names without a community
for p in R.sample([p for p in persons if p['kind'] == 'normal' and p['id']], 15):
    visit(p, rday(20260101, TODAY), '定期走访', comm='', ident='id-only', special='id-only-nocomm')
for p in R.sample([p for p in persons if p['kind'] == 'normal'], 12):
    visit(p, rday(20260101, TODAY), '定期走访', comm='', ident='name', special='name-nocomm')
for p in R.sample([p for p in persons if p['kind'] == 'moved' and p['mdate'] < 20260101], 4):
    visit(p, rday(20260101, TODAY), '定期走访', comm='', ident='name', visitor=p['liaison_to'], special='moved-nocomm')

def quarter(d): return (d // 100 % 100 - 1) // 3 + 1
visits.sort(key=lambda v: v['day'])
for i in range(len(visits)): visits[i]['vid'] = i
FILES = ['走访记录2026Q1.csv', '走访记录2026Q2.xlsx', '走访记录2026Q3.xlsx', '走访记录2026Q4.csv']
files = {f: [v['vid'] for v in visits if quarter(v['day']) == q + 1] for q, f in enumerate(FILES)}
# the same visit in two quarterly files: some Q1 visits pasted again into Q2 (end of the list), and some
# late-Q2 visits also at the head of Q3
cross = R.sample([v['vid'] for v in visits if quarter(v['day']) == 1 and not v['special']], 8)
files[FILES[1]] = files[FILES[1]] + cross
cross2 = R.sample([v['vid'] for v in visits if quarter(v['day']) == 2 and not v['special']], 5)
files[FILES[2]] = cross2 + files[FILES[2]]
# same visit written twice within Q3 (visitor in 繁体 the second time)
dup3 = R.sample([v for v in files[FILES[2]] if not visits[v]['special'] and visits[v]['visitor'] in LTRAD and visits[v]['vid'] not in cross2], 3)
files[FILES[2]] = files[FILES[2]] + dup3

def written(v, again=False):
    p = persons[v['pid']]
    nm, idw = p['name'], ''
    if v['ident'] == 'id+name': idw = p['id']
    elif v['ident'] == 'id-only': idw, nm = p['id'], ''
    vis = LTRAD[v['visitor']] if again and v['visitor'] in LTRAD else v['visitor']
    return dict(date=v['day'], name=nm, id=idw, comm=v['comm'], visitor=vis, reason=REASON_W.get(v['reason'], v['reason']) if R.random() < 0.3 else v['reason'],
                req=v['req'] or '', handling=v['handling'] or '')
VHEAD = ['走访日期', '被走访人', '身份证号', '所在社区', '走访人', '走访事由', '反映问题', '办理情况']
wrows = {}
for f, idx in files.items():
    seen = set(); out = []
    for vid in idx:
        out.append(dict(vid=vid, **written(visits[vid], again=vid in seen))); seen.add(vid)
    wrows[f] = out
serial = lambda n: (date_of(n) - dt.date(1899, 12, 30)).days
for f, out in wrows.items():
    if f.endswith('csv'):
        with open(f'{OUT}/{f}', 'w', newline='', encoding='utf-8') as fh:
            w = csv.writer(fh); w.writerow(VHEAD)
            for r in out:
                w.writerow([iso(r['date']) if R.random() < 0.8 else f"{r['date']//10000}年{r['date']//100%100}月{r['date']%100}日", r['name'], r['id'], r['comm'], r['visitor'], r['reason'], r['req'], r['handling']])
            for r in out: r['row'] = out.index(r) + 2
    else:
        wb = openpyxl.Workbook(); ws = wb.active; ws.title = '走访记录'
        if 'Q2' in f:
            ws.append(['2026年第二季度统战对象联系走访记录'] + [None] * 8); ws.merge_cells('A1:I1')
            ws.append(['序号', '走访日期', '被走访人', None, '所在社区', '走访人', '走访事由', '反映问题', '办理情况'])
            ws.append([None, None, '姓名', '身份证号', None, None, None, None, None])
            for col in 'ABEFGHI': ws.merge_cells(f'{col}2:{col}3')
            ws.merge_cells('C2:D2')
            start = 4
        else:
            ws.append(['序号'] + VHEAD); start = 2
        for i, r in enumerate(out):
            k = R.random()
            d = date_of(r['date']) if k < 0.4 else serial(r['date']) if k < 0.85 else iso(r['date'])
            ws.append([i + 1, d, r['name'], r['id'], r['comm'], r['visitor'], r['reason'], r['req'], r['handling']])
            if k < 0.4: ws.cell(ws.max_row, 2).number_format = 'yyyy"年"m"月"d"日"'
            ws.cell(ws.max_row, 4).number_format = '@'
            r['row'] = start + i
        ws.append(['合计', f'{len(out)} 次'])
        wb.save(f'{OUT}/{f}')
json.dump(dict(persons=persons, rows=rows, visits=visits, files=FILES, wrows=wrows, lfiles=[f for f, _ in LFILES], LIA=LIA),
          open(f'{OUT}/model2.json', 'w'), ensure_ascii=False)
print(len(persons), 'persons;', len(rows), 'ledger rows;', {f: len(o) for f, o in wrows.items()})
