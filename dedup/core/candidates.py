"""What a candidate is: which paragraphs get which keys, the keys, and how pairs come from them.

The one definition every engine and the archive use. The in-memory engine
(``dedup.core.index``), the streaming engine (``dedup.engines.stream``), the Dask engine
(``dedup.engines.dask_engine``) and the archive (``dedup.archive.keys``, ``dedup.archive.against``)
differ only in where the rows live (one array, spilled files, partitions on workers, a
database); they all call these functions, and none encodes keys itself:

- **Exact fingerprints** (``fingerprint_classes``, ``fingerprint_key``): paragraphs with
  the same 128-bit digest of their normalised tokens (``dedup.core.prepare.fingerprint``) form a
  class; its first paragraph represents it in every other key. An exact repeat never
  depends on LSH.
- **LSH band keys** (``band_keys``): one 64-bit key per band of a MinHash signature; equal
  bands, equal keys. Given to the paragraphs ``Keying.banded`` names.
- **Small-set keys** (``small_set_keys``, one encoding): for short paragraphs
  (``Keying.small``), one key per deletion-neighbourhood core of the shingle hashes, so a
  near pair of short paragraphs is found exactly.
- **Containment prefixes** (``containment_prefixes``, one rule): for paragraphs of
  ``--review-min-words`` or more (``Keying.contained``), the first ``min(h, m - ceil(t m)
  + 2)`` of a set's h distinct shingle hashes in an order given by the engine
  (``rarity``), m being the paragraph's shingle windows (``shingle_bound``, at least its
  distinct shingles); a pair is proposed when the other set may be larger (its bound is
  at least h) and holds ``overlap`` of the prefix (``enough_shared``,
  ``shared_prefixes``). Counting on m, not h, keeps the filter exact with respect to
  shingle containment, which verification measures, even when two shingles of a
  paragraph share a 32-bit hash. The order is a parameter of the engine (exact counts in
  memory, a count sketch when streaming or on Dask, archive counts when adding): any
  order gives every pair whose shingles reach the threshold, so it changes which other
  pairs are proposed, never the verified result (``dedup.core.group.decide`` counts a pair
  proposed only here only if it is verified ``contained``).
- **Pairs from keys** (``pairs_and_buckets``, ``pairs_and_buckets_sharing_keys``,
  ``prefix_join``): rows sharing a key are pairs; more than ``DENSE`` rows sharing one
  are a dense bucket (every pair of it a candidate), so a flood costs linear time.

Candidates are only proposals: every pair is verified, grouped and decided by
``dedup.core.group`` (``decide``, ``verify_pair``), never here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from dedup.core.models import LshParams

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
Mask = npt.NDArray[np.bool_]
IntArray = TypeVar("IntArray", bound=npt.NDArray[np.integer[Any]])

#: Rows sharing one key beyond this many are a dense bucket: kept as its member list
#: (every pair of it a candidate), not spelled out as pairs (``pairs_and_buckets``).
DENSE = 32

#: Dense buckets by id: each sorted and distinct.
Buckets = list[list[int]]


# --------------------------------------------------------------------- which paragraphs


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


@dataclass(frozen=True, slots=True)
class Keying:
    """Which paragraphs get which keys, for a near ``threshold`` and ``review_min_words``.

    Sets of at most ``limit`` shingles have their near pairs found exactly by small-set
    keys, so they are banded only when long enough to be reviewed as similar or contained.
    """

    threshold: float
    review_min_words: int

    @property
    def limit(self) -> int:
        """Return the largest set size whose near pairs the small-set keys find alone."""
        return small_set_limit(self.threshold)

    @property
    def small_max(self) -> int:
        """Return the largest set size that gets small-set keys (a near partner's size)."""
        return int(self.limit / self.threshold)

    def small(self, sizes: I64 | npt.NDArray[np.int32]) -> Mask:
        """Return which sets (of ``sizes`` shingle hashes) get small-set keys."""
        return (sizes <= self.small_max) & (sizes > 0)

    def banded(self, sizes: I64 | npt.NDArray[np.int32], words: I64 | npt.NDArray[Any]) -> Mask:
        """Return which paragraphs get LSH band keys."""
        return (sizes > self.limit) | (words >= self.review_min_words)

    def contained(self, words: I64 | npt.NDArray[Any]) -> Mask:
        """Return which paragraphs are compared for containment (get prefixes)."""
        return np.asarray(words >= self.review_min_words, dtype=bool)


# --------------------------------------------------------------------------------- keys


def fingerprint_key(digest: bytes) -> int:
    """Return the 64-bit key of a paragraph's fingerprint digest (its first 8 bytes).

    Equal digests, equal keys: a class of exact repeats shares one key.
    """
    return int.from_bytes(digest[:8], "little")


def fingerprint_classes(digests: U64, gid: I64) -> tuple[list[list[int]], Mask]:
    """Return the exact classes (ids sharing a (rows, 2) 128-bit digest) and which rows
    represent their class (the first of each)."""
    rows = len(gid)
    order = np.lexsort((digests[:, 1], digests[:, 0]))  # stable: rows ascend within a class
    ordered = digests[order]
    new = np.ones(rows, dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, rows))
    rep = np.zeros(rows, dtype=bool)
    rep[order[starts]] = True
    classes = [
        [int(g) for g in gid[order[start : start + size]]]
        for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True)
    ]
    return sorted(classes, key=lambda c: c[0]), rep


