"""The schedule of activities: visits × activities and forms, with footnotes.

This module owns the SoA grid as data (`Schedule`), built once from the spec
and turned into a document table for the protocol and the stand-alone SoA,
and into rows for the CSV.  Columns are the visits in schedule order
(planned by day, then unscheduled and early termination); rows are the
activities, then the forms of the data dictionary.  Footnotes, lettered in
order of first use, explain what a plain X cannot: conditional activities
(`when "…"`), conditional items and items collected at fewer visits than
their form, and conditional visits.
"""

from __future__ import annotations

import string

import attrs

from generators.documents.days import day_text as _day
from generators.documents.days import window_text
from generators.documents.document import (
    Badge,
    Cell,
    Inline,
    Note,
    Paragraph,
    Table,
    TableNote,
    Text,
    cell,
    header_cells,
    para,
)
from generators.documents.marks import MarkIndex
from generators.documents.timing import planned_timing, relative_timing
from protocol_dsl import model as m
from protocol_dsl.schedule.regimens import planned_administrations
from protocol_dsl.schedule.words import schedule_words
from protocol_dsl.semantics.words import label_phrase, rule_in_words
from protocol_dsl.spec import Scope, Spec


@attrs.frozen
class Footnote:
    key: str
    text: str


@attrs.frozen
class Column:
    visit: m.Visit  # the visit, or the first of the visits a grouped column stands for
    day: str
    window: str
    epoch: str
    footnotes: tuple[str, ...] = ()
    # A grouped column (`soa_groups`): the visits it stands for, the cycle group it
    # belongs to ("C2–C17"), its heading ("Day 1") and the visit names ("C2D1–C17D1").
    visits: tuple[m.Visit, ...] = ()
    group: str = ""
    title: str | None = None
    names: str | None = None

    @property
    def label(self) -> str:
        if self.title is not None:
            return self.title
        return self.visit.label or self.visit.name

    @property
    def provisional(self) -> bool:
        return m.is_provisional(self.visit.marks)


@attrs.frozen
class Row:
    name: str
    label: str
    kind: str  # "activity", "dosing" (a regimen's administrations) or "form"
    at: tuple[bool, ...]
    footnotes: tuple[str, ...] = ()
    marks: m.Marks = ()


@attrs.frozen
class Schedule:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[Footnote, ...]


class _Footnotes:
    """Letters footnotes in order of first use; the same text keeps its letter."""

    def __init__(self) -> None:
        self.notes: list[Footnote] = []

    def add(self, text: str) -> str:
        for note in self.notes:
            if note.text == text:
                return note.key
        key = _letter(len(self.notes))
        self.notes.append(Footnote(key, text))
        return key


def _footnote_order(key: str) -> tuple[int, str]:
    return len(key), key


