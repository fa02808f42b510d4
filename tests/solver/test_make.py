"""The term constructors of `make` build exactly the terms z3's own functions build.

The constants, `negation`, `if_then_else`, `is_index`, `implication`,
`equivalence` and `compare` call z3's C functions directly when their operands need no
coercion, and `rational_val` reads a rational from its text; each must give
the very term (`eq`) that `Not`, `If`, `==`, `Implies`, `>=`… and `Q` give,
and no other term (a context numbers its terms as they are made), and fall
back to them where they coerce (an integer branch beside a real one) or
refuse.  Two encoders given one context (two versions of a criterion over
one subject) share the subject's variables and keep their helper variables
apart.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.commands.diff import compile_for_diff
from protocol_dsl.solver import make
from protocol_dsl.solver.encode import Encoder
from protocol_dsl.spec import Spec
from tests.solver.support import QLS4131

CTX = z3.Context()
X, Y = z3.Int("x", CTX), z3.Int("y", CTX)
R = z3.Real("r", CTX)
B, C = z3.Bool("b", CTX), z3.Bool("c", CTX)

#: arithmetic terms of both sorts: constants, numerals, compound terms
ARITHMETIC = [X, Y, R, X + 1, R * 2, z3.IntVal(3, CTX), z3.RealVal("1/3", CTX), z3.ToReal(X)]
FORMULAS = [B, z3.Not(C), z3.And(B, C), X >= Y, R < 1, z3.BoolVal(True, CTX)]


@pytest.mark.parametrize("term", FORMULAS, ids=str)
def test_negation_is_not(term: z3.BoolRef) -> None:
    assert make.negation(term).eq(z3.Not(term))


@pytest.mark.parametrize("condition", FORMULAS[:4], ids=str)
@pytest.mark.parametrize("then", ARITHMETIC, ids=str)
@pytest.mark.parametrize("otherwise", ARITHMETIC, ids=str)
def test_if_then_else_is_if_even_across_sorts(
    condition: z3.BoolRef, then: z3.ArithRef, otherwise: z3.ArithRef
) -> None:
    made = make.if_then_else(condition, then, otherwise)
    assert made.eq(z3.If(condition, then, otherwise))
    assert type(made) is type(z3.If(condition, then, otherwise))


def test_if_then_else_refuses_what_if_refuses() -> None:
    with pytest.raises(z3.Z3Exception):
        make.if_then_else(B, X, z3.String("s", CTX))  # type: ignore[arg-type]


@pytest.mark.parametrize("a", FORMULAS, ids=str)
@pytest.mark.parametrize("b", FORMULAS, ids=str)
def test_implication_and_equivalence_are_implies_and_eq(a: z3.BoolRef, b: z3.BoolRef) -> None:
    assert make.implication(a, b).eq(z3.Implies(a, b))
    assert make.equivalence(a, b).eq(a == b)
    # a Python bool is cast as `Implies` and `==` cast it
    assert make.implication(a, True).eq(z3.Implies(a, True))  # type: ignore[arg-type]


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
@pytest.mark.parametrize("a", ARITHMETIC, ids=str)
@pytest.mark.parametrize("b", ARITHMETIC, ids=str)
def test_compare_is_the_operator_even_across_sorts(op: str, a: z3.ArithRef, b: z3.ArithRef) -> None:
    made = make.compare(op, a, b)
    assert made.eq(make.COMPARISONS[op](a, b))
    assert type(made) is z3.BoolRef


def test_a_term_made_again_adds_nothing_to_its_context() -> None:
    """The low-level makers build no other term than the operators do: a context holds the
    same terms, with the same ids, whichever made them (z3 numbers terms as it makes them,
    and its answers may depend on those numbers)."""

    def ids(build: object) -> list[int]:
        ctx = z3.Context()
        x, y, b = z3.Int("x", ctx), z3.Real("y", ctx), z3.Bool("b", ctx)
        terms = build(x, y, b)  # type: ignore[operator]
        return [t.get_id() for t in terms] + [z3.Int("fresh", ctx).get_id()]

    def low(x: z3.ArithRef, y: z3.ArithRef, b: z3.BoolRef) -> list[z3.ExprRef]:
        three, half = z3.IntVal(3, x.ctx), z3.RealVal("1/2", x.ctx)
        return [
            make.compare(">=", x, x + 1),
            make.compare("<", y, y * 2),
            make.compare("<=", y, three),  # a numeral right of a variable, of another sort
            make.compare(">", x, half),
            make.compare(">=", x, y),
            make.implication(b, x > 1),
            make.equivalence(b, y < 0),
        ]

    def high(x: z3.ArithRef, y: z3.ArithRef, b: z3.BoolRef) -> list[z3.ExprRef]:
        three, half = z3.IntVal(3, x.ctx), z3.RealVal("1/2", x.ctx)
        return [
            x >= x + 1,
            y < y * 2,
            y <= three,
            x > half,
            x >= y,
            z3.Implies(b, x > 1),
            b == (y < 0),
        ]

    assert ids(low) == ids(high)


def test_constants_are_bool_int_and_real() -> None:
    """The same constants, with the same ids, as z3's `Bool`, `Int` and `Real` make."""

    def made(bool_const: object, int_const: object, real_const: object) -> list[object]:
        ctx = z3.Context()
        terms = [
            maker(name, ctx)  # type: ignore[operator]
            for maker in (bool_const, int_const, real_const)
            for name in ("a", "visit:SCR", "labs[0].c3@SCR", "t!x7")
        ]
        again = bool_const("a", ctx)  # type: ignore[operator]
        return [(str(t), str(t.sort()), t.get_id(), type(t)) for t in [*terms, again]] + [
            z3.Int("fresh", ctx).get_id()
        ]

    assert made(make.bool_const, make.int_const, make.real_const) == made(z3.Bool, z3.Int, z3.Real)


