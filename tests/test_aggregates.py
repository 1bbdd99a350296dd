"""A page made of other pages (a rules index, a one-page reference) repeats them on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout


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
