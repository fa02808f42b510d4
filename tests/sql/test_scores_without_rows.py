"""A score for a subject with no row of its form at the visit read.

The query reads each form's rows at the visits the criteria read only, so a
subject with the form at another visit, or without the form at all, has no
row in its pivot.  A score of unknown items still has bounds (here 0 .. 3):
a rule those bounds decide must be decided for that subject too, as the
interpreter decides it, and the other rules stay unknown.
"""

from __future__ import annotations

from typing import Any

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.spec import Spec

SPEC = """
trial SCORES {
  title "A score read at one visit"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

form activity "Disease activity" at SCR, D1 {
  rash      yes_no "Rash"
  arthritis yes_no "Arthritis"
}

form screening "Screening" at SCR {
  consent yes_no "Consent given"
}

score activity_index "Activity index" {
  form activity
  range 0 .. 3
  domain skin "Skin" clinical {
    rash 1 "Rash"
  }
  domain joints "Joints" clinical {
    arthritis 2 "Arthritis"
  }
}

inclusion I1 "Consent" = screening.consent at SCR = yes
inclusion I2 "Index of 3 or less" = activity_index at SCR <= 3
inclusion I3 "Some activity" = activity_index at SCR >= 1
exclusion E1 "Index above 3" = activity_index at SCR > 3
"""


def spec() -> Spec:
    result = compile_spec("scores.trial", SPEC)
    assert result.spec is not None
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return result.spec


def _subject(number: int, **forms: Any) -> dict[str, Any]:
    return {
        "subject_id": f"S{number}",
        "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
        "forms": {"screening": {"SCR": {"consent": "yes"}}, **forms},
    }


SUBJECTS = [
    _subject(1, activity={"SCR": {"rash": "yes", "arthritis": "no"}}),
    _subject(2, activity={"SCR": {"rash": "no"}}),
    _subject(3, activity={"D1": {"rash": "yes", "arthritis": "yes"}}),  # not at SCR
    _subject(4),  # the form not at all
]


def test_duckdb_decides_what_the_bounds_of_unknown_items_decide() -> None:
    trial = spec()
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(trial, SUBJECTS)}
    for record in SUBJECTS:
        interpreted = evaluate_subject(trial, record)
        expected = {c: r.status for c, r in interpreted.criteria.items()}
        assert by_sql[record["subject_id"]]["criteria"] == expected, record
        assert by_sql[record["subject_id"]]["status"] == interpreted.status, record
    for subject in ("S3", "S4"):  # the index is 0 .. 3: at most 3, never above, maybe none
        criteria = by_sql[subject]["criteria"]
        assert (criteria["I2"], criteria["E1"], criteria["I3"]) == ("met", "not_met", "unknown")
