"""Write one huge document of real paragraphs: Markdown, HTML, rst or text (issue 15, item 4).

Sections of a heading, about eight Reuters paragraphs (some wrapped over lines), a bullet
list, a fenced code block (a literal block in rst), a block quote; in Markdown also link
reference definitions and an HTML block now and then. A shared warning is pasted into one
section in ten and one paragraph in fifty is an earlier one again (half of them with a
one-word edit). Past the corpus's paragraphs it is read again with words reversed, then
shuffled (no shingle of an earlier round). Seeded: the same arguments give the same file.

    python benchmarks/make_huge_doc.py OUT.md --mb 40 [--corpus PATH]   (.md .html .rst .txt)
"""

from __future__ import annotations

import argparse
import html
import itertools
import random
import textwrap
from collections.abc import Iterator
from pathlib import Path

from make_docs_tree import paragraphs  # the same Reuters paragraphs

WARNING = (
    "Warning: back up your data before you upgrade. The upgrade rewrites the database "
    "in place and cannot be undone."
)
CODE = ["def main() -> None:", "    total = sum(range(10))", "    print(total)"]


def endless(pool: list[str], rng: random.Random) -> Iterator[str]:
    """Yield the pool, then its words reversed, then shuffled again and again."""
    yield from pool
    for p in pool:
        yield " ".join(reversed(p.split()))
    while True:
        for p in pool:
            words = p.split()
            rng.shuffle(words)
            yield " ".join(words)


def sections(pool: list[str], rng: random.Random) -> Iterator[tuple[str, list[str], bool]]:
    """Yield (title, paragraphs, warned) for section after section."""
    taken = endless(pool, rng)
    written: list[str] = []
    for n in itertools.count(1):
        body = [next(taken) for _ in range(8)]
        for i in range(len(body)):
            if written and rng.random() < 0.02:
                copy = rng.choice(written).split()
                if rng.random() < 0.5 and len(copy) > 10:
                    copy[rng.randrange(len(copy))] = "edited"
                body[i] = " ".join(copy)
        written.extend(rng.sample(body, 2))
        if len(written) > 5000:
            del written[: len(written) - 5000]
        yield f"Section {n}: {' '.join(body[0].split()[:5])}", body, n % 10 == 0


def _wrapped(text: str, rng: random.Random) -> str:
    return "\n".join(textwrap.wrap(text, 78)) if rng.random() < 0.5 else text


def markdown(title: str, body: list[str], warned: bool, n: int, rng: random.Random) -> str:
    """Return one Markdown section."""
    out = [f"## {title}", ""]
    for i, p in enumerate(body[:5]):
        if i == 2 and n % 3 == 0:
            p = f"{p} See [the notes][ref{n}] and *the* `api` docs."
        out += [_wrapped(p, rng), ""]
    out += [f"- {' '.join(p.split()[:12])}" for p in body[5:8]] + [""]
    out += ["```python", *CODE, "```", ""]
    if warned:
        out += [f"> **{WARNING}**", ""]
    if n % 7 == 0:
        out += ['<div class="note">', html.escape(body[0][:80]), "</div>", ""]
    if n % 3 == 0:
        out += [f"[ref{n}]: https://example.com/notes/{n}", ""]
    return "\n".join(out) + "\n"


def html_section(title: str, body: list[str], warned: bool, n: int, rng: random.Random) -> str:
    """Return one HTML section."""
    e = html.escape
    out = [f"<h2>{e(title)}</h2>"]
    out += [f"<p>{e(_wrapped(p, rng))}</p>" for p in body[:5]]
    out += ["<ul>", *(f"  <li>{e(' '.join(p.split()[:12]))}</li>" for p in body[5:8]), "</ul>"]
    out += ['<pre><code class="python">' + e("\n".join(CODE)) + "</code></pre>"]
    if warned:
        out += [f"<blockquote><p><strong>{e(WARNING)}</strong></p></blockquote>"]
    return "\n".join(out) + "\n"


def rst(title: str, body: list[str], warned: bool, n: int, rng: random.Random) -> str:
    """Return one reStructuredText section."""
    out = [title, "-" * len(title), ""]
    out += [x for p in body[:5] for x in (_wrapped(p, rng), "")]
    out += [f"* {' '.join(p.split()[:12])}" for p in body[5:8]] + [""]
    out += [".. code-block:: python", "", *(f"   {c}" for c in CODE), ""]
    if warned:
        out += [f"   **{WARNING}**", ""]  # a block quote
    return "\n".join(out) + "\n"


def text(title: str, body: list[str], warned: bool, n: int, rng: random.Random) -> str:
    """Return one plain-text section."""
    out = [title, ""]
    out += [x for p in body[:5] for x in (_wrapped(p, rng), "")]
    out += [f"- {' '.join(p.split()[:12])}" for p in body[5:8]] + [""]
    if warned:
        out += [WARNING, ""]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a .md, .html, .rst or .txt name")
    parser.add_argument("--mb", type=float, default=10.0, help="size in MB (10**6 bytes)")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/reuters21578.jsonl"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = paragraphs(args.corpus)
    rng.shuffle(pool)
    kind = args.out.suffix.lower()
    write = {".md": markdown, ".html": html_section, ".rst": rst, ".txt": text}[kind]
    target = int(args.mb * 1_000_000)
    size = 0
    with args.out.open("w", encoding="utf-8") as fh:
        head = {
            ".md": "# Huge\n\n",
            ".html": "<!doctype html>\n<html><body>\n",
            ".rst": "",
            ".txt": "Huge\n\n",
        }
        fh.write(head[kind] + ("Huge\n====\n\n" if kind == ".rst" else ""))
        for n, (title, body, warned) in enumerate(sections(pool, rng), start=1):
            part = write(title, body, warned, n, rng)
            fh.write(part)
            size += len(part.encode("utf-8"))
            if size >= target:
                break
        if kind == ".html":
            fh.write("</body></html>\n")


if __name__ == "__main__":
    main()
