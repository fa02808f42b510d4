"""Values of the encoding: three-valued conditions, numbers as intervals, and z3 helpers.

This module owns what an expression encodes to (`Cond`, `Num`, `Choice`,
`Text`, `CodeName`, `Calendar`, `Opaque`) and the small z3 helpers the encoder
builds formulas with.  Conditions are pairs of z3 booleans ("definitely met",
"definitely not met"); a Python bool stands for a constant so that the many
always-known values cost no z3 term (building terms through z3's Python API
is the encoder's main cost).  Quantities are in UCUM base units, converted
exactly with fractions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

import z3

from protocol_dsl import model as m
from protocol_dsl.semantics import units
from protocol_dsl.solver import make

#: Seconds per day: quantities of time are in seconds (the UCUM base unit).
DAY_SECONDS = 86400

# ---------------------------------------------------------------- encoded values


#: A formula, or a Python bool for a constant: most "known" flags are plain True, and
#: building z3 terms through the Python API is the encoder's main cost, so constants
#: are folded here before z3 sees them.
B: TypeAlias = "z3.BoolRef | bool"


def all_of(*terms: B | list[B]) -> B:
    return _fold(terms, True, make.conjunction)


def any_of(*terms: B | list[B]) -> B:
    return _fold(terms, False, make.disjunction)


def _fold(
    terms: tuple[B | list[B], ...],
    unit: bool,
    join: Callable[[list[z3.BoolRef]], z3.BoolRef],
) -> B:
    """`and` (unit True) or `or` (unit False) of terms given one by one or as one list.

    The unit is dropped and its opposite absorbs the rest, so constants never
    reach z3.
    """
    flat = terms[0] if len(terms) == 1 and isinstance(terms[0], list) else terms
    items: list[B] = []
    for t in flat:
        if t is unit:
            continue
        if t is (not unit):
            return not unit
        items.append(t)
    if not items:
        return unit
    if len(items) == 1:
        return items[0]
    # z3 raises for a term that is not a formula (an ill-typed rule)
    return join(items)


def negation(term: B) -> B:
    if isinstance(term, bool):
        return not term
    # z3 raises for a term that is not a formula (an ill-typed rule)
    return make.negation(term)


def implies(a: B, b: B) -> B:
    return any_of(negation(a), b)


def iff(a: B, b: B) -> B:
    if isinstance(b, bool):
        return a if b else negation(a)
    if isinstance(a, bool):
        return b if a else negation(b)
    if isinstance(a, z3.BoolRef) and isinstance(b, z3.BoolRef) and a.ctx is b.ctx:
        return make.equivalence(a, b)
    return a == b


def ite(condition: B, then: z3.ArithRef, otherwise: z3.ArithRef) -> z3.ArithRef:
    if isinstance(condition, bool):
        return then if condition else otherwise
    return make.if_then_else(condition, then, otherwise)


def as_formula(term: B, ctx: z3.Context) -> z3.BoolRef:
    """A z3 formula for a possibly constant condition."""
    return z3.BoolVal(term, ctx) if isinstance(term, bool) else term


class Cond:
    """A condition: t = definitely met, f = definitely not met (neither: unknown).

    Without `f` the condition is never unknown (f = not t), which is most conditions
    of the check mode: they keep one z3 term instead of two.
    """

    __slots__ = ("_f", "t", "two_valued")

    def __init__(self, t: B, f: B | None = None):
        self.t = t
        self._f = f
        self.two_valued = f is None

    @property
    def f(self) -> B:
        if self._f is None:
            self._f = negation(self.t)
        return self._f

    def negate(self) -> Cond:
        if self.two_valued:
            negated = Cond(negation(self.t))
            negated._f = self.t
            return negated
        return Cond(self.f, self.t)

    @staticmethod
    def const(value: bool) -> Cond:
        return Cond(value)


def decided(known: B, holds: B) -> Cond:
    """`holds` when the values are known, else unknown."""
    if known is True:
        return Cond(holds)
    return Cond(all_of(known, holds), all_of(known, negation(holds)))


def both(a: Cond, b: Cond) -> Cond:
    """Kleene `a and b`."""
    return Cond(all_of(a.t, b.t), None if a.two_valued and b.two_valued else any_of(a.f, b.f))


NumKind = Literal["number", "quantity", "date", "titer"]


class Num:
    """A number: an interval [lo, hi] (the same term when exact) and whether it is known.

    Quantities are in UCUM base units with their dimension; `unit` is the unit
    a person would read it in (the item's declared unit).  Dates are day
    numbers.
    """

    __slots__ = ("dim", "hi", "kind", "known", "lo", "unit")

    def __init__(
        self,
        lo: z3.ArithRef,
        hi: z3.ArithRef | None = None,
        known: B | None = None,
        kind: NumKind = "number",
        dim: tuple[int, ...] | None = None,
        unit: str | None = None,
    ):
        self.lo = lo
        self.hi = lo if hi is None else hi
        self.known = True if known is None else known
        self.kind = kind
        self.dim = dim
        self.unit = unit

    @property
    def exact(self) -> bool:
        return self.lo is self.hi

    def like(self, lo: z3.ArithRef, hi: z3.ArithRef | None, known: B) -> Num:
        return Num(lo, hi, known, self.kind, self.dim, self.unit)


class Choice:
    """A code-list value: the index of its entry in `entries`."""

    __slots__ = ("entries", "known", "value")

    def __init__(self, value: z3.ArithRef, entries: tuple[str, ...], known: B):
        self.value = value
        self.entries = entries
        self.known = known


class Text:
    __slots__ = ("known", "value")

    def __init__(self, value: z3.SeqRef, known: B):
        self.value = value
        self.known = known


class CodeName:
    """A code-list value written in a rule (``positive``): typed by what it meets."""

    __slots__ = ("entries", "name")

    def __init__(self, name: str, entries: tuple[str, ...]):
        self.name = name
        self.entries = entries


class Calendar:
    """A duration in calendar months (a literal such as ``5 years`` or ``6 months``)."""

    __slots__ = ("months", "quantity")

    def __init__(self, months: Fraction, quantity: Num):
        self.months = months
        self.quantity = quantity


class Opaque:
    """Something the encoder does not model; it becomes a fresh variable where used."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


Term = Cond | Num | Choice | Text | CodeName | Calendar | Opaque

#: The expressions a comparison is read by, with their values (for boundary texts).
Shown = tuple[tuple[m.Expr, Term], ...]


# ---------------------------------------------------------------- numbers


def fraction(value: Decimal | int | Fraction) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def val(value: Fraction | Decimal | int, ctx: z3.Context) -> z3.ArithRef:
    f = fraction(value)
    if f.denominator == 1:
        return make.int_val(f.numerator, ctx)
    return make.rational_val(f.numerator, f.denominator, ctx)


def numeral(term: z3.ExprRef) -> Fraction | None:
    """The value of a constant term (after simplification), else None."""
    # a numeral already (most calls): simplifying it through z3 would change nothing
    if type(term) is z3.IntNumRef:
        return Fraction(term.as_long())
    if type(term) is z3.RatNumRef:
        return Fraction(term.numerator_as_long(), term.denominator_as_long())
    simple = z3.simplify(term)
    if z3.is_int_value(simple):
        return Fraction(simple.as_long())
    if z3.is_rational_value(simple):
        return Fraction(simple.numerator_as_long(), simple.denominator_as_long())
    return None


@functools.lru_cache(maxsize=1024)  # units are immutable; a time word is no UCUM code
def parse_any_unit(text: str) -> units.Unit:
    """A unit as written in a spec: UCUM, or a plain time word ("weeks")."""
    try:
        return units.parse_unit(text)
    except units.UnitError:
        return units.time_unit(text)


def to_base(value: z3.ArithRef, unit: units.Unit) -> z3.ArithRef:
    factor = Fraction(*unit.exact_factor)
    offset = Fraction(*unit.exact_offset)
    term = value if factor == 1 else make.operate("*", value, val(factor, value.ctx))
    return term if offset == 0 else make.operate("+", term, val(offset, value.ctx))


def base_value(value: Fraction, unit: units.Unit) -> Fraction:
    return value * Fraction(*unit.exact_factor) + Fraction(*unit.exact_offset)


def from_base(value: Fraction, unit: units.Unit) -> Fraction:
    return (value - Fraction(*unit.exact_offset)) / Fraction(*unit.exact_factor)


def scale(term: z3.ArithRef, factor: z3.ArithRef) -> z3.ArithRef:
    """term × factor, distributing over if-then-else with constant leaves (a lookup)
    so that a dose times a conversion factor stays linear."""
    if z3.is_app_of(factor, z3.Z3_OP_ITE):
        return make.if_then_else(
            factor.arg(0), scale(term, factor.arg(1)), scale(term, factor.arg(2))
        )
    if z3.is_app_of(term, z3.Z3_OP_ITE) and numeral(factor) is None:
        return scale(factor, term)
    return term * factor


def total(terms: list[z3.ArithRef], zero: z3.ArithRef) -> z3.ArithRef:
    if not terms:
        return zero
    return terms[0] if len(terms) == 1 else z3.Sum(terms)


TIME = units.parse_unit("s").dimension


def same_kind(a: Num, b: Num) -> bool:
    if a.kind != b.kind:
        return False
    return a.kind != "quantity" or a.dim == b.dim


def both_exact(a: Num, b: Num) -> bool:
    return a.exact and b.exact


def in_unit(number: Num, quantity: Num) -> Num:
    """A plain number read in the unit of the quantity it meets."""
    unit = parse_any_unit(quantity.unit) if quantity.unit else None
    if unit is None:
        return number
    lo = to_base(number.lo, unit)
    hi = lo if number.exact else to_base(number.hi, unit)
    num = Num(lo, hi, number.known, "quantity", quantity.dim)
    num.unit = quantity.unit
    return num


def product_kind(a: Num, b: Num, op: str) -> Num:
    if a.kind == "number" and b.kind == "number":
        return Num(make.int_val(0, a.lo.ctx))
    if b.kind == "number":
        return a
    if a.kind == "number" and op == "*":
        return b
    sign = 1 if op == "*" else -1
    dim_a = a.dim or ()
    dim_b = b.dim or ()
    dim = tuple(x + sign * y for x, y in zip(dim_a, dim_b, strict=True))
    return Num(make.int_val(0, a.lo.ctx), kind="quantity", dim=dim)
