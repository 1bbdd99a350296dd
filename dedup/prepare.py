"""Per-document work that needs no other document: segment, tokenise, fingerprint, sign.

This is the parallel part of the pipeline: ``prepare_all`` spreads documents over worker
processes (``jobs``) and returns the results in document order, so the answer does not
depend on the number of processes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from dedup import sketch
from dedup.allow import AllowList
from dedup.models import Document
from dedup.normalize import shingles, tokens
from dedup.segment import Segmented, segment
from dedup.settings import Settings

#: Below this much text, worker processes cost more than they save.
PARALLEL_MIN_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document's paragraphs and, for each compared paragraph, what the engine needs.

    ``digests[i]`` is ``None`` for a paragraph that is not compared (ignored, allow-listed
    or too short); ``signatures`` has one row per compared paragraph, in order.
    """

    segmented: Segmented
    digests: tuple[bytes | None, ...]
    words: tuple[int, ...]
    hashes: tuple[sketch.U32, ...]
    signatures: sketch.U32


def prepare(doc: Document, doc_index: int, settings: Settings, allow: AllowList) -> Prepared:
    """Segment ``doc`` and fingerprint, hash and sign each of its compared paragraphs."""
    seg = segment(doc, doc_index)
    digests: list[bytes | None] = []
    words: list[int] = []
    sets: list[list[str]] = []
    for i, text in enumerate(seg.compare):
        toks = [] if i in seg.ignored else tokens(text)
        words.append(len(toks))
        if not toks or len(toks) < settings.min_words or (allow and allow.allows(text, toks)):
            digests.append(None)
            continue
        digests.append(hashlib.blake2b(" ".join(toks).encode("utf-8"), digest_size=16).digest())
        sets.append(sorted(shingles(toks, settings.ngram)))
    hashes = sketch.hash_many(sets)
    sigs = (
        sketch.signatures(hashes, settings.num_perm, settings.seed)
        if hashes
        else np.empty((0, settings.num_perm), dtype=np.uint32)
    )
    return Prepared(seg, tuple(digests), tuple(words), tuple(hashes), sigs)


def _prepare_star(args: tuple[Document, int, Settings, AllowList]) -> Prepared:
    return prepare(*args)


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def prepare_all(
    docs: Sequence[Document], settings: Settings, allow: AllowList, jobs: int | None = None
) -> list[Prepared]:
    """Prepare every document, in worker processes when it pays; results in input order."""
    jobs = default_jobs() if jobs is None else jobs
    work = [(d, i, settings, allow) for i, d in enumerate(docs)]
    size = sum(len(d.text) for d in docs)
    if jobs <= 1 or len(docs) < 2 or size < PARALLEL_MIN_CHARS:
        return [_prepare_star(w) for w in work]
    chunk = max(1, len(work) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_prepare_star, work, chunksize=chunk))
