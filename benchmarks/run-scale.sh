#!/bin/sh
# The full corpus-scale run of the issue, in one command (run it on a quiet machine):
#   bash benchmarks/run-scale.sh
# 1. generates the 1.3M-paragraph corpus (seeded; skipped when it exists),
# 2. runs every method on it side by side -> benchmarks/RESULTS-scale.md,
# 3. runs the dedup RSS series at 100k, 400k and 1.3M paragraphs -> benchmarks/RESULTS-series.md.
# Needs the benchmark environment (pip install -e '.[test]' rensa, text-dedup: see
# benchmarks/README.md) and the datatrove one (bash benchmarks/setup-datatrove.sh).
# METHODS=floor,floor-2,rensa,dedup bash benchmarks/run-scale.sh runs a subset.
set -e
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
DIR=${DIR:-/tmp/dedup-bench-series}
CORPUS=$DIR/1300000/corpus.jsonl
if [ ! -f "$CORPUS" ]; then
    mkdir -p "$DIR/1300000"
    "$PY" benchmarks/make_corpus.py "$CORPUS" --paragraphs 1300000
fi
"$PY" benchmarks/bench_corpus.py --corpus "$CORPUS" --out benchmarks/RESULTS-scale.md \
    ${METHODS:+--methods "$METHODS"}
"$PY" benchmarks/bench_corpus.py --series 100000,400000,1300000 --series-dir "$DIR"
