"""Long Markdown and HTML documents read a piece at a time, with the paragraphs of a whole
reading (plain text has its own, simpler cuts: ``segment.text_pieces``).

Markdown: CommonMark block parsing goes line by line, and at the top level between two
blocks it holds no state but the line it is on (link reference definitions are kept in
the parser's environment, but they change only inline parsing, and a paragraph's words
are parsed on their own, never with them: ``segment.paragraph_words``). So a piece is
parsed a little past where it will end, and it ends just before a top-level block that
markdown-it found after a blank line: the blocks before it are the whole reading's if no
rule looked as far as the end of the piece. Rules look at most two lines past the line a
block stops on (a table needs its delimiter row); the cut is made only where at least one
more top-level block follows and ``MARGIN`` lines remain, so none did. The next piece starts
with that blank line, so its first block is never front matter (only read on line 0),
and what follows the last paragraph before a cut (a lead-in before code) is seen.
Where no such block is found (an unclosed fence, a list or an HTML comment running on)
the piece grows, up to the whole document. Structure lines are masked on the whole text
first (``segment.markdown_source``), as a whole reading does.

HTML: the tokenizer is fed a slice at a time (``segment_html.html_block_stream``) and
a paragraph is taken once nothing still open can change it; pieces are runs of such
paragraphs, judged one by one (``segment.html_prose``).

A document with a ``dedup-ignore`` comment is read whole (its markers work across the
document), as is anything no longer than ``PIECED_CHARS``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dedup.core.models import Document, Paragraph
from dedup.text.segment import (
    PIECE_CHARS,
    PIECED_CHARS,
    Layout,
    Lines,
    html_prose,
    laid_out,
    markdown_source,
    markdown_tokens,
    reference_labels,
    token_blocks,
)
from dedup.text.segment_html import HtmlBlock, html_block_stream
from dedup.text.structure import ALL, Structure, front_matter_end

if TYPE_CHECKING:
    from dedup.text.segment import Tokens

#: Lines that must follow the first line of the block a Markdown piece ends before.
MARGIN = 4
_NEXT_LINE = re.compile(r"\r\n|\r|\n")
_IGNORE_WORD = "dedup-ignore"


@dataclass(frozen=True, slots=True)
class Piece:
    """The paragraphs of one piece of a long document, in document terms: ``layout.spans``
    are line ranges (Markdown) or character offsets (HTML) in the whole document."""

    layout: Layout
    chars: int  # characters of the document the piece covers (for progress)


def layout_pieces(
    doc: Document,
    rules: Structure = ALL,
    size: int = PIECE_CHARS,
    *,
    longer_than: int = PIECED_CHARS,
) -> Iterator[Piece] | None:
    """Return the pieces of a long Markdown or HTML document, or None to read it whole."""
    if len(doc.text) <= longer_than or _IGNORE_WORD in doc.text:
        return None
    if doc.syntax == "markdown":
        return _markdown_pieces(doc.text, rules, size)
    if doc.syntax == "html":
        return _html_pieces(doc.text, rules, size)
    return None


def _line_end(text: str, at: int) -> int:
    """Return the start of the first line that begins at or after ``at`` (or the end)."""
    if at <= 0:
        return 0
    if at >= len(text):
        return len(text)
    if text[at - 1] == "\n" or (text[at - 1] == "\r" and text[at] != "\n"):
        return at
    m = _NEXT_LINE.search(text, at)
    return len(text) if m is None else m.end()


def _blank(line: str) -> bool:
    """Return whether markdown-it reads ``line`` as empty (spaces and tabs only)."""
    return not line.rstrip("\r\n").strip(" \t")


def _cut(tokens: Tokens, lines: Lines) -> tuple[int, int] | None:
    """Return the index of the top-level token a piece ends before and the blank line
    before it (where the next piece starts), or None."""
    starts = [
        (i, tok.map[0])
        for i, tok in enumerate(tokens)
        if tok.level == 0 and tok.nesting >= 0 and tok.map is not None
    ]
    for k, first in reversed(starts[:-1]):  # a later top-level block follows each of them
        if first < 2:
            break
        if first + MARGIN <= len(lines) and _blank(lines.line(first - 1)):
            return k, first - 1
    return None


def _markdown_pieces(text: str, rules: Structure, size: int) -> Iterator[Piece]:
    source = markdown_source(text, rules)  # same lines as ``text``
    refs = reference_labels(text)  # the whole document's, for every piece
    lo, line = 0, 0  # where the piece starts: a character of ``source`` and its line
    # The first piece holds the whole front matter: cut inside it, a later piece would
    # read its last lines as prose (or its closing "---" as a heading's underline).
    head = source[: 1 << 16].split("\n", 256)[:256]
    front = front_matter_end(head, yaml=True)
    first = sum(len(h) + 1 for h in head[:front]) if front else 0
    while lo < len(source):
        span = max(size, first - lo)
        while True:
            hi = _line_end(source, lo + span)
            piece = source[lo:hi]
            tokens = markdown_tokens(piece)
            lines = Lines.of(piece)
            found = _cut(tokens, lines) if hi < len(source) else None
            if found is not None or hi >= len(source):
                break
            span *= 2
        stop = len(tokens) if found is None else found[0]
        blocks = token_blocks(tokens, stop, len(lines), rules, line, refs=refs)
        layout = Layout(
            tuple(itertools.chain.from_iterable((b.first, b.stop) for b in blocks)),
            tuple(b.compare for b in blocks),
            frozenset(),
        )
        if found is None:
            yield Piece(layout, len(source) - lo)
            return
        cut = found[1]  # the blank line before the block: the next piece's first line
        yield Piece(layout, lines.starts[cut])
        lo += lines.starts[cut]
        line += cut


def _html_pieces(text: str, rules: Structure, size: int) -> Iterator[Piece]:
    start = 0  # where the piece being gathered starts
    held: list[HtmlBlock] = []
    for block in html_block_stream(text):
        held.append(block)
        if block.end - start >= size:
            yield _html_piece(held, rules, block.end - start, text)
            held, start = [], block.end
    yield _html_piece(held, rules, len(text) - start, text)


def _html_piece(held: list[HtmlBlock], rules: Structure, chars: int, text: str) -> Piece:
    found = html_prose(held, rules, text)
    return Piece(
        Layout(
            tuple(itertools.chain.from_iterable((b.start, b.end) for b in found)),
            tuple(b.compare for b in found),
            frozenset(),
        ),
        chars,
    )


def piece_paragraphs(
    doc: Document, doc_index: int, pieces: Iterable[Piece]
) -> Iterator[tuple[Paragraph, str]]:
    """Yield ``segment(doc)``'s paragraphs and compared texts, a piece at a time (the
    streaming engine's second pass reads the layouts it recorded: ``segment.laid_found``)."""
    return laid_out(doc, (p.layout for p in pieces), doc_index)
