#!/usr/bin/env bash
# One command from a fresh machine to a finished run: installs what is needed, builds the
# release binary and runs the quarterly return on the bundled sample ledgers (pipelines/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product taizhang
# The sample ledgers hold deliberate mistakes, so the run ends 未通过 with exit status 1 (data
# errors found); anything else (2: the pipeline is wrong, 3: a file cannot be read) is a failure.
status=0
.build/release/taizhang run pipelines/quarterly-return.yml "$@" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then exit "$status"; fi
echo
echo "样例台账里故意留了错误，所以结论是「未通过」（退出码 1）：见 pipelines/out/2026Q3-问题清单.xlsx。"
echo "The sample ledgers hold deliberate mistakes, hence 未通过 (exit status 1): see the issue workbook."
echo "输出在 pipelines/out/（统计表 XLSX/JSON、标准台账、问题清单）。Outputs are in pipelines/out/. Try also: .build/release/taizhang plugins"
