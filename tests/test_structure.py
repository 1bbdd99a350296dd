"""Structure rules: what is never compared, in each syntax, with the spans around it intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.core.models import Document
from dedup.errors import UsageError
from dedup.text import segment as segment_module
from dedup.text.segment import segment
from dedup.text.structure import RULES, Structure, is_word_list

PROSE = "The build step reads every page and writes the site."
OTHER = "Deploy the folder it writes to any static host you like."


def _only(rule: str) -> Structure:
    """Return rules with only ``rule`` on (so a test shows that rule alone does the work)."""
    return Structure(frozenset(RULES) - {rule})


NONE = Structure(frozenset(RULES))


def _spans(text: str, syntax: str, rules: Structure | None = None) -> list[tuple[int, int, str]]:
    doc = Document("a", text, syntax=syntax)
    seg = segment(doc, rules=rules or Structure())
    return [
        (p.start_line, p.end_line, c.strip())
        for p, c in zip(seg.paragraphs, seg.compare, strict=True)
    ]


@pytest.mark.parametrize(
    ("directive", "rule"),
    [
        ("{{< note >}}", "directives"),  # Hugo shortcode
        ('{{% include "shared/intro.md" %}}', "directives"),
        ("{% include note.html %}", "directives"),  # Liquid
        ("{{ page.title }}", "directives"),  # Jinja / Liquid output
        ("[!INCLUDE [intro](../includes/intro.md)]", "directives"),  # DocFX
        ('::: zone pivot="python"', "directives"),  # DocFX zone
        ("::: tip Good to know", "directives"),  # VitePress container
        (":::{note}", "directives"),  # MyST colon fence
        ('--8<-- "snippets/intro.md"', "directives"),  # MkDocs snippet
        ("!!! warning", "directives"),  # MkDocs admonition
        ('=== "Windows"', "directives"),  # MkDocs content tab
        ("/// warning | Experimental Feature", "directives"),  # pymdown Blocks
        ("///", "directives"),
    ],
)
@pytest.mark.parametrize("syntax", ["markdown", "text"])
def test_a_directive_line_is_structure(directive: str, rule: str, syntax: str) -> None:
    text = f"{PROSE}\n\n{directive}\n\n{OTHER}\n"
    assert _spans(text, syntax) == [(1, 1, PROSE), (5, 5, OTHER)]
    assert _spans(text, syntax, _only(rule)) == [(1, 1, PROSE), (5, 5, OTHER)]
    # With the rules off, the directive line is a paragraph like any other.
    assert len(_spans(text, syntax, NONE)) == 3


def test_a_directive_on_the_line_above_prose_leaves_the_prose_its_own_span() -> None:
    text = f"::: warning\n{PROSE}\n:::\n\n{OTHER}\n"
    assert _spans(text, "markdown") == [(2, 2, PROSE), (5, 5, OTHER)]


def test_paired_hugo_shortcode_body_stays_prose_unless_it_is_code() -> None:
    note = f"{{{{< note >}}}}\n{PROSE}\n{{{{< /note >}}}}\n"
    assert _spans(note, "markdown") == [(2, 2, PROSE)]
    code = "{{< highlight go >}}\nfunc main() {\n\tfmt.Println(x)\n}\n{{< /highlight >}}\n"
    assert _spans(code + f"\n{OTHER}\n", "markdown") == [(7, 7, OTHER)]


def test_raw_blocks_are_structure() -> None:
    text = f"{{% raw %}}\nUse {{{{ site.title }}}} in a layout.\n{{% endraw %}}\n\n{OTHER}\n"
    assert _spans(text, "markdown") == [(5, 5, OTHER)]


def test_inline_template_tags_are_not_words() -> None:
    text = f'{PROSE} {{{{< ref "install.md" >}}}}\n'
    assert _spans(text, "markdown") == [(1, 1, PROSE)]


def test_mkdocs_admonition_body_is_prose_not_code() -> None:
    text = f'!!! note "Before you start"\n\n    {PROSE}\n\n{OTHER}\n'
    assert _spans(text, "markdown") == [(3, 3, PROSE), (5, 5, OTHER)]


def test_myst_directive_options_are_structure() -> None:
    text = f":::{{note}}\n:class: dropdown\n{PROSE}\n:::\n"
    assert _spans(text, "markdown") == [(3, 3, PROSE)]


def test_pymdown_block_markers_and_options_are_structure_and_their_body_prose() -> None:
    # pymdown-extensions Blocks: ``/// name | title``, YAML options, ``///``.
    text = f"/// note | Before you start\n    type: warning\n{PROSE}\n///\n\n{OTHER}\n"
    assert _spans(text, "markdown") == [(3, 3, PROSE), (6, 6, OTHER)]


def test_an_examples_rendering_is_structure() -> None:
    # MkDocs docs show an example's source, then its rendering in a result block: the
    # rendering holds the example's words, not the page's prose.
    text = (
        f"```text\nMarkdown **content**.\n```\n\n/// html | div.result\nMarkdown **content**.\n\n"
        f"//// tab | One\nMore.\n////\n///\n\n{OTHER}\n"
    )
    assert _spans(text, "markdown") == [(13, 13, OTHER)]


def test_a_myst_directive_in_a_backtick_fence_has_a_prose_body() -> None:
    # MyST's default form (Jupyter Book): ```{note} ... ```; a code block inside a
    # longer fence stays code.
    text = (
        f"```{{note}}\n:class: x\n{PROSE}\n```\n\n"
        f"````{{warning}}\n{OTHER}\n\n```py\nx = 1\n```\n````\n"
    )
    assert _spans(text, "markdown") == [(3, 3, PROSE), (7, 7, OTHER)]
    assert segment_module._maybe_directive("```{note}\nBody.\n```\n")
    # A code fence whose info is not a prose directive stays code.
    assert _spans(f"```{{code-cell}}\n{PROSE}\n```\n", "markdown") == []
    # With the directives rule off, the fence is read as CommonMark reads it: code.
    assert _spans(text, "markdown", _only("fragments")) == []


def test_code_fences_are_left_alone() -> None:
    text = f"```jinja\n{{% include 'x' %}}\n```\n\n{PROSE}\n"
    assert _spans(text, "markdown") == [(5, 5, PROSE)]


@pytest.mark.parametrize(
    "front",
    ['+++\ntitle = "Install"\nweight = 2\n+++\n', '{\n  "title": "Install"\n}\n'],
    ids=["toml", "json"],
)
@pytest.mark.parametrize("syntax", ["markdown", "text"])
def test_toml_and_json_front_matter_are_structure(front: str, syntax: str) -> None:
    text = f"{front}\n{PROSE}\n"
    first = front.count("\n") + 2
    assert _spans(text, syntax) == [(first, first, PROSE)]
    off = _spans(text, syntax, Structure(frozenset({"front-matter"})))
    assert len(off) == 2 if syntax == "text" else len(off) >= 1


@pytest.mark.parametrize(
    ("paragraph", "rule"),
    [
        ("![The dashboard](img/dashboard.png)", "images"),
        ("[![badge](https://img.shields.io/x.svg)](https://example.com)", "images"),
        ("- [Guide - Props](/guide/components/props)", "links"),
        ("- **See also** [Custom Directives](/guide/custom-directives)", "links"),
        ("Check out [this example of a simple todo list](https://example.com).", "links"),
        ("**Error Propagation Rules**", "labels"),
        ("- **Type:** `string`", "labels"),
        ("*Figure 2: the request pipeline*", "labels"),
        ("Filename: src/main.rs", "labels"),
        ("It defaults to `None`.", "labels"),  # a default, stated
        ("Defaults to `json.JSONDecoder`.", "labels"),
        ("Contributed by **Patrick Cloke**.", "labels"),  # a change log's credit line
        ("Fix contributed by Martin Melin.", "labels"),
        ("Contributed by **Andrii Kostenko** and **George Psarakis**.", "labels"),
        ("For example:", "lead-ins"),
        ("Here's the error:", "lead-ins"),
        (
            "See the [POSIX chmod(2) documentation](https://x.org/chmod) for more detail.",
            "pointers",
        ),
        ("For more on middleware, read the [middleware docs](middleware.md).", "pointers"),
        (
            "For more information about logging drivers, refer to [Configure logging](x.md).",
            "pointers",
        ),
        ("This is now covered in [HTTPS certificates](topics/https.md).", "pointers"),
        ("This document has moved to [the query guide](queryguide/index.md).", "pointers"),
        ("This section was moved to [Modules: `module` core module](module.md#x).", "pointers"),
        ("You can find its example use in [menu templates](/templates/menus/).", "pointers"),
        (
            "Details of the `FileInfo` structure are available in the [Go docs](https://go.dev).",
            "pointers",
        ),
        # a Hugo link: CommonMark reads a destination with spaces as text
        ('See [Local File Templates]({{< relref "templates/files" >}}).', "pointers"),
        ("See https://gohugo.io/hugo-modules/ for more information.", "pointers"),
        ("> This page assumes you've already read the [overview](./overview).", "pointers"),
        ("See `RequestContext` for more information.", "pointers"),  # a name, linked when built
        ("Same as `attrs.define`.", "pointers"),  # an alias's note
        ("Alias for `point_count`.", "pointers"),
        # a list of links, each with a short description after a dash or a colon
        ("* [hugo import](/commands/hugo_import/)\t - Import your site from others.", "links"),
        ("- [What's new in 2.1?](whatsnew.md) - New features and behaviors in 2.1", "links"),
        (
            "- [Storage](./storage.md): Information about where uv stores data on your system.",
            "links",
        ),
        ("- `ghcr.io/astral-sh/uv:alpine`", "code-only"),
        ("- Lifecycle hooks", "fragments"),
        ("or", "fragments"),
    ],
)
def test_paragraphs_with_no_prose_of_their_own(paragraph: str, rule: str) -> None:
    text = f"{PROSE}\n\n{paragraph}\n\n{OTHER}\n"
    assert _spans(text, "markdown") == [(1, 1, PROSE), (5, 5, OTHER)]
    assert _spans(text, "markdown", _only(rule)) == [(1, 1, PROSE), (5, 5, OTHER)]
    assert len(_spans(text, "markdown", NONE)) == 3


def test_reference_links_are_links_where_the_document_defines_them() -> None:
    # "[text][label]", "[text][]" and "[text]" read as links, and as their text only, when
    # the label is defined anywhere in the document, as a renderer shows them.
    pointer = "See [`writable.destroy()`][] for further details."
    listed = "- [The guide to component props and events][g]"
    defs = "[`writable.destroy()`]: stream.md#destroy\n[G]: guide.md\n"
    text = f"{PROSE}\n\n{pointer}\n\n{listed}\n\n{OTHER}\n\n{defs}"
    assert _spans(text, "markdown") == [(1, 1, PROSE), (7, 7, OTHER)]
    # no definition: brackets and all, compared
    undefined = f"{PROSE}\n\nCall [`writable.destroy()`][] once the stream is done.\n"
    assert _spans(undefined, "markdown")[1] == (
        3,
        3,
        "Call [writable.destroy()][] once the stream is done.",
    )
    full = f"A sentence that links [the guide][g] in the middle of its words.\n\n{defs}"
    assert _spans(full, "markdown") == [
        (1, 1, "A sentence that links the guide in the middle of its words.")
    ]


def test_a_longer_lead_in_is_structure_only_before_a_block() -> None:
    lead = "To upgrade a Python version to the latest supported patch release:"
    before_code = f"{lead}\n\n```console\n$ uv python upgrade 3.12\n```\n"
    assert _spans(before_code, "markdown") == []
    before_prose = f"{lead}\n\n{PROSE}\n"
    assert _spans(before_prose, "markdown")[0] == (1, 1, lead)
    # a lead-in may end with a full stop when it opens as one, right before a block
    for opening in (
        "For example, below is an example running a Command Prompt script.",
        "Following is a simple overview of the public API.",
        "Here's an example task that adds two numbers together.",
    ):
        assert _spans(f"{opening}\n\n```\nx = 1\n```\n", "markdown") == []
        assert len(_spans(f"{opening}\n\n{PROSE}\n", "markdown")) == 2
        assert len(_spans(f"{opening}\n\n## Next\n", "markdown")) == 1  # code only
    # a sentence that opens with "For example" and says something is prose
    told = "For example you could run the main app on `/` and the admin on `/backend`."
    assert len(_spans(f"{told}\n\n```\nx = 1\n```\n", "markdown")) == 1
    # the headings of the sections it introduces are a block too
    before_headings = f"{lead}\n\n#### Linux\n\n{PROSE}\n"
    assert _spans(before_headings, "markdown") == [(5, 5, PROSE)]


def test_an_rst_list_of_links_with_short_descriptions_is_structure() -> None:
    items = (
        "* :doc:`What's New in 2.1? <changelog/migration_21>` - New features and behaviors\n\n"
        "* :doc:`Changelog catalog <changelog/index>` - Detailed changelogs for all versions\n"
    )
    assert [w for *_, w in _spans(f"{PROSE}\n\n{items}\n{OTHER}\n", "rst")] == [PROSE, OTHER]


def test_an_rst_lead_in_before_an_indented_list_is_structure() -> None:
    # Celery's workers guide: the lead-in, then a block quote holding the list.
    lead = "Where ``-n worker1@example.com -c2 -f %n%I.log`` will result in\nthree log files:"
    text = f"{PROSE}\n\n{lead}\n\n    - worker1.log (main process)\n    - worker1-1.log\n"
    assert next(w for *_, w in _spans(text, "rst")) == PROSE
    assert not any("three log files" in w for *_, w in _spans(text, "rst"))


def test_a_short_rst_field_value_is_a_label() -> None:
    # Scrapy's signals: ":param spider: the spider which has been opened" on many pages.
    fields = ":param spider: the spider which has been opened\n:param item: the scraped item\n"
    assert [w for *_, w in _spans(f"{PROSE}\n\n{fields}\n{OTHER}\n", "rst")] == [PROSE, OTHER]
    long = ":param spider: the spider that opened, with its settings and its crawler ready\n"
    assert len(_spans(f"{PROSE}\n\n{long}", "rst")) == 2


def test_one_sentence_with_a_link_in_a_seealso_box_is_a_pointer() -> None:
    box = (
        ".. seealso::\n\n   :ref:`column_deferral` - full description of deferred column loading\n"
    )
    assert [w for *_, w in _spans(f"{PROSE}\n\n{box}\n{OTHER}\n", "rst")] == [PROSE, OTHER]
    told = (
        ".. seealso::\n\n   :class:`ForeignKey` fields accept extra arguments, explained in"
        " :ref:`the reference <fk>`. These options help define the relationship.\n"
    )
    assert len(_spans(f"{PROSE}\n\n{told}", "rst")) == 2  # a sentence of its own: prose


def test_a_pointer_to_a_sphinx_cross_reference_is_structure() -> None:
    pointer = "See :class:`~django.template.RequestContext` for more information."
    text = f"{PROSE}\n\n{pointer}\n\n{OTHER}\n"
    assert [w for *_, w in _spans(text, "rst")] == [PROSE, OTHER]
    told = "See :class:`RequestContext`. It holds the request and the processors' values."
    assert len(_spans(f"{PROSE}\n\n{told}\n", "rst")) == 2


@pytest.mark.parametrize(
    "paragraph",
    [
        "References must always be valid.",  # a short true sentence
        "**This hook is development-mode-only and not called during server-side rendering.**",
        "Read the [guide](x.md) before you deploy the site to production servers.",
        "Use `uv sync` to install the locked versions into the environment.",
        "It defaults to `False` unless the cache is warm.",  # a default, and why
        "Fixed by upgrading the bundled driver to 2.0.",  # how, not who
        "Fixed by reinstalling.",
        "Thanks to Unicode, sorting works correctly.",
        "This defaults to zero unless overridden.",
        # a name in code with a sentence of its own is prose
        "Same as `open()`, except that the file is created if missing.",
        "Learn more about `git rebase` before you force-push to a shared branch.",
        "See `config.toml`: every key there overrides the flags you pass.",
        # a link item whose description has a second sentence
        "- [Guide](guide.md) - Learn about `foo`. Then delete everything in the cache folder.",
        "See `uv sync` run: it installs the locked versions. Then it exits.",
        # two links, or a pointer with a sentence of its own, is prose
        "See the [first steps](a.md) or jump straight to the [guides](b.md) to start using uv.",
        "See [the guide](g.md) first. It explains why the cache must be cleared.",
        # a sentence that says something, with a link in it, is not a pointer
        "You will see [a warning](#warnings) when the access token has expired.",
        "The fix for the data loss bug is available in [version 2.3](v2.3.md).",
        # a link with a description that is not a list item, or a long one, is prose
        "[Storage](./storage.md): Information about where uv stores data on your system.",
        "- [Storage](./storage.md): where uv stores its data, which you can move with the"
        " `UV_CACHE_DIR` variable when the home folder is small.",
    ],
)
def test_short_prose_is_still_compared(paragraph: str) -> None:
    assert len(_spans(f"{paragraph}\n", "markdown")) == 1


def test_plain_text_keeps_its_short_lines() -> None:
    # Plain text has no markup to tell a caption from prose: only directives go.
    text = "Here's what we learnt:\n\nFor example:\n\nNATO\n"
    assert len(_spans(text, "text")) == 3


def test_directive_lines_do_not_change_how_plain_text_is_split() -> None:
    # One paragraph per line stays one per line when a directive line sits among them.
    text = f"{PROSE}\n{{% include x %}}\n{OTHER}\n"
    assert _spans(text, "text") == [(1, 1, PROSE), (3, 3, OTHER)]


@pytest.mark.parametrize(
    ("paragraph", "rule"),
    [
        ('<ul><li><a href="#post-4">Ferry services cancelled until Friday</a></li></ul>', "links"),
        ('<p><img src="map.png" alt="The flood map"></p>', "images"),
        ("<p><strong>Error Propagation Rules</strong></p>", "labels"),
        (
            '<p>See the <a href="chmod.html">chmod documentation</a> for more detail.</p>',
            "pointers",
        ),
        ("<ul><li><code>ghcr.io/astral-sh/uv:alpine</code></li></ul>", "code-only"),
        ("<ul><li>Lifecycle hooks</li></ul>", "fragments"),
    ],
)
def test_html_paragraphs_with_no_prose_of_their_own(paragraph: str, rule: str) -> None:
    text = f"<p>{PROSE}</p>\n{paragraph}\n<p>{OTHER}</p>\n"
    assert [c for *_, c in _spans(text, "html")] == [PROSE, OTHER]
    assert [c for *_, c in _spans(text, "html", _only(rule))] == [PROSE, OTHER]
    assert len(_spans(text, "html", NONE)) == 3


def test_html_lead_ins_see_the_block_that_follows() -> None:
    lead = "<p>To upgrade a Python version to the latest supported patch release:</p>\n"
    opening = "<p>Following is a simple overview of the public API.</p>\n"
    code = "<pre><code>uv python upgrade 3.12</code></pre>\n"
    highlighted = '<div class="highlight"><pre>x = 1</pre></div>\n'
    tail = f"<p>{OTHER}</p>\n"
    assert [c for *_, c in _spans(lead + code + tail, "html")] == [OTHER]
    assert [c for *_, c in _spans(opening + "</div>\n" + highlighted + tail, "html")] == [OTHER]
    # before prose, or a full-stop opening before a list, it is compared
    assert len(_spans(lead + tail, "html")) == 2
    assert len(_spans(opening + "<ul><li>One item of a list here</li></ul>\n" + tail, "html")) >= 2


def test_html_short_prose_is_still_compared() -> None:
    text = (
        "<p>References must always be valid.</p>\n"
        "<p>Read the <a href='x'>guide</a> before you deploy the site to production.</p>\n"
    )
    assert len(_spans(text, "html")) == 2


def test_html_paragraphs_of_only_template_tags_are_structure() -> None:
    text = f"<p>{{% include 'banner.html' %}}</p>\n<p>{PROSE}</p>\n<p>For example:</p>\n"
    spans = _spans(text, "html")
    assert spans == [(2, 2, PROSE)]


def test_every_rule_is_named_and_unknown_ones_are_refused() -> None:
    assert Structure.from_table({"labels": False}).off == {"labels"}
    with pytest.raises(UsageError, match="unknown rule 'captions'"):
        Structure.from_table({"captions": False})
    with pytest.raises(UsageError, match="true or false"):
        Structure.from_table({"labels": "no"})
    assert set(RULES) >= {"directives", "front-matter", "images", "links", "labels"}


PLAIN_SAMPLES = [
    "",
    "   ",
    "A line of prose.",
    "{{ include 'x' }}",
    "{% if a %} {% endif %}",
    "{{ a }} and then words",
    "--- *** ...",
    "—",
    "{{",
    "{ not a tag }",
    "42",
    "l'été",
    "中文",
    "{{ x }}\n\n{{ y }}",
]


@pytest.mark.parametrize("rules", [Structure(), Structure(frozenset(RULES))])
def test_plain_texts_prose_test_is_the_word_counting_one(rules: Structure) -> None:
    """``no_prose_plain`` (one search) answers as ``no_prose`` of every word counted."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dedup.text.structure import no_prose, no_prose_plain, words_of_text

    def same(text: str) -> None:
        full = no_prose(words_of_text(text), rules, markup=False, plain=True)
        assert no_prose_plain(text, rules) == full, repr(text)

    for text in PLAIN_SAMPLES:
        same(text)
    alphabet = st.sampled_from(list("ab1 {}%-'.\u2019\n\t_—é中"))
    settings(max_examples=300, deadline=None)(given(st.text(alphabet, max_size=30))(same))()


