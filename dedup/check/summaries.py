"""Summaries: a paragraph of a landing page that introduces the page it links to.

A landing page or table of contents often lists its sections as a link and a sentence or
two each, and the sentences are the linked page's own opening, word for word:

    **[Getting Started](getting-started/index.md)**

    To get started with Cargo, install Cargo (and Rust) and set up your first crate.

That copy is the landing page's design, not a paste a maintainer would undo. ``check``
gives a group of two copies, one in each page, the boilerplate role when the copy in one
page sits right under a link to the other (``link_above``), or when the other copy is its
page's opening and the copy or what follows it in its section links to that page ("See
the :doc:`humanize documentation </ref/contrib/humanize>`.", a ``toctree``;
``links_near``): Django's index pages open each section with the words of
the page they list (``check.assign_roles``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from dedup.check.entries import is_heading_line
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
    ``## [Install](install.md)``, a paragraph of its own (not the last line of a wrapped
    sentence) and not a list item (a list's last link and the paragraph after the list);
    else None."""
    n = first - 2
    blanks = 0
    while n >= 0 and not lines[n].strip():
        blanks += 1
        n -= 1
    if n < 0 or blanks > BLANK_LINES or (n > 0 and not _opens_block(lines, n)):
        return None  # none, or the last line of a longer paragraph
    found = list(_DEST.finditer(lines[n]))
    if len(found) != 1 or is_item(lines[n]):  # the last item of a list
        return None
    rest = lines[n][: found[0].start()]
    rest = rest[: rest.rfind("[")] if "[" in rest else rest
    rest += lines[n][found[0].end() :]
    if len(_WORD.findall(rest)) > LINK_LINE_WORDS:
        return None
    return _destination(found[0])


_TOCTREE = re.compile(r"\s*\.\.\s+toctree::")
_TOC_ENTRY = re.compile(r"[^<\n]*<([^>\s]+)>|([^\s:<][^\s<]*)")  # a stripped entry line


def links_near(lines: Sequence[str], first: int, section: tuple[int, int]) -> list[str]:
    """Return the link destinations from a paragraph's first line (1-based ``first``) to
    the end of its section (1-based lines ``section[0]``..``section[1]``), and the entries
    of every ``.. toctree::`` in the section."""
    end = min(section[1], len(lines))
    dests = [_destination(m) for line in lines[first - 1 : end] for m in _DEST.finditer(line)]
    n = section[0] - 1
    while n < end:
        if _TOCTREE.match(lines[n]):
            n += 1
            while n < len(lines) and (not lines[n].strip() or lines[n][:1].isspace()):
                entry = lines[n].strip()
                found = _TOC_ENTRY.fullmatch(entry) if entry[:1] not in ("", ":") else None
                if found:  # not an option (":maxdepth: 1") or a blank line
                    dests.append(found.group(1) or found.group(2))
                n += 1
        else:
            n += 1
    return dests


def _destination(m: re.Match[str]) -> str:
    """Return the destination ``_DEST`` found, whichever of its forms."""
    return m.group(1) or m.group(2) or m.group(3)


def _opens_block(lines: Sequence[str], n: int) -> bool:
    """Return whether 0-based line ``n`` starts a paragraph: the line above is blank or a
    heading (an ATX heading, or a title's underline)."""
    above = lines[n - 1]
    return not above.strip() or is_heading_line(above)


def page_key(path: str) -> str:
    """Return a page's path as links name it: no extension, no trailing index page."""
    p = _EXTENSION.sub("", path.replace("\\", "/").rstrip("/"))
    return _INDEX.sub("", p)


def points_to(source: str, dest: str, target: str) -> bool:
    """Return whether link ``dest`` written in document ``source`` names document
    ``target`` (relative to the source's folder, anchors and extensions aside). A link from
    the site's root (``/guide/install``, Sphinx's ``:doc:`/ref/contrib/humanize```) names
    the target whose path ends with it."""
    dest = dest.split("#", 1)[0].split("?", 1)[0]
    if not dest or "://" in dest or dest.startswith(("mailto:", "//")):
        return False
    target_key = page_key(posixpath.normpath(target.replace("\\", "/")))
    if dest.startswith("/"):
        rooted = page_key(posixpath.normpath(dest)).rstrip("/")
        # the site's root itself ("/", "/index.html") names the home page, no other
        return bool(rooted) and ("/" + target_key.lstrip("/")).endswith(rooted)
    here = posixpath.dirname(source.replace("\\", "/"))
    resolved = posixpath.normpath(posixpath.join(here, dest))
    return page_key(resolved) == target_key
