#!/usr/bin/env bash
# Naming and export rules of STYLE.md, checked on the built library:
#  - every symbol the shared library exports starts with vfs_;
#  - every global symbol defined in the static library starts with vfs_.
# Usage: check_symbols.sh LIBVFS.so LIBVFS.a
set -euo pipefail
so=$1 a=$2
bad=$(nm -D --defined-only "$so" | awk '$2 ~ /[TDBR]/ {print $3}' |
	grep -Ev '^(__odr_asan|__asan|__ubsan|__tsan|__sancov)' | grep -v '^vfs_' || true)
if [ -n "$bad" ]; then
	echo "exported symbols without the vfs_ prefix:"; echo "$bad"; exit 1
fi
# Sanitizer builds add their own instrumentation symbols; those are not ours.
san='^(__odr_asan|__asan|__ubsan|__tsan|__sancov)'
bad=$(nm --defined-only -g "$a" 2>/dev/null | awk 'NF == 3 {print $3}' |
	grep -Ev "$san" | grep -v '^vfs_' || true)
if [ -n "$bad" ]; then
	echo "global symbols without the vfs_ prefix:"; echo "$bad"; exit 1
fi
n=$(nm -D --defined-only "$so" | awk '$2 ~ /[TDBR]/' | wc -l)
echo "check_symbols: $n exported symbols, all vfs_"
