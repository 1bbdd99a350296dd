"""The embedded archive: one SQLite file, no server (Python's standard ``sqlite3``).

- WAL journal: readers (``check --against``, ``stats``, ``export``) never wait for a
  writer and always see a committed state.
- Every write (one whole ``archive add`` or ``archive remove``) is one transaction begun
  with ``BEGIN IMMEDIATE``: it takes the write lock before reading what it will change, so
  two writers run one after the other; the second waits (busy timeout, ``WAIT_SECONDS``)
  instead of failing with "database is locked". A writer killed midway never committed:
  SQLite rolls its pages back the next time the file is opened.
- Tables: ``meta`` (settings), ``sources``, ``paragraphs`` and ``postings`` (tag, key,
  paragraph id), a ``WITHOUT ROWID`` table whose primary key is the lookup index.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

import numpy as np

from dedup.archive import keys as k
from dedup.archive.store import (
    AddResult,
    ArchivedParagraph,
    ArchiveError,
    ArchiveSettings,
    Counts,
    SourceEntry,
    SourceInfo,
    pack_u32,
    unpack_u32,
)

#: How long a writer waits for another writer's transaction before giving up.
WAIT_SECONDS = 600.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    digest TEXT NOT NULL,
    label TEXT,
    added TEXT NOT NULL,
    paragraphs INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_label ON sources (label);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES sources (id),
    paragraph INTEGER NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    col_start INTEGER NOT NULL,
    col_end INTEGER NOT NULL,
    words INTEGER NOT NULL,
    digest BLOB NOT NULL,
    text TEXT NOT NULL,
    signature BLOB NOT NULL,
    hashes BLOB NOT NULL,
    prefix BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_source ON paragraphs (source, paragraph);
CREATE TABLE IF NOT EXISTS postings (
    tag INTEGER NOT NULL,
    key INTEGER NOT NULL,
    para INTEGER NOT NULL,
    PRIMARY KEY (tag, key, para)
) WITHOUT ROWID;
"""

_COLUMNS = (
    "p.id, s.name, p.paragraph, p.line_start, p.line_end, p.col_start, p.col_end, p.words, "
    "p.digest, p.text, p.signature, p.hashes, p.prefix, s.label, s.added"
)


def _row(row: Sequence[Any]) -> ArchivedParagraph:
    return ArchivedParagraph(
        id=row[0],
        source=row[1],
        paragraph=row[2],
        lines=(row[3], row[4]),
        columns=(row[5], row[6]),
        words=row[7],
        digest=bytes(row[8]),
        text=row[9],
        signature=unpack_u32(row[10]),
        hashes=unpack_u32(row[11]),
        prefix=unpack_u32(row[12]),
        label=row[13],
        added=row[14],
    )


#: Why a write to a read-only archive is refused, and what still works.
READ_ONLY = (
    "cannot write the archive (read-only file or folder); check --against, archive stats "
    "and archive export can still read it: copy it to a folder you can write to change it"
)


