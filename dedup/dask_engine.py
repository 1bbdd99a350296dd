"""The Dask engine: the local engine's algorithm, partitioned over a Dask cluster.

What runs where:

- **Workers** read their partitions themselves (``dedup.partition``: runs of text files,
  byte ranges of uncompressed JSONL files, whole compressed ones), then segment, tokenise,
  fingerprint, hash and sign every document with ``dedup.prepare.prepare``, exactly as the
  local engine does, and keep the result in their memory until the run ends.
- **Shuffles** (``dask.dataframe``, peer-to-peer) group compact rows by key: paragraph
  fingerprints (exact repeats), LSH band keys ``(band, key)`` of the representatives,
  deletion-neighbourhood cores of short ones, and shingle hashes for the containment
  prefix filter (shingle frequencies, each paragraph's rarest shingles, their postings).
  Candidate pairs are formed inside each shuffled partition.
- **The client** lists the files, plans the partitions, gathers per-partition counts (to
  number paragraphs globally in input order, as the local engine does), the exact classes
  and the candidate pairs, then fetches only the compare texts of the paragraphs in them
  and runs ``dedup.group.decide``: exact verification, connected components, keep
  policy. The report is built with ``pipeline.groups_of``/``review_of`` from the
  paragraphs it names; the documents' texts stay on the workers.

Identity with the local engine: the same per-document code, the same global paragraph
ids, the same representatives (first of each fingerprint), the same candidate pairs
(equal LSH band keys per band, equal small-set cores, compared exactly, not hashed
further), containment candidates from the same frequency-ordered prefixes, and the
same ``decide``.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar, overload

import dask
import dask.dataframe as dd
import numpy as np
import numpy.typing as npt
import pandas as pd

from dedup import index, partition, sketch
from dedup.allow import AllowList
from dedup.errors import InputError
from dedup.group import Candidates, Verifier, decide
from dedup.jsonl import JsonlFile, RecordError, skipped_message
from dedup.models import Document, Group, LshParams, Match, Paragraph, Report
from dedup.partition import Layout, Part, ReadOptions, Source
from dedup.pipeline import gc_paused, groups_of, review_of
from dedup.prepare import prepare
from dedup.settings import Settings

if TYPE_CHECKING:
    from distributed import Client, Future

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
T = TypeVar("T")

#: Partitions are cut to about this share of the input per worker (at least this many each).
PARTS_PER_WORKER = 4
#: Smallest automatic partition size (bytes); tests pass smaller ones to cut more.
MIN_BLOCK = 256 * 2**10

_DIGESTS = {"hi": np.uint64, "lo": np.uint64, "gid": np.int64}
_BANDS = {"band": np.int16, "key": np.uint64, "gid": np.int64}
_CORES = {"core": str, "gid": np.int64}
_SHINGLES = {"shingle": np.uint32, "owner": np.int64, "length": np.int64}
_FREQS = {"shingle": np.uint32, "owner": np.int64, "length": np.int64, "freq": np.int64}
_CLASSES = {"rep": np.int64, "member": np.int64}
_PAIRS = {"a": np.int64, "b": np.int64}


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


@dataclass
class Loaded:
    """One partition read and prepared on a worker; it stays there for the whole run.

    Documents are kept without their text once prepared (their paragraphs hold it).

    Arrays are per compared paragraph (fingerprinted, in order): ``pos`` is the
    paragraph's position among all the partition's paragraphs.
    """

    documents: list[Document]
    errors: list[RecordError]
    missing_ids: int
    error: InputError | None
    paragraphs: list[tuple[Paragraph, ...]] = field(default_factory=list)
    compare: list[tuple[str, ...]] = field(default_factory=list)
    counts: I64 = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pos: I64 = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    hi: U64 = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    lo: U64 = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    words: I64 = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    hashes: list[sketch.U32] = field(default_factory=list)
    keys: U64 = field(default_factory=lambda: np.zeros((0, 0), dtype=np.uint64))


@dataclass(frozen=True, slots=True)
class Summary:
    """What the client needs of a loaded partition: documents without text, counts, errors."""

    documents: tuple[Document, ...]
    counts: tuple[int, ...]
    errors: tuple[RecordError, ...]
    missing_ids: int
    error: InputError | None


def _load(
    part: Part, options: ReadOptions, settings: Settings, allow: AllowList, params: LshParams
) -> Loaded:
    """Read one partition and prepare every document in it (runs on a worker)."""
    with gc_paused():
        return _load_part(part, options, settings, allow, params)


def _load_part(
    part: Part, options: ReadOptions, settings: Settings, allow: AllowList, params: LshParams
) -> Loaded:
    piece = partition.read(part, options)
    out = Loaded(piece.documents, piece.errors, piece.missing_ids, piece.error)
    if piece.error is not None:
        return out
    pos: list[int] = []
    digests: list[bytes] = []
    words: list[int] = []
    sigs: list[sketch.U32] = []
    counts: list[int] = []
    base = 0
    for i, doc in enumerate(piece.documents):
        prep = prepare(doc, i, settings, allow)
        seg = prep.segmented
        out.paragraphs.append(seg.paragraphs)
        out.compare.append(seg.compare)
        counts.append(len(seg.paragraphs))
        for n, (digest, w) in enumerate(zip(prep.digests, prep.words, strict=True)):
            if digest is not None:
                pos.append(base + n)
                digests.append(digest)
                words.append(w)
        out.hashes.extend(prep.hashes)
        sigs.append(prep.signatures)
        base += len(seg.paragraphs)
    raw = np.frombuffer(b"".join(digests), dtype=">u8").reshape(-1, 2)
    out.counts = np.asarray(counts, dtype=np.int64)
    out.pos = np.asarray(pos, dtype=np.int64)
    out.hi = raw[:, 0].astype(np.uint64)
    out.lo = raw[:, 1].astype(np.uint64)
    out.words = np.asarray(words, dtype=np.int64)
    signatures = np.vstack(sigs) if sigs else np.empty((0, settings.num_perm), dtype=np.uint32)
    bands = index.band_groups(signatures, params)
    out.keys = np.stack(bands, axis=1) if bands else np.empty((len(pos), 0), dtype=np.uint64)
    out.documents = [replace(d, text="") for d in piece.documents]  # paragraphs hold the text
    return out


def _packed(value: object) -> bytes:
    """Pickle a result of many small objects into one buffer.

    distributed serialises such a result (thousands of paragraphs or documents) several
    times slower than one ``bytes`` frame; the client unpickles it with ``_unpacked``.
    """
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpacked(data: bytes) -> Any:
    return pickle.loads(data)


def _summary(loaded: Loaded) -> bytes:
    return _packed(_summary_of(loaded))


def _summary_of(loaded: Loaded) -> Summary:
    return Summary(
        tuple(replace(d, text="") for d in loaded.documents),  # not sent to the client
        tuple(int(c) for c in loaded.counts),
        tuple(loaded.errors),
        loaded.missing_ids,
        loaded.error,
    )


def _digest_frame(loaded: Loaded, offset: int) -> pd.DataFrame:
    return pd.DataFrame({"hi": loaded.hi, "lo": loaded.lo, "gid": loaded.pos + offset})


def _reps(loaded: Loaded, offset: int, others: I64) -> I64:
    """Return the rows (into the compared arrays) of the representatives of their class."""
    return np.flatnonzero(~np.isin(loaded.pos + offset, others))


def _band_frame(
    loaded: Loaded, offset: int, others: I64, settings: Settings, limit: int
) -> pd.DataFrame:
    rows = _reps(loaded, offset, others)
    lengths = np.array([len(loaded.hashes[r]) for r in rows], dtype=np.int64)
    rows = rows[(lengths > limit) | (loaded.words[rows] >= settings.review_min_words)]
    bands = loaded.keys.shape[1]
    return pd.DataFrame(
        {
            "band": np.repeat(np.arange(bands, dtype=np.int16)[None, :], len(rows), 0).ravel(),
            "key": loaded.keys[rows].ravel(),
            "gid": np.repeat(loaded.pos[rows] + offset, bands),
        }
    )


def _core_frame(
    loaded: Loaded, offset: int, others: I64, settings: Settings, limit: int
) -> pd.DataFrame:
    """Deletion-neighbourhood cores of the short representatives (exact, as latin-1 text)."""
    cores: list[str] = []
    gids: list[int] = []
    for r in _reps(loaded, offset, others):
        h = loaded.hashes[r]
        if len(h) <= int(limit / settings.threshold):
            for core in index.deletion_cores(h, settings.threshold):
                cores.append(np.asarray(core, dtype="<u4").tobytes().decode("latin-1"))
                gids.append(int(loaded.pos[r]) + offset)
    return pd.DataFrame({"core": pd.Series(cores, dtype=object), "gid": gids}).astype(_CORES)


def _shingle_frame(loaded: Loaded, offset: int, others: I64, settings: Settings) -> pd.DataFrame:
    rows = _reps(loaded, offset, others)
    rows = rows[loaded.words[rows] >= settings.review_min_words]
    sets = [loaded.hashes[r] for r in rows]
    lengths = np.array([len(h) for h in sets], dtype=np.int64)
    return pd.DataFrame(
        {
            "shingle": np.concatenate(sets) if sets else np.empty(0, dtype=np.uint32),
            "owner": np.repeat(loaded.pos[rows] + offset, lengths),
            "length": np.repeat(lengths, lengths),
        }
    )


def _class_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows ``(rep, member)`` for every paragraph whose fingerprint another one shares."""
    hi, lo, gid = (df[c].to_numpy() for c in ("hi", "lo", "gid"))
    order = np.lexsort((gid, lo, hi))
    hi, lo, gid = hi[order], lo[order], gid[order]
    new = np.r_[True, (hi[1:] != hi[:-1]) | (lo[1:] != lo[:-1])] if len(gid) else np.zeros(0, bool)
    group = np.cumsum(new) - 1
    size = np.bincount(group) if len(group) else np.zeros(0, dtype=np.int64)
    many = size[group] > 1
    return pd.DataFrame({"rep": gid[new][group][many], "member": gid[many]}).astype(_CLASSES)


