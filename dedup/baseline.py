"""Baselines: accept the repeats a tree has today, fail only on new ones.

A baseline records fingerprints of the normalised text of each repeat and of its kept
twin, with a count, never line numbers: moving or editing nearby text does not make an
old repeat look new, and a third copy of a known pair is new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dedup.errors import UsageError

if TYPE_CHECKING:
    from dedup.check import Finding

BASELINE_VERSION = 1


def pair_key(a: str, b: str) -> tuple[str, str]:
    """Return a key for two fingerprints that does not depend on which copy is kept.

    Renaming or reordering files can swap which copy comes first, and so which is kept;
    an accepted repeat must stay accepted then.
    """
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted (repeat, kept) pair of fingerprints and how many times it may occur."""

    repeat: str
    kept: str
    count: int
    kind: str = ""
    example: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Return the pair of fingerprints, in a fixed order (see ``pair_key``)."""
        return pair_key(self.repeat, self.kept)


@dataclass(frozen=True, slots=True)
class Baseline:
    """Accepted repeats, by fingerprint pair."""

    entries: tuple[BaselineEntry, ...]

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        """Return a baseline accepting every finding given."""
        counts: Counter[tuple[str, str]] = Counter()
        first: dict[tuple[str, str], Finding] = {}
        for f in findings:
            key = pair_key(*f.key)
            counts[key] += 1
            first.setdefault(key, f)
        return cls(
            tuple(
                BaselineEntry(
                    repeat=k[0],
                    kept=k[1],
                    count=n,
                    kind=first[k].kind.value,
                    example=f"{first[k].where.path}:{first[k].where.lines[0]}",
                )
                for k, n in sorted(counts.items())
            )
        )

    def apply(self, findings: Sequence[Finding]) -> tuple[list[Finding], int, list[BaselineEntry]]:
        """Return (new findings, number suppressed, stale entries).

        A stale entry's ``count`` is how many of its accepted copies no longer occur.
        """
        allowed = {e.key: e.count for e in self.entries}
        seen: Counter[tuple[str, str]] = Counter()
        new: list[Finding] = []
        suppressed = 0
        for f in findings:
            key = pair_key(*f.key)
            seen[key] += 1
            if seen[key] <= allowed.get(key, 0):
                suppressed += 1
            else:
                new.append(f)
        stale = [
            BaselineEntry(e.repeat, e.kept, e.count - seen[e.key], e.kind, e.example)
            for e in self.entries
            if seen[e.key] < e.count
        ]
        return new, suppressed, stale

    def dumps(self, settings: dict[str, Any]) -> str:
        """Return the baseline file's JSON text."""
        data = {
            "version": BASELINE_VERSION,
            "tool": "dedup",
            "settings": settings,
            "entries": [
                {"repeat": e.repeat, "kept": e.kept, "count": e.count, "kind": e.kind,
                 "example": e.example}
                for e in self.entries
            ],
        }  # fmt: skip
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def load(cls, path: str) -> Baseline:
        """Read a baseline file; anything unreadable is a usage error naming the file."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"--baseline {path}: no such file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"--baseline {path}: not a dedup baseline ({exc})") from None
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            raise UsageError(
                f"--baseline {path}: not a dedup baseline of version {BASELINE_VERSION}"
            )
        try:
            entries = tuple(
                BaselineEntry(
                    repeat=str(e["repeat"]),
                    kept=str(e["kept"]),
                    count=int(e["count"]),
                    kind=str(e.get("kind", "")),
                    example=str(e.get("example", "")),
                )
                for e in data["entries"]
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"--baseline {path}: malformed entry ({exc})") from None
        return cls(entries)
