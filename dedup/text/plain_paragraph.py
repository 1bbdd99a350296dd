"""A block rule that reads a plain paragraph without trying every other block rule first.

markdown-it tries its block rules in order at each block's first line (front matter,
table, code, fence, quote, rule, list, reference, HTML, heading, setext heading,
paragraph), and the paragraph rule then tries seven of them again on every line that
follows. Most lines of prose start with a character that starts none of those blocks:
every rule before the paragraph rule looks first at the line's indentation and first
character (or, for a table, at the next line's) and gives up unless it is one of
``#>*-+_=|:`~<[`` or a digit (front matter: a ``-`` at the very start of the text).

``plain_paragraph`` runs first. When a block's first line is not indented as code and
starts no block, it reads the paragraph the paragraph rule would read (same lines, same
content) up to the next blank line; otherwise it declines and markdown-it goes on as
before. A line starts no block when its first character is not one of those, or is one
but fails the first test of every rule that looks for it (``starts_block``: ``*emphasis*``,
``1986 was``, ``<Tag> said``, ``[a link](x)`` when no ``]:`` follows). Lines indented four
columns more than the block are lazy continuations, which the paragraph rule takes
without looking at them. At a line that could start a block (the next list item) it does
what the paragraph rule does, and tries the rules that may end a paragraph on it
(``_ends``); it declines where a setext heading or a table could be, which those rules
do not decide alone.

What it pushes is one token, of type ``plain_paragraph``, where the paragraph rule pushes
three (``paragraph_open``, ``inline``, ``paragraph_close``): the same ``map``, ``level``
and ``block``, the inline token's ``content``, nesting 0. Making tokens is a third of the
block parse of a docs tree, and dedup reads nothing else of the three
(``segment.token_blocks``); tight lists do not mark it ``hidden`` as they mark a
paragraph's open and close tokens, which dedup does not read either. The token is a
``PlainToken``, a named tuple with the fields of markdown-it's ``Token`` that dedup reads
(made four times faster than a ``Token``, and most tokens of a docs tree are these); no
block rule reads a token it did not push but the list rule, which marks paragraph tokens
``hidden`` by their type (``paragraph_open``), not this one.

It is installed only on a parser whose block rules are the ones it was checked against
(``install``), and ``tests/test_block_parser.py`` and
``tests/test_plain_paragraph_starts.py`` compare the tokens with a stock parser's (the
one token read as the three) on the test documents, the shared docs trees and generated
Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # markdown-it loads with the parser (``block_parser``), not with segment
    from markdown_it import MarkdownIt
    from markdown_it.rules_block.state_block import StateBlock

#: The block rules whose first checks ``plain_paragraph`` relies on (a parser with others,
#: or without the code rule, keeps markdown-it's own order).
KNOWN_RULES = frozenset(
    (
        "front_matter",
        "table",
        "code",
        "fence",
        "blockquote",
        "hr",
        "list",
        "reference",
        "html_block",
        "heading",
        "lheading",
        "paragraph",
    )
)
NAME = "dedup_plain_paragraph"
#: The type of the one token ``plain_paragraph`` pushes for a paragraph.
TOKEN = "plain_paragraph"


class PlainToken(NamedTuple):
    """The one token of a plain paragraph: the fields of markdown-it's ``Token`` that dedup
    reads, as the paragraph rule would set them (``content`` is its inline token's)."""

    type: str
    tag: str
    nesting: int
    map: list[int]
    level: int
    content: str
    block: bool


#: The first characters of a line that could start a block or end a paragraph: every block
#: rule looks for one of these (or indentation) first, and gives up without one.
_STARTS_BLOCK = frozenset("#>*-+_=|:`~<[0123456789")
#: An ordered list item's marker (the list rule's ``skipOrderedListMarker`` reads at most
#: nine digits: more digits only make this a wider net).
_ORDERED = re.compile(r"[0-9]+[.)](?:[ \t]|\Z)")


def _html_starts() -> tuple[re.Pattern[str], ...] | None:
    """Return the patterns with which markdown-it's HTML block rule recognises a block's
    first line, or None if this version of markdown-it-py keeps them elsewhere."""
    try:
        from markdown_it.rules_block.html_block import HTML_SEQUENCES
    except ImportError:
        return None
    return tuple(seq[0] for seq in HTML_SEQUENCES)


def starts_block(src: str, pos: int, end: int, html: tuple[re.Pattern[str], ...] | None) -> bool:
    """Return whether a line could start a block or end a paragraph, given that its first
    character after up to three spaces, ``src[pos]``, is in ``_STARTS_BLOCK`` (the line ends
    at ``end``; ``html``: ``_html_starts()``). Each answer is the first test of the rules
    that look for that character, no stricter:

    * a backtick or tilde starts only a fence, of three or more;
    * ``*`` starts a list item when a space or tab or the line's end follows it, ``*`` and
      ``_`` a thematic break when the line holds nothing else but spaces and tabs;
    * a digit starts only an ordered list item (digits, then ``.`` or ``)``, then a space,
      a tab or the line's end);
    * ``<`` starts only an HTML block, recognised by one of the HTML block rule's own
      patterns (every one of them, also those that cannot end a paragraph);
    * ``[`` starts only a link reference definition, which ends no paragraph: the caller
      looks at a paragraph's first line itself (``"]:"`` in the paragraph).

    Any other character of ``_STARTS_BLOCK`` could, and makes this say so.
    """
    char = src[pos]
    if char == "`" or char == "~":
        return src.startswith(char * 3, pos, end)
    if char == "*" or char == "_":
        if char == "*" and (pos + 1 >= end or src[pos + 1] in " \t"):
            return True
        return not src[pos:end].strip(char + " \t")
    if "0" <= char <= "9":
        return _ORDERED.match(src, pos, end) is not None
    if char == "<":
        line = src[pos:end]  # the patterns are anchored at the start of a string
        return html is None or any(p.search(line) for p in html)
    return char != "["


def plain_paragraph(
    state: StateBlock,
    start_line: int,
    end_line: int,
    silent: bool,
    *,
    trim: Callable[[str], str],
    html: tuple[re.Pattern[str], ...] | None,
) -> bool:
    """Push the paragraph at ``start_line`` if none of its lines starts a block; else
    decline. ``trim``: what the paragraph rule trims its content with; ``html``: the
    HTML block rule's patterns (``starts_block``).

    At the top level (no container open) the plain paragraphs that follow, after blank
    lines, are read in the same call: markdown-it's loop between two top-level blocks only
    skips the blank lines and sets ``state.tight``, which nothing reads at that level (a
    list sets it anew for each of its items).
    """
    src, b_marks, e_marks, t_shift, s_count = (
        state.src,
        state.bMarks,
        state.eMarks,
        state.tShift,
        state.sCount,
    )
    # The tokens are markdown-it's ``Token``s and dedup's ``PlainToken``s (``segment.Tokens``).
    tokens: list[Any] = state.tokens
    new = tuple.__new__  # a named tuple's own ``__new__`` is a Python function: slower
    indent, level = state.blkIndent, state.level
    last = state.lineMax  # the paragraph rule reads up to here, whatever ``end_line`` is
    top = level == 0 and indent == 0 and end_line == last and state.md.options.maxNesting > 0
    first = start_line
    found = False
    while True:
        if s_count[first] - indent > 3:
            break
        pos = b_marks[first] + t_shift[first]
        if pos >= e_marks[first]:
            break
        char = src[pos]
        if char in _STARTS_BLOCK and starts_block(src, pos, e_marks[first], html):
            break
        line = first + 1
        while line < last:
            pos = b_marks[line] + t_shift[line]
            if pos >= e_marks[line]:  # an empty line ends the paragraph
                break
            if (
                s_count[line] - indent <= 3
                and src[pos] in _STARTS_BLOCK
                and starts_block(src, pos, e_marks[line], html)
            ):
                if s_count[line] < 0 or _underline(src, pos, e_marks[line]):
                    line = -1  # a quirk of block quotes, or a heading: markdown-it decides
                    break
                ends = _ends(state, line, last)
                if ends is None:
                    line = -1  # a table could start on the line before: markdown-it decides
                    break
                if ends:
                    break  # the line ends the paragraph, as the paragraph rule finds
            line += 1
        if line < 0:
            break
        # A link reference definition has ``]:`` on a line of its own (the label's end);
        # without one, the reference rule declines what starts with ``[``.
        if char == "[" and src.find("]:", b_marks[first], e_marks[line - 1]) >= 0:
            break
        if line == first + 1 and indent == 0:  # ``getLines`` of one line, unindented
            content = src[b_marks[first] : e_marks[first]]
        else:
            content = state.getLines(first, line, indent, False)
        tokens.append(new(PlainToken, (TOKEN, "p", 0, [first, line], level, trim(content), True)))
        state.line = line
        found = True
        if not top:
            break
        first = line  # the next block: after the blank lines (``skipEmptyLines``)
        while first < last and b_marks[first] + t_shift[first] >= e_marks[first]:
            first += 1
        if first >= last:
            break
    return found


def _underline(src: str, pos: int, end: int) -> bool:
    """Return whether a line starting at ``pos`` could underline a setext heading (only
    ``=`` or only ``-``, and spaces and tabs; a wider net than the heading rule's)."""
    char = src[pos]
    return (char == "=" or char == "-") and not src[pos:end].strip(char + " \t")


def _ends(state: StateBlock, line: int, last: int) -> bool | None:
    """Return whether ``line``, a line of a paragraph that could start a block, ends the
    paragraph, as the paragraph rule finds: one of the rules that may end a paragraph
    accepts it (tried quietly, with the paragraph as the parent block, as that rule tries
    them). None when one of them accepts the line before: the table rule, which looks
    at the line after the one it is tried on (none of the others accepts a line that
    starts no block)."""
    rules = state.md.block.ruler.getRules("paragraph")
    parent = state.parentType
    state.parentType = "paragraph"
    try:
        if any(rule(state, line - 1, last, True) for rule in rules):
            return None
        return any(rule(state, line, last, True) for rule in rules)
    finally:
        state.parentType = parent


def install(md: MarkdownIt) -> MarkdownIt:
    """Put ``plain_paragraph`` first among ``md``'s block rules if they are the known ones
    (with the code rule on); return ``md``."""
    from markdown_it.common import utils

    # The paragraph rule trims with CommonMark's whitespace (markdown-it-py 4) or with
    # ``str.strip`` (3.x): the same function, whichever is installed.
    trim = getattr(utils, "mdTrim", str.strip)
    ruler = md.block.ruler
    active = ruler.get_active_rules()
    if set(ruler.get_all_rules()) <= KNOWN_RULES and "code" in active and "paragraph" in active:
        ruler.before(active[0], NAME, partial(plain_paragraph, trim=trim, html=_html_starts()))
    return md
