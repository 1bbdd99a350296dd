"""--help names values as a reader would, shows an example, and -h is the same."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from dedup.cli import app

COMMANDS = [
    ["clean"],
    ["check"],
    ["diff"],
    ["explain"],
    ["config"],
    ["archive", "add"],
    ["archive", "remove"],
    ["archive", "stats"],
    ["archive", "export"],
]


def helped(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_names_values_and_shows_an_example(command: list[str]) -> None:
    text = helped(*command, "--help")
    assert helped(*command, "-h") == text
    assert not re.search(r"<[a-z][^>]*>", text), text  # no <str>, <list[str]>, <int range>
    example = [line.strip() for line in text.splitlines() if line.strip().startswith("Example:")]
    assert len(example) == 1 and example[0].startswith(f"Example: dedup {' '.join(command)} ")


def test_help_metavars_of_check() -> None:
    text = helped("check", "-h")
    for option in (
        "-o, --output FILE",
        "--include GLOB",
        "--remove KINDS",
        "--text-field FIELD",
        "-j, --jobs N",
        "--against ARCHIVE",
        "--fail-on exact|near|contained|similar",
        "--config FILE",
    ):
        assert option in text, option
    assert re.search(r"^  PATH\s+Files and folders", text, re.M)


def test_app_help_alias() -> None:
    assert helped("-h") == helped("--help")
    assert helped("archive", "-h") == helped("archive", "--help")
