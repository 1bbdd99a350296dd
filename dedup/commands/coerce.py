"""Coerce plain command-line values the way typer does, without its pydantic layer.

typer (0.29 and later) coerces the value of every parameter of the command it runs, an
absent option included, through a pydantic ``TypeAdapter`` it builds on first use:
importing pydantic and building some forty adapters is about a third of a one-file
``dedup check``. For the values a commit hook passes (absent options, file names, a text
option, a choice by name, a plain number within its limits) the answer is plain, and
:class:`PlainValues` gives it directly: the value typer would give (a test compares the
two on every parameter). Any other value (out of range, not a number, not a choice, a
tuple, a parser) goes to typer's own coercion, built only then, so what typer says about
a wrong value stays what it says.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, get_args, get_origin

try:  # typer 0.29 and later: coercion through pydantic, built per parameter on first use
    from typer._coercion import build_runtime_param
    from typer._param_types import coerce_cli_choice
    from typer._typing import is_literal_type, literal_values
except ImportError:  # pragma: no cover - an older typer coerces through click's types
    build_runtime_param = None  # type: ignore[assignment]

#: Integers and decimals whose value pydantic and Python read alike (no sign on zero, no
#: leading zeros, underscores, exponents or spaces, at most 18 digits).
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?")

#: No plain answer: typer's coercion decides.
_TYPER = object()


class PlainValues:
    """One parameter's coercion: plain values here, any other through typer's."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """Return ``value`` coerced as typer's runtime parameter would coerce it."""
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        if not (multiple and isinstance(value, str)):
            plain = self._plain(value, ctx)
            if plain is not _TYPER:
                return plain
        if self._typer is None:
            self._typer = build_runtime_param(self.descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)

    def _plain(self, value: Any, ctx: Any) -> Any:
        annotation = self.descriptor.annotation
        if get_origin(annotation) is list:
            (item,) = get_args(annotation)
            if not isinstance(value, (list, tuple)):
                return _TYPER
            items = [self._leaf(item, v, ctx) for v in value]
            return _TYPER if any(v is _TYPER for v in items) else items
        return self._leaf(annotation, value, ctx)

    def _leaf(self, annotation: Any, value: Any, ctx: Any) -> Any:
        info = self.descriptor.parameter_info
        if info.parser is not None:
            return _TYPER
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return _choice(tuple(annotation), value, info.case_sensitive, ctx)
        if is_literal_type(annotation):
            return _choice(literal_values(annotation), value, info.case_sensitive, ctx)
        if annotation is str:
            return value if type(value) is str else _TYPER
        if annotation is int or annotation is float:
            return _number(annotation, value, info)
        return _TYPER


def _choice(choices: tuple[Any, ...], value: Any, case_sensitive: bool, ctx: Any) -> Any:
    if not isinstance(value, (str, Enum)):
        return _TYPER
    try:
        return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
    except ValueError:  # typer's message, through typer
        return _TYPER


def _number(kind: type[int] | type[float], value: Any, info: Any) -> Any:
    if type(value) is str:
        if not (_INT if kind is int else _FLOAT).fullmatch(value) or value == "-0":
            return _TYPER
        number: int | float = kind(value)
    elif type(value) is kind:
        number = value
    else:
        return _TYPER
    if info.clamp or (info.min is not None and number < info.min):
        return _TYPER
    if info.max is not None and number > info.max:
        return _TYPER
    return number


def plain_values(params: Any) -> None:
    """Give each typer parameter in ``params`` not yet coerced :class:`PlainValues`."""
    if build_runtime_param is None:  # pragma: no cover - an older typer
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None:
            param._runtime_param = PlainValues(descriptor)
