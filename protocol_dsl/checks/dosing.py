"""Dosing and escalation: dose levels, step-up schedules, design parameters, sample size.

E0701 dose levels that do not increase strictly (compared after unit conversion);
E0702 a step dose that is not below the level's target, or a last step that is
      not the target (100 %, or the level's dose);
E0703 step doses not in increasing order of day and amount;
E0704 a step-up schedule that does not fit the DLT window's anchor rule: the
      schedule must start on the day of the first dose; a window anchored on the
      first dose (or first step) must still be open when the target dose is given;
      a window anchored on a step (first_step_dose, target_dose) needs a step-up
      schedule;
E0705 an escalation design parameter that cannot work (target rate outside
      (0, 0.5), cohort size or number of cohorts below 1, a per-dose cap below the
      cohort size, …);
E0706 an unknown escalation design or design parameter;
E0707 the design's maximum sample size disagrees with the trial's enrolment;
E0708 a simulation scenario without exactly one DLT rate per dose level;
E0709 a scenario's DLT rate that is not a probability (outside 0 .. 1).

The designs, their parameters and the spellings a spec may use (`cohort` for
`cohort_size`, `deescalation` for `allow_deescalation`, …) come from the one
table in `protocol_dsl.designs`, which the escalation engine reads too.  The
engine's numerical rules are restated here because the engine loads numpy and
`protocol check` must start fast.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal

from protocol_dsl import designs
from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics import units
from protocol_dsl.semantics.types import quantity_unit, units_comparable
from protocol_dsl.spec import Spec

from .study_days import (
    dlt_anchor_day,
    dlt_window_days,
    dlt_window_words,
    first_dose_day,
    shift,
    target_step,
)


def check(spec: Spec) -> Iterator[Diagnostic]:
    designs_ok = True
    for dose_finding in spec.dose_findings:
        yield from _levels(dose_finding)
        for step_up in dose_finding.step_ups:
            yield from _steps(dose_finding, step_up)
        yield from _anchor_rule(spec, dose_finding)
        yield from _scenarios(dose_finding)
        if dose_finding.design is not None:
            problems = list(_design(dose_finding, dose_finding.design))
            designs_ok = designs_ok and not problems
            yield from problems
    if designs_ok:
        yield from _sample_size(spec)


def _unit(quantity: m.Quantity) -> str | None:
    try:
        return quantity_unit(quantity.unit)
    except units.UnitError:
        return None  # reported by the unit check


# ---------------------------------------------------------------- E0701 levels


def _levels(dose_finding: m.DoseFinding) -> Iterator[Diagnostic]:
    previous: tuple[m.DoseLevel, str] | None = None
    for level in dose_finding.levels:
        unit = _unit(level.dose)
        if unit is None:
            continue
        if previous is not None and units_comparable(previous[1], unit):
            before, before_unit = previous
            in_unit = units.convert(float(before.dose.value), before_unit, unit)
            if in_unit >= float(level.dose.value):
                same = (
                    f", that is {_number(in_unit)} {level.dose.unit}" if before_unit != unit else ""
                )
                yield Diagnostic(
                    "E0701",
                    "error",
                    f"dose level {level.name} ({level.dose}) is not higher than the level "
                    f"before it, {before.name} ({before.dose}{same})",
                    level.span,
                    (Label(before.span, f"{before.name} is {before.dose}"),),
                    help="list dose levels from the lowest dose to the highest, each strictly "
                    "higher than the one before",
                )
        previous = (level, unit)


def _number(value: float) -> str:
    return m.format_decimal(Decimal(repr(value)))


# ---------------------------------------------------------------- E0702/E0703 step-up


def _steps(dose_finding: m.DoseFinding, step_up: m.StepUp) -> Iterator[Diagnostic]:
    steps = step_up.steps
    for before, after in itertools.pairwise(steps):
        if after.day <= before.day:
            yield Diagnostic(
                "E0703",
                "error",
                f"the step on day {after.day} comes after the step on day {before.day}: "
                "steps are given on increasing days",
                after.span,
                (Label(before.span, f"step on day {before.day}"),),
                help="list the steps in the order they are given",
            )
    for name in step_up.levels:
        level = dose_finding.level(name)
        if level is not None:
            yield from _steps_of_level(step_up, level)


def _amount(step: m.StepDose, level: m.DoseLevel) -> float | None:
    """The step's dose as a percentage of the level's target dose."""
    if step.amount.unit == "%":
        return float(step.amount.value)
    step_unit, level_unit = _unit(step.amount), _unit(level.dose)
    if step_unit is None or level_unit is None or not units_comparable(step_unit, level_unit):
        return None  # reported by the unit check (E0305)
    if level.dose.value == 0:
        return None
    return (
        100.0
        * units.convert(float(step.amount.value), step_unit, level_unit)
        / float(level.dose.value)
    )


def _off_target(step: m.StepDose, level: m.DoseLevel, message: str, help: str) -> Diagnostic:
    """E0702 on a step: an earlier step reaches the level's target dose, or the last misses it."""
    return Diagnostic(
        "E0702",
        "error",
        message,
        step.span,
        (Label(level.span, f"the target dose of {level.name}"),),
        help=help,
    )


