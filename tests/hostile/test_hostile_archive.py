"""The SQLite archive is private, and the archive code holds no test hooks.

- The archive holds the full text of every archived paragraph: a new SQLite archive, and
  the ``-wal``/``-shm`` files SQLite makes beside it, are mode 0600 (owner read/write),
  less the umask; never the 0644 SQLite would give them.
- Production code reads no test hook from the environment (``DEDUP_ARCHIVE_TEST_PAUSE``
  wrote a pid to any path it named and slept; the tests now pause from
  ``tests/archive_pause.py``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import run

from dedup.archive import open_archive

REPO = Path(__file__).resolve().parents[2]
P1 = (
    "The river flooded the old market square overnight, and the traders spent the whole "
    "morning carrying their stock to the higher streets behind the cathedral."
)


@pytest.fixture(autouse=True)
def _env(cli_env: None) -> None:
    """Every probe here runs in its own empty folder (before any fixture writes there)."""


@pytest.fixture(params=[0o022, 0o077], ids=["umask-022", "umask-077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_archive_is_readable_by_its_owner_only(umask: int) -> None:
    Path("story.txt").write_text(P1 + "\n", encoding="utf-8")
    code, _, err = run("archive", "add", "archive.db", "story.txt")
    assert code == 0, err
    assert mode("archive.db") == 0o600
    # A plain file made under the same umask is not private: the archive was made so.
    Path("other.txt").write_text("x", encoding="utf-8")
    assert mode("other.txt") == 0o666 & ~umask


def test_the_wal_and_shm_files_are_private_too(umask: int) -> None:
    store = open_archive("fresh.db", create=True)
    try:
        side = sorted(f for f in os.listdir(".") if f.startswith("fresh.db"))
        assert side == ["fresh.db", "fresh.db-shm", "fresh.db-wal"]  # WAL: open, not closed
        assert {f: mode(f) for f in side} == dict.fromkeys(side, 0o600)
    finally:
        store.close()


def test_an_existing_archive_keeps_its_mode() -> None:
    Path("story.txt").write_text(P1 + "\n", encoding="utf-8")
    assert run("archive", "add", "shared.db", "story.txt")[0] == 0
    os.chmod("shared.db", 0o640)  # the owner chose to share it with the group
    Path("story.txt").write_text(P1.replace("river", "canal") + "\n", encoding="utf-8")
    assert run("archive", "add", "shared.db", "story.txt")[0] == 0
    assert mode("shared.db") == 0o640


def test_production_code_reads_no_test_hook() -> None:
    for path in (REPO / "dedup").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "DEDUP_ARCHIVE_TEST_PAUSE" not in text, path
        assert "pause_before_commit" not in text, path
