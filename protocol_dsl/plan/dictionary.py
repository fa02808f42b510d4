"""The data dictionary as the screening back ends read it: tables, columns, valid values.

One table per form (by storage name), with what makes a recorded value
readable: its kind, its unit and the other units it may be recorded in (with
exact conversion factors), its code list, its allowed range and the visits
it is collected at.  A value that fails any of these is unknown, as in the
interpreter: invalid data never decides a criterion.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Protocol, TypeVar

import attrs

from protocol_dsl import model as m
from protocol_dsl.evaluate.subject import range_bound
from protocol_dsl.semantics import scales, units
from protocol_dsl.semantics.conversions import item_conversions, recorded_conversion
from protocol_dsl.spec import Scope, Spec, expressions

#: Units a quantity is commonly recorded in; those of the item's kind are
#: accepted in the `<item>__unit` column (or a JSON {"value", "unit"}) and
#: converted to the item's unit.
COMMON_UNITS: tuple[str, ...] = (
    # mass and mass concentration
    "kg", "g", "mg", "ug", "ng", "pg",
    "g/L", "g/dL", "g/mL", "mg/L", "mg/dL", "mg/mL", "ug/L", "ug/dL", "ug/mL",
    "ng/L", "ng/dL", "ng/mL", "pg/mL", "pg/L",
    # amount of substance
    "mol/L", "mmol/L", "umol/L", "nmol/L", "pmol/L", "mmol", "umol",
    # cell counts
    "10*12/L", "10*9/L", "10*6/L", "10*3/uL", "10*6/uL", "/uL", "/L", "/mm3",
    # volume and flow
    "L", "dL", "mL", "uL", "mL/min", "L/min", "mL/h", "mL/min/{1.73_m2}",
    # dose rates
    "mg/d", "g/d", "ug/d", "mg/h", "ug/h", "mg/wk", "g/(24.h)", "mg/(24.h)",
    # enzymes and international units
    "U/L", "U/mL", "[IU]/L", "[IU]/mL", "m[IU]/L", "m[IU]/mL", "u[IU]/mL", "k[IU]/L",
    # pressure, length, temperature, time
    "mm[Hg]", "kPa", "cm[H2O]", "m", "cm", "mm", "[in_i]", "Cel", "[degF]", "K",
    "s", "min", "h", "d", "wk", "mo", "a",
    # ratios (mmol/mol is an amount fraction: another scale than %, see protocol_dsl.semantics.scales)
    "%", "1", "10*-2", "mmol/mol", "umol/mol",
)  # fmt: skip


@attrs.frozen
class Conversion:
    """How a value recorded in ``unit`` reads in the item's unit: x * num / den + offset."""

    unit: str
    num: int
    den: int
    offset: Fraction
    digits: int

    @property
    def is_identity(self) -> bool:
        return self.num == self.den and self.offset == 0


@attrs.frozen
class Column:
    """An item as stored in its form's table."""

    name: str
    item_kind: str  # number, integer, quantity, date, datetime, yes_no, choice, titer, text
    unit: str | None = None
    codes: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    visits: tuple[str, ...] | None = None
    conversions: tuple[Conversion, ...] = ()
    #: the spec's declared conversions from another scale: (unit, slope, intercept) of
    #: ``value in the item's unit = slope * value in unit + intercept``
    declared: tuple[tuple[str, Fraction, Fraction], ...] = ()

    @property
    def kind(self) -> str:
        """The plan kind of the column's values."""
        return ITEM_KINDS[self.item_kind]

    @property
    def unit_column(self) -> str | None:
        """The optional column giving another unit per row (quantities only)."""
        return f"{self.name}__unit" if self.item_kind == "quantity" else None


ITEM_KINDS = {
    "number": "number",
    "integer": "number",
    "quantity": "number",
    "date": "date",
    "partial_date": "date",
    "datetime": "date",
    "yes_no": "bool",
    "choice": "code",
    "titer": "titer",
    "text": "text",
}


class _HasName(Protocol):
    @property
    def name(self) -> str: ...


_Named = TypeVar("_Named", bound=_HasName)


@attrs.frozen
class Table:
    """A form's table: storage name, repeating or one row per visit, items."""

    name: str
    repeating: bool
    visits: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        return _named(self.columns, name)


#: The tables every tabular input has besides one table per form: visit dates,
#: attestations, and the subjects with their assignment (arm, dose level).
VISITS_TABLE = "visits"
ATTESTATIONS_TABLE = "attestations"
SUBJECTS_TABLE = "subjects"
LAYOUT_TABLES = (VISITS_TABLE, ATTESTATIONS_TABLE, SUBJECTS_TABLE)


@attrs.frozen
class Dictionary:
    """Every table of the tabular layout, in data-dictionary order."""

    tables: tuple[Table, ...]

    def table(self, name: str) -> Table | None:
        return _named(self.tables, name)


def _named(entries: Iterable[_Named], name: str) -> _Named | None:
    """The first of `entries` called `name`, or None."""
    return next((entry for entry in entries if entry.name == name), None)


