"""mTPI-2 (Guo et al. 2017): keys, unit probability mass and the boundary arrays.

This module owns how mTPI-2 turns (n, y) at the current level into
escalate / stay / de-escalate.  The DLT rate's posterior is Beta(1 + y,
1 + n − y).  The unit interval is cut into keys of the equivalence
interval's width, starting from [target − eps1, target + eps2] and going
outwards; the keys left over at 0 and 1 may be shorter.  Each key's unit
probability mass (posterior mass divided by length) is computed, and the key
with the highest one decides: below the equivalence interval escalate,
on it stay, above it de-escalate.  Elimination, the trial flow and MTD
selection are BOIN's (see `boin`).
"""

from __future__ import annotations

import functools
from typing import Literal

import attrs
import numpy as np

from .boin import (
    IntervalBoundaries,
    elimination_boundaries,
    never_boundary,
    regularized_incomplete_beta,
)
from .designs import Mtpi2

# Edges closer than this to 0 or 1 are taken to be 0 or 1, so floating-point
# residue never creates a zero-width key.
_EDGE_TOLERANCE = 1e-9
# Edges are sums of the design's decimals; rounding removes the residue
# (0.050000000000000044) that would otherwise show in tables.
_EDGE_DIGITS = 12

KeyDecision = Literal["E", "S", "D"]


@attrs.frozen
class Key:
    """One interval of DLT rates and the decision it stands for."""

    lower: float
    upper: float
    decision: KeyDecision

    @property
    def width(self) -> float:
        return self.upper - self.lower


def keys(design: Mtpi2) -> tuple[Key, ...]:
    """The keys from the lowest DLT rates to the highest."""
    low = round(design.target - design.eps1, _EDGE_DIGITS)
    high = round(design.target + design.eps2, _EDGE_DIGITS)
    width = high - low
    below: list[Key] = []
    edge, step = low, 1
    while (next_edge := round(low - step * width, _EDGE_DIGITS)) > _EDGE_TOLERANCE:
        below.append(Key(next_edge, edge, "E"))
        edge, step = next_edge, step + 1
    if edge > _EDGE_TOLERANCE:
        below.append(Key(0.0, edge, "E"))
    above: list[Key] = []
    edge, step = high, 1
    while (next_edge := round(high + step * width, _EDGE_DIGITS)) < 1.0 - _EDGE_TOLERANCE:
        above.append(Key(edge, next_edge, "D"))
        edge, step = next_edge, step + 1
    if edge < 1.0 - _EDGE_TOLERANCE:
        above.append(Key(edge, 1.0, "D"))
    return (*reversed(below), Key(low, high, "S"), *above)


def unit_probability_mass(design: Mtpi2, patients: np.ndarray, dlts: np.ndarray) -> np.ndarray:
    """UPM of every key (last axis) for each (n, y) pair in the input arrays."""
    key_list = keys(design)
    lower = np.array([k.lower for k in key_list])
    upper = np.array([k.upper for k in key_list])
    n = np.asarray(patients, dtype=float)[..., None]
    y = np.asarray(dlts, dtype=float)[..., None]
    mass = regularized_incomplete_beta(upper, 1.0 + y, 1.0 + n - y) - regularized_incomplete_beta(
        lower, 1.0 + y, 1.0 + n - y
    )
    return mass / (upper - lower)


def winning_key(design: Mtpi2, patients: int, dlts: int) -> tuple[Key, float]:
    """The key with the highest unit probability mass at (n, y), and that mass.

    An exact tie goes to the lower key, which never happens for the keys of a
    valid design in practice.
    """
    upm = unit_probability_mass(design, np.array(patients), np.array(dlts))
    best = int(np.argmax(upm))
    return keys(design)[best], float(upm[best])


@functools.lru_cache(maxsize=64)
def mtpi2_boundaries(design: Mtpi2) -> IntervalBoundaries:
    """Boundary arrays for n = 1..max sample size, from the winning keys (cached per design).

    The decisions at each n must run E…E S…S D…D as y grows, so they fit in
    'escalate if y ≤ a, de-escalate if y ≥ b'; anything else is an internal
    error (more DLTs can only shift the posterior upwards).
    """
    max_n = design.n_cohorts * design.cohort_size
    n = np.arange(1, max_n + 1)
    y = np.arange(0, max_n + 1)
    nn, yy = np.meshgrid(n, y, indexing="ij")
    valid = yy <= nn
    upm = unit_probability_mass(design, nn, np.minimum(yy, nn))
    decision_codes = np.array([{"E": 1, "S": 0, "D": -1}[k.decision] for k in keys(design)])
    code = decision_codes[upm.argmax(axis=-1)]
    escalate = np.full(max_n + 1, -1, dtype=np.int64)
    deescalate = never_boundary(max_n)
    for row, count in enumerate(n):
        row_codes = code[row][valid[row]]
        if np.any(np.diff(row_codes) > 0):
            raise ArithmeticError(f"mTPI-2 decisions at n = {count} are not monotone in y")
        escalating = np.flatnonzero(row_codes == 1)
        deescalating = np.flatnonzero(row_codes == -1)
        if escalating.size:
            escalate[count] = escalating[-1]
        if deescalating.size:
            deescalate[count] = deescalating[0]
    eliminate = elimination_boundaries(design.target, design.elimination_cutoff, max_n)
    return IntervalBoundaries(
        escalate, np.minimum(deescalate, eliminate), eliminate, never_boundary(max_n)
    ).frozen()
