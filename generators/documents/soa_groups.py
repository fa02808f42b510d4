"""The schedule of activities as protocols print it: repeating columns grouped.

`schedule.build_schedule` has one column per visit of the expanded schedule:
with 17 cycles and follow-up every 12 weeks that is forty columns no page
holds.  This module collapses them the way protocol writers do:

- consecutive cycles whose columns are identical (the same visits of the
  cycle, with the same activities and forms) collapse into one group, printed
  "C2–C17" over one sub-column per visit of the cycle ("D1"); a cycle unlike
  its neighbours (the dense cycle 1, a cycle with extra sampling) keeps its own
  group ("C1");
- the occurrences of a repeat (tumour assessment every 6 weeks, survival
  follow-up every 12 weeks) collapse into one column, "every 12 weeks", with
  its start, end and maximum in a footnote; occurrences unlike the others
  (an extra assessment at one of them) keep their own columns;
- a visit planned relative to an event ("30 days after last dose") is printed
  with that timing, in the place the expanded schedule gives it;
- time points within a visit (pre-dose, end of infusion, +4 h) are listed in a
  footnote of its column, and in the table of time points (`timepoint_table`).

The grouped columns are placed in the order of their first visit.  Every X of
a grouped column stands for every visit it groups: grouping never merges
visits whose activities differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs

from generators.documents.days import day_text, window_text
from generators.documents.document import Table, cell
from generators.documents.marks import MarkIndex
from generators.documents.schedule import Column, Schedule, _Footnotes, _sentence, soa_table
from generators.documents.timing import (
    cycle_words,
    relative_timing,
    repeat_words,
    series_title,
    series_visits,
    timepoint_labels,
    timepoint_words,
)
from protocol_dsl import model as m
from protocol_dsl.semantics.words import label_phrase
from protocol_dsl.spec import Spec


@attrs.frozen
class _Unit:
    """Columns of the expanded schedule printed as one group (or one column)."""

    columns: tuple[tuple[int, ...], ...]  # per printed column, the expanded columns it stands for
    kind: str  # "visit", "cycle" or "repeat"
    group: str = ""
    series: str = ""


def group_schedule(spec: Spec, schedule: Schedule) -> Schedule:
    """The schedule with repeating columns grouped; a schedule without cycles or repeats
    comes back as it is."""
    if not any(c.visit.series for c in schedule.columns):
        return schedule
    signatures = [_signature(schedule, i) for i in range(len(schedule.columns))]
    units = _in_print_order(list(_units(spec, schedule, signatures)))
    # footnotes are lettered afresh, in order of first use: the expanded schedule has a
    # note per conditional visit, the grouped one a note per printed column
    notes = _Footnotes()
    columns: list[Column] = []
    stands_for: list[int] = []
    described: set[str] = set()
    for unit in units:
        for members in unit.columns:
            columns.append(_printed_column(spec, schedule, unit, members, notes, described))
            stands_for.append(members[0])
    texts = {note.key: note.text for note in schedule.footnotes}
    rows = tuple(
        attrs.evolve(
            row,
            at=tuple(row.at[i] for i in stands_for),
            footnotes=_ordered(notes.add(texts[key]) for key in row.footnotes),
        )
        for row in schedule.rows
    )
    return Schedule(tuple(columns), rows, tuple(notes.notes))


def _ordered(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(keys), key=lambda k: (len(k), k)))


def _in_print_order(units: list[_Unit]) -> list[_Unit]:
    """Units in the order of their first visit; a collapsed repeat that starts among the
    cycles is printed after them (a column "every 6 weeks" inside the cycles would split
    them)."""
    spans = _cycle_spans(units)

    def key(unit: _Unit) -> tuple[float, int]:
        first = unit.columns[0][0]
        if unit.kind == "repeat" and len(unit.columns[0]) > 1:
            inside = [end for start, end in spans if start < first < end]
            if inside:
                return (max(inside) + 0.5, first)
        return (float(first), first)

    return sorted(units, key=key)


def _cycle_spans(units: list[_Unit]) -> list[tuple[int, int]]:
    """The first and last expanded column of each cycle series."""
    spans: dict[str, list[int]] = {}
    for unit in units:
        if unit.kind == "cycle":
            spans.setdefault(unit.series, []).extend(i for c in unit.columns for i in c)
    return [(min(v), max(v)) for v in spans.values()]


def _signature(schedule: Schedule, index: int) -> tuple[object, ...]:
    column = schedule.columns[index]
    return (
        tuple(row.at[index] for row in schedule.rows),
        column.visit.condition,
        column.epoch,
        column.window,
        column.visit.marks,
        column.visit.timepoints,
    )


def _units(
    spec: Spec, schedule: Schedule, signatures: Sequence[tuple[object, ...]]
) -> Iterator[_Unit]:
    by_series: dict[str, list[int]] = {}
    for index, column in enumerate(schedule.columns):
        series = column.visit.series
        if series in spec.cycles or series in spec.repeats:
            by_series.setdefault(series, []).append(index)
        else:
            yield _Unit(((index,),), "visit")
    for name, indices in by_series.items():
        if name in spec.cycles:
            yield from _cycle_units(spec.cycles[name], schedule, indices, signatures)
        else:
            yield from _repeat_units(schedule, indices, signatures)


def _cycle_units(
    cycle: m.Cycle, schedule: Schedule, indices: list[int], signatures: Sequence[tuple[object, ...]]
) -> Iterator[_Unit]:
    by_cycle: dict[int, list[int]] = {}
    for index in indices:
        by_cycle.setdefault(schedule.columns[index].visit.cycle or 0, []).append(index)
    numbers = sorted(by_cycle)

    def key(number: int) -> tuple[object, ...]:
        return tuple((schedule.columns[i].visit.template, signatures[i]) for i in by_cycle[number])

    for run in _runs(numbers, key, lambda a, b: b == a + 1):
        first = by_cycle[run[0]]
        columns = tuple(
            tuple(by_cycle[number][position] for number in run) for position in range(len(first))
        )
        yield _Unit(columns, "cycle", _cycle_run_label(cycle, run[0], run[-1]), cycle.name)


def _repeat_units(
    schedule: Schedule, indices: list[int], signatures: Sequence[tuple[object, ...]]
) -> Iterator[_Unit]:
    for run in _runs(indices, lambda i: signatures[i], lambda _a, _b: True):
        yield _Unit((tuple(run),), "repeat", series=schedule.columns[run[0]].visit.series or "")


def _runs(
    items: list[int], key: Callable[[int], object], adjacent: Callable[[int, int], bool]
) -> list[list[int]]:
    """Runs of adjacent items with the same key."""
    runs: list[list[int]] = []
    for item in items:
        if runs and adjacent(runs[-1][-1], item) and key(runs[-1][-1]) == key(item):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _cycle_run_label(cycle: m.Cycle, first: int, last: int) -> str:
    """ "C1", "C2–C17" (default visit names), else the cycle's label: "Maintenance 1–2"."""
    if cycle.names is None:
        return f"C{first}" if first == last else f"C{first}–C{last}"
    label = cycle.label or cycle.name.replace("_", " ")
    return f"{label} {first}" if first == last else f"{label} {first}–{last}"


