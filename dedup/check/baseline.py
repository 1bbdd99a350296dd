"""Baselines: accept the repeats a tree has today, fail only on new ones.

A baseline records each accepted group of repeats as the set of fingerprints of its
paragraphs' normalised text (the kept one and its repeats), with how many repeats it
holds; never line numbers. A finding is accepted when both its paragraph and its kept
twin belong to one accepted group that still has room. So moving or editing nearby
text, or renaming files (which can change which copy is kept), does not make an old
repeat look new, and a third copy of a known pair is new.

The fingerprints are made from the normalised tokens, so a baseline holds only for the
tokeniser it was written with (``settings.tokenizer.version``, 1 when absent): one written
with another is refused, never silently compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dedup.errors import UsageError
from dedup.text.normalize import TOKENIZER_VERSION

if TYPE_CHECKING:
    from dedup.check.findings import Finding

BASELINE_VERSION = 1


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted group: its paragraphs' fingerprints and how many repeats it may hold."""

    fingerprints: tuple[str, ...]
    count: int
    kind: str = ""
    example: str = ""


@dataclass(frozen=True, slots=True)
class Baseline:
    """Accepted groups of repeats."""

    entries: tuple[BaselineEntry, ...]

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        """Return a baseline accepting every finding given, grouped by kept paragraph."""
        groups: dict[tuple[str, int], list[Finding]] = {}
        for f in findings:
            groups.setdefault((f.kept.path, f.kept.paragraph), []).append(f)
        entries = []
        for members in groups.values():
            prints = {members[0].kept_fingerprint, *(f.fingerprint for f in members)}
            strongest = min((f.kind for f in members), key=lambda k: k.rank)
            first = members[0]
            entries.append(
                BaselineEntry(
                    fingerprints=tuple(sorted(prints)),
                    count=len(members),
                    kind=strongest.value,
                    example=f"{first.where.path}:{first.where.lines[0]}",
                )
            )
        return cls(tuple(sorted(entries, key=lambda e: e.fingerprints)))

    def apply(self, findings: Sequence[Finding]) -> tuple[list[Finding], int, list[BaselineEntry]]:
        """Return (new findings, number suppressed, stale entries).

        A stale entry's ``count`` is how many of its accepted repeats no longer occur.
        """
        room = [e.count for e in self.entries]
        members = [set(e.fingerprints) for e in self.entries]
        new: list[Finding] = []
        suppressed = 0
        for f in findings:
            for i, prints in enumerate(members):
                if room[i] and f.fingerprint in prints and f.kept_fingerprint in prints:
                    room[i] -= 1
                    suppressed += 1
                    break
            else:
                new.append(f)
        stale = [
            BaselineEntry(e.fingerprints, left, e.kind, e.example)
            for e, left in zip(self.entries, room, strict=True)
            if left
        ]
        return new, suppressed, stale

    def dumps(self, settings: dict[str, Any]) -> str:
        """Return the baseline file's JSON text."""
        data = {
            "version": BASELINE_VERSION,
            "tool": "dedup",
            "settings": settings,
            "entries": [
                {"fingerprints": list(e.fingerprints), "count": e.count, "kind": e.kind,
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
            raise UsageError(f"--baseline {path}: no such file or directory") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"--baseline {path}: not a dedup baseline ({exc})") from None
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            raise UsageError(
                f"--baseline {path}: not a dedup baseline of version {BASELINE_VERSION}"
            )
        written = _tokenizer_version(data.get("settings"))
        if written != TOKENIZER_VERSION:
            raise UsageError(
                f"--baseline {path}: written with tokenizer {written}, this dedup uses "
                f"{TOKENIZER_VERSION}: rebuild it with dedup check --write-baseline {path} PATHS"
            )
        try:
            entries = tuple(
                BaselineEntry(
                    fingerprints=tuple(str(x) for x in e["fingerprints"]),
                    count=int(e["count"]),
                    kind=str(e.get("kind", "")),
                    example=str(e.get("example", "")),
                )
                for e in data["entries"]
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"--baseline {path}: malformed entry ({exc})") from None
        return cls(entries)


def _tokenizer_version(settings: object) -> object:
    """Return the tokeniser version a baseline's settings record (1: written before it was)."""
    if not isinstance(settings, dict) or "tokenizer" not in settings:
        return 1
    tok = settings["tokenizer"]
    return tok.get("version") if isinstance(tok, dict) else tok
