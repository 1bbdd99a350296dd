"""The Dask engine: the streaming engine's algorithm, as tasks over partitions of a Dask cluster.

What runs where:

- **Loading** (one task per partition, on a worker): read the partition
  (``dedup.inputs.partition``: runs of text files, byte ranges of uncompressed JSONL files,
  whole compressed ones) and prepare it with the streaming engine's per-chunk code
  (``stream._work``: segment, fingerprint, hash shingles, sign, band keys, small-set
  keys). Only those compact numpy arrays stay (``Rows``: a few dozen bytes per
  paragraph and 4 per shingle); the texts, paragraphs and tokens go when the task ends.
  The client is sent a summary: documents without text, paragraph counts, errors.
- **Exchanges** (task-based shuffles of numpy arrays): each partition's rows are cut by
  key into one piece per reducer, and a reducer takes its piece of every partition.
  Fingerprints (exact classes); LSH band keys, one reducer per band; small-set keys;
  and shingle hashes: each paragraph's containment prefix (rarest first by a count-min
  sketch of the whole input, summed on the workers, as in the streaming engine), with
  the shingle hashes of every paragraph that a bitmap of the prefix hashes lets through.
  Reducers return candidate pairs and dense buckets (``candidates.pairs_and_buckets``,
  ``candidates.DENSE``): n near-identical paragraphs give one bucket of n members, not
  n * (n - 1) / 2 pairs, so a flood costs linear time and memory.
- **Fetching**: the documents that hold a candidate are read again on the workers (a
  JSONL partition's other lines are not parsed), which send back only the candidates'
  paragraphs and compare texts.
- **The client** plans the partitions, numbers documents and paragraphs in input order
  from the summaries, merges what the reducers found and runs ``dedup.core.group.decide``
  (exact verification, groups, keep policy) as the local engines do.

Memory: a worker holds the compact rows of its partitions until the exchanges have cut
them, then the pieces in flight; never a partition's text beyond the task reading it.
What a worker holds is a stored task result, which Dask spills to disk past the
worker's memory target.

The streaming engine's per-chunk preparation is called, not copied; keys, which paragraphs
get them, classes, prefixes and how pairs and buckets come from keys are
``dedup.core.candidates``'s, as in every engine.

Identity with the local engines: the same per-document code, global paragraph ids in
input order, the same representatives (first of each fingerprint), the same candidate
pairs and dense buckets (equal band keys per band, equal small-set keys; so the same
``candidates`` count), containment candidates from exact prefix filtering (any order
keeps it exact; only pairs verified ``contained`` count), and the same ``decide``.
"""

from __future__ import annotations

import itertools
import operator
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar, overload

import numpy as np
import numpy.typing as npt

from dedup.core import candidates
from dedup.core.candidates import (
    Keying,
    codes_to_pairs,
    distinct_buckets,
    fingerprint_classes,
    sorted_unique,
)
from dedup.core.group import Candidates, Verifier, decide
from dedup.core.models import Document, Group, Match, Paragraph, Report
from dedup.core.settings import Settings
from dedup.engines.pipeline import candidate_count, gc_paused, groups_of, review_of
from dedup.engines.stream import _WHOLE, _chunks, _parameters, _Plan, _work
from dedup.errors import InputError
from dedup.inputs import partition
from dedup.inputs.jsonl import JsonlFile, RecordError, skipped_message
from dedup.inputs.partition import Layout, Part, ReadOptions, Source
from dedup.text.allow import AllowList
from dedup.text.segment import pieced_paragraphs, segment, text_pieces
from dedup.text.structure import Structure

if TYPE_CHECKING:
    from distributed import Client, Future

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
Columns = tuple[npt.NDArray[Any], ...]
T = TypeVar("T")

#: Partitions are cut to about this share of the input per worker (at least this many each).
PARTS_PER_WORKER = 4
#: Smallest automatic partition size (bytes); tests pass smaller ones to cut more.
MIN_BLOCK = 256 * 2**10


class NotHeldError(LookupError):
    """A paragraph the report does not name was asked for: its text is on a worker."""


