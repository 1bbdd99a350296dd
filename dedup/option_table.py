"""Every option shared by commands or set in a configuration file, declared once.

Each ``Option`` says its name (the long flag, and the ``[tool.dedup]`` key when it has
one), the type of its value, its default, its help, which commands take it and, for a
configuration key, the TOML types a file may give and how the value becomes a ``Settings``
field. From this table:

- ``config.py`` takes its keys, defaults and accepted types (``dedup config`` lists them in
  table order);
- ``config.Config.settings`` builds ``Settings``: every option with a ``setting`` converter
  is the ``Settings`` field of the same name;
- ``commands/options.py`` builds each command's typer parameters. A command's ``--help``
  lists its own options (written in its signature) first, then the table's, by ``Place``
  and then in table order.

A configuration key's default on the command line is None (not given: the file, else the
built-in default, applies), so typer cannot show it: the help text gets
``[default: ...]`` from ``default`` (or ``shown_default``) instead.

No typer here: the library reads this table without the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum, IntEnum, StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from dedup.core.models import Kind
from dedup.core.settings import Keep, Syntax, parse_kinds
from dedup.engines.choice import EngineChoice
from dedup.errors import UsageError
from dedup.inputs.jsonl import MAX_LINE_BYTES
from dedup.inputs.paragraph_limit import MAX_PARAGRAPH_BYTES
from dedup.text.structure import Structure

E = TypeVar("E", bound=Enum)


class Place(IntEnum):
    """Where an option sits among a command's table options in ``--help``."""

    GATE = 1  # what fails a check
    FILES = 2  # which files are read, and what they are compared with
    COMPARE = 3  # how paragraphs are compared (``Settings``)
    READ = 4  # how files are read
    RUN = 5  # how the command runs and what it says


class OnErrorChoice(StrEnum):
    """What to do with an unusable JSONL line."""

    SKIP = "skip"
    FAIL = "fail"


def choice(enum: type[E], key: str) -> Callable[[Any], E]:
    """Return a converter from a configuration value to ``enum``, naming ``key`` on error."""

    def convert(value: Any) -> E:
        try:
            return enum(str(value).lower())
        except ValueError:
            choices = ", ".join(str(e.value) for e in enum)
            raise UsageError(f"{key} must be one of {choices}, got {value!r}") from None

    return convert


def _kinds(value: Any) -> tuple[Kind, ...]:
    return parse_kinds(value if isinstance(value, str) else list(value))


def _structure(value: Any) -> Structure:
    return Structure.from_table(dict(value))


class Option(NamedTuple):
    """One option: on the command line of ``commands``, in a file when ``config`` is set.

    A ``NamedTuple``, not a dataclass: every command imports this module, and a frozen
    dataclass of this many fields costs a one-file check about 2 ms to create.
    """

    name: str  # the long flag without its dashes, and the configuration key
    type: Any  # the value's type on the command line
    default: Any  # the built-in default: the file's default for a configuration key
    place: Place
    help: str = ""
    commands: tuple[str, ...] = ()  # "check", "archive add"; () for a file-only key
    config: tuple[type, ...] = ()  # the TOML types a file may give; () for a flag only
    setting: Callable[[Any], Any] | None = None  # file value -> the ``Settings`` field
    shown_default: str | None = None  # the help's ``[default: ...]`` when not ``default``
    help_in: Mapping[str, str] = MappingProxyType({})  # another help, by command
    short: str | None = None  # "-j"
    negative: str | None = None  # "--no-fail-on-boilerplate"
    param: str | None = None  # the Python parameter name, when not the name's
    metavar: str | None = None
    low: float | None = None  # typer's min
    high: float | None = None  # typer's max
    case_sensitive: bool = True

    @property
    def parameter(self) -> str:
        """Return the command function's parameter name: ``review_threshold``."""
        return self.param or self.name.replace("-", "_")

    @property
    def is_key(self) -> bool:
        """Return whether a configuration file may set this option."""
        return bool(self.config)

    def help_for(self, command: str) -> str:
        """Return the help ``command`` shows, with the built-in default of a key."""
        text = self.help_in.get(command, self.help)
        if not self.is_key or isinstance(self.default, (list, dict)):
            return text
        shown = self.shown_default
        if shown is None:
            shown = ("yes" if self.default else "no") if self.type is bool else str(self.default)
        return f"{text} [default: {shown}]"


_COMPARING = ("check", "clean", "diff", "explain", "archive add")
_READING = ("check", "clean", "diff", "archive add")

