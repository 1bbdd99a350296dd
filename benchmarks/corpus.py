"""Reading JSONL corpora the way every corpus benchmark script does (shared, stdlib + dedup)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

THRESHOLD = 0.8
NUM_PERM = 128
NGRAM = 3


def open_text(path: str | Path) -> IO[str]:
    """Open a corpus for reading text, gunzipping it when its first bytes say gzip."""
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def records(
    path: str | Path, limit: int | None = None, part: int = 0, parts: int = 1
) -> Iterator[dict[str, Any]]:
    """Yield the records of the first ``limit`` lines (all when ``None``), skipping blank lines.

    With ``parts`` > 1, only lines ``i`` with ``i % parts == part`` are parsed (one worker's
    share); the others are skipped unparsed.
    """
    with open_text(path) as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            if i % parts == part and line.strip():
                yield json.loads(line)


def split_paragraphs(text: str) -> list[str]:
    """Split exactly as dedup splits plain text (its own segmenter, so every method agrees)."""
    from dedup.text.segment import Lines, text_blocks

    return [block.compare for block in text_blocks(Lines.of(text))]


def injected_path(corpus: str | Path) -> Path:
    """The injected-pairs sidecar of a generated corpus: ``injected.jsonl`` beside it."""
    return Path(corpus).with_name("injected.jsonl")
