#!/usr/bin/env bash
# bench-incremental.sh: cost of index updates against a full build, in one run.
# Copies a corpus (default: the shared whitehouse-korea folder, 1,073 files) to
# a temp dir, then times with bisearch-index: (1) a full build, (2) a re-run
# with no change, (3) a re-run after editing 1% of the files. Prints the three
# times and each re-run's share of the full build (target: at most 5%).
#
#   tools/bench-incremental.sh [CORPUS_DIR] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${BISEARCH_SHARED:-$(cd .. && pwd)/shared}"
corpus="${1:-$shared/data/policy-en/whitehouse-korea}"
build="${2:-build}"
bin="$build/indexer/bisearch-index"
[ -x "$bin" ] || { echo "bench-incremental: $bin not built (cmake --build $build)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "bench-incremental: $corpus: no such directory" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/in"
files=$(find "$work/in" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.jsonl' \) | wc -l)

now() { date +%s.%N; }
timed() {  # timed LABEL ARGS...: runs bisearch-index, prints its output, sets $secs
  local label="$1"; shift
  local t0 t1
  t0=$(now)
  "$bin" --no-progress --db "$work/idx" "$@" "$work/in" > "$work/out" 2> "$work/err" || true
  t1=$(now)
  secs=$(echo "$t1 - $t0" | bc -l)
  printf '%-24s %8.3f s   %s\n' "$label" "$secs" "$(tail -n 1 "$work/out")"
}

echo "corpus: $corpus ($files files, $(du -sh "$work/in" | cut -f1))"
timed "full build" ; full=$secs
timed "no-change re-run" ; none=$secs
# Edit 1% of the files (at least one): append a paragraph.
n=$(( (files + 99) / 100 ))
find "$work/in" -type f \( -name '*.txt' -o -name '*.md' \) | sort | awk -v n="$n" -v t="$files" 'NR % int(t / n) == 0' |
  head -n "$n" | while IFS= read -r f; do printf '\n\nAn added paragraph for the update benchmark.\n' >> "$f"; done
timed "1% changed re-run" ; some=$secs
printf 'no-change / full = %.1f%%   1%%-changed / full = %.1f%%   (target <= 5%%)\n' \
  "$(echo "100 * $none / $full" | bc -l)" "$(echo "100 * $some / $full" | bc -l)"
