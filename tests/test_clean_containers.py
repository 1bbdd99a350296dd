"""``dedup clean`` on admonitions and ``:::`` containers: no empty box is left behind.

When every paragraph inside a MkDocs admonition or a VitePress/Docusaurus ``:::``
container is removed, its opener (and closing fence) go with it, and the notes list
exactly those lines; a box that keeps any content stays byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

A = "Run the installer and follow the prompts until the setup is complete."
B = "Configure the tool by editing the settings file in your home folder."
END = "The end of the page says goodbye to every reader who came this far."


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def clean(runner: CliRunner, tmp_path: Path, text: str, *args: str, name: str = "a.md") -> str:
    f = tmp_path / name
    f.write_bytes(text.encode("utf-8"))
    out = tmp_path / f"out-{name}"
    result = runner.invoke(app, ["clean", str(f), "-o", str(out), "-q", *args])
    assert result.exit_code == 0, result.stderr
    return out.read_bytes().decode("utf-8")


MKDOCS = f'# Install\n\n{A}\n\n!!! tip "Faster installs"\n\n    {A}\n\n{END}\n'
VITEPRESS = f"# Install\n\n{A}\n\n::: tip Remember\n{A}\n:::\n\n{END}\n"
EXPECTED = f"# Install\n\n{A}\n\n{END}\n"


@pytest.mark.parametrize(
    "text",
    [
        MKDOCS,
        MKDOCS.replace("!!! tip", "??? note"),
        MKDOCS.replace("!!! tip", "???+ warning"),
        MKDOCS.replace('!!! tip "Faster installs"', "!!! note"),
        VITEPRESS,
        VITEPRESS.replace("::: tip Remember", ":::tip[Remember]"),  # Docusaurus
        VITEPRESS.replace("::: tip Remember", ":::{note}\n:class: dropdown"),  # MyST
        f"# Install\n\n{A}\n\n```{{note}}\n:class: dropdown\n{A}\n```\n\n{END}\n",  # MyST
        f"# Install\n\n{A}\n\n/// tip | Remember\n    type: tip\n{A}\n///\n\n{END}\n",  # pymdown
        f"{A}\n\n::: warning\n\n{A}\n\n{A}\n\n:::\n\n{END}\n".replace(
            "# Install\n\n", ""
        ),  # several paragraphs, all removed
    ],
    ids=[
        "mkdocs",
        "collapsible",
        "open-collapsible",
        "no-title",
        "vitepress",
        "docusaurus",
        "myst",
        "myst-backticks",
        "pymdown-block",
        "several",
    ],
)
def test_a_box_left_empty_goes_with_its_content(
    runner: CliRunner, tmp_path: Path, text: str
) -> None:
    expected = EXPECTED if text.startswith("#") else f"{A}\n\n{END}\n"
    assert clean(runner, tmp_path, text) == expected


def test_a_myst_box_that_keeps_its_code_stays(runner: CliRunner, tmp_path: Path) -> None:
    text = f"# Install\n\n{A}\n\n````{{tip}}\n{A}\n\n```py\nx = 1\n```\n````\n\n{END}\n"
    kept = f"# Install\n\n{A}\n\n````{{tip}}\n\n```py\nx = 1\n```\n````\n\n{END}\n"
    assert clean(runner, tmp_path, text) == kept


def test_nested_boxes_emptied_go_together(runner: CliRunner, tmp_path: Path) -> None:
    text = f"{A}\n\n::::note Outer\n:::tip Inner\n{A}\n:::\n::::\n\n{END}\n"
    assert clean(runner, tmp_path, text) == f"{A}\n\n{END}\n"


def test_a_box_at_the_end_takes_the_blank_lines_before_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    assert clean(runner, tmp_path, f"{A}\n\n::: tip\n{A}\n:::") == A  # no final line break
    assert clean(runner, tmp_path, f"{A}\n\n!!! tip\n\n    {A}\n") == f"{A}\n"
    crlf = f"{A}\r\n\r\n::: tip\r\n{A}\r\n:::\r\n\r\n{END}\r\n"
    assert clean(runner, tmp_path, crlf) == f"{A}\r\n\r\n{END}\r\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # another paragraph stays inside
            f"{A}\n\n!!! tip\n\n    {A}\n\n    {B}\n\n{END}\n",
            f"{A}\n\n!!! tip\n\n    {B}\n\n{END}\n",
        ),
        (
            f"{A}\n\n::: tip\n{A}\n\n{B}\n:::\n\n{END}\n",
            f"{A}\n\n::: tip\n\n{B}\n:::\n\n{END}\n",
        ),
        (  # structure (an image, code) stays inside: the box is not empty
            f"{A}\n\n::: tip\n{A}\n\n![Dashboard](img/dash.png)\n:::\n\n{END}\n",
            f"{A}\n\n::: tip\n\n![Dashboard](img/dash.png)\n:::\n\n{END}\n",
        ),
        (
            f"{A}\n\n!!! tip\n\n    {A}\n\n    ```sh\n    make\n    ```\n\n{END}\n",
            f"{A}\n\n!!! tip\n\n    ```sh\n    make\n    ```\n\n{END}\n",
        ),
    ],
    ids=["mkdocs-prose", "vitepress-prose", "image", "code"],
)
def test_a_box_that_keeps_content_stays(
    runner: CliRunner, tmp_path: Path, text: str, expected: str
) -> None:
    assert clean(runner, tmp_path, text) == expected


def test_boxes_that_were_empty_and_fences_are_left_alone(runner: CliRunner, tmp_path: Path) -> None:
    # An empty box stays (nothing was removed from it); ::: inside a code fence is code.
    text = f"{A}\n\n::: tip\n:::\n\n```md\n::: tip\n{A}\n:::\n```\n\n{A}\n\n{END}\n"
    assert clean(runner, tmp_path, text) == text.replace(f"{A}\n\n{END}", END)


def test_plain_text_and_the_directives_rule_off_keep_the_old_cut(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = f"{A}\n\n::: tip\n{A}\n:::\n\n{END}\n"
    assert clean(runner, tmp_path, text, name="a.txt") == f"{A}\n\n::: tip\n:::\n\n{END}\n"
    (tmp_path / "dedup.toml").write_text("[tool.dedup]\nstructure = {directives = false}\n")
    config = str(tmp_path / "dedup.toml")
    text = f"{A}\n\n!!! tip\n\n    {A}\n\n{END}\n"
    assert clean(runner, tmp_path, text, "--config", config) == text  # indented code then


def test_json_notes_list_exactly_the_marker_lines(runner: CliRunner, tmp_path: Path) -> None:
    text = (
        f'# Intro ✓\n\n{A}\n\n!!! tip "Faster – installs"\n\n    {A}\n\n'
        f"{B}\n\n::: tip\n{B}\n:::\n\n{END}\n"
    )
    notes = tmp_path / "n.json"
    cleaned = clean(runner, tmp_path, text, "--notes", str(notes))
    assert cleaned == f"# Intro ✓\n\n{A}\n\n{B}\n\n{END}\n"
    removed = json.loads(notes.read_text(encoding="utf-8"))["removed"]
    data = text.encode("utf-8")
    assert [r["container"] for r in removed] == [
        [{"lines": [5, 5], "bytes": [84, 114], "text": '!!! tip "Faster – installs"'}],
        [
            {"lines": [11, 11], "bytes": [260, 268], "text": "::: tip"},
            {"lines": [13, 13], "bytes": [337, 341], "text": ":::"},
        ],
    ]
    for r in removed:
        for e in r["container"]:
            assert data[e["bytes"][0] : e["bytes"][1]].decode() == e["text"] + "\n"
    # The lines that are neither removed paragraphs nor listed markers are the output's
    # lines, but for blank separators.
    listed = {
        n
        for r in removed
        for e in [r, *r["container"]]
        for n in range(e["lines"][0], e["lines"][1] + 1)
    }
    rest = [line for n, line in enumerate(text.splitlines(), start=1) if n not in listed]
    assert [x for x in rest if x] == [x for x in cleaned.splitlines() if x]


def test_notes_without_an_emptied_box_have_no_container_field(
    runner: CliRunner, tmp_path: Path
) -> None:
    notes = tmp_path / "n.json"
    clean(runner, tmp_path, f"{A}\n\n::: tip\n{A}\n\n{B}\n:::\n", "--notes", str(notes))
    [removed] = json.loads(notes.read_text(encoding="utf-8"))["removed"]
    assert "container" not in removed


def test_markdown_notes_say_the_box_went(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    clean(runner, tmp_path, VITEPRESS, "--notes", str(notes))
    assert (
        "Identical text.\n\nIts container, left empty, went too (line 5, line 7):\n\n"
        "> ::: tip Remember\n> :::\n"
    ) in notes.read_text(encoding="utf-8")


def test_diff_shows_the_same_cut(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(MKDOCS, encoding="utf-8")
    result = runner.invoke(app, ["diff", str(f), "--format", "unified", "-q"])
    assert result.exit_code == 0, result.stderr
    assert '-!!! tip "Faster installs"\n-\n-    ' + A + "\n-\n" in result.stdout