class Held(Sequence[T]):
    """One document's paragraphs (or compare texts), of which the client holds a few.

    ``len`` is the document's paragraph count; the items held are those the report names
    (removals, their kept paragraphs, review pairs). Asking for another raises
    ``NotHeldError`` instead of returning something made up.
    """

    __slots__ = ("_count", "_items")

    def __init__(self, count: int, items: Mapping[int, T]) -> None:
        self._count = count
        self._items = items

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...

    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._count))]
        if not -self._count <= i < self._count:
            raise IndexError(i)
        i %= self._count
        try:
            return self._items[i]
        except KeyError:
            raise NotHeldError(
                f"paragraph {i + 1} is held by a worker, not by the client"
            ) from None

    def __iter__(self) -> Iterator[T]:
        for i in range(self._count):
            yield self[i]


# --------------------------------------------------------------------------- on workers


@dataclass(frozen=True, slots=True)
class Summary:
    """What the client needs of a loaded partition: documents without text, counts, errors."""

    documents: tuple[Document, ...]
    counts: tuple[int, ...]
    errors: tuple[RecordError, ...]
    missing_ids: int
    error: InputError | None


@dataclass(frozen=True, slots=True)
class Rows:
    """One partition's compact results; "rows" are its compared paragraphs, in order.

    ``pos`` is a row's paragraph number in the partition; ``small_rows`` and ``cont_rows``
    are rows (of the small-set keys, and of the sets compared for containment, whose
    shingle hashes are ``cont_flat``, ``cont_sizes`` each).
    """

    pos: I64
    digests: U64  # (rows, 2)
    words: I32
    sizes: I32  # distinct shingle hashes
    bands: U64  # (bands, rows): a band's keys are one contiguous piece
    small_keys: U64
    small_rows: I32
    cont_rows: I32
    cont_sizes: I32
    cont_flat: U32


def _load(part: Part, options: ReadOptions, plan: _Plan) -> tuple[bytes, Rows]:
    """Read and prepare one partition; return its packed ``Summary`` and its ``Rows``."""
    with gc_paused():
        piece = partition.read(part, options)
        counts: list[int] = []
        rows = _prepared(piece.documents, plan, counts) if piece.error is None else None
        summary = Summary(
            tuple(replace(d, text="") for d in piece.documents),  # the text stays here
            tuple(counts),
            tuple(piece.errors),
            piece.missing_ids,
            piece.error,
        )
        return _packed(summary), rows or _prepared([], plan, [])


def _prepared(documents: Sequence[Document], plan: _Plan, counts: list[int]) -> Rows:
    """Prepare ``documents`` a chunk at a time, as the streaming engine's pass 1 does;
    append each document's paragraph count to ``counts``."""
    found: dict[str, list[npt.NDArray[Any]]] = {}
    paragraphs = rows = 0
    for chunked in _chunks(documents, plan.settings.structure):
        chunk = _work(plan, chunked.items)
        for n, more in zip(chunk.counts.tolist(), chunked.continues, strict=True):
            if more:  # the next piece of a long plain text
                counts[-1] += n
            else:
                counts.append(n)
        for name, value in (
            ("pos", chunk.position + paragraphs),
            ("digests", chunk.digests),
            ("words", chunk.words),
            ("sizes", chunk.sizes),
            ("bands", chunk.bands),
            ("small_keys", chunk.small_keys),
            ("small_rows", (chunk.small_rows + rows).astype(np.int32)),
            ("cont_rows", (chunk.cont_rows + rows).astype(np.int32)),
            ("cont_sizes", chunk.cont_sizes),
            ("cont_flat", chunk.cont_flat),
        ):
            found.setdefault(name, []).append(value)
        paragraphs += int(chunk.counts.sum())
        rows += len(chunk.position)
    if rows >= 1 << 31:
        raise InputError(documents[0].path, "more than 2**31 paragraphs in one partition")
    empty: dict[str, npt.NDArray[Any]] = {
        "pos": np.empty(0, np.int64),
        "digests": np.empty((0, 2), np.uint64),
        "words": np.empty(0, np.int32),
        "sizes": np.empty(0, np.int32),
        "bands": np.empty((0, plan.params.bands), np.uint64),
        "small_keys": np.empty(0, np.uint64),
        "small_rows": np.empty(0, np.int32),
        "cont_rows": np.empty(0, np.int32),
        "cont_sizes": np.empty(0, np.int32),
        "cont_flat": np.empty(0, np.uint32),
    }
    joined = {k: np.concatenate(found.pop(k)) if k in found else v for k, v in empty.items()}
    joined["bands"] = np.ascontiguousarray(joined["bands"].T)
    return Rows(**joined)


