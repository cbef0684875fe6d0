#!/usr/bin/env bash
# learn-lexicon.sh: regenerates data/lexicon/default-lexicon.tsv from the shared parallel text
# ($BISEARCH_SHARED, default ../shared beside the repository). Builds the tool first.
# Extra arguments go to bisearch-learn-lexicon (--min-links N, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
if [ ! -d "$build_dir" ]; then tools/build.sh >/dev/null; fi
cmake --build "$build_dir" --target bisearch-learn-lexicon >/dev/null
mkdir -p data/lexicon
"$build_dir/tools/bisearch-learn-lexicon" --out data/lexicon/default-lexicon.tsv "$@"
