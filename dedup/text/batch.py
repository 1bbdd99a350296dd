"""Many paragraphs at once -> their tokens' hashes, counts and joined text, in numpy.

``normalize.tokens`` is the reference: this module gives, for a batch of paragraphs, what
it gives one paragraph at a time (a property test compares them on arbitrary Unicode):
per paragraph the number of tokens and the tokens joined by single spaces, and for the
whole batch the xxh32 hash of every token in order (``sketch.token_hash``).

ASCII paragraphs (almost all of an English corpus) are tokenised together in numpy: the
paragraphs are joined by line breaks (never part of a token, so the break in a
paragraph's own text is harmless) into one byte array, lowered through a table, and a
token is a maximal run of ``[a-z0-9_]`` and of apostrophes between two such characters,
which is exactly ``normalize``'s ASCII rule ``[a-z0-9_]+(?:'[a-z0-9_]+)*``. Token hashes
are xxh32 computed in numpy for tokens under 16 bytes, by ``xxhash`` for longer ones.
Other paragraphs go through ``normalize.tokens`` one by one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash

from dedup.core.sketch import U32, cached_token_hashes
from dedup.text.normalize import tokens

I64 = npt.NDArray[np.int64]
U8 = npt.NDArray[np.uint8]

#: Below this many ASCII paragraphs, one by one is faster than numpy's fixed costs.
MIN_BATCH = 48

_P1, _P2, _P3, _P4, _P5 = (
    np.uint32(2654435761),
    np.uint32(2246822519),
    np.uint32(3266489917),
    np.uint32(668265263),
    np.uint32(374761393),
)

# ASCII byte -> 1 for the bytes of words (``[a-z0-9_]``, after lowering), else 0.
_WORD_TABLE = bytes(int(chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789_") for c in range(256))


@dataclass(frozen=True, slots=True)
class Batch:
    """The tokens of a batch of paragraphs: ``counts[i]`` tokens in paragraph ``i``,
    ``joined[i]`` its tokens joined by single spaces (UTF-8), ``hashes`` every token's
    xxh32 in order (paragraph 0's first)."""

    counts: I64
    joined: list[bytes]
    hashes: U32


def tokenise_many(texts: Sequence[str]) -> Batch:
    """Return the tokens of each of ``texts`` as ``normalize.tokens`` finds them."""
    n = len(texts)
    ascii_rows = [i for i, t in enumerate(texts) if t.isascii()]
    if len(ascii_rows) < MIN_BATCH:
        ascii_rows = []
    counts = np.zeros(n, dtype=np.int64)
    joined: list[bytes] = [b""] * n
    owners: list[I64] = []
    parts: list[U32] = []
    if ascii_rows:
        rows = np.asarray(ascii_rows, dtype=np.int64)
        c, j, h = _ascii_batch([texts[i] for i in ascii_rows])
        counts[rows] = c
        for i, b in zip(ascii_rows, j, strict=True):
            joined[i] = b
        owners.append(np.repeat(rows, c))
        parts.append(h)
    others = range(n) if not ascii_rows else sorted(set(range(n)).difference(ascii_rows))
    if others:
        found = [tokens(texts[i]) for i in others]
        rows = np.asarray(others, dtype=np.int64)
        c = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        counts[rows] = c
        for i, toks in zip(others, found, strict=True):
            joined[i] = " ".join(toks).encode("utf-8")
        owners.append(np.repeat(rows, c))
        parts.append(cached_token_hashes(itertools.chain.from_iterable(found), int(c.sum())))
    if not parts:
        return Batch(counts, joined, np.empty(0, dtype=np.uint32))
    if len(parts) == 1:
        return Batch(counts, joined, parts[0])
    order = np.argsort(np.concatenate(owners), kind="stable")
    return Batch(counts, joined, np.concatenate(parts)[order])


def _ascii_batch(texts: Sequence[str]) -> tuple[I64, list[bytes], U32]:
    """Tokenise ASCII ``texts`` together: counts, joined tokens and token hashes."""
    raw = "\n".join(texts).encode("ascii").lower().replace(b"`", b"'")
    size = len(raw)
    low = np.frombuffer(raw, dtype=np.uint8)
    word = np.frombuffer(raw.translate(_WORD_TABLE), dtype=bool)
    # An apostrophe belongs to a token when word characters stand on both sides of it.
    inner = np.zeros(size, dtype=bool)
    if size > 2:
        inner[1:-1] = (low[1:-1] == ord("'")) & word[:-2] & word[2:]
    tok = word | inner
    edges = np.diff(tok.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    bounds = np.flatnonzero(edges)  # a token's start, then its end, and so on
    starts, ends = bounds[0::2], bounds[1::2]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    para_start = np.cumsum(lengths + 1) - (lengths + 1)
    first = np.searchsorted(starts, para_start)  # each paragraph's first token
    counts = np.diff(first, append=len(starts))
    hashes = _xxh32(raw, starts, ends)
    # Every paragraph's tokens joined by one space: keep token bytes, and the byte after
    # each token (never a token byte) as the space when the paragraph's next token follows.
    last = first + counts - 1  # each paragraph's last token (when it has one)
    spaced = np.ones(len(starts), dtype=bool)
    spaced[last[counts > 0]] = False
    gap = ends[spaced]
    keep = tok.copy()
    keep[gap] = True
    out = low.copy()
    out[gap] = ord(" ")
    buf = out[keep].tobytes()
    size_in_buf = ends - starts + spaced
    at = np.cumsum(size_in_buf) - size_in_buf  # where each token starts in buf
    have = counts > 0
    a = np.zeros(len(texts), dtype=np.int64)
    b = np.zeros(len(texts), dtype=np.int64)
    a[have] = at[first[have]]
    b[have] = at[last[have]] + (ends - starts)[last[have]]
    joined = [buf[x:y] for x, y in zip(a.tolist(), b.tolist(), strict=True)]
    return counts, joined, hashes


def _rotl(x: U32, r: int) -> U32:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _xxh32(raw: bytes, starts: I64, ends: I64) -> U32:
    """Return xxh32 (seed 0) of ``raw[starts[k]:ends[k]]`` for every k.

    Tokens under 16 bytes are hashed in numpy, grouped by length so that each group runs
    the same steps on a matrix of its tokens' bytes (one row per token, read as
    little-endian 32-bit words); longer ones by ``xxhash``.
    """
    n = len(starts)
    data = np.frombuffer(raw, dtype=np.uint8)
    out = np.empty(n, dtype=np.uint32)
    small = np.minimum(ends - starts, 16).astype(np.uint8)
    order = np.argsort(small, kind="stable")
    bounds = np.searchsorted(small[order], np.arange(18))
    with np.errstate(over="ignore"):
        for ln in range(16):
            rows = order[bounds[ln] : bounds[ln + 1]]
            if not len(rows):
                continue
            block = np.zeros((len(rows), 16), dtype=np.uint8)
            block[:, :ln] = data[starts[rows][:, None] + np.arange(ln)]
            words: U32 = block.view("<u4")  # xxh32 reads little-endian words
            h = np.full(len(rows), _P5 + np.uint32(ln), dtype=np.uint32)
            for k in range(ln // 4):
                h = _rotl(h + words[:, k] * _P3, 17) * _P4
            for at in range(4 * (ln // 4), ln):
                byte: U32 = block[:, at].astype(np.uint32)
                h = _rotl(h + byte * _P5, 11) * _P1
            h ^= h >> np.uint32(15)
            h *= _P2
            h ^= h >> np.uint32(13)
            h *= _P3
            h ^= h >> np.uint32(16)
            out[rows] = h
    long_rows = order[bounds[16] :]
    if len(long_rows):
        out[long_rows] = [
            xxhash.xxh32_intdigest(raw[a:b])
            for a, b in zip(starts[long_rows].tolist(), ends[long_rows].tolist(), strict=True)
        ]
    return out
