"""CDISC ODM 1.3.2: schema-valid for every spec, faithful to the data dictionary, deterministic."""

from __future__ import annotations

import functools
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generators.crf import odm
from protocol_dsl.spec import Spec
from tests.crf.support import (
    HOSTILE_TEXTS,
    REAL_SPECS,
    check_golden,
    compile_text,
    hostile_spec,
    load_spec,
)

NS = {"odm": odm.ODM_NS}
GOLDEN = Path(__file__).parent / "golden"


@functools.cache
def _schema():
    import odmlib
    import xmlschema

    folder = Path(os.path.dirname(odmlib.__file__)) / "schemas" / "odm" / "1.3.2"
    return xmlschema.XMLSchema(str(folder / "ODM1-3-2.xsd"))


def _errors(document: bytes) -> list[str]:
    return [str(e) for e in _schema().iter_errors(document.decode("utf-8"))]


def _root(spec: Spec) -> ET.Element:
    return ET.fromstring(odm.odm_bytes(spec))


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_golden(stem: str, tmp_path: Path) -> None:
    (path,) = odm.build(load_spec(stem), tmp_path)
    assert path == tmp_path / "crf" / "odm.xml"
    check_golden(path.read_bytes(), GOLDEN / stem / "odm.xml")


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_validates_against_the_odm_1_3_2_schema(stem: str) -> None:
    assert _errors(odm.odm_bytes(load_spec(stem))) == []


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_building_twice_gives_identical_bytes(stem: str, tmp_path: Path) -> None:
    first = odm.build(load_spec(stem), tmp_path / "a")[0].read_bytes()
    second = odm.build(load_spec(stem), tmp_path / "b")[0].read_bytes()
    assert first == second


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_every_oid_is_unique_and_every_reference_resolves(stem: str) -> None:
    root = _root(load_spec(stem))
    oids = [e.get("OID") for e in root.iter() if e.get("OID") is not None]
    assert len(oids) == len(set(oids))
    defined = set(oids)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.endswith("OID") and name != "FileOID" and name != "OID":
                assert value in defined, f"{name}={value} names nothing"


def test_study_events_follow_the_schedule_and_unscheduled_repeats() -> None:
    spec = load_spec("qls4131_sle_phase1b")
    root = _root(spec)
    refs = root.findall(".//odm:Protocol/odm:StudyEventRef", NS)
    assert [r.get("StudyEventOID") for r in refs] == [f"SE.{v.name}" for v in spec.visit_order]
    events = {e.get("OID"): e for e in root.iter(f"{{{odm.ODM_NS}}}StudyEventDef")}
    assert events["SE.UNS"].get("Repeating") == "Yes"
    assert events["SE.UNS"].get("Type") == "Unscheduled"
    assert events["SE.ET"].get("Type") == "Unscheduled"
    assert events["SE.D1"].get("Type") == "Scheduled"
    screening_forms = [f.get("FormOID") for f in events["SE.SCR"]]
    assert "F.eligibility_checklist" in screening_forms
    assert "F.sle__sledai_2k_form" in screening_forms
    assert "F.exposure" not in screening_forms


def test_items_carry_type_question_unit_range_and_code() -> None:
    root = _root(load_spec("qls4131_sle_phase1b"))
    items = {e.get("OID"): e for e in root.iter(f"{{{odm.ODM_NS}}}ItemDef")}
    c3 = items["IT.serology.c3"]
    assert c3.get("DataType") == "float"
    assert c3.find("odm:Question/odm:TranslatedText", NS).text == "Complement C3"
    assert c3.find("odm:MeasurementUnitRef", NS).get("MeasurementUnitOID") == "MU.g.per.L"
    checks = [
        (r.get("Comparator"), r.find("odm:CheckValue", NS).text)
        for r in c3.findall("odm:RangeCheck", NS)
    ]
    assert checks == [("GE", "0"), ("LE", "10")]
    alias = c3.find("odm:Alias", NS)
    assert (alias.get("Context"), alias.get("Name")) == ("LOINC", "4485-9")
    assert items["IT.demographics.birth_date"].get("DataType") == "date"
    assert items["IT.adverse_events.grade"].get("DataType") == "integer"
    sex = items["IT.demographics.sex"]
    assert sex.find("odm:CodeListRef", NS).get("CodeListOID") == "CL.sex"


def test_code_lists_code_the_entry_names_with_their_terminology() -> None:
    root = _root(load_spec("qls4131_sle_phase1b"))
    lists = {e.get("OID"): e for e in root.iter(f"{{{odm.ODM_NS}}}CodeList")}
    sex = lists["CL.sex"]
    assert [i.get("CodedValue") for i in sex.findall("odm:CodeListItem", NS)] == ["female", "male"]
    female = sex.find("odm:CodeListItem", NS)
    assert female.find("odm:Decode/odm:TranslatedText", NS).text == "Female"
    assert female.find("odm:Alias", NS).get("Name") == "C16576"
    assert "CL.sle.positive_negative" in lists
    assert "CL.gc.glucocorticoid" in lists


def test_units_used_are_defined_once() -> None:
    root = _root(load_spec("qls4131_sle_phase1b"))
    units = [u.get("Name") for u in root.iter(f"{{{odm.ODM_NS}}}MeasurementUnit")]
    assert len(units) == len(set(units))
    assert {"g/L", "mm[Hg]", "Cel", "mg/d", "mg"} <= set(units)