def _folder(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _check_writable(path: str) -> None:
    """Refuse a write that SQLite could not make: a read-only file, or a read-only folder.

    SQLite writes the file and creates ``-wal``/``-shm``/``-journal`` files beside it.
    """
    folder = _folder(path)
    if not os.path.isdir(folder):
        raise ArchiveError(path, f"no such folder: {os.path.dirname(path) or '.'}")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise ArchiveError(path, READ_ONLY)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ArchiveError(path, READ_ONLY)


def _create_private(path: str) -> None:
    """Create ``path`` empty, readable and writable by its owner only, unless it exists.

    The archive holds the full text of every paragraph. SQLite would create the file with
    mode 0644 (less the umask), and its ``-wal``/``-shm`` files with the file's mode: made
    here first with 0600 (less the umask, so a stricter one wins), all three are private.
    An existing file keeps its mode. SQLite takes an empty file as an empty database.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # an archive already, or another writer made it first
    except OSError as exc:
        raise ArchiveError(path, f"cannot create ({exc.strerror or exc})") from None
    os.close(fd)


def _read_only_error(exc: sqlite3.Error) -> bool:
    return "readonly" in str(exc) or "read-only" in str(exc)


def _connect_read_only(path: str) -> sqlite3.Connection:
    """Open ``path`` for reading only, without needing write access to it or its folder.

    When the user can write the file and its folder, an ordinary connection with
    ``query_only`` set: it reads the write-ahead log, sees every committed write, and
    removes its ``-wal``/``-shm`` files when it is the last to close, as a writer does.
    When they cannot, ``mode=ro``; and when no ``-wal`` file lies beside the archive (no
    writer is at work, none died midway) ``immutable=1`` as well: SQLite then creates no
    ``-wal``/``-shm`` file (it could not, or would leave them behind with the reader's
    owner and mode, in the way of the archive's owner) and takes no lock, so such a read
    must not overlap an ``archive add``. With a ``-wal`` file there, ``mode=ro`` reads it.
    """
    if os.access(path, os.W_OK) and os.access(_folder(path), os.W_OK | os.X_OK):
        conn = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
        conn.execute("PRAGMA query_only = 1")
        return conn
    uri = "file:" + quote(os.path.abspath(path)) + "?mode=ro"
    wal = os.path.exists(path + "-wal")
    if not wal:
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=WAIT_SECONDS, isolation_level=None)
    if wal:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            raise ArchiveError(
                path,
                f"cannot read the archive: its write-ahead log ({os.path.basename(path)}-wal) "
                "holds writes not merged into it yet, and reading them needs a -shm file that "
                "cannot be created in this folder: open it once as its owner (dedup archive "
                "stats), or copy the archive and its -wal file to a folder you can write",
            ) from None
    return conn


class SqliteStore:
    """An archive in one SQLite file."""

    def __init__(self, path: str, *, create: bool, write: bool = False) -> None:
        """Open the archive at ``path``: read-only unless ``write`` (or ``create``) is set.

        Reading never writes: the file is opened with SQLite's ``mode=ro`` (and
        ``immutable=1`` when its folder cannot be written, so no ``-wal``/``-shm`` file is
        needed), with no journal-mode switch. Writing to a read-only file or folder is
        refused up front with a message that says so.
        """
        self.location = path
        self.path = path
        write = write or create
        if not create and not os.path.exists(path):
            raise ArchiveError(path, "no such archive (dedup archive add creates one)")
        if os.path.isdir(path):
            raise ArchiveError(path, "is a directory, not an archive file")
        if write:
            _check_writable(path)
        if create:
            _create_private(path)
        try:
            if write:
                self.conn = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
            else:
                self.conn = _connect_read_only(path)
        except sqlite3.Error as exc:
            raise ArchiveError(path, f"cannot open ({exc})") from None
        try:
            if write:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA cache_size = -262144")  # 256 MiB at most
            tables = {
                r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            if _read_only_error(exc):
                raise ArchiveError(path, READ_ONLY) from None
            raise ArchiveError(path, f"not a dedup archive ({exc})") from None
        if tables and "meta" not in tables:
            raise ArchiveError(path, "not a dedup archive (an SQLite file without dedup's tables)")
        if not tables and not create:
            raise ArchiveError(path, "not a dedup archive (an empty SQLite file)")

    # -- settings ---------------------------------------------------------------------------

    def settings(self) -> ArchiveSettings | None:
        """Return the stored settings, or None for an archive not created yet."""
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        except sqlite3.OperationalError:
            return None  # no tables yet
        return ArchiveSettings.from_json(self.location, row[0]) if row else None

    def create(self, settings: ArchiveSettings) -> ArchiveSettings:
        """Create the tables and record ``settings``, unless another writer did first."""
        with self._write():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('settings', ?)",
                (settings.to_json(),),
            )
        stored = self.settings()
        assert stored is not None
        return stored

    # -- reading ----------------------------------------------------------------------------

    def sources(self, names: Sequence[str] | None = None) -> dict[str, SourceInfo]:
        """Return the named sources that are archived (all when ``names`` is None)."""
        sql = "SELECT name, digest, label, added, paragraphs FROM sources"
        if names is None:
            rows = self.conn.execute(sql).fetchall()
        else:
            rows = self.conn.execute(
                sql + " WHERE name IN (SELECT value FROM json_each(?))", (json.dumps(list(names)),)
            ).fetchall()
        return {r[0]: SourceInfo(r[0], r[1], r[2], r[3], r[4]) for r in rows}

    def shingle_counts(self, hashes: Sequence[int], cap: int) -> dict[int, int]:
        """Return, per shingle hash, how many archived paragraphs hold it (at most ``cap``)."""
        out: dict[int, int] = {}
        sql = (
            "SELECT j.value, (SELECT COUNT(*) FROM (SELECT 1 FROM postings p "
            f"WHERE p.tag = {k.SHINGLE} AND p.key = j.value LIMIT {int(cap)})) "
            "FROM json_each(?) j"
        )
        for chunk in _chunks(list(hashes), 50_000):
            for h, n in self.conn.execute(sql, (json.dumps(chunk),)):
                if n:
                    out[int(h)] = int(n)
        return out

    def lookup(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
        """Return, per posting key ``(tag, key)``, the ids of the paragraphs filed under it."""
        by_tag: dict[int, list[int]] = {}
        for tag, key in keys:
            by_tag.setdefault(tag, []).append(k.signed(key))
        out: dict[tuple[int, int], list[int]] = {}
        sql = (
            "SELECT key, para FROM postings "
            "WHERE tag = ? AND key IN (SELECT value FROM json_each(?))"
        )
        for tag, values in sorted(by_tag.items()):
            for chunk in _chunks(values, 50_000):
                for key, para in self.conn.execute(sql, (tag, json.dumps(chunk))):
                    out.setdefault((tag, key % (1 << 64)), []).append(para)
        return out

    def fetch(self, ids: Sequence[int]) -> dict[int, ArchivedParagraph]:
        """Return the archived paragraphs with these ids."""
        out: dict[int, ArchivedParagraph] = {}
        sql = (
            f"SELECT {_COLUMNS} FROM paragraphs p JOIN sources s ON s.id = p.source "
            "WHERE p.id IN (SELECT value FROM json_each(?))"
        )
        for chunk in _chunks(sorted(set(ids)), 50_000):
            for row in self.conn.execute(sql, (json.dumps(chunk),)):
                out[row[0]] = _row(row)
        return out

    def paragraphs(self) -> Iterator[ArchivedParagraph]:
        """Yield every archived paragraph, by source name and paragraph number."""
        reader = self.conn.cursor()
        reader.execute("BEGIN")  # one snapshot for the whole export
        try:
            names = [r[0] for r in reader.execute("SELECT id FROM sources ORDER BY name")]
            sql = (
                f"SELECT {_COLUMNS} FROM paragraphs p JOIN sources s ON s.id = p.source "
                "WHERE p.source = ? ORDER BY p.paragraph"
            )
            for source_id in names:
                for row in reader.execute(sql, (source_id,)).fetchall():
                    yield _row(row)
        finally:
            reader.execute("COMMIT")

    def totals(self) -> tuple[int, int]:
        """Return the numbers of sources and paragraphs."""
        row = self.conn.execute("SELECT COUNT(*), COALESCE(SUM(paragraphs), 0) FROM sources")
        sources, paragraphs = row.fetchone()
        return int(sources), int(paragraphs)

    def counts(self) -> Counts:
        """Return the numbers of sources and paragraphs, labels, dates and the file size."""
        c = self.conn
        sources, first, last = c.execute(
            "SELECT COUNT(*), MIN(added), MAX(added) FROM sources"
        ).fetchone()
        paragraphs = c.execute("SELECT COALESCE(SUM(paragraphs), 0) FROM sources").fetchone()[0]
        labels = dict(c.execute("SELECT label, COUNT(*) FROM sources GROUP BY label").fetchall())
        size = sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))
        return Counts(sources, paragraphs, labels, first, last, size, "file")

    # -- writing ----------------------------------------------------------------------------

    def add(self, entries: Sequence[SourceEntry], added: str) -> AddResult:
        """Archive every entry in one transaction: new sources added, changed ones replaced."""
        added_, replaced, unchanged, relabelled = [], [], [], []
        written = 0
        settings = self.settings()
        assert settings is not None
        with self._write():
            c = self.conn
            old = {
                r[1]: r
                for r in c.execute(
                    "SELECT id, name, digest, label FROM sources "
                    "WHERE name IN (SELECT value FROM json_each(?))",
                    (json.dumps([e.source for e in entries]),),
                )
            }
            next_id = c.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM paragraphs").fetchone()[0]
            pending: list[ArchivedParagraph] = []  # indexed once, all together
            pending_ids: list[int] = []
            for e in entries:
                before = old.get(e.source)
                label = e.label if e.label is not None or before is None else before[3]
                if before is not None and before[2] == e.digest:
                    if before[3] != label:
                        c.execute("UPDATE sources SET label = ? WHERE id = ?", (label, before[0]))
                        relabelled.append(e.source)
                    else:
                        unchanged.append(e.source)
                    continue
                if before is not None:
                    self._delete_source(before[0], settings)
                    replaced.append(e.source)
                else:
                    added_.append(e.source)
                source_id = c.execute(
                    "INSERT INTO sources (name, digest, label, added, paragraphs) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (e.source, e.digest, label, added, len(e.paragraphs)),
                ).fetchone()[0]
                ids = range(next_id, next_id + len(e.paragraphs))
                next_id += len(e.paragraphs)
                c.executemany(
                    "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (
                            i,
                            source_id,
                            p.paragraph,
                            p.lines[0],
                            p.lines[1],
                            p.columns[0],
                            p.columns[1],
                            p.words,
                            p.digest,
                            p.text,
                            pack_u32(p.signature),
                            pack_u32(p.hashes),
                            pack_u32(p.prefix),
                        )
                        for i, p in zip(ids, e.paragraphs, strict=True)
                    ),
                )
                pending_ids.extend(ids)
                pending.extend(e.paragraphs)
                written += len(e.paragraphs)
            self._postings("INSERT OR IGNORE INTO", pending_ids, pending, settings)
        return AddResult(
            tuple(added_), tuple(replaced), tuple(unchanged), tuple(relabelled), written
        )

    def remove(self, names: Sequence[str]) -> list[str]:
        """Remove the named sources in one transaction; return those that were archived."""
        settings = self.settings()
        if settings is None:
            return []
        with self._write():
            rows = self.conn.execute(
                "SELECT id, name FROM sources WHERE name IN (SELECT value FROM json_each(?))",
                (json.dumps(list(names)),),
            ).fetchall()
            for source_id, _ in rows:
                self._delete_source(source_id, settings)
        return sorted(r[1] for r in rows)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # -- helpers ----------------------------------------------------------------------------

    def _write(self) -> _Transaction:
        return _Transaction(self.conn, self.location)

    def _delete_source(self, source_id: int, settings: ArchiveSettings) -> None:
        c = self.conn
        rows = c.execute(
            f"SELECT {_COLUMNS} FROM paragraphs p JOIN sources s ON s.id = p.source "
            "WHERE p.source = ?",
            (source_id,),
        ).fetchall()
        paragraphs = [_row(r) for r in rows]
        self._postings("DELETE FROM", [p.id for p in paragraphs], paragraphs, settings)
        c.execute("DELETE FROM paragraphs WHERE source = ?", (source_id,))
        c.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    def _postings(
        self,
        verb: str,
        ids: Sequence[int],
        paragraphs: Sequence[ArchivedParagraph],
        settings: ArchiveSettings,
    ) -> None:
        sql = (
            "INSERT OR IGNORE INTO postings (tag, key, para) VALUES (?, ?, ?)"
            if verb.startswith("INSERT")
            else "DELETE FROM postings WHERE tag = ? AND key = ? AND para = ?"
        )
        step = 20_000  # paragraphs a time: about 1.6M posting rows
        for start in range(0, len(paragraphs), step):
            found = k.postings(paragraphs[start : start + step], settings)
            pids = np.asarray(ids[start : start + step], dtype=np.int64)[found.owner]
            keys = found.key.view(np.int64)  # SQLite integers are signed
            order = np.lexsort((pids, keys, found.tag))  # in index order: B-tree pages stay hot
            rows = zip(
                found.tag[order].tolist(), keys[order].tolist(), pids[order].tolist(), strict=True
            )
            self.conn.executemany(sql, rows)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception."""

    def __init__(self, conn: sqlite3.Connection, location: str) -> None:
        self.conn = conn
        self.location = location

    def __enter__(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _read_only_error(exc):
                raise ArchiveError(self.location, READ_ONLY) from None
            raise ArchiveError(self.location, f"cannot write: {exc}") from None

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                self.conn.execute("ROLLBACK")
                if _read_only_error(error):
                    raise ArchiveError(self.location, READ_ONLY) from None
                raise ArchiveError(self.location, f"cannot write: {error}") from None
        else:
            self.conn.execute("ROLLBACK")


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
