"""Per-document work that needs no other document: segment, tokenise, fingerprint, sign.

This is the parallel part of the pipeline: ``prepare_all`` spreads documents over worker
processes (``jobs``) and returns the results in document order, so the answer does not
depend on the number of processes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dedup.core import sketch
from dedup.core.models import Document, Paragraph
from dedup.core.settings import Settings
from dedup.text.allow import AllowList
from dedup.text.batch import tokenise_many
from dedup.text.segment import Lines, Segmented, segment

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


@dataclass(frozen=True, slots=True)
class Compared:
    """The tokens of the compared paragraphs, as token hashes end to end and counts."""

    hashes: sketch.U32
    lengths: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.lengths)

    def rows(self, first: int, last: int) -> Compared:
        """Return paragraphs ``first`` to ``last`` (exclusive)."""
        lo = int(self.lengths[:first].sum())
        hi = lo + int(self.lengths[first:last].sum())
        return Compared(self.hashes[lo:hi], self.lengths[first:last])

    def shingle_hashes(self, n: int) -> list[sketch.U32]:
        """Return each paragraph's sorted distinct shingle hashes (``sketch.shingle_hashes``)."""
        return sketch.shingle_hashes_of(self.hashes, self.lengths, n)


@dataclass(frozen=True, slots=True)
class Tokenised:
    """One document's paragraphs with, per compared paragraph, its fingerprint and tokens."""

    segmented: Segmented
    digests: tuple[bytes | None, ...]
    words: tuple[int, ...]
    compared: Compared  # the tokens of each compared paragraph, in order


def tokenise(doc: Document, doc_index: int, settings: Settings, allow: AllowList) -> Tokenised:
    """Segment ``doc``; fingerprint and tokenise each paragraph that is compared."""
    seg = segment(doc, doc_index, rules=settings.structure)
    digests, words, compared = fingerprint(seg.compare, seg.ignored, settings, allow)
    return Tokenised(seg, digests, words, compared)


def fingerprint(
    compare: Sequence[str], ignored: Collection[int], settings: Settings, allow: AllowList
) -> tuple[tuple[bytes | None, ...], tuple[int, ...], Compared]:
    """Return per paragraph its fingerprint (None: not compared) and word count, and the
    tokens of the compared paragraphs, in order.

    Paragraphs are tokenised together (``batch.tokenise_many``: what ``normalize.tokens``
    gives each, faster); a paragraph is compared unless it is ``ignored``, has fewer than
    ``settings.min_words`` tokens (or none) or is allowed by ``allow``.
    """
    texts = [("" if i in ignored else t) for i, t in enumerate(compare)] if ignored else compare
    found = tokenise_many(texts)
    words = found.counts.tolist()
    least = max(settings.min_words, 1)
    digests: list[bytes | None]
    if allow:
        digests = []
        for i, (n, joined) in enumerate(zip(words, found.joined, strict=True)):
            if n < least or allow.allows(compare[i], joined.decode("utf-8")):
                digests.append(None)
            else:
                digests.append(hashlib.blake2b(joined, digest_size=16).digest())
    else:
        blake2b = hashlib.blake2b
        digests = [
            None if n < least else blake2b(joined, digest_size=16).digest()
            for n, joined in zip(words, found.joined, strict=True)
        ]
    keep = found.counts >= least
    if allow:
        keep &= np.fromiter((d is not None for d in digests), dtype=bool, count=len(digests))
    hashes = found.hashes if keep.all() else found.hashes[np.repeat(keep, found.counts)]
    return tuple(digests), tuple(words), Compared(hashes, found.counts[keep])


def sign(hashes: Sequence[sketch.U32], settings: Settings) -> sketch.U32:
    """Return the MinHash signatures of shingle hash arrays (one row each)."""
    if not hashes:
        return np.empty((0, settings.num_perm), dtype=np.uint32)
    return sketch.signatures(hashes, settings.num_perm, settings.seed)


