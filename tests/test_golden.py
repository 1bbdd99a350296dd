"""Golden end-to-end cases: each folder in tests/cases/ is one run of the CLI.

A case folder holds ``case.toml`` (``args``, optional ``stdin`` file, ``exit``, ``copy``:
repository files to copy in, ``tree``: a repository folder whose contents are copied in,
``env``: environment variables, ``before``: commands run first, each exiting 0, such as
``archive add``; ``{scheduler}`` in ``args`` is the address of an in-process Dask cluster
of one worker, started once per test process for the cases that name it), its input
files, and ``expected/``: ``stdout``, optional ``stderr``, every file the run must write,
and ``before-N.stdout``/``before-N.stderr`` of the Nth command of ``before``, compared
byte for byte. A case with ``same_as = "NAME"`` has no ``expected/``: its run must give
case NAME's expected output (another engine, say).
Regenerate with ``DEDUP_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the diff
(a ``same_as`` case is compared, never written).
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
from dedup.writers import bounded

CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).resolve().parent.parent
UPDATE = os.environ.get("DEDUP_UPDATE_GOLDEN") == "1"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_golden(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    _run(case, tmp_path, monkeypatch, request, update=UPDATE)


def _bounded_cases() -> list[Path]:
    """The cases that ``dedup clean`` or a patch from ``dedup diff`` can run bounded."""
    out = []
    for case in _cases():
        spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
        args = spec["args"]
        if "stdin" not in spec and args[0] in ("clean", "diff") and "--html" not in args:
            out.append(case)
    return out


@pytest.mark.parametrize("case", _bounded_cases(), ids=lambda p: p.name)
def test_golden_bounded(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # Every input counts as big: the streaming engine decides and the output is written a
    # range at a time (``dedup.writers.bounded``); the expected bytes are the same.
    monkeypatch.setattr(bounded, "BOUNDED_BYTES", -1)
    _run(case, tmp_path, monkeypatch, request, update=False)  # test_golden writes them


def _run(
    case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    *,
    update: bool,
) -> None:
    spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    if "{scheduler}" in spec["args"]:
        address = request.getfixturevalue("scheduler")
        spec["args"] = [address if a == "{scheduler}" else a for a in spec["args"]]
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
    for name, value in spec.get("env", {}).items():
        monkeypatch.setenv(name, value)
    stdin = (case / spec["stdin"]).read_bytes() if "stdin" in spec else None
    produced: dict[str, bytes] = {}
    for n, args in enumerate(spec.get("before", []), 1):
        first = CliRunner().invoke(app, args, catch_exceptions=False)
        assert first.exit_code == 0, first.stderr
        produced[f"before-{n}.stdout"] = first.stdout_bytes
        produced[f"before-{n}.stderr"] = first.stderr_bytes

    result = CliRunner().invoke(app, spec["args"], input=stdin, catch_exceptions=False)

    assert result.exit_code == spec.get("exit", 0), result.stderr
    same_as = spec.get("same_as")
    expected = case / "expected" if same_as is None else CASES / same_as / "expected"
    produced["stdout"] = result.stdout_bytes
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
    if update and same_as is None:
        expected.mkdir(exist_ok=True)
        for name, data in produced.items():
            (expected / name).write_bytes(data)
    for name, data in produced.items():
        want = (expected / name).read_bytes()
        assert data == want, f"{case.name}: {name} differs from expected/{name}"
