"""``--engine dask``: inputs are listed here, then read and compared on a Dask cluster."""

from __future__ import annotations

from dedup.commands.common import nothing_to_check
from dedup.config import Config
from dedup.core.models import Report
from dedup.core.prepare import default_jobs
from dedup.engines.dask_cluster import connect, require_dask
from dedup.engines.pipeline import find_duplicates
from dedup.errors import UsageError
from dedup.inputs import sources as inputs
from dedup.inputs.partition import ReadOptions
from dedup.text.allow import AllowList
from dedup.writers.console import notice


def input_files(paths: list[str] | None, cfg: Config, *, no_ignore: bool = False) -> list[str]:
    """Return the files to read, as the local engine finds them; stdin is refused."""
    files = inputs.input_files(paths, cfg, no_ignore=no_ignore)
    if "-" in files:
        raise UsageError("--engine dask reads its inputs on the workers, not stdin: name files")
    return files


def dask_report(
    paths: list[str] | None,
    cfg: Config,
    read: ReadOptions,
    allow: AllowList,
    scheduler: str | None,
    jobs: int | None,
    *,
    quiet: bool,
    no_ignore: bool = False,
) -> Report:
    """Run the Dask engine on a local cluster of ``jobs`` workers or at ``scheduler``."""
    require_dask()
    files = input_files(paths, cfg, no_ignore=no_ignore)
    if not files:
        nothing_to_check(cfg, 0)
        return find_duplicates([], cfg.settings())
    from dedup.engines import dask_engine  # imports dask: only with the extra installed

    with connect(scheduler, jobs or default_jobs()) as client:
        report = dask_engine.find_duplicates(
            files,
            cfg.settings(),
            client,
            allow=allow,
            options=read,
            notice=None if quiet else notice,
        )
    if not report.documents:
        nothing_to_check(cfg, len(files))
    return report
