"""Write a hostile flood of near-identical records (issue 15, item 4).

Each record is one 30-word sentence: the same 29 words, then a last word of its own,
so every paragraph is a near duplicate of every other. JSONL records are
``{"id": ..., "text": ...}``; a ``.gz`` name is gzip-compressed; a ``.txt`` name
gets blank-line separated paragraphs instead.

    python benchmarks/make_flood.py 200000 /tmp/flood200k.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

_WORDS = (
    "the quick brown fox jumps over the lazy dog near the river bank while the old "
    "farmer watches from his porch and counts the clouds drifting slowly across the"
)
SENTENCE = _WORDS.split()


def sentences(count: int) -> Iterator[str]:
    """Yield ``count`` sentences of 30 words, each with its own last word."""
    for i in range(count):
        yield " ".join([*SENTENCE, f"word{i}"])


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "wt", encoding="utf-8")
    return path.open("w", encoding="utf-8")


def write(count: int, path: Path) -> None:
    """Write the flood to ``path`` (JSONL, or text if the name ends in ``.txt``)."""
    text = path.name.endswith((".txt", ".txt.gz"))
    with _open(path) as out:
        for i, sentence in enumerate(sentences(count)):
            if text:
                out.write(sentence + "\n\n")
            else:
                out.write(json.dumps({"id": f"r{i}", "text": sentence}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of records")
    parser.add_argument("path", type=Path, help="output file (.jsonl, .jsonl.gz, .txt)")
    args = parser.parse_args()
    assert len(SENTENCE) == 29
    write(args.count, args.path)


if __name__ == "__main__":
    main()
