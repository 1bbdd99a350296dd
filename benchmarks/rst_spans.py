"""Check reStructuredText spans on a real tree, and time the segmentation.

For every ``.rst`` file under the folders given, ``dedup.text.segment_rst.rst_blocks`` must:

- place every prose paragraph docutils finds (none left out for want of a span) and never
  fall back to the plain-text rules;
- give blocks in order and disjoint;
- span exactly the paragraph's source: the block's lines, dedented and joined, hold the
  paragraph's raw text, its first line ending the block's first line (after a bullet,
  a field name or a directive's ``::``) and every other line whole, no line blank; or,
  for a paragraph that is the whole body of a ``.. note::``-like directive, the block
  starts at the directive's line and ends with exactly those lines;
- compare only words that are in its lines: each word of the compared text appears in the
  block's source (or, for a role's rewritten target such as ``~a.b.c`` -> ``c``, or a
  substitution's text, as a subsequence of its letters: markup only removes).

It prints one line per failure and a summary with the time per file, and exits 1 on any
failure. Reads nothing but the files given.

    python benchmarks/rst_spans.py ../shared/corpora/docs/flask/docs
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from dedup.text import segment_rst
from dedup.text.segment import Lines
from dedup.text.segment_rst import rst_blocks


def _subsequence(word: str, text: str) -> bool:
    it = iter(text)
    return all(c in it for c in word)


def check_file(path: Path) -> tuple[int, list[str]]:
    """Return the number of blocks and the failures of one file."""
    text = path.read_text(encoding="utf-8")
    lines = Lines.of(text)
    blocks = rst_blocks(lines)
    document = segment_rst._parse(text)
    paragraphs = [
        p for p in segment_rst._paragraphs(document) if segment_rst._words(p, document).strip()
    ]
    failures: list[str] = []
    if len(paragraphs) != len(blocks):
        failures.append(f"{path}: {len(paragraphs)} paragraphs, {len(blocks)} blocks")
    previous = 0
    for b, p in zip(blocks, paragraphs, strict=False):
        where = f"{path}:{b.first + 1}-{b.stop}"
        source = [lines.line(i).expandtabs(8).strip() for i in range(b.first, b.stop)]
        raw = [r.strip() for r in p.rawsource.split("\n")]
        if b.first < previous or b.stop <= b.first:
            failures.append(f"{where}: out of order or empty")
        previous = b.stop
        own = source
        if len(source) > len(raw) and source[0].startswith(".. "):
            own = source[len(source) - len(raw) :]  # a directive whose body is this paragraph
        joined, wanted = "\n".join(own), "\n".join(raw)
        if (
            len(own) != len(raw)
            or not all(own)
            or wanted not in joined
            or not own[0].endswith(raw[0])
            or own[1:] != raw[1:]
        ):
            failures.append(f"{where}: lines {source[:2]!r} are not {raw[:2]!r}")
        low = joined.lower()
        for word in re.findall(r"\w+", b.compare.lower()):
            if word not in low and not _subsequence(word, low):
                failures.append(f"{where}: compared word {word!r} is not in the source")
    return len(blocks), failures


def main(folders: list[str]) -> int:
    fallbacks: list[str] = []
    original = segment_rst.text_blocks

    def no_fallback(lines: Lines) -> list[segment_rst.Block]:
        fallbacks.append(lines.text[:40])
        return original(lines)

    segment_rst.text_blocks = no_fallback
    files = sorted(f for folder in folders for f in Path(folder).rglob("*.rst"))
    total, failures = 0, []
    for f in files:
        n, bad = check_file(f)
        total += n
        failures.extend(bad)
    failures.extend(f"fell back to text rules: {t!r}" for t in fallbacks)
    for line in failures:
        print(line)
    texts = [Lines.of(f.read_text(encoding="utf-8")) for f in files]
    start = time.perf_counter()
    for lines in texts:
        rst_blocks(lines)
    seconds = time.perf_counter() - start
    size = sum(len(t.text) for t in texts)
    print(
        f"{len(files)} files, {size / 1000:.0f} kB, {total} paragraphs, {len(failures)} failures; "
        f"rst_blocks {seconds:.2f} s ({seconds / max(1, len(files)) * 1000:.1f} ms per file, "
        f"{size / max(seconds, 1e-9) / 1000:.0f} kB/s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