def _steps_of_level(step_up: m.StepUp, level: m.DoseLevel) -> Iterator[Diagnostic]:
    steps = step_up.steps
    percents = [_amount(step, level) for step in steps]
    for index, (step, percent) in enumerate(zip(steps, percents, strict=True)):
        if percent is None:
            continue
        last = index == len(steps) - 1
        if not last and percent >= 100:
            yield _off_target(
                step,
                level,
                f"the step on day {step.day} gives {step.amount}, not less than the target "
                f"dose of {level.name} ({level.dose}); only the last step reaches the target",
                "step doses lead up to the target: below 100 % of it, the last one at 100 %",
            )
        elif last and abs(percent - 100) > 1e-9:
            yield _off_target(
                step,
                level,
                f"the last step, on day {step.day}, gives {step.amount}, not the target dose of "
                f"{level.name} ({level.dose})",
                "end the step-up schedule with the target dose (100 %)",
            )
    for index in range(1, len(steps)):
        before, after = percents[index - 1], percents[index]
        if before is not None and after is not None and after <= before:
            yield Diagnostic(
                "E0703",
                "error",
                f"the step on day {steps[index].day} ({steps[index].amount}) is not higher than "
                f"the step before it ({steps[index - 1].amount}) for {level.name}",
                steps[index].span,
                (Label(steps[index - 1].span, "the step before"),),
                help="each step of a step-up schedule gives a higher dose than the one before",
            )


# ---------------------------------------------------------------- E0704 anchor rule


def _anchor_rule(spec: Spec, dose_finding: m.DoseFinding) -> Iterator[Diagnostic]:
    window = dose_finding.dlt_window
    first = first_dose_day(spec)
    for step_up in dose_finding.step_ups:
        # a first dose on day 0 is E0601's (there is no day 0): naming it here as the day
        # to give the first step on would contradict that help
        if step_up.steps and first != 0 and step_up.steps[0].day != first:
            yield Diagnostic(
                "E0704",
                "error",
                f"the step-up schedule starts on day {step_up.steps[0].day}, but the first dose "
                f"is given on day {first}",
                step_up.steps[0].span,
                help=f"the first step is the first dose: give it on day {first}",
            )
    if window is None:
        return
    if window.anchor in ("first_step_dose", "target_dose") and not dose_finding.step_ups:
        yield Diagnostic(
            "E0704",
            "error",
            f"the DLT window starts from {window.anchor}, but no dose level has a step-up schedule",
            window.span,
            help="start the DLT window from first_dose, or add a `step_up at LEVEL { … }` schedule",
        )
        return
    if window.anchor not in ("first_dose", "first_step_dose"):
        return
    start = dlt_anchor_day(spec, dose_finding)
    days = dlt_window_days(spec, dose_finding)
    if start is None or days is None:
        return
    end = shift(start, days)
    for step_up in dose_finding.step_ups:
        target = target_step(step_up)
        if target is None or target.day <= end:
            continue  # the window includes its last day
        yield Diagnostic(
            "E0704",
            "error",
            f"the DLT window ({dlt_window_words(window)}, day {start}) ends on "
            f"day {end}, but the target dose of {', '.join(step_up.levels)} is given on day "
            f"{target.day}: the target dose is never observed for DLTs",
            window.span,
            (Label(target.span, "the target dose"),),
            help="anchor the DLT window on target_dose, or lengthen it beyond the step-up schedule",
        )


# ---------------------------------------------------------------- E0705/E0706 design


#: The checks read the one table of designs; these are the views they use.
_WHOLE = tuple(p.name for p in designs.all_parameters() if p.whole)
_WORDS = {p.name: p.words for p in designs.all_parameters() if p.words}


def design_name(kind: str) -> str | None:
    """The design a spec's `design KIND` names (3+3, BOIN, mTPI-2, CRM), None if unknown."""
    design = designs.design_for(kind)
    return design.name if design is not None else None


