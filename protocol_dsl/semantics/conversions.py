"""Declared conversions between scales, and the items they apply to.

A ``conversion`` declaration names a formula between two units that are not
one scale (`protocol_dsl.semantics.scales`), for the analytes its codes name::

    conversion hba1c_ifcc_to_ngsp from mmol/mol to % = 0.09148 * value + 2.152 [LOINC 4548-4]

The formula is a change of scale: ``a * value + b`` with a non-zero ``a``
(any arrangement of numbers, ``value``, ``+ - * /`` and parentheses that
reduces to it), so it can be read in both directions.  It applies to every
item of the spec and its libraries that carries one of the codes and is
recorded on the scale of either unit: a value recorded on the other scale is
converted through the formula, exactly, as every screening back end reads it.

This module works out the formula and the binding; the checks of the
declaration (E0307-E0309) are in `protocol_dsl.checks.conversions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext
from fractions import Fraction

import attrs

from protocol_dsl import model as m
from protocol_dsl.errors import UserError
from protocol_dsl.semantics import scales, units
from protocol_dsl.spec import Scope, Spec

__all__ = [
    "Affine",
    "ItemConversion",
    "NotAffine",
    "affine",
    "declared",
    "item_conversions",
    "recorded_conversion",
    "threshold_on_item_scale",
]

#: The name a formula calls the value being converted.
VALUE = "value"


@attrs.frozen
class Affine:
    """``slope * x + intercept``, exactly."""

    slope: Fraction
    intercept: Fraction

    def __call__(self, x: Fraction) -> Fraction:
        return self.slope * x + self.intercept

    def then(self, other: Affine) -> Affine:
        """This map followed by `other`."""
        return Affine(other.slope * self.slope, other.slope * self.intercept + other.intercept)

    def inverse(self) -> Affine:
        return Affine(1 / self.slope, -self.intercept / self.slope)


class NotAffine(UserError, ValueError):
    """A formula that is not a change of scale; `node` is the part to point at."""

    def __init__(self, message: str, node: m.Expr) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


def affine(expr: m.Expr) -> Affine:
    """The formula as ``slope * value + intercept``; raises `NotAffine` otherwise."""
    result = _affine(expr)
    if result.slope == 0:
        raise NotAffine("the formula does not depend on `value`", expr)
    return result


def _affine(expr: m.Expr) -> Affine:
    if isinstance(expr, m.NumberLit):
        return Affine(Fraction(0), Fraction(expr.value))
    if isinstance(expr, m.Ref) and expr.parts == (VALUE,):
        return Affine(Fraction(1), Fraction(0))
    if isinstance(expr, m.Negate):
        inner = _affine(expr.expr)
        return Affine(-inner.slope, -inner.intercept)
    if isinstance(expr, m.Arith):
        left, right = _affine(expr.left), _affine(expr.right)
        if expr.op == "+":
            return Affine(left.slope + right.slope, left.intercept + right.intercept)
        if expr.op == "-":
            return Affine(left.slope - right.slope, left.intercept - right.intercept)
        if expr.op == "*":
            if left.slope and right.slope:
                raise NotAffine("`value` times `value` is not a change of scale", expr)
            factor, other = (left, right) if not left.slope else (right, left)
            return Affine(other.slope * factor.intercept, other.intercept * factor.intercept)
        if right.slope:
            raise NotAffine("dividing by `value` is not a change of scale", expr.right)
        if right.intercept == 0:
            raise NotAffine("division by zero", expr.right)
        return Affine(left.slope / right.intercept, left.intercept / right.intercept)
    if isinstance(expr, m.Ref):
        raise NotAffine(
            f"`{expr.dotted}` is not known in a conversion: a formula reads only `value` and "
            "numbers",
            expr,
        )
    if isinstance(expr, m.QuantityLit):
        raise NotAffine(
            "the numbers of a conversion have no unit: the units are the conversion's own", expr
        )
    raise NotAffine("a conversion is arithmetic on `value` and numbers", expr)


def declared(spec: Spec) -> Iterator[tuple[Spec, m.Conversion]]:
    """Every conversion declared in the spec and its libraries, with its owner."""
    for owner in spec.all_specs():
        for decl in owner.module.declarations:
            if isinstance(decl, m.Conversion):
                yield owner, decl


def _code_keys(codes: tuple[m.Code, ...]) -> frozenset[tuple[str, str]]:
    return frozenset((code.system.upper(), code.value) for code in codes)


@attrs.frozen
class ItemConversion:
    """How a value recorded in `unit` reads in an item's own unit, through a declaration."""

    name: str  # the declaration's name, for messages
    unit: str  # the unit the value is recorded in (one end of the declaration)
    formula: Affine  # from `unit` to the item's unit


