"""Read bytes from a file or stdin into a Document, refusing what is not text."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import BinaryIO

from dedup.errors import InputError
from dedup.models import Document

_BOM = b"\xef\xbb\xbf"
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
RST_SUFFIXES = frozenset({".rst", ".rest"})


def read_bytes(path: str, stdin: BinaryIO | None = None) -> bytes:
    """Return the raw bytes of ``path`` (``-`` reads standard input)."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return stream.read()
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None


def decode(
    path: str, data: bytes, *, encoding: str | None = None, syntax: str = "auto"
) -> Document:
    """Decode ``data`` strictly: UTF-8 (BOM kept aside) unless ``encoding`` is given."""
    if b"\x00" in data and not _is_utf16_or_32(encoding):
        raise InputError(path, "looks like binary data (contains NUL bytes), not text")
    bom = False
    name = "utf-8"
    if encoding is None or codecs.lookup(encoding).name in {"utf-8", "utf-8-sig"}:
        if data.startswith(_BOM):
            bom, data = True, data[len(_BOM) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = data[exc.start]
            raise InputError(
                path,
                f"not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start}); "
                "pass --encoding to name its encoding, for example --encoding latin-1",
            ) from None
    else:
        name = encoding
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"cannot be decoded as {encoding} (offset {exc.start}): {exc.reason}"
            ) from None
        if text.encode(encoding) != data:
            raise InputError(
                path, f"does not round-trip through {encoding}; refusing to rewrite it"
            )
    return Document(
        path=path, text=text, encoding=name, bom=bom, syntax=resolve_syntax(path, syntax)
    )


def read_document(
    path: str,
    *,
    encoding: str | None = None,
    syntax: str = "auto",
    stdin: BinaryIO | None = None,
) -> Document:
    """Read and decode one document."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(path, f"unknown encoding {encoding!r}") from None
    return decode(path, read_bytes(path, stdin), encoding=encoding, syntax=syntax)


def resolve_syntax(path: str, syntax: str) -> str:
    """Return ``text``, ``markdown``, ``html`` or ``rst`` for ``auto``, by the file name."""
    if syntax != "auto":
        return syntax
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in RST_SUFFIXES:
        return "rst"
    return "html" if suffix in HTML_SUFFIXES else "text"


def _is_utf16_or_32(encoding: str | None) -> bool:
    return encoding is not None and codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
