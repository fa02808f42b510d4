"""A dosing regimen in plain words, for documents, registry records and the diff.

"10 mg/kg intravenous infusion over 1 hour on days 1, 15 and 29, then every
4 weeks to week 48 (Q4W; 13 administrations at most)".  Every back end that
describes a regimen takes its words from here, so the protocol, the registry
record and the amendment summary say the same thing.
"""

from __future__ import annotations

from protocol_dsl import model as m
from protocol_dsl.semantics.words import quantity_in_words
from protocol_dsl.spec import Spec

from .frequency import frequency
from .regimens import cycle_shape, dose_basis


def _series(numbers: list[str]) -> str:
    if len(numbers) == 1:
        return numbers[0]
    return ", ".join(numbers[:-1]) + f" and {numbers[-1]}"


def days_words(spec: Spec, days: m.DosingDays) -> str:
    """ "on days 1, 15 and 29, then every 4 weeks to week 48" or "on days 1 and 8 of each
    21-day cycle"."""
    unit = days.unit if len(days.numbers) == 1 else f"{days.unit}s"
    text = f"on {unit} {_series([str(n) for n in days.numbers])}"
    if days.cycle is not None:
        shape = cycle_shape(spec, days.cycle)
        length = f"{shape.length}-day " if shape is not None else ""
        count = ""
        if shape is not None and shape.count is not None:
            count = f", for {'' if shape.exact else 'up to '}{shape.count} cycles"
        return f"{text} of each {length}cycle ({days.cycle}){count}"
    if days.every is not None:
        text += f", then every {quantity_in_words(days.every)}"
        if days.until is not None:
            text += f" to {days.until.unit} {days.until.number}"
    return text


def route_words(spec: Spec, regimen: m.Regimen) -> str | None:
    """The regimen's route, else its intervention's, in words ("intravenous")."""
    f = regimen.field("route")
    if f is None:
        intervention = spec.interventions.get(regimen.intervention)
        f = intervention.field("route") if intervention is not None else None
    if f is None:
        return None
    return str(f.value.value).replace("_", " ")


def schedule_words(spec: Spec, regimen: m.Regimen, dose: m.Quantity | None = None) -> str:
    """The whole regimen in one phrase; `dose` is a dose level's (else the regimen's)."""
    amount = dose if dose is not None else regimen.dose
    parts: list[str] = []
    if amount is not None:
        parts.append(quantity_in_words(amount))
    route = route_words(spec, regimen)
    infusion = regimen.field("infusion")
    if infusion is not None and isinstance(infusion.value.value, m.Quantity):
        duration = quantity_in_words(infusion.value.value)
        parts.append(f"{route} infusion over {duration}" if route else f"infused over {duration}")
    elif route:
        parts.append(route)
    if regimen.days is not None:
        parts.append(days_words(spec, regimen.days))
    text = " ".join(parts) if parts else "no dosing days given"
    notes: list[str] = []
    term = regimen.field("frequency")
    if term is not None:
        found = frequency(str(term.value.value))
        notes.append(f"{found.term}, {found.meaning}" if found else str(term.value.value))
    if regimen.at_most is not None:
        plural = "s" if regimen.at_most != 1 else ""
        notes.append(f"{regimen.at_most} administration{plural} at most")
    if notes:
        text += f" ({'; '.join(notes)})"
    return text


def conversion_words(regimen: m.Regimen, dose: m.Quantity | None = None) -> str | None:
    """How a per-kg or per-m² dose becomes the amount given, None for an absolute dose."""
    amount = dose if dose is not None else regimen.dose
    if amount is None:
        return None
    basis = dose_basis(amount)
    if basis == "absolute":
        return None
    measure = "body weight" if basis == "body_weight" else "body surface area"
    source = f" ({regimen.per.dotted})" if regimen.per is not None else ""
    return f"the amount given is the dose times the subject's {measure}{source}"
