"""JSONL corpora: one record per line, the text in a field; plain, gzip or zstd by content.

Each record's text becomes a ``Document`` named ``FILE#ID`` (``ID`` is the ``--id-field``
value, or the 1-based line number). A line that is not a JSON object, lacks the text
field, holds a non-string text, is nested too deeply or is longer than
``Limits.max_line_bytes`` is a ``RecordError`` naming the file and line: skipped and
counted (``on_error="skip"``) or fatal (``"fail"``), never silently dropped.

Limits are enforced while reading, before the memory is spent: a line is read at most
``max_line_bytes + 1`` bytes at a time (the rest of a longer one is read past in pieces),
and a compressed file that decompresses to more than its ``max_decompressed_bytes`` is an
``InputError`` as soon as the count passes it.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from dedup.core.models import Document
from dedup.errors import InputError
from dedup.inputs import paragraph_limit
from dedup.inputs.paragraph_limit import MAX_PARAGRAPH_BYTES, oversized
from dedup.inputs.paragraph_limit import problem as paragraph_problem
from dedup.inputs.reader import resolve_syntax

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Half of a UTF-16 pair, which JSON's ``\\ud800`` escapes can produce: no encoding takes it.
_SURROGATE = re.compile("[\ud800-\udfff]")
# orjson reads an integer of more than 64 bits as a float, where ``json`` keeps it whole:
# a line with 19 digits in a row is left to ``json`` (found by mapping every digit to "0"
# and the rest to a space, ten times faster than a regular expression's search).
_DIGITS = bytes(0x30 if 0x30 <= c <= 0x39 else 0x20 for c in range(256))
_LONG_NUMBER = b"0" * 19
JSONL_NAMES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.zst", ".ndjson.zst")
#: The longest JSONL line read (its line break not counted) unless ``--max-line-bytes``.
MAX_LINE_BYTES = 64 * 2**20
#: A compressed input may decompress to this many times its size (``--max-decompressed-bytes``
#: not given) ...
DECOMPRESSED_RATIO = 100
#: ... but always to at least this many bytes.
MIN_DECOMPRESSED_BYTES = 2**30
#: JSON nested deeper than this is an unusable line: deeper still, Python's parser and
#: writer run out of stack (``RecursionError``).
MAX_DEPTH = 500
#: Bytes read at a time when reading past an overlong line.
_SKIP_CHUNK = 2**20


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one JSONL line, one decompressed input and one paragraph may hold, in bytes."""

    max_line_bytes: int = MAX_LINE_BYTES
    #: None: ``DECOMPRESSED_RATIO`` times the compressed size, at least
    #: ``MIN_DECOMPRESSED_BYTES``; 0: no limit.
    max_decompressed_bytes: int | None = None
    max_paragraph_bytes: int = MAX_PARAGRAPH_BYTES

    def decompressed(self, compressed_size: int) -> int | None:
        """Return the most bytes a file of ``compressed_size`` may decompress to (None: any)."""
        if self.max_decompressed_bytes is None:
            return max(MIN_DECOMPRESSED_BYTES, DECOMPRESSED_RATIO * compressed_size)
        return self.max_decompressed_bytes or None

    def overlong(self) -> str:
        """Return the problem of a line longer than ``max_line_bytes``."""
        return f"longer than the limit of {self.max_line_bytes:,} bytes (--max-line-bytes)"

    def oversized(self) -> str:
        """Return the problem of a record with a paragraph longer than ``max_paragraph_bytes``."""
        return paragraph_problem(self.max_paragraph_bytes)

    def check_paragraphs(self, doc: Document) -> None:
        """Raise ``InputError`` (``FILE: line N: ...``) if a paragraph of ``doc`` (a file,
        not a JSONL record) is longer than ``max_paragraph_bytes``."""
        if len(doc.text) > paragraph_limit.RST_MAX_CHARS and (
            resolve_syntax(doc.path, doc.syntax) == "rst"
        ):
            raise InputError(doc.path, paragraph_limit.rst_problem())
        line = oversized(doc, self.max_paragraph_bytes)
        if line is not None:
            raise InputError(doc.path, f"line {line}: {self.oversized()}")


