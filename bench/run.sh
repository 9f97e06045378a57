#!/usr/bin/env bash
# Benchmark: CSV → JSON (and the fields validator) on a generated ledger, release build,
# against the floor of libcsv parsing the same file.  usage: bench/run.sh [ROWS]  (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
mkdir -p bench/data bench/out
DATA=bench/data/ledger-$ROWS.csv
[ -f "$DATA" ] || python3 bench/generate_ledger.py "$ROWS" "$DATA"
swift build -c release --product taizhang >/dev/null
cc -O2 bench/csv_floor.c -lcsv -o bench/out/csv_floor
SIZE=$(stat -c %s "$DATA")
echo "file: $DATA, $ROWS rows, $((SIZE / 1000000)) MB"
bench/out/csv_floor "$DATA"

cat > bench/out/csv-to-json.yml <<YML
name: bench csv → json
fail_on: never          # the bench ledgers hold deliberate errors: the exit status is not the measure
inputs:
  - read: csv
    path: ../data/ledger-$ROWS.csv
    encoding: utf-8
outputs:
  - write: json
    path: members.json
YML
cat > bench/out/csv-validate.yml <<YML
name: bench validate
fail_on: never          # the bench ledgers hold deliberate errors: the exit status is not the measure
schema: ../../pipelines/schemas/basic-ledger.yml
inputs:
  - read: csv
    path: ../data/ledger-$ROWS.csv
steps:
  - validate: fields
outputs:
  - write: json
    path: members.json
  - write: json-report
    path: report.json
YML
for p in csv-to-json csv-validate; do
  /usr/bin/time -f "%e s elapsed, %M KB peak RSS" .build/release/taizhang run bench/out/$p.yml --show 0 > bench/out/$p.log 2> bench/out/$p.time
  secs=$(grep -o '^[0-9.]* s elapsed' bench/out/$p.time | cut -d' ' -f1)
  echo "$p: $(cat bench/out/$p.time) → $(python3 -c "print(round($SIZE/1e6/$secs))") MB/s, $(python3 -c "print(round($ROWS/$secs))") rows/s"
done
