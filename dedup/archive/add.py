"""Documents -> archive entries: the paragraphs an add writes, with everything that finds them.

Paragraphs are prepared exactly as ``dedup check`` prepares them (``dedup.core.prepare``: same
segmentation, ignore comments, allow-list, ``--min-words``, fingerprints, shingle hashes,
signatures), so an archived paragraph is the paragraph a check of its source would compare.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from dedup.archive import keys as k
from dedup.archive.store import AddResult, ArchivedParagraph, SourceEntry, Store
from dedup.check.findings import columns_of
from dedup.core.models import Document
from dedup.core.prepare import Prepared, Progress, prepare_all
from dedup.core.settings import Settings
from dedup.errors import UsageError
from dedup.text.allow import AllowList


def source_name(path: str) -> str:
    """Return how a document is named in the archive: one name however its path is written.

    A path inside the current folder is named relative to it, any other absolutely, with
    ``/`` separators: ``a.md``, ``./a.md`` and ``/project/a.md`` (run in ``/project``) are
    all ``a.md``. A JSONL record (``FILE#ID``) keeps its id as it is.
    """
    if path == "-":
        return path
    head, sep, tail = path, "", ""
    if not os.path.exists(path) and "#" in path:
        head, sep, tail = path.partition("#")
    full = os.path.abspath(head)
    try:
        rel = os.path.relpath(full)
    except ValueError:  # another drive (Windows)
        rel = full
    inside = rel != os.pardir and not rel.startswith(os.pardir + os.sep)
    return (rel if inside else full).replace(os.sep, "/") + sep + tail


def now() -> str:
    """Return the current UTC time as ISO 8601 (``SOURCE_DATE_EPOCH`` when set, for tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = time.gmtime(int(epoch)) if epoch else time.gmtime()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", t)


def _unprefixed(doc: Document, prep: Prepared) -> list[ArchivedParagraph]:
    seg = prep.segmented
    out: list[ArchivedParagraph] = []
    row = 0
    for j, (p, digest) in enumerate(zip(seg.paragraphs, prep.digests, strict=True)):
        if digest is None:
            continue
        out.append(
            ArchivedParagraph(
                source=source_name(doc.path),
                paragraph=p.index,
                lines=p.lines,
                columns=columns_of(p),  # as dedup check shows them
                words=prep.words[j],
                digest=digest,
                text=seg.compare[j],
                signature=prep.signatures[row],
                hashes=prep.hashes[row],
                prefix=prep.hashes[row][:0],
            )
        )
        row += 1
    return out


def _digest(paragraphs: Sequence[ArchivedParagraph]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in paragraphs:
        h.update(
            json.dumps(
                [p.paragraph, list(p.lines), list(p.columns), p.words, p.digest.hex(), p.text],
                ensure_ascii=False,
            ).encode("utf-8")
        )
    return h.hexdigest()


def entries(
    store: Store,
    documents: Sequence[Document],
    settings: Settings,
    *,
    label: str | None = None,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
) -> list[SourceEntry]:
    """Prepare ``documents`` and return one entry per source, prefixes chosen.

    A containment prefix is one run's (``dedup.core.candidates.containment_prefixes``), its
    shingles ordered by how many paragraphs hold them in the archive and in this add
    together (any order is exact; the rarest first keep lookups short).
    """
    archive = store.settings()
    assert archive is not None
    prepared = prepare_all(documents, settings, allow or AllowList(), jobs, progress)
    per_doc = [_unprefixed(d, p) for d, p in zip(documents, prepared, strict=True)]
    names = [source_name(d.path) for d in documents]
    twice = [n for n, c in Counter(names).items() if c > 1]
    if twice:
        raise UsageError(
            f"source {twice[0]!r} is given twice in one add (a JSONL id used twice? "
            "pass --id-field with a unique field)"
        )
    here: Counter[int] = Counter(int(h) for ps in per_doc for p in ps for h in p.hashes)
    counts = Counter(store.shingle_counts(sorted(here), k.COUNT_CAP))
    counts.update(here)
    out: list[SourceEntry] = []
    for name, paragraphs in zip(names, per_doc, strict=True):
        chosen = k.prefixes(
            [p.hashes for p in paragraphs],
            [p.words for p in paragraphs],
            archive.ngram,
            counts,
            archive.containment,
            complete=False,
        )
        kept = tuple(replace(p, prefix=c) for p, c in zip(paragraphs, chosen, strict=True))
        out.append(SourceEntry(name, _digest(kept), label, kept))
    return out


def add_documents(
    store: Store,
    documents: Sequence[Document],
    settings: Settings,
    *,
    label: str | None = None,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
) -> AddResult:
    """Archive ``documents`` (one atomic write), creating the archive with ``settings``.

    A source already archived with the same paragraphs is left as it is (its label
    updated if another is given); with different paragraphs it is replaced.
    """
    from dedup.archive.store import ArchiveError, ArchiveSettings

    archive = store.settings() or store.create(ArchiveSettings.of(settings))
    reason = archive.incompatible(settings, checking=False)
    if reason is not None:
        raise ArchiveError(store.location, reason)
    found = entries(
        store, documents, settings, label=label, allow=allow, jobs=jobs, progress=progress
    )
    return store.add(found, now())
