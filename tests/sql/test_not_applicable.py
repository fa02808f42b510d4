"""Items not applicable to a subject: asked `when …`, and the condition does not hold.

Such an item is not data still needed (the evidence says it does not apply),
but a rule that reads it is not decided by it: it stays unknown, in the
interpreter, the SQL and the generated module alike.  A rule meant to pass
for subjects the item does not apply to says so (`sex = female and …`).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.spec import Spec
from tests.sql.test_differential import generated_module

SPEC = """
trial NA {
  title "Items not applicable"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

codelist sex "Sex" {
  female "Female"
  male   "Male"
}

codelist result "Result" {
  positive "Positive"
  negative "Negative"
}

form demographics "Demographics" at SCR {
  sex       choice sex "Sex"
  pregnancy choice result "Pregnancy test" when sex = female
}

exclusion E1 "Pregnancy test positive" = demographics.pregnancy = positive
exclusion E2 "Pregnant woman"
  = demographics.sex = female and demographics.pregnancy = positive
"""


@pytest.fixture(scope="module")
def spec() -> Spec:
    result = compile_spec("na.trial", SPEC)
    assert result.spec is not None
    return result.spec


def _subject(sex: str | None, pregnancy: str | None = None) -> dict[str, Any]:
    values = {k: v for k, v in (("sex", sex), ("pregnancy", pregnancy)) if v is not None}
    return {"subject_id": f"{sex}-{pregnancy}", "forms": {"demographics": {"SCR": values}}}


def test_an_item_not_applicable_is_not_data_needed(spec: Spec) -> None:
    result = evaluate_subject(spec, _subject("male")).criteria["E1"]
    assert result.status == "unknown"
    assert result.missing == []
    assert [e.text for e in result.evidence] == [
        "demographics.pregnancy at SCR: not applicable (asked only when sex = female)"
    ]
    asked = evaluate_subject(spec, _subject("female")).criteria["E1"]
    assert asked.missing == ["demographics.pregnancy at SCR"]
    undecided = evaluate_subject(spec, _subject(None)).criteria["E1"]
    assert undecided.missing == ["demographics.pregnancy at SCR"]


def test_every_engine_gives_rules_over_items_not_applicable_the_same_status(spec: Spec) -> None:
    subjects = [
        _subject("male"),
        _subject("female"),
        _subject("female", "positive"),
        _subject("female", "negative"),
        _subject(None),
    ]
    expected = {
        "male-None": {"E1": "unknown", "E2": "not_met"},
        "female-None": {"E1": "unknown", "E2": "unknown"},
        "female-positive": {"E1": "met", "E2": "met"},
        "female-negative": {"E1": "not_met", "E2": "not_met"},
        "None-None": {"E1": "unknown", "E2": "unknown"},
    }
    module = generated_module(spec)
    by_sql = {r["subject_id"]: r["criteria"] for r in screen_with_duckdb(spec, subjects)}
    for subject in subjects:
        sid = subject["subject_id"]
        interpreted = evaluate_subject(spec, subject)
        assert {c: r.status for c, r in interpreted.criteria.items()} == expected[sid]
        assert module.screen(subject)["criteria"] == expected[sid]
        assert by_sql[sid] == expected[sid]


VALUES = st.sampled_from([None, "female", "male", "positive", "negative", "unknown", 3, ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=6))
def test_every_engine_leaves_items_not_applicable_out_of_the_data_needed(
    spec: Spec, batch: list[tuple[Any, Any]]
) -> None:
    subjects = [
        {
            "subject_id": f"S{number}",
            "forms": {"demographics": {"SCR": {"sex": sex, "pregnancy": pregnancy}}},
        }
        for number, (sex, pregnancy) in enumerate(batch)
    ]
    module = generated_module(spec)
    by_sql = {r["subject_id"]: r["criteria"] for r in screen_with_duckdb(spec, subjects)}
    for subject in subjects:
        interpreted = evaluate_subject(spec, subject)
        generated = module.screen(subject)
        assert generated["criteria"] == by_sql[subject["subject_id"]]
        assert generated["criteria"] == {c: r.status for c, r in interpreted.criteria.items()}
        assert generated["needed"] == sorted(interpreted.data_needed), subject
        sex = subject["forms"]["demographics"]["SCR"]["sex"]
        if sex == "male":  # not applicable: never data needed, whatever the value
            assert "demographics.pregnancy at SCR" not in generated["needed"]


def test_the_module_leaves_an_item_not_applicable_out_of_the_data_needed(spec: Spec) -> None:
    module = generated_module(spec)
    assert module.screen(_subject("male"))["needed"] == []
    assert module.screen(_subject("female"))["needed"] == ["demographics.pregnancy at SCR"]
    assert module.screen(_subject(None))["needed"] == [
        "demographics.pregnancy at SCR",
        "demographics.sex at SCR",
    ]
