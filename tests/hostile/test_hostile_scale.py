"""Hostile sizes (issue 15 items 2, 3 and 8): work that was quadratic must stay linear.

Each flood runs in a child process with a generous time limit (30 s on a loaded 2-core
machine): the old code took minutes or did not finish at these sizes, the new code takes
seconds. Beside each, a property test compares the fast code with the old algorithm,
kept here as the oracle, on small random inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import Document, Kind, Settings
from dedup.core import cleaner, index
from dedup.core.group import (
    Candidates,
    Decision,
    UnionFind,
    Verifier,
    decide,
    exact_classes,
    resolve_contained,
    resolve_groups,
    verify_pairs,
)
from dedup.core.models import Paragraph
from dedup.core.prepare import prepare_all
from dedup.core.settings import Keep
from dedup.engines.pipeline import rows_of
from dedup.text.allow import AllowList
from dedup.text.segment import Lines, segment
from dedup.text.segment_html import _Builder, html_blocks, scan

REPO = Path(__file__).resolve().parents[2]
LIMIT = 30.0
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_limited(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` (or ``-m dedup`` when ``code`` is empty) with this checkout first."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-c", textwrap.dedent(code)] if code else [sys.executable, "-m", "dedup"]
    return subprocess.run(
        [*cmd, *args], env=env, capture_output=True, text=True, timeout=LIMIT, check=False
    )


# --------------------------------------------------------------------------- item 2: cutting

SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank.\n"


def test_cutting_a_long_run_of_removed_lines_is_linear(tmp_path: Path) -> None:
    # 100,000 identical lines: 99,999 paragraphs cut in a row (the old cut took minutes).
    src = tmp_path / "r.txt"
    src.write_text(SENTENCE * 100_000)
    done = run_limited(
        """
        import sys
        from dedup import Document
        from dedup.core import cleaner
        from dedup.text.segment import segment
        seg = segment(Document(path="r.txt", text=open(sys.argv[1]).read()))
        print(repr(cleaner.cut(seg.lines, seg.paragraphs[1:])))
        """,
        str(src),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr(SENTENCE)


def test_clean_cli_on_repeated_lines(tmp_path: Path) -> None:
    # What a user runs (the old code took 5 s here, 55 s at 80,000 lines).
    src, out = tmp_path / "r.txt", tmp_path / "o.txt"
    src.write_text(SENTENCE * 20_000)
    done = run_limited("", "clean", str(src), "-o", str(out), "-j", "1")
    assert done.returncode == 0, done.stderr
    assert out.read_text() == SENTENCE


def old_gone(lines: Lines, removed: Iterable[Paragraph]) -> list[bool]:
    """The cutter's line plan before issue 15 (walks back over every line gone so far)."""
    n = len(lines)
    gone = [False] * n
    for p in sorted(removed, key=lambda p: p.start_line):
        first, last = p.start_line - 1, p.end_line - 1
        for i in range(first, last + 1):
            gone[i] = True
        prev = next((i for i in range(first - 1, -1, -1) if not gone[i]), None)
        after = next((i for i in range(last + 1, n) if not gone[i]), None)
        if after is not None and lines.is_blank(after) and (prev is None or lines.is_blank(prev)):
            i = after
            while i < n and not gone[i] and lines.is_blank(i):
                gone[i] = True
                i += 1
        elif after is None and prev is not None and lines.is_blank(prev):
            i = prev
            while i >= 0 and not gone[i] and lines.is_blank(i):
                gone[i] = True
                i -= 1
    return gone


