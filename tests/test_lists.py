"""Which list each list item belongs to (dedup.check.lists), in Markdown, rst and plain text."""

from __future__ import annotations

from dedup.check.lists import list_ids, list_items


def ids(text: str) -> list[int | None]:
    return list_ids(text.splitlines())


def test_items_of_one_list_share_an_id_and_a_paragraph_ends_the_list() -> None:
    got = ids("- a\n- b\n  more\n\n- c\n\nPara\n\n- d\n")
    assert got[0] == got[1] == got[4] is not None  # a loose list, continuation lines
    assert got[8] is not None and got[8] != got[0]  # after a paragraph: a new list


def test_a_lazy_continuation_line_does_not_end_the_list() -> None:
    got = ids("- a\nlazy line\n- b\n")
    assert got[0] == got[2] is not None


def test_nested_lists_and_marker_kinds() -> None:
    got = ids("1. f\n   - g\n   - h\n2. i\n* j\n")
    assert got[0] == got[3]  # the ordered list around its nested one
    assert got[1] == got[2] != got[0]
    assert got[4] is not None and got[4] not in (got[0], got[1])  # another marker kind


def test_headings_fences_and_rst_titles_end_lists_and_code_is_not_read() -> None:
    got = ids("- a\n# Heading\n- b\n```\n- not an item\n```\n- c\n")
    assert got[0] != got[2] and got[4] is None and got[6] not in (None, got[2])
    rst = ids("* a\n\nSection\n-------\n\n* b\n\n#. c\n#. d\n")
    assert rst[0] is not None and rst[5] is not None and rst[0] != rst[5]
    assert rst[7] == rst[8] is not None and rst[7] != rst[5]


def test_lists_inside_block_quotes_are_lists() -> None:
    # Node.js writes its resolution algorithms as lists in a quote.
    got = ids("> 1. If x, then\n>    1. Return y.\n> 2. Otherwise\n>    1. Return y.\n")
    assert got[0] == got[2] is not None
    assert got[1] is not None and got[3] is not None and got[1] != got[3] != got[0]


def test_an_rst_title_underlined_with_tildes_opens_no_code_fence() -> None:
    # Celery's change log: "Features\n~~~~~~~~" then a list; in Markdown that line is a fence.
    lines = ["Features", "~~~~~~~~", "", "- one", "- two", "", "Fixes", "~~~~~", "", "- one"]
    ids = list_ids(lines, fences=False)
    assert ids[3] == ids[4] and ids[9] is not None and ids[9] != ids[3]
    assert list_ids(lines)[3] is None  # read as Markdown, inside a fence


def test_lines_under_an_item_belong_to_that_item() -> None:
    lines = "- a\n\n  Note of a.\n\n- b\n\n  Note of b.\n\nAfter.\n".splitlines()
    bodies = list_items(lines).bodies
    assert bodies[2] is not None and bodies[6] is not None and bodies[2] != bodies[6]
    assert bodies[0] is None and bodies[4] is None  # the items' own lines
    assert bodies[8] is None  # the list has ended


def test_rst_definition_list_terms_are_items_and_their_definitions_bodies() -> None:
    # Celery's glossary: a term, then its definition indented under it.
    lines = ["    ack", "        Short for acknowledged.", "", "    nack", "        Not ack."]
    got = list_items(lines, fences=False)
    assert got.ids[0] == got.ids[3] is not None
    assert got.bodies[1] is not None and got.bodies[4] is not None
    assert got.bodies[1] != got.bodies[4]
    # A directive, a field or a literal block's lead-in is no term.
    for head in (".. note::", ":param x:", "Example::"):
        assert list_items(["", head, "    body"], fences=False).ids[1] is None
    assert list_items(lines).ids[0] is None  # Markdown has no such terms
