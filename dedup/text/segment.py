"""Document -> paragraphs with exact character, byte and line spans.

Plain text: blocks separated by blank lines, or one paragraph per line when the text has
no blank line between its non-empty lines. Markdown: the paragraphs markdown-it finds
(list items and block quotes included); headings, code, front matter, tables and HTML
blocks are structure and are never compared. HTML: the paragraph elements
``dedup.text.segment_html`` finds, each spanning exactly its source (which may share a line
with other content).
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import re
from array import array
from collections.abc import Collection, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from dedup.core.models import Document, Paragraph
from dedup.text.plain_paragraph import TOKEN as PLAIN_PARAGRAPH
from dedup.text.segment_html import HtmlBlock, html_blocks
from dedup.text.structure import (
    ALL,
    LEAD_IN_BLOCK_WORDS,
    Structure,
    Words,
    is_word_list,
    many_words,
    mask_lines,
    no_prose,
    no_prose_plain,
    strip_tags,
    words_of_inline,
    words_of_text,
)

if TYPE_CHECKING:  # markdown-it loads when a Markdown document is read (``_markdown``)
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from dedup.text.plain_paragraph import PlainToken

    #: The block tokens of dedup's parser: markdown-it's, and one ``PlainToken`` for each
    #: plain paragraph (``plain_paragraph``).
    Tokens = Sequence[Token | PlainToken]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")
_IGNORE_WORD = "dedup-ignore"
_MARKER = re.compile(r"^\s*<!--\s*dedup-ignore-(next|start|end|file)\s*-->\s*$")


def marker(line: str) -> str | None:
    """Return ``next``, ``start``, ``end`` or ``file`` for a dedup-ignore comment line."""
    m = _MARKER.match(line)
    return m.group(1) if m else None


def split_lines(text: str) -> list[str]:
    """Return ``text``'s lines as dedup numbers them: split at LF, CRLF and CR only (not at
    the form feeds, U+2028 and other breaks ``str.splitlines`` also splits at)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass(frozen=True, slots=True)