@PROPERTY
@given(
    st.lists(st.sampled_from(["a b c", "d e", "", "  ", "f"]), min_size=1, max_size=40),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_cut_plan_is_the_old_plan(lines: list[str], end_newline: bool, rnd: Random) -> None:
    text = "\n".join(lines) + ("\n" if end_newline else "")
    for syntax_path in ("t.txt", "t.md"):
        seg = segment(Document(path=syntax_path, text=text))
        picked = [p for p in seg.paragraphs if rnd.random() < 0.6]
        assert cleaner.gone_lines(seg.lines, picked) == old_gone(seg.lines, picked)


# --------------------------------------------------------------------------- item 8: HTML


def test_deeply_nested_html_is_linear(tmp_path: Path) -> None:
    # One line, non-ASCII words: the old stack walk, and the byte offsets measured each
    # from the start of the line, took minutes here.
    n = 40_000
    page = tmp_path / "deep.html"
    body = "".join(f"<div><p>Paragraph {i % 7} of the nest, with wörds.</p>" for i in range(n))
    page.write_text(f"<html><body>{body}{'</div>' * n}</body></html>", encoding="utf-8")
    done = run_limited(
        """
        import sys
        from dedup import Document
        from dedup.text.segment import segment
        text = open(sys.argv[1], encoding="utf-8").read()
        last = segment(Document(path="deep.html", text=text, syntax="html")).paragraphs[-1]
        print(last.index, last.byte_end == len(text[: last.end].encode()))
        """,
        str(page),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(n), "True"]


class _OldBuilder(_Builder):
    """The HTML builder with the old stack walks (the oracle)."""

    def _find(self, names: frozenset[str] | set[str], scope: frozenset[str]) -> int | None:
        for i in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[i].tag
            if tag in names:
                return i
            if tag in scope:
                return None
        return None

    def _owner(self):  # type: ignore[no-untyped-def]
        if not self.stack or self.stack[-1].skip:
            return None
        for el in reversed(self.stack):
            if el.block:
                return el
        return None


def old_html_blocks(text: str) -> list[tuple[int, int, str, bool]]:
    builder = _OldBuilder(text)
    for ev in scan(text):
        if ev.kind in ("start", "empty"):
            builder.start(ev, empty=ev.kind == "empty")
        elif ev.kind == "end":
            builder.end(ev)
        elif ev.kind == "data":
            builder.data(ev)
        elif ev.kind == "comment":
            builder.comment(ev)
    return [(b.start, b.end, b.compare, b.ignored) for b in builder.finish()]


def new_html_blocks(text: str) -> list[tuple[int, int, str, bool]]:
    return [(b.start, b.end, b.compare, b.ignored) for b in html_blocks(text)]


HTML_PARTS = [
    "<p>héllo wörld</p>", "<li>日本語</li>", "<div>", "</div>", "\n", " ", "<p>ascii</p>",
    "<blockquote><p>€</p></blockquote>",
]  # fmt: skip


@PROPERTY
@given(
    st.lists(st.sampled_from(HTML_PARTS), max_size=30),
    st.sampled_from(["utf-8", "latin-1", "cp1252"]),
)
def test_html_byte_offsets_are_the_encoded_lengths(parts: list[str], encoding: str) -> None:
    text = "".join(parts)
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return
    doc = Document(path="x.html", text=text, encoding=encoding, syntax="html")
    for p in segment(doc).paragraphs:
        assert p.byte_start == len(text[: p.start].encode(encoding))
        assert p.byte_end == len(text[: p.end].encode(encoding))


def test_html_blocks_are_the_old_blocks_on_real_pages() -> None:
    pages = sorted((REPO / "tests").rglob("*.htm*"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        assert new_html_blocks(text) == old_html_blocks(text), page


TAGS = [
    "div", "p", "li", "ul", "ol", "blockquote", "dd", "dt", "dl", "span", "b", "head",
    "body", "html", "table", "tr", "td", "th", "tbody", "h1", "h2", "option", "select",
    "nav", "figcaption", "section", "button", "template", "br", "img", "a",
]  # fmt: skip


@PROPERTY
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("<"), st.sampled_from(TAGS)),
            st.tuples(st.just("</"), st.sampled_from(TAGS)),
            st.tuples(st.just("t"), st.sampled_from(["word", "two words", " ", "x y z"])),
            st.tuples(st.just("/"), st.sampled_from(TAGS)),
        ),
        max_size=60,
    )
)
def test_html_blocks_are_the_old_blocks_on_random_nesting(
    tokens: list[tuple[str, str]],
) -> None:
    parts = []
    for kind, value in tokens:
        if kind == "<":
            parts.append(f"<{value}>")
        elif kind == "</":
            parts.append(f"</{value}>")
        elif kind == "/":
            parts.append(f"<{value}/>")
        else:
            parts.append(value)
    text = "".join(parts)
    assert new_html_blocks(text) == old_html_blocks(text)