class _Bounded(io.RawIOBase):
    """A decompressed stream that raises ``InputError`` once it has given more than ``limit``
    bytes (None: no limit)."""

    def __init__(self, inner: IO[bytes], path: str, limit: int | None) -> None:
        super().__init__()
        self._inner = inner
        self._path = path
        self._limit = limit
        self._total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        data = self._inner.read(len(view))
        n = len(data)
        view[:n] = data
        self._total += n
        if self._limit is not None and self._total > self._limit:
            raise InputError(
                self._path,
                f"decompresses to more than {self._limit:,} bytes "
                "(--max-decompressed-bytes; a compression bomb?)",
            )
        return n


def is_jsonl(path: str) -> bool:
    """Return whether ``path`` names a JSONL file (compressed or not)."""
    return path.lower().endswith(JSONL_NAMES)


#: Decompressed bytes buffered at a time.
_CHUNK = 1 << 16
#: Compressed bytes a zstd frame is decoded from at a time: small, because what one call
#: decodes is held whole (2 KiB of a zstd bomb's RLE blocks is at most about 64 MiB).
_ZSTD_INPUT = 1 << 11


class _ZstdFrames(io.RawIOBase):
    """The decompressed bytes of the zstd frames in ``raw``, one frame after another.

    ``zstandard``'s ``stream_reader`` ends quietly where the input ends, even in the middle
    of a frame: a cut file would read as a shorter corpus. Here each frame is decoded by a
    ``decompressobj``, which says when its frame is complete (``eof``); input that runs
    out while a frame is still open raises ``EOFError``.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard  # only needed for .zst input

        super().__init__()
        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._frame: zstandard.ZstdDecompressionObj | None = None  # None between frames
        self._out = b""  # decompressed bytes not yet handed out, from ``_at`` on
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while self._at >= len(self._out):
            if not self._decode_more():
                return 0
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self._out) - self._at)
        view[:n] = self._out[self._at : self._at + n]
        self._at += n
        return n

    def _decode_more(self) -> bool:
        """Decode the next chunk of input into ``_out``; False at the end of the input."""
        data = self._raw.read(_ZSTD_INPUT)
        if not data:
            if self._frame is not None:
                raise EOFError("the data ends in the middle of a frame")
            return False
        parts = []
        while data:
            if self._frame is None:
                self._frame = self._dctx.decompressobj()
            parts.append(self._frame.decompress(data))
            if not self._frame.eof:
                break
            data = self._frame.unused_data  # the next frame, if any, starts here
            self._frame = None
        self._out, self._at = b"".join(parts), 0
        return True


class _Checked(io.RawIOBase):
    """A decompressing stream whose read errors are ``InputError``s naming the file."""

    def __init__(self, path: str, kind: str, stream: io.BufferedIOBase | io.RawIOBase) -> None:
        super().__init__()
        self._path = path
        self._kind = kind
        self._stream = stream
        errors: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error)
        if kind == "zstd":
            import zstandard

            errors += (zstandard.ZstdError,)
        self._errors = errors

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        try:
            n = self._stream.readinto(buffer)
        except self._errors as exc:
            raise InputError(
                self._path, f"truncated or corrupt {self._kind} data ({exc})"
            ) from None
        return n or 0


@contextmanager
def open_binary(path: str, limits: Limits | None = None) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading, decompressing gzip or zstd when its first bytes say so.

    Compressed data that is cut short or corrupt raises ``InputError`` when it is read
    (``FILE: truncated or corrupt zstd data (...)``), never reads as a shorter file; a
    compressed file that decompresses to more than ``limits`` allow raises ``InputError``
    while it is read.
    """
    limits = limits or Limits()
    try:
        raw = Path(path).open("rb")  # noqa: SIM115  # closed below, after the decompressor
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    with raw:
        head = raw.read(4)
        raw.seek(0)
        limit = limits.decompressed(os.fstat(raw.fileno()).st_size)
        stream: io.BufferedIOBase | io.RawIOBase
        if head.startswith(GZIP_MAGIC):
            stream, kind = gzip.GzipFile(fileobj=raw, mode="rb"), "gzip"
        elif head.startswith(ZSTD_MAGIC):
            stream, kind = _ZstdFrames(raw), "zstd"
        else:
            yield raw
            return
        with stream, io.BufferedReader(_Checked(path, kind, stream), _CHUNK) as checked:
            yield _bounded(checked, path, limit)


def _bounded(stream: IO[bytes], path: str, limit: int | None) -> IO[bytes]:
    """Return ``stream`` buffered (bounded ``readline``), counted against ``limit``."""
    return io.BufferedReader(_Bounded(stream, path, limit), buffer_size=_SKIP_CHUNK)


@dataclass(frozen=True, slots=True)
class RecordError:
    """A JSONL line that could not be used, and why."""

    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