def _packed(value: object) -> bytes:
    """Pickle a result of many small objects into one buffer.

    distributed serialises such a result (thousands of paragraphs or documents) several
    times slower than one ``bytes`` frame; the client unpickles it with ``_unpacked``.
    """
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked(data: bytes) -> Any:
    return pickle.loads(data)


def _sketch(rows: Rows) -> U32:
    """Count the partition's shingle hashes (for containment) in a count-min sketch."""
    return candidates.count_sketch(rows.cont_flat)


def _add(a: U32, b: U32) -> U32:
    return a + b


def _cut(parts: int, dest: I64, *columns: npt.NDArray[Any]) -> list[Columns]:
    """Cut ``columns`` (row-aligned) into ``parts`` pieces by each row's ``dest``."""
    if parts == 1:
        return [columns]
    order = np.argsort(dest, kind="stable")
    bounds = np.searchsorted(dest[order], np.arange(parts + 1)).tolist()
    return [tuple(c[order[lo:hi]] for c in columns) for lo, hi in itertools.pairwise(bounds)]


def _dest64(keys: U64, parts: int) -> I64:
    """Return the piece of each (uniformly spread) 64-bit key: by its top bits, in order."""
    top = keys >> np.uint64(32)
    return ((top * np.uint64(parts)) >> np.uint64(32)).astype(np.int64)


def _dest32(keys: U32, parts: int) -> I64:
    """Return the piece of each (uniformly spread) 32-bit hash."""
    return ((keys.astype(np.uint64) * np.uint64(parts)) >> np.uint64(32)).astype(np.int64)


def _digest_pieces(rows: Rows, offset: int, parts: int) -> dict[str, list[Columns]]:
    """Fingerprints and global ids, cut by fingerprint."""
    digests = rows.digests
    return {"digest": _cut(parts, _dest64(digests[:, 0], parts), digests, rows.pos + offset)}


def _class_lists(*pieces: Columns) -> list[list[int]]:
    """Return the exact classes (paragraphs sharing a fingerprint) among these pieces."""
    digests = np.concatenate([p[0] for p in pieces])
    gid = np.concatenate([p[1] for p in pieces])
    return fingerprint_classes(digests, gid)[0]


@dataclass(frozen=True, slots=True)
class _Rules:
    """What the candidate rows of a partition depend on besides the partition (picklable)."""

    settings: Settings
    keying: Keying
    parts: int  # pieces per exchange by key range


#: Bits of the filter of containment prefix hashes (16 MiB): the top bits of a hash.
FILTER_BITS = 27


def _near_pieces(
    rows: Rows, offset: int, others: I64, sketch: U32, rules: _Rules
) -> dict[str, list[Columns]]:
    """Cut the rows of the class representatives into pieces for the exchanges.

    ``others`` are the sorted global ids, in this partition, of paragraphs that repeat an
    earlier one exactly (not compared again). Pieces: ``ids`` (per row: its global id if
    it is banded as locally, else -1) and ``band`` (one piece per band: every row's key);
    ``small`` (key, id) of the small-set keys, by key range; ``prefix`` (hash, id, set
    size, overlap): each containment set's prefix, by hash range; ``filter``: a bitmap of
    the prefix hashes (``FILTER_BITS``), for ``_entry_pieces``.
    """
    s, parts = rules.settings, rules.parts
    gid = rows.pos + offset
    rep = ~np.isin(gid, others)
    banded = rep & rules.keying.banded(rows.sizes, rows.words)
    out: dict[str, list[Columns]] = {
        "ids": [(np.where(banded, gid, -1),)],
        "band": [(keys,) for keys in rows.bands],
    }
    take = rep[rows.small_rows]
    keys = rows.small_keys[take]
    out["small"] = _cut(parts, _dest64(keys, parts), keys, gid[rows.small_rows[take]])
    flat, sizes = rows.cont_flat, rows.cont_sizes.astype(np.int64)
    if len(sizes):
        rarity = candidates.sketched_rarity(sketch, flat)  # this engine's prefix order
        p_hash, p_set, p_size, p_need = candidates.containment_prefixes(
            flat, sizes, _bounds(rows, s.ngram), rarity, s.containment
        )
    else:
        p_hash, p_set, p_size, p_need = flat, sizes, sizes, sizes
    keep = rep[rows.cont_rows][p_set]
    p_hash, p_set, p_size, p_need = p_hash[keep], p_set[keep], p_size[keep], p_need[keep]
    set_gid = gid[rows.cont_rows]
    out["prefix"] = _cut(parts, _dest32(p_hash, parts), p_hash, set_gid[p_set], p_size, p_need)
    bitmap = np.zeros(1 << (FILTER_BITS - 3), dtype=np.uint8)
    np.bitwise_or.at(bitmap, p_hash >> np.uint32(35 - FILTER_BITS), _bit(p_hash))
    out["filter"] = [(bitmap,)]
    return out


