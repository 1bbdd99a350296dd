"""Run the CLI in-process: exit code, stdout and stderr, as the tests compare them."""

from __future__ import annotations

from typer.testing import CliRunner

from dedup.cli import app


def run(*args: str) -> tuple[int, str, str]:
    """Return ``dedup ARGS``'s exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr
