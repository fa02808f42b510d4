"""Provisional values, open questions and sources: found once, numbered, shown everywhere.

This module owns the index of a spec's status marks.  It walks every
declaration of the spec and its libraries in source order, numbers each
`provisional` mark (P1, P2 …) and each `question` (Q1, Q2 …), and numbers
each distinct `source` as a reference.  The documents print a badge next to
every marked value and the consolidated list near the start, both from this
one index, so a mark can never appear in one place and be missing from the
other.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from generators.documents.days import day_text, visit_timing, window_words
from generators.documents.document import Badge, Inline, Note, Paragraph, Text, lines, para
from generators.documents.timing import (
    cycle_words,
    planned_timing,
    repeat_timing,
    series_title,
    series_visits,
)
from protocol_dsl import allocation
from protocol_dsl import model as m
from protocol_dsl.codes import CODES
from protocol_dsl.semantics.words import quantity_in_words
from protocol_dsl.spec import Spec
from protocol_dsl.syntax import printer


@attrs.frozen
class MarkEntry:
    number: int
    where: str
    value: str
    text: str  # the question, or "" for a provisional mark

    @property
    def anchor(self) -> str:
        return f"open-{'q' if self.text else 'p'}{self.number}"


@attrs.frozen
class AllowEntry:
    """A reviewed finding the spec silences: `allow CODE "reason"` on a declaration."""

    code: str
    where: str
    reason: str

    @property
    def title(self) -> str:
        info = CODES.get(self.code)
        return info.title if info is not None else ""


class MarkIndex:
    """The numbered marks of one spec; look them up by the mark object."""

    def __init__(self, spec: Spec) -> None:
        self.provisional: list[MarkEntry] = []
        self.questions: list[MarkEntry] = []
        self.sources: list[str] = []
        self.allowances: list[AllowEntry] = []
        self._by_mark: dict[int, MarkEntry] = {}
        for owner in spec.all_specs():
            prefix = "" if owner is spec else f"Library {_alias(spec, owner)}: "
            for declaration in owner.module.declarations:
                for node, where, mark in _marks(declaration, prefix.rstrip(": ") or ""):
                    self._add(owner, node, _series_place(owner, node, where), mark)

    def _add(self, owner: Spec, node: object, where: str, mark: m.Mark) -> None:
        if mark.kind == "provisional":
            entry = MarkEntry(len(self.provisional) + 1, where, _series_value(owner, node), "")
            self.provisional.append(entry)
            self._by_mark[id(mark)] = entry
        elif mark.kind == "question":
            entry = MarkEntry(len(self.questions) + 1, where, "", mark.text)
            self.questions.append(entry)
            self._by_mark[id(mark)] = entry
        elif mark.kind == "source" and mark.text not in self.sources:
            self.sources.append(mark.text)
        elif mark.kind == "allow":
            self.allowances.append(AllowEntry(mark.code, where, mark.text))

    # ------------------------------------------------------------ what documents print

    def badges(self, marks: m.Marks) -> tuple[Inline, ...]:
        """PROVISIONAL / OPEN QUESTION badges for a value's marks (with a leading space)."""
        out: list[Inline] = []
        for mark in marks:
            entry = self._by_mark.get(id(mark))
            if mark.kind == "provisional":
                label = f"PROVISIONAL P{entry.number}" if entry else "PROVISIONAL"
                out += [Text(" "), Badge("provisional", label, _anchor(entry, "open-questions"))]
            elif mark.kind == "question":
                label = f"OPEN QUESTION Q{entry.number}" if entry else "OPEN QUESTION"
                out += [Text(" "), Badge("question", label, _anchor(entry, "open-questions"))]
        return tuple(out)

    def citations(self, marks: m.Marks) -> tuple[Inline, ...]:
        """Reference markers "[n]" for a declaration's sources."""
        return tuple(self.cite(mark.text) for mark in marks if mark.kind == "source")

    def cite(self, source: str) -> Inline:
        if source not in self.sources:
            self.sources.append(source)
        number = self.sources.index(source) + 1
        return Note(f"[{number}]", f"ref-{number}")

    def annotations(self, marks: m.Marks) -> tuple[Paragraph, ...]:
        """Notes, rationales and open questions of a declaration, as paragraphs."""
        out: list[Paragraph] = []
        for mark in marks:
            if mark.kind == "note":
                out.append(para("Note: ", *lines(mark.text), style="note"))
            elif mark.kind == "rationale":
                out.append(para("Rationale: ", *lines(mark.text), style="note"))
            elif mark.kind == "question":
                entry = self._by_mark.get(id(mark))
                label = f"Open question Q{entry.number}: " if entry else "Open question: "
                out.append(para(label, *lines(mark.text), style="question"))
        return tuple(out)


