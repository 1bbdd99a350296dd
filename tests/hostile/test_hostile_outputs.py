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
from typing import Any

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.writers.output import atomic_file

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


def test_notes_through_a_symlink_to_the_output_is_refused() -> None:
    Path("out.txt").write_text("old\n")
    os.symlink("out.txt", "notes.md")
    code, err = run("clean", "seed.txt", "-o", "out.txt", "--notes", "notes.md")
    assert (code, err) == (
        2,
        "error: --notes notes.md would overwrite the text in out.txt; "
        "give the notes their own file\n",
    )
    assert Path("out.txt").read_text() == "old\n" and os.path.islink("notes.md")


def test_notes_through_a_symlink_to_an_output_not_made_yet_is_refused() -> None:
    os.symlink("out.json", "notes.json")
    code, err = run("clean", "seed.txt", "-o", "out.json", "--notes", "notes.json")
    assert code == 2, err
    assert err.startswith("error: --notes notes.json would overwrite the text in out.json;")
    assert not os.path.lexists("out.json")


def test_notes_that_are_a_hard_link_to_the_output_are_refused() -> None:
    Path("out.txt").write_text("old\n")
    os.link("out.txt", "notes.md")
    code, err = run("clean", "seed.txt", "-o", "out.txt", "--notes", "notes.md")
    assert code == 2
    assert err.startswith("error: --notes notes.md would overwrite the text in out.txt;")
    assert Path("out.txt").read_text() == "old\n"
    assert os.stat("out.txt").st_nlink == 2


@pytest.mark.parametrize(
    ("notes", "output"),
    [("./out.md", "out.md"), ("out.md", "ABS"), ("sub/../out.md", "out.md")],
    ids=["dot-slash", "absolute", "dot-dot"],
)
def test_notes_spelled_otherwise_are_refused(notes: str, output: str) -> None:
    Path("sub").mkdir()
    output = str(Path("out.md").resolve()) if output == "ABS" else output
    code, err = run("clean", "seed.txt", "-o", output, "--notes", notes)
    assert (code, err) == (
        2,
        f"error: --notes {notes} would overwrite the text in {output}; "
        "give the notes their own file\n",
    )
    assert not Path("out.md").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "./seed.txt"],
            "--output ./seed.txt is the input file seed.txt; use --in-place to rewrite it",
        ),
        (
            ["-o", "link.txt"],
            "--output link.txt is the input file seed.txt; use --in-place to rewrite it",
        ),
        (
            ["--notes", "hard.md"],
            "--notes hard.md is the input file seed.txt; give the notes their own file",
        ),
        (
            ["--in-place", "--notes", "link.md"],
            "--notes link.md would overwrite the text in seed.txt; give the notes their own file",
        ),
    ],
    ids=["output-dot-slash", "output-symlink", "notes-hard-link", "in-place-notes-symlink"],
)
def test_an_input_named_again_as_an_output_is_refused(args: list[str], message: str) -> None:
    os.symlink("seed.txt", "link.txt")
    os.symlink("seed.txt", "link.md")
    os.link("seed.txt", "hard.md")
    before = Path("seed.txt").read_bytes()
    code, err = run("clean", "seed.txt", *args)
    assert (code, err) == (2, f"error: {message}\n")
    assert Path("seed.txt").read_bytes() == before


@pytest.mark.parametrize("existing", [False, True], ids=["new-output", "old-output"])
def test_notes_in_a_missing_folder_leave_the_output_alone(existing: bool) -> None:
    if existing:
        Path("out.txt").write_text("old\n")
    code, err = run("clean", "seed.txt", "-o", "out.txt", "--notes", "nowhere/notes.md")
    assert (code, err) == (
        2,
        "error: nowhere/notes.md: cannot write: No such file or directory\n",
    )
    assert (Path("out.txt").read_text() if existing else Path("out.txt").exists()) == (
        "old\n" if existing else False
    )
    assert not [p for p in os.listdir(".") if p.endswith(".dedup-tmp")]


def test_notes_in_a_missing_folder_leave_an_in_place_input_alone() -> None:
    before = Path("seed.txt").read_bytes()
    code, err = run("clean", "seed.txt", "--in-place", "--notes", "nowhere/notes.json")
    assert code == 2, err
    assert Path("seed.txt").read_bytes() == before


