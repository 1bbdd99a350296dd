"""``dedup clean``: write the text without its repeated paragraphs, and provenance notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from dedup.commands import options as o
from dedup.core.models import Report
from dedup.core.settings import Settings
from dedup.engines.pipeline import clean as run_clean
from dedup.engines.stream import find_duplicates_streaming
from dedup.errors import InputError, UsageError
from dedup.inputs.jsonl import JsonlFile, Limits, is_jsonl, iter_records, skipped_message
from dedup.inputs.reader import read_document
from dedup.inputs.sources import Inputs, JsonlOptions
from dedup.option_table import OnErrorChoice
from dedup.text.allow import AllowList
from dedup.writers import bounded
from dedup.writers.console import clean_summary, notice, progress_bar
from dedup.writers.notes import notes_json, notes_markdown
from dedup.writers.output import Staging, same_target, staged_files
from dedup.writers.records import Written, cleaned_lines, notes_document, notes_lines


@o.command("clean")
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
    *,
    encoding: str | None,
    config: str | None,
    jobs: int | None,
    text_field: str,
    id_field: str | None,
    on_error: OnErrorChoice,
    notes_field: str | None,
    drop_empty: bool,
    quiet: bool,
    **overrides: Any,
) -> None:
    """Remove repeated paragraphs; keep every other byte as it was."""
    cfg = o.configure(config, overrides)
    settings = cfg.settings()
    allow = AllowList.load(cfg.allow_files())
    if in_place and path == "-":
        raise UsageError("--in-place needs a file, not stdin")
    if in_place and output is not None:
        raise UsageError("--in-place and --output cannot be used together")
    _refuse_the_same_file(path, output, in_place, notes)
    if is_jsonl(path):
        _clean_jsonl(
            path,
            settings=settings,
            allow=allow,
            jobs=jobs,
            output=output,
            in_place=in_place,
            notes=notes,
            text_field=text_field,
            id_field=id_field,
            on_error=on_error.value,
            limits=cfg.limits,
            notes_field=notes_field,
            drop_empty=drop_empty,
            quiet=quiet,
        )
        return
    if notes is not None and Path(notes).suffix.lower() not in (".json", ".md"):
        raise UsageError(f"--notes {notes}: the file name must end in .json or .md")

    inputs = Inputs([path], cfg.syntax_for(path), encoding, JsonlOptions(limits=cfg.limits))
    if path != "-" and bounded.is_big(inputs):
        # Decided by the streaming engine, written a range at a time (``dedup.writers.bounded``).
        report = find_duplicates_streaming(inputs, settings, allow=allow, jobs=jobs)
        [(_, document)] = inputs.reread([0])
        report = dataclasses.replace(report, documents=(document,))  # the notes read its text
        ranges = bounded.kept_ranges(document, report.removals_in(0), settings.structure)

        def text(fh: IO[bytes]) -> None:
            bounded.write_kept(document, ranges, fh)
    else:
        document = read_document(path, encoding=encoding, syntax=cfg.syntax_for(path))
        cfg.limits.check_paragraphs(document)
        [cleaned], report = run_clean([document], settings, allow=allow, jobs=jobs)

        def text(fh: IO[bytes]) -> None:
            fh.write(cleaned.encode())

    with staged_files() as staged:  # the notes and the text: both, or neither
        if notes is not None:
            body = notes_json(report) if notes.lower().endswith(".json") else notes_markdown(report)
            staged.write(notes, body.encode("utf-8"))
        destination = _write(staged, text, path, output, in_place, changed=bool(report.removals))
    if not quiet:
        clean_summary(report, destination)


def _clean_jsonl(
    path: str,
    *,
    settings: Settings,
    allow: AllowList,
    jobs: int | None,
    output: str | None,
    in_place: bool,
    notes: str | None,
    text_field: str,
    id_field: str | None,
    on_error: str,
    limits: Limits,
    notes_field: str | None,
    drop_empty: bool,
    quiet: bool,
) -> None:
    """Clean a JSONL corpus across records, record order and other fields kept."""
    if notes is not None and not notes.lower().endswith((".jsonl", ".json")):
        raise UsageError(
            f"--notes {notes}: for JSONL input the file name must end in .jsonl or .json"
        )
    syntax = settings.syntax.value if settings.syntax.value != "auto" else "text"
    if in_place and path.lower().endswith((".gz", ".zst")):
        raise UsageError("--in-place cannot rewrite a compressed file; use --output")
    inputs = Inputs([path], syntax, None, JsonlOptions(text_field, id_field, on_error, limits))
    with progress_bar(inputs.size, enabled=not quiet) as progress:
        # The second pass rereads only the records that hold a candidate (``Inputs.reread``).
        report = find_duplicates_streaming(
            inputs, settings, allow=allow, jobs=jobs, progress=inputs.progress(progress)
        )
    [counts] = inputs.corpora
    # Unusable lines pass through unchanged: one not read cannot be, and one with a
    # paragraph over the limit is not cleaned.
    for problem, advice in (
        (limits.overlong(), "; clean cannot pass it through unchanged: raise --max-line-bytes"),
        (limits.oversized(), ""),
    ):
        if first := next((e for e in counts.errors if e.problem == problem), None):
            raise InputError(path, f"line {first.line}: {problem}{advice}")
    written = Written()
    lines = cleaned_lines(
        iter_records(
            path,
            JsonlFile(path, text_field),
            id_field=id_field,
            on_error=on_error,
            syntax=syntax,
            limits=limits,
        ),
        report,
        text_field,
        written,
        notes_field=notes_field,
        drop_empty=drop_empty,
    )
    changed = bool(report.removals)
    target = path if in_place else (output or "-")
    # The notes are known once the records are written; both go in place together
    # (standard output last, after the files), or neither does.
    with staged_files() as staged:
        if in_place and not changed:  # an unchanged file is not rewritten (its mtime stays)
            for _ in lines:
                pass
        else:
            with staged.file(target) as fh:
                fh.writelines(lines)
        _write_notes(staged, notes, path, report, counts, written)
    destination = "stdout" if target == "-" else target
    if in_place and not changed:
        destination += " (unchanged, not rewritten)"
    if not quiet:
        for warning in counts.warnings(id_field):
            notice(warning)
        if counts.errors:
            notice(skipped_message(counts.errors))
        clean_summary(report, destination)
        if written.dropped:
            notice(
                f"dropped {written.dropped} record{'s' if written.dropped != 1 else ''} left empty"
            )


def _write_notes(
    staged: Staging,
    notes: str | None,
    path: str,
    report: Report,
    counts: JsonlFile,
    written: Written,
) -> None:
    if notes is None:
        return
    with staged.file(notes) as fh:
        if notes.lower().endswith(".jsonl"):
            fh.writelines(notes_lines(report))
        else:
            fh.write(notes_document(path, report, counts.errors, written).encode("utf-8"))


def _write(
    staged: Staging,
    write: Callable[[IO[bytes]], None],
    path: str,
    output: str | None,
    in_place: bool,
    *,
    changed: bool,
) -> str:
    """Stage the cleaned bytes (``write`` writes them to a file) where asked; return where
    they go, for the summary."""
    if in_place:
        if changed:  # an unchanged file is not rewritten (its mtime stays)
            with staged.file(path) as fh:
                write(fh)
            return path
        return f"{path} (unchanged, not rewritten)"
    target = "-" if output is None else output
    with staged.file(target) as fh:
        write(fh)
    return "stdout" if target == "-" else target


def _refuse_the_same_file(path: str, output: str | None, in_place: bool, notes: str | None) -> None:
    """Refuse a file named twice, however spelled (links, ``./``, absolute or relative)."""

    def spelled(given: str, other: str) -> str:  # the other spelling, when it differs
        return f" {other}" if given != other else ""

    if output is not None and output != "-" and path != "-" and same_target(path, output):
        raise UsageError(
            f"--output {output} is the input file{spelled(output, path)}; "
            "use --in-place to rewrite it"
        )
    if notes is None:
        return
    text = path if in_place else (output or "-")
    if same_target(notes, text):
        where = f" in {text}" if notes != text else ""
        raise UsageError(
            f"--notes {notes} would overwrite the text{where}; give the notes their own file"
        )
    if path != "-" and same_target(notes, path):
        raise UsageError(
            f"--notes {notes} is the input file{spelled(notes, path)}; "
            "give the notes their own file"
        )
