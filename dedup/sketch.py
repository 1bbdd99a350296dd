"""Shingles -> MinHash signatures, many paragraphs at once, datasketch-compatible.

Signatures are exactly what ``datasketch.MinHash(num_perm, seed, scheme="affine32",
hashfunc=shingle_hash)`` gives after ``update_batch`` of the same shingles: the same
permutations (taken from datasketch), the same MurmurHash3 pre-mix and affine step, but
computed for a whole batch with numpy instead of one MinHash object per paragraph.
This is the only module that imports ``datasketch.MinHash``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import numpy.typing as npt
import xxhash
from datasketch import LeanMinHash, MinHash

from dedup.settings import SCHEME

U32 = npt.NDArray[np.uint32]

#: Shingle hashes processed per numpy step: bounds the (shingles x num_perm) work array.
_CHUNK = 32_768


def shingle_hash(shingle: bytes) -> int:
    """Hash one UTF-8 encoded shingle to 32 bits (the ``hashfunc`` given to datasketch)."""
    return int(xxhash.xxh32_intdigest(shingle))


def hash_shingles(shingles: Iterable[str]) -> U32:
    """Return the 32-bit hashes of ``shingles`` as a sorted array without repeats."""
    h = xxhash.xxh32_intdigest
    values = np.fromiter((h(s.encode("utf-8")) for s in shingles), dtype=np.uint32)
    return np.unique(values)


def hash_many(sets: Sequence[Sequence[str]]) -> list[U32]:
    """Return ``hash_shingles`` of each set, hashing and de-duplicating them all in one go."""
    h = xxhash.xxh32_intdigest
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    flat = np.fromiter(
        (h(x.encode("utf-8")) for s in sets for x in s), dtype=np.uint32, count=int(lengths.sum())
    )
    owner = np.repeat(np.arange(len(sets), dtype=np.int64), lengths)
    order = np.lexsort((flat, owner))
    flat, owner = flat[order], owner[order]
    keep = np.ones(len(flat), dtype=bool)
    keep[1:] = (flat[1:] != flat[:-1]) | (owner[1:] != owner[:-1])
    flat, owner = flat[keep], owner[keep]
    bounds = np.searchsorted(owner, np.arange(len(sets) + 1))
    return [flat[bounds[i] : bounds[i + 1]] for i in range(len(sets))]


@cache
def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """Return datasketch's affine32 permutation parameters ``(a, b)`` for ``num_perm``, ``seed``."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return np.ascontiguousarray(a, dtype=np.uint32), np.ascontiguousarray(b, dtype=np.uint32)


def _fmix32(h: U32) -> U32:
    # MurmurHash3's 32-bit finalizer: datasketch's pre-mix for the affine schemes.
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def signatures(hashes: Sequence[U32], num_perm: int, seed: int) -> U32:
    """Return one row of ``num_perm`` minimum hash values per non-empty hash array."""
    a, b = permutations(num_perm, seed)
    out = np.empty((len(hashes), num_perm), dtype=np.uint32)
    if any(len(h) == 0 for h in hashes):
        raise ValueError("cannot sign an empty shingle set")
    start = 0
    while start < len(hashes):
        stop, total = start, 0
        while stop < len(hashes) and (total == 0 or total + len(hashes[stop]) <= _CHUNK):
            total += len(hashes[stop])
            stop += 1
        flat = _fmix32(np.concatenate(hashes[start:stop]))
        offsets = np.cumsum([0] + [len(h) for h in hashes[start : stop - 1]])
        permuted = flat[:, None] * a[None, :] + b[None, :]
        out[start:stop] = np.minimum.reduceat(permuted, offsets, axis=0)
        start = stop
    return out


def lean(signature: U32, seed: int) -> LeanMinHash:
    """Wrap one signature row as a datasketch ``LeanMinHash`` for the LSH indexes."""
    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)


def estimate(sig_a: U32, sig_b: U32) -> float:
    """Return the MinHash estimate of Jaccard similarity of two signatures."""
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def reference_signature(shingles: Iterable[str], num_perm: int, seed: int) -> U32:
    """Return the signature datasketch's own ``MinHash.update_batch`` computes (for tests)."""
    m = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME, hashfunc=shingle_hash)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(m.hashvalues, dtype=np.uint32)
