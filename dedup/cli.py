"""The ``dedup`` command line: a thin typer layer over the library."""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

import typer
import typer.core

from dedup import __version__
from dedup.commands import options
from dedup.commands.coerce import plain_values
from dedup.engines.collector import relaxed
from dedup.errors import DedupError
from dedup.status import ExitCode
from dedup.writers.console import error

try:  # recent typer carries its own click; older typer depends on click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer
    from click import ClickException  # type: ignore[assignment]

F = TypeVar("F", bound=Callable[..., Any])
#: -h and --help, for the app and every command.
CONTEXT = {"help_option_names": ["-h", "--help"]}

#: What ``--help`` calls each value of a command's own parameters (instead of typer's
#: ``<str>``, ``<list[str]>``); the option table (``dedup/option_table.py``) names its own.
METAVARS = {
    "paths": "PATH",
    "path": "FILE",
    "archive": "ARCHIVE",
    "sources": "SOURCE",
    "a": "PATH:LINE[:COL]",
    "b": "PATH:LINE[:COL]",
    "output": "FILE",
    "notes": "FILE",
    "html": "FILE",
    "label": "LABEL",
    "context": "N",
}

#: A short example at the end of each command's help.
EXAMPLES = {
    "clean": "Example: dedup clean notes.md -o notes.clean.md --notes removed.json",
    "check": "Example: dedup check docs/ --format github --fail-on exact",
    "diff": "Example: dedup diff docs/ --html report.html",
    "explain": "Example: dedup explain docs/a.md:12 docs/b.md:40",
    "config": "Example: dedup config --json",
    "add": "Example: dedup archive add published.db site/ --label 2024-06",
    "remove": "Example: dedup archive remove published.db --label 2024-06",
    "stats": "Example: dedup archive stats published.db --json",
    "export": "Example: dedup archive export published.db -o archive.jsonl",
}


class Command(typer.core.TyperCommand):
    """A command whose help names values as a reader would: FILE, GLOB, KINDS, N."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            name = param.name or ""
            if param.metavar is not None or getattr(param, "is_flag", False):
                continue
            # A choice lists its values (exact|near); else typer's kind of the value as a
            # fallback for a new option.
            desc = getattr(param, "type_descriptor", None)
            if desc is not None and desc.is_choice:
                fallback = "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
            else:
                kind = getattr(desc, "annotation", None)
                fallback = {int: "N", float: "NUMBER"}.get(
                    kind if isinstance(kind, type) else str, name.upper().replace("_", "-")
                )
            param.metavar = METAVARS.get(name, fallback)
            if isinstance(param, typer.core.TyperArgument):
                # The name says it all: no "<list[str]>" type after it.
                param.display_type_rich = _no_type  # type: ignore[method-assign]

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        plain_values(params)  # plain values without typer's pydantic layer
        return params


class Group(typer.core.TyperGroup):
    """The app and the ``archive`` group: their options' values coerced as a command's."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        plain_values(params)
        return params


def _no_type(ctx: object) -> None:
    return None


def _command(target: typer.Typer, name: str, func: Callable[..., Any]) -> None:
    signed = options.signed(func)  # the option table's parameters, for this command only
    target.command(name, cls=Command, epilog=EXAMPLES.get(name))(_errors_to_exit(signed))


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (temporary folders go), then exit 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_MAIN_PID = os.getpid()


def _terminate(signum: int, _frame: FrameType | None) -> None:
    if os.getpid() != _MAIN_PID:  # a forked worker: die as the signal says, quietly
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Terminated(signum)


def _errors_to_exit(func: F) -> F:
    """Turn dedup's errors into one ``error:`` line on stderr and exit status 2.

    The command runs with the garbage collector out of its way (``collector.relaxed``):
    writing a large report allocates as much as the run did.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with relaxed():  # the collector out of the way while the command runs
                return func(*args, **kwargs)
        except DedupError as exc:
            error(str(exc))
            raise typer.Exit(ExitCode.ERROR) from None
        except KeyboardInterrupt:
            error("interrupted")
            raise typer.Exit(130) from None
        except Terminated as exc:
            error(f"terminated by {signal.Signals(exc.signum).name}")
            raise typer.Exit(128 + exc.signum) from None
        except BrokenPipeError:
            raise typer.Exit(ExitCode.OK) from None
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except RecursionError:
            error("internal error: input nested too deeply to process (exit 3)")
            raise typer.Exit(ExitCode.INTERNAL) from None
        except MemoryError:
            error("out of memory (exit 3); try --jobs 1 or a smaller input")
            raise typer.Exit(ExitCode.INTERNAL) from None
        except Exception as exc:  # a bug: one line, never a traceback (unless asked)
            if os.environ.get("DEDUP_DEBUG") == "1":
                traceback.print_exc()
            error(
                f"internal error: {type(exc).__name__}: {exc} "
                "(please report it; DEDUP_DEBUG=1 shows the traceback)"
            )
            raise typer.Exit(ExitCode.INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dedup {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", help="Show the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Find repeated and near-repeated paragraphs, remove them, and say what was removed."""


#: The top-level commands, by name (the ``archive`` group aside): the module that holds
#: each, imported when the app is built with it (a one-file check imports ``check`` only).
COMMANDS: dict[str, str] = {
    "clean": "dedup.commands.clean",
    "check": "dedup.commands.check",
    "diff": "dedup.commands.diff",
    "explain": "dedup.commands.explain",
    "config": "dedup.commands.config",
}


def _function(name: str) -> Callable[..., Any]:
    """Return the function of top-level command ``name`` (its module's function of that name)."""
    found: Callable[..., Any] = getattr(importlib.import_module(COMMANDS[name]), name)
    return found


def _app(commands: list[str], *, with_archive: bool) -> typer.Typer:
    """Return the ``dedup`` app holding the top-level ``commands`` (and the ``archive`` group)."""
    made = typer.Typer(
        name="dedup",
        cls=Group,
        help="Find repeated and near-repeated paragraphs, remove them, and say what was removed.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings=CONTEXT,
    )
    made.callback()(_root)
    for name in commands:
        _command(made, name, _function(name))
    if with_archive:
        from dedup.commands import archive  # only with the group

        archive_app = typer.Typer(
            name="archive",
            cls=Group,
            help="A persistent archive of published paragraphs, for check --against.",
            no_args_is_help=True,
            rich_markup_mode=None,
            context_settings=CONTEXT,
        )
        for name, func in archive.COMMANDS:
            _command(archive_app, name, func)
        made.add_typer(archive_app, name="archive")
    return made


_APP: list[typer.Typer] = []


def __getattr__(name: str) -> Any:
    """Return ``app``, every command in it, built on first use (``main`` builds less)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _APP:
        _APP.append(_app(list(COMMANDS), with_archive=True))
    return _APP[0]


def main() -> None:
    """Run the command line (SIGTERM and SIGHUP clean up like Ctrl-C).

    ``dedup COMMAND ...`` builds the app with that command only: typer reads the
    signature of every command it holds (and the option table's parameters are built
    per command), which costs a one-file check a tenth of its time. What the command
    says and does is the same (``app`` holds them all).
    """
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name in COMMANDS:
        _app([name], with_archive=False)(prog_name="dedup")
    else:
        __getattr__("app")(prog_name="dedup")
