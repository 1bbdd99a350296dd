"""Give memory freed between the engine's stages back to the operating system.

Python and numpy free big arrays into the C library's heap, which glibc keeps for
reuse: after a stage's arrays are gone the process's RSS stays at the stage's peak,
and the next stage's peak lands on top of it. ``release`` asks glibc to return the free
pages (``malloc_trim``, what Dask's workers do); elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the C library in use
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def release() -> None:
    """Return the heap's free memory to the operating system, where the C library can."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