class _Parameters:
    """A design's parameters by canonical name, each with the field it was written in."""

    def __init__(self) -> None:
        self.fields: dict[str, m.Field] = {}
        self.values: dict[str, float | str | tuple[float, ...]] = {}

    def number(self, key: str) -> float | None:
        value = self.values.get(key)
        return value if isinstance(value, float) else None

    def invalid(self, key: str, message: str, help: str | None = None) -> Diagnostic:
        return Diagnostic("E0705", "error", message, self.fields[key].span, help=help)


def _design(dose_finding: m.DoseFinding, design: m.EscalationDesign) -> Iterator[Diagnostic]:
    table = designs.design_for(design.kind)
    if table is None:
        yield Diagnostic(
            "E0706",
            "error",
            f"'{design.kind}' is not an escalation design",
            design.span,
            suggestion=_close(design.kind.lower(), list(designs.KINDS)),
            help="the designs are three_plus_three (3+3), boin, mtpi2 and crm",
        )
        return
    name = table.name
    allowed = table.parameter_names
    parameters = _Parameters()
    for f in design.parameters:
        key = designs.canonical_parameter(f.key)
        if key not in allowed:
            yield Diagnostic(
                "E0706",
                "error",
                f"{name} has no parameter '{f.key}'",
                f.span,
                suggestion=_close(f.key, allowed),
                help=f"the parameters of {name} are: {', '.join(sorted(allowed))}",
            )
            continue
        value = _parameter_value(f)
        if value is None:
            yield Diagnostic("E0705", "error", f"{f.key} takes {_expected(key)}", f.span)
            continue
        parameters.fields[key] = f
        parameters.values[key] = value
    for key in table.required:
        if key not in parameters.values:
            yield Diagnostic(
                "E0705",
                "error",
                f"the {name} design needs a {key}",
                design.span,
                help=_PARAMETER_HELP.get(key),
            )
    yield from _values(dose_finding, parameters)


def _close(word: str, candidates: Iterable[str]) -> str | None:
    import difflib  # only a misspelt word needs it: not paid by a clean check

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _parameter_value(f: m.Field) -> float | str | tuple[float, ...] | None:
    if f.key == "skeleton" or len(f.values) > 1:
        numbers = [v.value for v in f.values if v.kind == "number"]
        if len(numbers) != len(f.values):
            return None
        return tuple(float(n) for n in numbers)  # type: ignore[arg-type]
    value = f.value
    if value.kind == "number":
        return float(value.value)  # type: ignore[arg-type]
    if value.kind == "name":
        return str(value.value)
    return None


def _expected(key: str) -> str:
    if key == "skeleton":
        return "a list of numbers (one prior DLT rate per dose level)"
    if key in _WORDS:
        return " or ".join(_WORDS[key])
    return "a number"


_PARAMETER_HELP = {
    "target": "target is the acceptable DLT rate, e.g. `target 0.30`",
    "skeleton": "skeleton gives one prior DLT-rate guess per dose level, increasing",
}


def _values(dose_finding: m.DoseFinding, p: _Parameters) -> Iterator[Diagnostic]:
    for key in _WHOLE:
        value = p.number(key)
        if value is not None and not value.is_integer():
            yield p.invalid(key, f"{key} must be a whole number; got {_number(value)}")
            return
    for key, choices in _WORDS.items():
        word = p.values.get(key)
        if word is not None and word not in choices:
            yield p.invalid(key, f"{key} is {' or '.join(choices)}; got {word}")
    yield from _deescalation(p)
    target = p.number("target")
    if target is not None and not 0 < target < 0.5:
        yield p.invalid(
            "target",
            "target is the acceptable DLT rate and must lie strictly between 0 and 0.5; "
            f"got {_number(target)}",
            help="phase 1 targets are usually between 0.2 and 0.35",
        )
        target = None
    size = p.number("cohort_size")
    for key, what in (("cohort_size", "patients per cohort"), ("n_cohorts", "number of cohorts")):
        value = p.number(key)
        if value is not None and value < 1:
            yield p.invalid(key, f"{key} ({what}) must be at least 1; got {_number(value)}")
            if key == "cohort_size":
                size = None
    yield from _caps(p, size if size is not None else float(designs.DEFAULT_COHORT_SIZE))
    if target is not None:
        yield from _around_target(p, target)
    skeleton = p.values.get("skeleton")
    if isinstance(skeleton, tuple):
        yield from _skeleton(dose_finding, p, skeleton)


