import json, sys
from collections import Counter, defaultdict
outdir, truthf, logname = sys.argv[1], sys.argv[2], sys.argv[3]
T = json.load(open(truthf))
ret = json.load(open(f'{outdir}/ret.json'))
rep = json.load(open(f'{outdir}/report.json'))
VISIT_CODES = {'visit-unlinked','visit-ambiguous','visit-name-mismatch','visit-name-alike','visit-id-not-in-ledger','visit-linked-by-liaison',
 'visit-in-future','visit-before-birth','visit-after-death','visit-after-leaving','request-open-too-long','request-unhandled','unknown-visit-reason',
 'unknown-handling','visit-repeated','type-error','required'}
PERSON_CODES = {'visit-coverage','difficulty-not-visited','death-without-visit','no-liaison'}
# figures
bad = 0
for row in ret['rows']:
    c = row['category']; tf = T['figures'].get(c, {})
    for k, v in row['counts'].items():
        if k == 'coverage': v = row.get('ratios', {}).get('coverage')
        t = tf.get(k, 0) if k != 'coverage' else tf.get('coverage')
        if (v or 0) != (t or 0):
            bad += 1; print('FIGURE', c, k, 'tool', v, 'truth', t)
print('figures compared:', len(ret['rows']), 'rows; mismatches', bad)
print('notes:', ret.get('notes'))
# row issues
tool = defaultdict(set)
for i in rep['issues']:
    if i['file'].split('/')[-1] == logname:
        code = i['code']
        if i['field'] == '公民身份号码' and i['severity'] == 'error' and code not in VISIT_CODES: code = 'ID-ERROR'
        tool[i['row']].add(code)
truth = {int(r): set(c) for r, c in T['rows'][logname].items()}
diff = 0
for r in sorted(set(tool) | set(truth)):
    a, b = tool.get(r, set()), truth.get(r, set())
    if a != b:
        diff += 1
        if diff <= 40: print('ROW', r, 'tool', sorted(a), 'truth', sorted(b))
print('visit rows with findings: tool', len(tool), 'truth', len(truth), 'differing', diff)
print('tool codes', Counter(c for s in tool.values() for c in s))
# persons
tp = set((i['row'], i['code']) for i in rep['issues'] if i['file'].endswith('ledger.csv') and i['code'] in PERSON_CODES)
tp2 = set(tuple(x) for x in T['persons'])
print('person findings: tool', len(tp), 'truth', len(tp2), 'tool-only', len(tp - tp2), 'truth-only', len(tp2 - tp))
for x in sorted(tp - tp2)[:15]: print('  tool-only', x)
for x in sorted(tp2 - tp)[:15]: print('  truth-only', x)
print('other ledger codes', Counter(i['code'] for i in rep['issues'] if i['file'].endswith('ledger.csv') and i['code'] not in PERSON_CODES))
