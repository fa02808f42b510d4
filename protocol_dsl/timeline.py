"""The time line of a trial: cycles and repeats expanded into the visits they yield.

A spec declares visits one by one, and also as series: a `cycle` (a block of
days repeated a number of times, with template visits on some of its days)
and a `repeat` (a visit every N weeks from, or after, a position).  `expand`
turns all of them into one list of `model.Visit`s in schedule order, so that
every back end reads the expanded schedule as if each visit had been written
by hand.  The yielded visits record where they come from (`series`,
`template`, `cycle`, `occurrence`), whether they are planned on the calendar
(`calendar`) or relative to an event with no planned day (`relative_to`), and
carry the span of the declaration that yields them, so that a diagnostic
about C3D1 points at the template visit D1 of its cycle.

Positions are resolved against anchors: an anchor on a visit with a planned
day is fixed (`first_dose = visit C1D1` is day 1), an anchor on a visit with
no planned day or on a data expression is an event (end of treatment).
Series may anchor on visits other series yield, so resolution runs until
nothing more can be placed; what is left depends on itself and is reported.

Problems found on the way (a cycle visit outside its cycle, a repeat with no
end, more visits than `MAX_VISITS`) are returned with the time line, never
raised: `protocol_dsl.checks.timeline` reports them.  The expansion is
bounded: a series that would yield more than `MAX_VISITS` visits yields none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from protocol_dsl import durations
from protocol_dsl import model as m

#: The most visits a spec's series may yield together: beyond it the expansion stops
#: with a diagnostic rather than build a schedule no one could run (or wait for).
MAX_VISITS = 2000

DEFAULT_CYCLE_NAMES = "C{cycle}{visit}"
DEFAULT_REPEAT_NAMES = "{name}{n}"
CYCLE_PLACEHOLDERS = frozenset({"cycle", "day", "visit"})
REPEAT_PLACEHOLDERS = frozenset({"n", "week", "day"})

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@attrs.frozen
class Problem:
    """Something the expansion could not do as written; a check turns it into a diagnostic."""

    code: str
    message: str
    span: m.Span
    help: str | None = None


@attrs.frozen
class Group:
    """Visits of a series shown together (a column group of a schedule of activities):
    one template visit of a cycle across the cycles that have it, or every occurrence of a
    repeat; `description` says so in words ("day 1 of cycles 2 to 17")."""

    series: str
    template: str | None
    visits: tuple[m.Visit, ...]
    description: str

    @property
    def span_of_names(self) -> str:
        """ "C2D1–C17D1", or the one name."""
        first, last = self.visits[0].name, self.visits[-1].name
        return first if first == last else f"{first}–{last}"


@attrs.frozen
class Series:
    """A cycle or a repeat, and the visits it yields in schedule order."""

    decl: m.Cycle | m.Repeat
    visits: tuple[m.Visit, ...]

    @property
    def name(self) -> str:
        return self.decl.name

    @property
    def groups(self) -> tuple[Group, ...]:
        """For display: a cycle's visits by template (in the order the templates are
        written), a repeat's as one group; a series that yields nothing has none."""
        if not self.visits:
            return ()
        if isinstance(self.decl, m.Repeat):
            words = f"every {self.decl.every}, {len(self.visits)} visits"
            return (Group(self.name, None, self.visits, words),)
        groups = []
        for template in self.decl.visits:
            visits = tuple(v for v in self.visits if v.template == template.name)
            if not visits:
                continue
            first, last = visits[0].cycle, visits[-1].cycle
            cycles = f"cycle {first}" if first == last else f"cycles {first} to {last}"
            words = f"day {template.day} of {cycles}"
            groups.append(Group(self.name, template.name, visits, words))
        return tuple(groups)


