#!/usr/bin/env bash
# build.sh: installs dependencies and builds bisearch into build/ (or $BUILD_DIR).
# Extra arguments are passed to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
build_dir="${BUILD_DIR:-build}"
# -g1 (line tables): backtraces and perf keep file:line, the build is quicker than with -g.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
