"""The generated module names the data still needed as the interpreter does.

Regression tests for differences found comparing the two lists: a form of a
library is named as the spec names it (``sle.sledai_2k_form``, not its table
``sle__sledai_2k_form``), and a log's "any records?" question is needed only
while the log is empty (a log with records is recorded whatever the answer).
"""

from __future__ import annotations

import copy
from typing import Any

from protocol_dsl.evaluate import evaluate_subject
from tests.sql.cases import BASELINES
from tests.sql.test_differential import SPECS, generated_module

NAME = "qls4131_sle_phase1b.trial"


def _baseline() -> dict[str, Any]:
    return copy.deepcopy(BASELINES[NAME])


def test_an_item_of_a_library_form_is_named_as_the_spec_names_it() -> None:
    subject = _baseline()
    for item in ("arthritis", "rash"):  # the SLEDAI score can no longer reach 6
        del subject["forms"]["sle__sledai_2k_form"]["SCR"][item]
    spec = SPECS[NAME]
    interpreted = evaluate_subject(spec, subject)
    generated = generated_module(spec).screen(subject)
    assert "sle.sledai_2k_form.arthritis at SCR" in interpreted.data_needed
    assert generated["needed"] == sorted(interpreted.data_needed)


def test_a_log_question_is_not_needed_once_the_log_has_records() -> None:
    subject = _baseline()
    spec = SPECS[NAME]
    # medications recorded, the question left unanswered, a rule over the log unknown
    assert subject["forms"]["medications"], "the baseline records medications"
    assert "any_medications" not in subject["forms"]["screening_assessments"]["SCR"]
    del subject["forms"]["medications"][0]["daily_dose"]
    interpreted = evaluate_subject(spec, subject)
    generated = generated_module(spec).screen(subject)
    assert interpreted.data_needed == ["medications[0].daily_dose"]
    assert generated["needed"] == ["medications[0].daily_dose"]


def test_a_log_question_is_needed_while_the_log_is_empty() -> None:
    subject = _baseline()
    spec = SPECS[NAME]
    subject["forms"]["medications"] = []
    interpreted = evaluate_subject(spec, subject)
    generated = generated_module(spec).screen(subject)
    expected = {"medications records", "screening_assessments.any_medications at SCR"}
    assert expected <= set(interpreted.data_needed)
    assert expected <= set(generated["needed"])
