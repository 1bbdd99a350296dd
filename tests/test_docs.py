"""The README is a contract: its commands exist, its example output is the real output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
sys.path.insert(0, str(REPO / ".ci"))
from readme_command import setup_commands  # noqa: E402


def test_two_setup_commands_at_the_top() -> None:
    first, second = setup_commands()
    assert first.startswith("pip install . && dedup clean seeds/ukraine-live-blog.txt")
    assert second == "pip install '.[test]' && pytest"


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "readme_command.py 2" in script


def test_every_command_in_the_readme_has_help() -> None:
    blocks = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.S))
    commands = sorted(set(re.findall(r"(?:^|\$ |&& )dedup ([a-z]+)\b", blocks, flags=re.M)))
    assert "clean" in commands
    for command in commands:
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0, command


def test_every_cli_option_is_documented() -> None:
    result = CliRunner().invoke(app, ["clean", "--help"], env={"COLUMNS": "300"})
    options = set(re.findall(r"(--[a-z][a-z-]+)", result.stdout)) - {"--help"}
    missing = sorted(o for o in options if o not in README)
    assert missing == []


def test_seed_example_output_is_real(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "clean", "seeds/ukraine-live-blog.txt",
         "-o", str(tmp_path / "cleaned.txt"), "--notes", str(tmp_path / "notes.json")],
        cwd=REPO, capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": ""},
    )  # fmt: skip
    assert proc.returncode == 0
    shown = re.search(r"\$ dedup clean seeds/ukraine-live-blog.txt .*\n(.*)\n", README)
    assert shown is not None
    assert proc.stderr.rstrip("\n") == shown.group(1).replace(
        "cleaned.txt", str(tmp_path / "cleaned.txt")
    )
    notes = json.loads((tmp_path / "notes.json").read_text())
    for removed in notes["removed"]:
        snippet = (
            f'"paragraph": {removed["paragraph"]}, "lines": {removed["lines"]}, '
            f'"bytes": {removed["bytes"]}'
        )
        assert snippet in README
        assert f'"similarity": {removed["similarity"]}' in README
    assert json.dumps(notes["summary"]).replace(" ", "") in README.replace(" ", "")


@pytest.mark.parametrize("word", ["exact", "near", "contained", "similar"])
def test_kinds_are_documented(word: str) -> None:
    assert f"`{word}`" in README


def test_every_archive_command_in_the_readme_has_help_and_documented_options() -> None:
    blocks = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.S))
    subcommands = sorted(set(re.findall(r"dedup archive ([a-z]+)\b", blocks)))
    assert subcommands == ["add", "export", "remove", "stats"]
    for sub in subcommands:
        result = CliRunner().invoke(app, ["archive", sub, "--help"], env={"COLUMNS": "300"})
        assert result.exit_code == 0, sub
        options = set(re.findall(r"(--[a-z][a-z-]+)", result.stdout)) - {"--help"}
        assert sorted(o for o in options if o not in README) == [], sub
    assert "--against ARCHIVE" in README


def test_archive_example_output_is_real(tmp_path: Path) -> None:
    env = {"NO_COLOR": "1", "PATH": "", "SOURCE_DATE_EPOCH": "1747353600"}
    db = str(tmp_path / "archive.db")

    def dedup(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "dedup", *args]
        return subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)

    added = dedup("archive", "add", db, "seeds/ukraine-live-blog.txt", "--label", "live")
    checked = dedup("check", "--against", db, "seeds/draft-story.md")
    assert (added.returncode, checked.returncode) == (0, 1)
    shown = README[README.index("$ dedup archive add archive.db seeds/") :]
    shown = shown[: shown.index("$ echo $?")]
    real = (
        "$ dedup archive add archive.db seeds/ukraine-live-blog.txt --label live\n"
        + added.stderr.replace(db, "archive.db")
        + "$ dedup check --against archive.db seeds/draft-story.md\n"
        + checked.stdout
    )
    assert shown == real


def _console_block(command: str) -> list[str]:
    """Return the lines the README shows after ``$ COMMAND`` (up to the next ``$`` or fence)."""
    block = re.search(re.escape(f"$ {command}") + r"\n(.*?)\n(?:\$|```)", README, flags=re.S)
    assert block is not None, command
    return block.group(1).splitlines()


def test_explain_example_output_is_real() -> None:
    command = "dedup explain seeds/ukraine-live-blog.txt:3 seeds/ukraine-live-blog.txt:18"
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", *command.split()[1:]],
        cwd=REPO, capture_output=True, text=True,
        env={"NO_COLOR": "1", "PATH": "", "COLUMNS": "300"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    real = [" ".join(line.split()) for line in proc.stdout.splitlines()]
    shown = [" ".join(line.split()) for line in _console_block(command) if line.strip() != "..."]
    assert shown and all(line in real for line in shown), (shown, real)


def test_check_example_output_is_real() -> None:
    command = "dedup check seeds/ukraine-live-blog.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", *command.split()[1:]],
        cwd=REPO, capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": ""},
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == _console_block(command)


def test_ci_recipe_installs_from_the_repository() -> None:
    """dedup is not on a package index: the CI recipe must not install it from one."""
    recipe = re.search(r"### In CI\n(.*?)\n##", README, flags=re.S)
    assert recipe is not None
    installs = re.findall(r"pip install ([^\n`]+)", recipe.group(1))
    assert installs == ["./.dedup-tool", "./dedup"]
