"""The streaming engine: corpora in bounded memory, in two passes over the inputs.

Pass 1 reads the documents in order, in chunks, and segments, fingerprints, hashes and
signs them in worker processes (``dedup.core.prepare``). What stays in memory per paragraph
is a few numbers in numpy arrays (global id, 128-bit fingerprint, word and shingle
counts); the LSH band keys, the small-set keys and the shingle hashes that containment
needs go to a temporary folder (``dedup.engines.spill``). Candidates are then found one band
at a time (two at once on threads), and containment candidates one part of the hash range
at a time, exactly as the in-memory engine finds them (containment prefixes are ordered
by a count-min sketch of shingle counts instead of exact counts; any fixed order keeps
the filter exact). Between stages freed memory goes back to the system
(``dedup.engines.memory``). Pass 2 reads the inputs again (only the documents that hold a
candidate, when the source is ``Rereadable``: a JSONL corpus's other lines are not even
parsed) and keeps the compare text of only the paragraphs that take part in a
candidate, which ``group.decide`` verifies exactly, as every engine does. The report is
sparse: it holds those paragraphs, and each document's paragraph count.
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast, runtime_checkable

import numpy as np
import numpy.typing as npt
import xxhash

from dedup.core import candidates, index, sketch
from dedup.core.candidates import Keying
from dedup.core.group import Candidates, Verifier, decide
from dedup.core.models import Document, DocumentTable, LshParams, Paragraph, Report
from dedup.core.prepare import Compared, Progress, Stage, default_jobs, fingerprint
from dedup.core.settings import Settings
from dedup.engines.collector import relaxed
from dedup.engines.memory import release
from dedup.engines.pipeline import candidate_count, groups_of, review_of
from dedup.engines.spill import Spill
from dedup.errors import InputError
from dedup.text.allow import AllowList
from dedup.text.pieces import layout_pieces
from dedup.text.segment import (
    Found,
    Layout,
    compare_texts,
    laid_found,
    layout,
    piece_compare_texts,
    pieced_found,
    segment_some,
    text_pieces,
)
from dedup.text.structure import Structure

if TYPE_CHECKING:  # imported when a pool starts: a one-chunk run does without them
    from concurrent.futures import Future, ProcessPoolExecutor

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

#: Characters of text per unit of work sent to a worker.
CHUNK_CHARS = 1 << 20
#: Threads that find LSH pairs, one band each, at most (more cost memory for little time).
BAND_THREADS = 2
#: Below this many banded rows the bands are done on this thread (threads cost more).
THREAD_MIN_ROWS = 1 << 16
#: Shingle hashes handled per block between the passes.
BLOCK = 1 << 16
#: The small-set join runs in 2**_JOIN_BITS parts by key range.
_JOIN_BITS = 3
_JOIN_PARTS = 1 << _JOIN_BITS
#: The containment join runs in parts of about this many shingle entries (4 MiB of
#: (hash, row)), in at most 2**_PART_BITS parts (each part keeps two files open).
PART_ENTRIES = 1 << 19
_PART_BITS = 5

#: Documents, read in the same order every time it is called (once per pass).
DocumentSource = Callable[[], Iterable[Document]]


@runtime_checkable
class Rereadable(Protocol):
    """A ``DocumentSource`` that can read again only some documents (for the second pass)."""

    def __call__(self) -> Iterable[Document]: ...

    def reread(self, wanted: Sequence[int]) -> Iterable[tuple[int, Document]]:
        """Yield ``(number, document)`` for each wanted document number, ascending."""
        ...


@dataclass(frozen=True, slots=True)
class _Laid:
    """A piece of a long Markdown or HTML document, segmented already (``dedup.text.pieces``)."""

    compare: tuple[str, ...]
    chars: int


#: A unit of pass-1 work: a document's text and syntax, a piece of a long plain text
#: (``segment.text_pieces``) with how the whole text is read (one paragraph per line or
#: not), or the compared texts of a piece of a long Markdown or HTML document.
_Item = tuple[str, str, bool | None] | _Laid


@dataclass(frozen=True, slots=True)
class _Chunked:
    """A chunk of pass-1 work: the documents it starts and the items to prepare."""

    docs: list[Document]  # documents first seen in this chunk
    items: list[_Item]
    continues: list[bool]  # per item: a later piece of the document before it
    # per item: the layout record made here (a piece of a long Markdown or HTML document,
    # ``_framed``), or b"" (the worker records it, if it is recorded at all)
    records: list[bytes] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a worker needs to prepare a chunk (picklable)."""

    settings: Settings
    allow: AllowList
    params: LshParams
    keying: Keying
    permutations: tuple[U32, U32]  # datasketch's: workers sign without importing it


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A chunk's compact results; "rows" are its compared paragraphs, in order."""

    counts: I64  # paragraphs per item (document, or piece of one)
    chars: int
    position: I64  # per row: paragraph number within the chunk
    digests: U64  # per row: (2,) uint64 fingerprint
    words: I32
    sizes: I32  # distinct shingle hashes
    bands: U64  # (rows, bands)
    small_keys: U64
    small_rows: I64
    cont_rows: I64
    cont_sizes: I32
    cont_flat: U32
    layouts: list[bytes]  # per item: its document's layout (``_RECORDED``), or b""


