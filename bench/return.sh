#!/usr/bin/env bash
# Scenario (b): the full quarterly return from a CSV ledger — normalise, validate, count the
# return, write the form and the clean-ledger XLSX — against the pandas script doing the same job.
#   bash bench/return.sh [ROWS]     (default 1000000; needs `pip install pandas xlsxwriter` for the peer)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
mkdir -p bench/data bench/out
DATA=bench/data/ledger-$ROWS.csv
[ -f "$DATA" ] || python3 bench/generate_ledger.py "$ROWS" "$DATA"
swift build -c release --product taizhang >/dev/null
cat > bench/out/return.yml <<YML
name: bench return
schema: member-ledger
inputs:
  - read: csv
    path: ../data/ledger-$ROWS.csv
steps:
  - normalize: member-ledger
  - validate: fields
  - validate: id-number
  - validate: member-category
  - validate: member-values
  - step: member-return
    period: 2026Q3
outputs:
  - write: xlsx-return
    path: return.xlsx
  - write: json-return
    path: return.json
  - write: xlsx-ledger
    path: ledger.xlsx
    changes: false
YML
/usr/bin/time -f "taizhang: %e s elapsed, %M KB peak RSS" .build/release/taizhang run bench/out/return.yml --show 0 > bench/out/return.log 2> bench/out/return.time
grep -E "核对|用时" bench/out/return.log; cat bench/out/return.time
if python3 -c "import pandas" 2>/dev/null; then
  /usr/bin/time -f "pandas: %e s elapsed, %M KB peak RSS" python3 bench/peers/pandas_return.py "$DATA" bench/out 2>&1 | tail -2
fi
