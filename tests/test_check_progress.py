"""``dedup check`` tells its stages: a bar that names them on a terminal, one timing line in CI."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.writers.console import STAGES, Meter

P = "Back up your data before you upgrade; the upgrade rewrites the database in place."
TIMING = re.compile(
    r"^dedup: checked 2 paragraphs in \d+\.\d\d s "
    r"\(reading \d+\.\d\d s, comparing \d+\.\d\d s, writing \d+\.\d\d s\)$"
)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text(f"{P}\n", encoding="utf-8")
    Path("b.md").write_text(f"{P}\n", encoding="utf-8")


def test_in_ci_the_last_stderr_line_is_the_timing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = CliRunner().invoke(app, ["check", "a.md", "b.md"])
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert TIMING.match(last), last


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_the_timing_is_on_stderr_never_in_a_report(
    monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setenv("CI", "true")
    result = CliRunner().invoke(app, ["check", "a.md", "b.md", "--format", fmt])
    assert "checked 2 paragraphs" not in result.stdout
    assert TIMING.match(result.stderr.splitlines()[-1])


@pytest.mark.parametrize(("value", "shown"), [("false", False), ("0", False), ("1", True)])
def test_ci_false_or_quiet_means_no_timing(
    monkeypatch: pytest.MonkeyPatch, value: str, shown: bool
) -> None:
    monkeypatch.setenv("CI", value)
    result = CliRunner().invoke(app, ["check", "a.md", "b.md"])
    assert ("paragraphs in" in result.stderr) is shown
    quiet = CliRunner().invoke(app, ["check", "a.md", "b.md", "--quiet"])
    assert "paragraphs in" not in quiet.stderr


def test_off_ci_stderr_has_no_timing() -> None:
    result = CliRunner().invoke(app, ["check", "a.md", "b.md"])
    assert "paragraphs in" not in result.stderr


def test_the_meter_moves_through_the_stages_in_order_and_times_each() -> None:
    with Meter(enabled=False) as meter:
        assert meter.reading(100) is None  # nothing is drawn off a terminal
        assert meter.current == "reading"
        time.sleep(0.01)
        meter.stage("comparing")
        meter.stage("reading")  # a stage never goes back
        assert meter.current == "comparing"
        meter.stage("writing")
    line = meter.timing("checked 3 paragraphs")
    assert line.startswith("checked 3 paragraphs in ")
    assert [s for s in STAGES if f"{s} " in line] == list(STAGES)
    assert meter.spent["reading"] >= 0.01