# --------------------------------------------------------------------------- item 3: floods

BASE = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november"
    " oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber"
    " coral denim"
)


def near_flood(n: int) -> str:
    """n copies of one 30-word sentence, each with its own last word."""
    return "".join(f"{BASE} w{i}x\n\n" for i in range(n))


def test_near_identical_flood_check_is_linear(tmp_path: Path) -> None:
    src = tmp_path / "flood.txt"
    src.write_text(near_flood(10_000))  # 2,000 took 94 s before; 10,000 never finished
    # A flood is boilerplate by default; count every copy as a copy so that it fails.
    done = run_limited("", "check", str(src), "-f", "json", "-j", "1", "--boilerplate-copies", "0")
    assert done.returncode == 1, done.stderr
    assert "9999 repeated paragraphs (9999 near) in 10000 paragraphs" in done.stderr


def test_near_identical_flood_clean_is_linear(tmp_path: Path) -> None:
    src, out = tmp_path / "flood.txt", tmp_path / "o.txt"
    src.write_text(near_flood(10_000))
    done = run_limited("", "clean", str(src), "-o", str(out), "-j", "1")
    assert done.returncode == 0, done.stderr
    assert out.read_text() == f"{BASE} w0x\n\n"  # as before: the blank line after it stays


#: benchmarks/make_flood.py's sentence: a flood of it took the Dask engine minutes.
FLOOD = (
    "the quick brown fox jumps over the lazy dog near the river bank while the old farmer"
    " watches from his porch and counts the clouds drifting slowly across the"
)


def test_near_identical_flood_on_the_dask_engine_is_linear(tmp_path: Path) -> None:
    # 3,000 copies on a one-worker cluster (threads, in the child): before, 2,000 took
    # more than 300 s (every pair of a shared LSH band or prefix shingle spelled out).
    src = tmp_path / "flood.txt"
    src.write_text("".join(f"{FLOOD} word{i}\n\n" for i in range(3_000)))
    done = run_limited(
        """
        import sys
        from distributed import Client
        from dedup.engines import dask_engine
        from dedup.core.settings import Settings
        with Client(processes=False, n_workers=1, threads_per_worker=1,
                    dashboard_address=None) as client:
            report = dask_engine.find_duplicates([sys.argv[1]], Settings(), client)
        kinds = {m.kind.value for m in report.removals}
        print(len(report.groups), len(report.removals), *kinds, report.groups[0].kept.index)
        """,
        str(src),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "2999", "near", "1"]


def old_decide(candidates: Candidates, verifier: Verifier) -> Decision:
    """``decide`` before issue 15: every candidate pair verified (the oracle)."""
    s = verifier.settings
    classes = exact_classes(candidates.classes, verifier)
    contained = {(min(a, b), max(a, b)) for a, b in candidates.contained} - candidates.pairs
    relations = verify_pairs(candidates.pairs | contained, verifier)
    for pair in contained:
        v = relations.get(pair)
        if v is not None and v.relation.kind is not Kind.CONTAINED:
            del relations[pair]
    uf = UnionFind()
    if Kind.EXACT in s.remove:
        for members in classes:
            for m in members[1:]:
                uf.union(members[0], m)
    rep_class = {members[0]: members for members in classes}
    for (a, b), v in sorted(relations.items()):
        if v.relation.kind in s.remove and v.relation.kind is not Kind.CONTAINED:
            uf.union(a, b)
    removals = resolve_groups(uf.components(), verifier, s.remove)
    if Kind.CONTAINED in s.remove:
        removed = {r.removed for r in removals}
        pairs = [
            (v.measured, v.other) for v in relations.values() if v.relation.kind is Kind.CONTAINED
        ]
        expanded = [(x, large) for small, large in pairs for x in rep_class.get(small, [small])]
        removals += resolve_contained(sorted(expanded), verifier, removed, removals)
    removed = {r.removed for r in removals}
    review = [v for (a, b), v in sorted(relations.items()) if a not in removed and b not in removed]
    return Decision(removals, review)


