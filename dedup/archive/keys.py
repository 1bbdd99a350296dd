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
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

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


@dataclass(frozen=True, slots=True)
class Postings:
    """Posting keys of several paragraphs, as parallel arrays: ``owner`` indexes the paragraphs."""

    owner: npt.NDArray[np.int64]
    tag: npt.NDArray[np.int64]
    key: npt.NDArray[np.uint64]

    def of(self, i: int) -> list[tuple[int, int]]:
        """Return the ``(tag, key)`` pairs of paragraph ``i``."""
        mask = self.owner == i
        return list(zip(self.tag[mask].tolist(), self.key[mask].tolist(), strict=True))


def postings(paragraphs: Sequence[ArchivedParagraph], settings: ArchiveSettings) -> Postings:
    """Return every ``(tag, key)`` each paragraph is filed under (keys unsigned), vectorised."""
    n = len(paragraphs)
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return Postings(empty, empty, np.empty(0, dtype=np.uint64))
    owners: list[npt.NDArray[np.int64]] = []
    tags: list[npt.NDArray[np.int64]] = []
    keys: list[npt.NDArray[np.uint64]] = []

    def put(owner: npt.NDArray[np.int64], tag: int | npt.NDArray[np.int64], key: Any) -> None:
        owners.append(owner)
        tags.append(np.broadcast_to(np.asarray(tag, dtype=np.int64), owner.shape))
        keys.append(np.asarray(key, dtype=np.uint64))

    everyone = np.arange(n, dtype=np.int64)
    prints = np.frombuffer(b"".join(p.digest[:8] for p in paragraphs), dtype="<u8")
    put(everyone, PRINT, prints)
    per_band = index.band_groups(np.vstack([p.signature for p in paragraphs]), settings.lsh)
    for b, band in enumerate(per_band):
        put(everyone, BAND + b, band)
    small_max = settings.small_max
    small_owner: list[int] = []
    small: list[int] = []
    for i, p in enumerate(paragraphs):
        if len(p.hashes) <= small_max:
            mine = small_keys(p.hashes, settings.near_threshold)
            small += mine
            small_owner += [i] * len(mine)
    put(np.array(small_owner, dtype=np.int64), SMALL, np.array(small, dtype=np.uint64))
    for tag, arrays in (
        (SHINGLE, [p.hashes for p in paragraphs]),
        (PREFIX, [p.prefix for p in paragraphs]),
    ):
        lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=n)
        put(np.repeat(everyone, lengths), tag, np.concatenate(arrays).astype(np.uint64))
    return Postings(np.concatenate(owners), np.concatenate(tags), np.concatenate(keys))


def unique(keys: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the distinct keys, sorted (for stable, batched lookups)."""
    return sorted(set(keys))
