"""Hostile places and names (issue 15 items 7, 9, 13).

- Credentials in an archive URL (userinfo, ``?password=``, ``token=``, ...) never reach a
  report, a message or ``archive stats``: they are masked as ``***``.
- A read-only archive (read-only file, read-only folder) can be read by ``check --against``,
  ``archive stats`` and ``archive export``; a write to it is refused with one clear line.
  Root ignores file modes, so as root the commands run with the capabilities that bypass
  them dropped (``setpriv --bounding-set=-dac_override,...``): what a normal user meets.
- Control characters in file names and contents are shown as ``\\x1b``-style escapes in
  every human-facing output; a UTF-16/32 file (BOM) is refused with a hint.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import run
from redis_server import redis_server

from dedup.text.safe_text import mask_credentials, scrub, visible

REPO = Path(__file__).resolve().parent.parent.parent
SECRET = "Sup3rSecretPw"

P1 = (
    "The river flooded the old market square overnight, and the traders spent the whole "
    "morning carrying their stock to the higher streets behind the cathedral."
)
P2 = (
    "A new bridge over the estuary will open in the spring, the council said, two years "
    "after the ferry that served the villages on the far bank stopped running."
)


@pytest.fixture(autouse=True)
def _env(cli_env: None) -> None:
    """Every probe here runs in its own empty folder (before any fixture writes there)."""


def write(name: str, text: str) -> None:
    Path(name).write_text(text, encoding="utf-8")


# -- item 7: credentials in archive locations --------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:pw1234@h:6379/0", "redis://:***@h:6379/0"),
        ("redis://default:pw1234@h:6379/0", "redis://default:***@h:6379/0"),
        ("redis://h:6379/0?password=pw1234&prefix=x", "redis://h:6379/0?password=***&prefix=x"),
        ("redis://h/0?PASSWORD=pw1234", "redis://h/0?PASSWORD=***"),
        ("rediss://h/0?prefix=x&pass=pw1234", "rediss://h/0?prefix=x&pass=***"),
        ("redis://h/0?token=pw1234;auth=pw5678", "redis://h/0?token=***;auth=***"),
        ("redis://h/0?db=1&access_token=pw1234#top", "redis://h/0?db=1&access_token=***#top"),
        ("unix:///run/redis.sock?db=0&password=pw1234", "unix:///run/redis.sock?db=0&password=***"),
        ("redis://u:p%40ss@h/0?Token=pw1234", "redis://u:***@h/0?Token=***"),
        ("redis://h:6379/0?prefix=bypass", "redis://h:6379/0?prefix=bypass"),
        ("archive/published.sqlite", "archive/published.sqlite"),
    ],
)
def test_every_credential_form_is_masked(url: str, shown: str) -> None:
    assert mask_credentials(url) == shown
    assert mask_credentials(f"cannot reach {url} (refused)") == f"cannot reach {shown} (refused)"


def test_scrub_removes_secrets_echoed_without_their_url() -> None:
    url = "redis://:p%40ssw0rd@h/0?token=tok-123456"
    message = "AUTH p@ssw0rd failed; token tok-123456 unknown"
    assert scrub(message, url) == "AUTH *** failed; token *** unknown"


@pytest.fixture(scope="module")
def secured_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server that wants the password ``SECRET``; yields its URL without it."""
    import redis

    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        client = redis.Redis.from_url(url)
        client.config_set("requirepass", SECRET)
        client.close()
        yield url


def test_a_password_in_the_url_is_never_shown(secured_redis: str) -> None:
    """Every report format, archive stats and every message mask the password."""
    host = secured_redis.removeprefix("redis://")
    forms = [
        f"{secured_redis}?password={SECRET}&prefix=q",
        f"redis://:{SECRET}@{host}?prefix=u",
        f"redis://default:{SECRET}@{host}?prefix=d",
    ]
    write("published.txt", f"{P1}\n\n{P2}\n")
    write("draft.txt", f"{P1}\n\nSomething else entirely, written for this draft only.\n")
    for archive in forms:
        code, out, err = run("archive", "add", archive, "published.txt")
        assert code == 0, err
        seen = out + err
        reports = {}
        for fmt in ("text", "json", "sarif", "github", "gitlab"):
            code, out, err = run("check", "--against", archive, "--format", fmt, "draft.txt")
            assert code == 1, err
            reports[fmt] = out
            seen += out + err
        for args in (["stats"], ["stats", "--json"], ["export"]):
            code, out, err = run("archive", *args, archive)
            assert code == 0, err
            seen += out + err
        code, out, err = run("archive", "remove", archive, "published.txt")
        assert code == 0, err
        seen += out + err
        assert SECRET not in seen
        location = json.loads(reports["json"])["archive"]["location"]
        assert location == mask_credentials(archive) and "***" in location
        assert "repeats archived published.txt:1" in reports["text"]


