#!/usr/bin/env python3
"""Truth by the docs: link each visit row, its row findings, and per period the figures and person findings.
usage: truth.py DATA PERIOD FILE[,FILE...]  (the last file is this run's log; earlier files = the store's earlier periods)
       prints JSON {rows: {file: {row: [codes]}}, persons: [[row, code]], figures: {comm: {...}}}"""
import json, sys, datetime as dt
from collections import defaultdict
DATA, PERIOD, FILES = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
TODAY = int(sys.argv[4]) if len(sys.argv) > 4 else 20261204
PER_YEAR, OPEN_DAYS = 1, 30
M = json.load(open(f'{DATA}/model.json'))
import os
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen_tables.py')).read())   # PY, SIMP, COMM_VARIANTS, REASONS, ARR_KEYS

def simp(s): return ''.join(SIMP.get(c, c) for c in s)
def pinyin(s): return ' '.join(PY.get(c, c) for c in simp(s))
def date_of(n): return dt.date(n // 10000, n // 100 % 100, n % 100)

y = int(PERIOD[:4])
if 'Q' in PERIOD:
    q = int(PERIOD[5]); start = y * 10000 + (3 * q - 2) * 100 + 1
    endm = 3 * q; end = y * 10000 + endm * 100 + [31, 30, 30, 31][q - 1]
elif 'H' in PERIOD:
    h = int(PERIOD[5]); start = y * 10000 + (1 if h == 1 else 7) * 100 + 1; end = y * 10000 + (630 if h == 1 else 1231)
elif '-' in PERIOD:
    import calendar
    mo = int(PERIOD[5:]); start = y * 10000 + mo * 100 + 1; end = y * 10000 + mo * 100 + calendar.monthrange(y, mo)[1]
else:
    start, end = y * 10000 + 101, y * 10000 + 1231
ystart = y * 10000 + 101

P = M['persons']
first = {p['pid']: p for p in P}
persons = [p for p in P if p['key'] == p['pid']]
by_id = {}
for p in P:
    if p['id'] and p['id'] not in by_id: by_id[p['id']] = p
rows_in = defaultdict(list)
for p in P:
    rows_in[(p['comm'], simp(p['name']))].append(p)
comm_of = {}
for c in COMM_VARIANTS:
    comm_of[c] = c
    for v in COMM_VARIANTS[c]: comm_of[v] = c

def link(v):
    """-> (person key, how) or (None, code)"""
    wid, wname, wcomm, vis = v['w_id'], v['w_name'], v['w_comm'], simp(v['w_visitor'])
    if not wid and not wname: return None, 'visit-unlinked'
    if wid and wid in by_id:
        f = by_id[wid]
        if wname and simp(wname) != simp(f['name']): return None, 'visit-name-mismatch'
        return f['key'], 'exact'
    byID = bool(wid)
    if not wname: return None, 'visit-unlinked'
    c = comm_of.get(wcomm)
    if c is None:
        return None, 'visit-unlinked'
    n = simp(wname)
    found = rows_in[(c, n)]
    how = 'exact'
    if not found and not byID:
        comm_rows = [p for p in P if p['comm'] == c and p['key'] == p['pid']]
        sound = [p for p in comm_rows if pinyin(p['name']) == pinyin(n)]
        oneoff = []
        if 3 <= len(n) <= 4:
            oneoff = [p for p in comm_rows if len(simp(p['name'])) == len(n) and sum(a != b for a, b in zip(simp(p['name']), n)) == 1]
        # fix (2): 同音 first among those the visitor is 联系人 of, then one character off
        for tier in (sound, oneoff):
            tb = sorted({p['key'] for p in tier if p['liaison'] and simp(p['liaison']) == vis})
            if len(tb) == 1: return tb[0], 'visit-name-alike'
            if len(tb) > 1: return None, 'visit-ambiguous'
        if sound or oneoff: return None, 'visit-unlinked'
    cand = sorted({p['key'] for p in found})
    if len(cand) == 1 and how == 'exact':
        return cand[0], ('id-not-in-ledger' if byID else 'exact')
    byl = sorted({p['key'] for p in found if p['liaison'] and simp(p['liaison']) == vis})
    if how == 'alike':
        if len(byl) == 1: return byl[0], 'visit-name-alike'
        return None, 'visit-ambiguous' if len(cand) > 1 and len(byl) > 1 else 'visit-unlinked'
    if len(cand) > 1 and len(byl) == 1: return byl[0], 'visit-linked-by-liaison'
    if not cand: return None, 'visit-unlinked'
    return None, 'visit-ambiguous'

def days(a, b): return (date_of(b) - date_of(a)).days

def run_file(fname, idx, seen, checks=True):
    """Accepted, linked visits of a log in order: returns row findings and the counted visits (key-deduplicated with `seen`)."""
    rowcodes, counted = {}, []
    for r, i in enumerate(idx):
        v = M['visits'][i]; row = r + 2; codes = []
        sp = v['special']
        if sp == 'bad-id': rowcodes[row] = ['ID-ERROR']; continue
        if sp == 'bad-date': rowcodes[row] = ['type-error']; continue
        if sp == 'no-reason': rowcodes[row] = ['required']; continue
        k, how = link(v)
        if k is None: rowcodes[row] = [how]; continue
        if how not in ('exact',): codes.append({'id-not-in-ledger': 'visit-id-not-in-ledger'}.get(how, how))
        p = first[k]; day = v['day']
        if day > TODAY: rowcodes[row] = codes + ['visit-in-future']; continue
        if day < p['birth']: rowcodes[row] = codes + ['visit-before-birth']; continue
        if p['status'] == '死亡' and p['sdate'] and day > p['sdate'] and v['reason'] != '发生死亡':
            rowcodes[row] = codes + ['visit-after-death']; continue
        key = (k, day, v['reason_raw'], simp(v['w_visitor']))
        if key in seen:
            rowcodes[row] = codes + ['visit-repeated']; continue
        seen.add(key)
        if p['status'] == '迁出' and p['sdate'] and day > p['sdate']: codes.append('visit-after-leaving')
        asof = min(end, TODAY)
        if v['handling'] == '办理中' and day <= asof and days(day, asof) > OPEN_DAYS: codes.append('request-open-too-long')
        if not v['reason_known']: codes.append('unknown-visit-reason')
        if v['req'] and not v['handling']: codes.append('request-unhandled')
        if v['handling'] == 'UNKNOWN': codes.append('unknown-handling')
        if codes: rowcodes[row] = codes
        counted.append((k, v))
    return rowcodes, counted

seen = set()
all_counted = []
stored = FILES[:-1]
for f in stored:   # the store's earlier periods: their accepted visits (linked again)
    _, c = run_file(f, M['files'][f], set())
    all_counted += c
rowcodes, this = run_file(FILES[-1], M['files'][FILES[-1]], set())
# dedup: this run's log first, then the stored ones
keys = set()
final = []
for k, v in this + all_counted:
    key = (k, v['day'], v['reason_raw'], simp(v['w_visitor']))
    if key in keys: continue
    keys.add(key); final.append((k, v))

def on_roll(p):
    if p['status'] == '在册': return True
    return bool(p['sdate']) and p['sdate'] > end

year = defaultdict(int); per = defaultdict(int); deathv = set()
F = defaultdict(lambda: defaultdict(int))
for k, v in final:
    d = v['day']
    if not (ystart <= d <= end): continue
    p = first[k]
    year[k] += 1
    if v['reason'] == '发生死亡' and (not p['sdate'] or d >= p['sdate']): deathv.add(k)
    if d >= start:
        per[k] += 1
        F[p['comm']]['reason%d' % (REASONS.index(v['reason']) + 1)] += 1
        if v['req']:
            F[p['comm']]['requests'] += 1
            if v['handling'] == '办结': F[p['comm']]['requests_done'] += 1
issues = []
for p in persons:
    c = p['comm']; k = p['pid']
    if p['status'] == '死亡' and (p['sdate'] == 0 or ystart <= p['sdate'] <= end) and k not in deathv:
        issues.append((p['row'], 'death-without-visit'))
    if not on_roll(p): continue
    F[c]['on_roll'] += 1
    if year[k] >= 1: F[c]['visited'] += 1
    if year[k] < PER_YEAR: issues.append((p['row'], 'visit-coverage'))
    if p['hard']:
        F[c]['hardship'] += 1
        if per[k] >= 1: F[c]['hardship_visited'] += 1
        else: issues.append((p['row'], 'difficulty-not-visited'))
    if not p['liaison']: issues.append((p['row'], 'no-liaison'))
    if p['arr']:
        F[c]['representatives'] += 1
        if year[k] >= 1: F[c]['representatives_visited'] += 1
        for a in set(p['arr']): F[c]['arrangement%d' % (ARR_KEYS.index(a) + 1)] += 1
tot = defaultdict(int)
for c in F:
    for kk, n in F[c].items(): tot[kk] += n
F['合计'] = tot
from decimal import Decimal, ROUND_HALF_UP
for c in F:
    F[c]['visits'] = sum(F[c]['reason%d' % i] for i in range(1, 10))
    F[c]['coverage'] = float((Decimal(F[c]['visited']) * 100 / Decimal(F[c]['on_roll'])).quantize(Decimal('0.1'), ROUND_HALF_UP)) if F[c]['on_roll'] else None
json.dump(dict(rows={FILES[-1]: rowcodes}, persons=sorted(issues), figures=F), sys.stdout, ensure_ascii=False)
