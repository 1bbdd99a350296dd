"""Clean and diff big inputs in bounded memory: the streaming engine decides, the output
is written a range at a time.

``dedup clean`` and ``dedup diff`` (as a patch) on inputs over ``BOUNDED_BYTES`` take
their report from the streaming engine (``stream.find_duplicates_streaming``: a few
numbers per paragraph, the text of the candidates only), the same report as the
in-memory engine's. Each document with removals is then read once more and its kept
character ranges (``cleaner.kept``: the same cut, containers included) are encoded
and written a chunk at a time, never joined into one cleaned text. What stays in memory
is the document's text, a line table of 8 bytes a line and the cut's plan (17 bytes a
line), and the report. A patch also holds the document's lines as difflib compares
them; the cleaned side shares those line objects.

Smaller inputs take the in-memory path (faster there); both give the same bytes.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import itertools
import os
from array import array
from collections.abc import Iterable, Sequence
from typing import IO

from dedup.core.cleaner import kept
from dedup.core.models import Document, Match
from dedup.inputs.sources import Inputs
from dedup.text.containers import of_document
from dedup.text.segment import Lines
from dedup.text.structure import Structure
from dedup.writers.unified import patch_lines, split_lines

#: Inputs larger than this (bytes on disk, all files together) are cleaned and diffed
#: in bounded memory. The in-memory path peaks near 35 bytes per input byte.
BOUNDED_BYTES = 16 << 20
#: Characters encoded and written at a time.
WRITE_CHARS = 1 << 20


def is_big(inputs: Inputs) -> bool:
    """Return whether ``inputs`` go the bounded way: files (standard input aside) of more
    than ``BOUNDED_BYTES`` together, or a compressed JSONL file (of unknown size)."""
    size = 0
    for f in inputs.files:
        if f == "-":
            continue
        if f.lower().endswith((".gz", ".zst")):
            return True
        with contextlib.suppress(OSError):  # reading it will say what is wrong
            size += os.path.getsize(f)
    return size > BOUNDED_BYTES


def kept_ranges(
    doc: Document, removals: Sequence[Match], rules: Structure
) -> list[tuple[int, int]]:
    """Return the character ranges of ``doc.text`` that cleaning keeps (``cleaner.kept``)."""
    lines = Lines.compact(doc.text)
    boxes = of_document(doc, lines, rules) if removals else ()
    return kept(lines, (m.paragraph for m in removals), boxes)


def write_kept(doc: Document, ranges: Iterable[tuple[int, int]], fh: IO[bytes]) -> None:
    """Write ``ranges`` of ``doc.text`` encoded as ``Document.encode`` encodes the whole
    text (BOM included), ``WRITE_CHARS`` characters at a time."""
    if doc.bom:
        fh.write(b"\xef\xbb\xbf")
    encoder = codecs.getincrementalencoder(doc.encoding)()
    text = doc.text
    for start, end in ranges:
        for at in range(start, end, WRITE_CHARS):
            fh.write(encoder.encode(text[at : min(end, at + WRITE_CHARS)]))
    fh.write(encoder.encode("", final=True))


def write_patch(
    doc: Document, ranges: Sequence[tuple[int, int]], context: int, fh: IO[bytes]
) -> None:
    """Write the patch ``writers.unified.unified_diff`` gives for the cleaned text made of
    ``ranges``, without making that text: its lines are the original's line objects
    wherever a line is kept whole."""
    shift = 1 if doc.bom else 0  # the patch's first line carries the BOM
    full = ("\ufeff" if doc.bom else "") + doc.text
    a = split_lines(full)
    starts = array("q", itertools.accumulate(map(len, a), initial=0))
    spans = [(0, 1)] if doc.bom else []
    spans.extend((start + shift, end + shift) for start, end in ranges)
    b = _cleaned_lines(full, a, starts, spans)
    del full
    if a == b:  # no patch: not even a byte order mark
        return
    encoder = codecs.getincrementalencoder(doc.encoding)()
    held: list[str] = []
    size = 0
    for line in patch_lines(doc, a, b, context):
        held.append(line)
        size += len(line)
        if size >= WRITE_CHARS:
            fh.write(encoder.encode("".join(held)))
            held, size = [], 0
    fh.write(encoder.encode("".join(held), final=True))


def _cleaned_lines(
    full: str, a: list[str], starts: Sequence[int], spans: Iterable[tuple[int, int]]
) -> list[str]:
    """Return ``split_lines`` of the text of ``spans`` (of ``full``, whose lines are ``a``,
    starting at ``starts``): a line kept whole is ``a``'s own object."""
    b: list[str] = []
    pending: list[str] = []  # the start of a line that ``spans`` cut
    for start, end in spans:
        at = start
        while at < end:
            k = bisect.bisect_right(starts, at) - 1  # the line ``at`` is on
            if not pending and at == starts[k]:
                stop = bisect.bisect_right(starts, end) - 1  # lines k..stop-1 are whole
                if stop > k:
                    b.extend(a[k:stop])
                    at = starts[stop]
                    continue
            piece = full[at : min(end, starts[k + 1])]
            pending.append(piece)
            at += len(piece)
            if at == starts[k + 1] and piece.endswith("\n"):
                b.append("".join(pending))
                pending = []
    if pending:
        b.append("".join(pending))
    return b
