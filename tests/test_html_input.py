"""HTML input: which elements are paragraphs, what is ignored, and cuts that keep every other byte.

Files ending in .html, .htm or .xhtml are read as HTML; ``--syntax html`` makes any
input HTML, JSONL text fields included. Every cleaning test compares whole outputs.
"""

from __future__ import annotations

import html
import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import dedup
from dedup import Document
from dedup.cli import app
from dedup.core.settings import Settings
from dedup.text.segment import segment
from dedup.text.structure import Structure

REPO = Path(__file__).resolve().parent.parent
STORM = REPO / "tests" / "data" / "storm-live-blog.html"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


#: The parser's tests read every paragraph element: the structure rules that judge a
#: paragraph by its markup (a link-only item, a two-word fragment) are off here and tested
#: in tests/test_structure.py, for HTML as for Markdown.
PARSER = Structure(frozenset({"images", "links", "labels", "pointers", "code-only", "fragments"}))


def paragraphs(text: str) -> list[tuple[str, str]]:
    """Return (source span, compared words) for each paragraph of an HTML text."""
    seg = segment(Document("page.html", text, syntax="html"), rules=PARSER)
    return [(p.text, c) for p, c in zip(seg.paragraphs, seg.compare, strict=True)]


def cleaned(text: str) -> str:
    settings = Settings(structure=PARSER)
    [result], _ = dedup.clean([Document("page.html", text, syntax="html")], settings)
    return result.text


# --------------------------------------------------------------------------- paragraphs


def test_paragraph_elements_are_found_and_headings_are_structure() -> None:
    page = (
        "<h1>Storm live</h1>\n"
        "<p>First <a href='/x'>post</a>.</p>\n"
        "<ul><li>One item</li>\n<li>Two item</li></ul>\n"
        "<blockquote>A quoted line</blockquote>\n"
        "<dl><dt>Term</dt><dd>Its definition</dd></dl>\n"
        "<figure><img src='a.jpg' alt='A pier'><figcaption>The pier at dusk</figcaption></figure>\n"
        "<h2>Later</h2><pre>code stays</pre><table><tr><td>cell text</td></tr></table>\n"
        "<div>loose text in a div</div>\n"
    )
    assert paragraphs(page) == [
        ("<p>First <a href='/x'>post</a>.</p>", "First post."),
        ("<li>One item</li>", "One item"),
        ("<li>Two item</li>", "Two item"),
        ("<blockquote>A quoted line</blockquote>", "A quoted line"),
        ("<dd>Its definition</dd>", "Its definition"),
        ("<figcaption>The pier at dusk</figcaption>", "The pier at dusk"),
    ]


def test_paragraphs_in_table_cells_are_structure() -> None:
    # Node's history tables: <td><p>...</p></td> is a table's cell, as in Markdown.
    page = (
        "<table><tr><td><p>The object no longer exposes native C++ bindings.</p></td></tr>"
        "</table>\n<p>A paragraph of prose outside the table.</p>\n"
    )
    assert [c for _, c in paragraphs(page)] == ["A paragraph of prose outside the table."]


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="ISO-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />',
    ],
)
def test_an_html_page_is_read_in_the_charset_it_declares(declaration: str) -> None:
    para = "<p>Caf\u00e9 owners and fishermen met at noon by the quay in the old town.</p>\n"
    page = f"<html><head>{declaration}</head><body>\n{para}<p>Between.</p>\n{para}</body></html>\n"
    Path("page.html").write_bytes(page.encode("latin-1"))
    code, _, err = invoke("clean", "page.html", "-o", "out.html")
    assert (code, err.splitlines()[0][:22]) == (0, "dedup: removed 1 of 3 ")
    head, _, tail = page.rpartition(para)  # the second copy goes, every other byte stays
    assert Path("out.html").read_bytes() == (head + tail).encode("latin-1")


@pytest.mark.parametrize("declared", ["", '<meta charset="utf-16">'])
def test_an_html_page_that_declares_nothing_is_refused_with_a_hint(declared: str) -> None:
    # A page's own "utf-16" is read as UTF-8 (the HTML standard): the UTF-8 error stands.
    Path("page.html").write_bytes(f"{declared}<p>Caf\u00e9</p>\n".encode("latin-1"))
    code, _, err = invoke("check", "page.html")
    assert code == 2
    assert "not valid UTF-8" in err and "--encoding latin-1" in err


