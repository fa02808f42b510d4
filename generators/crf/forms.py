"""The case report forms of a spec, as every CRF back end sees them.

This module owns what is collected and how it is asked: the trial's data
dictionary (its own forms, then the library forms it collects), each item with
its label, kind, unit, choices, allowed range in the item's own unit, the
condition under which it is asked and its terminology codes; and one form the
spec implies without declaring it, the **eligibility checklist**: one field per
criterion, collected at the eligibility visit, a yes/no "criterion met"
question for a formal (or text-only) criterion and a checkbox for an attested
one.  Derived values are computed, never collected, so no form shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, cast

import attrs

from protocol_dsl import model as m
from protocol_dsl.semantics import units
from protocol_dsl.semantics.words import criterion_in_words, rule_in_words, unit_in_words
from protocol_dsl.spec import Scope, Spec

CHECKLIST_KEY = "eligibility_checklist"

FieldKind = Literal[
    "number",
    "integer",
    "quantity",
    "date",
    "datetime",
    "yes_no",
    "choice",
    "titer",
    "text",
    "attestation",
]


@attrs.frozen
class Choice:
    """One answer of a choice list; `value` is what subject data records (the entry name)."""

    value: str
    label: str
    codes: tuple[m.Code, ...] = ()


@attrs.frozen
class ChoiceList:
    """A code list as a form offers it; `key` is unique in the trial ("sle.positive_negative")."""

    key: str
    label: str
    choices: tuple[Choice, ...]
    codes: tuple[m.Code, ...] = ()


#: The only model nodes without a place in a spec: the CDISC codes of the built-in
#: yes/no choices, which every yes/no item is coded with and no spec writes.
_BUILT_IN = m.Span.unknown("<built-in>")

YES_NO = ChoiceList(
    "yes_no",
    "Yes / No",
    (
        Choice("yes", "Yes", (m.Code("CDISC", "C49488", span=_BUILT_IN),)),
        Choice("no", "No", (m.Code("CDISC", "C49487", span=_BUILT_IN),)),
    ),
)


@attrs.frozen
class CrfField:
    """One question on a form."""

    name: str
    label: str
    kind: FieldKind
    unit: str | None = None
    choices: ChoiceList | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    required: bool = False
    condition: m.Expr | None = None
    scope: Scope | None = attrs.field(default=None, eq=False, repr=False)
    visits: tuple[str, ...] | None = None
    codes: tuple[m.Code, ...] = ()
    provisional: bool = False
    criterion: m.Criterion | None = None
    #: a date that may be entered to the month or the year only
    partial: bool = False


@attrs.frozen
class CrfGroup:
    """Fields shown together; the unnamed group ("") holds the items outside any group."""

    name: str
    label: str | None
    fields: tuple[CrfField, ...]


@attrs.frozen
class CrfForm:
    """A form as the trial collects it: key in subject data, visits, grouped fields."""

    key: str
    storage_name: str
    label: str
    repeating: bool
    visits: tuple[str, ...]
    groups: tuple[CrfGroup, ...]
    checklist: bool = False
    owner: Spec | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def fields(self) -> tuple[CrfField, ...]:
        return tuple(f for group in self.groups for f in group.fields)


def crf_forms(spec: Spec) -> tuple[CrfForm, ...]:
    """Every form the trial collects, in data-dictionary order, then the eligibility checklist."""
    prefixes = library_prefixes(spec)
    forms = [
        _form(use.key, use.storage_name, use.form, use.visits, use.owner, prefixes, spec)
        for use in spec.form_uses
    ]
    checklist = _checklist(spec, {f.storage_name for f in forms})
    if checklist is not None:
        forms.append(checklist)
    return tuple(forms)


def library_prefixes(spec: Spec) -> dict[int, str]:
    """For each spec reachable from `spec`, the dotted prefix its names carry ("sle.")."""
    prefixes: dict[int, str] = {id(spec): ""}
    queue: list[Spec] = [spec]
    while queue:
        current = queue.pop(0)
        for alias, library in current.libraries.items():
            if id(library) not in prefixes:
                prefixes[id(library)] = prefixes[id(current)] + alias + "."
                queue.append(library)
    return prefixes


def choice_lists(forms: tuple[CrfForm, ...]) -> tuple[ChoiceList, ...]:
    """The distinct choice lists the forms use, in order of first use."""
    seen: dict[str, ChoiceList] = {}
    for form in forms:
        for field in form.fields:
            if field.choices is not None:
                seen.setdefault(field.choices.key, field.choices)
    return tuple(seen.values())


def measurement_units(forms: tuple[CrfForm, ...]) -> tuple[str, ...]:
    """The distinct units of quantity fields, in order of first use."""
    found: dict[str, None] = {}
    for form in forms:
        for field in form.fields:
            if field.unit is not None:
                found.setdefault(field.unit, None)
    return tuple(found)


# ---------------------------------------------------------------- wording shared by the back ends


def condition_in_words(field: CrfField, spec: Spec) -> str | None:
    """When the field is asked, in plain words (None if always)."""
    if field.condition is None:
        return None
    return rule_in_words(field.condition, spec, field.scope)


def criterion_rule_in_words(field: CrfField, spec: Spec) -> str | None:
    """For a checklist field: the criterion's rule or attestation in plain words."""
    if field.criterion is None:
        return None
    return criterion_in_words(field.criterion, spec)


