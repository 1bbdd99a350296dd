"""Shared fixtures: the repository root, a CLI runner that separates stdout and stderr, and
an in-process Dask cluster."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "ukraine-live-blog.txt"


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test as on a developer's machine: ``CI`` set (as CI services do) adds a
    timing line to ``dedup check``'s stderr, which the tests that want it set themselves."""
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    """Return a typer CliRunner."""
    return CliRunner()


@pytest.fixture
def seed() -> Path:
    """Return the path of the seed document."""
    return SEED


@pytest.fixture(scope="session")
def scheduler() -> Iterator[str]:
    """The address of a Dask cluster of one worker thread in this process, one per test
    process (no new process to start: a run on it costs well under a second)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        dashboard_address=None,
        # the scheduler still serves HTTP: on a free port, not 8787 (xdist runs two)
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.CRITICAL,
    ) as cluster:
        yield cluster.scheduler_address