def test_repeated_headings_stay() -> None:
    page = "<h2>Latest updates</h2>\n<p>One.</p>\n<h2>Latest updates</h2>\n<p>Two.</p>\n"
    assert cleaned(page) == page


def test_scripts_styles_navigation_head_and_comments_are_ignored() -> None:
    said = "The harbour wall held overnight, the council said."
    page = (
        f"<html><head><title>{said}</title><style>p::after {{ content: '{said}' }}</style>"
        f"</head><body>\n"
        f"<nav><p>{said}</p></nav>\n"
        f"<div role='navigation'><ul><li>{said}</li></ul></div>\n"
        f"<p hidden>{said}</p>\n"
        f"<noscript><p>{said}</p></noscript><template><p>{said}</p></template>\n"
        f"<script>document.write('<p>{said}</p>');</script>\n"
        f"<!-- <p>{said}</p> -->\n"
        f"<p>{said}</p>\n"
        "</body></html>\n"
    )
    assert paragraphs(page) == [(f"<p>{said}</p>", said)]
    assert cleaned(page) == page


@pytest.mark.parametrize("cls", ["headerlink", "hash-link", "header-anchor", "mark"])
def test_a_permalink_mark_is_no_word_of_the_paragraph(cls: str) -> None:
    # Sphinx's HTML: <dt>kw<a class="headerlink" href="#kw">¶</a></dt>
    got = paragraphs(f'<p>The keyword arguments <a class="{cls}" href="#kw">¶</a></p>\n')
    assert [c for _, c in got] == ["The keyword arguments"]


def test_markup_entities_and_link_targets_do_not_make_a_difference() -> None:
    a = "<p>Caf&eacute; owners &amp; <a href='/one'>fishermen</a> met at&nbsp;noon by the quay.</p>"
    b = '<p>Café owners &#38; <em>fishermen</em>\n  met at <a href="/two">noon</a> by the quay.</p>'
    assert [c for _, c in paragraphs(f"{a}\n{b}\n")] == [
        "Café owners & fishermen met at noon by the quay.",
        "Café owners & fishermen met at noon by the quay.",
    ]
    Path("page.html").write_text(f"{a}\n{b}\n", encoding="utf-8")
    code, out, _ = invoke("check", "page.html")
    assert code == 1
    assert (
        out.splitlines()[0]
        == 'page.html:2:1: dedup/exact: "Café owners & fishermen met at noon by …" '
        "repeats page.html:1 (similarity 1.00)"
    )


def test_nested_blocks_count_text_once() -> None:
    page = (
        "<ul>\n"
        "  <li>Intro to the list\n"
        "    <ul><li>Nested item</li></ul>\n"
        "  and a tail</li>\n"
        "</ul>\n"
        "<blockquote><p>Quoted one.</p>Loose quoted words<p>Quoted two.</p></blockquote>\n"
        "<li><p>Wrapped paragraph.</p></li>\n"
    )
    assert paragraphs(page) == [
        ("Intro to the list", "Intro to the list"),
        ("<li>Nested item</li>", "Nested item"),
        ("and a tail", "and a tail"),
        ("<p>Quoted one.</p>", "Quoted one."),
        ("Loose quoted words", "Loose quoted words"),
        ("<p>Quoted two.</p>", "Quoted two."),
        # A list item holding one paragraph and nothing else is that paragraph.
        ("<li><p>Wrapped paragraph.</p></li>", "Wrapped paragraph."),
    ]


def test_unclosed_elements_end_with_their_content() -> None:
    page = "<p>First words here.\n<p>Other words.\n<!-- note -->\n<p>First words here.\n"
    assert [s for s, _ in paragraphs(page)] == [
        "<p>First words here.",
        "<p>Other words.",
        "<p>First words here.",
    ]
    assert cleaned(page) == "<p>First words here.\n<p>Other words.\n<!-- note -->\n"


