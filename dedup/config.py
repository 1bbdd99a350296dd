"""Configuration files: ``[tool.dedup]`` in ``pyproject.toml`` or a ``.dedup.toml``.

Which file: ``--config PATH`` when given; else the nearest to the checked paths (walking
up from the folder that holds them all, as markdownlint-cli2 and Vale do); else the
nearest to the current directory. The nearest folder with either file wins; in one
folder ``.dedup.toml`` is preferred.
Keys are the long command-line option names (``review-threshold``; ``review_threshold``
is accepted too). Command-line values override the file; unknown keys are an error.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedup.check.findings import Roles
from dedup.core.models import Kind
from dedup.core.settings import Settings, Syntax
from dedup.errors import UsageError
from dedup.inputs.jsonl import Limits
from dedup.inputs.reader import mapped_syntax
from dedup.option_table import KEYS, choice

#: Every key a config file may set, with its default (the option table, in its order).
DEFAULTS: dict[str, Any] = {key: option.default for key, option in KEYS.items()}
#: The TOML types each key accepts.
_TYPES: dict[str, tuple[type, ...]] = {key: option.config for key, option in KEYS.items()}


#: TOML's names for the value types of the configuration.
_TOML_TYPES: dict[type, str] = {
    dict: "table",
    list: "array",
    str: "string",
    int: "integer",
    float: "float",
    bool: "boolean",
}
#: How a value of a key is written, for keys whose type is easy to get wrong.
_EXAMPLES = {"structure": " such as {labels = false, pointers = false}"}


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration: values and, for each, where it came from."""

    values: dict[str, Any]
    origin: dict[str, str]
    path: Path | None = None
    base: Path = field(default_factory=Path.cwd)
    shown: str = ""  # the file as users should see it named

    @property
    def source(self) -> str:
        """Return how to name the configuration file in messages."""
        if self.path is None:
            return "none (built-in defaults)"
        return self.shown or display(self.path)

    def settings(self) -> Settings:
        """Return the comparison settings: each table option with a ``setting`` converter."""
        return Settings(
            **{
                option.parameter: option.setting(self.values[key])
                for key, option in KEYS.items()
                if option.setting is not None
            }
        )

    @property
    def roles(self) -> Roles:
        """Return when a group is boilerplate and whether boilerplate fails."""
        copies = int(self.values["boilerplate-copies"])
        if copies < 0:
            raise UsageError(f"boilerplate-copies must be 0 (off) or more, got {copies}")
        return Roles(
            copies=copies,
            fail=bool(self.values["fail-on-boilerplate"]),
            versions=bool(self.values["boilerplate-versions"]),
            entries=bool(self.values["boilerplate-entries"]),
            lists=bool(self.values["boilerplate-lists"]),
            aggregates=bool(self.values["boilerplate-aggregates"]),
            templates=bool(self.values["boilerplate-templates"]),
            sections=bool(self.values["boilerplate-sections"]),
            release_notes=bool(self.values["boilerplate-release-notes"]),
            summaries=bool(self.values["boilerplate-summaries"]),
            reminders=bool(self.values["boilerplate-reminders"]),
            generated=bool(self.values["boilerplate-generated"]),
        )

    @property
    def max_findings(self) -> int | None:
        """Return the most entries a report shows (None: all; SARIF has its own cap)."""
        n = int(self.values["max-findings"])
        if n < 0:
            raise UsageError(f"max-findings must be 1 or more (0: no limit), got {n}")
        return n or None

    @property
    def limits(self) -> Limits:
        """Return the longest JSONL line, the most bytes a compressed input may give and the
        longest paragraph."""
        line = self.values["max-line-bytes"]
        if isinstance(line, bool) or not isinstance(line, int) or line < 1:
            raise UsageError(f"max-line-bytes must be 1 or more, got {line!r}")
        paragraph = self.values["max-paragraph-bytes"]
        if isinstance(paragraph, bool) or not isinstance(paragraph, int) or paragraph < 1:
            raise UsageError(f"max-paragraph-bytes must be 1 or more, got {paragraph!r}")
        most = self.values["max-decompressed-bytes"]
        if most == "auto":
            return Limits(line, None, paragraph)
        if isinstance(most, bool) or not isinstance(most, int) or most < 0:
            raise UsageError(
                f'max-decompressed-bytes must be "auto", 0 (no limit) or more, got {most!r}'
            )
        return Limits(line, most, paragraph)

    @property
    def syntax_map(self) -> dict[str, str]:
        """Return extension (lower case, with the dot) to syntax, from ``syntax-map``."""
        out: dict[str, str] = {}
        for ext, name in dict(self.values["syntax-map"]).items():
            if not isinstance(ext, str) or not ext.startswith(".") or len(ext) < 2:
                raise UsageError(
                    f"syntax-map: {ext!r} is not a file extension; write it with its dot, "
                    f'as in {{".{str(ext).lstrip(".") or "mdx"}" = "markdown"}}'
                )
            valid = [s.value for s in Syntax if s is not Syntax.AUTO]
            if not isinstance(name, str) or name.lower() not in valid:
                raise UsageError(
                    f"syntax-map {ext!r} must be one of {', '.join(valid)}, got {name!r}"
                )
            out[ext.lower()] = name.lower()
        return out

    @property
    def extensions(self) -> list[str]:
        """Return the extensions a folder walk reads: ``extensions`` and ``syntax-map``'s."""
        exts = list(self.values["extensions"])
        return exts + [e for e in self.syntax_map if e not in {x.lower() for x in exts}]

    def syntax_for(self, path: str) -> str:
        """Return the syntax to read ``path`` with: ``syntax``, else ``syntax-map``'s."""
        return mapped_syntax(path, self.settings().syntax.value, self.syntax_map)

    @property
    def fail_on(self) -> Kind:
        """Return the weakest kind that fails ``dedup check``."""
        return choice(Kind, "fail-on")(self.values["fail-on"])

    def allow_files(self) -> list[Path]:
        """Return allow-list files, relative paths resolved against the config file's folder."""
        return [(self.base / p) for p in self.values["allow"]]


