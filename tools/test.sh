#!/usr/bin/env bash
# test.sh: builds bisearch and runs its whole test suite with CTest.
# With --sanitize, builds into build-asan with ASan/UBSan and runs it there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--sanitize" ]; then
  shift
  # -O1 -g1: enough for the sanitizers' reports, and quicker to build than -O2 -g.
  BUILD_DIR=build-asan tools/build.sh -DBISEARCH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" "$@"
  # Two checks run in the plain suite only: they take minutes there and several
  # times that under ASan, through code paths other tests take too. The KorQuAD
  # quality check (bisearch against stock Xapian), and ShardsSharedTest
  # (policy-en in three shards behind xapian-tcpsrv; shards_test runs the
  # same shard code on the fixtures under ASan).
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$(nproc)" \
      -E '^(SharedDataTest\.KorQuadQualityBeatsStockXapian|ShardsSharedTest)$'

else
  tools/build.sh "$@"
  ctest --test-dir build --output-on-failure -j"$(nproc)"
fi