def unit_text(field: CrfField) -> str | None:
    return unit_in_words(field.unit) if field.unit else None


def range_text(field: CrfField) -> str | None:
    """The allowed range as printed on a form: "0 to 10", "at least 0", "at most 5"."""
    low = m.format_decimal(field.low) if field.low is not None else None
    high = m.format_decimal(field.high) if field.high is not None else None
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    return None


def code_text(code: m.Code) -> str:
    return f"{code.system} {code.value}"


def mapping_targets(spec: Spec) -> dict[tuple[str, str], tuple[str, ...]]:
    """Source-data targets declared by the spec's mappings, per (form key, item).

    `demographics.age from DM.AGE` gives `("demographics", "age") -> ("DM.AGE",)`;
    a `where` filter and the unit and date variables are written after the
    variable, as an annotated CRF shows them.
    """
    targets: dict[tuple[str, str], list[str]] = {}
    for mapping in spec.mappings:
        for rule in mapping.rules:
            if len(rule.target.parts) < 2:
                continue
            key = (".".join(rule.target.parts[:-1]), rule.target.parts[-1])
            text = rule.source.dotted
            if rule.where is not None:
                text += f" where {rule.where[0]} = {rule.where[1]}"
            if rule.unit is not None:
                text += f" (unit {rule.unit.dotted})"
            if rule.date is not None:
                text += f" (date {rule.date.dotted})"
            if rule.visit is not None:
                text += f" (visit {rule.visit.dotted})"
            targets.setdefault(key, []).append(text)
    return {key: tuple(texts) for key, texts in targets.items()}


# ---------------------------------------------------------------- building the view


def series_event(visit: m.Visit) -> str | None:
    """The repeating event a visit of a cycle or a repeat is an instance of, else None: one
    per visit of a cycle ("treatment_cycle.D1": C1D1 … C17D1) and one per repeat ("SURV")."""
    if visit.series is None:
        return None
    return f"{visit.series}.{visit.template}" if visit.template is not None else visit.series


def series_event_label(spec: Spec, visit: m.Visit) -> str:
    """ "Treatment cycle, Day 1", "Survival follow-up": the event's name for people."""
    cycle = spec.cycles.get(visit.series or "")
    if cycle is not None:
        template = next((t for t in cycle.visits if t.name == visit.template), None)
        day = (template.label or template.name) if template else visit.template or ""
        return f"{cycle.label or cycle.name}, {day}"
    repeat = spec.repeats.get(visit.series or "")
    return (repeat.label or repeat.name) if repeat else visit.series or visit.name