def test_a_written_out_url_is_judged_alike_with_or_without_markup() -> None:
    url = "https://github.com/org/repo/blob/main/docs/guide/install/linux"
    plain = f"See {url} for more information about the setup."
    marked = f"See {url} for *more* information about the setup."
    for pointer in (plain, marked):
        assert _spans(f"{PROSE}\n\n{pointer}\n", "markdown") == [(1, 1, PROSE)]
        assert [c for *_, c in _spans(f"<p>{pointer}</p>\n<p>{PROSE}</p>\n", "html")] == [PROSE]


def test_an_html_anchor_without_href_is_no_link() -> None:
    text = "<p><code>make</code> <a id='x'>builds all of the targets you list here</a></p>\n"
    assert len(_spans(text, "html")) == 1


def test_a_reference_definition_in_a_code_fence_is_code() -> None:
    text = "Set the [config] value in the file before you start.\n\n```ini\n[config]: value\n```\n"
    assert _spans(text, "markdown")[0][2] == "Set the [config] value in the file before you start."


def test_an_html_lead_in_may_introduce_headings() -> None:
    lead = "<p>To load completions for every new session, execute this once for each user:</p>\n"
    assert [c for *_, c in _spans(f"{lead}<h2>Linux</h2>\n<p>{OTHER}</p>\n", "html")] == [OTHER]


