"""Precision of `dedup check` on real documentation trees, from findings labelled by hand.

Runs `dedup check -f json` on each tree with one or two versions of the code (``--code``
takes source checkouts, for example the last release's in a git worktree, and the working
tree), takes the failing findings, and scores them against ``docs-labels.tsv``: each
finding's paragraph (by its fingerprint, so the same text has one label) labelled as a
docs maintainer would see it:

* ``useful``: a repeat they want to hear about (an explanation pasted into two pages);
* ``boilerplate``: repeated on purpose (a stock note on every reference page);
* ``noise``: structure or convention, not a repeat of prose at all.

    python benchmarks/docs_quality.py --tree vue=PATH --tree uv=PATH \\
        --code before=/tmp/base --code after=. --export /tmp/unlabelled.tsv

Findings with no label are listed in ``--export`` (and counted as unlabelled) so they can be
labelled and appended to the labels file. ``--sample N`` labels only a seeded random sample
of N distinct paragraphs per tree and run (the "before" output can run to thousands).
A useful paragraph of the first run that the last run no longer reports at all (failing
or not) is "lost"; it is listed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "docs-labels.tsv"


@dataclass(frozen=True)
class Finding:
    tree: str
    path: str
    line: int
    kind: str
    role: str
    failing: bool
    fingerprint: str
    copies: int
    documents: int
    text: str
    kept: str


def _excerpt(root: Path, path: str, lines: list[int]) -> str:
    try:
        all_lines = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    text = " ".join(x.strip() for x in all_lines[lines[0] - 1 : lines[1]])
    return text.replace("\t", " ")[:160]


def run(code: Path, tree: Path, config: str | None) -> dict[str, object]:
    """Return the JSON report of `dedup check` (the code at ``code``) on ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(code))
    args = [sys.executable, "-m", "dedup", "check", ".", "-f", "json", "--exit-zero", "-q"]
    if config:
        args += ["--config", str(Path(config).resolve())]
    out = subprocess.run(args, cwd=tree, env=env, capture_output=True, check=True)
    report: dict[str, object] = json.loads(out.stdout)
    return report


def findings(name: str, tree: Path, report: dict[str, object]) -> list[Finding]:
    """Return every finding of a report (each copy of each group), with its text."""
    out: list[Finding] = []
    groups = report["groups"]
    assert isinstance(groups, list)
    for g in groups:
        docs = {g["kept"]["path"]} | {d["path"] for d in g["duplicates"]}
        kept = _excerpt(tree, g["kept"]["path"], g["kept"]["lines"])
        for d in g["duplicates"]:
            out.append(
                Finding(
                    tree=name,
                    path=d["path"],
                    line=d["lines"][0],
                    kind=d["kind"],
                    role=d.get("role", g.get("role", "copy")),
                    failing=bool(d["failing"]),
                    fingerprint=d["fingerprint"],
                    copies=len(g["duplicates"]) + 1,
                    documents=len(docs),
                    text=_excerpt(tree, d["path"], d["lines"]),
                    kept=kept,
                )
            )
    return out


def load_labels(path: Path) -> dict[tuple[str, str], str]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            (r["tree"], r["fingerprint"]): r["label"] for r in csv.DictReader(f, delimiter="\t")
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tree", action="append", required=True, help="NAME=PATH[=CONFIG]")
    ap.add_argument("--code", action="append", required=True, help="NAME=SOURCE_CHECKOUT")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--export", type=Path, help="write unlabelled findings here (TSV)")
    ap.add_argument("--sample", type=int, default=0, help="label a sample of N per tree/run")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--no-config", action="append", default=[], help="RUN: run this code without tree configs"
    )
    args = ap.parse_args()
    labels = load_labels(args.labels)
    codes = [c.split("=", 1) for c in args.code]
    rows: list[str] = []
    unlabelled: dict[tuple[str, str], Finding] = {}
    lost_all: list[Finding] = []
    for spec in args.tree:
        name, path, *config = spec.split("=")
        tree = Path(path).resolve()
        reported: dict[str, set[str]] = {}
        reported_at: dict[str, set[tuple[str, int]]] = {}
        first_useful: dict[str, Finding] = {}
        for n, (run_name, code) in enumerate(codes):
            found = findings(
                name,
                tree,
                run(
                    Path(code).resolve(),
                    tree,
                    config[0] if config and run_name not in args.no_config else None,
                ),
            )
            reported[run_name] = {f.fingerprint for f in found}
            reported_at[run_name] = {(f.path, f.line) for f in found}
            failing = [f for f in found if f.failing]
            distinct = sorted({f.fingerprint for f in failing})
            if args.sample and len(distinct) > args.sample:
                chosen = set(
                    random.Random(f"{args.seed}:{name}:{run_name}").sample(distinct, args.sample)
                )
                scored = [f for f in failing if f.fingerprint in chosen]
            else:
                scored = failing
            by = Counter(labels.get((name, f.fingerprint), "unlabelled") for f in scored)
            for f in scored:
                if (name, f.fingerprint) not in labels:
                    unlabelled.setdefault((name, f.fingerprint), f)
                elif n == 0 and labels[(name, f.fingerprint)] == "useful":
                    first_useful.setdefault(f.fingerprint, f)
            judged = sum(by[k] for k in ("useful", "boilerplate", "noise"))
            share = f"{100 * by['useful'] / judged:.0f} %" if judged else "-"
            roles = Counter(f.role for f in found)
            rows.append(
                f"| {name} | {run_name} | {len(found)} | {roles.get('boilerplate', 0)} "
                f"| {len(failing)} | {len(scored)} | {by['useful']} | {by['boilerplate']} "
                f"| {by['noise']} | {by['unlabelled']} | {share} |"
            )
        last = codes[-1][0]
        # Lost: neither the same words nor a finding within two lines of it (a paragraph
        # whose directive line became structure starts a line later, with other words).
        near = reported_at[last]
        lost = [
            f
            for fp, f in first_useful.items()
            if fp not in reported[last]
            and not any((f.path, f.line + d) in near for d in range(-2, 3))
        ]
        lost_all += lost
        rows.append(
            f"| {name} | useful lost ({codes[0][0]} → {last}) | | | | | {len(lost)} | | | | |"
        )
    print(
        "| tree | code | findings | of them boilerplate role | failing | scored | useful "
        "| boilerplate | noise | unlabelled | useful share |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    for f in lost_all:
        print(f"lost: {f.tree} {f.path}:{f.line} {f.text[:100]}")
    if args.export:
        with args.export.open("w", encoding="utf-8", newline="") as out:
            w = csv.writer(out, delimiter="\t")
            w.writerow(
                [
                    "tree",
                    "fingerprint",
                    "label",
                    "kind",
                    "copies",
                    "documents",
                    "where",
                    "text",
                    "kept",
                ]
            )
            for f in unlabelled.values():
                w.writerow(
                    [
                        f.tree,
                        f.fingerprint,
                        "",
                        f.kind,
                        f.copies,
                        f.documents,
                        f"{f.path}:{f.line}",
                        f.text,
                        f.kept,
                    ]
                )
        print(f"{len(unlabelled)} unlabelled paragraphs -> {args.export}", file=sys.stderr)


if __name__ == "__main__":
    main()
