"""Side-by-side corpus benchmark: dedup against datasketch, rensa and the hashing floor.

Every method sees the same paragraphs (blank-line blocks of each record's ``text``, or one
per line when a record has no blank line, as dedup splits plain text) and the same
shingle sets (``dedup.normalize.tokens`` + ``dedup.normalize.shingles``, word 3-grams),
128 permutations, threshold 0.8. Each method runs in its own subprocess (this script
re-invoked with ``--method NAME``, or the ``dedup`` CLI) so wall time, CPU time and peak
RSS are per method. Candidates are verified with exact Jaccard on the shingle sets.

Ground truth: every pair of paragraphs with exact Jaccard >= 0.8, found with an inverted
index over shingles restricted by prefix filtering (exact: two sets at Jaccard >= t
always share a shingle among their rarest ``|x| - ceil(t|x|) + 1``) and length filtering.
Precision and recall are at the paragraph level: paragraphs that have a true twin at
>= 0.8 against paragraphs the method flags.

    python benchmarks/bench_corpus.py [--corpus PATH] [--records N] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpora" / "reuters21578.jsonl"
THRESHOLD = 0.8
NUM_PERM = 128
NGRAM = 3
RENSA_BANDS = 16
METHODS = ["floor", "datasketch-textbook", "datasketch-fast", "rensa", "dedup"]


# --------------------------------------------------------------------------- corpus


def records(path: str, limit: int | None) -> Iterator[str]:
    """Yield the ``text`` field of the first ``limit`` records."""
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            if line.strip():
                yield json.loads(line)["text"]


def split_paragraphs(text: str) -> list[str]:
    """Split exactly as dedup splits plain text (its own segmenter, so every method agrees)."""
    from dedup.segment import Lines, text_blocks

    return [block.compare for block in text_blocks(Lines.of(text))]


def load(path: str, limit: int | None) -> tuple[list[set[str]], list[tuple[int, int]]]:
    """Return every paragraph's shingle set and its (record index, 1-based paragraph)."""
    from dedup.normalize import shingles, tokens

    sets: list[set[str]] = []
    where: list[tuple[int, int]] = []
    for r, text in enumerate(records(path, limit)):
        for p, para in enumerate(split_paragraphs(text), start=1):
            sets.append(shingles(tokens(para), NGRAM))
            where.append((r, p))
    return sets, where


def verify(sets: list[set[str]], pairs: Iterator[tuple[int, int]]) -> tuple[set[int], int, int]:
    """Check candidate pairs with exact Jaccard; return flagged paragraphs, checks, hits."""
    flagged: set[int] = set()
    seen: set[tuple[int, int]] = set()
    checks = hits = 0
    for a, b in pairs:
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        if key in seen:
            continue
        seen.add(key)
        x, y = sets[a], sets[b]
        if not x or not y:
            continue
        checks += 1
        inter = len(x & y)
        if inter >= THRESHOLD * (len(x) + len(y) - inter):
            hits += 1
            flagged.add(a)
            flagged.add(b)
    return flagged, checks, hits


# --------------------------------------------------------------------------- methods


def run_floor(corpus: str, limit: int | None) -> dict[str, Any]:
    from xxhash import xxh32_intdigest

    sets, _ = load(corpus, limit)
    acc = 0
    n = 0
    for s in sets:
        for sh in s:
            acc ^= xxh32_intdigest(sh.encode())
            n += 1
    return {"paragraphs": len(sets), "shingles": n, "flagged": [], "checksum": acc}


def lsh_candidates(query: Any, keys: range) -> Iterator[tuple[int, int]]:
    for i in keys:
        for j in query(i):
            yield i, int(j)


def run_textbook(corpus: str, limit: int | None) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    sets, _ = load(corpus, limit)
    keep = [i for i, s in enumerate(sets) if s]
    mhs: dict[int, MinHash] = {}
    for i in keep:
        m = MinHash(num_perm=NUM_PERM)
        for s in sets[i]:
            m.update(s.encode())
        mhs[i] = m
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for i in keep:
        lsh.insert(i, mhs[i])
    pairs = ((i, int(j)) for i in keep for j in lsh.query(mhs[i]))
    flagged, checks, hits = verify(sets, pairs)
    return {"paragraphs": len(sets), "flagged": sorted(flagged), "checks": checks, "pairs": hits}


