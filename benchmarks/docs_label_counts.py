"""Count a tree's failing `dedup check` findings by hand label (useful, boilerplate, noise, ?).

Every failing finding is counted (no sampling), joined to ``docs-labels.tsv`` by the
paragraph's fingerprint; ``?`` is unlabelled. With ``--list`` the ones that are not labelled
useful are printed, one per line, to read what still fails (``--all``: every failing one).

    python benchmarks/docs_label_counts.py vue=tests/data/docs/vue/src \\
        django=DJANGO_DOCS=django.toml --list

``--labels benchmarks/docs-labels-blind.tsv`` reads other labellers' labels instead: ten
trees labelled blind by two helpers who never saw the rules (RESULTS-docs.md item 18),
where ``?`` is a finding left out of a sampled tree.
"""

from __future__ import annotations

import argparse
import csv
import json
import shlex
import subprocess
from collections import Counter
from pathlib import Path

LABELS = Path(__file__).with_name("docs-labels.tsv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", metavar="NAME=PATH[=CONFIG]")
    parser.add_argument("--list", action="store_true", help="print the failing non-useful ones")
    parser.add_argument("--all", action="store_true", help="with --list, the useful ones too")
    parser.add_argument(
        "--labels",
        type=Path,
        default=LABELS,
        help="the labels file (docs-labels-blind.tsv: a second labeller's, on trees no rule "
        "was written for)",
    )
    parser.add_argument(
        "--dedup",
        default="dedup",
        help="the command to run (another revision: 'env PYTHONPATH=/tmp/base python -m dedup')",
    )
    args = parser.parse_args()
    labels: dict[tuple[str, str], tuple[str, str]] = {}
    with args.labels.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if row[0] != "tree":
                labels[(row[0], row[1])] = (row[2], row[3][:110])
    for spec in args.trees:
        name, path, *config = spec.split("=")
        cmd = [*shlex.split(args.dedup), "check", path, "-f", "json", "-q", "--no-ignore"]
        if config:
            cmd += ["--config", config[0]]
        report = json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)
        counts: Counter[str] = Counter()
        for group in report["groups"]:
            for d in group["duplicates"]:
                if not d["failing"]:
                    continue
                label, words = labels.get((name, d["fingerprint"]), ("?", ""))
                if not words:
                    words = _excerpt(d["path"], d["lines"])
                counts[label] += 1
                if args.list and (args.all or label != "useful"):
                    kept = group["kept"]
                    print(
                        f"{name}\t{label}\t{d['kind']}\t{d['path']}:{d['lines'][0]}"
                        f"\t{kept['path']}:{kept['lines'][0]}\t{words}"
                    )
        print(
            f"{name}: {sum(counts.values())} failing; "
            + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        )


def _excerpt(path: str, lines: list[int]) -> str:
    """The finding's own lines, joined, for reading an unlabelled one."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return " ".join(text[lines[0] - 1 : lines[1]])[:110]


if __name__ == "__main__":
    main()
