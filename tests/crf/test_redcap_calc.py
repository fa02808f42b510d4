"""REDCap calc fields of scores give what the interpreter gives, on witness subjects.

The formulas are evaluated with `tests.crf.redcap_calc`, an evaluator of the
REDCap calculation syntax the back end writes, over each witness subject's
answers as REDCap stores them (yes = '1', no = '0', blank = ''), and also with
the answers thinned out (every other descriptor blank) and all blank.  Where
the interpreter knows the score, the calc shows the same number; where the
score is unknown (an interval, a descriptor unanswered), the calc is blank.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.crf import redcap
from protocol_dsl.evaluate.interpreter import compile_spec_rules
from protocol_dsl.evaluate.subject import Subject
from tests.crf.redcap_calc import evaluate
from tests.crf.support import load_spec

pytest.importorskip("z3", reason="witness subjects need the solver")


def _answers(record: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    out = {}
    for item, value in record.items():
        if item in names:
            out[names[item]] = "1" if value is True else "0" if value is False else str(value)
    return out


def test_evaluator_follows_redcap_blank_rules() -> None:
    assert evaluate("sum([a], [b])", {"a": "2", "b": ""}) == Decimal(2)  # blank counts as 0
    assert evaluate("[a] + [b]", {"a": "2", "b": ""}) == ""  # arithmetic with a blank: blank
    assert evaluate("if([a] = '1', 8, 0)", {"a": ""}) == Decimal(0)
    assert evaluate("if(isblankormissingcode([a]), '', 3)", {"a": ""}) == ""
    assert evaluate("max(if([a] = '1', 4, 0), if([b] = '1', 2, 0))", {"a": "0", "b": "1"}) == 2


def test_score_calcs_agree_with_the_interpreter() -> None:
    from protocol_dsl.solver.witness import build_witnesses

    spec = load_spec("qls4131_sle_phase1b")
    project = redcap.Project(spec)
    calcs = [(form, calc) for form, found in project.scores.items() for calc in found]
    assert {c.score for _f, c in calcs} == {"sle.sledai_2k", "sle.clinical_sledai_2k"}
    rules = compile_spec_rules(spec)
    records = [w for w in build_witnesses(spec) if w["witness"]["kind"] != "unavailable"]
    outcomes = {"known": 0, "blank": 0}
    for form_name, calc in calcs:
        form = next(f for f in project.forms if f.storage_name == form_name)
        names = {f.name: project.names[(form_name, f.name)] for f in form.fields}
        for record in records:
            subject: Subject = rules.normalise(record)
            for visit in form.visits:
                answers = subject.values.get((form_name, visit))
                if answers is None:
                    continue
                thinned = {k: v for i, (k, v) in enumerate(answers.items()) if i % 2}
                for variant in (answers, thinned, {}):
                    subject.values[(form_name, visit)] = variant
                    value = rules.evaluate(calc.score, subject, visit=visit, explain=False).value
                    shown = evaluate(calc.formula, _answers(variant, names))
                    if isinstance(value, Decimal | int | float):
                        assert shown == Decimal(value), (calc.score, visit, variant)
                        outcomes["known"] += 1
                    else:  # unknown: an interval, or nothing recorded
                        assert shown == "", (calc.score, visit, variant, value)
                        outcomes["blank"] += 1
                subject.values[(form_name, visit)] = answers
    assert outcomes["known"] > 0 and outcomes["blank"] > 0, outcomes


DERIVED = """
trial T {
  title "Derived values"
  phase 2
  enrolment 10
}
visit V1 "Day 1" day 1
form body "Body measurements" at V1 {
  weight number "Weight" range 20 .. 300
  height number "Height" range 50 .. 250
  systolic integer "Systolic" range 50 .. 250
  diastolic integer "Diastolic" range 30 .. 150
  derive bmi "Body mass index" = weight / (height * height) * 10000
  derive pulse_pressure "Pulse pressure" = systolic - diastolic
  derive mean_pressure "Mean arterial pressure" = diastolic + (systolic - diastolic) / 3
}
inclusion I1 "BMI at most 35" = body.bmi at V1 <= 35
inclusion I2 "Pulse pressure below 100" = body.pulse_pressure at V1 < 100
inclusion I3 "Mean pressure below 120" = body.mean_pressure at V1 < 120
"""


def _maybe(low: int, high: int) -> st.SearchStrategy[int | None]:
    # within the item's range: out of range, the interpreter holds the value as a data problem
    return st.none() | st.integers(min_value=low, max_value=high)


@settings(max_examples=60, deadline=None)
@given(_maybe(20, 300), _maybe(50, 250), _maybe(50, 250), _maybe(30, 150))
def test_derived_value_calcs_agree_with_the_interpreter(
    weight: int | None, height: int | None, systolic: int | None, diastolic: int | None
) -> None:
    spec = _derived_spec()
    project = redcap.Project(spec)
    calcs = {c.score: c for c in project.scores["body"]}
    assert set(calcs) == {"body.bmi", "body.pulse_pressure", "body.mean_pressure"}
    values = {"weight": weight, "height": height, "systolic": systolic, "diastolic": diastolic}
    answers = {k: str(v) for k, v in values.items() if v is not None}
    record = {
        "subject_id": "S1",
        "visits": {"V1": "2025-01-06"},
        "forms": {"body": {"V1": {k: v for k, v in values.items() if v is not None}}},
    }
    rules = compile_spec_rules(spec)
    for shown, calc in calcs.items():
        value = rules.evaluate(shown, record, visit="V1", explain=False).value
        computed = evaluate(calc.formula, answers)
        if value is None:
            assert computed == "", (shown, values)
        else:
            assert isinstance(computed, Decimal)
            assert abs(float(computed) - float(value)) <= 1e-9 * max(1.0, abs(float(value)))


@functools.cache
def _derived_spec() -> Any:
    from tests.crf.support import compile_text

    return compile_text(DERIVED)
