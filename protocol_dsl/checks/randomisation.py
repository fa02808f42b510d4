"""Randomised designs: the `randomisation` and `masking` blocks against the rest of the spec.

E1001 a ratio entry naming no declared arm (with "did you mean");
E1002 a ratio weight that is not a positive whole number;
E1003 a block size that is not a positive multiple of the ratio's sum (a block
      must hold every arm in its ratio, or the list drifts from the ratio);
E1004 a minimisation factor that is not a declared stratification factor;
E1005 a minimisation probability outside [1/arms, 1] (below it, minimisation
      would favour the arm that increases imbalance);
E1006 an imbalance measure other than range or variance;
E1009 a trial header `masking` level that is not the level the blinded roles
      make (ClinicalTrials.gov counts the roles: two roles is double);
E1010 a masking role that is not one of the known roles;
E1011 a randomisation in a trial whose header says it is not randomised;
E1012 a second `randomisation` or `masking` block;
E1013 an arm named twice in the ratio, a factor or a stratum declared twice;
E1014 a randomisation without a ratio or without a method;
E1008 (also) a stratification factor without strata.

E1007 (overlapping strata) and E1008 (strata that leave subjects out) come from
the solver (`protocol_dsl.solver.strata`), imported only when a factor has strata.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label, did_you_mean
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    yield from _twice(spec)
    randomisation = spec.randomisation
    if randomisation is not None:
        yield from _ratio(spec, randomisation)
        yield from _method(randomisation)
        yield from _factors(randomisation)
        yield from _allocation_header(spec, randomisation)
        if any(factor.strata for factor in randomisation.factors):
            from protocol_dsl.solver import strata

            yield from strata.check(spec, randomisation)
    masking = spec.masking
    if masking is not None:
        yield from _masking(spec, masking)


def _twice(spec: Spec) -> Iterator[Diagnostic]:
    for blocks, word in ((spec.randomisations, "randomisation"), (spec.maskings, "masking")):
        for block in blocks[1:]:
            yield Diagnostic(
                "E1012",
                "error",
                f"a second `{word}` block: a trial has one",
                block.span,
                labels=(Label(blocks[0].span, f"the first `{word}` block"),),
                help=f"merge the two `{word}` blocks into one",
            )


def _ratio(spec: Spec, randomisation: m.Randomisation) -> Iterator[Diagnostic]:
    seen: dict[str, m.RatioEntry] = {}
    for entry in randomisation.ratio:
        if entry.arm in seen:
            yield Diagnostic(
                "E1013",
                "error",
                f"the arm '{entry.arm}' is given twice in the allocation ratio",
                entry.span,
                labels=(Label(seen[entry.arm].span, "first given here"),),
                help="give each arm its weight once",
            )
        seen.setdefault(entry.arm, entry)
        if entry.arm not in spec.arms:
            yield Diagnostic(
                "E1001",
                "error",
                f"the allocation ratio names '{entry.arm}', which is not a declared arm",
                entry.span,
                help='name an arm declared with `arm NAME "label" …`, or declare it',
                suggestion=did_you_mean(entry.arm, spec.arms),
            )
        if allocation.whole(entry.weight) is None:
            yield Diagnostic(
                "E1002",
                "error",
                f"the weight of '{entry.arm}' in the allocation ratio is "
                f"{m.format_decimal(entry.weight)}, not a positive whole number",
                entry.span,
                help="write the ratio in whole numbers: 2:1 as `ratio active 2, placebo 1`",
            )
    if not randomisation.ratio or randomisation.method is None:
        missing = "a ratio" if not randomisation.ratio else "a method"
        example = (
            "`ratio placebo 1, active 1`"
            if not randomisation.ratio
            else "`method permuted_blocks block_sizes 4, 6`"
        )
        yield Diagnostic(
            "E1014",
            "error",
            f"the randomisation has no {missing[2:]}",
            randomisation.span,
            help=f"add {missing}, e.g. {example}",
        )


def _method(randomisation: m.Randomisation) -> Iterator[Diagnostic]:
    method = randomisation.method
    if method is None:
        return
    weights = allocation.weights(randomisation)
    if method.kind == "permuted_blocks" and weights:
        total = sum(weight for _arm, weight in weights)
        for size in method.block_sizes:
            whole = allocation.whole(size)
            if whole is None or whole % total:
                yield Diagnostic(
                    "E1003",
                    "error",
                    f"the block size {m.format_decimal(size)} is not a multiple of "
                    f"{total}, the sum of the ratio {allocation.ratio_text(weights)}",
                    method.span,
                    help=f"use block sizes that are multiples of {total} "
                    f"(e.g. {total} and {2 * total}), so that each block keeps the ratio",
                )
    if method.kind != "minimisation":
        return
    for name in method.factors:
        if randomisation.factor(name) is None:
            known = [f.name for f in randomisation.factors]
            yield Diagnostic(
                "E1004",
                "error",
                f"minimisation over '{name}', which is not a stratification factor",
                method.span,
                help='declare it with `stratify_by NAME "label" { … }` in the randomisation',
                suggestion=did_you_mean(name, known),
            )
    arms = max(len(randomisation.ratio), 2)
    probability = method.probability
    if probability is not None and not Decimal(1) / arms <= probability <= 1:
        yield Diagnostic(
            "E1005",
            "error",
            f"the minimisation probability {m.format_decimal(probability)} is outside "
            f"1/{arms} .. 1",
            method.span,
            help="the probability of the arm that minimises imbalance: 1 is deterministic, "
            "0.8 is common; below 1/arms minimisation would favour imbalance",
        )
    if method.measure is not None and method.measure not in allocation.MEASURES:
        yield Diagnostic(
            "E1006",
            "error",
            f"unknown imbalance measure '{method.measure}'",
            method.span,
            help="use `measure range` (the default) or `measure variance`",
            suggestion=did_you_mean(method.measure, allocation.MEASURES),
        )


def _factors(randomisation: m.Randomisation) -> Iterator[Diagnostic]:
    factors: dict[str, m.StratificationFactor] = {}
    for factor in randomisation.factors:
        first = factors.setdefault(factor.name, factor)
        if first is not factor:
            yield Diagnostic(
                "E1013",
                "error",
                f"the stratification factor '{factor.name}' is declared twice",
                factor.span,
                labels=(Label(first.span, "first declared here"),),
                help="give each factor one `stratify_by` block",
            )
        if not factor.strata:
            yield Diagnostic(
                "E1008",
                "error",
                f"the stratification factor '{factor.name}' has no strata: every subject "
                "would be left out",
                factor.span,
                help='give it a stratum per level: `NAME "label" = rule`, one per line',
            )
        strata: dict[str, m.Stratum] = {}
        for stratum in factor.strata:
            earlier = strata.setdefault(stratum.name, stratum)
            if earlier is not stratum:
                yield Diagnostic(
                    "E1013",
                    "error",
                    f"the stratum '{stratum.name}' of '{factor.name}' is declared twice",
                    stratum.span,
                    labels=(Label(earlier.span, "first declared here"),),
                    help="give each stratum of a factor its own name",
                )


def _allocation_header(spec: Spec, randomisation: m.Randomisation) -> Iterator[Diagnostic]:
    field = spec.trial_field("allocation")
    if field is None or not field.values or field.values[0].value == "randomized":
        return
    yield Diagnostic(
        "E1011",
        "error",
        f"the trial header says allocation {field.values[0].value}, but the spec "
        "declares a randomisation",
        field.span,
        labels=(Label(randomisation.span, "the randomisation"),),
        help="write `allocation randomized` in the trial header, or remove the randomisation",
    )


def _masking(spec: Spec, masking: m.Masking) -> Iterator[Diagnostic]:
    for line in masking.blinded:
        for role in line.roles:
            if role not in allocation.ROLES:
                yield Diagnostic(
                    "E1010",
                    "error",
                    f"unknown masking role '{role}'",
                    line.span,
                    help="blind any of: " + ", ".join(allocation.ROLES),
                    suggestion=did_you_mean(role, allocation.ROLES),
                )
    field = spec.trial_field("masking")
    if field is None or not field.values:
        return
    header = str(field.values[0].value)
    level = allocation.masking_level(masking)
    if header in allocation.LEVELS and header != level:
        counted = [r for r in masking.roles if allocation.ROLES.get(r, _NO_ROLE).ctgov]
        yield Diagnostic(
            "E1009",
            "error",
            f"the trial header says masking {header}, but the masking block blinds "
            f"{len(counted)} of the registry's roles ({', '.join(counted) or 'none'}), "
            f"which is {level}",
            field.span,
            labels=(Label(masking.span, "the roles blinded"),),
            notes=(
                "ClinicalTrials.gov counts participant, care_provider, investigator and "
                "outcome_assessor: one is single, two double, three triple, four quadruple",
            ),
            help=f"write `masking {level}` in the trial header (or leave it out: the "
            "level follows from the roles), or blind the roles the level means",
        )


_NO_ROLE = allocation.Role("", None)
