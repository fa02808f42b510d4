"""BOIN, and the parts every interval design (BOIN, mTPI-2) shares with it.

This module owns:
  - the regularized incomplete beta function, the posterior tail behind
    elimination (numpy and `math.lgamma` only; no scipy);
  - BOIN's escalation and de-escalation boundaries λe and λd (Liu & Yuan
    2015) and the per-n boundary arrays the R package prints (`get.boundary`);
  - the elimination boundaries (Beta(1, 1) prior, P(p > target) > cutoff,
    n ≥ 3);
  - the interval-design trial flow after one cohort, applied to many trials
    at once (`interval_step`), which mTPI-2 shares;
  - MTD selection by weighted isotonic regression, as R `BOIN::select.mtd`.
"""

from __future__ import annotations

import enum
import functools
import math
from typing import NamedTuple

import attrs
import numpy as np

from .designs import Boin, Step

# ---------------------------------------------------------------- incomplete beta

_TINY = 1e-300
_EPSILON = 1e-15
_MAX_TERMS = 10_000

_lgamma = np.frompyfunc(math.lgamma, 1, 1)


def _log_gamma(values: np.ndarray) -> np.ndarray:
    return np.asarray(_lgamma(values), dtype=float)


def _continued_fraction(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The continued fraction for I_x(a, b) by the modified Lentz method.

    It converges fast for x < (a + 1) / (a + b + 2); callers use the symmetry
    I_x(a, b) = 1 − I_{1−x}(b, a) for the other side.
    """
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2.0 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
            c = 1.0 + numerator / c
            c = np.where(np.abs(c) < _TINY, _TINY, c)
            delta = d * c
            h = h * delta
        if np.all(np.abs(delta - 1.0) < _EPSILON):
            return h
    raise ArithmeticError("incomplete beta continued fraction did not converge")


def _beta_cdf_and_sf(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, a, b = np.broadcast_arrays(
        np.asarray(x, dtype=float), np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    )
    if np.any(a <= 0) or np.any(b <= 0):
        raise ValueError("beta parameters must be positive")
    shape = x.shape
    # Work on flat copies so that scalars (0-d arrays) can be assigned into.
    x, a, b = x.ravel(), a.ravel(), b.ravel()
    cdf = np.where(x >= 1.0, 1.0, 0.0)
    sf = 1.0 - cdf
    inside = (x > 0.0) & (x < 1.0)
    if not inside.any():
        return cdf.reshape(shape), sf.reshape(shape)
    xi, ai, bi = x[inside], a[inside], b[inside]
    log_front = (
        _log_gamma(ai + bi) - _log_gamma(ai) - _log_gamma(bi) + ai * np.log(xi) + bi * np.log1p(-xi)
    )
    front = np.exp(log_front)
    # Evaluate whichever tail converges fast and take the other as its
    # complement, so that a tail near 1 is never a difference of two near-1s.
    direct = xi < (ai + 1.0) / (ai + bi + 2.0)
    lower = np.empty_like(xi)
    upper = np.empty_like(xi)
    if direct.any():
        lower[direct] = (
            front[direct] * _continued_fraction(xi[direct], ai[direct], bi[direct]) / ai[direct]
        )
        upper[direct] = 1.0 - lower[direct]
    swapped = ~direct
    if swapped.any():
        upper[swapped] = (
            front[swapped]
            * _continued_fraction(1.0 - xi[swapped], bi[swapped], ai[swapped])
            / bi[swapped]
        )
        lower[swapped] = 1.0 - upper[swapped]
    cdf[inside] = lower
    sf[inside] = upper
    return cdf.reshape(shape), sf.reshape(shape)


def regularized_incomplete_beta(
    x: np.ndarray | float, a: np.ndarray | float, b: np.ndarray | float
) -> np.ndarray:
    """I_x(a, b), the Beta(a, b) distribution function at x; broadcasts over arrays."""
    return _beta_cdf_and_sf(np.asarray(x), np.asarray(a), np.asarray(b))[0]


def beta_tail(x: np.ndarray | float, a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """P(p > x) for p ~ Beta(a, b), accurate even when it is tiny."""
    return _beta_cdf_and_sf(np.asarray(x), np.asarray(a), np.asarray(b))[1]


def posterior_toxicity_probability(
    target: float, patients: np.ndarray | int, dlts: np.ndarray | int
) -> np.ndarray:
    """P(DLT rate > target | y DLTs in n patients) under a Beta(1, 1) prior."""
    y = np.asarray(dlts, dtype=float)
    n = np.asarray(patients, dtype=float)
    return beta_tail(target, y + 1.0, n - y + 1.0)


# ---------------------------------------------------------------- boundaries


@attrs.frozen
class BoinLambdas:
    """BOIN's boundaries on the observed DLT rate at the current level."""

    escalate: float
    deescalate: float


def boin_lambdas(design: Boin) -> BoinLambdas:
    """λe and λd from Liu & Yuan (2015), for the design's target, φ1 and φ2."""
    target, phi1, phi2 = design.target, design.phi1, design.phi2
    escalate = math.log((1 - phi1) / (1 - target)) / math.log(
        target * (1 - phi1) / (phi1 * (1 - target))
    )
    deescalate = math.log((1 - target) / (1 - phi2)) / math.log(
        phi2 * (1 - target) / (target * (1 - phi2))
    )
    return BoinLambdas(escalate, deescalate)


class IntervalBoundaries(NamedTuple):
    """Per-n boundaries on the DLT count at the current level, indexed by n.

    Index 0 is unused.  A rule that never applies at some n holds a sentinel
    no count can reach: −1 for `escalate_at_most`, n + 1 for the others.
    `stop_at_least` is BOIN's extra-safe stopping rule at the lowest level.
    """

    escalate_at_most: np.ndarray
    deescalate_at_least: np.ndarray
    eliminate_at_least: np.ndarray
    stop_at_least: np.ndarray

    @property
    def max_patients(self) -> int:
        return len(self.escalate_at_most) - 1

    def frozen(self) -> IntervalBoundaries:
        """The same boundaries with read-only arrays, safe to share from a cache."""
        for values in self:
            values.flags.writeable = False
        return self


def never_boundary(max_n: int) -> np.ndarray:
    """The 'at least' sentinel row: n + 1 at every n, which no count reaches."""
    return np.arange(max_n + 1, dtype=np.int64) + 1


def elimination_boundaries(target: float, cutoff: float, max_n: int) -> np.ndarray:
    """Smallest DLT count with P(p > target | y, n) > cutoff, for n = 0..max_n.

    As in R BOIN, only n ≥ 3 is considered and y starts at 1: a level
    without a DLT is never eliminated, however low the target.
    """
    boundary = never_boundary(max_n)
    if max_n < 3:
        return boundary
    n = np.arange(3, max_n + 1)
    y = np.arange(0, max_n + 1)
    nn, yy = np.meshgrid(n, y, indexing="ij")
    valid = (yy >= 1) & (yy <= nn)
    tail = np.where(valid, posterior_toxicity_probability(target, nn, np.minimum(yy, nn)), 0.0)
    exceeds = tail > cutoff
    found = exceeds.any(axis=1)
    boundary[3:] = np.where(found, exceeds.argmax(axis=1), boundary[3:])
    return boundary


@functools.lru_cache(maxsize=64)
def boin_boundaries(design: Boin) -> IntervalBoundaries:
    """The boundary arrays R `get.boundary` prints, for n = 1..max sample size.

    Cached per design (designs are frozen), so replaying a history cohort by
    cohort does not recompute them.
    """
    max_n = design.n_cohorts * design.cohort_size
    lambdas = boin_lambdas(design)
    n = np.arange(max_n + 1)
    escalate = np.floor(lambdas.escalate * n).astype(np.int64)
    deescalate = np.ceil(lambdas.deescalate * n).astype(np.int64)
    eliminate = elimination_boundaries(design.target, design.elimination_cutoff, max_n)
    # A count that eliminates a level also de-escalates from it.
    deescalate = np.minimum(deescalate, eliminate)
    if design.extrasafe:
        stop = elimination_boundaries(
            design.target, design.elimination_cutoff - design.extrasafe_offset, max_n
        )
    else:
        stop = never_boundary(max_n)
    return IntervalBoundaries(escalate, deescalate, eliminate, stop).frozen()


# ---------------------------------------------------------------- trial flow


class IntervalReason(enum.IntEnum):
    """Which rule of an interval design fired after a cohort."""

    ESCALATE = 0
    ESCALATE_BLOCKED_TOP = 1
    ESCALATE_BLOCKED_ELIMINATED = 2
    STAY = 3
    DEESCALATE = 4
    DEESCALATE_BLOCKED_BOTTOM = 5
    ELIMINATE = 6
    ELIMINATE_LOWEST = 7
    SAFETY_STOP = 8
    CAP_REACHED = 9


_STAYING = (
    IntervalReason.STAY,
    IntervalReason.ESCALATE_BLOCKED_TOP,
    IntervalReason.ESCALATE_BLOCKED_ELIMINATED,
    IntervalReason.DEESCALATE_BLOCKED_BOTTOM,
)


def interval_step(
    bounds: IntervalBoundaries,
    n_levels: int,
    max_per_dose: int | None,
    level: np.ndarray,
    patients_at_level: np.ndarray,
    dlts_at_level: np.ndarray,
    eliminated_from: np.ndarray,
) -> Step:
    """Apply the BOIN / mTPI-2 rules after a cohort at `level`, for every trial.

    In order: elimination (which stops the trial at the lowest level), the
    extra-safe stop, the boundary decision (escalation is blocked at the top
    and below an eliminated level, de-escalation at the bottom), then the
    early stop when the level holds `max_per_dose` patients and the decision
    amounts to staying.  R BOIN `get.oc` checks that early stop first; the
    trials come out the same, because a count that eliminates a level above
    the lowest never amounts to staying, and one that eliminates the lowest
    ends the trial without an MTD either way.
    """
    n, y = patients_at_level, dlts_at_level
    eliminate = y >= bounds.eliminate_at_least[n]
    eliminated_from = np.where(eliminate, np.minimum(eliminated_from, level), eliminated_from)
    safety_stop = (level == 0) & (y >= bounds.stop_at_least[n])
    escalate = y <= bounds.escalate_at_most[n]
    deescalate = y >= bounds.deescalate_at_least[n]
    above = level + 1
    reason = np.select(
        [
            eliminate & (level == 0),
            safety_stop,
            eliminate,
            escalate & (above < n_levels) & (above < eliminated_from),
            escalate & (above >= n_levels),
            escalate,
            deescalate & (level > 0),
            deescalate,
        ],
        [
            IntervalReason.ELIMINATE_LOWEST,
            IntervalReason.SAFETY_STOP,
            IntervalReason.ELIMINATE,
            IntervalReason.ESCALATE,
            IntervalReason.ESCALATE_BLOCKED_TOP,
            IntervalReason.ESCALATE_BLOCKED_ELIMINATED,
            IntervalReason.DEESCALATE,
            IntervalReason.DEESCALATE_BLOCKED_BOTTOM,
        ],
        default=IntervalReason.STAY,
    )
    if max_per_dose is not None:
        capped = np.isin(reason, _STAYING) & (n >= max_per_dose)
        reason = np.where(capped, IntervalReason.CAP_REACHED, reason)
    move = np.select(
        [
            reason == IntervalReason.ESCALATE,
            (reason == IntervalReason.DEESCALATE) | (reason == IntervalReason.ELIMINATE),
        ],
        [1, -1],
        default=0,
    )
    ended = np.isin(
        reason,
        (
            IntervalReason.ELIMINATE_LOWEST,
            IntervalReason.SAFETY_STOP,
            IntervalReason.CAP_REACHED,
        ),
    )
    return Step(level + move, ended, eliminated_from, reason)


# ---------------------------------------------------------------- MTD selection


class IsotonicSelection(NamedTuple):
    """The selected MTD per trial (−1: none) and the isotonic DLT-rate estimates.

    Estimates are NaN at levels that were not tried or were eliminated.
    """

    mtd: np.ndarray
    estimates: np.ndarray


def isotonic_estimates(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted isotonic (non-decreasing) regression along the last axis.

    Levels with zero weight take no part; their output is NaN.  Uses the
    max–min formula  f(i) = max_{a ≤ i} min_{b ≥ i} mean_w(a..b), which gives
    the same fit as pool-adjacent-violators but vectorises over trials.
    """
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    k = values.shape[-1]
    used = weights > 0
    zeros = np.zeros((*values.shape[:-1], 1))
    cum_w = np.concatenate([zeros, np.cumsum(weights, axis=-1)], axis=-1)
    cum_wv = np.concatenate(
        [zeros, np.cumsum(np.where(used, weights * values, 0.0), axis=-1)], axis=-1
    )
    # mean[..., a, b]: weighted mean of levels a..b (only meaningful for a ≤ b,
    # both used).
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (cum_wv[..., None, 1:] - cum_wv[..., :-1, None]) / (
            cum_w[..., None, 1:] - cum_w[..., :-1, None]
        )
    index = np.arange(k)
    upper_triangle = index[:, None] <= index[None, :]
    valid = upper_triangle & used[..., :, None] & used[..., None, :]
    # For each start a, the minimum over ends b ≥ i.
    mins = np.where(valid, mean, np.inf)
    mins = np.minimum.accumulate(mins[..., ::-1], axis=-1)[..., ::-1]
    # Then the maximum over starts a ≤ i among used levels.
    maxs = np.where(upper_triangle & used[..., :, None], mins, -np.inf)
    fit = maxs.max(axis=-2)
    return np.where(used, fit, np.nan)


def select_mtd_isotonic(
    target: float,
    bounds: IntervalBoundaries,
    patients: np.ndarray,
    dlts: np.ndarray,
) -> IsotonicSelection:
    """MTD selection at the end of an interval-design trial, as R `select.mtd`.

    Levels are eliminated from the final data (and with them every higher
    level); if the lowest level is eliminated, or the extra-safe rule fires,
    there is no MTD.  Otherwise the observed rates (y + 0.05) / (n + 0.1) of
    the tried, non-eliminated levels are smoothed by isotonic regression
    weighted by the inverse of their variance, and the level closest to the
    target wins.  Ties inside a pooled block break as in the R package: a tiny
    increasing offset per level makes the lower level win above the target
    and the higher level win below it.
    """
    n = np.asarray(patients, dtype=np.int64)
    y = np.asarray(dlts, dtype=np.int64)
    k = n.shape[1]
    eliminated = (n >= 3) & (y >= bounds.eliminate_at_least[n])
    first_eliminated = np.where(eliminated.any(axis=1), eliminated.argmax(axis=1), k)
    admissible = (n > 0) & (np.arange(k)[None, :] < first_eliminated[:, None])
    yf, nf = y.astype(float), n.astype(float)
    rate = (yf + 0.05) / (nf + 0.1)
    variance = (yf + 0.05) * (nf - yf + 0.05) / ((nf + 0.1) ** 2 * (nf + 0.1 + 1.0))
    estimates = isotonic_estimates(rate, np.where(admissible, 1.0 / variance, 0.0))
    rank = np.cumsum(admissible, axis=1)
    distance = np.where(admissible, np.abs(estimates + rank * 1e-10 - target), np.inf)
    mtd = distance.argmin(axis=1)
    no_mtd = ~admissible.any(axis=1) | (first_eliminated == 0)
    no_mtd |= (n[:, 0] >= 3) & (y[:, 0] >= bounds.stop_at_least[n[:, 0]])
    return IsotonicSelection(np.where(no_mtd, -1, mtd), estimates)
