"""Shingles -> MinHash signatures, many paragraphs at once, datasketch-compatible.

Signatures are exactly what ``datasketch.MinHash(num_perm, seed, scheme="affine32",
hashfunc=shingle_hash)`` gives after ``update_batch`` of the same shingles: the same
permutations (drawn as datasketch draws them), the same MurmurHash3 pre-mix and affine step, but
computed for a whole batch with numpy instead of one MinHash object per paragraph.
This is the only module that imports ``datasketch.MinHash``, and only for the tests'
references (``lean``, ``reference_signature``): datasketch imports scipy (60 MiB,
0.9 s), which no command needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import xxhash

from dedup.core.settings import SCHEME

if TYPE_CHECKING:
    from datasketch import LeanMinHash

U32 = npt.NDArray[np.uint32]

#: Shingle hashes processed per numpy step: bounds the (shingles x num_perm) work array.
_CHUNK = 4_096


_BASIS = 0x811C9DC5
_PRIME = 0x01000193
_MASK = 0xFFFFFFFF


def token_hash(token: str) -> int:
    """Hash one normalised token to 32 bits (xxh32 of its UTF-8 bytes)."""
    return int(xxhash.xxh32_intdigest(token.encode("utf-8")))


def _fmix32_int(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    return h ^ (h >> 16)


def shingle_hash(shingle: bytes) -> int:
    """Hash one UTF-8 encoded shingle to 32 bits (the ``hashfunc`` given to datasketch).

    The shingle's tokens (separated by single spaces) are hashed one by one and folded
    in order, FNV-style over 32-bit words, then finished with MurmurHash3's mixer. So
    every shingle of a paragraph can be hashed in numpy from one hash per token
    (``shingle_hashes``), and datasketch, given this function, computes the same
    signatures from the shingle strings.
    """
    words = shingle.split(b" ")
    h = _BASIS ^ len(words)
    for word in words:
        h = ((h ^ xxhash.xxh32_intdigest(word)) * _PRIME) & _MASK
    return _fmix32_int(h)


def hash_shingles(shingles: Iterable[str]) -> U32:
    """Return the 32-bit hashes of ``shingles`` as a sorted array without repeats."""
    values = np.fromiter((shingle_hash(s.encode("utf-8")) for s in shingles), dtype=np.uint32)
    return np.unique(values)


def hash_many(sets: Sequence[Sequence[str]]) -> list[U32]:
    """Return ``hash_shingles`` of each set of shingle strings."""
    return [hash_shingles(s) for s in sets]


class _TokenHashes(dict[str, int]):
    """Token -> hash, computed on first use, kept for later batches up to ``_CACHED`` tokens."""

    def __missing__(self, token: str) -> int:
        if len(self) >= _CACHED:
            self.clear()
        value = self[token] = token_hash(token)
        return value


#: Distinct tokens whose hashes a process keeps (a few MB; a corpus's common words).
_CACHED = 1 << 17
_TOKEN_HASHES = _TokenHashes()


def cached_token_hashes(toks: Iterable[str], count: int) -> U32:
    """Return ``token_hash`` of each of ``count`` tokens, hashing each distinct one once."""
    return np.fromiter(map(_TOKEN_HASHES.__getitem__, toks), dtype=np.uint32, count=count)


def shingle_hashes(token_lists: Sequence[Sequence[str]], n: int) -> list[U32]:
    """Return, per token list, the sorted distinct hashes of its word ``n``-gram shingles.

    Equal to ``hash_shingles(shingles(tokens, n))`` for each list (fewer than ``n`` tokens
    make one shingle of all), but each distinct token is hashed once and the shingles of
    the whole batch are folded with numpy, without building shingle strings.
    """
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    flat = cached_token_hashes(itertools.chain.from_iterable(token_lists), int(lengths.sum()))
    return shingle_hashes_of(flat, lengths, n)


def shingle_hashes_of(flat: U32, lengths: npt.NDArray[np.int64], n: int) -> list[U32]:
    """Return ``shingle_hashes`` of token lists given as their token hashes, end to end
    (``flat``), and their lengths."""
    total = len(flat)
    starts = np.cumsum(lengths) - lengths
    windows = np.where(lengths > n, lengths - n + 1, np.minimum(lengths, 1))
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), windows)
    first = np.repeat(starts - (np.cumsum(windows) - windows), windows) + np.arange(
        int(windows.sum()), dtype=np.int64
    )
    size = np.minimum(lengths, n)[owner].astype(np.uint32)
    h = np.uint32(_BASIS) ^ size
    last = max(total - 1, 0)
    for j in range(n):
        word = flat[np.minimum(first + j, last)] if total else np.empty(0, dtype=np.uint32)
        h = np.where(j < size, (h ^ word) * np.uint32(_PRIME), h)
    # One sort of (list, hash) packed in 64 bits orders each list's hashes; then no repeats.
    key = owner.astype(np.uint64) << np.uint64(32)
    key |= _fmix32(h)
    key.sort()
    keep = np.ones(len(key), dtype=bool)
    keep[1:] = key[1:] != key[:-1]
    key = key[keep]
    h = key.astype(np.uint32)  # the low 32 bits
    bounds = np.searchsorted(key, np.arange(len(lengths) + 1, dtype=np.uint64) << np.uint64(32))
    return [h[bounds[i] : bounds[i + 1]] for i in range(len(lengths))]


@cache
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """Return datasketch's affine32 permutation parameters ``(a, b)`` for ``num_perm``, ``seed``.

    Drawn as ``MinHash(num_perm, seed, scheme="affine32")`` draws them (odd ``a``, any
    ``b``, from ``RandomState(seed)``), without importing datasketch; a test compares.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.ascontiguousarray(a), np.ascontiguousarray(b)


