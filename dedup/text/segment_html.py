"""HTML -> paragraph spans: where each paragraph starts and ends in the source, and its words.

Parser: the standard library's ``html.parser.HTMLParser``. It is maintained with CPython
(its security fixes ship in every supported Python release), it never gives up on
malformed markup, and it says where in the source every token starts (``getpos()``) and
gives the exact text of each start tag (``get_starttag_text()``). Cutting a paragraph out
while keeping every other byte needs exactly that: the span of each element, from the
``<`` of its start tag to the ``>`` of its end tag. lxml reports at best the line an
element starts on, selectolax and html5lib nothing at all, and all three build a tree
that no longer knows its source text. HTMLParser is a tokenizer, not a tree builder, so this
module keeps its own stack of open elements with the HTML standard's implied end tags
for the cases that matter here (a ``p`` closed by the next block, an ``li`` by the next
``li``, ``dd``/``dt``, table rows and cells, ``head`` closed by body content).

Paragraphs are the elements ``p``, ``li``, ``blockquote``, ``dd`` and ``figcaption``. One
holding only inline content is one paragraph, its whole element; one holding blocks too
(an ``li`` with a nested list, a ``blockquote`` of ``p``s) contributes each run of its own
inline content between those blocks, spanning that run, and its blocks speak for
themselves: no text is counted twice. One wrapping a single paragraph and nothing else
(an ``li`` around a ``p``) is that paragraph, so cutting it leaves no empty bullet.
Headings, ``dt``, ``pre``, tables' cells (paragraphs and lists written inside a cell
too) and text outside paragraphs (loose in ``body`` or a ``div``) are structure, as
headings and code are in Markdown: never compared.
``head``, ``script``, ``style``, ``noscript``, ``template``, ``nav``, elements with
``role="navigation"`` or ``hidden``, forms' controls, embedded ``svg``/``math``/``iframe``
content and comments are ignored. A paragraph is compared by the text a reader sees:
entities decoded, tags and attributes left out (an image's ``alt`` text kept, as in
Markdown), whitespace collapsed; so two paragraphs differing only in markup or link
targets are exact repeats.

An element left open ends where its last content ends (before trailing whitespace and
comments), so cutting an unclosed ``<p>`` takes its words and leaves what follows.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from dedup.text.structure import Words, count_words, strip_tags

PARAGRAPHS = frozenset({"p", "li", "blockquote", "dd", "figcaption"})

#: Elements whose content is never read: metadata, code, navigation, controls, embeds.
IGNORED = frozenset(
    {
        "head", "title", "script", "style", "noscript", "template", "nav", "svg", "math",
        "iframe", "object", "canvas", "audio", "video", "select", "textarea", "button",
    }
)  # fmt: skip

#: Start tags that close an open ``p`` (the HTML standard's list).
_CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
        "div", "dl", "dd", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "listing",
        "main", "menu", "nav", "ol", "p", "plaintext", "pre", "search", "section",
        "summary", "table", "ul", "xmp",
    }
)  # fmt: skip
_TABLE = frozenset({"table", "caption", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th"})
_CELLS = frozenset({"td", "th"})
#: Elements that break inline content: text on either side is not one run.
BLOCKS = _CLOSES_P | _TABLE | {"body", "html", "legend", "optgroup", "option"}
#: Elements that never have content or an end tag.
_VOID = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
        "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip
#: A ``p`` is not looked for past these (the standard's "button scope").
_SCOPE = frozenset(
    {"html", "table", "td", "th", "caption", "button", "template", "object", "svg", "math"}
)
#: An ``li`` (``dd``, ``dt``) is not looked for past these: blocks other than address,
#: div and p (the standard's "special" elements, for what matters here).
_LIST_SCOPE = (BLOCKS | _SCOPE | {"head"}) - {"address", "div", "p"}
#: What may stay in ``head``; anything else opens the body.
_HEAD = frozenset(
    {"base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style",
     "template", "title"}
)  # fmt: skip

_MARKER = re.compile(r"^\s*dedup-ignore-(next|start|end|file)\s*$")
_NEWLINE = re.compile(r"\n")
_TEXT = frozenset({"data", "comment"})  # tokens whose decoded text is kept


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    """A paragraph's character span ``start``..``end`` in the source and its visible words."""

    start: int
    end: int
    compare: str
    ignored: bool = False
    #: Where its words sit (links, emphasis, code, images), for the structure rules; None
    #: when not known (all plain).
    words: Words | None = None
    in_list: bool = False  # an ``li``'s own content


