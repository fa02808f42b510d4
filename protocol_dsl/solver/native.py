"""Direct calls into z3's C library, for the few loops where z3's Python layer is the cost.

z3's Python functions (`z3.Z3_get_ast_id`, …) wrap each C function in a
call that checks the context's error state afterwards and converts every
argument and result to a ctypes object.  Walking tens of thousands of terms
or building thousands of constraints that way costs more than the solving.
The functions here call the same C functions with plain integers (context
and term pointers as Python ints) and no error check: they are used only on
well-formed terms of one context, where z3 reports no error.

A term returned as a pointer (`mk_implies`, `mk_eq`) has a reference count of
zero: it must become part of a term that is kept (an argument of one, or an
assertion of a solver), or be wrapped with `boolean` (which takes a
reference) before the next call that makes a term.  The functions that
return z3 objects (`bool_const`, `int_val`, `conjunction`, `compare`, …)
make the same terms as z3's own functions and operators, wrapped at once.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

import z3
from z3 import z3core

_P = ctypes.c_void_p
_U = ctypes.c_uint
_I = ctypes.c_int


def _direct(function: Callable[..., object], restype: object, *argtypes: object) -> Callable:
    """The C function behind one of z3core's wrappers, with integer arguments."""
    pointer = function.__defaults__[0].f  # type: ignore[index]  # z3core wrappers have defaults
    address = ctypes.cast(pointer, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)  # type: ignore[arg-type]


get_ast_id = _direct(z3core.Z3_get_ast_id, _U, _P, _P)
get_ast_kind = _direct(z3core.Z3_get_ast_kind, _I, _P, _P)
get_app_num_args = _direct(z3core.Z3_get_app_num_args, _U, _P, _P)
get_app_arg = _direct(z3core.Z3_get_app_arg, _P, _P, _P, _U)
get_app_decl = _direct(z3core.Z3_get_app_decl, _P, _P, _P)
get_decl_kind = _direct(z3core.Z3_get_decl_kind, _I, _P, _P)
get_quantifier_body = _direct(z3core.Z3_get_quantifier_body, _P, _P, _P)

mk_implies = _direct(z3core.Z3_mk_implies, _P, _P, _P, _P)
mk_eq = _direct(z3core.Z3_mk_eq, _P, _P, _P, _P)
solver_assert = _direct(z3core.Z3_solver_assert, None, _P, _P, _P)
solver_push = _direct(z3core.Z3_solver_push, None, _P, _P)
solver_pop = _direct(z3core.Z3_solver_pop, None, _P, _P, _U)


def context(ctx: z3.Context) -> int:
    return ctx.ref().value


def pointer(term: z3.AstRef) -> int:
    return term.as_ast().value


def boolean(address: int, ctx: z3.Context) -> z3.BoolRef:
    """A fresh Boolean term as a z3 object (which keeps it alive)."""
    return z3.BoolRef(_ast(address), ctx)


def expr(address: int, ctx: z3.Context) -> z3.ExprRef:
    """A term of any sort as the z3 object z3 itself would make for it (keeps it alive)."""
    return z3.z3._to_expr_ref(_ast(address), ctx)


get_sort = _direct(z3core.Z3_get_sort, _P, _P, _P)
get_sort_kind = _direct(z3core.Z3_get_sort_kind, _I, _P, _P)
mk_int2real = _direct(z3core.Z3_mk_int2real, _P, _P, _P)
_COMPARISONS = {
    ">=": _direct(z3core.Z3_mk_ge, _P, _P, _P, _P),
    ">": _direct(z3core.Z3_mk_gt, _P, _P, _P, _P),
    "<=": _direct(z3core.Z3_mk_le, _P, _P, _P, _P),
    "<": _direct(z3core.Z3_mk_lt, _P, _P, _P, _P),
}
_PAIR = ctypes.c_void_p * 2
_OPERATIONS = {
    "+": _direct(z3core.Z3_mk_add, _P, _P, _U, _PAIR),
    "-": _direct(z3core.Z3_mk_sub, _P, _P, _U, _PAIR),
    "*": _direct(z3core.Z3_mk_mul, _P, _P, _U, _PAIR),
}
_INT, _REAL = z3.Z3_INT_SORT, z3.Z3_REAL_SORT


_mk_symbol = _direct(z3core.Z3_mk_string_symbol, _P, _P, ctypes.c_char_p)
_mk_const = _direct(z3core.Z3_mk_const, _P, _P, _P, _P)
_mk_numeral = _direct(z3core.Z3_mk_numeral, _P, _P, ctypes.c_char_p, _P)
# a context's basic sorts live as long as the context: no reference is needed
_bool_sort = _direct(z3core.Z3_mk_bool_sort, _P, _P)
_int_sort = _direct(z3core.Z3_mk_int_sort, _P, _P)
_real_sort = _direct(z3core.Z3_mk_real_sort, _P, _P)


def _constant(name: str, ctx: z3.Context, sort: Callable[[int], int]) -> z3.Ast:
    ref = ctx.ref().value
    return _ast(_mk_const(ref, _mk_symbol(ref, name.encode()), sort(ref)))


def bool_const(name: str, ctx: z3.Context) -> z3.BoolRef:
    """`z3.Bool(name, ctx)`, made directly."""
    return z3.BoolRef(_constant(name, ctx, _bool_sort), ctx)


