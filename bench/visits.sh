#!/usr/bin/env bash
# The ledger's work at scale: a 1M-person ledger (with 人员状态, 联系人, 困难情况) counted alone, then
# the same ledger with VISITS visits (default 3M) as a second table — linked, checked and counted by
# `step: visits`. The issue's bound: the two tables in ≤ 2× the ledger alone. Floor: libcsv parsing
# both files, in the same run. Then the same as pipelines/visits-return.yml ships them.
#   bash bench/visits.sh [ROWS] [VISITS]      (defaults 1000000 3000000)
#   RUNS=3 bash bench/visits.sh               (RUNS rounds, the jobs in turn in each; the medians, and
#                                              the median of the rounds' ratios: this machine drifts
#                                              by a third within minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
VISITS=${2:-3000000}
mkdir -p bench/data bench/out
LEDGER=bench/data/ledger-$ROWS.csv
[ -f "$LEDGER" ] || python3 bench/generate_ledger.py "$ROWS" "$LEDGER"
MEMBERS=bench/data/members-work-$ROWS.csv
LOG=bench/data/visits-$ROWS-$VISITS.csv
[ -f "$LOG" ] || python3 bench/generate_visits.py "$LEDGER" "$MEMBERS" "$LOG" "$VISITS"
swift build -c release --product taizhang >/dev/null
cc -O2 bench/csv_floor.c -lcsv -o bench/out/csv_floor
members_table() {
  cat <<YML
name: bench visits
fail_on: never
schema: member-ledger
table: 台账
inputs:
  - read: csv
    path: ../data/members-work-$ROWS.csv
steps:
  - normalize: member-ledger
  - validate: fields
  - validate: id-number
  - step: member-return
    period: 2026Q3
outputs:
  - write: json-return
    path: visits-members.json
YML
}
members_table > bench/out/visits-members.yml
{ members_table; cat <<YML
tables:
  走访:
    schema: visit-log
    inputs:
      - read: csv
        path: ../data/visits-$ROWS-$VISITS.csv
    steps:
      - normalize: member-ledger
      - validate: fields
      - step: visits
        members: 台账
        period: 2026Q3
        today: 2026-10-01
    outputs:
      - write: json-return
        path: visits-return.json
YML
} > bench/out/visits-both.yml
: > bench/out/visits-$ROWS.txt
RUNS=${RUNS:-1}
measure() {  # name command... — RUNS times; the median time and its run's peak
  local name=$1; shift
  rm -f bench/out/visits-runs-$name.txt
  for run in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o bench/out/time.txt "$@" > bench/out/visits-$name.log 2>&1 || { echo "$name failed:"; tail -5 bench/out/visits-$name.log; return 1; }
    read -r secs kb < bench/out/time.txt
    echo "$secs $kb" >> bench/out/visits-runs-$name.txt
  done
  read -r secs kb < <(sort -n bench/out/visits-runs-$name.txt | sed -n "$(( (RUNS + 1) / 2 ))p")
  rm -f bench/out/visits-runs-$name.txt
  echo "$name $secs s, peak $((kb / 1024)) MB" | tee -a bench/out/visits-$ROWS.txt
}
# The same two tables as shipped (pipelines/visits-return.yml: the ledger with ID numbers checked,
# duplicates flagged, the return in a workbook; the log with ID numbers checked, the visits return
# in a workbook and JSON, and the issue workbook), the ledger table alone against both.
python3 - "$ROWS" "$VISITS" <<'PY'
import sys
rows, visits = sys.argv[1], sys.argv[2]
s = open("pipelines/visits-return.yml", encoding="utf-8").read()
s = (s.replace("samples/走访/书院路社区台账.csv", f"../data/members-work-{rows}.csv")
      .replace("samples/走访/走访记录2026.csv", f"../data/visits-{rows}-{visits}.csv")
      .replace("out/${period}-走访/", "visits-shipped-").replace("fail_on: error", "fail_on: never")
      .replace("        open_days: 30", "        today: 2026-10-01\n        open_days: 30"))
open("bench/out/visits-shipped-both.yml", "w", encoding="utf-8").write(s)
open("bench/out/visits-shipped-ledger.yml", "w", encoding="utf-8").write(s.split("\ntables:")[0] + "\n")
open("bench/out/visits-shipped-no-issue-workbook.yml", "w", encoding="utf-8").write(s.split("      - write: issue-workbook")[0])
PY
measure floor-members bench/out/csv_floor "$MEMBERS"
measure floor-visits bench/out/csv_floor "$LOG"
# The jobs compared run in turn, RUNS rounds (this machine's speed drifts by a third within
# minutes, and jobs run one after the other met different minutes): each job's median, and the
# median of the rounds' ratios.
once() {  # name command... — one run, appended to bench/out/visits-rounds.txt
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o bench/out/time.txt "$@" > bench/out/visits-$name.log 2>&1 || { echo "$name failed:"; tail -5 bench/out/visits-$name.log; return 1; }
  read -r secs kb < bench/out/time.txt
  echo "$run $name $secs $kb" >> bench/out/visits-rounds.txt
}
TZ_BIN=.build/release/taizhang
: > bench/out/visits-rounds.txt
for run in $(seq "$RUNS"); do
  once ledger-alone $TZ_BIN run bench/out/visits-members.yml --show 0
  once ledger-and-visits $TZ_BIN run bench/out/visits-both.yml --show 0
  once shipped-ledger-alone $TZ_BIN run bench/out/visits-shipped-ledger.yml --show 0
  once shipped-ledger-and-visits $TZ_BIN run bench/out/visits-shipped-both.yml --show 0
  # What the visit log's issue workbook costs: the same run without it.
  once shipped-without-issue-workbook $TZ_BIN run bench/out/visits-shipped-no-issue-workbook.yml --show 0
done
awk -v visits="$VISITS" '
  function median(a, n,   i, j, x) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
                                      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { t[$2, $1] = $3; if ($4 > kb[$2]) kb[$2] = $4; if ($1 > n) n = $1 }
  END {
    split("ledger-alone ledger-and-visits shipped-ledger-alone shipped-ledger-and-visits shipped-without-issue-workbook", names, " ")
    for (k = 1; k <= 5; k++) { for (r = 1; r <= n; r++) v[r] = t[names[k], r]; m[names[k]] = median(v, n)
                               printf "%s %.2f s, peak %d MB (median of %d)\n", names[k], m[names[k]], kb[names[k]] / 1024, n }
    for (r = 1; r <= n; r++) { a[r] = t["ledger-and-visits", r] / t["ledger-alone", r]; b[r] = t["shipped-ledger-and-visits", r] / t["shipped-ledger-alone", r]
                               printf "round %d: %.2f× (%.2f / %.2f s), as shipped %.2f×\n", r, a[r], t["ledger-and-visits", r], t["ledger-alone", r], b[r] }
    printf "ledger + %s visits: %.2f× the ledger alone (median of the rounds); as shipped (pipelines/visits-return.yml): %.2f×; the issue workbook: %+.1f s\n",
           visits, median(a, n), median(b, n), m["shipped-ledger-and-visits"] - m["shipped-without-issue-workbook"]
  }' bench/out/visits-rounds.txt | tee -a bench/out/visits-$ROWS.txt
