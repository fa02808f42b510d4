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
  follow the last scheduled one.  Unplanned events (unscheduled visits, early
  termination) have no offsets: REDCap's scheduler must not book them on a day.
  The unscheduled event repeats as a whole (a row with a blank form name in
  `redcap_repeating_instruments.csv`).
- A blinded trial with more than one arm has one REDCap arm ("All subjects"):
  REDCap arms are chosen when a record is created, so staff would pick the arm
  before randomisation.  Its arms are the choices of a `randomisation_arm`
  field on a `randomisation` instrument at the first event on or after day 1,
  the field REDCap's randomisation module is set up to write.  An open-label
  trial keeps one REDCap arm per arm.
- "Identifier?" is set on fields that identify a person (a date of birth, by
  its SDTM mapping `DM.BRTHDTC` or its name; initials, names, contact details),
  which REDCap leaves out of de-identified exports.
- A score whose descriptors are yes/no items of its form is a calc field on
  that instrument (`score_calcs`), blank until every descriptor is answered
  (REDCap's `sum()` and `if()` read a blank as zero; a score from half a form
  would be a number where the spec says unknown).  A form's `derive`d value
  that is arithmetic over number items of its record is a calc field too
  (`derive_calcs`; REDCap's arithmetic with a blank field is blank).  Scores
  with a descriptor defined by a rule, variants of variants, other derived
  values (a lookup, a conversion, a function) and definitions are not written
  as calc fields: `uncalculated_scores` lists the scores and derived values
  and why.
- Spec text never acts in REDCap (`redcap_text`): a `<` that would open an HTML
  tag is written `&lt;`, and "@" before a letter (an action tag), square
  brackets (piping, smart variables) and curly brackets (field embedding) are
  written as their full-width forms, which read the same.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from generators.crf.forms import (
    CrfField,
    CrfForm,
    code_text,
    condition_in_words,
    crf_forms,
    criterion_rule_in_words,
    field_read,
    form_scores,
    mapping_targets,
    series_event,
    series_event_label,
    unit_text,
)
from protocol_dsl import model as m
from protocol_dsl.allocation import effective_masking
from protocol_dsl.csv_cells import Cell, write_csv
from protocol_dsl.errors import ControlFlow
from protocol_dsl.inert_text import printable
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

# SDTM variables that identify a person, and field names that say they do (see
# `Project.identifies`); a plain `name` is not one: "drug_name" identifies no one.
_IDENTIFYING_SDTM = re.compile(r"^DM\.BRTHDTC\b")
_IDENTIFYING_NAME = re.compile(
    r"(^|_)(birth|dob|birth_?date|date_of_birth|initials|first_name|last_name|family_name"
    r"|given_name|surname|full_name|address|street|postcode|postal_code|zip_code|phone"
    r"|telephone|mobile|email|e_mail|mrn|medical_record_number|ssn|nhs_number)(_|$)"
)

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


def build(spec: Spec, out_dir: Path, *, bom: bool = False) -> list[Path]:
    """Write the REDCap files; `bom` (`protocol build --redcap-bom`) starts each with
    the UTF-8 byte-order mark, so Excel opens them without garbling ≥ and ±."""
    project = Project(spec)
    folder = out_dir / "crf"
    files = (
        ("redcap_data_dictionary.csv", DICTIONARY_COLUMNS, project.dictionary()),
        ("redcap_events.csv", EVENT_COLUMNS, project.event_rows()),
        ("redcap_form_event_mapping.csv", MAPPING_COLUMNS, project.mapping_rows()),
        ("redcap_arms.csv", ARM_COLUMNS, project.arm_rows()),
        ("redcap_repeating_instruments.csv", REPEATING_COLUMNS, project.repeating_rows()),
    )
    return [write_csv(folder / name, header, rows, bom=bom) for name, header, rows in files]


class Event(NamedTuple):
    visit: m.Visit  # the visit, or the first visit of a repeating event
    day_offset: int | None  # None: an unplanned event (unscheduled, early termination)
    offset_min: int | None
    offset_max: int | None
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
        self.events = _events(spec)
        # the event each visit is recorded in (a repeating event's instances: that event)
        self.event_of = {v: e.event_name for e in self.events for v in e.visits}
        self.targets = mapping_targets(spec)
        self.untranslated: list[tuple[str, str]] = []
        self.randomisation = _randomisation(spec, self.forms, self.names, self.events)
        self.scores, self.uncalculated = score_calcs(spec, self.forms, self.names)
        derived, underived = derive_calcs(spec, self.forms, self.names)
        for storage, calcs in derived.items():
            self.scores.setdefault(storage, [])[:0] = calcs
        self.uncalculated += underived
        # a blinded trial has one REDCap arm: the arm is the randomisation field's value,
        # set by REDCap's randomisation module, never chosen by staff at enrolment
        self.arms = [(1, "All subjects")] if self.randomisation is not None else _arms(spec)

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
                redcap_text(event.label or event.visit.label or ""),
            ]
            for arm_num, _name in self.arms
            for event in self.events
        ]

    def form_names(self, event: Event) -> list[str]:
        """The instruments collected at an event, in data-dictionary order."""
        names = [f.storage_name for f in self.forms if set(event.visits) & set(self.form_visits(f))]
        found = self.randomisation
        if found is not None and found.visit in event.visits:
            names.append(found.form)
        return names

    def form_visits(self, form: CrfForm) -> tuple[str, ...]:
        """The visits a form is designated to (a form without visits: every visit)."""
        return form.visits or tuple(v for e in self.events for v in e.visits)

    def mapping_rows(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for arm_num, _name in self.arms:
            for event in self.events:
                unique = self.unique_event_name(event.visit.name, arm_num)
                rows += [[arm_num, unique, form] for form in self.form_names(event)]
        return rows

    def repeating_rows(self) -> list[list[Cell]]:
        """Repeating instruments, and the unscheduled event repeating as a whole.

        A repeating event is written with a blank form name; REDCap does not let
        an event repeat and hold repeating instruments, so its forms are not listed.
        """
        rows: list[list[Cell]] = []
        for arm_num, _name in self.arms:
            for event in self.events:
                unique = self.unique_event_name(event.visit.name, arm_num)
                if event.repeats or event.visit.unscheduled:
                    # the whole event repeats (REDCap: a row without a form name); REDCap
                    # allows no repeating instrument inside a repeating event
                    rows.append([unique, "", ""])
                    continue
                for form in self.forms:
                    if form.repeating and set(event.visits) & set(self.form_visits(form)):
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
                    header = redcap_text(group.label) if index == 0 and group.label else ""
                    rows.append(self.field_row(form, field, header))
            for calc in self.scores.get(form.storage_name, ()):
                rows.append(
                    _row(
                        calc.name,
                        form.storage_name,
                        field_type="calc",
                        label=redcap_text(calc.label),
                        choices=calc.formula,
                        note="Calculated; blank until every descriptor is answered",
                        annotation=redcap_text(f"Score {calc.score}, calculated by REDCap"),
                    )
                )
        if self.randomisation is not None:
            rows.append(self.randomisation_row(self.randomisation))
        return rows

    def randomisation_row(self, found: RandomisationField) -> list[Cell]:
        # coded in the ratio's order, as `protocol randomise --format redcap` codes them
        randomisation = self.spec.randomisation
        order = [e.arm for e in randomisation.ratio] if randomisation is not None else []
        arms = [self.spec.arms[a] for a in order if a in self.spec.arms]
        arms += [arm for name, arm in self.spec.arms.items() if name not in order]
        choices = " | ".join(
            f"{index}, {_choice_label(arm.label or arm.name)}"
            for index, arm in enumerate(arms, start=1)
        )
        return _row(
            found.field,
            found.form,
            field_type="dropdown" if len(arms) > RADIO_MAX_CHOICES else "radio",
            label="Randomised arm",
            choices=choices,
            note="Set by the randomisation module; blinded staff do not see it",
            required="",
            annotation=(
                "Randomisation field of REDCap's randomisation module (a blinded trial has "
                "one REDCap arm): the module writes the allocated arm from the uploaded "
                "allocation table; give blinded roles no access to this form"
            ),
        )

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
            label=redcap_text(
                f"{field.name}. {field.label}" if field.criterion is not None else field.label
            ),
            choices=choices,
            note=redcap_text(_field_note(field)),
            validation=validation,
            low=low,
            high=high,
            identifier=self.identifies(form, field),
            branching=branching,
            required="y" if field.required else "",
            annotation=redcap_text("; ".join(annotation + self.annotations(form, field))),
        )

    def identifies(self, form: CrfForm, field: CrfField) -> bool:
        """Whether the field identifies a person (REDCap's "Identifier?" column).

        REDCap leaves identifiers out of de-identified exports.  A field is one
        when it is mapped to an SDTM variable that identifies (date of birth), or
        when its name says it holds a date of birth, initials, a personal name, an
        address, a telephone number, an e-mail address or a record number.
        """
        targets = self.targets.get((form.key, field.name), ())
        if any(_IDENTIFYING_SDTM.search(t) for t in targets):
            return True
        return _IDENTIFYING_NAME.search(_slug(field.name)) is not None

    def annotations(self, form: CrfForm, field: CrfField) -> list[str]:
        notes: list[str] = []
        if field.criterion is not None:
            notes.append(criterion_rule_in_words(field, self.spec) or "")
        notes += [code_text(code) for code in field.codes]
        # an analysis dataset (ADSL, ADAE …) is ADaM, as the ODM's Alias says
        notes += [
            f"{'ADaM' if t.startswith('AD') else 'SDTM'} {t}"
            for t in self.targets.get((form.key, field.name), ())
        ]
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
        return field_read(self.project.spec, self.project.forms, self.scope, expr) is not None

    def variable(self, expr: m.Expr) -> tuple[str, CrfField]:
        """`[var]`, or `[event][var]` when the value is read at another event."""
        read = field_read(self.project.spec, self.project.forms, self.scope, expr)
        if read is None:
            raise Untranslatable
        visit, form, field = read
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
    identifier: bool = False,
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
        "y" if identifier else "",
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
    return " ".join(redcap_text(label).replace("|", "/").split())


