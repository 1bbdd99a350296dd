"""Signatures -> candidate pairs, with datasketch's MinHashLSH (and LSH Ensemble for containment).

Candidates are only proposals: every pair is verified exactly in ``dedup.group``.
This is the only module that imports the datasketch LSH indexes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from datasketch import MinHashLSH, MinHashLSHEnsemble

from dedup.models import LshParams
from dedup.sketch import U32, lean


def lsh_params(threshold: float, num_perm: int) -> LshParams:
    """Return the bands and rows datasketch picks for ``threshold`` (equal FP/FN weights)."""
    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return LshParams(threshold=threshold, bands=index.b, rows=index.r)


def candidate_probability(similarity: float, params: LshParams) -> float:
    """Return the chance that a pair of this Jaccard similarity shares at least one band."""
    return float(1.0 - (1.0 - similarity**params.rows) ** params.bands)


def jaccard_candidates(
    keys: Sequence[int], sigs: U32, params: LshParams, seed: int
) -> set[tuple[int, int]]:
    """Return pairs ``(i, j)``, ``i < j``, of keys whose signatures share an LSH band."""
    lsh = MinHashLSH(num_perm=sigs.shape[1], params=(params.bands, params.rows))
    pairs: set[tuple[int, int]] = set()
    for key, sig in zip(keys, sigs, strict=True):
        m = lean(sig, seed)
        for other in lsh.query(m):
            pairs.add((other, key) if other < key else (key, other))
        lsh.insert(key, m, check_duplication=False)
    return pairs


def containment_candidates(
    keys: Sequence[int], sigs: U32, sizes: Sequence[int], threshold: float, seed: int
) -> set[tuple[int, int]]:
    """Return pairs ``(small, large)`` where ``small`` may be mostly inside ``large``.

    Uses datasketch's LSH Ensemble, built for containment queries: for each key it finds
    keys whose sets likely contain at least ``threshold`` of its shingles.
    """
    if len(keys) < 2:
        return set()
    num_part = max(1, min(16, len(keys) // 4))
    ensemble = MinHashLSHEnsemble(threshold=threshold, num_perm=sigs.shape[1], num_part=num_part)
    ensemble.index((k, lean(s, seed), int(n)) for k, s, n in zip(keys, sigs, sizes, strict=True))
    size_of = dict(zip(keys, sizes, strict=True))
    pairs: set[tuple[int, int]] = set()
    for key, sig, size in zip(keys, sigs, sizes, strict=True):
        for other in ensemble.query(lean(sig, seed), int(size)):
            if other != key and size_of[other] >= size:
                pairs.add((key, other))
    return pairs


def as_array(rows: Sequence[U32]) -> U32:
    """Stack signature rows into one array (empty-safe)."""
    return np.vstack(rows) if rows else np.empty((0, 0), dtype=np.uint32)
