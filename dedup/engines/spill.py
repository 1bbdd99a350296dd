"""Append-only numpy arrays in a temporary folder: what a corpus run keeps out of memory.

A small input never makes the folder: its arrays are held in memory until together they
pass ``MEMORY_BYTES``; then the folder is made, what was held is written to it, and
every later append goes to disk. Reads give the same arrays either way.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from dedup.errors import InputError

#: Bytes of arrays held in memory before the temporary folder is made (a few thousand
#: paragraphs: a pre-commit check of a handful of files never touches the disk).
MEMORY_BYTES = 4 << 20


class Spill:
    """Named arrays on disk: ``append`` adds to one, ``read`` gives (part of) it back.

    Held in memory up to ``memory`` bytes in all (see the module). The folder, once
    made, is removed on ``close`` (or leaving the ``with`` block), also on errors.
    """

    def __init__(self, root: str | None = None, memory: int = MEMORY_BYTES) -> None:
        self._root = root
        self._memory = memory
        self._held: dict[str, list[bytes]] | None = {}  # None: on disk from now on
        self._held_bytes = 0
        self.folder: Path | None = None
        self._files: dict[str, IO[bytes]] = {}

    def _to_disk(self) -> None:
        """Make the folder and write every held array to it."""
        root = self._root
        try:
            self.folder = Path(tempfile.mkdtemp(prefix="dedup-spill-", dir=root))
        except OSError as exc:
            raise InputError(root or tempfile.gettempdir(), f"cannot write: {exc}") from None
        held, self._held = self._held or {}, None
        self._held_bytes = 0
        for name, parts in held.items():
            for part in parts:
                self._write(name, part)

    def append(self, name: str, values: npt.NDArray[Any]) -> None:
        """Append ``values`` (flattened) to the array ``name``."""
        data = np.ascontiguousarray(values).tobytes()
        if self._held is not None:
            if self._held_bytes + len(data) <= self._memory:
                self._held.setdefault(name, []).append(data)
                self._held_bytes += len(data)
                return
            self._to_disk()
        self._write(name, data)

    def _write(self, name: str, data: bytes) -> None:
        assert self.folder is not None
        fh = self._files.get(name)
        if fh is None:
            fh = self._files[name] = (self.folder / name).open("wb")
        try:
            fh.write(data)
        except OSError as exc:
            raise InputError(str(self.folder), f"cannot write: {exc.strerror or exc}") from None

    def read(
        self, name: str, dtype: type[Any], start: int = 0, count: int = -1
    ) -> npt.NDArray[Any]:
        """Return ``count`` items of ``name`` from item ``start`` (all the rest: -1)."""
        dt = np.dtype(dtype)
        if self._held is not None:
            parts = self._held.get(name, [])
            if len(parts) > 1:  # joined once: later reads of this array only slice it
                parts[:] = [b"".join(parts)]
            data = parts[0] if parts else b""
            stop = None if count < 0 else (start + count) * dt.itemsize
            return np.frombuffer(memoryview(data)[start * dt.itemsize : stop], dtype=dt).copy()
        fh = self._files.get(name)
        if fh is None:
            return np.empty(0, dtype=dtype)
        try:
            fh.flush()  # what is still buffered is written now: the disk may be full
        except OSError as exc:
            raise InputError(str(self.folder), f"cannot write: {exc.strerror or exc}") from None
        assert self.folder is not None
        return np.fromfile(self.folder / name, dtype=dt, count=count, offset=start * dt.itemsize)

    def drop(self, name: str) -> None:
        """Delete the array ``name`` (reading it then gives an empty array)."""
        if self._held is not None:
            self._held_bytes -= sum(len(part) for part in self._held.pop(name, ()))
            return
        fh = self._files.pop(name, None)
        if fh is not None and self.folder is not None:
            with contextlib.suppress(OSError):
                fh.close()
            (self.folder / name).unlink(missing_ok=True)

    def close(self) -> None:
        """Close and delete every array."""
        for fh in self._files.values():
            with contextlib.suppress(OSError):
                fh.close()
        self._files.clear()
        self._held = {}
        self._held_bytes = 0
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Spill:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
