"""dedup's markdown-it-py parser for block structure: markdown-it's tokens, with less work.

The parser reads CommonMark with tables and front matter, block rules only (a paragraph's
words are parsed on demand: ``segment.paragraph_words``). Four changes make it cheaper and
leave every token as markdown-it-py makes it (``tests/test_block_parser.py`` and
``tests/test_plain_paragraph_starts.py`` compare them with a stock parser's; a plain
paragraph's three tokens are one):

* its block rules do not call ``logging`` (``quiet_markdown``);
* a paragraph whose lines start no block is read without trying every other block rule
  first (``plain_paragraph``);
* the newline and NUL normalisation runs its regex substitutions only on a text with a
  CR or a NUL in it (the substitutions change nothing in any other text);
* the core rule ``text_join`` is off: it joins the children of inline tokens, and with
  inline parsing off every inline token has none.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE
from markdown_it.rules_core.state_core import StateCore

from dedup.text.plain_paragraph import install
from dedup.text.quiet_markdown import quiet


def parser() -> MarkdownIt:
    """Return a new block-structure parser (CommonMark, tables, front matter)."""
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    md.disable(["inline", "text_join"])
    md.core.ruler.at("normalize", _normalize)
    return install(quiet(md))


def _normalize(state: StateCore) -> None:
    """Do what markdown-it's ``normalize`` rule does (CR and CRLF to LF, NUL to U+FFFD),
    scanning a text that has neither only to see that."""
    src = state.src
    if "\r" in src:
        src = NEWLINES_RE.sub("\n", src)
    if "\0" in src:
        src = NULL_RE.sub("\ufffd", src)
    state.src = src
