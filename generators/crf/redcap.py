"""A longitudinal REDCap project for the trial's case report forms.

Writes, under `crf/`:

- `redcap_data_dictionary.csv`: the data dictionary with REDCap's 18 columns
  in REDCap's order, `record_id` first;
- `redcap_arms.csv` (`arm_num,name`), `redcap_events.csv` (one event per visit
  and arm) and `redcap_form_event_mapping.csv` (`arm_num,unique_event_name,form`);
- `redcap_repeating_instruments.csv` (`event_name,form_name,custom_form_label`):
  repeating forms are a project setting in REDCap, imported separately.

Decisions a data manager needs to know:

- Variable names are the item names, lower case, at most 26 characters.  An
  item name used by more than one form gets the form's abbreviation as a prefix
  ("mh_onset", "ae_onset"); eligibility checklist fields are `ie_<criterion>`.
  A name still too long is cut after its last whole word that fits; a clash
  left after that gets a numeric suffix.  All of it is deterministic.
- Choices are coded 1, 2, … in code-list order ("1, Female | 2, Male"); yes/no
  items use REDCap's `yesno` type (1 = yes, 0 = no).  Dates are text with
  `date_ymd` validation, numbers `number` or `integer` with the item's range as
  minimum and maximum, units in the field note.
- Branching logic comes from the item's `when` condition.  Comparisons of an
  item with a value, and/or/not, `in {…}`, `between`, `is known`/`is missing`
  translate; a condition REDCap cannot express (a date window, a definition, a
  score, a quantifier over a repeating form, a titer comparison) leaves the
  branching empty and is written in plain words in the field annotation
  (`untranslated_conditions` lists them).  A field of another form that is not
  collected at every event of this one is read at that form's first event.
  REDCap reads a blank answer as empty text, so a negated comparison (`<>`)
  shows the field while the other answer is still blank: a question is
  shown rather than hidden when its condition is not yet known.
- Events are named by visit code ("SCR", REDCap's unique name `scr_arm_1`) and
  carry the visit label as custom label.  The visits of a cycle's day (C1D1 …
  C17D1) and the occurrences of a repeat (SURV1 … SURV8) are one repeating
  event, named by its first and last instance ("C1D1-C17D1", unique name
  `c1d1c17d1_arm_1`), scheduled at its first instance, and listed in
  `redcap_repeating_instruments.csv` with an empty form name: REDCap's way of
  saying the whole event repeats.  REDCap allows no repeating form inside a
  repeating event: a log form there is recorded once per instance of the
  event.  REDCap schedules days from the first
  event, so `day_offset` counts days from the first visit's planned day (study
  days have no day 0); a visit planned over a range of days is scheduled on its
  last day with the range in its early window; visits without a planned day
  follow the last scheduled one.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, cast

from generators.crf.forms import (
    CrfField,
    CrfForm,
    code_text,
    condition_in_words,
    crf_forms,
    criterion_rule_in_words,
    mapping_targets,
    series_event,
    series_event_label,
    unit_text,
)
from protocol_dsl import model as m
from protocol_dsl.csv_cells import Cell, write_csv
from protocol_dsl.errors import ControlFlow
from protocol_dsl.semantics import units
from protocol_dsl.spec import Scope, Spec

DICTIONARY_COLUMNS: tuple[str, ...] = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

FIELD_TYPES = frozenset(
    {
        "text",
        "notes",
        "dropdown",
        "radio",
        "checkbox",
        "yesno",
        "truefalse",
        "calc",
        "descriptive",
        "slider",
        "file",
        "sql",
    }
)

EVENT_COLUMNS = (
    "event_name",
    "arm_num",
    "day_offset",
    "offset_min",
    "offset_max",
    "unique_event_name",
    "custom_event_label",
)
ARM_COLUMNS = ("arm_num", "name")
MAPPING_COLUMNS = ("arm_num", "unique_event_name", "form")
REPEATING_COLUMNS = ("event_name", "form_name", "custom_form_label")

MAX_NAME = 26
RADIO_MAX_CHOICES = 8
RECORD_ID = "record_id"

_VALIDATION = {
    "number": "number",
    "quantity": "number",
    "integer": "integer",
    "date": "date_ymd",
    "datetime": "datetime_ymd",
}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_NEGATED: dict[m.CompareOp, m.CompareOp] = {
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "=": "!=",
    "!=": "=",
}
_REDCAP_OP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "<>"}


def build(spec: Spec, out_dir: Path) -> list[Path]:
    project = Project(spec)
    folder = out_dir / "crf"
    return [
        write_csv(folder / "redcap_data_dictionary.csv", DICTIONARY_COLUMNS, project.dictionary()),
        write_csv(folder / "redcap_events.csv", EVENT_COLUMNS, project.event_rows()),
        write_csv(
            folder / "redcap_form_event_mapping.csv", MAPPING_COLUMNS, project.mapping_rows()
        ),
        write_csv(folder / "redcap_arms.csv", ARM_COLUMNS, project.arm_rows()),
        write_csv(
            folder / "redcap_repeating_instruments.csv", REPEATING_COLUMNS, project.repeating_rows()
        ),
    ]


class Event(NamedTuple):
    visit: m.Visit  # the visit, or the first visit of a repeating event
    day_offset: int
    offset_min: int
    offset_max: int
    # A repeating event (the visits of a cycle's day, a repeat's occurrences): its name,
    # label and the visits that are its instances.
    name: str = ""
    label: str = ""
    instances: tuple[str, ...] = ()

    @property
    def event_name(self) -> str:
        return self.name or self.visit.name

    @property
    def visits(self) -> tuple[str, ...]:
        return self.instances or (self.visit.name,)

    @property
    def repeats(self) -> bool:
        return len(self.instances) > 1


class Untranslatable(ControlFlow):
    """A condition REDCap branching logic cannot express."""


class Project:
    """The REDCap view of one spec: variable names, arms, events, dictionary rows."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.forms = crf_forms(spec)
        self.names = variable_names(self.forms)
        self.arms = _arms(spec)
        self.events = _events(spec)
        # the event each visit is recorded in (a repeating event's instances: that event)
        self.event_of = {v: e.event_name for e in self.events for v in e.visits}
        self.targets = mapping_targets(spec)
        self.untranslated: list[tuple[str, str]] = []

    # ------------------------------------------------------------ arms and events

    def unique_event_name(self, visit: str, arm_num: int) -> str:
        """The unique name of the event a visit is recorded in."""
        return f"{_event_slug(self.event_of.get(visit, visit))}_arm_{arm_num}"

    def arm_rows(self) -> list[list[Cell]]:
        return [[number, name] for number, name in self.arms]

    def event_rows(self) -> list[list[Cell]]:
        return [
            [
                event.event_name,
                arm_num,
                event.day_offset,
                event.offset_min,
                event.offset_max,
                self.unique_event_name(event.visit.name, arm_num),
                event.label or event.visit.label or "",
            ]
            for arm_num, _name in self.arms
            for event in self.events
        ]

    def form_visits(self, form: CrfForm) -> tuple[str, ...]:
        """The visits a form is designated to (a form without visits: every visit)."""
        return form.visits or tuple(v for e in self.events for v in e.visits)

    def mapping_rows(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for arm_num, _name in self.arms:
            for event in self.events:
                for form in self.forms:
                    if set(event.visits) & set(self.form_visits(form)):
                        unique = self.unique_event_name(event.visit.name, arm_num)
                        rows.append([arm_num, unique, form.storage_name])
        return rows

    def repeating_rows(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for arm_num, _name in self.arms:
            for event in self.events:
                unique = self.unique_event_name(event.visit.name, arm_num)
                if event.repeats:
                    # the whole event repeats (REDCap: a row without a form name); REDCap
                    # allows no repeating instrument inside a repeating event
                    rows.append([unique, "", ""])
                    continue
                for form in self.forms:
                    if form.repeating and event.visit.name in self.form_visits(form):
                        rows.append([unique, form.storage_name, ""])
        return rows

    # ------------------------------------------------------------ data dictionary

    def dictionary(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        self.untranslated = []
        if self.forms:
            rows.append(
                _row(RECORD_ID, self.forms[0].storage_name, field_type="text", label="Record ID")
            )
        for form in self.forms:
            for group in form.groups:
                for index, field in enumerate(group.fields):
                    header = group.label if index == 0 and group.label else ""
                    rows.append(self.field_row(form, field, header))
        return rows

    def field_row(self, form: CrfForm, field: CrfField, section_header: str) -> list[Cell]:
        name = self.names[(form.storage_name, field.name)]
        field_type, choices, validation = _field_type(field)
        low = high = None
        if validation in ("number", "integer"):
            low, high = field.low, field.high
        branching, annotation = self.branching(form, field)
        return _row(
            name,
            form.storage_name,
            section_header=section_header,
            field_type=field_type,
            label=f"{field.name}. {field.label}" if field.criterion is not None else field.label,
            choices=choices,
            note=_field_note(field),
            validation=validation,
            low=low,
            high=high,
            branching=branching,
            required="y" if field.required else "",
            annotation="; ".join(annotation + self.annotations(form, field)),
        )

    def annotations(self, form: CrfForm, field: CrfField) -> list[str]:
        notes: list[str] = []
        if field.criterion is not None:
            notes.append(criterion_rule_in_words(field, self.spec) or "")
        notes += [code_text(code) for code in field.codes]
        notes += [f"SDTM {t}" for t in self.targets.get((form.key, field.name), ())]
        if field.provisional:
            notes.append("Provisional: illustrative, not from the source document")
        return [n for n in notes if n]

    def branching(self, form: CrfForm, field: CrfField) -> tuple[str, list[str]]:
        """The REDCap branching logic, and annotations for what could not be translated."""
        parts: list[tuple[str, str | None]] = []  # (logic, its top-level connective)
        notes: list[str] = []
        if field.condition is not None:
            try:
                parts.append(self.translate(field.condition, form, field))
            except Untranslatable:
                words = condition_in_words(field, self.spec)
                notes.append(f"Asked only when {words} (not expressible as REDCap branching)")
                self.untranslated.append((f"{form.key}.{field.name}", words or ""))
        if field.visits and set(field.visits) != set(self.form_visits(form)):
            events = list(
                dict.fromkeys(
                    f"[event-name] = '{self.unique_event_name(v, arm)}'"
                    for arm, _name in self.arms
                    for v in field.visits
                )
            )
            parts.append((" or ".join(events), "or" if len(events) > 1 else None))
        if len(parts) == 1:
            return parts[0][0], notes
        return " and ".join(f"({t})" if c == "or" else t for t, c in parts), notes

    # ------------------------------------------------------------ conditions as branching logic

    def translate(self, expr: m.Expr, form: CrfForm, field: CrfField) -> tuple[str, str | None]:
        """The condition as REDCap logic, and its top-level connective."""
        scope = field.scope
        assert scope is not None
        return _Translator(self, form, scope).connected(expr)


class _Translator:
    """One `when` condition as REDCap logic; raises Untranslatable where REDCap has no words."""

    def __init__(self, project: Project, form: CrfForm, scope: Scope) -> None:
        self.project = project
        self.form = form
        self.scope = scope

    def connected(self, expr: m.Expr) -> tuple[str, str | None]:
        """The logic text and its top-level connective ("and", "or", or None)."""
        if isinstance(expr, m.Logic):
            if expr.op == "implies":
                return self.connected(m.Logic("or", _negate(expr.left), expr.right, span=expr.span))
            terms = []
            for side in (expr.left, expr.right):
                text, op = self.connected(side)
                # REDCap's own precedence is not documented: bracket every mixed connective
                terms.append(f"({text})" if op is not None and op != expr.op else text)
            return f" {expr.op} ".join(terms), expr.op
        if isinstance(expr, m.Not):
            return self.connected(_negate(expr.expr))
        if isinstance(expr, m.Compare):
            return self.compare(expr.op, expr.left, expr.right), None
        if isinstance(expr, m.Between):
            low = self.compare(">=", expr.expr, expr.low)
            high = self.compare("<=", expr.expr, expr.high)
            return f"{low} and {high}", "and"
        if isinstance(expr, m.MemberOf) and expr.codelist is None:
            terms = [
                self.compare("=", expr.expr, m.Ref((value,), span=expr.span))
                for value in expr.values
            ]
            return " or ".join(terms), "or" if len(terms) > 1 else None
        if isinstance(expr, m.IsKnown):
            variable, _field = self.variable(expr.expr)
            return (f"{variable} = ''" if expr.missing else f"{variable} <> ''"), None
        raise Untranslatable

    def compare(self, op: str, left: m.Expr, right: m.Expr) -> str:
        if not self.is_field(left):
            if not self.is_field(right):
                raise Untranslatable
            left, right, op = right, left, _FLIPPED[op]
        variable, field = self.variable(left)
        if self.is_field(right):
            other, other_field = self.variable(right)
            numeric = field.kind in ("number", "integer", "quantity")
            if not numeric or other_field.kind != field.kind or other_field.unit != field.unit:
                raise Untranslatable
            return f"{variable} {_REDCAP_OP[op]} {other}"
        value = self.value(field, right)
        if field.kind in ("choice", "yes_no") and op not in ("=", "!="):
            raise Untranslatable
        return f"{variable} {_REDCAP_OP[op]} {value}"

    def is_field(self, expr: m.Expr) -> bool:
        if isinstance(expr, m.AtVisit):
            expr = expr.expr
        if not isinstance(expr, m.Ref):
            return False
        symbol = self.scope.owner.resolve(expr.parts, self.scope)
        return symbol is not None and symbol.kind == "item"

    def variable(self, expr: m.Expr) -> tuple[str, CrfField]:
        """`[var]`, or `[event][var]` when the value is read at another event."""
        visit: str | None = None
        if isinstance(expr, m.AtVisit):
            visit, expr = expr.visit, expr.expr
        if not isinstance(expr, m.Ref):
            raise Untranslatable
        symbol = self.scope.owner.resolve(expr.parts, self.scope)
        if symbol is None or symbol.kind != "item" or symbol.form is None:
            raise Untranslatable
        spec = self.project.spec
        use = spec.form_use(symbol.owner, symbol.form)
        if use is None:
            raise Untranslatable
        form = next(f for f in self.project.forms if f.storage_name == use.storage_name)
        item = cast(m.Item, symbol.decl)  # what an "item" symbol holds
        field = next(f for f in form.fields if f.name == item.name)
        name = self.project.names[(form.storage_name, field.name)]
        if form.storage_name == self.form.storage_name:
            if visit is not None:
                raise Untranslatable
            return f"[{name}]", field
        if form.repeating:
            raise Untranslatable
        if visit is None and set(self.project.form_visits(self.form)) <= set(
            self.project.form_visits(form)
        ):
            return f"[{name}]", field
        if len(self.project.arms) != 1:
            raise Untranslatable
        event = visit or self.project.form_visits(form)[0]
        return f"[{self.project.unique_event_name(event, 1)}][{name}]", field

    def value(self, field: CrfField, expr: m.Expr) -> str:
        if field.kind == "yes_no" and isinstance(expr, m.BoolLit):
            return "'1'" if expr.value else "'0'"
        if field.kind == "choice" and isinstance(expr, m.Ref) and len(expr.parts) == 1:
            assert field.choices is not None
            for index, choice in enumerate(field.choices.choices, start=1):
                if choice.value == expr.parts[0]:
                    return f"'{index}'"
            raise Untranslatable
        if field.kind in ("number", "integer") and isinstance(expr, m.NumberLit):
            return m.format_decimal(expr.value)
        if field.kind == "quantity" and isinstance(expr, m.QuantityLit | m.NumberLit):
            if isinstance(expr, m.NumberLit):
                return m.format_decimal(expr.value)
            quantity = expr.quantity
            if field.unit is None or quantity.unit == field.unit:
                return m.format_decimal(quantity.value)
            try:
                converted = units.convert(float(quantity.value), quantity.unit, field.unit)
            except units.UnitError as error:
                raise Untranslatable from error
            return m.format_decimal(Decimal(repr(converted)))
        raise Untranslatable


def _negate(expr: m.Expr) -> m.Expr:
    """The negation of a condition, pushed inwards (REDCap logic has no `not`).

    Every node made here stands for the condition it negates, so it takes its span.
    """
    span = expr.span
    if isinstance(expr, m.Not):
        return expr.expr
    if isinstance(expr, m.Compare):
        return m.Compare(_NEGATED[expr.op], expr.left, expr.right, span=span)
    if isinstance(expr, m.IsKnown):
        return m.IsKnown(expr.expr, not expr.missing, span=span)
    if isinstance(expr, m.Logic):
        if expr.op == "implies":
            return m.Logic("and", expr.left, _negate(expr.right), span=span)
        op: m.LogicOp = "or" if expr.op == "and" else "and"
        return m.Logic(op, _negate(expr.left), _negate(expr.right), span=span)
    if isinstance(expr, m.Between):
        below = m.Compare("<", expr.expr, expr.low, span=span)
        above = m.Compare(">", expr.expr, expr.high, span=span)
        return m.Logic("or", below, above, span=span)
    if isinstance(expr, m.MemberOf) and expr.codelist is None and expr.values:
        terms: list[m.Expr] = [
            m.Compare("!=", expr.expr, m.Ref((v,), span=span), span=span) for v in expr.values
        ]
        result = terms[0]
        for term in terms[1:]:
            result = m.Logic("and", result, term, span=span)
        return result
    raise Untranslatable


# ---------------------------------------------------------------- variable names


def variable_names(forms: tuple[CrfForm, ...]) -> dict[tuple[str, str], str]:
    """REDCap variable name per (form storage name, field name); see the module docstring."""
    bases = Counter(_slug(f.name) for form in forms if not form.checklist for f in form.fields)
    used = {RECORD_ID}
    names: dict[tuple[str, str], str] = {}
    for form in forms:
        for field in form.fields:
            base = _slug(field.name)
            if form.checklist:
                base = f"ie_{base}"
            elif bases[base] > 1 or base == RECORD_ID:
                base = f"{_abbreviation(form.storage_name)}_{base}"
            name = _fit(base)
            suffix = 2
            while name in used:
                tail = f"_{suffix}"
                name = _fit(base)[: MAX_NAME - len(tail)].rstrip("_") + tail
                suffix += 1
            used.add(name)
            names[(form.storage_name, field.name)] = name
    return names


def _slug(name: str) -> str:
    slug = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", name.lower())).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"v_{slug}".rstrip("_")
    return slug


def _abbreviation(form: str) -> str:
    """A short prefix for a form: initials of its words, or the first three letters of one word."""
    words = [w for w in _slug(form).split("_") if w]
    if len(words) == 1:
        return words[0][:3]
    initials = "".join(w[0] for w in words)
    return initials if initials[0].isalpha() else f"f{initials}"


def _fit(name: str) -> str:
    """At most 26 characters: cut after the last whole word that fits."""
    if len(name) <= MAX_NAME:
        return name
    cut = name[: MAX_NAME + 1].rfind("_")
    return name[:cut] if cut >= MAX_NAME // 2 else name[:MAX_NAME].rstrip("_")


def _event_slug(visit: str) -> str:
    """REDCap's unique event name stem: lower case, hyphens dropped, other signs as `_`."""
    slug = re.sub(r"[^a-z0-9]+", "_", visit.lower().replace("-", "")).strip("_")
    return slug or "event"


# ---------------------------------------------------------------- rows


def _row(
    name: str,
    form: str,
    *,
    section_header: str = "",
    field_type: str,
    label: str,
    choices: str = "",
    note: str = "",
    validation: str = "",
    low: Decimal | None = None,
    high: Decimal | None = None,
    branching: str = "",
    required: str = "",
    annotation: str = "",
) -> list[Cell]:
    assert field_type in FIELD_TYPES
    return [
        name,
        form,
        section_header,
        field_type,
        label,
        choices,
        note,
        validation,
        low,
        high,
        "",
        branching,
        required,
        "",
        "",
        "",
        "",
        annotation,
    ]


def _field_type(field: CrfField) -> tuple[str, str, str]:
    """(field type, choices, validation) of a field."""
    if field.kind == "yes_no":
        return "yesno", "", ""
    if field.kind == "attestation":
        attestation = field.criterion.attestation if field.criterion is not None else None
        return "checkbox", f"1, {_choice_label(attestation or 'Confirmed by the investigator')}", ""
    if field.kind == "choice" and field.choices is not None:
        choices = " | ".join(
            f"{index}, {_choice_label(choice.label)}"
            for index, choice in enumerate(field.choices.choices, start=1)
        )
        return (
            ("radio" if len(field.choices.choices) <= RADIO_MAX_CHOICES else "dropdown"),
            choices,
            "",
        )
    if field.partial:
        return "text", "", ""  # REDCap validates whole dates only: "2019-06" is valid here
    return "text", "", _VALIDATION.get(field.kind, "")


def _choice_label(label: str) -> str:
    # "|" separates choices in REDCap; a label keeps its meaning with "/" instead
    return " ".join(label.replace("|", "/").split())


def _field_note(field: CrfField) -> str:
    if field.criterion is not None and field.kind == "yes_no":
        return "Is the criterion met?"
    if field.kind == "titer":
        return "Titer as 1:N, e.g. 1:160"
    return unit_text(field) or ""


def _arms(spec: Spec) -> list[tuple[int, str]]:
    if not spec.arms:
        return [(1, "Arm 1")]
    return [(index, arm.label or arm.name) for index, arm in enumerate(spec.arms.values(), start=1)]


def _events(spec: Spec) -> list[Event]:
    """The events in schedule order: a visit written one by one is an event; the visits of
    a cycle's day (C1D1 … C17D1) and the occurrences of a repeat are one repeating event,
    scheduled at its first instance."""
    visits = spec.visit_order
    instances: dict[str, list[m.Visit]] = {}
    for visit in visits:
        key = series_event(visit)
        if key is not None:
            instances.setdefault(key, []).append(visit)
    placed: set[str] = set()
    chosen: list[tuple[m.Visit, str, str, tuple[str, ...]]] = []
    for visit in visits:
        key = series_event(visit)
        if key is None:
            chosen.append((visit, "", "", ()))
        elif key not in placed:
            placed.add(key)
            members = instances[key]
            if len(members) == 1:
                chosen.append((visit, "", "", ()))
            else:
                name = f"{members[0].name}-{members[-1].name}"
                label = f"{series_event_label(spec, visit)} (repeating: {name})"
                chosen.append((visit, name, label, tuple(v.name for v in members)))
    planned = [c for c in chosen if c[0].day is not None]
    first = _target_day(planned[0][0]) if planned else 1
    events: list[Event] = []
    last = 0
    for visit, name, label, instances_of in planned:
        target = _target_day(visit)
        offset = _days_between(first, target)
        spread = (
            visit.day_end - visit.day if visit.day_end is not None and visit.day is not None else 0
        )
        events.append(
            Event(
                visit,
                offset,
                visit.window_before + spread,
                visit.window_after,
                name,
                label,
                instances_of,
            )
        )
        last = max(last, offset)
    # events without a planned day follow the last planned visit, instances included
    for visit in visits:
        if visit.day is not None:
            last = max(last, _days_between(first, _target_day(visit)))
    unplanned = [c for c in chosen if c[0].day is None]
    for index, (visit, name, label, instances_of) in enumerate(unplanned, start=1):
        events.append(Event(visit, last + index, 0, 0, name, label, instances_of))
    return events


def _target_day(visit: m.Visit) -> int:
    assert visit.day is not None
    return visit.day_end if visit.day_end is not None else visit.day


def _days_between(a: int, b: int) -> int:
    """Days from study day a to study day b; there is no day 0."""
    gap = b - a
    if a < 0 < b:
        gap -= 1
    elif b < 0 < a:
        gap += 1
    return gap


def untranslated_conditions(spec: Spec) -> list[tuple[str, str]]:
    """(form.item, condition in words) for each `when` REDCap branching cannot express."""
    project = Project(spec)
    project.dictionary()
    return list(project.untranslated)
