"""Output targets that are not regular files: never replaced, always written (issue 15, 1)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.output import atomic_file

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "ukraine-live-blog.txt"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEED, "seed.txt")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="making a character device needs root")
@pytest.mark.parametrize(
    "args",
    [
        ["clean", "seed.txt", "-o", "DEV"],
        ["check", "seed.txt", "-f", "sarif", "-o", "DEV"],
        ["check", "seed.txt", "--write-baseline", "DEV"],
        ["diff", "seed.txt", "--html", "DEV"],
    ],
    ids=["clean", "check", "baseline", "diff-html"],
)
def test_a_character_device_stays_a_device(args: list[str]) -> None:
    os.mknod("null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    code, err = run(*[a if a != "DEV" else "null" for a in args])
    assert code in (0, 1), err
    assert stat.S_ISCHR(os.stat("null").st_mode)


def test_dev_null_is_written_not_replaced() -> None:
    before = os.stat("/dev/null")
    code, err = run("clean", "seed.txt", "-o", "/dev/null")
    assert code == 0, err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_fifo_gets_the_data_and_stays_a_fifo() -> None:
    os.mkfifo("pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(Path("pipe").read_bytes()))
    reader.start()
    code, err = run("clean", "seed.txt", "-o", "pipe")
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat("pipe").st_mode)
    assert got and got[0].count(b"\n") == 50


def test_dev_stdout_into_a_pipe() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", "seed.txt", "-o", "/dev/stdout", "-q"],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(b"\n") == 50


def test_dash_is_stdout() -> None:
    result = CliRunner().invoke(app, ["check", "seed.txt", "-f", "json", "-o", "-", "-q"])
    assert result.exit_code == 1
    assert result.stdout.startswith("{")


def test_a_folder_target_is_one_clear_error() -> None:
    Path("out").mkdir()
    code, err = run("clean", "seed.txt", "-o", "out")
    assert (code, err) == (2, "error: out: cannot write: it is a folder\n")


def test_a_symlink_to_a_file_keeps_the_link() -> None:
    Path("real.txt").write_text("old\n")
    os.symlink("real.txt", "link.txt")
    code, err = run("clean", "seed.txt", "-o", "link.txt")
    assert code == 0, err
    assert os.path.islink("link.txt")
    assert Path("real.txt").read_bytes().count(b"\n") == 50


def test_a_writable_file_in_a_folder_that_is_not_writable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Root writes any folder, so the folder's refusal is simulated where it happens.
    Path("out.txt").write_text("old\n")

    def refuse(*_: object, **__: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with atomic_file("out.txt") as fh:
        fh.write(b"new\n")
    assert Path("out.txt").read_text() == "new\n"
    Path("gone").mkdir()
    with pytest.raises(Exception, match="cannot write"), atomic_file("gone/new.txt") as fh:
        fh.write(b"x")
