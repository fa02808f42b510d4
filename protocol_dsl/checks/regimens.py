"""Dosing regimens: their days, their end, their frequency and the visits that host them.

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
E0720 a `frequency` that disagrees with the dosing days (the CDISC term's
      meaning is in the message);
E0721 a `frequency` that is not a CDISC FREQ submission value.

The amounts a regimen gives are checked in `regimen_doses`, the DLT window
against a regimen's doses in `regimen_dlt`.
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
from protocol_dsl.spec import Spec

from .study_days import ordinal


def check(spec: Spec) -> Iterator[Diagnostic]:
    for regimen in spec.regimens.values():
        problems = list(_days(spec, regimen))
        yield from problems
        if problems or regimen.days is None:
            continue
        ended = list(_end(spec, regimen))
        yield from ended
        if ended:
            continue  # doses past the end nothing gives would be reported again
        planned = plan.planned_administrations(spec, regimen)
        yield from _frequency(spec, regimen, planned)
        yield from _visits(spec, regimen, planned)


def enumeration(values: Sequence[object], limit: int = 5) -> str:
    """ "1, 15 and 29", with "(and N more)" past `limit` values."""
    shown = [str(v) for v in values[:limit]]
    more = len(values) - len(shown)
    text = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
    return text + (f" (and {more} more)" if more > 0 else "")


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
            f"doses are {enumeration(wrong)} days apart{said}",
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
            f"the regimen '{regimen.name}' gives doses on days {enumeration(lonely)}, where no "
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
            f"the regimen '{regimen.name}' gives doses at {enumeration(missing)}, where the exposure "
            f"form '{exposure.use.key}' is not collected",
            days.span,
            (Label(exposure.use.form.span, "the exposure form"),),
            help="collect the exposure form at every dosing visit (or make it a log with no "
            "visits)",
        )