class Lines:
    """The lines of a text: ``starts[i]``..``starts[i+1]`` is line ``i`` with its terminator."""

    text: str
    starts: Sequence[int]

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

    @classmethod
    def compact(cls, text: str, chunk: int = 1 << 16) -> Lines:
        """Return ``Lines.of(text)`` with the starts in an array, 8 bytes a line, found a
        chunk of about ``chunk`` characters at a time (for a text of millions of lines)."""
        starts = array("q", [0])
        lo = 0
        while lo < len(text):
            hi = text.find("\n", lo + chunk)  # a chunk ends after a LF: no CRLF is split
            hi = len(text) if hi < 0 else hi + 1
            if text.find("\r", lo, hi) >= 0:
                starts.extend(m.end() for m in _LINE.finditer(text, lo, hi))
            else:
                pieces = text[lo:hi].split("\n")
                ends = itertools.accumulate((len(p) + 1 for p in pieces[:-1]), initial=lo)
                starts.extend(itertools.islice(ends, 1, None))
                if pieces[-1]:  # a last line without a line break
                    starts.append(hi)
            lo = hi
        return cls(text, starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def line(self, i: int) -> str:
        """Return line ``i`` (0-based) with its terminator."""
        return self.text[self.starts[i] : self.starts[i + 1]]

    def is_blank(self, i: int) -> bool:
        """Return whether line ``i`` holds only whitespace."""
        return not self.line(i).strip()


class Block(NamedTuple):
    """A 0-based half-open line range and the text compared for it.

    A named tuple, not a frozen dataclass: a docs tree makes one per paragraph, and a
    tuple is made several times faster."""

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


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a document's paragraphs lie and what they are compared by: what ``segment``
    builds its result from, small enough to keep (the streaming engine's second pass
    rebuilds the paragraphs from it instead of parsing the document again).

    ``spans`` is flat: ``(first, stop)`` 0-based half-open line ranges, or for HTML
    ``(start, end)`` character offsets.
    """

    spans: tuple[int, ...]
    compare: tuple[str, ...]
    ignored: frozenset[int]


def segment(doc: Document, doc_index: int = 0, *, rules: Structure = ALL) -> Segmented:
    """Split ``doc`` into paragraphs, by its syntax; ``rules`` say what is structure."""
    lines = Lines.of(doc.text)
    return segmented(doc, _layout(doc, lines, rules), doc_index, lines)


def layout(doc: Document, *, rules: Structure = ALL) -> Layout:
    """Return where ``segment(doc)``'s paragraphs lie and what they compare."""
    if doc.syntax == "text" and (not doc.text or doc.text.isspace()):
        # Nothing but blank lines (millions, maybe): no paragraph, and no line need be
        # listed to see it (``text_blocks`` reads a line as blank by ``str.strip``).
        return Layout((), (), frozenset())
    lines = None if doc.syntax == "html" else Lines.of(doc.text)
    return _layout(doc, lines, rules)


def _layout(doc: Document, lines: Lines | None, rules: Structure) -> Layout:
    if doc.syntax == "html":
        found = _html_prose(doc.text, rules)
        return Layout(
            tuple(itertools.chain.from_iterable((b.start, b.end) for b in found)),
            tuple(b.compare for b in found),
            frozenset(i for i, b in enumerate(found) if b.ignored),
        )
    lines = Lines.of(doc.text) if lines is None else lines
    blocks = _blocks(doc.syntax, lines, rules)
    return Layout(
        tuple(itertools.chain.from_iterable((b.first, b.stop) for b in blocks)),
        tuple(b.compare for b in blocks),
        _ignored(lines, blocks),
    )


def segment_some(
    doc: Document,
    wanted: Container[int],
    doc_index: int = 0,
    *,
    rules: Structure = ALL,
    layout: Layout | None = None,
) -> Found:
    """Return ``segment(doc)``'s paragraphs numbered ``wanted`` (only those are built) and
    how many it has; ``layout``: ``doc``'s layout when it is at hand (else it is parsed)."""
    lines = Lines.of(doc.text)
    found = _layout(doc, lines, rules) if layout is None else layout
    return next(laid_found(doc, [found], doc_index, lines, wanted))


def segmented(
    doc: Document, layout: Layout, doc_index: int = 0, lines: Lines | None = None
) -> Segmented:
    """Return ``segment(doc)`` from its ``layout`` (``lines``: ``Lines.of(doc.text)``)."""
    lines = Lines.of(doc.text) if lines is None else lines
    paragraphs = tuple(p for p, _ in laid_out(doc, [layout], doc_index, lines))
    return Segmented(lines, paragraphs, layout.compare, layout.ignored)


def laid_out(
    doc: Document, layouts: Iterable[Layout], doc_index: int = 0, lines: Lines | None = None
) -> Iterator[tuple[Paragraph, str]]:
    """Yield the paragraphs of ``doc`` that ``layouts`` describe, one after the other (one
    layout, or the pieces of one: ``dedup.text.pieces``), numbered from 1, with compared texts."""
    for found in laid_found(doc, layouts, doc_index, lines):
        yield from found.paragraphs


@dataclass(frozen=True, slots=True)
class Found:
    """The paragraphs asked for in one piece of a document, and how many the piece has."""

    count: int
    paragraphs: list[tuple[Paragraph, str]]


def laid_found(
    doc: Document,
    layouts: Iterable[Layout],
    doc_index: int = 0,
    lines: Lines | None = None,
    wanted: Container[int] | None = None,
) -> Iterator[Found]:
    """Yield, layout by layout, the paragraphs of ``laid_out`` whose numbers are ``wanted``
    (all if None): only those are built."""
    lines = Lines.of(doc.text) if lines is None else lines
    starts = lines.starts
    html = doc.syntax == "html"
    byte_at = _ByteAt(lines, doc.encoding) if html else None
    byte_starts = [] if html else byte_offsets(lines, doc.encoding)
    base = 0  # paragraphs in the layouts before this one
    for layout in layouts:
        spans = layout.spans
        found: list[tuple[Paragraph, str]] = []
        for n, (a, b, compare) in enumerate(
            zip(spans[::2], spans[1::2], layout.compare, strict=True), start=base + 1
        ):
            if wanted is not None and n not in wanted:
                continue
            if byte_at is None:  # a line range
                paragraph = Paragraph(
                    doc=doc_index,
                    index=n,
                    start_line=a + 1,
                    end_line=b,
                    start=starts[a],
                    end=starts[b],
                    byte_start=byte_starts[a],
                    byte_end=byte_starts[b],
                    text=doc.text[starts[a] : starts[b]],
                )
            else:  # character offsets
                first = bisect.bisect_right(starts, a, hi=len(lines)) - 1
                last = bisect.bisect_right(starts, b - 1, hi=len(lines)) - 1
                paragraph = Paragraph(
                    doc=doc_index,
                    index=n,
                    start_line=first + 1,
                    end_line=last + 1,
                    start=a,
                    end=b,
                    byte_start=byte_at(first, a),
                    byte_end=byte_at(last, b),
                    text=doc.text[a:b],
                    column=a - starts[first] + 1,
                )
            found.append((paragraph, compare))
        base += len(layout.compare)
        yield Found(len(layout.compare), found)


def compare_texts(
    doc: Document, *, rules: Structure = ALL
) -> tuple[tuple[str, ...], frozenset[int]]:
    """Return ``segment(doc)``'s ``compare`` and ``ignored`` without building paragraphs."""
    found = layout(doc, rules=rules)
    return found.compare, found.ignored


def _blocks(syntax: str, lines: Lines, rules: Structure) -> list[Block]:
    """Return the prose blocks of a Markdown or plain-text document."""
    if syntax == "markdown":
        return markdown_blocks(lines, rules)
    if syntax == "rst":
        from dedup.text.segment_rst import rst_paragraphs  # docutils loads only for .rst

        return [
            p.block
            for p in rst_paragraphs(lines)
            if not no_prose(
                p.words,
                rules,
                markup=True,
                plain=p.plain,
                in_list=p.in_list,
                before_block=p.before_block,
                before_code=p.before_code,
            )
        ]
    return text_blocks(lines, rules)


def _html_prose(text: str, rules: Structure) -> list[HtmlBlock]:
    """Return the HTML paragraph elements that hold prose (not only directives or labels)."""
    return html_prose(html_blocks(text), rules, text)


def html_prose(
    found: Iterable[HtmlBlock], rules: Structure = ALL, text: str | None = None
) -> list[HtmlBlock]:
    """Return the blocks that hold prose, inline template tags taken out of what they compare.

    Each block is judged alone, so a long document's blocks can be judged a piece at a
    time; ``text`` (the whole document) lets a short one see what follows it, for the
    lead-in rule (``html_following``).
    """
    out: list[HtmlBlock] = []
    for b in found:
        w = b.words
        if w is not None:
            block = code = False
            if text is not None and w.total <= LEAD_IN_BLOCK_WORDS:
                block, code = html_following(text, b.end)
            if no_prose(
                w, rules, markup=True, in_list=b.in_list, before_block=block, before_code=code
            ):
                continue
        elif no_prose(words_of_text(b.compare), rules, markup=False):
            continue
        compare = strip_tags(b.compare)
        out.append(b if compare is b.compare else replace(b, compare=compare))
    return out


#: What an HTML paragraph is followed by: end tags, comments and space skipped, the next
#: start tag. Code: ``pre`` or an element whose class names code ("highlight", "code",
#: "sourceCode"); a block: a list, a table, a definition list, ``pre``, a heading (as in
#: Markdown: a lead-in may introduce the sections that follow).
_FOLLOWING = re.compile(r"(?:\s+|</[^>]*>|<!--.*?-->)*<([A-Za-z][A-Za-z0-9]*)([^>]*)>", re.DOTALL)
_HTML_BLOCKS = frozenset({"pre", "ul", "ol", "table", "dl", "h1", "h2", "h3", "h4", "h5", "h6"})
_CODE_CLASS = re.compile(r"""class\s*=\s*["'][^"']*\b(?:highlight|code|sourceCode)""", re.I)


def html_following(text: str, end: int) -> tuple[bool, bool]:
    """Return whether a block, and whether code, follows an HTML paragraph ending at
    ``end`` (only a short window of the text is read)."""
    m = _FOLLOWING.match(text, end, min(len(text), end + 2048))
    if m is None:
        return False, False
    tag = m.group(1).lower()
    code = tag == "pre" or (tag == "div" and _CODE_CLASS.search(m.group(2)) is not None)
    return code or tag in _HTML_BLOCKS, code


class _ByteAt:
    """Byte offsets of characters, asked in increasing order (HTML paragraphs in order).

    Many paragraphs on one long line (minified HTML) are measured from the last offset
    asked, not each from the start of the line: linear, not quadratic, in the line.
    """

    def __init__(self, lines: Lines, encoding: str) -> None:
        self.lines = lines
        self.encoding = encoding
        self.starts = byte_offsets(lines, encoding)
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


def _all_lines(lines: Lines) -> list[str]:
    return [lines.text[a:b] for a, b in itertools.pairwise(lines.starts)]


# Text that could hold a directive or front matter: without any, nothing is masked. Each
# piece is looked for with ``in`` (one regex alternating them all is three times slower),
# and only in a text that has a character of it: ``in`` finds one character (memchr) about
# twenty times faster than two or three, and most texts lack several of these.
_DIRECTIVE_HINTS = (
    ("{", ("{{", "{%", "{#", "{:")),
    (":", (":::",)),
    ("!", ("!!!", "[!")),
    ("?", ("???",)),
    ("=", ("===",)),
    ("<", ("8<",)),
    ("/", ("///",)),
    ("`", ("```{",)),
    ("~", ("~~~{",)),
)
_FRONT_MATTER_START = re.compile(r"\s*(?:\+\+\+|\{)\s*$", re.M)


def _maybe_directive(text: str) -> bool:
    """Return whether ``text`` could hold a directive or TOML or JSON front matter."""
    for char, hints in _DIRECTIVE_HINTS:
        if char in text and any(h in text for h in hints):
            return True
    return bool(_FRONT_MATTER_START.match(text))


def _masked(lines: Lines, rules: Structure, *, markdown: bool) -> list[str] | None:
    """Return the lines with structure lines blanked, or None when none is."""
    if not _maybe_directive(lines.text):
        return None
    return mask_lines(_all_lines(lines), rules, markdown=markdown)


def text_blocks(lines: Lines, rules: Structure = ALL, one_each: bool | None = None) -> list[Block]:
    """Return blank-line separated blocks, or one block per line if no blank line separates any.

    ``one_each`` says how the text is read when it is a piece of a longer one
    (``text_pieces``); None decides from ``lines``.
    """
    # dedup-ignore comment lines separate paragraphs and belong to none.
    text, starts = lines.text, lines.starts
    blank = [not text[a:b].strip() for a, b in itertools.pairwise(starts)]
    if _IGNORE_WORD in text:
        blank = [b or marker(lines.line(i)) is not None for i, b in enumerate(blank)]
    content = [i for i, b in enumerate(blank) if not b]
    if not content:
        return []
    if one_each is None:
        one_each = not any(blank[content[0] : content[-1]])  # no blank line between lines
    # Directive lines separate paragraphs too, but do not change how the text is read.
    masked = _masked(lines, rules, markdown=False)
    if masked is not None:
        blank = [b or not masked[i].strip() for i, b in enumerate(blank)]
    if one_each:
        found = [Block(i, i + 1, text[starts[i] : starts[i + 1]]) for i in content if not blank[i]]
        if rules.on("word-lists") and is_word_list(b.compare for b in found):
            return []
        return _prose_text(found, rules)
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
    return _prose_text(blocks, rules)


#: Plain text longer than this (in characters) is read in pieces of about ``PIECE_CHARS``.
PIECED_CHARS = 1 << 22
PIECE_CHARS = 1 << 20
_TERMINATOR = r"(?:\r\n|\r(?!\n)|\n)"
_BLANK_LINE = re.compile(rf"{_TERMINATOR}[^\S\r\n]*{_TERMINATOR}")
_NEXT_LINE = re.compile(_TERMINATOR)


@dataclass(frozen=True, slots=True)
class Pieces:
    """Where a long plain text is cut, and how all of it is read.

    ``cuts`` are character offsets of line starts (the first is 0): the blocks of the
    whole text are the blocks of each piece, in order, because a piece ends where no
    paragraph goes on (at a blank line, or at any line when the text is read one
    paragraph per line, ``one_each``).
    """

    cuts: tuple[int, ...]
    one_each: bool

    def spans(self, length: int) -> Iterator[tuple[int, int]]:
        """Yield each piece's ``(start, end)`` character offsets in a text of ``length``."""
        yield from itertools.pairwise((*self.cuts, length))


def text_pieces(
    text: str, size: int = PIECE_CHARS, *, longer_than: int = PIECED_CHARS
) -> Pieces | None:
    """Return how to read a long plain text a piece at a time, or None to read it whole.

    Only a text longer than ``longer_than`` is cut (one file of millions of lines: its
    lines, blocks and paragraphs are never all in memory at once), and only when nothing
    in it looks beyond a line: no template directive (paired ones span lines) and no
    ``dedup-ignore`` comment. The blocks are the same either way.
    """
    if len(text) <= longer_than or _IGNORE_WORD in text or _maybe_directive(text):
        return None
    first = re.search(r"\S", text)
    if first is None:
        return None
    last = len(text.rstrip())
    # Read one paragraph per line when no blank line lies between the first and last line
    # of text (text_blocks' rule).
    one_each = _BLANK_LINE.search(text, first.start(), last) is None
    cut = _NEXT_LINE if one_each else _BLANK_LINE
    cuts = [0]
    while (at := cuts[-1] + size) < len(text):
        m = cut.search(text, at)
        if m is None:
            break
        end = m.start() + (2 if text.startswith("\r\n", m.start()) else 1)  # after a terminator
        if end >= len(text):
            break
        cuts.append(end)
    return Pieces(tuple(cuts), one_each)


def piece_compare_texts(piece: str, one_each: bool, rules: Structure = ALL) -> tuple[str, ...]:
    """Return the compared texts of one piece of a long plain text (``text_pieces``)."""
    return tuple(b.compare for b in text_blocks(Lines.of(piece), rules, one_each))


def pieced_paragraphs(
    doc: Document, doc_index: int, pieces: Pieces, rules: Structure = ALL
) -> Iterator[tuple[Paragraph, str]]:
    """Yield ``segment(doc)``'s paragraphs and compared texts, a piece at a time."""
    for found in pieced_found(doc, doc_index, pieces, rules):
        yield from found.paragraphs


def pieced_found(
    doc: Document,
    doc_index: int,
    pieces: Pieces,
    rules: Structure = ALL,
    wanted: Collection[int] | None = None,
    counts: Sequence[int] | None = None,
) -> Iterator[Found]:
    """Yield, piece by piece, the paragraphs of ``pieced_paragraphs`` whose numbers are
    ``wanted`` (all if None): only those are built. ``counts``: each piece's number of
    paragraphs, known from an earlier reading of the same text; a piece that holds none
    of the wanted paragraphs is then not segmented."""
    numbers = sorted(wanted) if counts is not None and wanted is not None else None
    base, line, byte = 0, 0, 0  # paragraphs, lines and bytes before the piece
    for i, (lo, hi) in enumerate(pieces.spans(len(doc.text))):
        lines = Lines.of(doc.text[lo:hi])
        byte_starts = byte_offsets(lines, doc.encoding)
        if counts is not None and numbers is not None and i < len(counts):
            at = bisect.bisect_right(numbers, base)
            if at == len(numbers) or numbers[at] > base + counts[i]:  # none wanted here
                yield Found(counts[i], [])
                base += counts[i]
                line += len(lines)
                byte += byte_starts[-1]
                continue
        blocks = text_blocks(lines, rules, pieces.one_each)
        found: list[tuple[Paragraph, str]] = []
        for n, b in enumerate(blocks, start=base + 1):
            if wanted is not None and n not in wanted:
                continue
            start, end = lo + lines.starts[b.first], lo + lines.starts[b.stop]
            paragraph = Paragraph(
                doc=doc_index,
                index=n,
                start_line=line + b.first + 1,
                end_line=line + b.stop,
                start=start,
                end=end,
                byte_start=byte + byte_starts[b.first],
                byte_end=byte + byte_starts[b.stop],
                text=doc.text[start:end],
            )
            found.append((paragraph, b.compare))
        yield Found(len(blocks), found)
        base += len(blocks)
        line += len(lines)
        byte += byte_starts[-1]


def _prose_text(blocks: list[Block], rules: Structure) -> list[Block]:
    """Return the plain-text blocks that hold prose, inline template tags taken out."""
    out: list[Block] = []
    for b in blocks:
        compare = strip_tags(b.compare)
        if no_prose_plain(b.compare, rules, compare):
            continue
        out.append(b if compare is b.compare else Block(b.first, b.stop, compare))
    return out


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


@cache
def _blocks_only() -> MarkdownIt:
    # Block structure only: a paragraph's words are parsed on demand (paragraph_words).
    from dedup.text.block_parser import parser

    return parser()


# Characters that can start inline markup (emphasis, code, links, HTML, entities,
# escapes); a paragraph without any reads the same with or without inline parsing.
_MARKUP = re.compile(r"[\\`*_\[\]<>!&]")


# A link reference definition: ``[label]: destination`` at the start of a line (up to
# three spaces in). Found over the whole document, so that every piece of a long one and
# every engine reads ``[text][label]`` alike.
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\]\\\n]|\\.){1,999})\]:", re.MULTILINE)
_LABEL = re.compile(r"\[((?:[^\]\\\n]|\\.){1,999})\]")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")


