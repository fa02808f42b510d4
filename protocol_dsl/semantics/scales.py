"""Scales: when two units UCUM can convert by a factor measure the same thing.

UCUM relates units by dimension alone, which is not enough for clinical data:

* every dimensionless unit converts to every other, so HbA1c 75 mmol/mol (the
  IFCC scale) would read as 7.5 % although it is 9.0 % on the NGSP scale: the
  two are related by a calibration formula, not a factor;
* annotations count as 1, so an eGFR of 45 mL/min/{1.73_m2} (normalised to a
  body surface area of 1.73 m²) would read as 45 mL/min, a clearance of the
  subject's own body size.

A unit's *scale* is therefore its UCUM dimension together with

* for a dimensionless unit, what it is a ratio of: a bare number or
  percentage (1, %, [ppm], 10*-2), an amount fraction (mmol/mol), a mass
  ratio (mg/g), a volume fraction (mL/L), or a quantity per body mass (mg/kg);
* the annotations below the line: the basis a value is expressed per
  (``/{1.73_m2}``, ``/g{creat}``).  An annotation above the line only labels
  what is counted (``{cells}/uL`` is ``/uL``).

Units on one scale convert by UCUM's factor; units on two scales do not
convert at all unless the spec declares the formula (a ``conversion``
declaration, `protocol_dsl.semantics.conversions`).  Standard library only: this is on
the start-up path of ``protocol check``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import NamedTuple

from protocol_dsl.semantics import units

__all__ = [
    "LOINC_SCALES",
    "Scale",
    "code_scale",
    "describe_scale",
    "different_scales",
    "same_scale",
    "scale_of",
]

#: LOINC codes of measurements reported on more than one scale, and the unit of
#: the scale each code measures (its example UCUM unit): an item that carries
#: the code is recorded on that scale.
LOINC_SCALES: dict[str, str] = {
    # HbA1c: NGSP/DCCT percentage, and the IFCC reference method
    "4548-4": "%",  # Hemoglobin A1c/Hemoglobin.total in Blood
    "4549-2": "%",  # ... by Electrophoresis
    "17856-6": "%",  # ... by HPLC
    "59261-8": "mmol/mol",  # ... by IFCC protocol
    # glomerular filtration: estimated (per 1.73 m² body surface area) and measured clearance
    "33914-3": "mL/min/{1.73_m2}",  # eGFR (MDRD)
    "48642-3": "mL/min/{1.73_m2}",  # eGFR (MDRD), non-Black
    "48643-1": "mL/min/{1.73_m2}",  # eGFR (MDRD), Black
    "62238-1": "mL/min/{1.73_m2}",  # eGFR (CKD-EPI)
    "98979-8": "mL/min/{1.73_m2}",  # eGFR (CKD-EPI 2021)
    "2164-2": "mL/min",  # Creatinine renal clearance in 24 hour urine
}

#: Kinds of dimensionless unit that say what they are a ratio of.
_RATIO_KINDS = ("amount fraction", "mass ratio", "volume fraction")


class Scale(NamedTuple):
    """What a unit's values measure, beyond its dimension."""

    dimension: tuple[int, ...]
    ratio: str  # "" unless dimensionless: "number", "amount fraction", "per body mass" ...
    basis: tuple[str, ...]  # annotations below the line, sorted


@functools.lru_cache(maxsize=1024)
def scale_of(unit: str) -> Scale:
    """The scale of a UCUM unit; raises `units.UnitError` when it does not parse."""
    parsed = units.parse_unit(unit)
    ratio = ""
    if units.is_dimensionless(parsed):
        kind = units.describe_dimension(parsed)
        if "per body mass" in kind:
            ratio = "per body mass"
        elif kind in _RATIO_KINDS:
            ratio = kind
        else:
            ratio = "number"
    # mypy takes `units.annotations` for the `__future__` feature of that name
    found = units.annotations(parsed)  # type: ignore[operator]
    basis = tuple(sorted(text for text, side in found if side < 0))
    return Scale(parsed.dimension, ratio, basis)


def same_scale(a: str, b: str) -> bool:
    """Whether values in `a` and `b` measure the same thing, so that UCUM's factor converts them.

    False for units that do not parse or have different dimensions.
    """
    if a == b:
        return True
    try:
        return scale_of(a) == scale_of(b)
    except units.UnitError:
        return False


def different_scales(a: str, b: str) -> bool:
    """Whether UCUM would convert `a` and `b` by a factor, but they are different scales."""
    try:
        return units.compatible(a, b) and scale_of(a) != scale_of(b)
    except units.UnitError:
        return False


def describe_scale(unit: str) -> str:
    """The unit with what it measures, for messages: "mmol/mol (amount fraction)",
    "mL/min/{1.73_m2} (volume per time (flow rate) per {1.73_m2})"."""
    basis = scale_of(unit).basis
    if not basis:
        return units.describe_unit(unit)
    kind = f"{units.describe_dimension(unit)} per {' per '.join(basis)}"
    return f"{units.format_unit(unit)} ({kind})"


def code_scale(codes: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The first (LOINC code, unit of its scale) among `codes` ((system, value) pairs) whose
    measurement is reported on more than one scale; None when no code says."""
    for system, value in codes:
        if system.upper() == "LOINC" and value in LOINC_SCALES:
            return value, LOINC_SCALES[value]
    return None