# fmt: off
OPTIONS: tuple[Option, ...] = (
    # -- how paragraphs are compared: the fields of ``Settings`` --------------------------
    Option(
        "threshold", float, 0.8, Place.COMPARE, commands=_COMPARING, config=(float, int),
        setting=float, metavar="SCORE", low=0.0, high=1.0,
        help="Jaccard similarity at or above which a paragraph is a near repeat.",
    ),
    Option(
        "review-threshold", float, 0.5, Place.COMPARE, commands=_COMPARING,
        config=(float, int), setting=float, metavar="SCORE", low=0.0, high=1.0,
        help="Jaccard similarity at or above which a pair is similar (for review).",
    ),
    Option(
        "containment", float, 0.9, Place.COMPARE, commands=_COMPARING, config=(float, int),
        setting=float, metavar="SHARE", low=0.0, high=1.0,
        help="Share of a shorter paragraph's shingles inside a longer one that makes it "
        "contained.",
    ),
    Option(
        "ngram", int, 3, Place.COMPARE, commands=_COMPARING, config=(int,), setting=int,
        metavar="N", low=1, help="Words per shingle.",
    ),
    Option(
        "num-perm", int, 128, Place.COMPARE, commands=_COMPARING, config=(int,), setting=int,
        metavar="N", low=16, high=1024, help="MinHash permutations.",
    ),
    Option(
        "seed", int, 1, Place.COMPARE, commands=_COMPARING, config=(int,), setting=int,
        metavar="N", help="MinHash seed.",
    ),
    Option(
        "keep", Keep, "first", Place.COMPARE, commands=("check", "clean", "diff"),
        config=(str,), setting=choice(Keep, "keep"), case_sensitive=False,
        help="Which paragraph of a group is kept.",
    ),
    Option(
        "remove", str, "exact,near", Place.COMPARE, commands=("check", "clean", "diff"),
        config=(str, list), setting=_kinds, metavar="KINDS",
        help="Kinds to remove, comma-separated: exact, near, contained, similar.",
    ),
    Option(
        "min-words", int, 1, Place.COMPARE, commands=("check", "clean", "diff", "archive add"),
        config=(int,), setting=int, metavar="N", low=1,
        help="Paragraphs with fewer words are never compared.",
    ),
    Option(
        "review-min-words", int, 8, Place.COMPARE,
        commands=("check", "clean", "diff", "explain"), config=(int,), setting=int,
        metavar="N", low=1,
        help="Shorter paragraphs are never reported as contained or similar.",
    ),
    Option(
        "syntax", Syntax, "auto", Place.COMPARE, commands=_COMPARING, config=(str,),
        setting=choice(Syntax, "syntax"), case_sensitive=False,
        help="Paragraph rules: auto (by file extension; a .txt file that reads as "
        "reStructuredText is rst), text, markdown, html, rst.",
    ),
    # -- what fails a check, which files are read ---------------------------------------
    Option(
        "fail-on", Kind, "near", Place.GATE, commands=("check",), config=(str,),
        case_sensitive=False,
        help="Weakest kind that fails: exact, near, contained, similar.",
    ),
    Option(
        "exit-zero", bool, False, Place.GATE, commands=("check",),
        help="Exit 0 even when repeats are found.",
    ),
    Option(
        "include", list[str], [], Place.FILES, commands=("check", "archive add"),
        config=(list,), metavar="GLOB",
        help="Only check files matching this glob (repeatable).",
        help_in={"archive add": "Only archive files matching this glob (repeatable)."},
    ),
    Option(
        "exclude", list[str], [], Place.FILES, commands=("check", "archive add"),
        config=(list,), metavar="GLOB", help="Skip files matching this glob (repeatable).",
    ),
    Option(
        "baseline", str | None, None, Place.FILES, commands=("check",), metavar="FILE",
        help="Report only repeats not in this baseline file.",
    ),
    Option(
        "write-baseline", str | None, None, Place.FILES, commands=("check",), metavar="FILE",
        help="Accept today's repeats: write them to FILE.",
    ),
    Option(
        "against", str | None, None, Place.FILES, commands=("check",), metavar="ARCHIVE",
        help="Also report repeats of paragraphs in this archive (file or redis:// URL).",
    ),
    Option(
        "extensions", list[str], [".md", ".markdown", ".txt", ".rst", ".rest", ".html", ".htm"],
        Place.FILES, config=(list,),
    ),
    Option("allow", list[str], [], Place.FILES, config=(list,)),
    Option("structure", dict, {}, Place.COMPARE, config=(dict,), setting=_structure),
    Option(
        "boilerplate-copies", int, 3, Place.GATE, commands=("check",), config=(int,),
        metavar="N", low=0,
        help="A paragraph with N copies or more (in one file or many) is boilerplate: "
        "reported once per group, not failing (0: never).",
    ),
    Option(
        "fail-on-boilerplate", bool, False, Place.GATE, commands=("check",), config=(bool,),
        negative="--no-fail-on-boilerplate", help="Let boilerplate fail like other repeats.",
    ),
    Option("boilerplate-versions", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-entries", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-lists", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-aggregates", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-templates", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-sections", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-release-notes", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-summaries", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-reminders", bool, True, Place.GATE, config=(bool,)),
    Option("boilerplate-generated", bool, True, Place.GATE, config=(bool,)),
    Option(
        "max-findings", int, 0, Place.GATE, commands=("check",), config=(int,), metavar="N",
        low=0, shown_default="all; SARIF 5000, what GitHub code scanning keeps",
        help="Show at most N findings, failing ones first (0: all; JSON always lists all).",
    ),
    Option("syntax-map", dict, {}, Place.READ, config=(dict,)),
    # -- how files are read -------------------------------------------------------------
    Option(
        "encoding", str | None, None, Place.READ, commands=_COMPARING, metavar="ENCODING",
        help="Decode input with this encoding instead of UTF-8.",
    ),
    Option(
        "config", str | None, None, Place.READ, commands=(*_COMPARING, "config"),
        metavar="FILE",
        help="Configuration file (default: nearest .dedup.toml or pyproject.toml [tool.dedup]).",
    ),
    Option(
        "json", bool, False, Place.READ, commands=("config",), param="as_json",
        help="Print JSON instead of TOML.",
    ),
    Option(
        "jobs", int | None, None, Place.READ, commands=_READING, short="-j", metavar="N",
        low=1,
        help="Worker processes for reading and signing (same result for any number). "
        "[default: all cores]",
    ),
    Option(
        "text-field", str, "text", Place.READ, commands=_READING, metavar="FIELD",
        help="JSONL: the field that holds the text.",
    ),
    Option(
        "id-field", str | None, None, Place.READ, commands=_READING, metavar="FIELD",
        help="JSONL: the field that names a record. [default: line number]",
    ),
    Option(
        "on-error", OnErrorChoice, OnErrorChoice.SKIP, Place.READ,
        commands=("clean", "diff", "archive add"), case_sensitive=False,
        help="JSONL: skip (and count) or fail on a malformed line, a missing or non-string "
        "text.",
    ),
    # check's --on-error also covers files that cannot be read, and has no single default.
    Option(
        "on-error", OnErrorChoice | None, None, Place.READ, commands=("check",),
        case_sensitive=False,
        help="skip: a file or folder that cannot be read is a warning, and a malformed "
        "JSONL line is skipped (counted); fail: both are errors (exit 2). [default: "
        "unreadable files are errors, reported with the rest, then exit 2; JSONL lines "
        "are skipped]",
    ),
    Option(
        "max-line-bytes", int, MAX_LINE_BYTES, Place.READ, commands=_READING, config=(int,),
        metavar="BYTES", low=1, shown_default=f"{MAX_LINE_BYTES}, 64 MiB",
        help="JSONL: a longer line is unusable (see --on-error), never read whole.",
    ),
    Option(
        "max-decompressed-bytes", int, "auto", Place.READ, commands=_READING,
        config=(int, str), metavar="BYTES", low=0,
        shown_default="100 times its compressed size, at least 1 GiB",
        help="A .gz or .zst input that decompresses to more is an error (exit 2), found "
        "while reading (0: no limit).",
    ),
    Option(
        "max-paragraph-bytes", int, MAX_PARAGRAPH_BYTES, Place.READ, commands=_READING,
        config=(int,), metavar="BYTES", low=1, shown_default=f"{MAX_PARAGRAPH_BYTES}, 4 MiB",
        help="A file with a longer paragraph is an error (exit 2; check: --on-error), a JSONL "
        "record with one an unusable line (see --on-error); found before it is tokenised.",
    ),
    Option(
        "notes-field", str | None, None, Place.READ, commands=("clean",), metavar="FIELD",
        help="JSONL: write each record's removals into this field.",
    ),
    Option(
        "drop-empty", bool, False, Place.READ, commands=("clean",),
        help="JSONL: drop records left with no text.",
    ),
    # -- how the command runs -----------------------------------------------------------
    Option(
        "no-ignore", bool, False, Place.RUN, commands=("check", "diff"),
        help="Also check the files git ignores.",
        help_in={"diff": "Also read the files git ignores in folders given."},
    ),
    Option(
        "quiet", bool, False, Place.RUN, short="-q",
        commands=(*_READING, "archive remove"), help="No summary on stderr.",
    ),
    Option(
        "engine", EngineChoice, EngineChoice.LOCAL, Place.RUN, commands=("check",),
        case_sensitive=False,
        help="local: processes on this machine; dask: a Dask cluster, local (--jobs workers) "
        "or --scheduler (needs pip install 'dedup-paragraphs[dask]'). Same report either way.",
    ),
    Option(
        "scheduler", str | None, None, Place.RUN, commands=("check",), metavar="ADDRESS",
        help="With --engine dask: the scheduler of an existing cluster (tcp://HOST:8786); "
        "inputs must be readable at the same path on every worker. [default: start a local "
        "cluster]",
    ),
)
# fmt: on

#: The configuration keys, in the order ``dedup config`` lists them.
KEYS: dict[str, Option] = {o.name: o for o in OPTIONS if o.is_key}


def of_command(command: str) -> list[Option]:
    """Return the table's options of ``command`` ("check", "archive add") in help order."""
    taken = [(o.place, i, o) for i, o in enumerate(OPTIONS) if command in o.commands]
    return [o for _, _, o in sorted(taken, key=lambda t: (t[0], t[1]))]
