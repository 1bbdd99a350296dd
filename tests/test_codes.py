"""A batched Verifier (integer codes of tokens and shingles) relates paragraphs exactly as
the one-paragraph-at-a-time Verifier over token and shingle strings does.

Both the 64-bit shingle numbers and the fallback for more digits than 64 bits hold
(``--ngram`` large against the vocabulary), on arbitrary Unicode, short paragraphs
(fewer tokens than ``--ngram``: one shingle of all) and empty ones included.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.core.codes import Codes
from dedup.core.group import Verifier
from dedup.core.settings import Keep, Settings
from dedup.text.normalize import shingles, tokens

WORDS = st.sampled_from(["a", "b", "c", "don't", "é", "漢字", "हिन्दी", "Ab", "A", "ก ิ", ",", "\n"])
TEXT = st.lists(WORDS, max_size=9).map(" ".join)


def check(texts: list[str], ngram: int) -> None:
    s = Settings(ngram=ngram, keep=Keep.LONGEST)
    plain = Verifier(texts, s)
    batched = plain.batched(range(len(texts)))
    for a in range(len(texts)):
        assert batched.length(a) == len(" ".join(tokens(texts[a])))
        assert batched.shingle_count(a) == len(shingles(tokens(texts[a]), ngram))
        for b in range(len(texts)):
            assert batched.same_tokens(a, b) == (tokens(texts[a]) == tokens(texts[b]))
            assert batched.relate(a, b) == plain.relate(a, b)


@settings(max_examples=80, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=8), st.integers(1, 4))
def test_batched_relations_are_exact(texts: list[str], ngram: int) -> None:
    check(texts, ngram)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=24), min_size=1, max_size=6))
def test_batched_relations_on_any_text(texts: list[str]) -> None:
    check(texts, 3)


def test_more_digits_than_64_bits_are_numbered_exactly() -> None:
    # 40 distinct words and 12-grams: 41**12 is over 2**63, so windows are numbered.
    words = [f"w{i}" for i in range(40)]
    texts = [" ".join(words), " ".join(words[:30] + words[31:]), " ".join(reversed(words))]
    assert 41**12 >= 1 << 63
    codes = Codes(texts, [0, 1, 2], 12)
    assert len(codes.shingles(0) & codes.shingles(1)) == len(
        shingles(tokens(texts[0]), 12) & shingles(tokens(texts[1]), 12)
    )
    check(texts, 12)


def test_only_its_paragraphs() -> None:
    batched = Verifier(["a b c", "a b d", "x"], Settings()).batched([0, 1])
    assert (
        batched.relate(1, 0).jaccard
        == Verifier(["a b c", "a b d"], Settings()).relate(1, 0).jaccard
    )
    try:
        batched.relate(2, 0)
    except KeyError:
        return
    raise AssertionError("a paragraph the batch was not made for was compared")


def test_batched_again_covers_new_paragraphs() -> None:
    texts = ["a b c", "a b d", "a b c"]
    once = Verifier(texts, Settings()).batched([0, 1])
    assert once.batched([0]) is once
    again = once.batched([0, 2])
    assert again.relate(2, 0) == Verifier(texts, Settings()).relate(2, 0)
