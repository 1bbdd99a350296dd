"""The plain-paragraph rule reads lines that start with a block's first character but start
no block (``*emphasis*``, ``1986 was``, ``<Tag> said``, ``[link](x)``), and ends a
paragraph where the paragraph rule's own terminators end it (the next list item): every
token still equals a stock markdown-it-py parser's (``test_block_parser.assert_same_tokens``).

The generated documents here mix the lines of ``test_block_parser`` with more lines that
start with those characters, in lists and block quotes; the named cases are the ones a
wrong rule would get wrong and random documents seldom hold (a table under a paragraph's
line, a setext underline, a reference definition over two lines).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_block_parser import _ENDS, _INDENTS, _LINES, assert_same_tokens

from dedup.text.plain_paragraph import TOKEN
from dedup.text.segment import _blocks_only

_MORE = [
    "**bold** text",
    "*emph* and more",
    "_emph_ text",
    "__x__",
    "* * *",
    "*",
    "_ _ _",
    "1986 was a year",
    "1.5 pct",
    "123456789. x",
    "1234567890. x",
    "1.",
    "2)",
    "<span>x</span> text",
    "<LCE> said",
    "<script>",
    "<!-- c -->",
    "<?php",
    "<![CDATA[",
    "</p>",
    "[a]: b",
    "[a]:",
    "[a]",
    "[a\\]]: b",
    "[foo",
    "bar]: /u",
    "#tag",
    "##",
    "####### seven",
    "~x",
    "``x`` code",
    "- -",
    "--",
    "-x",
    "= =",
    ":---",
    "::: note",
    "  - nested",
    "   1. three in",
]
_line = st.one_of(
    st.just(""),
    st.tuples(st.sampled_from([*_INDENTS, "  ", "  "]), st.sampled_from(_LINES + _MORE)).map(
        "".join
    ),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(_line, st.sampled_from(_ENDS)), max_size=16))
def test_generated_markdown_with_block_characters_parses_as_markdown_it_py_parses_it(
    lines: list[tuple[str, str]],
) -> None:
    assert_same_tokens("".join(a + b for a, b in lines))


CASES = {
    "a table under a paragraph's line": "x\na | b\n|-|-|\n",
    "a table under its first line": "x | y\n|---|---|\n",
    "a table under a list item's line": "- x\n  a | b\n  |-|-|\n",
    "a setext heading": "Title\n===\n",
    "a setext heading over a dash line": "Title words\n- - -\n",
    "a setext heading in a list": "- Title\n  ---\n",
    "a thematic break": "words\n***\n",
    "a thematic break of underscores": "words\n_ _ _\n",
    "emphasis lines": "*emph* words\n**bold** words\n_x_ y\n",
    "the next list item": "- one item\n- two\n* three\n",
    "a nested list item": "- one\n  - two\n    - three\n",
    "an ordered list that may not interrupt": "words\n2. two\n",
    "an ordered list that may": "words\n1. one\n",
    "an empty item that may not": "words\n-\n",
    "digits": "1986 was\n1.5 pct\n12) x\n",
    "a long number": "1234567890. x\n",
    "a block quote": "words\n> quote\n",
    "a lazy quote line": "> quote\nlazy *words*\n",
    "a quote in a list": "- item\n  > quote\n  more\n",
    "a fence": "words\n```\ncode\n```\n",
    "two backticks": "``x`` words\n~x y\n",
    "HTML that may interrupt": "words\n<div>\n",
    "HTML that may not": "words\n<span>x</span>\n",
    "inline HTML first": "<LCE> said it\n",
    "a heading": "words\n# Heading\n#tag words\n",
    "a reference definition": "[a]: /url\n",
    "a reference over two lines": "[a\nb]: /url\n",
    "a link": "[a](x) words\n[b] more\n",
    "a reference label ending later": "[a] b\nc]: d\n",
    "tabs": "words\n\t- item\n \t1. one\n",
    "front matter": "---\na: 1\n---\nwords\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_lines_that_could_start_a_block(text: str) -> None:
    assert_same_tokens(text)
    assert_same_tokens(text.replace("\n", "\r\n"))


def test_list_items_and_lines_with_markup_are_read_as_plain() -> None:
    text = "- one item\n- **two** items\n\n1986 was *a* year\n<LCE> said [it](x)\n"
    assert assert_same_tokens(text) == 3
    tokens = _blocks_only().parse(text)
    assert [t.map for t in tokens if t.type == TOKEN] == [[0, 1], [1, 2], [3, 5]]
