"""Posting keys: how an archived paragraph is filed, and how a new paragraph finds it.

Every archived paragraph is filed under integer keys, each with a tag saying what kind.
The keys are those of one run (``dedup.core.candidates``, the one definition), so a new
paragraph finds an archived one exactly when one run with both would propose the pair:

- ``PRINT``: its exact fingerprint (``candidates.fingerprint_key``), so an exact repeat
  is found without LSH;
- ``BAND + b``: its LSH band ``b`` key (``candidates.band_keys``), with the bands and rows
  the archive was built with;
- ``SMALL``: for short paragraphs (``candidates.Keying.small`` at the archive's near
  threshold), its small-set keys (``candidates.small_set_keys``), so near repeats of short
  paragraphs are found exactly;
- ``SHINGLE``: every shingle hash, so a new paragraph contained in an archived one is found
  from its containment prefix (``candidates.containment_prefixes``, ordered by the
  archive's counts);
- ``PREFIX``: its containment prefix chosen when it was added (the rarest in the archive
  then; ``candidates.containment_prefixes`` keeping shingles no other paragraph holds yet),
  so an archived paragraph contained in a new one is found from the new one's shingles.

The archive files every paragraph under ``BAND``, ``SHINGLE`` and ``PREFIX`` (the
``--review-min-words`` of a later check is not known when it is added); the check asks
only for the keys ``Keying`` gives its paragraphs. Keys only propose candidates; every
candidate is verified exactly (``dedup.core.group``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.archive.store import ARCHIVE_FORMAT, ArchivedParagraph, ArchiveSettings
from dedup.core import candidates
from dedup.core.sketch import U32

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


def small_keys(hashes: Sequence[U32], threshold: float) -> list[list[int]]:
    """Return, per set of shingle hashes, its distinct small-set keys, sorted."""
    keys, owners = candidates.small_set_keys(hashes, threshold)
    out: list[list[int]] = [[] for _ in hashes]
    for owner, key in sorted(set(zip(owners.tolist(), keys.tolist(), strict=True))):
        out[owner].append(key)
    return out


def band_keys(signatures: U32, settings: ArchiveSettings) -> list[list[int]]:
    """Return, per signature row, its ``bands`` LSH band keys."""
    if signatures.shape[0] == 0:
        return []
    return candidates.band_keys(signatures, settings.lsh).tolist()  # type: ignore[no-any-return]


def shingle_bounds(
    words: Sequence[int], hashes: Sequence[U32], ngram: int
) -> npt.NDArray[np.int64]:
    """Return each paragraph's ``candidates.shingle_bound`` (at least its hash count)."""
    sizes = np.fromiter(map(len, hashes), dtype=np.int64, count=len(hashes))
    words_arr = np.fromiter(words, dtype=np.int64, count=len(words))
    return np.maximum(candidates.shingle_bound(words_arr, ngram), sizes)


def prefixes(
    hashes: Sequence[U32],
    words: Sequence[int],
    ngram: int,
    counts: Mapping[int, int],
    containment: float,
    *,
    complete: bool,
) -> list[U32]:
    """Return each set's containment prefix (sorted), its shingles ordered by ``counts``
    (``words``: each paragraph's tokens, for its ``candidates.shingle_bound``).

    ``complete``: ``counts`` cover every set the prefixes will be compared with (a new
    paragraph against the archive: a shingle no archived paragraph holds is left out);
    otherwise (an archived paragraph, compared with paragraphs not yet written) it is kept.
    """
    if not hashes:
        return []
    lengths = np.fromiter(map(len, hashes), dtype=np.int64, count=len(hashes))
    flat = np.concatenate(hashes).astype(np.uint32)
    held = np.fromiter((counts.get(int(h), 0) for h in flat), dtype=np.int64, count=len(flat))
    # A new paragraph is one more holder of its shingles: counted once, nobody else has it.
    rarity = held + 1 if complete else held
    p_hash, p_set, _, _ = candidates.containment_prefixes(
        flat,
        lengths,
        shingle_bounds(words, hashes, ngram),
        rarity,
        containment,
        drop_unshared=complete,
    )
    order = np.lexsort((p_hash, p_set))
    p_hash, p_set = p_hash[order], p_set[order]
    bounds = np.searchsorted(p_set, np.arange(len(hashes) + 1))
    return [p_hash[lo:hi] for lo, hi in itertools.pairwise(bounds.tolist())]


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

    if settings.format != ARCHIVE_FORMAT:
        raise ValueError(f"posting keys of archive format {settings.format} are not derived here")
    everyone = np.arange(n, dtype=np.int64)
    prints = [candidates.fingerprint_key(p.digest) for p in paragraphs]
    put(everyone, PRINT, np.array(prints, dtype=np.uint64))
    bands = candidates.band_keys(np.vstack([p.signature for p in paragraphs]), settings.lsh)
    for b in range(bands.shape[1]):
        put(everyone, BAND + b, bands[:, b])
    sizes = np.fromiter((len(p.hashes) for p in paragraphs), dtype=np.int64, count=n)
    short = np.flatnonzero(settings.keying.small(sizes))
    found = small_keys([paragraphs[i].hashes for i in short.tolist()], settings.near_threshold)
    lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    if lengths.sum():
        put(
            np.repeat(short, lengths),
            SMALL,
            np.concatenate([np.array(f, np.uint64) for f in found]),
        )
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