def _form(
    key: str,
    storage_name: str,
    form: m.Form,
    visits: tuple[str, ...],
    owner: Spec,
    prefixes: dict[int, str],
    trial: Spec,
) -> CrfForm:
    group_labels = {g.name: g.label for g in form.groups}
    grouped: dict[str, list[CrfField]] = {}
    for item in form.items:
        field = _field(item, form, owner, prefixes, trial.item_visits(item))
        grouped.setdefault(item.group or "", []).append(field)
    groups = tuple(
        CrfGroup(name, group_labels.get(name), tuple(fields)) for name, fields in grouped.items()
    )
    return CrfForm(
        key=key,
        storage_name=storage_name,
        label=form.label or _humane(form.name),
        repeating=form.repeating,
        visits=visits,
        groups=groups,
        owner=owner,
    )


def _field(
    item: m.Item,
    form: m.Form,
    owner: Spec,
    prefixes: dict[int, str],
    visits: tuple[str, ...] | None,
) -> CrfField:
    kind = item.type.kind
    unit = item.type.unit if kind == "quantity" else None
    choices: ChoiceList | None = None
    if kind == "choice" and item.type.codelist is not None:
        choices = _choice_list(owner, item.type.codelist, prefixes)
    elif kind == "yes_no":
        choices = YES_NO
    low = high = None
    if item.range is not None:
        low = _bound(item.range.low, unit)
        high = _bound(item.range.high, unit)
    return CrfField(
        name=item.name,
        label=item.label or _humane(item.name),
        kind=kind,
        unit=unit,
        choices=choices,
        low=low,
        high=high,
        required=item.required,
        condition=item.when,
        scope=Scope(owner, form, f"condition of {form.name}.{item.name}"),
        visits=visits,
        codes=item.codes,
        provisional=m.is_provisional(item.marks),
        partial=item.partial and kind == "date",
    )


def _choice_list(owner: Spec, ref: m.Ref, prefixes: dict[int, str]) -> ChoiceList | None:
    symbol = owner.resolve(ref.parts, Scope(owner))
    if symbol is None or symbol.codelist is None:
        return None
    codelist = symbol.codelist
    return ChoiceList(
        key=prefixes.get(id(symbol.owner), "") + codelist.name,
        label=codelist.label or _humane(codelist.name),
        choices=tuple(
            Choice(e.name, e.label or _humane(e.name), e.codes) for e in codelist.entries
        ),
        codes=codelist.codes,
    )


def _bound(value: Decimal | m.Quantity, unit: str | None) -> Decimal | None:
    """A range bound in the item's unit (a bound written in another unit is converted)."""
    if not isinstance(value, m.Quantity):
        return value
    if unit is None or value.unit == unit:
        return value.value
    try:
        converted = units.convert(float(value.value), value.unit, unit)
    except units.UnitError:
        return None
    return Decimal(repr(converted))


def _checklist(spec: Spec, taken: set[str]) -> CrfForm | None:
    if not spec.criteria:
        return None
    key = CHECKLIST_KEY
    suffix = 2
    while key in taken:
        key = f"{CHECKLIST_KEY}_{suffix}"
        suffix += 1
    visit = spec.eligibility_visit
    groups = tuple(
        CrfGroup(kind, title, tuple(_criterion_field(c) for c in criteria))
        for kind, title, criteria in (
            ("inclusion", "Inclusion criteria", spec.inclusions),
            ("exclusion", "Exclusion criteria", spec.exclusions),
        )
        if criteria
    )
    return CrfForm(
        key=key,
        storage_name=key,
        label="Eligibility checklist",
        repeating=False,
        visits=(visit,) if visit is not None else (),
        groups=groups,
        checklist=True,
        owner=spec,
    )


def _criterion_field(criterion: m.Criterion) -> CrfField:
    return CrfField(
        name=criterion.id,
        label=criterion.text,
        kind="attestation" if criterion.attested else "yes_no",
        choices=None if criterion.attested else YES_NO,
        required=True,
        provisional=m.is_provisional(criterion.marks),
        criterion=criterion,
    )


