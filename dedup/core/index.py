"""The in-memory engine's candidates: every row in one array, keyed by ``dedup.core.candidates``.

What a candidate is (keys, which paragraphs get them, how pairs come from them) is defined
in ``dedup.core.candidates``; this module runs it over rows held in memory (``candidates``).
The LSH bands and rows are those datasketch's ``MinHashLSH`` parameter optimiser picks
(``lsh_params``; ``dedup.core.lshparams`` computes them without importing datasketch), and two
paragraphs are LSH candidates exactly when ``MinHashLSH`` would return one for the other:
some band of their signatures is equal. ``jaccard_candidates`` finds those pairs for a
whole batch with numpy (sorting each band); ``datasketch_candidates`` asks ``MinHashLSH``
itself, and a test checks that the two agree. Candidates are only proposals: every pair
is verified exactly in ``dedup.core.group``. This is the only module that imports the
datasketch LSH indexes.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dedup.core.candidates import (
    DENSE,
    Buckets,
    Keying,
    band_keys,
    containment_prefixes,
    deletions_allowed,
    distinct_buckets,
    fingerprint_classes,
    pairs_and_buckets,
    pairs_and_buckets_sharing_keys,
    prefix_join,
    shared_prefixes,
    shingle_bound,
    small_set_keys,
    sorted_unique,
    starts_run,
)
from dedup.core.group import Candidates
from dedup.core.lshparams import optimal_params
from dedup.core.models import LshParams
from dedup.core.settings import Settings
from dedup.core.sketch import U32, lean

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


@functools.cache
def lsh_params(threshold: float, num_perm: int) -> LshParams:
    """Return the bands and rows datasketch picks for ``threshold`` (equal FP/FN weights).

    Computed as datasketch computes them, without importing it (``dedup.core.lshparams``),
    except for a near tie between two choices, which datasketch itself decides.
    """
    found = optimal_params(threshold, num_perm)
    if found is None:
        from datasketch import MinHashLSH  # here: it imports scipy (see ``dedup.core.sketch``)

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


def pairs_in_groups(groups: npt.NDArray[np.int64] | npt.NDArray[np.uint64]) -> I64:
    """Return pairs (as ``i * 2**32 + j``, ``i < j``) of rows that share a group id."""
    return pairs_and_buckets(groups, None)[0]


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
    codes = sorted_unique(np.concatenate([f[0] for f in found]))
    key_arr = np.asarray(keys, dtype=np.int64)
    return _pairs_of(key_arr, codes), _buckets_of(key_arr, [b for f in found for b in f[1]])


def _pairs_of(key_arr: I64, codes: I64) -> set[tuple[int, int]]:
    a, b = key_arr[codes >> 32], key_arr[codes & 0xFFFFFFFF]
    return {(int(x), int(y)) if x < y else (int(y), int(x)) for x, y in zip(a, b, strict=True)}


def _buckets_of(key_arr: I64, rows: list[I64]) -> Buckets:
    """Return each bucket's distinct keys, sorted; equal buckets once."""
    return distinct_buckets([key_arr[r] for r in rows])


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

    Deletion neighbourhoods (``dedup.core.candidates.small_set_keys``). Used for short
    paragraphs, where MinHash banding tuned for lower similarities drowns in templated
    near-misses ("item 1 of page 5", "item 1 of page 6").
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


def containment_candidates(
    keys: Sequence[int], hashes: Sequence[U32], threshold: float, bounds: I64 | None = None
) -> set[tuple[int, int]]:
    """Return pairs ``(small, large)`` where ``large`` may hold ``threshold`` of ``small``.

    Exact prefix filtering (``dedup.core.candidates.containment_prefixes``) with exact shingle
    counts as the rarity order, joined with every set holding a prefix shingle. ``bounds``
    are the sets' ``candidates.shingle_bound`` (None: the set sizes, exact over hashes).
    No pair above the threshold is missed.
    """
    return containment_candidate_buckets(keys, hashes, threshold, bounds, None)[0]


def containment_candidate_buckets(
    keys: Sequence[int],
    hashes: Sequence[U32],
    threshold: float,
    bounds: I64 | None = None,
    dense: int | None = DENSE,
) -> tuple[set[tuple[int, int]], Buckets]:
    """Return containment candidates: pairs ``(small, large)``, and buckets of keys
    (``dedup.core.candidates.prefix_join``: a prefix shingle held by more than ``dense`` sets)."""
    if len(keys) < 2:
        return set(), []
    key_arr = np.asarray(keys, dtype=np.int64)
    lengths = np.array([len(h) for h in hashes], dtype=np.int64)
    bound = lengths if bounds is None else np.maximum(bounds, lengths)
    flat = np.concatenate(hashes)
    _, inv, counts = np.unique(flat, return_inverse=True, return_counts=True)
    freq = counts[inv.reshape(-1)].astype(np.int64)  # the order: exact counts
    p_hash, p_pos, p_size, p_need = containment_prefixes(flat, lengths, bound, freq, threshold)
    owner = np.repeat(key_arr, lengths)
    codes, needs, buckets = prefix_join(
        (p_hash, key_arr[p_pos], p_size, p_need),
        (flat, owner, np.repeat(bound, lengths)),
        dense,
    )
    found = shared_prefixes(codes, needs)
    small, large = found >> 32, found & 0xFFFFFFFF
    pairs = {(int(a), int(b)) for a, b in zip(small, large, strict=True)}
    return pairs, distinct_buckets(buckets)


@dataclass(frozen=True, slots=True)
class Rows:
    """The compared paragraphs of a run, held in memory, in input order.

    ``gid`` global paragraph ids, ``digests`` (rows, 2) fingerprints, ``words`` word
    counts, ``hashes`` sorted distinct shingle hashes, ``signatures`` MinHash signatures.
    """

    gid: I64
    digests: U64
    words: I64
    hashes: Sequence[U32]
    signatures: U32


def candidates(rows: Rows, settings: Settings, dense: int | None = DENSE) -> Candidates:
    """Return the candidates of ``rows`` as ``dedup.core.candidates`` defines them.

    Exact classes by fingerprint; their first paragraphs alone get the other keys: small
    set keys, LSH band keys and containment prefixes (``Keying``).
    """
    s = settings
    classes, rep = fingerprint_classes(rows.digests, rows.gid)
    keying = Keying(s.threshold, s.review_min_words)
    sizes = np.fromiter(map(len, rows.hashes), dtype=np.int64, count=len(rows.hashes))

    def ids(mask: npt.NDArray[np.bool_]) -> tuple[list[int], list[U32], I64]:
        at = np.flatnonzero(rep & mask)
        return rows.gid[at].tolist(), [rows.hashes[i] for i in at.tolist()], at

    keys, hashes, _ = ids(keying.small(sizes))
    pairs, buckets = small_set_candidate_buckets(keys, hashes, s.threshold, dense)
    keys, _, at = ids(keying.banded(sizes, rows.words))
    params = lsh_params(s.candidate_threshold, s.num_perm)
    more, dense_lsh = jaccard_candidate_buckets(keys, rows.signatures[at], params, s.seed, dense)
    keys, hashes, at = ids(keying.contained(rows.words))
    bounds = shingle_bound(rows.words[at], s.ngram)
    contained, contained_buckets = containment_candidate_buckets(
        keys, hashes, s.containment, bounds, dense
    )
    return Candidates(classes, pairs | more, contained, buckets + dense_lsh, contained_buckets)