def _bounds(rows: Rows, ngram: int) -> I64:
    """Return the ``candidates.shingle_bound`` of each set compared for containment."""
    bound = candidates.shingle_bound(rows.words[rows.cont_rows], ngram)
    return np.maximum(bound, rows.cont_sizes.astype(np.int64))


def _bit(hashes: U32) -> npt.NDArray[np.uint8]:
    """Return each hash's bit within its byte of a ``FILTER_BITS`` bitmap."""
    shift = (hashes >> np.uint32(32 - FILTER_BITS)) & np.uint32(7)
    bits: npt.NDArray[np.uint8] = np.left_shift(np.uint8(1), shift.astype(np.uint8))
    return bits


def _or(a: Columns, b: Columns) -> Columns:
    return (a[0] | b[0],)


def _entry_pieces(
    rows: Rows, offset: int, others: I64, bitmap: Columns, parts: int, ngram: int
) -> dict[str, list[Columns]]:
    """Cut the shingle hashes of the representatives compared for containment, those
    that may be a prefix hash (``bitmap``), into ``entry`` pieces (hash, id, set bound:
    ``candidates.shingle_bound``)."""
    gid = rows.pos + offset
    eligible = ~np.isin(gid[rows.cont_rows], others)
    sizes = rows.cont_sizes.astype(np.int64)
    owner = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    flat = rows.cont_flat
    held = eligible[owner] & ((bitmap[0][flat >> np.uint32(35 - FILTER_BITS)] & _bit(flat)) != 0)
    owner, hashes = owner[held], flat[held]
    set_gid = gid[rows.cont_rows]
    bounds = _bounds(rows, ngram)
    return {"entry": _cut(parts, _dest32(hashes, parts), hashes, set_gid[owner], bounds[owner])}


def _piece(pieces: dict[str, list[Columns]], kind: str, j: int) -> Columns:
    return pieces[kind][j]


def _joined(pieces: Sequence[Columns], n: int) -> Columns:
    return tuple(np.concatenate([p[i] for p in pieces]) for i in range(n))


#: What a reducer found: pair codes (``a * 2**32 + b``, ``a < b``) and dense buckets.
Found = tuple[I64, list[I64]]


def _band_found(n: int, *pieces: Columns) -> Found:
    """LSH candidates of one band: pairs of banded paragraphs with an equal key.

    ``pieces`` are ``n`` ``ids`` pieces, then the band's ``n`` key pieces.
    """
    ids = np.concatenate([p[0] for p in pieces[:n]])
    keys = np.concatenate([p[0] for p in pieces[n:]])
    banded = np.flatnonzero(ids >= 0)
    gid = ids[banded]
    if len(gid) < 2:
        return np.empty(0, np.int64), []
    rows, dense = candidates.pairs_and_buckets(keys[banded], candidates.DENSE)
    a, c = gid[rows >> 32], gid[rows & 0xFFFFFFFF]
    return sorted_unique((np.minimum(a, c) << 32) | np.maximum(a, c)), [gid[r] for r in dense]


def _small_found(*pieces: Columns) -> Found:
    """Small-set candidates: paragraphs sharing a deletion-neighbourhood key."""
    keys, gid = _joined(pieces, 2)
    codes, dense = candidates.pairs_and_buckets_sharing_keys(keys, gid, candidates.DENSE)
    return codes, dense


