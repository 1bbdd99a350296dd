"""Every engine and the archive give the same answers: property tests over generated sets.

Hypothesis builds small trees of text, Markdown, HTML and JSONL files whose paragraphs
repeat each other in every way dedup knows (exact copies, near copies, containment,
loose similarity, short paragraphs) and draws random settings. The in-memory engine's
report is the reference:

- the streaming engine (cut into tiny chunks, blocks and parts so that its spill paths
  run) must give the same report;
- ``archive add`` of the first files and ``check --against`` of the others must give, per
  checked paragraph, the strongest verified relation among the pairs one run proposes
  (``dedup.core.candidates`` through the in-memory engine, ``dedup.core.group.verify_pair``);
- the Dask engine, on a cluster inside this process, must give the same report (fewer
  examples: a run costs about half a second of task scheduling).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.archive import open_archive
from dedup.archive.add import add_documents, source_name
from dedup.archive.against import matches
from dedup.commands.common import load_documents
from dedup.config import load_config
from dedup.core import index
from dedup.core.group import Verifier, verify_pair
from dedup.core.models import Document, Kind, Report
from dedup.core.prepare import prepare_all
from dedup.core.settings import Keep, Settings
from dedup.engines import dask_engine
from dedup.engines.pipeline import find_duplicates, rows_of
from dedup.engines.stream import find_duplicates_streaming
from dedup.inputs.sources import input_files
from dedup.text.allow import AllowList

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


#: Per checked paragraph (document among the checked ones, paragraph number): kind,
#: similarity, and the archived paragraph's source and number.
Against = dict[tuple[int, int], tuple[Kind, float, str, int]]


def archived_answers(published: list[Document], checked: list[Document], s: Settings) -> Against:
    """What ``check --against`` must say: for each checked paragraph, the strongest verified
    relation to a published one among the pairs one run of all documents proposes (a pair
    proposed only by containment prefixes counts only if contained); ties go to the
    earlier published paragraph."""
    docs = published + checked
    prepared = prepare_all(docs, s, AllowList(), 1)
    found = index.candidates(rows_of(prepared, s.num_perm), s, None)  # every pair spelled out
    paragraphs = [p for prep in prepared for p in prep.segmented.paragraphs]
    texts = [c for prep in prepared for c in prep.segmented.compare]
    first_checked = sum(len(prep.segmented.paragraphs) for prep in prepared[: len(published)])
    of = {m: members for members in found.classes for m in members}  # exact copies alike

    def spelled(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
        out = {(x, y) for members in found.classes for x in members for y in members if x < y}
        for a, b in pairs:
            out.update(
                (min(x, y), max(x, y)) for x in of.get(a, [a]) for y in of.get(b, [b]) if x != y
            )
        return out

    near = spelled(found.pairs)
    verifier = Verifier(texts, s)
    best: dict[int, tuple[tuple[int, float, int], tuple[Kind, float, str, int]]] = {}
    for a, b in sorted(near | spelled(found.contained)):
        if not a < first_checked <= b:
            continue
        v = verify_pair(a, b, verifier)
        if v is None or ((a, b) not in near and v.relation.kind is not Kind.CONTAINED):
            continue
        kind, similarity = v.relation.kind, round(v.relation.similarity, 4)
        assert kind is not None
        rank = (kind.rank, -similarity, a)
        if b not in best or rank < best[b][0]:
            kept = paragraphs[a]
            best[b] = (rank, (kind, similarity, source_name(docs[kept.doc].path), kept.index))
    return {
        (paragraphs[b].doc - len(published), paragraphs[b].index): answer
        for b, (_, answer) in best.items()
    }


def against_answers(
    published: list[Document], checked: list[Document], s: Settings, location: str
) -> Against:
    """What ``archive add`` of ``published`` and ``check --against`` of ``checked`` say."""
    store = open_archive(location, create=True)
    try:
        add_documents(store, published, s)
        found = matches(store, checked, s)
    finally:
        store.close()
    return {
        (m.doc, m.paragraph): (m.kind, m.similarity, m.archived.source, m.archived.paragraph)
        for m in found
    }


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=trees(), s=all_settings())
def test_streaming_engine_and_archive_give_the_in_memory_answers(
    files: list[tuple[str, str]], s: Settings, tree_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dedup.engines.stream.CHUNK_CHARS", 200)  # many chunks
    monkeypatch.setattr("dedup.engines.stream.BLOCK", 64)  # many blocks
    monkeypatch.setattr("dedup.engines.stream.PART_ENTRIES", 1 << 8)  # many parts
    monkeypatch.chdir(tree_root)  # archived sources are named relative to it
    docs = documents(write_tree(tree_root, files))
    expected = find_duplicates(docs, s)
    got = find_duplicates_streaming(lambda: iter(docs), s)
    assert answers(got) == answers(expected)
    assert got.candidates == expected.candidates
    if len(files) < 2:
        return
    cut = len(files) // 2  # files are documents in order: JSONL files hold two each
    first = [str(tree_root / name) for name, _ in files[:cut]]
    published = [d for d in docs if d.path.partition("#")[0] in first]
    checked = docs[len(published) :]
    location = str(tree_root / f"archive-{next(_ARCHIVES)}.db")
    assert against_answers(published, checked, s, location) == archived_answers(
        published, checked, s
    )


_ARCHIVES = itertools.count()


@pytest.fixture(scope="module")
def client(scheduler: str) -> Iterator[Client]:
    """A client of the in-process Dask cluster (``conftest.scheduler``)."""
    with Client(scheduler) as c:
        yield c


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=trees(), s=all_settings())
def test_dask_engine_gives_the_in_memory_report(
    files: list[tuple[str, str]], s: Settings, tree_root: Path, client: Client
) -> None:
    paths = write_tree(tree_root, files)
    expected = find_duplicates(documents(paths), s)
    got = dask_engine.find_duplicates(input_files(paths, load_config(None)), s, client)
    assert answers(got) == answers(expected)
    assert got.candidates == expected.candidates
