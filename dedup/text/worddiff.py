"""Word-level differences between two paragraphs, for notes, terminal views and reports."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of words that both texts share (``equal``) or only one has."""

    op: Op
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        """Return the words joined by single spaces."""
        return " ".join(self.words)


def word_diff(old: str, new: str) -> list[Piece]:
    """Return the pieces that turn ``old`` into ``new``, word by word (whitespace-split)."""
    a, b = old.split(), new.split()
    out: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Piece("equal", tuple(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Piece("delete", tuple(a[i1:i2])))
        if j2 > j1:
            out.append(Piece("insert", tuple(b[j1:j2])))
    return out


def changes(old: str, new: str) -> list[tuple[str, str]]:
    """Return ``(only in old, only in new)`` for each place the texts differ."""
    pieces = word_diff(old, new)
    out: list[tuple[str, str]] = []
    pending: list[str] = ["", ""]
    for p in [*pieces, Piece("equal", ())]:
        if p.op == "equal":
            if pending != ["", ""]:
                out.append((pending[0], pending[1]))
                pending = ["", ""]
        elif p.op == "delete":
            pending[0] = p.text
        else:
            pending[1] = p.text
    return out