@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_is_index_is_equality_with_the_number(index: int) -> None:
    for term in (X, X + 1, R):
        assert make.is_index(term, index).eq(term == index)


@given(st.fractions())
def test_rational_val_is_q(value: Fraction) -> None:
    made = make.rational_val(value.numerator, value.denominator, CTX)
    assert made.eq(z3.Q(value.numerator, value.denominator, CTX))


@pytest.fixture(scope="module")
def qls4131() -> Spec:
    spec = compile_for_diff(str(QLS4131)).spec
    assert spec is not None
    return spec


def _declared(encoder: Encoder) -> set[str]:
    """The names of the variables the encoder's constraints read."""
    holder = z3.Solver(ctx=encoder.ctx)
    holder.add(*encoder.constraints)
    return {
        name.strip("|")
        for name in re.findall(r"\(declare-fun (\S+|\|[^|]*\|) \(\)", holder.sexpr())
    }


def test_two_encoders_in_one_context_share_the_subject_and_keep_their_helpers_apart(
    qls4131: Spec,
) -> None:
    i5 = next(c for c in qls4131.criteria if c.id == "I5")
    ctx = z3.Context()
    new = Encoder(qls4131, "witness", ctx=ctx)
    new.criterion(i5)
    new.finalize()
    old = Encoder(qls4131, "witness", ctx=ctx, helpers="previous")
    old.criterion(i5)
    old.finalize()
    assert old.ctx is new.ctx is ctx
    new_names, old_names = _declared(new), _declared(old)
    subject = {n for n in new_names if "!" not in n}
    assert "medications[0]:present" in subject
    assert subject == {n for n in old_names if "!" not in n}
    new_helpers = {n for n in new_names if "!" in n}
    old_helpers = {n for n in old_names if "!" in n}
    assert new_helpers and old_helpers and not new_helpers & old_helpers
    assert all("!previous" in n for n in old_helpers)