def skipped_message(errors: list[RecordError]) -> str:
    """Return ``FILE: skipped N unusable lines (first: line L: problem)`` for one file."""
    first, n = errors[0], len(errors)
    return (
        f"{first.path}: skipped {n} unusable line{'s' if n != 1 else ''}"
        f" (first: line {first.line}: {first.problem})"
    )


@dataclass(frozen=True, slots=True)
class Record:
    """One JSONL line: its number, id, original bytes, parsed object and document."""

    line: int
    id: str
    raw: bytes
    data: dict[str, Any] | None
    doc: int | None  # index among the documents, None when the line is an error


@dataclass
class JsonlFile:
    """A read JSONL file: its records in order, their documents, and the bad lines."""

    path: str
    text_field: str
    records: list[Record] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    missing_ids: int = 0  # records without the id field, named by line number instead
    duplicate_ids: int = 0  # records whose id an earlier record already had

    def warnings(self, id_field: str | None) -> list[str]:
        """Return notices about record ids that users should know of."""
        out = []
        if id_field and self.missing_ids:
            out.append(
                f"{self.path}: {self.missing_ids} record{'s' if self.missing_ids != 1 else ''}"
                f" without an {id_field!r} field, named by line number"
            )
        if n := self.duplicate_ids:
            out.append(
                f"{self.path}: {n} record id{'s' if n != 1 else ''} used more than once; "
                "FILE#ID names are ambiguous (the notes give line numbers too)"
            )
        return out


def parse_record(raw: bytes, text_field: str) -> tuple[dict[str, Any], str | None]:
    """Return a JSONL line's object, or the problem that makes it unusable."""
    data: Any = None
    try:
        data = _loads(raw)
    except RecursionError:
        return {}, _too_deep()
    except json.JSONDecodeError as exc:
        return {}, f"not valid JSON ({exc.msg}, column {exc.colno})"
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]  # in what was decoded (after a BOM, if any)
        return {}, f"not UTF-8 text (byte 0x{bad:02x} at column {exc.start + 1})"
    if not isinstance(data, dict):
        return {}, f"not a JSON object but {type(data).__name__}"
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(data) > MAX_DEPTH:
        return {}, _too_deep()
    if text_field not in data:
        return data, f"no {text_field!r} field"
    text = data[text_field]
    if not isinstance(text, str):
        return data, f"{text_field!r} is {type(text).__name__}, not a string"
    if not text.isascii() and (lone := _SURROGATE.search(text)):
        code = f"\\u{ord(lone.group()):04x}"
        return data, f"{text_field!r} holds a lone surrogate ({code}): not Unicode text"
    return data, None


def _loads(raw: bytes) -> Any:
    """Return ``json.loads(raw)``, by orjson (about three times faster) where the two agree.

    orjson refuses what ``json`` reads leniently (NaN, 1e400, a byte order mark, lone
    surrogates, nesting past 1,024) and what neither reads: those lines, and any with 19
    digits in a row (an integer orjson would turn into a float), go to ``json`` itself,
    so every value and every message is ``json``'s.
    """
    if _LONG_NUMBER not in raw.translate(_DIGITS):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


def _too_deep() -> str:
    return f"nested too deeply (more than {MAX_DEPTH} levels of arrays and objects)"


def _depth(data: Any) -> int:
    """Return how deeply arrays and objects nest in ``data`` (without recursion)."""
    deepest = 0
    todo: list[tuple[Any, int]] = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        items = value.values() if isinstance(value, dict) else value
        todo.extend((v, depth + 1) for v in items if isinstance(v, dict | list))
    return deepest


def record_document(
    path: str, number: int, raw: bytes | None, text_field: str, id_field: str | None, syntax: str
) -> Document | None:
    """Return the document of line ``number`` as ``iter_records`` makes it (None: unusable;
    ``raw`` is None for a line over the length limit)."""
    if raw is None:
        return None
    data, problem = parse_record(raw, text_field)
    if problem is not None:
        return None
    return document_of(path, number, data, text_field, id_field, syntax)


def document_of(
    path: str, number: int, data: dict[str, Any], text_field: str, id_field: str | None, syntax: str
) -> Document:
    """Return the document of a parsed, usable record (line ``number`` of ``path``): named
    ``FILE#ID``, ``record`` set. Every reader of JSONL records (local, Dask) makes it here."""
    rid = str(data.get(id_field, number)) if id_field else str(number)
    return Document(
        path=f"{path}#{rid}", text=data[text_field], syntax=syntax, record=(rid, number)
    )