#: Syntaxes whose layout pass 1 keeps on disk for pass 2: parsing them costs far more than
#: reading the layout back (plain text is segmented again: it is cheap, and a corpus has
#: a lot of it).
_RECORDED = frozenset({"markdown", "rst", "html"})


def _digest(text: str) -> bytes:
    """Return a digest of ``text``, encoded a slice at a time (a long text is not copied)."""
    h = xxhash.xxh3_128()
    for at in range(0, len(text), 1 << 20):
        h.update(text[at : at + (1 << 20)].encode("utf-8", "surrogatepass"))
    return h.digest()


#: What the layout record of a document read in pieces starts with; then frames (an
#: 8-byte length and a marshalled value): the text's digest, then each piece's layout.
_PIECED = b"\x00pieces\x00"


def _framed(value: bytes | tuple[tuple[int, ...], tuple[str, ...]]) -> bytes:
    data = marshal.dumps(value)
    return len(data).to_bytes(8, "little") + data


def _piece_layouts(spill: Spill, at: int, end: int, text: str) -> Iterator[Layout] | None:
    """Return the piece layouts recorded at ``at``..``end`` of "layouts", one frame read at
    a time, or None if they are not a pieced record of ``text``."""
    first = _pieced_record(spill, at, end, text)
    if first is None:
        return None

    def read(start: int, count: int) -> bytes:
        return spill.read("layouts", np.uint8, start, count).tobytes()

    def frames(at: int) -> Iterator[Layout]:
        while at < end:
            size = int.from_bytes(read(at, 8), "little")
            spans, compare = marshal.loads(read(at + 8, size))
            yield Layout(spans, compare, frozenset())
            at += 8 + size

    return frames(first)


def _pieced_record(spill: Spill, at: int, end: int, text: str) -> int | None:
    """Return where the frames after the digest start, if ``at``..``end`` of "layouts" is
    the record of ``text`` read in pieces (``_PIECED``), else None."""
    if end - at < len(_PIECED) + 8:
        return None

    def read(start: int, count: int) -> bytes:
        return spill.read("layouts", np.uint8, start, count).tobytes()

    if read(at, len(_PIECED)) != _PIECED:
        return None
    at += len(_PIECED)
    size = int.from_bytes(read(at, 8), "little")
    if marshal.loads(read(at + 8, size)) != _digest(text):
        return None
    return at + 8 + size


def _packed(text: str, found: Layout) -> bytes:
    """Return a document's layout as bytes, with a digest of the text it describes."""
    return marshal.dumps((_digest(text), found.spans, found.compare, sorted(found.ignored)))


def _unpacked(record: bytes, text: str) -> Layout | None:
    """Return the layout ``_packed`` packed, or None if ``text`` is not the text it was of."""
    digest, spans, compare, ignored = marshal.loads(record)
    if digest != _digest(text):
        return None
    return Layout(spans, compare, frozenset(ignored))


