"""The pre-commit hook, exercised for real with ``pre-commit try-repo``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WARNING = "Back up your data before you upgrade; the upgrade rewrites the database in place."


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed by pre-commit")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    # try-repo reads a git repository: snapshot the working tree (committed or not) into one.
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout.split("\0")  # fmt: skip
    hook_repo = tmp_path / "hook-repo"
    for rel in filter(None, listed):
        if (REPO / rel).is_file():
            (hook_repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, hook_repo / rel)
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "a.md").write_text(f"# A\n\n{WARNING}\n")
    (project / "docs" / "b.md").write_text("# B\n\nSomething else entirely.\n")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for folder in (hook_repo, project):
        subprocess.run(["git", "init", "-q"], cwd=folder, check=True, env=env)
        subprocess.run(["git", "add", "."], cwd=folder, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "snapshot"], cwd=hook_repo, check=True, env=env)
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "dedup", "--all-files"]

    ok = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout

    (project / "docs" / "b.md").write_text(f"# B\n\n{WARNING}\n")
    subprocess.run(["git", "add", "."], cwd=project, check=True, env=env)
    bad = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert (
        'docs/b.md:3:1: dedup/exact: "Back up your data before you upgrade; the …" '
        "repeats docs/a.md:3 (similarity 1.00)" in bad.stdout
    )
