"""Hand-written QLS4131 subjects: expected status, per-criterion status, data needed, reasons.

Each file of `subjects/` holds a subject record, what it illustrates and what
the interpreter must conclude.  The cases cover both readings of inclusion 4,
prednisone-equivalent conversions, the inclusive stable-dose and infection
windows, missing complement and a missing first-dose date.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from protocol_dsl import model as m
from protocol_dsl.evaluate import Truth, evaluate_expr, evaluate_subject
from protocol_dsl.spec import Spec

from .conftest import SUBJECTS, load_subject

CASES = sorted(p.name for p in SUBJECTS.glob("*.json"))


def test_there_are_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("name", CASES)
def test_case(qls_spec: Spec, name: str) -> None:
    case = load_subject(name)
    expected: dict[str, Any] = case["expected"]
    result = evaluate_subject(qls_spec, case["subject"])
    assert result.invalid == [], [p.reason for p in result.invalid]
    statuses = {cid: c.status for cid, c in result.criteria.items()}
    assert statuses == expected["criteria"], case["description"]
    assert result.status == expected["status"]
    assert result.data_needed == expected["data_needed"]
    for criterion in result.criteria.values():
        if criterion.status != "unknown":
            assert criterion.missing == []  # decided: nothing more is needed
        assert set(criterion.missing) <= set(result.data_needed)
    for cid, fragments in expected["evidence"].items():
        texts = " | ".join(e.text for e in result.criteria[cid].evidence)
        for fragment in fragments:
            assert fragment in texts, f"{cid}: {fragment!r} not in {texts}"


def _clinical_reading(spec: Spec) -> str:
    """The alternative rule of inclusion 4, as the spec's open question writes it."""
    criterion = next(c for c in spec.criteria if c.id == "I4")
    question = m.marks_of(criterion.marks, "question")[0]
    return question.split("the rule is: ", 1)[1].rstrip(".")


def test_inclusion_4_under_both_readings(qls_spec: Spec) -> None:
    subject = load_subject("i4_total_reading.json")["subject"]
    total = evaluate_expr(qls_spec, "sle.sledai_2k at SCR", subject).value
    clinical = evaluate_expr(qls_spec, "sle.clinical_sledai_2k at SCR", subject).value
    assert (total, clinical) == (6.0, 4.0)
    encoded = evaluate_subject(qls_spec, subject).criteria["I4"]
    assert encoded.status == "met"  # the reading the spec encodes: total >= 6
    alternative = evaluate_expr(qls_spec, _clinical_reading(qls_spec), subject)
    assert alternative.value is Truth.NOT_MET  # clinical SLEDAI-2K 4 < 6
    assert any("sle.clinical_sledai_2k at SCR = 4" in e.text for e in alternative.evidence)


def test_each_case_file_is_a_valid_subject_record(qls_spec: Spec) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from generators.schema.schema import json_schema

    validator = jsonschema.Draft202012Validator(
        json_schema(qls_spec), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for name in CASES:
        errors = [e.message for e in validator.iter_errors(load_subject(name)["subject"])]
        assert errors == [], (name, errors)


def test_case_files_have_their_three_parts() -> None:
    for name in CASES:
        text = (SUBJECTS / name).read_text(encoding="utf-8")
        document = json.loads(text)
        assert set(document) == {"description", "expected", "subject"}, name
