"""LSH bands/rows and MinHash permutations equal datasketch's, computed without importing it;
a one-file check imports none of the heavy modules and makes no temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from dedup.core import lshparams, sketch
from dedup.core.index import lsh_params
from dedup.core.settings import SCHEME, Settings

ROOT = Path(__file__).resolve().parent.parent

THRESHOLDS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
THRESHOLDS += [0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 0.1234, 0.3333, 0.6667, 0.8765]
NUM_PERMS = [16, 17, 32, 64, 100, 128, 200, 256]


@pytest.mark.parametrize("num_perm", NUM_PERMS)
def test_bands_and_rows_are_datasketchs(num_perm: int) -> None:
    for t in THRESHOLDS:
        ours = lshparams.computed_params(t, num_perm)
        assert ours is not None, f"near tie at {t}, {num_perm}"
        assert ours == _optimal_param(t, num_perm, 0.5, 0.5), (t, num_perm)


def test_the_table_is_datasketchs_and_the_computed_one() -> None:
    for (t, n), params in lshparams.TABLE.items():
        assert params == _optimal_param(t, n, 0.5, 0.5) == lshparams.computed_params(t, n)


def test_bands_and_rows_with_other_weights_are_datasketchs() -> None:
    for weights in [(0.2, 0.8), (0.7, 0.3), (0.9, 0.1)]:
        for t in [0.3, 0.5, 0.8]:
            assert lshparams.optimal_params(t, 128, weights) == _optimal_param(t, 128, *weights)


def test_bands_and_rows_at_the_largest_num_perm_are_datasketchs() -> None:
    assert lshparams.computed_params(0.4, 1024) == _optimal_param(0.4, 1024, 0.5, 0.5)


def test_every_candidate_threshold_from_the_cli_grid_is_decided_without_datasketch() -> None:
    """Candidate thresholds are rounded to 1e-4; at the default num_perm none is a near tie."""
    for step in range(500, 9001, 7):
        assert lshparams.computed_params(step / 10_000, 128) is not None


def test_lsh_params_gives_what_minhashlsh_uses() -> None:
    for t, n in [(0.4, 128), (0.7, 64), (0.05, 256)]:
        index = MinHashLSH(threshold=t, num_perm=n)
        p = lsh_params(t, n)
        assert (p.bands, p.rows) == (index.b, index.r)


def test_pairs_are_in_datasketchs_order() -> None:
    bands, rows = lshparams.pairs(24)
    expected = [(b, r) for b in range(1, 25) for r in range(1, 24 // b + 1)]
    assert list(zip(bands.tolist(), rows.tolist(), strict=True)) == expected


@pytest.mark.parametrize(("num_perm", "seed"), [(16, 1), (128, 1), (128, 7), (300, 42), (1024, 0)])
def test_permutations_are_datasketchs(num_perm: int, seed: int) -> None:
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    ours_a, ours_b = sketch.permutations(num_perm, seed)
    assert ours_a.dtype == np.uint32 and ours_b.dtype == np.uint32
    assert np.array_equal(ours_a, a) and np.array_equal(ours_b, b)


HEAVY = ("datasketch", "scipy", "dask", "distributed", "redis", "multiprocessing")
PROBE = """
import json, os, sys, tempfile
made = []
real = tempfile.mkdtemp
tempfile.mkdtemp = lambda *a, **k: made.append(1) or real(*a, **k)
import dedup
from dedup.cli import app
try:
    app(sys.argv[1:], prog_name="dedup")
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r}
               or m == "concurrent.futures.process")
print(json.dumps({{"code": code, "heavy": heavy, "folders": len(made)}}), file=sys.stderr)
"""


def test_a_one_file_check_imports_no_heavy_module_and_makes_no_folder() -> None:
    """No datasketch, scipy, dask, redis or process pool, and no temporary folder."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), "check", "seeds/ukraine-live-blog.txt"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    probe = json.loads(out.stderr.strip().splitlines()[-1])
    assert probe["code"] == 1  # the seed repeats paragraphs: the check fails, as it should
    assert probe["heavy"] == []
    assert probe["folders"] == 0


def test_the_default_settings_need_no_datasketch() -> None:
    s = Settings()
    assert lshparams.optimal_params(s.candidate_threshold, s.num_perm) == (32, 4)
