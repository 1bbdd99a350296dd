"""``dedup check``: a CI gate that fails when a document tree has repeated paragraphs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from dedup import __version__
from dedup.check.baseline import Baseline
from dedup.check.findings import (
    ArchiveInfo,
    CheckResult,
    Finding,
    Unreadable,
    run_check,
)
from dedup.commands import options as o
from dedup.commands.common import nothing_to_check, refuse_a_checked_file, refuse_an_input, tell
from dedup.core.models import Document, Report
from dedup.core.prepare import Prepared, Progress
from dedup.core.settings import Settings
from dedup.engines.choice import ClusterInputs, Engine, EngineChoice, choose
from dedup.engines.stream import DocumentSource
from dedup.errors import UsageError
from dedup.inputs.sources import Inputs, JsonlOptions, input_files
from dedup.option_table import OnErrorChoice
from dedup.text.allow import AllowList
from dedup.writers.check_formats import Format, cut_count, render
from dedup.writers.console import Meter, error, in_ci, notice
from dedup.writers.notes import settings_dict
from dedup.writers.output import same_target, staged_files, write_atomic, write_stdout


@o.command("check")
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files and folders to check (recursive); - reads stdin. [default: .]"),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = Format.TEXT,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write the report here; a summary goes to stderr."),
    ] = None,
    *,
    exit_zero: bool,
    baseline: str | None,
    write_baseline: str | None,
    against: str | None,
    encoding: str | None,
    config: str | None,
    jobs: int | None,
    text_field: str,
    id_field: str | None,
    on_error: OnErrorChoice | None,
    no_ignore: bool,
    quiet: bool,
    engine: EngineChoice,
    scheduler: str | None,
    **overrides: Any,
) -> None:
    """Report repeated paragraphs within and across documents; exit 1 if any fail."""
    cfg = o.configure(config, overrides, paths=paths)
    jsonl_on_error = (on_error or OnErrorChoice.SKIP).value
    files_fail = on_error is not OnErrorChoice.SKIP
    # --remove (or config remove) says what clean removes; check reports every kind
    # whatever it says, so it compares as clean does by default.
    settings = dataclasses.replace(cfg.settings(), remove=Settings().remove)
    roles = cfg.roles
    allow = AllowList.load(cfg.allow_files())
    refuse_an_input("--output", output, paths)
    refuse_an_input("--write-baseline", write_baseline, paths)
    if baseline is not None and write_baseline is not None:
        raise UsageError(
            "--baseline and --write-baseline do not go together: --write-baseline records "
            "every repeat found now, --baseline hides the ones a baseline records"
        )
    if (
        write_baseline is not None
        and output not in (None, "-")
        and same_target(write_baseline, str(output))
    ):
        raise UsageError(
            f"--write-baseline {write_baseline} and --output {output} are the same file; "
            "give the report its own file"
        )
    accepted = Baseline.load(baseline) if baseline is not None else None

    chosen = choose(engine, scheduler=scheduler, against=against)
    # The Dask engine reads as it compares; its own display shows its tasks.
    meter = Meter(enabled=not quiet, first="comparing" if chosen is Engine.DASK else "reading")

    def run(
        documents: list[Document] | DocumentSource | ClusterInputs,
        progress: Progress | None,
        extra: Callable[[Report, Sequence[Prepared]], Sequence[Finding]] | None = None,
        info: ArchiveInfo | None = None,
    ) -> CheckResult:
        return run_check(
            documents,
            settings,
            engine=chosen,
            fail_on=cfg.fail_on,
            allow=allow,
            baseline=accepted,
            exit_zero=exit_zero,
            jobs=jobs,
            progress=progress,
            stage=meter.stage,
            extra=extra,
            against=info,
            roles=roles,
            notice=None if quiet else notice,
        )

    def local_inputs() -> Inputs:
        return Inputs.found(
            paths,
            cfg,
            encoding,
            JsonlOptions(text_field, id_field, jsonl_on_error, cfg.limits),
            no_ignore=no_ignore,
            collect_errors=True,
        )

    try:
        inputs: Inputs | None = None
        if chosen is Engine.DASK:  # the workers read the files: only their names here
            # Imported only for this engine: a plain check does without.
            from dedup.inputs.partition import ReadOptions

            files = input_files(paths, cfg, no_ignore=no_ignore)
            read = ReadOptions(
                encoding,
                settings.syntax.value,
                text_field,
                id_field,
                jsonl_on_error,
                tuple(cfg.syntax_map.items()),
                cfg.limits,
            )
            result = run(ClusterInputs(files, read, scheduler), None)
        elif against is not None:
            # Drafts checked against an archive are held whole: the lookup needs every paragraph.
            inputs = local_inputs()
            files = inputs.files
            docs = list(inputs.documents())
            if not quiet:
                tell(inputs)
            if not docs:  # nothing to look up: the archive is not opened
                result = run([], None)
            else:
                from dedup.archive import open_archive
                from dedup.archive.against import findings as archive_findings

                store = open_archive(against)
                try:
                    info = ArchiveInfo(store.location, *store.totals())

                    def extra(report: Report, prepared: Sequence[Prepared]) -> list[Finding]:
                        return archive_findings(
                            store,
                            report,
                            settings,
                            cfg.fail_on,
                            allow=allow,
                            jobs=jobs,
                            prepared=prepared,
                        )

                    result = run(docs, meter.reading(sum(len(d.text) for d in docs)), extra, info)
                finally:
                    store.close()
        else:
            inputs = local_inputs()
            files = inputs.files
            result = run(inputs, inputs.progress(meter.reading(inputs.size)))
        errors = [] if inputs is None else sorted(inputs.errors, key=lambda e: e.path)
        refuse_a_checked_file("--output", output, result.report.paths())
        refuse_a_checked_file("--write-baseline", write_baseline, result.report.paths())
        # Every file and folder that could not be read is in the report: an error finding,
        # or a warning with --on-error skip.
        unreadable = tuple(Unreadable(e.path, e.problem, files_fail) for e in errors)
        if unreadable != result.unreadable:  # a new result groups its findings again
            result = dataclasses.replace(result, unreadable=unreadable)
        meter.stage("writing")
        # With --write-baseline the report is written only if --output names a file or -.
        report_file = output is not None and output != "-"
        rendered = (
            b""
            if write_baseline is not None and output is None
            else render(result, fmt, __version__, cfg.max_findings)
        )
        meter.close()  # the bar goes before anything else is said on stderr
        if inputs is not None and against is None and not quiet:
            tell(inputs)
        if not result.report.documents and not errors:
            nothing_to_check(cfg, len(files))
        for u in unreadable:  # and on stderr, one line each
            if u.failing:
                error(f"{u.path}: {u.problem}")
            elif not quiet:
                notice(f"warning: skipped {u.path}: {u.problem}")
        if (
            not result.report.documents
            and not result.unreadable
            and (write_baseline is not None or (fmt is Format.TEXT and output in (None, "-")))
        ):
            raise typer.Exit(0)  # the notice says it all; a machine format still gets its report
        total, cut = cut_count(result, fmt, cfg.max_findings)
        if cut and rendered:  # said even with --quiet: a report that leaves findings out says so
            shown = total - cut
            notice(
                f"{fmt.value} report shows {shown} of {shown + cut} findings, failing ones first "
                f"({'--max-findings' if cfg.max_findings else 'GitHub code scanning keeps 5000'}); "
                "--max-findings 0 shows all, --format json lists every one"
            )
        if write_baseline is not None:
            body = Baseline.from_findings(result.all_findings).dumps(settings_dict(result.report))
            with staged_files() as staged:  # the baseline and the report: both, or neither
                staged.write(write_baseline, body.encode("utf-8"))
                if report_file:
                    staged.write(str(output), rendered)
            if output == "-":
                write_stdout(rendered)
            if not quiet:
                n = len(result.all_findings)
                notice(f"wrote {n} accepted repeat{'s' if n != 1 else ''} to {write_baseline}")
                if report_file:
                    notice(f"wrote the report to {output}")
            raise typer.Exit(0)
        if output is not None and output != "-":
            write_atomic(output, rendered)
            if not quiet:
                notice(result.summary())
        else:
            write_stdout(rendered)
            if fmt is not Format.TEXT and not quiet:
                notice(result.summary())
        if not quiet and in_ci():  # a CI log: how long, and where the time went
            n = result.report.paragraph_count
            notice(meter.timing(f"checked {n:,} paragraph{'s' if n != 1 else ''}"))
        raise typer.Exit(int(result.exit_code))
    finally:
        meter.close()