def test_dedup_ignore_comments() -> None:
    same = "<p>The same sentence again and again.</p>"
    page = (
        f"{same}\n<!-- dedup-ignore-next -->\n{same}\n{same}\n"
        f"<!-- dedup-ignore-start --><ul><li>{same}</li></ul><!-- dedup-ignore-end -->\n"
    )
    assert cleaned(page) == f"{same}\n<!-- dedup-ignore-next -->\n{same}\n" + (
        f"<!-- dedup-ignore-start --><ul><li>{same}</li></ul><!-- dedup-ignore-end -->\n"
    )
    ignored = f"<!-- dedup-ignore-file -->\n{same}\n{same}\n"
    assert cleaned(ignored) == ignored


# --------------------------------------------------------------------------- cutting


def test_clean_of_a_page_keeps_every_other_byte() -> None:
    page = STORM.read_text(encoding="utf-8")
    ferry = '<li><a href="#post-4">Ferry services cancelled until Friday</a></li>'
    quote = (
        "    <blockquote>\n"
        "      <p>&ldquo;We would rather move people <em>twice</em> for nothing than once too "
        "late. If you are asked to leave, please go, and please check on your neighbours on "
        "the way out.&rdquo;</p>\n"
        "    </blockquote>\n"
    )
    near = (
        "    <p>The council has ordered the evacuation of Harbour Road and the lower end of "
        "Chapel Street ahead of the high tide at 21:10, when forecasters expect a surge of up "
        "to 1.2 metres on top of the tide, the mayor said.</p>\n"
    )
    assert page.count(ferry + ferry) == 1
    assert page.count(quote + near) == 1
    # The contents list's links and the timestamps have no prose of their own (structure,
    # as in Markdown): the doubled link stays.
    expected = page.replace(quote + near, "")
    shutil.copy(STORM, "storm.html")

    code, out, err = invoke("clean", "storm.html", "-o", "out.html")

    assert (code, out) == (0, "")
    assert err == "dedup: removed 2 of 17 paragraphs (1 exact, 1 near) → out.html\n"
    assert Path("out.html").read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (  # list items side by side
            "<ul><li>Ferries resume Friday.</li><li>Schools shut.</li>"
            "<li>Ferries resume Friday.</li><li>Roads open.</li></ul>\n",
            "<ul><li>Ferries resume Friday.</li><li>Schools shut.</li><li>Roads open.</li></ul>\n",
        ),
        (  # minified page on one line, no final newline
            "<html><body><p>Same words here.</p><p>Other words.</p><p>Same words here.</p>"
            "<p>Last.</p></body></html>",
            "<html><body><p>Same words here.</p><p>Other words.</p><p>Last.</p></body></html>",
        ),
        (  # separated by spaces: one adjoining run of spaces goes with the element
            "  <p>Same words here.</p> <p>Other.</p> <p>Same words here.</p>\n<p>Next.</p>\n",
            "  <p>Same words here.</p> <p>Other.</p>\n<p>Next.</p>\n",
        ),
        (
            "<p>Other.</p> <p>Same words here.</p> <p>Same words here.</p> <p>End.</p>\n",
            "<p>Other.</p> <p>Same words here.</p> <p>End.</p>\n",
        ),
        (  # neighbours removed together take one run of spaces, not two
            "<p>One two.</p> <p>Three four.</p> <p>Three four.</p> <p>One two.</p>\n",
            "<p>One two.</p> <p>Three four.</p>\n",
        ),
        (  # an unclosed li ends where its words end
            "<ul><li>Repeat me please<li>Other<li>Repeat me please</ul>\n",
            "<ul><li>Repeat me please<li>Other</ul>\n",
        ),
        (  # a removed element spanning lines, sharing its first and last line
            "<p>Kept one.</p><p>Twice said\nwords.</p>\n<p>Twice said words.</p><p>Tail.</p>\n",
            "<p>Kept one.</p><p>Twice said\nwords.</p>\n<p>Tail.</p>\n",
        ),
        (  # all elements of a line removed: the line goes, and one blank separator
            "<p>Alpha beta.</p>\n\n<p>Gamma.</p>\n\n"
            "<p>Alpha beta.</p><p>Gamma.</p>\n\n<p>End.</p>\n",
            "<p>Alpha beta.</p>\n\n<p>Gamma.</p>\n\n<p>End.</p>\n",
        ),
    ],
    ids=[
        "list",
        "minified",
        "spaces-after",
        "spaces-before",
        "neighbours",
        "unclosed",
        "multiline",
        "whole",
    ],
)
def test_elements_sharing_a_line_are_cut_exactly(page: str, expected: str) -> None:
    assert cleaned(page) == expected