def _pairs_of(groups: I64, gid: I64) -> pd.DataFrame:
    """Pairs ``(a, b)``, ``a < b``, of the ``gid`` s of rows that share a group id."""
    if len(groups) < 2:
        return pd.DataFrame(_empty(_PAIRS))
    codes = index.pairs_in_groups(groups)
    a, b = gid[codes >> 32], gid[codes & 0xFFFFFFFF]
    both = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1), axis=0)
    return pd.DataFrame({"a": both[:, 0], "b": both[:, 1]}).astype(_PAIRS)


def _bucket_pairs(df: pd.DataFrame) -> pd.DataFrame:
    """Pairs of paragraphs with an equal LSH band (same band, same key)."""
    band, key = df["band"].to_numpy(), df["key"].to_numpy()
    order = np.lexsort((key, band))
    b, k = band[order], key[order]
    new = np.r_[True, (b[1:] != b[:-1]) | (k[1:] != k[:-1])] if len(order) else np.zeros(0, bool)
    groups = np.empty(len(order), dtype=np.int64)
    groups[order] = np.cumsum(new) - 1
    return _pairs_of(groups, df["gid"].to_numpy())


def _core_pairs(df: pd.DataFrame) -> pd.DataFrame:
    """Pairs of short paragraphs that share a deletion-neighbourhood core."""
    codes = pd.factorize(df["core"])[0].astype(np.int64)
    return _pairs_of(codes, df["gid"].to_numpy())