def _fmix32(h: U32) -> U32:
    # MurmurHash3's 32-bit finalizer: datasketch's pre-mix for the affine schemes.
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signatures(hashes: Sequence[U32], num_perm: int, seed: int) -> U32:
    """Return one row of ``num_perm`` minimum hash values per non-empty hash array."""
    return sign_with(hashes, *permutations(num_perm, seed))


def sign_with(hashes: Sequence[U32], a: U32, b: U32) -> U32:
    """Return ``signatures`` for the permutations ``(a, b)`` of ``permutations``."""
    num_perm = len(a)
    lengths = np.fromiter(map(len, hashes), dtype=np.int64, count=len(hashes))
    if len(hashes) == 0:
        return np.empty((0, num_perm), dtype=np.uint32)
    if not lengths.all():
        raise ValueError("cannot sign an empty shingle set")
    flat = _fmix32(np.concatenate(hashes))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    # Worked one permutation per row, so each minimum runs along contiguous memory
    # (4x faster than a shingle per row); the buffer is reused, no temporaries per step.
    out = np.empty((num_perm, len(hashes)), dtype=np.uint32)
    work = np.empty((num_perm, _CHUNK), dtype=np.uint32)
    first = 0
    while first < len(hashes):
        # Paragraphs whose shingles fit in one step (at least one, however long).
        last = max(int(np.searchsorted(ends, starts[first] + _CHUNK, side="right")), first + 1)
        lo, hi = int(starts[first]), int(ends[last - 1])
        if hi - lo > work.shape[1]:
            work = np.empty((num_perm, hi - lo), dtype=np.uint32)
        step = work[:, : hi - lo]
        np.multiply(a[:, None], flat[None, lo:hi], out=step)
        np.add(step, b[:, None], out=step)
        out[:, first:last] = np.minimum.reduceat(step, starts[first:last] - lo, axis=1)
        first = last
    return np.ascontiguousarray(out.T)


def lean(signature: U32, seed: int) -> LeanMinHash:
    """Wrap one signature row as a datasketch ``LeanMinHash`` for the LSH indexes."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)


def estimate(sig_a: U32, sig_b: U32) -> float:
    """Return the MinHash estimate of Jaccard similarity of two signatures."""
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def reference_signature(shingles: Iterable[str], num_perm: int, seed: int) -> U32:
    """Return the signature datasketch's own ``MinHash.update_batch`` computes (for tests)."""
    from datasketch import MinHash

    m = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME, hashfunc=shingle_hash)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(m.hashvalues, dtype=np.uint32)
