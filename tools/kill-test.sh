#!/usr/bin/env bash
# kill-test.sh: SIGKILL bisearch-index at random moments of large updates and
# check that the index survives every kill.
#
# Copies FILES files (default 150) of a corpus (default the shared
# whitehouse-korea folder) into a temp dir, plus a JSONL file of many lines
# (so that commits also fall inside one file), and builds the index. Then,
# until KILLS kills have
# hit a running indexer (default 20): edit, add, delete, rename and
# mtime-preservingly rewrite some files, start bisearch-index, SIGKILL it
# after a random delay, and check that
#   - xapian-check passes on the index,
#   - the index opens and its manifest lists exactly the passages it holds
#     (bisearch-index status: "N passages listed, N in the index").
# Every fifth run is a --rebuild; an update may also be killed while the
# merge policy compacts it into a new generation. Finally one run without a
# kill must reach the state of a from-scratch build of the same files: same
# passage digest (bisearch-index status) and the same top 10 (doc, passage,
# score to 3 decimals) for 16 English queries (bisearch-query --json).
# 100 or more kills in one run work (the CI runs 20).
#
#   tools/kill-test.sh [BUILD_DIR] [KILLS] [FILES] [CORPUS_DIR]
# Exit status 0 when every check passed. Prints the counts and the time taken.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
kills_wanted="${2:-20}"
nfiles="${3:-150}"
shared="${BISEARCH_SHARED:-$(cd .. && pwd)/shared}"
corpus="${4:-$shared/data/policy-en/whitehouse-korea}"
bin="$build/indexer/bisearch-index"
query_bin="$build/query/bisearch-query"
started=$(date +%s)
[ -x "$bin" ] && [ -x "$query_bin" ] || { echo "kill-test: $bin or $query_bin not built" >&2; exit 2; }
[ -d "$corpus" ] || { echo "kill-test: $corpus: no such directory" >&2; exit 2; }
command -v xapian-check > /dev/null || { echo "kill-test: xapian-check missing (apt-get install xapian-tools)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
RANDOM=${KILL_TEST_SEED:-4242}
mkdir -p "$work/in" "$work/pool"
i=0
while IFS= read -r f; do
  i=$((i + 1))
  if [ "$i" -le "$nfiles" ]; then cp "$f" "$work/in/f$i.txt"; else cp "$f" "$work/pool/p$i.txt"; fi
done < <(find "$corpus" -type f -name '*.txt' | sort | head -n $((nfiles + 200)))
# A JSONL file with one line per paragraph of a few files.
python3 - "$work/in/lines.jsonl" "$work"/in/f1*.txt <<'EOF'
import json, sys
out = open(sys.argv[1], "w")
n = 0
for path in sys.argv[2:]:
    for para in open(path, encoding="utf-8", errors="replace").read().split("\n\n"):
        if len(para.strip()) > 40:
            n += 1
            out.write(json.dumps({"id": f"p{n}" if n % 3 else None, "text": para.strip()}) + "\n")
EOF

index() { "$bin" --no-progress --batch 500 --db "$work/idx" "$@"; }
pick() { ls "$work/in" | grep '\.txt$' | sed -n "$(( RANDOM % $(ls "$work/in" | grep -c '\.txt$') + 1 ))p"; }
edit_some() {  # about 12% of the files change, plus one of each other kind
  local k
  for k in $(seq 1 $((nfiles / 8))); do printf '\n\nEdit %s of the kill test, round %s.\n' "$k" "$round" >> "$work/in/$(pick)"; done
  local f; f="$work/in/$(pick)"
  local m; m=$(stat -c %y "$f"); sed -i '1s/^/Mtime kept. /' "$f"; touch -d "$m" "$f"
  rm -f "$work/in/$(pick)"
  local a; a=$(pick); mv "$work/in/$a" "$work/in/renamed-$round-$a"
  local p; p=$(ls "$work/pool" | head -n 1 || true)
  [ -n "$p" ] && mv "$work/pool/$p" "$work/in/added-$p"
  if [ $((round % 4)) -eq 0 ]; then sed -i "1s/p1\"/p1-$round\"/" "$work/in/lines.jsonl"; fi
}
check() {  # xapian-check, then the manifest agrees with the index
  [ -e "$work/idx" ] || return 0
  # After a --rebuild the index is a stub directory (XAPIANDB -> gen-N); xapian-check wants the database itself.
  local live="$work/idx"
  if [ ! -e "$live/iamglass" ] && [ -e "$live/XAPIANDB" ]; then live="$work/idx/$(awk '{print $2}' "$work/idx/XAPIANDB")"; fi
  if ! xapian-check "$live" > "$work/check.out" 2>&1; then
    echo "kill-test: xapian-check failed after kill $kills:" >&2; tail -5 "$work/check.out" >&2; return 1
  fi
  local s; s=$(index status | tail -n 2 | head -n 1)
  local listed inidx
  listed=$(echo "$s" | sed -n 's/.*; \([0-9]*\) passages\? listed, \([0-9]*\) in the index.*/\1/p')
  inidx=$(echo "$s" | sed -n 's/.*; \([0-9]*\) passages\? listed, \([0-9]*\) in the index.*/\2/p')
  if [ -z "$listed" ] || [ "$listed" != "$inidx" ]; then
    echo "kill-test: manifest and index disagree after kill $kills: $s" >&2; return 1
  fi
}

kills=0 finished=0 round=0 checks=0 rebuilds=0
index "$work/in" > /dev/null 2>&1 || true  # the initial build; the kills hit updates
while [ "$kills" -lt "$kills_wanted" ]; do
  round=$((round + 1))
  edit_some
  # The binary itself in the background (not a shell function, whose $! would be a subshell).
  # Every fifth run is a --rebuild (built beside the live index, then swapped in).
  rebuild=""; [ $((round % 5)) -eq 0 ] && rebuild="--rebuild" && rebuilds=$((rebuilds + 1))
  "$bin" --no-progress --batch 500 $rebuild --db "$work/idx" "$work/in" > "$work/run.out" 2>&1 &
  pid=$!
  # A random moment within the first ~2 s (an update of ~50 files takes about that long).
  sleep "$(printf '0.%03d' $((RANDOM % 1000)))"
  sleep $((RANDOM % 2))
  if kill -KILL "$pid" 2> /dev/null; then
    wait "$pid" 2> /dev/null || true
    kills=$((kills + 1))
  else
    wait "$pid" 2> /dev/null || true
    finished=$((finished + 1))
  fi
  check; checks=$((checks + 1))
  [ "$round" -gt $((kills_wanted * 4)) ] && { echo "kill-test: too few kills hit a running indexer" >&2; exit 1; }
done

# The final run finishes the job; a fresh build of the same files must match.
index "$work/in" > "$work/final.out" 2>&1 || true
check; checks=$((checks + 1))
"$bin" --no-progress --db "$work/fresh" "$work/in" > /dev/null 2>&1 || true
got=$(index status | tail -n 1)
want=$("$bin" --db "$work/fresh" status | tail -n 1)
echo "kill-test: $round update runs ($rebuilds of them --rebuild), $kills killed by SIGKILL, $finished finished before the kill; $checks checks passed"
echo "kill-test: final re-run: $(tail -n 1 "$work/final.out")"
if [ "$got" != "$want" ]; then
  echo "kill-test: FAILED: after the final run the index differs from a fresh build ($got vs $want)" >&2
  exit 1
fi
# The same answers: top 10 with scores to 3 decimals (ties are ordered by doc id and passage).
top10() {  # DB QUERY
  "$query_bin" --db "$1" --json --limit 10 -- "$2" | python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o.get("type") == "hit": print(o["doc_id"], o["passage"], "%.3f" % o["score"])'
}
queries=("nuclear consultative group" "extended deterrence" "Camp David" "supply chains" "semiconductors"
         "North Korea missile" "trilateral cooperation" "climate change" "Indo-Pacific" "economic security"
         "export controls" "\"joint statement\"" "President Yoon" "alliance" "critical minerals" "Edit of the kill test")
differ=0 compared=0
for q in "${queries[@]}"; do
  a=$(top10 "$work/idx" "$q"); b=$(top10 "$work/fresh" "$q")
  [ -n "$b" ] && compared=$((compared + 1))
  if [ "$a" != "$b" ]; then
    differ=$((differ + 1)); echo "kill-test: top 10 of '$q' differs from the fresh build's:" >&2; diff <(echo "$a") <(echo "$b") | head -6 >&2
  fi
done
if [ "$differ" -gt 0 ] || [ "$compared" -lt 12 ]; then
  echo "kill-test: FAILED: $differ of ${#queries[@]} queries differ from the fresh build ($compared with hits)" >&2
  exit 1
fi
echo "kill-test: final index equals a from-scratch build ($got, $(index status | tail -n 2 | head -n 1 | sed 's/;.*//')); top 10 of $compared queries equal to 3 decimals"
echo "kill-test: took $(( $(date +%s) - started )) s"
