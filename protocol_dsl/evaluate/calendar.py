"""One subject's calendar: the date every expanded visit is due, from the dates recorded.

The protocol plans visits in study days; a subject's calendar turns them
into dates from what actually happened, so that a window is judged against
the date a visit was really due.  The rules:

- Day 1 is the date of the `first_dose` anchor's visit (else of the visit
  planned on day 1), as in SDTM; without it nothing is planned.
- A visit planned on the calendar (a declared visit with a day, a repeat on a
  fixed position such as tumour assessments every 6 weeks after first dose)
  is due on its study day counted from day 1.  A delayed cycle does not move
  it.
- A cycle visit is due on its day of its cycle.  Cycle 1 starts on its
  planned study day.  Cycle n starts on the date its first visit was
  recorded (that visit's date less its day in the cycle); until that visit is
  recorded, on the previous cycle's start plus the cycle length.  So a C3D1
  five days late moves C3D8, C4D1 and every later cycle by five days, and the
  first visit of cycle n itself is due one cycle length after cycle n - 1
  started (which is how its delay is seen).
- An event-relative visit (`30 days after last_dose`, the survival
  follow-ups after end of treatment) is due at its distance from the event's
  recorded date: an anchor on a visit is that visit's date; `last_dose` is
  the date of the latest dose record when the subject has one.  Until the
  event is recorded the visit has no due date and is not checked: an unknown
  date is never a late visit.

Every due visit carries its window (days before and after) and, when a
delayed cycle moved it, the visits whose delays did (`shifted_by`) and by
how many days (`shift`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from protocol_dsl import model as m
from protocol_dsl.checks.study_days import duration_days, event_offset
from protocol_dsl.spec import Spec

#: The anchor whose date is the latest dose record's, when the subject has one.
LAST_DOSE = "last_dose"


@attrs.frozen
class Due:
    """When one visit is due for a subject, and its window."""

    visit: str
    date: _dt.date
    window_before: int
    window_after: int
    #: the first visits of cycles whose delay (or early start) moved this one, and by how
    #: many days in all (0: not moved)
    shifted_by: tuple[str, ...] = ()
    shift: int = 0
    #: the first visit of a cycle: its own delay is the cycle's delay
    starts_cycle: bool = False
    series: str | None = None
    cycle: int | None = None
    #: days from the first to the last planned day of a visit planned over days (`day A .. B`)
    length: int = 0
    #: the date the visit's doses count from: for a cycle's first visit, the date the
    #: cycle started (its recorded date), else the due date
    dosing_date: _dt.date | None = None

    @property
    def earliest(self) -> _dt.date:
        return self.date - _dt.timedelta(days=self.window_before)

    @property
    def latest(self) -> _dt.date:
        return self.date + _dt.timedelta(days=self.length + self.window_after)

    @property
    def doses_on(self) -> _dt.date:
        return self.dosing_date if self.dosing_date is not None else self.date


@attrs.frozen
class CycleStart:
    """Where cycle `number` of a cycle starts for a subject."""

    series: str
    number: int
    #: the date it was due (the previous cycle's start plus the cycle length)
    due: _dt.date
    #: the date it started: its first visit's date less that visit's cycle day, else `due`
    start: _dt.date
    #: its first visit (the one whose date starts it)
    first_visit: str

    @property
    def delay(self) -> int:
        return (self.start - self.due).days


@attrs.frozen
class Calendar:
    """A subject's day 1, each visit's due date and window, and each cycle's start."""

    day1: _dt.date | None
    due: Mapping[str, Due]
    cycles: Mapping[tuple[str, int], CycleStart]

    def date_of_day(self, day: int) -> _dt.date | None:
        """The date of a study day counted from day 1 (no day 0); None without day 1."""
        if self.day1 is None:
            return None
        return self.day1 + _dt.timedelta(days=day - 1 if day > 0 else day)


