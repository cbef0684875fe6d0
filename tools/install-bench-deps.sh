#!/usr/bin/env bash
# install-bench-deps.sh: installs the peer engines that tools/bench.py measures
# bisearch against (Debian 12): SQLite FTS5, Groonga, Lucene++ (CJK analyzer),
# plus the profilers used for docs/benchmark.md. Not part of install-deps.sh:
# CI and ordinary builds do not need them. Safe to re-run.
set -euo pipefail

packages=(
  libsqlite3-dev
  groonga-bin libgroonga-dev
  liblucene++-dev libboost-dev
  xapian-tools time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-bench-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-bench-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
echo "install-bench-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
