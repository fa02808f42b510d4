"""The amount a subject should receive: a per-kg or per-m² dose through a recorded measure.

A dose of 10 mg/kg given to a subject weighing 72 kg is 720 mg; a dose of
75 mg/m2 given to a subject with a body surface area of 1.8 m2 is 135 mg.
The exposure form records the amount given (mg), so an edit check compares it
with `expected_amount(dose, measure, unit)`.

Which recorded weight (or BSA) a dose is computed from is the regimen's
`dose_weight` rule:

- `latest` (the default): the latest measure recorded on or before the dose
  day;
- `baseline`: the latest measure recorded on or before the first dose, for
  every dose;
- a percentage (`dose_weight 10 %`): the baseline measure, replaced by the
  latest one whenever that differs from the measure last used by more than
  the percentage (the usual "recalculate if the weight changes by more than
  10 %" rule).

A measure recorded after the dose day never counts.  With no measure on or
before the day, the expected amount is unknown (None), never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

import attrs

from protocol_dsl import model as m
from protocol_dsl.semantics import units

from .regimens import PlannedDose, dose_basis

WeightRuleKind = Literal["latest", "baseline", "change"]


@attrs.frozen
class WeightRule:
    """Which recorded measure a per-kg or per-m² dose is computed from."""

    kind: WeightRuleKind = "latest"
    #: for `change`: the relative change (0.10 for 10 %) past which the measure is updated
    threshold: float = 0.0

    def describe(self) -> str:
        if self.kind == "baseline":
            return "the baseline measure (the latest on or before the first dose)"
        if self.kind == "change":
            percent = _number(self.threshold * 100)
            return (
                "the baseline measure, updated to the latest one when it has changed by "
                f"more than {percent} %"
            )
        return "the latest measure recorded on or before the dose day"


def weight_rule(regimen: m.Regimen) -> WeightRule:
    """The regimen's `dose_weight` rule (`latest` when it gives none)."""
    f = regimen.field("dose_weight")
    if f is None:
        return WeightRule()
    value = f.value
    if value.kind == "name" and value.value in ("latest", "baseline"):
        return WeightRule("latest" if value.value == "latest" else "baseline")
    quantity = value.value
    if value.kind == "quantity" and isinstance(quantity, m.Quantity) and quantity.unit == "%":
        return WeightRule("change", float(quantity.value) / 100)
    return WeightRule()


def measure_for_dose(
    records: Sequence[tuple[int, float]], dose_day: int, first_dose_day: int, rule: WeightRule
) -> float | None:
    """The measure (weight or BSA, one unit) a dose on `dose_day` is computed from.

    `records` are (study day, value) pairs of the subject's recorded measure,
    in any order; None when no record is on or before the day that counts.
    """
    ordered = sorted(records)

    def latest_on(day: int) -> float | None:
        found = None
        for record_day, value in ordered:
            if record_day > day:
                break
            found = value
        return found

    if rule.kind == "latest":
        return latest_on(dose_day)
    baseline = latest_on(first_dose_day)
    if rule.kind == "baseline" or baseline is None:
        return baseline
    used = baseline
    for record_day, value in ordered:
        if record_day <= first_dose_day:
            continue
        if record_day > dose_day:
            break
        if used and abs(value - used) / used > rule.threshold:
            used = value
    return used


def expected_amount(
    dose: m.Quantity, measure: float | None, measure_unit: str | None, amount_unit: str
) -> m.Quantity | None:
    """The amount to give, in `amount_unit` (the exposure form's unit, e.g. mg).

    An absolute dose is the amount itself, converted; a per-kg dose is times
    the weight, a per-m² dose times the BSA, each first converted to kg or m2.
    None when the dose needs a measure that is unknown, or a unit does not fit.
    """
    try:
        basis = dose_basis(dose)
        if basis == "absolute":
            value = units.convert(float(dose.value), dose.unit, amount_unit)
            return _quantity(value, amount_unit)
        if measure is None or measure_unit is None:
            return None
        per, reference = ("kg", "mg/kg") if basis == "body_weight" else ("m2", "mg/m2")
        in_reference = units.convert(float(dose.value), dose.unit, reference)
        measured = units.convert(measure, measure_unit, per)
        value = units.convert(in_reference * measured, "mg", amount_unit)
    except units.UnitError:
        return None
    return _quantity(value, amount_unit)


def _quantity(value: float, unit: str) -> m.Quantity:
    # six decimals: a dose is never recorded finer, and floats print their noise past that
    return m.Quantity(Decimal(repr(round(value, 6))).normalize(), unit)


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def administration_amount(
    regimen: m.Regimen,
    dose: PlannedDose,
    measures: Sequence[tuple[int, float]],
    measure_unit: str | None,
    amount_unit: str,
    first_dose_day: int = 1,
) -> m.Quantity | None:
    """The amount one planned administration should be, for a subject's recorded measures.

    `measures` are the subject's (study day, value) records of the item the
    regimen converts through (`per`), in `measure_unit`; the regimen's
    `dose_weight` rule picks the one that counts.  None when the amount is
    unknown (no dose planned, or no measure that counts).
    """
    if dose.amount is None:
        return None
    measure = None
    if dose_basis(dose.amount) != "absolute":
        measure = measure_for_dose(measures, dose.day, first_dose_day, weight_rule(regimen))
    return expected_amount(dose.amount, measure, measure_unit, amount_unit)
