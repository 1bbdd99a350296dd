"""Typer parameters built from the option table, and the configuration a command runs with.

A command function is decorated with ``@command("check")`` (its name in the table's
``commands``); the command line registers it through :func:`signed`. Its own parameters
(arguments, and options only it has) are written in its signature with their typer
annotations; the table adds every option it takes, after them. A table option the body
uses is a keyword-only parameter with a plain type (``jobs: int | None``); configuration
keys are never read from parameters: they arrive in ``**overrides`` and go to
:func:`configure`, so a value from the command line, the file or the built-in default is
read the same way, from the ``Config``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

import typer

from dedup.config import Config, load_config
from dedup.option_table import OPTIONS, Option, of_command

F = TypeVar("F", bound=Callable[..., Any])

_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_BUILT: dict[tuple[int, str], Any] = {}  # (table position, help) -> annotation
_NAMES: dict[Callable[..., Any], str] = {}  # command function -> its name in the table


def annotation(option: Option, command: str) -> Any:
    """Return ``Annotated[type, typer.Option(...)]`` for ``option`` in ``command``."""
    text = option.help_for(command)
    key = (OPTIONS.index(option), text)
    if key not in _BUILT:
        flag = f"--{option.name}" + (f"/{option.negative}" if option.negative else "")
        limits: dict[str, Any] = {}
        if option.low is not None:
            limits["min"] = option.low
        if option.high is not None:
            limits["max"] = option.high
        info = typer.Option(
            flag,
            *([option.short] if option.short else []),
            help=text,
            metavar=option.metavar,
            case_sensitive=option.case_sensitive,
            show_default=cli_default(option) is not None,
            **limits,
        )
        kind = option.type | None if option.is_key else option.type
        _BUILT[key] = Annotated[kind, info]
    return _BUILT[key]


def cli_default(option: Option) -> Any:
    """Return the parameter's default: None (not given) for a configuration key."""
    return None if option.is_key else option.default


def command(name: str) -> Callable[[F], F]:
    """Mark the decorated function as command ``name`` of the table's ``commands``.

    Its signature is built by :func:`signed` when the command line registers it, so a run
    builds only the signature of the command it runs.
    """

    def decorate(func: F) -> F:
        _NAMES[func] = name
        return func

    return decorate


def signed(func: F) -> F:
    """Give ``func`` (marked by :func:`command`) its own parameters, then the table's
    options of its command, as the signature typer reads (see the module doc)."""
    name = _NAMES.get(func)
    if name is None or "__signature__" in func.__dict__:  # a command without table options
        return func
    taken = of_command(name)
    by_parameter = {o.parameter: o for o in taken}
    own: list[inspect.Parameter] = []
    rest = False
    for p in inspect.signature(func, eval_str=True).parameters.values():
        option = by_parameter.get(p.name)
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            rest = True
        elif option is None:
            own.append(p.replace(kind=_KEYWORD))
        elif option.is_key:
            raise TypeError(f"{name}: {p.name} is a configuration key: read it from Config")
    if not rest and any(o.is_key for o in taken):
        raise TypeError(f"{name}: configuration keys need a **overrides parameter")
    table = [
        inspect.Parameter(
            o.parameter, _KEYWORD, default=cli_default(o), annotation=annotation(o, name)
        )
        for o in taken
    ]
    func.__signature__ = inspect.Signature([*own, *table])  # type: ignore[attr-defined]
    return func


def configure(
    config: str | None,
    overrides: Mapping[str, Any] | None = None,
    *,
    paths: list[str] | None = None,
) -> Config:
    """Load the configuration with the command line's keys on top.

    ``overrides`` holds the command's configuration keys by parameter name
    (``review_threshold``); each overrides the file unless it is ``None`` or an empty list
    (not given). The file is the one named by ``--config``, else the nearest to the checked
    ``paths``, else the nearest to the current folder (see :func:`dedup.config.load_config`).
    """
    given = overrides or {}
    values = {o.name: given.get(o.parameter) for o in OPTIONS if o.is_key}
    return load_config(
        config, {k: v for k, v in values.items() if v not in (None, [])}, paths=paths
    )