@attrs.frozen
class Timeline:
    """Declared and yielded visits in schedule order, the series, and the problems."""

    visits: tuple[m.Visit, ...]
    series: tuple[Series, ...]
    problems: tuple[Problem, ...]
    #: the same visits in the order they are written: declarations in source order,
    #: a series' visits in the order it yields them (cycle by cycle, occurrence by one)
    written: tuple[m.Visit, ...] = ()

    def series_named(self, name: str) -> Series | None:
        for series in self.series:
            if series.name == name:
                return series
        return None


@attrs.frozen
class _Place:
    """A resolved position: a planned study day, or an offset in days from an event anchor."""

    day: int | None
    anchor: str | None = None
    offset: int = 0
    #: a fixed day reached through an anchor (a calendar series), not written as a day
    through_anchor: bool = False


_WAIT = object()  # the position's anchor is a visit not placed yet


def expand(declarations: Sequence[object], trial_length: m.Quantity | None = None) -> Timeline:
    """The time line of a module's declarations (`trial_length`: the header's `length`)."""
    return _Expansion(declarations, trial_length).run()


class _Expansion:
    def __init__(self, declarations: Sequence[object], trial_length: m.Quantity | None):
        self.declarations = declarations
        self.anchors: dict[str, m.Anchor] = {}
        for decl in declarations:
            if isinstance(decl, m.Anchor):
                self.anchors.setdefault(decl.name, decl)
        length = durations.days(trial_length) if trial_length is not None else None
        self.length_days = length if length is not None and length > 0 else None
        self.placed: dict[str, m.Visit] = {}
        self.problems: list[Problem] = []
        self.budget = MAX_VISITS

    # ------------------------------------------------------------ driver

    def run(self) -> Timeline:
        # what each declaration yields, kept in declaration order for the final sort
        yielded: dict[int, list[m.Visit]] = {}
        pending: list[tuple[int, object]] = []
        for index, decl in enumerate(self.declarations):
            if isinstance(decl, m.Visit) and decl.after is None:
                yielded[index] = [decl]
                self.placed.setdefault(decl.name, decl)
            elif isinstance(decl, (m.Visit, m.Cycle, m.Repeat)):
                pending.append((index, decl))
        series: dict[int, Series] = {}
        while pending:
            progress = False
            waiting: list[tuple[int, object]] = []
            for index, decl in pending:
                visits = self._expand(decl, final=False)
                if visits is None:
                    waiting.append((index, decl))
                    continue
                progress = True
                self._place(index, decl, visits, yielded, series)
            pending = waiting
            if not progress:
                for index, decl in pending:
                    assert isinstance(decl, (m.Visit, m.Cycle, m.Repeat))
                    self.problems.append(
                        Problem(
                            "E0615",
                            f"{_kind(decl)} {decl.name} cannot be placed on the time line: "
                            "its anchor is a visit that depends on it",
                            decl.span,
                            help="anchor it on a day, a week or an anchor placed without it",
                        )
                    )
                    visits = self._expand(decl, final=True)
                    self._place(index, decl, visits or [], yielded, series)
                break
        ordered = [v for index in sorted(yielded) for v in yielded[index]]
        return Timeline(
            _schedule_order(ordered, self.anchors),
            tuple(series[i] for i in sorted(series)),
            tuple(self.problems),
            tuple(ordered),
        )

    def _place(
        self,
        index: int,
        decl: object,
        visits: list[m.Visit],
        yielded: dict[int, list[m.Visit]],
        series: dict[int, Series],
    ) -> None:
        yielded[index] = visits
        for visit in visits:
            self.placed.setdefault(visit.name, visit)
        if isinstance(decl, (m.Cycle, m.Repeat)):
            by_day = _schedule_order(visits, self.anchors)
            series[index] = Series(decl, by_day)

    def _expand(self, decl: object, *, final: bool) -> list[m.Visit] | None:
        if isinstance(decl, m.Cycle):
            return self._cycle(decl, final)
        if isinstance(decl, m.Repeat):
            return self._repeat(decl, final)
        assert isinstance(decl, m.Visit)
        return self._relative_visit(decl, final)

    # ------------------------------------------------------------ positions

    def _resolve(self, position: m.Position, final: bool) -> _Place | object | None:
        """Where a position is: a `_Place`, `_WAIT` (not yet known) or None (unknown anchor)."""
        if position.anchor is None:
            return _Place(position.day)
        offset = 0
        if position.offset is not None:
            days = durations.days(position.offset)
            if days is None:
                return None  # not a duration: reported by the units check
            offset = days if position.direction == "after" else -days
        anchor = self.anchors.get(position.anchor)
        if anchor is None:
            if position.anchor == "first_dose":
                # the language's built-in first dose: day 1, as the dosing checks read it
                return _Place(durations.shift(1, offset), through_anchor=True)
            return None  # an unknown anchor: reported by the name check
        if anchor.visit is None:
            return _Place(None, anchor.name, offset)
        visit = self.placed.get(anchor.visit)
        if visit is None:
            return _Place(None, anchor.name, offset) if final else _WAIT
        if visit.day is None:
            return _Place(None, anchor.name, offset)
        return _Place(durations.shift(visit.day, offset), through_anchor=True)

    def _take(self, count: int, decl: m.Cycle | m.Repeat) -> bool:
        """Whether `count` more visits stay within the cap (else the problem is recorded)."""
        if count <= self.budget:
            self.budget -= count
            return True
        self.problems.append(
            Problem(
                "E0613",
                f"{_kind(decl)} {decl.name} would yield {count} visits; a spec's cycles and "
                f"repeats may yield at most {MAX_VISITS} together",
                decl.span,
                help="check the interval and the end (`to`, `at_most`, `count`, `up_to`)",
            )
        )
        return False

    # ------------------------------------------------------------ event-relative visits

    def _relative_visit(self, visit: m.Visit, final: bool) -> list[m.Visit] | None:
        assert visit.after is not None
        place = self._resolve(visit.after, final)
        if place is _WAIT:
            return None
        if not isinstance(place, _Place):
            return [visit]
        if place.day is not None:
            return [_evolve(visit, day=place.day)]
        return [_evolve(visit, relative_to=visit.after)]

    # ------------------------------------------------------------ cycles

    def _cycle(self, cycle: m.Cycle, final: bool) -> list[m.Visit] | None:
        start = _Place(1)
        if cycle.start is not None:
            place = self._resolve(cycle.start, final)
            if place is _WAIT:
                return None
            if not isinstance(place, _Place):
                return []
            start = place
        length = _whole_days(cycle.length)
        if length is None:
            return []  # not a duration (E0616, `checks.timeline`)
        if length < 1:
            self.problems.append(
                Problem(
                    "E0614",
                    f"cycle {cycle.name} lasts {cycle.length}: a cycle lasts at least one whole day",
                    cycle.span,
                    help="write the length in days or weeks: `lasts 21 days`",
                )
            )
            return []
        count = cycle.planned_cycles
        if count is None:
            self.problems.append(
                Problem(
                    "E0610",
                    f"cycle {cycle.name} says neither how many cycles there are nor their maximum",
                    cycle.span,
                    help='add `count N` (exactly N cycles) or `up_to N until "stopping rule"`',
                )
            )
            return []
        pattern = cycle.names or DEFAULT_CYCLE_NAMES
        if not self._pattern_ok(pattern, CYCLE_PLACEHOLDERS, cycle):
            return []
        templates = [t for t in cycle.visits if self._template_ok(cycle, t, length, count)]
        total = sum(len(_cycles_of(t, count)) for t in templates)
        if not self._take(total, cycle):
            return []
        visits: list[m.Visit] = []
        for number in range(1, count + 1):
            for template in templates:
                if number not in _cycles_of(template, count):
                    continue
                assert template.day is not None
                fields = {"cycle": number, "day": template.day, "visit": template.name}
                name = _fill(pattern, fields)
                within = (number - 1) * length
                day = end = None
                relative = None
                if start.day is not None:
                    day = durations.shift(start.day, within + template.day - 1)
                    if template.day_end is not None:
                        end = durations.shift(start.day, within + template.day_end - 1)
                else:
                    relative = _relative(start, within + template.day - 1, template.span)
                visits.append(
                    m.Visit(
                        name,
                        _cycle_label(template, number, fields),
                        day,
                        end,
                        template.window_before,
                        template.window_after,
                        template.epoch or cycle.epoch,
                        condition=template.condition,
                        marks=template.marks,
                        span=template.span,
                        series=cycle.name,
                        template=template.name,
                        cycle=number,
                        calendar=False,
                        relative_to=relative,
                        timepoints=template.timepoints,
                    )
                )
        return visits

    def _template_ok(self, cycle: m.Cycle, template: m.CycleVisit, length: int, count: int) -> bool:
        ok = True
        if template.day is None:
            self.problems.append(
                Problem(
                    "E0608",
                    f"visit {template.name} of cycle {cycle.name} has no day within the cycle",
                    template.span,
                    help=f"give its day within the cycle: `day 1` to `day {length}`",
                )
            )
            return False
        last = template.day_end if template.day_end is not None else template.day
        if not (1 <= template.day <= length and 1 <= last <= length and template.day <= last):
            days = "day" if template.day_end is None else "days"
            shown = (
                str(template.day)
                if template.day_end is None
                else f"{template.day} .. {template.day_end}"
            )
            self.problems.append(
                Problem(
                    "E0608",
                    f"visit {template.name} is on {days} {shown} of cycle {cycle.name}, "
                    f"which has days 1 to {length}",
                    template.span,
                    help="a cycle visit's day counts within its cycle, from day 1 "
                    "(day 1 of cycle 2 is the day after the last day of cycle 1)",
                )
            )
            ok = False
        first, last_cycle = template.cycles_from, template.cycles_to
        if first is not None:
            upper = last_cycle if last_cycle is not None else count
            if first > count or upper > count or first > upper:
                selector = _selector(template)
                reason = (
                    "selects no cycle"
                    if first > upper
                    else f"goes beyond the {count} cycles of {cycle.name}"
                )
                self.problems.append(
                    Problem(
                        "E0609",
                        f"visit {template.name}: `cycles {selector}` {reason}",
                        template.span,
                        help=f"select cycles between 1 and {count}",
                    )
                )
                ok = False
        return ok

    # ------------------------------------------------------------ repeats

    def _repeat(self, repeat: m.Repeat, final: bool) -> list[m.Visit] | None:
        start = self._resolve(repeat.start, final)
        if start is _WAIT:
            return None
        if not isinstance(start, _Place):
            return []
        interval = _whole_days(repeat.every)
        if interval is None:
            return []  # not a duration (E0616, `checks.timeline`)
        if interval < 1:
            self.problems.append(
                Problem(
                    "E0614",
                    f"repeat {repeat.name} every {repeat.every}: "
                    "the interval must be at least one whole day",
                    repeat.span,
                    help="write the interval in days or weeks: `every 6 weeks`",
                )
            )
            return []
        # the first occurrence, as an offset in days from the start position
        first = 0 if repeat.start_inclusive else interval
        count = self._occurrences(repeat, start, first, interval, final)
        if count is None:
            return None
        if count == 0 or not self._take(count, repeat):
            return []
        pattern = repeat.names or DEFAULT_REPEAT_NAMES
        if not self._pattern_ok(pattern, REPEAT_PLACEHOLDERS | {"name"}, repeat):
            return []
        visits: list[m.Visit] = []
        for k in range(count):
            offset = first + k * interval
            day = relative = None
            if start.day is not None:
                day = durations.shift(start.day, offset)
                counted = durations.ordinal(day)
            else:
                relative = _relative(start, offset, repeat.span)
                counted = start.offset + offset
            fields = {"n": k + 1, "day": day if day is not None else counted, "week": counted // 7}
            fields_text: dict[str, object] = {**fields, "name": repeat.name}
            visits.append(
                m.Visit(
                    _fill(pattern, fields_text),
                    _repeat_label(repeat, k + 1, fields_text),
                    day,
                    None,
                    repeat.window_before,
                    repeat.window_after,
                    repeat.epoch,
                    condition=repeat.condition,
                    marks=repeat.marks,
                    span=repeat.span,
                    series=repeat.name,
                    occurrence=k + 1,
                    calendar=start.day is not None,
                    relative_to=relative,
                )
            )
        return visits

    def _occurrences(
        self, repeat: m.Repeat, start: _Place, first: int, interval: int, final: bool
    ) -> int | None:
        """How many visits a repeat yields (None: its end is not placed yet)."""
        bounds: list[int] = []
        if repeat.at_most is not None:
            bounds.append(repeat.at_most)
        if repeat.end is not None:
            end = self._resolve(repeat.end, final)
            if end is _WAIT:
                return None
            span_days = _span_between(start, end) if isinstance(end, _Place) else None
            if span_days is not None:
                if span_days < first:
                    self.problems.append(
                        Problem(
                            "E0612",
                            f"repeat {repeat.name} ends (`to`) before its first visit",
                            repeat.end.span,
                            help="the end must be on or after the first occurrence "
                            "(`from X` is at X, `after X` one interval after X)",
                        )
                    )
                    return 0
                bounds.append((span_days - first) // interval + 1)
        if not bounds and start.day is not None and self.length_days is not None:
            # the trial's planned length, counted from day 1, ends the series
            last_day = durations.from_ordinal(self.length_days)
            span_days = durations.ordinal(last_day) - durations.ordinal(start.day)
            bounds.append(max(0, (span_days - first) // interval + 1))
        if not bounds:
            where = (
                "its anchor is an event with no planned day"
                if start.day is None
                else "the trial header has no `length`"
            )
            self.problems.append(
                Problem(
                    "E0611",
                    f"repeat {repeat.name} has no end: no `to`, no `at_most`, and {where}",
                    repeat.span,
                    help="add `at_most N` (the most visits planned) or `to POSITION`"
                    + ("" if start.day is None else ", or the trial's `length`"),
                )
            )
            return 0
        return min(bounds)

    # ------------------------------------------------------------ names

    def _pattern_ok(self, pattern: str, allowed: frozenset[str], decl: m.Cycle | m.Repeat) -> bool:
        unknown = sorted({p for p in _PLACEHOLDER.findall(pattern) if p not in allowed})
        if unknown:
            shown = ", ".join("{" + p + "}" for p in sorted(allowed))
            self.problems.append(
                Problem(
                    "E0120",
                    f"the names of {_kind(decl)} {decl.name} use an unknown placeholder "
                    + ", ".join("{" + p + "}" for p in unknown),
                    decl.span,
                    help=f"the placeholders are {shown}",
                )
            )
            return False
        return True


# ---------------------------------------------------------------- helpers


def _kind(decl: object) -> str:
    return {m.Cycle: "cycle", m.Repeat: "repeat"}.get(type(decl), "visit")


def _whole_days(quantity: m.Quantity) -> int | None:
    exact = durations.exact_days(quantity)
    if exact is None:
        return None
    return int(exact) if exact.denominator == 1 else -1


def _cycles_of(template: m.CycleVisit, count: int) -> range:
    first = template.cycles_from if template.cycles_from is not None else 1
    if template.cycles_from is None:
        last = count
    else:
        last = template.cycles_to if template.cycles_to is not None else count
    return range(first, min(last, count) + 1)


def _selector(template: m.CycleVisit) -> str:
    if template.single_cycle:
        return str(template.cycles_from)
    if template.cycles_to is None:
        return f"{template.cycles_from} .."
    return f"{template.cycles_from} .. {template.cycles_to}"


def _fill(pattern: str, fields: dict[str, object]) -> str:
    return _PLACEHOLDER.sub(lambda match: str(fields.get(match[1], match[0])), pattern)


def _cycle_label(template: m.CycleVisit, number: int, fields: dict[str, object]) -> str:
    if template.label is not None and _PLACEHOLDER.search(template.label):
        return _fill(template.label, fields)
    return f"Cycle {number} {template.label or f'Day {template.day}'}"


def _repeat_label(repeat: m.Repeat, number: int, fields: dict[str, object]) -> str | None:
    if repeat.label is None:
        return None
    if _PLACEHOLDER.search(repeat.label):
        return _fill(repeat.label, fields)
    return f"{repeat.label} {number}"


def _relative(start: _Place, offset: int, span: m.Span) -> m.Position:
    total = start.offset + offset
    return m.Position(
        anchor=start.anchor,
        offset=m.Quantity(Decimal(abs(total)), "days"),
        direction="before" if total < 0 else "after",
        span=span,
    )


def _span_between(start: _Place, end: _Place) -> int | None:
    """Days from a start to an end position, when both are on one scale."""
    if start.day is not None and end.day is not None:
        return durations.ordinal(end.day) - durations.ordinal(start.day)
    if start.day is None and end.day is None and start.anchor == end.anchor:
        return end.offset - start.offset
    return None


def _evolve(visit: m.Visit, **changes: object) -> m.Visit:
    # mypy's attrs plugin knows only attrs' own decorators, not `model.node`
    return attrs.evolve(visit, **changes)  # type: ignore[misc]


def is_name(text: str) -> bool:
    """Whether a yielded name can be written in the language (in an `at` list)."""
    return _NAME.fullmatch(text) is not None


def _schedule_order(visits: Iterable[m.Visit], anchors: dict[str, m.Anchor]) -> tuple[m.Visit, ...]:
    """Visits with a planned day by day (stable: declaration, then yield order); then the
    others in declaration order, each visit relative to an event right after the visit
    its anchor names (by offset), or at the end when the anchor names no such visit."""
    visits = list(visits)
    planned = sorted((v for v in visits if v.day is not None), key=lambda v: v.day or 0)
    other = [v for v in visits if v.day is None and v.relative_to is None]
    relative = [v for v in visits if v.day is None and v.relative_to is not None]
    by_visit: dict[str, list[m.Visit]] = {}
    for visit in relative:
        assert visit.relative_to is not None
        anchor = anchors.get(visit.relative_to.anchor or "")
        if anchor is not None and anchor.visit is not None:
            by_visit.setdefault(anchor.visit, []).append(visit)
    ordered: list[m.Visit] = []
    seen: set[int] = set()

    def add(visit: m.Visit) -> None:
        if id(visit) in seen:
            return
        seen.add(id(visit))
        ordered.append(visit)
        for follower in sorted(by_visit.get(visit.name, ()), key=_relative_days):
            add(follower)

    for visit in other:
        add(visit)
    anchor_order = {name: i for i, name in enumerate(anchors)}
    for visit in sorted(
        (v for v in relative if id(v) not in seen),
        key=lambda v: (
            anchor_order.get((v.relative_to.anchor if v.relative_to else "") or "", 0),
            _relative_days(v),
        ),
    ):
        add(visit)
    return tuple(planned + ordered)


def _relative_days(visit: m.Visit) -> Decimal:
    position = visit.relative_to
    if position is None or position.offset is None:
        return Decimal(0)
    days = durations.exact_days(position.offset)
    value = Decimal(days.numerator) / Decimal(days.denominator) if days is not None else Decimal(0)
    return -value if position.direction == "before" else value
