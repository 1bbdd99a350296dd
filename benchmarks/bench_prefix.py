"""Cost of a containment prefix rule: prefix entries, candidates and ``dedup check`` CPU.

Usage: ``python benchmarks/bench_prefix.py [--before main] [--after HEAD] [--runs 5]
[--data tests/data/reuters-400.jsonl]``. Both revisions' ``dedup/`` are extracted with
``git archive``. For each: the containment prefix entries of one ``dedup check`` (the
streaming engine, in process, ``--jobs 1``) and of the in-memory engine
(``dedup.find_duplicates`` on the records' texts, with its containment candidates and
the CPU of 7 warm runs in process), and the prefixes stored by ``dedup archive add DATA``
(which keeps unshared shingles: whole prefixes); then ``--runs`` runs of ``python -m
dedup check DATA --format json`` per revision, interleaved, timed by wall clock and by
the CPU of the child (user + sys, its workers included), and the reports' digests
(byte-identical, or the rule changed a result). Standard library + the package only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

COUNT = r"""
import json, sys
import numpy as np
from typer.testing import CliRunner
import dedup
from dedup.cli import app
from dedup.core import candidates, index

data = sys.argv[1]
seen = {"entries": 0, "calls": 0}

def counting(real):
    def wrapped(*args, **kwargs):
        out = real(*args, **kwargs)
        seen["entries"] += len(out[0])
        seen["calls"] += 1
        return out
    return wrapped

candidates.containment_prefixes = counting(candidates.containment_prefixes)
seen["entries"] = 0
result = CliRunner().invoke(app, ["check", data, "--jobs", "1", "--format", "json"])
stream = seen["entries"]
index.containment_prefixes = counting(index.containment_prefixes)
real = index.containment_candidate_buckets
pairs = {"n": 0}
def counted(*args, **kwargs):
    out = real(*args, **kwargs)
    pairs["n"] += len(out[0])
    return out
index.containment_candidate_buckets = counted
seen["entries"] = 0
texts = [json.loads(line)["text"] for line in open(data, encoding="utf-8") if line.strip()]
report = dedup.find_duplicates(texts, jobs=1)
memory, contained = seen["entries"], pairs["n"]
import time
cpu = []
for _ in range(7):  # warm, in process: no start-up
    t0 = time.process_time()
    dedup.find_duplicates(texts, jobs=1)
    cpu.append(time.process_time() - t0)
cpu.sort()
import os, tempfile
from dedup.archive import open_archive
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "a.db")
    added = CliRunner().invoke(app, ["archive", "add", db, data])
    assert added.exit_code == 0, added.stderr
    store = open_archive(db)
    archived = [(len(p.prefix), len(p.hashes)) for p in store.paragraphs()]
    store.close()
print(json.dumps({
    "archive_prefix_entries": sum(k for k, _ in archived),
    "archive_shingle_entries": sum(n for _, n in archived),
    "stream_prefix_entries": stream,
    "memory_prefix_entries": memory,
    "dedup": dedup.__file__,
    "memory_containment_candidates": contained,
    "memory_review": len(report.review),
    "memory_cpu_median_s": round(cpu[3], 3),
    "memory_cpu_s": [round(x, 3) for x in cpu],
    "check_exit": result.exit_code,
}))
"""


def extract(rev: str, into: Path) -> Path:
    """Extract ``dedup/`` of ``rev`` into ``into``; return it (a PYTHONPATH)."""
    into.mkdir(parents=True)
    blob = subprocess.run(
        ["git", "archive", "--format=tar", rev, "dedup"], cwd=REPO, check=True, capture_output=True
    ).stdout
    tar = into / "src.tar"
    tar.write_bytes(blob)
    with tarfile.open(tar) as t:
        t.extractall(into, filter="data")
    tar.unlink()
    return into


def env_for(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1", "PYTHONHASHSEED": "0"}


def timed(tree: Path, data: str) -> tuple[float, float, str]:
    """Run ``dedup check DATA --format json`` once: wall, child CPU, report digest."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "dedup", "check", data, "--format", "json"],
        env=env_for(tree),
        cwd=tree,  # -m and -c put the working directory first on sys.path
        capture_output=True,
        check=False,
    ).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(out).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", default=str(REPO / "tests" / "data" / "reuters-400.jsonl"))
    args = parser.parse_args()
    args.data = str(Path(args.data).resolve())
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        revs = [args.before, args.after]
        trees = {rev: extract(rev, Path(tmp) / str(n)) for n, rev in enumerate(revs)}
        for rev, tree in trees.items():
            counts = subprocess.run(
                [sys.executable, "-c", COUNT, args.data],
                env=env_for(tree),
                cwd=tree,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            print(rev, counts.strip())
        times: dict[str, list[tuple[float, float, str]]] = {rev: [] for rev in trees}
        for _ in range(args.runs):
            for rev, tree in trees.items():
                times[rev].append(timed(tree, args.data))
        for rev, runs in times.items():
            walls = [w for w, _, _ in runs]
            cpus = [c for _, c, _ in runs]
            digests = sorted({d for _, _, d in runs})
            print(
                f"{rev}: wall median {statistics.median(walls):.2f} s "
                f"({', '.join(f'{w:.2f}' for w in walls)}); CPU median "
                f"{statistics.median(cpus):.2f} s ({', '.join(f'{c:.2f}' for c in cpus)}); "
                f"report sha256 {', '.join(digests)}"
            )
    print(f"load average at end: {os.getloadavg()}")
    print(json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