def test_crlf_and_bom_are_kept() -> None:
    Path("win.html").write_bytes(
        b"\xef\xbb\xbf<p>Same words here.</p>\r\n<ul><li>x</li><li>Same words here.</li></ul>\r\n"
    )
    assert invoke("clean", "win.html", "-o", "out.html", "-q")[0] == 0
    assert Path("out.html").read_bytes() == (
        b"\xef\xbb\xbf<p>Same words here.</p>\r\n<ul><li>x</li></ul>\r\n"
    )


OPEN_COMMENT = "<p>Same.</p><!-- never closed <p>Same.</p>"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<p>one two<p>three four<p>one two", "<p>one two<p>three four"),
        ("</p><p>Repeat me.</p></p><p>Repeat me.</p>", "</p><p>Repeat me.</p></p>"),
        (
            "<![foo[x]]>\n<p>Same words.</p>\n<p>Same words.</p>\n",
            "<![foo[x]]>\n<p>Same words.</p>\n",
        ),
        (OPEN_COMMENT, OPEN_COMMENT),  # the second p is inside the comment
        ("<p>Same words.</p>\n<p>Same words.</p>\n<p", "<p>Same words.</p>\n<p"),
        (
            "<p>Same words.</p><script>var x = '<p>Same words.</p>'",
            "<p>Same words.</p><script>var x = '<p>Same words.</p>'",
        ),
        ("<p>a <b>b <i>c</b> d</i> e</p>\n<p>a b c d e</p>\n", "<p>a <b>b <i>c</b> d</i> e</p>\n"),
        ("<P CLASS=x>Upper case.</P >\n<p>Upper case.</p>", "<P CLASS=x>Upper case.</P >"),
    ],
    ids=["p-in-p", "stray-end", "bad-section", "open-comment", "open-tag", "open-script",
         "misnested", "upper-case"],
)  # fmt: skip
def test_malformed_html_is_read_leniently(page: str, expected: str) -> None:
    assert cleaned(page) == expected


def test_html_that_is_not_utf8_is_refused_like_any_file() -> None:
    Path("latin.html").write_bytes("<p>Caf\xe9 owners say no.</p>\n".encode("latin-1"))
    code, out, err = invoke("clean", "latin.html")
    assert (code, out) == (2, "")
    assert err == (
        "error: latin.html: not valid UTF-8 (byte 0xe9 at offset 6); pass --encoding to name "
        "its encoding, for example --encoding latin-1\n"
    )
    Path("latin.html").write_bytes(
        "<p>Café owners say no.</p><p>Café owners say no.</p>\n".encode("latin-1")
    )
    assert invoke("clean", "latin.html", "--encoding", "latin-1", "-o", "out.html", "-q")[0] == 0
    assert Path("out.html").read_bytes() == "<p>Café owners say no.</p>\n".encode("latin-1")


# --------------------------------------------------------------------------- inputs


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "page.xhtml"])
def test_auto_syntax_by_extension(name: str) -> None:
    Path(name).write_text("<p>Same words here.</p><p>Same words here.</p>\n")
    code, out, _ = invoke("clean", name, "-q")
    assert (code, out) == (0, "<p>Same words here.</p>\n")


def test_stdin_is_html_only_when_asked() -> None:
    page = b"<p>Same words here.</p><p>Same words here.</p>\n"
    assert invoke("clean", "-", "-q", stdin=page)[1] == page.decode()
    code, out, _ = invoke("clean", "-", "-q", "--syntax", "html", stdin=page)
    assert (code, out) == (0, "<p>Same words here.</p>\n")


