"""Options shared by several commands, declared once so they mean the same everywhere.

Comparison options default to ``None``: a value given on the command line overrides the
configuration file, which overrides the built-in default (shown in each help text).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import typer

from dedup.config import DEFAULTS, Config, load_config
from dedup.settings import Keep, Syntax

Threshold = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        help="Jaccard similarity at or above which a paragraph is a near repeat. [default: 0.8]",
        min=0.0,
        max=1.0,
        show_default=False,
    ),
]
ReviewThreshold = Annotated[
    float | None,
    typer.Option(
        "--review-threshold",
        help="Jaccard similarity at or above which a pair is similar (for review). [default: 0.5]",
        min=0.0,
        max=1.0,
    ),
]
Containment = Annotated[
    float | None,
    typer.Option(
        "--containment",
        help="Share of a shorter paragraph's shingles inside a longer one that makes it "
        "contained. [default: 0.9]",
        min=0.0,
        max=1.0,
    ),
]
Ngram = Annotated[
    int | None, typer.Option("--ngram", help="Words per shingle. [default: 3]", min=1)
]
NumPerm = Annotated[
    int | None,
    typer.Option("--num-perm", help="MinHash permutations. [default: 128]", min=16, max=1024),
]
Seed = Annotated[int | None, typer.Option("--seed", help="MinHash seed. [default: 1]")]
KeepOpt = Annotated[
    Keep | None,
    typer.Option(
        "--keep", help="Which paragraph of a group is kept. [default: first]", case_sensitive=False
    ),
]
Remove = Annotated[
    str | None,
    typer.Option(
        "--remove",
        help="Kinds to remove, comma-separated: exact, near, contained, similar. "
        "[default: exact,near]",
    ),
]
MinWords = Annotated[
    int | None,
    typer.Option(
        "--min-words", help="Paragraphs with fewer words are never compared. [default: 1]", min=1
    ),
]
ReviewMinWords = Annotated[
    int | None,
    typer.Option(
        "--review-min-words",
        help="Shorter paragraphs are never reported as contained or similar. [default: 8]",
        min=1,
    ),
]
SyntaxOpt = Annotated[
    Syntax | None,
    typer.Option(
        "--syntax",
        help=(
            "Paragraph rules: auto (by file extension), text, markdown, html, rst. [default: auto]"
        ),
        case_sensitive=False,
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option("--encoding", help="Decode input with this encoding instead of UTF-8."),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(
        "--config",
        help="Configuration file (default: nearest .dedup.toml or pyproject.toml [tool.dedup]).",
    ),
]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        help="Worker processes for reading and signing (same result for any number). "
        "[default: all cores]",
        min=1,
    ),
]


class OnErrorChoice(StrEnum):
    """What to do with an unusable JSONL line."""

    SKIP = "skip"
    FAIL = "fail"


TextField = Annotated[
    str, typer.Option("--text-field", help="JSONL: the field that holds the text.")
]
IdField = Annotated[
    str | None,
    typer.Option("--id-field", help="JSONL: the field that names a record. [default: line number]"),
]
OnError = Annotated[
    OnErrorChoice,
    typer.Option(
        "--on-error",
        help="JSONL: skip (and count) or fail on a malformed line, a missing or non-string text.",
        case_sensitive=False,
    ),
]
MaxLineBytes = Annotated[
    int | None,
    typer.Option(
        "--max-line-bytes",
        metavar="BYTES",
        min=1,
        help="JSONL: a longer line is unusable (see --on-error), never read whole. "
        "[default: 67108864, 64 MiB]",
    ),
]
MaxDecompressedBytes = Annotated[
    int | None,
    typer.Option(
        "--max-decompressed-bytes",
        metavar="BYTES",
        min=0,
        help="A .gz or .zst input that decompresses to more is an error (exit 2), found "
        "while reading (0: no limit). [default: 100 times its compressed size, at least "
        "1 GiB]",
    ),
]
MaxParagraphBytes = Annotated[
    int | None,
    typer.Option(
        "--max-paragraph-bytes",
        metavar="BYTES",
        min=1,
        help="A file with a longer paragraph is an error (exit 2; check: --on-error), a JSONL "
        "record with one an unusable line (see --on-error); found before it is tokenised. "
        "[default: 4194304, 4 MiB]",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")]


class EngineChoice(StrEnum):
    """Where the work runs."""

    LOCAL = "local"
    DASK = "dask"


EngineOpt = Annotated[
    EngineChoice,
    typer.Option(
        "--engine",
        help="local: processes on this machine; dask: a Dask cluster, local (--jobs workers) "
        "or --scheduler (needs pip install 'dedup-paragraphs[dask]'). Same report either way.",
        case_sensitive=False,
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="With --engine dask: the scheduler of an existing cluster (tcp://HOST:8786); "
        "inputs must be readable at the same path on every worker. [default: start a local "
        "cluster]",
    ),
]


def configure(config: str | None, given: Mapping[str, Any] | None = None) -> Config:
    """Load the configuration with the command's option values on top.

    ``given`` is the command's ``locals()``: every parameter named like a configuration
    key (``review_threshold`` for ``review-threshold``) overrides the file unless it is
    ``None`` or an empty list (not given on the command line). The file is the one named
    by ``--config``, else the nearest to the checked ``paths``, else the nearest to the
    current folder (see :func:`dedup.config.load_config`).
    """
    overrides = {
        key: value
        for name, value in (given or {}).items()
        if (key := name.replace("_", "-")) in DEFAULTS and value not in (None, [])
    }
    paths = (given or {}).get("paths")
    return load_config(config, overrides, paths=paths if isinstance(paths, list) else None)