# What REDCap acts on in a label, note, choice, section header, event or arm name:
# HTML (it renders labels as HTML: `<script>`, `<img onerror=…>`), action tags
# (`@HIDDEN`: an upper-case word after "@"), piping (`[field]`, `[event][field]`,
# smart variables such as `[record-name]`) and field embedding (`{field}`).
_ACTION_TAG = re.compile(r"@(?=[A-Za-z])")
# HTML opens a tag, comment or declaration only at "<" followed by a letter, "/", "!"
# or "?"; "<= 4" stays as written, readable in the CSV and in REDCap alike.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_REDCAP_SIGNS = str.maketrans(
    {
        "[": "\uff3b",  # FULLWIDTH LEFT SQUARE BRACKET: shown as "[", never piped
        "]": "\uff3d",
        "{": "\uff5b",  # FULLWIDTH LEFT CURLY BRACKET: shown as "{", never embeds a field
        "}": "\uff5d",
    }
)


def redcap_text(text: str) -> str:
    """Spec text as REDCap shows it and never acts on.

    A `<` that would open a tag becomes `&lt;`, which REDCap's HTML shows as "<"; "@"
    before a letter becomes the full-width "＠", which no action tag starts
    with; square and curly brackets become their full-width forms, which no
    piping or field embedding reads.  The words read the same on screen.
    """
    text = _TAG_OPEN.sub("&lt;", printable(text).translate(_REDCAP_SIGNS))
    return _ACTION_TAG.sub("\uff20", text)


