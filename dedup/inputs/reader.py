"""Read bytes from a file or stdin into a Document, refusing what is not text."""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from dedup.core.models import Document
from dedup.errors import InputError
from dedup.inputs.paragraph_limit import RST_MAX_CHARS

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
        raise InputError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None


def decode(
    path: str, data: bytes, *, encoding: str | None = None, syntax: str = "auto"
) -> Document:
    """Decode ``data`` strictly: UTF-8 (BOM kept aside) unless ``encoding`` is given, or
    an HTML page that is not UTF-8 declares another (``html_charset``)."""
    if encoding is None and (hint := _utf16_or_32_hint(data)):
        raise InputError(path, hint)
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
            declared = (
                html_charset(data)
                if encoding is None and resolve_syntax(path, syntax) == "html"
                else None
            )
            if declared is not None:
                return decode(path, data, encoding=declared, syntax=syntax)
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
        path=path, text=text, encoding=name, bom=bom, syntax=resolve_syntax(path, syntax, text)
    )


#: Where an HTML page declares its encoding: ``<meta charset="...">``, ``<meta
#: http-equiv="Content-Type" content="text/html; charset=...">`` or an XHTML page's XML
#: declaration, in its first 1024 bytes (the HTML standard's prescan).
_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def html_charset(data: bytes) -> str | None:
    """Return the encoding an HTML page declares (a name Python knows), or None. Used
    only when the page is not valid UTF-8: ``<meta charset="ISO-8859-1">`` on a Latin-1
    page names how to read it, and writing it back the same way keeps every byte."""
    m = _CHARSET.search(data[:1024])
    if m is None:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii")
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    # UTF-16 and UTF-32 declared in the page itself are read as UTF-8 (the HTML standard):
    # the page's own UTF-8 error is the one to report.
    return (
        None if found in {"utf-8", "utf-8-sig"} or found.startswith(("utf-16", "utf-32")) else name
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


def mapped_syntax(path: str, syntax: str, syntax_map: Mapping[str, str]) -> str:
    """Return ``syntax``, or for ``auto`` the syntax ``syntax_map`` (config ``syntax-map``,
    lower-case extensions with the dot) gives the file's extension, else ``auto``."""
    if syntax != "auto" or not syntax_map:
        return syntax
    return syntax_map.get(Path(path).suffix.lower(), "auto")


def resolve_syntax(path: str, syntax: str, text: str | None = None) -> str:
    """Return ``text``, ``markdown``, ``html`` or ``rst`` for ``auto``, by the file name;
    a ``.txt`` file whose ``text`` reads as reStructuredText (``looks_like_rst``) is
    ``rst``."""
    if syntax != "auto":
        return syntax
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in RST_SUFFIXES:
        return "rst"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix != ".txt" or text is None or len(text) > RST_MAX_CHARS:
        return "text"  # a .txt file too long to read whole as rst stays text, as it was
    return "rst" if looks_like_rst(text) else "text"


#: Marks of reStructuredText: an explicit markup line (a directive ``.. note::``, a target
#: ``.. _label:``), a Sphinx role (``:ref:`...```), a section title over its underline.
_RST_EXPLICIT = re.compile(r"^\.\. (?:[\w:-]+::|_[^:\n]+:)", re.MULTILINE)
_RST_ROLE = re.compile(r"(?<![\w`]):[a-z][\w:+-]*:`[^`\n]+`")
_RST_TITLE = re.compile(r"^([^\s\n][^\n]*)\r?\n([=\-~^\"'`#*+<>])\2{2,}[ \t]*\r?$", re.MULTILINE)


def looks_like_rst(text: str) -> bool:
    """Return whether a ``.txt`` file is reStructuredText (Sphinx sources named ``.txt``, as
    Django's and Celery's are): at least two of an explicit markup line, a role and a
    section title underlined to its length. Plain prose has none of them."""
    marks = 0
    if _RST_EXPLICIT.search(text):
        marks += 1
    if _RST_ROLE.search(text):
        marks += 1
    if marks == 1 and any(
        len(m.group(0).split("\n")[1].rstrip()) >= len(m.group(1).rstrip())
        for m in _RST_TITLE.finditer(text)
    ):
        marks += 1
    return marks >= 2


#: Byte order marks of UTF-32 (tested first: UTF-32LE's begins with UTF-16LE's) and UTF-16.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "UTF-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "UTF-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "UTF-16", "utf-16-be"),
)


def _utf16_or_32_hint(data: bytes) -> str | None:
    """Return why ``data``, starting with a UTF-16/32 byte order mark, is not read as UTF-8.

    The encoding suggested reads the file and writes it back byte for byte: ``utf-16`` when
    the mark is in this machine's byte order, ``utf-16-be`` (say) when it is not.
    """
    for bom, name, explicit in _WIDE_BOMS:
        if data.startswith(bom) and _decodes(data, explicit):
            native = codecs.BOM_UTF32 if name == "UTF-32" else codecs.BOM_UTF16
            suggest = name.lower() if bom == native else explicit
            return f"looks like {name} (byte order mark); try --encoding {suggest}"
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf16_or_32(encoding: str | None) -> bool:
    return encoding is not None and codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