def _mix(h: U64) -> U64:
    """Finish a 64-bit FNV fold so nearby inputs spread (the murmur3 finaliser)."""
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return h


def _fold(columns: U64 | U32) -> U64:
    """Return a 64-bit key per row of ``columns`` (folded along its last axis, so a cube of
    rows x bands x band rows gives a key per row and band): equal rows give equal keys."""
    h = np.full(columns.shape[:-1], 0xCBF29CE484222325, dtype=np.uint64)
    for col in range(columns.shape[-1]):
        h ^= columns[..., col]
        h *= np.uint64(0x100000001B3)
    return _mix(h)


def band_keys(sigs: U32, params: LshParams) -> U64:
    """Return a (paragraphs x bands) matrix of 64-bit band keys: equal bands, equal keys.

    Unequal bands collide with probability about 2**-64, which can only add a candidate
    (every candidate is verified), never lose one.
    """
    # All bands folded at once, a row of each band per step: a few large operations
    # instead of a fold per band.
    n, used = sigs.shape[0], params.bands * params.rows
    return _fold(sigs[:, :used].reshape(n, params.bands, params.rows))


def small_set_keys(hashes: Sequence[U32], threshold: float) -> tuple[U64, I64]:
    """Return the deletion-neighbourhood keys of each set and, per key, the set's position.

    A key stands for the sorted shingle hashes left after deleting up to
    ``deletions_allowed`` of them (folded as ``band_keys`` folds a band); sets of any size
    that reach the same core get the same key. Sets of one size are done together, one
    numpy step per deletion pattern. Two sets at Jaccard >= ``threshold`` share their
    intersection, which each reaches by such deletions: sharing a key is necessary.
    """
    by_size: dict[int, list[int]] = {}
    for i, h in enumerate(hashes):
        if len(h):
            by_size.setdefault(len(h), []).append(i)
    keys: list[U64] = []
    owners: list[I64] = []
    for size, members in sorted(by_size.items()):
        # One flat concatenation: ``vstack`` makes each of many short rows 2-D first.
        matrix = np.concatenate([hashes[i] for i in members]).astype(np.uint64)
        matrix = matrix.reshape(len(members), size)
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


# ----------------------------------------------------------------- containment prefixes

#: Prefix hashes a containing set must share with a set's prefix, where the set is large
#: enough (``overlap``): with 2, a pair sharing a single prefix hash by a 32-bit hash
#: collision is not proposed.
OVERLAP = 2


def shingle_bound(words: I64 | npt.NDArray[Any], ngram: int) -> I64:
    """Return the most distinct shingles a paragraph of ``words`` tokens has: its ``ngram``
    windows, or one for fewer tokens (``dedup.text.normalize.shingles``).

    Engines keep 32-bit shingle hashes, not shingles: two shingles of a paragraph may share
    a hash, so its distinct hashes can be fewer than its distinct shingles, and this bound
    is what the prefix rule counts on (``prefix_lengths``).
    """
    bound: I64 = np.maximum(np.asarray(words, dtype=np.int64) - ngram + 1, 1)
    return bound


def _slack(sizes: I64, bounds: I64, threshold: float) -> I64:
    """Return ``m - ceil(t m)`` for ``m`` the bound (at least the set size): the most
    shingles a set may have outside a set holding ``threshold`` of them."""
    m = np.maximum(bounds, sizes)
    slack: I64 = m - np.ceil(threshold * m - 1e-9).astype(np.int64)
    return slack


