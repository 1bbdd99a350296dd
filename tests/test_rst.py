"""reStructuredText input: prose paragraphs with exact line spans, everything else structure.

Files ending in .rst or .rest are read as reStructuredText (``--syntax rst`` for any
input). docutils parses them; it never reads another file, never prints, and a file it
cannot parse is read with the plain-text rules.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dedup import Document
from dedup.cli import app
from dedup.inputs.reader import resolve_syntax
from dedup.text import segment_rst
from dedup.text.segment import Lines, compare_texts, segment, text_blocks
from dedup.text.segment_rst import role_text, rst_blocks

DATA = Path(__file__).parent / "data" / "rst"


def spans(text: str) -> list[tuple[int, int, str]]:
    """Return (first, stop, compared words joined by single spaces) of each block."""
    return [(b.first, b.stop, " ".join(b.compare.split())) for b in rst_blocks(Lines.of(text))]


def words(text: str) -> list[str]:
    return [w for _, _, w in spans(text)]


# --- real pages ---------------------------------------------------------------------------


def test_flask_proxy_fix_paragraphs_around_a_code_block() -> None:
    text = (DATA / "proxy_fix.rst").read_text(encoding="utf-8")
    found = spans(text)
    assert [(a, b) for a, b, _ in found] == [(3, 6), (7, 10), (11, 15), (16, 21), (30, 33)]
    # The title (lines 1-2) and the code-block (lines 23-29) are structure.
    assert found[2][2] == (
        "HTTP servers should set X-Forwarded- headers to pass on the real values to the "
        "application. The application can then be told to trust and use those values by "
        "wrapping it with the werkzeug:middleware/proxy_fix middleware provided by Werkzeug."
    )
    assert not any("ProxyFix" in w for _, _, w in found)


def test_flask_gevent_targets_substitutions_and_a_note() -> None:
    text = (DATA / "gevent.rst").read_text(encoding="utf-8")
    found = spans(text)
    assert [(a, b) for a, b, _ in found] == [
        (3, 6), (10, 14), (15, 17), (24, 28), (34, 36), (37, 39), (50, 54),
        (55, 59),  # the note's only paragraph: from its ".. note::" line
        (66, 69), (97, 100), (105, 110), (115, 117),
    ]  # fmt: skip
    by_line = {a: w for a, _, w in found}
    # Links read as their text, a substitution as its replacement, roles as their target.
    assert by_line[3].startswith("Gevent patches Python's standard library")
    assert "called greenlets." in by_line[3]
    assert by_line[37].endswith("such as views, use gevent.spawn():")
    assert (
        "decorate the function with stream_with_context or copy_current_request_context"
        in (by_line[50])
    )
    assert by_line[55] == "When using gevent, greenlet>=1.0 is required. When using PyPy, " + (
        "PyPy>=7.3.7 is required."
    )
    assert not any("https://" in w for w in by_line.values())


def test_segment_paragraphs_are_the_source_lines() -> None:
    text = (DATA / "gevent.rst").read_text(encoding="utf-8")
    seg = segment(Document("gevent.rst", text, syntax="rst"))
    lines = text.splitlines(keepends=True)
    for p in seg.paragraphs:
        assert p.text == "".join(lines[p.start_line - 1 : p.end_line])
    assert seg.paragraphs[7].text.startswith(".. note::\n\n    When using gevent")
    assert compare_texts(Document("gevent.rst", text, syntax="rst"))[0] == seg.compare


# --- what is structure --------------------------------------------------------------------


def test_literal_blocks_and_the_double_colon() -> None:
    text = (
        "Run this::\n"  # 0
        "\n"
        "    Run this and that, a literal line\n"  # 2
        "\n"
        "Then this: ::\n"  # 4
        "\n"
        "    more code\n"
        "\n"
        "::\n"  # 8: only opens the block
        "\n"
        "    code again\n"
        "\n"
        ">>> print('doctest')\n"  # 12
        "doctest\n"
        "\n"
        "After the blocks.\n"  # 15
    )
    assert spans(text) == [(0, 1, "Run this:"), (4, 5, "Then this:"), (15, 16, "After the blocks.")]


def test_directives_are_structure_and_their_bodies_too() -> None:
    text = (
        ".. code-block:: python\n"  # 0
        "   :caption: Same words as the paragraph below\n"
        "\n"
        "   Same words as the paragraph below.\n"
        "\n"
        ".. literalinclude:: example.py\n"  # 5
        "   :lines: 1-3\n"
        "\n"
        ".. toctree::\n"  # 8
        "   :maxdepth: 2\n"
        "\n"
        "   Same words as the paragraph below <page>\n"
        "\n"
        ".. figure:: shot.png\n"  # 13
        "\n"
        "   Same words as the paragraph below, a caption.\n"
        "\n"
        ".. autosummary::\n"  # 17
        "\n"
        "   flask.Flask\n"
        "\n"
        ".. some-extension:: an argument\n"  # 21
        "   :an-option: a value\n"
        "\n"
        "   Same words as the paragraph below in an unknown directive.\n"
        "\n"
        "Same words as the paragraph below.\n"  # 26
    )
    assert spans(text) == [(26, 27, "Same words as the paragraph below.")]


def test_titles_comments_targets_substitution_definitions_tables_and_metadata() -> None:
    text = (
        ":orphan:\n"  # 0: file metadata
        ":tocdepth: 2\n"
        "\n"
        "A title\n"
        "=======\n"
        "\n"
        ".. a comment with words in it\n"  # 6
        "   and a second line\n"
        "\n"
        ".. _a-target:\n"  # 9
        "\n"
        ".. |name| replace:: the Name\n"  # 11
        "\n"
        "=====  =====\n"  # 13: a simple table
        "col a  col b\n"
        "=====  =====\n"
        "\n"
        "+--------+\n"  # 17: a grid table
        "| a cell |\n"
        "+--------+\n"
        "\n"
        "| a line block\n"  # 21
        "| of two lines\n"
        "\n"
        "Prose about |name| here.\n"  # 24
        "\n"
        ":param x: A field list in the body is prose.\n"  # 26
        "   It continues.\n"
        "\n"
        "term\n"  # 29: the term is structure, the definition prose
        "   The definition of the term.\n"
        "\n"
        "----\n"  # 32: a transition
        "\n"
        ".. [#] A footnote is prose.\n"  # 34
    )
    assert spans(text) == [
        (24, 25, "Prose about the Name here."),
        (26, 28, "A field list in the body is prose. It continues."),
        (30, 31, "The definition of the term."),
        (34, 35, "A footnote is prose."),
    ]


def test_admonitions_version_notes_and_object_descriptions_have_prose_bodies() -> None:
    text = (
        ".. note:: A note on the directive's line\n"  # 0: the whole body: from its line
        "   and the next one.\n"
        "\n"
        ".. warning::\n"  # 3
        "   :class: strong\n"
        "\n"
        "   First paragraph of the warning.\n"  # 6: one of two paragraphs: its own lines
        "\n"
        "   Second paragraph of the warning.\n"  # 8
        "\n"
        ".. versionchanged:: 2.0\n"  # 10: the version is structure
        "    The explanation on the next line.\n"
        "\n"
        ".. deprecated:: 3.1 Said on the same line.\n"  # 13
        "\n"
        ".. seealso::\n"  # 15
        "\n"
        "   The other page, :doc:`other`.\n"
        "\n"
        ".. py:function:: send(to, text)\n"  # 19: the signature is structure
        "   :async:\n"
        "\n"
        "   Send a message to someone.\n"  # 22
        "\n"
        ".. admonition:: A title is structure\n"  # 24
        "\n"
        "   The admonition's body.\n"
    )
    assert spans(text) == [
        (0, 2, "A note on the directive's line and the next one."),
        (6, 7, "First paragraph of the warning."),
        (8, 9, "Second paragraph of the warning."),
        (11, 12, "The explanation on the next line."),
        (13, 14, "Said on the same line."),
        (15, 18, "The other page, other."),
        (22, 23, "Send a message to someone."),
        (24, 27, "The admonition's body."),
    ]


def test_lists_and_block_quotes_are_prose() -> None:
    text = (
        "- A bullet item\n"
        "  on two lines.\n"
        "- Another item.\n"
        "\n"
        "   A block quote.\n"  # 4
        "\n"
        "   -- Its attribution\n"
        "\n"
        "#. An enumerated item.\n"  # 8
        "\n"
        "-v, --verbose  An option's description.\n"  # 10
    )
    assert spans(text) == [
        (0, 2, "A bullet item on two lines."),
        (2, 3, "Another item."),
        (4, 5, "A block quote."),
        (8, 9, "An enumerated item."),
        (10, 11, "An option's description."),
    ]


# --- words a reader sees --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "text", "shown"),
    [
        ("ref", "the release notes <changes>", "the release notes"),
        ("ref", "changes", "changes"),
        ("func", "foo", "foo"),
        ("func", "~flask.Flask.foo", "foo"),
        ("class", ".Request", "Request"),
        ("meth", "!flask.Flask.run", "flask.Flask.run"),
        ("py:class", "~.Flask", "Flask"),
        ("pep", "8", "PEP 8"),
        ("rfc", "2616", "RFC 2616"),
        ("abbr", "LIFO (last-in, first-out)", "LIFO"),
        ("emphasis", "stressed", "stressed"),
        ("", "default role", "default role"),
    ],
)
def test_role_text(role: str, text: str, shown: str) -> None:
    assert role_text(role, text) == shown


def test_inline_markup_reads_as_its_text() -> None:
    text = (
        "Use ``literal`` and *emphasis* and **strong** and :ref:`a label <target>`,\n"
        "a link to `the site <https://example.com/path>`_, an anonymous\n"
        "`one <https://example.org>`__, a named link_, a footnote [1]_ and a citation\n"
        "[CIT2002]_ and an escaped \\*star\\*.\n"
        "\n"
        ".. _link: https://example.net\n"
    )
    assert words(text) == [
        "Use literal and emphasis and strong and a label, a link to the site, an anonymous "
        "one, a named link, a footnote and a citation and an escaped *star*."
    ]


def test_two_paragraphs_differing_only_in_markup_are_exact_repeats(tmp_path: Path) -> None:
    (tmp_path / "a.rst").write_text(
        "Call :func:`~app.setup` before the first request, see `the guide <a.html>`_.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.rst").write_text(
        "Call ``setup`` before the first request, see the guide.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    groups = json.loads(result.stdout)["groups"]
    assert len(groups) == 1
    assert groups[0]["kind"] == "exact"


# --- files and wiring -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "syntax"),
    [("a.rst", "rst"), ("b.REST", "rst"), ("c.rst.txt", "text"), ("d.md", "markdown")],
)
def test_rst_by_extension(name: str, syntax: str) -> None:
    assert resolve_syntax(name, "auto") == syntax


DJANGO_TXT = (
    "==========\nModel field reference\n==========\n\n.. module:: django.db.models.fields\n\n"
    "This document contains all the API references of :class:`Field`.\n"
)


@pytest.mark.parametrize(
    ("text", "syntax"),
    [
        (DJANGO_TXT, "rst"),  # Django names its Sphinx sources .txt
        ("Intro\n=====\n\nSee :ref:`install` first.\n", "rst"),  # a title and a role
        ("Intro\n=====\n\nPlain words under a title.\n", "text"),  # a title alone
        ("Kyiv, 10:05. A quote: `no deal`. Another line.\n", "text"),  # prose
        (".. note:: once\n", "text"),  # one mark alone
        ("Intro\r\n=====\r\n\r\n.. note:: once\r\n", "rst"),  # CRLF: a title and a mark
    ],
)
def test_a_txt_file_that_reads_as_rst_is_rst(text: str, syntax: str) -> None:
    assert resolve_syntax("docs/fields.txt", "auto", text) == syntax
    assert resolve_syntax("docs/fields.txt", "text", text) == "text"  # chosen: as chosen
    assert resolve_syntax("docs/fields.md", "auto", text) == "markdown"


def test_a_txt_file_too_long_to_read_whole_as_rst_stays_text() -> None:
    from dedup.inputs.paragraph_limit import RST_MAX_CHARS

    text = DJANGO_TXT + "Words of a line.\n" * (RST_MAX_CHARS // 16)
    assert resolve_syntax("docs/big.txt", "auto", text) == "text"


def test_check_reads_a_django_txt_source_as_rst(tmp_path: Path) -> None:
    code = "    app = make_app()\n    app.run(debug=True, port=8000)\n"
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"{DJANGO_TXT}\nRun it::\n\n{code}")
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--format", "json"])
    report = json.loads(result.stdout)
    texts = {d["lines"][0] for g in report["groups"] for d in g["duplicates"]}
    assert 13 not in texts and 14 not in texts  # the literal block is code, never compared
    plain = CliRunner().invoke(
        app, ["check", str(tmp_path), "--format", "json", "--syntax", "text"]
    )
    assert len(json.loads(plain.stdout)["groups"]) > len(report["groups"])


def test_check_on_rst_reports_prose_repeats_not_code(tmp_path: Path) -> None:
    code = ".. code-block:: python\n\n    app = Flask(__name__)\n    app.run()\n\n"
    para = "Create the application object once and import it wherever it is needed.\n"
    (tmp_path / "one.rst").write_text("One\n===\n\n" + code + para, encoding="utf-8")
    (tmp_path / "two.rst").write_text("Two\n===\n\n" + code + "Something else.\n\n" + para)
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    groups = json.loads(result.stdout)["groups"]
    assert len(groups) == 1
    kept, (copy,) = groups[0]["kept"], groups[0]["duplicates"]
    assert (Path(kept["path"]).name, kept["lines"]) == ("one.rst", [9, 9])
    assert (Path(copy["path"]).name, copy["lines"]) == ("two.rst", [11, 11])


def test_syntax_rst_on_stdin() -> None:
    text = "Title\n=====\n\nSame words here.\n\n.. note::\n\n   Same words here.\n"
    result = CliRunner().invoke(
        app, ["clean", "-", "--syntax", "rst", "--quiet"], input=text.encode()
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Title\n=====\n\nSame words here.\n"


def test_line_breaks_other_than_lf_keep_line_numbers() -> None:
    text = "First\r\nparagraph.\r\n\r\nSecond\x0cwith a form feed.\n\nThird\u2028one.\rFourth.\n"
    assert spans(text) == [
        (0, 2, "First paragraph."),
        (3, 4, "Second with a form feed."),
        (5, 7, "Third one. Fourth."),
    ]


# --- safety and robustness ------------------------------------------------------------------


def test_no_directive_reads_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret sentence that must never be read.\n", encoding="utf-8")
    text = (
        f".. include:: {secret}\n"
        "\n"
        f".. include:: {secret}\n"
        "   :literal:\n"
        "\n"
        f".. raw:: html\n   :file: {secret}\n"
        "\n"
        f".. csv-table:: T\n   :file: {secret}\n"
        "\n"
        f".. literalinclude:: {secret}\n"
        "\n"
        f".. figure:: {secret}\n   :figwidth: image\n"
        "\n"
        ".. raw:: html\n   :url: http://127.0.0.1:9/\n"
        "\n"
        "Only this paragraph.\n"
    )
    events: list[tuple[str, str]] = []
    recording = [True]

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if recording[0] and event in ("open", "os.listdir", "socket.connect", "subprocess.Popen"):
            events.append((event, str(args)))

    sys.addaudithook(audit)  # audit hooks cannot be removed: it records only around the parse
    try:
        found = spans(text)
    finally:
        recording[0] = False
    assert found == [(19, 20, "Only this paragraph.")]
    assert [e for e in events if str(secret) in e[1] or e[0] != "open"] == []


def test_nothing_is_printed(capfd: pytest.CaptureFixture[str]) -> None:
    text = (
        "Broken *emphasis and :unknown:`role\n\n"
        ".. unknown-directive:: x\n   :bad option\n\n"
        "Title\n===\n\n"
        "Inconsistent\n~~~~~~~~~~~~\n\nMore\n====\n\nText\n~~~~\n\n"
        ".. note::\n\n"
        "+--+\n| broken\n"
        "`unclosed <\n"
    )
    rst_blocks(Lines.of(text))
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_nesting_deeper_than_docutils_can_parse_falls_back_to_text() -> None:
    text = "".join("  " * i + "- item\n\n" for i in range(400))
    lines = Lines.of(text)
    assert rst_blocks(lines) == text_blocks(lines)


def test_a_docutils_failure_falls_back_to_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str) -> None:
        raise AssertionError("a docutils bug")

    monkeypatch.setattr(segment_rst, "_parse", fail)
    text = "Title\n=====\n\nA paragraph.\n"
    lines = Lines.of(text)
    assert rst_blocks(lines) == text_blocks(lines)
    assert len(rst_blocks(lines)) == 2  # the title too: plain-text rules


def test_an_overlong_line_falls_back_to_text() -> None:
    text = "x" * (segment_rst.LINE_LIMIT + 1) + "\n\n.. note:: y\n"
    lines = Lines.of(text)
    assert rst_blocks(lines) == text_blocks(lines)


def test_clean_of_a_broken_file_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "deep.rst"
    path.write_text("".join("  " * i + "- item\n\n" for i in range(400)), encoding="utf-8")
    result = CliRunner().invoke(app, ["clean", str(path), "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "- item\n\n"


def test_ignore_comments_inside_rst_comments() -> None:
    text = (
        "First paragraph.\n"
        "\n"
        "..\n"
        "   <!-- dedup-ignore-next -->\n"
        "\n"
        "Ignored paragraph.\n"
        "\n"
        "..\n"
        "   <!-- dedup-ignore-start -->\n"
        "\n"
        "Also ignored.\n"
        "\n"
        "- and this item of the list.\n"
        "\n"
        "..\n"
        "   <!-- dedup-ignore-end -->\n"
        "\n"
        "Compared again.\n"
    )
    seg = segment(Document("page.rst", text, syntax="rst"))
    assert [p.start_line for p in seg.paragraphs] == [1, 6, 11, 13, 18]
    assert seg.ignored == frozenset({1, 2, 3})


def test_the_readme_example() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```\n", 1)[0] for b in readme.split("```rst\n")[1:]]
    (example,) = [b for b in blocks if "Install |project| with pip" in b]
    assert [(a + 1, b, w) for a, b, w in spans(example)] == [
        (6, 6, "Install Example with pip:"),
        (15, 17, "Call setup first, see the guide."),
        (20, 20, "Setup runs once per process."),
    ]
    assert '(line 6), "Call setup\nfirst, see the guide." (lines 15-17' in readme
    assert '"Setup runs once per process." (line 20)' in readme


_PIECES = [
    "Some words here.", "- item", "  indented", ".. note::", ".. code-block:: py",
    "   :opt: v", ".. |s| replace:: x", "|s|", "::", "Title", "=====", "+--+", "| a |",
    ":field: body", ".. _t:", "`link <u>`_", ":ref:`r <t>`", "``lit``", "*em", "..", "",
    "\t tab", ">>> 1", "#. enum", "term", "    def", ".. versionadded:: 1", "\x0c",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from(["\n", "\r\n"]))
def test_any_rst_gives_ordered_spans_in_bounds(pieces: list[str], newline: str) -> None:
    lines = Lines.of(newline.join(pieces) + newline)
    segment_rst._parse(lines.text.replace("\r\n", "\n"))  # docutils itself copes: no fallback
    blocks = rst_blocks(lines)
    after = 0
    for b in blocks:
        assert after <= b.first < b.stop <= len(lines)
        assert not lines.is_blank(b.first) and not lines.is_blank(b.stop - 1)
        assert b.compare.strip()
        after = b.stop
