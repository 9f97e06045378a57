#!/usr/bin/env bash
# Scenario (b): the full quarterly job a statistician runs on a messy ledger — normalise, validate,
# probable duplicates, count the return (each person once), write the form, its JSON and the clean
# ledger with its 修改记录 sheet — side by side, in one run, with
#   - the floor for the same work (bench/xlsx_floor.c): libcsv parsing the same file and
#     libxlsxwriter (constant-memory mode) writing exactly the cells the job wrote (ledger, change
#     log, return) — the least any tool built on these libraries can do to produce these outputs;
#   - pandas and polars scripts doing less (exact-ID dedupe, no normalising: bench/peers/*_return.py).
# The ledger is `generate_ledger.py --messy` (how messy is printed from the job's own counts).
#   bash bench/return.sh [ROWS]     (default 1000000; peers need `pip install pandas polars xlsxwriter`;
#                                    PEERS=0 skips them, DEDUPE=0 leaves out step: duplicates,
#                                    BASELINE=path/to/taizhang adds an earlier build to the table)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
mkdir -p bench/data bench/out
DATA=bench/data/ledger-messy-$ROWS.csv
[ -f "$DATA" ] || python3 bench/generate_ledger.py "$ROWS" "$DATA" --messy
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
    path: ../data/ledger-messy-$ROWS.csv
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
YML
measure() {  # name command... → "name seconds KB"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o bench/out/time.txt "$@" > bench/out/$name.log 2>&1 || { echo "$name failed:"; tail -5 bench/out/$name.log; return 1; }
  read -r secs kb < bench/out/time.txt
  echo "$name $secs $kb" >> bench/out/return-$ROWS.txt
}
: > bench/out/return-$ROWS.txt
# The job and its floor, RUNS times each (default 3), taken in turn: this machine's speed varies by a
# third within minutes, so the table shows each one's median, and the ratio is of the medians.
mkdir -p bench/out/floor
for run in $(seq "${RUNS:-3}"); do
  measure taizhang .build/release/taizhang run bench/out/return-$ROWS.yml --show 0
  # BASELINE=/path/to/an/earlier/taizhang measures an earlier build on the same data in the same run.
  if [ -n "${BASELINE:-}" ]; then measure baseline "$BASELINE" run bench/out/return-$ROWS.yml --show 0; fi
  # The floor writes the cells of the job's own outputs (read from them before its clock starts).
  bench/out/xlsx_floor "$DATA" bench/out/floor bench/out/ledger-$ROWS.xlsx bench/out/return-$ROWS.xlsx bench/out/return-$ROWS.json > bench/out/floor.log \
    || { echo "the floor failed:"; cat bench/out/floor.log; exit 1; }
  read -r _ secs cells < bench/out/floor.log
  echo "floor $secs 0" >> bench/out/return-$ROWS.txt
done
# How messy the ledger is, from the job's own counts.
awk -v rows="$ROWS" -v cells="$cells" '
  /^核对/ { for (i = 1; i <= NF; i++) if ($i == "隔离") quarantined = $(i + 1) }
  /^规范化修改/ { sub(/^规范化修改 /, ""); changed = $0 + 0; kinds = $0 }
  /^问题类型/ { issues = $0 }
  END {
    printf "ledger: %d rows x 14 columns; %d values normalised (%.2f a row, %.1f %% of values): %s\n", rows, changed, changed / rows, 100 * changed / (rows * 14), kinds
    printf "        %d rows quarantined (%.1f %%); %s\n", quarantined, 100 * quarantined / rows, issues
    printf "        the job wrote %d cells (ledger, 修改记录, return)\n", cells
  }' bench/out/taizhang.log
if [ "${PEERS:-1}" = 1 ] && python3 -c "import pandas, xlsxwriter" 2>/dev/null; then measure pandas python3 bench/peers/pandas_return.py "$DATA" bench/out; fi
if [ "${PEERS:-1}" = 1 ] && python3 -c "import polars, xlsxwriter" 2>/dev/null; then measure polars python3 bench/peers/polars_return.py "$DATA" bench/out; fi
awk -v rows="$ROWS" '
  !($1 in runs) { order[++names] = $1 }
  { runs[$1]++; t[$1, runs[$1]] = $2; if ($3 > kb[$1]) kb[$1] = $3 }
  END {
    for (i = 1; i <= names; i++) {      # the median of the runs of each
      n = order[i]; k = runs[n]
      for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (t[n, b] < t[n, a]) { x = t[n, a]; t[n, a] = t[n, b]; t[n, b] = x }
      m[n] = k % 2 ? t[n, (k + 1) / 2] : (t[n, k / 2] + t[n, k / 2 + 1]) / 2
      all[n] = ""; for (a = 1; a <= k; a++) all[n] = all[n] (a > 1 ? " " : "") t[n, a]
    }
    printf "scenario (b), %d rows\n%-9s %9s %10s %9s   %s\n", rows, "tool", "seconds", "peak MB", "vs floor", "(each run, s)"
    for (i = 1; i <= names; i++) { n = order[i]; printf "%-9s %9.2f %10s %8.2fx   %s\n", n, m[n], kb[n] ? sprintf("%.0f", kb[n] / 1024) : "—", m[n] / m["floor"], all[n] }
  }' bench/out/return-$ROWS.txt
