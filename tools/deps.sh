#!/bin/sh
# Installs the Debian packages gansteps needs, only those that are missing.
# As root it runs apt-get; otherwise through sudo when sudo works without a
# password prompt; otherwise it prints the exact command and fails.
# Usage: tools/deps.sh [extra-package ...]
set -u
need="build-essential pkg-config libcmocka-dev libpng-dev zlib1g-dev gnuplot-nox dataset-fashion-mnist libopenblas-dev libcmark-dev libjs-katex chromium python3-websocket python3-nbformat $*"
missing=""
for p in $need; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "gansteps: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    run="sudo"
else
    echo "gansteps: cannot install as $(id -un). Run this, then try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
# A fresh machine's package lists may be empty or old: refresh them first.
$run env DEBIAN_FRONTEND=noninteractive apt-get update -qq || exit 1
# shellcheck disable=SC2086
$run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing || {
    echo "gansteps: apt-get could not install:$missing" >&2
    exit 1
}