_Attrs = tuple[tuple[str, str | None], ...]
#: A token as the tokenizer reports it: kind, start offset, tag, attributes, text.
_Raw = tuple[str, int, str, _Attrs, str]


@dataclass(frozen=True, slots=True)
class _Event:
    """A token and its exact span: ``start`` (first ``<``, say) to ``end`` (after ``>``)."""

    kind: str  # start, empty (<x/>), end, data, comment, other
    start: int
    end: int
    tag: str = ""
    attrs: _Attrs = ()
    data: str = ""  # decoded text of data, text of a comment


class _Tokenizer(HTMLParser):
    """Collect tokens with their absolute start offsets (ends are filled in afterwards)."""

    def __init__(self, base: int, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.line_starts = line_starts
        # The line (0-based, counted in "\n") that ``base`` lies on: getpos() counts from it.
        self.first_line = bisect.bisect_right(line_starts, base) - 1
        self.events: list[_Raw] = []

    def at(self) -> int:
        """Return the absolute offset where the current token starts."""
        line, col = self.getpos()
        if line == 1:
            return self.base + col
        return self.line_starts[self.first_line + line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", self.at(), tag, tuple(attrs), self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("empty", self.at(), tag, tuple(attrs), self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", self.at(), tag, (), ""))

    def handle_data(self, data: str) -> None:
        self.events.append(("data", self.at(), "", (), data))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", self.at(), "", (), data))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("other", self.at(), "", (), ""))

    def handle_pi(self, data: str) -> None:
        self.events.append(("other", self.at(), "", (), ""))

    def unknown_decl(self, data: str) -> None:
        self.events.append(("other", self.at(), "", (), ""))


#: Characters given to the tokenizer at a time: its events are handled as they come, so
#: a long document is never held as one list of tokens.
FEED_CHARS = 1 << 16


def scan(text: str, feed: int = FEED_CHARS) -> list[_Event]:
    """Return the tokens of ``text`` in order, each with its exact source span."""
    return list(events(text, feed))


def events(text: str, feed: int = FEED_CHARS) -> Iterator[_Event]:
    """Yield the tokens of ``text`` in order, each with its exact source span, reading
    ``feed`` characters at a time."""
    pending: _Raw | None = None
    for raw in _raw_tokens(text, feed):
        if pending is not None:
            yield _event(text, pending, raw[1])
        pending = raw
    if pending is not None:
        yield _event(text, pending, len(text))


def _event(text: str, raw: _Raw, following: int) -> _Event:
    """Return the token ``raw`` with its end (``following``: where the next one starts)."""
    kind, start, tag, attrs, data = raw
    if kind in ("start", "empty"):
        end = start + len(data)
    elif kind == "end":
        gt = text.find(">", start, following)
        end = following if gt < 0 else gt + 1
    else:
        end = following
    return _Event(kind, start, end, tag, attrs, data if kind in _TEXT else "")


def _raw_tokens(text: str, feed: int) -> Iterator[_Raw]:
    """Yield the tokenizer's tokens with their start offsets, as it finds them."""
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    base = 0
    while True:
        parser = _Tokenizer(base, line_starts)
        try:
            for at in range(base, len(text), feed):
                parser.feed(text[at : at + feed])
                yield from parser.events
                parser.events.clear()
            parser.close()
            yield from parser.events
            return
        except AssertionError:
            # Older Python releases (3.11.7 among them) raise AssertionError on a malformed
            # ``<![`` section (``<![foo[x]]>``) instead of reading it as a bogus comment, as
            # browsers do: read it so here and go on after it with a fresh tokenizer (no
            # state is lost: such a section is only parsed outside script and style).
            yield from parser.events
            at = parser.at()
            gt = text.find(">", at)
            base = len(text) if gt < 0 else gt + 1
            yield ("other", at, "", (), "")


#: Inline elements whose words the structure rules tell apart (as Markdown's markup).
_LINK = "a"
_CODE = frozenset({"code", "kbd", "samp", "tt", "var"})
_EMPHASIS = frozenset({"em", "strong", "b", "i", "mark", "cite"})


@dataclass
class _Run:
    """A stretch of a paragraph element's own inline content."""

    start: int = -1
    end: int = -1
    parts: list[str] = field(default_factory=list)
    links: int = 0
    images: int = 0
    # Its text by where it sits (counted when the run ends: the tokenizer may hand a word
    # over in pieces).
    plain: list[str] = field(default_factory=list)
    emphasis: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    link: list[str] = field(default_factory=list)

    def extend(self, start: int, end: int) -> None:
        if self.start < 0:
            self.start = start
        self.end = max(self.end, end)