def _work(plan: _Plan, docs: list[_Item]) -> _Chunk:
    """Prepare a chunk of items (documents or pieces of one): cheap to send to a worker."""
    s = plan.settings
    counts: list[int] = []
    texts: list[str] = []
    ignored: set[int] = set()
    layouts: list[bytes] = []
    for item in docs:
        if isinstance(item, _Laid):
            doc_texts, doc_ignored, packed = item.compare, frozenset[int](), b""
        else:
            doc_texts, doc_ignored, packed = _segment_item(item, s.structure)
        layouts.append(packed)
        ignored.update(len(texts) + i for i in doc_ignored)
        texts.extend(doc_texts)
        counts.append(len(doc_texts))
    # The whole chunk's paragraphs are tokenised and fingerprinted in one batch.
    all_digests, all_words, compared = fingerprint(texts, ignored, s, plan.allow)
    position = [i for i, d in enumerate(all_digests) if d is not None]
    digests = [d for d in all_digests if d is not None]
    words = [all_words[i] for i in position]
    word_arr = np.asarray(words, dtype=np.int32)
    parts = [
        _sketched(plan, compared.rows(i, i + ROWS_PER_STEP), word_arr[i : i + ROWS_PER_STEP])
        for i in _steps(len(compared))
    ]
    sizes = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, dtype=np.int32)
    small_keys, small_rows, cont_flat = [], [], []
    for i, (_, _, keys, owners, flat) in zip(_steps(len(compared)), parts, strict=True):
        small_keys.append(keys)
        small_rows.append(owners + i)
        cont_flat.append(flat)
    cont = np.flatnonzero(plan.keying.contained(word_arr))
    return _Chunk(
        counts=np.asarray(counts, dtype=np.int64),
        chars=sum(item.chars if isinstance(item, _Laid) else len(item[0]) for item in docs),
        position=np.asarray(position, dtype=np.int64),
        digests=np.frombuffer(b"".join(digests), dtype=np.uint64).reshape(-1, 2),
        words=word_arr,
        sizes=sizes,
        bands=(
            np.concatenate([p[1] for p in parts])
            if parts
            else np.empty((0, plan.params.bands), dtype=np.uint64)
        ),
        small_keys=_joined(small_keys, np.empty(0, dtype=np.uint64)),
        small_rows=_joined(small_rows, np.empty(0, dtype=np.int64)),
        cont_rows=cont.astype(np.int64),
        cont_sizes=sizes[cont],
        cont_flat=_joined(cont_flat, np.empty(0, dtype=np.uint32)),
        layouts=layouts,
    )


def _segment_item(
    item: tuple[str, str, bool | None], rules: Structure
) -> tuple[tuple[str, ...], frozenset[int], bytes]:
    """Return an item's compared texts, ignored positions and packed layout (or b"")."""
    text, syntax, one_each = item
    if one_each is not None:
        return piece_compare_texts(text, one_each, rules), frozenset(), b""
    if syntax in _RECORDED:
        found = layout(Document("", text, syntax=syntax), rules=rules)
        return found.compare, found.ignored, _packed(text, found)
    texts, ignored = compare_texts(Document("", text, syntax=syntax), rules=rules)
    return texts, ignored, b""


#: Paragraphs sketched per step within a chunk: one file of millions of short lines is one
#: chunk, and its signatures (num_perm x 4 bytes a paragraph) are made a step at a time.
ROWS_PER_STEP = 1 << 16


def _steps(rows: int) -> range:
    return range(0, rows, ROWS_PER_STEP)


def _sketched(plan: _Plan, compared: Compared, words: I32) -> tuple[I32, U64, U64, I64, U32]:
    """Sketch one step of rows: shingle-set sizes, band keys, small-set keys and their
    rows (within the step), and the shingle hashes of the rows compared for containment.

    Only the rows that can be banded (``Keying.banded``: more shingles than the small-set
    keys cover, or long enough to review) are signed; the others' band keys are 0 and
    never read (a file of short lines is mostly such rows).
    """
    s = plan.settings
    hashes = compared.shingle_hashes(s.ngram)
    sizes = np.fromiter(map(len, hashes), dtype=np.int32, count=len(hashes))
    bandable = np.flatnonzero(plan.keying.banded(sizes, words))
    bands = np.zeros((len(hashes), plan.params.bands), dtype=np.uint64)
    if len(bandable):
        signatures = sketch.sign_with([hashes[j] for j in bandable], *plan.permutations)
        bands[bandable] = candidates.band_keys(signatures, plan.params)
    small = np.flatnonzero(plan.keying.small(sizes))
    keys, owners = candidates.small_set_keys([hashes[j] for j in small], s.threshold)
    cont = np.flatnonzero(plan.keying.contained(words))
    return (
        sizes,
        bands,
        keys,
        small.astype(np.int64)[owners],
        np.concatenate([hashes[j] for j in cont]) if len(cont) else np.empty(0, np.uint32),
    )