def _field_note(field: CrfField) -> str:
    if field.criterion is not None and field.kind == "yes_no":
        return "Is the criterion met?"
    if field.kind == "titer":
        return "Titer as 1:N, e.g. 1:160"
    return unit_text(field) or ""


class ScoreCalc(NamedTuple):
    score: str  # the score's name as the spec writes it ("sle.sledai_2k")
    name: str  # the calc field's variable name
    label: str
    formula: str


def score_calcs(
    spec: Spec, forms: tuple[CrfForm, ...], names: dict[tuple[str, str], str]
) -> tuple[dict[str, list[ScoreCalc]], list[tuple[str, str]]]:
    """REDCap calc fields of the scores (`forms.form_scores`), per instrument, and
    (score, why not) for the scores left out.

    A descriptor counts its weight when answered yes (1); `rule sum_all` adds
    them, `highest_per_domain` adds the highest of each domain (`max()`).
    REDCap's `sum()` and an `if()` on a blank field both count a blank as
    zero, which would show a score from half a form: the formula is blank
    (unknown) until every descriptor is answered.
    """
    by_form: dict[str, list[ScoreCalc]] = {}
    used = set(names.values()) | {RECORD_ID}
    scores, refused = form_scores(spec, forms)
    for storage, found in scores.items():
        for score in found:
            domains = [
                [(names[(storage, field.name)], weight) for field, weight in domain]
                for domain in score.domains
            ]
            formula = _score_formula(domains, highest=score.highest)
            if formula is None:
                continue
            name = next(n for n in _numbered(_fit(_slug(score.name))) if n not in used)
            used.add(name)
            by_form.setdefault(storage, []).append(
                ScoreCalc(score.shown, name, score.label, formula)
            )
    return by_form, refused