def run_fast(corpus: str, limit: int | None) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH
    from xxhash import xxh32_intdigest

    sets, _ = load(corpus, limit)
    keep = [i for i, s in enumerate(sets) if s]
    mhs = MinHash.bulk(
        ([s.encode() for s in sets[i]] for i in keep), num_perm=NUM_PERM, hashfunc=xxh32_intdigest
    )
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, m in zip(keep, mhs, strict=True):
            session.insert(i, m)
    pairs = ((i, int(j)) for i, m in zip(keep, mhs, strict=True) for j in lsh.query(m))
    flagged, checks, hits = verify(sets, pairs)
    return {"paragraphs": len(sets), "flagged": sorted(flagged), "checks": checks, "pairs": hits}


def run_rensa(corpus: str, limit: int | None) -> dict[str, Any]:
    import rensa

    sets, _ = load(corpus, limit)
    keep = [i for i, s in enumerate(sets) if s]
    mhs = rensa.RMinHash.from_token_sets([list(sets[i]) for i in keep], NUM_PERM, 42)
    # rensa needs num_perm divisible by the bands; datasketch's choice (9 x 13) is not.
    # 16 bands of 8 rows is the nearest divisor pair to datasketch's optimum for 0.8.
    bands = RENSA_BANDS
    lsh = rensa.RMinHashLSH(THRESHOLD, NUM_PERM, bands)
    lsh.insert_many(mhs, 0)
    found = lsh.query_all(mhs)
    pairs = ((keep[k], keep[int(j)]) for k, js in enumerate(found) for j in js)
    flagged, checks, hits = verify(sets, pairs)
    return {
        "paragraphs": len(sets),
        "flagged": sorted(flagged),
        "checks": checks,
        "pairs": hits,
        "bands": bands,
    }


def run_truth(corpus: str, limit: int | None) -> dict[str, Any]:
    """All paragraphs with an exact-Jaccard >= THRESHOLD twin (prefix-filtered index)."""
    sets, _ = load(corpus, limit)
    classes: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        if s:
            classes[frozenset(s)].append(i)
    uniq = list(classes)
    freq: dict[str, int] = defaultdict(int)
    for u in uniq:
        for sh in u:
            freq[sh] += 1
    order = sorted(range(len(uniq)), key=lambda k: len(uniq[k]))
    index: dict[str, list[int]] = defaultdict(list)
    twin = [False] * len(uniq)
    checks = hits = 0
    for k in order:  # by size: earlier entries are never longer
        x = uniq[k]
        n = len(x)
        ranked = sorted(x, key=lambda sh: (freq[sh], sh))
        prefix = ranked[: n - math.ceil(THRESHOLD * n) + 1]
        minlen = THRESHOLD * n
        seen: set[int] = set()
        for sh in prefix:
            for other in index[sh]:
                if other in seen:
                    continue
                seen.add(other)
                y = uniq[other]
                if len(y) < minlen:
                    continue
                checks += 1
                inter = len(x & y)
                if inter >= THRESHOLD * (n + len(y) - inter):
                    hits += 1
                    twin[k] = twin[other] = True
        for sh in prefix:
            index[sh].append(k)
    flagged: list[int] = []
    for k, u in enumerate(uniq):
        members = classes[u]
        if twin[k] or len(members) > 1:
            flagged.extend(members)
    return {
        "paragraphs": len(sets),
        "nonempty": sum(1 for s in sets if s),
        "distinct_sets": len(uniq),
        "flagged": sorted(flagged),
        "checks": checks,
        "pairs_distinct_sets": hits,
    }


RUNNERS = {
    "floor": run_floor,
    "datasketch-textbook": run_textbook,
    "datasketch-fast": run_fast,
    "rensa": run_rensa,
    "truth": run_truth,
}


