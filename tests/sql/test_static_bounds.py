"""Static bounds of plan nodes: sound (every value the node can take is inside them)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from protocol_dsl.plan import nodes as n
from protocol_dsl.plan.bounds import UNBOUNDED, StaticBounds, bounds_arith
from protocol_dsl.plan.dictionary import Dictionary

_FINITE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def _interval_and_point(draw: st.DrawFn) -> tuple[tuple[float, float], float]:
    low, high = sorted((draw(_FINITE), draw(_FINITE)))
    point = draw(st.floats(min_value=low, max_value=high, allow_nan=False))
    return (low, high), point


@given(_interval_and_point(), _interval_and_point(), st.sampled_from("+-*/"))
def test_interval_arithmetic_contains_every_result(
    a: tuple[tuple[float, float], float], b: tuple[tuple[float, float], float], op: str
) -> None:
    (a_bounds, x), (b_bounds, y) = a, b
    assume(op != "/" or y != 0)
    low, high = bounds_arith(op, a_bounds, b_bounds)
    value = {"+": x + y, "-": x - y, "*": x * y}[op] if op != "/" else x / y
    tolerance = 1e-9 * max(1.0, abs(value))
    assert low - tolerance <= value <= high + tolerance


def test_a_divisor_range_across_zero_is_unbounded() -> None:
    assert bounds_arith("/", (1.0, 2.0), (-1.0, 1.0)) == UNBOUNDED


@given(st.fractions(min_value=-1000, max_value=1000), st.fractions(min_value=-1000, max_value=1000))
def test_bounds_of_constants_branches_and_signs(a: Fraction, b: Fraction) -> None:
    bounds = StaticBounds(Dictionary(()))
    branch = n.If(n.TRUE, n.Const("number", a), n.Const("number", b), "number")
    assert bounds.visit(branch) == (float(min(a, b)), float(max(a, b)))
    negated = n.Negate(n.Const("number", a), "number")
    assert bounds.visit(negated) == (-float(a), -float(a))
    assert bounds.visit(n.Abs(negated, "number")) == (0.0, abs(float(a)))


def test_conditions_and_intervals_have_no_static_bounds() -> None:
    bounds = StaticBounds(Dictionary(()))
    assert bounds.visit(n.Not(n.TRUE)) == UNBOUNDED
    assert bounds.visit(n.Const("number", None)) == UNBOUNDED
    assert bounds.visit(n.Bounds(0.0, 1.0)) == UNBOUNDED
