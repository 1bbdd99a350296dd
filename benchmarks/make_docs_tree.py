"""Generate a docs tree of Markdown files from real Reuters paragraphs, with known repeats.

Each file has a heading, about ten paragraphs, a fenced code block and a list; a shared
warning is pasted into one file in ten, and one paragraph in fifty is copied (sometimes
with a one-word edit) into another file. Seeded: the same arguments give the same tree.
A tree that needs more paragraphs than the corpus has (Reuters: 89,098) reads the corpus
again with each paragraph's words in reverse order: no word shingle of the original, so the
second round adds no repeats of the first.

    python benchmarks/make_docs_tree.py OUT_DIR [--files 2000] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from pathlib import Path

WARNING = (
    "> **Warning:** back up your data before you upgrade. The upgrade rewrites the "
    "database in place and cannot be undone."
)


def paragraphs(corpus: Path) -> list[str]:
    """Return the corpus's paragraphs of at least eight words."""
    out: list[str] = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            for para in json.loads(line)["text"].split("\n\n"):
                para = " ".join(para.split())
                if len(para.split()) >= 8:
                    out.append(para)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--per-file", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/reuters21578.jsonl"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = paragraphs(args.corpus)
    rng.shuffle(pool)
    taken = itertools.chain(pool, (" ".join(reversed(p.split())) for p in pool))
    written: list[list[str]] = []
    for i in range(args.files):
        body = [next(taken) for _ in range(args.per_file)]
        if i % 10 == 0:
            body.insert(1, WARNING)
        if written and rng.random() < 0.2:
            source = rng.choice(written)
            copy = rng.choice(source).split()
            if rng.random() < 0.5 and len(copy) > 10:
                copy[rng.randrange(len(copy))] = "edited"
            body.insert(rng.randrange(len(body)), " ".join(copy))
        written.append(body)
        section = f"docs/section{i % 40:02d}"
        text = [f"# Page {i}", "", *(p + "\n" for p in body[:5])]
        text += ["```bash", f"example --page {i}", "```", ""]
        text += [f"- item {j} of page {i}" for j in range(3)] + [""]
        text += [p + "\n" for p in body[5:]]
        path = args.out / section / f"page{i:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(text), encoding="utf-8")
    total = sum(len(b) for b in written) + 3 * args.files
    print(f"wrote {args.files} files, about {total} paragraphs, to {args.out}")


if __name__ == "__main__":
    main()