#: A link whose destination is a Hugo or Liquid tag, which CommonMark reads as text (the
#: tag has spaces): ``[Local File Templates]({{< relref "templates/files" >}})``.
_TEMPLATE_LINK = re.compile(r"\]\(\s*\{\{[<%{]?.*?[>%}]?\}\}\s*\)")


def reference_labels(text: str) -> frozenset[str]:
    """Return the labels of a Markdown document's link reference definitions, normalised
    as CommonMark matches them (case folded, inner whitespace collapsed)."""
    if "]:" not in text:
        return frozenset()
    if "```" not in text and "~~~" not in text:
        return frozenset(_norm_label(m.group(1)) for m in _DEFINITION.finditer(text))
    labels: set[str] = set()
    fence: str | None = None
    for line in split_lines(text):  # a definition inside a code fence is code
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
        elif (f := _FENCE_OPEN.match(line)) is not None:
            fence = f.group(1)
        elif (m := _DEFINITION.match(line)) is not None:
            labels.add(_norm_label(m.group(1)))
    return frozenset(labels)


def _norm_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def paragraph_words(content: str, refs: frozenset[str] = frozenset()) -> str:
    """Return the words a reader sees in a paragraph's raw inline content (``refs``: the
    document's link reference labels, ``reference_labels``)."""
    return _paragraph(content, refs)[0]


