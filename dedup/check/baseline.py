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
    #: For a stale entry (``count`` repeats missing): how many the entry accepted.
    accepted: int = 0


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

        Each finding may be accepted by any entry holding both its fingerprints, and each
        entry accepts at most ``count`` findings. A paragraph's text can belong to several
        entries (a paragraph kept in one group and repeated in another), so the findings
        are matched to entries as a whole (``_match``), not each to the first entry with
        room: a finding taking another's place would leave that one new and its entry
        stale on an unchanged tree. A stale entry's ``count`` is how many of its accepted
        repeats no longer occur.
        """
        sets = [frozenset(e.fingerprints) for e in self.entries]
        by_print: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for fp in e.fingerprints:
                by_print.setdefault(fp, []).append(i)
        options = [
            [i for i in by_print.get(f.fingerprint, ()) if f.kept_fingerprint in sets[i]]
            for f in findings
        ]
        taken = _match(options, [e.count for e in self.entries])
        new = [f for f, entry in zip(findings, taken, strict=True) if entry is None]
        room = [e.count for e in self.entries]
        for entry in taken:
            if entry is not None:
                room[entry] -= 1
        stale = [
            BaselineEntry(e.fingerprints, left, e.kind, e.example, accepted=e.count)
            for e, left in zip(self.entries, room, strict=True)
            if left
        ]
        return new, len(findings) - len(new), stale

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


def _match(options: Sequence[Sequence[int]], capacity: Sequence[int]) -> list[int | None]:
    """Return, for each item, the slot it takes (None: none), with as many items placed as
    can be: item ``k`` may take one of ``options[k]``, slot ``i`` holds ``capacity[i]``.

    Each item takes the first free slot of its options; one that finds none looks for an
    augmenting path (breadth first: a full slot's holder that can move to another slot
    makes room), the textbook way to a maximum matching. Deterministic: items in order,
    options in order.
    """
    room = list(capacity)
    holders: list[list[int]] = [[] for _ in capacity]
    taken: list[int | None] = [None] * len(options)
    for k, slots in enumerate(options):
        free = next((i for i in slots if room[i] > 0), None)
        if free is not None:
            room[free] -= 1
            holders[free].append(k)
            taken[k] = free
    for k, slots in enumerate(options):
        if taken[k] is not None or not slots:
            continue
        # Breadth first over slots: reach one with room through holders that can move.
        came: dict[int, tuple[int, int] | None] = {i: None for i in slots}  # slot -> (slot, item)
        queue = list(slots)
        end: int | None = None
        for i in queue:
            if room[i] > 0:
                end = i
                break
            for held in holders[i]:
                for j in options[held]:
                    if j not in came:
                        came[j] = (i, held)
                        queue.append(j)
        if end is None:
            continue
        room[end] -= 1
        slot = end
        while (step := came[slot]) is not None:  # move each holder one slot on
            previous, held = step
            holders[previous].remove(held)
            holders[slot].append(held)
            taken[held] = slot
            slot = previous
        holders[slot].append(k)
        taken[k] = slot
    return taken


def _tokenizer_version(settings: object) -> object:
    """Return the tokeniser version a baseline's settings record (1: written before it was)."""
    if not isinstance(settings, dict) or "tokenizer" not in settings:
        return 1
    tok = settings["tokenizer"]
    return tok.get("version") if isinstance(tok, dict) else tok
