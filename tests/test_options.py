"""The option table, the configuration parser, ``Settings`` and the command line agree.

Every table option is taken by each command it names, with the table's help and default;
every configuration key is accepted in a file with the table's default, which is also the
built-in one; every ``Settings`` field is a table option with the same default.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import types
from enum import Enum
from pathlib import Path
from typing import Any, get_args

import pytest
import typer

from dedup.cli import app
from dedup.commands import options as o
from dedup.config import DEFAULTS, load_config
from dedup.core.settings import Settings
from dedup.option_table import KEYS, OPTIONS, Option, of_command

#: Arguments each command needs before its options parse.
ARGUMENTS = {
    "check": [],
    "clean": ["a.md"],
    "diff": [],
    "explain": ["a.md:1", "b.md:1"],
    "config": [],
    "archive add": ["a.db", "a.md"],
    "archive remove": ["a.db"],
}
#: ``Settings`` fields that are no option: set from the library only.
LIBRARY_ONLY = {"lsh_threshold"}


@functools.cache
def click_command(name: str) -> Any:
    """Return the click command typer makes of ``name`` ("archive add")."""
    command: Any = typer.main.get_command(app)
    for part in name.split():
        command = command.commands[part]
    return command


def flag_of(command: Any, option: Option) -> Any:
    [param] = [p for p in command.params if f"--{option.name}" in p.opts]
    return param


def sample(option: Option) -> tuple[list[str], Any]:
    """Return command-line words giving ``option`` a value, and the value typer makes."""
    name = f"--{option.name}"
    kind = option.type
    if isinstance(kind, types.UnionType):  # X | None
        [kind] = [t for t in get_args(kind) if t is not type(None)]
    if kind is bool:
        return [name], True
    if isinstance(kind, type) and issubclass(kind, Enum):
        value = option.default if option.default is not None else next(iter(kind))
        return [name, str(kind(value).value)], kind(value)
    if kind == list[str]:
        return [name, "*.md"], ["*.md"]
    if kind is int:
        value = option.default if isinstance(option.default, int) else 0
        value = value if option.low is None else max(value, int(option.low))
        return [name, str(value)], value
    if kind is float:
        return [name, str(option.default)], option.default
    return [name, "x"], "x"


TAKEN = [(c, option) for option in OPTIONS for c in option.commands]


@pytest.mark.parametrize(
    ("command", "option"), TAKEN, ids=[f"{c}:{option.name}" for c, option in TAKEN]
)
def test_each_command_takes_its_table_options(command: str, option: Option) -> None:
    cmd = click_command(command)
    param = flag_of(cmd, option)
    assert param.name == option.parameter
    assert param.help == option.help_for(command)
    assert param.default == (None if option.is_key else option.default)
    if option.is_key and option.type is not bool:
        shown = option.shown_default or str(option.default)
        assert not isinstance(option.default, (list, dict)) or "[default:" not in param.help
        assert isinstance(option.default, (list, dict)) or f"[default: {shown}]" in param.help
    words, value = sample(option)
    ctx = cmd.make_context(f"dedup {command}", [*ARGUMENTS[command], *words])
    assert ctx.params[option.parameter] == value


@pytest.mark.parametrize("command", sorted(ARGUMENTS))
def test_a_command_takes_no_table_option_it_does_not_name(command: str) -> None:
    cmd = click_command(command)
    named = {f"--{option.name}" for option in of_command(command)}
    table = {f"--{option.name}" for option in OPTIONS}
    flags = {opt for p in cmd.params for opt in p.opts if opt.startswith("--")}
    assert flags & table == named
    # its own options come first, then the table's in their order
    tail = [p.name for p in cmd.params][-len(of_command(command)) :]
    assert tail == [option.parameter for option in of_command(command)]


@pytest.mark.parametrize("command", sorted(ARGUMENTS))
def test_a_table_option_the_body_reads_has_the_table_type(command: str) -> None:
    func = click_command(command).callback
    assert func is not None
    declared = inspect.signature(func).parameters  # what typer reads
    hints = inspect.get_annotations(inspect.unwrap(func), eval_str=True)
    for option in of_command(command):
        assert option.parameter in declared
        if option.parameter in hints:  # read by the body: typed as in the table
            assert not option.is_key
            assert hints[option.parameter] == option.type, option.name


def test_every_configuration_key_is_accepted_with_the_table_default(tmp_path: Path) -> None:
    assert list(DEFAULTS) == list(KEYS)
    built_in = load_config(cwd=tmp_path)
    assert built_in.values == {key: option.default for key, option in KEYS.items()}
    body = "".join(f"{key} = {_toml(option.default)}\n" for key, option in KEYS.items())
    path = tmp_path / ".dedup.toml"
    path.write_text(body, encoding="utf-8")
    from_file = load_config(str(path))
    assert from_file.values == built_in.values
    assert set(from_file.origin.values()) == {str(path)}
    assert from_file.settings() == built_in.settings()


def test_settings_fields_are_the_table_settings_with_the_same_defaults() -> None:
    fields = {f.name for f in dataclasses.fields(Settings) if f.init} - LIBRARY_ONLY
    settable = {option.parameter: option for option in OPTIONS if option.setting is not None}
    assert set(settable) == fields
    defaults = Settings()
    for name, option in settable.items():
        assert option.setting is not None
        assert getattr(defaults, name) == option.setting(option.default), name


def test_a_command_line_value_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / ".dedup.toml"
    path.write_text("threshold = 0.7\nmin_words = 2\n", encoding="utf-8")
    cfg = o.configure(str(path), {"threshold": 0.9, "include": [], "seed": None})
    assert cfg.values["threshold"] == 0.9 and cfg.origin["threshold"] == "command line"
    assert cfg.values["min-words"] == 2 and cfg.origin["min-words"] == str(path)
    assert cfg.origin["include"] == cfg.origin["seed"] == "default"


def test_a_configuration_key_cannot_be_a_parameter_the_body_reads() -> None:
    def bad(*, threshold: float | None, **overrides: Any) -> None: ...

    with pytest.raises(TypeError, match="threshold is a configuration key"):
        o.signed(o.command("check")(bad))

    def closed(*, quiet: bool) -> None: ...

    with pytest.raises(TypeError, match="need a \\*\\*overrides"):
        o.signed(o.command("check")(closed))


def test_one_flag_per_command() -> None:
    for command in ARGUMENTS:
        names = [option.name for option in of_command(command)]
        assert len(names) == len(set(names)), command


def _toml(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    return json.dumps(value)
