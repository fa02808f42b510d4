"""A dosing regimen expanded into its planned administrations.

`planned_administrations(spec, regimen)` lists, in order, every dose the
regimen plans for one subject: its study day (study day 1 is the first dose;
there is no day 0), its cycle and day in the cycle when the regimen doses by
cycle, the amount planned (per kg, per m² or absolute, as the regimen or the
dose level gives it), and the visit that hosts it with that visit's window.

The rules, in the order they apply:

- the listed days (`on days 1, 15, 29`, or weeks: week N is day 7N + 1) are
  given first, in the order written;
- `then every P` repeats the dose every P after the last listed day, up to
  the `to` day inclusive;
- `of each CYCLE` repeats the listed cycle days in every cycle of that cycle,
  up to its number of cycles;
- `at_most N administrations` caps the whole list at its first N.

A regimen whose end nothing gives (a repeat with no `to`, cycles with no
count, and no `at_most`) plans its first `OPEN_ENDED_PREVIEW` doses only; the
check reports it (E0715).  The same happens past `MAX_ADMINISTRATIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

import attrs

from protocol_dsl import model as m
from protocol_dsl.semantics import units
from protocol_dsl.spec import Spec

from .frequency import frequency, term_for_interval

#: More planned doses than any regimen needs (daily dosing for 10 years is 3,653): the
#: expansion stops there, and the check reports a regimen that reaches it.
MAX_ADMINISTRATIONS = 5000

#: How many doses an open-ended regimen plans (enough to show its pattern).
OPEN_ENDED_PREVIEW = 100

DoseBasis = Literal["absolute", "body_weight", "body_surface_area"]


@attrs.frozen
class CycleShape:
    """What a regimen needs to know of a cycle: its length, count and first day."""

    name: str
    length: int
    #: the number of cycles: exactly that many, or at most (`up_to`) when not `exact`
    count: int | None
    start_day: int = 1
    exact: bool = True


@attrs.frozen
class PlannedDose:
    """One planned administration of a regimen."""

    #: its place in the regimen, from 1
    number: int
    #: the study day it is planned on
    day: int
    #: the planned amount: per kg (mg/kg), per m² (mg/m2) or absolute (mg); None if not given
    amount: m.Quantity | None
    #: the cycle (from 1) and the day in that cycle, for a regimen dosed by cycle
    cycle: int | None = None
    cycle_day: int | None = None
    #: the visit whose planned day is the dose day, and the days it may come early or late
    visit: str | None = None
    window: tuple[int, int] = (0, 0)
    #: whether it comes from `then every` (a maintenance dose) rather than the listed days
    repeated: bool = False
    #: administrations on the day (2 for BID), from the regimen's frequency
    per_day: int = 1
    #: a step dose of a step-up schedule (a fraction of the level's dose, before its target)
    step: bool = False


def dose_basis(quantity: m.Quantity) -> DoseBasis:
    """Whether a dose is per body weight (mg/kg), per body surface area (mg/m2) or absolute."""
    try:
        dimension = units.describe_dimension(units.parse_unit(quantity.unit).text)
    except units.UnitError:
        return "absolute"
    if dimension.endswith("per body mass"):
        return "body_weight"
    if dimension.endswith("per area"):
        return "body_surface_area"
    return "absolute"


def cycle_shape(spec: Spec, name: str) -> CycleShape | None:
    """The cycle declared as `name`: its length, number of cycles (exactly `count`, else
    at most `up_to`) and the study day its first cycle starts on.

    None if the spec declares no such cycle, if its length is not whole days, or if
    its first cycle has no planned day (a cycle that starts at an event).
    """
    cycle = spec.cycles.get(name)
    if cycle is None:
        return None
    length = _days(cycle.length)
    if length is None or length < 1:
        return None
    start = _cycle_start(spec, cycle)
    if start is None:
        return None
    return CycleShape(name, length, cycle.planned_cycles, start, cycle.count is not None)


def _cycle_start(spec: Spec, cycle: m.Cycle) -> int | None:
    """The study day cycle 1 starts on: day 1, its `starts` day, or where the time line put
    its first visit (a start anchored on a visit with a planned day)."""
    if cycle.start is None:
        return 1
    if cycle.start.anchor is None:
        return cycle.start.day
    series = spec.timeline.series_named(cycle.name)
    templates = {t.name: t for t in cycle.visits}
    for visit in series.visits if series is not None else ():
        template = templates.get(visit.template or "")
        first = visit.cycle == 1 and visit.day is not None
        if first and template is not None and template.day is not None:
            assert visit.day is not None
            return shift(visit.day, -(template.day - 1))
    return None


def _days(quantity: m.Quantity | None) -> int | None:
    if quantity is None:
        return None
    try:
        unit = units.time_unit(quantity.unit)
    except units.UnitError:
        return None
    return round(units.convert(float(quantity.value), unit, "d"))


def interval_days(days: m.DosingDays) -> int | None:
    """The repeat interval of `then every P` in days, None without one (or not a duration)."""
    return _days(days.every)


def shift(day: int, days: int) -> int:
    """The study day `days` days after `day`, skipping day 0."""
    count = (day - 1 if day > 0 else day) + days
    return count + 1 if count >= 0 else count


def is_open_ended(spec: Spec, regimen: m.Regimen) -> bool:
    """Whether nothing ends the regimen: a repeat or cycles with no end, and no `at_most`."""
    days = regimen.days
    if days is None or regimen.at_most is not None:
        return False
    if days.cycle is not None:
        shape = cycle_shape(spec, days.cycle)
        return shape is not None and shape.count is None
    return days.every is not None and days.until is None


def dosing_days(
    spec: Spec, days: m.DosingDays
) -> Iterator[tuple[int, int | None, int | None, bool]]:
    """(study day, cycle, cycle day, repeated) for each planned dose, uncapped but finite."""
    listed = days.days
    if days.cycle is not None:
        shape = cycle_shape(spec, days.cycle)
        if shape is None:
            return
        count = shape.count if shape.count is not None else MAX_ADMINISTRATIONS
        for k in range(1, count + 1):
            start = shift(shape.start_day, (k - 1) * shape.length)
            for cycle_day in listed:
                yield shift(start, cycle_day - 1), k, cycle_day, k > 1
        return
    for day in listed:
        yield day, None, None, False
    interval = interval_days(days)
    if interval is None or interval < 1 or not listed:
        return
    last = days.until.day if days.until is not None else None
    day = shift(listed[-1], interval)
    while last is None or day <= last:
        yield day, None, None, True
        day = shift(day, interval)


def planned_administrations(
    spec: Spec, regimen: m.Regimen, dose: m.Quantity | None = None
) -> list[PlannedDose]:
    """The regimen's planned administrations for one subject, in order.

    `dose` is the amount a dose level gives (a dose level is its dose finding's
    regimen at the level's dose); without it, the regimen's own `dose`.
    """
    days = regimen.days
    if days is None:
        return []
    amount = dose if dose is not None else regimen.dose
    cap = MAX_ADMINISTRATIONS
    if regimen.at_most is not None:
        cap = min(cap, regimen.at_most)
    elif is_open_ended(spec, regimen):
        cap = OPEN_ENDED_PREVIEW
    term = regimen.field("frequency")
    found = frequency(str(term.value.value)) if term is not None else None
    per_day = found.per_day if found is not None else 1
    hosts = visit_hosts(spec)
    planned: list[PlannedDose] = []
    for day, cycle, cycle_day, repeated in dosing_days(spec, days):
        if len(planned) >= cap:
            break
        visit = hosts(day)
        planned.append(
            PlannedDose(
                len(planned) + 1,
                day,
                amount,
                cycle,
                cycle_day,
                visit.name if visit is not None else None,
                (visit.window_before, visit.window_after) if visit is not None else (0, 0),
                repeated,
                per_day,
            )
        )
    return planned


def visit_hosts(spec: Spec) -> Callable[[int], m.Visit | None]:
    """A finder of the scheduled visit whose planned day (or day range) holds a study day."""
    by_day: dict[int, m.Visit] = {}
    ranges: list[m.Visit] = []
    for visit in spec.visits.values():
        if visit.day is None or visit.unscheduled or visit.early_termination:
            continue
        if visit.day_end is not None:
            ranges.append(visit)
        else:
            by_day.setdefault(visit.day, visit)

    def host(day: int) -> m.Visit | None:
        found = by_day.get(day)
        if found is not None:
            return found
        for visit in ranges:
            assert visit.day is not None and visit.day_end is not None
            if visit.day <= day <= visit.day_end:
                return visit
        return None

    return host


def cycle_window(spec: Spec, dose_finding: m.DoseFinding) -> tuple[int, int] | None:
    """`dlt_window cycle N`: the study days the window starts and ends on, None if unknown.

    The cycle is the dose finding's regimen's: the cycle its days are given in
    (`of each CYCLE`), or, for a regimen repeated `every P`, consecutive periods
    of P from its first dose.
    """
    window = dose_finding.dlt_window
    if window is None or window.cycle is None or dose_finding.regimen is None:
        return None
    regimen = spec.regimens.get(dose_finding.regimen)
    if regimen is None or regimen.days is None:
        return None
    length, start = cycle_length(spec, regimen)
    if length is None:
        return None
    first = shift(start, (window.cycle - 1) * length)
    return first, shift(first, length - 1)


def cycle_length(spec: Spec, regimen: m.Regimen) -> tuple[int | None, int]:
    """The length in days of a regimen's cycle and the study day its first cycle starts on."""
    days = regimen.days
    if days is None:
        return None, 1
    if days.cycle is not None:
        shape = cycle_shape(spec, days.cycle)
        return (shape.length, shape.start_day) if shape is not None else (None, 1)
    return interval_days(days), days.days[0] if days.days else 1


def regimen_frequency(spec: Spec, regimen: m.Regimen) -> str | None:
    """The regimen's CDISC FREQ term: its `frequency`, else the term of its days.

    A repeat `every 3 weeks` is Q3W, one dose on day 1 of each 21-day cycle is
    Q3W, a single listed day is ONCE; other patterns (days 1 and 8 of a 21-day
    cycle) have no one term, and give None.
    """
    f = regimen.field("frequency")
    if f is not None:
        return str(f.value.value)
    days = regimen.days
    if days is None:
        return None
    found = None
    if days.every is not None:
        interval = interval_days(days)
        found = term_for_interval(interval) if interval is not None else None
    elif days.cycle is not None:
        shape = cycle_shape(spec, days.cycle)
        if shape is not None and len(days.numbers) == 1:
            found = term_for_interval(shape.length)
    elif len(days.numbers) == 1:
        found = frequency("ONCE")
    return found.term if found is not None else None


def level_administrations(
    spec: Spec, dose_finding: m.DoseFinding, level: m.DoseLevel
) -> list[PlannedDose]:
    """A dose level's planned administrations: its dose finding's regimen at the level's dose.

    A level with a step-up schedule starts with its step doses (a percentage of
    the level's dose, or an amount, on each step's day); the regimen's doses
    follow from the day after the last step.  Empty when the dose finding
    applies no regimen (its levels are then given as the step-up schedule, or
    once on day 1, as the edit checks read them).
    """
    regimen = spec.regimens.get(dose_finding.regimen) if dose_finding.regimen else None
    if regimen is None:
        return []
    planned = planned_administrations(spec, regimen, level.dose)
    steps = next((s.steps for s in dose_finding.step_ups if level.name in s.levels), ())
    if not steps:
        return planned
    last_step = max(step.day for step in steps)
    hosts = visit_hosts(spec)
    stepped: list[PlannedDose] = []
    for step in sorted(steps, key=lambda s: s.day):
        visit = hosts(step.day)
        amount = step.amount
        if amount.unit == "%":
            amount = m.Quantity(level.dose.value * amount.value / 100, level.dose.unit)
        stepped.append(
            PlannedDose(
                len(stepped) + 1,
                step.day,
                amount,
                visit=visit.name if visit is not None else None,
                window=(visit.window_before, visit.window_after) if visit else (0, 0),
                step=True,
            )
        )
    after = [d for d in planned if d.day > last_step]
    return stepped + [
        attrs.evolve(d, number=len(stepped) + k) for k, d in enumerate(after, start=1)
    ]


def arm_regimens(spec: Spec, arm: m.Arm) -> list[m.Regimen]:
    """The regimens a subject of `arm` follows: the arm's own, then its elements', each once.

    A regimen's days are study days wherever it is named: an element that
    names one says which treatment period it belongs to, not a new day 1.
    """
    names = list(arm.regimens)
    for step in arm.steps:
        element = spec.elements.get(step.element)
        if element is not None and element.regimen is not None:
            names.append(element.regimen)
    found = [spec.regimens[n] for n in dict.fromkeys(names) if n in spec.regimens]
    return found