def prepare(doc: Document, doc_index: int, settings: Settings, allow: AllowList) -> Prepared:
    """Segment ``doc`` and fingerprint, hash and sign each of its compared paragraphs."""
    t = tokenise(doc, doc_index, settings, allow)
    hashes = t.compared.shingle_hashes(settings.ngram)
    return Prepared(t.segmented, t.digests, t.words, tuple(hashes), sign(hashes, settings))


Slim = tuple[
    npt.NDArray[np.int64],
    tuple[str, ...],
    frozenset[int],
    tuple[bytes | None, ...],
    tuple[int, ...],
    tuple[sketch.U32, ...],
    sketch.U32,
]

# Set in the parent just before a fork-based pool starts, so workers inherit the
# documents instead of receiving them pickled; never changed while a pool runs.
_FORKED: tuple[Sequence[Document], Settings, AllowList] | None = None


def _slim(index: int) -> Slim:
    """Prepare document ``index`` of the forked inputs; return only compact results."""
    assert _FORKED is not None
    docs, settings, allow = _FORKED
    prep = prepare(docs[index], index, settings, allow)
    spans = np.array(
        [
            (p.start_line, p.end_line, p.start, p.end, p.byte_start, p.byte_end, p.column)
            for p in prep.segmented.paragraphs
        ],
        dtype=np.int64,
    ).reshape(-1, 7)
    seg = prep.segmented
    return (spans, seg.compare, seg.ignored, prep.digests, prep.words, prep.hashes, prep.signatures)


def _unslim(doc: Document, index: int, slim: Slim) -> Prepared:
    spans, compare, ignored, digests, words, hashes, sigs = slim
    paragraphs = tuple(
        Paragraph(
            doc=index,
            index=n,
            start_line=int(row[0]),
            end_line=int(row[1]),
            start=int(row[2]),
            end=int(row[3]),
            byte_start=int(row[4]),
            byte_end=int(row[5]),
            text=doc.text[int(row[2]) : int(row[3])],
            column=int(row[6]),
        )
        for n, row in enumerate(spans, start=1)
    )
    seg = Segmented(Lines.of(doc.text), paragraphs, compare, ignored)
    return Prepared(seg, digests, words, hashes, sigs)


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: Called after each document with (characters done, paragraphs done) since the last call.
Progress = Callable[[int, int], None]

#: Called with the name of the stage that begins: "comparing" once every paragraph is read.
Stage = Callable[[str], None]


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def prepare_all(
    docs: Sequence[Document],
    settings: Settings,
    allow: AllowList,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[Prepared]:
    """Prepare every document, in worker processes when it pays; results in input order.

    Workers are forked, so they share the documents; they send back spans, fingerprints,
    hashes and signatures, and the parent rebuilds paragraphs from its own copy of the text.
    """
    global _FORKED
    jobs = default_jobs() if jobs is None else jobs
    size = sum(len(d.text) for d in docs)
    if jobs <= 1 or len(docs) < 2 or size < PARALLEL_MIN_CHARS or not _can_fork():
        out = []
        for i, d in enumerate(docs):
            out.append(prepare(d, i, settings, allow))
            if progress is not None:
                progress(len(d.text), len(out[-1].segmented.paragraphs))
        return out
    import multiprocessing  # here: a small input never starts a pool
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(docs) // (jobs * 8))
    _FORKED = (docs, settings, allow)
    slims: list[Slim] = []
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=multiprocessing.get_context("fork")
        ) as pool:
            for i, slim in enumerate(pool.map(_slim, range(len(docs)), chunksize=chunk)):
                slims.append(slim)
                if progress is not None:
                    progress(len(docs[i].text), len(slim[0]))
    finally:
        _FORKED = None
    return [_unslim(d, i, slim) for i, (d, slim) in enumerate(zip(docs, slims, strict=True))]
