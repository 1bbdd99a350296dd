"""Benchmark ``dedup check`` on generated Markdown docs trees, side by side with jscpd.

Usage: ``python benchmarks/bench_check.py [--sizes 500,2000,5000] [--tree DIR] [--runs 5]``.
Trees come from ``benchmarks/make_docs_tree.py`` (seeded, Reuters paragraphs); ``--tree``
benchmarks an existing tree instead of generating the ``--files`` one. jscpd is optional:
``npm install --prefix /tmp/jscpd-bench jscpd@5.3.2``. Standard library + the package only.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from results import write_results  # benchmarks/results.py, beside this script

REPO = Path(__file__).resolve().parent.parent
CORPUS = (REPO / ".." / "shared" / "corpora" / "reuters21578.jsonl").resolve()
_EXE = Path(sys.executable).with_name("dedup")
DEDUP = [str(_EXE)] if _EXE.exists() else [sys.executable, "-m", "dedup"]
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
JSCPD_HINT = "npm install --prefix /tmp/jscpd-bench jscpd@5.3.2"
JSCPD_DEFAULT = Path("/tmp/jscpd-bench/node_modules/.bin/jscpd")
#: jscpd settings: its defaults (a clone spans >= 5 lines and >= 50 tokens), paragraph-sized.
JSCPD_RUNS = {"jscpd": [], "jscpd -l 1 -k 20": ["--min-lines", "1", "--min-tokens", "20"]}
#: (label, "module" or "module:Class", attribute, depth) of each stage timed in-process.
STAGES = [
    ("discover files (discover.discover)", "dedup.inputs.discover", "discover", 0),
    ("read files (reader.read_document)", "dedup.inputs.reader", "read_document", 0),
    ("**check.run_check**", "dedup.check.findings", "run_check", 0),
    ("per-document work (prepare.prepare_all)", "dedup.core.prepare", "prepare_all", 1),
    ("Markdown parsing (segment.segment)", "dedup.text.segment", "segment", 2),
    ("tokenise (normalize.tokens, all callers)", "dedup.text.normalize", "tokens", 2),
    ("shingles (normalize.shingles, all callers)", "dedup.text.normalize", "shingles", 2),
    ("hash shingles (sketch.shingle_hashes)", "dedup.core.sketch", "shingle_hashes", 2),
    ("MinHash signatures (sketch.signatures)", "dedup.core.sketch", "signatures", 2),
    ("exact classes (_Engine._fingerprint)", "dedup.engines.pipeline:_Engine", "_fingerprint", 1),
    ("candidates: short (small_set_candidates)", "dedup.core.index", "small_set_candidates", 1),
    ("candidates: LSH bands (jaccard_candidates)", "dedup.core.index", "jaccard_candidates", 1),
    ("candidates: containment", "dedup.core.index", "containment_candidates", 1),
    ("verification (_Engine._verify)", "dedup.engines.pipeline:_Engine", "_verify", 1),
    ("groups (group.resolve_groups)", "dedup.core.group", "resolve_groups", 1),
    ("findings (check.findings_of)", "dedup.check.findings", "findings_of", 1),
    ("render JSON (check_formats.render)", "dedup.writers.check_formats", "render", 0),
]


def stage_mode(tree: str, out: str) -> None:
    """Run ``dedup check TREE -q -j 1 -f json`` in this process, timing each stage."""
    start = time.perf_counter()
    from dedup import cli

    imported = time.perf_counter() - start
    spent: dict[str, float] = {}
    for label, where, name, _ in STAGES:
        module, _, cls = where.partition(":")
        owner = importlib.import_module(module)
        owner = getattr(owner, cls) if cls else owner
        func = getattr(owner, name)

        def timed(*a: Any, _f: Any = func, _k: str = label, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                spent[_k] = spent.get(_k, 0.0) + time.perf_counter() - t

        for obj in [owner, *(m for n, m in sys.modules.items() if n.startswith("dedup"))]:
            for attr in [a for a, v in vars(obj).items() if v is func]:  # + import aliases
                setattr(obj, attr, timed)
    sys.argv = ["dedup", "check", tree, "-q", "-j", "1", "-f", "json"]
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
        with contextlib.suppress(SystemExit):
            cli.main()
    total = time.perf_counter() - start
    Path(out).write_text(json.dumps({"imports": imported, "total": total, **spent}))


def run(cmd: list[str], stdout: Path) -> tuple[float, float, float]:
    """Run ``cmd``; return wall s, CPU s (user + sys, children included), peak RSS MiB."""
    with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as err:
        full = [GNU_TIME, "-o", rss.name, "-f", "%M", *cmd] if GNU_TIME else cmd
        with stdout.open("wb") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(full, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1 = repeats found
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)}: {err.read().decode(errors='replace')}")
        kib = int(Path(rss.name).read_text().split()[-1]) if GNU_TIME else usage.ru_maxrss
    return wall, usage.ru_utime + usage.ru_stime, kib / 1024


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} ({min(times):.2f}-{max(times):.2f})"


def bench_tree(
    tree: Path, runs: int, jscpd: str | None, work: Path
) -> tuple[str, list[str], dict[str, float]]:
    """Time each tool on ``tree``, runs interleaved; return wall row, detail rows, medians."""
    cmds = {f"dedup -j {j}": [*DEDUP, "check", str(tree), "-q", "-j", str(j)] for j in (1, 2)}
    cmds = {k: [*c, "-f", "json"] for k, c in cmds.items()}
    for i, (name, flags) in enumerate(JSCPD_RUNS.items() if jscpd else []):
        out = ["--reporters", "json", "--output", str(work / f"jscpd{i}"), str(tree)]
        cmds[name] = [str(jscpd), "--format", "markdown", "--silent", *flags, *out]
    got: dict[str, list[tuple[float, float, float]]] = {k: [] for k in cmds}
    outs: list[bytes] = []
    for _ in range(runs):
        for name, cmd in cmds.items():
            got[name].append(run(cmd, work / "stdout"))
            outs += [(work / "stdout").read_bytes()] if name.startswith("dedup") else []
    summary = json.loads(outs[0])["summary"]
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(summary["by_kind"].items()))
    found = {k: f"{summary['duplicates']:,} repeated paragraphs ({kinds})" for k in cmds}
    for i, name in enumerate(JSCPD_RUNS if jscpd else []):
        total = json.loads((work / f"jscpd{i}" / "jscpd-report.json").read_text())
        c = total["statistics"]["total"]
        found[name] = f"{c['clones']:,} clones, {c['duplicatedLines']:,} duplicated lines"
    files = sum(1 for _ in tree.rglob("*.md"))
    mib = sum(f.stat().st_size for f in tree.rglob("*.md")) / 2**20
    wall = f"{files:,}|{summary['paragraphs']:,}|{mib:.2f}|"
    wall += "|".join(fmt([r[0] for r in got[k]]) for k in cmds)
    wall += "|" + ("yes" if all(o == outs[0] for o in outs) else "**NO**")
    detail = [
        f"{files:,}|{k}|{fmt([r[1] for r in v])}|{max(r[2] for r in v):.0f}|{found[k]}"
        for k, v in got.items()
    ]
    return wall, detail, {k: statistics.median(r[0] for r in v) for k, v in got.items()}


def stages(tree: Path, work: Path) -> tuple[dict[str, float], float]:
    """Return stage seconds (in-process timers, ``--stage-mode``) and the process's wall s."""
    out, start = work / "stages.json", time.perf_counter()
    subprocess.run([sys.executable, __file__, "--stage-mode", str(tree), str(out)], check=True)
    return json.loads(out.read_text()), time.perf_counter() - start


