"""One validated settings object shared by every command."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from dedup.core.models import Kind
from dedup.errors import UsageError
from dedup.text.structure import Structure

#: The permutation scheme of datasketch 2.x used for every signature dedup computes.
SCHEME = "affine32"
#: The hash applied to each shingle before the permutations (datasketch ``hashfunc``).
SHINGLE_HASH = "xxh32-words"


class Keep(StrEnum):
    """Which paragraph of a group of repeats is kept."""

    FIRST = "first"
    LAST = "last"
    LONGEST = "longest"


class Syntax(StrEnum):
    """How a document is split into paragraphs."""

    AUTO = "auto"
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    RST = "rst"


def parse_kinds(value: str | list[str] | tuple[Kind, ...]) -> tuple[Kind, ...]:
    """Turn ``"exact,near"`` (or a list of names) into kinds, with a message naming the fix."""
    names = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    kinds: list[Kind] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        try:
            kind = Kind(name)
        except ValueError:
            choices = ", ".join(k.value for k in Kind)
            raise UsageError(f"unknown kind {name!r} (choose from {choices})") from None
        if kind not in kinds:
            kinds.append(kind)
    return tuple(sorted(kinds, key=lambda k: k.rank))


@dataclass(frozen=True, slots=True)
class Settings:
    """How paragraphs are compared and which repeats are removed.

    Validated on construction, so every later stage can trust it.
    """

    threshold: float = 0.8
    review_threshold: float = 0.5
    containment: float = 0.9
    ngram: int = 3
    num_perm: int = 128
    seed: int = 1
    keep: Keep = Keep.FIRST
    remove: tuple[Kind, ...] = (Kind.EXACT, Kind.NEAR)
    lsh_threshold: float | None = None
    min_words: int = 1
    review_min_words: int = 8
    syntax: Syntax = Syntax.AUTO
    structure: Structure = field(default_factory=Structure)
    scheme: str = field(default=SCHEME, init=False)
    shingle_hash: str = field(default=SHINGLE_HASH, init=False)

    def __post_init__(self) -> None:
        _check_fraction("threshold", self.threshold, low_open=True)
        _check_fraction("review-threshold", self.review_threshold, low_open=True)
        _check_fraction("containment", self.containment, low_open=True)
        if self.review_threshold > self.threshold:
            raise UsageError(
                f"--review-threshold ({self.review_threshold}) must not be above "
                f"--threshold ({self.threshold})"
            )
        if self.lsh_threshold is not None:
            _check_fraction("lsh-threshold", self.lsh_threshold, low_open=True)
        if self.ngram < 1:
            raise UsageError(f"--ngram must be at least 1, got {self.ngram}")
        if not 16 <= self.num_perm <= 1024:
            raise UsageError(f"--num-perm must be between 16 and 1024, got {self.num_perm}")
        if self.min_words < 1:
            raise UsageError(f"--min-words must be at least 1, got {self.min_words}")
        if self.review_min_words < 1:
            raise UsageError(f"--review-min-words must be at least 1, got {self.review_min_words}")
        if not self.remove:
            raise UsageError("--remove needs at least one kind (for example exact,near)")
        object.__setattr__(self, "keep", Keep(self.keep))
        object.__setattr__(self, "syntax", Syntax(self.syntax))
        object.__setattr__(self, "remove", parse_kinds(self.remove))

    @property
    def candidate_threshold(self) -> float:
        """Return the Jaccard level LSH is tuned for: below every level that is reported."""
        if self.lsh_threshold is not None:
            return self.lsh_threshold
        return round(max(0.05, min(self.review_threshold, self.threshold) - 0.1), 4)


def _check_fraction(name: str, value: float, *, low_open: bool) -> None:
    if not (0.0 < value <= 1.0) if low_open else not (0.0 <= value <= 1.0):
        raise UsageError(f"--{name} must be a number in (0, 1], got {value}")
