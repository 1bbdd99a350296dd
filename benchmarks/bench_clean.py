"""Benchmark ``dedup clean``: start-up, in-process work, CLI wall time, peak RSS, hot spots.

Usage: ``python benchmarks/bench_clean.py [--corpus PATH] [--out benchmarks/RESULTS-clean.md]``.
Inputs: the seed, and one-document slices of the Reuters-21578 JSONL corpus (the ``text`` of
the first N articles joined by blank lines) plus the whole corpus (``--no-full`` skips it).
Standard library + the installed package only.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import inspect
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from results import write_results  # benchmarks/results.py, beside this script

import dedup

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "ukraine-live-blog.txt"
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpora" / "reuters21578.jsonl"
_EXE = Path(sys.executable).with_name("dedup")
DEDUP = [str(_EXE)] if _EXE.exists() else [sys.executable, "-m", "dedup"]

VERSION = "`dedup --version` (interpreter + all CLI imports)"
STARTUP = {
    "`python -c pass` (interpreter alone)": [sys.executable, "-c", "pass"],
    "`python -c 'import datasketch'` (pulls in scipy)": [sys.executable, "-c", "import datasketch"],
    "`python -c 'import dedup'` (library import)": [sys.executable, "-c", "import dedup"],
    VERSION: [*DEDUP, "--version"],
}
FIRST_CALL = """import sys, time, dedup
doc = dedup.read_document(sys.argv[1])
start = time.perf_counter()
dedup.clean([doc])
print(time.perf_counter() - start)
"""
#: (label, module:function) whose cProfile cumulative time is reported; a function
#: the installed dedup no longer has is shown as "n/a". Indented rows are inside the row above.
STAGES: list[tuple[str, str]] = [
    ("**dedup.clean (total)**", "dedup.engines.pipeline:clean"),
    ("prepare: segment, tokenise, hash, sign", "dedup.core.prepare:prepare_all"),
    ("  segment", "dedup.text.segment:segment"),
    ("  tokenise (normalize.tokens, all callers)", "dedup.text.normalize:tokens"),
    ("  shingles (normalize.shingles, all callers)", "dedup.text.normalize:shingles"),
    ("  hash shingles (sketch.shingle_hashes)", "dedup.core.sketch:shingle_hashes"),
    ("  MinHash signatures (sketch.signatures)", "dedup.core.sketch:signatures"),
    ("exact classes (_Engine._fingerprint)", "dedup.engines.pipeline:_Engine._fingerprint"),
    ("LSH parameters (index.lsh_params, cached)", "dedup.core.index:lsh_params"),
    ("small-set candidates (index.small_set_candidates)", "dedup.core.index:small_set_candidates"),
    ("LSH banding candidates (index.jaccard_candidates)", "dedup.core.index:jaccard_candidates"),
    (
        "containment candidates (index.containment_candidates)",
        "dedup.core.index:containment_candidates",
    ),
    ("verify candidates (_Engine._verify)", "dedup.engines.pipeline:_Engine._verify"),
    ("  Verifier.relate (all callers)", "dedup.core.group:Verifier.relate"),
    ("group.resolve_groups", "dedup.core.group:resolve_groups"),
    ("group.resolve_contained", "dedup.core.group:resolve_contained"),
    ("review pairs (_Engine._review)", "dedup.engines.pipeline:_Engine._review"),
    ("Report groups (_Engine._groups)", "dedup.engines.pipeline:_Engine._groups"),
    ("cut text (pipeline.cleaned_documents)", "dedup.engines.pipeline:cleaned_documents"),
]


def resolve(name: str) -> Any:
    """Return the function named ``module:attr`` (unwrapped from caches), or None if gone."""
    module, _, attr = name.partition(":")
    try:
        obj: Any = importlib.import_module(module)
    except ImportError:
        return None
    for part in attr.split("."):
        obj = getattr(obj, part, None)
    return inspect.unwrap(obj) if obj is not None else None


HEAD = (
    "input|MiB|paragraphs|work s|range s|work CPU s|para/s|CLI s|CLI CPU s|RSS MiB|removed|"
    "cand.|review|CLI = lib"
)


#: median in-process s, median CLI wall s, median CLI CPU s, table row of the HEAD columns
Result = tuple[float, float, float, str]


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; return wall seconds, and CPU seconds and peak RSS MiB from ``os.wait4``."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):  # 1 = repeats found
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)}: {err.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux: KiB


def first_call(path: Path, runs: int) -> list[float]:
    """Return seconds of the first ``dedup.clean`` call in each of ``runs`` fresh processes."""
    cmd = [sys.executable, "-c", FIRST_CALL, str(path)]
    return [float(subprocess.run(cmd, check=True, capture_output=True).stdout) for _ in range(runs)]


def startup(runs: int) -> dict[str, list[tuple[float, float, float]]]:
    """Return (wall s, CPU s, RSS MiB) of ``runs`` runs of each start-up command."""
    return {k: [run(cmd) for _ in range(runs)] for k, cmd in STARTUP.items()}


def bench(
    name: str, path: Path, runs: int, work: Path, cli_runs: int = 1, warm: bool = True
) -> Result:
    """Time ``dedup.clean`` in-process (warm-up + ``runs``) and ``dedup clean`` as a CLI."""
    doc = dedup.read_document(str(path))
    settings = dedup.Settings()
    if warm:  # caches (permutations, markdown parser), page-ins
        dedup.clean([doc], settings)
    times: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        [cleaned], report = dedup.clean([doc], settings)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    out, notes = work / f"{path.stem}.out.txt", work / f"{path.stem}.notes.json"
    cmd = [*DEDUP, "clean", str(path), "-o", str(out), "--notes", str(notes), "-q"]
    cli = [run(cmd) for _ in range(cli_runs)]
    cli_s, cli_cpu = statistics.median(c[0] for c in cli), statistics.median(c[1] for c in cli)
    rss = max(c[2] for c in cli)
    kinds = Counter(m.kind.value for m in report.removals)
    noted = json.loads(notes.read_text(encoding="utf-8"))["summary"]["removed_by_kind"]
    same = out.read_bytes() == cleaned.encode() and noted == dict(kinds)
    work_s, paras = statistics.median(times), report.paragraph_count
    removed = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"
    row = (
        f"{name}|{path.stat().st_size / 2**20:.2f}|{paras:,}|{work_s:.3f}|{min(times):.3f}-"
        f"{max(times):.3f}|{statistics.median(cpus):.3f}|{paras / work_s:,.0f}|{cli_s:.2f}|"
        f"{cli_cpu:.2f}|{rss:.0f}|{removed}|"
        f"{report.candidates:,}|{len(report.review):,}|{'yes' if same else '**NO**'}"
    )
    print(f"{name}: {work_s:.3f} s", file=sys.stderr)
    return work_s, cli_s, cli_cpu, row


def breakdown(path: Path) -> list[tuple[int, float] | None]:
    """Profile one ``dedup.clean`` run; return (calls, cumulative seconds) per stage."""
    doc = dedup.read_document(str(path))
    prof = cProfile.Profile()
    prof.runcall(dedup.clean, [doc], dedup.Settings())
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(prof).stats  # type: ignore[attr-defined]

    def cum(func: Any) -> tuple[int, float] | None:
        if not hasattr(func, "__code__"):
            return None
        code = func.__code__
        row = stats.get((code.co_filename, code.co_firstlineno, code.co_name))
        return (row[1], row[3]) if row else (0, 0.0)

    return [cum(resolve(name)) for _, name in STAGES]


def write_slice(corpus: Path, n: int | None, work: Path) -> tuple[Path, int]:
    """Join the ``text`` of the first ``n`` articles (all if None) into one plain-text file."""
    texts: list[str] = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            if n is not None and len(texts) >= n:
                break
            texts.append(json.loads(line)["text"].strip("\n"))
    path = work / f"reuters-{n or 'all'}.txt"
    path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return path, len(texts)


def machine() -> list[str]:
    model = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    cpu = model.group(1) if model else "unknown"
    vers = {p: metadata.version(p) for p in ("numpy", "datasketch", "xxhash", "dedup-paragraphs")}
    cmd = ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]
    git = subprocess.run(cmd, check=False, capture_output=True, text=True).stdout.strip()
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit {git or '?'}",
        f"- CPU: {cpu}; nproc {os.cpu_count()}; load average {os.getloadavg()[0]:.2f} at start",
        f"- Python {platform.python_version()} ({platform.system()} {platform.machine()})",
        "- " + ", ".join(f"{k} {v}" for k, v in vers.items()),
        f"- dedup imported from `{Path(dedup.__file__).parent}`",
    ]


def cells(stage: tuple[int, float] | None, total: tuple[int, float] | None) -> str:
    """Return the calls, seconds and share cells of one profiled stage."""
    if stage is None or total is None:
        return "|n/a|n/a|n/a"
    return f"|{stage[0]:,}|{stage[1]:.3f}|{100 * stage[1] / total[1]:.1f}"


def table(head: str, rows: list[str]) -> list[str]:
    """Return a Markdown table; the header and each row are cells joined by ``|``."""
    return [f"| {head.replace('|', ' | ')} |", "|" + "---|" * (head.count("|") + 1)] + [
        f"| {r.replace('|', ' | ')} |" for r in rows
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS-clean.md")
    ap.add_argument("--sizes", default="1000,5000", help="articles per slice, comma-separated")
    ap.add_argument("--runs", type=int, default=7, help="timed runs for the seed (after warm-up)")
    ap.add_argument("--slice-runs", type=int, default=3, help="timed runs per slice")
    ap.add_argument("--profile", type=int, default=5000, help="slice to profile (one of --sizes)")
    ap.add_argument(
        "--full", action=argparse.BooleanOptionalAction, default=True, help="whole corpus too"
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    lines = ["# `dedup clean` benchmark", "", *machine(), ""]
    lines += ["Reproduce: `python benchmarks/bench_clean.py` (from the repository root)", ""]
    print("\n".join(lines))

    starts = startup(args.runs)
    version = statistics.median(r[0] for r in starts[VERSION])
    version_cpu = statistics.median(r[1] for r in starts[VERSION])
    firsts = first_call(SEED, args.runs)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-clean-") as tmp:
        work = Path(tmp)
        results.append(bench("seed ukraine-live-blog.txt", SEED, args.runs, work, args.runs))
        slices = [*sizes, None] if args.full else sizes
        for n in slices:
            path, got = write_slice(args.corpus.resolve(), n, work)
            runs = args.slice_runs if n is not None else 1
            name = f"Reuters, {got:,} articles"
            results.append(bench(name, path, runs, work, warm=n is not None))
        profiled = [p for p in (SEED, work / f"reuters-{args.profile}.txt") if p.exists()]
        profiles = [breakdown(p) for p in profiled]

    seed_work, seed_cli, seed_cpu, _ = results[0]
    end = f" at start, {os.getloadavg()[0]:.2f} at end"
    lines = [ln.replace(" at start", end) for ln in lines]
    lines += [f"## Start-up ({args.runs} runs each)", ""]
    rows = [
        f"{k}|{statistics.median(r[0] for r in v):.3f}|{min(r[0] for r in v):.3f}|"
        f"{statistics.median(r[1] for r in v):.3f}|{max(r[2] for r in v):.0f}"
        for k, v in starts.items()
    ]
    lines += table("command|median wall s|min wall s|median CPU s|RSS MiB", rows)
    lines += ["", "## `dedup clean`", ""]
    lines += [
        f"work = median of `dedup.clean` in-process after one warm-up ({args.runs} runs for the "
        f"seed, {args.slice_runs} per slice, one cold run for a whole corpus). CLI = `dedup "
        f"clean FILE -o OUT --notes NOTES.json -q` via subprocess (median of {args.runs} for the "
        "seed, one run per slice). CPU = user + system seconds of the process (in-process: "
        "`time.process_time`), less disturbed than wall time when other work shares the "
        "cores. RSS = peak resident set of the CLI process, from `os.wait4`. CLI = lib: "
        "the CLI wrote the same bytes and removal counts as the in-process run.",
        "",
    ]
    lines += table(HEAD, [r[3] for r in results])
    first = statistics.median(firsts)
    lines += [
        "",
        '## Target: "The seed must clean in well under a second of work after start-up"',
        "",
        f"**{'Met' if first <= 0.5 else 'Not met'}** (well under a second taken as at most "
        f"0.5 s): the first `dedup.clean` call in a fresh process, after imports, takes "
        f"{first * 1000:.0f} ms on the seed (median of {len(firsts)}, range "
        f"{min(firsts) * 1000:.0f}-{max(firsts) * 1000:.0f} ms); warm, {seed_work * 1000:.0f} "
        f"ms. The whole CLI run takes {seed_cli:.2f} s wall / {seed_cpu:.2f} s CPU, of which "
        f"start-up (`dedup --version`) is {version:.2f} s / {version_cpu:.2f} s, leaving "
        f"{(seed_cli - version) * 1000:.0f} ms wall / {(seed_cpu - version_cpu) * 1000:.0f} ms "
        "CPU for reading, cleaning and writing.",
    ]
    names = " and ".join(f"`{p.name}`" for p in profiled)
    lines += ["", f"## Where the time goes: cProfile of one warm run each on {names}", ""]
    lines += [
        "Cumulative seconds under cProfile, which inflates Python-heavy code: read the shares. "
        "Indented rows are inside the row above or, where marked, summed over all callers; "
        "calls 0 = not reached with the default settings (or served from a cache).",
        "",
    ]
    head = "stage" + "".join(f"|calls {p.stem}|cum s|%" for p in profiled)
    rows = [
        label.replace("  ", "&nbsp;&nbsp;") + "".join(cells(st[i], st[0]) for st in profiles)
        for i, (label, _) in enumerate(STAGES)
    ]
    lines += table(head, rows)
    text = "\n".join(lines) + "\n"
    print(text[text.index("## Start-up") :])
    write_results(args.out, text)


if __name__ == "__main__":
    main()