def snapshot(dest: Path) -> str:
    """Extract the committed ``dedup`` (HEAD) into ``dest``, put it first on PYTHONPATH."""
    git = ["git", "-C", str(REPO)]
    rev = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    tar = subprocess.run([*git, "archive", rev.stdout.strip(), "dedup"], capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        archive.extractall(dest, filter="data")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(dest), os.getenv("PYTHONPATH")]))
    return rev.stdout.strip()


def machine(commit: str) -> list[str]:
    model = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    vers = {p: metadata.version(p) for p in ("numpy", "datasketch", "markdown-it-py", "xxhash")}
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; dedup as committed at {commit}",
        f"- CPU: {model.group(1) if model else '?'}; nproc {os.cpu_count()}; "
        f"load average {os.getloadavg()[0]:.2f} at start",
        f"- Python {platform.python_version()}; " + ", ".join(f"{k} {v}" for k, v in vers.items()),
    ]


def table(head: str, rows: list[str]) -> str:
    cells = head.count("|") + 1
    out = [f"| {head.replace('|', ' | ')} |", "|" + "---|" * cells]
    return "\n".join(out + [f"| {r.replace('|', ' | ')} |" for r in rows])


def breakdown(spent: dict[str, float], wall: float) -> list[str]:
    """Return table rows: stage, seconds, % of the whole run's wall time."""
    top = sum(spent.get(label, 0.0) for label, *_, depth in STAGES if depth == 0)
    rows = [
        ("interpreter start-up and exit (wall - in-process)", wall - spent["total"]),
        ("imports (`from dedup import cli`)", spent["imports"]),
        ("typer, configuration, stdout (the rest)", spent["total"] - spent["imports"] - top),
        *((("&nbsp;" * 4 * d) + lab, spent.get(lab, 0.0)) for lab, *_, d in STAGES),
        ("**whole run**", wall),
    ]
    return [f"{lab}|{s:.3f}|{100 * s / wall:.1f}" for lab, s in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,5000", help="files per generated tree")
    ap.add_argument("--files", type=int, default=2000, help="the headline tree (one of --sizes)")
    ap.add_argument("--tree", type=Path, help="benchmark this tree as the headline instead")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per command")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--jscpd", help=f"jscpd executable (default: PATH, then {JSCPD_DEFAULT})")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS-check.md")
    ap.add_argument("--stage-mode", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage_mode:
        return stage_mode(*args.stage_mode)
    jscpd = args.jscpd or shutil.which("jscpd") or (JSCPD_DEFAULT.exists() and str(JSCPD_DEFAULT))
    if not jscpd:
        print(f"jscpd not found, so it is skipped; to install it: {JSCPD_HINT}", file=sys.stderr)
    ver = subprocess.run([jscpd, "--version"], capture_output=True, text=True) if jscpd else None
    jver = ver.stdout.strip() if ver else "jscpd: not installed, so not timed"
    walls, details, medians = list[str](), list[str](), dict[int, dict[str, float]]()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        work = Path(tmp)
        about = "\n".join([*machine(snapshot(work / "src")), f"- {jver}"])
        start = [run([*DEDUP, "--version"], Path(os.devnull))[0] for _ in range(args.runs)]
        for n in sorted({args.files, *(int(s) for s in args.sizes.split(",") if s)}):
            tree = args.tree if args.tree and n == args.files else work / f"files-{n}"
            if not tree.exists():
                gen = [sys.executable, str(REPO / "benchmarks" / "make_docs_tree.py"), str(tree)]
                subprocess.run([*gen, "--files", str(n), "--corpus", str(args.corpus)], check=True)
            wall, detail, medians[n] = bench_tree(tree, args.runs, jscpd or None, work)
            walls, details = [*walls, wall], [*details, *detail]
        stage_rows = breakdown(*stages(args.tree or work / f"files-{args.files}", work))
    j1, j2 = medians[args.files]["dedup -j 1"], medians[args.files]["dedup -j 2"]
    end = f" at start, {os.getloadavg()[0]:.2f} at end"
    tools = "|".join(["dedup -j 1", "dedup -j 2", *(JSCPD_RUNS if jscpd else [])])
    text = f"""# `dedup check` benchmark: generated Markdown docs trees

{about.replace(" at start", end)}

Reproduce from the repository root (jscpd is optional):

```sh
{JSCPD_HINT}
python benchmarks/bench_check.py --sizes {args.sizes} --runs {args.runs}
```

Timed: `dedup check TREE -q -j N -f json > out.json` and `jscpd --format markdown --silent
[-l 1 -k 20] --reporters json --output DIR TREE`, {args.runs} runs each in fresh processes,
interleaved run by run: median (min-max). `-j 2` is the default (all cores) here.
Start-up alone, `dedup --version`: {fmt(start)} s.

### Wall time, seconds

{table(f"files|paragraphs|MiB|{tools}|dedup -j 1 output = -j 2", walls)}

### CPU s (user + sys, all processes), peak RSS (largest process, `/usr/bin/time %M`), found

{table("files|tool|CPU s|peak RSS MiB|found", details)}

## Target: "2,000 Markdown files checked in a few seconds"

**{"Met" if min(j1, j2) <= 5 else "Not met"}** (a few seconds taken as at most 5 s): \
{args.files:,} files take {j1:.2f} s with `-j 1` and {j2:.2f} s with `-j 2`, of which about \
{statistics.median(start):.2f} s is start-up.

## Where the time goes: `dedup check` on {args.files:,} files, `-j 1`

One run in a fresh process (`bench_check.py --stage-mode TREE OUT`: the CLI, with perf_counter
wrappers around each stage). Indented rows are inside the row above; "all callers" rows also
count calls from verification and findings.

{table("stage|seconds|% of wall", stage_rows)}
"""
    print(text, file=sys.stderr)
    write_results(args.out, text)


if __name__ == "__main__":
    main()
