#!/usr/bin/env bash
# Fuzz the readers and the pipeline loader with libFuzzer (swiftc -sanitize=fuzzer,address).
#   bash fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]      default: 120 s each, all targets
# Seeds come from ../shared/corpora (when present), pipelines/ and Tests/Fixtures/spreadsheets (with a
# string-amplification workbook). A crashing input is saved under
# fuzz/regressions/TARGET/; the test suite replays every file there (Tests/TaizhangReadersTests).
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-120}
shift || true
TARGETS=${*:-csv json xls xlsx pipeline writers}
swift build --product taizhang-fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 | grep -E "error:" && exit 1
BIN=.build-fuzz/debug/taizhang-fuzz
CORPORA=../shared/corpora
for t in $TARGETS; do
  work=.build-fuzz/corpus-$t
  mkdir -p "$work" "fuzz/regressions/$t"
  case $t in
    csv) cp -n $CORPORA/csv/csv-spectrum/csvs/*.csv pipelines/samples/*.csv "$work"/ 2>/dev/null ;;
    json) cp -n $CORPORA/json/JSONTestSuite/*.json "$work"/ 2>/dev/null ;;
    xls) find $CORPORA/spreadsheets -name '*.xls' -size -200k -exec cp -n {} "$work"/ \; ; cp -n pipelines/samples/*.xls Tests/Fixtures/spreadsheets/*.xls "$work"/ ;;
    xlsx) find $CORPORA/spreadsheets -name '*.xlsx' -size -200k -exec cp -n {} "$work"/ \; ; cp -n pipelines/samples/*.xlsx Tests/Fixtures/spreadsheets/*.xlsx "$work"/ ;;
    pipeline) cp -n pipelines/*.yml "$work"/ ;;
    writers) cp -n pipelines/samples/*.csv "$work"/ ;;
  esac
  echo "== $t: ${SECONDS_EACH}s"
  TAIZHANG_FUZZ=$t ASAN_OPTIONS=detect_leaks=0 $BIN "$work" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="fuzz/regressions/$t/" -print_final_stats=1 2>&1 | grep -E "Done|stat::number_of_executed_units|ERROR|SUMMARY|artifact" || true
done
echo "crashing inputs (if any) are in fuzz/regressions/: add the fix, keep the file"
