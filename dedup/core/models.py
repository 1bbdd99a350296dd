"""Plain data passed between pipeline stages: documents, paragraphs, matches, groups, reports.

Nothing here does I/O; every class is a frozen dataclass so stages cannot mutate each
other's results.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import overload


class Kind(StrEnum):
    """How a paragraph relates to the paragraph it is compared with, strongest first."""

    EXACT = "exact"
    NEAR = "near"
    CONTAINED = "contained"
    SIMILAR = "similar"

    @property
    def rank(self) -> int:
        """Return 0 for the strongest kind, larger for weaker ones."""
        return _RANK[self]


_RANK = {kind: n for n, kind in enumerate(Kind)}


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded input document and what is needed to write it back byte for byte."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    syntax: str = "text"
    # For a JSONL record: its id and 1-based line number in the file.
    record: tuple[str, int] | None = None

    def encode(self, text: str) -> bytes:
        """Encode ``text`` the way this document was encoded (BOM included)."""
        data = text.encode(self.encoding)
        return (b"\xef\xbb\xbf" + data) if self.bom else data


class DocumentTable(Sequence[Document]):
    """Documents without their text, a few bytes each: what a corpus run remembers of them.

    JSONL records (most of a corpus) are kept as their record id in one byte buffer and
    their line number; ``table[i]`` gives the ``Document`` back, with empty text.
    """

    def __init__(self) -> None:
        self._sources: list[tuple[str, str, bool, str]] = []  # file, encoding, bom, syntax
        self._source_of: dict[tuple[str, str, bool, str], int] = {}
        self._whole: dict[int, Document] = {}  # documents that are not records
        self._source = array("l")
        self._lines = array("q")
        self._ids = bytearray()
        self._ends = array("q")

    def append(self, doc: Document) -> None:
        """Remember ``doc`` (its name and origin; not its text)."""
        n = len(self._source)
        if doc.record is None:
            self._whole[n] = Document(doc.path, "", doc.encoding, doc.bom, doc.syntax)
            self._source.append(-1)
            self._lines.append(0)
        else:
            rid, line = doc.record
            file = doc.path[: len(doc.path) - len(rid) - 1]
            key = (file, doc.encoding, doc.bom, doc.syntax)
            source = self._source_of.setdefault(key, len(self._sources))
            if source == len(self._sources):
                self._sources.append(key)
            self._source.append(source)
            self._lines.append(line)
            self._ids += rid.encode("utf-8")
        self._ends.append(len(self._ids))

    def extend(self, docs: Iterable[Document]) -> None:
        """Remember each of ``docs``."""
        for doc in docs:
            self.append(doc)

    def __len__(self) -> int:
        return len(self._source)

    def record_files(self) -> set[str]:
        """Return the JSONL files whose records are documents here."""
        return {source[0] for source in self._sources}

    def paths(self) -> Iterator[str]:
        """Yield each document's path, in order, without making its ``Document``."""
        start = 0
        for i, source in enumerate(self._source):
            end = self._ends[i]
            if source < 0:
                yield self._whole[i].path
            else:
                yield f"{self._sources[source][0]}#{self._ids[start:end].decode('utf-8')}"
            start = end

    @overload
    def __getitem__(self, i: int) -> Document: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Document]: ...

    def __getitem__(self, i: int | slice) -> Document | Sequence[Document]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        source = self._source[i]
        if source < 0:
            return self._whole[i]
        file, encoding, bom, syntax = self._sources[source]
        rid = self._ids[self._ends[i - 1] if i else 0 : self._ends[i]].decode("utf-8")
        return Document(f"{file}#{rid}", "", encoding, bom, syntax, (rid, self._lines[i]))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One comparable block of prose with its exact place in its document.

    ``start``/``end`` are character offsets into ``Document.text``: for plain text and
    Markdown they cover whole lines (line terminators included), for HTML exactly the
    element (which may share its lines with other content). ``byte_start``/``byte_end``
    are the same span in the encoded file (after any BOM). ``lines`` is the 1-based
    inclusive span of the lines it touches.
    """

    doc: int
    index: int
    start_line: int
    end_line: int
    start: int
    end: int
    byte_start: int
    byte_end: int
    text: str
    column: int = 1  # 1-based character column of ``start`` (HTML may start mid-line)

    @property
    def lines(self) -> tuple[int, int]:
        """Return the 1-based inclusive line span."""
        return (self.start_line, self.end_line)


@dataclass(frozen=True, slots=True)
class Match:
    """A verified relation of ``paragraph`` to ``other`` (for a removal: to the kept paragraph).

    ``similarity`` is the score that decides the kind: exact Jaccard of the shingle sets for
    ``exact``/``near``/``similar``, and the share of ``paragraph``'s shingles found in
    ``other`` for ``contained``. ``jaccard`` and ``containment`` are always both given.
    """

    paragraph: Paragraph
    other: Paragraph
    kind: Kind
    similarity: float
    jaccard: float
    containment: float


@dataclass(frozen=True, slots=True)
class Group:
    """Paragraphs that repeat one kept paragraph; every duplicate is verified against it."""

    kept: Paragraph
    duplicates: tuple[Match, ...]

    @property
    def kind(self) -> Kind:
        """Return the strongest kind among the duplicates (each duplicate has its own)."""
        return min((m.kind for m in self.duplicates), key=lambda k: k.rank)


@dataclass(frozen=True, slots=True)
class LshParams:
    """The banding used by MinHashLSH: ``bands`` bands of ``rows`` signature rows."""

    threshold: float
    bands: int
    rows: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run found: documents, paragraphs, groups (removals) and review pairs."""

    settings: object
    documents: Sequence[Document]
    paragraphs: tuple[Sequence[Paragraph], ...]  # per document (an engine may hold only some)
    groups: tuple[Group, ...]
    review: tuple[Match, ...]
    lsh: LshParams
    # Distinct candidate pairs; with dense buckets holding more pairs than 100,000 (and
    # than the pairs spelled out), each bucket's pairs counted in full (an upper bound).
    candidates: int = 0
    # Per document, the text each paragraph is compared by.
    compare: tuple[Sequence[str], ...] = ()
    # A report from the streaming engine holds only the paragraphs that take part in a
    # group or review pair: ``paragraphs`` is sparse, ``counts`` gives each document's
    # number of paragraphs and ``compare_map`` the compare texts by (doc, index).
    counts: Sequence[int] | None = None
    compare_map: Mapping[tuple[int, int], str] | None = None
    # Built once from ``groups``: every removal in order, and the removals of each document.
    _removals: tuple[Match, ...] = field(init=False, repr=False, compare=False)
    _by_doc: dict[int, tuple[Match, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = sorted(
            (m for g in self.groups for m in g.duplicates),
            key=lambda m: (m.paragraph.doc, m.paragraph.index),
        )
        by_doc: dict[int, list[Match]] = {}
        for m in found:
            by_doc.setdefault(m.paragraph.doc, []).append(m)
        object.__setattr__(self, "_removals", tuple(found))
        object.__setattr__(self, "_by_doc", {d: tuple(ms) for d, ms in by_doc.items()})

    def paths(self) -> Iterator[str]:
        """Yield each document's path, in order (a corpus table makes no ``Document``)."""
        docs = self.documents
        if isinstance(docs, DocumentTable):
            yield from docs.paths()
        else:
            yield from (d.path for d in docs)

    @property
    def removals(self) -> list[Match]:
        """Return every removal, ordered by document and position."""
        return list(self._removals)

    def removals_in(self, doc: int) -> list[Match]:
        """Return the removals of one document, in document order."""
        return list(self._by_doc.get(doc, ()))

    def words(self, p: Paragraph) -> str:
        """Return what word diffs show of ``p``: visible words for HTML, else its source text."""
        if self.documents[p.doc].syntax == "html":
            return self.compare_of(p)
        return p.text

    @property
    def paragraph_count(self) -> int:
        """Return the number of paragraphs over all documents."""
        if self.counts is not None:
            return sum(self.counts)
        return sum(len(p) for p in self.paragraphs)

    def paragraphs_in(self, doc: int) -> int:
        """Return the number of paragraphs of one document."""
        return self.counts[doc] if self.counts is not None else len(self.paragraphs[doc])

    def compare_of(self, p: Paragraph) -> str:
        """Return the text paragraph ``p`` is compared by (its words, markup left out)."""
        if self.compare_map is not None:
            return self.compare_map[(p.doc, p.index)]
        return self.compare[p.doc][p.index - 1]


def document_paths(documents: Sequence[Document]) -> Iterator[str]:
    """Yield the path of each of ``documents`` (a corpus's ``DocumentTable`` makes no Document)."""
    if isinstance(documents, DocumentTable):
        return documents.paths()
    return (d.path for d in documents)