def int_const(name: str, ctx: z3.Context) -> z3.ArithRef:
    """`z3.Int(name, ctx)`, made directly."""
    return z3.ArithRef(_constant(name, ctx, _int_sort), ctx)


def real_const(name: str, ctx: z3.Context) -> z3.ArithRef:
    """`z3.Real(name, ctx)`, made directly."""
    return z3.ArithRef(_constant(name, ctx, _real_sort), ctx)


def int_val(value: int, ctx: z3.Context) -> z3.IntNumRef:
    """`z3.IntVal(value, ctx)`, made directly for a Python int."""
    if type(value) is not int:
        return z3.IntVal(value, ctx)
    ref = ctx.ref().value
    return z3.IntNumRef(_ast(_mk_numeral(ref, str(value).encode(), _int_sort(ref))), ctx)


_mk_and = _direct(z3core.Z3_mk_and, _P, _P, _U, ctypes.POINTER(_P))
_mk_or = _direct(z3core.Z3_mk_or, _P, _P, _U, ctypes.POINTER(_P))
_mk_not = _direct(z3core.Z3_mk_not, _P, _P, _P)


def conjunction(terms: list[z3.BoolRef]) -> z3.BoolRef:
    """`And(terms)` of two or more formulas of one context, made directly."""
    ctx = terms[0].ctx
    array = (_P * len(terms))(*[t.as_ast().value for t in terms])
    return z3.BoolRef(_ast(_mk_and(ctx.ref().value, len(terms), array)), ctx)


def disjunction(terms: list[z3.BoolRef]) -> z3.BoolRef:
    """`Or(terms)` of two or more formulas of one context, made directly."""
    ctx = terms[0].ctx
    array = (_P * len(terms))(*[t.as_ast().value for t in terms])
    return z3.BoolRef(_ast(_mk_or(ctx.ref().value, len(terms), array)), ctx)


def negation(term: z3.BoolRef) -> z3.BoolRef:
    """`Not(term)`, made directly."""
    ctx = term.ctx
    return z3.BoolRef(_ast(_mk_not(ctx.ref().value, term.as_ast().value)), ctx)


def equivalence(a: z3.BoolRef, b: z3.BoolRef) -> z3.BoolRef:
    """`a == b` of two formulas of one context, made directly."""
    ctx = a.ctx
    return z3.BoolRef(_ast(mk_eq(ctx.ref().value, a.as_ast().value, b.as_ast().value)), ctx)


def _ast(address: int) -> z3.Ast:
    # as ctypes makes z3's own results (`Ast(address)` would leave `.value` unset)
    return z3.Ast.from_buffer_copy(ctypes.c_void_p(address))


#: z3 wraps a numeral by its sort: no need to ask z3 for the sort of one
_NUMERAL_SORTS = {z3.IntNumRef: _INT, z3.RatNumRef: _REAL}


def _operands(a: z3.ArithRef, b: z3.ArithRef) -> tuple[int, int, int, int] | None:
    """Context and operand pointers after z3's own coercion (an integer term next to
    a real one becomes ToReal of it), or None when z3's Python layer must decide."""
    ref = a.ctx.ref().value
    x, y = a.as_ast().value, b.as_ast().value
    kind_x = _NUMERAL_SORTS.get(type(a)) or get_sort_kind(ref, get_sort(ref, x))
    kind_y = _NUMERAL_SORTS.get(type(b)) or get_sort_kind(ref, get_sort(ref, y))
    if kind_x == kind_y:
        if kind_x not in (_INT, _REAL):
            return None
        return ref, x, y, kind_x
    if kind_x == _INT and kind_y == _REAL:
        return ref, mk_int2real(ref, x), y, _REAL
    if kind_x == _REAL and kind_y == _INT:
        return ref, x, mk_int2real(ref, y), _REAL
    return None


def compare(op: str, a: z3.ArithRef, b: z3.ArithRef) -> z3.BoolRef:
    """`a op b` for two arithmetic terms: the term z3's operators make, made directly."""
    if not (isinstance(a, z3.ArithRef) and isinstance(b, z3.ArithRef)) or a.ctx is not b.ctx:
        return _PYTHON_COMPARISONS[op](a, b)
    if type(b) is not type(a) and issubclass(type(b), type(a)):
        # Python asks a subclass operand first (a numeral is one): b's reflected operator
        a, b, op = b, a, _FLIPPED[op]
    found = _operands(a, b)
    if found is None:
        return _PYTHON_COMPARISONS[op](a, b)
    ref, x, y, _kind = found
    return z3.BoolRef(_ast(_COMPARISONS[op](ref, x, y)), a.ctx)


_FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


def operate(op: str, a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    """`a op b` (+, -, *) for two arithmetic terms, as z3's operators make it."""
    if not (isinstance(a, z3.ArithRef) and isinstance(b, z3.ArithRef)) or a.ctx is not b.ctx:
        return _PYTHON_OPERATIONS[op](a, b)
    found = _operands(a, b)
    if found is None:
        return _PYTHON_OPERATIONS[op](a, b)
    ref, x, y, _kind = found
    return z3.ArithRef(_ast(_OPERATIONS[op](ref, 2, _PAIR(x, y))), a.ctx)


_PYTHON_COMPARISONS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}
_PYTHON_OPERATIONS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
}
