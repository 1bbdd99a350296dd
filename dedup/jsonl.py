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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dedup.errors import InputError
from dedup.models import Document

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Half of a UTF-16 pair, which JSON's ``\\ud800`` escapes can produce: no encoding takes it.
_SURROGATE = re.compile("[\ud800-\udfff]")
JSONL_NAMES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.zst", ".ndjson.zst")


def is_jsonl(path: str) -> bool:
    """Return whether ``path`` names a JSONL file (compressed or not)."""
    return path.lower().endswith(JSONL_NAMES)


@contextmanager
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading, decompressing gzip or zstd when its first bytes say so."""
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
        if head.startswith(GZIP_MAGIC):
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
        elif head.startswith(ZSTD_MAGIC):
            import zstandard  # only needed for .zst input

            reader = zstandard.ZstdDecompressor().stream_reader(
                raw, read_across_frames=True, closefd=False
            )
            with io.BufferedReader(reader) as buffered:
                yield buffered
        else:
            yield raw


def decompress(path: str, data: bytes) -> bytes:
    """Return ``data`` decompressed if it is gzip or zstd (by its first bytes), else as is."""
    try:
        if data.startswith(GZIP_MAGIC):
            return gzip.decompress(data)
        if data.startswith(ZSTD_MAGIC):
            import zstandard

            with zstandard.ZstdDecompressor().stream_reader(
                io.BytesIO(data), read_across_frames=True
            ) as reader:
                return reader.read()
    except (OSError, EOFError) as exc:
        raise InputError(path, f"cannot decompress: {exc}") from None
    except Exception as exc:  # zstandard.ZstdError is not an OSError
        raise InputError(path, f"cannot decompress: {exc}") from None
    return data


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
