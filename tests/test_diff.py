"""``dedup diff`` and ``dedup explain``: patches that apply, the HTML report, exit codes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "ukraine-live-blog.txt"
MARKDOWN = (REPO / "tests" / "cases" / "markdown" / "guide.md").read_bytes()
CRLF = (REPO / "tests" / "cases" / "crlf" / "notes.txt").read_bytes()
BOM = (REPO / "tests" / "cases" / "bom" / "bom.txt").read_bytes()


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(tmp_path)


def invoke(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("seed.txt", SEED.read_bytes()),
        ("notes.txt", CRLF),
        ("guide.md", MARKDOWN),
        ("bom.txt", BOM),
        ("cr.txt", b"Old Mac line one here.\r\rOther.\r\rOld Mac line one here.\r"),
    ],
)
@pytest.mark.parametrize("tool", ["patch", "git"])
def test_unified_diff_applies_to_what_clean_writes(name: str, data: bytes, tool: str) -> None:
    Path(name).write_bytes(data)
    code, patch, _ = invoke("diff", "--format", "unified", name)
    assert code == 0
    assert patch.startswith(f"--- {name}\n+++ {name}\n@@ ".encode())
    code, _, _ = invoke("clean", name, "-o", "expected.out", "-q")
    assert code == 0
    if tool == "patch":
        proc = subprocess.run(["patch", "-p0", "-s"], input=patch, capture_output=True)
    else:
        proc = subprocess.run(["git", "apply", "-p0", "-"], input=patch, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert Path(name).read_bytes() == Path("expected.out").read_bytes()


def test_no_removals_no_patch_and_exit_code() -> None:
    Path("a.txt").write_text("One paragraph.\n\nAnother one.\n")
    assert invoke("diff", "--format", "unified", "--exit-code", "a.txt")[:2] == (0, b"")
    Path("b.txt").write_text("Same words here.\n\nSame words here.\n")
    assert invoke("diff", "--format", "unified", "--exit-code", "b.txt")[0] == 1
    assert invoke("diff", "--format", "unified", "b.txt")[0] == 0


def test_errors_are_exit_2() -> None:
    code, out, err = invoke("diff", "missing.txt")
    assert (code, out, err) == (2, b"", "error: missing.txt: no such file or directory\n")


def test_piped_output_is_a_patch() -> None:
    shutil.copy(SEED, "seed.txt")
    code, out, _ = invoke("diff", "seed.txt")  # CliRunner's stdout is not a terminal
    assert code == 0
    assert out.startswith(b"--- seed.txt\n")


def test_explain_seed_lines_3_and_18() -> None:
    shutil.copy(SEED, "seed.txt")
    code, out, _ = invoke("explain", "seed.txt:3", "seed.txt:18")
    text = out.decode()
    assert code == 0
    assert "exact Jaccard      0.8276" in text
    assert "words that differ  he → Mr Rubio" in text
    assert "containment        A in B 0.9231, B in A 0.8889" in text
    assert "kind               near" in text
    assert "LSH would propose  yes: bands" in text


def test_explain_paraphrase_is_not_a_repeat() -> None:
    shutil.copy(SEED, "seed.txt")
    _, out, _ = invoke("explain", "seed.txt:1", "seed.txt:17")
    text = out.decode()
    assert "exact Jaccard      0.3125" in text
    assert "kind               not a repeat" in text


def test_explain_errors() -> None:
    shutil.copy(SEED, "seed.txt")
    assert invoke("explain", "seed.txt", "seed.txt:3")[2] == (
        "error: 'seed.txt': expected PATH:LINE, for example seeds/post.txt:18\n"
    )
    assert invoke("explain", "seed.txt:99", "seed.txt:3")[2] == (
        "error: seed.txt:99: no paragraph there (a blank line, heading, code or past the end)\n"
    )
    # A paragraph of punctuation only: the message names which side has no words.
    Path("dots.txt").write_text("Words of a real sentence here.\n\n... --- ...\n")
    assert invoke("explain", "dots.txt:1", "dots.txt:3")[2] == (
        "error: dots.txt:3: the paragraph there has no words to compare "
        "(only markup, directives or punctuation)\n"
    )


def test_terminal_view_marks_the_separator_that_goes() -> None:
    Path("a.txt").write_text(
        "Same words here again today.\n\nOther.\n\nSame words here again today.\n"
    )
    _, out, _ = invoke("diff", "--format", "terminal", "a.txt")
    rows = [line.rstrip() for line in out.decode().splitlines()]
    assert "-    4 │" in rows  # the blank line before the last paragraph is cut with it
    assert "-    5 │ Same words here again today." in rows