def _contained_found(n: int, *pieces: Columns) -> tuple[I64, I64, list[I64]]:
    """Containment matches of one hash range (``candidates.prefix_join``).

    ``pieces`` are ``n`` prefix pieces, then the entry pieces (same hash range).
    """
    p_hash, p_gid, p_size, p_need = _joined(pieces[:n], 4)
    e_hash, e_gid, e_bound = _joined(pieces[n:], 3)
    return candidates.prefix_join(
        (p_hash, p_gid, p_size, p_need), (e_hash, e_gid, e_bound), candidates.DENSE
    )


def _paragraphs(
    part: Part,
    options: ReadOptions,
    rules: Structure,
    docs: Sequence[tuple[int, int, int]],
    positions: Sequence[Sequence[int]],
) -> bytes:
    """Read documents of a partition again; return the paragraphs at ``positions``.

    ``docs`` are, per document, its global index, its line (JSONL) or file (text) number
    in the partition (``partition.read``'s ``only``) and its paragraph count; ``positions``
    its paragraph numbers wanted (from 0). Returns them with their compare texts, by
    (document, paragraph number), packed.
    """
    with gc_paused():
        piece = partition.read(part, options, frozenset(where for _, where, _ in docs))
        if piece.error is not None:
            raise piece.error
        if len(piece.documents) != len(docs):
            raise InputError(part.sources[0].shown, "changed while it was being read")
        out: dict[tuple[int, int], tuple[Paragraph, str]] = {}
        for doc, (d, _, count), wanted in zip(piece.documents, docs, positions, strict=True):
            want = set(wanted)
            n = -1
            for n, found in enumerate(_segmented(doc, d, rules)):
                if n in want:
                    out[(d, n)] = found
            if n + 1 != count:
                raise InputError(doc.path, "changed while it was being read")
        return _packed(out)


def _segmented(doc: Document, d: int, rules: Structure) -> Iterator[tuple[Paragraph, str]]:
    """Yield a document's paragraphs and compare texts, as the streaming engine's pass 2."""
    pieces = text_pieces(doc.text) if doc.syntax not in _WHOLE else None
    if pieces is not None:  # a long plain text: a piece at a time, as it was prepared
        yield from pieced_paragraphs(doc, d, pieces, rules)
        return
    seg = segment(doc, d, rules=rules)
    yield from zip(seg.paragraphs, seg.compare, strict=True)


# --------------------------------------------------------------------------- on the client


@dataclass
class _Inputs:
    """Every document (without its text) and its paragraph count; per partition, where
    its documents and paragraphs start in input order and how many paragraphs it has."""

    documents: list[Document] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    doc_offsets: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True, slots=True)
class _Found:
    """The candidates, by global paragraph id: as ``group.Candidates`` takes them."""

    pairs: set[tuple[int, int]]
    buckets: list[list[int]]
    contained: set[tuple[int, int]]
    contained_buckets: list[list[int]]


