"""z3 terms and solver calls, made through z3's public Python API in one place.

Every function here is the z3 function or operator it names (`bool_const` is
`z3.Bool`, `compare(">=", a, b)` is `a >= b`): the encoder and the analyses
call these so that the way terms are made is written once.  z3's Python layer
checks each call's result and coerces operands (an integer term next to a
real one becomes ``ToReal`` of it), so every term here is exactly the one
z3's own documentation describes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import z3

COMPARISONS: dict[str, Callable[[z3.ArithRef, z3.ArithRef], z3.BoolRef]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
OPERATIONS: dict[str, Callable[[z3.ArithRef, z3.ArithRef], z3.ArithRef]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


def bool_const(name: str, ctx: z3.Context) -> z3.BoolRef:
    """`Bool(name)`: through `Z3_mk_const`, as `Bool` itself ends after wrapping the sort
    in a Python object; the encoder and the analysis make several per criterion."""
    ref = ctx.ref()
    return z3.BoolRef(
        z3.Z3_mk_const(ref, z3.Z3_mk_string_symbol(ref, name), z3.Z3_mk_bool_sort(ref)), ctx
    )


def int_const(name: str, ctx: z3.Context) -> z3.ArithRef:
    """`Int(name)`, through `Z3_mk_const` (see `bool_const`)."""
    ref = ctx.ref()
    return z3.ArithRef(
        z3.Z3_mk_const(ref, z3.Z3_mk_string_symbol(ref, name), z3.Z3_mk_int_sort(ref)), ctx
    )


def real_const(name: str, ctx: z3.Context) -> z3.ArithRef:
    """`Real(name)`, through `Z3_mk_const` (see `bool_const`)."""
    ref = ctx.ref()
    return z3.ArithRef(
        z3.Z3_mk_const(ref, z3.Z3_mk_string_symbol(ref, name), z3.Z3_mk_real_sort(ref)), ctx
    )


def int_val(value: int, ctx: z3.Context) -> z3.IntNumRef:
    return z3.IntVal(value, ctx)


def rational_val(numerator: int, denominator: int, ctx: z3.Context) -> z3.RatNumRef:
    """The rational numeral numerator/denominator: `z3.Q(numerator, denominator)`, made from
    its text ("20/3"), which `RealVal` reads as one numeral.  `Q` divides two numerals and
    simplifies the quotient twice, at fifteen times the cost, to the same numeral: a real
    spec makes hundreds of them (a lookup table's factors, once per record slot)."""
    return z3.RealVal(f"{numerator}/{denominator}", ctx)


def is_index(value: z3.ArithRef, index: int) -> z3.BoolRef:
    """`value == index` for an integer term (a choice's entry number): through
    `Z3_mk_eq` when the term is an integer, as `==` itself ends after coercing the Python
    number to `IntVal(index)`; otherwise `==`."""
    if type(value) is z3.ArithRef:
        ctx = value.ctx
        ref = ctx.ref()
        ast = value.as_ast()
        if z3.Z3_get_sort_kind(ref, z3.Z3_get_sort(ref, ast)) == z3.Z3_INT_SORT:
            number = z3.IntVal(index, ctx)
            return z3.BoolRef(z3.Z3_mk_eq(ref, ast, number.as_ast()), ctx)
    return value == index


def conjunction(terms: list[z3.BoolRef]) -> z3.BoolRef:
    """`And(terms)` of two or more formulas of one context."""
    return _connect(terms, z3.Z3_mk_and, z3.And)


def disjunction(terms: list[z3.BoolRef]) -> z3.BoolRef:
    """`Or(terms)` of two or more formulas of one context."""
    return _connect(terms, z3.Z3_mk_or, z3.Or)


def _connect(
    terms: list[z3.BoolRef], low_level: Callable[..., object], general: Callable[..., z3.BoolRef]
) -> z3.BoolRef:
    """The connective of formulas: through z3's low-level API (`Z3_mk_and`, checked by
    z3) when they are all formulas of one context, as z3's `And` itself ends; otherwise
    `And`, which coerces what it can and raises for a term that is not a formula.

    `And` asks z3 for the sort of every operand in Python to find a common one; for
    formulas there is nothing to find, and on a real spec that search costs more
    than building the terms.
    """
    ctx = terms[0].ctx
    if all(type(t) is z3.BoolRef and t.ctx is ctx for t in terms):
        array = (z3.Ast * len(terms))(*[t.as_ast() for t in terms])
        return z3.BoolRef(low_level(ctx.ref(), len(terms), array), ctx)
    return general(terms)


def negation(term: z3.BoolRef) -> z3.BoolRef:
    """`Not(term)`: through `Z3_mk_not` for a formula, as `Not` itself ends (after finding
    the context and casting the operand to a formula: five times the cost of the term)."""
    if type(term) is z3.BoolRef:
        ctx = term.ctx
        return z3.BoolRef(z3.Z3_mk_not(ctx.ref(), term.as_ast()), ctx)
    return z3.Not(term)


def if_then_else(condition: z3.BoolRef, then: z3.ArithRef, otherwise: z3.ArithRef) -> z3.ArithRef:
    """`If(condition, then, otherwise)` of two arithmetic terms: through `Z3_mk_ite` when
    the branches have one sort, as `If` itself ends; otherwise `If`, which converts an
    integer branch to a real one (``ToReal``) and raises for what it cannot coerce.

    `If` casts the condition and coerces the branches through z3's Python layer, at
    three times the cost of the term; the encoder makes one per row of a lookup table and
    per record slot.
    """
    ctx = condition.ctx
    if (
        type(condition) is z3.BoolRef
        and isinstance(then, z3.ArithRef)
        and isinstance(otherwise, z3.ArithRef)
        and then.ctx is ctx
        and otherwise.ctx is ctx
    ):
        ref = ctx.ref()
        a, b = then.as_ast(), otherwise.as_ast()
        if z3.Z3_is_eq_sort(ref, z3.Z3_get_sort(ref, a), z3.Z3_get_sort(ref, b)):
            return z3.ArithRef(z3.Z3_mk_ite(ref, condition.as_ast(), a, b), ctx)
    return z3.If(condition, then, otherwise)


def equivalence(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    """`a == b` of two formulas: through `Z3_mk_eq` when both are formulas of one context,
    as `==` itself ends (its coercion of the operands finds nothing to change)."""
    if _formulas(a, b):
        ctx = a.ctx
        return z3.BoolRef(z3.Z3_mk_eq(ctx.ref(), a.as_ast(), b.as_ast()), ctx)
    return a == b


def implication(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    """`Implies(a, b)`: through `Z3_mk_implies` when both are formulas of one context, as
    `Implies` itself ends after casting both to formulas; the analysis makes two per
    criterion and one per domain constraint of a shared solver, and the casts cost more
    than the terms."""
    if _formulas(a, b):
        ctx = a.ctx
        return z3.BoolRef(z3.Z3_mk_implies(ctx.ref(), a.as_ast(), b.as_ast()), ctx)
    return z3.Implies(a, b)


def _formulas(a: z3.BoolRef, b: z3.BoolRef) -> bool:
    return type(a) is z3.BoolRef and type(b) is z3.BoolRef and a.ctx is b.ctx


#: The low-level maker of each order comparison (what `>=` … end with).
_LOW_LEVEL_COMPARISONS: dict[str, Callable[..., object]] = {
    ">=": z3.Z3_mk_ge,
    ">": z3.Z3_mk_gt,
    "<=": z3.Z3_mk_le,
    "<": z3.Z3_mk_lt,
}


#: The same comparison read from the other side (`a < b` is `b > a`).
_REFLECTED = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


def compare(op: str, a: z3.ArithRef, b: z3.ArithRef) -> z3.BoolRef:
    """`a op b` (>=, >, <=, <) for two arithmetic terms, through z3's low-level makers as
    the operator itself ends: an integer operand beside a real one converted first
    (``ToReal``, `Z3_mk_int2real`), the comparison made of the two.

    Python asks the right operand first when its class is a subclass of the left one's
    (a numeral right of a variable: `x < 3` is made as `3 > x`), and so does this.  The
    operator's coercion asks z3 for every operand's sort in Python: an item's range
    against its bounds, and every threshold, cost more than the terms made.
    """
    ctx = a.ctx
    if not (isinstance(a, z3.ArithRef) and isinstance(b, z3.ArithRef) and b.ctx is ctx):
        return COMPARISONS[op](a, b)
    if type(b) is not type(a) and isinstance(b, type(a)):
        a, b, op = b, a, _REFLECTED[op]
    ref = ctx.ref()
    x, y = a.as_ast(), b.as_ast()
    kind_x = z3.Z3_get_sort_kind(ref, z3.Z3_get_sort(ref, x))
    kind_y = z3.Z3_get_sort_kind(ref, z3.Z3_get_sort(ref, y))
    if kind_x != kind_y:
        if kind_x == z3.Z3_INT_SORT and kind_y == z3.Z3_REAL_SORT:
            a = z3.ArithRef(z3.Z3_mk_int2real(ref, x), ctx)
            x = a.as_ast()
        elif kind_x == z3.Z3_REAL_SORT and kind_y == z3.Z3_INT_SORT:
            b = z3.ArithRef(z3.Z3_mk_int2real(ref, y), ctx)
            y = b.as_ast()
        else:
            return COMPARISONS[op](a, b)
    return z3.BoolRef(_LOW_LEVEL_COMPARISONS[op](ref, x, y), ctx)


def operate(op: str, a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    """`a op b` (+, -, *) for two arithmetic terms."""
    return OPERATIONS[op](a, b)