def test_notes_in_a_missing_folder_for_jsonl_leave_the_output_alone() -> None:
    Path("in.jsonl").write_text('{"text": "one two three four five"}\n' * 2)
    code, err = run("clean", "in.jsonl", "-o", "out.jsonl", "--notes", "nowhere/notes.jsonl")
    assert (code, err) == (
        2,
        "error: nowhere/notes.jsonl: cannot write: No such file or directory\n",
    )
    assert not Path("out.jsonl").exists()
    assert not [p for p in os.listdir(".") if p.endswith(".dedup-tmp")]


def test_notes_in_a_missing_folder_print_no_text() -> None:
    result = CliRunner().invoke(app, ["clean", "seed.txt", "--notes", "nowhere/notes.md"])
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes any folder")
def test_an_output_folder_that_is_not_writable_leaves_no_notes() -> None:
    Path("locked").mkdir()
    Path("locked").chmod(0o555)
    try:
        code, err = run("clean", "seed.txt", "-o", "locked/out.txt", "--notes", "notes.md")
    finally:
        Path("locked").chmod(0o755)
    assert (code, err) == (2, "error: locked/out.txt: cannot write: Permission denied\n")
    assert not Path("notes.md").exists()


def test_a_failing_second_write_changes_neither_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # A full disk while the temporary files are flushed: as root, simulated where it happens.
    Path("out.txt").write_text("old\n")
    Path("notes.md").write_text("old notes\n")
    real_fsync = os.fsync
    calls: list[int] = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    code, err = run("clean", "seed.txt", "-o", "out.txt", "--notes", "notes.md")
    assert code == 2
    assert err.endswith(": cannot write: No space left on device\n") and err.count("\n") == 1
    assert Path("out.txt").read_text() == "old\n"
    assert Path("notes.md").read_text() == "old notes\n"
    assert not [p for p in os.listdir(".") if p.endswith(".dedup-tmp")]


def test_both_files_are_written_and_a_symlinked_notes_file_keeps_its_link() -> None:
    Path("real.md").write_text("old\n")
    os.symlink("real.md", "notes.md")
    code, err = run("clean", "seed.txt", "-o", "out.txt", "--notes", "notes.md")
    assert code == 0, err
    assert os.path.islink("notes.md")
    assert Path("real.md").read_text().startswith("#")
    assert Path("out.txt").read_bytes().count(b"\n") == 50


def test_an_output_folder_that_refuses_new_files_leaves_no_notes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same as the test above, as root: the folder's refusal simulated where it happens.
    Path("locked").mkdir()
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if str(kwargs.get("dir", "")).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    code, err = run("clean", "seed.txt", "-o", "locked/out.txt", "--notes", "notes.md")
    assert (code, err) == (2, "error: locked/out.txt: cannot write: Permission denied\n")
    assert not Path("notes.md").exists()
    assert not [p for p in os.listdir(".") if p.endswith(".dedup-tmp")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["diff", "seed.txt", "--html", "./seed.txt"],
            "--html ./seed.txt is the input file seed.txt",
        ),
        (["check", "seed.txt", "-o", "link.txt"], "--output link.txt is the input file seed.txt"),
        (
            ["check", "seed.txt", "--write-baseline", "seed.txt"],
            "--write-baseline seed.txt is the input file",
        ),
    ],
    ids=["diff-html", "check-output", "check-baseline"],
)
def test_diff_and_check_never_write_over_an_input(args: list[str], message: str) -> None:
    os.symlink("seed.txt", "link.txt")
    before = Path("seed.txt").read_bytes()
    code, err = run(*args)
    assert (code, err) == (2, f"error: {message}; give it its own file\n")
    assert Path("seed.txt").read_bytes() == before


def test_a_report_over_a_file_the_run_reads_is_refused() -> None:
    """The first run writes its report into the folder it reads; the second run would read
    that report as a document and replace it, as it would replace a page of the folder
    (``-o docs/install.md``): refused, exit 2, the file as it was."""
    Path("docs").mkdir()
    shutil.copy("seed.txt", "docs/a.txt")
    code, err = run("check", "docs", "-o", "docs/report.txt", "-q")
    assert code in (0, 1), err
    first = Path("docs/report.txt").read_bytes()
    code, err = run("check", "docs", "-o", "docs/report.txt", "-q")
    assert (code, err) == (
        2,
        "error: --output docs/report.txt is a file this run checks; give it its own file\n",
    )
    assert Path("docs/report.txt").read_bytes() == first
