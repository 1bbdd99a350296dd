"""The terminal view of ``dedup diff`` and the ``dedup explain`` page, with rich.

Colour follows rich: none when output is not a terminal or ``NO_COLOR`` is set; the text
still reads on its own, with wdiff-style markers ``[-only in kept-]{+only in removed+}``.
Control characters in file names and lines are shown as ``\\x1b``-style escapes
(``dedup.text.safe_text.visible``): a file cannot send commands to the terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dedup.core.cleaner import plan
from dedup.core.models import Kind, Match, Report
from dedup.core.settings import Settings
from dedup.text.containers import Container, of_document
from dedup.text.safe_text import visible
from dedup.text.segment import Lines
from dedup.text.worddiff import word_diff

KIND_STYLE = {
    Kind.EXACT: "bold red",
    Kind.NEAR: "bold magenta",
    Kind.CONTAINED: "bold yellow",
    Kind.SIMILAR: "bold cyan",
}


def console_for(file: TextIO | None = None, width: int | None = None) -> Console:
    """Return a console for data output (stdout unless ``file``)."""
    return Console(file=file, width=width, highlight=False, soft_wrap=False, emoji=False)


def word_diff_text(kept: str, removed: str) -> Text:
    """Return ``kept`` -> ``removed`` word by word, with wdiff markers and colours."""
    out = Text()
    for n, piece in enumerate(word_diff(kept, removed)):
        if n:
            out.append(" ")
        shown = visible(piece.text, keep="\t\n")
        if piece.op == "equal":
            out.append(shown)
        elif piece.op == "delete":
            out.append(f"[-{shown}-]", style="bold red")
        else:
            out.append(f"{{+{shown}+}}", style="bold green")
    return out


def _row(grid: Table, lines: Lines, i: int, style: str, mark: str) -> None:
    grid.add_row(
        Text(f"{mark}{i + 1:>5} │", style="dim"),
        Text(visible(lines.line(i).rstrip("\r\n"), keep="\t"), style=style),
    )


def _partial_row(grid: Table, lines: Lines, i: int, parts: Sequence[tuple[int, int]]) -> None:
    """Add line ``i``, which loses only ``parts``: those struck and marked ``[-...-]``."""
    line = lines.line(i).rstrip("\r\n")
    text = Text(style="dim")
    cursor = 0
    for start, end in parts:
        end = min(end, len(line))
        text.append(visible(line[cursor:start], keep="\t"))
        if start < end:
            cut = visible(line[start:end], keep="\t")
            text.append(f"[-{cut}-]", style="red strike")
        cursor = max(cursor, end)
    text.append(visible(line[cursor:], keep="\t"))
    grid.add_row(Text(f"~{i + 1:>5} │", style="dim"), text)


def _reason(grid: Table, m: Match, report: Report) -> None:
    kept = m.other
    reason = Text("↳ ")
    reason.append(f"{m.kind.value} {m.similarity:.2f}", style=KIND_STYLE[m.kind])
    reason.append(f"  repeats {visible(report.documents[kept.doc].path)}:{kept.start_line}")
    grid.add_row("", reason)
    if m.kind is not Kind.EXACT:
        grid.add_row("", word_diff_text(report.words(kept), report.words(m.paragraph)))


def hunks(removals: Sequence[Match], n_lines: int, context: int) -> list[tuple[int, int]]:
    """Return 0-based half-open line ranges: each removal with context, overlaps merged."""
    spans = sorted(
        (max(0, m.paragraph.start_line - 1 - context), min(n_lines, m.paragraph.end_line + context))
        for m in removals
    )
    merged: list[tuple[int, int]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def hunk_grid(
    report: Report,
    lines: Lines,
    removals: Sequence[Match],
    span: tuple[int, int],
    boxes: Sequence[Container] = (),
) -> Table:
    """Return the lines of one hunk: context dim, removals struck with their reasons."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    ending: dict[int, list[Match]] = {}
    for m in removals:
        ending.setdefault(m.paragraph.end_line - 1, []).append(m)
    removed = {i for m in removals for i in range(m.paragraph.start_line - 1, m.paragraph.end_line)}
    cutting = plan(lines, [m.paragraph for m in removals], boxes)  # separators, emptied boxes
    for i in range(*span):
        if cutting.gone[i]:
            _row(grid, lines, i, "red strike" if i in removed else "red", "-")
        elif parts := cutting.spans_on(lines, i):
            _partial_row(grid, lines, i, parts)  # HTML elements sharing the line stay
        else:
            _row(grid, lines, i, "dim", " ")
        for m in ending.get(i, []):
            _reason(grid, m, report)
    return grid


def summary_table(report: Report) -> Table:
    """Return files, paragraphs and removals by kind, one row per file and a total."""
    table = Table(title="dedup diff", title_justify="left", show_footer=True)
    kinds = list(Kind)
    totals: Counter[str] = Counter()
    rows: list[list[str]] = []
    for i, doc in enumerate(report.documents):
        by_kind = Counter(m.kind for m in report.removals_in(i))
        paragraphs = report.paragraphs_in(i)
        removed = sum(by_kind.values())
        totals.update({"paragraphs": paragraphs, "removed": removed})
        totals.update({k.value: by_kind[k] for k in kinds})
        rows.append(
            [visible(doc.path), str(paragraphs), str(removed), *(str(by_kind[k]) for k in kinds)]
        )
    files = len(report.documents)
    table.add_column("file", footer=f"{files} file{'s' if files != 1 else ''}", overflow="fold")
    table.add_column("paragraphs", justify="right", footer=str(totals["paragraphs"]))
    table.add_column("removed", justify="right", footer=str(totals["removed"]))
    for k in kinds:
        table.add_column(k.value, justify="right", footer=str(totals[k.value]))
    for row in rows:
        table.add_row(*row)
    return table


def render_diff(
    console: Console, report: Report, lines: Sequence[Lines], *, context: int = 3
) -> None:
    """Print each removal in context, file by file, then the summary table."""
    for i, doc in enumerate(report.documents):
        removals = report.removals_in(i)
        if not removals:
            continue
        n = len(removals)
        console.rule(Text(f"{visible(doc.path)}: {n} paragraph{'s' if n != 1 else ''} removed"))
        assert isinstance(report.settings, Settings)
        boxes = of_document(doc, lines[i], report.settings.structure)
        for span in hunks(removals, len(lines[i]), context):
            console.print(hunk_grid(report, lines[i], removals, span, boxes))
            console.print()
    console.print(summary_table(report))


def render_explain(console: Console, rows: Sequence[tuple[str, str | Text]]) -> None:
    """Print the ``dedup explain`` facts as a two-column table."""
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        shown = visible(value, keep="\t\n") if isinstance(value, str) else value
        table.add_row(label, shown)
    console.print(table)
