"""Which way a value moved: ranking numbers, quantities and doses, and naming the direction.

Quantities are compared after unit conversion (`protocol_dsl.semantics.units`); values
that cannot be ordered (incompatible units, text) give no rank, and the
caller falls back to "changed".  The eligibility helpers turn a condition's
effect into widened or narrowed eligibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from generators.diff import rules
from generators.diff.conditions import ConditionChange
from protocol_dsl import model as m
from protocol_dsl.semantics import units

#: a number of a field or table: a Decimal, or a Fraction when written as a ratio
Number = Decimal | Fraction


def magnitude_of(value: m.Value) -> Number | tuple[Decimal, str] | None:
    if value.kind == "number" and isinstance(value.value, (Decimal, Fraction)):
        return value.value
    if value.kind == "quantity" and isinstance(value.value, m.Quantity):
        return (value.value.value, value.value.unit)
    return None


def field_magnitude(fields: Sequence[m.Field]) -> Number | tuple[Decimal, str] | None:
    if len(fields) != 1 or len(fields[0].values) != 1:
        return None
    return magnitude_of(fields[0].value)


def max_magnitude(fields: Sequence[m.Field]) -> tuple[Decimal, str] | Number | None:
    quantities = [v.value for f in fields for v in f.values if isinstance(v.value, m.Quantity)]
    top = max_quantity(quantities)
    return (top.value, top.unit) if top is not None else None


def ranked(
    old: Number | tuple[Decimal, str] | None,
    new: Number | tuple[Decimal, str] | None,
    presence: str,
) -> str:
    """raised / lowered when both values can be ordered, else the presence word."""
    if presence != "changed" or old is None or new is None:
        return presence
    order = order_of(old, new)
    return {1: "raised", -1: "lowered"}.get(order, "changed")  # type: ignore[arg-type]


def order_of(old: Number | tuple[Decimal, str], new: Number | tuple[Decimal, str]) -> int | None:
    if isinstance(old, (Decimal, Fraction)) and isinstance(new, (Decimal, Fraction)):
        return (new > old) - (new < old)
    if isinstance(old, tuple) and isinstance(new, tuple):
        return compare_quantities(m.Quantity(*new), m.Quantity(*old))
    return None


def compare_quantities(a: m.Quantity | None, b: m.Quantity | None) -> int | None:
    """+1 if a > b, -1 if a < b, 0 if equal, None if the units cannot be compared."""
    if a is None or b is None:
        return None
    try:
        converted = units.convert(float(b.value), _unit(b.unit), _unit(a.unit))
    except (units.UnitError, ValueError):
        return None
    value = float(a.value)
    return (value > converted) - (value < converted)


def quantity_direction(
    old: m.Quantity | None, new: m.Quantity | None, up: str = "raised", down: str = "lowered"
) -> str:
    """`up` if `new` is the larger, `down` if the smaller, else "changed" (equal, absent, or
    in units that cannot be compared)."""
    return {-1: up, 1: down}.get(compare_quantities(old, new) or 0, "changed")


def _unit(text: str) -> units.Unit:
    try:
        return units.parse_unit(text)
    except units.UnitError:
        return units.time_unit(text)


def max_quantity(quantities: Sequence[m.Quantity]) -> m.Quantity | None:
    top: m.Quantity | None = None
    for q in quantities:
        if top is None or (compare_quantities(q, top) or 0) > 0:
            top = q
    return top


def quantity_magnitude(q: m.Quantity | None) -> tuple[Decimal, str] | None:
    return (q.value, q.unit) if q is not None else None


def presence(old: object, new: object) -> str:
    return "added" if old is None else "removed" if new is None else "changed"


def effect_word(effect: int, unknown: str) -> str:
    return {1: "widened", -1: "narrowed"}.get(effect, unknown)


def eligibility_direction(change: ConditionChange, kind: str) -> str:
    """A condition true for more subjects widens an inclusion and narrows an exclusion."""
    effect = change.effect * (1 if kind == "inclusion" else -1)
    return effect_word(effect, "changed")


def eligibility_note(direction: str) -> str:
    return f" (eligibility {direction})" if direction in ("widened", "narrowed") else ""


def unranked(direction: str, rule_id: str) -> str:
    return direction if direction in rules.RULES[rule_id].verdicts else "changed"


def age_direction(field_key: str, order: str) -> str:
    """A higher maximum or a lower minimum admits more ages; adding a limit admits fewer."""
    if order in ("raised", "lowered"):
        up = order == "raised"
        return "widened" if up == (field_key == "maximum_age") else "narrowed"
    if order == "added":
        return "narrowed"
    if order == "removed":
        return "widened"
    return "changed"


def population_direction(field_key: str, olds: Sequence[m.Field], news: Sequence[m.Field]) -> str:
    old_values = {str(v.value) for f in olds for v in f.values}
    new_values = {str(v.value) for f in news for v in f.values}
    if field_key == "sex":
        if old_values == {"all"} and new_values and new_values != {"all"}:
            return "narrowed"
        if new_values == {"all"} and old_values and old_values != {"all"}:
            return "widened"
        if not old_values:
            return "narrowed"
        if not new_values:
            return "widened"
        return "changed"
    if field_key == "healthy_volunteers":
        if old_values == {"no"} and new_values == {"yes"}:
            return "widened"
        if old_values == {"yes"} and new_values == {"no"}:
            return "narrowed"
        return "changed"
    if old_values < new_values:
        return "widened"
    if new_values < old_values:
        return "narrowed"
    return "changed"


def higher_level(a: str, b: str) -> str:
    for level in ("primary", "secondary", "exploratory"):
        if level in (a, b):
            return level
    return a