def prefix_lengths(sizes: I64, bounds: I64, threshold: float) -> I64:
    """Return the prefix length of sets of ``sizes`` distinct hashes from paragraphs of at
    most ``bounds`` distinct shingles (``shingle_bound``): ``min(h, m - ceil(t m) + OVERLAP)``.

    Let A have n distinct shingles (h <= n <= m) and B hold ``t`` of them: at most
    ``n - ceil(t n)`` shingles of A are outside B, so at most that many of A's hashes are
    (a hash is outside only if all its shingles are), and ``n - ceil(t n)`` never
    decreases as n grows, so at most ``m - ceil(t m)``. B therefore holds ``overlap`` of
    any that many plus ``OVERLAP`` of A's hashes, or of all of them: exact with respect to
    shingle containment, whatever hash collisions A has. Without collisions or repeated
    shingles (h = m) this is ``h - ceil(t h) + min(ceil(t h), 2)``.
    """
    lengths: I64 = np.minimum(sizes, _slack(sizes, bounds, threshold) + OVERLAP)
    return lengths


def overlap(sizes: I64, bounds: I64, threshold: float) -> I64:
    """Return how many of a set's prefix hashes a containing set must hold:
    ``max(1, min(OVERLAP, h - (m - ceil(t m))))`` (see ``prefix_lengths``): 2, or 1 for a
    tiny set or one whose prefix is all of it with little to spare."""
    need: I64 = np.maximum(1, np.minimum(OVERLAP, sizes - _slack(sizes, bounds, threshold)))
    return need


def containment_prefixes(
    flat: U32,
    lengths: I64,
    bounds: I64,
    rarity: I64,
    threshold: float,
    *,
    drop_unshared: bool = True,
) -> tuple[U32, I64, I64, I64]:
    """Return each set's prefix entries for containment: (hash, set position, set size,
    hashes a containing set must hold of the prefix).

    ``flat`` holds the sets one after another (``lengths`` each, sorted distinct hashes),
    ``bounds`` each set's ``shingle_bound`` and ``rarity`` a count per entry that orders a
    set's shingles, rarest first, ties by hash: the engine's choice (any order keeps the
    filter exact; rarer first keeps candidate lists short). With ``drop_unshared``
    (``rarity`` counts every set that will be compared), a shingle counted once cannot be
    shared and is left out; the archive, which compares sets added later, keeps it.
    """
    n = len(lengths)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    owner_s, flat_s, rarity_s = _by_owner_rarity(owner, flat, rarity, n)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    rank = np.arange(len(owner_s), dtype=np.int64) - starts[owner_s]
    take = rank < prefix_lengths(lengths, bounds, threshold)[owner_s]
    if drop_unshared:
        take &= rarity_s > 1
    at = owner_s[take]
    return flat_s[take], at, lengths[at], overlap(lengths, bounds, threshold)[at]


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


#: Counters of the count sketch that orders prefixes when exact counts are not at hand
#: (streaming and Dask engines): 16 MiB of uint32.
SKETCH_BITS = 22
_SKETCH_MASK = np.uint32((1 << SKETCH_BITS) - 1)


def count_sketch(flat: U32, into: U32 | None = None) -> U32:
    """Return a count sketch of shingle hashes, or add them to the sketch ``into`` (sketches
    of parts add up to the sketch of the whole)."""
    if into is None:
        return np.bincount(flat & _SKETCH_MASK, minlength=1 << SKETCH_BITS).astype(np.uint32)
    buckets, n = np.unique(flat & _SKETCH_MASK, return_counts=True)
    into[buckets] += n.astype(np.uint32)
    return into


def sketched_rarity(sketch: U32, flat: U32) -> I64:
    """Return each hash's count in ``sketch``: at least its true count, so a count of 1
    is exact (``containment_prefixes``' ``drop_unshared`` holds)."""
    counts: I64 = sketch[flat & _SKETCH_MASK].astype(np.int64)
    return counts


