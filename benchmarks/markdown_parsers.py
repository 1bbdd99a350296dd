"""Compiled Markdown parsers against dedup's markdown-it-py: speed, paragraph agreement.

Usage (in an environment with the two parsers, for example
``python -m venv --system-site-packages /tmp/mdvenv && /tmp/mdvenv/bin/pip install
markdown-it-pyrs pyromark``): ``PYTHONPATH=. /tmp/mdvenv/bin/python
benchmarks/markdown_parsers.py FOLDER...``. Prints CPU seconds to parse every ``.md`` file
of the folders (markdown-it-py as dedup configures it: block structure only; the compiled
parsers: everything, inline included) and in how many files the line spans of the
paragraphs outside lists differ from markdown-it-py's (paragraphs in tight lists have no
node of their own in either compiled parser).
"""

import bisect
import pathlib
import sys
import time
from typing import Any

import markdown_it_pyrs
import pyromark

from dedup.text.segment import _blocks_only

LISTS = ("bullet_list", "ordered_list")


def line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def byte_line_starts(text: str) -> list[int]:
    data = text.encode("utf-8", "surrogatepass")
    return [0, *(i + 1 for i, c in enumerate(data) if c == 10)]


def mdit_paragraphs(md: Any, text: str) -> set[tuple[int, int]]:
    """Line spans of markdown-it-py's paragraphs outside lists."""
    depth, out = 0, set()
    for t in md.parse(text):
        depth += t.type in ("bullet_list_open", "ordered_list_open")
        depth -= t.type in ("bullet_list_close", "ordered_list_close")
        if t.type in ("paragraph_open", "plain_paragraph") and depth == 0:
            out.add(tuple(t.map))
    return out


def pyromark_paragraphs(text: str, options: int) -> set[tuple[int, int]]:
    starts, depth, out = byte_line_starts(text), 0, set()
    for event, where in pyromark.events_with_range(text, options=options):
        if isinstance(event, dict):
            start, end = event.get("Start"), event.get("End")
            depth += isinstance(start, dict) and "List" in start
            depth -= isinstance(end, dict) and "List" in end
            if start == "Paragraph" and depth == 0:
                a, b = where["start"], where["end"]
                out.add((line_of(starts, a), line_of(starts, b - 1) + 1))
    return out


def pyrs_paragraphs(md: Any, text: str) -> set[tuple[int, int]]:
    starts, out = byte_line_starts(text), set()

    def walk(node: Any, in_list: bool) -> None:
        if node.name == "paragraph" and not in_list and node.srcmap:
            a, b = node.srcmap
            out.add((line_of(starts, a), line_of(starts, b - 1) + 1))
        for child in node.children:
            walk(child, in_list or node.name in LISTS)

    walk(md.tree(text), False)
    return out


def main() -> None:
    paths = [p for root in sys.argv[1:] for p in sorted(pathlib.Path(root).rglob("*.md"))]
    texts = [p.read_text(encoding="utf-8", errors="surrogatepass") for p in paths]
    md = _blocks_only()
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_YAML_STYLE_METADATA_BLOCKS
    rs = markdown_it_pyrs.MarkdownIt("commonmark").enable("table").enable("front_matter")

    def timed(parse: Any) -> float:
        start = time.process_time()
        for text in texts:
            parse(text)
        return time.process_time() - start

    print(f"{len(texts)} files, {sum(map(len, texts)) / 1e6:.1f} M characters")
    print(f"markdown-it-py, block structure only (dedup's): {timed(md.parse):.2f} s CPU")
    pyro = timed(lambda t: list(pyromark.events_with_range(t, options=options)))
    print(f"pyromark events_with_range, all events: {pyro:.2f} s CPU")
    print(f"markdown-it-pyrs tree: {timed(rs.tree):.2f} s CPU")
    differ = {"pyromark": 0, "markdown-it-pyrs": 0}
    count = 0
    for text in texts:
        ours = mdit_paragraphs(md, text)
        count += len(ours)
        differ["pyromark"] += ours != pyromark_paragraphs(text, options)
        differ["markdown-it-pyrs"] += ours != pyrs_paragraphs(rs, text)
    print(f"paragraphs outside lists (markdown-it-py): {count}")
    for name, n in differ.items():
        print(f"{name}: files whose paragraph line spans differ: {n} of {len(texts)}")


if __name__ == "__main__":
    main()
