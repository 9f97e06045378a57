import sys
# usage: mkpipe2.py DATA PERIOD OUTDIR VISITFILE[,VISITFILE..] [STORE] [LEDGERORDER e.g. 0,1,2]
data, period, outdir, vfiles = sys.argv[1:5]
store = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else ''
order = [int(x) for x in (sys.argv[6] if len(sys.argv) > 6 else '0,1,2').split(',')]
L = ['书院路社区台账.csv', '青年路社区台账.xlsx', '和平里社区台账.xlsx']
def rd(f): return f"  - read: {'csv' if f.endswith('csv') else 'xlsx'}\n    path: {data}/{f}\n"
def rd2(f): return f"      - read: {'csv' if f.endswith('csv') else 'xlsx'}\n        path: {data}/{f}\n"
s = f"""name: {period} 联系走访情况
schema: member-ledger
fail_on: never
personal_data: full
{('store: ' + store) if store else ''}
table: 台账
inputs:
{''.join(rd(L[i]) for i in order)}steps:
  - normalize: member-ledger
  - validate: fields
  - validate: id-number
  - step: duplicates
    policy: flag
  - step: member-return
    period: {period}
outputs:
  - write: json-report
    path: {outdir}/ledger-report.json
  - write: json-return
    path: {outdir}/member-ret.json
tables:
  走访:
    schema: visit-log
    severity:
      id-missing: ignore
    inputs:
{''.join(rd2(f) for f in vfiles.split(','))}    steps:
      - normalize: member-ledger
      - validate: fields
      - validate: id-number
      - step: visits
        members: 台账
        period: {period}
        per_year: 1
        open_days: 30
        today: 2026-12-04
    outputs:
      - write: json-return
        path: {outdir}/ret.json
      - write: json-report
        path: {outdir}/report.json
"""
if store: s += f"      - write: store\n        period: {period}\n"
print(s)
