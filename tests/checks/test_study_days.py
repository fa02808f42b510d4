"""Study-day arithmetic: there is no day 0, and shifting is plain addition of days."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.checks.study_days import from_ordinal, ordinal, shift

days = st.integers(min_value=-1000, max_value=1000).filter(lambda d: d != 0)
steps = st.integers(min_value=-1000, max_value=1000)


def test_day_1_follows_day_minus_1() -> None:
    assert shift(-1, 1) == 1
    assert shift(1, -1) == -1
    assert shift(1, 28) == 29
    assert shift(-28, 28) == 1


@given(days)
def test_ordinal_round_trips(day: int) -> None:
    assert from_ordinal(ordinal(day)) == day


@given(days, steps)
def test_shift_never_lands_on_day_0(day: int, n: int) -> None:
    assert shift(day, n) != 0


@given(days, steps, steps)
def test_shifts_add_up(day: int, a: int, b: int) -> None:
    assert shift(shift(day, a), b) == shift(day, a + b)


@given(days, steps)
def test_shift_moves_by_exactly_n_days(day: int, n: int) -> None:
    assert ordinal(shift(day, n)) - ordinal(day) == n
