"""Summaries: a paragraph of a landing page that introduces the page it links to.

A landing page or table of contents often lists its sections as a link and a sentence or
two each, and the sentences are the linked page's own opening, word for word:

    **[Getting Started](getting-started/index.md)**

    To get started with Cargo, install Cargo (and Rust) and set up your first crate.

That copy is the landing page's design, not a paste a maintainer would undo. ``check``
gives a group of two copies, one in each page, the boilerplate role when the copy in one
page sits right under a link to the other (``check.assign_roles``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from dedup.check.lists import is_item

#: How many blank lines may separate a paragraph from the link line above it.
BLANK_LINES = 2
#: Words the link line may have besides its link (``## Guide: [Install](install.md)``).
LINK_LINE_WORDS = 3

# A Markdown link's destination (inline ``[text](dest)`` or ``<dest>``), a reStructuredText
# ``:doc:`` role or an external hyperlink target's ``<dest>``.
_DEST = re.compile(
    r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)|:doc:`(?:[^`<]*<)?([^`>]+)>?`|`[^`<]*<([^`>]+)>`_"
)
_WORD = re.compile(r"\w+")
_EXTENSION = re.compile(r"\.(?:md|markdown|mdx|rst|txt|html?)$", re.IGNORECASE)
_INDEX = re.compile(r"/(?:index|_index|readme)$", re.IGNORECASE)


def link_above(lines: Sequence[str], first: int) -> str | None:
    """Return the destination of the link line right above 1-based line ``first`` (at most
    ``BLANK_LINES`` blank lines between): a line that is one link and at most
    ``LINK_LINE_WORDS`` other words, such as ``**[Getting Started](getting-started/)**`` or
    ``## [Install](install.md)``, not a list item (a list's last link and the paragraph
    after the list); else None."""
    n = first - 2
    blanks = 0
    while n >= 0 and not lines[n].strip():
        blanks += 1
        n -= 1
    if n < 0 or blanks > BLANK_LINES:
        return None
    found = list(_DEST.finditer(lines[n]))
    if len(found) != 1 or is_item(lines[n]):  # the last item of a list
        return None
    rest = lines[n][: found[0].start()]
    rest = rest[: rest.rfind("[")] if "[" in rest else rest
    rest += lines[n][found[0].end() :]
    if len(_WORD.findall(rest)) > LINK_LINE_WORDS:
        return None
    m = found[0]
    return m.group(1) or m.group(2) or m.group(3)


def page_key(path: str) -> str:
    """Return a page's path as links name it: no extension, no trailing index page."""
    p = _EXTENSION.sub("", path.replace("\\", "/").rstrip("/"))
    return _INDEX.sub("", p)


def points_to(source: str, dest: str, target: str) -> bool:
    """Return whether link ``dest`` written in document ``source`` names document
    ``target`` (relative to the source's folder, anchors and extensions aside)."""
    dest = dest.split("#", 1)[0].split("?", 1)[0]
    if not dest or "://" in dest or dest.startswith(("mailto:", "/")):
        return False
    here = posixpath.dirname(source.replace("\\", "/"))
    resolved = posixpath.normpath(posixpath.join(here, dest))
    return page_key(resolved) == page_key(posixpath.normpath(target.replace("\\", "/")))
