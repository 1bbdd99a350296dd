"""Human summaries on stderr, with rich. The only library module that imports rich."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from dedup.models import Report
from dedup.prepare import Progress
from dedup.safe_text import visible


def stderr_console(file: TextIO | None = None) -> Console:
    """Return a console on stderr (colour only on a terminal; NO_COLOR respected by rich)."""
    return Console(file=file or sys.stderr, highlight=False, soft_wrap=True)


def error(message: str, file: TextIO | None = None) -> None:
    """Print one ``error: ...`` line on stderr (control characters made visible)."""
    stderr_console(file).print(f"[bold red]error:[/] {escape(visible(message))}", markup=True)


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
    console.print(f"[bold]dedup:[/] {escape(line)} → {escape(visible(destination))}", markup=True)


def notice(message: str, file: TextIO | None = None) -> None:
    """Print one ``dedup: ...`` line on stderr (control characters made visible)."""
    stderr_console(file).print(f"[bold]dedup:[/] {escape(visible(message))}", markup=True)


@contextmanager
def progress_bar(total: int | None, *, enabled: bool) -> Iterator[Progress | None]:
    """Yield a callback that advances a progress bar on stderr, or None when disabled.

    Shown only on a terminal (and not with --quiet): the callback's first number (bytes
    or characters read) against ``total`` as the measure, paragraphs and paragraphs per
    second as the text, an ETA. With no ``total`` (compressed input) the bar only pulses.
    """
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    bar = RichProgress(
        TextColumn("[bold]dedup[/]"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[paragraphs]:,} paragraphs, {task.fields[rate]}/s"),
        TimeRemainingColumn(),
        console=stderr_console(),
        transient=True,
    )
    started = time.monotonic()
    done = [0]
    with bar:
        task = bar.add_task(
            "reading", total=None if total is None else max(total, 1), paragraphs=0, rate="-"
        )

        def advance(chars: int, paragraphs: int) -> None:
            done[0] += paragraphs
            rate = done[0] / max(time.monotonic() - started, 1e-6)
            bar.update(task, advance=chars, paragraphs=done[0], rate=f"{rate:,.0f}")

        yield advance
