"""Units: every unit in a spec is UCUM (or a word of time), and quantities of different kinds
never meet.

E0301 a unit that does not parse, pointed at the offending character;
E0302 a duration written in a unit that is not a unit of time;
E0303 quantities of different kinds compared, added or subtracted (found by the
      type pass, `semantics.types.analyse`, which this check shares with the type check);
E0304 an item range, or a criterion threshold, in a unit the item cannot have;
E0305 dose levels and step doses in units that cannot be compared;
E0306 an item's range in a unit on another scale than the item's (% and
      mmol/mol): comparisons across scales are found by the type pass too;
E0307-E0309 conversion declarations (`protocol_dsl.checks.conversions`).
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.checks import conversions
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.semantics import scales, units
from protocol_dsl.semantics.types import (
    SCALE_HELP,
    UNIT_HELP,
    analyse,
    quantity_unit,
    unit_span,
    units_comparable,
)
from protocol_dsl.semantics.units import describe_unit
from protocol_dsl.spec import Spec

#: Trial header fields that hold a duration.
_DURATION_FIELDS = ("minimum_age", "maximum_age", "length")


def check(spec: Spec) -> Iterator[Diagnostic]:
    for problem in analyse(spec):
        if problem.code.startswith("E03"):
            yield problem
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            yield from _declaration(decl)
    yield from conversions.check(spec)


def _declaration(decl: object) -> Iterator[Diagnostic]:
    if isinstance(decl, m.Form):
        for item in decl.items:
            yield from _item(item)
    elif isinstance(decl, m.Trial):
        for f in decl.fields:
            for value in f.values:
                if value.kind == "quantity" and f.key in _DURATION_FIELDS:
                    yield from _duration(value.value, value.span, f"'{f.key}'")  # type: ignore[arg-type]
    elif isinstance(decl, m.Intervention):
        for f in decl.fields:
            for value in f.values:
                if value.kind == "quantity":
                    yield from _parse(value.value.unit, value.span)  # type: ignore[union-attr]
    elif isinstance(decl, m.Score) and decl.lookback is not None:
        yield from _duration(decl.lookback, decl.span, "the look-back of a score")
    elif isinstance(decl, m.Element) and decl.duration is not None:
        yield from _duration(decl.duration, decl.span, f"the length of element '{decl.name}'")
    elif isinstance(decl, m.Objective):
        for endpoint in decl.endpoints:
            if endpoint.until is not None:
                yield from _duration(endpoint.until, endpoint.span, "an endpoint's time frame")
    elif isinstance(decl, m.DoseFinding):
        yield from _dose_finding(decl)
    elif isinstance(decl, m.Regimen):
        yield from _regimen(decl)
    elif isinstance(decl, m.Table):
        yield from _table(decl)


def _parse(text: str, span: m.Span, at_end: bool = True) -> Iterator[Diagnostic]:
    try:
        quantity_unit(text)
    except units.UnitError as error:
        yield Diagnostic(
            "E0301",
            "error",
            error.message,
            unit_span(span, text, error.position) if at_end else span,
            help=UNIT_HELP,
        )


def _regimen(decl: m.Regimen) -> Iterator[Diagnostic]:
    """A regimen's doses are units; its repeat interval and infusion are durations."""
    if decl.dose is not None:
        yield from _parse(decl.dose.unit, decl.span, at_end=False)
    for level in decl.reductions:
        yield from _parse(level.dose.unit, level.span, at_end=False)
    if decl.days is not None and decl.days.every is not None:
        yield from _duration(decl.days.every, decl.days.span, "the interval of `then every`")
    infusion = decl.field("infusion")
    if infusion is not None and infusion.value.kind == "quantity":
        quantity = infusion.value.value
        assert isinstance(quantity, m.Quantity)
        yield from _duration(quantity, infusion.span, "the infusion")


def _duration(quantity: m.Quantity, span: m.Span, what: str) -> Iterator[Diagnostic]:
    try:
        units.time_unit(quantity.unit)
    except units.UnitError as error:
        yield Diagnostic(
            "E0302",
            "error",
            f"{what} is a duration, but {quantity} is not: {error.message}",
            span,
            help="write a duration such as 28 days, 24 weeks, 6 months or 18 years",
        )


