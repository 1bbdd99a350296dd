"""Cut removed paragraphs out of a text, keeping every other byte as it was."""

from __future__ import annotations

import bisect
import heapq
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from dedup.core.models import Paragraph
from dedup.text.containers import Container, emptied, outermost
from dedup.text.segment import Lines

_SPACE = " \t"


@dataclass(frozen=True, slots=True)
class Plan:
    """What cutting takes: whole lines, and character spans out of lines that stay.

    ``gone[i]`` (1 or 0, a byte a line) says whether line ``i`` goes with its terminator
    (a paragraph's lines or a blank separator). ``spans`` are sorted, disjoint character
    ranges ``(start, end)`` taken from lines that stay: HTML paragraphs sharing a line
    with other content.
    """

    gone: bytes
    spans: tuple[tuple[int, int], ...]

    def spans_on(self, lines: Lines, i: int) -> list[tuple[int, int]]:
        """Return the parts of line ``i`` that ``spans`` take, as offsets into the line."""
        lo, hi = lines.starts[i], lines.starts[i + 1]
        k = bisect.bisect_right(self.spans, (lo, lo)) - 1
        out: list[tuple[int, int]] = []
        for start, end in self.spans[max(k, 0) :]:
            if start >= hi:
                break
            if end > lo:
                out.append((max(start, lo) - lo, min(end, hi) - lo))
        return out


def cut(lines: Lines, removed: Iterable[Paragraph], boxes: Sequence[Container] = ()) -> str:
    """Return the text without the ``removed`` paragraphs and one adjoining separator each
    (the text of ``kept``'s ranges, joined).

    A paragraph with blank lines on both sides (or at the start of the text) takes the
    blank lines after it; the last paragraph takes the blank lines before it. A text that
    did not end with a line break still does not. A paragraph sharing a line with other
    content (HTML elements side by side) takes exactly its span and one adjoining run of
    spaces or tabs. One of the ``boxes`` (Markdown admonitions and ``:::`` containers)
    left with no content goes whole, as one block with one separator.
    """
    text = lines.text
    return "".join(text[start:end] for start, end in kept(lines, removed, boxes))


def kept(
    lines: Lines, removed: Iterable[Paragraph], boxes: Sequence[Container] = ()
) -> list[tuple[int, int]]:
    """Return the sorted, disjoint character ranges of ``lines.text`` that cutting keeps.

    Their text, joined, is ``cut``'s result: a writer can copy them a range at a time
    instead of building the cleaned text (``dedup.writers.bounded``). Memory: the plan (a byte
    a line) and one range per run of kept text.
    """
    n = len(lines)
    p = plan(lines, removed, boxes)
    out: list[tuple[int, int]] = []
    cursor = 0
    for start, end in _merged(_line_spans(lines, p.gone), p.spans):
        if start > cursor:
            out.append((cursor, start))
        cursor = end
    if cursor < len(lines.text):
        out.append((cursor, len(lines.text)))
    if n and p.gone[n - 1] and not _has_terminator(lines.line(n - 1)):
        _strip_terminator_of(lines.text, out)
    return out


def gone_lines(
    lines: Lines, removed: Iterable[Paragraph], boxes: Sequence[Container] = ()
) -> list[bool]:
    """Return, per line, whether cutting ``removed`` takes it whole (paragraph or separator)."""
    return [bool(g) for g in plan(lines, removed, boxes).gone]


def plan(lines: Lines, removed: Iterable[Paragraph], boxes: Sequence[Container] = ()) -> Plan:
    """Return what cutting ``removed`` takes.

    A paragraph whose lines hold nothing else once every removed paragraph is taken out
    (always so for plain text and Markdown) goes with its whole lines and a separator;
    any other paragraph goes as its exact span. A box that this leaves with no content
    goes with its marker lines, as one block with one separator.
    """
    paragraphs = sorted(removed, key=lambda p: p.start)
    spans = [(p.start, p.end) for p in paragraphs]
    whole: list[Paragraph] = []
    partial: list[Paragraph] = []
    cleared: dict[int, bool] = {}
    for p in paragraphs:
        first, last = p.start_line - 1, p.end_line - 1
        if p.start == lines.starts[first] and p.end == lines.starts[last + 1]:
            whole.append(p)  # whole lines already: plain text and Markdown
            continue
        for i in range(first, last + 1):
            if i not in cleared:
                cleared[i] = _cleared(lines, spans, i)
        (whole if all(cleared[i] for i in range(first, last + 1)) else partial).append(p)
    gone = _gone(lines, _blocks(lines, whole, boxes))
    # Elements side by side with only spaces between them go as one, with one run of spaces.
    runs: list[tuple[int, int]] = []
    for p in partial:
        if runs and not lines.text[runs[-1][1] : p.start].strip(_SPACE):
            runs[-1] = (runs[-1][0], p.end)
        else:
            runs.append((p.start, p.end))
    taken = [_with_space(lines.text, start, end) for start, end in runs]
    return Plan(bytes(gone), tuple(_merged(sorted(taken))))


