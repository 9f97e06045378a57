#!/usr/bin/env bash
# One command from a fresh machine to a finished run: installs what is needed, builds the
# release binary and runs the quarterly check on the bundled sample ledgers (pipelines/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product taizhang
.build/release/taizhang run pipelines/quarterly-check.yml "$@"
echo
echo "Outputs are in pipelines/out/. Try also: .build/release/taizhang plugins"
