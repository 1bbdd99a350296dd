"""A block rule that reads a plain paragraph without trying every other block rule first.

markdown-it tries its block rules in order at each block's first line (front matter,
table, code, fence, quote, rule, list, reference, HTML, heading, setext heading,
paragraph), and the paragraph rule then tries seven of them again on every line that
follows. Most lines of prose start with a character that starts none of those blocks:
every rule before the paragraph rule looks first at the line's indentation and first
character (or, for a table, at the next line's) and gives up unless it is one of
``#>*-+_=|:`~<[`` or a digit (front matter: a ``-`` at the very start of the text).

``plain_paragraph`` runs first. When a block's first line is not indented as code and
starts with any other character, and so does every line up to the next blank one (lines
indented four columns more than the block are lazy continuations, which the paragraph
rule takes without looking at them), it reads the paragraph the paragraph rule would read
(same lines, same content); otherwise it declines and markdown-it goes on as before.

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
(``install``), and ``tests/test_block_parser.py`` compares the tokens with a stock
parser's (the one token read as the three) on the test documents, the shared docs trees
and generated Markdown.
"""

from __future__ import annotations

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


#: First characters of a line that start no block and end no paragraph: every block rule
#: looks for one of these (or a digit, or indentation) first, and gives up without one.
_STARTS_BLOCK = frozenset("#>*-+_=|:`~<[0123456789")


def plain_paragraph(
    state: StateBlock,
    start_line: int,
    end_line: int,
    silent: bool,
    *,
    trim: Callable[[str], str],
) -> bool:
    """Push the paragraph at ``start_line`` if none of its lines starts a block; else
    decline. ``trim``: what the paragraph rule trims its content with.

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
        if pos >= e_marks[first] or src[pos] in _STARTS_BLOCK:
            break
        line = first + 1
        while line < last:
            pos = b_marks[line] + t_shift[line]
            if pos >= e_marks[line]:  # an empty line ends the paragraph
                break
            if s_count[line] - indent <= 3 and src[pos] in _STARTS_BLOCK:
                line = -1  # it could end the paragraph, or underline it: markdown-it decides
                break
            line += 1
        if line < 0:
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
        ruler.before(active[0], NAME, partial(plain_paragraph, trim=trim))
    return md
