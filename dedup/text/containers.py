"""Boxes in Markdown: MkDocs admonitions and ``:::`` containers, and the ones cleaning empties.

A reader sees ``!!! tip "Title"`` (or ``??? note``) with its indented body, ``::: tip``
… ``:::`` (VitePress, Docusaurus, MyST colon fences, DocFX zones), a MyST prose directive
in a backtick fence (```` ```{note} ```` … ```` ``` ````) and a pymdown-extensions block
(``/// tip | Title`` … ``///``) as a box around their content. The marker lines are
structure (``dedup.text.structure``), so they belong to no paragraph; when cleaning
removes every line of content a box holds, the box would be left empty, so it goes too:
its marker lines with its removed content, as one block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dedup.core.models import Document
from dedup.text.segment import Lines
from dedup.text.structure import MYST_PROSE_OPEN, Structure

_ADMONITION = re.compile(r"^([ \t]*)(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+\"[^\"]*\")?[ \t]*$")
_COLONS = re.compile(r"^[ \t]*(:{3,})[ \t]*(.*?)[ \t]*$")
_OPTION = re.compile(r"^\s*:[\w-]+:(?:\s.*)?$")  # MyST ``:name: value`` after an opener
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_MAYBE = re.compile(r":::|!!!|\?\?\?|```\{|~~~\{|///")
#: A pymdown-extensions block: ``/// note | Title`` … ``///`` (as many slashes).
_SLASHES = re.compile(r"^[ \t]*(/{3,})[ \t]*(.*?)[ \t]*$")
_BLOCK_OPTION = re.compile(r"^(?: {4}|\t)[\w-]+:(?:\s.*)?$")
_BODY_INDENT = 4  # an admonition's body is indented this much more than its opener


@dataclass(frozen=True, slots=True)
class Container:
    """One box, by 0-based lines: ``first``..``last`` inclusive, opener to end.

    ``markers`` are the box's own lines as inclusive ranges: the opener (with any MyST
    option lines) and, for ``:::``, the closing fence. Every other line is content.
    """

    first: int
    last: int
    markers: tuple[tuple[int, int], ...]

    def content(self) -> Iterable[int]:
        """Yield the lines between (and after) the markers, blank ones included."""
        marked = {i for a, b in self.markers for i in range(a, b + 1)}
        return (i for i in range(self.first, self.last + 1) if i not in marked)


def of_document(doc: Document, lines: Lines, rules: Structure) -> tuple[Container, ...]:
    """Return the boxes of a Markdown document (none for other syntaxes, or with the
    ``directives`` structure rule off: then marker lines are prose like any other)."""
    if doc.syntax != "markdown" or not rules.on("directives"):
        return ()
    return find(lines)


def find(lines: Lines) -> tuple[Container, ...]:
    """Return the admonitions and ``:::`` containers of a Markdown text, outside code fences.

    A ``:::`` opener is closed by the next line of only colons, at least as many as it
    has (inner boxes close first); ``::: zone-end`` closes a DocFX ``::: zone``. An opener
    never closed is no box.
    """
    if not _MAYBE.search(lines.text):
        return ()
    n = len(lines)
    found: list[Container] = []
    open_: list[tuple[int, int, int, str]] = []  # first line, opener's last line, colons, name
    fenced: list[tuple[int, int, str]] = []  # MyST and pymdown boxes: first, opener's last, fence
    fence: str | None = None
    i = 0
    while i < n:
        raw = lines.line(i).rstrip("\r\n")
        if fence is not None:
            if re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", raw):
                fence = None
        elif (
            fenced
            and (m := _FENCE.match(raw) or _SLASHES.match(raw)) is not None
            and raw.strip() == m.group(1)
            and m.group(1)[0] == fenced[-1][2][0]
            and len(m.group(1)) >= len(fenced[-1][2])
        ):
            first, head, _ = fenced.pop()  # closes the MyST or pymdown box
            found.append(Container(first, i, ((first, head), (i, i))))
        elif (m := _FENCE.match(raw)) and MYST_PROSE_OPEN.match(raw):
            i = _open_fenced(lines, i, m.group(1), _OPTION, fenced)
        elif m := _FENCE.match(raw):
            fence = m.group(1)
        elif (m := _SLASHES.match(raw)) and m.group(2):
            i = _open_fenced(lines, i, m.group(1), _BLOCK_OPTION, fenced)
        elif m := _ADMONITION.match(raw):
            if (last := _admonition_end(lines, i, _width(m.group(1)))) > i:
                found.append(Container(i, last, ((i, i),)))
        elif m := _COLONS.match(raw):
            colons, rest = len(m.group(1)), m.group(2)
            if not rest:
                if open_ and open_[-1][2] <= colons:
                    first, head, _, _ = open_.pop()
                    found.append(Container(first, i, ((first, head), (i, i))))
            elif rest.lower() == "zone-end":
                if open_ and open_[-1][3] == "zone":
                    first, head, _, _ = open_.pop()
                    found.append(Container(first, i, ((first, head), (i, i))))
            else:
                head = i
                while head + 1 < n and _OPTION.match(lines.line(head + 1).rstrip("\r\n")):
                    head += 1
                name = rest.split()[0].lower() if rest.split() else ""
                open_.append((i, head, colons, name))
                i = head
        i += 1
    return tuple(sorted(found, key=lambda c: (c.first, -c.last)))


def _open_fenced(
    lines: Lines, i: int, marker: str, option: re.Pattern[str], fenced: list[tuple[int, int, str]]
) -> int:
    """Open a box at line ``i`` closed by a line of ``marker`` (MyST's ```` ```{note} ````,
    pymdown's ``/// note``); its option lines belong to its opener. Return the opener's
    last line."""
    head = i
    while head + 1 < len(lines) and option.match(lines.line(head + 1).rstrip("\r\n")):
        head += 1
    fenced.append((i, head, marker))
    return head


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def _admonition_end(lines: Lines, opener: int, indent: int) -> int:
    """Return the last line of an admonition's body (``opener`` itself when it has none)."""
    last = opener
    for j in range(opener + 1, len(lines)):
        raw = lines.line(j).rstrip("\r\n")
        if not raw.strip():
            continue
        if _width(raw[: len(raw) - len(raw.lstrip(" \t"))]) < indent + _BODY_INDENT:
            break
        last = j
    return last


def emptied(
    lines: Lines, removed: Iterable[tuple[int, int]], boxes: Sequence[Container]
) -> list[Container]:
    """Return the boxes left with no content once the ``removed`` lines go.

    ``removed`` are inclusive 0-based line ranges (whole-line paragraphs). A box is
    emptied when every non-blank line of its content goes, at least one of them removed:
    a box that was empty to begin with stays. A box that holds only emptied boxes is
    emptied too. In document order.
    """
    if not boxes:
        return []
    covered = {i for a, b in removed for i in range(a, b + 1)}
    if not covered:
        return []
    out: list[Container] = []
    for box in sorted(boxes, key=lambda c: c.last - c.first):  # inner boxes first
        content = [i for i in box.content() if not lines.is_blank(i)]
        if content and all(i in covered for i in content):
            out.append(box)
            covered.update(range(box.first, box.last + 1))
    return sorted(out, key=lambda c: (c.first, -c.last))


def outermost(boxes: Sequence[Container]) -> list[Container]:
    """Return the ``boxes`` (in document order) that no other of them holds."""
    out: list[Container] = []
    for box in boxes:
        if out and box.last <= out[-1].last:
            continue
        out.append(box)
    return out