def test_connection_errors_do_not_show_the_password(secured_redis: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    write("draft.txt", f"{P1}\n")
    unreachable = f"redis://127.0.0.1:{port}/0?password={SECRET}"
    code, out, err = run("check", "--against", unreachable, "draft.txt")
    assert code == 2 and SECRET not in out + err
    assert err.startswith(f"error: redis://127.0.0.1:{port}/0?password=***: cannot connect")
    host = secured_redis.removeprefix("redis://")
    wrong = f"redis://:{SECRET}x@{host}"  # a wrong password: refused by the server
    code, out, err = run("archive", "stats", wrong)
    assert code == 2 and SECRET not in out + err and ":***@" in err


# -- item 9: read-only archives ----------------------------------------------------------------


def _as_user() -> list[str]:
    """Return the command prefix that runs dedup without the power to ignore file modes."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file read-only to dedup")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "pass"], check=False)
    if probe.returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here")
    return prefix


def dedup_as_user(*args: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    done = subprocess.run(
        [*_as_user(), sys.executable, "-m", "dedup", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def archived(tmp_path: Path) -> Iterator[Path]:
    """An SQLite archive of published.txt in ``tmp_path/shelf``; modes restored afterwards."""
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    write("published.txt", f"{P1}\n\n{P2}\n")
    write("draft.txt", f"{P1}\n\nSomething else entirely, written for this draft only.\n")
    code, _, err = run("archive", "add", str(shelf / "archive.sqlite"), "published.txt")
    assert code == 0, err
    try:
        yield shelf / "archive.sqlite"
    finally:
        shelf.chmod(0o755)
        (shelf / "archive.sqlite").chmod(0o644)


READ_ONLY = "cannot write the archive (read-only file or folder)"


@pytest.mark.parametrize("where", ["file", "folder", "both"])
def test_a_read_only_archive_can_be_read_and_refuses_writes(archived: Path, where: str) -> None:
    if where in ("file", "both"):
        archived.chmod(0o444)
    if where in ("folder", "both"):
        archived.parent.chmod(0o555)
    before = sorted(p.name for p in archived.parent.iterdir())
    code, out, err = dedup_as_user("check", "--against", str(archived), "draft.txt")
    assert code == 1, err
    assert (
        'draft.txt:1:1: dedup/exact: "The river flooded the old market square overnight, …" '
        "repeats archived published.txt:1" in out
    )
    code, out, err = dedup_as_user("archive", "stats", "--json", str(archived))
    assert code == 0, err
    assert json.loads(out)["paragraphs"] == 2
    code, out, err = dedup_as_user("archive", "export", str(archived))
    assert code == 0, err
    assert len(out.splitlines()) == 2
    for args in (["add", str(archived), "draft.txt"], ["remove", str(archived), "published.txt"]):
        code, out, err = dedup_as_user("archive", *args)
        assert code == 2
        assert err == f"error: {archived}: {READ_ONLY}; " + err.split("; ", 1)[1]
        assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in archived.parent.iterdir()) == before  # nothing left behind
    archived.parent.chmod(0o755)
    archived.chmod(0o644)
    code, out, _ = run("archive", "stats", "--json", str(archived))
    assert code == 0 and json.loads(out)["sources"] == 1  # the refused writes changed nothing


def test_unmerged_writes_in_a_read_only_folder_are_named(archived: Path) -> None:
    """A -wal file with writes (a writer died) cannot be read without a -shm file: say so."""
    import sqlite3

    copy = archived.parent / "copy.sqlite"
    conn = sqlite3.connect(archived, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("INSERT INTO meta VALUES ('unmerged', 'write')")
        shutil.copy(archived, copy)  # the file and its log as a killed writer leaves them
        shutil.copy(f"{archived}-wal", f"{copy}-wal")
    finally:
        conn.close()
    archived.parent.chmod(0o555)
    code, _, err = dedup_as_user("archive", "stats", str(copy))
    assert code == 2
    assert err.startswith(f"error: {copy}: cannot read the archive: its write-ahead log")
    assert len(err.splitlines()) == 1


def test_an_archive_in_a_missing_folder_is_not_called_read_only() -> None:
    write("published.txt", f"{P1}\n")
    code, _, err = run("archive", "add", "nowhere/archive.sqlite", "published.txt")
    assert code == 2
    assert err == "error: nowhere/archive.sqlite: no such folder: nowhere\n"


def test_reading_a_writable_archive_leaves_no_journal_files(archived: Path) -> None:
    code, _, err = run("check", "--against", str(archived), "draft.txt")
    assert code == 1, err
    assert sorted(p.name for p in archived.parent.iterdir()) == ["archive.sqlite"]


# -- item 13: control characters and UTF-16 ----------------------------------------------------

HOSTILE_NAME = "news\x1b]0;pwned\x07\nfake.txt:1:1: exact\u202e.txt"
ESCAPED_NAME = "news\\x1b]0;pwned\\x07\\nfake.txt:1:1: exact\\u202e.txt"
HOSTILE_LINE = f"{P2} \x1b]0;title\x07\x1b[2J\u202eend"


def _no_controls(text: str) -> None:
    for bad in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert bad not in text, f"{bad!r} reached the output: {text!r}"


@pytest.fixture
def hostile() -> None:
    write(HOSTILE_NAME, f"{P1}\n\n{HOSTILE_LINE}\n")
    write("copy.txt", f"{P1}\n\n{HOSTILE_LINE.replace('end', 'fin')}\n")


@pytest.mark.usefixtures("hostile")
def test_check_text_and_github_show_control_characters_escaped() -> None:
    code, out, err = run("check", "--format", "text", HOSTILE_NAME, "copy.txt")
    assert code == 1, err
    _no_controls(out + err)
    lines = out.splitlines()
    assert lines[0] == (
        'copy.txt:1:1: dedup/exact: "The river flooded the old market square overnight, …" '
        f"repeats {ESCAPED_NAME}:1 (similarity 1.00)"
    )
    assert len(lines) == 3  # two findings and the summary: a newline in a name splits nothing
    code, out, err = run("check", "--format", "github", HOSTILE_NAME, "copy.txt")
    assert code == 1
    _no_controls(out)
    assert len(out.splitlines()) == 2
    code, out, _ = run("check", "--format", "json", HOSTILE_NAME, "copy.txt")
    assert {d["path"] for d in json.loads(out)["documents"]} == {HOSTILE_NAME, "copy.txt"}


@pytest.mark.usefixtures("hostile")
def test_diff_terminal_view_escapes_names_and_lines() -> None:
    code, out, err = run("diff", "--format", "terminal", HOSTILE_NAME, "copy.txt")
    assert code == 0, err
    _no_controls(out + err)
    assert "\\x1b]0;title\\x07\\x1b[2J\\u202e" in out
    assert "news\\x1b]0;pwned\\x07\\nfake.txt" in out


@pytest.mark.usefixtures("hostile")
def test_explain_escapes_names_and_text() -> None:
    code, out, err = run("explain", f"{HOSTILE_NAME}:3", "copy.txt:3")
    assert code == 0, err
    _no_controls(out + err)
    assert "\\x1b]0;title\\x07" in out


@pytest.mark.usefixtures("hostile")
def test_clean_summary_and_errors_escape_file_names() -> None:
    target = "out\x1b[31m.txt"
    code, _, err = run("clean", HOSTILE_NAME, "-o", target)
    assert code == 0, err
    _no_controls(err)
    assert "out\\x1b[31m.txt" in err
    code, _, err = run("check", "missing\x1b]0;x\x07.txt")
    assert code == 2
    _no_controls(err)
    assert "missing\\x1b]0;x\\x07.txt" in err and len(err.splitlines()) == 1


def test_archive_messages_and_stats_escape_labels_and_names(tmp_path: Path) -> None:
    write(HOSTILE_NAME, f"{P1}\n")
    archive = str(tmp_path / "a.sqlite")
    code, out, err = run("archive", "add", archive, HOSTILE_NAME, "--label", "l\x1b[2Jx")
    assert code == 0, err
    code, out, err = run("archive", "stats", archive)
    assert code == 0, err
    _no_controls(out + err)
    assert "l\\x1b[2Jx 1" in out
    code, out, err = run("archive", "remove", archive, HOSTILE_NAME, "gone\x1b[2J.txt")
    assert code == 0, err
    _no_controls(err)
    assert "not archived: gone\\x1b[2J.txt" in err


def test_visible_spells_out_every_control_character() -> None:
    assert visible("a\tb\nc\rd\x00e\x7f\x85\x9b\u2028\u202a\u2069") == (
        "a\\tb\\nc\\rd\\x00e\\x7f\\x85\\x9b\\u2028\\u202a\\u2069"
    )
    assert visible("line one\n\tline two\x1b", keep="\t\n") == "line one\n\tline two\\x1b"
    assert visible("naïve café — ok") == "naïve café — ok"


@pytest.mark.parametrize(
    ("encoding", "bom", "suggest"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16 (byte order mark); try --encoding utf-16"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 (byte order mark); try --encoding utf-16-be"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 (byte order mark); try --encoding utf-32"),
    ],
)
def test_a_utf16_file_gets_a_hint_that_works(encoding: str, bom: bytes, suggest: str) -> None:
    if sys.byteorder != "little":
        pytest.skip("the suggestions are checked on a little-endian machine")
    Path("wide.txt").write_bytes(bom + f"{P1}\n\n{P1}\n".encode(encoding))
    code, _, err = run("check", "wide.txt")
    assert code == 2
    assert err == f"error: wide.txt: looks like {suggest}\n"
    code, out, err = run("check", "--encoding", suggest.rpartition(" ")[2], "wide.txt")
    assert code == 1, err
    assert (
        'wide.txt:3:1: dedup/exact: "The river flooded the old market square overnight, …" '
        "repeats wide.txt:1" in out
    )
