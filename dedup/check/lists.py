"""Lists of a page: which list each list item belongs to.

A page often holds lists written in parallel: the tiers of a sponsorship page, the steps
of two similar procedures, the context variables of two templates, the two scenarios of an
example. The same item in two of them ("- The steering council votes on nominees.") is
the page's structure, not a paste a maintainer would undo; the same item twice in one
list is a slip. ``check`` uses this to give a group whose copies are all list items of
one page, each in a different list, the boilerplate role (``check.assign_roles``).

Lists are found from the lines alone, the same way for Markdown, reStructuredText and
plain text: an item starts with a bullet (``-``, ``*``, ``+``, ``•``) or a number
(``1.``, ``1)``, ``#.``) and a space; the items of one list share their indentation and
marker kind; a list ends at a line, after a blank line, indented no more than its markers
(a heading, a paragraph, a code fence), or at an item of another marker kind at its
indentation. Lines inside Markdown code fences are not read (reStructuredText has none: a
``~~~~`` line there is a title's underline); block quote markers (``>``)
are read through, so a list inside a quote is a list. A definition list's term (a line
followed by a ``: definition`` line, as Pandoc, PHP Markdown Extra, Hugo's Goldmark and
MyST write them) is an item too, of its own marker kind; so is, in reStructuredText, a
definition list's term (a line after a blank line right above a more indented one).

Lines under an item (its continuation lines, the paragraphs and blocks indented under
it) belong to that item: a note said under two items ("See issue #169." under two
change-log entries) is the page's pattern too (``ListItems.bodies``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_ITEM = re.compile(r"([ \t]*)(?:([-*+\u2022])|\d{1,9}([.)])|#(\.))[ \t]+\S")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
#: The definition line under a definition list's term: ``: The title attribute.``
_DEFINITION = re.compile(r"[ \t]{0,3}:[ \t]+\S")
#: Block quote markers, read through: a list in a quote is a list (``> 1. Return x.``).
_QUOTE = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+")


def is_item(line: str) -> bool:
    """Return whether a line starts a list item (a bullet or a number and a space)."""
    return _ITEM.match(line) is not None


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def list_ids(lines: Sequence[str], *, fences: bool = True) -> list[int | None]:
    """Return, for each line (index 0 is line 1), the list its item starts, or None.

    Two item lines get the same number exactly when they are items of one list. With
    ``fences`` false (reStructuredText) a line of backticks or tildes ends a list (a
    title's underline, ``~~~~``) but opens no code fence.
    """
    return list_items(lines, fences=fences).ids


@dataclass(frozen=True, slots=True)
class ListItems:
    """A page's lists, line by line (index 0 is line 1).

    ``ids``: for a line that starts an item, the list the item belongs to (one number per
    list). ``bodies``: for any other line inside an item (its continuation lines, the
    paragraphs and blocks indented under it), the innermost item that holds it (one number
    per item)."""

    ids: list[int | None]
    bodies: list[int | None]


def list_items(lines: Sequence[str], *, fences: bool = True) -> ListItems:
    """Return a page's lists (``ListItems``). With ``fences`` false the page is
    reStructuredText: a ``~~~~`` line is a title's underline, not a fence, and a line right
    above a more indented one, after a blank line, is a definition list's term (the glossary's
    "late acknowledgment" and its definition)."""
    ids: list[int | None] = []
    bodies: list[int | None] = []
    open_: list[tuple[int, str, int, int]] = []  # (marker indentation, kind, list id, item)
    fence: str | None = None
    after_blank = True
    made = items = 0
    terms = {
        n
        for n in range(len(lines) - 1)
        if _DEFINITION.match(lines[n + 1]) and lines[n].strip() and not _DEFINITION.match(lines[n])
    }
    if not fences:
        terms |= _rst_terms(lines)
    for n, line in enumerate(lines):
        if (q := _QUOTE.match(line)) is not None:
            line = line[q.end() :]
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            ids.append(None)
            bodies.append(open_[-1][3] if open_ else None)
            continue
        if not line.strip():
            after_blank = True
            ids.append(None)
            bodies.append(None)
            continue
        indent = _indent(line)
        item = _ITEM.match(line)
        if item is not None or n in terms:
            kind = ":" if item is None else item.group(2) or item.group(3) or "#"
            while open_ and (
                open_[-1][0] > indent or (open_[-1][0] == indent and open_[-1][1] != kind)
            ):
                open_.pop()
            items += 1
            if open_ and open_[-1][0] == indent:
                open_[-1] = (*open_[-1][:3], items)
            else:
                made += 1
                open_.append((indent, kind, made, items))
            ids.append(open_[-1][2])
            bodies.append(None)
        else:
            f = _FENCE.match(line)
            # Text right under an item's text continues it (lazily); anything else at a
            # marker's indentation, or a fence or heading at any point, ends the list.
            if after_blank or f is not None or line.lstrip().startswith("#"):
                while open_ and open_[-1][0] >= indent:
                    open_.pop()
            if f is not None and fences:
                fence = f.group(1)
            ids.append(None)
            bodies.append(open_[-1][3] if open_ else None)
        after_blank = False
    return ListItems(ids, bodies)


def _rst_terms(lines: Sequence[str]) -> set[int]:
    """Return the (0-based) lines that are a reStructuredText definition list's term: after
    a blank line, right above a more indented line, and not a directive, a comment, a field
    or an item."""
    out: set[int] = set()
    for n in range(len(lines) - 1):
        line, below = lines[n], lines[n + 1]
        if not line.strip() or not below.strip() or (n and lines[n - 1].strip()):
            continue
        head = line.lstrip()
        if head.startswith(("..", ":")) or _ITEM.match(line) is not None:
            continue
        if _indent(below) > _indent(line) and not head.endswith("::"):
            out.add(n)
    return out