def day1_visit(spec: Spec) -> str | None:
    """The visit whose date is study day 1: the `first_dose` anchor's, else the day-1 visit."""
    anchor = spec.anchors.get("first_dose")
    if anchor is not None and anchor.visit is not None:
        return anchor.visit
    for visit in spec.visit_order:
        if visit.day == 1:
            return visit.name
    return None


def anchor_dates(
    spec: Spec, visits: Mapping[str, _dt.date], dose_dates: Sequence[_dt.date]
) -> dict[str, _dt.date]:
    """The recorded date of each anchor that has one (an anchor on data has none here)."""
    found: dict[str, _dt.date] = {}
    for name, anchor in spec.anchors.items():
        if name == LAST_DOSE and dose_dates:
            found[name] = max(dose_dates)
        elif anchor.visit is not None and anchor.visit in visits:
            found[name] = visits[anchor.visit]
    return found


def build(
    spec: Spec,
    visits: Mapping[str, _dt.date],
    dose_dates: Sequence[_dt.date] = (),
) -> Calendar:
    """The calendar of a subject with these recorded visit dates and dose dates."""
    return CalendarPlan(spec).build(visits, dose_dates)


@attrs.frozen
class _DayVisit:
    """A visit planned on a study day outside any cycle: due on day 1 plus `offset`."""

    name: str
    offset: _dt.timedelta
    length: int
    window_before: int
    window_after: int
    series: str | None


@attrs.frozen
class _EventVisit:
    """A visit planned `delta` after an anchor's date (a negative `delta`: before it)."""

    name: str
    anchor: str
    delta: _dt.timedelta
    window_before: int
    window_after: int
    series: str | None


