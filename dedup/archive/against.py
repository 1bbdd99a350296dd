"""New documents against an archive: which paragraphs repeat a published one, and which.

For each compared paragraph of the new documents (prepared as ``dedup check`` prepares
them, once: ``check --against`` passes the engine's preparation), candidates come from the
archive's posting keys (``dedup.archive.keys``): its exact fingerprint, its LSH band keys,
its short-paragraph keys, and for containment its rarest shingles (the new paragraph
inside an archived one) and all its shingles against the archived prefixes (an archived
paragraph inside the new one). Every candidate is verified by the engine's own
``dedup.core.group.verify_pair``, the archived paragraph being the earlier one, and counted as
the engine counts it (``dedup.core.group.decide``): a candidate proposed only by the
containment keys counts only if it is verified ``contained``. So kinds and similarities
are those ``dedup check`` gives when the archived text is in the same run. An archived
paragraph of the same source as the new document (an earlier version of the same story)
is not a repeat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dedup.archive import keys as k
from dedup.archive.add import source_name
from dedup.archive.store import ArchivedParagraph, ArchiveError, Store
from dedup.check.findings import (
    ArchivedRef,
    Finding,
    Location,
    excerpt,
    fails,
    fingerprint,
    location_of,
)
from dedup.core.candidates import Keying, enough_shared, fingerprint_key, overlap
from dedup.core.group import Verifier, verify_pair
from dedup.core.models import Document, Kind, Report
from dedup.core.prepare import Prepared, prepare_all
from dedup.core.settings import Settings
from dedup.core.sketch import U32
from dedup.text.allow import AllowList


@dataclass(frozen=True, slots=True)
class ArchiveMatch:
    """A new paragraph (document ``doc``, 1-based ``paragraph``) related to an archived one."""

    doc: int
    paragraph: int
    archived: ArchivedParagraph
    kind: Kind
    similarity: float
    jaccard: float
    containment: float
    contains: bool  # the new paragraph contains the archived one


#: Posting tags of containment prefix filtering (the other tags propose near candidates).
_CONTAINMENT = frozenset({k.SHINGLE, k.PREFIX})


@dataclass(frozen=True, slots=True)
class _Query:
    doc: int
    paragraph: int
    text: str
    words: int
    digest: bytes
    hashes: U32


def matches(
    store: Store,
    documents: Sequence[Document],
    settings: Settings,
    *,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    prepared: Sequence[Prepared] | None = None,
) -> list[ArchiveMatch]:
    """Return, per new paragraph that repeats an archived one, its strongest verified match.

    Ties go to the higher similarity, then the archived paragraph added first.
    ``prepared``: the documents as ``dedup.core.prepare.prepare_all`` made them (with these
    settings and allow-list), so that they are not prepared again.
    """
    archive = store.settings()
    if archive is None:
        raise ArchiveError(store.location, "not a dedup archive")
    reason = archive.incompatible(settings, checking=True)
    if reason is not None:
        raise ArchiveError(store.location, reason)
    if prepared is None:
        prepared = prepare_all(documents, settings, allow or AllowList(), jobs)
    queries: list[_Query] = []
    rows: list[U32] = []
    for d, prep in enumerate(prepared):
        row = 0
        for j, digest in enumerate(prep.digests):
            if digest is None:
                continue
            p = prep.segmented.paragraphs[j]
            text = prep.segmented.compare[j]
            queries.append(_Query(d, p.index, text, prep.words[j], digest, prep.hashes[row]))
            rows.append(prep.signatures[row])
            row += 1
    if not queries:
        return []
    keying = Keying(archive.near_threshold, settings.review_min_words)
    sizes = np.array([len(q.hashes) for q in queries], dtype=np.int64)
    words = np.array([q.words for q in queries], dtype=np.int64)
    banded, short, contained = (
        keying.banded(sizes, words),
        keying.small(sizes),
        keying.contained(words),
    )
    bands = k.band_keys(np.vstack(rows), archive)
    small = iter(
        k.small_keys(
            [q.hashes for q, s in zip(queries, short, strict=True) if s], archive.near_threshold
        )
    )
    inside = [q.hashes for q, c in zip(queries, contained, strict=True) if c]
    inside_words = [q.words for q, c in zip(queries, contained, strict=True) if c]
    counted = sorted({int(h) for hashes in inside for h in hashes})
    counts = store.shingle_counts(counted, k.COUNT_CAP) if counted else {}
    prefixes = iter(
        k.prefixes(
            inside, inside_words, settings.ngram, counts, settings.containment, complete=True
        )
    )
    wanted: list[list[tuple[int, int]]] = []
    for n, q in enumerate(queries):
        mine = [(k.PRINT, fingerprint_key(q.digest))]
        if banded[n]:
            mine += [(k.BAND + b, key) for b, key in enumerate(bands[n])]
        if short[n]:
            mine += [(k.SMALL, key) for key in next(small)]
        if contained[n]:
            mine += [(k.SHINGLE, int(h)) for h in next(prefixes)]
            mine += [(k.PREFIX, int(h)) for h in q.hashes]
        wanted.append(mine)
    hits = store.lookup(k.unique(key for mine in wanted for key in mine))
    # Proposed by the keys one run's near candidates come from (exact classes, LSH bands,
    # short-paragraph cores), and by containment prefixes: counted per archived paragraph.
    near = [
        {i for key in mine if key[0] not in _CONTAINMENT for i in hits.get(key, ())}
        for mine in wanted
    ]
    held = [
        Counter(i for key in mine if key[0] == k.SHINGLE for i in hits.get(key, ()))
        for mine in wanted
    ]
    holds = [
        Counter(i for key in mine if key[0] == k.PREFIX for i in hits.get(key, ()))
        for mine in wanted
    ]
    every = {i for found in (near, held, holds) for f in found for i in f}
    archived = store.fetch(sorted(every))
    ngram = settings.ngram
    candidates = [
        sorted(
            proposed
            | _contained(held[n], archived, q, ngram, settings.containment, inside=True)
            | _contained(holds[n], archived, q, ngram, archive.containment, inside=False)
        )
        for n, (q, proposed) in enumerate(zip(queries, near, strict=True))
    ]
    names = [source_name(d.path) for d in documents]
    ordered = sorted(archived)
    texts = [q.text for q in queries] + [archived[i].text for i in ordered]
    slot = {pid: len(queries) + n for n, pid in enumerate(ordered)}
    verifier = Verifier(texts, settings)
    out: list[ArchiveMatch] = []
    for qi, (q, cands, proposed) in enumerate(zip(queries, candidates, near, strict=True)):
        best: tuple[tuple[int, float, str, int], ArchiveMatch] | None = None
        for pid in cands:
            a = archived.get(pid)
            if a is None or a.source == names[q.doc]:
                continue
            m = _relate(verifier, qi, slot[pid], q, a, contained_only=pid not in proposed)
            if m is None:
                continue
            rank = (m.kind.rank, -m.similarity, a.added, a.id)
            if best is None or rank < best[0]:
                best = (rank, m)
        if best is not None:
            out.append(best[1])
    return out


def _contained(
    shared: Counter[int],
    archived: Mapping[int, ArchivedParagraph],
    query: _Query,
    ngram: int,
    containment: float,
    *,
    inside: bool,
) -> set[int]:
    """Return the archived paragraphs that prefix matches propose for containment, by one
    run's rule (``candidates.enough_shared``): ``inside``, the new paragraph ``query``
    inside them (``shared`` of its prefix hashes each holds); otherwise them inside it
    (``shared`` of their prefix hashes it holds). ``containment`` is the one the prefixes
    were taken for."""
    ids = [i for i in shared if i in archived]
    if not ids:
        return set()
    counts = np.array([shared[i] for i in ids], dtype=np.int64)
    theirs = [archived[i].hashes for i in ids]
    their_size = np.fromiter(map(len, theirs), dtype=np.int64, count=len(ids))
    their_bound = k.shingle_bounds([archived[i].words for i in ids], theirs, ngram)
    my_size = np.full(len(ids), len(query.hashes), dtype=np.int64)
    my_bound = np.broadcast_to(k.shingle_bounds([query.words], [query.hashes], ngram), (len(ids),))
    if inside:
        need = overlap(my_size, my_bound, containment)
        ok = enough_shared(counts, need, my_size, their_bound)
    else:
        need = overlap(their_size, their_bound, containment)
        ok = enough_shared(counts, need, their_size, my_bound)
    return {i for i, yes in zip(ids, ok.tolist(), strict=True) if yes}


def _relate(
    verifier: Verifier, qi: int, ai: int, q: _Query, a: ArchivedParagraph, *, contained_only: bool
) -> ArchiveMatch | None:
    """Verify one pair as the engine does (``group.verify_pair``): the archived paragraph
    is the earlier one; a pair only the containment keys proposed must be contained."""
    v = verify_pair(ai, qi, verifier)
    if v is None or (contained_only and v.relation.kind is not Kind.CONTAINED):
        return None
    rel = v.relation
    assert rel.kind is not None
    return ArchiveMatch(
        doc=q.doc,
        paragraph=q.paragraph,
        archived=a,
        kind=rel.kind,
        similarity=round(rel.similarity, 4),
        jaccard=round(rel.jaccard, 4),
        containment=round(rel.containment, 4),
        contains=v.measured == ai,  # the archived paragraph is the one contained
    )


def findings(
    store: Store,
    report: Report,
    settings: Settings,
    fail_on: Kind,
    *,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    prepared: Sequence[Prepared] | None = None,
) -> list[Finding]:
    """Return a ``dedup check`` finding per paragraph of ``report`` repeating an archived one
    (``prepared``: the report's documents as the engine prepared them)."""
    out: list[Finding] = []
    found = matches(store, report.documents, settings, allow=allow, jobs=jobs, prepared=prepared)
    for m in found:
        p = report.paragraphs[m.doc][m.paragraph - 1]
        a = m.archived
        out.append(
            Finding(
                where=location_of(report, p),
                kept=Location(a.source, a.paragraph, a.lines, a.columns),
                kind=m.kind,
                similarity=m.similarity,
                fingerprint=fingerprint(report.compare[m.doc][m.paragraph - 1]),
                kept_fingerprint=fingerprint(a.text),
                failing=fails(m.kind, fail_on),
                excerpt=excerpt(report.compare[m.doc][m.paragraph - 1]),
                archived=ArchivedRef(
                    archive=store.location,
                    source=a.source,
                    paragraph=a.paragraph,
                    lines=a.lines,
                    added=a.added,
                    label=a.label,
                    contains=m.contains,
                ),
            )
        )
    return out