def dedup_flagged(report: dict[str, Any], corpus: str, limit: int | None) -> dict[str, Any]:
    """Map dedup's exact/near groups to paragraph indices in this script's numbering."""
    _, where = load(corpus, limit)
    index = {w: i for i, w in enumerate(where)}
    doc = {d["path"]: r for r, d in enumerate(report["documents"])}
    counts = [d["paragraphs"] for d in report["documents"]]
    ours: dict[int, int] = defaultdict(int)
    for r, _p in where:
        ours[r] += 1
    mismatched = sum(1 for r, c in enumerate(counts) if ours.get(r, 0) != c)
    flagged: set[int] = set()
    kinds: dict[str, int] = defaultdict(int)
    for g in report["groups"]:
        dups = [d for d in g["duplicates"] if d["kind"] in ("exact", "near")]
        for d in dups:
            kinds[d["kind"]] += 1
            flagged.add(index[(doc[d["path"]], d["paragraph"])])
        if dups:
            k = g["kept"]
            flagged.add(index[(doc[k["path"]], k["paragraph"])])
    return {
        "flagged": sorted(flagged),
        "exact": kinds["exact"],
        "near": kinds["near"],
        "paragraphs_dedup": sum(counts),
        "documents_count_mismatch": mismatched,
    }


# --------------------------------------------------------------------------- measuring


