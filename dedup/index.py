"""Signatures -> candidate pairs: MinHash LSH banding as datasketch defines it.

The bands and rows are those datasketch's ``MinHashLSH`` parameter optimiser picks
(``dedup.lshparams`` computes them without importing datasketch), and two
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
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.lshparams import optimal_params
from dedup.models import LshParams
from dedup.sketch import U32, lean

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


@functools.cache
def lsh_params(threshold: float, num_perm: int) -> LshParams:
    """Return the bands and rows datasketch picks for ``threshold`` (equal FP/FN weights).

    Computed as datasketch computes them, without importing it (``dedup.lshparams``),
    except for a near tie between two choices, which datasketch itself decides.
    """
    found = optimal_params(threshold, num_perm)
    if found is None:
        from datasketch import MinHashLSH  # here: it imports scipy (see ``dedup.sketch``)

        index = MinHashLSH(threshold=threshold, num_perm=num_perm)
        found = (index.b, index.r)
    return LshParams(threshold=threshold, bands=found[0], rows=found[1])


def candidate_probability(similarity: float, params: LshParams) -> float:
    """Return the chance that a pair of this Jaccard similarity shares at least one band."""
    return float(1.0 - (1.0 - similarity**params.rows) ** params.bands)


def band_groups(sigs: U32, params: LshParams) -> list[npt.NDArray[np.uint64]]:
    """Return, per band, a 64-bit key per row (the columns of ``band_keys``)."""
    keys = band_keys(sigs, params)
    return [np.ascontiguousarray(keys[:, band]) for band in range(params.bands)]


#: Rows sharing one key beyond this many are a dense bucket: kept as its member list
#: (every pair of it a candidate), not spelled out as pairs (``pairs_and_buckets``).
DENSE = 32

Buckets = list[list[int]]


def pairs_in_groups(groups: npt.NDArray[np.int64] | npt.NDArray[np.uint64]) -> I64:
    """Return pairs (as ``i * 2**32 + j``, ``i < j``) of rows that share a group id."""
    return pairs_and_buckets(groups, None)[0]


def pairs_and_buckets(
    groups: npt.NDArray[np.int64] | npt.NDArray[np.uint64], dense: int | None
) -> tuple[I64, list[I64]]:
    """Return the pairs of rows sharing a group id, and the groups of more than ``dense`` rows.

    A group of more than ``dense`` rows (``None``: no limit) is returned as its sorted rows
    instead of its pairs: n near-identical paragraphs share their bands, and their pairs
    are n * (n - 1) / 2.
    """
    # Most ids are held by one row: find the shared ids with a plain sort (fast), and
    # order only the rows that hold one.
    values = np.sort(groups)
    repeated = values[1:][values[1:] == values[:-1]]
    if len(repeated) == 0:
        return np.empty(0, dtype=np.int64), []
    shared = repeated[starts_run(repeated)]
    at = np.minimum(np.searchsorted(shared, groups), len(shared) - 1)
    rows = np.flatnonzero(shared[at] == groups)
    order = rows[np.argsort(groups[rows], kind="stable")]
    sorted_ids = groups[order]
    starts = np.flatnonzero(starts_run(sorted_ids))
    sizes = np.diff(np.r_[starts, len(sorted_ids)])
    twos = starts[sizes == 2]  # most shared buckets hold a pair: no Python loop for them
    a, b = order[twos].astype(np.int64), order[twos + 1].astype(np.int64)
    chunks: list[I64] = [(np.minimum(a, b) << 32) | np.maximum(a, b)]
    buckets: list[I64] = []
    for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
        members = np.sort(order[start : start + size]).astype(np.int64)
        if dense is not None and size > dense:
            buckets.append(members)
            continue
        i, j = np.triu_indices(int(size), k=1)
        chunks.append((members[i] << 32) | members[j])
    return np.concatenate(chunks), buckets


def starts_run(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Return where each run of equal values in the sorted ``values`` starts."""
    new = np.ones(len(values), dtype=bool)
    new[1:] = values[1:] != values[:-1]
    return new


