"""``dedup clean`` from the command line: exit codes, exact error messages, files written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

DUP = (
    "The river flooded the lower town overnight.\n\nRoads are closed.\n\n"
    "The river flooded the lower town overnight.\n"
)
CLEAN = "The river flooded the lower town overnight.\n\nRoads are closed.\n"


def run(runner: CliRunner, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def test_missing_file(runner: CliRunner) -> None:
    code, out, err = run(runner, "clean", "nope.txt")
    assert (code, out, err) == (2, "", "error: nope.txt: no such file or directory\n")


def test_directory(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "clean", str(tmp_path))
    assert code == 2
    assert err == f"error: {tmp_path}: is a directory, not a file\n"


def test_binary(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.bin"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = run(runner, "clean", str(f))
    assert code == 2
    assert err == f"error: {f}: looks like binary data (contains NUL bytes), not text\n"


def test_not_utf8_is_refused_with_the_fix(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes("Caf\xe9 owners say no.\n".encode("latin-1"))
    code, _, err = run(runner, "clean", str(f))
    assert code == 2
    assert err == (
        f"error: {f}: not valid UTF-8 (byte 0xe9 at offset 3); pass --encoding to name its "
        "encoding, for example --encoding latin-1\n"
    )


def test_explicit_encoding_round_trips(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes(("Caf\xe9 ouvert.\n\nAutre.\n\nCaf\xe9 ouvert!\n").encode("latin-1"))
    out = tmp_path / "out.txt"
    code, _, _ = run(runner, "clean", str(f), "--encoding", "latin-1", "-o", str(out), "-q")
    assert code == 0
    assert out.read_bytes() == "Caf\xe9 ouvert.\n\nAutre.\n".encode("latin-1")


def test_unknown_encoding(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x\n")
    code, _, err = run(runner, "clean", str(f), "--encoding", "klingon")
    assert (code, err) == (2, f"error: {f}: unknown encoding 'klingon'\n")


def test_empty_file_is_valid(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    code, out, err = run(runner, "clean", str(f))
    assert (code, out) == (0, "")
    assert err == "dedup: removed 0 of 0 paragraphs → stdout\n"


def test_stdout_and_summary(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(DUP)
    code, out, err = run(runner, "clean", str(f))
    assert (code, out) == (0, CLEAN)
    assert err == "dedup: removed 1 of 3 paragraphs (1 exact) → stdout\n"


def test_quiet(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(DUP)
    code, out, err = run(runner, "clean", str(f), "--quiet")
    assert (code, out, err) == (0, CLEAN, "")


def test_in_place_rewrites_and_keeps_mode(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(DUP)
    f.chmod(0o640)
    code, out, _ = run(runner, "clean", str(f), "--in-place")
    assert (code, out) == (0, "")
    assert f.read_text() == CLEAN
    assert f.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left


def test_in_place_without_removals_does_not_touch_the_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    f = tmp_path / "a.txt"
    f.write_text(CLEAN)
    os.utime(f, (1_000_000, 1_000_000))
    code, _, _ = run(runner, "clean", str(f), "--in-place", "-q")
    assert code == 0
    assert f.stat().st_mtime == 1_000_000


def test_input_is_never_modified_without_in_place(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(DUP)
    code, _, err = run(runner, "clean", str(f), "-o", str(f))
    assert code == 2
    assert err == f"error: --output {f} is the input file; use --in-place to rewrite it\n"
    assert f.read_text() == DUP


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "--in-place"], "error: --in-place needs a file, not stdin\n"),
        (
            ["x.txt", "--in-place", "-o", "y.txt"],
            "error: --in-place and --output cannot be used together\n",
        ),
        (
            ["x.txt", "--notes", "n.txt"],
            "error: --notes n.txt: the file name must end in .json or .md\n",
        ),
        (
            ["x.txt", "--remove", "exact,dupe"],
            "error: unknown kind 'dupe' (choose from exact, near, contained, similar)\n",
        ),
        (
            ["x.txt", "--threshold", "0.4"],
            "error: --review-threshold (0.5) must not be above --threshold (0.4)\n",
        ),
    ],
)
def test_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    code, out, err = run(runner, "clean", *args, stdin=b"")
    assert (code, out, err) == (2, "", message)


def test_typer_range_check_is_exit_2(runner: CliRunner) -> None:
    code, _, err = run(runner, "clean", "x.txt", "--threshold", "1.5")
    assert code == 2
    assert "--threshold" in err


def test_notes_json_written(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(DUP)
    notes = tmp_path / "n.json"
    code, _, _ = run(runner, "clean", str(f), "--notes", str(notes), "-q")
    assert code == 0
    data = json.loads(notes.read_text())
    assert data["version"] == 1
    assert data["summary"] == {
        "paragraphs": 3,
        "removed": 1,
        "kept": 2,
        "removed_by_kind": {"exact": 1},
        "review": 0,
    }
    [removed] = data["removed"]
    assert removed["lines"] == [5, 5]
    assert removed["duplicate_of"]["lines"] == [1, 1]


def test_unwritable_output_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(DUP)
    target = tmp_path / "missing-dir" / "out.txt"
    code, _, err = run(runner, "clean", str(f), "-o", str(target))
    assert code == 2
    assert err.startswith(f"error: {target}: cannot write: ")
    assert err.count("\n") == 1


def test_real_process_no_traceback(tmp_path: Path) -> None:
    """The installed entry point reports errors in one line, without a traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 2
    assert proc.stderr == f"error: {tmp_path / 'missing.txt'}: no such file or directory\n"


def test_stdin_bytes_to_stdout(tmp_path: Path) -> None:
    data = b"x one two three\r\n\r\nx one two three\r\n"
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", "-", "-q"], input=data, capture_output=True
    )
    assert proc.returncode == 0
    assert proc.stdout == b"x one two three\r\n"


def test_in_place_through_a_symlink_rewrites_the_target(runner: CliRunner, tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(DUP)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    code, _, _ = run(runner, "clean", str(link), "--in-place", "-q")
    assert code == 0
    assert link.is_symlink()
    assert real.read_text() == CLEAN


def test_notes_cannot_overwrite_the_text(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(DUP)
    out = tmp_path / "out.json"
    code, _, err = run(runner, "clean", str(f), "-o", str(out), "--notes", str(out))
    assert code == 2
    assert err == f"error: --notes {out} would overwrite the text; give the notes their own file\n"
    assert not out.exists()


def test_in_place_with_nothing_to_remove_says_the_file_is_unchanged(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("One paragraph here.\n\nAnother one there.\n", encoding="utf-8")
    before = f.stat().st_mtime_ns
    result = CliRunner().invoke(app, ["clean", str(f), "--in-place"])
    assert result.exit_code == 0
    assert result.stderr == (f"dedup: removed 0 of 2 paragraphs → {f} (unchanged, not rewritten)\n")
    assert f.stat().st_mtime_ns == before
