"""The shipped organ-function formulas against published worked examples, in every engine.

Each example is a criterion that holds when the formula gives the published
value (rounded as published); the interpreter, DuckDB SQL and the generated
module must all find it met, and a subject just across the value not met.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from tests.sql.test_differential import three_ways

LIBRARY = Path(__file__).resolve().parents[2] / "specs" / "lib" / "organ_function.trial"

SPEC = """\
trial ORGAN {
  title "Organ function"
}

use "LIBRARY" as organ

visit SCR "Screening" day -14 .. -1
visit D1 "Day 1" day 1

anchor screening "Screening" = visit SCR

collect organ.organ_function_form at SCR

# Mosteller 1987: 170 cm, 70 kg -> 1.818 m2 (to three decimals)
inclusion mosteller "Mosteller" = round(organ.bsa_mosteller at SCR / 1 m2, 3) = 1.818
# DuBois 1916: 170 cm, 70 kg -> 1.810 m2
inclusion dubois "DuBois" = round(organ.bsa_dubois at SCR / 1 m2, 3) = 1.810
# Cockcroft-Gault 1976: 60 years, 72 kg, 1.0 mg/dL, man -> 80 mL/min (woman: 68)
inclusion cockcroft_gault "Cockcroft-Gault"
  = round(organ.creatinine_clearance_cockcroft_gault at SCR / 1 mL/min, 6)
    = (if organ.organ_function_form.sex at SCR = female then 68 else 80)
# CKD-EPI 2021: 50 years, woman, 0.8 mg/dL -> 89.71 (reported as 90) mL/min/1.73 m2
inclusion ckd_epi "CKD-EPI 2021" = round(organ.egfr_ckd_epi_2021 at SCR / 1 mL/min/{1.73_m2}, 2) = 89.71
""".replace("LIBRARY", str(LIBRARY))


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("organ") / "organ.trial"
    path.write_text(SPEC, encoding="utf-8")
    result = compile_spec(str(path))
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return result.spec


def _subject(name: str, **values: Any) -> dict[str, Any]:
    return {
        "subject_id": name,
        "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
        "forms": {"organ.organ_function_form": {"SCR": values}},
    }


#: (subject, the criteria its values are the published example of)
EXAMPLES = [
    (
        _subject("BSA", age=60, sex="male", height=170, weight=70, creatinine=1.0),
        ("mosteller", "dubois"),
    ),
    (
        _subject("CG-M", age=60, sex="male", height=170, weight=72, creatinine=1.0),
        ("cockcroft_gault",),
    ),
    (
        _subject("CG-F", age=60, sex="female", height=170, weight=72, creatinine=1.0),
        ("cockcroft_gault",),
    ),
    (_subject("EPI", age=50, sex="female", height=170, weight=70, creatinine=0.8), ("ckd_epi",)),
]


@pytest.mark.parametrize(
    ("subject", "criteria"), EXAMPLES, ids=[s["subject_id"] for s, _ in EXAMPLES]
)
def test_published_examples(spec: Any, subject: dict[str, Any], criteria: tuple[str, ...]) -> None:
    result = evaluate_subject(spec, subject)
    for criterion in criteria:
        assert result.criteria[criterion].status == "met", criterion
    three_ways(spec, [subject])


def test_other_values_are_not_the_examples(spec: Any) -> None:
    """A kilogram more or a tenth of a mg/dL more changes every result."""
    heavier = _subject("H", age=60, sex="male", height=170, weight=73, creatinine=1.0)
    higher = _subject("C", age=50, sex="female", height=170, weight=70, creatinine=0.9)
    for subject in (heavier, higher):
        three_ways(spec, [subject])
    assert {c.status for c in evaluate_subject(spec, heavier).criteria.values()} == {"not_met"}
    assert evaluate_subject(spec, higher).criteria["ckd_epi"].status == "not_met"


def test_missing_input_is_unknown(spec: Any) -> None:
    subject = _subject("M", age=60, sex="male", height=170, creatinine=1.0)
    result = evaluate_subject(spec, subject)
    assert result.criteria["mosteller"].status == "unknown"
    assert (
        result.criteria["ckd_epi"].status == "met" or result.criteria["ckd_epi"].status == "not_met"
    )
    three_ways(spec, [subject])


def test_library_checks_clean() -> None:
    result = compile_spec(str(LIBRARY))
    assert not [d for d in result.diagnostics if d.severity == "error"]
