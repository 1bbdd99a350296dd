"""dedup's Markdown parser does not log; markdown-it-py's own parsers still do."""

from __future__ import annotations

import logging

import pytest
from markdown_it import MarkdownIt

from dedup.text.quiet_markdown import quiet
from dedup.text.segment import _blocks_only

TEXT = "# Title\n\nA paragraph.\n\n- an item\n\n> a quote\n\n```\ncode\n```\n"


def test_dedups_parser_makes_no_log_records(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        _blocks_only().parse(TEXT)
    assert not [r for r in caplog.records if r.name.startswith("markdown_it")]


def test_other_parsers_still_log(caplog: pytest.LogCaptureFixture) -> None:
    quiet(MarkdownIt("commonmark"))  # quieting one instance leaves the library as it is
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        MarkdownIt("commonmark").parse(TEXT)
    assert any(r.name.startswith("markdown_it.rules_block") for r in caplog.records)


def test_a_quiet_parser_gives_the_same_tokens() -> None:
    loud = MarkdownIt("commonmark").enable("table")
    silent = quiet(MarkdownIt("commonmark").enable("table"))
    text = TEXT + "| a | b |\n|---|---|\n| 1 | 2 |\n\n1. one\n   two\n\n<div>\nhtml\n</div>\n"
    assert [t.as_dict() for t in silent.parse(text)] == [t.as_dict() for t in loud.parse(text)]
    assert silent.block.ruler.get_active_rules() == loud.block.ruler.get_active_rules()
