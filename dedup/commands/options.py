"""Options shared by several commands, declared once so they mean the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

from dedup.settings import Keep, Settings, Syntax

Threshold = Annotated[
    float,
    typer.Option(
        "--threshold",
        help="Jaccard similarity at or above which a paragraph is a near repeat.",
        min=0.0,
        max=1.0,
    ),
]
ReviewThreshold = Annotated[
    float,
    typer.Option(
        "--review-threshold",
        help="Jaccard similarity at or above which a pair is reported as similar (for review).",
        min=0.0,
        max=1.0,
    ),
]
Containment = Annotated[
    float,
    typer.Option(
        "--containment",
        help="Share of a shorter paragraph's shingles inside a longer one that makes it contained.",
        min=0.0,
        max=1.0,
    ),
]
Ngram = Annotated[int, typer.Option("--ngram", help="Words per shingle.", min=1)]
NumPerm = Annotated[
    int, typer.Option("--num-perm", help="MinHash permutations (16-1024).", min=16, max=1024)
]
Seed = Annotated[int, typer.Option("--seed", help="MinHash seed (fixed: same input, same result).")]
KeepOpt = Annotated[
    Keep, typer.Option("--keep", help="Which paragraph of a group is kept.", case_sensitive=False)
]
Remove = Annotated[
    str,
    typer.Option(
        "--remove",
        help="Kinds to remove, comma-separated: exact, near, contained, similar.",
    ),
]
MinWords = Annotated[
    int, typer.Option("--min-words", help="Paragraphs with fewer words are never compared.", min=1)
]
SyntaxOpt = Annotated[
    Syntax,
    typer.Option(
        "--syntax",
        help="How to split paragraphs: auto (by file extension), text or markdown.",
        case_sensitive=False,
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option("--encoding", help="Decode input with this encoding instead of UTF-8."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")]


def build_settings(
    *,
    threshold: float,
    review_threshold: float,
    containment: float,
    ngram: int,
    num_perm: int,
    seed: int,
    keep: Keep,
    remove: str,
    min_words: int,
    syntax: Syntax,
) -> Settings:
    """Build and validate the settings from command-line values."""
    return Settings(
        threshold=threshold,
        review_threshold=review_threshold,
        containment=containment,
        ngram=ngram,
        num_perm=num_perm,
        seed=seed,
        keep=keep,
        remove=remove,  # type: ignore[arg-type]  # parsed and validated by Settings
        min_words=min_words,
        syntax=syntax,
    )
