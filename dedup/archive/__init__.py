"""The persistent archive: published paragraphs kept between runs, for ``check --against``.

``open_archive(location)`` returns the backend for a location: a ``redis://`` (or
``rediss://``, ``unix://``) URL is a Redis archive (``dedup.archive.redis``), anything else
an SQLite file (``dedup.archive.sqlite``). ``add_documents`` archives documents,
``dedup.archive.against`` checks new documents against an archive.
"""

from __future__ import annotations

from dedup.archive.store import ArchiveError, ArchiveSettings, Store

__all__ = ["ArchiveError", "ArchiveSettings", "Store", "open_archive"]


def open_archive(location: str, *, create: bool = False, write: bool = False) -> Store:
    """Open the archive at ``location``; ``create`` allows one that does not exist yet.

    Without ``write`` (or ``create``) an SQLite archive is opened read-only: it can be read
    in a folder, or from a file, that the user cannot write.
    """
    from dedup.archive.redis import RedisStore, is_redis

    if is_redis(location):
        return RedisStore(location, create=create)
    from dedup.archive.sqlite import SqliteStore

    return SqliteStore(location, create=create, write=write)
