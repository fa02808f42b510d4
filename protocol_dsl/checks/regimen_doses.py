"""Dosing regimens: the doses they give, what converts them, and where they are used.

E0718 a dose per kg or per m² (a regimen's, or a dose level's) with nothing to
      convert it through (no `per` item) while the exposure form records an
      amount (mg);
E0719 a `per` item or definition of the wrong kind of unit (a weight for mg/kg, a body
      surface area for mg/m2);
E0722 a regimen's dose that is not one of its intervention's doses (the
      intervention's `dose` values, its dose levels) or not the dose of the
      element that gives it;
E0725 a regimen of another intervention than the one it is used for (an arm
      that does not receive it, a dose finding of another intervention);
E0726 dose reduction levels that are not decreasing, not below the dose, or
      in a unit that cannot be compared with it;
E0727 a `dose_weight` rule that is not `latest`, `baseline` or a percentage
      above 0;
E0728 a regimen that gives no dose: no `dose`, and no dose finding applies
      it to its levels;
E0729 a regimen's route that differs from its intervention's route.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label
from protocol_dsl.schedule import regimens as plan
from protocol_dsl.schedule.exposure import exposure_form
from protocol_dsl.semantics import units
from protocol_dsl.semantics.types import Quantity as QuantityType
from protocol_dsl.semantics.types import Unknown, describe, infer, quantity_unit, units_comparable
from protocol_dsl.spec import Scope, Spec

from .regimens import enumeration


def check(spec: Spec) -> Iterator[Diagnostic]:
    for regimen in spec.regimens.values():
        yield from _amounts(spec, regimen)
        yield from _settings(spec, regimen)
    yield from _uses(spec)
    for dose_finding in spec.dose_findings:
        if dose_finding.regimen is None:
            yield from _level_conversion(spec, dose_finding)


def _unit(quantity: m.Quantity) -> str | None:
    try:
        return quantity_unit(quantity.unit)
    except units.UnitError:
        return None  # reported by the unit check


def _in_unit_of(a: m.Quantity, b: m.Quantity) -> float | None:
    """`a`'s value in `b`'s unit; None when the two cannot be compared."""
    ua, ub = _unit(a), _unit(b)
    if ua is None or ub is None or not units_comparable(ua, ub):
        return None
    return units.convert(float(a.value), ua, ub)


def _same_dose(a: m.Quantity, b: m.Quantity) -> bool | None:
    """Whether two doses are equal after unit conversion; None when they cannot be compared."""
    ua, ub = _unit(a), _unit(b)
    if ua is None or ub is None or not units_comparable(ua, ub):
        return None
    return abs(units.convert(float(a.value), ua, ub) - float(b.value)) <= 1e-9 * max(
        1.0, abs(float(b.value))
    )


# ---------------------------------------------------------------- amounts


def _doses(spec: Spec, regimen: m.Regimen) -> list[tuple[m.Quantity, m.Span]]:
    """Every dose the regimen is given at: its own, and the levels of dose findings using it."""
    doses: list[tuple[m.Quantity, m.Span]] = []
    if regimen.dose is not None:
        doses.append((regimen.dose, regimen.span))
    for dose_finding in spec.dose_findings:
        if dose_finding.regimen == regimen.name:
            doses += [(level.dose, level.span) for level in dose_finding.levels]
    return doses


def _amounts(spec: Spec, regimen: m.Regimen) -> Iterator[Diagnostic]:
    doses = _doses(spec, regimen)
    if not doses:
        yield Diagnostic(
            "E0728",
            "error",
            f"the regimen '{regimen.name}' gives no dose",
            regimen.span,
            help="give the dose (`dose 10 mg/kg`), or apply the regimen to dose levels "
            "(`regimen NAME` in the dose_finding block)",
        )
    yield from _conversion(spec, regimen, doses)
    yield from _reductions(regimen, doses)
    if regimen.dose is not None:
        yield from _intervention_doses(spec, regimen, regimen.dose)


def _conversion(
    spec: Spec, regimen: m.Regimen, doses: list[tuple[m.Quantity, m.Span]]
) -> Iterator[Diagnostic]:
    relative = [(q, s) for q, s in doses if plan.dose_basis(q) != "absolute"]
    if not relative:
        return
    dose = relative[0][0]
    basis = plan.dose_basis(dose)
    measure = "body weight" if basis == "body_weight" else "body surface area"
    if regimen.per is None:
        exposure = exposure_form(spec)
        unit = exposure.unit if exposure is not None else None
        if exposure is None or unit is None:
            return
        recorded = m.Quantity(dose.value, unit)
        if plan.dose_basis(recorded) != "absolute":
            return  # the form records the dose per kg (or m2) as the protocol gives it
        yield Diagnostic(
            "E0718",
            "error",
            f"the regimen '{regimen.name}' gives {dose} (per {measure}), but the exposure form "
            f"'{exposure.use.key}' records the amount in {unit}, and nothing says which "
            f"recorded {measure} converts one to the other",
            regimen.span,
            (Label(exposure.dose.span, f"the amount given, in {unit}"),),
            help="name the item to convert through: `dose 10 mg/kg per vitals.weight` "
            "(a weight item), or `per vitals.bsa` for mg/m2",
        )
        return
    symbol = spec.resolve(regimen.per.parts, Scope(spec))
    if symbol is None or symbol.kind not in ("item", "derive", "define"):
        return  # reported by the names check
    declared = symbol.decl
    assert isinstance(declared, (m.Item, m.Derive, m.Define))
    wanted, example = ("kg", "kg") if basis == "body_weight" else ("m2", "m2")
    measured = _measure_unit(spec, symbol.owner, declared, symbol.form)
    if measured is None:
        return  # a definition whose type is unknown: the type check reports why
    unit, shown = measured
    try:
        fits = unit is not None and units.compatible(quantity_unit(unit), wanted)
    except units.UnitError:
        return  # the unit check reports it
    if not fits:
        yield Diagnostic(
            "E0719",
            "error",
            f"a dose in {dose.unit} converts through a {measure}, but "
            f"'{regimen.per.dotted}' is {shown}",
            regimen.per.span,
            (Label(declared.span, f"'{declared.name}' is declared here"),),
            help=f"convert through an item recording the {measure} (in {example} or "
            "another unit of its kind), or a definition computing it",
        )


def _measure_unit(
    spec: Spec, owner: Spec, declared: m.Item | m.Derive | m.Define, form: m.Form | None
) -> tuple[str | None, str] | None:
    """The unit a `per` item or definition gives its values in (None: not a quantity), and
    how to say what it is; None when a definition's type is unknown."""
    if isinstance(declared, m.Item):
        if declared.type.kind == "quantity" and declared.type.unit is not None:
            return declared.type.unit, f"in {declared.type.unit}"
        return None, f"a {declared.type.kind} item"
    found = infer(declared.expr, Scope(owner, form), spec)
    if isinstance(found, QuantityType):
        return found.unit, f"in {found.unit}"
    if isinstance(found, Unknown):
        return None
    return None, describe(found)