def test_check_on_a_tree_with_html_files_gives_file_line_col_findings() -> None:
    said = "The harbour wall held overnight, the council said."
    Path("archive/2025").mkdir(parents=True)
    Path("archive/notes.txt").write_text(f"{said}\n\nSomething else entirely.\n")
    Path("archive/2025/a.html").write_text(
        f"<article>\n  <h1>Night one</h1>\n  <p>{said}</p>\n</article>\n"
    )
    Path("archive/2025/b.htm").write_text(
        f"<ul><li>Ferries are cancelled.</li><li>{said}</li></ul>\n"
    )
    Path("archive/post.md").write_text(f"# Post\n\n{said}\n")
    Path("archive/skip.xml").write_text(f"<p>{said}</p>\n")

    # Four copies: boilerplate by default, so count them as copies here.
    code, out, _ = invoke("check", "--boilerplate-copies", "0", "archive")

    assert code == 1
    quote = '"The harbour wall held overnight, the council said." '
    assert out == (
        f"archive/post.md:3:1: dedup/exact: {quote}repeats archive/notes.txt:1 (similarity 1.00)\n"
        f"archive/2025/a.html:3:3: dedup/exact: {quote}repeats archive/notes.txt:1 "
        "(similarity 1.00)\n"
        f"archive/2025/b.htm:1:36: dedup/exact: {quote}repeats archive/notes.txt:1 "
        "(similarity 1.00)\n"
        "3 repeated paragraphs (3 exact) in 6 paragraphs of 4 documents; "
        "3 at or above --fail-on near\n"
    )


def test_configured_syntax_html_and_extensions() -> None:
    Path(".dedup.toml").write_text('syntax = "html"\nextensions = [".page"]\n')
    Path("a.page").write_text("<p>Same words here.</p>\n<p>Same words here.</p>\n")
    code, out, _ = invoke("check", ".")
    assert code == 1
    assert out.startswith(
        'a.page:2:1: dedup/exact: "Same words here." repeats a.page:1 (similarity 1.00)\n'
    )