def test_repeating_forms_have_repeating_item_groups() -> None:
    root = _root(load_spec("qls4131_sle_phase1b"))
    groups = {e.get("OID"): e.get("Repeating") for e in root.iter(f"{{{odm.ODM_NS}}}ItemGroupDef")}
    assert groups["IG.adverse_events"] == "Yes"
    assert groups["IG.medications"] == "Yes"
    assert groups["IG.demographics"] == "No"


def test_eligibility_checklist_has_one_item_per_criterion() -> None:
    spec = load_spec("qls4131_sle_phase1b")
    root = _root(spec)
    items = {
        e.get("Name"): e
        for e in root.iter(f"{{{odm.ODM_NS}}}ItemDef")
        if e.get("OID", "").startswith("IT.eligibility_checklist.")
    }
    assert list(items) == [c.id for c in spec.criteria]
    assert items["I6"].get("DataType") == "boolean"  # attested: a checkbox
    assert items["I1"].find("odm:CodeListRef", NS).get("CodeListOID") == "CL.yes_no"
    question = items["I1"].find("odm:Question/odm:TranslatedText", NS).text
    assert question == "I1. Aged 18 to 70 (inclusive);"
    rule = items["I1"].find("odm:Description/odm:TranslatedText", NS).text
    assert rule.startswith("Rule: age at screening is between 18 and 70")


def test_conditional_items_carry_their_condition() -> None:
    root = _root(load_spec("qls4131_sle_phase1b"))
    ref = next(
        r
        for r in root.iter(f"{{{odm.ODM_NS}}}ItemRef")
        if r.get("ItemOID") == "IT.demographics.childbearing_potential"
    )
    condition_oid = ref.get("CollectionExceptionConditionOID")
    condition = next(
        c for c in root.iter(f"{{{odm.ODM_NS}}}ConditionDef") if c.get("OID") == condition_oid
    )
    expressions = {e.get("Context"): e.text for e in condition.findall("odm:FormalExpression", NS)}
    assert expressions == {
        "XPath": "../odm:ItemGroupData/odm:ItemData[@ItemOID='IT.demographics.sex']/@Value"
        " != 'female'",
        "protocol-dsl": "not (sex = female)",
    }
    assert "sex is Female" in condition.find("odm:Description/odm:TranslatedText", NS).text


def test_range_in_another_unit_is_converted_to_the_item_unit() -> None:
    spec = compile_text(
        """
        trial T { title "T" }
        visit V1 "Visit 1" day 1
        form labs "Labs" at V1 { c3 quantity g/L "C3" range 0 .. 500 mg/dL }
        """
    )
    root = _root(spec)
    values = [v.text for v in root.iter(f"{{{odm.ODM_NS}}}CheckValue")]
    assert values == ["0", "5"]
    assert _errors(odm.odm_bytes(spec)) == []


def test_hostile_texts_give_well_formed_valid_xml_with_the_texts_intact() -> None:
    spec = hostile_spec()
    document = odm.odm_bytes(spec)
    root = ET.fromstring(document)
    assert _errors(document) == []
    texts = " ".join(t for t in root.itertext())
    for fragment in HOSTILE_TEXTS:
        assert fragment in texts
    assert b"<script>" not in document
    assert "&lt;script&gt;" in document.decode("utf-8")


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_every_item_but_dates_and_attestations_has_a_length(stem: str) -> None:
    for item in _root(load_spec(stem)).iter(f"{{{odm.ODM_NS}}}ItemDef"):
        if item.get("DataType") in ("date", "datetime", "boolean"):
            assert item.get("Length") is None
        else:
            assert int(item.get("Length") or 0) > 0, item.get("OID")
        if item.get("DataType") == "float" and item.get("SignificantDigits") is not None:
            assert int(item.get("SignificantDigits") or 0) < int(item.get("Length") or 0)


def test_mapped_items_carry_their_sdtm_variable() -> None:
    items = {
        i.get("OID"): i for i in _root(load_spec("cdiscpilot01")).iter(f"{{{odm.ODM_NS}}}ItemDef")
    }
    age = items["IT.demographics.age"]
    assert age.get("SDSVarName") == "AGE"
    aliases = {(a.get("Context"), a.get("Name")) for a in age.findall("odm:Alias", NS)}
    assert ("SDTM", "DM.AGE") in aliases
    mmse = items["IT.eligibility_assessments.mmse_total"]
    assert mmse.get("SDSVarName") is None  # ADSL is an analysis dataset, not SDTM
    assert ("ADaM", "ADSL.MMSETOT") in {
        (a.get("Context"), a.get("Name")) for a in mmse.findall("odm:Alias", NS)
    }


def test_length_of_each_kind() -> None:
    from decimal import Decimal

    from generators.crf.forms import CrfField

    assert odm._length(CrfField("d", "D", "date")) == {}
    assert odm._length(CrfField("n", "N", "integer", low=Decimal(-5), high=Decimal(120))) == {
        "Length": "3"
    }
    assert odm._length(CrfField("w", "W", "quantity", low=Decimal("0.5"), high=Decimal(250))) == {
        "Length": "4",
        "SignificantDigits": "1",
    }
    assert odm._length(CrfField("t", "T", "text")) == {"Length": str(odm.TEXT_LENGTH)}
