"""CPU of tokenising and token hashing on a corpus: one paragraph at a time against a batch.

Reads every paragraph of a JSONL corpus (as dedup splits plain text), then times, in this
process, ``normalize.tokens`` per paragraph followed by the cached token hashes (what
dedup did before batch tokenising) and ``batch.tokenise_many`` over batches of
``--batch`` paragraphs (what ``prepare.fingerprint`` does now), and checks that both give
the same counts, joined tokens and hashes. CPU is ``time.process_time``, best of
``--runs``.

    python benchmarks/bench_tokenise.py [--corpus PATH] [--batch N] [--runs N]
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from corpus import records, split_paragraphs  # benchmarks/corpus.py, beside this script

from dedup.core import sketch
from dedup.text import batch
from dedup.text.normalize import tokens

DEFAULT_CORPUS = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "reuters21578.jsonl"
)


def best(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """Return the least CPU seconds of ``runs`` calls of ``work``, and its last result."""
    times = []
    out = None
    for _ in range(runs):
        t0 = time.process_time()
        out = work()
        times.append(time.process_time() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--batch", type=int, default=20_000, help="paragraphs per batch")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    paras = [p for r in records(args.corpus) for p in split_paragraphs(r["text"])]
    print(f"corpus: {args.corpus}: {len(paras):,} paragraphs, {sum(map(len, paras)):,} chars")
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def one_by_one() -> tuple[list[int], list[bytes], np.ndarray]:
        found = [tokens(p) for p in paras]
        joined = [" ".join(f).encode("utf-8") for f in found]
        total = sum(map(len, found))
        flat = sketch.cached_token_hashes(itertools.chain.from_iterable(found), total)
        return [len(f) for f in found], joined, flat

    def batched() -> tuple[list[int], list[bytes], np.ndarray]:
        parts = [
            batch.tokenise_many(paras[i : i + args.batch]) for i in range(0, len(paras), args.batch)
        ]
        return (
            [c for b in parts for c in b.counts.tolist()],
            [j for b in parts for j in b.joined],
            np.concatenate([b.hashes for b in parts]),
        )

    cpu_ref, ref = best(args.runs, one_by_one)
    cpu_batch, got = best(args.runs, batched)
    same = ref[0] == got[0] and ref[1] == got[1] and bool((ref[2] == got[2]).all())
    print(f"one paragraph at a time (tokens + joined + hashes): {cpu_ref:.3f} s CPU")
    print(f"batches of {args.batch:,} (tokenise_many):            {cpu_batch:.3f} s CPU")
    print(f"speed-up: {cpu_ref / cpu_batch:.2f}x; identical: {same}; tokens: {len(ref[2]):,}")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
