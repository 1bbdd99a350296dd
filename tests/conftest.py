"""Shared fixtures: the repository root and a CLI runner that separates stdout and stderr."""

from __future__ import annotations

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