def _level_conversion(spec: Spec, dose_finding: m.DoseFinding) -> Iterator[Diagnostic]:
    """E0718 for dose levels per kg or m2 with no regimen to say what they convert through."""
    level = next((lv for lv in dose_finding.levels if plan.dose_basis(lv.dose) != "absolute"), None)
    exposure = exposure_form(spec)
    unit = exposure.unit if exposure is not None else None
    if level is None or exposure is None or unit is None:
        return
    if plan.dose_basis(m.Quantity(level.dose.value, unit)) != "absolute":
        return
    basis = plan.dose_basis(level.dose)
    measure = "body weight" if basis == "body_weight" else "body surface area"
    yield Diagnostic(
        "E0718",
        "error",
        f"dose level {level.name} is {level.dose} (per {measure}), but the exposure form "
        f"'{exposure.use.key}' records the amount in {unit}, and nothing says which recorded "
        f"{measure} converts one to the other",
        level.span,
        (Label(exposure.dose.span, f"the amount given, in {unit}"),),
        help="give the levels a regimen that names the item: `regimen NAME of … { dose per "
        "vitals.weight … }` and `regimen NAME` in the dose_finding block",
    )


def _reductions(regimen: m.Regimen, doses: list[tuple[m.Quantity, m.Span]]) -> Iterator[Diagnostic]:
    if not regimen.reductions:
        return
    previous: tuple[str, m.Quantity] | None = (
        ("the dose", regimen.dose) if regimen.dose is not None else None
    )
    reference = regimen.dose if regimen.dose is not None else (doses[0][0] if doses else None)
    for level in regimen.reductions:
        if reference is not None and _same_dose(level.dose, reference) is None:
            if _unit(level.dose) is not None and _unit(reference) is not None:
                yield Diagnostic(
                    "E0726",
                    "error",
                    f"the reduced dose {level.name} ({level.dose}) cannot be compared with "
                    f"the dose ({reference})",
                    level.span,
                    help="give reduced doses in the dose's kind of unit",
                )
            continue
        if previous is not None:
            what, before = previous
            in_unit = _in_unit_of(level.dose, before)
            if in_unit is not None and in_unit >= float(before.value):
                yield Diagnostic(
                    "E0726",
                    "error",
                    f"the reduced dose {level.name} ({level.dose}) is not below {what} ({before})",
                    level.span,
                    help="each reduction level gives less than the one before it",
                )
        previous = (level.name, level.dose)


