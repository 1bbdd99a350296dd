"""Cut removed paragraphs out of a text, keeping every other byte as it was."""

from __future__ import annotations

from collections.abc import Iterable

from dedup.models import Paragraph
from dedup.segment import Lines


def cut(lines: Lines, removed: Iterable[Paragraph]) -> str:
    """Return the text without the ``removed`` paragraphs and one adjoining separator each.

    A paragraph with blank lines on both sides (or at the start of the text) takes the
    blank lines after it; the last paragraph takes the blank lines before it. A text that
    did not end with a line break still does not.
    """
    n = len(lines)
    gone = gone_lines(lines, removed)
    text = "".join(lines.line(i) for i in range(n) if not gone[i])
    if n and gone[n - 1] and not _has_terminator(lines.line(n - 1)):
        text = _strip_terminator(text)
    return text


def gone_lines(lines: Lines, removed: Iterable[Paragraph]) -> list[bool]:
    """Return, per line, whether cutting ``removed`` takes it (paragraph or separator)."""
    n = len(lines)
    gone = [False] * n
    for p in sorted(removed, key=lambda p: p.start_line):
        first, last = p.start_line - 1, p.end_line - 1
        for i in range(first, last + 1):
            gone[i] = True
        prev = next((i for i in range(first - 1, -1, -1) if not gone[i]), None)
        after = next((i for i in range(last + 1, n) if not gone[i]), None)
        if after is not None and lines.is_blank(after) and (prev is None or lines.is_blank(prev)):
            i = after
            while i < n and not gone[i] and lines.is_blank(i):
                gone[i] = True
                i += 1
        elif after is None and prev is not None and lines.is_blank(prev):
            i = prev
            while i >= 0 and not gone[i] and lines.is_blank(i):
                gone[i] = True
                i -= 1
    return gone


def _has_terminator(line: str) -> bool:
    return line.endswith(("\n", "\r"))


def _strip_terminator(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith(("\n", "\r")):
        return text[:-1]
    return text