def item_conversions(spec: Spec, item: m.Item) -> tuple[ItemConversion, ...]:
    """The declared conversions that apply to `item`, each as a map into the item's unit.

    A declaration applies when it shares a code with the item and one of its
    units is on the item's scale; a value recorded in the other unit converts
    through the formula (read backwards when the item is on the `from` side),
    then by UCUM's factor within the item's scale.  Declarations that are
    not changes of scale are left out (they are reported by the check).
    """
    if item.type.kind != "quantity" or item.type.unit is None or not item.codes:
        return ()
    keys = _code_keys(item.codes)
    found: list[ItemConversion] = []
    for _owner, decl in declared(spec):
        if not keys & _code_keys(decl.codes):
            continue
        bound = _bind(decl, item.type.unit)
        if bound is not None:
            found.append(bound)
    return tuple(found)


def _bind(decl: m.Conversion, item_unit: str) -> ItemConversion | None:
    try:
        formula = affine(decl.expr)
    except NotAffine:
        return None
    if not _usable(decl):
        return None
    if scales.same_scale(decl.target, item_unit):
        return ItemConversion(decl.name, decl.source, formula.then(_factor(decl.target, item_unit)))
    if scales.same_scale(decl.source, item_unit):
        inverse = formula.inverse()
        return ItemConversion(decl.name, decl.target, inverse.then(_factor(decl.source, item_unit)))
    return None


def _usable(decl: m.Conversion) -> bool:
    """Both units parse and are not one scale (a formula there would contradict UCUM)."""
    try:
        units.parse_unit(decl.source)
        units.parse_unit(decl.target)
    except units.UnitError:
        return False
    return not scales.same_scale(decl.source, decl.target)


def _factor(source: str, target: str) -> Affine:
    """UCUM's exact conversion between two units of one scale."""
    a, b = units.parse_unit(source), units.parse_unit(target)
    slope = Fraction(*a.exact_factor) / Fraction(*b.exact_factor)
    intercept = (Fraction(*a.exact_offset) - Fraction(*b.exact_offset)) / Fraction(*b.exact_factor)
    return Affine(slope, intercept)


def recorded_conversion(
    conversions: tuple[ItemConversion, ...], unit: str
) -> tuple[ItemConversion, Affine] | None:
    """The declared conversion that reads a value recorded in `unit`, composed with UCUM's
    factor from `unit` to the declaration's unit of that scale; None if none applies."""
    for conversion in conversions:
        if unit == conversion.unit:
            return conversion, conversion.formula
        if scales.same_scale(unit, conversion.unit):
            return conversion, _factor(unit, conversion.unit).then(conversion.formula)
    return None


# ---------------------------------------------------------------- thresholds on another scale


def threshold_on_item_scale(spec: Spec, scope: Scope, compare: m.Compare) -> m.Compare:
    """`compare` with a threshold on another scale than its item (``labs.hba1c > 64 mmol/mol``
    for an item in %) rewritten in the item's unit through the item's declared conversion.

    Every reader of a rule (the type check, the solver, the interpreter, the SQL and the
    generated module) asks this first, so they all compare the same number.  Anything
    else (no item, no literal, one scale, no conversion) is returned unchanged.
    """
    for literal, other in ((compare.right, compare.left), (compare.left, compare.right)):
        if not isinstance(literal, m.QuantityLit):
            continue
        item = _item(spec, scope, other)
        if item is None or item.type.unit is None:
            continue
        value = _threshold(spec, item, literal.quantity)
        if value is None:
            continue
        rewritten = m.QuantityLit(m.Quantity(value, item.type.unit), span=literal.span)
        # mypy's attrs plugin knows only attrs' own decorators, not `model.node`
        if literal is compare.right:
            return attrs.evolve(compare, right=rewritten)  # type: ignore[misc]
        return attrs.evolve(compare, left=rewritten)  # type: ignore[misc]
    return compare


def _item(spec: Spec, scope: Scope, node: m.Expr) -> m.Item | None:
    while isinstance(node, (m.AtVisit, m.AtPrevious)):
        node = node.expr
    if not isinstance(node, m.Ref):
        return None
    symbol = scope.owner.resolve(node.parts, scope)
    if symbol is None or symbol.kind != "item" or not isinstance(symbol.decl, m.Item):
        return None
    return symbol.decl


def _threshold(spec: Spec, item: m.Item, quantity: m.Quantity) -> Decimal | None:
    unit = item.type.unit or ""
    if quantity.unit == unit or scales.same_scale(quantity.unit, unit):
        return None
    through = recorded_conversion(item_conversions(spec, item), quantity.unit)
    if through is None:
        return None
    return _decimal(through[1](Fraction(quantity.value)))


def _decimal(value: Fraction) -> Decimal:
    """A fraction as a decimal: exact when it terminates, else to 28 significant digits."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den == 1:
        with localcontext() as context:
            context.prec = 1000
            return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value.numerator) / Decimal(value.denominator)