def test_jsonl_html_fields_are_cleaned_across_records() -> None:
    records = [
        {"id": "a", "text": "<p>The harbour wall held.</p>\n<p>Ferries resume on Friday.</p>"},
        {"id": "b", "text": "<p>Ferries <b>resume</b> on Friday.</p><p>Clean-up begins.</p>"},
        {"id": "c", "text": "<ul><li>New item.</li><li>The harbour wall held.</li></ul>"},
    ]
    Path("c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))

    code, _, err = invoke(
        "clean", "c.jsonl", "--syntax", "html", "--id-field", "id", "-o", "out.jsonl"
    )

    assert code == 0
    assert err == "dedup: removed 2 of 6 paragraphs (2 exact) → out.jsonl\n"
    out = [json.loads(line) for line in Path("out.jsonl").read_text().splitlines()]
    assert [r["text"] for r in out] == [
        records[0]["text"],
        "<p>Clean-up begins.</p>",
        "<ul><li>New item.</li></ul>",
    ]
    # Without --syntax html a text field is plain text: markup is part of its words.
    code, _, err = invoke("clean", "c.jsonl", "--id-field", "id", "-o", "plain.jsonl")
    assert err == "dedup: removed 0 of 4 paragraphs → plain.jsonl\n"


def test_worker_processes_give_the_same_html_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dedup.core.prepare.PARALLEL_MIN_CHARS", 0)  # use worker processes
    records = [
        {"text": f"<ul><li>Item {i % 4} is here.</li><li>Café {i % 3} &amp; more.</li></ul>"}
        for i in range(40)
    ]
    Path("c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    for jobs in ("1", "2"):
        args = ("clean", "c.jsonl", "--syntax", "html", "-o", f"out{jobs}.jsonl", "-q")
        assert invoke(*args, "--jobs", jobs)[0] == 0
    assert Path("out1.jsonl").read_bytes() == Path("out2.jsonl").read_bytes()
    assert Path("out1.jsonl").read_text().count("<li>") == 7


# --------------------------------------------------------------------------- diff, explain


@pytest.mark.parametrize("tool", ["patch", "git"])
def test_unified_diff_of_html_applies_to_what_clean_writes(tool: str) -> None:
    shutil.copy(STORM, "storm.html")
    code, patch, _ = invoke("diff", "--format", "unified", "storm.html")
    assert code == 0
    assert invoke("clean", "storm.html", "-o", "expected.out", "-q")[0] == 0
    if tool == "patch":
        proc = subprocess.run(["patch", "-p0", "-s"], input=patch.encode(), capture_output=True)
    else:
        proc = subprocess.run(
            ["git", "apply", "-p0", "-"], input=patch.encode(), capture_output=True
        )
    assert proc.returncode == 0, proc.stderr
    assert Path("storm.html").read_bytes() == Path("expected.out").read_bytes()


def test_terminal_view_strikes_only_the_cut_part_of_a_shared_line() -> None:
    Path("p.html").write_text(
        "<p>Same words here.</p>\n<ul><li>Kept.</li><li>Same words here.</li></ul>\n"
    )
    code, out, _ = invoke("diff", "--format", "terminal", "p.html")
    assert code == 0
    rows = [line.rstrip() for line in out.splitlines()]
    assert "~    2 │ <ul><li>Kept.</li>[-<li>Same words here.</li>-]</ul>" in rows
    assert "         ↳ exact 1.00  repeats p.html:1" in rows


def test_explain_takes_the_line_and_column_check_prints() -> None:
    Path("p.html").write_text(
        "<ul><li>Ferries are cancelled until Friday.</li><li>Schools close at noon.</li>"
        "<li>Ferries are <b>cancelled</b> until Friday.</li></ul>\n"
    )
    code, out, _ = invoke("check", "p.html")
    assert out.splitlines()[0] == (
        'p.html:1:80: dedup/exact: "Ferries are cancelled until Friday." '
        "repeats p.html:1 (similarity 1.00)"
    )
    code, out, _ = invoke("explain", "p.html:1:5", "p.html:1:80")
    assert code == 0
    assert "(paragraph 1)" in out
    assert "(paragraph 3)" in out
    assert "kind               exact" in out
    assert invoke("explain", "p.html:1:1", "p.html:1:80")[2] == (
        "error: p.html:1:1: no paragraph there (a blank line, heading, code or past the end)\n"
    )


def test_markdown_notes_show_html_as_code() -> None:
    Path("p.html").write_text(
        "<p>The wall held, said the <a href='/m'>mayor</a> at noon.</p>\n"
        "<p>The wall held, said the mayor at noon today.</p>\n"
    )
    assert invoke("clean", "p.html", "-o", "out.html", "--notes", "notes.md", "-q")[0] == 0
    notes = Path("notes.md").read_text()
    assert (
        "Removed:\n\n```html\n<p>The wall held, said the mayor at noon today.</p>\n```\n\n"
        "Kept (line 1):\n\n```html\n"
        "<p>The wall held, said the <a href='/m'>mayor</a> at noon.</p>\n```\n\n"
        "Words that differ (kept → removed): “noon.” → “noon today.”.\n"
    ) in notes


def test_word_differences_are_between_visible_words() -> None:
    shutil.copy(STORM, "storm.html")
    code, out, _ = invoke("explain", "storm.html:44", "storm.html:64")
    assert code == 0
    assert "words that differ  tide. → tide, the mayor said." in out
    invoke("diff", "storm.html", "--html", "report.html", "-q")
    report = Path("report.html").read_text()
    assert "<ins>tide, the mayor said.</ins>" in report
    assert "&lt;blockquote&gt;" in report  # sources are shown escaped, never rendered


# --------------------------------------------------------------------------- properties

SENTENCES = (
    "Café owners & fishermen met the mayor at noon.",
    "“Nobody should be on the sea wall tonight,” she said.",
    "Ferries to the islands are cancelled until Friday.",
    "Schools close at 12:30 and buses leave at 13:10.",
    "Wind speeds above 80mph are possible <on> exposed headlands.",
    "The rest centre at St Brendan’s school has 60 beds.",
)


@st.composite
def marked_up(draw: st.DrawFn, sentence: str) -> str:
    """Return ``sentence`` as HTML, with markup that does not change its words."""
    words = [html.escape(w, quote=False) for w in sentence.split(" ")]
    style = draw(st.sampled_from(("plain", "bold", "link", "entities")))
    if style == "bold":
        words[0] = f"<b>{words[0]}</b>"
    elif style == "link":
        words[-2] = f'<a href="/x?a=1&amp;b={len(words)}">{words[-2]}</a>'
    elif style == "entities":
        words = [w.replace("é", "&eacute;").replace("’", "&rsquo;") for w in words]
    return " ".join(words)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Return a page of paragraphs laid out in the ways HTML allows, with repeats."""
    picks = draw(st.lists(st.integers(0, len(SENTENCES) - 1), min_size=2, max_size=9))
    picks.append(picks[0])  # at least one exact repeat
    picks = draw(st.permutations(picks))
    chunks: list[str] = []
    i = 0
    while i < len(picks):
        take = draw(st.integers(1, 3))
        group = [draw(marked_up(SENTENCES[k])) for k in picks[i : i + take]]
        i += take
        layout = draw(st.sampled_from(("lines", "inline", "list", "list-lines", "quote", "open")))
        indent = draw(st.sampled_from(("", "  ")))
        if layout == "lines":
            chunks.append("\n".join(f"{indent}<p>{g}</p>" for g in group))
        elif layout == "inline":
            gap = draw(st.sampled_from(("", " ")))
            chunks.append(indent + gap.join(f"<p>{g}</p>" for g in group))
        elif layout == "list":
            chunks.append(f"{indent}<ul>" + "".join(f"<li>{g}</li>" for g in group) + "</ul>")
        elif layout == "list-lines":
            chunks.append("<ol>\n" + "".join(f"{indent}<li>{g}\n" for g in group) + "</ol>")
        elif layout == "quote":
            chunks.append("".join(f"<blockquote>\n<p>{g}</p>\n</blockquote>" for g in group))
        else:
            chunks.append("\n".join(f"<p>{g}" for g in group))
        noise = draw(st.sampled_from(("", "<h2>Update</h2>", "<!-- x -->", "<script>1</script>")))
        if noise:
            chunks.append(noise)
    body = draw(st.sampled_from(("\n", "\n\n"))).join(chunks)
    return "<body>\n" + body + "\n</body>\n" if draw(st.booleans()) else body


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


TAG_SOUP = st.lists(
    st.sampled_from(
        (
            "<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<blockquote>", "</blockquote>",
            "<div>", "</div>", "<b>", "</b>", "<br>", "<h2>", "</h2>", "<nav>", "</nav>",
            "<script>", "</script>", "<table><tr><td>", "</td>", "<!--", "-->", "<![x[",
            "<!-- dedup-ignore-next -->", "<p/>", "</", "<", ">", "&amp;", "&", "\n", "\r\n",
            " ", "same words", "other words", "é", "<img alt='same words'>", "<head>",
        )
    ),
    max_size=40,
).map("".join)  # fmt: skip


@PROPERTY
@given(TAG_SOUP)
def test_any_tag_soup_is_read_and_cut_without_touching_other_bytes(soup: str) -> None:
    doc = Document("soup.html", soup, syntax="html")
    seg = segment(doc)
    spans = [(p.start, p.end) for p in seg.paragraphs]
    assert spans == sorted(spans)
    bounds = [*spans, (len(soup), len(soup))]
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(bounds))
    assert all(text.strip() for text in seg.compare)
    [result], report = dedup.clean([doc])
    at = 0
    gone = {m.paragraph.index for m in report.removals}
    for p in seg.paragraphs:
        if p.index not in gone:
            found = result.text.find(p.text, at)
            assert found >= 0
            at = found + len(p.text)
    assert len(result.text) <= len(soup)


@PROPERTY
@given(html_pages())
def test_cleaning_html_twice_changes_nothing(page: str) -> None:
    once = cleaned(page)
    assert once != page
    [again], report = dedup.clean([Document("page.html", once, syntax="html")])
    assert report.removals == []
    assert again.text == once


@PROPERTY
@given(html_pages())
def test_kept_html_paragraphs_keep_their_bytes_and_are_all_that_is_left(page: str) -> None:
    doc = Document("page.html", page, syntax="html")
    [result], report = dedup.clean([doc])
    gone = {m.paragraph.index for m in report.removals}
    kept = [p for p in report.paragraphs[0] if p.index not in gone]
    at = 0
    for p in kept:  # each kept element is in the output, byte for byte and in order
        found = result.text.find(p.text, at)
        assert found >= 0, p.text
        at = found + len(p.text)
    words = report.compare[0]
    after = segment(Document("page.html", result.text, syntax="html")).compare
    assert list(after) == [words[p.index - 1] for p in kept]
    # Pages without trailing spaces get none: spaces between cut elements go with them.
    assert [line for line in result.text.splitlines() if line != line.rstrip(" ")] == []