def _item(item: m.Item) -> Iterator[Diagnostic]:
    unit: str | None = None
    if item.type.kind == "quantity" and item.type.unit is not None:
        problems = list(_parse(item.type.unit, item.type.span))
        yield from problems
        if not problems:
            unit = quantity_unit(item.type.unit)
            yield from _coded_scale(item, unit)
    if item.range is None:
        return
    for bound in (item.range.low, item.range.high):
        if not isinstance(bound, m.Quantity):
            continue
        problems = list(_parse(bound.unit, item.range.span, at_end=False))
        if problems:
            yield from problems
            continue
        bound_unit = quantity_unit(bound.unit)
        if unit is None and item.type.kind == "quantity":
            continue  # the item's own unit is already reported
        if unit is None:
            yield Diagnostic(
                "E0304",
                "error",
                f"the range of '{item.name}' is given in {bound.unit}, but '{item.name}' is "
                f"{_article(item.type.kind)} {item.type.kind.replace('_', '/')} item, which has "
                "no unit",
                item.range.span,
                labels=(Label(item.type.span, "declared without a unit"),),
                help="write the range as plain numbers, or declare the item as `quantity UNIT`",
            )
        elif scales.different_scales(unit, bound_unit):
            yield Diagnostic(
                "E0306",
                "error",
                f"the range of '{item.name}' is given in {scales.describe_scale(bound_unit)}, "
                f"but '{item.name}' is recorded in {scales.describe_scale(unit)}, a different "
                "scale that no factor converts",
                item.range.span,
                labels=(Label(item.type.span, f"recorded in {units.format_unit(unit)}"),),
                help=f"write the range in {units.format_unit(unit)}; " + SCALE_HELP,
            )
            return
        elif not units_comparable(unit, bound_unit):
            yield Diagnostic(
                "E0304",
                "error",
                f"the range of '{item.name}' is given in {describe_unit(bound_unit)}, a unit "
                f"'{item.name}' cannot have: it is recorded in {describe_unit(unit)}",
                item.range.span,
                labels=(Label(item.type.span, f"recorded in {units.format_unit(unit)}"),),
                help=f"write the range in {units.format_unit(unit)}, or as plain numbers "
                "(read in the item's unit)",
            )
            return


def _coded_scale(item: m.Item, unit: str) -> Iterator[Diagnostic]:
    """An item whose code names a measurement on another scale than the item's unit (HbA1c
    by IFCC, in mmol/mol, declared in %): the code decides what its values are."""
    coded = scales.code_scale((code.system, code.value) for code in item.codes)
    if coded is None or scales.same_scale(unit, coded[1]):
        return
    code, expected = coded
    span = next(c.span for c in item.codes if c.value == code)
    yield Diagnostic(
        "E0306",
        "error",
        f"'{item.name}' is declared in {scales.describe_scale(unit)}, but its code "
        f"[LOINC {code}] is a measurement in {scales.describe_scale(expected)}, another scale",
        item.type.span,
        labels=(Label(span, f"measured in {expected}"),),
        help=f"declare the item in {expected} (or another unit of that scale), or give it the "
        "code of the measurement on its own scale",
    )


def _dose_finding(decl: m.DoseFinding) -> Iterator[Diagnostic]:
    if decl.dlt_window is not None and decl.dlt_window.duration is not None:
        yield from _duration(decl.dlt_window.duration, decl.dlt_window.span, "the DLT window")
    reference: tuple[m.DoseLevel, str] | None = None
    for level in decl.levels:
        problems = list(_parse(level.dose.unit, level.span, at_end=False))
        if problems:
            yield from problems
            continue
        unit = quantity_unit(level.dose.unit)
        if reference is None:
            reference = (level, unit)
        elif not units_comparable(reference[1], unit):
            yield Diagnostic(
                "E0305",
                "error",
                f"dose level {level.name} is {level.dose}, in {describe_unit(unit)}; "
                f"{reference[0].name} is {reference[0].dose}, in {describe_unit(reference[1])}: "
                "dose levels must be in units that can be compared",
                level.span,
                labels=(Label(reference[0].span, f"{reference[0].name} is {reference[0].dose}"),),
                help="give every level in one kind of unit: all flat doses (mg) or all per body "
                "weight (mg/kg)",
            )
    for step_up in decl.step_ups:
        for step in step_up.steps:
            yield from _step(step, reference)


def _step(step: m.StepDose, reference: tuple[m.DoseLevel, str] | None) -> Iterator[Diagnostic]:
    if step.amount.unit == "%":
        return
    problems = list(_parse(step.amount.unit, step.span, at_end=False))
    if problems:
        yield from problems
        return
    unit = quantity_unit(step.amount.unit)
    if reference is not None and not units_comparable(reference[1], unit):
        yield Diagnostic(
            "E0305",
            "error",
            f"the step dose {step.amount} on day {step.day} is in {describe_unit(unit)}, "
            f"but the dose levels are in {describe_unit(reference[1])}",
            step.span,
            labels=(Label(reference[0].span, f"{reference[0].name} is {reference[0].dose}"),),
            help="give step doses as a percentage of the level's target dose (10 %) or in the "
            "levels' unit",
        )


def _table(table: m.Table) -> Iterator[Diagnostic]:
    reference: tuple[m.TableRow, str] | None = None
    for row in table.rows:
        if row.value.kind != "quantity":
            continue
        quantity: m.Quantity = row.value.value  # type: ignore[assignment]
        problems = list(_parse(quantity.unit, row.value.span))
        if problems:
            yield from problems
            continue
        unit = quantity_unit(quantity.unit)
        if reference is None:
            reference = (row, unit)
        elif not units_comparable(reference[1], unit):
            yield Diagnostic(
                "E0303",
                "error",
                f"the row '{row.key}' of the table '{table.name}' is in {describe_unit(unit)}, but "
                f"'{reference[0].key}' is in {describe_unit(reference[1])}",
                row.span,
                labels=(Label(reference[0].span, f"'{reference[0].key}' is here"),),
                help="a lookup table gives values of one kind, in units that convert",
            )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
