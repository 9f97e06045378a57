#!/usr/bin/env bash
# Scenario (a), validate only: CSV → JSON report with the generic `fields` validator and the
# basic-ledger schema (pipelines/schemas/basic-ledger.yml); `taizhang validate FILE`, the officer's
# one command (the member-ledger profile's every normaliser and validator); against
# `frictionless validate` with the
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
# taizhang and the floor RUNS times each (default 3), in turn; the medians are compared (this
# machine's speed varies by a third within minutes).
: > bench/out/validate-$ROWS.txt
for run in $(seq "${RUNS:-3}"); do
  bench/out/csv_floor "$DATA" | awk '{ print "floor", $(NF - 4) }' | sed 's/ s$//' >> bench/out/validate-$ROWS.txt
  /usr/bin/time -f "%e %M" -o bench/out/time.txt .build/release/taizhang run bench/out/validate-$ROWS.yml --show 0 > bench/out/validate.log || true
  read -r T KB < <(tail -1 bench/out/time.txt)
  echo "taizhang $T $KB" >> bench/out/validate-$ROWS.txt
  # The officer's one command: `taizhang validate` with the member-ledger profile (every normaliser
  # and validator of the profile, the JSON report).
  /usr/bin/time -f "%e %M" -o bench/out/time.txt .build/release/taizhang validate "$DATA" --show 0 --report bench/out/validate-cli-$ROWS.json > bench/out/validate-cli.log || true
  read -r T KB < <(tail -1 bench/out/time.txt)
  echo "validate-cli $T $KB" >> bench/out/validate-$ROWS.txt
done
awk -v size="$SIZE" '
  { runs[$1]++; t[$1, runs[$1]] = $2; if ($3 > kb[$1]) kb[$1] = $3 }
  END {
    for (n in runs) {
      k = runs[n]
      for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (t[n, b] < t[n, a]) { x = t[n, a]; t[n, a] = t[n, b]; t[n, b] = x }
      m[n] = k % 2 ? t[n, (k + 1) / 2] : (t[n, k / 2] + t[n, k / 2 + 1]) / 2
    }
    printf "libcsv alone: %.2f s = %.0f MB/s (median of %d)\n", m["floor"], size / 1e6 / m["floor"], runs["floor"]
    printf "taizhang (validate: fields): %.2f s, %.0f MB peak, %.0f MB/s = %.0f %% of libcsv (median of %d)\n", m["taizhang"], kb["taizhang"] / 1024, size / 1e6 / m["taizhang"], 100 * m["floor"] / m["taizhang"], runs["taizhang"]
    printf "taizhang validate (the member-ledger profile): %.2f s, %.0f MB peak, %.0f MB/s = %.0f %% of libcsv (median of %d)\n", m["validate-cli"], kb["validate-cli"] / 1024, size / 1e6 / m["validate-cli"], 100 * m["floor"] / m["validate-cli"], runs["validate-cli"]
  }' bench/out/validate-$ROWS.txt
T=$(awk '$1 == "taizhang" { t[++k] = $2 } END { for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (t[b] < t[a]) { x = t[a]; t[a] = t[b]; t[b] = x }; print k % 2 ? t[(k + 1) / 2] : (t[k / 2] + t[k / 2 + 1]) / 2 }' bench/out/validate-$ROWS.txt)   # the median
if command -v frictionless >/dev/null; then
  /usr/bin/time -f "%e %M" -o bench/out/time.txt frictionless validate --schema bench/peers/ledger.tableschema.json --limit-errors 100000000 --json "$DATA" > bench/out/frictionless.json || true
  read -r F FKB < <(tail -1 bench/out/time.txt)
  echo "frictionless: $F s, $((FKB / 1024)) MB peak → taizhang is $(python3 -c "print(round($F/$T, 1))")x faster"
fi
