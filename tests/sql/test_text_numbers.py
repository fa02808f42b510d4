"""A number where text is expected, in every engine: read as its text, or invalid if it has none.

JSON's reader turns a number too large for a double (`1e400`) into infinity,
and the text it was written as is lost by then.  Such a value is an invalid
value of its subject (unknown, reported by the interpreter), never an
internal error; a finite number is read as the text it prints as.  The
interpreter, the DuckDB SQL and the generated module agree.
"""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.spec import Spec
from tests.sql.test_differential import generated_module

SPEC = """
trial NOTES {
  title "A text item"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form screening "Screening" at SCR {
  note text "Note"
}

inclusion I1 "A note was written" = screening.note is known
exclusion E1 "The note says 100" = screening.note = "100"
"""

_SPEC: list[Spec] = []


def spec() -> Spec:
    if not _SPEC:
        result = compile_spec("notes.trial", SPEC)
        errors = [d.message for d in result.diagnostics if d.severity == "error"]
        assert result.spec is not None and not errors, errors
        _SPEC.append(result.spec)
    return _SPEC[0]


def _record(note: Any) -> dict[str, Any]:
    return {
        "subject_id": "S1",
        "visits": {"SCR": "2025-01-06"},
        "forms": {"screening": {"SCR": {"note": note}}},
    }


def _statuses_everywhere(record: dict[str, Any]) -> dict[str, str]:
    """The criteria's statuses, asserted equal in the three engines."""
    interpreted = evaluate_subject(spec(), record)
    expected = {c: r.status for c, r in interpreted.criteria.items()}
    assert generated_module(spec()).screen(record)["criteria"] == expected
    (from_sql,) = screen_with_duckdb(spec(), [record])
    assert from_sql["criteria"] == expected
    return expected


def test_1e400_in_a_text_item_is_an_invalid_value_not_an_internal_error() -> None:
    record = json.loads(
        '{"subject_id": "S1", "visits": {"SCR": "2025-01-06"},'
        ' "forms": {"screening": {"SCR": {"note": 1e400}}}}'
    )
    assert record["forms"]["screening"]["SCR"]["note"] == math.inf
    interpreted = evaluate_subject(spec(), record)
    assert [p.reason for p in interpreted.invalid] == ["not a finite number"]
    assert _statuses_everywhere(record) == {"I1": "not_met", "E1": "unknown"}


def test_minus_infinity_in_a_text_item_is_invalid_too() -> None:
    assert _statuses_everywhere(_record(-math.inf)) == {"I1": "not_met", "E1": "unknown"}


def test_a_whole_number_in_a_text_item_is_read_as_its_text() -> None:
    assert _statuses_everywhere(_record(100)) == {"I1": "met", "E1": "met"}
    assert _statuses_everywhere(_record(100.0)) == {"I1": "met", "E1": "met"}
    assert _statuses_everywhere(_record(1e20)) == {"I1": "met", "E1": "not_met"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.floats(allow_nan=False),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.booleans(),
        st.text(max_size=8),
    )
)
def test_any_json_scalar_in_a_text_item_gives_one_answer_everywhere(note: Any) -> None:
    statuses = _statuses_everywhere(_record(note))
    assert statuses["I1"] in ("met", "not_met")


def test_a_subject_id_of_1e400_is_its_text_everywhere() -> None:
    record = _record("x")
    record["subject_id"] = json.loads("1e400")
    interpreted = evaluate_subject(spec(), record)
    assert interpreted.subject_id == "inf"
    assert generated_module(spec()).screen(record)["subject_id"] == "inf"
    (from_sql,) = screen_with_duckdb(spec(), [record])
    assert from_sql["subject_id"] == "inf"
