"""Study-day arithmetic shared by the schedule, dosing and data-availability checks.

Study days count from day 1, the first day of treatment; day -1 is the day
before, and there is no day 0.  This module converts study days to a
continuous count (`ordinal`: day 1 → 0, day -1 → -1) and back, shifts a day by
a number of days, and turns a duration written in the spec ("28 days",
"24 weeks", "6 months") into days.
"""

from __future__ import annotations

from protocol_dsl import model as m
from protocol_dsl.durations import from_ordinal, ordinal, shift
from protocol_dsl.schedule.regimens import cycle_window
from protocol_dsl.semantics import units
from protocol_dsl.spec import Spec

__all__ = [
    "dlt_anchor_day",
    "dlt_window_end",
    "duration_days",
    "earliest",
    "first_dose_day",
    "from_ordinal",
    "last_planned_day",
    "latest",
    "ordinal",
    "shift",
    "target_step",
]


def duration_days(quantity: m.Quantity) -> int | None:
    """A duration in whole days (months and years at their mean length), None if not a time."""
    try:
        unit = units.time_unit(quantity.unit)
    except units.UnitError:
        return None
    return round(units.convert(float(quantity.value), unit, "d"))


def event_offset(visit: m.Visit) -> tuple[str, int] | None:
    """The anchor a visit set by an event is planned from, and its signed offset in days
    (negative before the anchor); None for a visit not set so, or whose offset is not a time."""
    position = visit.relative_to
    if position is None or position.anchor is None or position.offset is None:
        return None
    days = duration_days(position.offset)
    if days is None:
        return None
    return position.anchor, -days if position.direction == "before" else days


def earliest(visit: m.Visit) -> int | None:
    """The first study day a visit can take place on, its window included."""
    if visit.day is None:
        return None
    return shift(visit.day, -visit.window_before)


def latest(visit: m.Visit) -> int | None:
    """The last study day a visit can take place on, its window included."""
    if visit.day is None:
        return None
    last = visit.day_end if visit.day_end is not None else visit.day
    return shift(last, visit.window_after)


def last_planned_day(visit: m.Visit) -> int | None:
    """The last planned day of a visit (the end of a `day A .. B` range), window excluded."""
    if visit.day is None:
        return None
    return visit.day_end if visit.day_end is not None else visit.day


def day_range(first: int, last: int) -> str:
    """'day 5' or 'days 5 to 9'."""
    return f"day {first}" if first == last else f"days {first} to {last}"


# ---------------------------------------------------------------- dosing days


def first_dose_day(spec: Spec) -> int:
    """The study day of the first dose: the `first_dose` anchor's visit, else day 1."""
    anchor = spec.anchors.get("first_dose")
    if anchor is not None and anchor.visit is not None:
        visit = spec.visits.get(anchor.visit)
        if visit is not None and visit.day is not None:
            return visit.day
    return 1


def target_step(step_up: m.StepUp) -> m.StepDose | None:
    """The step that gives the level's target dose: the 100 % step, else the last one."""
    for step in step_up.steps:
        if step.amount.unit == "%" and step.amount.value == 100:
            return step
    return step_up.steps[-1] if step_up.steps else None


def dlt_anchor_day(spec: Spec, dose_finding: m.DoseFinding) -> int | None:
    """The study day the DLT window starts on, by its anchor rule.

    first_dose: the first dose's day (day 1).  first_step_dose: the earliest
    first step of the step-up schedules.  target_dose: the latest day a
    target dose is given (the 100 % step of a step-up schedule; day 1 without
    one).  A declared anchor: its visit's day.
    """
    window = dose_finding.dlt_window
    if window is None:
        return None
    if window.cycle is not None:
        cycle = cycle_window(spec, dose_finding)
        return cycle[0] if cycle is not None else None
    first = first_dose_day(spec)
    if window.anchor == "first_step_dose":
        days = [s.steps[0].day for s in dose_finding.step_ups if s.steps]
        return min(days) if days else first
    if window.anchor == "target_dose":
        days = [step.day for s in dose_finding.step_ups if (step := target_step(s)) is not None]
        return max(days) if days else first
    if window.anchor == "first_dose" and "first_dose" not in spec.anchors:
        return first
    anchor = spec.anchors.get(window.anchor)
    if anchor is None or anchor.visit is None:
        return None
    visit = spec.visits.get(anchor.visit)
    return visit.day if visit is not None else None


def dlt_window_end(spec: Spec, dose_finding: m.DoseFinding) -> int | None:
    """The study day the DLT window ends on: its anchor's day plus its length.

    A `cycle N` window ends where the next cycle starts, as a window of the
    cycle's length from the cycle's first day would.
    """
    start = dlt_anchor_day(spec, dose_finding)
    window = dose_finding.dlt_window
    if start is None or window is None:
        return None
    days = dlt_window_days(spec, dose_finding)
    return None if days is None else shift(start, days)


def dlt_window_days(spec: Spec, dose_finding: m.DoseFinding) -> int | None:
    """The DLT window's length in days: as written, or its cycle's length."""
    window = dose_finding.dlt_window
    if window is None:
        return None
    if window.duration is not None:
        return duration_days(window.duration)
    cycle = cycle_window(spec, dose_finding)
    return None if cycle is None else ordinal(cycle[1]) - ordinal(cycle[0]) + 1


def dlt_window_words(window: m.DltWindow) -> str:
    """The window as written: "28 days from first_dose", "cycle 1"."""
    if window.duration is None:
        return f"cycle {window.cycle}"
    return f"{window.duration} from {window.anchor}"
