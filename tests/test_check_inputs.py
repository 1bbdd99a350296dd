"""dedup check's inputs: config found from the checked paths, globs, git-ignored files,
files that cannot be read, syntax-map (issue 12 part 5, issue 15 item 12)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

WARNING = "Back up your data before you upgrade; the upgrade rewrites the database in place."
OTHER = "Release notes are published with every version of the service, on the first Monday."


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def check(*args: str) -> tuple[int, str, str]:
    return run("check", *args)


def write(path: str, text: str) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


# --- configuration found from the checked paths -----------------------------------------


def test_config_beside_the_checked_folder_is_found() -> None:
    write("docs/.dedup.toml", 'fail-on = "exact"\nexclude = ["legal"]\n')
    write("docs/a.md", f"{WARNING}\n")
    write("docs/legal/terms.md", f"{WARNING}\n")
    code, out, _ = check("docs")
    assert code == 0, out
    assert "of 1 document" in out
    assert out.rstrip().endswith("at or above --fail-on exact")


def test_config_precedence_explicit_then_paths_then_cwd() -> None:
    write(".dedup.toml", 'fail-on = "similar"\n')
    write("docs/.dedup.toml", 'fail-on = "exact"\n')
    write("other.toml", 'fail-on = "contained"\n')
    write("docs/a.md", f"{WARNING}\n")
    write("notes/b.md", f"{OTHER}\n")
    assert check("docs")[1].rstrip().endswith("--fail-on exact")
    assert check("docs/a.md")[1].rstrip().endswith("--fail-on exact")
    assert check("notes")[1].rstrip().endswith("--fail-on similar")  # none nearer: cwd's
    assert check("--config", "other.toml", "docs")[1].rstrip().endswith("--fail-on contained")
    # two folders: the nearest config above both (here the current folder's)
    assert check("docs", "notes")[1].rstrip().endswith("--fail-on similar")


def test_config_beside_paths_outside_the_current_folder(tmp_path: Path) -> None:
    write("tree/.dedup.toml", 'fail-on = "exact"\n')
    write("tree/a.md", f"{WARNING}\n")
    os.mkdir("elsewhere")
    os.chdir("elsewhere")
    code, out, _ = check(str(tmp_path / "tree"))
    assert code == 0
    assert out.rstrip().endswith("--fail-on exact")