def _anchor(entry: MarkEntry | None, fallback: str) -> str:
    return entry.anchor if entry else fallback


def _alias(spec: Spec, library: Spec) -> str:
    for alias, lib in spec.libraries.items():
        if lib is library:
            return alias
    for owner in spec.all_specs():
        for alias, lib in owner.libraries.items():
            if lib is library:
                return alias
    return library.path


# ---------------------------------------------------------------- cycles and repeats


def _series_place(spec: Spec, node: object, where: str) -> str:
    """Where a cycle or repeat is, with its label as shown for all its visits
    ("Repeat W (Infusion (week 4–48))"); any other node's place as found."""
    if isinstance(node, m.Repeat | m.Cycle):
        visits = series_visits(spec, node.name)
        label = series_title(node.label, visits[0], visits[-1]) if visits else node.label
        return f"{where} ({label})" if label else where
    return where


def _series_value(spec: Spec, node: object) -> str:
    """The marked value; a visit's, repeat's or cycle's is its timing in words."""
    match node:
        case m.Visit():
            # as the time line places it: `52 weeks after first_dose` is day 365, and a
            # visit after an event with no planned day is timed from that event
            return planned_timing(spec, spec.visits.get(node.name, node))
        case m.Repeat():
            return repeat_timing(spec, node)
        case m.Cycle():
            words = cycle_words(node)
            return words[:1].upper() + words[1:]
        case m.CycleVisit() if node.day is not None:
            days = f"Day {day_text(node.day)}" + (
                f" to {day_text(node.day_end)}" if node.day_end is not None else ""
            )
            window = window_words(node.window_before, node.window_after)
            return f"{days} of each cycle" + (f" (window {window})" if window else "")
    return _value_of(node)


# ---------------------------------------------------------------- walking the spec


def _marks(node: attrs.AttrsInstance, where: str) -> Iterator[tuple[object, str, m.Mark]]:
    """Every mark under a declaration, with the place it belongs to, in source order."""
    here = _place(node, where)
    if isinstance(node, m.DoseFinding):
        for mark in node.levels_marks:
            yield node, f"{here}: dose levels", mark
    for field in attrs.fields(type(node)):
        if field.name in ("span", "levels_marks"):
            continue
        value = getattr(node, field.name)
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            if isinstance(child, m.Mark):
                yield node, here, child
            elif attrs.has(type(child)) and not isinstance(child, m.Span | m.Code):
                yield from _marks(child, here)


def _place(node: object, where: str) -> str:
    """Where a node is, in the words of the documents ("Exclusion E4", "Visit SCR")."""
    prefix = f"{where}: " if where else ""
    match node:
        case m.Trial():
            return "Trial header"
        case m.Field():
            return f"{prefix}{node.key.replace('_', ' ')}"
        case m.Criterion():
            return f"{prefix}{node.kind.capitalize()} {node.id}"
        case m.Visit():
            return f"{prefix}Visit {node.name} ({node.label or node.name})"
        case m.Repeat():
            return f"{prefix}Repeat {node.name}"
        case m.Cycle():
            return f"{prefix}Cycle {node.name}"
        case m.CycleVisit():
            return f"{prefix}visit {node.name}"
        case m.TimePoint():
            return f"{prefix}time point {node.name}"
        case m.DoseFinding():
            return f"{prefix}Dose finding ({node.intervention})"
        case m.DoseLevel():
            return f"{prefix}dose level {node.name}"
        case m.EscalationDesign():
            return f"{prefix}escalation design"
        case m.DltWindow():
            return f"{prefix}DLT window"
        case m.DltDefinition():
            return f"{prefix}DLT definition"
        case m.StepUp():
            return f"{prefix}step-up schedule at {', '.join(node.levels)}"
        case m.StepDose():
            return f"{prefix}day {node.day}"
        case m.Scenario():
            return f"{prefix}scenario {node.name}"
        case m.Objective():
            return f"{prefix}Objective {node.name}"
        case m.Endpoint():
            return f"{prefix}endpoint {node.name}"
        case m.Intervention():
            return f"{prefix}Intervention {node.name}"
        case m.Form():
            return f"{prefix}Form {node.name}"
        case m.Item():
            return f"{prefix}item {node.name}"
        case m.Derive():
            return f"{prefix}derived value {node.name}"
        case m.CodeList():
            return f"{prefix}Code list {node.name}"
        case m.CodeListEntry():
            return f"{prefix}value {node.name}"
        case m.Table():
            return f"{prefix}Table {node.name}"
        case m.TableRow():
            return f"{prefix}row {node.key}"
        case m.Score() | m.ScoreVariant():
            return f"{prefix}Score {node.name}"
        case m.ScoreDomain():
            return f"{prefix}domain {node.name}"
        case m.ScoreItem():
            return f"{prefix}descriptor {node.name}"
        case m.Define():
            return f"{prefix}Definition {node.name}"
        case m.Anchor():
            return f"{prefix}Anchor {node.name}"
        case m.Epoch():
            return f"{prefix}Epoch {node.name}"
        case m.Activity():
            return f"{prefix}Activity {node.name}"
        case m.Element():
            return f"{prefix}Element {node.name}"
        case m.Arm():
            return f"{prefix}Arm {node.name}"
        case m.Collect():
            return f"{prefix}Collection of {node.form.dotted}"
        case m.Amendment():
            return f"{prefix}Amendment {m.format_decimal(node.number)}"
        case m.AmendmentChange():
            return f"{prefix}change {node.target or ''}".rstrip()
        case m.Mapping():
            return f"{prefix}Mapping {node.name}"
        case m.MapRule():
            return f"{prefix}{node.target.dotted}"
        case m.Randomisation():
            return f"{prefix}Randomisation"
        case m.AllocationMethod():
            return f"{prefix}allocation method"
        case m.StratificationFactor():
            return f"{prefix}stratification factor {node.name}"
        case m.Stratum():
            return f"{prefix}stratum {node.name}"
        case m.Masking():
            return f"{prefix}Masking"
        case m.MaskedRoles():
            return f"{prefix}roles blinded"
        case m.Unblinding():
            return f"{prefix}unblinding"
        case m.Estimand():
            return f"{prefix}estimand {node.name}"
        case m.IntercurrentEvent():
            return f"{prefix}intercurrent event “{node.text}”"
        case m.Population():
            kind = "Analysis set" if node.kind == "population" else "Subgroup"
            return f"{prefix}{kind} {node.name}"
        case m.Statistics():
            return f"{prefix}Statistics"
        case m.SampleSize():
            return f"{prefix}sample size ({node.method.replace('_', ' ')})"
    return where


