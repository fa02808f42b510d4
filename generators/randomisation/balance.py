"""The balance of an allocation list: counts per arm, and the worst imbalance.

Imbalance is measured in units of the ratio: arm counts divided by their
weights, the largest minus the smallest (at 1:1 the difference between the two
arms' counts).  The worst imbalance is the largest at any point of the list,
the one a subject randomised at that point would see; permuted blocks bound it
by the largest block size divided by the ratio's sum (half the block at 1:1).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple


class Balance(NamedTuple):
    stratum: str
    counts: dict[str, int]
    final_imbalance: Fraction
    worst_imbalance: Fraction


def imbalance(counts: dict[str, int], ratio: Sequence[tuple[str, int]]) -> Fraction:
    scaled = [Fraction(counts.get(arm, 0), weight) for arm, weight in ratio]
    return max(scaled) - min(scaled)


def balance(stratum: str, arms: Sequence[str], ratio: Sequence[tuple[str, int]]) -> Balance:
    """The balance of one stratum's list (`arms` in list order)."""
    counts = {arm: 0 for arm, _weight in ratio}
    worst = Fraction(0)
    for arm in arms:
        counts[arm] += 1
        worst = max(worst, imbalance(counts, ratio))
    return Balance(stratum, counts, imbalance(counts, ratio), worst)


def bound(ratio: Sequence[tuple[str, int]], block_sizes: Sequence[int]) -> Fraction:
    """The worst imbalance permuted blocks allow: the largest block over the ratio's sum."""
    return Fraction(max(block_sizes), sum(weight for _arm, weight in ratio))


def fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"
