"""Shortcuts in segmentation that skip work and change nothing: each says the same as the
longer test it stands for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.text import segment, structure


def _maybe_directive_plainly(text: str) -> bool:
    hints = ("{{", "{%", "{#", "{:", ":::", "!!!", "???", "===", "8<", "[!", "///")
    return any(h in text for h in hints) or bool(segment._FRONT_MATTER_START.match(text))


@given(st.text(alphabet="{%#:!?=8<[ab \n+}/", max_size=40))
def test_directive_hints_are_found_as_before(text: str) -> None:
    assert segment._maybe_directive(text) == _maybe_directive_plainly(text)


_PIECES = [
    "{{< note >}}",
    "{{% x %}}",
    "{% raw %}",
    "{{ x }}",
    "{# c #}",
    "{: .cls}",
    "[!INCLUDE [a](b)]",
    "> [!NOTE]",
    ":::",
    "::: tip",
    '!!! note "T"',
    "???+ info",
    '=== "Tab"',
    "--8<--",
    "-8<- x",
    "```",
    "~~~",
    "{{< highlight go >}}",
    "{% highlight ruby %}",
    "/// note | T",
    "///",
    "/// html | div.result",
    "    type: warning",
    "words",
    "x",
]
_SPACES = [" ", "\t", "\u00a0", "\u2003", "\x1c", "\x0b", "\x0c", "\u3000"]


@settings(max_examples=500)
@given(
    st.lists(st.sampled_from(_SPACES), max_size=3).map("".join),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_SPACES)), max_size=4).map(
        "".join
    ),
)
def test_lines_of_the_masked_patterns_start_with_their_openers(lead: str, rest: str) -> None:
    """``mask_lines`` tries its patterns only on lines whose first non-space character is
    in ``_LINE_OPENERS``: every line a pattern matches starts with one."""
    raw = lead + rest
    patterns = (
        structure._FENCE,
        structure._CODE_OPEN,
        structure._TAG_LINE,
        structure._DIRECTIVE_LINE,
    )
    if any(p.match(raw) for p in patterns):
        assert raw.strip()[:1] in structure._LINE_OPENERS
        # and ``segment`` masks a text only when it holds a hint of one (``_maybe_directive``)
        if not p_is_code_fence(raw):
            assert segment._maybe_directive(raw), raw


def p_is_code_fence(raw: str) -> bool:
    """Code fences are read without a hint (they are never masked, only skipped)."""
    return structure._FENCE.match(raw) is not None
