"""The time structure: cycles and repeats, and the visits they yield.

E0119 a yielded visit name taken twice (a name pattern that yields one name for
      two visits, or a name another visit already has);
E0120 a name pattern with an unknown placeholder, or one that yields names an
      `at` list cannot write;
E0608 a cycle visit on a day outside its cycle; E0609 a `cycles` selector
      outside the cycles or selecting none; E0610 a cycle without `count` or
      `up_to` (or with both); E0611 a repeat with no end; E0612 a repeat that
      ends before its first visit; E0613 more visits than the expansion yields;
      E0614 a cycle length or interval under a whole day; E0615 a series whose
      anchor depends on the series itself; E0616 a length, interval or offset that
      is not a duration, or a visit given both a day and an event-relative time.

The expansion (`protocol_dsl.timeline`) finds most of these while placing
visits and returns them as problems; this module reports them, and the
problems of names that only the whole list shows.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import durations
from protocol_dsl import model as m
from protocol_dsl import timeline as tl
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer


def check(spec: Spec) -> Iterator[Diagnostic]:
    for problem in spec.timeline.problems:
        yield Diagnostic(problem.code, "error", problem.message, problem.span, help=problem.help)
    yield from _counts(spec)
    yield from _names(spec)
    yield from _timing(spec)


def _timing(spec: Spec) -> Iterator[Diagnostic]:
    for decl in spec.module.declarations:
        if isinstance(decl, m.Visit) and decl.after is not None:
            yield from _duration(decl.after.offset, decl.after.span, "an offset")
            if decl.day is not None:
                yield Diagnostic(
                    "E0616",
                    "error",
                    f"visit {decl.name} is "
                    + (f"at week {decl.week}" if decl.week is not None else f"on day {decl.day}")
                    + " and also "
                    f"{printer.position(decl.after)}",
                    decl.after.span,
                    help="keep one: a planned day, or a time before or after an anchor",
                )
        elif isinstance(decl, m.Cycle):
            yield from _duration(decl.length, decl.span, "a cycle length")
            if decl.start is not None:
                yield from _duration(decl.start.offset, decl.start.span, "an offset")
            for visit in decl.visits:
                for point in visit.timepoints:
                    yield from _duration(point.offset, point.span, "a time point's offset")
                    yield from _duration(point.window, point.span, "a time point's window")
        elif isinstance(decl, m.Repeat):
            yield from _duration(decl.every, decl.span, "an interval")
            for position in (decl.start, decl.end):
                if position is not None:
                    yield from _duration(position.offset, position.span, "an offset")


def _duration(quantity: m.Quantity | None, span: m.Span, what: str) -> Iterator[Diagnostic]:
    if quantity is None or durations.time_code(quantity.unit) is not None:
        return
    yield Diagnostic(
        "E0616",
        "error",
        f"{quantity} is not a duration: {what} is a time",
        span,
        help="write it in minutes, hours, days, weeks, months or years: `6 weeks`, `1 h`",
    )


def _counts(spec: Spec) -> Iterator[Diagnostic]:
    for cycle in spec.module.of_type(m.Cycle):
        if cycle.count is not None and cycle.up_to is not None:
            yield Diagnostic(
                "E0610",
                "error",
                f"cycle {cycle.name} has both `count {cycle.count}` (exactly) and "
                f"`up_to {cycle.up_to}` (at most)",
                cycle.span,
                help='keep `count N` for a fixed number of cycles, or `up_to N until "…"` '
                "for cycles that stop on an event",
            )
        elif cycle.count is not None and cycle.until is not None:
            yield Diagnostic(
                "E0610",
                "error",
                f"cycle {cycle.name} has exactly {cycle.count} cycles (`count`) "
                "and a stopping rule (`until`)",
                cycle.span,
                help=f'write `up_to {cycle.count} until "…"` when cycles stop on an event',
            )


def _names(spec: Spec) -> Iterator[Diagnostic]:
    first: dict[str, m.Visit] = {}
    invalid: set[str] = set()
    for visit in spec.timeline.written:
        if visit.series is not None and not tl.is_name(visit.name):
            if visit.series not in invalid:
                invalid.add(visit.series)
                yield Diagnostic(
                    "E0120",
                    "error",
                    f"{visit.series} yields the visit name '{visit.name}', which is not a name "
                    "(letters, digits and _, not starting with a digit)",
                    visit.span,
                    help='change the `names` pattern, e.g. "C{cycle}D{day}" or "W{week}"',
                )
            continue
        seen = first.get(visit.name)
        if seen is None:
            first[visit.name] = visit
            continue
        if seen.series is None and visit.series is None:
            continue  # two declared visits: a duplicate declaration (E0102)
        yield Diagnostic(
            "E0119",
            "error",
            f"the visit name {visit.name} is taken twice: {_origin(seen)} and {_origin(visit)}",
            visit.span,
            (Label(seen.span, f"{_origin(seen)} is named {visit.name} here"),),
            help="give the series a `names` pattern that tells its visits apart "
            "(with {cycle} and {day} for a cycle, {n}, {week} or {day} for a repeat)",
        )


def _origin(visit: m.Visit) -> str:
    if visit.series is None:
        return f"the visit {visit.name}"
    if visit.cycle is not None:
        return f"visit {visit.template} of cycle {visit.cycle} of {visit.series}"
    return f"occurrence {visit.occurrence} of {visit.series}"