def _paragraph(content: str, refs: frozenset[str] = frozenset()) -> tuple[str, Words]:
    """Return the words a reader sees in raw inline content, and where they sit (the
    ``Words`` may be shared: callers read it, never change it). ``[text][label]`` is a link
    when ``label`` is among the document's ``refs``, as a reader's renderer has it."""
    if not _MARKUP.search(content):
        return content, words_of_text(content)
    if "]({{" in content:  # a site generator's link: [text]({{< relref "page" >}})
        content = _TEMPLATE_LINK.sub("](#)", content)
    used = (
        frozenset(_norm_label(m.group(1)) for m in _LABEL.finditer(content)) & refs
        if refs and "[" in content
        else frozenset()
    )
    return _inline_words(content, used)


#: Paragraphs with markup whose inline parse is remembered: a docs tree repeats many of
#: them word for word (notes, version banners, copies across versions of the docs), and
#: their inline parse is most of segmenting them. A few MB at most.
INLINE_CACHE = 1 << 12


@lru_cache(maxsize=INLINE_CACHE)
def _inline_words(content: str, refs: frozenset[str]) -> tuple[str, Words]:
    """Return ``_paragraph(content)`` for content with markup, parsed inline with the
    reference labels it uses (their destinations are never compared)."""
    env = {"references": {label.upper(): {"href": "#", "title": ""} for label in refs}}
    inline = _markdown().parseInline(content, env)[0]
    return inline_text(inline), words_of_inline(inline.children or [])


