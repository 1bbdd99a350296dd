"""Archive at scale: time per added and per checked paragraph, and size per paragraph.

For each backend (an SQLite file; a redis-server this script starts on a free loopback
port, without persistence) the archive is built up in adds of ``--batch`` paragraphs
(stories of 10 paragraphs each), and at each size in ``--sizes`` it measures:

- **add**: one story (10 paragraphs) added on its own, five times (median), and a batch of
  100 stories (1,000 paragraphs) in one add; per paragraph, in process (no CLI start-up);
- **check**: 100 draft stories (1,000 paragraphs; per story 2 exact copies of archived
  paragraphs, 2 near copies with the last word changed, 6 new; copies only of paragraphs
  with words, as a paragraph such as "- - -" is never compared) against the archive, in one
  call of ``dedup.archive.against.matches`` and one story at a time (median of five);
  per paragraph; with the recall of the planted copies;
- **CLI**: the wall time of ``dedup archive add`` and ``dedup check --against`` for one
  story file, start-up included;
- **size**: the SQLite file after a checkpoint, Redis ``used_memory`` less the empty
  server's, and the RDB file Redis writes on ``SAVE``; per archived paragraph.

Paragraphs: the blank-line blocks of the Reuters corpus's ``text`` fields (about 105k);
past those, seeded variants: a real paragraph with its words shuffled (``random.Random``,
seed 7 + n), so every added paragraph is distinct text with a real vocabulary. The build
adds themselves are timed too (paragraphs per second).

    python benchmarks/bench_archive.py [--sizes 100000,1000000] [--backends sqlite,redis]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from results import write_results  # benchmarks/results.py, beside this script

from dedup import Document, Settings
from dedup.archive import open_archive
from dedup.archive.add import add_documents
from dedup.archive.against import matches
from dedup.archive.store import Store
from dedup.text.normalize import tokens

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpora" / "reuters21578.jsonl"
STORY = 10  # paragraphs per story


def real_paragraphs(path: Path) -> list[str]:
    out: list[str] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                text = json.loads(line)["text"]
                out += [p.strip() for p in text.split("\n\n") if len(p.split()) >= 3]
    return out


class Paragraphs:
    """The n-th archived paragraph: real ones first, then shuffled-word variants (seeded)."""

    def __init__(self, real: list[str]) -> None:
        self.real = real

    def __getitem__(self, n: int) -> str:
        if n < len(self.real):
            return self.real[n]
        words = self.real[n % len(self.real)].split()
        random.Random(7 + n).shuffle(words)
        return " ".join(words)

    def new(self, n: int) -> str:
        """Return a paragraph never archived (a differently seeded shuffle)."""
        words = self.real[n % len(self.real)].split()
        random.Random(-1 - n).shuffle(words)
        return " ".join(words)


def stories(paras: Paragraphs, first: int, count: int, prefix: str) -> list[Document]:
    """Return stories of ``STORY`` paragraphs from archived paragraph ``first`` on."""
    docs = []
    for s in range(count // STORY):
        start = first + s * STORY
        text = "\n\n".join(paras[i] for i in range(start, start + STORY)) + "\n"
        docs.append(Document(path=f"{prefix}/{start // STORY:07d}.txt", text=text))
    return docs


def drafts(paras: Paragraphs, archived: int, count: int, seed: int) -> tuple[list[Document], int]:
    """Return draft stories with 2 exact and 2 near copies of archived paragraphs each."""
    rng = random.Random(seed)
    docs, planted = [], 0
    for s in range(count):
        picks: list[int] = []
        while len(picks) < 4:  # a paragraph without words ("- - -") is never compared
            pick = rng.randrange(archived)
            if tokens(paras[pick]):
                picks.append(pick)
        near = []
        for i in picks[2:]:
            words = paras[i].split()
            near.append(" ".join([*words[:-1], "zzyzx"]) if len(words) >= 20 else paras[i])
        fresh = [paras.new(seed * 1000 + s * STORY + j) for j in range(6)]
        body = [paras[picks[0]], paras[picks[1]], *near, *fresh]  # planted: the first 4
        docs.append(Document(path=f"drafts/{seed}-{s}.txt", text="\n\n".join(body) + "\n"))
        planted += 4
    return docs, planted


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Redis:
    """A redis-server of our own, in a temporary folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        self.client = redis.Redis(port=self.port, socket_timeout=None)
        for _ in range(100):
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        self.empty = int(self.client.info("memory")["used_memory"])
        self.url = f"redis://127.0.0.1:{self.port}/0?prefix=bench"

    def used(self) -> int:
        return int(self.client.info("memory")["used_memory"]) - self.empty

    def rdb(self) -> int:
        """Return the size of the RDB file a background save writes (waits for it)."""
        before = int(self.client.lastsave().timestamp())
        self.client.bgsave()
        while True:
            time.sleep(1)
            info = self.client.info("persistence")
            if not info["rdb_bgsave_in_progress"] and int(info["rdb_last_save_time"]) >= before:
                break
        return (self.folder / "dump.rdb").stat().st_size

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def timed(fn: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def cli_seconds(args: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", *args], cwd=cwd, capture_output=True, text=True
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr)
    return time.perf_counter() - t


def measure(
    store: Store, paras: Paragraphs, size: int, settings: Settings, work: Path
) -> dict[str, Any]:
    """Time adds and checks against an archive of ``size`` paragraphs (it grows by 1,510)."""
    out: dict[str, Any] = {"archived": size}
    nxt = size
    singles = []
    for n in range(5):
        [doc] = stories(paras, nxt, STORY, f"single{n}")
        seconds, _ = timed(lambda doc=doc: add_documents(store, [doc], settings))
        singles.append(seconds / STORY)
        nxt += STORY
    out["add_story_ms_per_paragraph"] = statistics.median(singles) * 1000
    batch = stories(paras, nxt, 1000, "batch")
    seconds, _ = timed(lambda: add_documents(store, batch, settings))
    out["add_batch_ms_per_paragraph"] = seconds / 1000 * 1000
    nxt += 1000
    docs, planted = drafts(paras, size, 100, seed=size)
    seconds, found = timed(lambda: matches(store, docs, settings))
    paragraphs = sum(len(d.text.split("\n\n")) for d in docs)
    out["check_batch_ms_per_paragraph"] = seconds / paragraphs * 1000
    hits = sum(1 for m in found if m.paragraph <= 4)
    out["check_found"] = f"{hits} of {planted}" + (
        f" (+{len(found) - hits} others)" if len(found) > hits else ""
    )
    one = []
    for doc in docs[:5]:
        seconds, _ = timed(lambda doc=doc: matches(store, [doc], settings))
        one.append(seconds / STORY)
    out["check_story_ms_per_paragraph"] = statistics.median(one) * 1000
    # The CLI, start-up included: one story file added, one draft file checked.
    (work / "story.txt").write_text(stories(paras, nxt, STORY, "cli")[0].text)
    (work / "draft.txt").write_text(docs[0].text)
    add = ["archive", "add", store.location, "story.txt", "-q"]
    out["cli_add_story_s"] = cli_seconds(add, work)
    out["cli_check_story_s"] = cli_seconds(
        ["check", "--against", store.location, "draft.txt", "-q"], work
    )
    out["archived_after"] = store.counts().paragraphs
    return out


def run_backend(
    backend: str,
    paras: Paragraphs,
    sizes: list[int],
    batch: int,
    work: Path,
    on_row: Any = None,
) -> list[dict[str, Any]]:
    settings = Settings()
    server = Redis(work) if backend == "redis" else None
    location = server.url if server else str(work / "archive.db")
    store = open_archive(location, create=True)
    results: list[dict[str, Any]] = []
    built, build_seconds = 0, 0.0
    try:
        for size in sizes:
            while built < size:
                step = min(batch, size - built)
                docs = stories(paras, built, step, "published")
                seconds, _ = timed(
                    lambda docs=docs, store=store: add_documents(store, docs, settings)
                )
                build_seconds += seconds
                built += step
                print(f"{backend}: {built:,} paragraphs ({built / build_seconds:,.0f}/s)",
                      file=sys.stderr, flush=True)  # fmt: skip
            row = measure(store, paras, size, settings, work)
            row["backend"] = backend
            row["command"] = " ".join(["python", "benchmarks/bench_archive.py", *sys.argv[1:]])
            row["started"] = STARTED
            row["build_paragraphs_per_s"] = built / build_seconds
            if server is not None:
                row["size_bytes"] = server.used()
                row["size_measure"] = "used_memory"
                row["rdb_bytes_per_paragraph"] = server.rdb() / row["archived_after"]
            else:
                store.close()
                import sqlite3

                with sqlite3.connect(location) as c:
                    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row["size_bytes"] = os.path.getsize(location)
                row["size_measure"] = "file"
                store = open_archive(location)
            row["bytes_per_paragraph"] = row["size_bytes"] / row["archived_after"]
            row["load"] = os.getloadavg()[0]
            results.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            if on_row is not None:
                on_row(results)
            built = row["archived_after"]  # the measurements added paragraphs too
    finally:
        store.close()
        if server is not None:
            server.stop()
    return results


def render(rows: list[dict[str, Any]], load: float, args: argparse.Namespace) -> str:
    import dedup

    runs = sorted({(r.get("started", ""), r.get("command", "")) for r in rows})
    lines = [
        "# Archive benchmark",
        "",
        *[f"- `{command}`, {started}." for started, command in runs],
        "",
        f"- dedup {dedup.__version__}; machine: {platform.machine()}, {os.cpu_count()} cores "
        f"(shared with other work: load average {load:.2f} at the start of the last run, read "
        f"the load column), Python {platform.python_version()}, SQLite "
        f"{__import__('sqlite3').sqlite_version}, {redis_version()}.",
        "- Default settings (128 permutations, 3-grams, LSH 32 bands of 4 rows); stories of "
        "10 paragraphs; the archive is built in adds of "
        f"{args.batch:,} paragraphs; real Reuters paragraphs first, then seeded shuffled-word "
        "variants.",
        "- Times per paragraph are in process (library calls, no start-up); the CLI columns "
        "are whole commands for one 10-paragraph story, start-up included.",
        "",
        "| backend | archived | build (paragraphs/s) | add one story (ms/paragraph) | "
        "add 1,000 (ms/paragraph) | check one story (ms/paragraph) | check 1,000 "
        "(ms/paragraph) | planted copies found | CLI add / check (s) | size per paragraph | "
        "load |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|---:|",
    ]
    for r in rows:
        size = f"{r['bytes_per_paragraph']:,.0f} B ({r['size_measure']})"
        if "rdb_bytes_per_paragraph" in r:
            size += f", RDB {r['rdb_bytes_per_paragraph']:,.0f} B"
        lines.append(
            f"| {r['backend']} | {r['archived']:,} | {r['build_paragraphs_per_s']:,.0f} | "
            f"{r['add_story_ms_per_paragraph']:.2f} | {r['add_batch_ms_per_paragraph']:.2f} | "
            f"{r['check_story_ms_per_paragraph']:.2f} | {r['check_batch_ms_per_paragraph']:.2f} | "
            f"{r['check_found']} | {r['cli_add_story_s']:.2f} / {r['cli_check_story_s']:.2f} | "
            f"{size} | {r['load']:.2f} |"
        )
    lines += ["", "Raw results:", "", "```json", json.dumps(rows, indent=1), "```", ""]
    return "\n".join(lines)


def earlier_rows(out: Path, backends: list[str]) -> list[dict[str, Any]]:
    """Return the recorded rows of the backends not run now (from the results file)."""
    if not out.exists():
        return []
    text = out.read_text(encoding="utf-8")
    if "```json\n" not in text:
        return []
    block = text.split("```json\n", 1)[1].split("```", 1)[0]
    return [r for r in json.loads(block) if r["backend"] not in backends]


def redis_version() -> str:
    out = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    return "Redis " + out.split("v=")[1].split()[0] if "v=" in out else "Redis"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--backends", default="sqlite,redis")
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-archive.md")
    parser.add_argument("--work", type=Path, default=None, help="folder for the archives")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    paras = Paragraphs(real_paragraphs(args.corpus))
    print(f"{len(paras.real):,} real paragraphs", file=sys.stderr)
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    kept = earlier_rows(args.out, backends)  # other backends' rows stay as recorded
    rows: list[dict[str, Any]] = []
    for backend in backends:
        work = Path(tempfile.mkdtemp(prefix=f"bench-archive-{backend}-", dir=args.work))

        done = tuple(rows)  # rows of the backends already run

        def record(new: list[dict[str, Any]], done: tuple[dict[str, Any], ...] = done) -> None:
            write_results(args.out, render([*kept, *done, *new], load, args))

        try:
            rows += run_backend(backend, paras, sizes, args.batch, work, record)
        finally:
            shutil.rmtree(work, ignore_errors=True)


STARTED = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")

if __name__ == "__main__":
    main()
