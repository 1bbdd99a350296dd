"""The terminal view of ``dedup diff`` and the ``dedup explain`` page, with rich.

Colour follows rich: none when output is not a terminal or ``NO_COLOR`` is set; the text
still reads on its own, with wdiff-style markers ``[-only in kept-]{+only in removed+}``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dedup.models import Kind, Match, Report
from dedup.segment import Lines
from dedup.worddiff import word_diff

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
        if piece.op == "equal":
            out.append(piece.text)
        elif piece.op == "delete":
            out.append(f"[-{piece.text}-]", style="bold red")
        else:
            out.append(f"{{+{piece.text}+}}", style="bold green")
    return out


def _numbered(grid: Table, lines: Lines, first: int, stop: int, style: str, mark: str) -> None:
    for i in range(first, stop):
        grid.add_row(
            Text(f"{mark}{i + 1:>5} │", style="dim"),
            Text(lines.line(i).rstrip("\r\n"), style=style),
        )


def removal_block(m: Match, report: Report, lines: Lines, context: int) -> Table:
    """Return one removal in context: lines around it, the removal, its reason, its diff."""
    p, kept = m.paragraph, m.other
    first, last = p.start_line - 1, p.end_line
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    _numbered(grid, lines, max(0, first - context), first, "dim", " ")
    _numbered(grid, lines, first, last, "red strike", "-")
    kept_path = report.documents[kept.doc].path
    reason = Text("↳ ")
    reason.append(f"{m.kind.value} {m.similarity:.2f}", style=KIND_STYLE[m.kind])
    reason.append(f"  repeats {kept_path}:{kept.start_line}")
    grid.add_row("", reason)
    if m.kind is not Kind.EXACT:
        grid.add_row("", word_diff_text(kept.text, p.text))
    _numbered(grid, lines, last, min(len(lines), last + context), "dim", " ")
    return grid


def summary_table(report: Report) -> Table:
    """Return files, paragraphs and removals by kind, one row per file and a total."""
    table = Table(title="dedup diff", title_justify="left", show_footer=True)
    kinds = list(Kind)
    totals: Counter[str] = Counter()
    rows: list[list[str]] = []
    for i, doc in enumerate(report.documents):
        by_kind = Counter(m.kind for m in report.removals_in(i))
        paragraphs = len(report.paragraphs[i])
        removed = sum(by_kind.values())
        totals.update({"paragraphs": paragraphs, "removed": removed})
        totals.update({k.value: by_kind[k] for k in kinds})
        rows.append([doc.path, str(paragraphs), str(removed), *(str(by_kind[k]) for k in kinds)])
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
        console.rule(Text(f"{doc.path}: {n} paragraph{'s' if n != 1 else ''} removed"))
        for m in removals:
            console.print(removal_block(m, report, lines[i], context))
            console.print()
    console.print(summary_table(report))


def render_explain(console: Console, rows: Sequence[tuple[str, str | Text]]) -> None:
    """Print the ``dedup explain`` facts as a two-column table."""
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
