"""Schedule: a visit plan a site can follow, where every date maps to one visit.

E0601 a study day 0 (day 1 is the first day of treatment, day -1 the day before);
E0602 visits out of order: days not increasing within an epoch (in the order
      the visits are written), or an epoch starting before the previous one ends;
E0603 two visit windows that overlap, so that a date could belong to either visit;
E0604 a visit window reaching into a neighbouring epoch;
E0605 an endpoint time frame that ends after the study: after the trial's stated
      `length` counted from day 1, or without one, after the last scheduled visit;
E0606 the schedule disagrees with the trial's stated `length`;
E0607 the DLT window ends after the last scheduled visit (nobody is seen at
      its end).

Study days skip day 0 throughout (`study_days`).  Unscheduled and early
termination visits have no day and take no part; conditional visits
(`when "…"`, e.g. a retrieval visit replacing week 24 for subjects who stopped
early) are alternatives to planned ones and take no part in E0602 to E0604.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec

from .availability import endpoint_frame
from .study_days import (
    day_range,
    dlt_anchor_day,
    dlt_window_end,
    dlt_window_words,
    duration_days,
    earliest,
    last_planned_day,
    latest,
    ordinal,
    shift,
)


def check(spec: Spec) -> Iterator[Diagnostic]:
    yield from _day_zero(spec)
    # conditional visits ("when …") replace planned ones for some subjects: they
    # take no part in the order and overlap rules
    scheduled = [
        v
        for v in spec.visits.values()
        if v.day is not None and 0 not in _days(v) and v.condition is None
    ]
    yield from _order(spec, scheduled)
    # a reversed range (day 29 .. 22) is reported once, and kept out of the rest
    scheduled = [v for v in scheduled if ordinal(last_planned_day(v) or 0) >= ordinal(v.day or 0)]
    crossings = list(_crossings(spec, scheduled))
    for visit, epoch, neighbour, day in crossings:
        yield _outside(visit, epoch, neighbour, day)
    # a window that reaches into another epoch is reported as such, not again as an overlap
    crossed = {(visit.name, epoch) for visit, epoch, _neighbour, _day in crossings}
    yield from _overlaps(scheduled, crossed)
    last = _last_visit(scheduled)
    if last is None:
        return
    yield from _endpoints(spec, last)
    yield from _length(spec, scheduled, last)
    yield from _dlt_window(spec, last)


def _days(visit: m.Visit) -> tuple[int, ...]:
    return tuple(d for d in (visit.day, visit.day_end) if d is not None)


def _when(visit: m.Visit) -> str:
    first, last = visit.day, last_planned_day(visit)
    assert first is not None and last is not None
    return day_range(first, last)


def _window(visit: m.Visit) -> str:
    first, last = earliest(visit), latest(visit)
    assert first is not None and last is not None
    return day_range(first, last)


def _last_visit(scheduled: list[m.Visit]) -> m.Visit | None:
    if not scheduled:
        return None
    return max(scheduled, key=lambda v: ordinal(last_planned_day(v) or 0))


# ---------------------------------------------------------------- E0601


def _day_zero(spec: Spec) -> Iterator[Diagnostic]:
    help_text = "day 1 is the first day of treatment and day -1 the day before; there is no day 0"
    for visit in spec.visits.values():
        if 0 in _days(visit):
            yield Diagnostic(
                "E0601",
                "error",
                f"visit {visit.name} is planned on day 0, which does not exist",
                visit.span,
                help=help_text,
            )
    for dose_finding in spec.dose_findings:
        for step_up in dose_finding.step_ups:
            for step in step_up.steps:
                if step.day == 0:
                    yield Diagnostic(
                        "E0601",
                        "error",
                        "a step dose is given on day 0, which does not exist",
                        step.span,
                        help=help_text,
                    )


# ---------------------------------------------------------------- E0602


def _order(spec: Spec, scheduled: list[m.Visit]) -> Iterator[Diagnostic]:
    for visit in scheduled:
        if (
            visit.day_end is not None
            and visit.day is not None
            and ordinal(visit.day_end) < ordinal(visit.day)
        ):
            yield Diagnostic(
                "E0602",
                "error",
                f"visit {visit.name} is planned from day {visit.day} to day {visit.day_end}: "
                "the range ends before it starts",
                visit.span,
                help=f"write the earlier day first: day {visit.day_end} .. {visit.day}",
            )
    by_epoch: dict[str, list[m.Visit]] = {}
    # the order as written: declared visits among themselves, and each series' visits
    # among themselves (a cycle and a repeat in one epoch interleave on the calendar)
    as_written: dict[tuple[str, str | None], list[m.Visit]] = {}
    for visit in scheduled:
        if visit.epoch is not None:
            by_epoch.setdefault(visit.epoch, []).append(visit)
            as_written.setdefault((visit.epoch, visit.series), []).append(visit)
    for (epoch, _series), visits in as_written.items():
        for before, after in itertools.pairwise(visits):
            if ordinal(after.day or 0) <= ordinal(last_planned_day(before) or 0):
                yield Diagnostic(
                    "E0602",
                    "error",
                    f"visit {after.name} ({_when(after)}) is written after {before.name} "
                    f"({_when(before)}) in the epoch '{epoch}', but is not planned later",
                    after.span,
                    (Label(before.span, f"{before.name} is planned on {_when(before)}"),),
                    help="write the visits of an epoch in the order they take place, each on "
                    "a later day than the one before",
                )
    ordered = [e for e in spec.epochs if e in by_epoch]
    for earlier, later in itertools.pairwise(ordered):
        last = max(by_epoch[earlier], key=lambda v: ordinal(last_planned_day(v) or 0))
        first = min(by_epoch[later], key=lambda v: ordinal(v.day or 0))
        if ordinal(first.day or 0) <= ordinal(last_planned_day(last) or 0):
            yield Diagnostic(
                "E0602",
                "error",
                f"the epoch '{later}' starts with visit {first.name} ({_when(first)}), before "
                f"the epoch '{earlier}' ends with visit {last.name} ({_when(last)})",
                first.span,
                (Label(last.span, f"the last visit of '{earlier}'"),),
                help="epochs follow each other in the order they are declared; move the visit "
                "to the right epoch or change its day",
            )


# ---------------------------------------------------------------- E0603


def _overlaps(scheduled: list[m.Visit], crossed: set[tuple[str, str]]) -> Iterator[Diagnostic]:
    ordered = sorted(scheduled, key=lambda v: (ordinal(earliest(v) or 0), ordinal(v.day or 0)))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            low = max(ordinal(earliest(first) or 0), ordinal(earliest(second) or 0))
            high = min(ordinal(latest(first) or 0), ordinal(latest(second) or 0))
            if ordinal(earliest(second) or 0) > ordinal(latest(first) or 0):
                break  # sorted by earliest day: no later visit reaches back to `first`
            if low > high:
                continue
            if _separate_calendars(first, second):
                continue
            if (first.name, second.epoch) in crossed or (second.name, first.epoch) in crossed:
                continue
            overlap = day_range(_study_day(low), _study_day(high))
            yield Diagnostic(
                "E0603",
                "error",
                f"the windows of visits {first.name} ({_window(first)}) and {second.name} "
                f"({_window(second)}) overlap on {overlap}: a visit on "
                f"{'that day' if low == high else 'those days'} could be either",
                second.span,
                (Label(first.span, f"{first.name} may take place on {_window(first)}"),),
                help="narrow the windows so that every study day belongs to at most one visit",
            )


def _separate_calendars(first: m.Visit, second: m.Visit) -> bool:
    """Whether two visits belong to schedules that may coincide: a calendar series
    (tumour assessments every 6 weeks from first dose) runs on fixed study days beside the
    treatment visits, and an assessment may fall on the day of a cycle visit; each date
    still maps to one visit of each schedule.  Within one series the rule holds."""
    if not (first.calendar or second.calendar):
        return False
    return first.series != second.series


def _study_day(count: int) -> int:
    from .study_days import from_ordinal

    return from_ordinal(count)


# ---------------------------------------------------------------- E0604


def _crossings(spec: Spec, scheduled: list[m.Visit]) -> Iterator[tuple[m.Visit, str, m.Visit, str]]:
    """(visit, neighbouring epoch, its nearest visit, the day) for windows that cross over.

    Only the window counts here: a visit whose planned day is already in the
    wrong place is out of order (E0602).
    """
    extents: dict[str, tuple[int, int, m.Visit, m.Visit]] = {}
    for visit in scheduled:
        if visit.epoch is None:
            continue
        first, last = ordinal(visit.day or 0), ordinal(last_planned_day(visit) or 0)
        current = extents.get(visit.epoch)
        if current is None:
            extents[visit.epoch] = (first, last, visit, visit)
        else:
            low, high, low_visit, high_visit = current
            if first < low:
                low, low_visit = first, visit
            if last > high:
                high, high_visit = last, visit
            extents[visit.epoch] = (low, high, low_visit, high_visit)
    ordered = [e for e in spec.epochs if e in extents]
    for index, epoch in enumerate(ordered):
        previous = ordered[index - 1] if index > 0 else None
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        for visit in scheduled:
            if visit.epoch != epoch:
                continue
            planned_first = ordinal(visit.day or 0)
            planned_last = ordinal(last_planned_day(visit) or 0)
            if following is not None:
                start, _end, first_visit, _last = extents[following]
                if planned_last < start <= ordinal(latest(visit) or 0):
                    yield visit, following, first_visit, f"day {_study_day(start)}"
                    continue
            if previous is not None:
                _start, end, _first, last_visit = extents[previous]
                if ordinal(earliest(visit) or 0) <= end < planned_first:
                    yield visit, previous, last_visit, f"day {_study_day(end)}"


def _outside(visit: m.Visit, epoch: str, neighbour: m.Visit, day: str) -> Diagnostic:
    return Diagnostic(
        "E0604",
        "error",
        f"the window of visit {visit.name} ({_window(visit)}) reaches into the epoch "
        f"'{epoch}', which has visit {neighbour.name} on {day}",
        visit.span,
        (Label(neighbour.span, f"{neighbour.name} is in '{epoch}'"),),
        help=f"narrow the window of {visit.name} so that it stays within its epoch '{visit.epoch}'",
    )


# ---------------------------------------------------------------- E0605


def _endpoints(spec: Spec, last: m.Visit) -> Iterator[Diagnostic]:
    end, what, where = _study_end(spec, last)
    for objective in spec.objectives:
        for endpoint in objective.endpoints:
            frame = endpoint_frame(spec, endpoint)
            if frame is None or ordinal(frame[1]) <= ordinal(end):
                continue
            yield Diagnostic(
                "E0605",
                "error",
                f"endpoint {endpoint.name} runs until day {frame[1]} ({endpoint.until} after "
                f"{endpoint.until_anchor}), but the study ends on day {end} ({what})",
                endpoint.span,
                (Label(where, f"the study ends on day {end}"),),
                help="shorten the time frame, or extend the schedule to its end",
            )


def _study_end(spec: Spec, last: m.Visit) -> tuple[int, str, m.Span]:
    """The last study day: by the trial's stated length from day 1, else the last visit."""
    field = spec.trial_field("length")
    if field is not None and field.value.kind == "quantity":
        stated: m.Quantity = field.value.value  # type: ignore[assignment]
        days = duration_days(stated)
        if days is not None:
            return shift(1, days), f"the trial's length, {stated} from day 1", field.span
    last_day = last_planned_day(last)
    assert last_day is not None
    return last_day, f"the last scheduled visit, {last.name}", last.span


