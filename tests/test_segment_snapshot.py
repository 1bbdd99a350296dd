"""Segmentation stays exactly what it was: every paragraph of every Markdown, rst, HTML
and text file under tests/cases and tests/data/docs, against a frozen snapshot.

The snapshot (tests/data/segment-snapshot.json) holds, per file, each paragraph's line
span, character and byte span, column and a digest of its compared text, and the
positions of the ignored paragraphs. It was written by the code before the Markdown speed
work (issue 14); speed work must not change it. Regenerate only for a deliberate change of
segmentation: ``PYTHONPATH=. python tests/test_segment_snapshot.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from dedup.core.models import Document
from dedup.errors import InputError
from dedup.inputs.reader import read_document, resolve_syntax
from dedup.text.segment import segment

ROOT = Path(__file__).parent
SNAPSHOT = ROOT / "data" / "segment-snapshot.json"
SUFFIXES = {".md", ".markdown", ".rst", ".html", ".htm", ".txt"}


def _key(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _files() -> list[Path]:
    found = [
        p
        for base in (ROOT / "cases", ROOT / "data" / "docs")
        for p in base.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES
    ]
    return sorted(found, key=_key)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def _read(path: Path) -> Document | None:
    try:
        doc = read_document(str(path))
    except InputError:
        return None  # files the cases keep on purpose unreadable
    syntax = resolve_syntax(str(path), doc.syntax)
    return Document(doc.path, doc.text, doc.encoding, doc.bom, syntax)


def snapshot_of(path: Path) -> dict[str, object] | None:
    """Return the segmentation of one file, compactly."""
    doc = _read(path)
    if doc is None:
        return None
    seg = segment(doc)
    return {
        "syntax": doc.syntax,
        "p": [
            [
                p.start_line,
                p.end_line,
                p.start,
                p.end,
                p.byte_start,
                p.byte_end,
                p.column,
                _digest(c),
            ]
            for p, c in zip(seg.paragraphs, seg.compare, strict=True)
        ],
        "ignored": sorted(seg.ignored),
    }


def _snapshot() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return loaded


FILES = _files()


def test_snapshot_covers_every_file() -> None:
    assert sorted(_snapshot()) == [_key(p) for p in FILES]


@pytest.mark.parametrize("path", FILES, ids=_key)
def test_segmentation_is_unchanged(path: Path) -> None:
    assert snapshot_of(path) == _snapshot()[_key(path)]


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    out = {_key(p): snapshot_of(p) for p in FILES}
    SNAPSHOT.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {len(out)} files to {SNAPSHOT}")
