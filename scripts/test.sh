#!/usr/bin/env bash
# Set everything up on a fresh Debian 12 machine (as root) and run the whole
# test suite: a plain debug build with warnings as errors (unit, syscall,
# differential and bench smoke tests; the libcheck suites once more with
# CK_FORK=no), an AddressSanitizer + UndefinedBehaviorSanitizer build, and
# a ThreadSanitizer build of the concurrency tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh

run() { echo "+ $*"; "$@"; }

# 1. Plain build, warnings are errors.
[ -d build-ci ] || run meson setup build-ci -Dwerror=true >/dev/null
run ninja -C build-ci
run meson test -C build-ci --print-errorlogs
# The suites must also pass in one process (no fork per test).
CK_FORK=no run meson test -C build-ci --print-errorlogs --suite unit --suite syscall

# 2. ASan + UBSan: every libcheck suite and the differential test.
[ -d build-asan ] || run meson setup build-asan -Db_sanitize=address,undefined \
	-Db_lundef=false -Dbench=false >/dev/null
run ninja -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	run meson test -C build-asan --print-errorlogs --suite unit --suite syscall --suite diff

# 3. TSan: the concurrency suite (libcheck must not fork under TSan).
[ -d build-tsan ] || run meson setup build-tsan -Db_sanitize=thread \
	-Db_lundef=false -Dbench=false -Dexamples=false >/dev/null
run ninja -C build-tsan tests/check_threads
TSAN_OPTIONS=halt_on_error=1 CK_FORK=no run ./build-tsan/tests/check_threads