def _intervention_doses(spec: Spec, regimen: m.Regimen, dose: m.Quantity) -> Iterator[Diagnostic]:
    intervention = spec.interventions.get(regimen.intervention)
    if intervention is None:
        return
    allowed: list[m.Quantity] = []
    f = intervention.field("dose")
    if f is not None:
        allowed += [v.value for v in f.values if isinstance(v.value, m.Quantity)]
    for dose_finding in spec.dose_findings:
        if dose_finding.intervention == regimen.intervention and dose_finding.regimen is None:
            allowed += [level.dose for level in dose_finding.levels]
    if not allowed:
        return
    if any(_same_dose(dose, q) for q in allowed):
        return
    yield Diagnostic(
        "E0722",
        "error",
        f"the regimen '{regimen.name}' gives {dose}, which is not a dose of "
        f"'{regimen.intervention}' ({enumeration([str(q) for q in allowed])})",
        regimen.span,
        (Label(intervention.span, "the intervention's doses"),),
        help="give one of the intervention's doses, or add this dose to it",
    )


# ---------------------------------------------------------------- settings


def _settings(spec: Spec, regimen: m.Regimen) -> Iterator[Diagnostic]:
    f = regimen.field("dose_weight")
    if f is not None:
        value = f.value
        ok = value.kind == "name" and value.value in ("latest", "baseline")
        if value.kind == "quantity" and isinstance(value.value, m.Quantity):
            ok = value.value.unit == "%" and value.value.value > 0
        if not ok:
            yield Diagnostic(
                "E0727",
                "error",
                f"'{value.text}' is not a rule for the weight a dose is computed from",
                f.span,
                help="write `dose_weight latest` (the latest weight on or before each dose), "
                "`dose_weight baseline`, or `dose_weight 10 %` (the baseline weight, updated "
                "when it changes by more than 10 %)",
            )
    route = regimen.field("route")
    intervention = spec.interventions.get(regimen.intervention)
    given = intervention.field("route") if intervention is not None else None
    if (
        route is not None
        and given is not None
        and str(route.value.value).lower() != str(given.value.value).lower()
    ):
        yield Diagnostic(
            "E0729",
            "error",
            f"the regimen gives '{regimen.intervention}' by the {route.value.value} route, "
            f"but the intervention is given by the {given.value.value} route",
            route.span,
            (Label(given.span, "the intervention's route"),),
            help="drop the regimen's route (the intervention's applies), or correct one",
        )


# ---------------------------------------------------------------- E0722/E0725 uses


def _uses(spec: Spec) -> Iterator[Diagnostic]:
    for arm in spec.arms.values():
        for name in arm.regimens:
            regimen = spec.regimens.get(name)
            if regimen is None or not arm.receives:
                continue
            if regimen.intervention not in arm.receives:
                yield Diagnostic(
                    "E0725",
                    "error",
                    f"arm {arm.name} follows the regimen '{name}' of '{regimen.intervention}', "
                    f"which it does not receive ({enumeration(list(arm.receives))})",
                    arm.span,
                    (Label(regimen.span, "the regimen"),),
                    help=f"add {regimen.intervention} to what the arm receives, or give a "
                    "regimen of what it receives",
                )
    for element in spec.elements.values():
        if element.regimen is None or element.dose is None:
            continue
        regimen = spec.regimens.get(element.regimen)
        if regimen is None or regimen.dose is None:
            continue
        if _same_dose(element.dose, regimen.dose) is False:
            yield Diagnostic(
                "E0722",
                "error",
                f"element {element.name} gives {element.dose}, but its regimen "
                f"'{regimen.name}' gives {regimen.dose}",
                element.span,
                (Label(regimen.span, "the regimen"),),
                help="drop the element's dose (the regimen's applies), or make them agree",
            )
    for dose_finding in spec.dose_findings:
        if dose_finding.regimen is None:
            continue
        regimen = spec.regimens.get(dose_finding.regimen)
        if regimen is not None and regimen.intervention != dose_finding.intervention:
            yield Diagnostic(
                "E0725",
                "error",
                f"the dose finding of '{dose_finding.intervention}' applies the regimen "
                f"'{regimen.name}' of '{regimen.intervention}'",
                dose_finding.span,
                (Label(regimen.span, "the regimen"),),
                help=f"give the dose finding a regimen of {dose_finding.intervention}",
            )
