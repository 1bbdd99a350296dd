"""Plain data passed between pipeline stages: documents, paragraphs, matches, groups, reports.

Nothing here does I/O; every class is a frozen dataclass so stages cannot mutate each
other's results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


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

    def encode(self, text: str) -> bytes:
        """Encode ``text`` the way this document was encoded (BOM included)."""
        data = text.encode(self.encoding)
        return (b"\xef\xbb\xbf" + data) if self.bom else data


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One comparable block of prose with its exact place in its document.

    ``start``/``end`` are character offsets into ``Document.text`` covering whole lines
    (line terminators included); ``byte_start``/``byte_end`` are the same span in the
    encoded file (after any BOM). ``lines`` is the 1-based inclusive line span.
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
    documents: tuple[Document, ...]
    paragraphs: tuple[Sequence[Paragraph], ...]  # per document (an engine may hold only some)
    groups: tuple[Group, ...]
    review: tuple[Match, ...]
    lsh: LshParams
    candidates: int = 0
    # Per document, the text each paragraph is compared by.
    compare: tuple[Sequence[str], ...] = ()
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

    @property
    def removals(self) -> list[Match]:
        """Return every removal, ordered by document and position."""
        return list(self._removals)

    def removals_in(self, doc: int) -> list[Match]:
        """Return the removals of one document, in document order."""
        return list(self._by_doc.get(doc, ()))

    @property
    def paragraph_count(self) -> int:
        """Return the number of paragraphs over all documents."""
        return sum(len(p) for p in self.paragraphs)
