"""Inputs cut into partitions that a worker can read by itself, with the local reading rules.

Used by the Dask engine (``dedup.engines.dask_engine``), which runs ``probe``, ``count_lines`` and
``read`` on its workers; nothing here imports dask. A partition is a run of whole text
files, or the lines of one JSONL file that start in a byte range (uncompressed files are
cut into ranges, compressed ones are read whole). Reading follows ``dedup.inputs.reader`` and
``dedup.inputs.jsonl`` exactly: documents are named by the path as given (``FILE#ID`` for a
record, ``ID`` being the line number unless ``id_field`` names one), bad JSONL lines give
the same ``RecordError`` s, and a failure is returned as a value so that the client can
raise the first one in input order, as reading file after file does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import IO

from dedup.core.models import Document
from dedup.errors import InputError
from dedup.inputs.jsonl import (
    GZIP_MAGIC,
    ZSTD_MAGIC,
    Limits,
    RecordError,
    document_of,
    is_jsonl,
    open_binary,
    parse_record,
    split_lines,
)
from dedup.inputs.paragraph_limit import oversized
from dedup.inputs.reader import mapped_syntax, read_document

#: A partition aims at this many input bytes unless the engine is told otherwise.
BLOCK_BYTES = 64 * 2**20
#: Bytes read at a time when counting lines.
_CHUNK = 2**22


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are decoded: text encoding and syntax, JSONL fields and error policy."""

    encoding: str | None = None
    syntax: str = "auto"
    text_field: str = "text"
    id_field: str | None = None
    on_error: str = "skip"
    syntax_map: tuple[tuple[str, str], ...] = ()  # config syntax-map: (extension, syntax)
    limits: Limits = field(default_factory=Limits)  # longest line, most decompressed bytes


@dataclass(frozen=True, slots=True)
class Source:
    """One input file: the path as given (documents are named by it) and the one opened."""

    shown: str
    path: str

    @property
    def jsonl(self) -> bool:
        """Return whether the file is a JSONL corpus (by its name, as locally)."""
        return is_jsonl(self.shown)


@dataclass(frozen=True, slots=True)
class Layout:
    """What a worker found out about a JSONL file before it is cut: size and compression."""

    size: int
    compressed: bool
    error: InputError | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """One partition: whole text files, or the lines of one JSONL file starting in a range.

    ``first_line`` is one more than the number of line breaks before ``start`` (the number
    of a line starting there); ``stop`` is ``None`` for the end of the file.
    """

    index: int
    sources: tuple[Source, ...]
    start: int = 0
    stop: int | None = None
    first_line: int = 1
    error: InputError | None = None  # already known (from the layout): reading it fails


@dataclass
class Piece:
    """What reading one partition gave: documents, unusable lines and the error that stopped it."""

    documents: list[Document] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    missing_ids: int = 0
    error: InputError | None = None


def sources(files: Sequence[str]) -> list[Source]:
    """Return the files as sources, each opened by its absolute path (workers' cwd differs)."""
    return [Source(f, os.path.abspath(f)) for f in files]


def probe(source: Source) -> Layout:
    """Return the size of a JSONL file and whether it is compressed (by its first bytes)."""
    try:
        with open(source.path, "rb") as fh:
            head = fh.read(4)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        return Layout(0, False, _open_error(source, exc))
    return Layout(size, head.startswith((GZIP_MAGIC, ZSTD_MAGIC)))


def ranges(size: int, block: int) -> list[tuple[int, int | None]]:
    """Return byte ranges of about ``block`` bytes covering ``size`` bytes (the last open)."""
    starts = list(range(0, size, max(1, block))) or [0]
    return [(s, starts[i + 1] if i + 1 < len(starts) else None) for i, s in enumerate(starts)]


def count_lines(source: Source, start: int, stop: int | None) -> int:
    """Return how many line breaks (``\\n``) the bytes ``start``..``stop`` of a file hold."""
    n = 0
    with open(source.path, "rb") as fh:
        fh.seek(start)
        left = None if stop is None else stop - start
        while left is None or left > 0:
            chunk = fh.read(_CHUNK if left is None else min(_CHUNK, left))
            if not chunk:
                break
            n += chunk.count(b"\n")
            if left is not None:
                left -= len(chunk)
    return n


