#!/usr/bin/env bash
# fuzz.sh: builds the libFuzzer targets of tests/fuzz with clang (ASan, UBSan,
# LeakSanitizer) into build-fuzz/ and runs each in turn.
#   tools/fuzz.sh [--time SECONDS] [TARGET...]   each target SECONDS (default 300)
#   tools/fuzz.sh --ci                           each target 15 s: CI's bounded step
# Seed corpora are made at run time from tests/fixtures/ (build-fuzz/seeds/);
# what the fuzzer learns is kept in build-fuzz/corpus/<target>/ for later runs.
# Exits 1 when any target finds a crash, a sanitizer report, a leak in our
# code (third-party leaks: tests/fuzz/lsan.supp) or a timeout; the failing input
# is in build-fuzz/artifacts/<target>/ (replay: build-fuzz/tests/fuzz/fuzz-<target> FILE).
# A failing input becomes a regression test: copy it to tests/fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(formats hwp jsonl header legacy analyzer query glossary record)
seconds=300
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ci) seconds=15; shift ;;
    --time) seconds="${2:?--time needs SECONDS}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target $t (have: ${all_targets[*]})" >&2; exit 2; }
done

tools/install-fuzz-deps.sh >/dev/null
dir="${FUZZ_BUILD_DIR:-build-fuzz}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S . -B "$dir" -DBISEARCH_FUZZ=ON -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" "${launcher[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)" --target "${targets[@]/#/fuzz-}"

# Seeds, made from the fixtures.
fx=tests/fixtures
seeds="$dir/seeds"
rm -rf "$seeds"
for t in "${all_targets[@]}"; do mkdir -p "$seeds/$t"; done
for f in "$fx"/formats/*; do
  case "$f" in *.txt) ;; *) cp "$f" "$seeds/formats/" ;; esac
done
cp "$fx"/formats/*.hwp "$seeds/hwp/"
cp "$fx"/index/*.jsonl "$seeds/jsonl/"
cp "$fx"/index/*.md "$fx"/index/*.txt "$seeds/header/"
cp "$fx"/index/*.md "$fx"/index/*.txt "$fx"/index/*.jsonl "$seeds/analyzer/"
cp "$fx"/index/*.md "$fx"/index/*.txt "$seeds/record/"
i=0
for f in "$fx"/index/*; do
  # Legacy seeds: the fixtures' Korean text in CP949 (characters CP949 lacks dropped).
  if grep -qP '[\x{AC00}-\x{D7A3}]' "$f" 2>/dev/null; then
    iconv -c -f UTF-8 -t CP949 "$f" >"$seeds/legacy/$(basename "$f").cp949" || true
  fi
  # Query seeds: each line of the text fixtures, behind a flags byte.
  while IFS= read -r line; do
    i=$((i + 1))
    flags=(@ A B C D E F G)  # low 3 bits: --all, ending backoff, an alternative
    printf '%s%s' "${flags[$((i % 8))]}" "${line:0:200}" >"$seeds/query/line-$i"
  done < <(grep -v '^[{]' "$f" | head -20)
done
# Glossary seeds: TSV and CSV built from the fixtures' words, with a header row, quotes and comments.
printf 'ko\ten\tnote\n# comment\n확장억제\textended deterrence\t\n동맹\talliance\tKorea-US\n' >"$seeds/glossary/tsv"
printf 'en,ko\n"nuclear, consultative group",핵협의그룹\n"say ""hi""",인사\n' >"$seeds/glossary/csv"
iconv -f UTF-8 -t CP949 "$seeds/glossary/tsv" >"$seeds/glossary/tsv.cp949"

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
failed=()
summary=()
for t in "${targets[@]}"; do
  corpus="$dir/corpus/$t"
  artifacts="$dir/artifacts/$t"
  log="$dir/logs/$t.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  echo "== fuzz-$t for ${seconds}s"
  status=0
  # Targets that reach libgsf unwind slowly at each allocation: libgsf has no frame
  # pointers, and only a full stack lets tests/fuzz/lsan.supp name its functions.
  unwind=""
  case "$t" in hwp|formats) unwind="fast_unwind_on_malloc=0:" ;; esac
  ASAN_OPTIONS="$unwind$ASAN_OPTIONS" "$dir/tests/fuzz/fuzz-$t" "$corpus" "$seeds/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
    -max_len=131072 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  summary+=("$(printf '%-9s %10s execs  cov %6s  %s' "$t" "${execs:-?}" "${cov:-?}" "$([ $status -eq 0 ] && echo ok || echo FAILED)")")
  if [ $status -ne 0 ]; then
    failed+=("$t")
    echo "fuzz-$t failed (exit $status); log $log, input in $artifacts/:" >&2
    grep -E 'ERROR|SUMMARY|fuzz check failed|runtime error|deadly signal|Test unit written' "$log" | head -20 >&2 || true
  fi
done
echo "== fuzz summary (${seconds}s each)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
