"""Element durations against the schedule: the arms add up to the trial, screening
lasts as long as its visit allows.

W0417 the elements an arm passes through from day 1 on last longer in total than
      the trial's stated `length` (or, every one of them with a duration, less);
W0418 the screening element lasts another number of days than the screening
      visit's window allows (`day -28 .. -1` is 28 days of screening).

A screening epoch is one whose visits all come before day 1; its elements are
left out of the sum, as the trial's `length` counts from day 1.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec

from .study_days import duration_days, earliest


def check(spec: Spec) -> Iterator[Diagnostic]:
    screening = _screening_epochs(spec)
    yield from _arms(spec, screening)
    yield from _screening(spec, screening)


def _screening_epochs(spec: Spec) -> dict[str, list[m.Visit]]:
    """The epochs whose dated visits all come before day 1, with those visits."""
    by_epoch: dict[str, list[m.Visit]] = {}
    for visit in spec.visits.values():
        if visit.day is None or visit.epoch is None or visit.condition is not None:
            continue
        by_epoch.setdefault(visit.epoch, []).append(visit)
    return {
        epoch: visits
        for epoch, visits in by_epoch.items()
        if all((v.day_end if v.day_end is not None else v.day or 0) < 1 for v in visits)
    }


def _arms(spec: Spec, screening: dict[str, list[m.Visit]]) -> Iterator[Diagnostic]:
    field = spec.trial_field("length")
    if field is None or field.value.kind != "quantity":
        return
    stated: m.Quantity = field.value.value  # type: ignore[assignment]
    length = duration_days(stated)
    if length is None:
        return
    for arm in spec.arms.values():
        elements = [
            element
            for step in arm.steps
            if step.epoch not in screening
            if (element := spec.elements.get(step.element)) is not None
        ]
        lasting = [
            (e, days)
            for e in elements
            if e.duration is not None and (days := duration_days(e.duration))
        ]
        if not lasting:
            continue
        total = sum(days for _e, days in lasting)
        complete = len(lasting) == len(elements)
        if total <= length and (total == length or not complete):
            continue
        parts = " + ".join(f"{e.name} {e.duration}" for e, _d in lasting)
        longest = max(lasting, key=lambda pair: pair[1])[0]
        yield Diagnostic(
            "W0417",
            "warning",
            f"the elements of arm {arm.name} last {total} days from day 1 ({parts}), but the "
            f"trial's length is {_days(stated, length)}",
            longest.duration_span or longest.span,
            (
                *(
                    Label(e.duration_span or e.span, f"{e.name} lasts {e.duration}")
                    for e, _d in lasting
                    if e is not longest
                ),
                Label(field.span, f"the trial lasts {stated}"),
                Label(arm.span, f"arm {arm.name}"),
            ),
            help="make the elements' durations add up to the trial's length, or correct the length",
        )


def _screening(spec: Spec, screening: dict[str, list[m.Visit]]) -> Iterator[Diagnostic]:
    reported: set[str] = set()
    for arm in spec.arms.values():
        for step in arm.steps:
            visits = screening.get(step.epoch)
            element = spec.elements.get(step.element)
            if not visits or element is None or element.duration is None:
                continue
            if element.name in reported:
                continue
            lasts = duration_days(element.duration)
            first = min(earliest(v) or 0 for v in visits)
            allowed = -first  # days `first` .. -1: there is no day 0
            if lasts is None or lasts == allowed:
                continue
            reported.add(element.name)
            visit = min(visits, key=lambda v: earliest(v) or 0)
            yield Diagnostic(
                "W0418",
                "warning",
                f"the screening element {element.name} lasts {_days(element.duration, lasts)}, "
                f"but screening visit {visit.name} may start on day {first}: {allowed} days "
                "of screening",
                element.duration_span or element.span,
                (Label(visit.span, f"screening from day {first} to day -1"),),
                help=f"make the screening element last {allowed} days, or correct the "
                "screening visit's window",
            )


def _days(quantity: m.Quantity, days: int) -> str:
    """`26 weeks (182 days)`, and `28 days` without repeating itself."""
    return str(quantity) if quantity.unit in ("d", "day", "days") else f"{quantity} ({days} days)"
