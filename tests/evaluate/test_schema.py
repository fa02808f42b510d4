"""The JSON Schema of a subject record, derived from the data dictionary."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

from generators.schema.schema import build, json_schema, schema_text
from protocol_dsl.spec import Spec

from .conftest import load_subject

jsonschema = pytest.importorskip("jsonschema")

GOLDEN = Path(__file__).resolve().parent / "golden" / "qls4131.subject.schema.json"


def _validator(spec: Spec) -> Any:
    schema = json_schema(spec)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_schema_matches_the_approved_golden_file(qls_spec: Spec) -> None:
    text = schema_text(qls_spec)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_build_writes_the_same_bytes_every_time(qls_spec: Spec, tmp_path: Path) -> None:
    (first,) = build(qls_spec, tmp_path / "a")
    (second,) = build(qls_spec, tmp_path / "b")
    assert first.name == "subject.schema.json"
    assert first.read_bytes() == second.read_bytes() == schema_text(qls_spec).encode("utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("serology", "SCR", "anti_dsdna", "weakly"), "is not one of"),
        (("serology", "SCR", "c3", 12), "is not valid under any"),  # above 10 g/L
        (("serology", "SCR", "c3", "0.8"), "is not valid"),
        (("serology", "SCR", "ana_titer", "160"), "is not valid"),
        (("serology", "SCR", "shoe_size", 1), "Additional properties"),
        (("serology", "D1", "c3", 1), "Additional properties"),  # serology is not at D1
        (("demographics", "SCR", "birth_date", "01/05/1980"), "does not match"),
        (("demographics", "SCR", "birth_date", "1980-02-30"), "is not a 'date'"),
    ],
)
def test_the_schema_rejects_what_the_dictionary_does_not_allow(
    qls_spec: Spec, change: tuple[str, str, str, Any], message: str
) -> None:
    subject = copy.deepcopy(load_subject("qls_eligible.json")["subject"])
    form, visit, item, value = change
    subject["forms"][form].setdefault(visit, {})[item] = value
    errors = [e.message for e in _validator(qls_spec).iter_errors(subject)]
    assert any(message in e for e in errors), errors


def test_quantities_may_carry_their_unit_and_values_may_be_null(qls_spec: Spec) -> None:
    subject = copy.deepcopy(load_subject("qls_eligible.json")["subject"])
    subject["forms"]["serology"]["SCR"]["c3"] = {"value": 95, "unit": "mg/dL"}
    subject["forms"]["serology"]["SCR"]["c4"] = None
    subject["forms"]["serology"]["SCR"]["ana_titer"] = 320
    assert list(_validator(qls_spec).iter_errors(subject)) == []


def test_required_items_arms_and_dose_levels(qls_spec: Spec, cdisc_spec: Spec) -> None:
    schema = json_schema(qls_spec)
    demographics = schema["properties"]["forms"]["properties"]["demographics"]
    assert demographics["properties"]["SCR"]["required"] == ["birth_date", "sex"]
    medications = schema["properties"]["forms"]["properties"]["medications"]
    assert medications["items"]["required"] == ["agent", "class", "ongoing", "dose_start"]
    assert schema["properties"]["dose_level"]["enum"][:2] == ["DL1", "DL2"]
    cdisc = json_schema(cdisc_spec)
    assert cdisc["properties"]["arm"]["enum"] == ["Pbo", "Xan_Hi", "Xan_Lo", None]
    visits = cdisc["properties"]["visits"]["properties"]
    assert list(visits)[:3] == ["SCRN1", "SCRN2", "BASELINE"]