class _Run:
    """One run of the engine on one client."""

    def __init__(
        self,
        client: Client,
        settings: Settings,
        allow: AllowList,
        options: ReadOptions,
        notice: Callable[[str], None],
    ) -> None:
        self.client = client
        self.settings = settings
        self.options = options
        self.notice = notice
        self.params, permutations = _parameters(settings)
        self.keying = Keying(settings.threshold, settings.review_min_words)
        self.plan = _Plan(settings, allow, self.params, self.keying, permutations)
        self.parts = 1  # reducers per exchange, set once the input is cut

    def run(self, files: Sequence[str], block: int | None) -> Report:
        srcs = partition.sources(files)
        parts = self._plan(srcs, block)
        workers = max(1, len(self.client.nthreads()))
        self.parts = max(1, min(len(parts), PARTS_PER_WORKER * workers))
        rows, summaries = self._load(parts)
        inputs = self._inputs(parts, summaries)
        if not inputs.documents:
            return self._report(inputs, 0, {}, {})
        if inputs.total >= 1 << 32:
            raise InputError("input", "more than 4,294,967,295 paragraphs in one run")
        classes = self._classes(rows, inputs)
        found = self._candidates(rows, inputs, classes)  # the rows go once cut
        ids = {m for c in classes for m in c}
        ids.update(x for pair in found.pairs | found.contained for x in pair)
        ids.update(x for bucket in found.buckets + found.contained_buckets for x in bucket)
        fetched = self._fetch(parts, inputs, ids)
        texts = {gid: compare for gid, (_, compare) in fetched.items()}
        candidates = Candidates(
            classes, found.pairs, found.contained, found.buckets, found.contained_buckets
        )
        decision = decide(candidates, Verifier(texts, self.settings))
        named = {r.removed for r in decision.removals} | {r.kept for r in decision.removals}
        named |= {v.measured for v in decision.review} | {v.other for v in decision.review}
        paragraphs = {gid: fetched[gid][0] for gid in named}
        return self._report(
            inputs,
            candidate_count(found.pairs, found.buckets),
            paragraphs,
            texts,
            groups_of(decision.removals, paragraphs.__getitem__),
            tuple(review_of(decision.review, paragraphs.__getitem__)),
        )

    # ---- reading

    def _plan(self, srcs: list[Source], block: int | None) -> list[Part]:
        """Probe JSONL files, count their lines per range and cut the input into parts."""
        if block is None:
            workers = max(1, len(self.client.nthreads()))
            total = sum(partition.file_size(s.path) for s in srcs)
            block = max(
                MIN_BLOCK, min(partition.BLOCK_BYTES, total // (PARTS_PER_WORKER * workers))
            )
        jsonl = [i for i, s in enumerate(srcs) if s.jsonl]
        probes: list[Layout] = self.client.gather(
            self.client.map(partition.probe, [srcs[i] for i in jsonl], pure=False)
        )
        layouts = dict(zip(jsonl, probes, strict=True))
        todo = [
            (i, start, stop)
            for i, lay in layouts.items()
            if lay.error is None and not lay.compressed
            for start, stop in partition.ranges(lay.size, block)
        ]
        counted: list[int] = self.client.gather(
            self.client.map(
                partition.count_lines,
                [srcs[i] for i, _, _ in todo],
                [start for _, start, _ in todo],
                [stop for _, _, stop in todo],
                pure=False,
            )
        )
        line_counts = {(i, start): n for (i, start, _), n in zip(todo, counted, strict=True)}
        return partition.plan(srcs, layouts, line_counts, block)

    def _load(self, parts: list[Part]) -> tuple[list[Future[Rows]], list[Summary]]:
        """Read and prepare every partition on the workers, where its rows stay; summarise it."""
        submit = self.client.submit
        loaded = [submit(_load, p, self.options, self.plan, pure=False) for p in parts]
        packed = [submit(operator.getitem, f, 0, pure=False) for f in loaded]
        rows: list[Future[Rows]] = [submit(operator.getitem, f, 1, pure=False) for f in loaded]
        del loaded  # the summaries and rows are held apart: each goes when it is used
        return rows, [_unpacked(p) for p in self.client.gather(packed)]

    def _inputs(self, parts: list[Part], summaries: list[Summary]) -> _Inputs:
        """Number documents and paragraphs in input order; raise the first error, in order.

        JSONL notices (ids) and errors (no usable record) are per file, as when files are
        read one after the other; skipped lines are announced at the end.
        """
        out = _Inputs()
        errors: list[RecordError] = []
        current: JsonlFile | None = None
        paths: list[str] = []

        def finish() -> None:
            if current is None:
                return
            if current.errors and not paths:
                first, n = current.errors[0], len(current.errors)
                raise InputError(
                    current.path,
                    f"no usable record: all {n} line{'s' if n != 1 else ''} skipped "
                    f"(first: line {first.line}: {first.problem})",
                )
            current.duplicate_ids = len(paths) - len(set(paths))
            for warning in current.warnings(self.options.id_field):
                self.notice(warning)

        for part, summary in zip(parts, summaries, strict=True):
            src = part.sources[0]
            if current is not None and (not src.jsonl or src.shown != current.path):
                finish()
                current, paths = None, []
            if summary.error is not None:
                raise summary.error
            if src.jsonl:
                if current is None:
                    current = JsonlFile(path=src.shown, text_field=self.options.text_field)
                current.errors.extend(summary.errors)
                current.missing_ids += summary.missing_ids
                paths.extend(d.path for d in summary.documents)
                errors.extend(summary.errors)
            out.doc_offsets.append(len(out.documents))
            out.offsets.append(out.total)
            out.documents.extend(summary.documents)
            out.counts.extend(summary.counts)
            out.sizes.append(sum(summary.counts))
            out.total += out.sizes[-1]
        finish()
        for path in dict.fromkeys(e.path for e in errors):
            self.notice(skipped_message([e for e in errors if e.path == path]))
        return out

    # ---- candidates

    def _exchange(
        self,
        mapped: Sequence[Future[Any]],
        reduce: Callable[..., T],
        kinds: Sequence[str],
        *args: Any,
    ) -> list[Future[T]]:
        """Give reducer ``j`` the pieces ``j`` of every mapped result, kind after kind."""
        submit = self.client.submit
        return [
            submit(
                reduce,
                *args,
                *(submit(_piece, m, kind, j, pure=False) for kind in kinds for m in mapped),
                pure=False,
            )
            for j in range(self.parts)
        ]

    def _tree(self, futures: list[Future[T]], add: Callable[[T, T], T]) -> Future[T]:
        """Add up ``futures`` on the workers, two at a time."""
        while len(futures) > 1:
            pairs = itertools.zip_longest(futures[::2], futures[1::2])
            futures = [
                a if b is None else self.client.submit(add, a, b, pure=False) for a, b in pairs
            ]
        return futures[0]

    def _classes(self, rows: list[Future[Rows]], inputs: _Inputs) -> list[list[int]]:
        """Exact classes: paragraphs exchanged by fingerprint, in order of first member."""
        mapped = [
            self.client.submit(_digest_pieces, r, start, self.parts, pure=False)
            for r, start in zip(rows, inputs.offsets, strict=True)
        ]
        found: list[list[list[int]]] = self.client.gather(
            self._exchange(mapped, _class_lists, ["digest"])
        )
        return sorted((c for f in found for c in f), key=operator.itemgetter(0))

    def _candidates(
        self, rows: list[Future[Rows]], inputs: _Inputs, classes: list[list[int]]
    ) -> _Found:
        """Candidate pairs and dense buckets from LSH bands, small-set keys and containment.

        ``rows`` is emptied: the workers let each partition's rows go once they are cut.
        """
        submit = self.client.submit
        others = np.sort(np.array([m for c in classes for m in c[1:]], dtype=np.int64))
        mine = [
            others[slice(*np.searchsorted(others, [start, start + n]))]
            for start, n in zip(inputs.offsets, inputs.sizes, strict=True)
        ]
        sketch = self._tree([submit(_sketch, r, pure=False) for r in rows], _add)
        rules = _Rules(self.settings, self.keying, self.parts)
        mapped = [
            submit(_near_pieces, r, start, o, sketch, rules, pure=False)
            for r, start, o in zip(rows, inputs.offsets, mine, strict=True)
        ]
        bitmap = self._tree([submit(_piece, m, "filter", 0, pure=False) for m in mapped], _or)
        entries = [
            submit(_entry_pieces, r, start, o, bitmap, self.parts, self.settings.ngram, pure=False)
            for r, start, o in zip(rows, inputs.offsets, mine, strict=True)
        ]
        rows.clear()
        del sketch, bitmap
        ids = [submit(_piece, m, "ids", 0, pure=False) for m in mapped]
        n = len(mapped)
        band = [
            submit(
                _band_found,
                n,
                *ids,
                *(submit(_piece, m, "band", b, pure=False) for m in mapped),
                pure=False,
            )
            for b in range(self.params.bands)
        ]
        small = self._exchange(mapped, _small_found, ["small"])
        cont = [
            submit(
                _contained_found,
                n,
                *(submit(_piece, m, "prefix", j, pure=False) for m in mapped),
                *(submit(_piece, e, "entry", j, pure=False) for e in entries),
                pure=False,
            )
            for j in range(self.parts)
        ]
        del mapped, entries, ids
        lsh: list[Found] = self.client.gather(band)
        short: list[Found] = self.client.gather(small)
        held: list[tuple[I64, I64, list[I64]]] = self.client.gather(cont)
        pairs = codes_to_pairs(sorted_unique(np.concatenate([f[0] for f in short])))
        pairs |= codes_to_pairs(sorted_unique(np.concatenate([f[0] for f in lsh])))
        buckets = distinct_buckets([b for f in short for b in f[1]])
        buckets += distinct_buckets([b for f in lsh for b in f[1]])
        codes = candidates.shared_prefixes(
            np.concatenate([f[0] for f in held]), np.concatenate([f[1] for f in held])
        )
        return _Found(
            pairs, buckets, codes_to_pairs(codes), distinct_buckets([b for f in held for b in f[2]])
        )

    # ---- fetching and the report

    def _fetch(
        self, parts: list[Part], inputs: _Inputs, gids: set[int]
    ) -> dict[int, tuple[Paragraph, str]]:
        """Read the documents holding ``gids`` again, on the workers; return those
        paragraphs and their compare texts."""
        wanted = np.array(sorted(gids), dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(inputs.counts))).astype(np.int64)
        docs, first = np.unique(
            np.searchsorted(starts, wanted, side="right") - 1, return_index=True
        )
        bounds = [*first.tolist(), len(wanted)]
        part_of = np.searchsorted(inputs.doc_offsets, docs, side="right") - 1
        asked: dict[int, tuple[list[tuple[int, int, int]], list[list[int]]]] = {}
        for k, (d, i) in enumerate(zip(docs.tolist(), part_of.tolist(), strict=True)):
            doc = inputs.documents[d]
            where = d - inputs.doc_offsets[i] if doc.record is None else doc.record[1]
            held, positions = asked.setdefault(i, ([], []))
            held.append((d, where, inputs.counts[d]))
            positions.append((wanted[bounds[k] : bounds[k + 1]] - starts[d]).tolist())
        futures = [
            self.client.submit(
                _paragraphs,
                parts[i],
                self.options,
                self.settings.structure,
                held,
                positions,
                pure=False,
            )
            for i, (held, positions) in asked.items()
        ]
        out: dict[int, tuple[Paragraph, str]] = {}
        for found in self.client.gather(futures):
            out.update((int(starts[d]) + n, v) for (d, n), v in _unpacked(found).items())
        return out

    def _report(
        self,
        inputs: _Inputs,
        candidates: int,
        paragraphs: Mapping[int, Paragraph],
        texts: Mapping[int, str],
        groups: tuple[Group, ...] = (),
        review: tuple[Match, ...] = (),
    ) -> Report:
        """The report, holding the paragraphs it names (and their compare texts) only."""
        held: dict[int, dict[int, Paragraph]] = {}
        compare: dict[int, dict[int, str]] = {}
        for gid, p in paragraphs.items():
            held.setdefault(p.doc, {})[p.index - 1] = p
            compare.setdefault(p.doc, {})[p.index - 1] = texts[gid]
        return Report(
            settings=self.settings,
            documents=tuple(inputs.documents),
            paragraphs=tuple(Held(n, held.get(d, {})) for d, n in enumerate(inputs.counts)),
            groups=groups,
            review=review,
            lsh=self.params,
            candidates=candidates,
            compare=tuple(Held(n, compare.get(d, {})) for d, n in enumerate(inputs.counts)),
        )


def find_duplicates(
    files: Sequence[str],
    settings: Settings,
    client: Client,
    *,
    allow: AllowList | None = None,
    options: ReadOptions | None = None,
    block: int | None = None,
    notice: Callable[[str], None] | None = None,
) -> Report:
    """Find repeated paragraphs within and across ``files`` on the cluster of ``client``.

    The same report as ``dedup.find_duplicates`` on the same documents, except that the
    report's documents carry no text and its paragraphs are those it names (``Held``).
    ``files`` must be readable at the same path on every worker, and unchanged while the
    call runs (the partitions holding candidates are read twice). ``block`` is the
    partition size in bytes (default: a share of the input per worker). ``notice`` is told
    what reading JSONL files has to say (ids, skipped lines). Raises ``DedupError`` s.
    """
    run = _Run(client, settings, allow or AllowList(), options or ReadOptions(), notice or _drop)
    return run.run(files, block)


def _drop(message: str) -> None:
    del message
