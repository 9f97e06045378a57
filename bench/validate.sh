#!/usr/bin/env bash
# Scenario (a), validate only: CSV → JSON report with the generic `fields` validator and the
# basic-ledger schema (pipelines/schemas/basic-ledger.yml), against `frictionless validate` with the
# equivalent Table Schema (bench/peers/ledger.tableschema.json: required name, code list, ID pattern
# and uniqueness, phone pattern, date and integer types), and the libcsv floor.
#   bash bench/validate.sh [ROWS]     (default 100000; frictionless needs `pip install frictionless`)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
mkdir -p bench/data bench/out
DATA=bench/data/ledger-$ROWS.csv
[ -f "$DATA" ] || python3 bench/generate_ledger.py "$ROWS" "$DATA"
swift build -c release --product taizhang >/dev/null
cc -O2 bench/csv_floor.c -lcsv -o bench/out/csv_floor
SIZE=$(stat -c %s "$DATA")
cat > bench/out/validate-$ROWS.yml <<YML
name: bench validate
fail_on: never          # the bench ledgers hold deliberate errors: the exit status is not the measure
schema: ../../pipelines/schemas/basic-ledger.yml
inputs:
  - read: csv
    path: ../data/ledger-$ROWS.csv
steps:
  - validate: fields
outputs:
  - write: json-report
    path: validate-$ROWS.json
YML
bench/out/csv_floor "$DATA"
/usr/bin/time -f "%e %M" -o bench/out/time.txt .build/release/taizhang run bench/out/validate-$ROWS.yml --show 0 > bench/out/validate.log || true
read -r T KB < <(tail -1 bench/out/time.txt)
echo "taizhang: $T s, $((KB / 1024)) MB peak, $(python3 -c "print(round($SIZE/1e6/$T))") MB/s"
if command -v frictionless >/dev/null; then
  /usr/bin/time -f "%e %M" -o bench/out/time.txt frictionless validate --schema bench/peers/ledger.tableschema.json --limit-errors 100000000 --json "$DATA" > bench/out/frictionless.json || true
  read -r F FKB < <(tail -1 bench/out/time.txt)
  echo "frictionless: $F s, $((FKB / 1024)) MB peak → taizhang is $(python3 -c "print(round($F/$T, 1))")x faster"
fi