def plan(
    srcs: Sequence[Source],
    layouts: dict[int, Layout],
    line_counts: dict[tuple[int, int], int],
    block: int,
) -> list[Part]:
    """Return the partitions in input order.

    ``layouts`` and ``line_counts`` are by source index, and by source index and range
    start; consecutive text files are packed together up to ``block`` bytes.
    """
    parts: list[Part] = []
    pending: list[Source] = []
    pending_size = 0

    def flush() -> None:
        nonlocal pending_size
        if pending:
            parts.append(Part(len(parts), tuple(pending)))
            pending.clear()
            pending_size = 0

    for i, src in enumerate(srcs):
        if not src.jsonl:
            size = file_size(src.path)
            if pending and pending_size + size > block:
                flush()
            pending.append(src)
            pending_size += size
            continue
        flush()
        layout = layouts[i]
        if layout.error is not None or layout.compressed:
            parts.append(Part(len(parts), (src,), error=layout.error))
            continue
        line = 1
        for start, stop in ranges(layout.size, block):
            parts.append(Part(len(parts), (src,), start, stop, first_line=line))
            line += line_counts[(i, start)]
    flush()
    return parts


def file_size(path: str) -> int:
    """Return the size of a file in bytes (0 if it cannot be seen: reading will say why)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reading it on a worker reports the problem


def read(part: Part, options: ReadOptions, only: frozenset[int] | None = None) -> Piece:
    """Read one partition: every document in it, in order, or the first error.

    ``only``: read again just these documents, by their line number (JSONL) or their
    file's place in the partition (text files); the other lines are not even parsed.
    """
    piece = Piece()
    if part.error is not None:
        piece.error = part.error
        return piece
    try:
        for i, src in enumerate(part.sources):
            if src.jsonl:
                _read_records(src, part, options, piece, only)
            elif only is None or i in only:
                piece.documents.append(_read_text(src, options))
    except InputError as exc:
        piece.error = exc
    return piece


def _read_text(src: Source, options: ReadOptions) -> Document:
    try:
        syntax = mapped_syntax(src.path, options.syntax, dict(options.syntax_map))
        doc = read_document(src.path, encoding=options.encoding, syntax=syntax)
        options.limits.check_paragraphs(doc)
    except InputError as exc:
        raise InputError(src.shown, exc.problem) from None
    return replace(doc, path=src.shown)


def _read_records(
    src: Source, part: Part, options: ReadOptions, piece: Piece, only: frozenset[int] | None
) -> None:
    """Read the records of ``part`` the way ``dedup.inputs.jsonl.read_jsonl`` reads a whole file
    (only the lines numbered in ``only``, unless it is None)."""
    syntax = "text" if options.syntax == "auto" else options.syntax
    id_field = options.id_field
    for number, raw in _lines(src, part, options.limits):
        if (only is not None and number not in only) or (raw is not None and not raw.strip()):
            continue
        data, problem = (
            ({}, options.limits.overlong())
            if raw is None
            else parse_record(raw, options.text_field)
        )
        if problem is not None:
            if options.on_error == "fail":
                raise InputError(src.shown, f"line {number}: {problem}")
            piece.errors.append(RecordError(src.shown, number, problem))
            continue
        doc = document_of(src.shown, number, data, options.text_field, id_field, syntax)
        if oversized(doc, options.limits.max_paragraph_bytes) is not None:
            if options.on_error == "fail":
                raise InputError(src.shown, f"line {number}: {options.limits.oversized()}")
            piece.errors.append(RecordError(src.shown, number, options.limits.oversized()))
            continue
        if id_field and id_field not in data:
            piece.missing_ids += 1
        piece.documents.append(doc)


def _lines(src: Source, part: Part, limits: Limits) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line) for the lines of ``src`` that start in the part's range
    (None: a line longer than ``limits.max_line_bytes``)."""
    try:
        with open_binary(src.path, limits) as fh:
            try:
                yield from _owned(fh, part, limits.max_line_bytes)
            except (OSError, EOFError) as exc:
                raise InputError(src.shown, f"cannot decompress: {exc}") from None
            except Exception as exc:  # zstandard.ZstdError is not an OSError
                if type(exc).__name__ == "ZstdError":
                    raise InputError(src.shown, f"cannot decompress: {exc}") from None
                raise
    except InputError as exc:
        if exc.path == src.shown:
            raise
        raise InputError(src.shown, exc.problem) from None


def _owned(fh: IO[bytes], part: Part, max_line_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    number = part.first_line
    pos = part.start
    if part.start > 0:
        fh.seek(part.start - 1)
        if fh.read(1) != b"\n":  # the line in progress belongs to the previous range
            while skipped := fh.readline(_CHUNK):  # in pieces: it may be very long
                pos += len(skipped)
                if skipped.endswith(b"\n"):
                    number += 1
                    break
    for raw, size in split_lines(fh, max_line_bytes):
        if part.stop is not None and pos >= part.stop:
            return
        yield number, raw
        pos += size
        number += 1


def _open_error(source: Source, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(source.shown, "no such file or directory")
    if isinstance(exc, IsADirectoryError):
        return InputError(source.shown, "is a directory, not a file")
    return InputError(source.shown, exc.strerror or str(exc))
