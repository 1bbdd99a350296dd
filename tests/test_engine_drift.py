"""Where two engines (or an engine and the archive) must give the same answer, they do.

Each test here failed before its engine was made to call the other's code: columns of an
archived HTML paragraph, verification of archive candidates, documents prepared once by
``check --against``, JSONL documents read by the Dask partition reader, and the archive's
short-paragraph keys and containment prefixes (one run's, from ``dedup.core.candidates``; an
archive of an old key format is refused).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis_server import redis_server
from typer.testing import CliRunner

import dedup
from dedup.cli import app
from dedup.core import prepare as prepare_module
from dedup.core.models import Document, Kind
from dedup.inputs.jsonl import JsonlFile, iter_records
from dedup.inputs.partition import ReadOptions, count_lines, plan, probe, ranges, read, sources

P1 = "The central bank raised its benchmark interest rate by half a point on Thursday."
P2 = "Shares in the carmaker fell sharply after it cut its delivery forecast."
PAGE = f"<html><body><p>{P1}</p><p>{P2}</p></body></html>\n"

#: An archived paragraph and a draft of it at Jaccard 0.54 (similar) whose MinHash
#: signatures share no LSH band: one run of ``dedup check`` does not propose the pair.
PUBLISHED = (
    "The festival will open with a new production of the opera, directed by a young German "
    "team and sung in the original Italian with English surtitles, while the orchestra plays "
    "from a barge moored on the river below the old castle walls.\n"
)
UNBANDED_DRAFT = (
    "The festival will open with a new dark2 of the opera, directed by a blue2 German team "
    "and sung in the original Italian with English surtitles, while the orchestra plays from "
    "a barge moored on the blue2 blue2 the old early2 walls.\n"
)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _regions(sarif: str) -> list[tuple[dict[str, int], dict[str, int]]]:
    """Return, per SARIF result, the region of the paragraph and of the kept one."""
    results = json.loads(sarif)["runs"][0]["results"]
    return [
        (
            r["locations"][0]["physicalLocation"]["region"],
            r["relatedLocations"][0]["physicalLocation"]["region"],
        )
        for r in results
    ]


# --- columns ---------------------------------------------------------------------------


def test_archived_html_paragraphs_have_the_columns_check_gives() -> None:
    """Two <p> on one line: the archive gave 1-88 and 1-79, check 13-100 and 100-178."""
    Path("page.html").write_text(PAGE, encoding="utf-8")
    Path("copy.html").write_text(PAGE, encoding="utf-8")
    code, one_run, err = run("check", "page.html", "copy.html", "-f", "sarif")
    assert code == 1, err
    code, _, err = run("archive", "add", "a.db", "page.html")
    assert code == 0, err
    code, against, err = run("check", "--against", "a.db", "copy.html", "-f", "sarif")
    assert code == 1, err
    kept_in_one_run = [kept for _, kept in _regions(one_run)]
    kept_archived = [kept for _, kept in _regions(against)]
    assert [(k["startColumn"], k["endColumn"]) for k in kept_archived] == [(13, 100), (100, 178)]
    assert kept_archived == kept_in_one_run


# --- check --against verifies as the engine does, and prepares once ------------------------


def test_a_pair_only_containment_keys_propose_counts_only_if_contained() -> None:
    """A similar pair that LSH does not propose: one run does not report it, nor the archive.

    The archive found it from its containment keys and reported it as similar; the engine
    counts a pair proposed only by containment prefix filtering only if it is contained.
    """
    Path("pub.txt").write_text(PUBLISHED, encoding="utf-8")
    Path("draft.txt").write_text(UNBANDED_DRAFT, encoding="utf-8")
    code, out, err = run("check", "pub.txt", "draft.txt", "--fail-on", "similar")
    assert (code, err) == (0, "")
    assert out.startswith("0 repeated paragraphs")
    code, _, err = run("archive", "add", "a.db", "pub.txt")
    assert code == 0, err
    code, out, err = run("check", "--against", "a.db", "draft.txt", "--fail-on", "similar")
    assert (code, err) == (0, "")
    assert out.startswith("0 repeated paragraphs in 1 paragraph of 1 document against 1 archived")


def test_check_against_prepares_each_document_once(monkeypatch: pytest.MonkeyPatch) -> None:
    Path("pub.txt").write_text(PUBLISHED, encoding="utf-8")
    Path("a.txt").write_text(PUBLISHED, encoding="utf-8")
    Path("b.txt").write_text(UNBANDED_DRAFT, encoding="utf-8")
    code, _, err = run("archive", "add", "a.db", "pub.txt")
    assert code == 0, err
    prepared: list[str] = []
    real = prepare_module.prepare

    def counting(doc: Document, *args: Any) -> Any:
        prepared.append(doc.path)
        return real(doc, *args)

    monkeypatch.setattr(prepare_module, "prepare", counting)
    code, out, err = run("check", "--against", "a.db", "a.txt", "b.txt", "--jobs", "1")
    assert code == 1, err
    assert "a.txt:1:1: dedup/exact:" in out
    assert sorted(prepared) == ["a.txt", "b.txt"]


# --- the Dask partition reader -------------------------------------------------------------


@pytest.mark.parametrize("id_field", [None, "id"])
@pytest.mark.parametrize("block", [10_000, 64])
def test_partitions_read_the_documents_jsonl_reads(id_field: str | None, block: int) -> None:
    """Every field of every document (``record`` included), whole file or cut in ranges."""
    lines = [
        json.dumps({"id": "a", "text": "First story.\n\nIts second paragraph."}),
        "",
        json.dumps({"id": 7, "text": "A record whose id is a number."}),
        "not json",
        json.dumps({"text": "No id here: named by its line number."}),
        json.dumps({"id": "d", "text": "Caf\u00e9 and na\u00efve, not ASCII."}),
    ]
    Path("c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = [
        doc
        for _, doc in iter_records("c.jsonl", JsonlFile("c.jsonl", "text"), id_field=id_field)
        if doc is not None
    ]
    [src] = sources(["c.jsonl"])
    layout = probe(src)
    counts = {
        (0, start): count_lines(src, start, stop) for start, stop in ranges(layout.size, block)
    }
    parts = plan([src], {0: layout}, counts, block)
    options = ReadOptions(id_field=id_field)
    read_by_parts = [doc for part in parts for doc in read(part, options).documents]
    assert len(parts) == (1 if block > layout.size else len(counts))
    assert [d.record for d in local] == [
        ("a" if id_field else "1", 1),
        ("7" if id_field else "3", 3),
        ("5", 5),
        ("d" if id_field else "6", 6),
    ]
    assert read_by_parts == local


# --- containment prefixes: exact over 32-bit shingle hashes, not over shingles -------------

#: Two word trigrams whose 32-bit shingle hashes are equal (found by a birthday search).
COLLIDING = ("w333 w11442 w6572", "w2235 w11686 w15302")


#: Paragraph A: 10 shingles, 9 inside B (containment 0.90, contained); two of the 9 share
#: a hash, so as hashes A is 8 of 9 inside B (0.89), below the threshold.
COLLIDED = f"{COLLIDING[0]} {COLLIDING[1]} river castle garden window harbour lantern"
CONTAINER = " ".join(COLLIDED.split()[:11] + [f"x{i}" for i in range(30)])


def test_a_contained_pair_behind_a_hash_collision_is_found_by_every_engine(
    scheduler: str,
) -> None:
    """Containment prefixes count on A's shingle windows, not its hashes: the in-memory,
    streaming and Dask engines find A contained in B, whatever order their prefixes take."""
    Path("a.txt").write_text(COLLIDED + "\n", encoding="utf-8")
    Path("b.txt").write_text(CONTAINER + "\n", encoding="utf-8")
    in_memory = dedup.find_duplicates([CONTAINER + "\n", COLLIDED + "\n"]).review
    assert [(m.kind, m.paragraph.doc) for m in in_memory] == [(Kind.CONTAINED, 1)]
    dask = ["--engine", "dask", "--scheduler", scheduler]
    for args in ([], dask):
        code, out, err = run("check", *args, "b.txt", "a.txt", "--fail-on", "similar")
        assert code == 1, err
        assert "a.txt:1:1: dedup/contained:" in out


@pytest.mark.parametrize("archived", ["container", "contained"])
def test_a_contained_pair_behind_a_hash_collision_is_found_against_the_archive(
    archived: str,
) -> None:
    """Both ways: the new paragraph inside an archived one (its prefix against archived
    shingles), and an archived one inside the new one (the prefix chosen when it was added)."""
    Path("a.txt").write_text(COLLIDED + "\n", encoding="utf-8")
    Path("b.txt").write_text(CONTAINER + "\n", encoding="utf-8")
    added, checked = ("b.txt", "a.txt") if archived == "container" else ("a.txt", "b.txt")
    code, _, err = run("archive", "add", "x.db", added)
    assert code == 0, err
    code, out, err = run("check", "--against", "x.db", checked, "--fail-on", "similar")
    assert code == 1, err
    assert f"{checked}:1:1: dedup/contained:" in out


# --- archive keys are one run's keys (dedup.core.candidates) ------------------------------------

SHORT = "the quick brown fox jumps over the lazy dog near river\n"
LONG = (
    "Rescue teams worked through the night to reach villages cut off by the floods, and the "
    "army flew in drinking water, blankets and medical supplies to the stranded families.\n"
)


def _archived(location: str) -> list[Any]:
    from dedup.archive import open_archive

    store = open_archive(location)
    try:
        return [(store.settings(), p) for p in store.paragraphs()]
    finally:
        store.close()


def test_archived_short_paragraph_keys_are_the_engines_small_set_keys() -> None:
    """The archive filed short paragraphs under blake2b keys of their cores; the engines
    (in-memory, streaming, Dask) under FNV folds: one encoding now."""
    import numpy as np

    from dedup.archive import keys
    from dedup.core import candidates

    Path("short.txt").write_text(SHORT, encoding="utf-8")
    code, _, err = run("archive", "add", "a.db", "short.txt")
    assert code == 0, err
    [(settings, p)] = _archived("a.db")
    filed = {key for tag, key in keys.postings([p], settings).of(0) if tag == keys.SMALL}
    engine, _ = candidates.small_set_keys([p.hashes], settings.near_threshold)
    assert filed and filed == set(np.unique(engine).tolist())


def test_archived_prefixes_follow_one_runs_prefix_rule() -> None:
    """The archive took ``|A| - ceil(t|A|) + 1`` shingles and proposed a pair on one shared
    hash; one run takes ``overlap`` (2) more than that minus one and needs 2 shared."""
    import numpy as np

    from dedup.core import candidates

    Path("long.txt").write_text(LONG, encoding="utf-8")
    code, _, err = run("archive", "add", "a.db", "long.txt")
    assert code == 0, err
    [(settings, p)] = _archived("a.db")
    size = np.array([len(p.hashes)], dtype=np.int64)
    bound = candidates.shingle_bound(np.array([p.words]), settings.ngram)
    assert len(p.prefix) == candidates.prefix_lengths(size, bound, settings.containment)[0]
    assert len(p.prefix) == len(p.hashes) - int(np.ceil(0.9 * len(p.hashes))) + 2


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def _set_format(location: str, fmt: int) -> None:
    """Turn an archive into what an earlier dedup wrote (format ``fmt`` in its settings)."""
    if location.startswith("redis://"):
        import redis

        url, _, name = location.partition("?prefix=")
        client = redis.Redis.from_url(url)
        raw = client.hget(f"{name}:meta", "settings")
        assert isinstance(raw, bytes)
        client.hset(f"{name}:meta", "settings", json.dumps({**json.loads(raw), "format": fmt}))
        client.close()
        return
    import sqlite3

    conn = sqlite3.connect(location)
    with conn:
        (raw,) = conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'settings'",
            (json.dumps({**json.loads(raw), "format": fmt}),),
        )
    conn.close()


@pytest.mark.parametrize(
    ("backend", "fmt"), [("sqlite", 1), ("sqlite", 2), ("redis", 2)], ids=lambda v: str(v)
)
def test_an_archive_of_an_old_key_format_is_refused_but_still_exported(
    backend: str, fmt: int, request: pytest.FixtureRequest
) -> None:
    """Format 1 had other short-paragraph keys and prefixes; format 2 prefixes counted on
    hashes (shorter when a paragraph's shingles repeat or share a hash): both refused."""
    location = "a.db"
    if backend == "redis":
        location = f"{request.getfixturevalue('redis_url')}?prefix=old{fmt}-{os.getpid()}"
    Path("long.txt").write_text(LONG, encoding="utf-8")
    code, _, err = run("archive", "add", location, "long.txt")
    assert code == 0, err
    _set_format(location, fmt)
    message = (
        f"error: {location}: archive format {fmt}, this dedup reads format 3: rebuild it "
        "with this version (dedup archive export keeps the texts)\n"
    )
    for args in (
        ["check", "--against", location, "long.txt"],
        ["archive", "add", location, "long.txt"],
        ["archive", "remove", location, "long.txt"],
    ):
        assert run(*args) == (2, "", message), args
    code, out, err = run("archive", "export", location)
    assert (code, err) == (0, "")
    assert json.loads(out)["text"].startswith("Rescue teams worked")
    code, out, err = run("archive", "stats", location, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["settings"]["format"] == fmt
