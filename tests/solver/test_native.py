"""`solver.native` builds exactly the terms z3's own functions and operators build.

z3 shares equal terms (one node per distinct term), so "the same term" is
checked as the same node id, and with `eq`.  The builders are compared with
z3's API on generated names, numbers and operand sorts, including a numeral
on either side of a comparison, where Python asks the numeral first.
"""

from __future__ import annotations

import operator

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl.solver import native

CTX = z3.Context()
NAMES = st.text(alphabet="abcxyz_:.[]0123456789", min_size=1, max_size=12)
INTS = st.integers(min_value=-(10**30), max_value=10**30)
COMPARISONS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
OPERATIONS = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def same(a: z3.ExprRef, b: z3.ExprRef) -> bool:
    return a.get_id() == b.get_id() and a.eq(b) and type(a) is type(b)


@given(NAMES, INTS)
def test_constants_and_numerals(name: str, value: int) -> None:
    assert same(native.bool_const(name, CTX), z3.Bool(name, CTX))
    assert same(native.int_const(name, CTX), z3.Int(name, CTX))
    assert same(native.real_const(name, CTX), z3.Real(name, CTX))
    assert same(native.int_val(value, CTX), z3.IntVal(value, CTX))


@given(st.lists(NAMES, min_size=2, max_size=5))
def test_connectives(names: list[str]) -> None:
    terms = [z3.Bool(n, CTX) for n in names]
    assert same(native.conjunction(terms), z3.And(terms))
    assert same(native.disjunction(terms), z3.Or(terms))
    assert same(native.negation(terms[0]), z3.Not(terms[0]))
    assert same(native.equivalence(terms[0], terms[1]), terms[0] == terms[1])
    implies = native.boolean(
        native.mk_implies(native.context(CTX), native.pointer(terms[0]), native.pointer(terms[1])),
        CTX,
    )
    assert same(implies, z3.Implies(terms[0], terms[1]))
    for term in (*terms, z3.Int("n", CTX), z3.Real("q", CTX)):
        assert same(native.expr(native.pointer(term), CTX), term)


def operands() -> st.SearchStrategy[z3.ArithRef]:
    return st.one_of(
        NAMES.map(lambda n: z3.Int(f"i:{n}", CTX)),
        NAMES.map(lambda n: z3.Real(f"r:{n}", CTX)),
        INTS.map(lambda v: z3.IntVal(v, CTX)),
        st.fractions(max_denominator=1000).map(lambda f: z3.RealVal(f, CTX)),
        NAMES.map(lambda n: z3.ToReal(z3.Int(f"i:{n}", CTX))),
    )


@settings(max_examples=300)
@given(operands(), operands(), st.sampled_from(sorted(COMPARISONS)))
def test_comparisons(a: z3.ArithRef, b: z3.ArithRef, op: str) -> None:
    assert same(native.compare(op, a, b), COMPARISONS[op](a, b))


@settings(max_examples=300)
@given(operands(), operands(), st.sampled_from(sorted(OPERATIONS)))
def test_arithmetic(a: z3.ArithRef, b: z3.ArithRef, op: str) -> None:
    assert same(native.operate(op, a, b), OPERATIONS[op](a, b))


def test_solver_calls() -> None:
    solver = z3.Solver(ctx=CTX)
    x = z3.Int("push_x", CTX)
    ref, raw = native.context(CTX), solver.solver.value
    native.solver_push(ref, raw)
    native.solver_assert(ref, raw, native.pointer(x > 3))
    native.solver_assert(ref, raw, native.pointer(x < 2))
    assert solver.check() == z3.unsat
    native.solver_pop(ref, raw, 1)
    assert solver.check() == z3.sat
    assert len(solver.assertions()) == 0
