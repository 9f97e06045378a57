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
cat > "$OUT/dedupe.yml" <<YML
name: bench dedupe
fail_on: never          # the bench ledgers hold deliberate errors: the exit status is not the measure
schema: member-ledger
inputs:
  - read: csv
    path: ledger.csv
steps:
  - normalize: member-ledger
  - step: duplicates
    policy: flag
outputs:
  - write: json-report
    path: report.json
    min_severity: warning
YML
/usr/bin/time -f "taizhang: %e s elapsed, %M KB peak RSS" .build/release/taizhang run "$OUT/dedupe.yml" --show 0 > "$OUT/run.log" 2> "$OUT/time.txt"
echo "rows: $(($(wc -l < "$OUT/ledger.csv") - 1))"; cat "$OUT/time.txt"
python3 bench/dedupe/evaluate.py "$OUT/ledger.csv" "$OUT/report.json"
# The return after duplicates (keep-first), against the people there are (bench/dedupe/return_truth.py).
cat > "$OUT/return.yml" <<YML
name: bench dedupe return
fail_on: never
schema: member-ledger
inputs:
  - read: csv
    path: ledger.csv
steps:
  - normalize: member-ledger
  - step: duplicates
  - step: member-return
    period: 2026Q3
    by_community: false
outputs:
  - write: json-return
    path: return.json
YML
/usr/bin/time -f "return: %e s elapsed, %M KB peak RSS" .build/release/taizhang run "$OUT/return.yml" --show 0 > "$OUT/return.log" 2> "$OUT/return-time.txt"
cat "$OUT/return-time.txt"
python3 bench/dedupe/return_truth.py "$OUT/ledger.csv" "$OUT/return.json"
ROWS=$(($(wc -l < "$OUT/ledger.csv") - 1))
if [ "$ROWS" -le 200000 ] && python3 -c "import splink" 2>/dev/null; then
  /usr/bin/time -f "splink: %e s elapsed, %M KB peak RSS" python3 bench/dedupe/splink_dedupe.py "$OUT/ledger.csv" 2>&1 | grep -E "^splink"
fi
