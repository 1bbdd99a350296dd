"""``dedup diff``: what cleaning would remove and why, as a patch, a terminal view or HTML."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from dedup import __version__
from dedup.commands import options as o
from dedup.commands.common import refuse_an_input, tell
from dedup.core.settings import Settings
from dedup.engines.pipeline import clean as run_clean
from dedup.engines.stream import find_duplicates_streaming
from dedup.inputs.sources import Inputs, JsonlOptions
from dedup.option_table import OnErrorChoice
from dedup.status import ExitCode
from dedup.text.allow import AllowList
from dedup.text.segment import Lines
from dedup.writers import bounded
from dedup.writers.console import notice, progress_bar
from dedup.writers.html import render_html
from dedup.writers.output import write_atomic, write_stdout
from dedup.writers.terminal import console_for, render_diff
from dedup.writers.unified import unified_diff


class DiffFormat(StrEnum):
    """Output of ``dedup diff`` on stdout."""

    AUTO = "auto"
    UNIFIED = "unified"
    TERMINAL = "terminal"


@o.command("diff")
def diff(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files and folders (recursive); - reads stdin. [default: .]"),
    ] = None,
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help="unified (a patch), terminal (rich view), or auto: terminal on a terminal, "
            "else unified.",
            case_sensitive=False,
        ),
    ] = DiffFormat.AUTO,
    html: Annotated[
        str | None,
        typer.Option("--html", help="Write a self-contained HTML report to this file."),
    ] = None,
    context: Annotated[
        int, typer.Option("--context", "-C", help="Lines of context around each removal.", min=0)
    ] = 3,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when something would be removed.")
    ] = False,
    *,
    encoding: str | None,
    config: str | None,
    jobs: int | None,
    text_field: str,
    id_field: str | None,
    on_error: OnErrorChoice,
    no_ignore: bool,
    quiet: bool,
    **overrides: Any,
) -> None:
    """Show what dedup clean would remove, next to what it repeats."""
    cfg = o.configure(config, overrides, paths=paths)
    settings = cfg.settings()
    allow = AllowList.load(cfg.allow_files())
    refuse_an_input("--html", html, paths)
    inputs = Inputs.found(
        paths,
        cfg,
        encoding,
        JsonlOptions(text_field, id_field, on_error.value, cfg.limits),
        no_ignore=no_ignore,
    )
    show = fmt
    if fmt is DiffFormat.AUTO:
        show = DiffFormat.TERMINAL if sys.stdout.isatty() else DiffFormat.UNIFIED
        if html is not None:
            show = DiffFormat.AUTO  # the report was asked for; stdout stays quiet
    if show is DiffFormat.UNIFIED and html is None and bounded.is_big(inputs):
        found = _bounded_patch(inputs, settings, allow, jobs, context, quiet=quiet)
        raise typer.Exit(int(ExitCode.FOUND if exit_code and found else ExitCode.OK))
    docs = list(inputs.documents())
    if not quiet:
        tell(inputs)
    with progress_bar(sum(len(d.text) for d in docs), enabled=not quiet) as progress:
        cleaned, report = run_clean(docs, settings, allow=allow, jobs=jobs, progress=progress)
    lines = [Lines.of(d.text) for d in report.documents]
    if html is not None:
        write_atomic(html, render_html(report, lines, __version__).encode("utf-8"))
        if not quiet:
            n, d = len(report.removals), len(docs)
            notice(
                f"wrote {html}: {n} removal{'s' if n != 1 else ''} in {d} "
                f"document{'s' if d != 1 else ''}"
            )
    if show is DiffFormat.UNIFIED:
        for c in cleaned:
            write_stdout(unified_diff(c.document, c.text, context))
    elif show is DiffFormat.TERMINAL:
        render_diff(console_for(), report, lines, context=context)
    found = bool(report.removals)
    raise typer.Exit(int(ExitCode.FOUND if exit_code and found else ExitCode.OK))


def _bounded_patch(
    inputs: Inputs,
    settings: Settings,
    allow: AllowList,
    jobs: int | None,
    context: int,
    *,
    quiet: bool,
) -> bool:
    """Write the patch of big inputs in bounded memory (``dedup.writers.bounded``): the streaming
    engine's report, then each document with removals read again and its patch written.
    Return whether anything would be removed."""
    with progress_bar(inputs.size, enabled=not quiet) as progress:
        report = find_duplicates_streaming(
            inputs, settings, allow=allow, jobs=jobs, progress=inputs.progress(progress)
        )
    if not quiet:
        tell(inputs)
    wanted = sorted({m.paragraph.doc for m in report.removals})
    for d, doc in inputs.reread(wanted):
        ranges = bounded.kept_ranges(doc, report.removals_in(d), settings.structure)
        bounded.write_patch(doc, ranges, context, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return bool(report.removals)
