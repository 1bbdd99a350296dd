"""Batch tokenising gives, for every paragraph, exactly what ``normalize.tokens`` gives.

The batch joins ASCII paragraphs with line breaks and tokenises them together in numpy,
hashing tokens with a numpy xxh32; these tests compare counts, joined tokens and token
hashes with the one-paragraph-at-a-time reference on arbitrary text, line breaks (the
separator) and backticks included, and on batches big enough to take the numpy path.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.core.sketch import token_hash
from dedup.text import batch
from dedup.text.batch import MIN_BATCH, _xxh32
from dedup.text.normalize import tokens


def reference(texts: list[str]) -> tuple[list[int], list[bytes], list[int]]:
    found = [tokens(t) for t in texts]
    return (
        [len(f) for f in found],
        [" ".join(f).encode("utf-8") for f in found],
        [token_hash(tok) for f in found for tok in f],
    )


def check(texts: list[str], least: int = 1) -> None:
    """Compare with the reference, taking the numpy path from ``least`` ASCII paragraphs."""
    with mock.patch.object(batch, "MIN_BATCH", least):
        got = batch.tokenise_many(texts)
    counts, joined, hashes = reference(texts)
    assert got.counts.tolist() == counts
    assert got.joined == joined
    assert got.hashes.tolist() == hashes


ASCII = st.text(
    alphabet=st.one_of(
        st.characters(codec="ascii"),
        st.sampled_from("aZ09_'`'' \n\n\r\t-.x"),
    ),
    max_size=40,
)
ANY = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from("a'`\n é ก ิ 漢 क ् \u200c ΐ"),
    ),
    max_size=30,
)


@settings(max_examples=120, deadline=None)
@given(st.lists(ASCII, max_size=8))
def test_a_batch_of_ascii_paragraphs_gives_the_reference_tokens(texts: list[str]) -> None:
    check(texts)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.one_of(ASCII, ANY), max_size=8))
def test_a_mixed_batch_gives_the_reference_tokens(texts: list[str]) -> None:
    """Non-ASCII paragraphs among ASCII ones keep their place in the token stream."""
    check(texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(ASCII, ANY), max_size=8))
def test_a_small_batch_gives_the_reference_tokens(texts: list[str]) -> None:
    """Under ``MIN_BATCH`` ASCII paragraphs, all go one by one."""
    check(texts, least=MIN_BATCH)


def test_long_tokens_and_every_token_length() -> None:
    """Lengths 1 to 40 cross xxh32's 4-byte words, tails and its 16-byte stripes."""
    words = [
        "".join(chr(97 + (i * 7 + k) % 26) for k in range(n)) for i, n in enumerate(range(1, 41))
    ]
    texts = [" ".join([*words[i:], "don't", "x'", "'y", "a''b"]) for i in range(MIN_BATCH)]
    check(texts, least=MIN_BATCH)
    check([""] * MIN_BATCH + ["A B\nC"], least=MIN_BATCH)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=30))
def test_numpy_xxh32_is_xxhash(pieces: list[bytes]) -> None:
    raw = b"".join(pieces)
    ends = np.cumsum([len(p) for p in pieces]).astype(np.int64)
    starts = ends - np.asarray([len(p) for p in pieces], dtype=np.int64)
    got = _xxh32(raw, starts, ends)
    assert got.tolist() == [xxhash.xxh32_intdigest(p) for p in pieces]