def tree_rss_kib(root: int) -> int:
    """Sum of VmRSS over ``root`` and its descendants, from /proc."""
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(cmd: list[str], stdout_path: str | None) -> dict[str, float]:
    """Run ``cmd``; return wall s, CPU s (user+sys, with reaped children) and peak RSS."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kib(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    return {
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "maxrss_mib": ru.ru_maxrss / 1024,
        "tree_rss_mib": peak[0] / 1024,
        "rc": proc.returncode,
    }


def machine() -> dict[str, str]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for mod in ("datasketch", "xxhash", "numpy", "rensa", "dedup-paragraphs"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:
            versions[mod] = "not installed"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        **{f"version {k}": v for k, v in versions.items()},
    }


# --------------------------------------------------------------------------- driver


def child(method: str, corpus: str, limit: int | None, result: str) -> None:
    data = RUNNERS[method](corpus, limit)
    with open(result, "w") as f:
        json.dump(data, f)


def score(flagged: set[int], truth: set[int]) -> tuple[float, float]:
    tp = len(flagged & truth)
    precision = tp / len(flagged) if flagged else 1.0
    recall = tp / len(truth) if truth else 1.0
    return precision, recall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--records", type=int, default=None, help="first N records only")
    ap.add_argument("--out", default=str(HERE / "RESULTS-corpus.md"))
    ap.add_argument("--methods", default=",".join(METHODS), help="comma-separated subset")
    ap.add_argument("--method", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.method:
        child(args.method, args.corpus, args.records, args.result)
        return

    tmp = tempfile.mkdtemp(prefix="bench_corpus_")
    info = machine()
    rows: dict[str, dict[str, Any]] = {}
    commands: dict[str, str] = {}
    for name in ["truth", *args.methods.split(",")]:
        if name == "rensa" and info["version rensa"] == "not installed":
            rows[name] = {"skipped": "rensa not installed"}
            continue
        result = os.path.join(tmp, f"{name}.json")
        stdout_path = None
        corpus = args.corpus
        if name == "dedup":
            if args.records is not None:
                corpus = os.path.join(tmp, "slice.jsonl")
                with open(args.corpus, encoding="utf-8") as src, open(corpus, "w") as dst:
                    for i, line in enumerate(src):
                        if i >= args.records:
                            break
                        dst.write(line)
            exe = shutil.which("dedup", path=os.path.dirname(sys.executable)) or "dedup"
            cmd = [exe, "check", "--format", "json", corpus, "--jobs", "2", "-q"]
            stdout_path = result
        else:
            cmd = [sys.executable, __file__, "--method", name, "--corpus", corpus]
            cmd += ["--result", result]
            if args.records is not None:
                cmd += ["--records", str(args.records)]
        commands[name] = shlex.join(cmd)
        print(f"running {name}: {commands[name]}", file=sys.stderr, flush=True)
        m = measure(cmd, stdout_path)
        if not os.path.exists(result) or (m["rc"] != 0 and name != "dedup"):
            rows[name] = {"skipped": f"failed (exit {m['rc']:.0f})"}
            continue
        with open(result) as f:
            data = json.load(f)
        if name == "dedup":
            data = dedup_flagged(data, args.corpus, args.records) | {"paragraphs": None}
        rows[name] = m | data
        print(f"  {name}: {m}", file=sys.stderr, flush=True)

    write_report(args, info, rows, commands)


def write_report(
    args: argparse.Namespace,
    info: dict[str, str],
    rows: dict[str, dict[str, Any]],
    commands: dict[str, str],
) -> None:
    truth_row = rows["truth"]
    truth = set(truth_row["flagged"])
    paragraphs = truth_row["paragraphs"]
    scope = "whole corpus" if args.records is None else f"first {args.records:,} records"
    lines = [
        "# Corpus benchmark: dedup side by side with datasketch, rensa and the hashing floor",
        "",
        f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}. "
        f"Corpus: `{args.corpus}` ({scope}: {paragraphs:,} paragraphs, "
        f"{truth_row['nonempty']:,} with at least one word, "
        f"{truth_row['distinct_sets']:,} distinct shingle sets).",
        "",
        "Settings for every method: word 3-grams over `dedup.normalize.tokens`/`shingles`, "
        f"{NUM_PERM} permutations, threshold {THRESHOLD}; every candidate verified with exact "
        "Jaccard on the shingle sets.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        "## Commands",
        "",
        "```sh",
        f"python benchmarks/bench_corpus.py --corpus {args.corpus}"
        + (f" --records {args.records}" if args.records is not None else "")
        + f" --out {args.out}",
        "# which runs, one subprocess each:",
        *[f"{commands[k]}  # {k}" for k in commands],
        "```",
        "",
        "## Results",
        "",
        "Wall and CPU (user + system, including reaped child processes) per subprocess, end "
        "to end: start-up, reading, normalising, shingling, hashing, LSH, verification. "
        "`max RSS` is the largest single process (`ru_maxrss`); `tree RSS` is the sampled "
        "peak sum over the process and its children (every 50 ms), which is what counts "
        "for `dedup --jobs 2`. Flagged: paragraphs the method puts in a verified pair "
        "(for dedup: every `exact`/`near` duplicate and its kept paragraph). Precision and "
        f"recall against the {len(truth):,} paragraphs that have a twin at exact "
        f"Jaccard >= {THRESHOLD}.",
        "",
        "| method | wall s | CPU s | paragraphs/s | max RSS MiB | tree RSS MiB | flagged "
        "| precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        if "skipped" in r:
            lines.append(f"| {name} | {r['skipped']} | | | | | | | |")
            continue
        flagged = set(r["flagged"])
        if name in ("truth", "floor"):
            prec = rec = "—"
        else:
            p, q = score(flagged, truth)
            prec, rec = f"{p:.4f}", f"{q:.4f}"
        shown = "—" if name == "floor" else f"{len(flagged):,}"
        label = "ground truth (prefix-filtered exact all-pairs)" if name == "truth" else name
        lines.append(
            f"| {label} | {r['wall']:.1f} | {r['cpu']:.1f} | {paragraphs / r['wall']:,.0f} "
            f"| {r['maxrss_mib']:.0f} | {r['tree_rss_mib']:.0f} | {shown} | {prec} | {rec} |"
        )
    lines += [
        "| text-dedup | not measured yet (needs its own environment) | | | | | | | |",
        "| datatrove | not measured yet (needs its own environment) | | | | | | | |",
        "",
        "Details:",
        "",
    ]
    for name, r in rows.items():
        extra = {
            k: v
            for k, v in r.items()
            if k not in ("flagged", "wall", "cpu", "maxrss_mib", "tree_rss_mib")
        }
        lines.append(f"- {name}: `{json.dumps(extra)}`")
    lines += ["", "## Targets", ""]
    if "dedup" in rows and "datasketch-textbook" in rows and "skipped" not in rows["dedup"]:
        d, t = rows["dedup"], rows["datasketch-textbook"]
        speed = t["wall"] / d["wall"]
        verdict = "met" if speed >= 10 else "not met"
        lines.append(
            f"- At least 10x faster end to end than the textbook datasketch recipe: "
            f"{verdict} ({t['wall']:.1f} s / {d['wall']:.1f} s = {speed:.1f}x wall; "
            f"CPU {t['cpu']:.1f} s / {d['cpu']:.1f} s = {t['cpu'] / d['cpu']:.1f}x)."
        )
        p, q = score(set(d["flagged"]), truth)
        verdict = "met" if p >= 0.99 and q >= 0.99 else "not met"
        lines.append(
            f"- Precision and recall both at least 0.99 against exact Jaccard at the "
            f"threshold: {verdict} (precision {p:.4f}, recall {q:.4f}, {scope})."
        )
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