def enough_shared(shared: I64, need: I64, small: I64, large: I64) -> Mask:
    """Return which pairs a prefix match proposes: the larger set holds ``need``
    (``overlap``) of the smaller one's (``small`` distinct hashes) prefix hashes
    (``shared`` of them), and may have more distinct shingles (its ``shingle_bound``,
    ``large``, is at least ``small``: a contained set has fewer shingles than its
    container, and hash collisions can make the container's hash count the smaller)."""
    return (large >= small) & (shared >= need)


# ---------------------------------------------------------------------- pairs from keys


def sorted_unique(values: IntArray) -> IntArray:
    """Return ``np.unique(values)`` of a 1-D integer array: its sorted distinct values.

    By a sort: numpy 2's ``np.unique`` (without ``return_*``) counts values in a hash
    table, 10 to 60 times slower than sorting on an array of a million mostly distinct
    integers.
    """
    out = np.sort(values)
    return cast(IntArray, out[starts_run(out)] if len(out) > 1 else out)


def starts_run(values: npt.NDArray[Any]) -> Mask:
    """Return where each run of equal values in the sorted ``values`` starts."""
    new = np.ones(len(values), dtype=bool)
    new[1:] = values[1:] != values[:-1]
    return new


#: The bitmap of ``pairs_and_buckets``' shared keys has at most 2**_FILTER_BITS entries.
_FILTER_BITS = 24
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _spread(keys: npt.NDArray[np.int64] | npt.NDArray[np.uint64], bits: int) -> U64:
    """Return the top ``bits`` of each key times an odd constant (all of a key's bits
    count, whatever range the keys are in)."""
    with np.errstate(over="ignore"):
        return (keys.view(np.uint64) * _GOLDEN) >> np.uint64(64 - bits)


def pairs_and_buckets(
    groups: npt.NDArray[np.int64] | npt.NDArray[np.uint64], dense: int | None
) -> tuple[I64, list[I64]]:
    """Return the pairs of rows sharing a key (as ``i * 2**32 + j``, ``i < j``), and the
    keys held by more than ``dense`` rows (``None``: no limit) as their sorted rows.

    n near-identical paragraphs share their keys, and their pairs are n * (n - 1) / 2:
    such a key is a bucket, every pair of it a candidate.
    """
    # Most keys are held by one row: find the shared keys with a plain sort (fast), keep
    # the rows whose key may be one of them (a bitmap of the shared keys' hashed bits:
    # every row of a shared key passes, few others), and sort only those rows by key. The
    # order of rows within a key does not matter: a pair is written smaller row first and
    # a bucket's rows are sorted.
    values = np.sort(groups)
    repeated = values[1:][values[1:] == values[:-1]]
    del values
    if len(repeated) == 0:
        return np.empty(0, dtype=np.int64), []
    bits = min(max((8 * len(repeated)).bit_length(), 16), _FILTER_BITS)
    bitmap = np.zeros(1 << bits, dtype=bool)
    bitmap[_spread(repeated, bits)] = True
    rows = np.flatnonzero(bitmap[_spread(groups, bits)])
    del bitmap
    order = rows[np.argsort(groups[rows])]
    sorted_ids = groups[order]
    starts = np.flatnonzero(starts_run(sorted_ids))
    sizes = np.diff(starts, append=len(sorted_ids))
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


def pairs_and_buckets_sharing_keys(
    keys: U64, owners: I64, dense: int | None
) -> tuple[I64, list[I64]]:
    """Return the pairs of distinct owners sharing a key (``a * 2**32 + b``, ``a < b``,
    distinct), and keys held by more than ``dense`` rows as owner lists."""
    if len(keys) < 2:
        return np.empty(0, dtype=np.int64), []
    rows, buckets = pairs_and_buckets(keys, dense)
    a, b = owners[rows >> 32], owners[rows & 0xFFFFFFFF]
    keep = a != b
    a, b = a[keep], b[keep]
    return sorted_unique((np.minimum(a, b) << 32) | np.maximum(a, b)), [owners[r] for r in buckets]


#: Integers of any width (an engine may hold bounds and overlaps compactly).
Ints = npt.NDArray[np.integer[Any]]
#: Prefix entries: (hash, id, set size, ``overlap``), as ``containment_prefixes`` gives them
#: (ids are global paragraph ids).
PrefixEntries = tuple[U32, I64, Ints, Ints]
#: Entries of the sets a prefix is joined with: (hash, id, ``shingle_bound``).
HeldEntries = tuple[U32, I64, Ints]