# What may follow a lead-in: code, a list, a table, an HTML block, the headings of the
# sections it introduces ("To load completions for every new session, execute once:").
_BLOCKS = frozenset(
    (
        "fence",
        "code_block",
        "bullet_list_open",
        "ordered_list_open",
        "table_open",
        "html_block",
        "heading_open",
    )
)


def markdown_blocks(lines: Lines, rules: Structure = ALL) -> list[Block]:
    """Return the prose paragraphs markdown-it finds (in lists and quotes too), in order."""
    tokens = markdown_tokens(markdown_source(lines.text, rules, lines))
    refs = reference_labels(lines.text)
    return token_blocks(tokens, len(tokens), len(lines), rules, refs=refs)


def markdown_source(text: str, rules: Structure = ALL, lines: Lines | None = None) -> str:
    """Return the text markdown-it reads: ``text`` with structure lines blanked (the same
    lines; ``lines``: ``Lines.of(text)``, made here only if something may be masked)."""
    if not _maybe_directive(text):
        return text
    masked = _masked(Lines.of(text) if lines is None else lines, rules, markdown=True)
    return text if masked is None else "".join(masked)


def markdown_tokens(text: str) -> Tokens:
    """Return the block tokens of a Markdown text (already masked: ``mask_lines``)."""
    tokens: Tokens = _blocks_only().parse(text)
    return tokens


