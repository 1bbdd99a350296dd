"""A baseline accepts the repeats it was written from, whatever the order of its entries:
findings are matched to entries as a whole, not each to the first entry with room."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.check.baseline import Baseline, BaselineEntry, _match
from dedup.check.findings import Finding, Location
from dedup.core.models import Kind


def finding(mark: str, kept: str, n: int = 1) -> Finding:
    here = Location("a.md", n, (n, n), (1, 2))
    return Finding(here, Location("b.md", 1, (1, 1), (1, 2)), Kind.EXACT, 1.0, mark, kept, True)


def test_a_finding_moves_over_to_make_room_for_another() -> None:
    # "a" is kept in one group and repeated in another: both entries hold a and b.
    wide = BaselineEntry(("a", "b", "c"), 1)
    narrow = BaselineEntry(("a", "b"), 1)
    baseline = Baseline((wide, narrow))
    new, suppressed, stale = baseline.apply([finding("a", "b", 1), finding("c", "a", 2)])
    assert (new, suppressed, stale) == ([], 2, [])


def test_a_baseline_written_from_findings_accepts_them_all() -> None:
    found = [finding("a", "b", 1), finding("c", "a", 2), finding("a", "c", 3)]
    new, suppressed, stale = Baseline.from_findings(found).apply(found)
    assert (new, suppressed, stale) == ([], 3, [])


def _most(options: list[list[int]], capacity: list[int]) -> int:
    """The largest number of items placed, by trying every assignment (small cases)."""
    best = 0
    for choice in itertools.product(*[[None, *o] for o in options]):
        used = [0] * len(capacity)
        for slot in choice:
            if slot is not None:
                used[slot] += 1
        if all(u <= c for u, c in zip(used, capacity, strict=True)):
            best = max(best, sum(slot is not None for slot in choice))
    return best


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda slots: st.tuples(
            st.lists(st.lists(st.integers(0, slots - 1), max_size=slots, unique=True), max_size=5),
            st.lists(st.integers(0, 2), min_size=slots, max_size=slots),
        )
    )
)
def test_the_matching_places_as_many_as_can_be(case: tuple[list[list[int]], list[int]]) -> None:
    options, capacity = case
    taken = _match(options, capacity)
    for k, slot in enumerate(taken):
        assert slot is None or slot in options[k]
    for i, c in enumerate(capacity):
        assert sum(slot == i for slot in taken) <= c
    assert sum(slot is not None for slot in taken) == _most(options, capacity)
