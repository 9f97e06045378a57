import sys
period, log, outdir, store = sys.argv[1], sys.argv[2], sys.argv[3], (sys.argv[4] if len(sys.argv) > 4 else '')
today = sys.argv[5] if len(sys.argv) > 5 else '2026-12-04'
s = f"""name: {period} 联系走访情况
schema: member-ledger
fail_on: never
personal_data: full
{('store: ' + store) if store else ''}
table: 台账
inputs:
  - read: csv
    path: data/ledger.csv
steps:
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
tables:
  走访:
    schema: visit-log
    severity:
      id-missing: ignore
    inputs:
      - read: csv
        path: data/{log}
    steps:
      - normalize: member-ledger
      - validate: fields
      - validate: id-number
      - step: visits
        members: 台账
        period: {period}
        per_year: 1
        open_days: 30
        today: {today}
    outputs:
      - write: json-return
        path: {outdir}/ret.json
      - write: json-report
        path: {outdir}/report.json
      - write: xlsx-return
        path: {outdir}/ret.xlsx
"""
if store:
    s += f"""      - write: store
        period: {period}
"""
print(s)
