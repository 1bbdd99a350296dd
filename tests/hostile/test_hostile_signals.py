"""SIGTERM and SIGHUP clean up like Ctrl-C (issue 15, item 10); errors are never tracebacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REUTERS = REPO / "tests" / "data" / "reuters-400.jsonl"


def _corpus(path: Path, copies: int) -> None:
    records = [json.loads(line) for line in REUTERS.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for c in range(copies):
            for n, r in enumerate(records):
                out.write(json.dumps({"id": f"{c}-{n}", "text": r["text"]}) + "\n")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_removes_the_spill_folder(tmp_path: Path, signum: int) -> None:
    corpus = tmp_path / "big.jsonl"
    _corpus(corpus, 60)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))
    proc = subprocess.Popen(
        [sys.executable, "-m", "dedup", "check", str(corpus), "-q", "-j", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(tmp.glob("dedup-spill-*")):
        assert proc.poll() is None, "finished before it spilled: make the corpus bigger"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert list(tmp.glob("dedup-spill-*")) == []
    assert b"Traceback" not in err
    assert err.decode().strip().endswith(f"terminated by {signal.Signals(signum).name}")


def test_an_internal_error_is_one_line_and_exit_3(tmp_path: Path) -> None:
    # A JSONL record nested past the JSON parser's limit: an input error, never a traceback.
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": ' + "[" * 2000 + "]" * 2000 + "}\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "check", str(deep), "--on-error", "fail"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (2, 3), proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