def _chunks(docs: Iterable[Document], rules: Structure) -> Iterator[_Chunked]:
    """Group documents into chunks of about ``CHUNK_CHARS``; a long plain text is cut into
    pieces (``segment.text_pieces``) that go into chunks of their own, and so is a long
    Markdown or HTML document, segmented here a piece at a time (``dedup.text.pieces``)."""
    chunk = _Chunked([], [], [])
    size = 0
    for doc in docs:
        laid = layout_pieces(doc, rules) if doc.syntax in _LAID else None
        if laid is not None:
            if chunk.items:
                yield chunk
                chunk, size = _Chunked([], [], []), 0
            head = _PIECED + _framed(_digest(doc.text))
            for n, piece in enumerate(laid):
                item = _Laid(piece.layout.compare, piece.chars)
                record = _framed((piece.layout.spans, piece.layout.compare))
                yield _Chunked(
                    [doc] if n == 0 else [], [item], [n > 0], [head + record if n == 0 else record]
                )
            continue
        pieces = text_pieces(doc.text) if doc.syntax not in _WHOLE else None
        if pieces is None:
            chunk.docs.append(doc)
            chunk.items.append((doc.text, doc.syntax, None))
            chunk.continues.append(False)
            size += len(doc.text)
            if size >= CHUNK_CHARS:
                yield chunk
                chunk, size = _Chunked([], [], []), 0
            continue
        if chunk.items:
            yield chunk
        # The text's digest, so that the second pass may trust the counts of the pieces
        # (``_Collected.piece_counts``) and segment only those it needs.
        head = _PIECED + _framed(_digest(doc.text))
        for n, (lo, hi) in enumerate(pieces.spans(len(doc.text))):
            text = doc.text[lo:hi]
            yield _Chunked(
                [doc] if n == 0 else [],
                [(text, doc.syntax, pieces.one_each)],
                [n > 0],
                [head if n == 0 else b""],
            )
        chunk, size = _Chunked([], [], []), 0
    if chunk.items:
        yield chunk


#: Syntaxes whose documents are never cut like plain text (parsed as a whole: Markdown,
#: HTML, rst); a long Markdown or HTML document is cut by ``dedup.text.pieces`` (``_LAID``),
#: reStructuredText never (docutils reads a document as a whole).
_WHOLE = frozenset({"markdown", "html", "rst"})
_LAID = frozenset({"markdown", "html"})


class _Collected:
    """Everything pass 1 keeps: per-document and per-row arrays, the rest spilled."""

    def __init__(self, spill: Spill, bands: int) -> None:
        self.spill = spill
        self.bands = bands
        self.stubs = DocumentTable()
        self.counts: list[I64] = []
        self.gid: list[I64] = []
        self.digests: list[U64] = []
        self.words: list[I32] = []
        self.sizes: list[I32] = []
        self.cont_rows: list[I64] = []
        self.cont_sizes: list[I32] = []
        self.paragraphs = 0
        self.rows = 0
        # Document d's packed layout is bytes layout_at[d]..layout_at[d + 1] of "layouts"
        # (none when they are equal).
        self.layout_at = array("q", [0])
        # The paragraphs of each piece of each document read in pieces, by document.
        self.piece_counts: dict[int, list[int]] = {}
        self._first = 0  # paragraphs in the first item of the last document begun

    def add(self, chunk: _Chunk, continues: list[bool], records: list[bytes]) -> None:
        counts: list[int] = []
        made = records or [b""] * len(continues)
        for n, more, packed, record in zip(
            chunk.counts.tolist(), continues, chunk.layouts, made, strict=True
        ):
            packed = packed or record
            if packed:
                self.spill.append("layouts", np.frombuffer(packed, dtype=np.uint8))
            if not more:
                self.layout_at.append(self.layout_at[-1] + len(packed))
                counts.append(n)
                self._first = n
                continue
            self.layout_at[-1] += len(packed)  # a later piece of the last document
            self.piece_counts.setdefault(len(self.layout_at) - 2, [self._first]).append(n)
            if counts:
                counts[-1] += n
            else:  # the next piece of the last document of an earlier chunk
                last = next(c for c in reversed(self.counts) if len(c))
                last[-1] += n
        self.counts.append(np.asarray(counts, dtype=np.int64))
        self.gid.append(chunk.position + self.paragraphs)
        self.digests.append(chunk.digests)
        self.words.append(chunk.words)
        self.sizes.append(chunk.sizes)
        for band in range(self.bands):
            self.spill.append(f"band{band}", chunk.bands[:, band])
        self.spill.append("small_keys", chunk.small_keys)
        self.spill.append("small_rows", chunk.small_rows + self.rows)
        self.cont_rows.append(chunk.cont_rows + self.rows)
        self.cont_sizes.append(chunk.cont_sizes)
        self.spill.append("cont", chunk.cont_flat)
        self.paragraphs += int(chunk.counts.sum())
        self.rows += len(chunk.position)


def _pass1(
    chunks: Iterable[_Chunked],
    plan: _Plan,
    collected: _Collected,
    pool: ProcessPoolExecutor | None,
    jobs: int,
    progress: Progress | None,
) -> None:
    def take(chunk: _Chunk, continues: list[bool], records: list[bytes]) -> None:
        collected.add(chunk, continues, records)
        if progress is not None:
            progress(chunk.chars, int(chunk.counts.sum()))

    if pool is None:
        for c in chunks:
            collected.stubs.extend(c.docs)
            take(_work(plan, c.items), c.continues, c.records)
        return
    window: deque[tuple[Future[_Chunk], list[bool], list[bytes]]] = deque()
    for c in chunks:
        collected.stubs.extend(c.docs)
        window.append((pool.submit(_work, plan, c.items), c.continues, c.records))
        while len(window) > 2 * jobs:  # bounded: never more than this many chunks held
            future, continues, records = window.popleft()
            take(future.result(), continues, records)
    while window:
        future, continues, records = window.popleft()
        take(future.result(), continues, records)