def _value_of(node: object) -> str:
    """The marked value as printed in the consolidated list."""
    match node:
        case m.Field():
            return ", ".join(_field_value(v) for v in node.values)
        case m.Visit():
            return visit_timing(node)
        case m.DoseLevel():
            return quantity_in_words(node.dose)
        case m.DoseFinding():
            return ", ".join(f"{lv.name} {quantity_in_words(lv.dose)}" for lv in node.levels)
        case m.EscalationDesign():
            params = ", ".join(
                f"{p.key} {', '.join(_field_value(v) for v in p.values)}" for p in node.parameters
            )
            return f"{node.kind}" + (f" ({params})" if params else "")
        case m.DltWindow():
            if node.duration is None:
                return f"cycle {node.cycle}"
            return f"{quantity_in_words(node.duration)} from {node.anchor.replace('_', ' ')}"
        case m.DltDefinition():
            return node.text
        case m.StepUp():
            return "; ".join(f"day {s.day}: {quantity_in_words(s.amount)}" for s in node.steps)
        case m.StepDose():
            return quantity_in_words(node.amount)
        case m.Scenario():
            return ", ".join(m.format_decimal(r) for r in node.rates)
        case m.Criterion():
            return node.text
        case m.Endpoint():
            return node.text
        case m.Activity():
            return node.label or node.name
        case m.TableRow():
            return _field_value(node.value)
        case m.Randomisation():
            return ":".join(m.format_decimal(e.weight) for e in node.ratio)
        case m.AllocationMethod():
            # the method only: block sizes are concealed from the documents
            return allocation.METHOD_WORDS.get(node.kind, node.kind)
        case m.MaskedRoles():
            return ", ".join(node.roles)
        case m.Unblinding():
            return node.text
        case m.IntercurrentEvent():
            return f"{node.text}: {node.strategy.replace('_', ' ')}"
        case m.MapRule():
            return rule_source(node)
        case m.SampleSize():
            return ", ".join(
                f"{p.key} {', '.join(_field_value(v) for v in p.values)}" for p in node.parameters
            )
    label = getattr(node, "label", None)
    return label or ""


def rule_source(rule: m.MapRule) -> str:
    """The source a mapping rule reads, as the annotated CRF names it:
    `VS.VSSTRESN where VSTESTCD = SYSBP`."""
    where = f" where {rule.where[0]} = {rule.where[1]}" if rule.where else ""
    return f"{rule.source.dotted}{where}"


def quantity_as_written(value: m.Value, quantity: m.Quantity) -> str:
    """A quantity as the spec writes it when that is one word (`10mg`), else in words."""
    if value.text and not any(c.isspace() for c in value.text):
        return value.text
    return quantity_in_words(quantity)


def _field_value(value: m.Value) -> str:
    if value.kind == "quantity" and isinstance(value.value, m.Quantity):
        return quantity_as_written(value, value.value)
    if value.kind == "string":
        return str(value.value)
    return printer.value(value)