def token_blocks(
    tokens: Tokens,
    stop: int,
    line_count: int,
    rules: Structure = ALL,
    first: int = 0,
    *,
    refs: frozenset[str] = frozenset(),
) -> list[Block]:
    """Return the prose paragraphs among ``tokens[:stop]``, their lines moved by ``first``.

    The tokens from ``stop`` on are only looked at to see what follows a paragraph (a
    piece of a long document is parsed a little past where its paragraphs end); a
    paragraph's lines end at ``line_count`` at most; ``refs``: the whole document's link
    reference labels. A paragraph is three tokens
    (``paragraph_open``, ``inline``, ``paragraph_close``), or one where dedup's parser read
    it as plain (``plain_paragraph``).
    """
    blocks: list[Block] = []
    append, new, markup = blocks.append, tuple.__new__, _MARKUP.search
    lists = 0
    end = len(tokens)
    for i in range(stop):
        tok = tokens[i]
        kind = tok.type
        if kind == PLAIN_PARAGRAPH:
            content, after = tok.content, i + 1
            where = tok.map
            if where is not None and not markup(content):
                # ``_prose`` for a paragraph without markup, without its calls: most
                # paragraphs of a docs tree are such, and the calls cost as much as the work.
                compare = strip_tags(content)
                if not many_words(compare):
                    following = tokens[after].type if after < end else ""
                    if (
                        no_prose(
                            words_of_text(content),
                            rules,
                            markup=True,
                            in_list=lists > 0,
                            before_block=following in _BLOCKS,
                            before_code=following in _CODE,
                        )
                        is not None
                    ):
                        continue
                start, stop_line = where
                # ``tuple.__new__``: a named tuple's own ``__new__`` is a Python function.
                append(new(Block, (first + start, first + min(stop_line, line_count), compare)))
                continue
        elif kind == "paragraph_open":
            content, after = tokens[i + 1].content, i + 3
        else:
            if kind in _LIST_OPEN:
                lists += 1
            elif kind in _LIST_CLOSE:
                lists -= 1
            continue
        if tok.map is None:
            continue
        following = tokens[after].type if after < end else ""
        judged = _prose(
            content,
            rules,
            refs,
            in_list=lists > 0,
            before_block=following in _BLOCKS,
            before_code=following in _CODE,
        )
        if judged is not None:
            start, stop_line = tok.map
            append(new(Block, (first + start, first + min(stop_line, line_count), judged)))
    return blocks


