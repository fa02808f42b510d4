"""Exact decimals, durations in any unit and date-times, the same in every engine.

Regression tests for: a sum of exactly 40 mg/d computed as 40.00000000000001
(failing "<= 40"); `2 - 1.1 = 0.9` false; an item recorded in wk, mo or h
compared with a duration by its raw number; the time part of a date-time
ignored by DuckDB and the generated module (and `datetime - 5 minutes` moved
by a whole day); the largest 64-bit integer ending in an internal
OverflowError.  Each case is screened by the interpreter, the generated
module and DuckDB SQL, which must agree with the expected status.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.checks.module import render_module
from generators.sql.run import screen_with_duckdb
from protocol_dsl.evaluate import Quantity, evaluate_expr, evaluate_subject
from protocol_dsl.evaluate import values as v
from protocol_dsl.spec import Spec
from tests.evaluate.conftest import compiled

SPEC = """\
trial EXACT {
  title "Exact arithmetic and time"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form history "History" at SCR {
  washout quantity wk "Washout"
  stable  quantity mo "Stable for"
  fasting quantity h "Fasting"
  a       number "A"
  b       number "B"
  count   integer "A count"
  seen    datetime "Seen"
  sampled datetime "Sampled"
  day1    date "Day 1"
}

form doses "Doses" repeating at SCR {
  dose quantity mg/d "Dose"
}

inclusion I1 "Washout" = history.washout >= 12 weeks
inclusion I2 "Stable" = history.stable >= 6 months
inclusion I3 "Total dose" = sum(doses.dose) <= 40 mg/d
inclusion I4 "Difference" = history.a - history.b = 0.9
inclusion I5 "Fasting" = history.fasting >= 480 minutes
inclusion I6 "Seen before sampled" = history.seen <= history.sampled
inclusion I7 "Sampled 5 minutes late" = history.sampled - 5 minutes >= history.seen
inclusion I8 "Date plus hours" = history.day1 + 5 hours = history.day1
inclusion I9 "Seen on day 1" = history.seen >= history.day1
inclusion I10 "A count" = history.count >= 0
inclusion I11 "Nested shift" = history.seen + 1 days + 5 hours <= history.sampled
inclusion I12 "Exact window" = history.sampled within 2 hours after history.seen
inclusion I13 "Window on a date" = history.seen within 1 days before history.day1
inclusion I14 "Days apart" = history.sampled - history.seen >= 1 days
"""


@cache
def spec() -> Spec:
    return compiled("exact.trial", SPEC)


@cache
def module() -> ModuleType:
    generated = ModuleType("exact_screening")
    exec(compile(render_module(spec()), "exact_screening.py", "exec"), generated.__dict__)
    return generated


def subject(**history: Any) -> dict[str, Any]:
    doses = history.pop("doses", [])
    return {
        "subject_id": "S1",
        "visits": {"SCR": "2025-01-06"},
        "forms": {"history": {"SCR": history}, "doses": [{"dose": d} for d in doses]},
    }


def statuses(record: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per engine, the status of every criterion; the three must agree."""
    (row,) = screen_with_duckdb(spec(), [record])
    interpreted = evaluate_subject(spec(), record)
    engines = {
        "interpreter": {cid: c.status for cid, c in interpreted.criteria.items()},
        "module": module().screen(record)["criteria"],
        "duckdb": row["criteria"],
    }
    assert engines["module"] == engines["interpreter"] == engines["duckdb"], engines
    return engines


def status(criterion: str, **history: Any) -> str:
    return statuses(subject(**history))["interpreter"][criterion]


@pytest.mark.parametrize(
    ("doses", "expected"),
    [([20.1, 19.9], "met"), ([0.1, 0.2, 39.7], "met"), ([20, 20], "met"), ([20.1, 20], "not_met")],
)
def test_a_sum_of_exactly_40_is_at_most_40(doses: list[float], expected: str) -> None:
    assert status("I3", doses=doses) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"), [(2, 1.1, "met"), ("2", "1.1", "met"), (2, 1.2, "not_met")]
)
def test_two_minus_one_point_one_is_zero_point_nine(a: Any, b: Any, expected: str) -> None:
    assert status("I4", a=a, b=b) == expected


@pytest.mark.parametrize(
    ("criterion", "item", "value", "expected"),
    [
        ("I1", "washout", 13, "met"),  # 13 wk >= 12 weeks
        ("I1", "washout", 12, "met"),
        ("I1", "washout", 11, "not_met"),
        ("I1", "washout", {"value": 84, "unit": "d"}, "met"),
        ("I2", "stable", 12, "met"),  # 12 mo >= 6 months
        ("I2", "stable", 200, "met"),
        ("I2", "stable", 5, "not_met"),
        ("I2", "stable", {"value": 1, "unit": "a"}, "met"),
        ("I5", "fasting", 8, "met"),  # 8 h >= 480 minutes
        ("I5", "fasting", 7.5, "not_met"),
    ],
)
def test_an_item_in_any_time_unit_is_compared_with_a_duration_in_one_base_unit(
    criterion: str, item: str, value: Any, expected: str
) -> None:
    assert status(criterion, **{item: value}) == expected


