"""Unified diffs from original to cleaned text that ``patch -p0`` and ``git apply -p0`` apply.

Lines keep their own terminators (LF or CRLF), a BOM stays on the first line, and a
last line without a line break gets the standard ``\\ No newline at end of file`` marker,
so applying the patch reproduces ``dedup clean``'s bytes exactly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from dedup.core.models import Document

# patch(1) and git split on LF only: a CR stays part of its line (so CRLF files diff line by
# line, and an old Mac file with CR alone is one long line to them, and to us).
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
NO_NEWLINE = "\\ No newline at end of file\n"


def split_lines(text: str) -> list[str]:
    """Return the lines of ``text`` as a patch sees them: split after each LF."""
    return _LINE.findall(text)


def _lines(doc: Document, text: str) -> list[str]:
    return split_lines(("\ufeff" if doc.bom else "") + text)


def unified_diff(doc: Document, cleaned: str, context: int = 3) -> bytes:
    """Return the patch turning ``doc`` into ``cleaned``, encoded like the document."""
    a, b = _lines(doc, doc.text), _lines(doc, cleaned)
    return "".join(patch_lines(doc, a, b, context)).encode(doc.encoding) if a != b else b""


def patch_lines(doc: Document, a: list[str], b: list[str], context: int) -> Iterator[str]:
    """Yield the lines of the patch from lines ``a`` to lines ``b`` of ``doc`` (none when
    they are the same)."""
    if a == b:
        return
    # A tab ends the file name in a header: GNU patch needs it when the name has spaces.
    name = doc.path + "\t" if any(c.isspace() for c in doc.path) else doc.path
    for i, line in enumerate(
        difflib.unified_diff(a, b, fromfile=name, tofile=name, n=context, lineterm="\n")
    ):
        if i < 2:  # the --- and +++ headers
            yield line
            continue
        if line.endswith("\n") or line.startswith("@@"):
            yield line if line.endswith("\n") else line + "\n"
        else:
            yield line + "\n" + NO_NEWLINE
