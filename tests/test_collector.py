"""The garbage collector is relaxed while a run lasts and left as the caller had it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from dedup.core.models import Document
from dedup.core.settings import Settings
from dedup.engines.collector import YOUNG, relaxed
from dedup.engines.stream import find_duplicates_streaming


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_relaxed_raises_the_young_threshold_and_restores_it(thresholds: tuple[int, ...]) -> None:
    gc.set_threshold(700, 10, 10)
    with relaxed():
        assert gc.get_threshold() == (YOUNG, 10, 10)
        assert gc.get_freeze_count() > 0 and gc.isenabled()
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def test_relaxed_restores_on_errors_and_never_thaws_the_callers_frozen_objects(
    thresholds: tuple[int, ...],
) -> None:
    gc.freeze()
    try:
        with pytest.raises(RuntimeError), relaxed():
            raise RuntimeError("boom")
        # Thawing would empty the permanent generation; its count can only drop a little
        # as frozen objects die (another thread's, under xdist), so "still frozen" is > 0.
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == thresholds
    finally:
        gc.unfreeze()


def test_a_streaming_run_leaves_the_collector_as_it_was(thresholds: tuple[int, ...]) -> None:
    gc.set_threshold(500, 7, 3)
    docs = [Document("a.txt", "One paragraph that repeats itself.\n\n" * 3)]
    report = find_duplicates_streaming(lambda: docs, Settings())
    assert len(report.groups) == 1
    assert gc.get_threshold() == (500, 7, 3)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
