"""Unified diffs from original to cleaned text that ``patch -p0`` and ``git apply -p0`` apply.

Lines keep their own terminators (LF or CRLF), a BOM stays on the first line, and a
last line without a line break gets the standard ``\\ No newline at end of file`` marker,
so applying the patch reproduces ``dedup clean``'s bytes exactly.

Cleaning only removes lines (whole lines, but for HTML elements that share a line), so the
cleaned lines are nearly always a subsequence of the original's. For a document of more
than ``DIFFLIB_LINES`` lines the edit is then found in
one linear pass (from the end, each cleaned line matched to the last original line before
it that equals it) and
the patch is laid out as ``difflib.unified_diff`` lays it out. ``difflib``'s matcher,
quadratic or worse on a text whose blank lines repeat thousands of times, runs on shorter
documents (where it may give a removed paragraph the blank line after it rather than the
one before: the same patch in effect) and when a line changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Literal

from dedup.core.models import Document

# patch(1) and git split on LF only: a CR stays part of its line (so CRLF files diff line by
# line, and an old Mac file with CR alone is one long line to them, and to us).
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
NO_NEWLINE = "\\ No newline at end of file\n"
#: Documents of up to this many lines are diffed by ``difflib``'s matcher; longer ones
#: whose cleaned lines are a subsequence of theirs by ``deletions`` (linear).
DIFFLIB_LINES = 2_000


def split_lines(text: str) -> list[str]:
    """Return the lines of ``text`` as a patch sees them: split after each LF."""
    return _LINE.findall(text)


def _lines(doc: Document, text: str) -> list[str]:
    return split_lines(("\ufeff" if doc.bom else "") + text)


def unified_diff(doc: Document, cleaned: str, context: int = 3) -> bytes:
    """Return the patch turning ``doc`` into ``cleaned``, encoded like the document."""
    a, b = _lines(doc, doc.text), _lines(doc, cleaned)
    return "".join(patch_lines(doc, a, b, context)).encode(doc.encoding) if a != b else b""


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


def deletions(a: Sequence[str], b: Sequence[str]) -> list[Opcode] | None:
    """Return ``difflib``-style opcodes (``equal`` and ``delete`` only) that turn ``a`` into
    ``b`` by removing lines, or None when ``b`` is not a subsequence of ``a``. Linear: from
    the end, each line of ``b`` is matched to the last line of ``a`` before it that equals
    it, so a removed paragraph takes the blank line before it, as ``difflib`` lays it out."""
    ops: list[Opcode] = []
    i = len(a)
    for j in range(len(b) - 1, -1, -1):
        stop = i
        while i > 0 and a[i - 1] != b[j]:
            i -= 1
        if i == 0:
            return None
        if i < stop:
            ops.append(("delete", i, stop, j + 1, j + 1))
        i -= 1
        if ops and ops[-1][0] == "equal":
            _, _, i2, _, j2 = ops[-1]
            ops[-1] = ("equal", i, i2, j, j2)
        else:
            ops.append(("equal", i, i + 1, j, j + 1))
    if i > 0:
        ops.append(("delete", 0, i, 0, 0))
    ops.reverse()
    return ops


class _Known(difflib.SequenceMatcher[str]):
    """A matcher whose opcodes are given (``deletions``): ``get_grouped_opcodes`` then
    groups them with their context exactly as ``difflib`` groups its own."""

    def __init__(self, ops: list[Opcode]) -> None:
        super().__init__(None, "", "")
        self.opcodes = ops

    def get_opcodes(self) -> list[Opcode]:
        return self.opcodes


def _range(start: int, stop: int) -> str:
    """A hunk's range as ``difflib.unified_diff`` writes it."""
    first, length = start + 1, stop - start
    if length == 1:
        return str(first)
    return f"{first - 1 if not length else first},{length}"


def _unified(
    a: Sequence[str], b: Sequence[str], ops: list[Opcode], name: str, context: int
) -> Iterator[str]:
    """Yield what ``difflib.unified_diff(a, b, name, name, n=context, lineterm="\\n")``
    yields for the edit ``ops``."""
    yield f"--- {name}\n"
    yield f"+++ {name}\n"
    for group in _Known(ops).get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for line in a[i1:i2]:
                    yield " " + line
            else:
                for line in a[i1:i2]:
                    yield "-" + line
                for line in b[j1:j2]:
                    yield "+" + line


def patch_lines(doc: Document, a: list[str], b: list[str], context: int) -> Iterator[str]:
    """Yield the lines of the patch from lines ``a`` to lines ``b`` of ``doc`` (none when
    they are the same)."""
    if a == b:
        return
    # A tab ends the file name in a header: GNU patch needs it when the name has spaces.
    name = doc.path + "\t" if any(c.isspace() for c in doc.path) else doc.path
    ops = deletions(a, b) if len(a) > DIFFLIB_LINES else None
    lines = (
        _unified(a, b, ops, name, context)
        if ops is not None
        else difflib.unified_diff(a, b, fromfile=name, tofile=name, n=context, lineterm="\n")
    )
    for i, line in enumerate(lines):
        if i < 2:  # the --- and +++ headers
            yield line
            continue
        if line.endswith("\n") or line.startswith("@@"):
            yield line if line.endswith("\n") else line + "\n"
        else:
            yield line + "\n" + NO_NEWLINE