@dataclass
class _Element:
    tag: str
    start: int
    opened: int  # where its start tag ends
    found: int  # how many paragraphs were found before it opened
    last: int  # where its content seen so far ends
    skip: bool  # inside an ignored element
    block: bool
    paragraph: bool
    owner: int  # stack index of the innermost block at or below it (-1: none)
    has_blocks: bool = False
    runs: list[_Run] = field(default_factory=list)
    link: bool = False  # an ``a`` with an ``href``: its words are a link's

    def run(self) -> _Run:
        if not self.runs:
            self.runs.append(_Run())
        return self.runs[-1]


#: The classes of a permalink mark (``<a class="headerlink" href="#x">¶</a>``): Sphinx's
#: and MkDocs' ``headerlink``, Docusaurus' ``hash-link``, VitePress' ``header-anchor``,
#: Node's ``mark``, anchor.js's ``anchorjs-link``. Its text is no word of the page.
PERMALINKS = frozenset({"headerlink", "hash-link", "header-anchor", "mark", "anchorjs-link"})


def _skipped(tag: str, attrs: _Attrs) -> bool:
    if tag in IGNORED:
        return True
    for name, value in attrs:
        if name == "hidden" or (name == "role" and "navigation" in (value or "").lower().split()):
            return True
        if tag == _LINK and name == "class" and PERMALINKS & set((value or "").split()):
            return True
    return False


