#!/usr/bin/env bash
# install-fuzz-deps.sh: what tools/fuzz.sh needs beyond the normal build's
# packages: clang and its runtime libraries (libFuzzer, ASan, UBSan), from
# Debian 12's packages. The normal build stays on gcc.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/install-deps.sh clang libclang-rt-14-dev
