"""The cyclic garbage collector out of a run's hot path, and back as it was afterwards.

A run allocates millions of small objects (tokens, token lists, paragraphs), almost none
of them in reference cycles; with Python's default thresholds the collector runs every
700 allocations and walks them again and again (about 14 % of the CPU of a corpus run).
``relaxed`` moves everything alive when the run starts out of its reach
(``gc.freeze``) and collects the young generation 100 times less often. It still runs,
so a run that does make cycles keeps bounded memory. The caller's settings are restored
when the block ends, also on errors: importing or calling dedup changes nothing for a
program that uses it as a library.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations (less deallocations) between collections of the young generation while a
#: run lasts (Python's default: 700).
YOUNG = 70_000


@contextmanager
def relaxed(young: int = YOUNG) -> Iterator[None]:
    """Collect rarely, leaving what is alive at the start alone, while the block runs."""
    thresholds = gc.get_threshold()
    froze = gc.get_freeze_count() == 0  # never thaw what the caller froze
    if froze:
        gc.freeze()
    gc.set_threshold(max(young, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if froze:
            gc.unfreeze()
