"""Human summaries on stderr, with rich. The only library module that imports rich."""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.markup import escape

from dedup.core.models import Report
from dedup.core.prepare import Progress
from dedup.text.safe_text import visible

if TYPE_CHECKING:  # imported when a bar is drawn: a run off a terminal draws none
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


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

    The bar of a run that has only one stage: see ``Meter`` for one that tells reading,
    comparing and writing apart.
    """
    with Meter(enabled=enabled) as meter:
        yield meter.reading(total)


def in_ci() -> bool:
    """Return True in a CI job: the ``CI`` variable that CI services set (GitHub Actions,
    GitLab, CircleCI, Travis, Buildkite...) is set and not false, and stderr is no terminal."""
    flag = os.environ.get("CI", "").strip().lower()
    return flag not in ("", "0", "false", "no") and not sys.stderr.isatty()


#: What a run does, in order; the meter shows which one is under way.
STAGES = ("reading", "comparing", "writing")


class Meter:
    """The stages of one run on stderr: a progress bar on a terminal, one timing line in CI.

    On a terminal (and not with --quiet) the bar says which stage is under way: while
    reading, the callback's first number (bytes or characters read) against ``total``,
    paragraphs and paragraphs per second, an ETA; then "comparing" and "writing", which
    pulse, so a bar never sits still at 100 %. The engine says when reading ends
    (``stage("comparing")``). Off a terminal nothing is
    drawn; ``timing()`` gives the one line a CI log gets at the end. The bar is drawn
    from ``reading()`` on and removed when the meter is left.
    """

    def __init__(self, *, enabled: bool, first: str = STAGES[0]) -> None:
        self.total: int | None = None
        self.enabled = enabled
        self.started = time.monotonic()
        self.current = first  # "comparing" for an engine that reads as it compares
        self.spent: dict[str, float] = {}
        self._since = self.started
        self.paragraphs = 0
        self._done = 0
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Meter:
        return self

    def reading(self, total: int | None) -> Progress | None:
        """Start the bar (on a terminal) for ``total`` bytes or characters to read; return
        the reading callback, or None when nothing is drawn."""
        self.total = total
        if self._bar is None and self.enabled and sys.stderr.isatty():
            from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]dedup[/] {task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.fields[paragraphs]:,} paragraphs, {task.fields[rate]}/s"),
                TimeRemainingColumn(),
                console=stderr_console(),
                transient=True,
            )
            self._bar.__enter__()
            total = None if self.total is None else max(self.total, 1)
            self._task = self._bar.add_task(self.current, total=total, paragraphs=0, rate="-")
        return self._advance if self._bar is not None else None

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the bar (the timing goes on counting until ``timing()``)."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def _advance(self, chars: int, paragraphs: int) -> None:
        self.paragraphs += paragraphs
        self._done += chars
        if self._bar is not None and self._task is not None and self.current == STAGES[0]:
            rate = self.paragraphs / max(time.monotonic() - self.started, 1e-6)
            self._bar.update(
                self._task, advance=chars, paragraphs=self.paragraphs, rate=f"{rate:,.0f}"
            )

    def stage(self, name: str) -> None:
        """Say that stage ``name`` (one of ``STAGES``) has begun; earlier ones are over."""
        if STAGES.index(name) <= STAGES.index(self.current):
            return
        self._close()
        self.current = name
        if self._bar is not None and self._task is not None:
            self._bar.reset(self._task, total=None, description=name)
            self._bar.update(self._task, paragraphs=self.paragraphs)

    def _close(self) -> None:
        now = time.monotonic()
        self.spent[self.current] = self.spent.get(self.current, 0.0) + now - self._since
        self._since = now

    def timing(self, what: str) -> str:
        """Return the one-line timing: ``what`` took so long, and each stage's share."""
        self._close()
        total = time.monotonic() - self.started
        parts = ", ".join(f"{s} {self.spent[s]:.2f} s" for s in STAGES if s in self.spent)
        return f"{what} in {total:.2f} s ({parts})"
