"""Partial dates: read to the month or year for items declared so, imputed by the
item's rule, else decided over the whole period; the same in every engine.

A comparison that names a partial date without an imputation rule is met when
it holds for every day of the period, not met when for none, else unknown;
elsewhere such a value is unknown.  The differential test draws values on and
around the thresholds (whole dates, months, years, invalid text) for every
comparison form, and checks the interpreter, DuckDB SQL and the generated
module agree.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.evaluate import values as v
from tests.sql.test_differential import three_ways

SPEC = """\
trial PARTIAL {
  title "Partial dates"
}

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1

anchor screening "Screening" = visit SCR

form history "Medical history" at SCR {
  diagnosis date "Date of diagnosis" partial
  first_seen date "First seen" partial impute first
  onset date "Onset" partial impute middle
  flare date "Last flare" partial impute last
  surgery date "Date of surgery"
}

form events "Adverse events" repeating at SCR {
  start date "Start" partial
}

inclusion before "Before" = history.diagnosis < 2020-03-01
inclusion on_or_before "On or before" = history.diagnosis <= 2020-02-29
inclusion after "After" = history.diagnosis > 2019-12-31
inclusion on_or_after "On or after" = 2020-03-01 <= history.diagnosis
inclusion equal "Equal" = history.diagnosis = 2020-02-29
inclusion unequal "Not equal" = history.diagnosis != 2020-03-01
inclusion between "Between" = history.diagnosis between 2020-01-01 and 2020-12-31
inclusion between_periods "Between periods" = 2020-02-15 between history.diagnosis and history.first_seen
inclusion within "Within" = history.diagnosis within 3 months before screening
inclusion within_after "Within after" = history.diagnosis within 1 year after 2019-06-15
inclusion at_least "At least" = history.diagnosis at least 5 years before screening
inclusion two_periods "Two periods" = history.diagnosis < history.first_seen
inclusion against_other "Against another partial" = history.diagnosis <= history.onset
inclusion imputed_first "Imputed first" = history.first_seen >= 2020-02-01
inclusion imputed_middle "Imputed middle" = history.onset = 2020-02-15 or history.onset = 2020-07-01
inclusion imputed_last "Imputed last" = history.flare >= 2020-02-29
inclusion arithmetic "Arithmetic is exact" = history.diagnosis + 4 weeks < 2020-04-01
inclusion age "Years between" = years_between(history.diagnosis, screening) >= 4
inclusion known "Known" = history.diagnosis is known
inclusion whole "Whole date" = history.surgery < 2020-03-01
exclusion recent "Recent event" = any events where start within 8 weeks before screening
exclusion latest "Latest event" = max(events.start) > 2024-12-31
"""

_VALUES = [
    "2019",
    "2020",
    "2020-02",
    "2020-03",
    "2019-12",
    "2020-02-29",
    "2020-03-01",
    "2019-12-31",
    "2024-12",
    "2024-11",
    "2025-01",
    " 2020-02 ",
    "2020-13",
    "2020-00",
    "20",
    "0000",
    "2020-02-30",
    "2020-03-01T10:00:00",
    "",
    None,
]

_SPEC: Any = None


def _spec() -> Any:
    global _SPEC
    if _SPEC is None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "partial.trial"
            path.write_text(SPEC, encoding="utf-8")
            result = compile_spec(str(path))
            assert result.spec is not None
            assert not [d for d in result.diagnostics if d.code.startswith("E0") and d.code < "E04"]
            _SPEC = result.spec
    return _SPEC


def _subject(number: int, history: dict[str, Any], starts: list[Any] | None) -> dict[str, Any]:
    forms: dict[str, Any] = {"history": {"SCR": history}}
    if starts is not None:
        forms["events"] = [{"start": start} for start in starts]
    return {
        "subject_id": f"P{number}",
        "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
        "forms": forms,
    }


_ITEMS = ("diagnosis", "first_seen", "onset", "flare")


@st.composite
def _subjects(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.integers(min_value=1, max_value=6))
    subjects = []
    for number in range(size):
        history = {name: draw(st.sampled_from(_VALUES)) for name in _ITEMS}
        history["surgery"] = draw(st.sampled_from(_VALUES))
        history = {k: value for k, value in history.items() if value is not None}
        starts = draw(st.none() | st.lists(st.sampled_from(_VALUES), max_size=3))
        subjects.append(_subject(number, history, starts))
    return subjects


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(subjects=_subjects())
def test_partial_dates_agree_in_every_engine(subjects: list[dict[str, Any]]) -> None:
    three_ways(_spec(), subjects)


def _status(diagnosis: str, criterion: str) -> str:
    result = evaluate_subject(_spec(), _subject(0, {"diagnosis": diagnosis}, None))
    return result.criteria[criterion].status


@pytest.mark.parametrize(
    ("diagnosis", "criterion", "expected"),
    [
        ("2019", "before", "met"),  # the whole year is before 2020-03-01
        ("2020", "before", "unknown"),  # part of it is
        ("2020-03", "before", "not_met"),  # none of it is
        ("2020-02", "before", "met"),
        ("2020-02", "on_or_before", "met"),  # 2020-02-29 is its last day
        ("2020-02", "equal", "unknown"),
        ("2020-02-29", "equal", "met"),
        ("2019", "equal", "not_met"),
        ("2020", "unequal", "unknown"),
        ("2020-02", "unequal", "met"),
        ("2020", "between", "met"),
        ("2019", "between", "not_met"),
        ("2024-10", "within", "unknown"),  # from 2024-10-06: part of October is within
        ("2024-11", "within", "met"),
        ("2024-07", "within", "not_met"),
        ("2019", "at_least", "met"),
        ("2020", "at_least", "unknown"),
        ("2020-02", "arithmetic", "unknown"),  # arithmetic on a period is unknown
        ("2020-02-01", "arithmetic", "met"),
        ("2020-02", "known", "not_met"),  # known means a whole date
        ("2020-02-01", "known", "met"),
    ],
)
def test_a_period_decides_when_every_day_agrees(
    diagnosis: str, criterion: str, expected: str
) -> None:
    assert _status(diagnosis, criterion) == expected
    three_ways(_spec(), [_subject(0, {"diagnosis": diagnosis}, None)])


def test_imputation_rules() -> None:
    history = {"first_seen": "2020-02", "onset": "2020", "flare": "2020-02"}
    result = evaluate_subject(_spec(), _subject(0, history, None))
    assert result.criteria["imputed_first"].status == "met"  # 2020-02-01
    assert result.criteria["imputed_middle"].status == "met"  # 2020-07-01
    assert result.criteria["imputed_last"].status == "met"  # 2020-02-29
    assert not result.invalid  # an imputed date is not a data error
    first, last = v.parse_partial_date("2020-02") or (None, None)
    assert v.impute_date(first, last, "middle").isoformat() == "2020-02-15"
    first, last = v.parse_partial_date("2021") or (None, None)
    assert v.impute_date(first, last, "middle").isoformat() == "2021-07-01"
    assert v.impute_date(first, last, "last").isoformat() == "2021-12-31"


def test_partial_values_only_for_partial_items() -> None:
    """A date item not declared partial still rejects "2019-06" as an invalid value."""
    subject = _subject(0, {"surgery": "2019-06", "diagnosis": "2019-06"}, None)
    result = evaluate_subject(_spec(), subject)
    assert result.criteria["whole"].status == "unknown"
    problems = [p for p in result.invalid if "surgery" in str(p)]
    assert problems, result.invalid
    assert not [p for p in result.invalid if "diagnosis" in str(p)]
    three_ways(_spec(), [subject])


def test_json_schema_accepts_partial_values_for_partial_items_only() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from generators.schema.schema import json_schema

    schema = json_schema(_spec())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    def valid(history: dict[str, Any]) -> bool:
        return validator.is_valid(_subject(0, history, None))

    for value in ("2019", "2019-06", "2019-06-15"):
        assert valid({"diagnosis": value, "onset": value}), value
    for value in ("2019-13", "19", "2019-6", "June 2019"):
        assert not valid({"diagnosis": value}), value
    assert valid({"surgery": "2019-06-15"})
    assert not valid({"surgery": "2019-06"})  # not declared partial
