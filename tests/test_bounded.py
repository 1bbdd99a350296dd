"""Cleaning and patching in bounded memory (``dedup.writers.bounded``) give the in-memory bytes.

A property test over generated documents (text, Markdown with containers, HTML; LF,
CRLF and CR; with or without a last line break, a BOM, other encodings): the streaming
engine's report with the kept ranges written a chunk at a time gives the cleaned bytes,
the notes and the patch of ``pipeline.clean``. The writers alone are compared on random
ranges; the CLI's bounded path on ``--in-place``, ``--notes`` and ``diff --exit-code``;
and the writing of a cleaned text is measured with tracemalloc: it holds a small part of
the text, not a copy of it. (The golden cases run through the bounded path too:
``test_golden_bounded``.)
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dedup.cli import app
from dedup.core.models import Document, Kind, Match
from dedup.core.settings import Settings
from dedup.engines.pipeline import clean
from dedup.engines.stream import find_duplicates_streaming
from dedup.text.segment import segment
from dedup.writers import bounded
from dedup.writers.notes import notes_json, notes_markdown
from dedup.writers.unified import unified_diff

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SENTENCES = [
    "The council voted to repair the river bank before the winter storms arrive.",
    "Grain exports rose sharply in the third quarter, the ministry said on Monday.",
    "Analysts expected the company to report a loss after the board meeting ended.",
    "Water supply along the coast was cut for two days while crews fixed the main.",
    "Prices at the market fell as new wheat arrived from the northern farms today.",
    "Short one.",
]


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A document whose paragraphs repeat, exactly or with one word changed."""
    syntax = draw(st.sampled_from(["text", "markdown", "html"]))
    blocks: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        sentence = draw(st.sampled_from(SENTENCES))
        if draw(st.booleans()):
            sentence = sentence.replace("the", "a", 1)
        if draw(st.integers(0, 4)) == 0:
            sentence += " Café, naïve, ok."
        if syntax == "html":
            blocks.append(f"<p>{sentence}</p>" + draw(st.sampled_from(["", " <p>Side.</p>"])))
        elif syntax == "markdown" and draw(st.integers(0, 5)) == 0:
            opener = draw(st.sampled_from(["::: tip", "!!! note"]))
            body = f"    {sentence}" if opener.startswith("!") else sentence
            blocks.append(f"{opener}\n{body}" + ("\n:::" if opener.startswith(":") else ""))
        else:
            wrapped = sentence.replace(" the ", "\nthe ", 1) if draw(st.booleans()) else sentence
            blocks.append(wrapped)
    gap = draw(st.sampled_from(["\n\n", "\n\n\n", "\n \n"]))
    text = gap.join(blocks) + draw(st.sampled_from(["", "\n", "\n\n"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = text.replace("\n", newline)
    encoding, bom = draw(
        st.sampled_from([("utf-8", False), ("utf-8", True), ("utf-16", False), ("latin-1", False)])
    )
    path = {"text": "d.txt", "markdown": "d.md", "html": "d.html"}[syntax]
    return Document(path=path, text=text, encoding=encoding, bom=bom, syntax=syntax)


@PROPERTY
@given(documents(), st.integers(0, 3))
def test_bounded_clean_and_patch_are_the_in_memory_ones(doc: Document, context: int) -> None:
    s = Settings()
    [cleaned], report = clean([doc], s)
    streamed = find_duplicates_streaming(lambda: [doc], s)
    streamed = dataclasses.replace(streamed, documents=(doc,))
    ranges = bounded.kept_ranges(doc, streamed.removals_in(0), s.structure)

    text = io.BytesIO()
    bounded.write_kept(doc, ranges, text)
    assert text.getvalue() == cleaned.encode()
    patch = io.BytesIO()
    bounded.write_patch(doc, ranges, context, patch)
    assert patch.getvalue() == unified_diff(doc, cleaned.text, context)
    assert notes_json(streamed) == notes_json(report)
    assert notes_markdown(streamed) == notes_markdown(report)


@PROPERTY
@given(
    st.text(alphabet="ab é\n\r", max_size=60),
    st.lists(st.integers(0, 60), max_size=8),
    st.sampled_from([("utf-8", False), ("utf-8", True), ("utf-16", False), ("utf-32", False)]),
    st.integers(1, 4),
)
def test_writers_match_the_joined_text(
    text: str, cuts: list[int], encoding: tuple[str, bool], chunk: int
) -> None:
    # Any sorted, disjoint ranges (cut mid-line, between CR and LF, anywhere), written a
    # few characters at a time.
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    ranges = [(a, b) for k, (a, b) in enumerate(itertools.pairwise(points)) if k % 2]
    doc = Document(path="d.txt", text=text, encoding=encoding[0], bom=encoding[1])
    joined = "".join(text[a:b] for a, b in ranges)
    out = io.BytesIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bounded, "WRITE_CHARS", chunk)
        bounded.write_kept(doc, ranges, out)
    assert out.getvalue() == doc.encode(joined)
    patch = io.BytesIO()
    bounded.write_patch(doc, ranges, 2, patch)
    assert patch.getvalue() == unified_diff(doc, joined, 2)


def _repeated(paragraphs: int, sentences: int = 1) -> str:
    """A plain text whose every other paragraph repeats the second one."""
    first = "The council voted to repair the river bank before the winter storms arrive. "
    other = "Paragraph {n} says something of its own about the weather and the harbour. "
    return "\n".join(
        (first if n % 2 else other.format(n=n)) * sentences + "\n" for n in range(paragraphs)
    )


def test_writing_a_cleaned_text_holds_no_copy_of_it() -> None:
    # 1.9 MB, 2,500 removals: the ranges and the plan take a few bytes a line and a few
    # tens a removal; the in-memory cut (the cleaned text, then its bytes) takes two
    # copies of the text.
    doc = Document(path="big.txt", text=_repeated(5_000, sentences=5))
    paragraphs = segment(doc).paragraphs
    kept = paragraphs[1]
    removals = [
        Match(p, kept, Kind.EXACT, 1.0, 1.0, 1.0) for p in paragraphs[3::2] if p.text == kept.text
    ]
    assert len(removals) == 2_499
    tracemalloc.start()
    try:
        ranges = bounded.kept_ranges(doc, removals, Settings().structure)
        bounded.write_kept(doc, ranges, _Sink())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 0.5 * len(doc.text), peak


class _Sink(io.RawIOBase):
    """A file that keeps nothing of what is written to it."""

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every input counts as big: ``clean`` and ``diff`` take the bounded path."""
    monkeypatch.setattr(bounded, "BOUNDED_BYTES", -1)


def _run(args: list[str]) -> tuple[int, bytes]:
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes


def test_in_place_and_notes_through_the_bounded_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = _repeated(40).replace("\n", "\r\n").encode("utf-16")
    for name in ("memory", "bounded"):
        (tmp_path / f"{name}.txt").write_bytes(body)
    monkeypatch.chdir(tmp_path)
    args = ["--encoding", "utf-16", "-q", "--in-place"]
    assert _run(["clean", "memory.txt", *args, "--notes", "m.json"])[0] == 0
    monkeypatch.setattr(bounded, "BOUNDED_BYTES", -1)
    assert _run(["clean", "bounded.txt", *args, "--notes", "b.json"])[0] == 0
    assert (tmp_path / "bounded.txt").read_bytes() == (tmp_path / "memory.txt").read_bytes()
    assert (tmp_path / "bounded.txt").read_bytes() != body
    notes = (tmp_path / "b.json").read_text().replace("bounded.txt", "memory.txt")
    assert notes == (tmp_path / "m.json").read_text()
    assert not list(tmp_path.glob(".*dedup-tmp"))  # the rewrite went through a rename


def test_unchanged_file_is_not_rewritten_in_place(tmp_path: Path, big: None) -> None:
    src = tmp_path / "once.txt"
    src.write_text("One paragraph.\n\nAnother one.\n")
    before = src.stat().st_mtime_ns
    assert _run(["clean", str(src), "--in-place", "-q"])[0] == 0
    assert src.stat().st_mtime_ns == before


def test_bounded_diff_exit_code_and_stdout(tmp_path: Path, big: None) -> None:
    src = tmp_path / "r.md"
    src.write_text(_repeated(6))
    code, out = _run(["diff", str(src), "-f", "unified", "--exit-code", "-q"])
    assert code == 1
    assert out.startswith(f"--- {src}\n+++ {src}\n@@".encode())
    assert out.count(b"\n-The council voted") == 2
