#!/usr/bin/env bash
# A province on one machine (docs/SCALE.md): the full quarterly job of bench/return.sh on the messy
# ledger at BASE rows and at BIG rows, one run after the other in the same hour, and how far the big
# run is from BIG/BASE times the base one (the issue's bound: linear within ±15 %), with each peak.
#   bash bench/scale.sh [BIG] [BASE]     (defaults 10000000 1000000; the 10M ledger is 1.6 GB, its
#                                          clean workbook 1.3 GB; generating it takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
BIG=${1:-10000000}
BASE=${2:-1000000}
mkdir -p bench/data bench/out
for n in "$BASE" "$BIG"; do
  [ -f bench/data/ledger-messy-$n.csv ] || python3 bench/generate_ledger.py "$n" bench/data/ledger-messy-$n.csv --messy
done
swift build -c release --product taizhang >/dev/null
# The job's pipeline as bench/return.sh writes it (its steps and outputs), for each size.
[ -f bench/out/return-$BASE.yml ] || PEERS=0 RUNS=1 bash bench/return.sh "$BASE" >/dev/null
for n in "$BASE" "$BIG"; do
  sed "s/-$BASE/-$n/g" bench/out/return-$BASE.yml > bench/out/scale-$n.yml
  /usr/bin/time -f "%e %M" -o bench/out/scale-time-$n.txt .build/release/taizhang run bench/out/scale-$n.yml --show 0 > bench/out/scale-$n.log 2>&1 || true
  grep -E "^核对" bench/out/scale-$n.log || { echo "the $n-row run failed:"; tail -5 bench/out/scale-$n.log; exit 1; }
done
read -r T1 K1 < bench/out/scale-time-$BASE.txt
read -r T2 K2 < bench/out/scale-time-$BIG.txt
awk -v t1="$T1" -v t2="$T2" -v k1="$K1" -v k2="$K2" -v a="$BASE" -v b="$BIG" 'BEGIN {
  printf "%d rows: %.1f s, peak %.0f MB\n%d rows: %.1f s, peak %.0f MB\n", a, t1, k1 / 1024, b, t2, k2 / 1024
  printf "time %.2f× %d/%d times the base run (linear within ±15 %%: %s); %.0f bytes a row at the peak\n", t2 / (t1 * b / a), b, a, (t2 / (t1 * b / a) <= 1.15 && t2 / (t1 * b / a) >= 0.85) ? "yes" : "no", k2 * 1024 / b }'
