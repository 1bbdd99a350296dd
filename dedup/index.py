"""Signatures -> candidate pairs: MinHash LSH banding as datasketch defines it.

The bands and rows come from datasketch's ``MinHashLSH`` parameter optimiser, and two
paragraphs are candidates exactly when ``MinHashLSH`` would return one for the other: some
band of their signatures is equal. ``jaccard_candidates`` finds those pairs for a whole
batch with numpy (sorting each band) instead of one Python dict lookup per band per
paragraph; ``datasketch_candidates`` asks ``MinHashLSH`` itself, and a test checks that the
two agree. Short paragraphs get exact candidates from deletion neighbourhoods, and
containment candidates come from exact prefix filtering over the shingle hashes.
Candidates are only proposals: every pair is verified exactly in ``dedup.group``.
This is the only module that imports the datasketch LSH indexes.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from datasketch import MinHashLSH

from dedup.models import LshParams
from dedup.sketch import U32, lean

I64 = npt.NDArray[np.int64]


@functools.cache
def lsh_params(threshold: float, num_perm: int) -> LshParams:
    """Return the bands and rows datasketch picks for ``threshold`` (equal FP/FN weights)."""
    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return LshParams(threshold=threshold, bands=index.b, rows=index.r)


def candidate_probability(similarity: float, params: LshParams) -> float:
    """Return the chance that a pair of this Jaccard similarity shares at least one band."""
    return float(1.0 - (1.0 - similarity**params.rows) ** params.bands)


def band_groups(sigs: U32, params: LshParams) -> list[npt.NDArray[np.uint64]]:
    """Return, per band, a 64-bit key per row: equal bands give equal keys.

    Unequal bands collide with probability about 2**-64, which can only add a candidate
    (every candidate is verified), never lose one.
    """
    n = sigs.shape[0]
    out: list[npt.NDArray[np.uint64]] = []
    for band in range(params.bands):
        block = sigs[:, band * params.rows : (band + 1) * params.rows].astype(np.uint64)
        h = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
        for col in range(params.rows):
            h = (h ^ block[:, col]) * np.uint64(0x100000001B3)
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
        out.append(h)
    return out


def pairs_in_groups(groups: npt.NDArray[np.int64] | npt.NDArray[np.uint64]) -> I64:
    """Return pairs (as ``i * 2**32 + j``, ``i < j``) of rows that share a group id."""
    order = np.argsort(groups, kind="stable")
    sorted_ids = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_ids)])
    twos = starts[sizes == 2]  # most shared buckets hold a pair: no Python loop for them
    a, b = order[twos].astype(np.int64), order[twos + 1].astype(np.int64)
    chunks: list[I64] = [(np.minimum(a, b) << 32) | np.maximum(a, b)]
    for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
        members = np.sort(order[start : start + size]).astype(np.int64)
        i, j = np.triu_indices(int(size), k=1)
        chunks.append((members[i] << 32) | members[j])
    return np.concatenate(chunks)


def jaccard_candidates(
    keys: Sequence[int], sigs: U32, params: LshParams, seed: int
) -> set[tuple[int, int]]:
    """Return pairs ``(a, b)``, ``a < b``, of keys with at least one equal LSH band."""
    del seed  # signatures already carry it; kept for the same call shape as datasketch's
    if len(keys) < 2:
        return set()
    found = [pairs_in_groups(g) for g in band_groups(sigs, params)]
    codes = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    key_arr = np.asarray(keys, dtype=np.int64)
    a = key_arr[codes >> 32]
    b = key_arr[codes & 0xFFFFFFFF]
    return {(int(x), int(y)) if x < y else (int(y), int(x)) for x, y in zip(a, b, strict=True)}


def datasketch_candidates(
    keys: Sequence[int], sigs: U32, params: LshParams, seed: int
) -> set[tuple[int, int]]:
    """Return the same pairs as ``jaccard_candidates``, asking datasketch's MinHashLSH."""
    lsh = MinHashLSH(num_perm=sigs.shape[1], params=(params.bands, params.rows))
    pairs: set[tuple[int, int]] = set()
    for key, sig in zip(keys, sigs, strict=True):
        m = lean(sig, seed)
        for other in lsh.query(m):
            pairs.add((other, key) if other < key else (key, other))
        lsh.insert(key, m, check_duplication=False)
    return pairs


