#!/usr/bin/env bash
# Scenario (c): the quarterly return from an .xlsx ledger (the same generated rows as the CSV
# scenarios, written to .xlsx by taizhang's own xlsx-ledger writer), to set the streamed .xlsx
# reader (ZIPFoundation inflate + libexpat) against the CSV path of bench/return.sh.
#   bash bench/xlsx.sh [ROWS]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
mkdir -p bench/data bench/out
CSV=bench/data/ledger-$ROWS.csv
XLSX=bench/data/ledger-$ROWS.xlsx
[ -f "$CSV" ] || python3 bench/generate_ledger.py "$ROWS" "$CSV"
swift build -c release --product taizhang >/dev/null
if [ ! -f "$XLSX" ]; then
  cat > bench/out/to-xlsx-$ROWS.yml <<YML
name: csv to xlsx
fail_on: never
inputs:
  - read: csv
    path: ../data/ledger-$ROWS.csv
outputs:
  - write: xlsx-ledger
    path: ../data/ledger-$ROWS.xlsx
    rows: all
    changes: false
YML
  .build/release/taizhang run bench/out/to-xlsx-$ROWS.yml --show 0 >/dev/null
fi
echo "input: $XLSX, $(($(stat -c %s "$XLSX") / 1000000)) MB"
cat > bench/out/xlsx-return-$ROWS.yml <<YML
name: bench xlsx return
fail_on: never          # the bench ledgers hold deliberate errors: the exit status is not the measure
schema: member-ledger
inputs:
  - read: xlsx
    path: ../data/ledger-$ROWS.xlsx
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
    path: xlsx-return-$ROWS.xlsx
  - write: json-return
    path: xlsx-return-$ROWS.json
  - write: xlsx-ledger
    path: xlsx-ledger-$ROWS.xlsx
    changes: false
YML
/usr/bin/time -f "%e %M" -o bench/out/time.txt .build/release/taizhang run bench/out/xlsx-return-$ROWS.yml --show 0 > bench/out/xlsx-return.log
read -r T KB < <(tail -1 bench/out/time.txt)
grep -E "核对" bench/out/xlsx-return.log
echo "taizhang .xlsx → return: $T s, $((KB / 1024)) MB peak"
