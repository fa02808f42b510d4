"""Calendar arithmetic of the solver: exact functions, and the bounds the encoder relies on."""

from __future__ import annotations

import datetime as dt
import functools
from fractions import Fraction

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import values
from protocol_dsl.solver import calendar
from protocol_dsl.solver.encode import Encoder
from protocol_dsl.solver.terms import Num
from protocol_dsl.spec import Spec
from tests.solver.support import CASES

dates = st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(2300, 12, 31))
month_counts = st.integers(min_value=-2400, max_value=2400)


@given(dates, month_counts)
def test_n_months_last_n_mean_months_within_the_slack(start: dt.date, months: int) -> None:
    day = calendar.day_number(start)
    length = calendar.shift_days(day, Fraction(months)) - day
    assert abs(length - months * calendar.MEAN_MONTH) <= calendar.MONTH_SLACK


@given(dates, dates)
def test_completed_years_and_months_agree_with_the_interpreter(a: dt.date, b: dt.date) -> None:
    first, second = calendar.day_number(a), calendar.day_number(b)
    assert calendar.completed(first, second, 12) == values.years_between(a, b)
    assert calendar.completed(first, second, 1) == values.months_between(a, b)


@given(dates, st.integers(min_value=0, max_value=120))
def test_first_dates_for_an_age_are_exactly_the_birth_dates_of_that_age(
    screening: dt.date, age: int
) -> None:
    day = calendar.day_number(screening)
    low, high = calendar.first_dates_for(day, age, 12)  # type: ignore[misc]
    assert calendar.completed(low, day, 12) == age
    assert calendar.completed(high, day, 12) == age
    assert calendar.completed(low - 1, day, 12) == age + 1
    assert calendar.completed(high + 1, day, 12) == age - 1


@functools.cache
def _spec() -> Spec:
    spec = compile_spec(str(CASES / "clean_mixed.trial")).spec
    assert spec is not None
    return spec


def _encoder() -> Encoder:
    return Encoder(_spec(), "check")


@settings(max_examples=150, deadline=None)
@given(dates, dates, st.sampled_from([1, 12]))
def test_the_bounded_encoding_of_completed_units_admits_the_true_count(
    a: dt.date, b: dt.date, unit: int
) -> None:
    encoder = _encoder()
    first, second = z3.Int("a", encoder.ctx), z3.Int("b", encoder.ctx)
    count = encoder._completed(first, second, unit)
    solver = z3.Solver(ctx=encoder.ctx)
    solver.add(encoder.constraints)
    exact = calendar.completed(calendar.day_number(a), calendar.day_number(b), unit)
    solver.add(first == calendar.day_number(a), second == calendar.day_number(b), count == exact)
    assert solver.check() == z3.sat


@settings(max_examples=150, deadline=None)
@given(dates, month_counts)
def test_the_bounded_encoding_of_a_month_shift_admits_the_true_date(
    start: dt.date, months: int
) -> None:
    encoder = _encoder()
    date = z3.Int("d", encoder.ctx)
    shifted = encoder._shift_months(Num(date, kind="date"), Fraction(months))
    solver = z3.Solver(ctx=encoder.ctx)
    solver.add(encoder.constraints)
    day = calendar.day_number(start)
    solver.add(date == day, shifted.lo == calendar.shift_days(day, Fraction(months)))
    assert solver.check() == z3.sat
