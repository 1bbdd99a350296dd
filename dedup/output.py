"""Write results: atomically to files (never half-written), or to stdout."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from dedup.errors import InputError


def _kind(path: str) -> str:
    """Return what ``path`` names, following links: missing, file, stream, dir, block."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    if stat.S_ISREG(st.st_mode):
        return "file"
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if stat.S_ISBLK(st.st_mode):
        return "block"
    return "stream"  # a character device (/dev/null, a terminal), a FIFO, a socket


@contextmanager
def _direct(path: str) -> Iterator[IO[bytes]]:
    """Yield ``path`` opened for writing as it is: no temporary file, no rename."""
    try:
        fh = open(path, "wb")  # noqa: SIM115 - closed below, errors mapped to InputError
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None


@contextmanager
def _stdout() -> Iterator[IO[bytes]]:
    yield sys.stdout.buffer
    sys.stdout.buffer.flush()


@contextmanager
def atomic_file(path: str) -> Iterator[IO[bytes]]:
    """Yield a file to write; on success it replaces ``path`` in one rename.

    Written through a temporary file in the same folder. An existing file keeps its
    permission bits (and owner, where allowed); a symlink is followed, so the file it
    points to is rewritten and the link stays. Readers see the old or the new content,
    never a mix; on an error the temporary file goes and ``path`` is untouched. (A hard
    link is split: the rename gives the path a new inode.)

    Only a regular file (or a path that does not exist yet) is replaced. ``-`` is
    standard output; a character device (``/dev/null``), a FIFO, a socket or an
    ``/dev/stdout``-style name is opened and written as it is, never replaced. A folder
    or a block device is refused. An existing file in a folder the user cannot write
    (but which they can write) is rewritten in place, not atomically: the only way to
    write it at all.
    """
    if path == "-":
        with _stdout() as fh:
            yield fh
        return
    kind = _kind(path)
    if kind == "stream":
        with _direct(path) as fh:
            yield fh
        return
    if kind in ("dir", "block"):
        what = "a folder" if kind == "dir" else "a block device"
        raise InputError(path, f"cannot write: it is {what}")
    target = Path(os.path.realpath(path))  # through a symlink: rewrite the file, keep the link
    folder = target.parent
    try:
        info = target.stat() if target.exists() else None
        mode = info.st_mode & 0o7777 if info is not None else None
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".dedup-tmp", dir=folder)
    except PermissionError as exc:
        if kind == "file" and os.access(target, os.W_OK):
            with _direct(str(target)) as fh:
                yield fh
            return
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    except OSError as exc:
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:  # a new file gets the usual permissions, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # keeping the owner needs the right to
                os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_file``)."""
    with atomic_file(path) as fh:
        fh.write(data)


def write_stdout(data: bytes) -> None:
    """Write bytes to standard output and flush."""
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def same_file(a: str, b: str) -> bool:
    """Return whether two paths name the same existing file."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
