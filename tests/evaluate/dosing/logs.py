"""Subjects of the oncology-shaped dosing spec, with the findings their exposure log must give.

A `Course` says what happened to one subject: the cycles it started and how late
each started, its weight (or none recorded), and the doses that deviate
(missed, late, wrong amount, extra).  `subject` writes it as subject data;
`expected` says, from the protocol's rules written out independently of the
edit checks, which (rule, record or visit) findings the data must give.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

#: the spec these subjects are for
SPEC = Path(__file__).resolve().parent / "oncology.trial"
DAY1 = dt.date(2026, 1, 5)
CYCLE_DAYS = 21
DOSE_PER_KG = 10
#: the window of the cycle visits (± days), which the doses they host take
WINDOW = 1
#: days a cycle's day 1 may start late before it is a delayed cycle
DOSING_RULES = frozenset(
    {
        "PLANNED_DOSE_MISSING",
        "DOSE_ON_UNPLANNED_DAY",
        "DOSE_OUT_OF_WINDOW",
        "DOSE_NOT_AS_PLANNED",
        "DOSES_BEYOND_MAXIMUM",
    }
)
WINDOW_RULES = frozenset({"VISIT_OUT_OF_WINDOW", "CYCLE_DELAYED"})


@attrs.frozen
class Course:
    subject_id: str
    #: how many days late each started cycle's day 1 was (cycle 1 is day 1: 0)
    delays: tuple[int, ...]
    weight: float | None
    #: doses by (cycle, cycle day): missed, given late by N days, given at a factor
    missed: frozenset[tuple[int, int]] = frozenset()
    late: tuple[tuple[tuple[int, int], int], ...] = ()
    wrong: tuple[tuple[tuple[int, int], float], ...] = ()
    #: cycles with an extra dose on their day 15
    extra: frozenset[int] = frozenset()
    #: tumour assessments recorded on their planned days (calendar: never shifted)
    assessments: bool = True


def starts(course: Course) -> list[dt.date]:
    """The date each started cycle began."""
    found: list[dt.date] = []
    for k, delay in enumerate(course.delays, start=1):
        if k == 1:
            found.append(DAY1)
        else:
            found.append(found[-1] + dt.timedelta(days=CYCLE_DAYS + delay))
    return found


def _doses(course: Course) -> list[tuple[dt.date, float, str]]:
    """(date, amount, tag) of every dose record, in date order; the tag names its deviation."""
    weight = course.weight if course.weight is not None else 70.0
    late = dict(course.late)
    wrong = dict(course.wrong)
    records: list[tuple[dt.date, float, str]] = []
    for k, start in enumerate(starts(course), start=1):
        for cycle_day in (1, 8):
            key = (k, cycle_day)
            if key in course.missed:
                continue
            date = start + dt.timedelta(days=cycle_day - 1 + late.get(key, 0))
            amount = DOSE_PER_KG * weight * wrong.get(key, 1.0)
            records.append((date, amount, f"C{k}D{cycle_day}"))
        if k in course.extra:
            records.append((start + dt.timedelta(days=14), DOSE_PER_KG * weight, f"extra{k}"))
    return sorted(records, key=lambda r: (r[0], r[2]))


def subject(course: Course) -> dict[str, Any]:
    visits: dict[str, str] = {"SCR": (DAY1 - dt.timedelta(days=10)).isoformat()}
    for k, start in enumerate(starts(course), start=1):
        visits[f"C{k}D1"] = start.isoformat()
        visits[f"C{k}D8"] = (start + dt.timedelta(days=7)).isoformat()
    last = max(dt.date.fromisoformat(d) for d in visits.values())
    if course.assessments:
        for n in range(1, 5):
            date = DAY1 + dt.timedelta(days=42 * n)
            if date <= last:
                visits[f"TA{n}"] = date.isoformat()
    vitals: dict[str, Any] = {}
    if course.weight is not None:
        vitals["SCR"] = {"weight": course.weight}
    exposure = [
        {"given": date.isoformat(), "dose": round(amount, 3)}
        for date, amount, _tag in _doses(course)
    ]
    return {
        "subject_id": course.subject_id,
        "arm": "A",
        "visits": visits,
        "forms": {"vitals": vitals, "exposure": exposure},
    }


def expected(course: Course) -> set[tuple[str, str | int | None]]:
    """The (rule, record index or visit) findings of the dosing and window rules."""
    found: set[tuple[str, str | int | None]] = set()
    for k, delay in enumerate(course.delays, start=1):
        if k > 1 and delay > WINDOW:
            found.add(("CYCLE_DELAYED", f"C{k}D1"))
        elif k > 1 and delay < -WINDOW:
            found.add(("VISIT_OUT_OF_WINDOW", f"C{k}D1"))
    records = _doses(course)
    index = {tag: i for i, (_date, _amount, tag) in enumerate(records)}
    for key, days in course.late:
        if key not in course.missed and abs(days) > WINDOW:
            found.add(("DOSE_OUT_OF_WINDOW", index[f"C{key[0]}D{key[1]}"]))
    if course.weight is not None:
        for key, factor in course.wrong:
            if key not in course.missed and abs(factor - 1) > 0.1:
                found.add(("DOSE_NOT_AS_PLANNED", index[f"C{key[0]}D{key[1]}"]))
    for k in course.extra:
        found.add(("DOSE_ON_UNPLANNED_DAY", index[f"extra{k}"]))
    # a missed dose is reported once treatment went on past its window: a later dose
    # record, or a later dosing visit (every started cycle's days 1 and 8 are recorded)
    dates = [date for date, _a, _t in records]
    cycle_starts = starts(course)
    hosting = [s + dt.timedelta(days=d) for s in cycle_starts for d in (0, 7)]
    last_seen = max([*dates, *hosting])
    for k, cycle_day in course.missed:
        due = cycle_starts[k - 1] + dt.timedelta(days=cycle_day - 1)
        if last_seen > due + dt.timedelta(days=WINDOW):
            found.add(("PLANNED_DOSE_MISSING", f"C{k}D{cycle_day}"))
    return found


@st.composite
def courses(draw: st.DrawFn, subject_id: str = "S1") -> Course:
    """A subject's course: 1 to 6 cycles, some delayed, with deviating doses.

    The deviations keep each record nearest to the dose it stands for, as a
    reviewer would read it: a late day-1 dose at most 3 days late (day 8 is 7
    days on), an extra dose only in a cycle whose day-8 dose and next cycle's
    day-1 dose were given.
    """
    cycles = draw(st.integers(1, 6))
    delays = (0, *draw(st.lists(st.integers(-1, 7), min_size=cycles - 1, max_size=cycles - 1)))
    weight = draw(st.one_of(st.none(), st.integers(45, 120).map(float)))
    keys = [(k, d) for k in range(1, cycles + 1) for d in (1, 8)]
    missed = draw(st.sets(st.sampled_from(keys), max_size=2))
    left = [key for key in keys if key not in missed]
    late_keys = draw(st.sets(st.sampled_from(left), max_size=2)) if left else set()
    late = tuple(sorted((key, draw(st.integers(2, 3 if key[1] == 1 else 4))) for key in late_keys))
    wrong_keys = draw(st.sets(st.sampled_from(left), max_size=2)) if left else set()
    wrong = tuple(
        sorted((key, draw(st.sampled_from([0.5, 0.95, 1.05, 1.5]))) for key in wrong_keys)
    )
    # an extra dose on day 15 is nearer the next cycle's day 1 than its own day 8 when the
    # next cycle starts early: read as that dose given early if it was missed
    extra_candidates = [
        k for k in range(1, cycles + 1) if (k, 8) not in missed and (k + 1, 1) not in missed
    ]
    extra = (
        draw(st.sets(st.sampled_from(extra_candidates), max_size=1)) if extra_candidates else set()
    )
    return Course(
        subject_id,
        delays,
        weight,
        frozenset(missed),
        late,
        wrong,
        frozenset(extra),
        draw(st.booleans()),
    )
