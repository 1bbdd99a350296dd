"""Benchmark the Dask engine (a 2-worker local cluster) against the local engine on one corpus.

Usage: ``python benchmarks/bench_dask.py [--corpus PATH] [--jobs 2] [--runs 1] [--out FILE]
[--scaling 1,2,4] [--performance-report FILE.html] [--floods 2000,20000]`` (needs
``pip install '.[dask]'``).
Each run is ``dedup check --format json CORPUS -q -j N`` in a subprocess, with and without
``--engine dask``; the script records wall and CPU time, the peak RSS of the client
process, of the largest worker process and of all of them (sampled every 50 ms over the
process tree; the Dask scheduler runs inside the client process), and whether the two
JSON reports are byte-identical. ``--scaling`` runs both engines again with each number
of workers (jobs); ``--floods`` on floods of near-identical records of those sizes
(``make_flood.py``). A last in-process run of the Dask engine times its stages, inside
``distributed.performance_report`` when ``--performance-report`` names a file (that needs
``pip install bokeh``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import make_flood  # benchmarks/make_flood.py, beside this script
import psutil
from results import write_results  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parent.parent
CORPUS = (REPO / ".." / "shared" / "corpora" / "reuters21578.jsonl").resolve()
_EXE = Path(sys.executable).with_name("dedup")
DEDUP = [str(_EXE)] if _EXE.exists() else [sys.executable, "-m", "dedup"]
#: Stages timed in-process: connecting (starting the local cluster), the engine's steps
#: (``_load`` reads and prepares on the workers; ``_fetch`` gets compare texts, then
#: paragraphs) and ``decide`` (verification and groups, on the client).
STAGES = ["connect", "_plan", "_load", "_inputs", "_classes", "_candidates", "_fetch", "decide"]


def measure(cmd: list[str], stdout: Path) -> dict[str, float]:
    """Run ``cmd``; return wall s, CPU s (the whole tree), peak RSS MiB of client and workers."""
    with stdout.open("wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = psutil.Popen(cmd, stdout=out, stderr=err)
        peaks = {"client": 0.0, "worker": 0.0, "workers": 0.0, "tree": 0.0}
        cpu: dict[int, float] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                try:
                    kids = proc.children(recursive=True)
                    client = proc.memory_info().rss
                    cpu[proc.pid] = sum(proc.cpu_times()[:2])
                except psutil.Error:
                    break
                workers = 0
                for k in kids:
                    try:
                        rss = k.memory_info().rss
                        cpu[k.pid] = sum(k.cpu_times()[:2])
                    except psutil.Error:
                        continue
                    workers += rss
                    peaks["worker"] = max(peaks["worker"], rss / 2**20)
                peaks["client"] = max(peaks["client"], client / 2**20)
                peaks["workers"] = max(peaks["workers"], workers / 2**20)
                peaks["tree"] = max(peaks["tree"], (client + workers) / 2**20)
                time.sleep(0.05)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        done.set()
        thread.join()
        if code not in (0, 1):  # 1 = repeats found
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)}: {err.read().decode(errors='replace')}")
    return {"wall": wall, "cpu": sum(cpu.values()), **peaks}


def stages(corpus: str, jobs: int, report: str | None) -> dict[str, float]:
    """Run the Dask engine in this process, timing each stage (seconds); with ``report``,
    inside ``distributed.performance_report`` writing that file."""
    from contextlib import nullcontext

    from distributed import performance_report

    from dedup.core import group
    from dedup.core.settings import Settings
    from dedup.engines import dask_cluster, dask_engine

    spent: dict[str, float] = {}

    def timed(name: str, func: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return func(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    for name in STAGES[1:-1]:
        setattr(dask_engine._Run, name, timed(name, getattr(dask_engine._Run, name)))
    dask_engine.decide = timed("decide", group.decide)  # type: ignore[assignment]
    t = time.perf_counter()
    with dask_cluster.connect(None, jobs) as client:
        spent["connect"] = time.perf_counter() - t
        t = time.perf_counter()
        with client.as_current(), performance_report(filename=report) if report else nullcontext():
            dask_engine.find_duplicates([corpus], Settings(), client)
        spent["total (without connect)"] = time.perf_counter() - t
    return spent


def machine() -> list[str]:
    versions = {
        name: metadata.version(name)
        for name in ("dedup-paragraphs", "dask", "distributed", "numpy")
    }
    return [
        f"- cpu: {platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        f"- memory: {psutil.virtual_memory().total / 2**30:.1f} GiB",
        f"- python: {platform.python_version()}",
        f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        *(f"- {k}: {v}" for k, v in versions.items()),
    ]


def compare(
    corpus: str, jobs: int, runs: int, work: str
) -> tuple[dict[str, dict[str, float]], bool, dict[str, Any], dict[str, list[str]]]:
    """Run both engines ``runs`` times with ``jobs`` workers; return the median figures,
    whether the reports are byte-identical, the report's summary and the commands."""
    base = [*DEDUP, "check", "--format", "json", corpus, "-q", "-j", str(jobs)]
    cmds = {"local engine": base, "dask engine": [*base, "--engine", "dask"]}
    got: dict[str, list[dict[str, float]]] = {k: [] for k in cmds}
    outputs: dict[str, bytes] = {}
    for _ in range(runs):
        for name, cmd in cmds.items():
            out = Path(work) / "out.json"
            got[name].append(measure(cmd, out))
            outputs.setdefault(name, out.read_bytes())
            if out.read_bytes() != outputs[name]:
                raise RuntimeError(f"{name}: reports differ between runs")
    same = outputs["local engine"] == outputs["dask engine"]
    summary = json.loads(outputs["local engine"])["summary"]
    med = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in got.items()}
    return med, same, summary, cmds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out", default=str(Path(__file__).with_name("RESULTS-dask.md")))
    parser.add_argument("--stages", choices=["yes", "no"], default="yes")
    parser.add_argument("--scaling", default="", help="worker counts, e.g. 1,2,4")
    parser.add_argument("--performance-report", default="", help="HTML file for the stage run")
    parser.add_argument("--floods", default="", help="near-identical flood sizes, e.g. 2000,20000")
    parser.add_argument("--stage-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage_run:
        report = args.performance_report or None
        print(json.dumps(stages(args.corpus, args.jobs, report)))
        return
    info = machine()
    scaling: dict[int, tuple[dict[str, dict[str, float]], bool]] = {}
    floods: dict[int, tuple[dict[str, dict[str, float]], bool]] = {}
    with tempfile.TemporaryDirectory() as work:
        med, same, summary, cmds = compare(args.corpus, args.jobs, args.runs, work)
        for n in [int(x) for x in args.scaling.split(",") if x]:
            found = (med, same) if n == args.jobs else compare(args.corpus, n, 1, work)[:2]
            scaling[n] = (found[0], found[1])
        for n in [int(x) for x in args.floods.split(",") if x]:
            path = Path(work) / f"flood{n}.jsonl"
            make_flood.write(n, path)
            found = compare(str(path), args.jobs, 1, work)
            floods[n] = (found[0], found[1])
    staged: dict[str, float] = {}
    if args.stages == "yes":
        stage_cmd = [
            sys.executable,
            __file__,
            "--stage-run",
            "--corpus",
            args.corpus,
            "--jobs",
            str(args.jobs),
        ]
        if args.performance_report:
            stage_cmd += ["--performance-report", args.performance_report]
        proc = subprocess.run(stage_cmd, capture_output=True, text=True, check=False)
        if proc.returncode:  # keep the figures above; say why the stages are missing
            print(proc.stderr, file=sys.stderr)
        else:
            staged = json.loads(proc.stdout.splitlines()[-1])
    ratio = med["dask engine"]["wall"] / med["local engine"]["wall"]
    command = (
        f"python benchmarks/bench_dask.py --corpus {args.corpus} --jobs {args.jobs} "
        f"--runs {args.runs}"
    )
    if args.scaling:
        command += f" --scaling {args.scaling}"
    if args.performance_report:
        command += f" --performance-report {args.performance_report}"
    if args.floods:
        command += f" --floods {args.floods}"
    lines = [
        "# Dask engine against the local engine",
        "",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Corpus: `{args.corpus}` "
        f"({summary['documents']:,} records, {summary['paragraphs']:,} paragraphs, "
        f"{Path(args.corpus).stat().st_size / 2**20:.1f} MiB).",
        "",
        "## Machine",
        "",
        *info,
        "",
        "## Commands",
        "",
        "```sh",
        command,
        *(f"{' '.join(c)}  # {k}" for k, c in cmds.items()),
        "```",
        "",
        "## Results",
        "",
        f"Median of {args.runs} run(s), end to end (start-up, and for Dask starting and stopping "
        f"a local cluster of {args.jobs} single-threaded worker processes). CPU: user + system "
        "of the whole process tree. RSS: sampled peaks (every 50 ms); `client` is the `dedup` "
        "process (for Dask it also runs the scheduler), `per worker` the largest child "
        "process, `workers` the sum over the child processes (for the local engine: the "
        "forked preparation workers), `total` the peak of the sum of all.",
        "",
        "| engine | wall s | CPU s | client RSS MiB | per worker RSS MiB "
        "| workers RSS MiB | total RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {k} | {v['wall']:.1f} | {v['cpu']:.1f} | {v['client']:.0f} | "
            f"{v['worker']:.0f} | {v['workers']:.0f} | {v['tree']:.0f} |"
            for k, v in med.items()
        ),
        "",
        f"- Dask / local wall time: {ratio:.2f}x.",
        f"- JSON reports byte-identical: {'yes' if same else '**NO**'} "
        f"({summary['groups']:,} groups, {summary['duplicates']:,} repeated paragraphs).",
        f"- Every run of each engine gave the same report: yes ({args.runs} run(s) each).",
    ]
    if scaling:
        lines += [
            "",
            "## Scaling: jobs (local engine) and workers (Dask engine)",
            "",
            "One run each, `-j N` for both engines (a local cluster of N single-threaded "
            "worker processes for Dask).",
            "",
            "| N | local wall s | local RSS MiB | dask wall s | dask CPU s "
            "| dask / local | per worker RSS MiB | dask client RSS MiB | same report |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
            *(
                f"| {n} | {m['local engine']['wall']:.1f} | {m['local engine']['tree']:.0f} "
                f"| {m['dask engine']['wall']:.1f} | {m['dask engine']['cpu']:.1f} "
                f"| {m['dask engine']['wall'] / m['local engine']['wall']:.2f}x "
                f"| {m['dask engine']['worker']:.0f} | {m['dask engine']['client']:.0f} "
                f"| {'yes' if ok else '**NO**'} |"
                for n, (m, ok) in scaling.items()
            ),
        ]
    if floods:
        lines += [
            "",
            "## Floods of near-identical paragraphs",
            "",
            f"`benchmarks/make_flood.py N`: N records of one 30-word sentence, each with its "
            f"own last word. One run each, `-j {args.jobs}`.",
            "",
            "| N | local wall s | local RSS MiB | dask wall s | dask CPU s "
            "| per worker RSS MiB | dask client RSS MiB | same report |",
            "|---:|---:|---:|---:|---:|---:|---:|---|",
            *(
                f"| {n:,} | {m['local engine']['wall']:.1f} | {m['local engine']['tree']:.0f} "
                f"| {m['dask engine']['wall']:.1f} | {m['dask engine']['cpu']:.1f} "
                f"| {m['dask engine']['worker']:.0f} | {m['dask engine']['client']:.0f} "
                f"| {'yes' if ok else '**NO**'} |"
                for n, (m, ok) in floods.items()
            ),
        ]
    if staged:
        lines += [
            "",
            "## Dask engine by stage (one in-process run, seconds)",
            "",
            "| stage | s |",
            "|---|---:|",
            *(f"| {k} | {v:.1f} |" for k, v in staged.items()),
        ]
    write_results(Path(args.out), "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
