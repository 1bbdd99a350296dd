"""Which engine finds a run's repeats: chosen in one place (``choose``), run by ``find``.

Every engine gives the same report; they differ in where the documents are held:

- ``MEMORY``: a list of documents, held whole (``pipeline.find_duplicates``). Used when
  something needs every prepared paragraph afterwards (``check --against``);
- ``STREAM``: a source read once per pass, a little kept per paragraph
  (``stream.find_duplicates_streaming``). ``check`` without ``--against``;
- ``DASK``: files read and compared on a Dask cluster (``dask_engine``), at the user's
  ``--engine dask``. Its inputs are file names, so the command runs it itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from dedup.core.models import Document, Report
from dedup.core.prepare import Prepared, Progress, Stage, prepare_all
from dedup.core.settings import Settings
from dedup.engines.pipeline import find_duplicates, gc_paused
from dedup.engines.stream import DocumentSource, find_duplicates_streaming
from dedup.errors import UsageError
from dedup.text.allow import AllowList


class EngineChoice(StrEnum):
    """Where the work runs, as the user says it (``--engine``)."""

    LOCAL = "local"
    DASK = "dask"


class Engine(StrEnum):
    """The engine that finds the repeats of a run."""

    MEMORY = "memory"
    STREAM = "stream"
    DASK = "dask"


def choose(option: EngineChoice, *, scheduler: str | None, against: str | None) -> Engine:
    """Return the engine for ``--engine``, ``--scheduler`` and ``--against``.

    ``--against`` needs every prepared paragraph after the run, so it holds the documents
    in memory; any other local run streams.
    """
    if option is EngineChoice.DASK or scheduler is not None:
        if against is not None:
            raise UsageError("--against works with the local engine; leave out --engine dask")
        if option is not EngineChoice.DASK:
            raise UsageError("--scheduler needs --engine dask")
        return Engine.DASK
    return Engine.MEMORY if against is not None else Engine.STREAM


def find(
    engine: Engine,
    documents: Sequence[Document] | DocumentSource,
    settings: Settings,
    *,
    allow: AllowList | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    stage: Stage | None = None,
    keep_prepared: bool = False,
) -> tuple[Report, Sequence[Prepared]]:
    """Run a local ``engine`` on ``documents``: the report, and with ``keep_prepared`` the
    documents as the engine prepared them (each prepared once; ``MEMORY`` only).

    ``MEMORY`` takes a list of documents; ``STREAM`` a source it calls once per pass.
    """
    if engine is Engine.STREAM:
        if keep_prepared or not callable(documents):
            raise ValueError("the streaming engine reads a source and keeps nothing prepared")
        report = find_duplicates_streaming(
            documents, settings, allow=allow, jobs=jobs, progress=progress, stage=stage
        )
        return report, ()
    if engine is not Engine.MEMORY or callable(documents):
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
