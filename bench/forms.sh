#!/usr/bin/env bash
# Forms at scale: the same ledger counted into one form and into three (the quarterly return, the
# shares form, and a form with other age bands, bench/forms/age-bands.yml), every run reading,
# normalising and validating the whole ledger; the target is three forms ≤ 1.1 × one form. The
# floor (libcsv parsing the file, nothing else) is in the same run. Runs alternate, RUNS each
# (default 3); the table shows the median.
#   bash bench/forms.sh [ROWS]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RUNS=${RUNS:-3}
mkdir -p bench/data bench/out
DATA=bench/data/ledger-$ROWS.csv
[ -f "$DATA" ] || python3 bench/generate_ledger.py "$ROWS" "$DATA"
swift build -c release --product taizhang >/dev/null
cc -O2 bench/csv_floor.c -lcsv -o bench/out/csv_floor
pipeline() {  # name forms → bench/out/forms-NAME-ROWS.yml
  cat > "bench/out/forms-$1-$ROWS.yml" <<YML
name: bench forms
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
  - step: member-return
    period: 2026Q3
    forms: $2
outputs:
  - write: xlsx-return
    path: forms-$1-$ROWS.xlsx
YML
}
pipeline one "[统战工作对象情况统计表]"
pipeline three "[统战工作对象情况统计表, 统战成员结构占比表, ../forms/age-bands.yml]"
: > bench/out/forms-$ROWS.txt
measure() {  # name command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o bench/out/time.txt "$@" > bench/out/forms-$name.log 2>&1 || { echo "$name failed:"; tail -5 bench/out/forms-$name.log; return 1; }
  read -r secs kb < bench/out/time.txt
  echo "$name $secs $kb" >> bench/out/forms-$ROWS.txt
}
for _ in $(seq "$RUNS"); do
  measure floor bench/out/csv_floor "$DATA"
  measure one .build/release/taizhang run bench/out/forms-one-$ROWS.yml --show 0
  measure three .build/release/taizhang run bench/out/forms-three-$ROWS.yml --show 0
done
grep -E "核对" bench/out/forms-three.log
awk -v rows="$ROWS" '
  { t[$1] = t[$1] " " $2; m[$1] = ($3 > m[$1] ? $3 : m[$1]) }
  function median(s,   a, n, i, j, x) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }; return a[int((n + 1) / 2)] }
  END {
    printf "%-8s %10s %10s %10s\n", "run", "seconds", "rows/s", "peak MB"
    for (k in t) { s = median(t[k]); sec[k] = s; printf "%-8s %10.2f %10.0f %10.0f\n", k, s, rows / s, m[k] / 1024 }
    printf "three forms / one form: %.3f×\n", sec["three"] / sec["one"]
  }' bench/out/forms-$ROWS.txt
