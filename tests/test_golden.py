"""Golden end-to-end cases: each folder in tests/cases/ is one run of the CLI.

A case folder holds ``case.toml`` (``args``, optional ``stdin`` file, ``exit``, ``copy``:
repository files to copy in, ``tree``: a repository folder whose contents are copied in),
its input files, and ``expected/``: ``stdout``, optional
``stderr``, and every file the run must write, compared byte for byte.
Regenerate with ``DEDUP_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the diff.
The tokeniser's Unicode version (Python's ``unicodedata``) is written as ``UNICODE``, so the
expected files hold on every Python.
"""

from __future__ import annotations

import os
import shutil
import tomllib
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).resolve().parent.parent
UPDATE = os.environ.get("DEDUP_UPDATE_GOLDEN") == "1"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_golden(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    for item in case.iterdir():
        if item.name not in ("case.toml", "expected"):
            (shutil.copytree if item.is_dir() else shutil.copy)(item, tmp_path / item.name)
    if "tree" in spec:
        shutil.copytree(REPO / spec["tree"], tmp_path, dirs_exist_ok=True)
    for rel in spec.get("copy", []):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, tmp_path / rel)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    stdin = (case / spec["stdin"]).read_bytes() if "stdin" in spec else None

    result = CliRunner().invoke(app, spec["args"], input=stdin, catch_exceptions=False)

    assert result.exit_code == spec.get("exit", 0), result.stderr
    expected = case / "expected"
    produced = {"stdout": result.stdout_bytes}
    if (expected / "stderr").exists() or "stderr" in spec.get("record", []):
        produced["stderr"] = result.stderr_bytes
    for name in spec.get("files", []):
        produced[name] = (tmp_path / name).read_bytes()
    # The run's folder is a fresh temporary one: name it the same way every time.
    for name, data in produced.items():
        produced[name] = data.replace(tmp_path.as_uri().encode(), b"file:///CASE").replace(
            str(tmp_path).encode(), b"/CASE"
        )
        produced[name] = produced[name].replace(
            f'"unicode": "{unicodedata.unidata_version}"'.encode(), b'"unicode": "UNICODE"'
        )
    if UPDATE:
        expected.mkdir(exist_ok=True)
        for name, data in produced.items():
            (expected / name).write_bytes(data)
    for name, data in produced.items():
        want = (expected / name).read_bytes()
        assert data == want, f"{case.name}: {name} differs from expected/{name}"
