"""Benchmark ``dedup check`` on Markdown trees against Reuters JSONL and jscpd, in one run.

Usage: ``python benchmarks/bench_markdown.py [--before main] [--runs 1] [--shared DIR]``.

For each tree (a generated one of the shape of issue 14: 3,088 files, about 146,000
paragraphs, from ``make_docs_tree.py``; the shared vue and uv docs trees) it runs, one
after another: ``dedup check`` of the ``--before`` revision, ``dedup check`` of HEAD (each
extracted with ``git archive`` and run with ``python -m dedup``), and jscpd with its
defaults (``npm install --prefix /tmp/jscpd jscpd``; skipped with a note if missing). It
records wall and CPU seconds (user + sys of the child), the paragraphs dedup reads, and
CPU per paragraph next to the same figure on the Reuters JSONL corpus. Results go to
``benchmarks/RESULTS-markdown.md``. Standard library only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = (REPO / ".." / "shared" / "corpora").resolve()
JSCPD = Path("/tmp/jscpd/node_modules/.bin/jscpd")
JSCPD_HINT = "npm install --prefix /tmp/jscpd jscpd"
#: The generated tree: issue 14's real tree had 3,088 files and 145,003 paragraphs.
FILES, PER_FILE = 3088, 44


def run(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float, bytes]:
    """Run ``cmd``; return wall s, CPU s (user + sys of the child), stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1 = repeats found
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)}: {err.read().decode(errors='replace')}")
        out.seek(0)
        return wall, usage.ru_utime + usage.ru_stime, out.read()


def extract(rev: str, into: Path) -> Path:
    """Extract ``dedup/`` of git revision ``rev`` into ``into``; return the folder."""
    into.mkdir(parents=True)
    data = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "dedup"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def dedup_cmd(target: Path) -> list[str]:
    return [sys.executable, "-m", "dedup", "check", str(target), "-q", "-j", "1", "-f", "json"]


def time_dedup(code: Path, target: Path, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU of ``dedup check`` from ``code``, and the paragraphs it read."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    # Run from ``code``: ``python -m`` puts the current folder first on the path, so a run
    # from a checkout would time the checkout's dedup whatever PYTHONPATH says.
    got = [run(dedup_cmd(target), env, cwd=code) for _ in range(runs)]
    paragraphs = int(json.loads(got[0][2])["summary"]["paragraphs"])
    return statistics.median(g[0] for g in got), statistics.median(g[1] for g in got), paragraphs


def time_jscpd(tree: Path, work: Path, runs: int) -> tuple[float, float] | None:
    if not JSCPD.exists():
        return None
    cmd = [str(JSCPD), "--format", "markdown", "--silent", "--reporters", "json"]
    got = [run([*cmd, "--output", str(work / "jscpd"), str(tree)]) for _ in range(runs)]
    return statistics.median(g[0] for g in got), statistics.median(g[1] for g in got)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="main", help="git revision timed as 'before'")
    ap.add_argument("--runs", type=int, default=1, help="runs of each command (median)")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared corpora folder")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS-markdown.md")
    args = ap.parse_args()
    args.shared = args.shared.resolve()
    reuters_path = args.shared / "reuters21578.jsonl"
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    before = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", args.before],
        capture_output=True,
        text=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench-md-") as tmp:
        work = Path(tmp)
        codes = {
            f"before ({before})": extract(args.before, work / "before"),
            f"after ({head})": extract("HEAD", work / "after"),
        }
        generated = work / "generated"
        subprocess.run(
            [
                *(sys.executable, str(REPO / "benchmarks" / "make_docs_tree.py"), str(generated)),
                *("--files", str(FILES), "--per-file", str(PER_FILE)),
                *("--corpus", str(reuters_path)),
            ],
            check=True,
            capture_output=True,
        )
        trees = {
            "generated": generated,
            "vue/src (shared)": args.shared / "docs" / "vue" / "src",
            "uv/docs (shared)": args.shared / "docs" / "uv" / "docs",
        }
        rows: list[str] = []
        reuters: dict[str, float] = {}
        for label, code in codes.items():
            wall, cpu, n = time_dedup(code, reuters_path, args.runs)
            reuters[label] = cpu / n
            rows.append(
                f"| Reuters JSONL | dedup {label} | {wall:.2f} | {cpu:.2f} | {n:,} | "
                f"{1000 * cpu / n:.3f} | 1.00 |"
            )
            print(rows[-1], flush=True)
        for name, tree in trees.items():
            files = sum(1 for _ in tree.rglob("*.md"))
            for label, code in codes.items():
                wall, cpu, n = time_dedup(code, tree, args.runs)
                rows.append(
                    f"| {name}, {files:,} .md | dedup {label} | {wall:.2f} | {cpu:.2f} | {n:,} | "
                    f"{1000 * cpu / n:.3f} | {cpu / n / reuters[label]:.2f} |"
                )
                print(rows[-1], flush=True)
            js = time_jscpd(tree, work, args.runs)
            rows.append(
                f"| {name}, {files:,} .md | jscpd | {js[0]:.2f} | {js[1]:.2f} | | | |"
                if js
                else f"| {name} | jscpd | not installed (`{JSCPD_HINT}`) | | | | |"
            )
            print(rows[-1], flush=True)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    table = "\n".join(
        [
            "| tree | tool | wall s | CPU s | paragraphs | CPU ms / paragraph | vs Reuters |",
            "|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    text = f"""# `dedup check` on Markdown trees (issue 14, part 2)

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python benchmarks/bench_markdown.py \
--before {args.before} --runs {args.runs}`; Python {platform.python_version()}, \
{os.cpu_count()} CPUs, load average before the run ended {load}. `dedup check -q -j 1 \
-f json` of each revision (`before` = {before}, `after` = {head}), jscpd with its defaults \
(`--format markdown`). CPU is user + sys of the child process; "vs Reuters" divides CPU per \
paragraph by the same revision's CPU per paragraph on the Reuters JSONL corpus (the target: \
at most 1.5).

{table}
"""
    # The notes under the table (sections that start with "## ") are kept from the old file.
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    notes = old[old.index("\n## ") :] if "\n## " in old else ""
    args.out.write_text(text + notes, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
