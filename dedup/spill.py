"""Append-only numpy arrays in a temporary folder: what a corpus run keeps out of memory."""

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


class Spill:
    """Named arrays on disk: ``append`` adds to one, ``read`` gives (part of) it back.

    The folder is removed on ``close`` (or leaving the ``with`` block), also on errors.
    """

    def __init__(self, root: str | None = None) -> None:
        try:
            self.folder = Path(tempfile.mkdtemp(prefix="dedup-spill-", dir=root))
        except OSError as exc:
            raise InputError(root or tempfile.gettempdir(), f"cannot write: {exc}") from None
        self._files: dict[str, IO[bytes]] = {}

    def append(self, name: str, values: npt.NDArray[Any]) -> None:
        """Append ``values`` (flattened) to the array ``name``."""
        fh = self._files.get(name)
        if fh is None:
            fh = self._files[name] = (self.folder / name).open("wb")
        try:
            fh.write(np.ascontiguousarray(values).tobytes())
        except OSError as exc:
            raise InputError(str(self.folder), f"cannot write: {exc.strerror or exc}") from None

    def read(
        self, name: str, dtype: type[Any], start: int = 0, count: int = -1
    ) -> npt.NDArray[Any]:
        """Return ``count`` items of ``name`` from item ``start`` (all the rest: -1)."""
        fh = self._files.get(name)
        if fh is None:
            return np.empty(0, dtype=dtype)
        try:
            fh.flush()  # what is still buffered is written now: the disk may be full
        except OSError as exc:
            raise InputError(str(self.folder), f"cannot write: {exc.strerror or exc}") from None
        dt = np.dtype(dtype)
        return np.fromfile(self.folder / name, dtype=dt, count=count, offset=start * dt.itemsize)

    def drop(self, name: str) -> None:
        """Delete the array ``name`` (reading it then gives an empty array)."""
        fh = self._files.pop(name, None)
        if fh is not None:
            with contextlib.suppress(OSError):
                fh.close()
            (self.folder / name).unlink(missing_ok=True)

    def close(self) -> None:
        """Close and delete every array."""
        for fh in self._files.values():
            with contextlib.suppress(OSError):
                fh.close()
        self._files.clear()
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
