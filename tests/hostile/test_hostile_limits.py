"""Hostile sizes and shapes of JSONL input: limits enforced while reading.

- A line longer than ``--max-line-bytes`` (default 64 MiB) is an unusable line: ``--on-error
  fail`` is exit 2 with one line; ``skip`` counts it and reads on, never holding it whole.
- A ``.gz``/``.zst`` input that decompresses to more than ``--max-decompressed-bytes``
  (default 100 x its size, at least 1 GiB) is exit 2 with one line, found while reading.
- A record nested 1,000 deep is an unusable line ("nested too deeply"), not a
  ``RecursionError``; no traceback ever reaches the user.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_run import run

from dedup.inputs.jsonl import MAX_LINE_BYTES

REPO = Path(__file__).resolve().parent.parent.parent

P1 = (
    "The river flooded the old market square overnight, and the traders spent the whole "
    "morning carrying their stock to the higher streets behind the cathedral."
)
P2 = (
    "A new bridge over the estuary will open in the spring, the council said, two years "
    "after the ferry that served the villages on the far bank stopped running."
)
DEEP = '{"text": "x", "a": ' + "[" * 1000 + "]" * 1000 + "}"


@pytest.fixture(autouse=True)
def _env(cli_env: None) -> None:
    """Every probe here runs in its own empty folder (before any fixture writes there)."""


def record(text: str, **more: object) -> str:
    return json.dumps({"text": text, **more}) + "\n"


def corpus(name: str = "c.jsonl") -> str:
    """Two copies of P1 around a 5,000-byte record (line 2) and P2."""
    Path(name).write_text(
        record(P1) + record("y" * 5000) + record(P1, id=3) + record(P2), encoding="utf-8"
    )
    return name


def gzipped(data: bytes, times: int = 1) -> bytes:
    """Return ``data`` repeated ``times`` as gzip: one member, compressed once, repeated
    (gzip readers read on across members), so a bomb is quick to make."""
    return gzip.compress(data, compresslevel=9) * times


def bomb(name: str, megabytes: int, *, line: bytes = b"\0") -> None:
    """Write ``megabytes`` MiB of ``line`` repeated, gzipped."""
    Path(name).write_bytes(gzipped(line * (2**20 // len(line)), megabytes))


# -- the line length limit ------------------------------------------------------------------------


def test_the_default_line_limit_is_64_mib() -> None:
    assert MAX_LINE_BYTES == 67_108_864
    code, out, _ = run("check", "-h")
    assert code == 0 and "--max-line-bytes BYTES" in out and "64 MiB" in out


@pytest.mark.parametrize("command", [["check"], ["diff"], ["clean"], ["archive", "add", "a.db"]])
def test_a_long_line_fails_with_on_error_fail(command: list[str]) -> None:
    code, _, err = run(*command, corpus(), "--max-line-bytes", "1000", "--on-error", "fail")
    assert code == 2
    assert (
        err == "error: c.jsonl: line 2: longer than the limit of 1,000 bytes (--max-line-bytes)\n"
    )


@pytest.mark.parametrize("command", [["check"], ["diff"], ["archive", "add", "a.db"]])
def test_a_long_line_is_skipped_and_the_others_read(command: list[str]) -> None:
    code, out, err = run(*command, corpus(), "--max-line-bytes", "1000")
    assert "Traceback" not in err
    assert (
        "c.jsonl: skipped 1 unusable line (first: line 2: longer than the limit of 1,000 "
        "bytes (--max-line-bytes))" in err
    )
    if command == ["check"]:
        assert code == 1 and "c.jsonl#1" in out and "c.jsonl#3" in out
    else:
        assert code == 0


def test_a_line_of_exactly_the_limit_is_read() -> None:
    line = record(P1).rstrip("\n")
    Path("c.jsonl").write_text(line + "\n" + line + "\n", encoding="utf-8")
    code, _, err = run("check", "c.jsonl", "--max-line-bytes", str(len(line)))
    assert code == 1 and "skipped" not in err, err
    code, _, err = run("check", "c.jsonl", "--max-line-bytes", str(len(line) - 1))
    assert code == 2 and "no usable record: all 2 lines skipped" in err


def test_clean_refuses_a_long_line_it_cannot_pass_through() -> None:
    code, out, err = run("clean", corpus(), "--max-line-bytes", "1000", "-o", "out.jsonl")
    assert code == 2 and out == ""
    assert err == (
        "error: c.jsonl: line 2: longer than the limit of 1,000 bytes (--max-line-bytes); "
        "clean cannot pass it through unchanged: raise --max-line-bytes\n"
    )
    assert not Path("out.jsonl").exists()


def test_the_line_limit_comes_from_the_configuration() -> None:
    Path(".dedup.toml").write_text("max-line-bytes = 1000\n", encoding="utf-8")
    code, _, err = run("check", corpus(), "--on-error", "fail")
    assert code == 2 and "longer than the limit of 1,000 bytes" in err
    code, _, err = run("check", "c.jsonl", "--on-error", "fail", "--max-line-bytes", "6000")
    assert code == 1, err
    Path(".dedup.toml").write_text("max-line-bytes = 0\n", encoding="utf-8")
    code, _, err = run("check", "c.jsonl")
    assert code == 2 and err == "error: .dedup.toml: max-line-bytes must be 1 or more, got 0\n"


def test_a_long_line_is_read_past_without_holding_it() -> None:
    """A 300 MiB line (gzip: 300 KB) under a 1 MB limit: read past in pieces, memory bounded."""
    Path("c.jsonl.gz").write_bytes(
        gzipped(record(P1).encode() + b'{"text": "')
        + gzipped(b"z" * 2**20, 300)
        + gzipped(b'"}\n' + record(P1).encode())
    )
    code, out, err = _subprocess("check", "c.jsonl.gz", "--max-line-bytes", "1000000")
    assert code == 1, err
    print(f"peak memory {_maxrss_mib():.0f} MiB")
    assert _maxrss_mib() < 250  # the line alone is 300 MiB
    assert "skipped 1 unusable line (first: line 2: longer than the limit of 1,000,000" in err
    assert "c.jsonl.gz#1" in out and "c.jsonl.gz#3" in out


# -- the decompressed size limit ------------------------------------------------------------------


def test_a_gzip_bomb_is_stopped_while_decompressing() -> None:
    """200 MiB of zeros (about 200 KB compressed) against a 10 MB limit: exit 2 at once."""
    bomb("c.jsonl.gz", 200)
    assert os.path.getsize("c.jsonl.gz") < 1_000_000
    started = time.monotonic()
    code, _, err = _subprocess("check", "c.jsonl.gz", "--max-decompressed-bytes", "10000000")
    assert code == 2
    assert err == (
        "error: c.jsonl.gz: decompresses to more than 10,000,000 bytes "
        "(--max-decompressed-bytes; a compression bomb?)\n"
    )
    print(f"{time.monotonic() - started:.1f} s, peak memory {_maxrss_mib():.0f} MiB")
    assert time.monotonic() - started < 20
    assert _maxrss_mib() < 250


@pytest.mark.parametrize("command", [["check"], ["diff"], ["clean"], ["archive", "add", "a.db"]])
def test_every_command_stops_a_bomb(command: list[str]) -> None:
    bomb("c.jsonl.gz", 20, line=record(P1).encode())
    code, _, err = run(*command, "c.jsonl.gz", "--max-decompressed-bytes", "1000000")
    assert code == 2
    assert err == (
        "error: c.jsonl.gz: decompresses to more than 1,000,000 bytes "
        "(--max-decompressed-bytes; a compression bomb?)\n"
    )


def test_a_zstd_bomb_is_stopped() -> None:
    zstandard = pytest.importorskip("zstandard")
    frame = zstandard.ZstdCompressor(level=19).compress(b"\n" * 2**20)
    Path("c.jsonl.zst").write_bytes(frame * 50)  # read on across frames
    code, _, err = run("check", "c.jsonl.zst", "--max-decompressed-bytes", "1000000")
    assert code == 2
    assert err.endswith(
        "decompresses to more than 1,000,000 bytes "
        "(--max-decompressed-bytes; a compression bomb?)\n"
    )


def test_the_decompressed_limit_is_counted_by_the_second_reading() -> None:
    """``--max-decompressed-bytes 0`` lifts the limit; a small enough corpus passes."""
    with gzip.open("c.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(record(P1) + record(P2) + record(P1))
    code, out, _ = run("check", "c.jsonl.gz", "--max-decompressed-bytes", "0")
    assert code == 1 and "c.jsonl.gz#3" in out
    code, out, _ = run("check", "c.jsonl.gz", "--max-decompressed-bytes", "1000")
    assert code == 1 and "c.jsonl.gz#3" in out
    code, _, err = run("check", "c.jsonl.gz", "--max-decompressed-bytes", "100")
    assert code == 2 and "decompresses to more than 100 bytes" in err


# -- deep nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [600, 1000, 100_000])
def test_a_deeply_nested_record_is_a_bad_line(depth: int) -> None:
    deep = '{"text": "x", "a": ' + "[" * depth + "]" * depth + "}"
    Path("c.jsonl").write_text(record(P1) + deep + "\n" + record(P1), encoding="utf-8")
    code, out, err = run("check", "c.jsonl")
    assert code == 1 and "c.jsonl#3" in out
    assert (
        "c.jsonl: skipped 1 unusable line (first: line 2: nested too deeply (more than 500 "
        "levels of arrays and objects))" in err
    )
    code, _, err = run("check", "c.jsonl", "--on-error", "fail")
    assert code == 2
    assert err == (
        "error: c.jsonl: line 2: nested too deeply (more than 500 levels of arrays and objects)\n"
    )


def test_a_nested_record_within_the_limit_is_cleaned_and_written_back() -> None:
    nested = "[" * 490 + "]" * 490
    text = '{"text": "' + P1 + '", "a": ' + nested + "}\n"
    Path("c.jsonl").write_text(record(P1 + "\n\n" + P2) + text, encoding="utf-8")
    code, _, err = run("clean", "c.jsonl", "-o", "out.jsonl")
    assert code == 0, err
    second = Path("out.jsonl").read_text(encoding="utf-8").splitlines()[1]
    assert json.loads(second)["text"] == "" and nested in second


def test_no_traceback_for_any_of_them_in_a_real_process() -> None:
    Path("c.jsonl").write_text(record(P1) + DEEP + "\n" + record(P1), encoding="utf-8")
    for args in (["check", "c.jsonl"], ["clean", "c.jsonl", "--on-error", "fail"]):
        code, _, err = _subprocess(*args)
        assert code in (0, 1, 2) and "Traceback" not in err, (args, err)
        assert len(err.splitlines()) <= 2, err


#: Runs dedup, then writes its peak memory (VmHWM, KiB) to the file named first. Not
#: ru_maxrss: Linux keeps that across exec, so a child of a big pytest process would
#: report the parent's peak.
_MEASURED = (
    "import atexit, re, sys\n"
    "out = sys.argv.pop(1)\n"
    "def peak():\n"
    "    status = open('/proc/self/status').read()\n"
    "    open(out, 'w').write(re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
    "atexit.register(peak)\n"
    "sys.argv[0] = 'dedup'\n"
    "from dedup.cli import main\n"
    "main()\n"
)


def _maxrss_mib() -> float:
    """Return the peak memory of the last ``_subprocess`` run, in MiB."""
    return int(Path("maxrss.txt").read_text(encoding="utf-8")) / 1024


def _subprocess(*args: str) -> tuple[int, str, str]:
    """Run dedup in its own process (its peak memory goes to maxrss.txt)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, "maxrss.txt", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr
