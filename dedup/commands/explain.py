"""``dedup explain A B``: why two paragraphs are, or are not, repeats."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from dedup.commands import options as o
from dedup.core.explain import explain as run_explain
from dedup.core.explain import parse_location
from dedup.inputs.reader import read_document
from dedup.writers.terminal import console_for, render_explain


def _shingles(items: frozenset[str], limit: int = 12) -> str:
    shown = sorted(items)[:limit]
    more = f" … and {len(items) - limit} more" if len(items) > limit else ""
    return " | ".join(shown) + more if shown else "(none)"


@o.command("explain")
def explain(
    a: Annotated[str, typer.Argument(help="First paragraph, as PATH:LINE or PATH:LINE:COL.")],
    b: Annotated[str, typer.Argument(help="Second paragraph, as PATH:LINE or PATH:LINE:COL.")],
    *,
    encoding: str | None,
    config: str | None,
    **overrides: Any,
) -> None:
    """Show both texts, shared and differing shingles, scores, and what LSH would do."""
    cfg = o.configure(config, overrides)
    s = cfg.settings()
    (pa, la, ca), (pb, lb, cb) = parse_location(a), parse_location(b)
    da = read_document(pa, encoding=encoding, syntax=cfg.syntax_for(pa))
    db = da if pb == pa else read_document(pb, encoding=encoding, syntax=cfg.syntax_for(pb))
    e = run_explain(da, la, db, lb, s, a_column=ca, b_column=cb)
    kind = e.kind.value if e.kind else "not a repeat"
    if e.proposed:
        how = (
            f"yes: band{'s' if len(e.equal_bands) != 1 else ''} "
            f"{', '.join(str(x) for x in e.equal_bands)} equal"
            if e.equal_bands
            else "yes: identical normalised text"
            if e.kind and e.kind.value == "exact"
            else "yes: short paragraphs, exact small-set candidates"
        )
    else:
        how = (
            f"no: none of the {e.bands} bands ({e.rows} rows each) is equal; a pair at Jaccard "
            f"{e.jaccard:.2f} shares a band with probability {e.probability:.3f}"
        )
    diffs = (
        "; ".join(f"{old or '∅'} → {new or '∅'}" for old, new in e.differences) or "(same words)"
    )
    only_a, only_b = e.a.shingles - e.b.shingles, e.b.shingles - e.a.shingles
    rows: list[tuple[str, str | Text]] = [
        ("A", f"{e.a.path}:{e.a.paragraph.start_line} (paragraph {e.a.paragraph.index})"),
        ("", e.a.paragraph.text.rstrip()),
        ("B", f"{e.b.path}:{e.b.paragraph.start_line} (paragraph {e.b.paragraph.index})"),
        ("", e.b.paragraph.text.rstrip()),
        ("words that differ", diffs),
        ("tokens A", " ".join(e.a.tokens)),
        ("tokens B", " ".join(e.b.tokens)),
        (f"shared {s.ngram}-grams", f"{len(e.a.shingles & e.b.shingles)}: "
         + _shingles(e.a.shingles & e.b.shingles)),
        ("only in A", f"{len(only_a)}: " + _shingles(only_a)),
        ("only in B", f"{len(only_b)}: " + _shingles(only_b)),
        ("exact Jaccard", f"{e.jaccard:.4f}"),
        ("MinHash estimate", f"{e.estimate:.4f} ({s.num_perm} permutations, seed {s.seed})"),
        ("containment", f"A in B {e.containment_a_in_b:.4f}, B in A {e.containment_b_in_a:.4f}"),
        ("kind", f"{kind} (near ≥ {s.threshold}, similar ≥ {s.review_threshold}, "
         f"contained ≥ {s.containment})"),
        ("LSH would propose", how + f" (tuned for Jaccard {e.lsh_threshold})"),
    ]  # fmt: skip
    render_explain(console_for(), rows)