def _words(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def _seen(run: _Run, words: str) -> Words:
    """Return a run's ``Words`` with the text the structure rules read."""

    def n(parts: list[str]) -> int:
        return count_words(strip_tags("".join(parts))) if parts else 0

    return Words(
        n(run.plain), n(run.emphasis), n(run.code), n(run.link), run.links, run.images, [words]
    )


class _Builder:
    """Walk the tokens with a stack of open elements; collect paragraphs as they close."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[_Element] = []
        # Stack indices of the open elements by tag, innermost last: finding an open
        # element costs a few lookups, not a walk down the stack (deep nesting is linear).
        self.open: dict[str, list[int]] = {}
        self.found: list[HtmlBlock] = []  # paragraphs not yet taken (``take``)
        self.taken = 0  # paragraphs taken before ``found[0]``
        # ``found`` positions (counted from the first paragraph) at which the open paragraph
        # elements opened, outermost first: the paragraphs before the first are final.
        self.open_found: list[int] = []
        self.markers: list[tuple[int, str]] = []

    # ----------------------------------------------------------------- the stack

    def _find(self, names: frozenset[str] | set[str], scope: frozenset[str]) -> int | None:
        """Return the index of the innermost open element named in ``names``, within scope.

        That is the first element, walking down from the top of the stack, whose tag is
        in ``names`` (found) or else in ``scope`` (not found).
        """
        found = self._innermost(names)
        if found < 0 or found < self._innermost(scope):
            return None
        return found

    def _innermost(self, tags: frozenset[str] | set[str]) -> int:
        """Return the stack index of the innermost open element with a tag in ``tags``, or -1."""
        best = -1
        if len(tags) <= len(self.open):
            for tag in tags:
                at = self.open.get(tag)
                if at:
                    best = max(best, at[-1])
        else:
            for tag, at in self.open.items():
                if at and tag in tags:
                    best = max(best, at[-1])
        return best

    def _push(self, el: _Element) -> None:
        self.open.setdefault(el.tag, []).append(len(self.stack))
        self.stack.append(el)
        if el.paragraph and not el.skip:
            self.open_found.append(el.found)

    def _pop(self) -> _Element:
        el = self.stack.pop()
        self.open[el.tag].pop()
        if el.paragraph and not el.skip:
            self.open_found.pop()
        return el

    def _close_from(self, i: int, end_tag: _Event | None) -> None:
        """Close ``stack[i]`` and everything above it, ``stack[i]`` by ``end_tag`` if given."""
        while len(self.stack) > i:
            el = self._pop()
            if end_tag is not None and len(self.stack) == i:
                self._finish(el, end_tag.start, end_tag.end)
                at = end_tag.end
            else:
                self._finish(el, el.last, el.last)
                at = el.last
            if self.stack:
                self.stack[-1].last = max(self.stack[-1].last, at)

    def _finish(self, el: _Element, inner_end: int, end: int) -> None:
        """Turn a closed paragraph element into paragraphs; ``inner_end`` is its end tag's start."""
        if not el.paragraph or el.skip:
            return
        in_list = el.tag == "li"
        if not el.has_blocks:
            words = _words(el.runs[0].parts) if el.runs else ""
            if words:
                self.found.append(
                    HtmlBlock(el.start, end, words, False, _seen(el.runs[0], words), in_list)
                )
            return
        own = [run for run in el.runs if _words(run.parts) and run.start >= 0]
        if not own and self.taken + len(self.found) - el.found == 1:
            only = self.found[el.found - self.taken]
            before = self.text[el.opened : only.start]
            after = self.text[only.end : inner_end]
            if not before.strip() and not after.strip():
                # A wrapper around one paragraph and nothing else (an li or blockquote
                # around a p) is that paragraph: cutting it leaves no empty bullet or quote.
                self.found[-1] = HtmlBlock(
                    el.start, end, only.compare, False, only.words, only.in_list or in_list
                )
                return
        for run in own:
            words = _words(run.parts)
            self.found.append(
                HtmlBlock(run.start, run.end, words, False, _seen(run, words), in_list)
            )

    def _owner(self) -> _Element | None:
        """Return the innermost open block, if content at this point is read at all."""
        if not self.stack or self.stack[-1].skip:
            return None
        owner = self.stack[-1].owner
        return self.stack[owner] if owner >= 0 else None

    def _inline(self, start: int, end: int, words: str | None, tag: str = "") -> None:
        """Record inline content ``start``..``end`` (``words`` None: markup only; ``tag``:
        the start tag it is, if one)."""
        if self.stack:
            self.stack[-1].last = max(self.stack[-1].last, end)
        owner = self._owner()
        if owner is None or not owner.paragraph:
            return
        run = owner.run()
        run.extend(start, end)
        if tag:
            if tag == _LINK:
                run.links += 1
            elif tag == "img":
                run.images += 1
                if words:
                    run.parts.append(words)
                return  # its alt text is compared, not counted as words (as in Markdown)
        if words:
            run.parts.append(words)
            self._where(run).append(words)

    def _where(self, run: _Run) -> list[str]:
        """Return which of a run's texts content here belongs to: link, code, emphasis."""
        below = self.stack[-1].owner if self.stack else -1
        if any(self.stack[i].link for i in self.open.get(_LINK, ()) if i > below):
            return run.link
        if self._innermost(_CODE) > below:
            return run.code
        if self._innermost(_EMPHASIS) > below:
            return run.emphasis
        return run.plain

    # ----------------------------------------------------------------- tokens

    def start(self, ev: _Event, empty: bool) -> None:
        tag = ev.tag
        head = self._find({"head"}, frozenset())
        if head is not None and tag not in _HEAD:
            self._close_from(head, None)
        if tag in _CLOSES_P and (p := self._find({"p"}, _SCOPE)) is not None:
            self._close_from(p, None)
        if tag == "li":
            self._close_list({"li"})
        elif tag in ("dd", "dt"):
            self._close_list({"dd", "dt"})
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.stack:
            if self.stack[-1].tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self._close_from(len(self.stack) - 1, None)
        elif tag in ("td", "th"):
            self._close_table({"td", "th"})
        elif tag == "tr":
            self._close_table({"tr", "td", "th"})
        elif tag in ("tbody", "thead", "tfoot"):
            self._close_table({"tbody", "thead", "tfoot", "tr", "td", "th"})
        elif tag in ("option", "optgroup") and self.stack and self.stack[-1].tag == "option":
            self._close_from(len(self.stack) - 1, None)
        block = tag in BLOCKS
        if block:
            owner = self._owner()
            if owner is not None:
                owner.has_blocks = True
                owner.runs.append(_Run())  # what follows is a new run
            if self.stack:
                self.stack[-1].last = max(self.stack[-1].last, ev.end)
        elif tag == "br":
            self._inline(ev.start, ev.end, "\n")
        elif tag == "img":
            alt = next((v for k, v in ev.attrs if k == "alt" and v), None)
            self._inline(ev.start, ev.end, alt, tag)
        elif tag == _LINK and any(k == "href" for k, _ in ev.attrs):
            self._inline(ev.start, ev.end, None, tag)
        else:
            self._inline(ev.start, ev.end, None)
        if tag in _VOID:
            return
        parent_skip = bool(self.stack) and self.stack[-1].skip
        below = self.stack[-1].owner if self.stack else -1
        el = _Element(
            tag=tag,
            start=ev.start,
            opened=ev.end,
            found=self.taken + len(self.found),
            last=ev.end,
            skip=parent_skip or _skipped(tag, ev.attrs),
            block=block,
            # A table's cells are structure, paragraphs written inside them too (Node's
            # history tables: <td><p>...</p></td>), as a Markdown table's cells are.
            paragraph=tag in PARAGRAPHS and self._innermost(_CELLS) < 0,
            owner=len(self.stack) if block else below,
            link=tag == _LINK and any(k == "href" for k, _ in ev.attrs),
        )
        self._push(el)
        if empty:  # <x/>: read as an empty element, as XHTML means it
            self._close_from(len(self.stack) - 1, _Event("end", ev.end, ev.end, tag))

    def _close_list(self, names: set[str]) -> None:
        i = self._find(names, _LIST_SCOPE)
        if i is not None:
            self._close_from(i, None)

    def _close_table(self, names: set[str]) -> None:
        i = self._find(names, frozenset({"table", "html", "template"}))
        if i is not None:
            self._close_from(i, None)

    def end(self, ev: _Event) -> None:
        i = self._find({ev.tag}, frozenset())
        if i is None:
            return  # a stray end tag (</p> with no p open, say): nothing to close
        block = self.stack[i].block
        self._close_from(i, ev)
        if not block:
            self._inline(ev.start, ev.end, None)

    def data(self, ev: _Event) -> None:
        raw = self.text[ev.start : ev.end]
        if not raw.strip():
            owner = self._owner()
            if owner is not None and owner.paragraph:
                run = owner.run()
                run.parts.append(" ")
                self._where(run).append(" ")
            return
        if self.stack and self.stack[-1].tag == "head":
            self._close_from(len(self.stack) - 1, None)
        start = ev.start + len(raw) - len(raw.lstrip())
        end = ev.end - (len(raw) - len(raw.rstrip()))
        self._inline(start, end, ev.data)

    def comment(self, ev: _Event) -> None:
        if m := _MARKER.match(ev.data):
            self.markers.append((ev.start, m.group(1)))

    def take(self) -> list[HtmlBlock]:
        """Return the paragraphs that are final, in order, and forget them.

        A paragraph found before every open paragraph element opened is final (only an
        open one changes what it found: a wrapper becomes its one paragraph), and it
        starts before anything found later (its element closed before they opened).
        """
        final = (self.open_found[0] - self.taken) if self.open_found else len(self.found)
        out = sorted(self.found[:final], key=lambda b: b.start)
        del self.found[:final]
        self.taken += final
        return out

    def feed(self, ev: _Event) -> None:
        """Take one token."""
        if ev.kind in ("start", "empty"):
            self.start(ev, empty=ev.kind == "empty")
        elif ev.kind == "end":
            self.end(ev)
        elif ev.kind == "data":
            self.data(ev)
        elif ev.kind == "comment":
            self.comment(ev)

    def finish(self) -> list[HtmlBlock]:
        """Close what is open; return the paragraphs not taken yet, in order."""
        self._close_from(0, None)
        return self.take()


def _mark_ignored(blocks: list[HtmlBlock], markers: list[tuple[int, str]]) -> list[HtmlBlock]:
    """Apply ``<!-- dedup-ignore-... -->`` comments to the paragraphs that follow them."""
    if not markers:
        return blocks
    if any(kind == "file" for _, kind in markers):
        return [HtmlBlock(b.start, b.end, b.compare, True, b.words, b.in_list) for b in blocks]
    out: list[HtmlBlock] = []
    pending, inside, m = False, False, 0
    for b in blocks:
        while m < len(markers) and markers[m][0] < b.start:
            kind = markers[m][1]
            if kind == "next":
                pending = True
            elif kind == "start":
                inside = True
            elif kind == "end":
                inside = False
            m += 1
        out.append(HtmlBlock(b.start, b.end, b.compare, pending or inside, b.words, b.in_list))
        pending = False
    return out


def html_blocks(text: str) -> list[HtmlBlock]:
    """Return the paragraphs of an HTML text, in order, with exact source spans."""
    builder = _Builder(text)
    for ev in events(text):
        builder.feed(ev)
    return _mark_ignored(builder.finish(), builder.markers)


def html_block_stream(text: str, feed: int = FEED_CHARS) -> Iterator[HtmlBlock]:
    """Yield the paragraphs of ``html_blocks(text)`` as they become final, in order, not
    marked by ``dedup-ignore`` comments (a caller that streams reads such a text whole)."""
    builder = _Builder(text)
    for n, ev in enumerate(events(text, feed)):
        builder.feed(ev)
        if n % 64 == 0:
            yield from builder.take()
    yield from builder.finish()