def _deescalation(p: _Parameters) -> Iterator[Diagnostic]:
    # The engine refuses this pair: under the 'previous' rule (the default) a
    # 3+3 trial stops at the first toxic level, so there is nothing to de-escalate.
    if p.values.get("allow_deescalation") == "yes" and p.values.get("mtd_rule") in (
        None,
        "previous",
    ):
        written = p.fields["allow_deescalation"].key
        yield p.invalid(
            "allow_deescalation",
            f"{written} needs mtd_rule expand: with the previous rule the trial stops at the "
            "first level with 2 or more DLTs and treats nobody below it",
            help="add `mtd_rule expand`, or remove the de-escalation",
        )


def _caps(p: _Parameters, size: float) -> Iterator[Diagnostic]:
    cap = p.number("max_per_dose")
    if cap is not None and cap < size:
        yield p.invalid(
            "max_per_dose",
            f"max_per_dose ({_number(cap)}) must be at least the cohort size ({_number(size)})",
            help="max_per_dose stops the trial once a level has that many patients and the "
            "decision is to stay",
        )
    start = p.number("start_level")
    if start is not None and start < 0:
        yield p.invalid("start_level", f"start_level must be 0 or more; got {_number(start)}")
    cutoff = p.number("elimination_cutoff")
    if cutoff is not None and not 0.5 <= cutoff < 1:
        yield p.invalid(
            "elimination_cutoff",
            f"elimination_cutoff must be in [0.5, 1), usually 0.95; got {_number(cutoff)}",
        )
    total = p.number("max_sample_size")
    if total is None:
        return
    if total < size or total % size:
        yield p.invalid(
            "max_sample_size",
            f"max_sample_size {_number(total)} must be a whole number of cohorts of "
            f"{_number(size)}",
        )
        return
    cohorts = p.number("n_cohorts")
    if cohorts is not None and cohorts * size != total:
        yield p.invalid(
            "max_sample_size",
            f"max_sample_size {_number(total)} disagrees with {_number(cohorts)} cohorts of "
            f"{_number(size)} ({_number(cohorts * size)}); give one of them",
        )


def _around_target(p: _Parameters, target: float) -> Iterator[Diagnostic]:
    """BOIN's phi1/phi2 and mTPI-2's eps1/eps2 lie on either side of the target."""
    phi1, phi2 = p.number("phi1"), p.number("phi2")
    if phi1 is not None and not 0 < phi1 < target:
        yield p.invalid(
            "phi1",
            f"phi1 (the highest DLT rate that is clearly too low) must lie between 0 and the "
            f"target {_number(target)}; got {_number(phi1)}",
        )
    if phi2 is not None and not target < phi2 < 1:
        yield p.invalid(
            "phi2",
            f"phi2 (the lowest DLT rate that is clearly too high) must lie between the target "
            f"{_number(target)} and 1; got {_number(phi2)}",
        )
    eps1, eps2 = p.number("eps1"), p.number("eps2")
    if eps1 is not None and not 0 < eps1 < target:
        yield p.invalid(
            "eps1", f"eps1 must lie between 0 and the target {_number(target)}; got {_number(eps1)}"
        )
    if eps2 is not None and not 0 < eps2 < 1 - target:
        yield p.invalid(
            "eps2", f"eps2 must lie between 0 and {_number(1 - target)}; got {_number(eps2)}"
        )
    prior_sd = p.number("prior_sd")
    if prior_sd is not None and prior_sd <= 0:
        yield p.invalid("prior_sd", f"prior_sd must be positive; got {_number(prior_sd)}")


def _skeleton(
    dose_finding: m.DoseFinding, p: _Parameters, skeleton: tuple[float, ...]
) -> Iterator[Diagnostic]:
    if any(not 0 < s < 1 for s in skeleton):
        yield p.invalid(
            "skeleton", "every skeleton value is a prior DLT rate and must lie between 0 and 1"
        )
    elif any(b <= a for a, b in itertools.pairwise(skeleton)):
        yield p.invalid(
            "skeleton", "skeleton values must increase from the lowest dose level to the highest"
        )
    elif dose_finding.levels and len(skeleton) != len(dose_finding.levels):
        yield p.invalid(
            "skeleton",
            f"the skeleton has {len(skeleton)} values for {len(dose_finding.levels)} dose levels",
            help="give one prior DLT rate per dose level",
        )


# ---------------------------------------------------------------- E0707 sample size


def _count_field(f: m.Field | None) -> int | None:
    if f is None or f.value.kind != "number":
        return None
    value = f.value.value
    assert isinstance(value, Decimal)
    return int(value) if value == int(value) else None


def _design_number(design: m.EscalationDesign, *keys: str) -> int | None:
    for f in design.parameters:
        if designs.canonical_parameter(f.key) in keys:
            return _count_field(f)
    return None


