"""Dosing regimens: their days, frequency, end, amounts, and where doses are recorded.

E0713 a regimen with no dosing days (`on days …`);
E0714 dosing days that cannot be planned: not in increasing order, a cycle day
      past the cycle's length, a `to` day before the last listed day, a repeat
      of less than a day, `then every` together with `of each` (a cycle
      already repeats);
E0715 a regimen with no end (a repeat with no `to`, cycles with no count, and
      no `at_most`), or one planning more administrations than any trial gives;
E0716 a dose day no scheduled visit falls on (the dose has no visit to be given
      and recorded at), unless the regimen is `given at_home`;
E0717 a dose at a visit where the exposure form is not collected;
E0718 a dose per kg or per m² (a regimen's, or a dose level's) with nothing to
      convert it through (no `per` item) while the exposure form records an
      amount (mg);
E0719 a `per` item of the wrong kind of unit (a weight for mg/kg, a body
      surface area for mg/m2);
E0720 a `frequency` that disagrees with the dosing days (the CDISC term's
      meaning is in the message);
E0721 a `frequency` that is not a CDISC FREQ submission value;
E0722 a regimen's dose that is not one of its intervention's doses (the
      intervention's `dose` values, its dose levels) or not the dose of the
      element that gives it;
E0723 a DLT window that ends part-way through the interval after a dose it
      covers, other than the first: that dose is observed for fewer days than
      the others (a 28-day window over doses every 21 days sees 7 days of the
      second dose);
E0724 a `dlt_window cycle N` with no cycle to measure: no regimen, a regimen
      with neither cycles nor a repeat, or fewer cycles than N;
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

import itertools
from collections.abc import Iterator, Sequence

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic, Label, did_you_mean
from protocol_dsl.schedule import regimens as plan
from protocol_dsl.schedule.exposure import exposure_form
from protocol_dsl.schedule.frequency import FREQUENCIES, frequency, term_for_interval
from protocol_dsl.semantics import units
from protocol_dsl.semantics.types import quantity_unit, units_comparable
from protocol_dsl.spec import Scope, Spec

from .study_days import dlt_anchor_day, dlt_window_end, dlt_window_words, ordinal


def check(spec: Spec) -> Iterator[Diagnostic]:
    for regimen in spec.regimens.values():
        problems = list(_days(spec, regimen))
        yield from problems
        yield from _amounts(spec, regimen)
        yield from _settings(spec, regimen)
        if problems or regimen.days is None:
            continue
        ended = list(_end(spec, regimen))
        yield from ended
        if ended:
            continue  # doses past the end nothing gives would be reported again
        planned = plan.planned_administrations(spec, regimen)
        yield from _frequency(spec, regimen, planned)
        yield from _visits(spec, regimen, planned)
    yield from _uses(spec)
    for dose_finding in spec.dose_findings:
        yield from _dlt_window(spec, dose_finding)
        if dose_finding.regimen is None:
            yield from _level_conversion(spec, dose_finding)


def _list(values: Sequence[object], limit: int = 5) -> str:
    shown = [str(v) for v in values[:limit]]
    more = len(values) - len(shown)
    text = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
    return text + (f" (and {more} more)" if more > 0 else "")


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


# ---------------------------------------------------------------- E0713/E0714 days


def _days(spec: Spec, regimen: m.Regimen) -> Iterator[Diagnostic]:
    days = regimen.days
    if days is None:
        yield Diagnostic(
            "E0713",
            "error",
            f"the regimen '{regimen.name}' says no day a dose is given on",
            regimen.span,
            help="add the dosing days: `on days 1, 15, 29 then every 4 weeks to week 48`, "
            "or `on days 1, 8 of each CYCLE`",
        )
        return
    listed = days.days
    word = "cycle day" if days.cycle is not None else "study day"
    for before, after in itertools.pairwise(listed):
        if after <= before:
            yield Diagnostic(
                "E0714",
                "error",
                f"the dosing days are not in increasing order: {word} {after} comes after "
                f"{word} {before}",
                days.span,
                help="list each dosing day once, earliest first",
            )
            return
    if days.cycle is not None and days.every is not None:
        yield Diagnostic(
            "E0714",
            "error",
            f"the doses repeat with each {days.cycle} and `then every {days.every}` as well",
            days.span,
            help="a cycle repeats its days already: drop `then every …`, or drop `of each …` "
            "and give study days",
        )
        return
    if days.cycle is not None:
        shape = plan.cycle_shape(spec, days.cycle)
        if shape is not None:
            beyond = [d for d in listed if d > shape.length]
            if beyond:
                yield Diagnostic(
                    "E0714",
                    "error",
                    f"cycle day {beyond[0]} is past the end of the {shape.length}-day cycle "
                    f"'{days.cycle}'",
                    days.span,
                    help=f"cycle days run from 1 to {shape.length}",
                )
        return
    interval = plan.interval_days(days)
    if days.every is not None and interval is not None and interval < 1:
        yield Diagnostic(
            "E0714",
            "error",
            f"doses cannot repeat every {days.every}: the shortest interval is a day",
            days.span,
            help="for several doses a day, give the frequency (`frequency BID`) with daily days",
        )
        return
    if days.until is not None and listed and days.until.day < listed[-1]:
        yield Diagnostic(
            "E0714",
            "error",
            f"the doses repeat to study day {days.until.day}, before the last listed dose "
            f"(day {listed[-1]})",
            days.until.span,
            help="give a `to` day after the listed days",
        )


# ---------------------------------------------------------------- E0715 end


def _end(spec: Spec, regimen: m.Regimen) -> Iterator[Diagnostic]:
    days = regimen.days
    assert days is not None
    if plan.is_open_ended(spec, regimen):
        yield Diagnostic(
            "E0715",
            "error",
            f"the regimen '{regimen.name}' repeats with no end: nothing says when the last "
            "dose is given",
            days.span,
            help="end the repeat (`then every 4 weeks to week 48`), give the number of cycles, "
            "or cap it: `at_most 13 administrations`",
        )
        return
    if regimen.at_most is not None and regimen.at_most < 1:
        yield Diagnostic(
            "E0715",
            "error",
            "`at_most 0 administrations` gives no dose at all",
            regimen.span,
            help="give the largest number of doses a subject may receive",
        )
        return
    count = sum(
        1
        for _ in zip(
            range(plan.MAX_ADMINISTRATIONS + 1), plan.dosing_days(spec, days), strict=False
        )
    )
    cap = regimen.at_most if regimen.at_most is not None else count
    if min(count, cap) > plan.MAX_ADMINISTRATIONS:
        yield Diagnostic(
            "E0715",
            "error",
            f"the regimen '{regimen.name}' plans more than {plan.MAX_ADMINISTRATIONS} "
            "administrations",
            days.span,
            help="check the repeat interval and its end day",
        )


# ---------------------------------------------------------------- E0720/E0721 frequency


def _frequency(
    spec: Spec, regimen: m.Regimen, planned: list[plan.PlannedDose]
) -> Iterator[Diagnostic]:
    f = regimen.field("frequency")
    if f is None or f.value.kind != "name":
        return
    term = str(f.value.value)
    found = frequency(term)
    if found is None:
        suggestion = term.upper() if term.upper() in FREQUENCIES else None
        yield Diagnostic(
            "E0721",
            "error",
            f"'{term}' is not a dosing frequency of the CDISC FREQ codelist",
            f.span,
            suggestion=suggestion or did_you_mean(term, FREQUENCIES),
            help="use a FREQ submission value: " + ", ".join(FREQUENCIES),
        )
        return
    days = regimen.days
    assert days is not None
    meaning = f"{found.term} ({found.meaning})"
    if found.once:
        if len(planned) > 1:
            yield _disagree(
                f, f"{meaning} is a single dose, but the regimen plans {len(planned)}", days
            )
        return
    if found.interval_days is None:
        if found.term == "QM" and not _monthly(days):
            yield _disagree(f, f"{meaning} needs doses `then every 1 month`", days)
        return
    gaps = _gaps(spec, days, planned)
    if not gaps:
        yield _disagree(f, f"{meaning} repeats, but the regimen plans a single dose", days)
        return
    wrong = sorted({g for g in gaps if g != found.interval_days})
    if wrong:
        actual = term_for_interval(wrong[0]) if len(set(gaps)) == 1 else None
        said = f" ({actual.term})" if actual is not None else ""
        yield _disagree(
            f,
            f"{meaning} gives a dose every {found.interval_days} days, but the regimen's "
            f"doses are {_list(wrong)} days apart{said}",
            days,
        )


def _monthly(days: m.DosingDays) -> bool:
    if days.every is None:
        return False
    try:
        unit = units.time_unit(days.every.unit).text
    except units.UnitError:
        return False
    return unit == "mo" and days.every.value == 1


def _gaps(spec: Spec, days: m.DosingDays, planned: list[plan.PlannedDose]) -> list[int]:
    """The days between doses the frequency describes: the maintenance doses' when the
    regimen repeats `then every` (loading doses before it are exempt), else all."""
    interval = plan.interval_days(days)
    if days.every is not None and interval is not None:
        return [interval]
    if days.cycle is not None:
        shape = plan.cycle_shape(spec, days.cycle)
        if shape is None:
            return []
        listed = days.days
        gaps = [b - a for a, b in itertools.pairwise(listed)]
        # across the cycle boundary, to the first dose of the next cycle
        return [*gaps, shape.length - listed[-1] + listed[0]]
    return [ordinal(b.day) - ordinal(a.day) for a, b in itertools.pairwise(planned)]


def _disagree(f: m.Field, message: str, days: m.DosingDays) -> Diagnostic:
    return Diagnostic(
        "E0720",
        "error",
        f"the frequency disagrees with the dosing days: {message}",
        f.span,
        (Label(days.span, "the dosing days"),),
        help="make the frequency the CDISC term of the days given, or correct the days",
    )


# ---------------------------------------------------------------- E0716/E0717 visits


def _visits(
    spec: Spec, regimen: m.Regimen, planned: list[plan.PlannedDose]
) -> Iterator[Diagnostic]:
    days = regimen.days
    assert days is not None
    if not any(v.day is not None for v in spec.visits.values()):
        return  # a spec without a schedule: nothing to host doses
    given = regimen.field("given")
    if given is not None and given.value.value == "at_home":
        return  # self-administered doses are recorded in a diary or log, not at visits
    lonely = [dose.day for dose in planned if dose.visit is None]
    if lonely:
        yield Diagnostic(
            "E0716",
            "error",
            f"the regimen '{regimen.name}' gives doses on days {_list(lonely)}, where no "
            "scheduled visit is planned"
            if len(lonely) > 1
            else f"the regimen '{regimen.name}' gives a dose on day {lonely[0]}, where no "
            "scheduled visit is planned",
            days.span,
            help="a dose is given and recorded at a visit: add visits on the dose days "
            "(a repeat of visits, or cycle visits), or correct the dosing days; for doses "
            "taken at home between visits, write `given at_home`",
        )
    exposure = exposure_form(spec)
    if exposure is None or not exposure.use.visits:
        return
    missing = sorted(
        {d.visit for d in planned if d.visit is not None and d.visit not in exposure.use.visits},
        key=lambda name: spec.visits[name].day or 0,
    )
    if missing:
        yield Diagnostic(
            "E0717",
            "error",
            f"the regimen '{regimen.name}' gives doses at {_list(missing)}, where the exposure "
            f"form '{exposure.use.key}' is not collected",
            days.span,
            (Label(exposure.use.form.span, "the exposure form"),),
            help="collect the exposure form at every dosing visit (or make it a log with no "
            "visits)",
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
    if symbol is None or symbol.kind != "item":
        return  # names check; a definition's unit is its type's
    item = symbol.decl
    assert isinstance(item, m.Item)
    wanted, example = ("kg", "kg") if basis == "body_weight" else ("m2", "m2")
    unit = item.type.unit if item.type.kind == "quantity" else None
    try:
        fits = unit is not None and units.compatible(quantity_unit(unit), wanted)
    except units.UnitError:
        return  # the unit check reports it
    if not fits:
        shown = f"in {unit}" if unit is not None else f"a {item.type.kind} item"
        yield Diagnostic(
            "E0719",
            "error",
            f"a dose in {dose.unit} converts through a {measure}, but "
            f"'{regimen.per.dotted}' is {shown}",
            regimen.per.span,
            (Label(item.span, f"'{item.name}' is declared here"),),
            help=f"convert through an item recording the {measure} (in {example} or "
            "another unit of its kind)",
        )


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
        f"'{regimen.intervention}' ({_list([str(q) for q in allowed])})",
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
                    f"which it does not receive ({_list(list(arm.receives))})",
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


# ---------------------------------------------------------------- E0723/E0724 DLT window


def _dlt_window(spec: Spec, dose_finding: m.DoseFinding) -> Iterator[Diagnostic]:
    window = dose_finding.dlt_window
    if window is None:
        return
    regimen = spec.regimens.get(dose_finding.regimen) if dose_finding.regimen else None
    if window.cycle is not None:
        problem = _cycle_problem(spec, dose_finding, regimen, window.cycle)
        if problem is not None:
            yield Diagnostic(
                "E0724",
                "error",
                f"the DLT window is cycle {window.cycle}, but {problem}",
                window.span,
                help="apply a regimen dosed in cycles or repeated `then every …` "
                "(`regimen NAME` in the dose_finding block), or give the window's length: "
                "`dlt_window 28 days from first_dose`",
            )
            return
    if regimen is None or regimen.days is None:
        return
    start, end = dlt_anchor_day(spec, dose_finding), dlt_window_end(spec, dose_finding)
    if start is None or end is None:
        return
    planned = plan.planned_administrations(spec, regimen)
    for dose, after in itertools.pairwise(planned):
        if dose.day <= start or dose.day >= end:
            continue
        observed = ordinal(end) - ordinal(dose.day)
        interval = ordinal(after.day) - ordinal(dose.day)
        if observed < interval:
            yield Diagnostic(
                "E0723",
                "error",
                f"the DLT window ({dlt_window_words(window)}, from day {start}) covers the "
                f"dose of day {dose.day} for {observed} days only: the next dose is "
                f"{interval} days later, and the window ends before it",
                window.span,
                help="end the DLT window before that dose or where the next dose is given "
                "(whole cycles: `dlt_window cycle 1`)",
            )
            return


def _cycle_problem(
    spec: Spec, dose_finding: m.DoseFinding, regimen: m.Regimen | None, cycle: int
) -> str | None:
    if dose_finding.regimen is None:
        return "the dose finding applies no regimen to its levels"
    if regimen is None or regimen.days is None:
        return None  # reported by the names check or E0713
    length, _start = plan.cycle_length(spec, regimen)
    if length is None:
        return f"the regimen '{regimen.name}' has neither cycles nor a repeat interval"
    if cycle < 1:
        return "cycles count from 1"
    days = regimen.days
    if days.cycle is not None:
        shape = plan.cycle_shape(spec, days.cycle)
        if shape is not None and shape.count is not None and cycle > shape.count:
            return f"the regimen gives {shape.count} cycles"
    planned = plan.planned_administrations(spec, regimen)
    if planned and days.cycle is None:
        last = ordinal(planned[-1].day) - ordinal(planned[0].day)
        if (cycle - 1) * length > last:
            return f"the regimen's doses end in cycle {last // length + 1}"
    return None