class HashFilter:
    """A bitmap over the top bits of a sorted set of 32-bit hashes, about 8 bits per hash.

    ``may_hold`` is true for every hash of the set and false for most others (about one
    in eight passes by chance): a cheap first test before an exact lookup.
    """

    def __init__(self, keys: npt.NDArray[np.uint32]) -> None:
        size = min(max(8 * len(keys), 1 << 16), 1 << 30)
        self._shift = np.uint32(32 - (size - 1).bit_length())
        self._bitmap = np.zeros(1 << ((size - 1).bit_length() - 3), dtype=np.uint8)
        top = keys >> self._shift
        byte = top >> np.uint32(3)
        runs = np.flatnonzero(starts_run(byte))
        if len(runs):
            bit = np.left_shift(np.uint8(1), (top & np.uint32(7)).astype(np.uint8))
            self._bitmap[byte[runs]] = np.bitwise_or.reduceat(bit, runs)

    def may_hold(self, values: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
        """Return, per value, False if it is certainly not in the set."""
        top = values >> self._shift
        bit = (top & np.uint32(7)).astype(np.uint8)
        held: npt.NDArray[np.bool_] = ((self._bitmap[top >> np.uint32(3)] >> bit) & 1).astype(bool)
        return held


def jaccard_candidates(
    keys: Sequence[int], sigs: U32, params: LshParams, seed: int
) -> set[tuple[int, int]]:
    """Return pairs ``(a, b)``, ``a < b``, of keys with at least one equal LSH band."""
    return jaccard_candidate_buckets(keys, sigs, params, seed, None)[0]


def jaccard_candidate_buckets(
    keys: Sequence[int], sigs: U32, params: LshParams, seed: int, dense: int | None = DENSE
) -> tuple[set[tuple[int, int]], Buckets]:
    """Return ``jaccard_candidates``' pairs, the dense buckets' pairs given as their keys.

    Every pair of one returned bucket (sorted keys) is a candidate; the pairs are those
    of ``jaccard_candidates`` exactly, some of them once more inside a bucket.
    """
    del seed  # signatures already carry it; kept for the same call shape as datasketch's
    if len(keys) < 2:
        return set(), []
    found = [pairs_and_buckets(g, dense) for g in band_groups(sigs, params)]
    codes = np.unique(np.concatenate([f[0] for f in found]))
    key_arr = np.asarray(keys, dtype=np.int64)
    return _pairs_of(key_arr, codes), _buckets_of(key_arr, [b for f in found for b in f[1]])


def _pairs_of(key_arr: I64, codes: I64) -> set[tuple[int, int]]:
    a, b = key_arr[codes >> 32], key_arr[codes & 0xFFFFFFFF]
    return {(int(x), int(y)) if x < y else (int(y), int(x)) for x, y in zip(a, b, strict=True)}


def _buckets_of(key_arr: I64, rows: list[I64]) -> Buckets:
    """Return each bucket's distinct keys, sorted; equal buckets once."""
    out = {tuple(np.unique(key_arr[r]).tolist()) for r in rows}
    return [list(b) for b in sorted(out) if len(b) > 1]


def datasketch_candidates(
    keys: Sequence[int], sigs: U32, params: LshParams, seed: int
) -> set[tuple[int, int]]:
    """Return the same pairs as ``jaccard_candidates``, asking datasketch's MinHashLSH."""
    from datasketch import MinHashLSH

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


def _mix(h: U64) -> U64:
    """Finish a 64-bit FNV fold so nearby inputs spread (the murmur3 finaliser)."""
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return h


def _fold(columns: U64) -> U64:
    """Return a 64-bit key per row of ``columns``: equal rows give equal keys."""
    h = np.full(columns.shape[0], 0xCBF29CE484222325, dtype=np.uint64)
    for col in range(columns.shape[1]):
        h = (h ^ columns[:, col]) * np.uint64(0x100000001B3)
    return _mix(h)


def band_keys(sigs: U32, params: LshParams) -> U64:
    """Return a (paragraphs x bands) matrix of 64-bit band keys: equal bands, equal keys.

    Unequal bands collide with probability about 2**-64, which can only add a candidate
    (every candidate is verified), never lose one.
    """
    out = np.empty((sigs.shape[0], params.bands), dtype=np.uint64)
    for band in range(params.bands):
        block = sigs[:, band * params.rows : (band + 1) * params.rows].astype(np.uint64)
        out[:, band] = _fold(block)
    return out


def small_set_keys(hashes: Sequence[U32], threshold: float) -> tuple[U64, I64]:
    """Return the deletion-neighbourhood keys of each set and, per key, the set's position.

    A key stands for the sorted shingle hashes left after deleting up to
    ``deletions_allowed`` of them; sets of any size that reach the same core get the same
    key. Sets of one size are done together, one numpy step per deletion pattern.
    """
    by_size: dict[int, list[int]] = {}
    for i, h in enumerate(hashes):
        if len(h):
            by_size.setdefault(len(h), []).append(i)
    keys: list[U64] = []
    owners: list[I64] = []
    for size, members in sorted(by_size.items()):
        matrix = np.vstack([hashes[i] for i in members]).astype(np.uint64)
        own = np.asarray(members, dtype=np.int64)
        for d in range(deletions_allowed(size, threshold) + 1):
            for gone in itertools.combinations(range(size), d):
                cols = [c for c in range(size) if c not in gone]
                if cols:
                    keys.append(_fold(matrix[:, cols]))
                    owners.append(own)
    if not keys:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    return np.concatenate(keys), np.concatenate(owners)


def pairs_sharing_keys(keys: U64, owners: I64) -> I64:
    """Return pairs of distinct owners that share a key, as ``a * 2**32 + b``, ``a < b``."""
    return pairs_and_buckets_sharing_keys(keys, owners, None)[0]


def pairs_and_buckets_sharing_keys(
    keys: U64, owners: I64, dense: int | None
) -> tuple[I64, list[I64]]:
    """Return ``pairs_sharing_keys``, keys held by more than ``dense`` rows as owner lists."""
    if len(keys) < 2:
        return np.empty(0, dtype=np.int64), []
    rows, buckets = pairs_and_buckets(keys, dense)
    a, b = owners[rows >> 32], owners[rows & 0xFFFFFFFF]
    keep = a != b
    a, b = a[keep], b[keep]
    return np.unique((np.minimum(a, b) << 32) | np.maximum(a, b)), [owners[r] for r in buckets]


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
    return small_set_candidate_buckets(keys, hashes, threshold, None)[0]


def small_set_candidate_buckets(
    keys: Sequence[int], hashes: Sequence[U32], threshold: float, dense: int | None = DENSE
) -> tuple[set[tuple[int, int]], Buckets]:
    """Return ``small_set_candidates``' pairs, those of keys held by many sets as buckets."""
    k, owner = small_set_keys(hashes, threshold)
    codes, buckets = pairs_and_buckets_sharing_keys(k, owner, dense)
    key_arr = np.asarray(keys, dtype=np.int64)
    return _pairs_of(key_arr, codes), _buckets_of(key_arr, buckets)


def containment_prefixes(
    flat: U32, lengths: I64, rarity: I64, threshold: float
) -> tuple[U32, I64, I64]:
    """Return each set's prefix entries for containment: (hash, set position, set size).

    ``flat`` holds the sets one after another (``lengths`` each) and ``rarity`` a count per
    entry that orders shingles rarest first (any order of a set's shingles keeps the filter
    exact; rarer first keeps candidate lists short). A set A shares at least ``k`` of any
    ``|A| - ceil(t * |A|) + k`` of its shingles with every B that holds ``t`` of A; the
    prefix is taken with ``k = overlap(|A|)`` (2 where possible), so that a pair sharing
    a single prefix hash by a 32-bit hash collision is not proposed (``shared_prefixes``
    counts). Shingles counted once cannot be shared and are left out.
    """
    n = len(lengths)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    owner_s, flat_s, rarity_s = _by_owner_rarity(owner, flat, rarity, n)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    rank = np.arange(len(owner_s), dtype=np.int64) - starts[owner_s]
    need = np.ceil(threshold * lengths - 1e-9).astype(np.int64)
    take = (rank < (lengths - need + overlap(lengths, threshold))[owner_s]) & (rarity_s > 1)
    return flat_s[take], owner_s[take], lengths[owner_s[take]]


def _by_owner_rarity(owner: I64, flat: U32, rarity: I64, n: int) -> tuple[I64, U32, I64]:
    """Sort entries by (owner, rarity, hash): one sort of packed 64-bit keys when they fit.

    Rarities above what the key has room for are treated as equal (then ordered by
    hash): a different order of the most common shingles, and any order of a set's
    shingles keeps the prefix filter exact.
    """
    owner_bits = max(int(n - 1).bit_length(), 1)
    rarity_bits = 32 - owner_bits
    if rarity_bits < 8:  # billions of sets in one call: the three-key sort
        order = np.lexsort((flat, rarity, owner))
        return owner[order], flat[order], rarity[order]
    cap = (1 << rarity_bits) - 1
    key = (
        (owner.astype(np.uint64) << np.uint64(32 + rarity_bits))
        | (np.minimum(rarity, cap).astype(np.uint64) << np.uint64(32))
        | flat.astype(np.uint64)
    )
    key.sort()
    return (
        (key >> np.uint64(32 + rarity_bits)).astype(np.int64),
        (key & np.uint64(0xFFFFFFFF)).astype(np.uint32),
        ((key >> np.uint64(32)) & np.uint64(cap)).astype(np.int64),
    )


def overlap(sizes: I64, threshold: float) -> I64:
    """Return how many prefix shingles a containing set must share: 2, or 1 for tiny sets."""
    need: I64 = np.ceil(threshold * sizes - 1e-9).astype(np.int64)
    return np.minimum(need, 2)


def prefix_matches(prefix: tuple[U32, I64, I64], postings: tuple[U32, I64, I64]) -> tuple[I64, I64]:
    """Return ``small * 2**32 + large`` per shared hash, and the small set's size.

    ``prefix`` and ``postings`` are (hash, id, size) entries (ids are global paragraph
    ids); every posting set at least as large as a prefix's set and holding one of its
    hashes matches once per hash held. ``shared_prefixes`` keeps the pairs that match often
    enough.
    """
    p_hash, p_id, p_size = prefix
    q_hash, q_id, q_size = postings
    order = np.argsort(q_hash, kind="stable")
    q_hash, q_id, q_size = q_hash[order], q_id[order], q_size[order]
    lo = np.searchsorted(q_hash, p_hash, side="left")
    count = np.searchsorted(q_hash, p_hash, side="right") - lo
    total = int(count.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    rep_i = np.repeat(p_id.astype(np.int64), count)
    rep_size = np.repeat(p_size.astype(np.int64), count)
    at = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(total, dtype=np.int64)
    rep_j, size_j = q_id[at].astype(np.int64), q_size[at]
    keep = (rep_j != rep_i) & (size_j >= rep_size)
    return (rep_i[keep] << 32) | rep_j[keep], rep_size[keep]


def shared_prefixes(codes: I64, sizes: I64, threshold: float) -> I64:
    """Return the distinct pair codes matched at least ``overlap`` times (see the prefixes)."""
    unique, first, shared = np.unique(codes, return_index=True, return_counts=True)
    return unique[shared >= overlap(sizes[first], threshold)]


def containment_candidates(
    keys: Sequence[int], hashes: Sequence[U32], threshold: float
) -> set[tuple[int, int]]:
    """Return pairs ``(small, large)`` where ``large`` may hold ``threshold`` of ``small``.

    Exact prefix filtering (``containment_prefixes``) with exact shingle counts as the
    rarity order, joined with every set holding a prefix shingle. No pair above the
    threshold is missed.
    """
    return containment_candidate_buckets(keys, hashes, threshold, None)[0]


def containment_candidate_buckets(
    keys: Sequence[int], hashes: Sequence[U32], threshold: float, dense: int | None = DENSE
) -> tuple[set[tuple[int, int]], Buckets]:
    """Return containment candidates: pairs ``(small, large)``, and buckets of keys.

    A prefix shingle held by more than ``dense`` sets is not joined pair by pair: every
    set holding it forms one bucket, every pair of which is proposed (in either
    direction). That proposes more pairs, never fewer: a pair sharing such a shingle is
    in its bucket, and a pair sharing none has all its prefix matches counted as before.
    """
    if len(keys) < 2:
        return set(), []
    key_arr = np.asarray(keys, dtype=np.int64)
    lengths = np.array([len(h) for h in hashes], dtype=np.int64)
    flat = np.concatenate(hashes)
    _, inv, counts = np.unique(flat, return_inverse=True, return_counts=True)
    freq = counts[inv.reshape(-1)].astype(np.int64)
    p_hash, p_pos, p_size = containment_prefixes(flat, lengths, freq, threshold)
    owner = np.repeat(key_arr, lengths)
    buckets: Buckets = []
    if dense is not None:
        crowded = np.unique(flat[freq > dense])
        is_crowded = np.isin(p_hash, crowded)
        used = np.unique(p_hash[is_crowded])
        p_hash, p_pos, p_size = p_hash[~is_crowded], p_pos[~is_crowded], p_size[~is_crowded]
        if len(used):
            order = np.argsort(flat, kind="stable")
            f_sorted, o_sorted = flat[order], owner[order]
            lo = np.searchsorted(f_sorted, used, side="left")
            hi = np.searchsorted(f_sorted, used, side="right")
            found = {tuple(np.unique(o_sorted[a:b]).tolist()) for a, b in zip(lo, hi, strict=True)}
            buckets = [list(b) for b in sorted(found) if len(b) > 1]
    matched, sizes = prefix_matches(
        (p_hash, key_arr[p_pos], p_size), (flat, owner, np.repeat(lengths, lengths))
    )
    codes = shared_prefixes(matched, sizes, threshold)
    small, large = codes >> 32, codes & 0xFFFFFFFF
    return {(int(a), int(b)) for a, b in zip(small, large, strict=True)}, buckets
