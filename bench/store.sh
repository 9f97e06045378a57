#!/usr/bin/env bash
# The store (资料库) at scale: the same 1M-row ledger normalised and validated, once without and
# once with `write: store`, so the difference is what saving costs; the store's size against the
# CSV's; then PERIODS periods saved into one store (default 5: 5M records) and `taizhang store
# history` timed on it. The floor (libcsv parsing the file) is in the same run.
#   bash bench/store.sh [ROWS]      (default 1000000; PERIODS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
PERIODS=${PERIODS:-5}
mkdir -p bench/data bench/out
DATA=bench/data/ledger-$ROWS.csv
[ -f "$DATA" ] || python3 bench/generate_ledger.py "$ROWS" "$DATA"
swift build -c release --product taizhang >/dev/null
cc -O2 bench/csv_floor.c -lcsv -o bench/out/csv_floor
STORE=bench/out/store-$ROWS.sqlite
rm -f "$STORE" "$STORE-wal" "$STORE-shm"
pipeline() {  # name period [store lines]
  cat > "bench/out/store-$1.yml" <<YML
name: bench store
fail_on: never
schema: member-ledger
store: store-$ROWS.sqlite
inputs:
  - read: csv
    path: ../data/ledger-$ROWS.csv
steps:
  - normalize: member-ledger
  - validate: fields
  - validate: id-number
  - validate: member-values
outputs:
  - write: json-report
    path: store-report-$1.json
$3
YML
}
: > bench/out/store-$ROWS.txt
measure() {  # name command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o bench/out/time.txt "$@" > bench/out/store-$name.log 2>&1 || { echo "$name failed:"; tail -5 bench/out/store-$name.log; return 1; }
  read -r secs kb < bench/out/time.txt
  echo "$name $secs $kb" >> bench/out/store-$ROWS.txt
}
pipeline without 2026Q1 ""
measure floor bench/out/csv_floor "$DATA"
measure without .build/release/taizhang run bench/out/store-without.yml --show 0
for p in $(seq 1 "$PERIODS"); do
  period="2026Q$(( (p - 1) % 4 + 1 ))"; [ "$p" -gt 4 ] && period="2027Q$(( (p - 5) % 4 + 1 ))"
  pipeline "p$p" "$period" "  - write: store
    period: $period"
  measure "with-store-$period" .build/release/taizhang run "bench/out/store-p$p.yml" --show 0
  [ "$p" = 1 ] && ls -l "$STORE" | awk '{ print "store-after-one-period-bytes", $5 }' >> bench/out/store-$ROWS.txt
done
ls -l "$DATA" | awk '{ print "csv-bytes", $5 }' >> bench/out/store-$ROWS.txt
ls -l "$STORE" | awk '{ print "store-bytes", $5 }' >> bench/out/store-$ROWS.txt
# history: an ID from the ledger (in every period), by ID and by name; each timed over 5 runs.
ID=$(sed -n 2p "$DATA" | cut -d, -f6)
NAME=$(sed -n 2p "$DATA" | cut -d, -f2)
for what in "$ID" "$NAME"; do
  best=999
  for _ in 1 2 3 4 5; do
    s=$(date +%s.%N); .build/release/taizhang store history "$what" --store "$STORE" > bench/out/store-history.log; e=$(date +%s.%N)
    t=$(echo "($e - $s) * 1000" | bc); best=$(echo "if ($t < $best) $t else $best" | bc)
  done
  echo "history-ms-$( [ "$what" = "$ID" ] && echo id || echo name ) $best" >> bench/out/store-$ROWS.txt
done
cat bench/out/store-$ROWS.txt
awk '/^without/ { w = $2 } /^with-store-2026Q1/ { s = $2 } /^csv-bytes/ { c = $2 } /^store-after-one-period-bytes/ { o = $2 }
     END { printf "saving one period adds %.1f s; the store after one period is %.2f× the CSV\n", s - w, o / c }' bench/out/store-$ROWS.txt
