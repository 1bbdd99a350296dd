"""``dedup config``: print the effective settings and where each came from."""

from __future__ import annotations

import json
import os
import re
from typing import Annotated

import typer

from dedup.commands import options as o
from dedup.errors import UsageError


@o.command("config")
def config(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Show the configuration that dedup check on these files and folders "
            "would use (the config file nearest to them). [default: the current folder's]",
            show_default=False,
        ),
    ] = None,
    *,
    config: str | None,
    as_json: bool,
) -> None:
    """Show the effective configuration and which file it came from."""
    for given in paths or []:
        if given != "-" and not os.path.lexists(given):
            raise UsageError(f"{given}: no such file or directory")
    cfg = o.configure(config, paths=paths)
    cfg.settings()  # validate: a bad value is reported here, not at the next check
    _ = cfg.fail_on
    _ = cfg.syntax_map
    if as_json:
        data = {
            "file": cfg.source if cfg.path else None,
            "settings": cfg.values,
            "origin": cfg.origin,
        }
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"# configuration file: {cfg.source}")
    if cfg.path is None or cfg.path.name == "pyproject.toml":
        typer.echo("[tool.dedup]")
    for key, value in cfg.values.items():
        typer.echo(f"{key} = {_toml(value)}  # {cfg.origin[key]}")


def _toml(value: object) -> str:
    """Return ``value`` as TOML (an inline table for a dict: ``{labels = false}``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def _key(key: str) -> str:
    """Return a TOML key: bare when it can be (``labels``), else quoted (``".mdx"``)."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
