"""dedup's Markdown block parser gives markdown-it-py's tokens, and segmentation the same
paragraphs, on every Markdown file of the tests (golden cases, the docs trees in
tests/data/docs) and on generated Markdown.

dedup's parser (``dedup.text.block_parser``) reads a plain paragraph as one
``plain_paragraph`` token where a stock parser makes three; read as those three, every
token must be the stock parser's (``hidden``, which tight lists set on paragraph tokens and
dedup never reads, aside).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from dedup.text.plain_paragraph import NAME, TOKEN, install
from dedup.text.segment import (
    _MARKUP,
    ALL,
    Lines,
    _blocks_only,
    _prose,
    markdown_blocks,
    token_blocks,
)
from dedup.text.structure import (
    LEAD_IN_BLOCK_WORDS,
    count_words,
    many_words,
    no_prose,
    strip_tags,
    words_of_text,
)

ROOT = Path(__file__).parent


def _stock() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin).disable("inline")


STOCK = _stock()


def _expanded(tokens: list[Token]) -> list[Token]:
    """Return ``tokens`` with each ``plain_paragraph`` token read as the paragraph rule's
    three."""
    out: list[Token] = []
    for t in tokens:
        if t.type != TOKEN:
            out.append(t)
            continue
        assert t.nesting == 0 and t.tag == "p" and t.block and t.map is not None
        opened = Token("paragraph_open", "p", 1, map=list(t.map), level=t.level, block=True)
        inline = Token(
            "inline", "", 0, map=list(t.map), level=t.level + 1, content=t.content, block=True
        )
        inline.children = []
        closed = Token("paragraph_close", "p", -1, level=t.level, block=True)
        out += [opened, inline, closed]
    return out


def _view(t: Token) -> dict[str, object]:
    d = t.as_dict()
    if t.type in ("paragraph_open", "paragraph_close"):
        d.pop("hidden")
    return d


def assert_same_tokens(text: str, *, blocks: bool = True) -> int:
    """Assert that dedup's parser reads ``text`` as a stock parser does (and, with
    ``blocks``, that the same paragraphs are prose); return how many plain paragraphs
    it found."""
    ours = _blocks_only().parse(text)
    stock = STOCK.parse(text)
    assert [_view(t) for t in _expanded(ours)] == [_view(t) for t in stock]
    if blocks:
        lines = Lines.of(text)
        assert token_blocks(ours, len(ours), len(lines)) == token_blocks(
            stock, len(stock), len(lines)
        )
    return sum(t.type == TOKEN for t in ours)


def _trees() -> list[Path]:
    """The folders of Markdown files compared: the golden cases and the real docs trees
    copied into tests/data/docs (from ../shared/corpora/docs: the tests never read it)."""
    return [ROOT / "cases", ROOT / "data" / "docs"]


def test_the_docs_trees_are_compared() -> None:
    assert sum(1 for tree in _trees() for _ in tree.rglob("*.md")) >= 200


@pytest.mark.parametrize("tree", _trees(), ids=lambda p: p.name)
def test_every_markdown_file_parses_as_markdown_it_py_parses_it(tree: Path) -> None:
    plain = sum(
        # Tokens only: test_segment_snapshot holds these files' paragraphs.
        assert_same_tokens(path.read_text(encoding="utf-8", errors="replace"), blocks=False)
        for path in sorted(tree.rglob("*.md"))
    )
    assert plain > 0  # the rule is in use, not declining everything


# Lines that start, continue, interrupt or end each kind of block, and plain ones.
_LINES = [
    "Plain words here",
    "and more words",
    "Ünïcode wörds",
    "日本語の文",
    "ñandú",
    "x",
    "A line ending with a colon:",
    "a | b",
    "| a | b |",
    "|---|---|",
    "--- | ---",
    ":-: | :-:",
    "- item",
    "-",
    "* star",
    "+ plus",
    "1. one",
    "2) two",
    "10. ten",
    "> quote",
    ">lazy",
    "# heading",
    "#nospace",
    "===",
    "---",
    "***",
    "___",
    "```",
    "```py",
    "~~~",
    "<div>",
    "</div>",
    "<!-- comment",
    "-->",
    "<pre>",
    "[ref]: /url",
    "[link](x) text",
    "*emph* text",
    "`code` text",
    "+++",
    "{",
    "}",
    "\\* escaped",
    "&amp; entity",
    "a\0nul",
]
_INDENTS = ["", "", "", " ", "  ", "   ", "    ", "     ", "\t", " \t", "      "]
_ENDS = ["\n", "\n", "\n", "\r\n", "\r"]
_line = st.one_of(
    st.just(""),
    st.just("   "),
    st.tuples(st.sampled_from(_INDENTS), st.sampled_from(_LINES)).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_line, st.sampled_from(_ENDS)), max_size=14), st.booleans())
def test_generated_markdown_parses_as_markdown_it_py_parses_it(
    lines: list[tuple[str, str]], last_end: bool
) -> None:
    text = "".join(a + b for a, b in lines)
    if not last_end and text:
        text = text.rstrip("\r\n")
    assert_same_tokens(text)


def test_a_parser_with_other_block_rules_keeps_markdown_its_order() -> None:
    md = install(MarkdownIt("commonmark").disable("code"))  # the code rule is relied on
    assert NAME not in md.block.ruler.get_all_rules()
    md = install(_stock())
    assert md.block.ruler.get_active_rules()[0] == NAME


def test_a_plain_paragraph_is_one_token_with_the_paragraphs_lines_and_content() -> None:
    text = "# Title\n\nSome words\nwrap here  \n\n- Item words\n  go on here.\n"
    tokens = _blocks_only().parse(text)
    plain = [t for t in tokens if t.type == TOKEN]
    assert [(t.map, t.content, t.level) for t in plain] == [
        ([2, 4], "Some words\nwrap here", 0),
        ([5, 7], "Item words\ngo on here.", 2),
    ]
    assert [b.first for b in markdown_blocks(Lines.of(text))] == [2, 5]


_WORDY = st.text(alphabet="ab1_ -'.,:\n", max_size=120)


@given(st.one_of(_WORDY, st.text(max_size=60)))
def test_many_words_says_whether_the_words_are_more_than_any_rule_counts(text: str) -> None:
    assert many_words(text) == (count_words(text) > LEAD_IN_BLOCK_WORDS)


@pytest.mark.parametrize("n", [LEAD_IN_BLOCK_WORDS, LEAD_IN_BLOCK_WORDS + 1])
def test_many_words_at_the_threshold(n: int) -> None:
    text = " ".join(["e.g."] * n) + " -- "
    assert count_words(text) == n
    assert many_words(text) == (n > LEAD_IN_BLOCK_WORDS)
    assert ALL.on("lead-ins")


_PLAIN_WORDS = st.lists(
    st.sampled_from(["See", "the", "guide", "for", "more", "e.g.", "Note:", "{{ x }}", "ü", "1."]),
    max_size=30,
).map(" ".join)


@given(_PLAIN_WORDS, st.booleans(), st.booleans())
def test_plain_words_past_the_counted_are_prose_as_the_rules_say(
    text: str, in_list: bool, before_block: bool
) -> None:
    """``segment._prose`` takes a paragraph without markup and with more words than any
    rule counts to as prose without asking the rules: they must agree."""
    assert not _MARKUP.search(text)
    if many_words(strip_tags(text)):  # words are counted without template tags
        assert (
            no_prose(
                words_of_text(text), ALL, markup=True, in_list=in_list, before_block=before_block
            )
            is None
        )
    assert _prose(text, ALL, frozenset(), in_list=in_list, before_block=before_block) == (
        None
        if no_prose(
            words_of_text(text), ALL, markup=True, in_list=in_list, before_block=before_block
        )
        else strip_tags(text)
    )
