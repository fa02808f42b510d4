"""From a checked spec to what the list generators need: the ratio, the strata, the design.

Refusals are `RandomisationRefused` (a user error: the spec or the command line
asks for something this randomisation cannot give), never an internal error.
"""

from __future__ import annotations

from fractions import Fraction

from generators.randomisation.blocks import Design, Entry, stratum_list
from generators.randomisation.minimise import Minimisation
from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.errors import UserError
from protocol_dsl.spec import Spec


class RandomisationRefused(UserError):
    """The spec has no randomisation this command can use, or the options do not fit it."""


def randomisation_of(spec: Spec) -> m.Randomisation:
    randomisation = spec.randomisation
    if randomisation is None:
        raise RandomisationRefused(
            "the spec declares no randomisation: add a `randomisation { ratio …  method … }` block"
        )
    if randomisation.method is None or not randomisation.ratio:
        raise RandomisationRefused("the randomisation needs a ratio and a method (E1014)")
    return randomisation


def ratio_of(randomisation: m.Randomisation) -> tuple[tuple[str, int], ...]:
    weights = allocation.weights(randomisation)
    if not weights:
        raise RandomisationRefused("the ratio's weights must be positive whole numbers (E1002)")
    return tuple(weights)


def design_of(randomisation: m.Randomisation) -> Design:
    method = randomisation.method
    assert method is not None  # randomisation_of refused it
    if method.kind == "minimisation":
        raise RandomisationRefused(
            "the method is minimisation: allocate subjects in order with "
            "`--minimise SUBJECTS.jsonl` (a minimisation has no list made in advance)"
        )
    sizes = tuple(allocation.whole(size) or 0 for size in method.block_sizes)
    return Design(ratio_of(randomisation), method.kind, sizes)


def minimisation_of(randomisation: m.Randomisation) -> Minimisation:
    method = randomisation.method
    assert method is not None
    if method.kind != "minimisation":
        raise RandomisationRefused(
            f"--minimise needs `method minimisation …`; the spec's method is {method.kind}"
        )
    probability = Fraction(str(method.probability)) if method.probability is not None else 1
    return Minimisation(
        ratio_of(randomisation),
        method.factors,
        Fraction(probability),
        method.measure or allocation.DEFAULT_MEASURE,
    )


def allocation_list(
    randomisation: m.Randomisation, per_stratum: int, seed: int | str
) -> list[Entry]:
    """The whole list: each combined stratum's list in turn, strata in declared order."""
    design = design_of(randomisation)
    entries: list[Entry] = []
    for levels in allocation.strata_combinations(randomisation):
        label = allocation.combined_stratum(levels)
        entries += stratum_list(design, levels, per_stratum, seed, label)
    return entries
