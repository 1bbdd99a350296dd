"""Every engine gives the same report: a property test over generated document sets.

Hypothesis builds small trees of text, Markdown, HTML and JSONL files whose paragraphs
repeat each other in every way dedup knows (exact copies, near copies, containment,
loose similarity, short paragraphs) and draws random settings; the in-memory engine's
report is the reference, and the streaming engine (cut into tiny chunks, blocks and parts
so that its spill paths run) must give the same one. The Dask engine is compared with the
in-memory one on fixed cases in tests/test_dask_engine.py (a property test over a
cluster took minutes per few examples; not in this suite).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.commands.common import load_documents
from dedup.config import load_config
from dedup.models import Document, Kind, Report
from dedup.pipeline import find_duplicates
from dedup.settings import Keep, Settings
from dedup.stream import find_duplicates_streaming

WORDS = [
    "river",
    "bank",
    "market",
    "price",
    "grain",
    "wheat",
    "export",
    "tonnes",
    "ministry",
    "said",
    "would",
    "could",
    "budget",
    "shares",
    "profit",
    "quarter",
    "rose",
    "fell",
    "analyst",
    "expected",
    "report",
    "company",
    "board",
    "meeting",
    "vote",
    "council",
    "city",
    "water",
    "supply",
    "storm",
    "coast",
    "warning",
    "residents",
    "road",
    "bridge",
    "closed",
    "police",
    "train",
    "station",
    "delay",
    "service",
    "weekend",
    "repair",
    "engineer",
    "cable",
    "fire",
    "crew",
    "night",
    "morning",
]

SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html", "jsonl": ".jsonl"}


@st.composite
def paragraphs(draw: st.DrawFn) -> list[str]:
    """A list of paragraphs in which later ones often repeat earlier ones."""
    out: list[str] = []
    for _ in range(draw(st.integers(2, 14))):
        how = draw(st.sampled_from(["new", "new", "short", "exact", "near", "contain", "similar"]))
        if how == "short" or not out:
            n = draw(st.integers(1, 4)) if how == "short" else draw(st.integers(5, 30))
            out.append(" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n))))
            continue
        base = draw(st.sampled_from(out)).split()
        if how == "new":
            n = draw(st.integers(5, 30))
            out.append(" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n))))
        elif how == "exact":
            out.append(" ".join(base))
        elif how == "contain":
            extra = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
            out.append(" ".join(base + extra))
        else:
            changed = list(base)
            share = 0.1 if how == "near" else 0.4
            for _ in range(max(1, int(len(base) * share))):
                i = draw(st.integers(0, len(changed) - 1))
                changed[i] = draw(st.sampled_from(WORDS))
            out.append(" ".join(changed))
    return out


def render(syntax: str, paras: list[str]) -> str:
    if syntax == "markdown":
        return "# Title\n\n" + "".join(f"{p}\n\n```\ncode line\n```\n\n" for p in paras)
    if syntax == "html":
        return "<html><body>" + "".join(f"<p>{p}</p>\n" for p in paras) + "</body></html>\n"
    if syntax == "jsonl":
        half = max(1, len(paras) // 2)
        records = [paras[:half], paras[half:]]
        return "".join(
            json.dumps({"id": f"r{i}", "text": "\n\n".join(r)}) + "\n"
            for i, r in enumerate(records)
        )
    return "\n\n".join(paras) + "\n"


@st.composite
def trees(draw: st.DrawFn) -> list[tuple[str, str]]:
    """(file name, content) of 1 to 4 files sharing one pool of paragraphs."""
    pool = draw(paragraphs())
    files: list[tuple[str, str]] = []
    for i in range(draw(st.integers(1, 4))):
        syntax = draw(st.sampled_from(sorted(SUFFIX)))
        picked = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8))
        files.append((f"f{i}{SUFFIX[syntax]}", render(syntax, picked)))
    return files


@st.composite
def all_settings(draw: st.DrawFn) -> Settings:
    threshold = draw(st.sampled_from([0.6, 0.7, 0.8, 0.9]))
    return Settings(
        threshold=threshold,
        review_threshold=draw(st.sampled_from([t for t in (0.3, 0.5, 0.6) if t <= threshold])),
        containment=draw(st.sampled_from([0.7, 0.9])),
        ngram=draw(st.sampled_from([1, 2, 3])),
        keep=draw(st.sampled_from(list(Keep))),
        remove=tuple(
            draw(
                st.sampled_from(
                    [
                        (Kind.EXACT,),
                        (Kind.EXACT, Kind.NEAR),
                        (Kind.EXACT, Kind.NEAR, Kind.CONTAINED),
                    ]
                )
            )
        ),
        min_words=draw(st.sampled_from([1, 3, 8])),
        review_min_words=draw(st.sampled_from([1, 8])),
    )


def write_tree(root: Path, files: list[tuple[str, str]]) -> list[str]:
    for old in root.glob("f*"):
        old.unlink()
    for name, text in files:
        (root / name).write_text(text, encoding="utf-8")
    return [str(root / name) for name, _ in files]


def documents(paths: list[str]) -> list[Document]:
    return load_documents(paths, load_config(None), None, quiet=True)


def answers(report: Report) -> tuple[Any, ...]:
    """What a user sees of a report: every group, removal and review pair, with scores."""

    def where(m: Any) -> tuple[Any, ...]:
        p, o = m.paragraph, m.other
        return (p.doc, p.index, p.lines, o.doc, o.index, m.kind, m.similarity)

    return (
        [(g.kept.doc, g.kept.index, [where(m) for m in g.duplicates]) for g in report.groups],
        [where(m) for m in report.review],
        report.paragraph_count,
        [d.path for d in report.documents],
    )


@pytest.fixture
def tree_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tree")


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=trees(), s=all_settings())
def test_streaming_engine_gives_the_in_memory_report(
    files: list[tuple[str, str]], s: Settings, tree_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dedup.stream.CHUNK_CHARS", 200)  # many chunks
    monkeypatch.setattr("dedup.stream.BLOCK", 64)  # many blocks
    monkeypatch.setattr("dedup.stream.PART_ENTRIES", 1 << 8)  # many parts
    docs = documents(write_tree(tree_root, files))
    expected = find_duplicates(docs, s)
    got = find_duplicates_streaming(lambda: iter(docs), s)
    assert answers(got) == answers(expected)
    assert got.candidates == expected.candidates
