"""The 3+3 design's rules, applied to many trials at once.

This module owns the 3+3 state machine (Storer 1989, with the 'previous' and
'expand' MTD rules and Lin & Shih's de-escalation) and MTD selection from a
finished trial's counts.  The state is nothing but the patients and DLTs at
each level and the current level: whether the trial is coming back down to
expand a level is read off the level above having 2 or more DLTs.
"""

from __future__ import annotations

import enum

import numpy as np

from .designs import AfterCohort, Step, ThreePlusThree


class ThreePlusThreeReason(enum.IntEnum):
    """Which 3+3 rule fired after a cohort."""

    ESCALATE = 0
    EXPAND = 1
    CONFIRM_TOP = 2
    CONFIRM_BELOW_TOXIC = 3
    TOP_CLEARED = 4
    CLEARED_BELOW_TOXIC = 5
    TOXIC_PREVIOUS = 6
    TOXIC_EXPAND_BELOW = 7
    TOXIC_BELOW_CONFIRMED = 8
    TOXIC_LOWEST = 9
    TOXIC_NO_FURTHER_DEESCALATION = 10


_ENDING = (
    ThreePlusThreeReason.TOP_CLEARED,
    ThreePlusThreeReason.CLEARED_BELOW_TOXIC,
    ThreePlusThreeReason.TOXIC_PREVIOUS,
    ThreePlusThreeReason.TOXIC_BELOW_CONFIRMED,
    ThreePlusThreeReason.TOXIC_LOWEST,
    ThreePlusThreeReason.TOXIC_NO_FURTHER_DEESCALATION,
)

# A level "exceeds the MTD" with this many DLTs, whether among 3 or 6.
TOXIC_DLTS = 2
FULL_LEVEL = 6


def three_plus_three_step(design: ThreePlusThree, after: AfterCohort) -> Step:
    """Apply the 3+3 rules after a cohort at `level`, for every trial (row)."""
    level, patients, dlts, eliminated_from, _cohort_dlts = after
    rows = np.arange(len(level))
    n_levels = patients.shape[1]
    n = patients[rows, level]
    y = dlts[rows, level]
    has_above = level + 1 < n_levels
    above_toxic = has_above & (dlts[rows, np.minimum(level + 1, n_levels - 1)] >= TOXIC_DLTS)
    has_below = level > 0
    below_full = has_below & (patients[rows, np.maximum(level - 1, 0)] >= FULL_LEVEL)
    expand = design.mtd_rule == "expand"
    cleared = (y == 0) | ((n >= FULL_LEVEL) & (y < TOXIC_DLTS))
    toxic = y >= TOXIC_DLTS
    unconfirmed = expand & (n < FULL_LEVEL)
    reason = np.select(
        [
            cleared & ~has_above & unconfirmed,
            cleared & ~has_above,
            cleared & above_toxic & unconfirmed,
            cleared & above_toxic,
            cleared,
            toxic & (not expand),
            toxic & ~has_below,
            toxic & above_toxic & (not design.allow_deescalation),
            toxic & below_full,
            toxic,
        ],
        [
            ThreePlusThreeReason.CONFIRM_TOP,
            ThreePlusThreeReason.TOP_CLEARED,
            ThreePlusThreeReason.CONFIRM_BELOW_TOXIC,
            ThreePlusThreeReason.CLEARED_BELOW_TOXIC,
            ThreePlusThreeReason.ESCALATE,
            ThreePlusThreeReason.TOXIC_PREVIOUS,
            ThreePlusThreeReason.TOXIC_LOWEST,
            ThreePlusThreeReason.TOXIC_NO_FURTHER_DEESCALATION,
            ThreePlusThreeReason.TOXIC_BELOW_CONFIRMED,
            ThreePlusThreeReason.TOXIC_EXPAND_BELOW,
        ],
        # One DLT among three: three more at the same level.
        default=ThreePlusThreeReason.EXPAND,
    )
    move = np.select(
        [
            reason == ThreePlusThreeReason.ESCALATE,
            reason == ThreePlusThreeReason.TOXIC_EXPAND_BELOW,
        ],
        [1, -1],
        default=0,
    )
    eliminated_from = np.where(toxic, np.minimum(eliminated_from, level), eliminated_from)
    return Step(level + move, np.isin(reason, _ENDING), eliminated_from, reason)


def select_mtd_three_plus_three(
    design: ThreePlusThree, patients: np.ndarray, dlts: np.ndarray
) -> np.ndarray:
    """The MTD of finished 3+3 trials (−1: none), from their counts.

    The candidate is the level just below the lowest level with 2 or more
    DLTs (the top level if there is none).  The 'expand' rule also requires
    it to have 6 patients with at most 1 DLT.
    """
    n_levels = patients.shape[1]
    toxic = dlts >= TOXIC_DLTS
    lowest_toxic = np.where(toxic.any(axis=1), toxic.argmax(axis=1), n_levels)
    candidate = lowest_toxic - 1
    if design.mtd_rule == "previous":
        return candidate
    rows = np.arange(len(candidate))
    safe_index = np.maximum(candidate, 0)
    confirmed = (patients[rows, safe_index] >= FULL_LEVEL) & (dlts[rows, safe_index] < TOXIC_DLTS)
    return np.where((candidate >= 0) & confirmed, candidate, -1)