def deletions_allowed(size: int, threshold: float) -> int:
    """Return how many shingles a set of ``size`` may lack from a common core at ``threshold``.

    If J(A, B) >= t then |A| - |A & B| <= (1 - t) / t * |A & B| <= (1 - t) / t * |A|.
    """
    return int((1.0 - threshold) / threshold * size + 1e-9)


def small_set_limit(threshold: float, max_keys: int = 80) -> int:
    """Return the largest set size S whose near pairs the exact small-set method covers.

    A pair with min size <= S has max size <= S / t; every set up to that size gets one key
    per subset left after up to ``deletions_allowed`` deletions, at most ``max_keys`` keys.
    """
    best = 0
    for s in range(1, 64):
        big = int(s / threshold)
        keys = sum(math.comb(big, d) for d in range(deletions_allowed(big, threshold) + 1))
        if keys > max_keys:
            break
        best = s
    return best


def deletion_cores(hashes: U32, threshold: float) -> Iterator[tuple[int, ...]]:
    """Yield the non-empty cores of one set: itself minus up to ``deletions_allowed`` shingles.

    Two sets at Jaccard >= ``threshold`` share at least one core (see ``small_set_candidates``).
    """
    values = tuple(int(v) for v in hashes)
    for d in range(deletions_allowed(len(values), threshold) + 1):
        for gone in itertools.combinations(range(len(values)), d):
            core = tuple(v for i, v in enumerate(values) if i not in gone)
            if core:
                yield core


def small_set_candidates(
    keys: Sequence[int], hashes: Sequence[U32], threshold: float
) -> set[tuple[int, int]]:
    """Return every pair at Jaccard >= ``threshold`` among small sets (and more), exactly.

    Deletion neighbourhoods: two sets with J >= t share their intersection, which each
    reaches by deleting at most ``deletions_allowed`` of its own shingles; so sharing a
    key is necessary. Used for short paragraphs, where MinHash banding tuned for lower
    similarities drowns in templated near-misses ("item 1 of page 5", "item 1 of page 6").
    """
    buckets: dict[tuple[int, ...], list[int]] = {}
    for key, h in zip(keys, hashes, strict=True):
        for core in deletion_cores(h, threshold):
            buckets.setdefault(core, []).append(key)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > 1:
            for a, b in itertools.combinations(sorted(set(members)), 2):
                pairs.add((a, b))
    return pairs


def containment_candidates(
    keys: Sequence[int], hashes: Sequence[U32], threshold: float
) -> set[tuple[int, int]]:
    """Return pairs ``(small, large)`` where ``large`` may hold ``threshold`` of ``small``.

    Exact prefix filtering: if at least ``ceil(t * |A|)`` of A's shingles are in B, then
    B holds at least one of any ``|A| - ceil(t * |A|) + 1`` shingles of A; taking A's
    rarest ones keeps the candidate lists short. No pair above the threshold is missed.
    """
    if len(keys) < 2:
        return set()
    key_arr = np.asarray(keys, dtype=np.int64)
    n = len(hashes)
    lengths = np.array([len(h) for h in hashes], dtype=np.int64)
    flat = np.concatenate(hashes)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    _, inv, counts = np.unique(flat, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    freq = counts[inv]  # how many paragraphs hold each entry's shingle
    # Each paragraph's prefix: its rarest shingles, as many as containment allows to miss + 1.
    order = np.lexsort((flat, freq, owner))
    owner_s, inv_s, freq_s = owner[order], inv[order], freq[order]
    rank = np.arange(len(order)) - np.searchsorted(owner_s, np.arange(n))[owner_s]
    need = np.ceil(threshold * lengths - 1e-9).astype(np.int64)
    take = (rank < (lengths - need + 1)[owner_s]) & (freq_s > 1)
    p_owner, p_uniq, p_freq = owner_s[take], inv_s[take], freq_s[take]
    # Everyone holding a prefix shingle is a candidate container.
    postings = owner[np.argsort(inv, kind="stable")]
    post_start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    total = int(p_freq.sum())
    if total == 0:
        return set()
    rep_i = np.repeat(p_owner, p_freq)
    within = np.arange(total) - np.repeat(np.cumsum(p_freq) - p_freq, p_freq)
    rep_j = postings[np.repeat(post_start[p_uniq], p_freq) + within]
    keep = (rep_j != rep_i) & (lengths[rep_j] >= lengths[rep_i])
    codes = np.unique((rep_i[keep] << 32) | rep_j[keep])
    small, large = key_arr[codes >> 32], key_arr[codes & 0xFFFFFFFF]
    return {(int(a), int(b)) for a, b in zip(small, large, strict=True)}
