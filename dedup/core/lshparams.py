"""LSH bands and rows as datasketch's ``MinHashLSH`` picks them, without datasketch or scipy.

datasketch (``datasketch.lsh._optimal_param``) tries every ``b`` bands of ``r`` rows with
``b * r <= num_perm`` and keeps the first (``b`` ascending, then ``r``) that minimises
``w_fp * FP + w_fn * FN``, where FP is the integral over ``[0, t]`` of the chance
``1 - (1 - s**r)**b`` that a pair of similarity ``s`` shares a band, and FN the integral
over ``[t, 1]`` of the chance ``(1 - s**r)**b`` that it shares none. It integrates with
``scipy.integrate.quad``; importing datasketch imports scipy, which costs more than a
one-file check. Both integrands are polynomials of degree ``b * r <= num_perm``, which
Gauss-Legendre quadrature with ``num_perm // 2 + 1`` nodes integrates exactly (up to
rounding), for every pair at once with numpy.

The two computations agree to about 1e-11 (relative); the choice can only differ where
two pairs' errors are closer than that. When the best and the next best pair are within
``TIE`` of each other, ``optimal_params`` gives None and ``dedup.core.index`` asks datasketch
itself, so the answer is datasketch's in every case (tests/test_lshparams.py compares the
two over a grid of settings; no setting of the grid needs datasketch).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

#: Relative distance between the best and the next best error under which datasketch
#: decides (quad and this quadrature differ by about 5e-12 relative).
TIE = 1e-9

F64 = npt.NDArray[np.float64]

#: Bands and rows at the default ``--num-perm`` for candidate thresholds 0.05, 0.10, ..
#: 0.90 (the default settings give 0.4): a one-file check need not compute them.
#: tests/test_lshparams.py checks every entry against datasketch and ``errors``.
TABLE: dict[tuple[float, int], tuple[int, int]] = {
    (0.05, 128): (32, 1),
    (0.1, 128): (64, 2),
    (0.15, 128): (51, 2),
    (0.2, 128): (28, 2),
    (0.25, 128): (42, 3),
    (0.3, 128): (37, 3),
    (0.35, 128): (32, 4),
    (0.4, 128): (32, 4),
    (0.45, 128): (25, 5),
    (0.5, 128): (25, 5),
    (0.55, 128): (21, 6),
    (0.6, 128): (18, 7),
    (0.65, 128): (16, 8),
    (0.7, 128): (14, 9),
    (0.75, 128): (11, 11),
    (0.8, 128): (9, 13),
    (0.85, 128): (8, 16),
    (0.9, 128): (5, 25),
}

#: Pair x node values computed per numpy step (bounds the work arrays).
_BLOCK = 1 << 18


@functools.cache
def _nodes(count: int) -> tuple[F64, F64]:
    """Return Gauss-Legendre nodes and weights on ``[-1, 1]``."""
    from numpy.polynomial.legendre import leggauss  # only here: a one-file check needs it once

    nodes, weights = leggauss(count)
    return nodes, weights


def pairs(num_perm: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return every ``(b, r)`` with ``b * r <= num_perm``, in datasketch's order (b, then r)."""
    per_b = num_perm // np.arange(1, num_perm + 1, dtype=np.int64)  # rows allowed per b
    bands = np.repeat(np.arange(1, num_perm + 1, dtype=np.int64), per_b)
    first = np.repeat(np.cumsum(per_b) - per_b, per_b)  # where each b's run starts
    rows = np.arange(len(bands), dtype=np.int64) - first + 1
    return bands, rows


def errors(threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)) -> F64:
    """Return the weighted error of each pair of ``pairs(num_perm)``, in that order."""
    x, w = _nodes(num_perm // 2 + 1)
    low = (x + 1.0) * (threshold / 2.0)  # nodes and weights on [0, t]
    low_w = w * (threshold / 2.0)
    high = threshold + (x + 1.0) * ((1.0 - threshold) / 2.0)  # and on [t, 1]
    high_w = w * ((1.0 - threshold) / 2.0)
    bands, rows = pairs(num_perm)
    out = np.empty(len(bands))
    step = max(1, _BLOCK // len(x))
    for lo in range(0, len(bands), step):
        b = bands[lo : lo + step, None].astype(np.float64)
        r = rows[lo : lo + step, None].astype(np.float64)
        fp = (1.0 - (1.0 - low[None, :] ** r) ** b) @ low_w  # some band shared, below t
        fn = ((1.0 - high[None, :] ** r) ** b) @ high_w  # none shared, above t
        out[lo : lo + step] = fp * weights[0] + fn * weights[1]
    return out


@functools.cache
def optimal_params(
    threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int] | None:
    """Return the ``(bands, rows)`` datasketch's ``MinHashLSH(threshold, num_perm,
    weights)`` uses; None for a near tie, which only datasketch's own integrals decide."""
    if weights == (0.5, 0.5) and (threshold, num_perm) in TABLE:
        return TABLE[threshold, num_perm]
    return computed_params(threshold, num_perm, weights)


def computed_params(
    threshold: float, num_perm: int, weights: tuple[float, float] = (0.5, 0.5)
) -> tuple[int, int] | None:
    """Return ``optimal_params`` computed (``TABLE`` not consulted)."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0.0, 1.0]")
    if num_perm < 2:
        raise ValueError("num_perm must be at least 2")
    err = errors(threshold, num_perm, weights)
    best = int(np.argmin(err))  # the first of equal minima, as datasketch's strict "<"
    least = float(err[best])
    if np.count_nonzero(err <= least + abs(least) * TIE) > 1:
        return None
    bands, rows = pairs(num_perm)
    return int(bands[best]), int(rows[best])