def find_config(start: Path) -> Path | None:
    """Return the nearest ``.dedup.toml``, or ``pyproject.toml`` with ``[tool.dedup]``."""
    for folder in [start, *start.parents]:
        dedicated = folder / ".dedup.toml"
        if dedicated.is_file():
            return dedicated
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "dedup" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def paths_folder(paths: list[str] | None, cwd: Path) -> Path | None:
    """Return the deepest folder holding every checked path (a file counts by its folder).

    None when no path names a place on disk (only stdin, or nothing given: ``.``).
    """
    folders: list[str] = []
    for given in paths or []:
        if given == "-":
            continue
        p = cwd / given
        folders.append(os.path.abspath(p if p.is_dir() else p.parent))
    if not folders:
        return None
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # different drives on Windows
        return None


def load_config(
    explicit: str | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    cwd: Path | None = None,
    paths: list[str] | None = None,
) -> Config:
    """Return defaults, updated from the config file, updated from non-None ``overrides``.

    The file: ``explicit`` (``--config``) if given; else the nearest to the checked
    ``paths`` (walking up from the folder that holds them all); else the nearest to
    ``cwd`` (walking up from it).
    """
    cwd = cwd or Path.cwd()
    path: Path | None
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"--config {explicit}: no such file or directory")
    else:
        near = paths_folder(paths, cwd)
        path = (find_config(near) if near is not None else None) or find_config(cwd)
    values = dict(DEFAULTS)
    origin = dict.fromkeys(DEFAULTS, "default")
    shown = explicit if explicit is not None else (display(path) if path else "")
    if path is not None:
        table = _read(path, shown)
        if path.name == "pyproject.toml" or "tool" in table:
            table = table.get("tool", {}).get("dedup", {})
        for raw_key, value in table.items():
            key = raw_key.replace("_", "-")
            if key not in DEFAULTS:
                raise UsageError(f"{shown}: unknown key {raw_key!r} in the dedup configuration")
            if not isinstance(value, _TYPES[key]) or (
                isinstance(value, bool) and bool not in _TYPES[key]
            ):
                kind = " or ".join(_TOML_TYPES.get(t, t.__name__) for t in _TYPES[key])
                example = _EXAMPLES.get(key, "")
                article = "an" if kind[:1] in "aeiou" else "a"
                raise UsageError(
                    f"{shown}: {raw_key} must be {article} {kind}{example}, got {value!r}"
                )
            values[key] = value
            origin[key] = shown
        _validate(Config(values=dict(values), origin=dict(origin)), shown)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
            origin[key] = "command line"
    base = path.parent if path is not None else cwd
    return Config(values=values, origin=origin, path=path, base=base, shown=shown)


def _validate(config: Config, where: str) -> None:
    """Check a file's values before flags are added, so an error names the file."""
    try:
        config.settings()
        _ = config.fail_on
        _ = config.roles
        _ = config.max_findings
        _ = config.syntax_map
        _ = config.limits
    except UsageError as exc:
        raise UsageError(f"{where}: {str(exc).removeprefix('--')}") from None


def display(path: Path) -> str:
    """Return ``path`` relative to the current directory, as users name files."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _read(path: Path, shown: str = "") -> dict[str, Any]:
    shown = shown or display(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{shown}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{shown}: cannot read: not valid UTF-8") from None
