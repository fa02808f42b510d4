"""A fraction's decimal expansion: the digits before the repetition and the period."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.decimals import expansion, period


def test_examples() -> None:
    assert expansion(Fraction(3, 8)) == (3, 1)
    assert expansion(Fraction(1, 12)) == (2, 3)
    assert expansion(Fraction(7)) == (0, 1)
    assert period(3) == 1
    assert period(7) == 6
    assert period(11) == 2


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=500))
def test_expansion_matches_long_division(ratio: Fraction) -> None:
    before, rest = expansion(ratio)
    with localcontext() as context:
        context.prec = 60
        digits = str(abs(Decimal(ratio.numerator) / Decimal(ratio.denominator)))
    if rest == 1:
        # an exact decimal has exactly `before` digits after the point
        written = digits.split(".")[1] if "." in digits else ""
        assert len(written) == before
        assert Fraction(digits) == abs(ratio)
    else:
        # after `before` digits, the decimals repeat with the period
        length = period(rest)
        wanted = before + 3 * length
        # long division, to as many digits as three periods need
        decimals = str(abs(ratio.numerator) * 10**wanted // ratio.denominator % 10**wanted)
        tail = decimals.zfill(wanted)[before:]
        assert tail[:length] * 3 == tail