def _parameters(settings: Settings) -> tuple[LshParams, tuple[U32, U32]]:
    return (
        index.lsh_params(settings.candidate_threshold, settings.num_perm),
        sketch.permutations(settings.num_perm, settings.seed),
    )


def _can_fork() -> bool:
    """Return whether worker processes can be forked (imported only for a multi-chunk run)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def _workers(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """Give a pool of ``jobs`` forked workers, running, or None (one job) for this process.

    They end when the block does. Imported here: a one-chunk run never starts a pool.
    """
    if jobs <= 1:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("fork")
    ) as pool:
        for started in [pool.submit(int) for _ in range(jobs)]:  # fork them all now
            started.result()
        yield pool


Array = TypeVar("Array", bound=np.ndarray[Any, Any])


def _joined(parts: list[Array], empty: Array) -> Array:
    """Return ``parts`` concatenated, and empty the list so the pieces can be freed."""
    out = cast(Array, np.concatenate(parts)) if parts else empty
    parts.clear()
    return out


def _lsh_pairs(
    spill: Spill, bands: int, eligible: npt.NDArray[np.bool_], gid: I64, jobs: int
) -> tuple[set[tuple[int, int]], list[list[int]]]:
    """Return the LSH candidate pairs and dense buckets (``candidates.pairs_and_buckets``)."""
    rows = np.flatnonzero(eligible)
    if len(rows) < 2:
        return set(), []
    ids = gid[rows]

    def band_pairs(band: int) -> tuple[I64, list[I64]]:
        keys = spill.read(f"band{band}", np.uint64)[rows]
        spill.drop(f"band{band}")  # read once: its disk space is not needed any more
        local, dense = candidates.pairs_and_buckets(keys, candidates.DENSE)
        codes = candidates.sorted_unique((ids[local >> 32] << 32) | ids[local & 0xFFFFFFFF])
        return codes, [ids[b] for b in dense]

    if jobs <= 1 or len(rows) < THREAD_MIN_ROWS:
        found = [band_pairs(band) for band in range(bands)]
    else:
        from concurrent.futures import ThreadPoolExecutor

        # numpy's sorts let go of the GIL: bands are done on threads, results in order.
        # Each thread holds a band (about 17 bytes per row at its peak): two at most.
        with ThreadPoolExecutor(max_workers=min(jobs, BAND_THREADS)) as threads:
            found = list(threads.map(band_pairs, range(bands)))
    pairs = candidates.codes_to_pairs(
        candidates.sorted_unique(np.concatenate([f[0] for f in found]))
    )
    return pairs, candidates.distinct_buckets([b for f in found for b in f[1]])


def _small_pairs(
    spill: Spill, eligible: npt.NDArray[np.bool_], gid: I64
) -> tuple[set[tuple[int, int]], list[list[int]]]:
    """Return the small-set candidate pairs and dense buckets."""
    keys = spill.read("small_keys", np.uint64)
    rows = spill.read("small_rows", np.int64)
    spill.drop("small_keys")
    spill.drop("small_rows")
    take = eligible[rows]
    keys, rows = keys[take], rows[take]
    found: list[I64] = []
    dense: list[I64] = []
    part_of = keys >> np.uint64(64 - _JOIN_BITS)  # by key range: equal keys, same part
    for part in range(_JOIN_PARTS):
        here = part_of == part
        codes, buckets = candidates.pairs_and_buckets_sharing_keys(
            keys[here], gid[rows[here]], candidates.DENSE
        )
        found.append(codes)
        dense.extend(buckets)
    pairs = candidates.codes_to_pairs(candidates.sorted_unique(np.concatenate(found)))
    return pairs, candidates.distinct_buckets(dense)


def _containment_pairs(
    c: _Collected, rep: npt.NDArray[np.bool_], gid: I64, bounds: I64, threshold: float
) -> tuple[set[tuple[int, int]], list[list[int]]]:
    """Exact containment candidates, over the spilled shingle hashes, by parts of hash range.

    One pass over the blocks of spilled hashes splits two lists by hash range into
    ``parts``: each set's prefix entries and every entry of the eligible sets, both as
    (hash, row). A pair is found by the hashes it shares, so each part is joined alone,
    and only one part's entries are in memory at a time. ``bounds`` are every row's
    ``candidates.shingle_bound``.
    """
    cont_rows = _joined(c.cont_rows, np.empty(0, dtype=np.int64))
    sizes = _joined(c.cont_sizes, np.empty(0, dtype=np.int32)).astype(np.int64)
    if len(cont_rows) < 2:
        return set(), []
    eligible = rep[cont_rows]
    bound = np.maximum(bounds[cont_rows], sizes)
    need = candidates.overlap(sizes, bound, threshold).astype(np.int8)  # 1 or 2
    bound = bound.astype(np.int32)  # held per compared set until the join: kept small
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    counted = _count_sketch(c.spill, int(offsets[-1]))
    bits = min(max(int(offsets[-1] // PART_ENTRIES).bit_length(), 1), _PART_BITS)
    first = 0
    while first < len(sizes):
        last = int(np.searchsorted(offsets, offsets[first] + BLOCK, side="right")) - 1
        last = min(max(last, first + 1), len(sizes))
        lo, hi = int(offsets[first]), int(offsets[last])
        flat = c.spill.read("cont", np.uint32, lo, hi - lo)
        rarity = candidates.sketched_rarity(counted, flat)  # this engine's prefix order
        p_hash, p_pos, _, _ = candidates.containment_prefixes(
            flat, sizes[first:last], bound[first:last], rarity, threshold
        )
        keep = eligible[first + p_pos]
        _spill_parts(c.spill, "prefix", _pack(p_hash[keep], first + p_pos[keep]), bits)
        row = np.repeat(np.arange(first, last, dtype=np.int64), sizes[first:last])
        held = eligible[row]
        _spill_parts(c.spill, "entry", _pack(flat[held], row[held]), bits)
        first = last
    c.spill.drop("cont")

    def prefixes(hashes: U32, rows: U32) -> candidates.PrefixEntries:
        return hashes, gid[cont_rows[rows]], sizes[rows], need[rows]

    def entries(hashes: U32, rows: U32) -> candidates.HeldEntries:
        return hashes, gid[cont_rows[rows]], bound[rows]

    dense: list[I64] = []

    def part_matches(part: int) -> tuple[I64, I64]:
        prefix, held_by = _part_join(c.spill, part)
        if prefix is None or held_by is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        codes, needs, buckets = candidates.prefix_join(
            prefixes(*prefix), entries(*held_by), candidates.DENSE
        )
        dense.extend(buckets)
        return codes, needs

    # One part at a time: joined on two threads, it took 1 s less and 36 MiB more at 1.3M.
    matches = [part_matches(part) for part in range(1 << bits)]
    codes = np.concatenate([m[0] for m in matches])
    needs = np.concatenate([m[1] for m in matches])
    pairs = candidates.codes_to_pairs(candidates.shared_prefixes(codes, needs))
    return pairs, candidates.distinct_buckets(dense)


#: Spilled shingle hashes counted per block for the count sketch (``_count_sketch``).
SKETCH_BLOCK = 1 << 18


def _count_sketch(spill: Spill, total: int) -> U32:
    """Return the count sketch of the ``total`` spilled shingle hashes of "cont", counted a
    block at a time (counted in pass 1, a chunk at a time, it cost the main process more
    on a large corpus, and the sketch was held through pass 1). Blocks stay small: the
    sorting's temporary arrays add to the peak memory (a million hashes: 12 MiB more; one
    ``bincount`` of all 4M counters: 32 MiB more)."""
    sketch = np.zeros(1 << candidates.SKETCH_BITS, dtype=np.uint32)
    for lo in range(0, total, SKETCH_BLOCK):
        candidates.count_sketch(spill.read("cont", np.uint32, lo, SKETCH_BLOCK), sketch)
    return sketch


def _spill_parts(spill: Spill, name: str, packed: U64, bits: int) -> None:
    """Append (hash, row) entries to ``name0``, ``name1``, ... by the top ``bits`` of hash."""
    packed.sort()
    tops = np.arange(1, 1 << bits, dtype=np.uint64) << np.uint64(64 - bits)
    bounds = [0, *np.searchsorted(packed, tops).tolist(), len(packed)]
    for part, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        if hi > lo:
            spill.append(f"{name}{part}", packed[lo:hi])


def _part_join(spill: Spill, part: int) -> tuple[tuple[U32, U32] | None, tuple[U32, U32] | None]:
    """Return one part's prefix entries and the entries holding their hashes, as (hash, row).

    A hash that only its own set holds matches nothing (most prefix hashes, in a big
    corpus), so both lists keep only the hashes that two eligible sets hold.
    """
    prefix = spill.read(f"prefix{part}", np.uint64)
    spill.drop(f"prefix{part}")
    entry = spill.read(f"entry{part}", np.uint64)
    spill.drop(f"entry{part}")
    if len(prefix) == 0 or len(entry) == 0:
        return None, None
    prefix.sort()
    p_hash, p_row = _unpack(prefix)
    del prefix
    first = candidates.starts_run(p_hash)
    wanted = p_hash[first]
    p_at = np.cumsum(first) - 1  # each prefix entry's place in ``wanted``
    del first
    e_hash = (entry >> np.uint64(32)).astype(np.uint32)  # the hash half only
    entry = entry[index.HashFilter(wanted).may_hold(e_hash)]
    del e_hash
    entry.sort()
    e_hash, e_row = _unpack(entry)
    del entry
    # A hash two entries hold is a run of the sorted entries: only those runs' hashes are
    # looked up among the prefix hashes (one lookup per hash, not per entry).
    starts = np.flatnonzero(candidates.starts_run(e_hash))
    lengths = np.diff(starts, append=len(e_hash))
    runs = np.flatnonzero(lengths > 1)
    held = e_hash[starts[runs]]
    at = np.minimum(np.searchsorted(wanted, held), len(wanted) - 1)
    hit = wanted[at] == held
    if not hit.any():
        return None, None
    shared = np.zeros(len(wanted), dtype=bool)
    shared[at[hit]] = True
    p_keep = shared[p_at]
    run_keep = np.zeros(len(starts), dtype=bool)
    run_keep[runs[hit]] = True
    e_keep = np.repeat(run_keep, lengths)
    return (p_hash[p_keep], p_row[p_keep]), (e_hash[e_keep], e_row[e_keep])


def _pack(high: U32, low: npt.NDArray[np.integer[Any]]) -> U64:
    """Return ``high * 2**32 + low`` as uint64 (``low`` below 2**32)."""
    packed = high.astype(np.uint64)
    packed <<= np.uint64(32)
    packed |= low.astype(np.uint64)
    return packed


def _unpack(packed: U64) -> tuple[U32, U32]:
    """Return the high and the low 32 bits of ``packed``."""
    return (packed >> np.uint64(32)).astype(np.uint32), packed.astype(np.uint32)


def _pass2(
    source: DocumentSource, starts: I64, involved: I64, rules: Structure, c: _Collected
) -> tuple[dict[int, Paragraph], dict[int, str]]:
    """Read the inputs again; keep the paragraphs (and compare texts) of ``involved`` ids.

    A document whose layout pass 1 kept (``_RECORDED``) is not parsed again: its paragraphs
    are rebuilt from the layout, unless its text changed since (then it is parsed anew).
    """
    paragraphs: dict[int, Paragraph] = {}
    texts: dict[int, str] = {}
    if len(involved) == 0:
        return paragraphs, texts
    docs = candidates.sorted_unique(
        np.searchsorted(starts, involved, side="right") - 1
    )  # their documents
    if isinstance(source, Rereadable):
        wanted: Iterable[tuple[int, Document]] = source.reread(docs.tolist())
    else:
        wanted = _only(enumerate(source()), int(docs[-1]))
    for d, doc in wanted:
        lo, hi = np.searchsorted(involved, starts[d : d + 2])
        if hi <= lo:
            continue
        at, end = c.layout_at[d], c.layout_at[d + 1]
        pieces = text_pieces(doc.text) if doc.syntax not in _WHOLE else None
        laid = layout_pieces(doc, rules) if doc.syntax in _LAID else None
        if pieces is not None or laid is not None:  # a piece at a time, as pass 1 read it
            first = int(starts[d])
            want = {g - first + 1 for g in involved[lo:hi].tolist()}  # paragraph numbers
            found: Iterator[Found] = iter(())
            if laid is not None:
                layouts = _piece_layouts(c.spill, at, end, doc.text)
                if layouts is None:  # not recorded as read in pieces: read anew
                    layouts = (piece.layout for piece in laid)
                found = laid_found(doc, layouts, d, None, want)
            elif pieces is not None:
                trusted = _pieced_record(c.spill, at, end, doc.text) is not None
                counts = c.piece_counts.get(d) if trusted else None
                found = pieced_found(doc, d, pieces, rules, want, counts)
            count = 0
            for part in found:
                count += part.count
                for paragraph, compare in part.paragraphs:
                    paragraphs[first + paragraph.index - 1] = paragraph
                    texts[first + paragraph.index - 1] = compare
            if count != starts[d + 1] - starts[d]:
                raise InputError(doc.path, "changed while it was being read")
            continue
        record = c.spill.read("layouts", np.uint8, at, end - at).tobytes() if end > at else b""
        kept = _unpacked(record, doc.text) if record else None
        first = int(starts[d])
        want = {g - first + 1 for g in involved[lo:hi].tolist()}  # paragraph numbers
        some = segment_some(doc, want, d, rules=rules, layout=kept)  # only those are built
        if some.count != starts[d + 1] - starts[d]:
            raise InputError(doc.path, "changed while it was being read")
        for paragraph, compare in some.paragraphs:
            paragraphs[first + paragraph.index - 1] = paragraph
            texts[first + paragraph.index - 1] = compare
    if len(paragraphs) != len(involved):
        raise InputError("input", "changed while it was being read (documents went missing)")
    return paragraphs, texts


def _only(docs: Iterable[tuple[int, Document]], last: int) -> Iterator[tuple[int, Document]]:
    for d, doc in docs:
        yield d, doc
        if d == last:
            break


def find_duplicates_streaming(
    source: DocumentSource,
    settings: Settings | None = None,
    *,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    workdir: str | None = None,
    stage: Stage | None = None,
) -> Report:
    """Return what ``pipeline.find_duplicates`` returns, reading ``source`` twice.

    Memory holds a few numbers per paragraph and the text of the paragraphs that are
    candidates; everything else is on disk in ``workdir`` (default: the system's
    temporary folder; a small input stays in memory, see ``Spill``) while the call runs.
    The report is sparse (see ``Report``). The garbage collector runs rarely while the
    call lasts (``collector.relaxed``).
    """
    with relaxed():
        return _find(source, settings or Settings(), allow, jobs, progress, workdir, stage)


def _find(
    source: DocumentSource,
    s: Settings,
    allow: AllowList | None,
    jobs: int | None,
    progress: Progress | None,
    workdir: str | None,
    stage: Stage | None,
) -> Report:
    workers = default_jobs() if jobs is None else jobs
    chunks = _chunks(source(), s.structure)
    started = list(itertools.islice(chunks, 2))
    # Workers only for more than one chunk: a single article never starts them.
    parallel = workers > 1 and len(started) > 1 and _can_fork()
    params, permutations = _parameters(s)
    with Spill(workdir) as spill:
        with _workers(workers if parallel else 1) as pool:
            keying = Keying(s.threshold, s.review_min_words)
            plan = _Plan(s, allow or AllowList(), params, keying, permutations)
            c = _Collected(spill, params.bands)
            _pass1(itertools.chain(started, chunks), plan, c, pool, workers, progress)
        if stage is not None:
            stage("comparing")
        release()
        counts = _joined(c.counts, np.empty(0, dtype=np.int64))
        if c.paragraphs >= 1 << 32:
            raise InputError("input", "more than 4,294,967,295 paragraphs in one run")
        gid = _joined(c.gid, np.empty(0, dtype=np.int64))
        words = _joined(c.words, np.empty(0, dtype=np.int32))
        sizes = _joined(c.sizes, np.empty(0, dtype=np.int32))
        digests = _joined(c.digests, np.empty((0, 2), dtype=np.uint64))
        classes, rep = candidates.fingerprint_classes(digests, gid)
        release()
        banded = rep & keying.banded(sizes, words)
        pairs, buckets = _small_pairs(spill, rep & keying.small(sizes), gid)
        more, dense = _lsh_pairs(spill, params.bands, banded, gid, workers)
        pairs |= more
        buckets += dense
        release()
        bounds = candidates.shingle_bound(words, s.ngram)
        contained, contained_buckets = _containment_pairs(c, rep, gid, bounds, s.containment)
        release()
        ids = {g for members in classes for g in members}
        ids.update(g for pair in pairs for g in pair)
        ids.update(g for pair in contained for g in pair)
        ids.update(g for bucket in buckets for g in bucket)
        ids.update(g for bucket in contained_buckets for g in bucket)
        involved = np.array(sorted(ids), dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        paragraphs, texts = _pass2(source, starts, involved, s.structure, c)
    decision = decide(
        Candidates(classes, pairs, contained, buckets, contained_buckets), Verifier(texts, s)
    )
    release()
    per_doc: dict[int, list[Paragraph]] = {}
    for g in involved:
        p = paragraphs[int(g)]
        per_doc.setdefault(p.doc, []).append(p)
    report = Report(
        settings=s,
        documents=c.stubs,
        paragraphs=tuple(tuple(per_doc.get(d, ())) for d in range(len(c.stubs))),
        groups=groups_of(decision.removals, paragraphs.__getitem__),
        review=tuple(review_of(decision.review, paragraphs.__getitem__)),
        lsh=params,
        candidates=candidate_count(pairs, buckets),
        counts=array("q", counts.tobytes()),
        compare_map={(p.doc, p.index): texts[g] for g, p in paragraphs.items()},
    )
    release()
    return report
