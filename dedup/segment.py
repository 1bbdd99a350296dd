"""Document -> paragraphs with exact character, byte and line spans.

Plain text: blocks separated by blank lines, or one paragraph per line when the text has
no blank line between its non-empty lines. Markdown: the paragraphs markdown-it finds
(list items and block quotes included); headings, code, front matter, tables and HTML
blocks are structure and are never compared. HTML: the paragraph elements
``dedup.segment_html`` finds, each spanning exactly its source (which may share a line
with other content).
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from dedup.models import Document, Paragraph
from dedup.segment_html import html_blocks

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")
_IGNORE_WORD = "dedup-ignore"
_MARKER = re.compile(r"^\s*<!--\s*dedup-ignore-(next|start|end|file)\s*-->\s*$")


def marker(line: str) -> str | None:
    """Return ``next``, ``start``, ``end`` or ``file`` for a dedup-ignore comment line."""
    m = _MARKER.match(line)
    return m.group(1) if m else None


@dataclass(frozen=True, slots=True)
class Lines:
    """The lines of a text: ``starts[i]``..``starts[i+1]`` is line ``i`` with its terminator."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Lines:
        """Split ``text`` into lines, keeping every terminator (LF, CRLF, CR)."""
        if "\r" in text:
            starts = [m.start() for m in _LINE.finditer(text)]
            starts.append(len(text))
            return cls(text, tuple(starts))
        pieces = text.split("\n")  # LF only: the same lines, without a regex match per line
        starts = list(itertools.accumulate((len(p) + 1 for p in pieces[:-1]), initial=0))
        if pieces[-1]:
            starts.append(len(text))
        return cls(text, tuple(starts))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def line(self, i: int) -> str:
        """Return line ``i`` (0-based) with its terminator."""
        return self.text[self.starts[i] : self.starts[i + 1]]

    def is_blank(self, i: int) -> bool:
        """Return whether line ``i`` holds only whitespace."""
        return not self.line(i).strip()


@dataclass(frozen=True, slots=True)
class Block:
    """A 0-based half-open line range and the text compared for it."""

    first: int
    stop: int
    compare: str


@dataclass(frozen=True, slots=True)
class Segmented:
    """The paragraphs of one document and the texts they are compared by."""

    lines: Lines
    paragraphs: tuple[Paragraph, ...]
    compare: tuple[str, ...]
    ignored: frozenset[int] = frozenset()  # positions of paragraphs under dedup-ignore comments


def segment(doc: Document, doc_index: int = 0) -> Segmented:
    """Split ``doc`` into paragraphs, by its syntax."""
    lines = Lines.of(doc.text)
    if doc.syntax == "html":
        return _html_segmented(doc, lines, doc_index)
    blocks = markdown_blocks(lines) if doc.syntax == "markdown" else text_blocks(lines)
    byte_starts = _byte_offsets(lines, doc.encoding)
    paragraphs = tuple(
        Paragraph(
            doc=doc_index,
            index=n,
            start_line=b.first + 1,
            end_line=b.stop,
            start=lines.starts[b.first],
            end=lines.starts[b.stop],
            byte_start=byte_starts[b.first],
            byte_end=byte_starts[b.stop],
            text=doc.text[lines.starts[b.first] : lines.starts[b.stop]],
        )
        for n, b in enumerate(blocks, start=1)
    )
    ignored = _ignored(lines, blocks)
    return Segmented(lines, paragraphs, tuple(b.compare for b in blocks), ignored)


def compare_texts(doc: Document) -> tuple[tuple[str, ...], frozenset[int]]:
    """Return ``segment(doc)``'s ``compare`` and ``ignored`` without building paragraphs.

    For work that needs only what is compared (the streaming engine's first pass).
    """
    if doc.syntax == "html":
        found = html_blocks(doc.text)
        return tuple(b.compare for b in found), frozenset(
            i for i, b in enumerate(found) if b.ignored
        )
    lines = Lines.of(doc.text)
    blocks = markdown_blocks(lines) if doc.syntax == "markdown" else text_blocks(lines)
    return tuple(b.compare for b in blocks), _ignored(lines, blocks)


def _html_segmented(doc: Document, lines: Lines, doc_index: int) -> Segmented:
    """Return the HTML paragraphs of ``doc``: exact element spans, lines they touch."""
    blocks = html_blocks(doc.text)
    byte_at = _ByteAt(lines, doc.encoding)
    paragraphs: list[Paragraph] = []
    for n, b in enumerate(blocks, start=1):
        first = bisect.bisect_right(lines.starts, b.start, hi=len(lines)) - 1
        last = bisect.bisect_right(lines.starts, b.end - 1, hi=len(lines)) - 1
        paragraphs.append(
            Paragraph(
                doc=doc_index,
                index=n,
                start_line=first + 1,
                end_line=last + 1,
                start=b.start,
                end=b.end,
                byte_start=byte_at(first, b.start),
                byte_end=byte_at(last, b.end),
                text=doc.text[b.start : b.end],
                column=b.start - lines.starts[first] + 1,
            )
        )
    ignored = frozenset(i for i, b in enumerate(blocks) if b.ignored)
    return Segmented(lines, tuple(paragraphs), tuple(b.compare for b in blocks), ignored)


