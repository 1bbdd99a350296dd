"""What the CLI probes share: each runs in its own empty folder, without colour."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run in an empty folder of its own, without colour, on a wide terminal."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
