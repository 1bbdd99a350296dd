"""CPU seconds of each stage of ``dedup check -q -j 1 -f json TREE``, in-process.

Usage: ``PYTHONPATH=. python benchmarks/markdown_stages.py TREE`` (run from a checkout:
the ``dedup`` imported is the one timed). Wraps the streaming engine's stage functions
with ``time.process_time`` and prints their totals; the report goes to /dev/null.
Standard library only (and dedup).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import sys
import time
from typing import Any

import dedup.check.findings as findings
import dedup.engines.stream as stream
from dedup.cli import main as dedup_main

STAGES = [
    (stream, "_pass1", "pass 1, all of it"),
    (stream, "_segment_item", "  segmentation (segment.layout)"),
    (stream, "fingerprint", "  fingerprints (prepare.fingerprint)"),
    (stream, "_sketched", "  shingles, signatures, band keys"),
    (stream, "_lsh_pairs", "LSH candidates"),
    (stream, "_containment_pairs", "containment candidates"),
    (stream, "_pass2", "pass 2"),
    (stream, "decide", "verification (group.decide)"),
    (findings, "check_report", "findings (check_report)"),
]


def main() -> None:
    spent: collections.Counter[str] = collections.Counter()
    for module, name, label in STAGES:
        fn = getattr(module, name)

        def timed(*args: Any, _fn: Any = fn, _label: str = label, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - start

        setattr(module, name, functools.wraps(fn)(timed))
    sys.argv = ["dedup", "check", "-q", "-j", "1", "-f", "json", sys.argv[1]]
    start = time.process_time()
    with (
        open("/dev/null", "w") as null,
        contextlib.redirect_stdout(null),
        contextlib.suppress(SystemExit),
    ):
        dedup_main()
    total = time.process_time() - start
    for _, _, label in STAGES:
        print(f"{label:40s} {spent[label]:6.2f}")
    print(f"{'total after importing dedup.cli':40s} {total:6.2f}")


if __name__ == "__main__":
    main()
