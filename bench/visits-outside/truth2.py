#!/usr/bin/env python3
"""Truth for dataset C (real-person semantics) and comparison with the tool's output.
usage: truth2.py DATA PERIOD OUTDIR THISFILES(comma) [STOREDFILES(comma)]"""
import json, sys, datetime as dt
from collections import defaultdict, Counter
from decimal import Decimal, ROUND_HALF_UP
DATA, PERIOD, OUTDIR, THIS = sys.argv[1:5]
STORED = [f for f in (sys.argv[5] if len(sys.argv) > 5 else '').split(',') if f]
THIS = THIS.split(',')
TODAY = 20261204; OPEN_DAYS = 30
M = json.load(open(f'{DATA}/model2.json'))
P = M['persons']; ROWS = M['rows']; V = M['visits']
TR = {'劉': '刘', '陳': '陈', '曉': '晓', '東': '东', '趙': '赵', '麗': '丽', '華': '华', '孫': '孙', '強': '强', '鄭': '郑', '國': '国',
      '慶': '庆', '馮': '冯', '韓': '韩', '鄧': '邓', '雲': '云', '羅': '罗', '剛': '刚', '吳': '吴', '蘭': '兰', '黃': '黄', '楊': '杨'}
def simp(s): return ''.join(TR.get(c, c) for c in s)
def date_of(n): return dt.date(n // 10000, n // 100 % 100, n % 100)
def days(a, b): return (date_of(b) - date_of(a)).days
REASONS = ['家庭有矛盾', '生病住院', '发生死亡', '有困难', '逢重大节日', '有重要活动', '定期走访', '节日慰问', '其他']
y = int(PERIOD[:4])
if 'Q' in PERIOD:
    q = int(PERIOD[5]); start = y * 10000 + (3 * q - 2) * 100 + 1; end = y * 10000 + 3 * q * 100 + [31, 30, 30, 31][q - 1]
else:
    start, end = y * 10000 + 101, y * 10000 + 1231
ystart = y * 10000 + 101

import os
SPLIT = os.environ.get('SPLIT') == '1'   # the README's scope: rows are one person only under one number
PP = {p['pid']: p for p in P}
for r in ROWS:
    p = P[r['pid']]; r['tpid'] = r['pid']
    if SPLIT and p['kind'] == 'moved' and not p['id'] and r['status'] == '迁出':
        q = dict(p); q['pid'] = 100000 + p['pid']; q['kind'] = 'left'; q['status'] = '迁出'; q['sdate'] = p['mdate']; q['comm'] = p['from']
        PP[q['pid']] = q; r['tpid'] = q['pid']
    elif SPLIT and p['kind'] == 'moved' and not p['id']:
        q = dict(p); q['kind'] = 'normal'; PP[p['pid']] = q
def standing(pid):
    if pid >= 100000 or (PP[pid]['kind'] == 'normal' and P[pid]['kind'] == 'moved'):
        return next(r for r in ROWS if r['tpid'] == pid)
    p = P[pid]
    rs = [r for r in ROWS if r['pid'] == pid]
    if p['kind'] != 'moved': return rs[0]
    want = p['from'] if end < p['mdate'] else p['to']
    return next(r for r in rs if r['comm'] == want)
STAND = {k: standing(k) for k in PP}
by_id = {p['id']: p['pid'] for p in P if p['id']}

def link(w):
    if w['id']:
        if w['id'] in by_id: return by_id[w['id']], None
        return None, 'visit-unlinked'
    if not w['name']: return None, 'visit-unlinked'
    rs = [r for r in ROWS if PP[r['tpid']]['name'] == w['name'] and (not w['comm'] or r['comm'] == w['comm'])]
    pids = sorted({r['tpid'] for r in rs})
    if len(pids) == 1: return pids[0], (None if w['comm'] else 'visit-no-community')
    if not pids: return None, 'visit-unlinked'
    byl = sorted({r['tpid'] for r in rs if simp(r['lia_w']) == simp(w['visitor'])})
    if len(byl) == 1: return byl[0], 'visit-linked-by-liaison'
    return None, 'visit-ambiguous'

def run_file(f, seen):
    rowcodes, counted = {}, []
    for w in M['wrows'][f]:
        v = V[w['vid']]; codes = []
        pid, how = link(w)
        if pid is None: rowcodes[w['row']] = [how]; continue
        if how: codes.append(how)
        p = PP[pid]; day = v['day']
        if p['status'] == '死亡' and day > p['sdate'] and v['reason'] != '发生死亡':
            rowcodes[w['row']] = codes + ['visit-after-death']; continue
        key = (pid, day, v['reason'], simp(w['visitor']))
        if key in seen: rowcodes[w['row']] = codes + ['visit-repeated']; continue
        seen.add(key)
        if p['status'] == '迁出' and day > p['sdate']: codes.append('visit-after-leaving')
        asof = min(end, TODAY)
        if w['handling'] == '办理中' and day <= asof and days(day, asof) > OPEN_DAYS: codes.append('request-open-too-long')
        if codes: rowcodes[w['row']] = codes
        counted.append((pid, v, w))
    return rowcodes, counted

stored = []
for f in STORED:
    _, c = run_file(f, set()); stored += c
seen = set(); rowcodes = {}; this = []
for f in THIS:
    rc, c = run_file(f, seen); rowcodes[f] = rc; this += c
keys = set(); final = []
for pid, v, w in this + stored:
    key = (pid, v['day'], v['reason'], simp(w['visitor']))
    if key in keys: continue
    keys.add(key); final.append((pid, v, w))
year = Counter(); per = Counter(); deathv = set()
F = defaultdict(lambda: defaultdict(int))
for pid, v, w in final:
    d = v['day']
    if not (ystart <= d <= end): continue
    year[pid] += 1
    p = PP[pid]
    if v['reason'] == '发生死亡' and d >= p['sdate']: deathv.add(pid)
    if d >= start:
        per[pid] += 1
        c = STAND[pid]['comm']
        F[c]['reason%d' % (REASONS.index(v['reason']) + 1)] += 1
        if w['req']:
            F[c]['requests'] += 1
            if w['handling'] in ('办结', '已办结'): F[c]['requests_done'] += 1
issues = set()
for p in PP.values():
    k = p['pid']; r = STAND[k]; c = r['comm']; at = (r['file'], r['row'])
    if p['status'] == '死亡' and ystart <= p['sdate'] <= end and k not in deathv: issues.add(at + ('death-without-visit',))
    onroll = p['status'] == '在册' or p['sdate'] > end
    if not onroll: continue
    F[c]['on_roll'] += 1
    if year[k] >= 1: F[c]['visited'] += 1
    else: issues.add(at + ('visit-coverage',))
    if p['hard']:
        F[c]['hardship'] += 1
        if per[k] >= 1: F[c]['hardship_visited'] += 1
        else: issues.add(at + ('difficulty-not-visited',))
tot = defaultdict(int)
for c in list(F):
    for kk, n in F[c].items(): tot[kk] += n
F['合计'] = tot
for c in F:
    F[c]['visits'] = sum(F[c]['reason%d' % i] for i in range(1, 10))
    F[c]['coverage'] = float((Decimal(F[c]['visited']) * 100 / Decimal(F[c]['on_roll'])).quantize(Decimal('0.1'), ROUND_HALF_UP)) if F[c]['on_roll'] else None

# ---- compare
ret = json.load(open(f'{OUTDIR}/ret.json')); rep = json.load(open(f'{OUTDIR}/report.json'))
bad = 0
for row in ret['rows']:
    c = row['category']; tf = F.get(c, {})
    for k, v in row['counts'].items():
        if k.startswith('arrangement') or k.startswith('representatives'): continue
        if k == 'coverage': v = row.get('ratios', {}).get('coverage')
        t = tf.get(k, 0) if k != 'coverage' else tf.get('coverage')
        if (v or 0) != (t or 0): bad += 1; print('FIGURE', c, k, 'tool', v, 'truth', t)
print(f'{PERIOD} figures rows {len(ret["rows"])}, mismatches {bad}')
VC = {'visit-unlinked', 'visit-ambiguous', 'visit-name-mismatch', 'visit-name-alike', 'visit-id-not-in-ledger', 'visit-linked-by-liaison',
      'visit-no-community', 'visit-in-future', 'visit-before-birth', 'visit-after-death', 'visit-after-leaving', 'request-open-too-long',
      'request-unhandled', 'unknown-visit-reason', 'unknown-handling', 'visit-repeated', 'type-error', 'required'}
PC = {'visit-coverage', 'difficulty-not-visited', 'death-without-visit', 'no-liaison'}
tool = defaultdict(set)
for i in rep['issues']:
    fn = i['file'].split('/')[-1].split('[')[0]
    if fn in THIS and (i['code'] in VC or i['severity'] == 'error'): tool[(fn, i['row'])].add(i['code'])
truth = {(f, r): set(c) for f in THIS for r, c in rowcodes[f].items()}
diff = 0
for k in sorted(set(tool) | set(truth)):
    if tool.get(k, set()) != truth.get(k, set()):
        diff += 1
        if diff <= 30: print('ROW', k, 'tool', sorted(tool.get(k, set())), 'truth', sorted(truth.get(k, set())))
print(f'visit rows with findings: tool {len(tool)} truth {len(truth)} differing {diff}')
tp = {(i['file'].split('/')[-1].split('[')[0], i['row'], i['code']) for i in rep['issues'] if i['code'] in PC}
print(f'person findings: tool {len(tp)} truth {len(issues)} tool-only {len(tp - issues)} truth-only {len(issues - tp)}')
for x in sorted(tp - issues)[:15]: print('  tool-only', x)
for x in sorted(issues - tp)[:15]: print('  truth-only', x)
