#!/usr/bin/env python3
"""Independent generator: member ledger + 2026 visit logs, with the truth of every figure/finding.
Truth follows the README/FORMS/PLUGINS docs (not the tool's source)."""
import random, json, csv, datetime as dt, sys, os
from collections import defaultdict

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 7
NPER = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
OUT = sys.argv[3] if len(sys.argv) > 3 else 'data'
os.makedirs(OUT, exist_ok=True)
R = random.Random(SEED)
TODAY = 20261204

exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen_tables.py')).read())   # the tables truth.py reads too

def ymd(d): return d.year * 10000 + d.month * 100 + d.day
def date_of(n): return dt.date(n // 10000, n // 100 % 100, n % 100)
def iso(n): return date_of(n).isoformat()

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def id_check(s17):
    return '10X98765432'[sum(int(a) * b for a, b in zip(s17, W)) % 11]
used_ids = set()
def make_id(birth, male):
    while True:
        s = R.choice(['110105', '110108', '320102', '440106']) + birth.strftime('%Y%m%d') + '%02d' % R.randrange(100)
        s += str(R.choice([1, 3, 5, 7, 9]) if male else R.choice([0, 2, 4, 6, 8]))
        s += id_check(s)
        if s not in used_ids:
            used_ids.add(s); return s

# ---------------------------------------------------------------- ledger
persons = []   # dicts; 'row' = ledger CSV line number
names_by_comm = defaultdict(set)
def new_name(comm):
    while True:
        n = R.choice(list(SURN)) + ''.join(R.choice(list(GIVEN)) for _ in range(R.choice([1, 2, 2])))
        if n not in names_by_comm[comm]:
            names_by_comm[comm].add(n); return n

liaisons = {}
pool = LIAISON_POOL[:]
R.shuffle(pool)
for i, c in enumerate(COMMS):
    liaisons[c] = pool[i * 8:(i + 1) * 8]

def make_person(comm, name=None):
    male = R.random() < 0.5
    birth = dt.date(1941, 1, 1) + dt.timedelta(days=R.randrange(365 * 60))
    p = dict(comm=comm, name=name or new_name(comm), male=male, birth=ymd(birth))
    p['id'] = make_id(birth, male) if R.random() < 0.85 else ''
    r = R.random()
    if r < 0.86:
        p['status'] = '在册'; p['status_w'] = R.choice(['在册'] * 6 + [''] * 3 + ['正常']); p['sdate'] = 0
    elif r < 0.92:
        p['status'] = '迁出'; p['status_w'] = R.choice(['迁出', '迁出', '迁走', '调离'])
        p['sdate'] = R.choice([ymd(dt.date(2025, 1, 1) + dt.timedelta(days=R.randrange(365))),
                               ymd(dt.date(2026, 1, 1) + dt.timedelta(days=R.randrange(330))),
                               ymd(dt.date(2026, 10, 1) + dt.timedelta(days=R.randrange(60))), 0])
    elif r < 0.997:
        p['status'] = '死亡'; p['status_w'] = R.choice(['死亡', '死亡', '去世', '病故'])
        p['sdate'] = R.choice([ymd(dt.date(2025, 1, 1) + dt.timedelta(days=R.randrange(365))),
                               ymd(dt.date(2026, 1, 1) + dt.timedelta(days=R.randrange(330))),
                               ymd(dt.date(2026, 1, 1) + dt.timedelta(days=R.randrange(330))),
                               ymd(dt.date(2026, 10, 1) + dt.timedelta(days=R.randrange(60))), 0])
    else:
        p['status'] = '在册'; p['status_w'] = '失联'; p['sdate'] = 0    # not recognised: counted (unknown-status)
    p['liaison'] = R.choice(liaisons[comm]) if R.random() < 0.95 else ''
    p['hard'] = R.random() < 0.12
    p['hard_w'] = R.choice(HARD) if p['hard'] else R.choice(NOHARD)
    if R.random() < 0.04:
        a = R.choice(ARR); p['arr_w'] = a[0]; p['arr'] = a[1]
    else:
        p['arr_w'] = ''; p['arr'] = []
    p['cat'] = R.choice(CATS)
    p['trad'] = R.random() < 0.05
    return p

for c in COMMS:
    for _ in range(NPER):
        persons.append(make_person(c))
    # homonym groups
    for _ in range(25):
        base = [p for p in persons if p['comm'] == c and not p['trad']]
        src = R.choice(base)
        for _ in range(R.choice([1, 1, 2])):
            q = make_person(c, name=src['name'])
            persons.append(q)
R.shuffle(persons)
# a person listed twice under one number (second time in another community, same name)
dups = []
for p in persons[:12]:
    if not p['id'] or p['status'] != '在册':
        continue
    other = R.choice([c for c in COMMS if c != p['comm']])
    if p['name'] in names_by_comm[other]:
        continue
    names_by_comm[other].add(p['name'])
    q = dict(p); q['comm'] = other; q['dup_of'] = p
    dups.append(q)
persons += dups
for i, p in enumerate(persons):
    p['row'] = i + 2
    p['pid'] = i
    p['key'] = p['dup_of']['pid'] if 'dup_of' in p else i
    p['written_name'] = trad(p['name']) if p['trad'] else p['name']

with open(f'{OUT}/ledger.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['序号', '姓名', '性别', '出生日期', '身份证号', '统战对象类别', '联系电话', '社区', '政治安排', '人员状态', '状态日期', '联络员', '困难情况', '利益诉求'])
    for i, p in enumerate(persons):
        w.writerow([i + 1, p['written_name'], '男' if p['male'] else '女', iso(p['birth']), p['id'], p['cat'],
                    '13%09d' % R.randrange(10 ** 9), p['comm'], p['arr_w'], p['status_w'], iso(p['sdate']) if p['sdate'] else '',
                    p['liaison'], p['hard_w'], ''])

real = [p for p in persons if 'dup_of' not in p]
# simplified-name index per community (rows, incl. repeated rows bearing the same name)
rows_by_name = defaultdict(list)
for p in persons:
    rows_by_name[(p['comm'], p['name'])].append(p)

# ---------------------------------------------------------------- visits
visits = []  # each: dict with written fields + intended semantics
def rand_day(lo=20260101, hi=TODAY):
    a, b = date_of(lo), date_of(hi)
    if b < a: return None
    return ymd(a + dt.timedelta(days=R.randrange((b - a).days + 1)))

def fmt_date(n):
    d = date_of(n)
    k = R.random()
    if k < 0.75: return d.isoformat()
    if k < 0.82: return f'{d.year}/{d.month}/{d.day}'
    if k < 0.88: return f'{d.year}年{d.month}月{d.day}日'
    if k < 0.93: return f'{d.year}.{d.month:02d}.{d.day:02d}'
    if k < 0.97: return d.strftime('%Y%m%d')
    return str((d - dt.date(1899, 12, 30)).days)

used_keys = set()
def add_visit(p, day, reason, visitor=None, ident='auto', req=None, handling=None, **extra):
    visitor = visitor or (p['liaison'] if p['liaison'] and R.random() < 0.85 else R.choice(liaisons[p['comm']]))
    key = (p['key'], day, reason, visitor)
    if key in used_keys and not extra.get('allow_dup'):
        return None
    used_keys.add(key)
    v = dict(p=p, day=day, reason=reason, visitor=visitor, req=req, handling=handling, **extra)
    v['reason_w'] = extra.get('reason_w') or R.choice(REASON_ALIAS[reason])
    if ident == 'auto':
        ident = 'id' if p['id'] and R.random() < 0.75 else 'name'
    v['ident'] = ident
    visits.append(v)
    return v

def random_request(v):
    if R.random() < 0.2:
        v['req'] = R.choice(['社区停车难', '希望协调医保报销', '老旧小区加装电梯', '子女入学问题', '噪音扰民'])
        k = R.random()
        v['handling'] = '办结' if k < 0.5 else '办理中' if k < 0.75 else '未办理' if k < 0.85 else '' if k < 0.93 else 'UNKNOWN'
    elif R.random() < 0.05:
        v['req'] = R.choice(['无', '']); v['handling'] = R.choice(['', '办结'])

for p in real:
    # how many ordinary visits
    last = TODAY
    if p['status'] == '死亡' and p['sdate']: last = min(TODAY, p['sdate'])
    if p['status'] == '迁出' and p['sdate']: last = min(TODAY, p['sdate'])
    if last < 20260101: nvis = 0
    else: nvis = R.choice([0, 0, 1, 1, 1, 2, 2, 3, 4])
    if p['hard'] and R.random() < 0.5 and last >= 20260101: nvis += 1
    for _ in range(nvis):
        day = rand_day(20260101, last)
        reason = R.choices(REASONS, weights=[3, 6, 0, 8 if p['hard'] else 1, 10, 4, 30, 12, 3])[0]
        v = add_visit(p, day, reason)
        if v: random_request(v)
    # deaths this year or undated: the 发生死亡 visit, sometimes
    if p['status'] == '死亡' and (p['sdate'] >= 20260101 or p['sdate'] == 0):
        k = R.random()
        if p['sdate'] and p['sdate'] <= TODAY:
            if k < 0.55: add_visit(p, rand_day(p['sdate'], min(TODAY, ymd(date_of(p['sdate']) + dt.timedelta(days=20)))), '发生死亡')
            elif k < 0.62: add_visit(p, p['sdate'], '发生死亡')
            elif k < 0.70 and p['sdate'] > 20260110: add_visit(p, rand_day(20260101, ymd(date_of(p['sdate']) - dt.timedelta(days=1))), '发生死亡')
            elif k < 0.78: add_visit(p, rand_day(ymd(date_of(p['sdate']) + dt.timedelta(days=1)), TODAY) or p['sdate'], '定期走访')  # after death
        elif p['sdate'] == 0 and k < 0.5:
            add_visit(p, rand_day(), '发生死亡')
    if p['status'] == '死亡' and 20250101 <= p['sdate'] < 20260101 and R.random() < 0.1:
        add_visit(p, rand_day(), '节日慰问')      # after a death of last year
    if p['status'] == '迁出' and p['sdate'] and p['sdate'] < TODAY and R.random() < 0.1:
        add_visit(p, rand_day(max(20260101, ymd(date_of(p['sdate']) + dt.timedelta(days=1))), TODAY) or TODAY, '节日慰问')

# special rows
def pick(cond):
    while True:
        p = R.choice(real)
        if cond(p): return p

specials = []
onroll_now = lambda p: p['status'] == '在册'
uniq = lambda p: len({q['key'] for q in rows_by_name[(p['comm'], p['name'])]}) == 1
for _ in range(40):   # before birth: year typed 19xx before the birth
    p = pick(lambda p: onroll_now(p) and p['birth'] > 19500000)
    d = date_of(rand_day())
    day = ymd(dt.date(p['birth'] // 10000 - R.randrange(1, 5), d.month, min(d.day, 28)))
    add_visit(p, day, '定期走访', ident='id' if p['id'] else 'name', special='before-birth')
for _ in range(40):   # future
    p = pick(onroll_now)
    add_visit(p, R.choice([rand_day(20261210, 20261230), rand_day(20270101, 20270301)]), '节日慰问', special='future')
for _ in range(30):   # last year's visits in the log (outside the year)
    p = pick(onroll_now)
    add_visit(p, rand_day(20251001, 20251231), '定期走访', special='last-year')
for _ in range(25):   # unknown reason
    p = pick(onroll_now)
    v = add_visit(p, rand_day(), '其他', reason_w=R.choice(UNKNOWN_REASONS))
# homonyms by name only
for (c, n), rows in list(rows_by_name.items()):
    keys = {q['key'] for q in rows}
    if len(keys) < 2: continue
    for p in rows[:2]:
        if 'dup_of' in p: continue
        vis = p['liaison'] or R.choice(liaisons[c])
        if R.random() < 0.3: vis = R.choice(liaisons[c])
        add_visit(p, rand_day(), '定期走访', visitor=vis, ident='name', special='homonym')
# homophones and one-character-off, name only
for _ in range(60):
    p = pick(lambda p: onroll_now(p) and uniq(p) and any(ch in HOMO_OF for ch in p['name']) and 'dup_of' not in p)
    i = next(i for i, ch in enumerate(p['name']) if ch in HOMO_OF)
    wn = p['name'][:i] + HOMO_OF[p['name'][i]] + p['name'][i + 1:]
    vis = p['liaison'] if (p['liaison'] and R.random() < 0.7) else R.choice(liaisons[p['comm']])
    add_visit(p, rand_day(), '定期走访', visitor=vis, ident='name', written_name=wn, special='homophone')
for _ in range(60):
    p = pick(lambda p: onroll_now(p) and len(p['name']) == 3 and 'dup_of' not in p)
    i = R.choice([1, 2])
    wn = p['name'][:i] + R.choice(list(TYPO)) + p['name'][i + 1:]
    vis = p['liaison'] if (p['liaison'] and R.random() < 0.7) else R.choice(liaisons[p['comm']])
    add_visit(p, rand_day(), '定期走访', visitor=vis, ident='name', written_name=wn, special='oneoff')
# unknown persons (name not in ledger at all), unknown community, nobody named
for _ in range(30):
    p = pick(lambda p: True)
    add_visit(p, rand_day(), '定期走访', ident='name', written_name=R.choice(['欧', '诸葛', '欧阳']) + R.choice(list(TYPO)), special='unknown-person')
for _ in range(10):
    p = pick(onroll_now)
    add_visit(p, rand_day(), '定期走访', ident='name', written_comm=R.choice(['幸福里社区', '光明社区']), special='unknown-community')
for _ in range(5):
    p = pick(onroll_now)
    add_visit(p, rand_day(), '定期走访', ident='none', special='nobody')
# a valid number the ledger lacks: with the name in the community (counted), with an unknown name (unlinked)
for _ in range(25):
    p = pick(lambda p: onroll_now(p) and uniq(p))
    fake = make_id(date_of(p['birth']), p['male'])
    add_visit(p, rand_day(), '定期走访', ident='fake-id', fake_id=fake, special='id-not-in-ledger')
for _ in range(10):
    p = pick(onroll_now)
    fake = make_id(date_of(p['birth']), p['male'])
    add_visit(p, rand_day(), '定期走访', ident='fake-id', fake_id=fake, written_name='诸葛' + R.choice(list(TYPO)), special='fake-id-unknown')
# someone else's number
for _ in range(15):
    p = pick(lambda p: onroll_now(p) and p['id'])
    q = pick(lambda q: q['name'] != p['name'] and 'dup_of' not in q)
    add_visit(p, rand_day(), '定期走访', ident='other-id', written_name=q['name'], special='name-mismatch')
# mistyped ID (check digit)
for _ in range(15):
    p = pick(lambda p: onroll_now(p) and p['id'])
    bad = p['id'][:17] + ('0' if p['id'][17] != '0' else '1')
    add_visit(p, rand_day(), '定期走访', ident='bad-id', bad_id=bad, special='bad-id')
# invalid date, missing reason
for _ in range(8):
    p = pick(onroll_now)
    add_visit(p, 20260230, '定期走访', special='bad-date')
for _ in range(8):
    p = pick(onroll_now)
    add_visit(p, rand_day(), '定期走访', reason_w='EMPTY', special='no-reason')
# visits to the listed-twice persons by name in the second community
for q in dups:
    add_visit(q['dup_of'], rand_day(), '定期走访', ident='name', written_comm=q['comm'], special='dup-second-comm')
# repeated rows: same person, day, reason, visitor (written differently)
base = [v for v in visits if not v.get('special') and v['p']['status'] == '在册']
for v in R.sample(base, 60):
    w2 = dict(v); w2['repeat_of'] = v; w2['special'] = 'repeat'
    w2['ident'] = 'name' if v['ident'] == 'id' and uniq(v['p']) else v['ident']
    if v['visitor'] in TRAD or any(c in TRAD for c in v['visitor']):
        w2['visitor_w'] = trad(v['visitor'])
    visits.append(w2)

# ---- community variants
for v in visits:
    if 'written_comm' not in v:
        v['written_comm'] = R.choice(COMM_VARIANTS[v['p']['comm']]) if R.random() < 0.1 else v['p']['comm']

R.shuffle(visits)
visits.sort(key=lambda v: (v['day'] if v.get('special') != 'future' else 20260600))   # clerks write roughly in order
for i in range(0, len(visits) - 1, 7):   # but not strictly
    j = min(len(visits) - 1, i + R.randrange(1, 5)); visits[i], visits[j] = visits[j], visits[i]
# a repeat must come after its original
pos = {id(v): i for i, v in enumerate(visits)}
for v in list(visits):
    if 'repeat_of' in v and pos[id(v)] < pos[id(v['repeat_of'])]:
        a, b = pos[id(v)], pos[id(v['repeat_of'])]
        visits[a], visits[b] = visits[b], visits[a]
        pos[id(visits[a])], pos[id(visits[b])] = a, b

def written(v):
    p = v['p']
    idw, nm = '', p['written_name'] if R.random() < 0.5 else p['name']
    if v['ident'] == 'id':
        idw = p['id']; nm = nm if R.random() < 0.7 else ''
    elif v['ident'] == 'fake-id': idw = v['fake_id']
    elif v['ident'] == 'other-id': idw = p['id']
    elif v['ident'] == 'bad-id': idw = v['bad_id']; nm = p['name']
    elif v['ident'] == 'none': nm = ''
    nm = v.get('written_name', nm)
    if v['ident'] == 'none': nm = ''
    if v['ident'] == 'name' and not nm: nm = p['name']
    v['w_name'] = nm; v['w_id'] = idw
    if v.get('special') == 'bad-date': dtext = '2026-02-30'
    else: dtext = fmt_date(v['day'])
    reason = '' if v['reason_w'] == 'EMPTY' else v['reason_w']
    h = v['handling']
    hw = '' if h in (None, '') else '已转交' if h == 'UNKNOWN' else R.choice(HANDLING[h])
    v['w_handling'] = hw
    return [dtext, nm, idw, v['written_comm'], v.get('visitor_w', v['visitor']), reason, '走访', v['req'] or '', hw]

HEAD = ['走访日期', '被走访人', '身份证号', '社区', '走访人', '走访事由', '走访内容', '反映问题', '办理情况']
rows = [written(v) for v in visits]
for v in visits:
    if 'repeat_of' in v:
        o = v['repeat_of']   # a repeat keeps the same handling/request
        v['req'], v['handling'] = o['req'], o['handling']
rows = [written(v) if 'repeat_of' in v else r for v, r in zip(visits, rows)]
def quarter(v):
    d = v['day']
    if v.get('special') == 'bad-date': return 1
    if d < 20260101: return 1
    if d > 20261231: return 4
    return (d // 100 % 100 - 1) // 3 + 1
files = {'visits_2026.csv': list(range(len(visits)))}
for q in range(1, 5):
    files[f'visits_Q{q}.csv'] = [i for i, v in enumerate(visits) if quarter(v) == q]
# a cross-quarter paste: some Q1 visits also written again in the Q2 log
q1 = [i for i in files['visits_Q1.csv'] if not visits[i].get('special') and visits[i]['p']['status'] == '在册']
cross = R.sample(q1, 20)
files['visits_Q2.csv'] = files['visits_Q2.csv'] + cross
for fn, idx in files.items():
    with open(f'{OUT}/{fn}', 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f); w.writerow(HEAD)
        for i in idx: w.writerow(rows[i])

# save semantic model for the truth computation
def pser(p): return {k: p[k] for k in ('pid', 'key', 'row', 'name', 'comm', 'id', 'birth', 'status', 'status_w', 'sdate', 'liaison', 'hard', 'arr')}
model = dict(persons=[pser(p) for p in persons], liaisons=liaisons,
             visits=[dict(pkey=v['p']['key'], day=v['day'], reason=v['reason'] if v['reason_w'] not in UNKNOWN_REASONS else '其他', reason_raw=(v['reason'] if v['reason_w'] not in UNKNOWN_REASONS else v['reason_w']) if v['reason_w']!='EMPTY' else '', w_visitor=v.get('visitor_w', v['visitor']), w_handling=v['w_handling'],
                          reason_known=v['reason_w'] not in UNKNOWN_REASONS, visitor=v['visitor'], req=bool(v['req']) and v['req'] != '无',
                          handling=v['handling'] or '', special=v.get('special', ''), ident=v['ident'], w_name=v['w_name'], w_id=v['w_id'],
                          w_comm=v['written_comm'], repeat_of=visits.index(v['repeat_of']) if 'repeat_of' in v else None) for v in visits],
             files=files)
json.dump(model, open(f'{OUT}/model.json', 'w'), ensure_ascii=False)
print(len(persons), 'ledger rows;', len(visits), 'visit rows;', {k: len(v) for k, v in files.items()})
