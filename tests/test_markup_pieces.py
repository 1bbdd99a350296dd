"""Long Markdown and HTML are read a piece at a time, with exactly the paragraphs of a whole
reading: the same spans, columns, bytes, compared texts and structure decisions."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.core.models import Document
from dedup.engines import stream
from dedup.engines.pipeline import find_duplicates
from dedup.engines.stream import find_duplicates_streaming
from dedup.inputs.paragraph_limit import oversized
from dedup.inputs.reader import read_document, resolve_syntax
from dedup.text import pieces
from dedup.text.pieces import layout_pieces, piece_paragraphs
from dedup.text.segment import segment
from dedup.text.segment_html import html_block_stream, html_blocks, scan
from dedup.text.structure import Structure

# Lines that open, continue and close every kind of CommonMark block, and the directives
# and front matter the structure rules mask.
MD_LINE = st.sampled_from(
    [
        "",
        "  ",
        "\t",
        "Some words of prose here.",
        "For example:",
        "more words *em* and `code` [link](http://x) ![img](y.png)",
        "See [the notes][ref] now.",
        "[ref]: https://example.com/notes",
        "[ref]:",
        "  https://example.com 'title'",
        "# Heading",
        "## Sub heading ##",
        "Title",
        "=====",
        "---",
        "***",
        "- item one",
        "- item two words here",
        "* star item",
        "1. first",
        "2) second",
        "  continued in the item",
        "    indented code or item text",
        "      deeper",
        "> quoted words here",
        "> > nested quote",
        ">",
        "```",
        "```python",
        "~~~",
        "    ```",
        "<div>",
        "</div>",
        "<!-- a comment",
        "-->",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<?php x ?>",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "+++",
        "{",
        "}",
        ":::",
        "::: note",
        "!!! note",
        "    admonition body words",
        '=== "Tab"',
        "{% raw %}",
        "{% endraw %}",
        "{{< highlight go >}}",
        "{{< /highlight >}}",
        "--8<--",
        "{{ include }}",
        ":name: value",
        "Filename: src/main.rs",
        "See [the guide][g] for more detail.",  # a reference link defined further down
        "The [props][] of a component are its inputs, read once per render.",
        "[g]: https://example.com/guide",
        "[Props]: props.md",
        "Words with a {{ tag }} inside them.",
        "\x0c",
        "ünïcode wörds ß 漢字",
    ]
)
#: Without the openers that run on to the end of a document when left open (fences, HTML
#: comments and raw blocks): documents that are cut more often.
_RUN_ON = ("```", "~~~", "<!--", "<pre>", "<script>", "<?", "<![", "{% raw", "{{< high")
TAME_LINE = MD_LINE.filter(lambda line: not line.startswith(_RUN_ON))
END = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@st.composite
def markdown_texts(draw: st.DrawFn) -> str:
    # Runs of a few lines, mostly between blank lines: where a piece may be cut.
    line = draw(st.sampled_from([MD_LINE, TAME_LINE]))
    runs = draw(st.lists(st.lists(st.tuples(line, END), min_size=1, max_size=4), max_size=25))
    gaps = draw(st.lists(st.sampled_from(["", "\n", "\n", " \n", "\n\n"]), min_size=len(runs)))
    text = "".join(
        "".join(a + b for a, b in run) + gap for run, gap in zip(runs, gaps, strict=False)
    )
    if draw(st.booleans()):
        text = "---\ntitle: x\n---\n" + text  # YAML front matter
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


RULES = st.sampled_from([Structure(), Structure(frozenset({"directives", "front-matter"}))])


def _same(doc: Document, size: int, rules: Structure) -> None:
    whole = segment(doc, 2, rules=rules)
    pieces = layout_pieces(doc, rules, size, longer_than=-1)
    assert pieces is not None
    got = list(piece_paragraphs(doc, 2, pieces))
    assert [p for p, _ in got] == list(whole.paragraphs)
    assert [c for _, c in got] == list(whole.compare)
    assert whole.ignored == frozenset()


@settings(max_examples=150, deadline=None)
@given(markdown_texts(), st.integers(min_value=1, max_value=80), RULES)
def test_markdown_pieces_give_the_paragraphs_of_the_whole(
    text: str, size: int, rules: Structure
) -> None:
    _same(Document("a.md", text, syntax="markdown"), size, rules)


@settings(max_examples=40, deadline=None)
@given(markdown_texts(), st.integers(min_value=1, max_value=80))
def test_markdown_pieces_keep_bytes_of_any_encoding(text: str, size: int) -> None:
    _same(Document("a.md", text, syntax="markdown", encoding="utf-16"), size, Structure())


HTML_PART = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<p class='x'>",
        "<li>",
        "</li>",
        "<ul>",
        "</ul>",
        "<ol>",
        "<blockquote>",
        "</blockquote>",
        "<dd>",
        "<dt>",
        "<dl>",
        "<figcaption>",
        "<div>",
        "</div>",
        "<h2>",
        "</h2>",
        "<table>",
        "<tr>",
        "<td>",
        "</table>",
        "<head>",
        "<title>",
        "<body>",
        "<script>",
        "</script>",
        "<style>a { b: c }</style>",
        "<nav>",
        "</nav>",
        "<span hidden>",
        "</span>",
        "<a href='u'>",
        "</a>",
        "<em>",
        "</em>",
        "<br>",
        "<br/>",
        "<img alt='a picture'>",
        "<p/>",
        "<!-- comment -->",
        "<!--",
        "-->",
        "<![CDATA[x]]>",
        "<!DOCTYPE html>",
        "<?pi?>",
        "</",
        "<",
        "&amp;",
        "&#123;&#123; x }}",
        "&lt;",
        "&",
        " ",
        "\n",
        "\r\n",
        "words of prose",
        "Some more words here.",
        "{{ tag }} with words",
        "ünïcode ß 漢字",
    ]
)


@st.composite
def html_texts(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(HTML_PART, min_size=1, max_size=80)))


@settings(max_examples=200, deadline=None)
@given(html_texts(), st.integers(min_value=1, max_value=50))
def test_html_read_a_slice_at_a_time_gives_the_same_paragraphs(text: str, feed: int) -> None:
    whole = html_blocks(text)
    assert list(html_block_stream(text, feed)) == whole
    assert [(e.start, e.end) for e in scan(text, feed) if e.kind != "data"] == [
        (e.start, e.end) for e in scan(text) if e.kind != "data"
    ]


@settings(max_examples=150, deadline=None)
@given(html_texts(), st.integers(min_value=1, max_value=80), RULES)
def test_html_pieces_give_the_paragraphs_of_the_whole(
    text: str, size: int, rules: Structure
) -> None:
    _same(Document("a.html", text, syntax="html"), size, rules)


ROOT = Path(__file__).parent


def _real_files() -> list[Path]:
    found = [
        p
        for base in (ROOT / "cases", ROOT / "data" / "docs")
        for p in base.rglob("*")
        if p.suffix.lower() in {".md", ".markdown", ".html", ".htm"}
    ]
    return sorted(found)


def test_the_markdown_and_html_files_of_the_tests_read_the_same_in_pieces() -> None:
    checked = 0
    for n, path in enumerate(_real_files()[::5]):  # a fifth of them: the suite stays fast
        doc = read_document(str(path))
        doc = Document(doc.path, doc.text, doc.encoding, doc.bom, resolve_syntax(str(path), "auto"))
        if "dedup-ignore" in doc.text or len(doc.text) < 2000:
            continue
        _same(doc, (1, 100, 700)[n % 3], Structure())
        checked += 1
    assert checked > 25


def test_short_documents_and_ignore_comments_are_read_whole() -> None:
    body = "Words of prose.\n\n" * 10
    assert layout_pieces(Document("a.md", body, syntax="markdown"), longer_than=0) is not None
    assert layout_pieces(Document("a.md", body, syntax="markdown")) is None
    marked = Document("a.md", body + "<!-- dedup-ignore-next -->\n", syntax="markdown")
    assert layout_pieces(marked, longer_than=0) is None
    assert layout_pieces(Document("a.rst", body, syntax="rst"), longer_than=0) is None


def _long_document(syntax: str) -> Document:
    rng = random.Random(11)
    vocabulary = [f"w{n}" for n in range(3000)]
    paragraphs = [" ".join(rng.choices(vocabulary, k=12)) for _ in range(1500)]
    for i in range(0, 1500, 37):  # exact repeats, near and far
        paragraphs[(i * 7919) % 1500] = paragraphs[i]
    parts: list[str] = []
    for n, p in enumerate(paragraphs):
        if syntax == "html":
            parts.append(f"<h2>Part {n}</h2>\n<p>{p}</p>\n" if n % 9 == 0 else f"<p>{p}</p>\n")
        elif n % 9 == 0:
            parts.append(f"## Part {n}\n\n- {p}\n- item\n\n```\ncode\n```\n\n")
        else:
            parts.append(f"{p}\n\n")
    return Document(
        f"big.{syntax}", "".join(parts), syntax="markdown" if syntax == "md" else syntax
    )


@pytest.mark.parametrize("syntax", ["md", "html"])
def test_a_long_document_gives_the_same_report_read_in_pieces(
    syntax: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The streaming engine reads a long document in pieces (here small ones, so that a
    # short document has many), the in-memory engine whole: the same groups.
    small = functools.partial(pieces.layout_pieces, size=3000, longer_than=10_000)
    monkeypatch.setattr(stream, "layout_pieces", small)
    doc = _long_document(syntax)
    assert len(list(small(doc) or [])) > 10
    streamed = find_duplicates_streaming(lambda: [doc], jobs=1)
    whole = find_duplicates([doc])
    assert [(g.kept, g.duplicates) for g in streamed.groups] == [
        (g.kept, g.duplicates) for g in whole.groups
    ]
    assert streamed.groups
    assert streamed.paragraph_count == whole.paragraph_count


def test_an_html_paragraph_compares_the_same_whatever_else_the_document_holds() -> None:
    # Template tags are not words a reader reads: they are out of what a paragraph is
    # compared by, as in Markdown and plain text, whether or not another paragraph of the
    # document is structure (each paragraph is judged alone, so pieces can be).
    alone = "<p>Adjust the radius at ({{ selected.cx }}) now</p>\n"
    with_label = alone + "<p>Filename: x</p>\n"
    for text in (alone, with_label):
        compare = segment(Document("a.html", text, syntax="html")).compare
        assert compare == ("Adjust the radius at ( ) now",)


def _oversized_whole(doc: Document, limit: int) -> int | None:
    for p in segment(doc).paragraphs:
        if p.byte_end - p.byte_start > limit:
            return p.start_line
    return None


@settings(max_examples=150, deadline=None)
@given(markdown_texts(), html_texts(), st.integers(min_value=0, max_value=120))
def test_the_paragraph_limit_finds_what_a_whole_reading_finds(
    markdown: str, html: str, limit: int
) -> None:
    # Markdown is parsed for the limit only when a run of lines is over it, HTML is read a
    # slice at a time: the same first paragraph over the limit as a whole reading.
    for doc in (
        Document("a.md", markdown, syntax="markdown", encoding="utf-16"),
        Document("a.html", html, syntax="html"),
    ):
        assert oversized(doc, limit) == _oversized_whole(doc, limit)


def test_a_piece_never_starts_inside_the_front_matter() -> None:
    # Cut after the blank line, the rest read as prose and its closing "---" as an underline.
    text = "---\n\nSome words of prose here.\n\nSome words of prose here.\nSome words.\n---\n"
    _same(Document("a.md", text, syntax="markdown"), 1, Structure())
