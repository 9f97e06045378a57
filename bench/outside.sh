#!/usr/bin/env bash
# An outside check of the quarterly return, on a ledger no one here designed: bench/outside/generate.py
# was written by a helper from the issue's words alone — names as skewed as real ones (王芳, 李芳 about
# one in a hundred women), about 10 % of rows repeats with one to three variations (ID number dropped or
# reformatted, phone changed, 繁体, a space in the name, birth month only, moved), homonym pairs (the
# same name, birth date, sex and community; one pair per HOMDIV persons) and about 3 % injected errors;
# the truth is in rows.csv and persons.json. The shipped quarterly return's steps (`step: duplicates`
# with policy flag, then `member-return`) run on it, and the same without `step: duplicates` (what
# matching adds in time and memory); every cell of the return is compared with the truth
# (bench/outside/compare.py) and the false merges and splits are classified (bench/outside/classify.py).
#   bash bench/outside.sh [PERSONS] [SEED] [HOMDIV]     (default 200000 4242 100; 1000000 777 100 is
#                                                        the common-name check in docs/PERFORMANCE.md)
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS=${1:-200000} SEED=${2:-4242} HOMDIV=${3:-100}
DIR=bench/out/outside-$PERSONS-$SEED-$HOMDIV
swift build -c release --product taizhang >/dev/null
[ -f "$DIR/ledger.csv" ] || HOMDIV=$HOMDIV python3 bench/outside/generate.py "$PERSONS" "$SEED" "$DIR"
mkdir -p "$DIR/out" "$DIR/out-without"
for with in yes no; do
  {
    echo "name: outside check"
    echo "schema: member-ledger"
    echo "fail_on: never          # the ledger holds deliberate errors: the exit status is not the measure"
    echo "inputs:"
    echo "  - read: csv"
    echo "    path: ledger.csv"
    echo "steps:"
    echo "  - normalize: member-ledger"
    echo "  - validate: fields"
    echo "  - validate: id-number"
    echo "  - validate: member-category"
    echo "  - validate: member-values"
    if [ $with = yes ]; then echo "  - step: duplicates"; echo "    policy: flag"; fi
    echo "  - step: member-return"
    echo "    period: 2026Q3"
    echo "    unit: 测试"
    echo "outputs:"
    echo "  - write: json-return"
    echo "    path: $([ $with = yes ] && echo out || echo out-without)/return.json"
    echo "  - write: json-report"
    echo "    path: $([ $with = yes ] && echo out || echo out-without)/report.json"
  } > "$DIR/pipe-$with.yml"
done
/usr/bin/time -f "%e %M" -o "$DIR/time-without.txt" .build/release/taizhang run "$DIR/pipe-no.yml" -q > /dev/null || true
/usr/bin/time -f "%e %M" -o "$DIR/time-with.txt" .build/release/taizhang run "$DIR/pipe-yes.yml" -q > /dev/null || true
read -r T0 K0 < <(tail -1 "$DIR/time-without.txt")
read -r T1 K1 < <(tail -1 "$DIR/time-with.txt")
echo "rows: $(($(wc -l < "$DIR/ledger.csv") - 1)); without step: duplicates $T0 s, $((K0 / 1024)) MB; with it $T1 s, $((K1 / 1024)) MB (matching adds $(python3 -c "print(round($T1 - $T0, 1))") s)"
python3 bench/outside/compare.py "$DIR" > "$DIR/compare.txt"
grep -E "^main table|MAIN 合计 total" "$DIR/compare.txt"
python3 bench/outside/classify.py "$DIR" | grep -E "^(false merges|splits|clean rows)"