def prefix_matches(prefix: PrefixEntries, postings: HeldEntries) -> tuple[I64, I64]:
    """Return ``small * 2**32 + large`` per shared hash, and what the small set's prefix
    needs (its ``overlap``).

    Every posting set whose bound is at least a prefix's set size and holding one of its
    hashes matches once per hash held (``enough_shared``). ``shared_prefixes`` keeps the
    pairs that match often enough.
    """
    p_hash, p_id, p_size, p_need = prefix
    q_hash, q_id, q_bound = postings
    order = np.argsort(q_hash, kind="stable")
    q_hash, q_id, q_bound = q_hash[order], q_id[order], q_bound[order]
    lo = np.searchsorted(q_hash, p_hash, side="left")
    count = np.searchsorted(q_hash, p_hash, side="right") - lo
    total = int(count.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    rep_i = np.repeat(p_id.astype(np.int64), count)
    rep_size = np.repeat(p_size.astype(np.int64), count)
    rep_need = np.repeat(p_need.astype(np.int64), count)
    at = np.repeat(lo - (np.cumsum(count) - count), count) + np.arange(total, dtype=np.int64)
    rep_j, bound_j = q_id[at].astype(np.int64), q_bound[at]
    keep = (rep_j != rep_i) & (bound_j >= rep_size)
    return (rep_i[keep] << 32) | rep_j[keep], rep_need[keep]


def shared_prefixes(codes: I64, needs: I64) -> I64:
    """Return the distinct pair codes matched at least as often as their ``needs`` say
    (``enough_shared``, counted over ``prefix_matches``' matches)."""
    unique, first, shared = np.unique(codes, return_index=True, return_counts=True)
    kept: I64 = unique[shared >= needs[first]]
    return kept


def prefix_join(
    prefix: PrefixEntries, held: HeldEntries, dense: int | None
) -> tuple[I64, I64, list[I64]]:
    """Join prefix entries with the entries of every set holding their hashes (same hash
    range): ``prefix_matches``' codes and needs, and a bucket per crowded hash.

    A prefix hash held by more than ``dense`` sets is not joined pair by pair: every set
    holding it forms one bucket, every pair of which is proposed (in either direction).
    That proposes more pairs, never fewer: a pair sharing such a hash is in its bucket, and
    a pair sharing none has its matches counted as before. A hash only one set holds
    matches nothing.
    """
    p_hash, p_id, p_size, p_need = prefix
    e_hash, e_id, e_bound = held
    none = np.empty(0, np.int64)
    if len(p_hash) == 0 or len(e_hash) == 0:
        return none, none, []
    wanted = sorted_unique(p_hash)
    at = np.minimum(np.searchsorted(wanted, e_hash), len(wanted) - 1)
    hit = wanted[at] == e_hash
    holders = np.bincount(at[hit], minlength=len(wanted))
    crowded = holders > (len(e_hash) if dense is None else dense)
    joined = (holders > 1) & ~crowded
    buckets: list[I64] = []
    if crowded.any():
        sel = np.flatnonzero(hit & crowded[at])
        sel = sel[np.argsort(at[sel], kind="stable")]
        starts = np.flatnonzero(starts_run(at[sel]))
        buckets = [e_id[run].astype(np.int64) for run in np.split(sel, starts[1:])]
    p_keep = joined[np.searchsorted(wanted, p_hash)]
    e_keep = hit & joined[at]
    codes, needs = prefix_matches(
        (p_hash[p_keep], p_id[p_keep], p_size[p_keep], p_need[p_keep]),
        (e_hash[e_keep], e_id[e_keep], e_bound[e_keep]),
    )
    return codes, needs, buckets


def codes_to_pairs(codes: I64) -> set[tuple[int, int]]:
    """Return the ``(a, b)`` pairs that ``a * 2**32 + b`` codes stand for (ids below 2**32).

    Codes of ids from 2**31 up wrap around in int64; read as uint64 they are exact.
    """
    bits = codes.view(np.uint64)
    high, low = bits >> np.uint64(32), bits & np.uint64(0xFFFFFFFF)
    return {(int(a), int(b)) for a, b in zip(high, low, strict=True)}


def distinct_buckets(found: Sequence[I64]) -> Buckets:
    """Return dense buckets of ids, each sorted and distinct, equal buckets once."""
    out = {tuple(sorted_unique(b).tolist()) for b in found}
    return [list(b) for b in sorted(out) if len(b) > 1]