def _with_freq(df: pd.DataFrame) -> pd.DataFrame:
    """Add to each (shingle, owner) row how many paragraphs hold the shingle."""
    _, inv, counts = np.unique(df["shingle"].to_numpy(), return_inverse=True, return_counts=True)
    return df.assign(freq=counts[inv.reshape(-1)].astype(np.int64)).astype(_FREQS)


def _prefixes(df: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Keep each paragraph's rarest shingles, as many as containment may miss plus one.

    By exact frequency, then hash value (``index.containment_candidates`` orders the same
    way, with very high counts tied; any order keeps the filter exact); shingles no other
    paragraph holds are left out (they cannot give a pair).
    """
    owner, shingle, freq, length = (
        df[c].to_numpy() for c in ("owner", "shingle", "freq", "length")
    )
    order = np.lexsort((shingle, freq, owner))
    owner, shingle, freq, length = owner[order], shingle[order], freq[order], length[order]
    new = np.r_[True, owner[1:] != owner[:-1]] if len(order) else np.zeros(0, bool)
    starts = np.flatnonzero(new)
    rank = np.arange(len(order)) - starts[np.cumsum(new) - 1]
    need = np.ceil(threshold * length - 1e-9).astype(np.int64)
    take = (rank < length - need + 1) & (freq > 1)
    return pd.DataFrame(
        {"shingle": shingle[take], "owner": owner[take], "length": length[take]}
    ).astype(_SHINGLES)


def _containers(postings: pd.DataFrame, prefixes: pd.DataFrame) -> pd.DataFrame:
    """Pairs (small, large): ``large`` holds a prefix shingle of ``small`` and is no shorter.

    ``postings`` and ``prefixes`` are the same partition of two frames shuffled by
    shingle into as many partitions: every prefix row finds its own posting here.
    """
    joined = prefixes.merge(postings, on="shingle", suffixes=("", "_c"))
    if len(joined[joined["owner_c"] == joined["owner"]]) != len(prefixes):
        raise RuntimeError("prefixes and postings are not partitioned alike")
    keep = (joined["owner_c"] != joined["owner"]) & (joined["length_c"] >= joined["length"])
    out = pd.DataFrame({"a": joined["owner"][keep], "b": joined["owner_c"][keep]})
    return out.drop_duplicates().astype(_PAIRS)


def _paragraphs(loaded: Loaded, offset: int, doc_offset: int, positions: I64) -> bytes:
    """Return the paragraphs at ``positions`` (numbered globally) and their compare texts."""
    starts = np.r_[0, np.cumsum(loaded.counts)]
    docs = np.searchsorted(starts, positions, side="right") - 1
    out: dict[int, tuple[Paragraph, str]] = {}
    for p, doc in zip(positions.tolist(), docs.tolist(), strict=True):
        n = p - int(starts[doc])
        para = replace(loaded.paragraphs[doc][n], doc=doc_offset + doc)
        out[offset + p] = (para, loaded.compare[doc][n])
    return _packed(out)


def _empty(columns: Mapping[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


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
        self.allow = allow
        self.options = options
        self.notice = notice
        self.params = index.lsh_params(settings.candidate_threshold, settings.num_perm)

    def run(self, files: Sequence[str], block: int | None) -> Report:
        srcs = partition.sources(files)
        parts = self._plan(srcs, block)
        loaded, summaries = self._load(parts)
        inputs = self._inputs(parts, summaries)
        if not inputs.documents:
            return self._report(inputs, 0, {}, {})
        with dask.config.set({"dataframe.shuffle.method": "p2p"}):
            classes = self._classes(loaded, inputs)
            others = np.sort(np.array([m for c in classes for m in c[1:]], dtype=np.int64))
            pairs, contained = self._candidates(loaded, inputs, others)
        involved = {m for c in classes for m in c} | {x for p in pairs | contained for x in p}
        fetched = self._fetch(loaded, inputs, involved)
        texts = {gid: compare for gid, (_, compare) in fetched.items()}
        decision = decide(Candidates(classes, pairs, contained), Verifier(texts, self.settings))
        named = {r.removed for r in decision.removals} | {r.kept for r in decision.removals}
        named |= {v.measured for v in decision.review} | {v.other for v in decision.review}
        paragraphs = {gid: fetched[gid][0] for gid in named}
        return self._report(
            inputs,
            len(pairs),
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

    def _load(self, parts: list[Part]) -> tuple[list[Future[Loaded]], list[Summary]]:
        """Read and prepare every partition on the workers, where it stays; summarise it."""
        loaded: list[Future[Loaded]] = self.client.map(
            _load,
            parts,
            options=self.options,
            settings=self.settings,
            allow=self.allow,
            params=self.params,
            pure=False,
        )
        packed: list[bytes] = self.client.gather(self.client.map(_summary, loaded))
        return loaded, [_unpacked(p) for p in packed]

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

    def _frame(
        self,
        fn: Callable[..., pd.DataFrame],
        meta: Mapping[str, Any],
        loaded: list[Future[Loaded]],
        inputs: _Inputs,
        others: I64 | None = None,
        *args: Any,
    ) -> dd.DataFrame:
        """A dask DataFrame of one partition per loaded partition, each made on its worker.

        With ``others`` (the sorted ids of paragraphs that are not their class's
        representative), each partition is given those in its own id range.
        """
        futures = []
        for lf, start, n in zip(loaded, inputs.offsets, inputs.sizes, strict=True):
            mine: tuple[Any, ...] = ()
            if others is not None:
                lo, hi = np.searchsorted(others, [start, start + n])
                mine = (others[lo:hi],)
            futures.append(self.client.submit(fn, lf, start, *mine, *args))
        frame: dd.DataFrame = dd.from_delayed(futures, meta=_empty(meta), verify_meta=False)
        return frame

    def _classes(self, loaded: list[Future[Loaded]], inputs: _Inputs) -> list[list[int]]:
        """Exact classes: paragraphs grouped by fingerprint (shuffled by it), in id order."""
        digests = self._frame(_digest_frame, _DIGESTS, loaded, inputs)
        rows = digests.shuffle(on=["hi", "lo"]).map_partitions(_class_rows, meta=_empty(_CLASSES))
        table: pd.DataFrame = self.client.compute(rows, sync=True)
        classes: dict[int, list[int]] = {}
        table = table.sort_values(["rep", "member"])
        for rep, member in zip(table["rep"].tolist(), table["member"].tolist(), strict=True):
            classes.setdefault(rep, []).append(member)
        return list(classes.values())

    def _candidates(
        self, loaded: list[Future[Loaded]], inputs: _Inputs, others: I64
    ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
        """Candidate pairs from LSH bands and small-set cores, and containment candidates."""
        s = self.settings
        limit = index.small_set_limit(s.threshold)
        bands = self._frame(_band_frame, _BANDS, loaded, inputs, others, s, limit)
        lsh = bands.shuffle(on=["band", "key"]).map_partitions(_bucket_pairs, meta=_empty(_PAIRS))
        cores = self._frame(_core_frame, _CORES, loaded, inputs, others, s, limit)
        small = cores.shuffle(on="core").map_partitions(_core_pairs, meta=_empty(_PAIRS))
        # Containment: shingle frequencies (by shingle), each paragraph's rarest shingles
        # (by owner), then those prefixes joined with the postings, partition by partition.
        shingles = self._frame(_shingle_frame, _SHINGLES, loaded, inputs, others, s)
        n = shingles.npartitions
        postings = shingles.shuffle(on="shingle", npartitions=n)
        freqs = postings.map_partitions(_with_freq, meta=_empty(_FREQS))
        prefixes = freqs.shuffle(on="owner").map_partitions(
            _prefixes, s.containment, meta=_empty(_SHINGLES)
        )
        contained = dd.map_partitions(
            _containers,
            postings,
            prefixes.shuffle(on="shingle", npartitions=n),
            meta=_empty(_PAIRS),
            align_dataframes=False,
        )
        tables = self.client.compute([lsh, small, contained], sync=True)
        return _pair_set(tables[0]) | _pair_set(tables[1]), _pair_set(tables[2])

    # ---- fetching and the report

    def _fetch(
        self, loaded: list[Future[Loaded]], inputs: _Inputs, gids: set[int]
    ) -> dict[int, tuple[Paragraph, str]]:
        """Fetch the paragraphs ``gids`` and their compare texts from the workers holding them."""
        wanted = np.array(sorted(gids), dtype=np.int64)
        futures = []
        for i, lf in enumerate(loaded):
            start, n = inputs.offsets[i], inputs.sizes[i]
            lo, hi = np.searchsorted(wanted, [start, start + n])
            if hi > lo:
                mine = wanted[lo:hi] - start
                futures.append(
                    self.client.submit(_paragraphs, lf, start, inputs.doc_offsets[i], mine)
                )
        out: dict[int, tuple[Paragraph, str]] = {}
        for found in self.client.gather(futures):
            out.update(_unpacked(found))
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


def _pair_set(table: pd.DataFrame) -> set[tuple[int, int]]:
    return set(zip(table["a"].tolist(), table["b"].tolist(), strict=True))


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
    ``files`` must be readable at the same path on every worker. ``block`` is the
    partition size in bytes (default: a share of the input per worker). ``notice`` is told
    what reading JSONL files has to say (ids, skipped lines). Raises ``DedupError`` s.
    """
    run = _Run(client, settings, allow or AllowList(), options or ReadOptions(), notice or _drop)
    return run.run(files, block)


def _drop(message: str) -> None:
    del message
