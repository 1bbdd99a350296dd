"""How ``dedup check``'s time divides over cores: ``--jobs 1, 2, 4`` on one corpus.

For each ``--jobs`` value (the values interleaved, ``--runs`` rounds), runs ``dedup check
--format json CORPUS --text-field text --jobs N -q`` in a child Python and reports its wall
time, the CPU of the main process (start-up, reading, candidates, verification, the
report; pass 1 too when there are no workers) and of its worker processes (segmenting,
tokenising and signing in pass 1), their sum, the cores busy on average (CPU / wall),
peak RSS of the main process and of the largest worker, and the 1-minute load average
before the run. Every report must be byte-identical to the first one.

    python benchmarks/bench_jobs.py CORPUS [--jobs 1,2,4] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = """
import json, resource, sys
from dedup.cli import main
sys.argv = ["dedup", "check", "--format", "json", sys.argv[1], "--text-field", "text",
            "--jobs", sys.argv[2], "-q"]
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"main": me.ru_utime + me.ru_stime, "workers": kids.ru_utime + kids.ru_stime,
                  "main_rss": me.ru_maxrss / 1024, "worker_rss": kids.ru_maxrss / 1024}),
      file=sys.stderr)
"""


def run(corpus: str, jobs: int) -> dict[str, float | str]:
    """Run one check; return its figures and the report's digest."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, corpus, str(jobs)],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        out.seek(0)
        digest = hashlib.sha256(out.read()).hexdigest()
    figures = json.loads(done.stderr.strip().splitlines()[-1])
    cpu = figures["main"] + figures["workers"]
    return {**figures, "wall": wall, "cpu": cpu, "cores": cpu / wall, "load": load, "sha": digest}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--jobs", default="1,2,4")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    values = [int(j) for j in args.jobs.split(",")]
    found: dict[int, list[dict[str, float | str]]] = {j: [] for j in values}
    for _ in range(args.runs):
        for j in values:
            r = run(args.corpus, j)
            found[j].append(r)
            print(f"--jobs {j}: " + ", ".join(f"{k} {v:.2f}" for k, v in r.items() if k != "sha"))
    digests = {r["sha"] for rs in found.values() for r in rs}
    print(f"\nreports byte-identical: {len(digests) == 1} (sha256 {sorted(digests)[0][:16]})")
    print(
        "\n| --jobs | wall s (median) | CPU s | main process CPU s | workers CPU s | cores busy "
        "| main RSS MiB | largest worker RSS MiB | load before |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for j in values:
        rs = sorted(found[j], key=lambda r: float(r["wall"]))
        m = rs[len(rs) // 2]
        loads = ", ".join(f"{float(r['load']):.1f}" for r in found[j])
        walls = statistics.median(float(r["wall"]) for r in rs)
        print(
            f"| {j} | {walls:.1f} | {m['cpu']:.1f} | {m['main']:.1f} | {m['workers']:.1f} "
            f"| {m['cores']:.2f} | {m['main_rss']:.0f} | {m['worker_rss']:.0f} | {loads} |"
        )


if __name__ == "__main__":
    main()