def split_lines(fh: IO[bytes], max_line_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """Yield each line of ``fh`` and its size in bytes; a line longer than ``max_line_bytes``
    (its line break not counted) is ``None``: read past in pieces, never held whole."""
    while raw := fh.readline(max_line_bytes + 1):
        if len(raw) <= max_line_bytes or raw.endswith(b"\n"):
            yield raw, len(raw)
            continue
        size = len(raw)
        raw = b""
        while rest := fh.readline(_SKIP_CHUNK):
            size += len(rest)
            if rest.endswith(b"\n"):
                break
        yield None, size


def lines(path: str, limits: Limits | None = None) -> Iterator[tuple[int, bytes | None]]:
    """Yield the 1-based number and raw bytes of each line of ``path`` (decompressed);
    a line longer than ``limits.max_line_bytes`` is ``None``."""
    limits = limits or Limits()
    with open_binary(path, limits) as fh:
        try:
            for number, (raw, _size) in enumerate(split_lines(fh, limits.max_line_bytes), 1):
                yield number, raw
        except (OSError, EOFError) as exc:
            raise InputError(path, f"cannot decompress: {exc}") from None
        except Exception as exc:  # zstandard.ZstdError is not an OSError
            if type(exc).__name__ == "ZstdError":
                raise InputError(path, f"cannot decompress: {exc}") from None
            raise


def iter_records(
    path: str,
    counts: JsonlFile,
    *,
    id_field: str | None = None,
    on_error: str = "skip",
    syntax: str = "text",
    limits: Limits | None = None,
) -> Iterator[tuple[Record, Document | None]]:
    """Yield every line of ``path`` as a record and its document (None for unusable lines).

    Nothing is kept: bad lines, missing and repeated ids are counted in ``counts`` (its
    ``records`` and ``documents`` stay empty), so a corpus can be read in a stream.
    ``Record.doc`` numbers the usable records from 0 within this file; a line longer than
    ``limits.max_line_bytes`` is an unusable record whose ``raw`` is empty (not kept).
    """
    limits = limits or Limits()
    text_field = counts.text_field
    seen_ids: set[str] = set()
    usable = 0
    for number, line in lines(path, limits):
        raw = b"" if line is None else line
        if line is not None and not raw.strip():
            yield Record(number, str(number), raw, None, None), None
            continue
        data, problem = ({}, limits.overlong()) if line is None else parse_record(raw, text_field)
        if problem is not None:
            if on_error == "fail":
                raise InputError(path, f"line {number}: {problem}")
            counts.errors.append(RecordError(path, number, problem))
            yield Record(number, str(number), raw, None, None), None
            continue
        doc = document_of(path, number, data, text_field, id_field, syntax)
        if oversized(doc, limits.max_paragraph_bytes) is not None:
            if on_error == "fail":
                raise InputError(path, f"line {number}: {limits.oversized()}")
            counts.errors.append(RecordError(path, number, limits.oversized()))
            yield Record(number, str(number), raw, None, None), None
            continue
        if id_field and id_field not in data:
            counts.missing_ids += 1
        rid = doc.record[0] if doc.record else str(number)
        if id_field:  # line numbers never repeat: only chosen ids need remembering
            if rid in seen_ids:
                counts.duplicate_ids += 1
            seen_ids.add(rid)
        yield Record(number, rid, raw, data, usable), doc
        usable += 1
    if counts.errors and not usable:
        first, n = counts.errors[0], len(counts.errors)
        raise InputError(
            path,
            f"no usable record: all {n} line{'s' if n != 1 else ''} skipped "
            f"(first: line {first.line}: {first.problem})",
        )


def read_jsonl(
    path: str,
    *,
    text_field: str = "text",
    id_field: str | None = None,
    on_error: str = "skip",
    syntax: str = "text",
    doc_offset: int = 0,
    limits: Limits | None = None,
) -> JsonlFile:
    """Read every record of ``path``; bad lines are collected (skip) or raise (fail)."""
    out = JsonlFile(path=path, text_field=text_field)
    for record, doc in iter_records(
        path, out, id_field=id_field, on_error=on_error, syntax=syntax, limits=limits
    ):
        if doc is None or record.doc is None:
            out.records.append(record)
            continue
        out.records.append(
            Record(record.line, record.id, record.raw, record.data, doc_offset + record.doc)
        )
        out.documents.append(doc)
    return out
