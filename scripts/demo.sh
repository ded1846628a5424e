#!/usr/bin/env bash
# Set everything up on a fresh Debian 12 machine (as root), build, and run
# the demo: the Starnix VFS story told through libvfs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build examples/demo >/dev/null
./build/examples/demo
