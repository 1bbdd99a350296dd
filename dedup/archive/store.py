"""What an archive stores, and the protocol every archive backend implements.

An archive is a persistent index of published paragraphs. Each archived paragraph keeps
where it came from (source, paragraph number, lines, columns, date added, label), the text
it is compared by, its exact fingerprint, its shingle hashes, its MinHash signature and
the shingles chosen as its containment prefix. The posting keys that find candidates
(``dedup.archive.keys``) are derived from those fields, so removing a paragraph removes
exactly the postings it added, on every backend.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from dedup.core import index
from dedup.core.candidates import Keying
from dedup.core.models import LshParams
from dedup.core.settings import Settings
from dedup.core.sketch import U32
from dedup.errors import DedupError
from dedup.text.normalize import TOKENIZER_VERSION, tokenizer_info
from dedup.text.safe_text import mask_credentials

#: Bumped when what is stored, or how posting keys are derived, changes incompatibly.
#: 2: small-set keys and containment prefixes as one run makes them (``dedup.core.candidates``).
#: 3: containment prefixes exact over shingles, not shingle hashes (their length counts on
#: the paragraph's shingle windows, ``candidates.shingle_bound``: longer when shingles repeat
#: or share a hash).
ARCHIVE_FORMAT = 3
#: Formats whose settings this dedup still reads (for ``stats`` and ``export``).
READABLE_FORMATS = frozenset({1, 2, ARCHIVE_FORMAT})


class ArchiveError(DedupError):
    """An archive that cannot be opened, is not an archive, or does not fit the settings."""

    def __init__(self, location: str, problem: str) -> None:
        location, problem = mask_credentials(location), mask_credentials(problem)
        super().__init__(f"{location}: {problem}")
        self.location = location
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ArchiveSettings:
    """The settings an archive was built with: fixed for its lifetime.

    ``ngram``, ``num_perm``, ``seed``, ``scheme`` and ``hashfunc`` decide the shingles and
    signatures; ``bands``/``rows`` the LSH banding (tuned for ``lsh_threshold``);
    ``near_threshold`` the exact short-paragraph keys; ``containment`` the prefix size;
    ``tokenizer`` the tokeniser version and ``unicode`` its Unicode version (fingerprints,
    shingles and signatures are made from its tokens; an archive that records none was
    made with tokeniser 1).
    """

    ngram: int
    num_perm: int
    seed: int
    scheme: str
    hashfunc: str
    lsh_threshold: float
    bands: int
    rows: int
    near_threshold: float
    containment: float
    format: int = ARCHIVE_FORMAT
    tokenizer: int = TOKENIZER_VERSION
    unicode: str = tokenizer_info()["unicode"]

    @classmethod
    def of(cls, settings: Settings) -> ArchiveSettings:
        """Return the archive settings a new archive built with ``settings`` gets."""
        lsh = index.lsh_params(settings.candidate_threshold, settings.num_perm)
        return cls(
            ngram=settings.ngram,
            num_perm=settings.num_perm,
            seed=settings.seed,
            scheme=settings.scheme,
            hashfunc=settings.shingle_hash,
            lsh_threshold=lsh.threshold,
            bands=lsh.bands,
            rows=lsh.rows,
            near_threshold=settings.threshold,
            containment=settings.containment,
        )

    @property
    def lsh(self) -> LshParams:
        """Return the banding as the engine's ``LshParams``."""
        return LshParams(self.lsh_threshold, self.bands, self.rows)

    @property
    def keying(self) -> Keying:
        """Return which archived paragraphs get which keys (every one is banded)."""
        return Keying(self.near_threshold, 1)

    @property
    def small_max(self) -> int:
        """Return the largest shingle count that gets exact short-paragraph keys."""
        return self.keying.small_max

    def outdated(self) -> str | None:
        """Return why an archive of an older format cannot be added to, checked against or
        removed from (its keys are derived another way), or None."""
        if self.format == ARCHIVE_FORMAT:
            return None
        return (
            f"archive format {self.format}, this dedup reads format {ARCHIVE_FORMAT}: "
            "rebuild it with this version (dedup archive export keeps the texts)"
        )

    def to_json(self) -> str:
        """Return the settings as a JSON object (stored in the archive)."""
        return json.dumps(
            {
                "format": self.format,
                "ngram": self.ngram,
                "num_perm": self.num_perm,
                "seed": self.seed,
                "scheme": self.scheme,
                "hashfunc": self.hashfunc,
                "lsh": {"threshold": self.lsh_threshold, "bands": self.bands, "rows": self.rows},
                "near_threshold": self.near_threshold,
                "containment": self.containment,
                "tokenizer": {"version": self.tokenizer, "unicode": self.unicode},
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, location: str, text: str) -> ArchiveSettings:
        """Read stored settings; an archive of another format is refused."""
        try:
            d = json.loads(text)
            fmt = int(d["format"])
            if fmt not in READABLE_FORMATS:
                raise ArchiveError(
                    location,
                    f"archive format {fmt}, this dedup reads format {ARCHIVE_FORMAT}: "
                    "rebuild it with this version",
                )
            return cls(
                ngram=int(d["ngram"]),
                num_perm=int(d["num_perm"]),
                seed=int(d["seed"]),
                scheme=str(d["scheme"]),
                hashfunc=str(d["hashfunc"]),
                lsh_threshold=float(d["lsh"]["threshold"]),
                bands=int(d["lsh"]["bands"]),
                rows=int(d["lsh"]["rows"]),
                near_threshold=float(d["near_threshold"]),
                containment=float(d["containment"]),
                format=fmt,
                tokenizer=int(d.get("tokenizer", {"version": 1})["version"]),
                unicode=str(d.get("tokenizer", {}).get("unicode", "")),
            )
        except (ValueError, KeyError, TypeError):
            raise ArchiveError(location, "archive settings are unreadable") from None

    def as_dict(self) -> dict[str, Any]:
        """Return the settings as data (for ``archive stats --json``)."""
        return dict(json.loads(self.to_json()))

    def describe(self) -> str:
        """Return the settings that decide signatures, as command-line options."""
        return (
            f"--ngram {self.ngram} --num-perm {self.num_perm} --seed {self.seed} "
            f"({self.scheme}, {self.hashfunc})"
        )

    def incompatible(self, settings: Settings, *, checking: bool) -> str | None:
        """Return why ``settings`` cannot be used with this archive, or None when they can.

        Tokens must be made by this dedup's tokeniser for any use (adding or checking).
        Signatures and shingles must be made the same way for any use. A check must also
        not report below what the index was built to find: a lower ``--review-threshold``
        or ``--threshold`` (LSH tuned for a higher Jaccard), a lower ``--threshold`` (the
        short-paragraph keys) or a lower ``--containment`` (the prefix size) would miss
        pairs the archive cannot propose.
        """
        stale = self.outdated()
        if stale is not None:
            return stale
        if self.tokenizer != TOKENIZER_VERSION:
            return (
                f"archive was built with tokenizer {self.tokenizer}, this dedup uses "
                f"{TOKENIZER_VERSION}: rebuild it with dedup archive add NEW-ARCHIVE PATHS "
                "from the published sources (dedup archive export keeps their texts)"
            )
        mine = (self.ngram, self.num_perm, self.seed, self.scheme, self.hashfunc)
        theirs = (
            settings.ngram,
            settings.num_perm,
            settings.seed,
            settings.scheme,
            settings.shingle_hash,
        )
        if mine != theirs:
            given = (
                f"--ngram {settings.ngram} --num-perm {settings.num_perm} --seed {settings.seed}"
                f" ({settings.scheme}, {settings.shingle_hash})"
            )
            return (
                f"archive was built with {self.describe()}, this run uses {given}: "
                "shingles and signatures would not be comparable (use the archive's "
                "settings, or build a new archive)"
            )
        if not checking:
            return None
        eps = 1e-9
        if settings.candidate_threshold < self.lsh_threshold - eps:
            lowest = min(settings.threshold, settings.review_threshold)
            return (
                f"archive's LSH index is tuned for Jaccard {self.lsh_threshold:g} "
                f"({self.bands} bands of {self.rows} rows); this check reports down to "
                f"{lowest:g} (--threshold/--review-threshold) and needs an index tuned for "
                f"{settings.candidate_threshold:g}, or it would miss pairs: raise them, or "
                "build an archive with these settings"
            )
        if settings.threshold < self.near_threshold - eps:
            return (
                f"archive's exact keys for short paragraphs are built for --threshold "
                f"{self.near_threshold:g}; this check uses --threshold {settings.threshold:g}, "
                "which they would miss: raise it, or build an archive with this threshold"
            )
        if settings.containment < self.containment - eps:
            return (
                f"archive's containment prefixes are built for --containment "
                f"{self.containment:g}; this check uses --containment {settings.containment:g}, "
                "which they would miss: raise it, or build an archive with this containment"
            )
        return None


@dataclass(frozen=True, slots=True)
class ArchivedParagraph:
    """One archived paragraph: where it was published and what finds and verifies it.

    ``id`` is 0 until the archive assigns one. ``hashes`` are the sorted 32-bit shingle
    hashes, ``prefix`` the shingles indexed for containment, ``digest`` the blake2b of
    the normalised tokens (the exact fingerprint).
    """

    source: str
    paragraph: int
    lines: tuple[int, int]
    columns: tuple[int, int]
    words: int
    digest: bytes
    text: str
    signature: U32
    hashes: U32
    prefix: U32
    id: int = 0
    label: str | None = None
    added: str = ""


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """What one add writes for one source: its paragraphs, replacing any earlier version."""

    source: str
    digest: str  # of everything archived for the source: same digest, same entries
    label: str | None
    paragraphs: tuple[ArchivedParagraph, ...]


@dataclass(frozen=True, slots=True)
class AddResult:
    """What an add did, source by source."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    relabelled: tuple[str, ...] = ()
    paragraphs: int = 0  # paragraphs written (added and replaced sources)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source as the archive holds it."""

    name: str
    digest: str
    label: str | None
    added: str
    paragraphs: int


@dataclass(frozen=True, slots=True)
class Counts:
    """Sizes of an archive."""

    sources: int
    paragraphs: int
    labels: dict[str | None, int] = field(default_factory=dict)
    first_added: str | None = None
    last_added: str | None = None
    size_bytes: int | None = None
    size_note: str = ""


def pack_u32(values: U32) -> bytes:
    """Return ``values`` as little-endian uint32 bytes."""
    return np.asarray(values, dtype="<u4").tobytes()


def unpack_u32(data: bytes) -> U32:
    """Return the uint32 array packed by ``pack_u32``."""
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


class Store(Protocol):
    """An archive backend. Every write is atomic: it happens completely or not at all."""

    location: str

    def settings(self) -> ArchiveSettings | None:
        """Return the stored settings, or None for an archive not created yet."""
        ...

    def create(self, settings: ArchiveSettings) -> ArchiveSettings:
        """Record ``settings`` unless settings are already recorded; return the recorded ones."""
        ...

    def sources(self, names: Sequence[str] | None = None) -> dict[str, SourceInfo]:
        """Return the named sources that are archived (all sources when ``names`` is None)."""
        ...

    def shingle_counts(self, hashes: Sequence[int], cap: int) -> dict[int, int]:
        """Return, per shingle hash, how many archived paragraphs hold it (at most ``cap``)."""
        ...

    def add(self, entries: Sequence[SourceEntry], added: str) -> AddResult:
        """Archive every entry in one atomic step: new sources added, changed ones replaced."""
        ...

    def remove(self, names: Sequence[str]) -> list[str]:
        """Remove the named sources in one atomic step; return those that were archived."""
        ...

    def lookup(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
        """Return, per posting key ``(tag, key)``, the ids of the paragraphs filed under it."""
        ...

    def fetch(self, ids: Sequence[int]) -> dict[int, ArchivedParagraph]:
        """Return the archived paragraphs with these ids (ids no longer archived are left out)."""
        ...

    def paragraphs(self) -> Iterator[ArchivedParagraph]:
        """Yield every archived paragraph, by source name and paragraph number."""
        ...

    def counts(self) -> Counts:
        """Return how many sources and paragraphs the archive holds, and its size."""
        ...

    def totals(self) -> tuple[int, int]:
        """Return the numbers of sources and paragraphs (cheap: no per-source reading)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...
