"""Invariants of the functions of numbers and of mean/median (`values`), and the
generated module's copy of them computing the same results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generators.checks.module import render_module
from protocol_dsl.evaluate import values as v

_NUMBERS = st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False)
_POSITIVE = st.decimals(min_value=Decimal("0.0001"), max_value=10**6, places=4)


def _module_functions() -> dict[str, Any]:
    """The runtime of the generated module of a spec that uses the functions."""
    from tests.functions.test_differential import _spec
    from tests.sql.test_differential import generated_module

    module = generated_module(_spec())
    return {"math": module._math, "average": module._average}


_MODULE = _module_functions()


@given(x=_NUMBERS, digits=st.integers(min_value=-3, max_value=6))
def test_round_is_half_away_from_zero(x: Decimal, digits: int) -> None:
    rounded = v.math_function("round", x, digits)
    step = Decimal(1).scaleb(-digits)
    assert abs(rounded - x) <= step / 2
    if abs(rounded - x) == step / 2:  # a half: away from zero
        assert abs(rounded) > abs(x)
    assert v.math_function("round", -x, digits) == -rounded


def test_round_halves_as_protocols_say() -> None:
    assert v.math_function("round", Decimal("24.45"), 1) == Decimal("24.5")
    assert v.math_function("round", Decimal("-24.45"), 1) == Decimal("-24.5")
    assert v.math_function("round", Decimal("2.5"), 0) == 3
    assert v.math_function("round", Decimal("245"), -1) == 250


@given(x=_POSITIVE)
def test_sqrt_squares_back_and_ln_inverts_exp(x: Decimal) -> None:
    root = v.math_function("sqrt", x)
    assert abs(root * root - x) <= x * Decimal("1e-25")
    small = x / 10**5  # within exp's domain
    assert abs(v.math_function("ln", v.math_function("exp", small)) - small) <= Decimal("1e-20")


@given(x=_NUMBERS)
def test_floor_and_ceiling_bracket_the_value(x: Decimal) -> None:
    low, high = v.math_function("floor", x), v.math_function("ceiling", x)
    assert low <= x <= high and high - low in (0, 1)
    assert low == low.to_integral_value()


@given(x=_NUMBERS, n=st.integers(min_value=-4, max_value=4))
def test_whole_powers_are_repeated_products(x: Decimal, n: int) -> None:
    result = v.math_function("power", x, n)
    if x == 0 and n < 0:
        assert result is None
        return
    product = Decimal(1)
    for _ in range(abs(n)):
        product *= x
    expected = product if n >= 0 else 1 / product
    if abs(expected) >= v.LARGEST:
        assert result is None
    else:
        assert abs(result - expected) <= abs(expected) * Decimal("1e-26")


def test_outside_the_domain_is_unknown() -> None:
    assert v.math_function("sqrt", Decimal(-1)) is None
    assert v.math_function("ln", Decimal(0)) is None
    assert v.math_function("power", Decimal(-8), Decimal("0.5")) is None
    assert v.math_function("power", Decimal(0), -1) is None
    assert v.math_function("exp", Decimal(42)) is None  # above 10^18
    assert v.math_function("power", Decimal(10), 18) is None
    assert v.math_function("sqrt", None) is None
    assert v.math_function("sqrt", v.Interval(Decimal(1), Decimal(4))) is None


@given(
    name=st.sampled_from(["sqrt", "exp", "ln", "floor", "ceiling"]),
    x=st.one_of(st.none(), _NUMBERS, st.decimals(min_value=-50, max_value=50, places=3)),
)
def test_module_computes_as_the_interpreter(name: str, x: Decimal | None) -> None:
    assert _MODULE["math"](name, x) == v.math_function(name, x)


@given(
    name=st.sampled_from(["power", "round"]),
    x=st.one_of(st.none(), _NUMBERS),
    y=st.one_of(st.none(), st.integers(min_value=-3, max_value=6), _POSITIVE),
)
def test_module_computes_two_argument_functions_as_the_interpreter(
    name: str, x: Decimal | None, y: Any
) -> None:
    if name == "round" and not isinstance(y, int):
        return
    assert _MODULE["math"](name, x, y) == v.math_function(name, x, y)


@given(values=st.lists(_NUMBERS, max_size=7))
def test_mean_and_median(values: list[Decimal]) -> None:
    mean, median = v.mean_of(values), v.median_of(values)
    if not values:
        assert mean is None and median is None
        return
    assert min(values) <= median <= max(values)
    assert min(values) <= mean <= max(values) or abs(mean - min(values)) < Decimal("1e-20")
    below = sum(1 for x in values if x < median)
    above = sum(1 for x in values if x > median)
    assert below <= len(values) // 2 and above <= len(values) // 2
    records = [{"x": x} for x in values]
    for op, expected in (("mean", mean), ("median", median)):
        assert _MODULE["average"](op, records, lambda r: True, lambda r: r["x"]) == expected


def test_a_record_in_doubt_makes_the_average_unknown() -> None:
    average = _MODULE["average"]
    records = [{"x": Decimal(1), "c": True}, {"x": None, "c": True}]
    assert average("mean", records, lambda r: r["c"], lambda r: r["x"]) is None
    records = [{"x": Decimal(1), "c": True}, {"x": Decimal(3), "c": None}]
    assert average("median", records, lambda r: r["c"], lambda r: r["x"]) is None
    records = [{"x": Decimal(1), "c": True}, {"x": None, "c": False}]
    assert average("mean", records, lambda r: r["c"], lambda r: r["x"]) == 1
    assert average("mean", [], lambda r: True, lambda r: r["x"]) is None


def test_module_has_the_functions_only_when_used() -> None:
    from tests.functions.test_differential import _spec
    from tests.sql.test_differential import SPECS

    source = render_module(_spec())
    assert "def _math(" in source and "def _average(" in source
    for spec in SPECS.values():  # the real specs use neither
        source = render_module(spec)
        assert "def _math(" not in source and "def _average(" not in source
        assert "import decimal" not in source