@pytest.mark.parametrize(
    ("seen", "sampled", "on_time", "late"),
    [
        ("2025-01-06T10:00:00", "2025-01-06T10:06:00", "met", "met"),
        ("2025-01-06T10:00:00", "2025-01-06T10:04:00", "met", "not_met"),
        ("2025-01-06T10:00:00", "2025-01-06T09:59:00", "not_met", "not_met"),
        ("2025-01-06T23:58:00", "2025-01-07T00:03:00", "met", "met"),
    ],
)
def test_date_times_keep_their_time_part_in_every_engine(
    seen: str, sampled: str, on_time: str, late: str
) -> None:
    result = statuses(subject(seen=seen, sampled=sampled))["interpreter"]
    assert (result["I6"], result["I7"]) == (on_time, late)


@pytest.mark.parametrize(
    ("sampled", "expected"), [("2025-01-07T15:00:00", "met"), ("2025-01-07T14:59:00", "not_met")]
)
def test_a_date_time_moved_twice_keeps_its_time(sampled: str, expected: str) -> None:
    assert status("I11", seen="2025-01-06T10:00:00", sampled=sampled) == expected


@pytest.mark.parametrize(
    ("seen", "sampled", "exact", "on_a_date", "apart"),
    [
        ("2025-01-06T09:00:00", "2025-01-06T10:00:00", "met", "met", "not_met"),
        ("2025-01-06T07:00:00", "2025-01-06T10:00:00", "not_met", "met", "not_met"),
        ("2025-01-05T23:30:00", "2025-01-06T00:30:00", "met", "met", "met"),
        ("2025-01-04T23:30:00", "2025-01-05T00:30:00", "met", "not_met", "met"),
    ],
)
def test_time_windows_between_date_times_are_exact_and_with_a_date_compare_days(
    seen: str, sampled: str, exact: str, on_a_date: str, apart: str
) -> None:
    record = subject(seen=seen, sampled=sampled, day1="2025-01-06")
    result = statuses(record)["interpreter"]
    assert (result["I12"], result["I13"], result["I14"]) == (exact, on_a_date, apart)


@pytest.mark.parametrize(
    ("seen", "expected"), [("2025-01-06T00:00:00", "met"), ("2025-01-05T23:59:00", "not_met")]
)
def test_a_date_compared_with_a_date_time_is_that_days_start(seen: str, expected: str) -> None:
    assert status("I9", seen=seen, day1="2025-01-06") == expected


def test_a_date_plus_hours_is_the_same_date() -> None:
    assert status("I8", day1="2025-01-06") == "met"
    assert evaluate_expr(spec(), "2005-05-10 + 25 hours", subject()).value == dt.date(2005, 5, 11)
    assert evaluate_expr(spec(), "2005-05-10 - 5 minutes", subject()).value == dt.date(2005, 5, 10)


@pytest.mark.parametrize("huge", [2**63 - 1, 2**63, 10**18, "9223372036854775807", 1e300])
def test_a_number_beyond_the_engines_range_is_a_data_problem_not_an_overflow(huge: Any) -> None:
    record = subject(count=huge)
    result = statuses(record)["interpreter"]
    assert result["I10"] == "unknown"
    problems = evaluate_subject(spec(), record).invalid
    assert any("out of range" in p.reason for p in problems), problems


def test_the_largest_number_held_is_held_exactly() -> None:
    assert status("I10", count=10**18 - 1) == "met"


def test_results_report_the_exact_value() -> None:
    record = subject(doses=[20.1, 19.9], a=2, b=1.1)
    assert evaluate_expr(spec(), "sum(doses.dose)", record).value == Quantity(40, "mg/d")
    assert evaluate_expr(spec(), "history.a - history.b", record).value == 0.9


# ---------------------------------------------------------------- invariants of the arithmetic

decimals = st.decimals(
    min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=6, allow_nan=False
)


@settings(max_examples=200)
@given(decimals, decimals)
def test_sums_and_differences_are_exact(a: Decimal, b: Decimal) -> None:
    assert v.arithmetic("-", v.arithmetic("+", a, b), b) == a
    assert v.arithmetic("+", a, b) == a + b


@settings(max_examples=200)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6).map(lambda x: round(x, 3)), max_size=8))
def test_data_read_as_the_decimal_it_is_written_as(values: list[float]) -> None:
    exact = [v.exact(x) for x in values]
    assert [str(x) for x in exact] == [repr(x) for x in values]
    total = sum(exact, v.ZERO)
    assert total == sum((Decimal(repr(x)) for x in values), Decimal(0))


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["s", "min", "h", "d", "wk"]))
def test_a_duration_in_any_unit_equals_its_seconds(amount: int, unit: str) -> None:
    span = v.Duration(Decimal(amount), unit)
    assert span.seconds() == v.Duration(span.seconds(), "s").seconds()
    assert v.compare("=", v.in_seconds(span, 1), v.in_seconds(Decimal(amount), v.seconds_per(unit)))
