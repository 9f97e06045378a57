#!/usr/bin/env bash
# Scenario (b): the full quarterly return from a CSV ledger — normalise, validate, deduplicate,
# count the return (each ID once), write the form and the clean-ledger XLSX — side by side with
#   - the floor: libcsv parsing the file + libxlsxwriter writing every cell, constant memory;
#   - pandas and polars scripts doing the same job (bench/peers/*_return.py).
#   bash bench/return.sh [ROWS]     (default 1000000; peers need `pip install pandas polars xlsxwriter`;
#                                    PEERS=0 skips them, DEDUPE=0 leaves out step: duplicates,
#                                    BASELINE=path/to/taizhang adds an earlier build to the table)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
mkdir -p bench/data bench/out
DATA=bench/data/ledger-$ROWS.csv
[ -f "$DATA" ] || python3 bench/generate_ledger.py "$ROWS" "$DATA"
swift build -c release --product taizhang >/dev/null
cc -O2 bench/xlsx_floor.c -lcsv -lxlsxwriter -o bench/out/xlsx_floor
# DEDUPE=0 leaves out step: duplicates (exact-ID dedupe in the return only: the job the peers do).
DEDUPE_STEP="  - step: duplicates"
[ "${DEDUPE:-1}" = 1 ] || DEDUPE_STEP=""
cat > bench/out/return-$ROWS.yml <<YML
name: bench return
fail_on: never          # the bench ledgers hold deliberate errors: the exit status is not the measure
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
$DEDUPE_STEP
  - step: member-return
    period: 2026Q3
outputs:
  - write: xlsx-return
    path: return-$ROWS.xlsx
  - write: json-return
    path: return-$ROWS.json
  - write: xlsx-ledger
    path: ledger-$ROWS.xlsx
    changes: false
YML
measure() {  # name command... → "name seconds KB"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o bench/out/time.txt "$@" > bench/out/$name.log 2>&1 || { echo "$name failed:"; tail -5 bench/out/$name.log; return 1; }
  read -r secs kb < bench/out/time.txt
  echo "$name $secs $kb" >> bench/out/return-$ROWS.txt
}
: > bench/out/return-$ROWS.txt
measure floor bench/out/xlsx_floor "$DATA" bench/out/floor-$ROWS.xlsx
measure taizhang .build/release/taizhang run bench/out/return-$ROWS.yml --show 0
# BASELINE=/path/to/an/earlier/taizhang measures an earlier build on the same data in the same run.
if [ -n "${BASELINE:-}" ]; then measure baseline "$BASELINE" run bench/out/return-$ROWS.yml --show 0; fi
grep -E "核对" bench/out/taizhang.log
if [ "${PEERS:-1}" = 1 ] && python3 -c "import pandas, xlsxwriter" 2>/dev/null; then measure pandas python3 bench/peers/pandas_return.py "$DATA" bench/out; fi
if [ "${PEERS:-1}" = 1 ] && python3 -c "import polars, xlsxwriter" 2>/dev/null; then measure polars python3 bench/peers/polars_return.py "$DATA" bench/out; fi
awk -v rows="$ROWS" '
  { name[NR] = $1; s[$1] = $2; kb[$1] = $3 }
  END {
    printf "scenario (b), %d rows\n%-9s %9s %10s %12s\n", rows, "tool", "seconds", "peak MB", "vs taizhang"
    for (i = 1; i <= NR; i++) { n = name[i]; printf "%-9s %9.2f %10.0f %11.2fx\n", n, s[n], kb[n] / 1024, s[n] / s["taizhang"] }
  }' bench/out/return-$ROWS.txt