def build_dictionary(spec: Spec, extra_units: Iterable[str] = ()) -> Dictionary:
    """The tables of the trial's data dictionary.

    A quantity may be recorded in any unit of the catalogue that converts to
    its own: the common units, every unit the spec writes (item units, range
    bounds, thresholds), and `extra_units` (units seen in the data).
    """
    catalogue = tuple(dict.fromkeys((*COMMON_UNITS, *spec_units(spec), *extra_units)))
    tables = []
    for use in spec.form_uses:
        columns = tuple(_column(use.owner, item, catalogue, spec) for item in use.form.items)
        tables.append(Table(use.storage_name, use.repeating, use.visits, columns))
    return Dictionary(tuple(tables))


def spec_units(spec: Spec) -> tuple[str, ...]:
    """Every UCUM unit the spec and its libraries write, sorted.

    Item units, range bounds and quantities in rules: a data manager may
    record a value in any of them.  Time words (``4 weeks``) are not units.
    """
    found: set[str] = set()
    for use in spec.form_uses:
        for item in use.form.items:
            if item.type.unit is not None:
                found.add(item.type.unit)
            if item.range is not None:
                found.update(
                    bound.unit
                    for bound in (item.range.low, item.range.high)
                    if isinstance(bound, m.Quantity)
                )
    for _scope, expr in expressions(spec):
        found.update(e.quantity.unit for e in m.walk(expr) if isinstance(e, m.QuantityLit))
    return tuple(sorted(unit for unit in found if _is_ucum(unit)))


def _is_ucum(unit: str) -> bool:
    try:
        units.parse_unit(unit)
    except units.UnitError:
        return False
    return True


def _column(owner: Spec, item: m.Item, catalogue: tuple[str, ...], root: Spec) -> Column:
    kind: str = item.type.kind
    codes = None
    if kind == "choice" and item.type.codelist is not None:
        symbol = owner.resolve(item.type.codelist.parts, Scope(owner))
        if symbol is not None and symbol.codelist is not None:
            codes = tuple(e.name for e in symbol.codelist.entries)
        else:
            codes = ()
    unit = item.type.unit if kind == "quantity" else None
    low = high = None
    if item.range is not None and kind in ("number", "integer", "quantity"):
        low = float(range_bound(item.range.low, unit))
        high = float(range_bound(item.range.high, unit))
    conversions: tuple[Conversion, ...] = ()
    declared: tuple[tuple[str, Fraction, Fraction], ...] = ()
    if unit is not None:
        conversions = tuple(
            conversion
            for other in catalogue
            if other != unit and (conversion := unit_conversion(other, unit)) is not None
        ) + _declared_conversions(root, item, catalogue)
        declared = tuple(
            (c.unit, c.formula.slope, c.formula.intercept) for c in item_conversions(root, item)
        )
    if kind == "date" and item.partial:
        kind = "partial_date"  # text: a date, or one known to the month or year
    visits = root.item_visits(item)
    return Column(item.name, kind, unit, codes, low, high, visits, conversions, declared)


def unit_conversion(source: str, target: str) -> Conversion | None:
    """The exact conversion from `source` to `target`, None if they do not convert."""
    try:
        a, b = units.parse_unit(source), units.parse_unit(target)
    except units.UnitError:
        return None
    if a.dimension != b.dimension or not scales.same_scale(source, target):
        return None  # other scales (% and mmol/mol) convert only through a declared formula
    ratio = Fraction(*a.exact_factor) / Fraction(*b.exact_factor)
    offset = (Fraction(*a.exact_offset) - Fraction(*b.exact_offset)) / Fraction(*b.exact_factor)
    return Conversion(source, ratio.numerator, ratio.denominator, offset, _digits(ratio))


def _declared_conversions(
    spec: Spec, item: m.Item, catalogue: tuple[str, ...]
) -> tuple[Conversion, ...]:
    """Units on another scale than the item's that a declared conversion reads (the
    declaration's own unit, and the catalogue's units of its scale)."""
    declared = item_conversions(spec, item)
    found: dict[str, Conversion] = {}
    for other in dict.fromkeys((*(c.unit for c in declared), *catalogue)):
        if other in found or other == item.type.unit:
            continue
        through = recorded_conversion(declared, other)
        if through is None:
            continue
        formula = through[1]
        found[other] = Conversion(
            other,
            formula.slope.numerator,
            formula.slope.denominator,
            formula.intercept,
            _digits(abs(formula.slope)),
        )
    return tuple(found.values())


def _digits(ratio: Fraction) -> int:
    """Decimals kept after converting: enough for six decimals of the recorded value."""
    digits = 9
    shrink = ratio.denominator / ratio.numerator
    while shrink > 1 and digits < 15:
        shrink /= 10
        digits += 1
    return digits


def convert_exact(value: Fraction, source: str, target: str) -> Fraction:
    """A constant converted between compatible units, exactly."""
    conversion = unit_conversion(source, target)
    if conversion is None:
        raise units.UnitError(f"{source} cannot be converted to {target}", source)
    return value * conversion.num / conversion.den + conversion.offset
