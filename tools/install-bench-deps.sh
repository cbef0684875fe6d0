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

exec "$(dirname "$0")/install-deps.sh" "${packages[@]}"
