"""Write results: atomically to files (never half-written), or to stdout."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


_KIND_NAMES = {"dir": "a folder", "block": "a block device"}


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


@dataclass
class _Temp:
    """A temporary file beside the file it is to replace."""

    path: str  # as it was given, for messages
    target: Path  # the file the rename replaces: a symlink is followed
    tmp: str
    fh: IO[bytes]
    info: os.stat_result | None  # the target's, when it exists


def _cannot(path: str, exc: OSError) -> InputError:
    return InputError(path, f"cannot write: {exc.strerror or exc}")


def _begin(path: str, kind: str) -> _Temp | None:
    """Open a temporary file in the folder of ``path``'s target (a symlink is followed).

    Return None when the folder refuses a new file but the existing file itself is
    writable: it can only be rewritten in place.
    """
    target = Path(os.path.realpath(path))  # through a symlink: rewrite the file, keep the link
    try:
        info = target.stat() if target.exists() else None
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".dedup-tmp", dir=target.parent
        )
    except PermissionError as exc:
        if kind == "file" and os.access(target, os.W_OK):
            return None
        raise _cannot(path, exc) from None
    except OSError as exc:
        raise _cannot(path, exc) from None
    return _Temp(path, target, tmp, os.fdopen(fd, "wb"), info)


def _complete(temp: _Temp) -> None:
    """Flush the temporary file to disk and give it the target's permissions and owner."""
    temp.fh.flush()
    os.fsync(temp.fh.fileno())
    temp.fh.close()
    if temp.info is None:  # a new file gets the usual permissions, not mkstemp's 0600
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    else:
        mode = temp.info.st_mode & 0o7777
    os.chmod(temp.tmp, mode)
    if temp.info is not None and hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # keeping the owner needs the right to
            os.chown(temp.tmp, temp.info.st_uid, temp.info.st_gid)


def _discard(temp: _Temp) -> None:
    with contextlib.suppress(OSError):
        temp.fh.close()
    with contextlib.suppress(OSError):
        os.unlink(temp.tmp)


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
    if kind in ("dir", "block"):
        raise InputError(path, f"cannot write: it is {_KIND_NAMES[kind]}")
    temp = _begin(path, kind) if kind not in ("stream", "dir", "block") else None
    if temp is None:
        with _direct(path) as fh:
            yield fh
        return
    try:
        yield temp.fh
        _complete(temp)
        os.replace(temp.tmp, temp.target)
    except OSError as exc:
        _discard(temp)
        raise _cannot(path, exc) from None
    except BaseException:
        _discard(temp)
        raise


class Staging:
    """Files written together by ``staged_files``: all of them, or none."""

    def __init__(self) -> None:
        self._temps: list[_Temp] = []
        self._later: list[tuple[str, IO[bytes]]] = []  # written as they are, after the renames

    @contextmanager
    def file(self, path: str) -> Iterator[IO[bytes]]:
        """Yield a file to write for ``path``; nothing reaches ``path`` before the commit."""
        for named in [t.path for t in self._temps] + [p for p, _ in self._later]:
            if same_target(named, path):
                raise InputError(path, f"cannot write: it is the same file as {named}")
        kind = "stream" if path == "-" else _kind(path)
        if kind in ("dir", "block"):
            raise InputError(path, f"cannot write: it is {_KIND_NAMES[kind]}")
        temp = _begin(path, kind) if kind != "stream" else None
        fh: IO[bytes]
        if temp is None:  # spooled, and written as it is after the regular files are in place
            try:
                spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the commit or abort
            except OSError as exc:
                raise _cannot(path, exc) from None
            self._later.append((path, spool))
            fh = spool
        else:
            self._temps.append(temp)
            fh = temp.fh
        try:
            yield fh
        except OSError as exc:
            raise _cannot(path, exc) from None

    def write(self, path: str, data: bytes) -> None:
        """Stage ``data`` for ``path``."""
        with self.file(path) as fh:
            fh.write(data)

    def _commit(self) -> None:
        for temp in self._temps:  # every temporary file complete on disk before any rename
            try:
                _complete(temp)
            except OSError as exc:
                raise _cannot(temp.path, exc) from None
        for temp in self._temps:
            try:
                os.replace(temp.tmp, temp.target)
            except OSError as exc:
                raise _cannot(temp.path, exc) from None
        self._temps.clear()
        for path, spool in self._later:
            spool.seek(0)
            with _stdout() if path == "-" else _direct(path) as fh:
                shutil.copyfileobj(spool, fh)

    def _abort(self) -> None:
        for temp in self._temps:
            _discard(temp)
        for _, spool in self._later:
            with contextlib.suppress(OSError):
                spool.close()


@contextmanager
def staged_files() -> Iterator[Staging]:
    """Write several files as one: each is staged, and all are put in place at the end.

    ``Staging.file`` (or ``.write``) stages each file: a regular file (or a new one) in a
    temporary file in its target's folder, as ``atomic_file`` does. When the block ends
    without an error, every temporary file is completed (flushed to disk, the old file's
    permissions and owner given), and only then are they renamed into place, in the
    order staged. Standard output, devices, FIFOs, and an existing file in a folder that
    refuses new files are spooled and written as they are, last, after the renames.

    On an error while staging or completing, no target is changed and the temporary
    files go. (A rename that fails after an earlier one succeeded, which takes a failing
    disk, leaves the earlier file in place.) The same file named twice, however spelled,
    is refused.
    """
    staging = Staging()
    try:
        yield staging
        staging._commit()
    finally:
        staging._abort()  # after a commit, only the spools are left to close


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


def same_target(a: str, b: str) -> bool:
    """Return whether writing ``a`` and ``b`` would write the same file, however spelled.

    ``-`` (standard output) is only itself. Paths that both exist are compared by device
    and inode (a symlink, a hard link, ``./x`` or an absolute spelling); otherwise by
    their real paths (a new file, or a symlink to one not made yet).
    """
    if a == "-" or b == "-":
        return a == b
    if same_file(a, b):
        return True
    return os.path.realpath(a) == os.path.realpath(b)
