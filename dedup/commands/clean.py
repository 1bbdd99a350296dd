"""``dedup clean``: write the text without its repeated paragraphs, and provenance notes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dedup.allow import AllowList
from dedup.commands import options as o
from dedup.errors import UsageError
from dedup.output import same_file, write_atomic, write_stdout
from dedup.pipeline import clean as run_clean
from dedup.reader import read_document
from dedup.writers.console import clean_summary
from dedup.writers.notes import notes_json, notes_markdown


def clean(
    path: Annotated[str, typer.Argument(help="Text or Markdown file to clean; - reads stdin.")],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write the cleaned text here (default: stdout)."),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Rewrite PATH atomically with the cleaned text.")
    ] = False,
    notes: Annotated[
        str | None,
        typer.Option("--notes", help="Write provenance notes: FILE.json (JSON) or FILE.md."),
    ] = None,
    threshold: o.Threshold = None,
    review_threshold: o.ReviewThreshold = None,
    containment: o.Containment = None,
    ngram: o.Ngram = None,
    num_perm: o.NumPerm = None,
    seed: o.Seed = None,
    keep: o.KeepOpt = None,
    remove: o.Remove = None,
    min_words: o.MinWords = None,
    review_min_words: o.ReviewMinWords = None,
    syntax: o.SyntaxOpt = None,
    encoding: o.Encoding = None,
    config: o.ConfigOpt = None,
    jobs: o.Jobs = None,
    quiet: o.Quiet = False,
) -> None:
    """Remove repeated paragraphs; keep every other byte as it was."""
    cfg = o.configure(
        config,
        threshold=threshold,
        review_threshold=review_threshold,
        containment=containment,
        ngram=ngram,
        num_perm=num_perm,
        seed=seed,
        keep=keep,
        remove=remove,
        min_words=min_words,
        review_min_words=review_min_words,
        syntax=syntax,
    )
    settings = cfg.settings()
    allow = AllowList.load(cfg.allow_files())
    if in_place and path == "-":
        raise UsageError("--in-place needs a file, not stdin")
    if in_place and output is not None:
        raise UsageError("--in-place and --output cannot be used together")
    if output is not None and output != "-" and path != "-" and same_file(path, output):
        raise UsageError(f"--output {output} is the input file; use --in-place to rewrite it")
    if notes is not None and Path(notes).suffix.lower() not in (".json", ".md"):
        raise UsageError(f"--notes {notes}: the file name must end in .json or .md")

    document = read_document(path, encoding=encoding, syntax=settings.syntax.value)
    [cleaned], report = run_clean([document], settings, allow=allow, jobs=jobs)

    if notes is not None:
        body = notes_json(report) if notes.lower().endswith(".json") else notes_markdown(report)
        write_atomic(notes, body.encode("utf-8"))
    data = cleaned.encode()
    if in_place:
        destination = path
        if report.removals:
            write_atomic(path, data)
    elif output is None or output == "-":
        destination = "stdout"
        write_stdout(data)
    else:
        destination = output
        write_atomic(output, data)
    if not quiet:
        clean_summary(report, destination)