def _cleared(lines: Lines, spans: Sequence[tuple[int, int]], i: int) -> bool:
    """Return whether line ``i`` holds only whitespace outside the ``spans``."""
    lo, hi = lines.starts[i], lines.starts[i + 1]
    cursor = lo
    k = bisect.bisect_right(spans, (lo, lo)) - 1
    for start, end in spans[max(k, 0) :]:
        if start >= hi:
            break
        if end <= cursor:
            continue
        if lines.text[cursor:start].strip():
            return False
        cursor = max(cursor, end)
    return not lines.text[cursor:hi].strip()


def _with_space(text: str, start: int, end: int) -> tuple[int, int]:
    """Return ``start``..``end`` widened by one adjoining run of spaces and tabs.

    The run after the span goes when the span starts a line or follows a space; else the
    run before it goes when the span ends its line.
    """
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else "\n"
    if after in _SPACE and (before in _SPACE or before in "\r\n"):
        while end < len(text) and text[end] in _SPACE:
            end += 1
    elif before in _SPACE and after in "\r\n":
        while start and text[start - 1] in _SPACE:
            start -= 1
    return start, end


def _line_spans(lines: Lines, gone: bytes) -> Iterator[tuple[int, int]]:
    """Yield the character ranges of the runs of lines that go, in order."""
    i = gone.find(1)
    while i >= 0:
        stop = gone.find(0, i)
        stop = len(gone) if stop < 0 else stop
        yield lines.starts[i], lines.starts[stop]
        i = gone.find(1, stop)


def _merged(*groups: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Yield the union of ranges, in order, from ``groups`` that are each sorted."""
    held: tuple[int, int] | None = None
    for start, end in heapq.merge(*groups):
        if held is not None and start <= held[1]:
            held = (held[0], max(held[1], end))
            continue
        if held is not None:
            yield held
        held = (start, end)
    if held is not None:
        yield held


def _blocks(
    lines: Lines, whole: Sequence[Paragraph], boxes: Sequence[Container]
) -> list[tuple[int, int]]:
    """Return the 0-based inclusive line ranges that go as blocks: the paragraphs, with the
    boxes they empty standing for the paragraphs inside them."""
    ranges = sorted((p.start_line - 1, p.end_line - 1) for p in whole)
    gone_boxes = outermost(emptied(lines, ranges, boxes))
    if not gone_boxes:
        return ranges
    out: list[tuple[int, int]] = []
    for first, last in sorted([*ranges, *((b.first, b.last) for b in gone_boxes)]):
        if out and first <= out[-1][1]:  # inside a box that goes (or overlapping it)
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def _gone(lines: Lines, removed: Iterable[tuple[int, int]]) -> bytearray:
    """Return, per line, whether it goes (1) or stays (0): the removed blocks' lines and a
    separator each.

    The nearest line that stays on either side of a paragraph is found through skip
    pointers over the lines gone so far (path-halving), so a run of thousands of removed
    paragraphs costs time linear in its length, not quadratic. Memory: 17 bytes a line.
    """
    n = len(lines)
    gone = bytearray(n)
    # before[i + 1]: towards the nearest staying line <= i (0 stands for "none");
    # after[i]: towards the nearest staying line >= i (n stands for "none").
    before = array("q", range(n + 1))
    after = array("q", range(n + 1))

    def take(i: int) -> None:
        gone[i] = 1
        before[i + 1] = i
        after[i] = i + 1

    for first, last in sorted(removed):
        for i in range(first, last + 1):
            take(i)
        prev = _root(before, first) - 1
        nxt = _root(after, last + 1)
        prev_i = prev if prev >= 0 else None
        after_i = nxt if nxt < n else None
        if (
            after_i is not None
            and lines.is_blank(after_i)
            and (prev_i is None or lines.is_blank(prev_i))
        ):
            i = after_i
            while i < n and not gone[i] and lines.is_blank(i):
                take(i)
                i += 1
        elif after_i is None and prev_i is not None and lines.is_blank(prev_i):
            i = prev_i
            while i >= 0 and not gone[i] and lines.is_blank(i):
                take(i)
                i -= 1
    return gone


def _root(parent: array[int], x: int) -> int:
    """Follow ``parent`` from ``x`` to a fixed point, halving the path on the way."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _has_terminator(line: str) -> bool:
    return line.endswith(("\n", "\r"))


def _strip_terminator_of(text: str, ranges: list[tuple[int, int]]) -> None:
    """Take the line break that ends the text of ``ranges`` (of ``text``) off their end."""
    tail = ""
    for start, end in reversed(ranges):  # the last two characters, across ranges
        tail = text[max(start, end - 2 + len(tail)) : end] + tail
        if len(tail) >= 2:
            break
    drop = 2 if tail.endswith("\r\n") else 1 if tail.endswith(("\n", "\r")) else 0
    while drop and ranges:
        start, end = ranges.pop()
        taken = min(drop, end - start)
        drop -= taken
        if end - taken > start:
            ranges.append((start, end - taken))
