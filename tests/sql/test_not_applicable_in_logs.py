"""Items of a log asked `when …`: not applicable record by record.

Each record of a repeating form is asked on its own, as a CRF row is: a
dose asked `when ongoing = yes` is not applicable to a record whose
medication is not ongoing.  For that record the dose is not data still
needed (the evidence says it does not apply), and a rule reading it is not
decided by it: the record's dose has no value.  The interpreter, the SQL and
the generated module agree on every status; the interpreter and the module
(the engines that list data) on every list of data still needed.
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
trial LOGNA {
  title "Items of a log not applicable"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

form screening "Screening" at SCR {
  any_meds yes_no "Any medications?"
}

form meds "Medications" repeating at SCR none_recorded_by screening.any_meds {
  drug    text "Drug"
  ongoing yes_no "Ongoing"
  dose    quantity mg/d "Daily dose" range 0 .. 5000 when ongoing = yes
}

exclusion E1 "A high ongoing dose" = any meds where dose > 100 mg/d
inclusion I1 "Every dose low" = all meds satisfy dose < 50 mg/d
exclusion E2 "An ongoing high dose, said so"
  = any meds where ongoing = yes and dose > 100 mg/d
"""


@pytest.fixture(scope="module")
def spec() -> Spec:
    result = compile_spec("logna.trial", SPEC)
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    assert result.spec is not None and not errors, errors
    return result.spec


def _subject(*records: dict[str, Any], sid: str = "S") -> dict[str, Any]:
    return {
        "subject_id": sid,
        "visits": {"SCR": "2025-01-06"},
        "forms": {"screening": {"SCR": {"any_meds": "yes"}}, "meds": list(records)},
    }


def test_a_dose_not_asked_of_a_record_is_not_data_needed(spec: Spec) -> None:
    result = evaluate_subject(spec, _subject({"drug": "a", "ongoing": "no"}))
    e1 = result.criteria["E1"]
    assert e1.status == "unknown"  # the record's dose has no value: not decided by it
    assert e1.missing == []
    assert [e.text for e in e1.evidence] == [
        "record meds[0] might match: drug a, ongoing no",
        "meds[0].dose: not applicable (asked only when ongoing = yes)",
    ]
    assert result.criteria["E2"].status == "not_met"
    assert result.data_needed == []


def test_a_dose_asked_of_a_record_is_data_needed(spec: Spec) -> None:
    asked = evaluate_subject(spec, _subject({"drug": "a", "ongoing": "yes"}))
    assert asked.criteria["E1"].missing == ["meds[0].dose"]
    undecided = evaluate_subject(spec, _subject({"drug": "a"}))
    assert undecided.criteria["E1"].missing == ["meds[0].dose"]


def test_each_record_is_asked_on_its_own(spec: Spec) -> None:
    subject = _subject(
        {"drug": "a", "ongoing": "no"},
        {"drug": "b", "ongoing": "yes"},
        {"drug": "c", "ongoing": "yes", "dose": 20},
        {"drug": "d", "ongoing": "no", "dose": 30},
    )
    result = evaluate_subject(spec, subject)
    assert result.data_needed == ["meds[1].dose"]
    assert generated_module(spec).screen(subject)["needed"] == ["meds[1].dose"]


RECORDS = st.lists(
    st.fixed_dictionaries(
        {"drug": st.just("x")},
        optional={
            "ongoing": st.sampled_from(["yes", "no", "maybe", ""]),
            "dose": st.one_of(
                st.sampled_from([0, 20, 49.5, 50, 100, 100.5, 400, -1, "high"]),
                st.builds(
                    lambda v, u: {"value": v, "unit": u},
                    st.sampled_from([0.02, 0.1, 0.2, 60]),
                    st.sampled_from(["g/d", "ug/d", "mg/(12.h)", "kg", "mg/dL", "mcg/d"]),
                ),
            ),
        },
    ),
    max_size=4,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(RECORDS, min_size=1, max_size=5))
def test_every_engine_reads_items_not_applicable_per_record_alike(
    spec: Spec, batch: list[list[dict[str, Any]]]
) -> None:
    subjects = [_subject(*records, sid=f"S{n}") for n, records in enumerate(batch)]
    module = generated_module(spec)
    by_sql = {r["subject_id"]: r for r in screen_with_duckdb(spec, subjects)}
    for subject in subjects:
        interpreted = evaluate_subject(spec, subject)
        generated = module.screen(subject)
        expected = {c: r.status for c, r in interpreted.criteria.items()}
        assert generated["criteria"] == expected, subject
        assert by_sql[subject["subject_id"]]["criteria"] == expected, subject
        assert generated["status"] == interpreted.status
        # the module lists every missing value an unknown rule reads; the interpreter leaves
        # out those under a part already decided (`ongoing = yes and …` for a record not
        # ongoing), so its list is part of the module's
        assert set(interpreted.data_needed) <= set(generated["needed"]), subject
        for index, record in enumerate(subject["forms"]["meds"]):
            if record.get("ongoing") == "no":
                assert f"meds[{index}].dose" not in generated["needed"]
                assert f"meds[{index}].dose" not in interpreted.data_needed