class CalendarPlan:
    """What a subject's calendar needs of the spec, read once: every subject's calendar
    is then date arithmetic on the dates recorded (`build` for each subject of a batch)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.day1_visit = day1_visit(spec)
        self.cycles = [
            (series.decl, series.visits)
            for series in spec.timeline.series
            if isinstance(series.decl, m.Cycle)
        ]
        self.planned: list[_DayVisit | _EventVisit] = []
        for visit in spec.visit_order:
            if visit.unscheduled or visit.early_termination:
                continue
            if visit.day is not None and visit.cycle is None:
                first_day = _day_offset(visit.day)
                last_day = _day_offset(visit.day_end) if visit.day_end else first_day
                self.planned.append(
                    _DayVisit(
                        visit.name,
                        _dt.timedelta(days=first_day),
                        last_day - first_day,
                        visit.window_before,
                        visit.window_after,
                        visit.series,
                    )
                )
                continue
            event = event_offset(visit)
            if event is None:
                continue
            self.planned.append(
                _EventVisit(
                    visit.name,
                    event[0],
                    _dt.timedelta(days=event[1]),
                    visit.window_before,
                    visit.window_after,
                    visit.series,
                )
            )
        self.by_name = {planned.name: planned for planned in self.planned}

    def build(
        self, visits: Mapping[str, _dt.date], dose_dates: Sequence[_dt.date] = ()
    ) -> Calendar:
        """The calendar of a subject with these recorded visit dates and dose dates."""
        first = self.day1_visit
        day1 = visits.get(first) if first is not None else None
        anchors = anchor_dates(self.spec, visits, dose_dates)
        due: dict[str, Due] = {}
        cycles: dict[tuple[str, int], CycleStart] = {}
        if day1 is not None:
            for decl, yielded in self.cycles:
                _cycle(decl, yielded, day1, visits, due, cycles)
        return Calendar(day1, _DueDates(self, day1, anchors, due), cycles)


class _DueDates(Mapping[str, Due]):
    """A calendar's due dates: its cycles' visits worked out at once (each cycle's start
    depends on the one before), every other visit's only when it is asked for.  The
    window check of a subject asks only for the visits the subject attended."""

    def __init__(
        self,
        plan: CalendarPlan,
        day1: _dt.date | None,
        anchors: dict[str, _dt.date],
        cycle_visits: dict[str, Due],
    ) -> None:
        self._plan = plan
        self._day1 = day1
        self._anchors = anchors
        self._known = cycle_visits
        self._all: dict[str, Due] | None = None

    def _due(self, planned: _DayVisit | _EventVisit) -> Due | None:
        if isinstance(planned, _DayVisit):
            if self._day1 is None:
                return None
            return Due(
                planned.name,
                self._day1 + planned.offset,
                planned.window_before,
                planned.window_after,
                series=planned.series,
                length=planned.length,
            )
        at = self._anchors.get(planned.anchor)
        if at is None:
            return None  # the event has not happened (or has no date): not due yet
        return Due(
            planned.name,
            at + planned.delta,
            planned.window_before,
            planned.window_after,
            series=planned.series,
        )

    def _every(self) -> dict[str, Due]:
        if self._all is None:
            found = dict(self._known)
            for planned in self._plan.planned:
                if planned.name not in found:
                    due = self._due(planned)
                    if due is not None:
                        found[planned.name] = due
            self._all = found
        return self._all

    def get(self, name: str, default: Any = None) -> Any:
        if self._all is not None:
            return self._all.get(name, default)
        known = self._known.get(name)
        if known is not None:
            return known
        planned = self._plan.by_name.get(name)
        due = self._due(planned) if planned is not None else None
        return default if due is None else due

    def __getitem__(self, name: str) -> Due:
        due = self.get(name)
        if due is None:
            raise KeyError(name)
        return due

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())


def _day_offset(day: int) -> int:
    """Days from day 1 to study day `day` (there is no day 0)."""
    return day - 1 if day > 0 else day


def _date_of(day: int, day1: _dt.date) -> _dt.date:
    return day1 + _dt.timedelta(days=day - 1 if day > 0 else day)


def _cycle(
    cycle: m.Cycle,
    yielded: Sequence[m.Visit],
    day1: _dt.date,
    visits: Mapping[str, _dt.date],
    due: dict[str, Due],
    cycles: dict[tuple[str, int], CycleStart],
) -> None:
    length = duration_days(cycle.length)
    templates = {t.name: t for t in cycle.visits}
    by_cycle: dict[int, list[tuple[int, m.Visit]]] = {}
    for visit in yielded:
        template = templates.get(visit.template or "")
        if visit.cycle is None or visit.day is None or template is None or template.day is None:
            continue  # a cycle started by an event: its visits have no planned day
        by_cycle.setdefault(visit.cycle, []).append((template.day - 1, visit))
    if length is None or not by_cycle:
        return
    previous: CycleStart | None = None
    delayed: list[str] = []  # first visits recorded late or early, in order
    for number in sorted(by_cycle):
        members = sorted(by_cycle[number], key=lambda pair: pair[0])
        offset, first_visit = members[0]
        assert first_visit.day is not None
        planned_start = _date_of(first_visit.day, day1) - _dt.timedelta(days=offset)
        if previous is None:
            expected = planned_start
        else:
            expected = previous.start + _dt.timedelta(days=length * (number - previous.number))
        recorded = visits.get(first_visit.name)
        start = recorded - _dt.timedelta(days=offset) if recorded is not None else expected
        entry = CycleStart(cycle.name, number, expected, start, first_visit.name)
        cycles[(cycle.name, number)] = entry
        for member_offset, visit in members:
            first = visit is first_visit
            base = expected if first else start
            moved = (base - planned_start).days
            due[visit.name] = Due(
                visit.name,
                base + _dt.timedelta(days=member_offset),
                visit.window_before,
                visit.window_after,
                shifted_by=tuple(delayed) if moved else (),
                shift=moved,
                starts_cycle=first,
                series=cycle.name,
                cycle=number,
                dosing_date=start + _dt.timedelta(days=member_offset),
            )
        if entry.delay != 0 and recorded is not None:
            delayed.append(first_visit.name)
        previous = entry
