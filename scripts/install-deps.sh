#!/usr/bin/env bash
# Installs the Debian packages Taizhang builds against (C libraries and pkg-config).
# Swift itself and the Swift packages (swift-argument-parser, Yams) come with the machine.
set -euo pipefail
PACKAGES="libcsv-dev libxlsxwriter-dev libfreexl-dev libopencc-dev libuchardet-dev libexpat1-dev libsqlite3-dev pkg-config"
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ] || [ "${FORCE_APT:-}" = 1 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
fi
echo "Debian packages ready: $PACKAGES"
