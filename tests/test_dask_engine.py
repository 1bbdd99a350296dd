"""The Dask engine gives exactly the local engine's report, on a 2-worker cluster on loopback."""

from __future__ import annotations

import gzip
import json
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client
from typer.testing import CliRunner

from dedup import __version__
from dedup.check.findings import check_report
from dedup.cli import app
from dedup.commands import common
from dedup.commands.common import load_documents
from dedup.commands.distributed import input_files
from dedup.config import load_config
from dedup.core.models import Report
from dedup.core.settings import Keep, Settings
from dedup.engines import dask_cluster, dask_engine
from dedup.engines.pipeline import find_duplicates
from dedup.errors import InputError, UsageError
from dedup.inputs.partition import ReadOptions
from dedup.inputs.reader import read_document
from dedup.inputs.sources import JsonlOptions
from dedup.text.allow import AllowList
from dedup.writers.check_formats import Format, render

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
REUTERS = DATA / "reuters-400.jsonl"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A LocalCluster of 2 single-threaded worker processes on 127.0.0.1, for the module."""
    with dask_cluster.connect(None, 2) as c:
        yield c


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def both(
    paths: list[str],
    client: Client,
    settings: Settings | None = None,
    *,
    block: int | None = None,
    read: ReadOptions | None = None,
) -> tuple[Report, Report, list[str], list[str]]:
    """Return the local and the Dask report on the same inputs, and what each announced."""
    settings = settings or Settings()
    read = read or ReadOptions()
    cfg = load_config(None)
    local_notes: list[str] = []
    jsonl = JsonlOptions(read.text_field, read.id_field, read.on_error)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(common, "notice", local_notes.append)
        docs = load_documents(paths, cfg, read.encoding, jsonl)
    local = find_duplicates(docs, settings)
    notes: list[str] = []
    files = input_files(paths, cfg)
    dask = dask_engine.find_duplicates(
        files, settings, client, options=read, block=block, notice=notes.append
    )
    return local, dask, local_notes, notes


def outputs(report: Report) -> dict[Format, str]:
    result = check_report(report)
    return {fmt: render(result, fmt, __version__) for fmt in Format}


def assert_same(local: Report, dask: Report) -> None:
    assert dask.groups == local.groups
    assert dask.review == local.review
    assert dask.removals == local.removals
    assert [d.path for d in dask.documents] == [d.path for d in local.documents]
    assert [len(p) for p in dask.paragraphs] == [len(p) for p in local.paragraphs]
    assert dask.candidates == local.candidates
    assert dask.lsh == local.lsh
    assert outputs(dask) == outputs(local)


def test_reuters_report_is_the_local_one(client: Client) -> None:
    local, dask, _, _ = both([str(REUTERS)], client, block=40_000)  # 11 byte ranges
    assert len(local.groups) > 50 and local.review  # a real test: many groups and reviews
    assert_same(local, dask)


def test_floods_give_the_local_report(client: Client, tmp_path: Path) -> None:
    # Buckets of more than candidates.DENSE paragraphs are kept as member lists, not pairs:
    # near-identical ones (LSH bands), short ones (small-set keys), exact copies, and
    # long ones sharing a common prefix shingle (containment), across partitions.
    base = "the quick brown fox jumps over the lazy dog near the river bank while the"
    long = " ".join(f"w{i}" for i in range(60))
    paras = [f"{base} farmer {i}" for i in range(150)]
    paras += [f"alpha beta gamma delta epsilon zeta eta theta n{i}" for i in range(120)]
    paras += [f"{base} farmer 3"] * 40
    paras += [f"{long} tail{i}" for i in range(60)] + [f"{long} " * 2 + "x"] * 2
    path = tmp_path / "flood.jsonl"
    lines = [json.dumps({"text": "\n\n".join(paras[i : i + 7])}) for i in range(0, 372, 7)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = Settings(remove=("exact", "near", "contained"))
    local, dask, _, _ = both([str(path)], client, settings, block=4_000)
    assert len(local.removals) > 200 and local.candidates > 10_000
    assert_same(local, dask)


def test_other_settings_give_the_local_report(client: Client) -> None:
    settings = Settings(threshold=0.7, keep=Keep.LONGEST, remove=("exact", "near", "contained"))
    local, dask, _, _ = both([str(REUTERS)], client, settings, block=100_000)
    assert any(m.kind.value == "contained" for m in local.removals)
    assert_same(local, dask)


def test_docs_tree_report_is_the_local_one(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "docs-tree")
    local, dask, _, _ = both(["docs"], client, block=1)  # one file per partition
    assert local.groups
    assert_same(local, dask)


def test_jsonl_lines_ids_and_errors_as_locally(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    para = "The committee approved the budget for the new bridge after a long debate on costs."
    lines = [
        json.dumps({"id": "a", "text": f"{para}\n\nFirst record."}),
        "",
        "not json",
        json.dumps({"text": f"Second record.\n\n{para}"}),
        json.dumps({"id": "a", "text": para.replace("long", "lengthy")}),
        json.dumps({"id": "b", "body": "no text field"}),
        json.dumps(["a list"]),
        json.dumps({"id": 7, "text": para}),
    ]
    Path("c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open("z.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines[::-1]) + "\n")
    read = ReadOptions(id_field="id")
    # 60-byte ranges cut lines anywhere; the compressed file is read whole.
    local, dask, local_notes, notes = both(["c.jsonl", "z.jsonl.gz"], client, block=60, read=read)
    assert len(local.documents) == 8 and local.groups
    assert_same(local, dask)
    assert notes == local_notes
    assert "c.jsonl: skipped 3 unusable lines (first: line 3: not valid JSON" in notes[-2]


def test_jsonl_errors_are_the_local_ones(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.jsonl").write_text('{"text": "fine"}\n{"text": 3}\n', encoding="utf-8")
    Path("b.jsonl").write_text('{"body": "x"}\nnot json\n', encoding="utf-8")
    Path("c.txt").write_bytes(b"caf\xe9\n")
    cases = [
        (["a.jsonl"], ReadOptions(on_error="fail")),
        (["b.jsonl", "a.jsonl"], ReadOptions()),
        (["c.txt", "b.jsonl"], ReadOptions()),
    ]
    cfg = load_config(None)
    for paths, read in cases:
        jsonl = JsonlOptions(read.text_field, read.id_field, read.on_error)
        with pytest.raises(InputError) as local:
            load_documents(paths, cfg, None, jsonl, quiet=True)
        with pytest.raises(InputError) as dask:
            dask_engine.find_duplicates(paths, Settings(), client, options=read, block=8)
        assert str(dask.value) == str(local.value)


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        traceback.print_exception(result.exception)  # shown when a test fails
    return result.exit_code, result.stdout, result.stderr


def test_cli_scheduler_gives_the_local_output(client: Client) -> None:
    address = client.scheduler.address
    args = ["--format", "json", "--id-field", "id", str(REUTERS)]
    local = cli(*args)
    dask = cli(*args, "--engine", "dask", "--scheduler", address)
    assert local[0] == 1
    assert dask == local


def test_cli_engine_dask_starts_a_local_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA / "docs-tree")
    local = cli("--format", "sarif", "docs")
    dask = cli("--format", "sarif", "docs", "--engine", "dask", "--jobs", "2")
    assert dask == local
    assert dask[0] == 1 and dask[2].count("\n") == 1  # the summary line only: no cluster logs


def test_cli_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # what a missing package looks like
    code, out, err = cli("--engine", "dask", str(REUTERS))
    assert (code, out) == (2, "")
    assert err == (
        "error: --engine dask needs the dask extra (distributed is not installed): "
        "pip install 'dedup-paragraphs[dask]'\n"
    )


def test_cli_unreachable_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT", 2.0)
    started = time.monotonic()
    code, out, err = cli("--engine", "dask", "--scheduler", "tcp://127.0.0.1:1", str(REUTERS))
    assert time.monotonic() - started < 15
    assert (code, out) == (2, "")
    assert err.startswith("error: --scheduler tcp://127.0.0.1:1: cannot connect within 2 s (")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:1"], "error: --scheduler needs --engine dask\n"),
        (
            ["--engine", "dask", "-"],
            "error: --engine dask reads its inputs on the workers, not stdin: name files\n",
        ),
    ],
)
def test_cli_usage_errors(args: list[str], message: str) -> None:
    assert cli(*args) == (2, "", message)


def test_workers_of_another_version_are_refused(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_cluster, "__version__", "0.0.0")
    with pytest.raises(UsageError, match=r"run another dedup \(.* on tcp://127\.0\.0\.1:"):
        dask_cluster.check_workers(client, "the test cluster", 5)


def test_allow_list_and_missing_files(client: Client, tmp_path: Path) -> None:
    text = "A disclaimer that every page repeats, word for word, at the very bottom.\n"
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"{text}\nSomething else on page {name}.\n")
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    docs = [read_document(p) for p in paths]
    (tmp_path / "allowed.txt").write_text(text, encoding="utf-8")
    allow = AllowList.load([tmp_path / "allowed.txt"])
    assert find_duplicates(docs).groups  # the allow-list is what makes the difference
    report = dask_engine.find_duplicates(paths, Settings(), client, allow=allow)
    assert report.groups == find_duplicates(docs, allow=allow).groups == ()
    (tmp_path / "b.txt").unlink()
    with pytest.raises(InputError, match=r"b\.txt: no such file"):
        dask_engine.find_duplicates(paths, Settings(), client)
