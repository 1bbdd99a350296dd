"""Boilerplate by a page's structure: the same sentence under parallel entries or in parallel
lists of one page, and a page's paragraphs in a page made of it and others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dedup.check.boxes import callout_lines
from dedup.check.entries import entries_of, entry_name, is_entry_heading
from dedup.check.findings import is_generated
from dedup.cli import app

NOTE = "This is only available when an application context is active for the current thread."


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout


def write(path: str, text: str) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("heading", "entry"),
    [
        ("v-else {#v-else}", True),
        ("onMounted() {#onmounted}", True),
        ("`useFetch`", True),
        ("resolveComponent()", True),
        ("app.config.errorHandler", True),
        ("max_connections", True),
        ("--reinstall", True),
        ("$emit", True),
        ("Installation", False),
        ("Type-checking", False),
        ("Getting started", False),
        ("`uv pip install`", False),  # a command line, not one name
        ("", False),
    ],
)
def test_which_headings_name_an_entry(heading: str, entry: bool) -> None:
    assert is_entry_heading(heading) is entry


def test_entry_names_drop_markup_arguments_and_owner() -> None:
    assert entry_name("ModelAdmin.raw_id_fields") == "raw_id_fields"
    assert entry_name("onMounted() {#onmounted}") == "onmounted"
    assert entry_name("Storage.url(name)") == "url"
    assert entry_name("`v-else`") == "v-else"


def test_markdown_entries_follow_headings_and_skip_code() -> None:
    text = (
        "# API\n"  # 1
        "\n"
        "## v-if {#v-if}\n"  # 3
        "Text.\n"  # 4
        "```sh\n"  # 5
        "# not a heading\n"  # 6
        "```\n"
        "### Example\n"  # 8: a sub-section stays in the entry
        "More.\n"  # 9
        "## Usage\n"  # 10: a prose heading ends it
        "Prose.\n"  # 11
        "- item\n"  # 12
        "  ```sh\n"  # 13: a fence indented in a list item
        "  # not a heading either\n"  # 14
        "  ```\n"  # 15
        "## v-else\n"  # 16
    )
    entries = entries_of(text, "markdown")
    assert entries[0] is None and entries[1] is None
    assert entries[3] is not None and entries[3].line == 3
    assert entries[5] is not None and entries[5].line == 3  # inside the fence
    assert entries[8] is not None and entries[8].line == 3
    assert entries[10] is None
    assert entries[13] is None  # the comment did not open a section
    assert entries[15] is not None and entries[15].name == "v-else"


def test_rst_entries_are_the_bodies_of_object_directives() -> None:
    text = (
        "Title\n=====\n\n"  # 1-3
        ".. data:: g\n\n"  # 4-5
        "    Body of g.\n\n"  # 6-7
        "    .. note::\n\n        Still g.\n\n"  # 8-11
        "Outside.\n\n"  # 12-13
        ".. note::\n\n    Not an entry.\n"  # 14-16
    )
    entries = entries_of(text, "rst")
    assert entries[5] is not None and (entries[5].line, entries[5].name) == (4, "g")
    assert entries[9] is not None and entries[9].line == 4
    assert entries[11] is None
    assert entries[15] is None


def test_a_sentence_in_parallel_entries_of_one_page_is_boilerplate() -> None:
    write(
        "docs/api.md",
        f"# Directives\n\n## v-if {{#v-if}}\n\nRenders a block.\n\n{NOTE}\n\n"
        f"## v-else {{#v-else}}\n\nDenotes the else block.\n\n{NOTE}\n",
    )
    code, out = check("docs")
    assert code == 0
    assert out.splitlines()[0] == (
        'docs/api.md:7:1: dedup/boilerplate: "This is only available when an application '
        'context …" is boilerplate: 2 copies in 2 entries of docs/api.md (this one kept; 1 exact); '
        "boilerplate does not fail (--fail-on-boilerplate)"
    )
    report = json.loads(check("--format", "json", "docs")[1])
    assert report["groups"][0]["role"] == "boilerplate"
    # A team that wants them: boilerplate-entries = false.
    write("pyproject.toml", "[tool.dedup]\nboilerplate-entries = false\n")
    assert check("docs")[0] == 1


def test_one_member_documented_on_each_class_or_variant_is_boilerplate() -> None:
    # ModelAdmin.raw_id_fields and InlineModelAdmin.raw_id_fields; fs.mkdir() and
    # fsPromises.mkdir() (Node.js writes each variant of a call in full).
    write(
        "docs/admin.rst",
        f"Admin\n=====\n\n.. attribute:: ModelAdmin.raw_id_fields\n\n    {NOTE}\n\n"
        f".. attribute:: InlineModelAdmin.raw_id_fields\n\n    {NOTE}\n",
    )
    write(
        "docs/fs.md",  # two variants at different heading levels
        "# File system\n\n"
        f"### `fs.mkdir(path[, options], callback)`\n\n{ITEM}\n\n"
        "## Promises API\n\n"
        "## Class: `FileHandle`\n\n"
        f"#### `filehandle.mkdir(options)`\n\n{ITEM}\n",
    )
    code, out = check("docs")
    assert code == 0, out
    assert "2 copies in 2 entries of docs/admin.rst" in out
    assert "2 copies in 2 entries of docs/fs.md" in out


def test_text_in_an_entry_and_again_in_one_of_its_sub_entries_is_a_copy() -> None:
    write(
        "docs/api.md",
        f"## Class: `FileHandle`\n\n{NOTE}\n\n#### `filehandle.close()`\n\n{NOTE}\n",
    )
    assert check("docs")[0] == 1


def test_node_style_headings_name_entries() -> None:
    for heading, name in [
        ("`fs.read(fd, buffer[, options], callback)`", "read"),
        ("Event: `'close'`", "'close'"),
        ("Class: `fs.Dir`", "dir"),
        ("Static method: `Buffer.from(array)`", "from"),
        ("`-r, --require module`", "--require"),
        ("`--env-file=config`", "--env-file"),
        ("`-r`, `--require module`", "--require"),
    ]:
        assert is_entry_heading(heading), heading
        assert entry_name(heading) == name
    assert not is_entry_heading("`uv pip install`")


def test_prose_sections_and_two_pages_stay_copies() -> None:
    write("docs/guide.md", f"# Guide\n\n## Install\n\n{NOTE}\n\n## Usage\n\n{NOTE}\n")
    assert check("docs/guide.md")[0] == 1
    write("docs/a.md", f"## v-if\n\n{NOTE}\n")
    write("docs/b.md", f"## v-else\n\n{NOTE}\n")
    assert check("docs/a.md", "docs/b.md")[0] == 1  # two pages: a paste, not a page's pattern


def test_one_entry_and_one_prose_section_stay_a_copy() -> None:
    write("docs/api.md", f"## Overview\n\n{NOTE}\n\n## v-if\n\n{NOTE}\n")
    assert check("docs")[0] == 1


def test_rst_sections_titled_with_one_identifier_are_entries() -> None:
    text = (
        "Commands\n========\n\n"  # 1-3
        "``flush``\n---------\n\n"  # 4-6
        "Removes all data.\n\n"  # 7-8
        "Options\n~~~~~~~\n\n"  # 9-11: a prose sub-section still belongs to flush
        "Suppresses prompts.\n\n"  # 12-13
        "``migrate``\n-----------\n\n"  # 14-16
        ".. option:: --plan\n\n    Shows the plan.\n\n"  # 17-20: a directive inside a section
        "Usage\n-----\n\n"  # 21-23: a prose section of the same level ends migrate
        "Prose.\n"  # 24
    )
    entries = entries_of(text, "rst")
    flush = entries[6]
    assert flush is not None and (flush.line, flush.name) == (4, "flush")
    assert entries[11] == flush  # under the prose sub-section "Options"
    assert entries[3] is None and entries[4] is None  # the title and its underline
    migrate = entries[15]
    assert migrate is not None and migrate.name == "migrate" and migrate.level == flush.level
    plan = entries[18]
    assert plan is not None and plan.name == "--plan"
    assert entries[23] is None  # "Usage" is prose


def test_a_stock_sentence_under_parallel_rst_sections_is_boilerplate() -> None:
    stock = "This command is only available if the authentication system is installed."
    write(
        "docs/admin.rst",
        "Commands\n========\n\n"
        f"``changepassword``\n------------------\n\nChanges a password.\n\n{stock}\n\n"
        f"``createsuperuser``\n-------------------\n\nCreates a superuser.\n\n{stock}\n",
    )
    code, out = check("docs")
    assert code == 0
    assert "is boilerplate: 2 copies in 2 entries of docs/admin.rst" in out


ITEM = "The steering council votes on the nominees put forward by the members."


def test_an_item_in_parallel_lists_of_one_page_is_boilerplate() -> None:
    write(
        "docs/governance.md",
        "# Elections\n\n## Council\n\n"
        f"- Members nominate candidates in public threads.\n- {ITEM}\n\n"
        "## Fellows\n\n"
        f"- Fellows are nominated by the council after a public call.\n- {ITEM}\n",
    )
    code, out = check("docs")
    assert code == 0
    assert out.splitlines()[0] == (
        'docs/governance.md:6:1: dedup/boilerplate: "The steering council votes on the '
        'nominees put …" is boilerplate: 2 copies in 2 lists of docs/governance.md (this one '
        "kept; 1 exact); boilerplate does not fail (--fail-on-boilerplate)"
    )
    # A team that wants them: boilerplate-lists = false.
    write("pyproject.toml", "[tool.dedup]\nboilerplate-lists = false\n")
    assert check("docs")[0] == 1


def test_the_same_item_twice_in_one_list_is_a_copy() -> None:
    write(
        "docs/steps.rst",
        f"Steps\n=====\n\n* {ITEM}\n* Count the votes in public.\n* {ITEM}\n",
    )
    assert check("docs")[0] == 1


def test_list_items_on_two_pages_stay_copies() -> None:
    write("docs/a.md", f"- {ITEM}\n")
    write("docs/b.md", f"- {ITEM}\n")
    assert check("docs")[0] == 1


def test_three_copies_in_one_file_say_one_file() -> None:
    write("docs/notes.md", f"# Notes\n\n{NOTE}\n\nText.\n\n{NOTE}\n\nMore.\n\n{NOTE}\n")
    code, out = check("docs")
    assert code == 0
    assert "is boilerplate: 3 copies in 1 file (this one kept; 2 exact)" in out


# --- a page made of pages (boilerplate-aggregates) -----------------------------------


def rule_page(n: int) -> str:
    return (
        f"# MD00{n}\n\n"
        f"Rule {n} is triggered when the document breaks convention number {n} of the guide.\n\n"
        f"To fix a violation of rule {n}, rewrite the line as the guide number {n} asks.\n\n"
        f"Rationale: readers of rule {n} expect every document to follow convention {n} alike.\n"
    )


def write_rules(folder: Path, pages: int) -> None:
    folder.mkdir()
    for n in range(1, pages + 1):
        (folder / f"md00{n}.md").write_text(rule_page(n), encoding="utf-8")
    index = "# Rules\n\nEvery rule of the linter, one section each.\n\n" + "\n".join(
        "#" + rule_page(n) for n in range(1, pages + 1)
    )
    (folder / "Rules.md").write_text(index, encoding="utf-8")


def test_a_page_made_of_three_pages_repeats_them_as_boilerplate(tmp_path: Path) -> None:
    write_rules(tmp_path / "doc", 3)
    code, out = check("doc")
    assert code == 0, out
    assert (
        "is boilerplate: 2 copies in doc/Rules.md and doc/md001.md, a page and a page made of "
        "it and others (this one kept; 1 exact)"
    ) in out
    report = json.loads(check("--format", "json", "doc")[1])
    assert {g["role"] for g in report["groups"]} == {"boilerplate"}
    assert report["summary"]["failing"] == 0
    # A team that wants every copy: boilerplate-aggregates = false.
    Path("pyproject.toml").write_text("[tool.dedup]\nboilerplate-aggregates = false\n")
    assert check("doc")[0] == 1


def test_two_pages_that_copy_each_other_whole_stay_copies(tmp_path: Path) -> None:
    # The same hooks documented for two APIs: one thing written twice, a maintainer's copy.
    write_rules(tmp_path / "doc", 2)
    code, out = check("doc")
    assert code == 1
    assert "dedup/exact" in out


# --- renderings of one page (boilerplate-versions) -----------------------------------


def command_page(name: str, extra: str = "") -> str:
    return (
        f"# {name}(1)\n\n{name} compiles the current package and every one of its local"
        f" dependencies.\n\nThe output goes to the target folder of the workspace, one"
        f" folder for each profile that {name} builds.\n\n{extra}"
    )


@pytest.mark.parametrize("folder", ["includes", "_includes", "snippets", "partials"])
def test_a_page_that_repeats_an_included_piece_is_no_rendering(folder: str) -> None:
    # Celery's docs/includes/introduction.txt (in its README) pasted into a page of that name.
    write(f"doc/{folder}/introduction.md", command_page("tool-build"))
    write("doc/guide/introduction.md", command_page("tool-build"))
    code, out = check("doc")
    assert code == 1, out
    assert "renderings" not in out


@pytest.mark.parametrize("name", ["index", "_index", "README"])
def test_two_landing_pages_are_not_renderings_of_one(name: str) -> None:
    # Section landing pages share a name, not a text: a paste between them is a copy.
    write(f"doc/guide/{name}.md", command_page("tool-build"))
    write(f"doc/howto/{name}.md", command_page("tool-build"))
    code, out = check("doc")
    assert code == 1
    assert "renderings" not in out


def test_a_page_and_its_rendering_under_the_same_name_are_boilerplate(tmp_path: Path) -> None:
    # man/tool-build.md and the Markdown a build script renders from it into the book.
    write("doc/man/tool-build.md", command_page("tool-build"))
    write("doc/src/commands/tool-build.md", command_page("tool-build"))
    code, out = check("doc")
    assert code == 0, out
    assert "renderings of one page" in out
    assert "doc/man/tool-build.md and doc/src/commands/tool-build.md" in out
    Path("pyproject.toml").write_text("[tool.dedup]\nboilerplate-versions = false\n")
    assert check("doc")[0] == 1


OWN = [
    "Choices limit a field to a fixed set of values shown as a select box.",
    "Blank fields are allowed to be empty when the form is validated by the admin.",
    "Help text is extra text displayed with the widget for the people who fill it.",
    "Validators run after the field has cleaned its value and may raise errors.",
    "Error messages override the default text shown when validation fails here.",
    "Unique fields must not repeat a value that another row in the table already has.",
]


def test_two_pages_of_one_name_that_share_a_little_stay_copies(tmp_path: Path) -> None:
    # ref/models/fields.txt and ref/forms/fields.txt: two pages, a few paragraphs alike.
    write("doc/models/fields.md", command_page("fields", "".join(f"{t}\n\n" for t in OWN[:3])))
    write("doc/forms/fields.md", command_page("fields", "".join(f"{t}\n\n" for t in OWN[3:])))
    code, out = check("doc")
    # 2 of 5 paragraphs shared: under half of either page, so two pages and two copies
    assert code == 1
    assert "renderings" not in out
    assert out.count("dedup/exact") == 2


# --- a repeat in the same place of many pages (boilerplate-templates) ------------------


def cobra_page(name: str, summary: str) -> str:
    return (
        f"## hugo {name}\n\n{summary}\n\n### Synopsis\n\n{summary}\n\n"
        f"```\nhugo {name} [flags]\n```\n"
    )


SUMMARIES = {
    "deploy": "Deploy your site to a Cloud provider of your choice.",
    "list": "Listing out various types of content in the current site.",
    "server": "Start the embedded web server that serves the site while you edit.",
}


def test_a_repeat_between_the_same_sections_of_many_pages_is_the_template() -> None:
    for name, summary in SUMMARIES.items():
        write(f"docs/commands/hugo_{name}.md", cobra_page(name, summary))
    code, out = check("docs")
    assert code == 0, out
    assert 'its opening repeated under "synopsis", as in 3 pages' in out
    Path("pyproject.toml").write_text("[tool.dedup]\nboilerplate-templates = false\n")
    assert check("docs")[0] == 1


def test_a_slip_between_two_later_sections_stays_a_copy() -> None:
    # Three cobra pages repeat their opening under "Synopsis"; a fourth page repeats a
    # sentence between its "Synopsis" and "Security" sections by accident.
    for name, summary in SUMMARIES.items():
        write(f"docs/commands/hugo_{name}.md", cobra_page(name, summary))
    write(
        "docs/guide.md",
        f"# Guide\n\nThe guide starts here and says what it covers.\n\n## Synopsis\n\n{NOTE}\n\n"
        f"## Security\n\n{NOTE}\n",
    )
    code, out = check("docs")
    assert code == 1
    assert "docs/guide.md:11:1: dedup/exact" in out


def test_a_repeat_in_one_page_alone_stays_a_copy() -> None:
    name, summary = next(iter(SUMMARIES.items()))
    write(f"docs/commands/hugo_{name}.md", cobra_page(name, summary))
    write("docs/other.md", f"## Usage\n\n{NOTE}\n\n## Notes\n\n{NOTE}\n")
    code, out = check("docs")
    assert code == 1
    assert out.count("dedup/exact") == 2


# --- parallel sections of one page (boilerplate-sections) ------------------------------

RULE = "The selection process, when a vacancy occurs, is a vote of the council on nominees."


def roles_page(second: str = "Releasers", sub: str = "Membership") -> str:
    return (
        f"# Roles\n\n## Mergers\n\n### Membership\n\n{RULE}\n\n## {second}\n\n### {sub}\n\n{RULE}\n"
    )


def test_a_repeat_in_parallel_sections_of_one_page_is_boilerplate() -> None:
    write("docs/roles.md", roles_page())
    code, out = check("docs")
    assert code == 0, out
    assert '2 copies in docs/roles.md, 2 sections titled "membership", under other headings' in out
    Path("pyproject.toml").write_text("[tool.dedup]\nboilerplate-sections = false\n")
    assert check("docs")[0] == 1


def test_parallel_sections_with_attribute_lists_in_their_titles() -> None:
    # Hatch: "### Dependencies ### {: #target-dependencies }" under two headings.
    text = (
        f"# Build\n\n## Targets\n\n### Dependencies ### {{: #target-dependencies }}\n\n{RULE}\n\n"
        f"## Hooks\n\n### Dependencies {{: #hook-dependencies }}\n\n{RULE}\n"
    )
    write("docs/build.md", text)
    code, out = check("docs")
    assert code == 0, out
    assert 'sections titled "dependencies"' in out


def test_a_section_inside_one_of_the_same_title_is_not_parallel() -> None:
    write("docs/n.md", f"# Page\n\n## Notes\n\n{RULE}\n\n### Notes\n\n{RULE}\n")
    assert check("docs")[0] == 1


def test_parallel_sections_in_restructuredtext() -> None:
    def role(name: str) -> str:
        return f"{name}\n{'=' * len(name)}\n\nMembership\n----------\n\n{RULE}\n\n"

    write("docs/roles.rst", f"Roles\n#####\n\n{role('Mergers')}{role('Releasers')}")
    code, out = check("docs")
    assert code == 0, out
    assert 'sections titled "membership"' in out


@pytest.mark.parametrize(
    ("second", "sub"),
    [
        ("Mergers", "Membership"),  # a section pasted twice under one heading...
        ("Releasers", "Selection"),  # ...or the same words under other titles
    ],
)
def test_a_repeat_in_sections_that_are_not_parallel_stays_a_copy(second: str, sub: str) -> None:
    if second == "Mergers":  # one "## Mergers" holding "### Membership" twice
        text = f"# Roles\n\n## Mergers\n\n### Membership\n\n{RULE}\n\n### Membership\n\n{RULE}\n"
    else:
        text = roles_page(second, sub)
    write("docs/roles.md", text)
    assert check("docs")[0] == 1


# --- a landing page's summary of a linked page (boilerplate-summaries) -----------------

INTRO = "To get started with the tool, install it and set up your first project in a folder."


def test_a_landing_pages_summary_under_a_link_to_the_page_is_boilerplate() -> None:
    write("src/getting-started/index.md", f"# Getting started\n\n{INTRO}\n")
    write(
        "src/index.md",
        "# The book\n\n### Sections\n\n**[Getting Started](getting-started/index.md)**\n\n"
        f"{INTRO}\n",
    )
    code, out = check("src")
    assert code == 0, out
    assert "a page and its summary under a link to it" in out
    Path("pyproject.toml").write_text("[tool.dedup]\nboilerplate-summaries = false\n")
    assert check("src")[0] == 1


@pytest.mark.parametrize(
    "above",
    [
        "- [Getting Started](getting-started/index.md)",  # the last link of a list
        "**[Other page](other.md)**",  # a link to another page
        "See the [getting started guide](getting-started/index.md) and the install notes.",
    ],
)
def test_a_copy_under_another_kind_of_link_stays_a_copy(above: str) -> None:
    write("src/getting-started/index.md", f"# Getting started\n\n{INTRO}\n")
    write("src/index.md", f"# The book\n\n{above}\n\n{INTRO}\n")
    assert check("src")[0] == 1


def page(title: str, body: str) -> str:
    return f"{title}\n{'=' * len(title)}\n\n{body}\n"


@pytest.mark.parametrize(
    ("landing", "body"),
    [
        # Django's index: the summary links to the page in its own words.
        ("docs/index.rst", f"Guides\n======\n\n:doc:`Getting started <start/index>`: {INTRO}"),
        # a section's summary, then a pointer to the page (a link from the docs' root)
        ("docs/ref/index.rst", f"Tools\n=====\n\n{INTRO}\n\nSee the :doc:`guide </start/index>`."),
        # an index page that opens with its first page's words and lists it in a toctree
        (
            "docs/start/more/index.rst",
            f"{INTRO}\n\n.. toctree::\n   :maxdepth: 1\n\n   Start <../index>",
        ),
        # a Markdown landing page: the summary, a list, then the link after the list
        (
            "docs/ref/index.md",
            f"## Start\n\n{INTRO}\n\n1. one\n2. two\n\n- [See it all](../start/)",
        ),
    ],
)
def test_a_summary_of_a_pages_opening_that_links_to_it_is_boilerplate(
    landing: str, body: str
) -> None:
    write("docs/start/index.rst", page("Getting started", f"{INTRO}\n\nThen more words."))
    write(landing, page("Contents", body))
    code, out = check("docs")
    assert code == 0, out
    assert "a page and its summary under a link to it" in out


def test_a_link_to_the_sites_root_names_no_other_page() -> None:
    write("docs/a.md", f"# A\n\n{INTRO}\n")
    write("docs/b.md", f"# B\n\nWords.\n\n## Caching\n\n{INTRO}\n\n[Back to the home page](/)\n")
    assert check("docs")[0] == 1


def test_a_link_line_right_under_a_heading_is_a_link_line() -> None:
    write("src/getting-started/index.md", f"# Getting started\n\n{INTRO}\n")
    write(
        "src/index.md",
        f"# The book\n\n### Sections\n**[Getting Started](getting-started/index.md)**\n\n{INTRO}\n",
    )
    code, out = check("src")
    assert code == 0, out


def test_two_pages_that_open_alike_stay_a_copy() -> None:
    # Django's system check reference and its topic guide open with the same paragraph;
    # the reference then points to the guide.
    write("docs/topics/checks.rst", page("Checks", f"{INTRO}\n\nHow to write one."))
    write(
        "docs/ref/checks.rst", page("Checks", f"{INTRO}\n\nSee the :doc:`guide </topics/checks>`.")
    )
    assert check("docs")[0] == 1


def test_a_link_that_ends_a_wrapped_sentence_is_no_link_line() -> None:
    # Sphinx's theming pages: a note whose sentence wraps before its link.
    note = ".. note::\n\n   If you wish to use a theme,\n   :doc:`/usage/theming`.\n"
    write("docs/usage/theming.rst", page("Themes", f"Intro words.\n\nMore\n----\n\n{INTRO}"))
    write("docs/dev/themes.rst", page("Theme development", f"{note}\n{INTRO}"))
    assert check("docs")[0] == 1


def test_definition_lists_in_parallel_are_lists() -> None:
    # Hugo's render hooks: the same context field in the lists of two templates.
    field = "PlainText\n: The plain variant of the above, with every tag of the text removed.\n"
    write(
        "docs/hooks.md",
        "# Hooks\n\nThe link template receives:\n\nTitle\n: The title attribute.\n\n"
        f"{field}\nThe heading template receives:\n\nLevel\n: The heading level.\n\n{field}",
    )
    code, out = check("docs")
    assert code == 0, out
    assert "2 copies in 2 lists of docs/hooks.md" in out


def test_two_pages_that_copy_each_other_stay_copies_beside_smaller_pages() -> None:
    # Hugo's absLangURL and relLangURL pages copy each other whole; two shorter pages
    # (absURL, relURL) repeat part of them. No page is made of the others.
    shared = [rule_page(n).split("\n\n")[k] for n in (1, 2) for k in (1, 2, 3)]
    own = ["The language prefix is added to the path when the site has many languages."]
    both = "# URL\n\n" + "\n\n".join(shared + own) + "\n"
    write("functions/abslangurl.md", both)
    write("functions/rellangurl.md", both)
    write("functions/absurl.md", "# absURL\n\n" + "\n\n".join(shared[:3]) + "\n")
    write("functions/relurl.md", "# relURL\n\n" + "\n\n".join(shared[3:]) + "\n")
    code, out = check("functions")
    assert code == 1
    assert "a page made of it" not in out
    assert "functions/rellangurl.md:" in out and "dedup/exact" in out


def test_role_rules_number_lines_as_findings_do() -> None:
    # A form feed is no line break: the slip in one list stays a copy.
    item = "- Run the full migration before you switch the traffic to the new servers."
    write("docs/a.md", f"Intro\x0cwith a form feed.\n\n* X\n\n{item}\n- Other step.\n{item}\n")
    code, out = check("docs")
    assert code == 1, out
    assert "docs/a.md:7:1: dedup/exact" in out


def test_front_matter_holds_no_heading() -> None:
    # Hugo's generated pages open with front matter whose closing "---" is no underline.
    for name, summary in SUMMARIES.items():
        front = f'---\ntitle: "hugo {name}"\nurl: /commands/hugo_{name}/\n---\n'
        write(f"docs/commands/hugo_{name}.md", front + cobra_page(name, summary))
    code, out = check("docs")
    assert code == 0, out
    assert 'its opening repeated under "synopsis", as in 3 pages' in out


# --- files that say they are generated (boilerplate-generated) -------------------------

PLUGIN = "Pytest plugin for writing integration tests against a cloud data factory service."


@pytest.mark.parametrize(
    "mark",
    [
        ".. Note this file is autogenerated by scripts/update-plugin-list.py\n",
        "<!-- DO NOT EDIT: made by tools/docs.py from the plugin index -->\n",
        "<!-- STOP! This file is auto-generated. -->\n",  # no region's bound (review)
        "<!-- back-end reference generated by gen.py; do not edit -->\n",
    ],
)
def test_copies_in_a_generated_file_are_boilerplate(mark: str) -> None:
    write("docs/plugins.md", f"{mark}\n# Plugins\n\n## one\n\n{PLUGIN}\n\n## two\n\n{PLUGIN}\n")
    code, out = check("docs")
    assert code == 0, out
    assert "1 file that says it is generated (fix it where it is made)" in out
    Path("pyproject.toml").write_text("[tool.dedup]\nboilerplate-generated = false\n")
    assert check("docs")[0] == 1


@pytest.mark.parametrize(
    "mark",
    [
        "<!-- back-end reference generated by gen.py; do not edit -->",
        "<!-- front-end docs: auto-generated, do not edit -->",
    ],
)
def test_a_hyphenated_word_is_no_region_mark(mark: str) -> None:
    # "back-end" holds "end" as a word of its own to \b, yet bounds no part of the page
    assert is_generated(f"{mark}\n\n# API\n\nText.\n")


def test_a_page_that_mentions_generated_code_is_not_generated() -> None:
    text = "# Plugins\n\nThe loader is generated by the build and runs first.\n\n"
    write("docs/plugins.md", f"{text}## one\n\n{PLUGIN}\n\n## two\n\n{PLUGIN}\n")
    assert check("docs")[0] == 1


@pytest.mark.parametrize(
    "mark",
    [
        "<!-- end auto-generated rule header -->\n",  # eslint-doc-generator
        "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n",
        # doctoc writes both lines
        "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n"
        "<!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->\n",
    ],
)
def test_a_mark_that_bounds_a_generated_part_leaves_the_page_written(mark: str) -> None:
    # eslint-plugin-import's rule pages: a generated header, then text written by hand.
    write("docs/rules/order.md", f"# order\n\n{mark}\n{PLUGIN}\n\n## Options\n\n{PLUGIN}\n")
    assert check("docs")[0] == 1


def test_a_copy_from_a_generated_file_into_a_written_one_stays_a_copy() -> None:
    mark = "<!-- This file was generated by typedoc. -->\n"
    write("docs/api.md", f"{mark}\n# API\n\n{PLUGIN}\n")
    write("docs/guide.md", f"# Guide\n\n{PLUGIN}\n")
    assert check("docs")[0] == 1


@pytest.mark.parametrize("folder", ["generated", "_autosummary", "generated_txt", "_generated"])
def test_copies_in_a_generated_folder_are_boilerplate(folder: str) -> None:
    # Sphinx autosummary writes docs/generated/; Cargo renders man/generated_txt/.
    write(f"docs/{folder}/a.txt", f"A\n\n{PLUGIN}\n")
    write(f"docs/{folder}/b.txt", f"B\n\n{PLUGIN}\n")
    write("docs/guide.md", "# Guide\n\nA page of its own words, written by hand.\n")
    code, out = check("docs")
    assert code == 0, out
    assert "2 copies in 2 files in a generated folder (fix them where they are made)" in out
    # The folder checked is not itself a reason: every file would be generated.
    assert check(f"docs/{folder}")[0] == 1
    Path(f"docs/{folder}/b.txt").unlink()
    write(f"docs/guide/{folder}.md", f"# Guide\n\n{PLUGIN}\n")  # a page, not a folder
    code, out = check("docs")
    assert code == 1, out


@given(st.text())
def test_entry_name_takes_any_heading_or_signature(text: str) -> None:
    # Sphinx's own docs: ".. rst:directive:: .. cpp:function:: (member) function prototype".
    assert isinstance(entry_name(text), str)
    assert isinstance(entries_of(f".. function:: {text}\n\n   Body.\n", "rst"), list)


def test_an_rst_definition_list_term_in_code_is_an_entry() -> None:
    # Scrapy's stats reference: ``name`` and its indented definition, one per stat.
    def stat(name: str) -> str:
        return f"``{name}``\n    Number of {name} seen.\n\n    {NOTE}\n\n"

    write(
        "docs/stats.rst",
        "Stats\n=====\n\n" + stat("item_scraped_count") + stat("item_dropped_count"),
    )
    code, out = check("docs")
    assert code == 0, out
    assert "2 copies in 2 entries of docs/stats.rst" in out
    lines = entries_of("Text.\n\n``not_a_term``\n\nA paragraph after it.\n", "rst")
    assert lines[4] is None  # no definition under it: no entry


def test_a_signature_in_parentheses_is_an_entry() -> None:
    lines = entries_of(".. cpp:function:: (member) function prototype\n\n   Body text.\n", "rst")
    assert lines[2] is not None


def test_parallel_entries_of_an_html_reference_page_are_boilerplate() -> None:
    # Node's rendered API pages: an entry per <h4> naming a call, a permalink mark in it.
    def entry(name: str) -> str:
        return (
            f'<h4><code>{name}(buffer[, options])</code><span><a class="mark" href="#x">#</a>'
            f"</span></h4>\n<p>{NOTE}</p>\n"
        )

    write("api/crypto.html", f"<h2>Crypto</h2>\n{entry('cipher.setAAD')}{entry('decipher.setAAD')}")
    code, out = check("api")
    assert code == 0, out
    assert "2 copies in 2 entries of api/crypto.html" in out


def test_a_change_filed_under_two_headings_of_one_release_is_boilerplate() -> None:
    # towncrier and Hugo's generated notes file one change under two categories.
    item = "- Run the full migration before you switch the traffic to the new servers."
    write(
        "docs/CHANGELOG.md",
        f"# Changelog\n\n## 2.0.0\n\n### Features\n\n{item}\n\n### Bug fixes\n\n{item}\n",
    )
    code, out = check("docs")
    assert code == 0, out
    assert "2 copies in 2 lists of docs/CHANGELOG.md" in out


@pytest.mark.parametrize("size", [10, 5000])
def test_a_mark_at_the_end_of_a_long_page_counts(size: int) -> None:
    body = "".join(f"Line {n} of the page, with its own words.\n" for n in range(size))
    assert is_generated(
        f"## hugo deploy\n\n{body}\n###### Auto generated by spf13/cobra on 3-Dec-2022\n"
    )
    assert not is_generated(f"## hugo deploy\n\n{body}")


def test_a_reflowed_text_rendering_of_a_rendered_page_is_one_too() -> None:
    # man/tool-build.md, the Markdown made from it, and a plain-text man page whose lines
    # are reflowed: it repeats only its last paragraph word for word.
    last = "Exit status 101 means the build failed; the messages above say which step."
    write("doc/man/tool-build.md", command_page("tool-build", f"{last}\n"))
    write("doc/src/commands/tool-build.md", command_page("tool-build"))
    write(
        "doc/man/generated_txt/tool-build.txt",
        "TOOL-BUILD(1)\n\n       tool-build compiles the current package and\n"
        "       every one of its local dependencies, reflowed.\n\n" + last + "\n",
    )
    code, out = check("doc")
    assert code == 0, out
    assert "doc/man/generated_txt/tool-build.txt and doc/man/tool-build.md, renderings" in out


STOCK = "This option is ignored by the development server and its autoreloader."


def test_a_note_under_two_items_of_a_list_is_boilerplate() -> None:
    # Celery's change log: "See issue #169." under two entries; Django's middleware order.
    write(
        "docs/order.rst",
        "Order\n=====\n\n"
        f"#. ``SessionMiddleware``\n\n   Early: it sets the session.\n\n   {STOCK}\n\n"
        f"#. ``CsrfViewMiddleware``\n\n   Before any view middleware.\n\n   {STOCK}\n",
    )
    code, out = check("docs")
    assert code == 0, out
    assert out.splitlines()[0] == (
        'docs/order.rst:8:4: dedup/boilerplate: "This option is ignored by the development '
        'server …" is boilerplate: 2 copies in docs/order.rst, each under another list item '
        "(this one kept; 1 exact); boilerplate does not fail (--fail-on-boilerplate)"
    )
    write("pyproject.toml", "[tool.dedup]\nboilerplate-lists = false\n")
    assert check("docs")[0] == 1


def test_a_longer_note_under_two_variants_is_boilerplate_too() -> None:
    # Pyramid's install page: the same instructions under "Unix" and under "Windows".
    para = (
        "You can either follow the use of the environment variable, or replace it with the "
        "root directory of the virtual environment. If you choose the former approach, "
        "ensure that it is an absolute path."
    )
    write("docs/install.md", f"# Install\n\n- Unix\n\n  {para}\n\n- Windows\n\n  {para}\n")
    code, out = check("docs")
    assert code == 0, out
    assert "each under another list item" in out


def test_a_note_twice_under_one_item_stays_a_copy() -> None:
    write(
        "docs/order.md",
        f"# Order\n\n- Session\n\n  {STOCK}\n\n  Then more.\n\n  {STOCK}\n\n- Csrf\n",
    )
    assert check("docs")[0] == 1


def test_a_projects_own_object_directives_and_django_style_bodies_are_entries() -> None:
    # Django writes ``.. django-admin-option::`` and ``.. method::`` with the text below
    # them unindented; each holds the lines down to the next one.
    text = (
        "Options\n=======\n\n"  # 1-3
        ".. django-admin-option:: --traceback\n\n"  # 4-5
        f"Shows a full stack trace.\n\n{STOCK}\n\n"  # 6-9
        ".. django-admin-option:: --verbosity {0,1,2,3}, -v {0,1,2,3}\n\n"  # 10-11
        f"Sets the amount of output.\n\n{STOCK}\n"  # 12-14
    )
    entries = entries_of(text, "rst")
    assert entries[5] is not None and entries[5].name == "--traceback"
    assert entries[8] is not None and entries[8].line == 4
    assert entries[13] is not None and entries[13].line == 10
    write("docs/django-admin.txt", text)
    code, out = check("docs")
    assert code == 0, out
    assert "is boilerplate: 2 copies in 2 entries of docs/django-admin.txt" in out


@pytest.mark.parametrize(
    "directive",
    [
        ".. admonition:: Extension",
        ".. tab:: Python",
        ".. versionadded:: 5.1",
        ".. console::",
        # an extension's directive with a title, not a name (review)
        ".. exercise:: Write a loop",
        ".. collapse:: Details",
        ".. program-output:: python --version",
    ],
)
def test_content_directives_are_no_entries(directive: str) -> None:
    text = f"{directive}\n\n    Body.\n"
    assert entries_of(text, "rst")[2] is None


def test_one_directive_without_a_body_alone_in_its_section_holds_nothing() -> None:
    # Django's how-to: ``.. method:: Library.simple_tag()`` under "Simple tags" anchors the
    # section; the section's prose is no entry, so a paragraph pasted into the next
    # section ("Inclusion tags") stays a copy.
    para = (
        "Then in the template any number of arguments, separated by spaces, may be passed "
        "to the template tag, keyword arguments after the positional ones."
    )
    write(
        "docs/howto.txt",
        "Tags\n====\n\nSimple tags\n-----------\n\n.. method:: Library.simple_tag()\n\n"
        f"Simple tags take arguments.\n\n{para}\n\n"
        "Inclusion tags\n--------------\n\n.. method:: Library.inclusion_tag()\n\n"
        f"Inclusion tags render a template.\n\n{para}\n",
    )
    assert check("docs")[0] == 1


@pytest.mark.parametrize(
    "pair",
    [
        ".. role:: python(code)\n.. role:: raw-html(raw)",
        ".. autofunction:: app.start\n.. autofunction:: app.stop",
        ".. cpp:namespace:: app\n.. cpp:namespace-push:: util",
    ],
)
def test_directives_whose_description_is_not_below_them_hold_nothing(pair: str) -> None:
    # docutils' roles, autodoc's directives (their docstring is their description) and a
    # domain's namespaces: the prose below them is no entry, and a paragraph copied from
    # it into a function's body stays a copy.
    write(
        "docs/api.rst",
        f"API\n===\n\n{pair}\n\n{STOCK}\n\nFunctions\n---------\n\n"
        f".. function:: start(config)\n\n   Starts the server.\n\n   {STOCK}\n",
    )
    code, out = check("docs")
    assert code == 1, out
    # Sphinx's own rst:role is an object description: two of them hold their prose
    assert entries_of(".. rst:role:: a\n.. rst:role:: b\n\nText.\n", "rst")[3] is not None


# --- a reminder: the same callout in two sections of one page (boilerplate-reminders) ---

WARN = "The support for concepts is experimental and may change in a later release."


@pytest.mark.parametrize(
    ("path", "box"),
    [
        ("docs/cpp.rst", ".. warning:: {}\n"),
        ("docs/cpp.md", "!!! warning\n\n    {}\n"),
        ("docs/cpp.md", "::: warning\n{}\n:::\n"),
        ("docs/cpp.md", "> [!WARNING]\n> {}\n"),
        ("docs/cpp.md", "/// warning | Careful\n{}\n///\n"),  # pymdown Blocks
        ("docs/cpp.md", "{{{{% note %}}}}\n{}\n{{{{% /note %}}}}\n"),
    ],
)
def test_a_callout_repeated_in_two_sections_of_one_page_is_a_reminder(path: str, box: str) -> None:
    # Sphinx's C++ domain warns under each section on concepts.
    heading = "Concepts\n========\n\n" if path.endswith(".rst") else "# Concepts\n\n"
    sub = "Templates\n---------\n\n" if path.endswith(".rst") else "## Templates\n\n"
    write(
        path, f"{heading}Declare them.\n\n{box.format(WARN)}\n{sub}Use them.\n\n{box.format(WARN)}"
    )
    code, out = check("docs")
    assert code == 0, out
    assert f"2 copies in {path}, each in a callout (a note or warning box)" in out
    write("pyproject.toml", "[tool.dedup]\nboilerplate-reminders = false\n")
    assert check("docs")[0] == 1


@pytest.mark.parametrize(
    "second",
    [
        f"{WARN}\n",  # once in a box, once in prose
        f".. note::\n\n    {WARN}\n\n    {WARN}\n",  # twice in one box
    ],
)
def test_a_callout_and_its_words_elsewhere_in_the_page_stay_a_copy(second: str) -> None:
    first = "" if "note" in second else f".. warning:: {WARN}\n\n"
    write("docs/cpp.rst", f"Concepts\n========\n\n{first}Templates\n---------\n\n{second}")
    assert check("docs")[0] == 1


def test_the_same_callout_on_two_pages_stays_a_copy() -> None:
    write("docs/a.rst", f"A\n=\n\n.. warning:: {WARN}\n")
    write("docs/b.rst", f"B\n=\n\n.. warning:: {WARN}\n")
    assert check("docs")[0] == 1


def test_callout_lines_number_each_box() -> None:
    md = "A\n\n!!! note\n    body\n\nafter\n\n{{% tip %}}x{{% /tip %}}\nout\n> [!NOTE]\n> y\nz\n"
    assert callout_lines(md, "markdown") == [
        None, None, 1, 1, 1, None, None, 2, None, 3, 3, None,
    ]  # fmt: skip
    # a box shown in a code example opens none; ``info-box`` is no ``info``
    shown = "```md\n::: warning\nx\n```\n\n::: info-box\ny\n:::\n\n::: tip\nz\n:::\n"
    assert callout_lines(shown, "markdown")[-3:] == [1, 1, 1]
    assert set(callout_lines(shown, "markdown")[:-3]) == {None}
    rst = ".. Important::\n\n    Body.\n\nOut.\n\n.. note:: One.\n"
    assert callout_lines(rst, "rst") == [1, None, 1, None, None, None, 2]
