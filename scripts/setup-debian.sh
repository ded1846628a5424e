#!/usr/bin/env bash
# Install what libvfs needs to build and test on Debian 12, as root.
# Idempotent: a package already present is left alone.
set -euo pipefail
pkgs=(gcc meson ninja-build pkg-config uthash-dev check libsubunit-dev)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
fi
