"""Hostile sizes: one paragraph larger than ``--max-paragraph-bytes`` (default 4 MiB).

A paragraph is tokenised, shingled and signed whole (about 90 bytes of memory per byte
of it), so a larger one is refused as the document is read, before it is tokenised:
a file with one is an error naming the file, the line and the limit (``check`` follows
its ``--on-error`` rule for files it cannot read), a JSONL record with one an unusable
line (``--on-error``); ``clean`` refuses either (exit 2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run

from dedup.inputs import paragraph_limit
from dedup.inputs.paragraph_limit import MAX_PARAGRAPH_BYTES

REPO = Path(__file__).resolve().parent.parent.parent

P1 = (
    "The river flooded the old market square overnight, and the traders spent the whole "
    "morning carrying their stock to the higher streets behind the cathedral."
)
#: 2,000 bytes of words on one line.
HUGE = ("word " * 400).strip() + "."
LIMIT = "1000"
MESSAGE = "a paragraph longer than the limit of 1,000 bytes (raise it with --max-paragraph-bytes)"


@pytest.fixture(autouse=True)
def _env(cli_env: None) -> None:
    """Every probe here runs in its own empty folder."""


def text_file(name: str = "a.txt") -> str:
    """P1, then the huge paragraph on line 3, then P1 again."""
    Path(name).write_text(f"{P1}\n\n{HUGE}\n\n{P1}\n", encoding="utf-8")
    return name


def record(text: str) -> str:
    return json.dumps({"text": text}) + "\n"


def corpus(name: str = "c.jsonl") -> str:
    """P1, a record holding the huge paragraph (line 2), P1 again."""
    Path(name).write_text(record(P1) + record(HUGE) + record(P1), encoding="utf-8")
    return name


def test_the_default_is_4_mib_and_documented() -> None:
    assert MAX_PARAGRAPH_BYTES == 4_194_304
    code, out, _ = run("check", "-h")
    assert code == 0 and "--max-paragraph-bytes" in out and "4 MiB" in out
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "--max-paragraph-bytes BYTES" in readme and "max-paragraph-bytes = 4194304" in readme


# -- text files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["clean", "-o", "out.txt"], ["diff"]])
def test_a_huge_paragraph_is_exit_2_with_one_line(command: list[str]) -> None:
    code, out, err = run(command[0], text_file(), *command[1:], "--max-paragraph-bytes", LIMIT)
    assert code == 2 and out == ""
    assert err == f"error: a.txt: line 3: {MESSAGE}\n"
    assert not Path("out.txt").exists()


def test_check_reports_the_file_as_it_reports_an_unreadable_one() -> None:
    Path("b.txt").write_text(f"{P1}\n", encoding="utf-8")
    code, out, err = run("check", text_file(), "b.txt", "--max-paragraph-bytes", LIMIT)
    assert code == 2
    assert f"a.txt: dedup/unreadable: cannot be checked: line 3: {MESSAGE}" in out
    assert f"error: a.txt: line 3: {MESSAGE}" in err and "Traceback" not in err


def test_check_on_error_skip_reads_the_other_files() -> None:
    Path("b.txt").write_text(f"{P1}\n", encoding="utf-8")
    Path("c.txt").write_text(f"{P1}\n", encoding="utf-8")
    code, out, err = run(
        "check", text_file(), "b.txt", "c.txt", "--max-paragraph-bytes", LIMIT, "--on-error", "skip"
    )
    assert code == 1, err  # b.txt and c.txt repeat each other
    assert f"dedup: warning: skipped a.txt: line 3: {MESSAGE}" in err
    assert "b.txt" in out and "c.txt" in out


def test_a_paragraph_of_exactly_the_limit_is_read() -> None:
    Path("a.txt").write_text(f"{HUGE}\n\n{HUGE}\n", encoding="utf-8")
    code, _, err = run("check", "a.txt", "--max-paragraph-bytes", str(len(HUGE)))
    assert code == 1, err
    code, _, err = run("check", "a.txt", "--max-paragraph-bytes", str(len(HUGE) - 1))
    assert code == 2 and "line 1: a paragraph longer than" in err


def test_the_line_is_counted_with_any_line_ending() -> None:
    Path("a.txt").write_bytes(f"{P1}\r\n\r\n{P1}\r\rx\n\n{HUGE}\n".encode())
    code, _, err = run("diff", "a.txt", "--max-paragraph-bytes", LIMIT)
    assert code == 2 and err == f"error: a.txt: line 7: {MESSAGE}\n"


def test_many_short_lines_are_many_paragraphs() -> None:
    """A text read one paragraph per line is measured line by line, not as a whole."""
    Path("a.txt").write_text("".join(f"line number {i}\n" for i in range(500)), encoding="utf-8")
    code, out, err = run("check", "a.txt", "--max-paragraph-bytes", LIMIT)
    assert code == 0, err + out


def test_markdown_is_measured_by_its_paragraphs() -> None:
    """A code block is not a paragraph; a Markdown paragraph is, at its own line."""
    code_block = "```\n" + "x = 1\n" * 400 + "```\n"
    Path("a.md").write_text(f"# Title\n\n{P1}\n\n{code_block}\n{P1}\n", encoding="utf-8")
    code, _, err = run("check", "a.md", "--max-paragraph-bytes", LIMIT)
    assert code == 1, err
    Path("b.md").write_text(f"# Title\n\n{P1}\n\n{HUGE}\n", encoding="utf-8")
    code, _, err = run("diff", "b.md", "--max-paragraph-bytes", LIMIT)
    assert code == 2 and err == f"error: b.md: line 5: {MESSAGE}\n"


# -- JSONL ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["diff"], ["clean"]])
def test_a_record_with_a_huge_paragraph_fails_with_on_error_fail(command: list[str]) -> None:
    code, out, err = run(*command, corpus(), "--max-paragraph-bytes", LIMIT, "--on-error", "fail")
    assert code == 2 and out == ""
    assert err == f"error: c.jsonl: line 2: {MESSAGE}\n"


@pytest.mark.parametrize("command", [["check"], ["diff"]])
def test_a_record_with_a_huge_paragraph_is_skipped(command: list[str]) -> None:
    code, out, err = run(*command, corpus(), "--max-paragraph-bytes", LIMIT)
    assert f"c.jsonl: skipped 1 unusable line (first: line 2: {MESSAGE})" in err
    if command == ["check"]:
        assert code == 1 and "c.jsonl#1" in out and "c.jsonl#3" in out
    else:
        assert code == 0


def test_clean_refuses_a_record_with_a_huge_paragraph() -> None:
    code, out, err = run("clean", corpus(), "--max-paragraph-bytes", LIMIT, "-o", "out.jsonl")
    assert code == 2 and out == ""
    assert err == f"error: c.jsonl: line 2: {MESSAGE}\n"
    assert not Path("out.jsonl").exists()


# -- the Dask engine ------------------------------------------------------------------------------


def test_the_dask_engine_applies_the_same_limit() -> None:
    code, out, err = run(
        "check", corpus(), "--engine", "dask", "-j", "1", "--max-paragraph-bytes", LIMIT
    )
    assert code == 1, err
    assert f"c.jsonl: skipped 1 unusable line (first: line 2: {MESSAGE})" in err
    assert "c.jsonl#1" in out and "c.jsonl#3" in out
    code, _, err = run(
        "check", text_file(), "--engine", "dask", "-j", "1", "--max-paragraph-bytes", LIMIT
    )
    assert code == 2 and f"error: a.txt: line 3: {MESSAGE}" in err


# -- configuration --------------------------------------------------------------------------------


def test_the_limit_comes_from_the_configuration() -> None:
    Path(".dedup.toml").write_text(f"max-paragraph-bytes = {LIMIT}\n", encoding="utf-8")
    code, _, err = run("clean", text_file(), "-o", "out.txt")
    assert code == 2 and err == f"error: a.txt: line 3: {MESSAGE}\n"
    code, _, err = run("clean", "a.txt", "-o", "out.txt", "--max-paragraph-bytes", "3000")
    assert code == 0, err
    Path(".dedup.toml").write_text("max-paragraph-bytes = 0\n", encoding="utf-8")
    code, _, err = run("check", "a.txt")
    assert code == 2 and err == "error: .dedup.toml: max-paragraph-bytes must be 1 or more, got 0\n"


# -- memory ---------------------------------------------------------------------------------------


def test_a_huge_paragraph_is_refused_before_it_is_tokenised() -> None:
    """A 40 MB paragraph on one line (about 3.5 GB to sketch whole) under the default limit:
    refused at once, in little memory."""
    with Path("a.txt").open("w", encoding="utf-8") as out:
        for _ in range(200):
            out.write("lorem ipsum dolor sit amet consectetur " * 5000)
        out.write("\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, "check", "a.txt"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "error: a.txt: line 1: a paragraph longer than the limit of 4,194,304 bytes" in (
        done.stderr
    )
    peak_mib = int(Path("maxrss.txt").read_text(encoding="utf-8")) / 1024
    print(f"peak memory {peak_mib:.0f} MiB")
    assert peak_mib < 400


_MEASURED = (
    "import atexit, re, sys\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    open('maxrss.txt', 'w').write(re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
    "atexit.register(peak)\n"
    "sys.argv[0] = 'dedup'\n"
    "from dedup.cli import main\n"
    "main()\n"
)


def test_a_restructuredtext_file_over_its_limit_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # docutils parses a document whole (no pieces) in time that grows with sections times
    # size: past RST_MAX_CHARS characters the file is refused as it is read, with advice.
    assert paragraph_limit.RST_MAX_CHARS == 8 * 2**20
    monkeypatch.setattr(paragraph_limit, "RST_MAX_CHARS", 200)
    Path("a.rst").write_text(f"Title\n=====\n\n{P1}\n\n{P1}\n", encoding="utf-8")
    code, out, err = run("check", "a.rst", "-q")
    problem = (
        "longer than 200 characters, the most reStructuredText read whole (docutils); "
        "read it as plain text with --syntax text, or split it"
    )
    assert code == 2 and f"a.rst: {problem}" in out + err
    code, out, err = run("clean", "a.rst", "-o", "o.rst")
    assert code == 2 and problem in err
    code, out, _ = run("check", "a.rst", "-q", "--syntax", "text", "-f", "json")
    assert code == 1 and json.loads(out)["summary"]["duplicates"] == 1
    Path("b.rst").write_text(f"{P1}\n", encoding="utf-8")
    assert run("check", "b.rst", "-q")[0] == 0  # shorter: read as before
