"""Long documents' patches: found in one linear pass, laid out as difflib lays them out, and
applying them gives the cleaned text (issue 15: a 30 MB text of blank-line paragraphs did
not finish in 400 s through difflib's matcher; timings in benchmarks/RESULTS-hostile.md)."""

from __future__ import annotations

import difflib
import itertools
import random
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dedup.cli import app
from dedup.writers import unified
from dedup.writers.unified import deletions


def apply(a: list[str], ops: list[tuple[str, int, int, int, int]]) -> list[str]:
    return [line for tag, i1, i2, _, _ in ops if tag == "equal" for line in a[i1:i2]]


lines = st.lists(st.sampled_from(["\n", "A\n", "B\n", "C\n", "x"]), max_size=30)


@given(lines, st.lists(st.booleans(), min_size=30, max_size=30))
@settings(max_examples=300, deadline=None)
def test_deletions_turn_a_into_any_subsequence(a: list[str], keep: list[bool]) -> None:
    b = [line for line, k in zip(a, keep, strict=False) if k]
    ops = deletions(a, b)
    assert ops is not None
    assert apply(a, ops) == b
    # opcodes as difflib's: contiguous, in order, covering both sequences
    assert [op[0] for op in ops if op[0] not in ("equal", "delete")] == []
    assert all(x[2] == y[1] and x[4] == y[3] for x, y in itertools.pairwise(ops))
    assert (
        (ops[0][1], ops[0][3], ops[-1][2], ops[-1][4]) == (0, 0, len(a), len(b))
        if ops
        else a == b == []
    )


@given(lines, lines)
@settings(max_examples=200, deadline=None)
def test_no_opcodes_when_a_line_is_not_removed_but_changed(a: list[str], b: list[str]) -> None:
    ops = deletions(a, b)
    if ops is None:
        assert difflib.SequenceMatcher(None, a, b).get_matching_blocks()[-1] is not None
        assert any(
            t in ("insert", "replace")
            for t, *_ in difflib.SequenceMatcher(None, a, b).get_opcodes()
        )
    else:
        assert apply(a, ops) == b


def test_a_long_text_of_blank_line_paragraphs_gives_a_patch_that_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    vocabulary = [f"{c}{v}{d}" for c in "bcdfgklmnprst" for v in "aeiou" for d in "lnrst"]
    base = [" ".join(rng.choices(vocabulary, k=30)) for _ in range(3_000)]
    paras = [rng.choice(base) if rng.random() < 0.3 else p for p in base]  # ~900 repeats
    src = tmp_path / "big.txt"
    src.write_text("\r\n\r\n".join(paras) + "\r\n", encoding="utf-8", newline="")
    args = ["diff", str(src), "--format", "unified", "-q"]
    linear = CliRunner().invoke(app, args)
    assert linear.exit_code == 0, linear.stderr
    monkeypatch.setattr(unified, "DIFFLIB_LINES", 10**9)  # difflib's matcher, as before
    old = CliRunner().invoke(app, args).stdout_bytes
    # the same lines removed, though a repeated blank line may be given to another hunk
    assert sorted(x for x in linear.stdout_bytes.splitlines() if x.startswith(b"-")) == sorted(
        x for x in old.splitlines() if x.startswith(b"-")
    )
    patch = tmp_path / "p.patch"
    patch.write_bytes(linear.stdout_bytes)
    out = tmp_path / "out.txt"
    subprocess.run(["patch", "-s", "-o", str(out), str(src), str(patch)], check=True, cwd=tmp_path)
    cleaned = tmp_path / "cleaned.txt"
    assert CliRunner().invoke(app, ["clean", str(src), "-o", str(cleaned), "-q"]).exit_code == 0
    assert out.read_bytes() == cleaned.read_bytes()
    assert len(out.read_bytes()) < len(src.read_bytes())
