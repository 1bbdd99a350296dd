"""A long plain text is read a piece at a time, with exactly the paragraphs of a whole reading."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.core.models import Document
from dedup.engines.pipeline import find_duplicates
from dedup.engines.stream import find_duplicates_streaming
from dedup.text.segment import (
    Lines,
    layout,
    piece_compare_texts,
    pieced_found,
    pieced_paragraphs,
    segment,
    text_blocks,
    text_pieces,
)

LINE = st.sampled_from(
    ["alpha beta gamma", "delta", "  ", "", "\t", "ünïcode wörds ß", "x y", "fin.", "\x0c"]
)
END = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.tuples(LINE, END), min_size=1, max_size=60))
    text = "".join(a + b for a, b in lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final line end
    return text


@settings(max_examples=400, deadline=None)
@given(texts(), st.integers(min_value=1, max_value=40))
def test_pieces_give_the_blocks_of_the_whole(text: str, size: int) -> None:
    pieces = text_pieces(text, size, longer_than=0)
    whole = [b.compare for b in text_blocks(Lines.of(text))]
    if pieces is None:  # nothing but whitespace
        assert whole == []
        return
    assert pieces.cuts[0] == 0 and list(pieces.cuts) == sorted(set(pieces.cuts))
    got: list[str] = []
    for lo, hi in pieces.spans(len(text)):
        got.extend(piece_compare_texts(text[lo:hi], pieces.one_each))
    assert got == whole


@settings(max_examples=200, deadline=None)
@given(texts(), st.integers(min_value=1, max_value=40), st.sampled_from(["utf-8", "utf-16"]))
def test_pieces_give_the_paragraphs_of_the_whole(text: str, size: int, encoding: str) -> None:
    doc = Document("a.txt", text, syntax="text", encoding=encoding)
    pieces = text_pieces(text, size, longer_than=0)
    whole = segment(doc, 3)
    if pieces is None:
        assert whole.paragraphs == ()
        return
    got = list(pieced_paragraphs(doc, 3, pieces))
    assert [p for p, _ in got] == list(whole.paragraphs)
    assert [c for _, c in got] == list(whole.compare)


def test_a_text_with_directives_or_ignore_comments_is_read_whole() -> None:
    body = "one line of text\n\n" * 10
    assert text_pieces(body, 10, longer_than=0) is not None
    assert text_pieces(body + "{% include 'x' %}\n", 10, longer_than=0) is None
    assert text_pieces(body + "<!-- dedup-ignore-next -->\n", 10, longer_than=0) is None
    assert text_pieces(body, 10) is None  # short texts are read whole


def test_a_long_text_gives_the_same_report_as_a_whole_reading() -> None:
    # Over 4 MiB of one-paragraph-per-line text: the streaming engine reads it in pieces,
    # the in-memory engine whole; every repeat and every place is the same.
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(20_000)]
    lines = [" ".join(rng.choices(vocabulary, k=8)) for _ in range(90_000)]
    for i in range(0, 90_000, 997):  # exact repeats, near and far
        lines[(i * 7919) % 90_000] = lines[i]
    text = "\n".join(lines) + "\n"
    assert text_pieces(text) is not None
    doc = Document("big.txt", text, syntax="text")
    streamed = find_duplicates_streaming(lambda: [doc])
    whole = find_duplicates([doc])
    assert [(g.kept, g.duplicates) for g in streamed.groups] == [
        (g.kept, g.duplicates) for g in whole.groups
    ]
    assert streamed.groups
    assert streamed.paragraph_count == whole.paragraph_count == 90_000


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=" \t\r\n\x0b\x0c\x1c\x85\xa0\u2028\u3000x", max_size=30))
def test_a_blank_text_has_the_layout_of_its_lines(text: str) -> None:
    # A text of nothing but whitespace is answered without listing its lines.
    doc = Document("a.txt", text, syntax="text")
    found = layout(doc)
    assert (found.spans, found.compare) == (
        tuple(x for b in text_blocks(Lines.of(text)) for x in (b.first, b.stop)),
        tuple(b.compare for b in text_blocks(Lines.of(text))),
    )


@settings(max_examples=150, deadline=None)
@given(texts(), st.integers(min_value=1, max_value=40), st.sets(st.integers(1, 40)))
def test_pieces_holding_no_wanted_paragraph_are_skipped_with_the_same_result(
    text: str, size: int, wanted: set[int]
) -> None:
    # The second pass knows each piece's paragraph count from the first: it segments only
    # the pieces that hold a paragraph it wants, and finds the same paragraphs.
    doc = Document("a.txt", text, syntax="text", encoding="utf-16")
    pieces = text_pieces(text, size, longer_than=0)
    if pieces is None:
        return
    counts = [f.count for f in pieced_found(doc, 3, pieces)]
    every = [f.paragraphs for f in pieced_found(doc, 3, pieces, wanted=wanted)]
    skipped = [f.paragraphs for f in pieced_found(doc, 3, pieces, wanted=wanted, counts=counts)]
    assert skipped == every
    assert [p.index for found in every for p, _ in found] == sorted(
        n for n in wanted if n <= sum(counts)
    )
