"""The streaming engine: the same answers as the in-memory engine, in bounded memory."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dedup.core.models import Document, Report
from dedup.core.settings import Settings
from dedup.engines.pipeline import find_duplicates
from dedup.engines.stream import find_duplicates_streaming
from dedup.errors import InputError
from dedup.inputs.jsonl import read_jsonl
from dedup.inputs.reader import read_document

DATA = Path(__file__).parent / "data"


def answers(report: Report) -> tuple[object, ...]:
    """Return what a user sees of a report: every removal and review pair, with scores."""

    def where(m: object) -> tuple[object, ...]:
        p, o = m.paragraph, m.other  # type: ignore[attr-defined]
        return (p.doc, p.index, p.lines, o.doc, o.index, m.kind, m.similarity)  # type: ignore[attr-defined]

    return (
        [(g.kept.doc, g.kept.index, [where(m) for m in g.duplicates]) for g in report.groups],
        [where(m) for m in report.review],
        report.candidates,
        report.paragraph_count,
        [d.path for d in report.documents],
    )


def tree_documents() -> list[Document]:
    files = sorted(p for p in (DATA / "docs-tree").rglob("*.md"))
    return [read_document(str(f), syntax="auto") for f in files]


@pytest.mark.parametrize(("jobs", "part_entries"), [(1, 1 << 19), (2, 1 << 19), (1, 1 << 8)])
def test_reuters_slice_gives_the_in_memory_report(
    jobs: int, part_entries: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dedup.engines.stream.CHUNK_CHARS", 50_000)  # several chunks
    monkeypatch.setattr("dedup.engines.stream.BLOCK", 4_096)  # several blocks
    monkeypatch.setattr(
        "dedup.engines.stream.PART_ENTRIES", part_entries
    )  # 2 parts, or 32 (the most)
    path = str(DATA / "reuters-400.jsonl")
    expected = find_duplicates(read_jsonl(path).documents, Settings())
    got = find_duplicates_streaming(lambda: read_jsonl(path).documents, Settings(), jobs=jobs)
    assert answers(got) == answers(expected)
    assert len(got.removals) > 50 and got.review  # a slice with plenty to find


def test_markdown_tree_gives_the_in_memory_report() -> None:
    docs = tree_documents()
    expected = find_duplicates(docs, Settings())
    got = find_duplicates_streaming(lambda: iter(docs), Settings())
    assert answers(got) == answers(expected)
    assert got.removals


def test_report_holds_only_the_paragraphs_it_names() -> None:
    path = str(DATA / "reuters-400.jsonl")
    report = find_duplicates_streaming(lambda: read_jsonl(path).documents, Settings())
    held = sum(len(p) for p in report.paragraphs)
    named = {(m.paragraph.doc, m.paragraph.index) for m in report.removals + list(report.review)}
    named |= {(m.other.doc, m.other.index) for m in report.removals + list(report.review)}
    assert named <= {(p.doc, p.index) for ps in report.paragraphs for p in ps}
    assert held < report.paragraph_count / 2
    assert all(d.text == "" for d in report.documents)


def test_temporary_files_are_removed(tmp_path: Path) -> None:
    path = str(DATA / "reuters-400.jsonl")
    find_duplicates_streaming(lambda: read_jsonl(path).documents, workdir=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_found_when_spilled_data_is_read_is_an_input_error(tmp_path: Path) -> None:
    """Buffered spill data reaches the disk on the flush before a read: a full disk there
    is the same one ``cannot write`` error (exit 2) as during a write, not a traceback."""
    import errno

    import numpy as np

    from dedup.engines.spill import Spill

    class FullDisk:
        def write(self, data: bytes) -> int:
            return len(data)  # buffered

        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            pass

    with Spill(str(tmp_path), memory=0) as spill:  # straight to disk
        spill.append("band0", np.arange(4, dtype=np.uint64))
        spill._files["band0"].close()
        spill._files["band0"] = FullDisk()  # type: ignore[assignment]
        with pytest.raises(InputError, match="cannot write: No space left on device"):
            spill.read("band0", np.uint64)


def test_input_that_changes_between_passes_is_an_error() -> None:
    text = "A paragraph that repeats itself word for word.\n\n" * 2
    calls = [0]

    def source() -> Iterator[Document]:
        calls[0] += 1
        yield Document("a.txt", text if calls[0] == 1 else "Something else entirely.\n")

    with pytest.raises(InputError, match="changed while it was being read"):
        find_duplicates_streaming(source)


def test_markdown_changed_between_passes_is_read_anew() -> None:
    # Pass 2 rebuilds a Markdown file's paragraphs from the layout pass 1 kept, but only
    # for the same text: a file rewritten in between is parsed again, never misplaced.
    para = "A paragraph that repeats itself word for word in this file.\n\n"
    texts = ["# Title\n\n" + para * 2, "# Title\n\n\n\n" + para * 2]  # 2 lines further down
    calls = [0]

    def source() -> Iterator[Document]:
        calls[0] += 1
        yield Document("a.md", texts[0] if calls[0] == 1 else texts[1], syntax="markdown")

    report = find_duplicates_streaming(source)
    expected = find_duplicates([Document("a.md", texts[1], syntax="markdown")])
    got = [(m.paragraph.lines, m.paragraph.text) for m in report.removals]
    assert got == [(m.paragraph.lines, m.paragraph.text) for m in expected.removals]
    assert got == [((7, 7), para.rstrip("\n") + "\n")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_markdown_tree_on_workers_gives_the_in_memory_report(
    jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dedup.engines.stream.CHUNK_CHARS", 5_000)  # several chunks, so workers
    docs = tree_documents()
    expected = find_duplicates(docs, Settings())
    got = find_duplicates_streaming(lambda: iter(docs), Settings(), jobs=jobs)
    assert answers(got) == answers(expected)
    spans = [(m.paragraph.lines, m.paragraph.byte_start, m.paragraph.text) for m in got.removals]
    assert spans == [
        (m.paragraph.lines, m.paragraph.byte_start, m.paragraph.text) for m in expected.removals
    ]


# --------------------------------------------------------------------------- memory

WORDS = (DATA / "reuters-400.jsonl").read_text(encoding="utf-8").split()


def corpus(path: Path, paragraphs: int, seed: int) -> None:
    """Write a corpus of shuffled real words, 4 paragraphs a record, 1% repeated."""
    rng = random.Random(seed)
    kept: list[str] = []
    with path.open("w", encoding="utf-8") as fh:
        for r in range(paragraphs // 4):
            paras = []
            for _ in range(4):
                if kept and rng.random() < 0.01:
                    paras.append(rng.choice(kept))
                else:
                    paras.append(" ".join(rng.choices(WORDS, k=rng.randint(12, 60))))
                    if len(kept) < 1000:
                        kept.append(paras[-1])
            fh.write(json.dumps({"id": f"r{r}", "text": "\n\n".join(paras)}) + "\n")


PEAK = """
import resource, sys
from dedup.cli import app
try:
    app(sys.argv[1:], prog_name="dedup")
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def peak_rss(path: Path) -> int:
    """Return the peak RSS in bytes of ``dedup check`` on ``path`` (one process)."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK, "check", str(path), "-j", "1", "-q", "--exit-zero"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TMPDIR": str(path.parent)},
    )
    return int(out.stderr.strip().splitlines()[-1]) * 1024


def test_memory_grows_by_a_bounded_amount_per_paragraph(tmp_path: Path) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    # Both above the sizes where fixed buffers (work blocks, caches) stop growing.
    corpus(small, 24_000, seed=1)
    corpus(large, 72_000, seed=2)
    per_paragraph = (peak_rss(large) - peak_rss(small)) / 48_000
    text_per_paragraph = large.stat().st_size / 72_000
    # What stays per paragraph is a few numbers; the text (about 300 bytes here) is not kept.
    assert per_paragraph < 150, f"{per_paragraph:.0f} bytes per paragraph"
    assert per_paragraph < text_per_paragraph / 2


# --------------------------------------------------------------------------- second pass

REPEAT = "The council approved the new budget for the harbour bridge after a long debate."


def mixed_inputs(root: Path) -> list[str]:
    """A text file and JSONL files (one gzipped, one with a bad line and an id field)."""
    import gzip

    (root / "story.txt").write_text(f"Opening words of the story.\n\n{REPEAT}\n", encoding="utf-8")
    rows = [
        {"id": "a", "text": f"First record.\n\n{REPEAT}"},
        "not json",
        {"id": "b", "text": "Nothing repeated here at all, just words."},
        {"id": "c", "text": f"{REPEAT}\n\nClosing words."},
    ]
    body = "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"
    (root / "wire.jsonl").write_text(body, encoding="utf-8")
    with gzip.open(root / "more.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "z", "text": f"Unrelated.\n\n{REPEAT}"}) + "\n")
    return [str(root / n) for n in ("story.txt", "wire.jsonl", "more.jsonl.gz")]


def test_rereading_only_the_wanted_documents_gives_the_same_report(tmp_path: Path) -> None:
    from dedup.config import load_config
    from dedup.engines.stream import Rereadable
    from dedup.inputs.sources import Inputs, JsonlOptions

    inputs = Inputs.found(
        mixed_inputs(tmp_path), load_config(cwd=tmp_path), None, JsonlOptions(id_field="id")
    )
    assert isinstance(inputs, Rereadable)
    docs = list(inputs())
    assert [(i, d) for i, d in inputs.reread([0, 2, 4])] == [
        (0, docs[0]),
        (2, docs[2]),
        (4, docs[4]),
    ]
    got = find_duplicates_streaming(inputs, Settings())
    assert answers(got) == answers(find_duplicates(docs, Settings()))
    assert len(got.removals) == 3


def test_a_jsonl_line_that_changes_before_the_second_pass_is_an_error(tmp_path: Path) -> None:
    from dedup.config import load_config
    from dedup.inputs.sources import Inputs, JsonlOptions

    paths = mixed_inputs(tmp_path)
    inputs = Inputs.found(paths, load_config(cwd=tmp_path), None, JsonlOptions(id_field="id"))
    list(inputs())
    Path(paths[1]).write_text("changed\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed while it was being read"):
        list(inputs.reread([1]))


def test_pair_codes_of_ids_past_two_to_the_31_decode_exactly() -> None:
    """A run may hold up to 2**32 - 1 paragraphs; their pair codes wrap in int64."""
    import numpy as np

    from dedup.core.candidates import codes_to_pairs

    a = np.array([2**31 + 5, 3, 2**32 - 2], dtype=np.int64)
    b = np.array([2**31 + 9, 2**31, 2**32 - 1], dtype=np.int64)
    codes = (a << 32) | b  # as the engine builds them
    assert codes_to_pairs(codes) == {(2**31 + 5, 2**31 + 9), (3, 2**31), (2**32 - 2, 2**32 - 1)}


# --------------------------------------------------------------------------- workers


def test_a_single_chunk_starts_no_worker_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """One article is read in this process: no pool is started for it, whatever --jobs."""

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", no_pool)
    docs = tree_documents()
    got = find_duplicates_streaming(lambda: docs, Settings(), jobs=2)
    assert answers(got) == answers(find_duplicates(docs, Settings()))


def test_a_fresh_corpus_run_on_two_workers_gives_the_one_process_report(tmp_path: Path) -> None:
    """A new process forks its workers (datasketch's parameters computed without it) and
    reports exactly what one process reports."""
    path = tmp_path / "corpus.jsonl"
    corpus(path, 12_000, seed=3)  # about 3 MB: several chunks, so workers start
    reports = []
    for jobs in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-m", "dedup", "check", str(path), "--format", "json", "-j", jobs],
            capture_output=True,
            check=False,
        )
        assert out.returncode == 1, out.stderr  # the corpus holds repeats
        reports.append(out.stdout)
    assert reports[0] == reports[1]
    assert json.loads(reports[0])["summary"]["duplicates"] > 50


def test_the_cli_starts_without_datasketch_and_scipy() -> None:
    """They take 0.9 s to import: ``dedup --help`` and ``dedup.engines.stream`` leave them out."""
    code = (
        "import sys, dedup.cli, dedup.engines.stream; "
        "print(sorted({'datasketch', 'scipy'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
