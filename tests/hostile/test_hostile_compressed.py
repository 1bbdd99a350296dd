"""Compressed inputs cut short or corrupt are one error line, never a shorter corpus.

zstandard's ``stream_reader`` stops quietly where a truncated ``.zst`` file stops: the
records of the missing half were simply not there, and ``clean`` wrote a shorter corpus
with exit 0. Every command that reads inputs (clean, check, diff, archive add, the Dask
engine's partitions) and every pass over them (the streaming engine reads twice, clean
a third time to write) now says ``error: FILE: truncated or corrupt zstd data (...)``
with exit 2; gzip the same (a corrupt deflate stream was a ``zlib.error`` traceback).
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import zstandard
from cli_run import run

from dedup.inputs.jsonl import lines
from dedup.inputs.partition import Part, ReadOptions, Source, read
from dedup.inputs.sources import Inputs

ROWS = 3000


@pytest.fixture(autouse=True)
def _env(cli_env: None) -> None:
    """Every probe here runs in its own empty folder (before any fixture writes there)."""


WORDS = (
    "harbour",
    "tide",
    "crew",
    "vessel",
    "crate",
    "shipment",
    "dawn",
    "river",
    "market",
    "council",
    "bridge",
    "ferry",
    "village",
    "trader",
    "stock",
    "street",
    "cathedral",
    "estuary",
    "spring",
    "winter",
    "harvest",
    "engine",
    "signal",
    "station",
    "lantern",
    "quarry",
    "mill",
)


def corpus(rows: int = ROWS) -> bytes:
    """Distinct paragraphs (no two alike, so nothing is a near repeat), one record each."""
    rng = random.Random(15)
    out = []
    for i in range(rows):
        words = " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(24))
        out.append(json.dumps({"id": str(i), "text": f"Paragraph {i}: {words}."}) + "\n")
    return "".join(out).encode()


def zst(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(write_checksum=True).compress(data)


def corrupt(data: bytes) -> bytes:
    """``data`` with 32 random bytes in the middle (the same bytes on every run)."""
    noise = random.Random(15).randbytes(32)
    middle = len(data) // 2
    return data[:middle] + noise + data[middle + 32 :]


DAMAGED: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    "zst-truncated": (
        "t.jsonl.zst",
        lambda d: zst(d)[: len(zst(d)) // 2],
        "truncated or corrupt zstd data (the data ends in the middle of a frame)",
    ),
    "zst-corrupt": (
        "t.jsonl.zst",
        lambda d: corrupt(zst(d)),
        "truncated or corrupt zstd data (",
    ),
    "zst-corrupt-no-checksum": (
        "t.jsonl.zst",
        lambda d: corrupt(zstandard.compress(d)),
        "truncated or corrupt zstd data (",
    ),
    "gz-truncated": (
        "t.jsonl.gz",
        lambda d: gzip.compress(d)[: len(gzip.compress(d)) // 2],
        "truncated or corrupt gzip data (Compressed file ended before the end-of-stream "
        "marker was reached)",
    ),
    "gz-corrupt": ("t.jsonl.gz", lambda d: corrupt(gzip.compress(d)), "truncated or corrupt gzip"),
}

COMMANDS = {
    "clean": ["clean", "{f}", "-o", "out.jsonl"],
    "check": ["check", "{f}", "-q"],
    "diff": ["diff", "{f}"],
    "archive add": ["archive", "add", "a.sqlite", "{f}"],
}


@pytest.mark.parametrize("damage", list(DAMAGED))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_damaged_input_is_one_error_line(command: str, damage: str) -> None:
    name, make, message = DAMAGED[damage]
    Path(name).write_bytes(make(corpus()))
    code, out, err = run(*(a.format(f=name) for a in COMMANDS[command]))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {name}: {message}"), err
    assert err.endswith(")\n") and err.count("\n") == 1, err
    assert not Path("out.jsonl").exists()
    assert not Path("a.sqlite").exists()


def test_truncated_zst_is_not_read_as_a_shorter_corpus() -> None:
    """The report's reproduction: half of a .zst file gave exit 0 and 1140 of 3000 records."""
    data = zstandard.compress(corpus())
    Path("t.jsonl.zst").write_bytes(data[: len(data) // 2])
    code, out, err = run("clean", "t.jsonl.zst", "-o", "o.jsonl")
    assert (code, out) == (2, "")
    assert err == (
        "error: t.jsonl.zst: truncated or corrupt zstd data "
        "(the data ends in the middle of a frame)\n"
    )


def test_whole_and_multi_frame_zst_read_every_record() -> None:
    data = corpus()
    third = data.index(b"\n", len(data) // 3) + 1
    frames = zst(data[:third]) + zstandard.compress(data[third:])
    Path("one.jsonl.zst").write_bytes(zst(data))
    Path("two.jsonl.zst").write_bytes(frames)
    for name in ("one.jsonl.zst", "two.jsonl.zst"):
        assert b"".join(raw for _, raw in lines(name)) == data
        code, _, err = run("clean", name, "-o", "out.jsonl", "-q")
        assert (code, err) == (0, "")
        assert Path("out.jsonl").read_bytes() == data
    # Cut inside the second frame: the first frame is whole, the file still is not.
    Path("cut.jsonl.zst").write_bytes(frames[:-10])
    code, _, err = run("check", "cut.jsonl.zst", "-q")
    assert (code, err) == (
        2,
        "error: cut.jsonl.zst: truncated or corrupt zstd data "
        "(the data ends in the middle of a frame)\n",
    )


def test_a_file_cut_between_the_two_passes_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The streaming engine rereads the records that hold a candidate: that pass checks too."""
    data = corpus()
    repeat = data.splitlines(keepends=True)[-1].replace(b'"id": "', b'"id": "again-')
    packed = zst(data + repeat)  # the repeat, a candidate, is in the last records
    Path("t.jsonl.zst").write_bytes(packed)
    reread = Inputs.reread

    def cut_then_reread(self: Inputs, wanted: list[int]) -> Iterable[tuple[int, object]]:
        Path("t.jsonl.zst").write_bytes(packed[: len(packed) * 2 // 3])
        return reread(self, wanted)

    monkeypatch.setattr(Inputs, "reread", cut_then_reread)
    code, out, err = run("clean", "t.jsonl.zst", "-o", "out.jsonl")
    assert (code, out) == (2, "")
    assert err == (
        "error: t.jsonl.zst: truncated or corrupt zstd data "
        "(the data ends in the middle of a frame)\n"
    )
    assert not Path("out.jsonl").exists()


@pytest.mark.parametrize("damage", ["zst-truncated", "zst-corrupt", "gz-truncated", "gz-corrupt"])
def test_dask_partition_of_a_damaged_file_is_an_error(damage: str) -> None:
    """The Dask engine's workers read through the same opener: the piece carries the error."""
    name, make, message = DAMAGED[damage]
    Path(name).write_bytes(make(corpus()))
    piece = read(Part(0, (Source(name, str(Path(name).resolve())),)), ReadOptions())
    assert piece.error is not None
    assert str(piece.error).startswith(f"{name}: {message}")