def candidates_of(
    texts: Sequence[str], s: Settings, dense: int | None
) -> tuple[Candidates, list[str]]:
    """Candidates as the in-memory engine finds them, dense buckets past ``dense`` members."""
    doc = Document(path="t.txt", text="".join(t + "\n\n" for t in texts))
    (prep,) = prepare_all([doc], s, AllowList(), 1)
    found = index.candidates(rows_of([prep], s.num_perm), s, dense)
    return found, list(prep.segmented.compare)


STEMS = [
    "the river ran past the old mill and the stone bridge at dawn",
    "a quiet garden letter lay on the window by the paper city map",
    "north winter market song new road people said was in",
]


@st.composite
def flood(draw: st.DrawFn) -> list[str]:
    """Paragraphs with many near repeats, exact repeats, containments and short ones."""
    out: list[str] = []
    for _ in range(draw(st.integers(2, 24))):
        words = draw(st.sampled_from(STEMS)).split()
        how = draw(st.sampled_from(["copy", "swap", "cut", "grow", "short"]))
        if how == "swap":
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(["x", "y", "z"]))
        elif how == "cut":
            words = words[: draw(st.integers(3, len(words)))]
        elif how == "grow":
            words = words + draw(st.sampled_from(STEMS)).split()[: draw(st.integers(1, 6))]
        elif how == "short":
            words = [*words[:3], draw(st.sampled_from(["1", "2", "3"]))]
        out.append(" ".join(words))
    return out


@PROPERTY
@given(
    flood(),
    st.sampled_from(list(Keep)),
    st.sampled_from(
        [
            (Kind.EXACT, Kind.NEAR),
            (Kind.EXACT, Kind.NEAR, Kind.SIMILAR),
            (Kind.EXACT, Kind.NEAR, Kind.CONTAINED),
            (Kind.NEAR, Kind.SIMILAR, Kind.CONTAINED),
            (Kind.EXACT, Kind.NEAR, Kind.SIMILAR, Kind.CONTAINED),
        ]
    ),
    st.sampled_from([0.5, 0.7, 0.8]),
)
def test_decision_is_that_of_verifying_every_pair(
    texts: list[str], keep: Keep, remove: tuple[Kind, ...], threshold: float
) -> None:
    s = Settings(
        threshold=threshold,
        review_threshold=0.3,
        containment=0.7,
        keep=keep,
        remove=remove,
        review_min_words=4,
    )
    exact, compare = candidates_of(texts, s, None)
    assert not exact.buckets and not exact.contained_buckets
    bucketed, _ = candidates_of(texts, s, 2)
    want = old_decide(exact, Verifier(compare, s))
    assert decide(bucketed, Verifier(compare, s)) == want
    assert decide(exact, Verifier(compare, s)) == want


# ----------------------------------------------------------- role rules on a page of floods


def test_a_page_of_body_less_directives_is_read_in_linear_time() -> None:
    # 100,000 Django-style descriptions without a body: looking for each one's body once
    # copied the rest of the page (about 40 s here); now under a second.
    done = run_limited(
        """
        from dedup.check.entries import rst_entries
        from dedup.check.lists import list_items
        lines = ["", ".. method:: m()", "", "Stock sentence."] * 100_000
        entries = rst_entries(lines)
        items = list_items(["- a", "", "  Note.", ""] * 100_000, fences=False)
        print(entries[3].line, entries[-1].line, items.bodies[2] != items.bodies[6])
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "399998", "True"]
