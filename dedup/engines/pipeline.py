"""The engine: documents -> Report (``find_duplicates``) and Report -> cleaned texts (``clean``).

Flow: prepare every document (segment, tokenise, fingerprint, hash shingles, sign; in
worker processes for large inputs); group exact repeats by their fingerprint (so an exact
repeat never depends on LSH); take candidate pairs from MinHash LSH banding, exact
small-set keys and exact containment prefix filtering (``dedup.core.index``); verify each
exactly; form groups, keep one paragraph per group by the policy and verify every
removal against it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from dedup.core import index, sketch
from dedup.core.cleaner import cut
from dedup.core.group import Relation, Removal, Verified, Verifier, decide
from dedup.core.models import Document, Group, Kind, Match, Paragraph, Report
from dedup.core.prepare import Prepared, Progress, Stage, prepare_all
from dedup.core.settings import Settings
from dedup.text.allow import AllowList
from dedup.text.containers import of_document
from dedup.text.segment import Segmented


@dataclass(frozen=True, slots=True)
class Cleaned:
    """One document after cleaning: its new text and what was removed from it."""

    document: Document
    text: str
    removals: tuple[Match, ...]

    def encode(self) -> bytes:
        """Return the cleaned text encoded as the input was (same encoding, BOM kept)."""
        return self.document.encode(self.text)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the run allocates many small, acyclic objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _documents(documents: Sequence[Document | str]) -> tuple[Document, ...]:
    return tuple(
        d if isinstance(d, Document) else Document(path=f"<text {i + 1}>", text=d)
        for i, d in enumerate(documents)
    )


def find_duplicates(
    documents: Sequence[Document | str],
    settings: Settings | None = None,
    *,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    stage: Stage | None = None,
    prepared: Sequence[Prepared] | None = None,
) -> Report:
    """Find repeated paragraphs within and across ``documents`` and decide what to remove.

    A plain ``str`` is taken as a text document. Nothing is modified; the returned
    ``Report`` lists groups (kept paragraph + verified removals) and review pairs.
    ``jobs`` worker processes share the per-document work (``None``: all cores); the
    result is the same for any number. ``progress`` is told how much is done as it goes,
    ``stage`` when the comparing begins. ``prepared``: the documents already prepared
    (``prepare_all`` with these settings and allow-list), not prepared again.
    """
    settings = settings or Settings()
    docs = _documents(documents)
    with gc_paused():
        if prepared is None:
            prepared = prepare_all(docs, settings, allow or AllowList(), jobs, progress)
        elif len(prepared) != len(docs):
            raise ValueError("one prepared document per document")
        if stage is not None:
            stage("comparing")
        return _Engine(docs, prepared, settings).run()


def clean(
    documents: Sequence[Document | str],
    settings: Settings | None = None,
    *,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
) -> tuple[list[Cleaned], Report]:
    """Return every document with its repeats removed, and the report that explains it."""
    settings = settings or Settings()
    docs = _documents(documents)
    with gc_paused():
        prepared = prepare_all(docs, settings, allow or AllowList(), jobs, progress)
        report = _Engine(docs, prepared, settings).run()
        return cleaned_documents(report, [p.segmented for p in prepared]), report


def cleaned_documents(report: Report, segmented: Sequence[Segmented]) -> list[Cleaned]:
    """Apply a report's removals to the segmented documents it was made from."""
    assert isinstance(report.settings, Settings)
    rules = report.settings.structure
    out: list[Cleaned] = []
    for i, (doc, seg) in enumerate(zip(report.documents, segmented, strict=True)):
        removals = tuple(report.removals_in(i))
        boxes = of_document(doc, seg.lines, rules) if removals else ()
        out.append(Cleaned(doc, cut(seg.lines, (m.paragraph for m in removals), boxes), removals))
    return out


