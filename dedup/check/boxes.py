"""Boxes of a page: which lines sit in a version note or in a callout (a note, a warning).

A box is a directive or a container with a body, found from the lines alone:

- reStructuredText: a directive of the wanted names (``.. note::``, ``.. versionchanged::``;
  any case, as docutils reads them) and every line indented under it;
- MyST Markdown: a fence of backticks, tildes or colons opened with the name in braces
  (```` ```{versionadded} 1.2 ````, ``:::{note}``) down to its closing fence.

Callouts (``callout_lines``) are also the Markdown boxes of the common site generators:
a colon container without braces (VitePress ``::: warning``, Docusaurus ``:::note``), a
pymdown-extensions block (``/// warning | Title`` … ``///``), an
MkDocs admonition (``!!! note`` or ``??? tip`` and its indented body), a GitHub alert
(``> [!NOTE]`` and the quote under it) and a Hugo note shortcode (``{{% note %}}`` …
``{{% /note %}}``).

``dedup.check.findings`` reads them for two role rules: a group whose copies all sit in
version notes records changes (release-notes), and a group whose copies all sit in
callouts of one page is a reminder put where each section needs it (reminders).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dedup.text.segment import split_lines
from dedup.text.structure import CALLOUTS

_FENCE = re.compile(r"\s*(`{3,}|~{3,}|:{3,}|/{3,})")  # a box's closing fence
_CODE_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
_GITHUB_ALERT = re.compile(r"\s{0,3}>\s*\[!(?:note|tip|important|warning|caution)\]", re.I)


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


class Boxes:
    """The openers of boxes of some names, in each syntax (with ``markdown_callouts``, the
    Markdown callouts of site generators too)."""

    def __init__(self, names: Iterable[str], *, markdown_callouts: bool) -> None:
        alt = _alternatives(names)
        self.rst = re.compile(rf"\s*\.\.\s+(?:{alt})::", re.IGNORECASE)
        # MyST: the name in braces after any fence; colons alone may go without braces
        # colons or pymdown Blocks' slashes without braces: ``::: warning``, ``/// note | T``
        colons = rf"|(:{{3,}}|/{{3,}})\s*(?:{alt})(?![\w-])" if markdown_callouts else ""
        self.fenced = re.compile(
            rf"\s*(?:(`{{3,}}|~{{3,}}|:{{3,}})\{{(?:{alt})\}}{colons})", re.IGNORECASE
        )
        self.callouts = markdown_callouts
        self.mkdocs = re.compile(rf"\s*(?:!!!|\?\?\?\+?)\s*(?:{alt})(?![\w-])", re.IGNORECASE)
        self.hugo = re.compile(rf"\s*\{{\{{[<%]\s*(?:{alt})(?![\w-])", re.IGNORECASE)
        self.hugo_end = re.compile(rf"\{{\{{[<%]\s*/\s*(?:{alt})(?![\w-])", re.IGNORECASE)


_CALLOUT_BOXES = Boxes(CALLOUTS, markdown_callouts=True)


def callout_lines(text: str, syntax: str) -> list[int | None]:
    """Return, for each line, the callout (``CALLOUTS``) that holds it, opener included,
    numbered from 1 in the page's order, or None (``box_lines``)."""
    return box_lines(text, syntax, _CALLOUT_BOXES)


def box_lines(text: str, syntax: str, boxes: Boxes) -> list[int | None]:
    """Return, for each line, the box of ``boxes`` that holds it (numbered from 1 in the
    page's order; the outermost, when one holds another), or None: the directive line and
    its indented body in reStructuredText, the opening fence to its closing fence in
    Markdown (with callouts, also MkDocs, GitHub and Hugo boxes)."""
    lines = split_lines(text)
    out: list[int | None] = [None] * len(lines)
    if syntax == "rst":
        # (indentation, box) of the lines above that hold this one: a line is in a box
        # when its nearest holder is in one, or it opens one
        stack: list[tuple[int, int | None]] = []
        made = 0
        for n, line in enumerate(lines):
            if not line.strip():
                continue
            indent = len(line) - len(line.lstrip())
            while stack and stack[-1][0] >= indent:
                stack.pop()
            held = stack[-1][1] if stack else None
            if held is None and boxes.rst.match(line) is not None:
                made += 1
                held = made
            out[n] = held
            stack.append((indent, held))
    elif syntax == "markdown":
        _markdown_boxes(lines, boxes, out)
    return out


def _markdown_boxes(lines: list[str], boxes: Boxes, out: list[int | None]) -> None:
    code: str | None = None  # an open code fence (outside any box): nothing opens in it
    fence: str | None = None  # the open box's fence
    indented: int | None = None  # the open MkDocs box's opener indentation
    quote = hugo = False  # in a GitHub alert, in a Hugo shortcode box
    made = 0
    for n, line in enumerate(lines):
        if fence is not None:
            out[n] = made
            if _closes(line, fence, _FENCE):
                fence = None
            continue
        if hugo:
            out[n] = made
            hugo = boxes.hugo_end.search(line) is None
            continue
        if indented is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > indented:
                out[n] = made
                continue
            indented = None
        if quote:
            if line.lstrip().startswith(">"):
                out[n] = made
                continue
            quote = False
        if code is not None:
            if _closes(line, code, _CODE_FENCE):
                code = None
            continue
        if (m := boxes.fenced.match(line)) is not None:
            fence = m.group(1) or m.group(2)
        elif boxes.callouts and boxes.mkdocs.match(line) is not None:
            indented = len(line) - len(line.lstrip())
        elif boxes.callouts and _GITHUB_ALERT.match(line) is not None:
            quote = True
        elif boxes.callouts and boxes.hugo.match(line) is not None:
            hugo = boxes.hugo_end.search(line) is None  # not closed on its own line
        else:
            c = _CODE_FENCE.match(line)
            if c:
                code = c.group(1)  # a code example: a box shown in it opens none
            continue
        made += 1
        out[n] = made


def _closes(line: str, fence: str, pattern: re.Pattern[str]) -> bool:
    """Return whether ``line`` closes a box or code block opened by ``fence``: a line of
    only the same character, at least as many."""
    m = pattern.match(line)
    return (
        m is not None
        and m.group(1)[0] == fence[0]
        and len(m.group(1)) >= len(fence)
        and not line.strip()[len(m.group(1)) :].strip()
    )
