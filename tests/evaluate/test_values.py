"""Runtime values: Kleene truth tables, intervals, calendar arithmetic, titers."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol_dsl.evaluate import values as v
from protocol_dsl.evaluate.values import Interval, Truth

T, F, U = True, False, None
TRUTHS = (T, F, U)


# ---------------------------------------------------------------- Kleene logic

# (a, b) -> a and b, a or b, a implies b   (Kleene's strong three-valued logic)
KLEENE = {
    (T, T): (T, T, T),
    (T, F): (F, T, F),
    (T, U): (U, T, U),
    (F, T): (F, T, T),
    (F, F): (F, F, T),
    (F, U): (F, U, T),
    (U, T): (U, T, T),
    (U, F): (F, U, U),
    (U, U): (U, U, U),
}


@pytest.mark.parametrize(("a", "b"), list(KLEENE))
def test_truth_tables(a: bool | None, b: bool | None) -> None:
    conjunction, disjunction, implication = KLEENE[(a, b)]
    assert v.k_and(a, b) is conjunction
    assert v.k_or(a, b) is disjunction
    assert v.k_implies(a, b) is implication


def test_negation_and_the_enum_agree_with_the_functions() -> None:
    assert v.k_not(T) is F and v.k_not(F) is T and v.k_not(U) is U
    for a, b in itertools.product(TRUTHS, repeat=2):
        ta, tb = Truth.of(a), Truth.of(b)
        assert (ta & tb) is Truth.of(v.k_and(a, b))
        assert (ta | tb) is Truth.of(v.k_or(a, b))
        assert ta.implies(tb) is Truth.of(v.k_implies(a, b))
        assert (~ta) is Truth.of(v.k_not(a))


@given(st.sampled_from(TRUTHS), st.sampled_from(TRUTHS))
def test_de_morgan_holds_in_three_valued_logic(a: bool | None, b: bool | None) -> None:
    assert v.k_not(v.k_and(a, b)) is v.k_or(v.k_not(a), v.k_not(b))
    assert v.k_not(v.k_or(a, b)) is v.k_and(v.k_not(a), v.k_not(b))


def test_unknown_never_becomes_false_through_negation() -> None:
    assert v.k_not(v.k_not(U)) is U
    assert Truth.of(None) is Truth.UNKNOWN


# ---------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    ("op", "a", "b", "expected"),
    [
        (">=", Interval(6, 10), 6.0, T),  # holds for the whole interval
        (">=", Interval(4, 10), 8.0, U),  # for some values only
        (">=", Interval(0, 5), 8.0, F),  # for none
        ("<", Interval(0, 5), 6.0, T),
        ("<", Interval(0, 6), 6.0, U),
        ("<=", Interval(0, 6), 6.0, T),
        (">", Interval(0, 56), 0.0, U),
        ("=", Interval(2, 4), 3.0, U),
        ("=", Interval(2, 4), 5.0, F),
        ("!=", Interval(2, 4), 5.0, T),
        (">=", 7.0, Interval(2, 6), T),
        (">=", 7.0, Interval(2, 8), U),
        (">=", None, 1.0, U),
        ("=", 3.0, None, U),
    ],
)
def test_comparisons_with_intervals(op: str, a: object, b: object, expected: object) -> None:
    assert v.compare(op, a, b) is expected


@given(
    st.integers(-50, 50),
    st.integers(0, 30),
    st.integers(-50, 50),
    st.sampled_from(["<", "<=", ">", ">=", "=", "!="]),
)
def test_an_interval_comparison_decides_only_what_every_value_decides(
    lo: int, width: int, threshold: int, op: str
) -> None:
    value = v.interval(float(lo), float(lo + width))
    result = v.compare(op, value, float(threshold))
    outcomes = {v.compare(op, float(x), float(threshold)) for x in range(lo, lo + width + 1)}
    if result is None:
        assert outcomes == {True, False}
    else:
        assert outcomes == {result}


def test_interval_arithmetic() -> None:
    assert v.arithmetic("+", Interval(1, 2), 3.0) == Interval(4, 5)
    assert v.arithmetic("-", 10.0, Interval(1, 3)) == Interval(7, 9)
    assert v.arithmetic("-", Interval(6, 10), Interval(2, 4)) == Interval(2, 8)
    assert v.arithmetic("*", Interval(-1, 2), 3.0) == Interval(-3, 6)
    assert v.arithmetic("/", Interval(2, 4), 2.0) == Interval(1, 2)
    assert v.arithmetic("/", 1.0, Interval(-1, 1)) is None  # may divide by zero
    assert v.arithmetic("+", None, 1.0) is None
    assert v.arithmetic("/", 1.0, 0.0) is None
    assert v.interval(3.0, 3.0) == 3.0 and isinstance(v.interval(3.0, 3.0), float)
    assert v.negate(Interval(1, 2)) == Interval(-2, -1)


def test_is_known_is_two_valued() -> None:
    assert v.is_known(0.0) and v.is_known(False) and v.is_known("x")
    assert not v.is_known(None)
    assert not v.is_known(Interval(0, 1))


# ---------------------------------------------------------------- dates and durations


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),  # clamped to the month's end
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 3, 31), -1, dt.date(2025, 2, 28)),
        (dt.date(2025, 5, 15), -3, dt.date(2025, 2, 15)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 12, 10), 1, dt.date(2026, 1, 10)),
    ],
)
def test_calendar_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert v.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(1980, 5, 1), dt.date(2025, 4, 30), 44),
        (dt.date(1980, 5, 1), dt.date(2025, 5, 1), 45),  # the birthday completes the year
        (dt.date(2000, 2, 29), dt.date(2025, 2, 28), 25),  # a + 25 years clamps to Feb 28
        (dt.date(2000, 2, 29), dt.date(2024, 2, 28), 23),
        (dt.date(2000, 2, 29), dt.date(2024, 2, 29), 24),
        (dt.date(2025, 1, 1), dt.date(2024, 1, 1), -1),
    ],
)
def test_completed_years(born: dt.date, on: dt.date, age: int) -> None:
    assert v.years_between(born, on) == age


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), st.integers(0, 400))
def test_months_between_is_the_largest_n_with_a_plus_n_months_not_after_b(
    a: dt.date, days: int
) -> None:
    b = a + dt.timedelta(days=days)
    n = v.months_between(a, b)
    assert v.add_months(a, n) <= b
    assert v.add_months(a, n + 1) > b


@given(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
)
def test_completed_years_are_completed_calendar_months_over_twelve(a: dt.date, b: dt.date) -> None:
    years = v.years_between(a, b)
    if b >= a:
        assert years == v.months_between(a, b) // 12
        assert v.add_years(a, years) <= b < v.add_years(a, years + 1)
    else:
        assert years == -v.years_between(b, a)


def test_days_between_and_study_days() -> None:
    assert v.days_between(dt.date(2025, 1, 1), dt.date(2025, 1, 29)) == 28
    day1 = dt.date(2025, 1, 20)
    assert v.study_day(day1, day1) == 1
    assert v.study_day(dt.date(2025, 1, 19), day1) == -1  # there is no day 0
    assert v.study_day(dt.date(2025, 2, 3), day1) == 15
    for day in (-28, -1, 1, 2, 169):
        assert v.study_day(v.date_of_study_day(day, day1), day1) == day


def test_windows_are_inclusive() -> None:
    anchor = dt.date(2025, 1, 20)
    four_weeks = v.Duration(4, "wk")
    assert v.at_least(dt.date(2024, 12, 23), four_weeks, "before", anchor) is True  # 28 days
    assert v.at_least(dt.date(2024, 12, 24), four_weeks, "before", anchor) is False  # 27 days
    twelve_weeks = v.Duration(12, "wk")
    assert v.within(anchor - dt.timedelta(days=84), twelve_weeks, "before", anchor) is True
    assert v.within(anchor - dt.timedelta(days=85), twelve_weeks, "before", anchor) is False
    assert v.within(anchor, twelve_weeks, "before", anchor) is True
    assert v.within(anchor + dt.timedelta(days=1), twelve_weeks, "before", anchor) is False
    assert v.within(anchor, twelve_weeks, "after", anchor) is True
    assert v.at_least(anchor, v.Duration(1, "d"), "after", anchor) is False
    assert v.within(None, twelve_weeks, "before", anchor) is None
    assert v.at_least(anchor, four_weeks, "before", None) is None


def test_durations_in_months_and_years_are_calendar_arithmetic() -> None:
    assert v.Duration(3, "mo").shift(dt.date(2025, 5, 31), -1) == dt.date(2025, 2, 28)
    assert v.Duration(5, "a").shift(dt.date(2025, 1, 6), -1) == dt.date(2020, 1, 6)
    assert v.Duration(2, "wk").shift(dt.date(2025, 1, 6), 1) == dt.date(2025, 1, 20)
    assert v.duration_unit("weeks") == "wk"
    assert v.duration_unit("months") == "mo"
    assert v.duration_unit("mg") is None


# ---------------------------------------------------------------- titers and text


@pytest.mark.parametrize(
    ("text", "denominator"),
    [("1:160", 160), (" 1 : 80 ", 80), (320, 320), ("640", 640), (80.0, 80)],
)
def test_titers_are_their_denominator(text: object, denominator: int) -> None:
    assert v.parse_titer(text) == denominator


@pytest.mark.parametrize("text", ["2:160", "1:0", "abc", True, -40, 0, "1:"])
def test_not_titers(text: object) -> None:
    assert v.parse_titer(text) is None


def test_titers_are_ordinal() -> None:
    assert v.compare(">=", v.parse_titer("1:160"), v.parse_titer("1:80")) is True
    assert v.compare(">=", v.parse_titer("1:40"), v.parse_titer("1:80")) is False


def test_plain_json_and_words() -> None:
    assert v.to_json(20.0) == 20
    assert v.to_json(Interval(6, 10)) == [6, 10]
    assert v.to_json(dt.date(2025, 1, 6)) == "2025-01-06"
    assert v.to_json(Truth.MET) == "met"
    assert v.describe(0.8, "g/L") == "0.8 g/L"
    assert v.describe(Interval(4, 105)) == "between 4 and 105"
    assert v.describe(True) == "yes"
    assert v.parse_date("2025-02-30") is None
    assert v.parse_date("2025-02-28") == dt.date(2025, 2, 28)
