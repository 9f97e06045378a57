import sys
# usage: mkpipe.py DATA PERIOD OUTDIR LEDGER[,LEDGER..] VISITFILE[,VISITFILE..] [STORE]
# The pipeline of the ledger's work as the outside checks run it: the ledgers (in the order given) as
# table 台账, the visit logs as table 走访, every output the truth scripts compare.
data, period, outdir, ledgers, vfiles = sys.argv[1:6]
store = sys.argv[6] if len(sys.argv) > 6 else ''
def read(f, indent): return f"{indent}- read: {'csv' if f.endswith('csv') else 'xlsx'}\n{indent}  path: {data}/{f}\n"
s = f"""name: {period} 联系走访情况
schema: member-ledger
fail_on: never
personal_data: full
{('store: ' + store) if store else ''}
table: 台账
inputs:
{''.join(read(f, '  ') for f in ledgers.split(','))}steps:
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
{''.join(read(f, '      ') for f in vfiles.split(','))}    steps:
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
      - write: xlsx-return
        path: {outdir}/ret.xlsx
"""
if store: s += f"      - write: store\n        period: {period}\n"
print(s)
