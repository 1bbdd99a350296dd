"""Command-line values coerced without typer's pydantic layer are what typer makes of them.

``dedup.commands.coerce`` answers plain values itself and hands any other to typer: on
every parameter of every command, for generated values (numbers, choices in any case,
text, lists, defaults, wrong values), its answer equals typer's own, and so does its
message for a wrong value. A one-file check imports neither pydantic nor the modules of
commands and options it does not run.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import typer
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer._typing import is_literal_type, literal_values

from dedup.cli import app
from dedup.commands.coerce import PlainValues

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "ukraine-live-blog.txt"


def _params() -> list[tuple[str, Any, Any]]:
    """Return (command path, click command, parameter) for every parameter of the app."""
    found = []
    pending: list[tuple[str, Any]] = [("dedup", typer.main.get_command(app))]
    while pending:
        path, command = pending.pop()
        help_option = command.get_help_option(Context(command))
        for param in [*command.params, help_option]:
            if param is not None:
                found.append((path, command, param))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            pending.append((f"{path} {name}", sub))
    return found


PARAMS = _params()


def _choices(annotation: Any) -> tuple[Any, ...]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(annotation)
    if is_literal_type(annotation):
        return tuple(literal_values(annotation))
    return ()


#: Values of any parameter: text, number-like text, numbers, flags.
_ANY = st.one_of(
    st.text(max_size=12),
    st.text(alphabet="0123456789-+._ eEinfa", max_size=8),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(places=3, allow_nan=False, allow_infinity=False).map(str),
    st.integers(-5, 2000),
    st.floats(-2, 2000),
    st.booleans(),
)


@functools.cache
def _values(annotation: Any) -> st.SearchStrategy[Any]:
    """Return the values drawn for a parameter of type ``annotation``: plain or not."""
    choices = _choices(annotation)
    if not choices:
        return _ANY
    names = st.sampled_from([str(getattr(c, "value", c)) for c in choices])
    recased = st.tuples(names, st.randoms(use_true_random=False)).map(
        lambda nr: "".join(c.upper() if nr[1].random() < 0.5 else c for c in nr[0])
    )
    return st.one_of(_ANY, names, recased, st.sampled_from(choices))


def _item(data: st.DataObject, annotation: Any) -> Any:
    return data.draw(_values(annotation))


def _outcome(coercion: Any, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        got = coercion.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()
    # repr tells -0.0 from 0.0 and a list's items' types apart, which == does not.
    return "value", (
        type(got),
        repr(got),
        [type(v) for v in got] if isinstance(got, list) else None,
    )


def _kind(param: Any) -> tuple[Any, ...]:
    """Return what decides a parameter's coercion: parameters alike are checked once."""
    info = param.type_descriptor.parameter_info
    return (
        repr(param.type_descriptor.annotation),
        info.min,
        info.max,
        info.clamp,
        info.case_sensitive,
        info.parser,
        param.multiple,
        param.nargs,
    )


KINDS = list({_kind(p): (path, command, p) for path, command, p in PARAMS}.values())
#: Both coercions of each kind, built once (typer's builds a pydantic adapter).
BUILT = [
    (path, command, p, build_runtime_param(p.type_descriptor), PlainValues(p.type_descriptor))
    for path, command, p in KINDS
]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_plain_values_coerce_as_typer(data: Any) -> None:
    path, command, param, typer_coercion, plain = data.draw(st.sampled_from(BUILT))
    annotation = param.type_descriptor.annotation
    if get_origin(annotation) is list:
        (inner,) = get_args(annotation)
        items = [_item(data, inner) for _ in range(data.draw(st.integers(0, 3)))]
        value: Any = data.draw(st.sampled_from([list, tuple]))(items)
        if data.draw(st.integers(0, 5)) == 0:  # one string where a list belongs: an error
            value = _item(data, inner)
    else:
        value = _item(data, annotation)
    value = data.draw(st.sampled_from([value, None, param.default]))
    ctx = Context(command)
    typer_says = _outcome(typer_coercion, value, param, ctx)
    assert _outcome(plain, value, param, ctx) == typer_says, (path, param.name, value)


#: Values a command line gives (and some it cannot), tried on every kind of parameter.
LISTED = [
    None, "", "0", "1", "-1", "-0", "0.5", "0.80", "1.0", "2", "16", "1024", "1025", "007",
    " 1", "1 ", "1_0", "1e3", "nan", "inf", "-0.0", "0.000", "abc", "text", "TEXT", "Json",
    "exact", "NEAR",
    "first", "Last", "local", "skip", "a\udcffb", 0, 1, 0.5, True, False,
    ["a", "b"], ("a",), (), ["1", "x"],
]  # fmt: skip


@pytest.mark.parametrize("value", LISTED, ids=repr)
def test_listed_values_coerce_as_typer(value: Any) -> None:
    for path, command, param, typer_coercion, plain in BUILT:
        ctx = Context(command)
        for v in (value, *_choices(param.type_descriptor.annotation)):
            expected = _outcome(typer_coercion, v, param, ctx)
            assert _outcome(plain, v, param, ctx) == expected, (path, param.name, v)


def test_a_hook_s_values_are_answered_without_typer() -> None:
    """Absent options, defaults, file names, a choice by name, numbers within limits."""
    given = {
        "paths": ("a.md", "docs/b.md"),
        "fmt": "GitHub",
        "threshold": "0.9",
        "jobs": "2",
        "fail_on": "exact",
        "include": ("*.md",),
        "output": "report.txt",
    }
    check = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    ctx = Context(check)
    for param in check.params:
        plain = PlainValues(param.type_descriptor)
        for value in (None, param.default, given.get(param.name)):
            if not isinstance(value, bool):
                plain.coerce(value, param=param, ctx=ctx)
        assert plain._typer is None, param.name


def test_every_command_has_parameters_checked() -> None:
    commands = {path for path, _, _ in PARAMS}
    assert {"dedup check", "dedup clean", "dedup archive add", "dedup explain"} <= commands
    kinds = {type(p.type_descriptor.annotation) for _, _, p in KINDS}
    assert len(kinds) > 2  # types, enums, list[...]
    assert len(KINDS) > 10  # numbers with and without limits, each choice, text, lists


def test_a_one_file_check_imports_what_it_runs() -> None:
    """No pydantic (typer's coercion), no other command's or engine's modules."""
    code = (
        "import sys\n"
        f"sys.argv = ['dedup', 'check', {str(SEED)!r}]\n"
        "from dedup.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code, file=sys.stderr)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "exit 1" in run.stderr
    loaded = set(run.stdout.split())
    assert "dedup.commands.check" in loaded
    unwanted = {
        "pydantic",
        "typer._adapters",
        "datasketch",
        "dedup.archive",
        "dedup.commands.archive",
        "dedup.commands.clean",
        "dedup.commands.diff",
        "dedup.commands.explain",
        "dedup.inputs.partition",
        "dedup.engines.dask_cluster",
        "rich.progress",
    }
    assert loaded & unwanted == set()
