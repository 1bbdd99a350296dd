"""Human summaries on stderr, with rich. The only library module that imports rich."""

from __future__ import annotations

import sys
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from dedup.models import Report


def stderr_console(file: TextIO | None = None) -> Console:
    """Return a console on stderr (colour only on a terminal; NO_COLOR respected by rich)."""
    return Console(file=file or sys.stderr, highlight=False, soft_wrap=True)


def error(message: str, file: TextIO | None = None) -> None:
    """Print one ``error: ...`` line on stderr."""
    stderr_console(file).print(f"[bold red]error:[/] {escape(message)}", markup=True)


def clean_summary(report: Report, destination: str, file: TextIO | None = None) -> None:
    """Print what ``dedup clean`` did, in one or two lines."""
    removals = report.removals
    total = report.paragraph_count
    by_kind = Counter(m.kind.value for m in removals)
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items()))
    line = f"removed {len(removals)} of {total} paragraphs" + (f" ({kinds})" if kinds else "")
    review = len(report.review)
    if review:
        line += f"; {review} pair{'s' if review != 1 else ''} for review"
    console = stderr_console(file)
    console.print(f"[bold]dedup:[/] {escape(line)} → {escape(destination)}", markup=True)


def notice(message: str, file: TextIO | None = None) -> None:
    """Print one ``dedup: ...`` line on stderr."""
    stderr_console(file).print(f"[bold]dedup:[/] {escape(message)}", markup=True)
