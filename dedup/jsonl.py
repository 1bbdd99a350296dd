"""JSONL corpora: one record per line, the text in a field; plain, gzip or zstd by content.

Each record's text becomes a ``Document`` named ``FILE#ID`` (``ID`` is the ``--id-field``
value, or the 1-based line number). A line that is not a JSON object, lacks the text
field, or holds a non-string text is a ``RecordError`` naming the file and line: skipped
and counted (``on_error="skip"``) or fatal (``"fail"``), never silently dropped.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dedup.errors import InputError
from dedup.models import Document

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Half of a UTF-16 pair, which JSON's ``\\ud800`` escapes can produce: no encoding takes it.
_SURROGATE = re.compile("[\ud800-\udfff]")
JSONL_NAMES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.zst", ".ndjson.zst")


def is_jsonl(path: str) -> bool:
    """Return whether ``path`` names a JSONL file (compressed or not)."""
    return path.lower().endswith(JSONL_NAMES)


#: Compressed bytes read at a time: a zstd frame is decoded this much input at a time.
_CHUNK = 1 << 16


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
        data = self._raw.read(_CHUNK)
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
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading, decompressing gzip or zstd when its first bytes say so.

    Compressed data that is cut short or corrupt raises ``InputError`` when it is read
    (``FILE: truncated or corrupt zstd data (...)``), never reads as a shorter file.
    """
    try:
        raw = Path(path).open("rb")  # noqa: SIM115  # closed below, after the decompressor
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None
    with raw:
        head = raw.read(4)
        raw.seek(0)
        stream: io.BufferedIOBase | io.RawIOBase
        if head.startswith(GZIP_MAGIC):
            stream, kind = gzip.GzipFile(fileobj=raw, mode="rb"), "gzip"
        elif head.startswith(ZSTD_MAGIC):
            stream, kind = _ZstdFrames(raw), "zstd"
        else:
            yield raw
            return
        with stream, io.BufferedReader(_Checked(path, kind, stream), _CHUNK) as buffered:
            yield buffered


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
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return {}, f"not valid JSON ({exc.msg}, column {exc.colno})"
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]  # in what was decoded (after a BOM, if any)
        return {}, f"not UTF-8 text (byte 0x{bad:02x} at column {exc.start + 1})"
    if not isinstance(data, dict):
        return {}, f"not a JSON object but {type(data).__name__}"
    if text_field not in data:
        return data, f"no {text_field!r} field"
    text = data[text_field]
    if not isinstance(text, str):
        return data, f"{text_field!r} is {type(text).__name__}, not a string"
    if not text.isascii() and (lone := _SURROGATE.search(text)):
        code = f"\\u{ord(lone.group()):04x}"
        return data, f"{text_field!r} holds a lone surrogate ({code}): not Unicode text"
    return data, None


def record_document(
    path: str, number: int, raw: bytes, text_field: str, id_field: str | None, syntax: str
) -> Document | None:
    """Return the document of line ``number`` as ``iter_records`` makes it (None: unusable)."""
    data, problem = parse_record(raw, text_field)
    if problem is not None:
        return None
    return _document(path, number, data, text_field, id_field, syntax)


def _document(
    path: str, number: int, data: dict[str, Any], text_field: str, id_field: str | None, syntax: str
) -> Document:
    rid = str(data.get(id_field, number)) if id_field else str(number)
    return Document(
        path=f"{path}#{rid}", text=data[text_field], syntax=syntax, record=(rid, number)
    )


def lines(path: str) -> Iterator[tuple[int, bytes]]:
    """Yield the 1-based number and raw bytes of each line of ``path`` (decompressed)."""
    with open_binary(path) as fh:
        try:
            yield from enumerate(fh, start=1)
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
) -> Iterator[tuple[Record, Document | None]]:
    """Yield every line of ``path`` as a record and its document (None for unusable lines).

    Nothing is kept: bad lines, missing and repeated ids are counted in ``counts`` (its
    ``records`` and ``documents`` stay empty), so a corpus can be read in a stream.
    ``Record.doc`` numbers the usable records from 0 within this file.
    """
    text_field = counts.text_field
    seen_ids: set[str] = set()
    usable = 0
    for number, raw in lines(path):
        if not raw.strip():
            yield Record(number, str(number), raw, None, None), None
            continue
        data, problem = parse_record(raw, text_field)
        if problem is not None:
            if on_error == "fail":
                raise InputError(path, f"line {number}: {problem}")
            counts.errors.append(RecordError(path, number, problem))
            yield Record(number, str(number), raw, None, None), None
            continue
        if id_field and id_field not in data:
            counts.missing_ids += 1
        doc = _document(path, number, data, text_field, id_field, syntax)
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
) -> JsonlFile:
    """Read every record of ``path``; bad lines are collected (skip) or raise (fail)."""
    out = JsonlFile(path=path, text_field=text_field)
    for record, doc in iter_records(path, out, id_field=id_field, on_error=on_error, syntax=syntax):
        if doc is None or record.doc is None:
            out.records.append(record)
            continue
        out.records.append(
            Record(record.line, record.id, record.raw, record.data, doc_offset + record.doc)
        )
        out.documents.append(doc)
    return out