def maximum_sample_size(dose_finding: m.DoseFinding) -> tuple[int, str] | None:
    """The most subjects the design can enrol, and the arithmetic behind it."""
    design = dose_finding.design
    if design is None:
        return None
    name = design_name(design.kind)
    if name is None:
        return None
    parts: list[tuple[int, str]] = []
    if name == "3+3":
        levels = len(dose_finding.levels)
        if not levels:
            return None
        parts.append((6 * levels, f"{levels} dose levels × 6 (3+3)"))
    else:
        cap = _count_field(dose_finding.field("max_sample_size"))
        if cap is None:
            cap = _design_number(design, "max_sample_size")
        if cap is not None:
            parts.append((cap, f"max_sample_size {cap}"))
        else:
            size = _design_number(design, "cohort_size")
            cohorts = _design_number(design, "n_cohorts")
            size_text = (
                f"{size}" if size is not None else f"{designs.DEFAULT_COHORT_SIZE} (default)"
            )
            cohorts_text = (
                f"{cohorts} cohorts"
                if cohorts is not None
                else f"{designs.DEFAULT_COHORTS} cohorts (default)"
            )
            size = size if size is not None else designs.DEFAULT_COHORT_SIZE
            cohorts = cohorts if cohorts is not None else designs.DEFAULT_COHORTS
            parts.append((cohorts * size, f"{cohorts_text} × {size_text}"))
    for key in ("expansion", "backfill"):
        value = _count_field(dose_finding.field(key))
        if value is not None:
            parts.append((value, f"{value} {key}"))
    total = sum(n for n, _ in parts)
    arithmetic = " + ".join(text for _, text in parts)
    return total, arithmetic


def _sample_size(spec: Spec) -> Iterator[Diagnostic]:
    enrolment_field = spec.trial_field("enrolment")
    enrolment = _count_field(enrolment_field)
    if enrolment is None or enrolment_field is None or not spec.dose_findings:
        return
    found = [maximum_sample_size(d) for d in spec.dose_findings]
    if any(f is None for f in found):
        return  # a dose finding without a design says nothing about sample size
    sizes = [f for f in found if f is not None]
    total = sum(n for n, _ in sizes)
    if total == enrolment:
        return
    if len(sizes) == 1:
        arithmetic = sizes[0][1]
    else:
        arithmetic = " + ".join(
            f"{d.intervention}: ({text})"
            for d, (_n, text) in zip(spec.dose_findings, sizes, strict=True)
        )
    first = spec.dose_findings[0]
    span = first.design.span if first.design is not None else first.span
    relation = "more" if total > enrolment else "fewer"
    yield Diagnostic(
        "E0707",
        "error",
        f"the planned enrolment is {enrolment}, but the design enrols at most {total} "
        f"({arithmetic} = {total}), {relation} than planned",
        enrolment_field.span,
        (Label(span, f"the design: at most {total} subjects"),),
        help=f"set `enrolment {total}`, or change the design's cohorts, expansion or backfill "
        "so that they add up to the enrolment",
    )


# ---------------------------------------------------------------- E0708/E0709 scenarios


def _scenarios(dose_finding: m.DoseFinding) -> Iterator[Diagnostic]:
    """A simulation scenario gives one true DLT probability per dose level."""
    levels = len(dose_finding.levels)
    for scenario in dose_finding.scenarios:
        if levels and len(scenario.rates) != levels:
            fewer = len(scenario.rates) < levels
            yield Diagnostic(
                "E0708",
                "error",
                f"scenario {scenario.name} gives {len(scenario.rates)} DLT rate"
                f"{'s' if len(scenario.rates) != 1 else ''} for {levels} dose levels",
                scenario.span,
                labels=tuple(
                    Label(level.span, "this level has no rate in the scenario")
                    for level in dose_finding.levels[len(scenario.rates) :]
                ),
                notes=(
                    "the rates are the true DLT probabilities of the levels, in the order "
                    "the levels are declared: "
                    + ", ".join(level.name for level in dose_finding.levels),
                ),
                help=(
                    "add a rate for each level that has none"
                    if fewer
                    else "remove the rates that belong to no dose level, or declare the level"
                ),
            )
        for rate in scenario.rates:
            if not Decimal(0) <= rate <= Decimal(1):
                yield Diagnostic(
                    "E0709",
                    "error",
                    f"scenario {scenario.name} has the DLT rate {rate}, which is not a "
                    "probability (between 0 and 1)",
                    scenario.span,
                    help="write each rate as a probability: 0.25, not 25",
                )