# ---------------------------------------------------------------- printed columns


def _printed_column(
    spec: Spec,
    schedule: Schedule,
    unit: _Unit,
    members: tuple[int, ...],
    notes: _Footnotes,
    described: set[str],
) -> Column:
    """One printed column; a series is described in a footnote on its first column."""
    source = [schedule.columns[i] for i in members]
    first, last = source[0], source[-1]
    visit = first.visit
    keys: list[str] = []
    if unit.kind == "cycle":
        template = _template(spec, visit)
        title = (
            (series_title(template.label, first.visit, last.visit) or template.name)
            if template
            else first.label
        )
        if len(source) == 1:
            names, day = visit.name, first.day
        else:
            names = f"{visit.name}–{last.visit.name}"
            day = _cycle_day(template)
        cycle = spec.cycles[unit.series]
        if unit.series not in described:
            described.add(unit.series)
            keys.append(notes.add(f"{cycle.label or cycle.name}: {cycle_words(cycle)}."))
    elif unit.kind == "repeat" and len(source) > 1:
        repeat = spec.repeats[visit.series or ""]
        title = series_title(repeat.label, first.visit, last.visit) or repeat.name
        names = f"{visit.name}–{last.visit.name}"
        day = f"every {_every(repeat)}"
        keys.append(notes.add(f"{title}: {repeat_words(spec, repeat)}."))
    else:
        title = first.label
        names = visit.name
        relative = relative_timing(spec, visit)
        day = _capital(relative) if relative and visit.day is None else first.day
        if unit.kind == "repeat":
            repeat = spec.repeats[visit.series or ""]
            occurrences = series_visits(spec, repeat.name)
            whole = series_title(repeat.label, occurrences[0], occurrences[-1]) or repeat.name
            keys.append(notes.add(f"{whole}: {repeat_words(spec, repeat)}."))
    who = title if unit.kind == "visit" else f"{title} ({names})"
    if visit.condition:
        keys.append(notes.add(f"{who}: {_sentence(visit.condition)}"))
    if visit.unscheduled:
        keys.append(notes.add(f"{who}: as needed; forms as required."))
    if visit.timepoints:
        labels = timepoint_labels(visit.timepoints)
        points = "; ".join(
            labels[p.name] + (f": {words}" if (words := timepoint_words(p, labels)) else "")
            for p in visit.timepoints
        )
        keys.append(notes.add(f"Time points within the visit: {points}."))
    return Column(
        visit,
        day,
        window_text(visit),
        first.epoch,
        _ordered(keys),
        visits=tuple(c.visit for c in source),
        group=unit.group,
        title=title,
        names=names,
    )