class _Engine:
    def __init__(
        self, docs: tuple[Document, ...], prepared: Sequence[Prepared], settings: Settings
    ) -> None:
        self.docs = docs
        self.settings = settings
        self.prepared = prepared
        segmented = [p.segmented for p in prepared]
        self.paragraphs: list[Paragraph] = [p for s in segmented for p in s.paragraphs]
        self.texts: list[str] = [c for s in segmented for c in s.compare]
        self.per_doc = tuple(s.paragraphs for s in segmented)
        self.compare = tuple(s.compare for s in segmented)
        self.verifier = Verifier(self.texts, settings)

    def run(self) -> Report:
        s = self.settings
        found = index.candidates(self._rows(), s)
        decision = decide(found, self.verifier)
        return Report(
            settings=s,
            documents=self.docs,
            paragraphs=self.per_doc,
            groups=groups_of(decision.removals, self.paragraphs.__getitem__),
            review=tuple(review_of(decision.review, self.paragraphs.__getitem__)),
            lsh=index.lsh_params(s.candidate_threshold, s.num_perm),
            candidates=candidate_count(found.pairs, found.buckets),
            compare=self.compare,
        )

    def _rows(self) -> index.Rows:
        return rows_of(self.prepared, self.settings.num_perm)


def rows_of(prepared: Sequence[Prepared], num_perm: int) -> index.Rows:
    """Return the compared paragraphs of ``prepared`` documents as the in-memory engine's rows
    (global ids count every paragraph, compared or not, in input order)."""
    gid: list[int] = []
    digests: list[bytes] = []
    words: list[int] = []
    hashes: list[sketch.U32] = []
    sigs: list[sketch.U32] = []
    g = 0
    for prep in prepared:
        for digest, n in zip(prep.digests, prep.words, strict=True):
            if digest is not None:
                gid.append(g)
                digests.append(digest)
                words.append(n)
            g += 1
        hashes.extend(prep.hashes)
        sigs.append(prep.signatures)
    return index.Rows(
        gid=np.asarray(gid, dtype=np.int64),
        digests=np.frombuffer(b"".join(digests), dtype=np.uint64).reshape(-1, 2),
        words=np.asarray(words, dtype=np.int64),
        hashes=hashes,
        signatures=(np.vstack(sigs) if sigs else np.empty((0, num_perm), dtype=np.uint32)),
    )


def candidate_count(pairs: set[tuple[int, int]], buckets: Sequence[Sequence[int]]) -> int:
    """Return how many distinct pairs the candidates hold (dense buckets spelled out).

    Exact while the buckets hold few pairs in all; past that, the pairs of each bucket
    are counted without removing those another bucket or ``pairs`` also holds.
    """
    spelled = sum(len(b) * (len(b) - 1) // 2 for b in buckets)
    if spelled > max(len(pairs), 100_000):
        return len(pairs) + spelled
    every = set(pairs)
    for b in buckets:
        every.update((x, y) for i, x in enumerate(b) for y in b[i + 1 :])
    return len(every)


def match_of(paragraph: Callable[[int], Paragraph], a: int, b: int, rel: Relation) -> Match:
    """Return the match of paragraph ``a`` to ``b`` (global ids) with rounded scores."""
    return Match(
        paragraph=paragraph(a),
        other=paragraph(b),
        kind=rel.kind or Kind.SIMILAR,
        similarity=round(rel.similarity, 4),
        jaccard=round(rel.jaccard, 4),
        containment=round(rel.containment, 4),
    )


def groups_of(removals: list[Removal], paragraph: Callable[[int], Paragraph]) -> tuple[Group, ...]:
    """Return one group per kept paragraph, in paragraph order, removals in order."""
    by_kept: dict[int, list[Removal]] = {}
    for r in removals:
        by_kept.setdefault(r.kept, []).append(r)
    return tuple(
        Group(
            kept=paragraph(kept),
            duplicates=tuple(
                match_of(paragraph, r.removed, kept, r.relation)
                for r in sorted(rs, key=lambda r: r.removed)
            ),
        )
        for kept, rs in sorted(by_kept.items())
    )


def review_of(review: list[Verified], paragraph: Callable[[int], Paragraph]) -> list[Match]:
    """Return the review pairs as matches, measured paragraph first."""
    return [match_of(paragraph, v.measured, v.other, v.relation) for v in review]
