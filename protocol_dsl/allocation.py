"""Randomised designs: the words a `randomisation` and a `masking` block may use.

One table for every stage that reads them: the checks report unknown roles and
measures with "did you mean", the registry record and SDTM trial summary map
roles and masking levels onto their controlled terms, the documents word them.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import gcd
from typing import NamedTuple

from protocol_dsl import model as m


class Role(NamedTuple):
    words: str  # in a sentence of the protocol
    ctgov: str | None  # ClinicalTrials.gov `whoMasked` value; None: not a registry role


#: The roles a `masking` block may blind.  ClinicalTrials.gov counts only its four
#: roles (participant, care provider, investigator, outcomes assessor) into the
#: masking level; the sponsor's study team is blinded in many trials all the same
#: and the protocol says so.
ROLES: dict[str, Role] = {
    "participant": Role("participants", "PARTICIPANT"),
    "care_provider": Role("care providers", "CARE_PROVIDER"),
    "investigator": Role("investigators", "INVESTIGATOR"),
    "outcome_assessor": Role("outcome assessors", "OUTCOMES_ASSESSOR"),
    "sponsor": Role("the sponsor's study team", None),
}

#: The trial header's `masking` levels by the number of registry roles blinded
#: (ClinicalTrials.gov's definition: single = one role, double = two, …).
LEVELS = ("open_label", "single", "double", "triple", "quadruple")

#: Pocock-Simon imbalance measures: the range of the arm counts (max - min) or their
#: variance, summed over the minimisation factors.
MEASURES = ("range", "variance")
DEFAULT_MEASURE = "range"

METHOD_WORDS = {
    "simple": "simple randomisation",
    "permuted_blocks": "randomisation in permuted blocks",
    "minimisation": "minimisation (Pocock and Simon)",
}


def masking_level(masking: m.Masking) -> str:
    """The masking level the roles of a `masking` block amount to."""
    counted = {ROLES[r].ctgov for r in masking.roles if r in ROLES and ROLES[r].ctgov}
    return LEVELS[len(counted)]


def effective_masking(spec_masking: m.Masking | None, header: str | None) -> str | None:
    """The trial's masking level: the header's, else the level the block's roles make."""
    if header is not None:
        return header
    if spec_masking is not None:
        return masking_level(spec_masking)
    return None


def whole(value: Decimal) -> int | None:
    """`value` as a positive whole number, or None."""
    if value != value.to_integral_value() or value <= 0:
        return None
    return int(value)


def weights(randomisation: m.Randomisation) -> list[tuple[str, int]] | None:
    """The ratio's arms with whole weights (None when a weight is not whole and positive)."""
    out = []
    for entry in randomisation.ratio:
        weight = whole(entry.weight)
        if weight is None:
            return None
        out.append((entry.arm, weight))
    return out


def reduced(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The ratio in lowest terms (2:2:2 is 1:1:1)."""
    divisor = 0
    for _arm, weight in pairs:
        divisor = gcd(divisor, weight)
    return [(arm, weight // divisor) for arm, weight in pairs] if divisor else pairs


def ratio_text(pairs: list[tuple[str, int]]) -> str:
    """`1:1:1`, in the order written."""
    return ":".join(str(weight) for _arm, weight in pairs)


def randomisation_quotient(pairs: list[tuple[str, int]], investigational: set[str]) -> Fraction:
    """SDTM RANDQT: the share of subjects randomised to the investigational arms."""
    total = sum(weight for _arm, weight in pairs)
    share = sum(weight for arm, weight in pairs if arm in investigational)
    return Fraction(share, total)


#: The stratum of a subject whose factor cannot be decided from the data (never a
#: default stratum: the subject is not randomised until the data are complete).
UNKNOWN_STRATUM = "unknown"


def strata_combinations(randomisation: m.Randomisation) -> list[tuple[tuple[str, str], ...]]:
    """Every combined stratum: one stratum of each factor, factors and strata in the
    order declared (one empty combination when the design is not stratified)."""
    combinations: list[tuple[tuple[str, str], ...]] = [()]
    for factor in randomisation.factors:
        combinations = [
            (*combination, (factor.name, stratum.name))
            for combination in combinations
            for stratum in factor.strata
        ]
    return combinations


def combined_stratum(levels: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """The name of a combined stratum: `severity=mild;region=eu` (`all` when unstratified)."""
    return ";".join(f"{factor}={stratum}" for factor, stratum in levels) or "all"


def decide_stratum(truths: list[tuple[str, bool | None]]) -> str:
    """A subject's stratum of one factor from its strata's rules (met, not met, unknown).

    Exactly one stratum met: that stratum.  Otherwise "unknown": data still
    needed, or (where `protocol check` could not prove the strata exclusive and
    exhaustive) no stratum or two.  Every engine decides with this function.
    """
    met = [name for name, truth in truths if truth is True]
    return met[0] if len(met) == 1 else UNKNOWN_STRATUM


def subject_stratum(levels: dict[str, str]) -> str:
    """The combined stratum of a subject: unknown when any factor is."""
    if any(stratum == UNKNOWN_STRATUM for stratum in levels.values()):
        return UNKNOWN_STRATUM
    return combined_stratum(list(levels.items()))


def stratum_column(factor: str, stratum: str) -> str:
    """The column of a stratum's rule in the screening query: a plain identifier, so that
    every SQL dialect reads it back as one column (the SQL back end refuses a criterion
    named like one)."""
    return f"stratum__{factor}__{stratum}"
