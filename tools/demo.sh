#!/usr/bin/env bash
# demo.sh: the main job. Builds bisearch, indexes corpus/ into
# build/corpus-index and prints ranked passages for sample queries.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh
db=build/corpus-index
rm -rf "$db"
echo
echo "\$ bisearch-index --db $db corpus/"
build/indexer/bisearch-index --db "$db" corpus/
for q in "확장억제 협력" "\"extended deterrence\" NCG" "한·미 양국"; do
  echo
  echo "\$ bisearch-query --db $db --explain '$q'"
  build/query/bisearch-query --db "$db" --explain --limit 3 "$q"
done
for t in 핵협의그룹 "extended deterrence"; do
  echo
  echo "\$ bisearch-query --db $db --terms '$t'"
  build/query/bisearch-query --db "$db" --terms "$t"
done
