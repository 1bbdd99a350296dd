#!/bin/sh
# datatrove for bench_corpus.py, in its own environment: it needs xxhash<4, the project
# uses xxhash 4. spaCy is its default English word tokenizer (spacy.blank, no model
# download). dedup itself is installed too: the benchmark's shared code splits and
# normalises paragraphs with it.
set -e
VENV=${1:-/tmp/venv-datatrove}
REPO=$(cd "$(dirname "$0")/.." && pwd)
python3 -m venv "$VENV"
"$VENV/bin/pip" install 'datatrove[processing]==0.10.1' spacy orjson 'xxhash<4'
"$VENV/bin/pip" install -e "$REPO" 'xxhash<4'
