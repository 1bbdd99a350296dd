"""The numpy joins of the candidate stages against plain references (issue 14: less CPU)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from dedup.core import candidates
from dedup.core.models import LshParams
from dedup.engines import stream
from dedup.engines.spill import Spill

U64 = np.uint64


def reference_pairs(keys: np.ndarray, dense: int | None) -> tuple[set[int], list[list[int]]]:
    """Pairs of rows sharing a key (as codes), and the rows of keys held by more than dense."""
    rows_of: dict[int, list[int]] = {}
    for row, key in enumerate(keys.tolist()):
        rows_of.setdefault(key, []).append(row)
    pairs: set[int] = set()
    buckets: list[tuple[int, list[int]]] = []
    for key, rows in rows_of.items():
        if dense is not None and len(rows) > dense:
            buckets.append((key, rows))
            continue
        pairs.update((a << 32) | b for a, b in itertools.combinations(rows, 2))
    return pairs, [rows for _, rows in sorted(buckets)]


@pytest.mark.parametrize("seed", range(6))
def test_pairs_and_buckets_is_every_pair_sharing_a_key(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for size, high in [(0, 5), (1, 5), (2, 1), (50, 4), (400, 60), (3000, 2**40)]:
        raw = rng.integers(0, high, size)
        # int64, uint64, and keys whose top bits are all equal (the small-set join's parts)
        variants = [raw.astype(np.int64), raw.astype(U64), raw.astype(U64) | (U64(5) << U64(61))]
        for keys, dense in itertools.product(variants, [None, 3]):
            codes, buckets = candidates.pairs_and_buckets(keys, dense)
            want_pairs, want_buckets = reference_pairs(keys, dense)
            assert len(codes) == len(set(codes.tolist()))
            assert set(codes.tolist()) == want_pairs
            # buckets in the order of their keys, each sorted
            assert [b.tolist() for b in buckets] == want_buckets


def test_sorted_unique_is_np_unique() -> None:
    rng = np.random.default_rng(7)
    for size, high in [(0, 3), (1, 3), (2, 3), (1000, 10), (10_000, 2**62)]:
        for dtype in (np.int64, np.uint64, np.uint32):
            values = rng.integers(0, min(high, np.iinfo(dtype).max), size).astype(dtype)
            got = candidates.sorted_unique(values)
            assert got.dtype == values.dtype
            assert np.array_equal(got, np.unique(values))


def reference_part_join(
    prefix: np.ndarray, entry: np.ndarray
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None:
    """Prefix entries and entries (sorted (hash, row)) whose hash a prefix entry has and two
    entries hold."""
    prefix, entry = np.sort(prefix), np.sort(entry)
    p_hash, e_hash = prefix >> U64(32), entry >> U64(32)
    holders = {h: int(n) for h, n in zip(*np.unique(e_hash, return_counts=True), strict=True)}
    wanted = set(p_hash.tolist())
    p_keep = np.array([holders.get(h, 0) > 1 for h in p_hash.tolist()], dtype=bool)
    e_keep = np.array([h in wanted and holders[h] > 1 for h in e_hash.tolist()], dtype=bool)
    if not p_keep.any():
        return None
    return (
        (p_hash[p_keep].astype(np.uint32), prefix[p_keep].astype(np.uint32)),
        (e_hash[e_keep].astype(np.uint32), entry[e_keep].astype(np.uint32)),
    )


@pytest.mark.parametrize("seed", range(4))
def test_part_join_keeps_the_hashes_two_sets_hold(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(40):
        high = int(rng.choice([4, 100, 2**32]))
        sizes = rng.integers(0, 300, 2)
        prefix, entry = (
            (rng.integers(0, high, n, dtype=U64) << U64(32)) | rng.integers(0, 1000, n, dtype=U64)
            for n in sizes
        )
        with Spill(None) as spill:
            spill.append("prefix0", prefix)
            spill.append("entry0", entry)
            got = stream._part_join(spill, 0)
        want = reference_part_join(prefix, entry) if len(entry) else None
        if want is None:
            assert got == (None, None)
            continue
        assert got[0] is not None and got[1] is not None
        for mine, theirs in zip((*got[0], *got[1]), (*want[0], *want[1]), strict=True):
            assert np.array_equal(mine, theirs)


def test_count_sketch_of_the_spill_is_that_of_all_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "SKETCH_BLOCK", 1000)
    rng = np.random.default_rng(3)
    flat = rng.integers(0, 2**32, 4321, dtype=U64).astype(np.uint32)
    flat[:500] = flat[500:1000]
    with Spill(None) as spill:
        for part in np.array_split(flat, 7):
            spill.append("cont", part)
        got = stream._count_sketch(spill, len(flat))
    assert np.array_equal(got, candidates.count_sketch(flat))


def test_band_keys_fold_each_band() -> None:
    rng = np.random.default_rng(5)
    sigs = rng.integers(0, 2**32, (300, 128), dtype=U64).astype(np.uint32)
    for bands, rows in [(32, 4), (16, 8), (9, 13), (1, 1)]:
        params = LshParams(threshold=0.5, bands=bands, rows=rows)
        keys = candidates.band_keys(sigs[::2], params)
        for band in range(bands):
            cols = sigs[::2, band * rows : (band + 1) * rows].astype(U64)
            assert np.array_equal(keys[:, band], candidates._fold(cols))
