"""Minimisation (Pocock and Simon, 1975): each subject to the arm that keeps the
factors most balanced, with a seeded random element.

For a new subject and each arm k in turn: for each minimisation factor, take the
subjects already allocated who share the new subject's stratum of that factor,
count them per arm with the new subject added to arm k, divide each count by its
arm's weight (so that 2:1 is "balanced" at 2:1), and measure the spread of those
numbers: their range (largest minus smallest, the default) or their variance.
The sum over the factors is arm k's imbalance G_k.

* If every arm has the same G (the first subject, for one), the arm is drawn with
  the ratio's probabilities.
* Otherwise the preferred arm is the one with the least G (drawn uniformly among
  those tied for least); the subject goes to it with the declared probability p,
  else to one of the other arms, drawn uniformly.  p = 1 is deterministic
  minimisation.

The random element comes from one `Stream` (label "minimisation"): the same seed
and the same subjects in the same order always give the same allocation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import NamedTuple

from generators.randomisation.stream import Stream


class Minimisation(NamedTuple):
    ratio: tuple[tuple[str, int], ...]
    factors: tuple[str, ...]
    probability: Fraction
    measure: str = "range"


class Allocated(NamedTuple):
    subject_id: str
    levels: tuple[tuple[str, str], ...]  # (factor, stratum) for each minimisation factor
    arm: str
    imbalance: tuple[Fraction, ...]  # G_k per arm, in ratio order
    preferred: str | None  # None when every arm tied


def _spread(values: list[Fraction], measure: str) -> Fraction:
    if measure == "variance":
        mean = sum(values, Fraction(0)) / len(values)
        return sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)
    return max(values) - min(values)


def minimise(
    design: Minimisation,
    subjects: Sequence[tuple[str, Mapping[str, str]]],
    seed: int | str,
) -> list[Allocated]:
    """Allocate `subjects` (id, stratum per factor) in the order given."""
    stream = Stream(seed, "minimisation")
    arms = [arm for arm, _weight in design.ratio]
    weights = dict(design.ratio)
    # counts[factor][stratum][arm]: subjects allocated so far
    counts: dict[str, dict[str, dict[str, int]]] = {f: {} for f in design.factors}
    out: list[Allocated] = []
    for subject_id, levels in subjects:
        scores = []
        for candidate in arms:
            total = Fraction(0)
            for factor in design.factors:
                here = counts[factor].get(levels[factor], {})
                scaled = [
                    Fraction(here.get(arm, 0) + (arm == candidate), weights[arm]) for arm in arms
                ]
                total += _spread(scaled, design.measure)
            scores.append(total)
        least = min(scores)
        tied = [arm for arm, score in zip(arms, scores, strict=True) if score == least]
        preferred: str | None
        if len(tied) == len(arms):
            preferred = None
            draw = stream.below(sum(weights.values()))
            arm = arms[-1]
            for name in arms:
                if draw < weights[name]:
                    arm = name
                    break
                draw -= weights[name]
        else:
            preferred = tied[0] if len(tied) == 1 else stream.choice(tied)
            if Fraction(stream.uniform()) < design.probability:
                arm = preferred
            else:
                arm = stream.choice([a for a in arms if a != preferred])
        for factor in design.factors:
            per_arm = counts[factor].setdefault(levels[factor], {})
            per_arm[arm] = per_arm.get(arm, 0) + 1
        chosen = tuple((factor, levels[factor]) for factor in design.factors)
        out.append(Allocated(subject_id, chosen, arm, tuple(scores), preferred))
    return out
