"""Allow-lists: boilerplate paragraphs (disclaimers, licence blurbs) that may repeat.

An allow-list file holds paragraphs separated by blank lines. A paragraph is allowed when
its normalised words equal an entry's. A line starting with ``re:`` is instead a Python
regular expression, searched in the paragraph's normalised text (lower case, straight
quotes, single spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dedup.errors import UsageError
from dedup.text.normalize import normalize, tokens


@dataclass(frozen=True, slots=True)
class AllowList:
    """Paragraph texts (as normalised token strings) and patterns that are never reported."""

    texts: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.texts or self.patterns)

    def allows(self, text: str, joined: str) -> bool:
        """Return whether a paragraph (its compare text, and its tokens joined by single
        spaces) is allowed to repeat."""
        if joined in self.texts:
            return True
        if self.patterns:
            norm = normalize(text)
            return any(p.search(norm) for p in self.patterns)
        return False

    @classmethod
    def load(cls, paths: Iterable[Path]) -> AllowList:
        """Read allow-list files; a missing file or a bad pattern is a usage error."""
        texts: set[str] = set()
        patterns: list[re.Pattern[str]] = []
        for path in paths:
            try:
                content = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise UsageError(f"allow-list {path}: no such file or directory") from None
            except OSError as exc:
                raise UsageError(f"allow-list {path}: cannot read: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise UsageError(f"allow-list {path}: not valid UTF-8") from None
            block: list[str] = []
            for number, line in enumerate([*content.splitlines(), ""], start=1):
                if line.startswith("re:"):
                    try:
                        patterns.append(re.compile(line[3:].strip()))
                    except re.error as exc:
                        raise UsageError(
                            f"{path}:{number}: bad regular expression: {exc}"
                        ) from None
                elif line.strip():
                    block.append(line)
                    continue
                if block:
                    texts.add(" ".join(tokens("\n".join(block))))
                    block = []
        return cls(frozenset(texts), tuple(patterns))