def _template(spec: Spec, visit: m.Visit) -> m.CycleVisit | None:
    cycle = spec.cycles.get(visit.series or "")
    if cycle is None:
        return None
    return next((t for t in cycle.visits if t.name == visit.template), None)


def _cycle_day(template: m.CycleVisit | None) -> str:
    """ "Day 1 of each cycle", "Days 8 to 9 of each cycle"."""
    if template is None or template.day is None:
        return "Each cycle"
    if template.day_end is not None:
        return f"Days {day_text(template.day)} to {day_text(template.day_end)} of each cycle"
    return f"Day {day_text(template.day)} of each cycle"


def _every(repeat: m.Repeat) -> str:
    from protocol_dsl.semantics.words import quantity_in_words

    return quantity_in_words(repeat.every)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- time points


def soa_blocks(spec: Spec, schedule: Schedule, marks: MarkIndex) -> tuple[Table, ...]:
    """The SoA grid, and the table of time points when visits have them."""
    points = timepoint_table(spec)
    return (soa_table(schedule, marks),) if points is None else (soa_table(schedule, marks), points)


def timepoint_table(spec: Spec) -> Table | None:
    """Time points within visits, one row per visit that has them (the sampling table); a
    cycle's visit is one row for all its cycles."""
    instances: dict[tuple[str | None, str | None], list[str]] = {}
    for visit in spec.visit_order:
        if visit.template is not None:
            instances.setdefault((visit.series, visit.template), []).append(visit.name)
    rows = []
    seen: set[tuple[str | None, str | None]] = set()
    for visit in spec.visit_order:
        if not visit.timepoints:
            continue
        template = _template(spec, visit)
        where = f"{visit.label or visit.name} ({visit.name})" if visit.label else visit.name
        if template is not None:
            key = (visit.series, visit.template)
            if key in seen:
                continue
            seen.add(key)
            cycle = spec.cycles[visit.series or ""]
            names = instances[key]
            span = names[0] if len(names) == 1 else f"{names[0]}–{names[-1]}"
            title = series_title(template.label, spec.visits[names[0]], spec.visits[names[-1]])
            where = (
                f"{title or template.name} of each {label_phrase(cycle.label, cycle.name)} ({span})"
            )
        labels = timepoint_labels(visit.timepoints)
        for point in visit.timepoints:
            rows.append(
                (
                    cell(where),
                    cell(point.label or label_phrase(None, point.name)),
                    cell(timepoint_words(point, labels)),
                )
            )
    if not rows:
        return None
    header = (cell("Visit"), cell("Time point"), cell("Timing"))
    return Table(header, tuple(rows), "Time points within visits")
