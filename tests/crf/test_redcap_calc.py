"""REDCap calc fields of scores give what the interpreter gives, on witness subjects.

The formulas are evaluated with `tests.crf.redcap_calc`, an evaluator of the
REDCap calculation syntax the back end writes, over each witness subject's
answers as REDCap stores them (yes = '1', no = '0', blank = ''), and also with
the answers thinned out (every other descriptor blank) and all blank.  Where
the interpreter knows the score, the calc shows the same number; where the
score is unknown (an interval, a descriptor unanswered), the calc is blank.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

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
