"""Criteria written with a parameterised definition: the generated module, the
interpreter and the screening SQL agree, value by value, missing values included."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from generators.checks.module import render_module
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject

SPEC = """
trial RANGES {
  title "Laboratory ranges written once"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1

form labs "Laboratory tests" at SCR {
  hemoglobin integer "Hemoglobin (g/dL)" range 1 .. 30
  platelets  integer "Platelets (10^9/L)" range 1 .. 2000
}

define within(test, low, high) "A laboratory test within its limits"
  = labs.test >= low and labs.test <= high

inclusion I1 "Adequate bone marrow function"
  = within(hemoglobin, 9, 18) and within(platelets, 100, 400)

exclusion E1 "Severe thrombocytopenia" = not within(platelets, 50, 2000)
"""

VALUES = {
    "hemoglobin": (None, 8, 9, 18, 19),
    "platelets": (None, 49, 50, 100, 400, 401),
}


def _subjects() -> list[dict[str, object]]:
    subjects: list[dict[str, object]] = []
    for number, (hb, plt) in enumerate(itertools.product(*VALUES.values())):
        recorded = {k: v for k, v in (("hemoglobin", hb), ("platelets", plt)) if v is not None}
        subjects.append(
            {
                "subject_id": f"S{number:02d}",
                "visits": {"SCR": "2025-01-06"},
                "forms": {"labs": {"SCR": recorded}},
            }
        )
    return subjects


def test_module_and_interpreter_agree_on_every_subject() -> None:
    result = compile_spec("ranges.trial", SPEC)
    assert result.ok and result.spec is not None, [d.message for d in result.diagnostics]
    namespace: dict[str, object] = {}
    exec(compile(render_module(result.spec), "screening_checks.py", "exec"), namespace)
    screen = namespace["screen"]
    assert callable(screen)
    statuses = set()
    for subject in _subjects():
        interpreted = evaluate_subject(result.spec, subject)
        by_module = screen(subject)
        for criterion in ("I1", "E1"):
            expected = interpreted.criteria[criterion].status
            assert by_module["criteria"][criterion] == expected, (subject, criterion)
            statuses.add(expected)
    assert statuses == {"met", "not_met", "unknown"}


def test_sql_agrees_with_the_interpreter(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    from generators.sql.run import screen_with_duckdb

    result = compile_spec("ranges.trial", SPEC)
    assert result.spec is not None
    data = tmp_path / "subjects.json"
    data.write_text(json.dumps(_subjects()), encoding="utf-8")
    by_sql = {
        row["subject_id"]: row["criteria"] for row in screen_with_duckdb(result.spec, str(data))
    }
    for subject in _subjects():
        interpreted = evaluate_subject(result.spec, subject)
        for criterion in ("I1", "E1"):
            expected = interpreted.criteria[criterion].status
            assert by_sql[str(subject["subject_id"])][criterion] == expected, (subject, criterion)
