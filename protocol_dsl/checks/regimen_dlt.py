"""The DLT window against the regimen a dose finding gives its levels.

E0723 a DLT window that ends part-way through the interval after a dose it
      covers, other than the first: that dose is observed for fewer days than
      the others (a 28-day window over doses every 21 days sees 7 days of the
      second dose);
E0724 a `dlt_window cycle N` with no cycle to measure: no regimen, a regimen
      with neither cycles nor a repeat, or fewer cycles than N.

A window shorter than the first dosing interval observes the first dose
only: common, and accepted.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.schedule import regimens as plan
from protocol_dsl.spec import Spec

from .study_days import dlt_anchor_day, dlt_window_end, dlt_window_words, ordinal


def check(spec: Spec) -> Iterator[Diagnostic]:
    for dose_finding in spec.dose_findings:
        yield from _dlt_window(spec, dose_finding)


# ---------------------------------------------------------------- E0723/E0724 DLT window


def _dlt_window(spec: Spec, dose_finding: m.DoseFinding) -> Iterator[Diagnostic]:
    window = dose_finding.dlt_window
    if window is None:
        return
    regimen = spec.regimens.get(dose_finding.regimen) if dose_finding.regimen else None
    if window.cycle is not None:
        problem = _cycle_problem(spec, dose_finding, regimen, window.cycle)
        if problem is not None:
            yield Diagnostic(
                "E0724",
                "error",
                f"the DLT window is cycle {window.cycle}, but {problem}",
                window.span,
                help="apply a regimen dosed in cycles or repeated `then every …` "
                "(`regimen NAME` in the dose_finding block), or give the window's length: "
                "`dlt_window 28 days from first_dose`",
            )
            return
    if regimen is None or regimen.days is None:
        return
    start, end = dlt_anchor_day(spec, dose_finding), dlt_window_end(spec, dose_finding)
    if start is None or end is None:
        return
    planned = plan.planned_administrations(spec, regimen)
    for dose, after in itertools.pairwise(planned):
        if dose.day <= start or dose.day >= end:
            continue
        observed = ordinal(end) - ordinal(dose.day)
        interval = ordinal(after.day) - ordinal(dose.day)
        if observed < interval:
            yield Diagnostic(
                "E0723",
                "error",
                f"the DLT window ({dlt_window_words(window)}, from day {start}) covers the "
                f"dose of day {dose.day} for {observed} days only: the next dose is "
                f"{interval} days later, and the window ends before it",
                window.span,
                help="end the DLT window before that dose or where the next dose is given "
                "(whole cycles: `dlt_window cycle 1`)",
            )
            return


def _cycle_problem(
    spec: Spec, dose_finding: m.DoseFinding, regimen: m.Regimen | None, cycle: int
) -> str | None:
    if dose_finding.regimen is None:
        return "the dose finding applies no regimen to its levels"
    if regimen is None or regimen.days is None:
        return None  # reported by the names check or E0713
    length, _start = plan.cycle_length(spec, regimen)
    if length is None:
        return f"the regimen '{regimen.name}' has neither cycles nor a repeat interval"
    if cycle < 1:
        return "cycles count from 1"
    days = regimen.days
    if days.cycle is not None:
        shape = plan.cycle_shape(spec, days.cycle)
        if shape is not None and shape.count is not None and cycle > shape.count:
            return f"the regimen gives {shape.count} cycles"
    planned = plan.planned_administrations(spec, regimen)
    if planned and days.cycle is None:
        last = ordinal(planned[-1].day) - ordinal(planned[0].day)
        if (cycle - 1) * length > last:
            return f"the regimen's doses end in cycle {last // length + 1}"
    return None
