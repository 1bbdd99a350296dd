"""``dedup explain``: everything about one pair of paragraphs, for when a threshold surprises."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from dedup.core import index, sketch
from dedup.core.candidates import Keying
from dedup.core.group import Verifier
from dedup.core.models import Document, Kind, Paragraph
from dedup.core.settings import Settings
from dedup.errors import UsageError
from dedup.text.normalize import shingles, tokens
from dedup.text.segment import segment
from dedup.text.structure import ALL, Structure
from dedup.text.worddiff import changes


@dataclass(frozen=True, slots=True)
class Side:
    """One paragraph of the pair, with its tokens and shingles."""

    path: str
    paragraph: Paragraph
    compare: str
    tokens: tuple[str, ...]
    shingles: frozenset[str]


@dataclass(frozen=True, slots=True)
class Explanation:
    """The facts of a pair: scores, the MinHash estimate and what LSH would do."""

    a: Side
    b: Side
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    estimate: float
    kind: Kind | None
    equal_bands: tuple[int, ...]
    bands: int
    rows: int
    lsh_threshold: float
    probability: float
    small_set_method: bool
    differences: tuple[tuple[str, str], ...]

    @property
    def proposed(self) -> bool:
        """Return whether the candidate stage would propose this pair."""
        return bool(self.equal_bands) or self.small_set_method or self.kind is Kind.EXACT


def parse_location(spec: str) -> tuple[str, int, int | None]:
    """Split ``path:line`` or ``path:line:column`` (as ``dedup check`` prints them).

    The last colon separates the line, unless the part before it is no file and ends in
    ``:N``: then that is the line and the last number the column (an HTML paragraph may
    share its line with others).
    """
    path, sep, last = spec.rpartition(":")
    if not sep or not path or not last.isdigit() or int(last) < 1:
        raise UsageError(f"{spec!r}: expected PATH:LINE, for example seeds/post.txt:18")
    head, sep, line = path.rpartition(":")
    if sep and head and line.isdigit() and int(line) >= 1 and not os.path.exists(path):
        return head, int(line), int(last)
    return path, int(last), None


def side(doc: Document, line: int, column: int | None = None, *, rules: Structure = ALL) -> Side:
    """Return the paragraph of ``doc`` that holds 1-based ``line`` (and ``column``)."""
    seg = segment(doc, rules=rules)
    at = None
    if column is not None and line <= len(seg.lines):
        at = seg.lines.starts[line - 1] + column - 1
    for p, text in zip(seg.paragraphs, seg.compare, strict=True):
        if p.start_line <= line <= p.end_line and (at is None or p.start <= at < p.end):
            toks = tuple(tokens(text))
            return Side(doc.path, p, text, toks, frozenset(shingles(toks, 3)))
    where = f"{doc.path}:{line}" + (f":{column}" if column is not None else "")
    raise UsageError(f"{where}: no paragraph there (a blank line, heading, code or past the end)")


def _shown(doc: Document, side: Side) -> str:
    """Return what the word diff shows: an HTML paragraph's visible words, else its text."""
    return side.compare if doc.syntax == "html" else side.paragraph.text


def explain(
    a_doc: Document,
    a_line: int,
    b_doc: Document,
    b_line: int,
    s: Settings,
    *,
    a_column: int | None = None,
    b_column: int | None = None,
) -> Explanation:
    """Return the explanation of the pair at ``a_doc:a_line`` and ``b_doc:b_line``."""
    a = side(a_doc, a_line, a_column, rules=s.structure)
    b = side(b_doc, b_line, b_column, rules=s.structure)
    a = Side(a.path, a.paragraph, a.compare, a.tokens, frozenset(shingles(a.tokens, s.ngram)))
    b = Side(b.path, b.paragraph, b.compare, b.tokens, frozenset(shingles(b.tokens, s.ngram)))
    for one, line in ((a, a_line), (b, b_line)):
        if not one.shingles:
            raise UsageError(
                f"{one.path}:{line}: the paragraph there has no words to compare "
                "(only markup, directives or punctuation)"
            )
    rel = Verifier([a.compare, b.compare], s).relate(1, 0)
    common = len(a.shingles & b.shingles)
    union = len(a.shingles | b.shingles)
    ha = sketch.hash_shingles(sorted(a.shingles))
    hb = sketch.hash_shingles(sorted(b.shingles))
    sigs = sketch.signatures([ha, hb], s.num_perm, s.seed)
    params = index.lsh_params(s.candidate_threshold, s.num_perm)
    equal = tuple(
        band
        for band in range(params.bands)
        if np.array_equal(
            sigs[0, band * params.rows : (band + 1) * params.rows],
            sigs[1, band * params.rows : (band + 1) * params.rows],
        )
    )
    keying = Keying(s.threshold, s.review_min_words)
    small = bool(keying.small(np.array([len(ha), len(hb)])).all()) and bool(
        index.small_set_candidates([0, 1], [ha, hb], s.threshold)
    )
    jac = common / union
    return Explanation(
        a=a,
        b=b,
        jaccard=jac,
        containment_a_in_b=common / len(a.shingles),
        containment_b_in_a=common / len(b.shingles),
        estimate=sketch.estimate(sigs[0], sigs[1]),
        kind=rel.kind,
        equal_bands=equal,
        bands=params.bands,
        rows=params.rows,
        lsh_threshold=params.threshold,
        probability=index.candidate_probability(jac, params),
        small_set_method=small,
        differences=tuple(changes(_shown(a_doc, a), _shown(b_doc, b))),
    )
