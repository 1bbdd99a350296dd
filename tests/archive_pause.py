"""Run the dedup CLI with a pause where an archive writer has written but not committed.

``python tests/archive_pause.py FLAG SECONDS ARGS...`` runs ``dedup ARGS...`` (as
``python -m dedup`` does) with the archive stores patched: once an ``add`` has written
everything and before it commits, the process writes its pid to ``FLAG`` and sleeps
``SECONDS``, so a test can kill it right there or make another writer wait for it.
The pause lives here, in the tests; the stores themselves have no such hook.

- SQLite: after ``add``'s last statement (its ``INSERT`` of postings), inside the
  transaction that ``COMMIT`` ends.
- Redis: after ``add`` has written the paragraphs and postings of its batch, before the
  commit script makes them visible.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dedup.archive.redis import RedisStore
from dedup.archive.sqlite import SqliteStore
from dedup.cli import main


def _pause(flag: Path, seconds: float) -> None:
    flag.write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(seconds)


def _then_pause(method: Callable[..., Any], flag: Path, seconds: float, *, when: str = "") -> Any:
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        if not when or str(args[0]).startswith(when):
            _pause(flag, seconds)
        return result

    return wrapper


def install(flag: Path, seconds: float) -> None:
    """Patch both stores to pause before an ``add`` commits."""
    # SqliteStore._postings("INSERT ...") is add's last statement before COMMIT (removing a
    # source calls it with "DELETE ...": no pause there).
    SqliteStore._postings = _then_pause(  # type: ignore[method-assign]
        SqliteStore._postings, flag, seconds, when="INSERT"
    )
    RedisStore._write = _then_pause(RedisStore._write, flag, seconds)  # type: ignore[method-assign]


if __name__ == "__main__":
    flag, seconds, *args = sys.argv[1:]
    install(Path(flag), float(seconds))
    sys.argv = ["dedup", *args]
    main()
