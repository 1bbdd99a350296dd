"""Every removal points to a paragraph that is kept (issue 12: removal chains).

With ``--remove exact,near,contained`` a paragraph kept by a group of copies could itself be
removed as contained in a longer one, leaving its copies recorded as repeats of a removed
paragraph. The in-memory and streaming engines share ``group.decide``; both are checked.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dedup
from dedup import Document, Kind, Report, Settings
from dedup.engines.stream import find_duplicates_streaming

ALL = Settings(remove=(Kind.EXACT, Kind.NEAR, Kind.CONTAINED))
SHORT = "the quiet garden by the old stone bridge was full of people on a winter morning"
LONG = SHORT + " and the market sang"


def removals(report: Report) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    return [
        ((m.paragraph.doc, m.paragraph.index), (g.kept.doc, g.kept.index), m.kind.value)
        for g in report.groups
        for m in g.duplicates
    ]


def assert_removals_point_to_kept(report: Report) -> None:
    found = removals(report)
    gone = {r for r, _, _ in found}
    assert len(gone) == len(found), "a paragraph removed twice"
    for removed, kept, _ in found:
        assert kept not in gone, f"{removed} removed as a repeat of {kept}, itself removed"
    for g in report.groups:
        assert all(m.other == g.kept for m in g.duplicates)


def test_copies_of_a_contained_paragraph_point_to_its_container() -> None:
    doc = Document(path="a.txt", text=f"{SHORT}\n\n{SHORT}\n\n{LONG}\n")
    report = dedup.find_duplicates([doc], ALL)
    assert_removals_point_to_kept(report)
    assert sorted(removals(report)) == [
        ((0, 1), (0, 3), "contained"),
        ((0, 2), (0, 3), "contained"),
    ]


def test_a_kept_paragraph_whose_copies_are_not_contained_stays() -> None:
    # The near copy of SHORT (last word changed) is not inside LONG at containment 0.95:
    # SHORT stays, kept for its copy, though it is itself inside LONG.
    near = SHORT.replace("morning", "evening")
    doc = Document(path="a.txt", text=f"{SHORT}\n\n{near}\n\n{LONG}\n")
    s = Settings(remove=ALL.remove, containment=0.95)
    report = dedup.find_duplicates([doc], s)
    assert_removals_point_to_kept(report)
    assert removals(report) == [((0, 2), (0, 1), "near")]


SENTENCES = [
    SHORT,
    LONG,
    "the quiet garden by the old stone bridge",
    "people on a winter morning and the market sang of the river",
    "a letter from the north arrived at the city market in winter",
    "a letter from the north arrived at the city market in winter and the road was quiet",
    "the river ran past the old mill and the stone bridge at dawn",
    "the river ran past the old mill and the stone bridge at dawn said the people",
]


@st.composite
def corpora(draw: st.DrawFn) -> list[Document]:
    docs = []
    for d in range(draw(st.integers(1, 3))):
        paras = []
        for _ in range(draw(st.integers(1, 8))):
            text = draw(st.sampled_from(SENTENCES))
            words = text.split()
            if draw(st.booleans()):  # drop or change a word: a near copy
                i = draw(st.integers(0, len(words) - 1))
                words[i] = draw(st.sampled_from(["stone", "song", "", "window"]))
            if draw(st.booleans()):  # extend it: a containing paragraph
                words += draw(
                    st.lists(st.sampled_from(["and", "old", "paper", "light"]), max_size=4)
                )
            paras.append(" ".join(w for w in words if w))
        docs.append(Document(path=f"d{d}.txt", text="\n\n".join(paras) + "\n"))
    return docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.sampled_from([0.5, 0.7, 0.8]), st.sampled_from(["first", "last", "longest"]))
def test_every_removal_points_to_a_kept_paragraph(
    docs: list[Document], threshold: float, keep: str
) -> None:
    s = Settings(remove=ALL.remove, threshold=threshold, keep=dedup.Keep(keep))
    report = dedup.find_duplicates(docs, s)
    assert_removals_point_to_kept(report)
    streamed = find_duplicates_streaming(lambda: iter(docs), s)
    assert removals(streamed) == removals(report)