@pytest.mark.parametrize(
    "line",
    [
        "For a list of x" + " " * 20000 + "y, see options",
        "Same as x" + " " * 20000 + "y.",
        "Contributed by A" + " " * 20000 + "B and" + " " * 20000 + "C.",
        "See [x](y)" + " " * 20000 + "for" + " " * 20000 + "more details.",
    ],
)
def test_the_rules_read_a_long_line_in_linear_time(line: str) -> None:
    import time

    start = time.process_time()
    _spans(f"{line}\n", "markdown")
    assert time.process_time() - start < 2.0


WORDS = ["aiohttp", "aiohttp’s", "backport", "Backport", "bugfixes", "bugfixes"] * 4


def test_a_plain_text_word_list_is_never_compared(tmp_path: Path) -> None:
    # aiohttp's docs/spelling_wordlist.txt: one word per line, words listed twice.
    wordlist = tmp_path / "spelling_wordlist.txt"
    listed = [f"word{n}" for n in range(20)] + ["Backport", "backport"]
    wordlist.write_text("\n".join(listed) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(wordlist), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"paragraphs": 0' in result.stdout
    # A team that wants them compared: structure = {word-lists = false}.
    (tmp_path / ".dedup.toml").write_text("structure = {word-lists = false}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(wordlist)])
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("lines", "listed"),
    [
        (WORDS, True),
        (WORDS[:19], False),  # too short to tell
        (["One line of prose that repeats."] * 30, False),
        (WORDS * 2 + ["Two words"] * 5, True),  # 9 in 10 are one word
        (WORDS + ["Two words"] * 5, False),
        # Chinese or Thai prose, a sentence per line: no space, yet no word list
        ([f"这是第{n}行关于配置文件的说明，修改后需要重新启动服务器。" for n in range(30)], False),
        ([f"ภาษาไทยเป็นภาษาที่ไม่มีช่องว่าง{n}" for n in range(30)], False),
    ],
)
def test_which_plain_texts_are_word_lists(lines: list[str], listed: bool) -> None:
    assert is_word_list(lines) is listed