def _letter(index: int) -> str:
    letters = string.ascii_lowercase
    if index < len(letters):
        return letters[index]
    return _letter(index // len(letters) - 1) + letters[index % len(letters)]


def build_schedule(spec: Spec) -> Schedule:
    visits = spec.visit_order
    names = [v.name for v in visits]
    notes = _Footnotes()
    columns = []
    for visit in visits:
        keys: list[str] = []
        if visit.condition:
            keys.append(notes.add(f"{visit.label or visit.name}: {_sentence(visit.condition)}"))
        if visit.unscheduled:
            keys.append(notes.add(f"{visit.label or visit.name}: as needed; forms as required."))
        epoch = spec.epochs.get(visit.epoch) if visit.epoch else None
        columns.append(
            Column(
                visit,
                _day_cell(spec, visit),
                window_text(visit),
                (epoch.label or epoch.name) if epoch else (visit.epoch or ""),
                tuple(sorted(keys, key=_footnote_order)),
            )
        )
    rows: list[Row] = []
    for activity in spec.activities.values():
        keys = []
        if activity.condition:
            keys.append(
                notes.add(f"{activity.label or activity.name}: {_sentence(activity.condition)}")
            )
        at = tuple(name in activity.visits for name in names)
        rows.append(
            Row(
                activity.name,
                activity.label or activity.name,
                "activity",
                at,
                tuple(sorted(keys, key=_footnote_order)),
                activity.marks,
            )
        )
    rows += _dosing_rows(spec, names, notes)
    for use in spec.form_uses:
        keys = []
        for item in use.form.items:
            item_label = item.label or item.name
            if item.when is not None:
                condition = rule_in_words(item.when, spec, Scope(use.owner, use.form))
                keys.append(notes.add(f"{item_label}: only when {condition}."))
            if item.visits is not None and set(item.visits) != set(use.visits):
                where = ", ".join(_visit_label(spec, v) for v in item.visits)
                keys.append(notes.add(f"{item_label}: collected only at {where}."))
        if use.form.repeating:
            keys.append(
                notes.add(
                    "Log form: records are added whenever there is something to record; "
                    "an X marks the visits at which it is reviewed."
                )
            )
        at = tuple(name in use.visits for name in names)
        rows.append(
            Row(
                use.key,
                use.form.label or use.form.name,
                "form",
                at,
                tuple(sorted(keys, key=_footnote_order)),
                use.form.marks,
            )
        )
    return Schedule(tuple(columns), tuple(rows), tuple(notes.notes))


def _dosing_rows(spec: Spec, names: list[str], notes: _Footnotes) -> list[Row]:
    """A row per dosing regimen: an X at each visit that hosts a planned administration,
    and a footnote with the regimen in words."""
    rows = []
    given = [r for r in spec.regimens.values() if not _at_home(r)]
    for regimen in given:
        hosts = {d.visit for d in planned_administrations(spec, regimen) if d.visit is not None}
        intervention = spec.interventions.get(regimen.intervention)
        product = (
            (intervention.label or intervention.name) if intervention else regimen.intervention
        )
        label = f"{product} administration"
        if sum(r.intervention == regimen.intervention for r in given) > 1:
            label += f" ({regimen.label or regimen.name})"
        key = notes.add(
            f"{product} ({regimen.label or regimen.name}): "
            f"{_sentence(schedule_words(spec, regimen))}"
        )
        rows.append(
            Row(
                f"regimen {regimen.name}",
                label,
                "dosing",
                tuple(name in hosts for name in names),
                (key,),
                regimen.marks,
            )
        )
    return rows


def _at_home(regimen: m.Regimen) -> bool:
    """Doses taken between visits (`given at_home`) are not an activity of any visit."""
    f = regimen.field("given")
    return f is not None and f.value.value == "at_home"


def _sentence(text: str) -> str:
    """A condition as written, ending with a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _day_cell(spec: Spec, visit: m.Visit) -> str:
    if visit.day is None:
        if visit.early_termination:
            return "Early termination"
        relative = relative_timing(spec, visit)
        return relative[:1].upper() + relative[1:] if relative else "—"
    if visit.day_end is not None:
        return f"Days {_day(visit.day)} to {_day(visit.day_end)}"
    return f"Day {_day(visit.day)}"


def _visit_label(spec: Spec, name: str) -> str:
    visit = spec.visits.get(name)
    return label_phrase(visit.label, name) if visit else name


# ---------------------------------------------------------------- as a document table


def soa_table(schedule: Schedule, marks: MarkIndex) -> Table:
    """The SoA grid: one column per visit, one row per activity or form."""
    header: list[Cell] = [cell("Activity or form")]
    for column in schedule.columns:
        parts: list[Inline] = [Text(column.label)]
        if column.footnotes:
            parts.append(Note(", ".join(column.footnotes)))
        paragraphs = [Paragraph(tuple(parts))]
        details = [column.names or column.visit.name, column.day]
        if column.window:
            details.append(column.window)
        paragraphs.append(para(" · ".join(details), style="small"))
        badges = tuple(b for b in marks.badges(column.visit.marks) if isinstance(b, Badge))
        if badges:
            paragraphs.append(Paragraph(badges, style="small"))
        header.append(tuple(paragraphs))
    rows: list[tuple[Cell, ...]] = []
    for row in schedule.rows:
        label: list[Inline] = [Text(row.label)]
        if row.footnotes:
            label.append(Note(", ".join(row.footnotes)))
        label += list(marks.badges(row.marks))
        cells: list[Cell] = [(Paragraph(tuple(label)),)]
        cells += [cell("X") if at else () for at in row.at]
        rows.append(tuple(cells))
    footnotes = tuple(
        para(f"{note.key}  {note.text}", style="small") for note in schedule.footnotes
    )
    return Table(
        tuple(header),
        tuple(rows),
        "Schedule of activities",
        footnotes,
        kind="soa",
        groups=(("Epoch", 1), *_epoch_groups(schedule)),
        subgroups=_cycle_groups(schedule),
        notes=tuple(TableNote(note.key, (Text(note.text),)) for note in schedule.footnotes),
    )


def _cycle_groups(schedule: Schedule) -> tuple[tuple[str, int], ...]:
    """The row of cycle groups ("C1", "C2–C17") under the epochs, when there are any."""
    if not any(column.group for column in schedule.columns):
        return ()
    groups: list[tuple[str, int]] = [("Cycle", 1)]
    previous: str | None = None
    for column in schedule.columns:
        if groups[1:] and column.group and column.group == previous:
            groups[-1] = (column.group, groups[-1][1] + 1)
        else:
            groups.append((column.group, 1))
        previous = column.group
    return tuple(groups)


def _epoch_groups(schedule: Schedule) -> list[tuple[str, int]]:
    """Runs of adjacent visits in the same epoch; visits without one are "Other visits"."""
    groups: list[tuple[str, int]] = []
    for column in schedule.columns:
        label = column.epoch or "Other visits"
        if groups and groups[-1][0] == label:
            groups[-1] = (label, groups[-1][1] + 1)
        else:
            groups.append((label, 1))
    return groups


def visit_rows(spec: Spec, marks: MarkIndex) -> Table:
    """The visits as a table: name, label, timing, epoch, status."""
    visits = spec.visit_order
    with_rules = any(v.start_rule or v.end_rule for v in visits)
    rows = []
    for visit in visits:
        epoch = spec.epochs.get(visit.epoch) if visit.epoch else None
        status: list[Inline] = []
        if visit.condition:
            status.append(Text(_sentence(visit.condition)))
        status += list(marks.badges(visit.marks))
        row: list[Cell] = [
            cell(visit.name),
            cell(visit.label or visit.name),
            cell(planned_timing(spec, visit)),
            cell((epoch.label or epoch.name) if epoch else (visit.epoch or "")),
        ]
        if with_rules:
            rules = [f"starts: {visit.start_rule}"] if visit.start_rule else []
            rules += [f"ends: {visit.end_rule}"] if visit.end_rule else []
            row.append(tuple(para(rule) for rule in rules))
        row.append((Paragraph(tuple(status)),) if status else ())
        rows.append(tuple(row))
    header = header_cells("Visit", "Label", "Planned timing", "Epoch")
    if with_rules:
        header.append(cell("Start and end"))
    header.append(cell("Condition and status"))
    return Table(tuple(header), tuple(rows), "Visits")
