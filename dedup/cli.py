"""The ``dedup`` command line: a thin typer layer over the library."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from dedup import __version__
from dedup.commands import archive
from dedup.commands.check import check
from dedup.commands.clean import clean
from dedup.commands.config import config
from dedup.commands.diff import diff
from dedup.commands.explain import explain
from dedup.errors import DedupError
from dedup.status import ExitCode
from dedup.writers.console import error

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="dedup",
    help="Find repeated and near-repeated paragraphs, remove them, and say what was removed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _errors_to_exit(func: F) -> F:
    """Turn dedup's errors into one ``error:`` line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DedupError as exc:
            error(str(exc))
            raise typer.Exit(ExitCode.ERROR) from None
        except KeyboardInterrupt:
            error("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(ExitCode.OK) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dedup {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Show the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Find repeated and near-repeated paragraphs, remove them, and say what was removed."""


app.command("clean")(_errors_to_exit(clean))
app.command("check")(_errors_to_exit(check))
app.command("diff")(_errors_to_exit(diff))
app.command("explain")(_errors_to_exit(explain))
app.command("config")(_errors_to_exit(config))

archive_app = typer.Typer(
    name="archive",
    help="A persistent archive of published paragraphs, for check --against.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
for _name, _command in archive.COMMANDS:
    archive_app.command(_name)(_errors_to_exit(_command))
app.add_typer(archive_app, name="archive")


def main() -> None:
    """Run the command line."""
    app(prog_name="dedup")