# ---------------------------------------------------------------- E0606


def _length(spec: Spec, scheduled: list[m.Visit], last: m.Visit) -> Iterator[Diagnostic]:
    field = spec.trial_field("length")
    if field is None or field.value.kind != "quantity":
        return
    stated: m.Quantity = field.value.value  # type: ignore[assignment]
    days = duration_days(stated)
    last_day = last_planned_day(last)
    if days is None or last_day is None or last_day < 1:
        return
    shortest = ordinal(last_day)  # from day 1 to the last planned visit
    first = min(ordinal(earliest(v) or 0) for v in scheduled)
    longest = ordinal(latest(last) or last_day) - first + 1  # screening and windows included
    if shortest <= days <= longest:
        return
    yield Diagnostic(
        "E0606",
        "error",
        f"the trial's length is {stated} ({days} days), but the schedule runs "
        f"{shortest} days from day 1 to its last visit {last.name} (day {last_day}) and "
        f"at most {longest} days with screening and visit windows",
        field.span,
        (Label(last.span, f"the last scheduled visit, day {last_day}"),),
        help=f"state a length between {shortest} and {longest} days, or change the schedule",
    )


# ---------------------------------------------------------------- E0607


def _dlt_window(spec: Spec, last: m.Visit) -> Iterator[Diagnostic]:
    last_day = last_planned_day(last)
    assert last_day is not None
    for dose_finding in spec.dose_findings:
        window = dose_finding.dlt_window
        end = dlt_window_end(spec, dose_finding)
        start = dlt_anchor_day(spec, dose_finding)
        if window is None or end is None or start is None:
            continue
        if ordinal(end) <= ordinal(last_day):
            continue
        yield Diagnostic(
            "E0607",
            "error",
            f"the DLT window ends on day {end} ({dlt_window_words(window)} on "
            f"day {start}), but the last scheduled visit, {last.name}, is on day {last_day}: "
            "no visit covers the end of the window",
            window.span,
            (Label(last.span, f"the last scheduled visit, day {last_day}"),),
            help=f"schedule a visit on day {end} or later, or shorten the DLT window",
        )
