"""New documents against an archive: which paragraphs repeat a published one, and which.

For each compared paragraph of the new documents (prepared as ``dedup check`` prepares
them, once: ``check --against`` passes the engine's preparation), candidates come from the
archive's posting keys (``dedup.archive.keys``): its exact fingerprint, its LSH band keys,
its short-paragraph keys, and for containment its rarest shingles (the new paragraph
inside an archived one) and all its shingles against the archived prefixes (an archived
paragraph inside the new one). Every candidate is verified by the engine's own
``dedup.group.verify_pair``, the archived paragraph being the earlier one, and counted as
the engine counts it (``dedup.group.decide``): a candidate proposed only by the
containment keys counts only if it is verified ``contained``. So kinds and similarities
are those ``dedup check`` gives when the archived text is in the same run. An archived
paragraph of the same source as the new document (an earlier version of the same story)
is not a repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedup.allow import AllowList
from dedup.archive import keys as k
from dedup.archive.add import source_name
from dedup.archive.store import ArchivedParagraph, ArchiveError, Store
from dedup.check import (
    ArchivedRef,
    Finding,
    Location,
    excerpt,
    fails,
    fingerprint,
    location_of,
)
from dedup.group import Verifier, verify_pair
from dedup.models import Document, Kind, Report
from dedup.prepare import Prepared, prepare_all
from dedup.settings import Settings
from dedup.sketch import U32


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
    ``prepared``: the documents as ``dedup.prepare.prepare_all`` made them (with these
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
    bands = k.band_keys(np.vstack(rows), archive)
    long_enough = [q.words >= settings.review_min_words for q in queries]
    counted = sorted(
        {int(h) for q, ok in zip(queries, long_enough, strict=True) if ok for h in q.hashes}
    )
    counts = store.shingle_counts(counted, k.COUNT_CAP) if counted else {}
    wanted: list[list[tuple[int, int]]] = []
    for q, qb, ok in zip(queries, bands, long_enough, strict=True):
        mine = [(k.PRINT, k.print_key(q.digest))]
        mine += [(k.BAND + b, key) for b, key in enumerate(qb)]
        if len(q.hashes) <= archive.small_max:
            mine += [(k.SMALL, key) for key in k.small_keys(q.hashes, archive.near_threshold)]
        if ok:
            size = k.prefix_size(len(q.hashes), settings.containment)
            mine += [(k.SHINGLE, int(h)) for h in k.rarest(q.hashes, size, counts)]
            mine += [(k.PREFIX, int(h)) for h in q.hashes]
        wanted.append(mine)
    hits = store.lookup(k.unique(key for mine in wanted for key in mine))
    candidates = [sorted({i for key in mine for i in hits.get(key, ())}) for mine in wanted]
    # Proposed by the keys one run's near candidates come from (exact classes, LSH bands,
    # short-paragraph cores), not only by containment prefix filtering.
    near = [
        {i for key in mine if key[0] not in _CONTAINMENT for i in hits.get(key, ())}
        for mine in wanted
    ]
    archived = store.fetch(sorted({i for c in candidates for i in c}))
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
