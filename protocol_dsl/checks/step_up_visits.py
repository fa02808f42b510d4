"""Step-up doses against the schedule: every step is given and recorded at a visit.

E0620 a step of a step-up schedule on a study day no scheduled visit falls on
      (nobody is planned to give the dose, nor to watch the subject after it);
E0621 a step given at a visit where the exposure form is not collected (the
      dose is given but nothing records it).

A step-up schedule's days are study days of the dose finding, as a regimen's
dosing days are: the same rules as E0716/E0717 hold for them.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.schedule.exposure import exposure_form
from protocol_dsl.schedule.regimens import visit_hosts
from protocol_dsl.spec import Spec


def check(spec: Spec) -> Iterator[Diagnostic]:
    if not any(v.day is not None for v in spec.visits.values()):
        return  # a spec without a schedule: nothing to host doses
    if any(v.day == 0 for v in spec.visits.values()):
        # a schedule counting from day 0 is E0601's: its days move by one once fixed,
        # and a step matched against them now would be a second message for one mistake
        return
    host = visit_hosts(spec)
    exposure = exposure_form(spec)
    for dose_finding in spec.dose_findings:
        for step_up in dose_finding.step_ups:
            for step in step_up.steps:
                visit = host(step.day)
                if visit is None:
                    yield _no_visit(spec, step_up, step)
                elif (
                    exposure is not None
                    and exposure.use.visits
                    and visit.name not in exposure.use.visits
                ):
                    yield Diagnostic(
                        "E0621",
                        "error",
                        f"the step-up dose of {step.amount} on day {step.day} is given at "
                        f"{visit.name}, where the exposure form '{exposure.use.key}' is not "
                        "collected: nothing records the dose",
                        step.span,
                        (
                            Label(visit.span, f"the visit on day {step.day}"),
                            Label(exposure.use.form.span, "the exposure form"),
                        ),
                        help=f"collect the exposure form at {visit.name}, or correct the step's day",
                    )


def _no_visit(spec: Spec, step_up: m.StepUp, step: m.StepDose) -> Diagnostic:
    days = sorted(
        (v for v in spec.visits.values() if v.day is not None and v.condition is None),
        key=lambda v: abs(step.day - (v.day or 0)),
    )
    near = days[0] if days else None
    labels = (Label(near.span, f"the nearest visit, day {near.day}"),) if near else ()
    levels = ", ".join(step_up.levels)
    return Diagnostic(
        "E0620",
        "error",
        f"the step-up dose of {step.amount} on day {step.day} ({levels}) falls on no scheduled "
        "visit: nobody is planned to give it or to record it",
        step.span,
        labels,
        help=f"give the step on a visit's day (the nearest is day {near.day}), or add a visit "
        f"on day {step.day}"
        if near is not None
        else f"add a visit on day {step.day}",
    )
