"""Which engine finds a run's repeats: chosen in one place (``choose``), run by ``find``.

Every engine gives the same report; they differ in where the documents are held:

- ``MEMORY``: a list of documents, held whole (``pipeline.find_duplicates``). Used when
  something needs every prepared paragraph afterwards (``check --against``);
- ``STREAM``: a source read once per pass, a little kept per paragraph
  (``stream.find_duplicates_streaming``). ``check`` without ``--against``;
- ``DASK``: files read and compared on a Dask cluster (``dask_engine``), at the user's
  ``--engine dask``. It takes file names (``ClusterInputs``), which its workers read;
  ``find`` connects to the cluster, or starts a local one, for the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from dedup.core.models import Document, Report
from dedup.core.prepare import Prepared, Progress, Stage, default_jobs, prepare_all
from dedup.core.settings import Settings
from dedup.engines.pipeline import find_duplicates, gc_paused
from dedup.engines.stream import DocumentSource, find_duplicates_streaming
from dedup.errors import UsageError
from dedup.text.allow import AllowList

if TYPE_CHECKING:  # imported when the Dask engine runs: a plain check does without
    from dedup.inputs.partition import ReadOptions


class EngineChoice(StrEnum):
    """Where the work runs, as the user says it (``--engine``)."""

    LOCAL = "local"
    DASK = "dask"


class Engine(StrEnum):
    """The engine that finds the repeats of a run."""

    MEMORY = "memory"
    STREAM = "stream"
    DASK = "dask"


@dataclass(frozen=True, slots=True)
class ClusterInputs:
    """What the Dask engine reads: ``files``, opened by the workers themselves (so at the
    same path on every worker, unchanged during the run), read as ``read`` says, on the
    cluster at ``scheduler`` or, without one, on a local cluster started for the run."""

    files: Sequence[str]
    read: ReadOptions | None = None  # None: the defaults
    scheduler: str | None = None


def choose(option: EngineChoice, *, scheduler: str | None, against: str | None) -> Engine:
    """Return the engine for ``--engine``, ``--scheduler`` and ``--against``.

    ``--against`` needs every prepared paragraph after the run, so it holds the documents
    in memory; any other local run streams. The Dask engine is refused here, before any
    input is looked for, when its extra is not installed.
    """
    if option is EngineChoice.DASK or scheduler is not None:
        if against is not None:
            raise UsageError("--against works with the local engine; leave out --engine dask")
        if option is not EngineChoice.DASK:
            raise UsageError("--scheduler needs --engine dask")
        from dedup.engines.dask_cluster import require_dask

        require_dask()
        return Engine.DASK
    return Engine.MEMORY if against is not None else Engine.STREAM


def find(
    engine: Engine,
    documents: Sequence[Document] | DocumentSource | ClusterInputs,
    settings: Settings,
    *,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    stage: Stage | None = None,
    keep_prepared: bool = False,
    notice: Callable[[str], None] | None = None,
) -> tuple[Report, Sequence[Prepared]]:
    """Run ``engine`` on ``documents``: the report, and with ``keep_prepared`` the
    documents as the engine prepared them (each prepared once; ``MEMORY`` only).

    ``MEMORY`` takes a list of documents; ``STREAM`` a source it calls once per pass;
    ``DASK`` the ``ClusterInputs`` its workers read, on a local cluster of ``jobs``
    workers (default: one per core) unless a scheduler is named. ``notice`` is told what
    the Dask engine's reading of JSONL files has to say as it goes (a local engine's
    source keeps that in its notes).
    """
    if engine is Engine.DASK:
        if keep_prepared or not isinstance(documents, ClusterInputs):
            raise ValueError("the dask engine reads ClusterInputs and keeps nothing prepared")
        return _on_cluster(documents, settings, allow, jobs, notice), ()
    if isinstance(documents, ClusterInputs):
        raise ValueError(f"the {engine.value} engine reads documents, not files on a cluster")
    if engine is Engine.STREAM:
        if keep_prepared or not callable(documents):
            raise ValueError("the streaming engine reads a source and keeps nothing prepared")
        report = find_duplicates_streaming(
            documents, settings, allow=allow, jobs=jobs, progress=progress, stage=stage
        )
        return report, ()
    if callable(documents):
        raise ValueError(f"the {engine.value} engine does not take these documents here")
    if not keep_prepared:
        report = find_duplicates(
            documents, settings, allow=allow, jobs=jobs, progress=progress, stage=stage
        )
        return report, ()
    with gc_paused():
        prepared = prepare_all(documents, settings, allow or AllowList(), jobs, progress)
    report = find_duplicates(
        documents, settings, allow=allow, jobs=jobs, stage=stage, prepared=prepared
    )
    return report, prepared


def _on_cluster(
    inputs: ClusterInputs,
    settings: Settings,
    allow: AllowList | None,
    jobs: int | None,
    notice: Callable[[str], None] | None,
) -> Report:
    """Run the Dask engine on ``inputs``; no cluster is started when there is no file."""
    if "-" in inputs.files:
        raise UsageError("--engine dask reads its inputs on the workers, not stdin: name files")
    if not inputs.files:
        return find_duplicates([], settings)
    from dedup.engines import dask_engine  # its tasks run in dask: only with the extra
    from dedup.engines.dask_cluster import connect
    from dedup.inputs.partition import ReadOptions

    with connect(inputs.scheduler, jobs or default_jobs()) as client:
        return dask_engine.find_duplicates(
            inputs.files,
            settings,
            client,
            allow=allow,
            options=inputs.read or ReadOptions(),
            notice=notice,
        )