def derive_calcs(
    spec: Spec, forms: tuple[CrfForm, ...], names: dict[tuple[str, str], str]
) -> tuple[dict[str, list[ScoreCalc]], list[tuple[str, str]]]:
    """REDCap calc fields of the forms' derived values (`derive`), per instrument, and
    (derived value, why not) for the others.

    A derived value REDCap can compute is arithmetic (`+ - * /`, numbers,
    parentheses) over number items of its own record; REDCap's arithmetic
    with a blank field is blank, so it stays unknown while an item is missing.
    A unit conversion, a lookup, a function, a date or a comparison is not
    written (a quantity item is read in its own unit, as the interpreter does
    only when no conversion is involved, so quantities are left out too).
    """
    by_form: dict[str, list[ScoreCalc]] = {}
    refused: list[tuple[str, str]] = []
    used = set(names.values()) | {RECORD_ID}
    for use in spec.form_uses:
        form = next((f for f in forms if f.storage_name == use.storage_name), None)
        if form is None:
            continue
        # on a repeating instrument REDCap computes the calc per instance, as the
        # interpreter computes a derived value per record
        fields = {f.name: f for f in form.fields}
        for derive in use.form.derives:
            shown = f"{use.key}.{derive.name}"
            try:
                variables = {f: names[(form.storage_name, f)] for f in fields}
                formula = _arithmetic(derive.expr, fields, variables)
            except Untranslatable:
                refused.append((shown, "not arithmetic over number items of its form"))
                continue
            name = next(n for n in _numbered(_fit(_slug(derive.name))) if n not in used)
            used.add(name)
            by_form.setdefault(form.storage_name, []).append(
                ScoreCalc(shown, name, derive.label or derive.name, formula)
            )
    return by_form, refused


def _arithmetic(expr: m.Expr, fields: dict[str, CrfField], variables: dict[str, str]) -> str:
    if isinstance(expr, m.NumberLit):
        return m.format_decimal(expr.value)
    if isinstance(expr, m.Ref) and len(expr.parts) == 1:
        field = fields.get(expr.parts[0])
        if field is None or field.kind not in ("number", "integer"):
            raise Untranslatable
        return f"[{variables[field.name]}]"
    if isinstance(expr, m.Negate):
        return f"(-{_arithmetic(expr.expr, fields, variables)})"
    if isinstance(expr, m.Arith):
        left = _arithmetic(expr.left, fields, variables)
        right = _arithmetic(expr.right, fields, variables)
        return f"({left} {expr.op} {right})"
    raise Untranslatable


def _score_formula(domains: list[list[tuple[str, Decimal]]], *, highest: bool) -> str | None:
    """The calc: blank while a descriptor is blank, else the weighted yes answers."""
    variables = [v for terms in domains for v, _w in terms]
    if not variables:
        return None
    parts = []
    for terms in domains:
        if not terms:
            continue
        counted = [f"if([{v}] = '1', {m.format_decimal(w)}, 0)" for v, w in terms]
        if highest and len(counted) > 1:
            parts.append(f"max({', '.join(counted)})")
        else:
            parts.extend(counted)
    blank = " or ".join(f"isblankormissingcode([{v}])" for v in variables)
    return f"if({blank}, '', {' + '.join(parts)})"


class RandomisationField(NamedTuple):
    form: str  # the instrument's name
    field: str  # the variable's name
    visit: str  # the visit whose event holds it


def _randomisation(
    spec: Spec,
    forms: tuple[CrfForm, ...],
    names: dict[tuple[str, str], str],
    events: list[Event],
) -> RandomisationField | None:
    """The randomisation field of a blinded trial with more than one arm, else None.

    It sits on its own instrument at the first event planned on or after day 1
    (the first event when none is), where randomisation takes place.
    """
    masking = effective_masking(spec.masking, _header(spec, "masking"))
    if len(spec.arms) < 2 or masking in (None, "open_label", "none") or not events:
        return None
    taken = {f.storage_name for f in forms}
    form = next(n for n in _numbered("randomisation") if n not in taken)
    used = set(names.values()) | {RECORD_ID}
    field = next(n for n in _numbered("randomisation_arm") if n not in used)
    planned = [e for e in events if e.visit.day is not None and e.visit.day >= 1]
    return RandomisationField(form, field, (planned or events)[0].visit.name)


def _numbered(stem: str) -> Iterator[str]:
    yield stem
    for number in itertools.count(2):
        yield f"{stem}_{number}"


def _header(spec: Spec, key: str) -> str | None:
    found = spec.trial_field(key)
    return None if found is None else str(found.value.value)


def _arms(spec: Spec) -> list[tuple[int, str]]:
    if not spec.arms:
        return [(1, "Arm 1")]
    return [
        (index, redcap_text(arm.label or arm.name))
        for index, arm in enumerate(spec.arms.values(), start=1)
    ]


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
    following = 0
    for visit, name, label, instances_of in (c for c in chosen if c[0].day is None):
        if _unplanned(visit):
            # REDCap's scheduler would book them on a day; they have none
            events.append(Event(visit, None, None, None, name, label, instances_of))
        else:
            following += 1
            events.append(Event(visit, last + following, 0, 0, name, label, instances_of))
    return events


def _unplanned(visit: m.Visit) -> bool:
    """A visit that happens when something does, never on a planned day."""
    return visit.unscheduled or visit.early_termination


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


def uncalculated_scores(spec: Spec) -> list[tuple[str, str]]:
    """(score, why) for each score of the trial's forms REDCap's calc syntax is not given."""
    project = Project(spec)
    return list(project.uncalculated)