def _humane(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@attrs.frozen
class FormScore:
    """A score computed from the yes/no items of one collected form."""

    shown: str  # the score's name as the spec writes it ("sle.sledai_2k")
    name: str  # its own name ("sledai_2k")
    label: str
    #: per domain, the (yes/no field, weight) of each descriptor counted
    domains: tuple[tuple[tuple[CrfField, Decimal], ...], ...]
    highest: bool  # `rule highest_per_domain`: the highest of each domain, else all added


def form_scores(
    spec: Spec, forms: tuple[CrfForm, ...]
) -> tuple[dict[str, list[FormScore]], list[tuple[str, str]]]:
    """The scores an EDC can compute on a form, per form storage name; and (score, why not).

    A score (or a variant without some descriptors) qualifies when every
    descriptor reads a yes/no item of its form; a descriptor defined by a rule
    (a condition, not an item) does not, nor does a variant of a variant.
    """
    by_form: dict[str, list[FormScore]] = {}
    refused: list[tuple[str, str]] = []
    owners = [("", spec)] + [(f"{alias}.", lib) for alias, lib in spec.libraries.items()]
    for prefix, owner in owners:
        for score_name, decl in owner.scores.items():
            shown = f"{prefix}{score_name}"
            base = owner.base_score(decl)
            if base is None or base.form is None:
                continue
            excluded: set[str] = set()
            base_owner = owner
            if isinstance(decl, m.ScoreVariant):
                symbol = owner.resolve(decl.base.parts, Scope(owner))
                if symbol is None or symbol.decl is not base:
                    refused.append((shown, "a variant of a variant"))
                    continue
                excluded = set(decl.without)
                base_owner = symbol.owner
            form_symbol = base_owner.resolve(base.form.parts, Scope(base_owner))
            if form_symbol is None or form_symbol.form is None:
                continue
            use = spec.form_use(form_symbol.owner, form_symbol.form)
            if use is None:
                continue  # the trial does not collect the score's form
            form = next(f for f in forms if f.storage_name == use.storage_name)
            domains = []
            reason = ""
            for domain in base.domains:
                counted = []
                for item in domain.items:
                    if item.name in excluded:
                        continue
                    field = next((f for f in form.fields if f.name == item.name), None)
                    if item.expr is not None or field is None or field.kind != "yes_no":
                        reason = f"descriptor {item.name} is not a yes/no item of its form"
                        break
                    counted.append((field, Decimal(item.weight)))
                domains.append(tuple(counted))
            if reason:
                refused.append((shown, reason))
                continue
            by_form.setdefault(form.storage_name, []).append(
                FormScore(
                    shown,
                    score_name,
                    decl.label or base.label or shown,
                    tuple(domains),
                    base.rule == "highest_per_domain",
                )
            )
    return by_form, refused


def field_read(
    spec: Spec, forms: Iterable[CrfForm], scope: Scope, expr: m.Expr
) -> tuple[str | None, CrfForm, CrfField] | None:
    """The CRF field a reference reads (`form.item`, `item`, `… at VISIT`): the visit it
    is read at (None: the visit in context), its form and its field; None when the
    expression reads no item of a form.  The CRF back ends translate a rule's
    references through this one reading."""
    visit: str | None = None
    if isinstance(expr, m.AtVisit):
        visit, expr = expr.visit, expr.expr
    if not isinstance(expr, m.Ref):
        return None
    symbol = scope.owner.resolve(expr.parts, scope)
    if symbol is None or symbol.kind != "item" or symbol.form is None:
        return None
    use = spec.form_use(symbol.owner, symbol.form)
    if use is None:
        return None
    form = next(f for f in forms if f.storage_name == use.storage_name)
    item = cast(m.Item, symbol.decl)  # what an "item" symbol holds
    field = next(f for f in form.fields if f.name == item.name)
    return visit, form, field
