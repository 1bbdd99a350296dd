"""Posting keys: how an archived paragraph is filed, and how a new paragraph finds it.

Every archived paragraph is filed under integer keys, each with a tag saying what kind:

- ``PRINT``: its exact fingerprint (the first 8 bytes of the blake2b of its normalised
  tokens), so an exact repeat is found without LSH;
- ``BAND + b``: its LSH band ``b`` key (``dedup.index.band_groups``: equal bands, equal
  keys), with the bands and rows the archive was built with;
- ``SMALL``: for short paragraphs (as the engine defines them), every deletion
  neighbourhood core of its shingle hashes, so near repeats of short paragraphs are found
  exactly, as ``dedup.index.small_set_candidates`` finds them in one run;
- ``SHINGLE``: every shingle hash, so a new paragraph contained in an archived one is found
  from its rarest shingles (exact prefix filtering, the new paragraph's side);
- ``PREFIX``: the shingles chosen, when it was added, as its containment prefix (the
  rarest in the archive then; any choice of that many shingles is exact), so an archived
  paragraph contained in a new one is found from the new one's shingles.

Keys only propose candidates; every candidate is verified exactly (``dedup.group``).
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from dedup import index
from dedup.archive.store import ArchivedParagraph, ArchiveSettings
from dedup.sketch import U32

PRINT = 1
SMALL = 2
SHINGLE = 3
PREFIX = 4
BAND = 16  # band b is tag BAND + b

#: Shingle counts above this are all "common": the prefix choice only needs a ranking.
COUNT_CAP = 64

_SIGN = 1 << 63


def signed(key: int) -> int:
    """Return a 64-bit unsigned key as the signed integer SQLite stores."""
    return key - (1 << 64) if key >= _SIGN else key


def print_key(digest: bytes) -> int:
    """Return the exact-fingerprint key of a paragraph's blake2b digest."""
    return int.from_bytes(digest[:8], "little")


def small_keys(hashes: U32, threshold: float) -> list[int]:
    """Return one key per deletion-neighbourhood core of a short paragraph's shingle hashes.

    Two sets at Jaccard >= ``threshold`` share a core each reaches by deleting at most
    ``index.deletions_allowed`` of its own shingles (the engine's rule), so sharing one of
    these keys is necessary for a near pair.
    """
    values = [int(v) for v in hashes]
    out: set[int] = set()
    for d in range(index.deletions_allowed(len(values), threshold) + 1):
        for gone in itertools.combinations(range(len(values)), d):
            core = [v for i, v in enumerate(values) if i not in gone]
            if core:
                packed = np.asarray(core, dtype="<u4").tobytes()
                out.add(int.from_bytes(hashlib.blake2b(packed, digest_size=8).digest(), "little"))
    return sorted(out)


def band_keys(signatures: U32, settings: ArchiveSettings) -> list[list[int]]:
    """Return, per signature row, its ``bands`` LSH band keys."""
    if signatures.shape[0] == 0:
        return []
    per_band = index.band_groups(signatures, settings.lsh)
    return np.stack(per_band, axis=1).tolist()  # type: ignore[no-any-return]


def prefix_size(n: int, containment: float) -> int:
    """Return how many of ``n`` shingles a prefix needs for exact containment ``containment``.

    If at least ``ceil(c * n)`` of A's shingles are in B, B holds at least one of any
    ``n - ceil(c * n) + 1`` of them (the engine's rule in ``index.containment_candidates``).
    """
    need = math.ceil(containment * n - 1e-9)
    return max(1, min(n, n - need + 1))


def rarest(hashes: U32, k: int, counts: Mapping[int, int]) -> U32:
    """Return the ``k`` shingle hashes least common in ``counts`` (ties: smaller hash), sorted."""
    ranked = sorted((counts.get(int(h), 0), int(h)) for h in hashes)
    return np.array(sorted(h for _, h in ranked[:k]), dtype=np.uint32)


def postings(
    paragraphs: Sequence[ArchivedParagraph], settings: ArchiveSettings
) -> list[list[tuple[int, int]]]:
    """Return, per paragraph, every ``(tag, key)`` it is filed under (keys unsigned)."""
    if not paragraphs:
        return []
    bands = band_keys(np.vstack([p.signature for p in paragraphs]), settings)
    out: list[list[tuple[int, int]]] = []
    for p, keys in zip(paragraphs, bands, strict=True):
        mine = [(PRINT, print_key(p.digest))]
        mine += [(BAND + b, k) for b, k in enumerate(keys)]
        if len(p.hashes) <= settings.small_max:
            mine += [(SMALL, k) for k in small_keys(p.hashes, settings.near_threshold)]
        mine += [(SHINGLE, int(h)) for h in p.hashes]
        mine += [(PREFIX, int(h)) for h in p.prefix]
        out.append(mine)
    return out


def unique(keys: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the distinct keys, sorted (for stable, batched lookups)."""
    return sorted(set(keys))
