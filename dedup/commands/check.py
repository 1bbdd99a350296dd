"""``dedup check``: a CI gate that fails when a document tree has repeated paragraphs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Annotated

import typer

from dedup import __version__
from dedup.allow import AllowList
from dedup.archive import open_archive
from dedup.archive.against import findings as archive_findings
from dedup.baseline import Baseline
from dedup.check import ArchiveInfo, CheckResult, Finding, Unreadable, check_report, run_check
from dedup.commands import options as o
from dedup.commands.common import Inputs, JsonlOptions, refuse_an_input
from dedup.commands.distributed import dask_report, nothing_to_check
from dedup.errors import UsageError
from dedup.models import Document, Kind, Report
from dedup.output import same_target, staged_files, write_atomic, write_stdout
from dedup.partition import ReadOptions
from dedup.prepare import Prepared, Progress
from dedup.settings import Settings
from dedup.stream import DocumentSource
from dedup.writers.check_formats import Format, cut_count, render
from dedup.writers.console import Meter, error, in_ci, notice
from dedup.writers.notes import settings_dict


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
    fail_on: Annotated[
        Kind | None,
        typer.Option(
            "--fail-on",
            help="Weakest kind that fails: exact, near, contained, similar. [default: near]",
            case_sensitive=False,
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when repeats are found.")
    ] = False,
    boilerplate_copies: Annotated[
        int | None,
        typer.Option(
            "--boilerplate-copies",
            metavar="N",
            min=0,
            help="A paragraph with N copies or more (in one file or many) is boilerplate: "
            "reported once per group, not failing (0: never). [default: 3]",
        ),
    ] = None,
    fail_on_boilerplate: Annotated[
        bool | None,
        typer.Option(
            "--fail-on-boilerplate/--no-fail-on-boilerplate",
            help="Let boilerplate fail like other repeats. [default: no]",
            show_default=False,
        ),
    ] = None,
    max_findings: Annotated[
        int | None,
        typer.Option(
            "--max-findings",
            metavar="N",
            min=0,
            help="Show at most N findings, failing ones first (0: all; JSON always lists "
            "all). [default: all; SARIF 5000, what GitHub code scanning keeps]",
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Only check files matching this glob (repeatable)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Skip files matching this glob (repeatable)."),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", help="Report only repeats not in this baseline file."),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option("--write-baseline", help="Accept today's repeats: write them to FILE."),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="Also report repeats of paragraphs in this archive (file or redis:// URL).",
        ),
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
    text_field: o.TextField = "text",
    id_field: o.IdField = None,
    on_error: Annotated[
        o.OnErrorChoice | None,
        typer.Option(
            "--on-error",
            help="skip: a file or folder that cannot be read is a warning, and a malformed "
            "JSONL line is skipped (counted); fail: both are errors (exit 2). [default: "
            "unreadable files are errors, reported with the rest, then exit 2; JSONL lines "
            "are skipped]",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    max_line_bytes: o.MaxLineBytes = None,
    max_decompressed_bytes: o.MaxDecompressedBytes = None,
    max_paragraph_bytes: o.MaxParagraphBytes = None,
    no_ignore: Annotated[
        bool,
        typer.Option("--no-ignore", help="Also check the files git ignores."),
    ] = False,
    quiet: o.Quiet = False,
    engine: o.EngineOpt = o.EngineChoice.LOCAL,
    scheduler: o.Scheduler = None,
) -> None:
    """Report repeated paragraphs within and across documents; exit 1 if any fail."""
    cfg = o.configure(config, locals())
    jsonl_on_error = (on_error or o.OnErrorChoice.SKIP).value
    files_fail = on_error is not o.OnErrorChoice.SKIP
    # --remove (or config remove) says what clean removes; check reports every kind
    # whatever it says, so it compares as clean does by default.
    settings = dataclasses.replace(cfg.settings(), remove=Settings().remove)
    roles = cfg.roles
    allow = AllowList.load(cfg.allow_files())
    refuse_an_input("--output", output, paths)
    refuse_an_input("--write-baseline", write_baseline, paths)
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

    dask = engine is o.EngineChoice.DASK or scheduler is not None
    # The Dask engine reads as it compares; its own display shows its tasks.
    meter = Meter(enabled=not quiet, first="comparing" if dask else "reading")

    def run(
        documents: list[Document] | DocumentSource,
        progress: Progress | None,
        extra: Callable[[Report, Sequence[Prepared]], Sequence[Finding]] | None = None,
        info: ArchiveInfo | None = None,
    ) -> CheckResult:
        return run_check(
            documents,
            settings,
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
        if dask:
            if against is not None:
                raise UsageError("--against works with the local engine; leave out --engine dask")
            read = ReadOptions(
                encoding,
                settings.syntax.value,
                text_field,
                id_field,
                jsonl_on_error,
                tuple(cfg.syntax_map.items()),
                cfg.limits,
            )
            report = dask_report(
                paths, cfg, read, allow, engine, scheduler, jobs, quiet=quiet, no_ignore=no_ignore
            )
            result = check_report(
                report, fail_on=cfg.fail_on, baseline=accepted, exit_zero=exit_zero, roles=roles
            )
        elif against is not None:
            # Drafts checked against an archive are held whole: the lookup needs every paragraph.
            inputs = local_inputs()
            docs = list(inputs.documents())
            if not quiet:
                inputs.report()
            if not docs:  # nothing to look up: the archive is not opened
                result = run([], None)
            else:
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
            result = run(inputs, inputs.progress(meter.reading(inputs.size)))
        errors = [] if inputs is None else sorted(inputs.errors, key=lambda e: e.path)
        # Every file and folder that could not be read is in the report: an error finding,
        # or a warning with --on-error skip.
        unreadable = tuple(Unreadable(e.path, e.problem, files_fail) for e in errors)
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
            inputs.report()
        if inputs is not None and not result.report.documents and not inputs.errors:
            nothing_to_check(cfg, len(inputs.files))
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