class _ByteAt:
    """Byte offsets of characters, asked in increasing order (HTML paragraphs in order).

    Many paragraphs on one long line (minified HTML) are measured from the last offset
    asked, not each from the start of the line: linear, not quadratic, in the line.
    """

    def __init__(self, lines: Lines, encoding: str) -> None:
        self.lines = lines
        self.encoding = encoding
        self.starts = _byte_offsets(lines, encoding)
        # Encodings whose bytes for a text are the bytes of its pieces (no BOM, no state).
        self.pieces = codecs.lookup(encoding).name in {"utf-8", "iso8859-1", "cp1252", "ascii"}
        self.same = self.pieces and lines.text.isascii()  # one byte per character
        self.last = (-1, 0, 0)  # line, character, byte

    def __call__(self, line: int, at: int) -> int:
        """Return the byte offset of character ``at``, which lies on 0-based ``line``."""
        if self.same:
            return at
        text, start = self.lines.text, self.lines.starts[line]
        was_line, was_at, was_byte = self.last
        if self.pieces and was_line == line and was_at <= at:
            byte = was_byte + len(text[was_at:at].encode(self.encoding))
        else:
            byte = self.starts[line] + len(text[start:at].encode(self.encoding))
        self.last = (line, at, byte)
        return byte


def _ignored(lines: Lines, blocks: list[Block]) -> frozenset[int]:
    """Return positions of blocks that ``dedup-ignore`` comments exclude from comparison."""
    if _IGNORE_WORD not in lines.text:
        return frozenset()
    markers = {i: m for i in range(len(lines)) if (m := marker(lines.line(i)))}
    if not markers:
        return frozenset()
    if "file" in markers.values():
        return frozenset(range(len(blocks)))
    out: set[int] = set()
    pending, inside, b = False, False, 0
    for i in range(len(lines)):
        kind = markers.get(i)
        if kind == "next":
            pending = True
        elif kind == "start":
            inside = True
        elif kind == "end":
            inside = False
        while b < len(blocks) and blocks[b].first <= i:
            if blocks[b].first == i and (pending or inside):
                out.add(b)
                pending = False
            b += 1
    return frozenset(out)


def text_blocks(lines: Lines) -> list[Block]:
    """Return blank-line separated blocks, or one block per line if no blank line separates any."""
    # dedup-ignore comment lines separate paragraphs and belong to none.
    text, starts = lines.text, lines.starts
    blank = [not text[a:b].strip() for a, b in itertools.pairwise(starts)]
    if _IGNORE_WORD in text:
        blank = [b or marker(lines.line(i)) is not None for i, b in enumerate(blank)]
    content = [i for i, b in enumerate(blank) if not b]
    if not content:
        return []
    if not any(blank[content[0] : content[-1]]):  # no blank line between lines: one each
        return [Block(i, i + 1, text[starts[i] : starts[i + 1]]) for i in content]
    blocks: list[Block] = []
    first = -1  # the first line of the block being read, -1 between blocks
    for i, is_blank in enumerate(blank):
        if not is_blank:
            if first < 0:
                first = i
        elif first >= 0:
            blocks.append(Block(first, i, text[starts[first] : starts[i]]))
            first = -1
    if first >= 0:
        blocks.append(Block(first, len(blank), text[starts[first] : starts[len(blank)]]))
    return blocks


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


@cache
def _blocks_only() -> MarkdownIt:
    # Block structure only: a paragraph's words are parsed on demand (paragraph_words).
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).disable("inline")


# Characters that can start inline markup (emphasis, code, links, HTML, entities,
# escapes); a paragraph without any reads the same with or without inline parsing.
_MARKUP = re.compile(r"[\\`*_\[\]<>!&]")


def paragraph_words(content: str) -> str:
    """Return the words a reader sees in a paragraph's raw inline content."""
    if not _MARKUP.search(content):
        return content
    return inline_text(_markdown().parseInline(content)[0])


def markdown_blocks(lines: Lines) -> list[Block]:
    """Return the prose paragraphs markdown-it finds (in lists and quotes too), in order."""
    tokens = _blocks_only().parse(lines.text)
    blocks: list[Block] = []
    for i, tok in enumerate(tokens):
        if tok.type != "paragraph_open" or tok.map is None:
            continue
        first, stop = tok.map
        words = paragraph_words(tokens[i + 1].content)
        blocks.append(Block(first, min(stop, len(lines)), words))
    return blocks


def inline_text(inline: Token) -> str:
    """Return the words a reader sees in an inline token: text and code, not URLs or markup."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


@cache
def _ascii_one_byte(encoding: str) -> bool:
    """Return whether ``encoding`` writes every ASCII character as that one byte."""
    return codecs.lookup(encoding).name in {"utf-8", "utf-8-sig", "iso8859-1", "cp1252", "ascii"}


def _byte_offsets(lines: Lines, encoding: str) -> list[int]:
    if lines.text.isascii() and _ascii_one_byte(encoding):
        return list(lines.starts)  # one byte per character
    offsets = [0]
    for i in range(len(lines)):
        offsets.append(offsets[-1] + len(lines.line(i).encode(encoding)))
    return offsets
