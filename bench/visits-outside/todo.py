import openpyxl, json, sys
from collections import Counter
out, tf = sys.argv[1], sys.argv[2]
M = json.load(open('data/model.json')); byrow = {p['row']: p for p in M['persons']}
T = json.load(open(tf))
ws = openpyxl.load_workbook(f'{out}/ret.xlsx')['待走访名单']
rows = [r for r in ws.iter_rows(values_only=True)][3:]
tool = Counter((r[0], r[1], r[2]) for r in rows if r[1])
pr = {r for r, c in T['persons'] if c in ('visit-coverage', 'difficulty-not-visited')}
led = {}
import csv
for i, r in enumerate(csv.DictReader(open('data/ledger.csv', encoding='utf-8'))): led[i + 2] = r
truth = Counter((led[r]['联络员'] or '（未指定联系人）', led[r]['社区'], led[r]['姓名']) for r in pr)
print('todo tool', sum(tool.values()), 'truth', sum(truth.values()), 'diff', sum((tool - truth).values()), sum((truth - tool).values()))
