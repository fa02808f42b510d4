"""W0419's heuristic: rounded repeating fractions are found, exact decimals never.

The case file (cases/rounded_fractions.trial) shows the finding on tables and
rules; here the heuristic is tested over every decimal of its kind, and the
real specs are checked free of it (their glucocorticoid table states ratios).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.checks.rounded_fractions import DENOMINATORS, rounded_fraction
from protocol_dsl.compiler import compile_spec

SPECS = Path(__file__).resolve().parents[2] / "specs"


@given(
    st.sampled_from([2, 4, 5, 8, 10, 16, 20, 25, 40]),
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=0, max_value=4),
)
def test_an_exact_simple_fraction_is_never_reported(den: int, num: int, extra: int) -> None:
    """Halves, quarters, fifths, eighths …: 0.25, 2.5, 1.25, 0.875, with any trailing zeros."""
    exact = Decimal(num) / Decimal(den)
    places = max(0, -int(exact.as_tuple().exponent)) + extra
    assert rounded_fraction(exact.quantize(Decimal(1).scaleb(-places))) is None


@given(
    st.sampled_from(DENOMINATORS),
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=5, max_value=12),
)
def test_a_rounded_repeating_fraction_is_reported(den: int, num: int, places: int) -> None:
    ratio = Fraction(num, den)
    if ratio.denominator in (1, 2, 4):  # 6/3, 3/6, 3/12 …: exact decimals
        return
    written = (Decimal(num) / Decimal(den)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    assert rounded_fraction(written) == ratio


@pytest.mark.parametrize(
    ("written", "ratio"),
    [
        ("6.67", Fraction(20, 3)),
        ("0.833", Fraction(5, 6)),
        ("0.33", Fraction(1, 3)),
        ("8.33", Fraction(25, 3)),
        ("0.1818", Fraction(2, 11)),
        ("0.556", Fraction(5, 9)),
        ("0.1429", Fraction(1, 7)),
        ("0.0833", Fraction(1, 12)),
        ("-0.67", Fraction(-2, 3)),
    ],
)
def test_the_usual_roundings(written: str, ratio: Fraction) -> None:
    assert rounded_fraction(Decimal(written)) == ratio


@pytest.mark.parametrize(
    "written",
    # exact; one decimal; digits that do not repeat yet; truncated; far from simple
    [
        "0.25",
        "2.5",
        "1.25",
        "0.125",
        "6.7",
        "0.83",
        "0.45",
        "0.18",
        "0.56",
        "17.44",
        "0.143",
        "0.417",
        "6.66",
        "1234.33",
    ],
)
def test_values_meant_as_written(written: str) -> None:
    assert rounded_fraction(Decimal(written)) is None


@pytest.mark.parametrize("spec", sorted(p.name for p in SPECS.glob("*.trial")))
def test_no_false_alarm_on_the_real_specs(spec: str) -> None:
    result = compile_spec(str(SPECS / spec))
    assert [d for d in result.diagnostics if d.code == "W0419"] == []
