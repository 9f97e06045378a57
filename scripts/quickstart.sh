#!/usr/bin/env bash
# One command from a fresh machine to a finished run: installs what is needed, builds the
# release binary and runs the quarterly return on the bundled sample ledgers (pipelines/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product taizhang
.build/release/taizhang run pipelines/quarterly-return.yml "$@"
echo
echo "输出在 pipelines/out/（统计表 XLSX/JSON、标准台账、问题清单）。Outputs are in pipelines/out/. Try also: .build/release/taizhang plugins"
