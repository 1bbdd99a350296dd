"""Benchmark the start of a small ``dedup check`` side by side with ``import numpy``.

Usage: ``python benchmarks/bench_start.py [--runs 10] [--before main] [--file seeds/...]``.
A pre-commit hook checks a handful of files: what counts is the fixed cost of a run. The
commands run round-robin (one run of each in turn, so a busy machine slows them all
alike): ``python -c "import numpy"``, ``dedup check FILE`` of HEAD and of ``--before``
(both extracted with ``git archive`` and compiled to bytecode first, as an installed
package is), and jscpd on the same file when ``npx --no-install jscpd`` works (skipped
with a note if not). Writes ``benchmarks/RESULTS-start.md``. Standard library only.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from results import write_results  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "RESULTS-start.md"
#: The target of the issue: a one-file check within this many times ``import numpy``.
TARGET_RATIO = 3.0


def extract(rev: str, into: Path) -> Path:
    """Extract ``dedup/`` of git revision ``rev`` into ``into`` and compile it."""
    into.mkdir(parents=True)
    data = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "dedup"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into)], check=True)
    return into


def commit(rev: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Return wall seconds, CPU seconds (user + system) and the exit code of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def jscpd_command(target: Path) -> list[str] | None:
    """Return a jscpd command for ``target`` if ``npx`` can run an installed jscpd."""
    cmd = ["npx", "--no-install", "jscpd"]
    try:
        ok = subprocess.run([*cmd, "--version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if ok.returncode != 0:
        return None
    return [*cmd, "--silent", "--reporters", "console", str(target)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", default="main", help="git revision to compare with HEAD")
    parser.add_argument("--file", default="seeds/ukraine-live-blog.txt")
    args = parser.parse_args()
    target = (REPO / args.file).resolve()
    # Bytecode is used, as for an installed package (this environment may turn it off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        trees = {
            f"HEAD ({commit('HEAD')})": extract("HEAD", Path(tmp) / "head"),
            f"{args.before} ({commit(args.before)})": extract(args.before, Path(tmp) / "before"),
        }
        py = sys.executable
        runs: dict[str, tuple[list[str], dict[str, str], Path]] = {
            'python -c "import numpy"': ([py, "-c", "import numpy"], env, REPO),
        }
        for label, code in trees.items():
            # Run from ``code``: ``python -m`` puts the current folder first on the path.
            check = [py, "-m", "dedup", "check", str(target)]
            runs[f"dedup check, {label}"] = (check, {**env, "PYTHONPATH": str(code)}, code)
        jscpd = jscpd_command(target)
        if jscpd is not None:
            runs["jscpd"] = (jscpd, env, REPO)
        for cmd, e, cwd in runs.values():  # warm the caches once, untimed
            timed(cmd, e, cwd)
        walls: dict[str, list[float]] = {k: [] for k in runs}
        cpus: dict[str, list[float]] = {k: [] for k in runs}
        codes: dict[str, set[int]] = {k: set() for k in runs}
        for i in range(args.runs):
            names = list(runs)
            names = names[i % len(names) :] + names[: i % len(names)]  # rotate the order
            for name in names:
                wall, cpu, code = timed(*runs[name])
                walls[name].append(wall)
                cpus[name].append(cpu)
                codes[name].add(code)
    base = statistics.median(walls['python -c "import numpy"'])
    rows = [
        "| command | median wall | min wall | median CPU | wall / numpy | exit |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name in runs:
        med = statistics.median(walls[name])
        rows.append(
            f"| {name} | {med * 1000:.0f} ms | {min(walls[name]) * 1000:.0f} ms | "
            f"{statistics.median(cpus[name]) * 1000:.0f} ms | {med / base:.2f}x | "
            f"{','.join(map(str, sorted(codes[name])))} |"
        )
    note = (
        "jscpd: timed with `npx --no-install jscpd --silent --reporters console FILE`."
        if jscpd is not None
        else "jscpd: skipped (`npx --no-install jscpd` is not available here; "
        "`npm install --prefix /tmp/jscpd-bench jscpd@5.3.2` and put it on the PATH)."
    )
    load = os.getloadavg()
    text = "\n".join(
        [
            "# Start-up: a one-file `dedup check` against `import numpy`",
            "",
            f"File: `{args.file}` ({target.stat().st_size:,} bytes). {args.runs} runs of each "
            "command, round-robin, after one untimed warm-up run each; bytecode compiled.",
            f"Target (issue 14): a one-file check within {TARGET_RATIO:.0f}x `import numpy`.",
            "",
            *rows,
            "",
            note,
            "",
            f"Command: `python benchmarks/bench_start.py --runs {args.runs} "
            f"--before {shlex.quote(args.before)} --file {args.file}`",
            "",
            f"Machine: {platform.platform()}, Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
            f"at the end; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
            "",
        ]
    )
    print(text)
    write_results(OUT, text)


if __name__ == "__main__":
    main()