_CODE = frozenset(("fence", "code_block"))
_LIST_OPEN = frozenset(("bullet_list_open", "ordered_list_open"))
_LIST_CLOSE = frozenset(("bullet_list_close", "ordered_list_close"))


def _prose(
    content: str,
    rules: Structure,
    refs: frozenset[str],
    *,
    in_list: bool,
    before_block: bool,
    before_code: bool = False,
) -> str | None:
    """Return what a paragraph of raw inline ``content`` is compared by, or None when it
    holds no prose (``no_prose``)."""
    if not _MARKUP.search(content):
        compare = strip_tags(content)
        if many_words(compare):  # more words than any structure rule counts to: prose
            return compare
    words, where = _paragraph(content, refs)
    if no_prose(
        where,
        rules,
        markup=True,
        in_list=in_list,
        before_block=before_block,
        before_code=before_code,
    ):
        return None
    return strip_tags(words)


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


def byte_offsets(lines: Lines, encoding: str) -> list[int]:
    """Return the byte offset of each line's start in the encoded text, and its end."""
    if lines.text.isascii() and _ascii_one_byte(encoding):
        return list(lines.starts)  # one byte per character
    offsets = [0]
    for i in range(len(lines)):
        offsets.append(offsets[-1] + len(lines.line(i).encode(encoding)))
    return offsets
