#!/usr/bin/env bash
# Scenario (d), deduplication: a synthetic Chinese ledger with known duplicates and look-alikes
# (bench/dedupe/make_chinese_ledger.py), `step: duplicates` scored against the truth column
# (bench/dedupe/evaluate.py), the return after it against the true head counts
# (bench/dedupe/return_truth.py), Splink side by side (bench/dedupe/splink_dedupe.py; skipped above
# 200k rows or when `pip install splink` is missing), then time and peak memory.
#   bash bench/dedupe.sh [PEOPLE]      (default 10000; 850000 people make about 1M rows)
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-10000}
OUT=bench/out/dedupe-$PEOPLE
mkdir -p "$OUT"
[ -f "$OUT/ledger.csv" ] || python3 bench/dedupe/make_chinese_ledger.py "$PEOPLE" "$OUT/ledger.csv"
swift build -c release --product taizhang >/dev/null
# run NAME STEPS OUTPUTS: the bench ledger through normalise, STEPS, OUTPUTS, timed into $OUT/NAME-time.txt.
run() {
  cat > "$OUT/$1.yml" <<YML
name: bench $1
fail_on: never          # the bench ledgers hold deliberate errors: the exit status is not the measure
schema: member-ledger
inputs:
  - read: csv
    path: ledger.csv
steps:
  - normalize: member-ledger
$2
outputs:
$3
YML
  /usr/bin/time -f "$1: %e s elapsed, %M KB peak RSS" .build/release/taizhang run "$OUT/$1.yml" --show 0 > "$OUT/$1.log" 2> "$OUT/$1-time.txt"
  cat "$OUT/$1-time.txt"
}
echo "rows: $(($(wc -l < "$OUT/ledger.csv") - 1))"
run dedupe "  - step: duplicates
    policy: flag" "  - write: json-report
    path: report.json
    min_severity: warning"
python3 bench/dedupe/evaluate.py "$OUT/ledger.csv" "$OUT/report.json"
# The return after duplicates (keep-first), against the people there are (bench/dedupe/return_truth.py).
run return "  - step: duplicates
  - step: member-return
    period: 2026Q3
    by_community: false" "  - write: json-return
    path: return.json"
python3 bench/dedupe/return_truth.py "$OUT/ledger.csv" "$OUT/return.json"
ROWS=$(($(wc -l < "$OUT/ledger.csv") - 1))
if [ "$ROWS" -le 200000 ] && python3 -c "import splink" 2>/dev/null; then
  /usr/bin/time -f "splink: %e s elapsed, %M KB peak RSS" python3 bench/dedupe/splink_dedupe.py "$OUT/ledger.csv" 2>&1 | grep -E "^splink"
fi
