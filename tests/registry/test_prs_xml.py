"""The PRS upload file: valid against the published PRS schema, the same fields as ctgov.json.

The file is written when the trial header names the organisation's PRS
account (`prs_organization`); the real specs do not (their PRS accounts are
not public), so the tests add the line to QLS4131's own text.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generators.registries import ctgov, prs_xml
from protocol_dsl.spec import Spec
from tests.crf.support import HOSTILE, SPECS, check_golden, compile_text, load_spec

GOLDEN = Path(__file__).parent / "golden"
QLS4131 = SPECS / "qls4131_sle_phase1b.trial"
_TRIAL = re.compile(r"^trial \w+ \{\n", re.M)


def _add_organisation(text: str, line: str) -> str:
    found = _TRIAL.search(text)
    assert found is not None
    return text[: found.end()] + line + text[found.end() :]


def _with_organisation(path: Path, line: str = '  prs_organization "QiluPharm"\n') -> Spec:
    text = _add_organisation(path.read_text(encoding="utf-8"), line)
    return compile_text(text, str(path))


@functools.cache
def _schema():  # type: ignore[no-untyped-def]
    etree = pytest.importorskip("lxml.etree", reason="lxml (libxml2) validates the schema")
    return etree.XMLSchema(etree.parse(str(prs_xml.SCHEMA)))


def _errors(data: bytes) -> list[str]:
    from lxml import etree

    schema = _schema()
    if schema.validate(etree.fromstring(data)):
        return []
    return [str(error) for error in schema.error_log]


def _study(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{{{prs_xml.PRS_NS}}}study_collection"
    (study,) = root.findall("clinical_study")
    return study


def test_golden_and_valid(tmp_path: Path) -> None:
    spec = _with_organisation(QLS4131)
    (path,) = prs_xml.build(spec, tmp_path)
    assert path == tmp_path / "registry" / "prs.xml"
    data = path.read_bytes()
    assert _errors(data) == []
    check_golden(data, GOLDEN / "qls4131_sle_phase1b" / "prs.xml")


def test_the_fields_are_those_of_the_ctgov_record() -> None:
    spec = _with_organisation(QLS4131)
    section = ctgov.record(spec)["protocolSection"]
    study = _study(prs_xml.prs_bytes(spec) or b"")
    identification = section["identificationModule"]
    assert study.findtext("id_info/org_name") == "QiluPharm"
    assert study.findtext("id_info/org_study_id") == identification["orgStudyIdInfo"]["id"]
    assert study.findtext("brief_title") == identification["briefTitle"]
    assert study.findtext("official_title") == identification["officialTitle"]
    assert study.findtext("acronym") == identification["acronym"]
    sponsor = section["sponsorCollaboratorsModule"]["leadSponsor"]["name"]
    assert study.findtext("sponsors/lead_sponsor/agency") == sponsor
    assert study.findtext("sponsors/resp_party/resp_party_type") == "Sponsor"
    assert study.findtext("oversight_info/has_dmc") == "Yes"
    assert study.findtext("oversight_info/fda_regulated_drug") == "No"
    description = section["descriptionModule"]
    assert study.findtext("brief_summary/textblock") == description["briefSummary"]
    # the provisional values are flagged as in the JSON record
    assert study.findtext("detailed_description/textblock") == description["detailedDescription"]
    assert study.findtext("overall_status") == "Not yet recruiting"
    status = section["statusModule"]
    assert study.findtext("verification_date") == status["statusVerifiedDate"]
    assert study.findtext("start_date") == status["startDateStruct"]["date"]
    assert study.findtext("start_date_type") == "Anticipated"
    assert study.findtext("last_follow_up_date") == status["completionDateStruct"]["date"]
    assert study.findtext("primary_compl_date") == status["primaryCompletionDateStruct"]["date"]
    design = study.find("study_design/interventional_design")
    assert design is not None
    assert study.findtext("study_design/study_type") == "Interventional"
    assert [design.findtext(n) for n in ("interventional_subtype", "phase", "assignment")] == [
        "Treatment",
        "Phase 1",
        "Single Group Assignment",
    ]
    assert design.findtext("allocation") == "N/A"
    assert design.findtext("no_masking") == "Yes"
    assert design.findtext("number_of_arms") == "1"
    enrolment = section["designModule"]["enrollmentInfo"]
    assert study.findtext("enrollment") == str(enrolment["count"])
    assert study.findtext("enrollment_type") == "Anticipated"
    assert [c.text for c in study.findall("condition")] == section["conditionsModule"]["conditions"]
    outcomes = section["outcomesModule"]
    for key, name in (
        ("primaryOutcomes", "primary_outcome"),
        ("secondaryOutcomes", "secondary_outcome"),
        ("otherOutcomes", "other_outcome"),
    ):
        assert [
            (o.findtext("outcome_measure"), o.findtext("outcome_time_frame"))
            for o in study.findall(name)
        ] == [(o["measure"], o["timeFrame"]) for o in outcomes[key]]
    arms = section["armsInterventionsModule"]
    assert [a.findtext("arm_group_label") for a in study.findall("arm_group")] == [
        a["label"] for a in arms["armGroups"]
    ]
    assert study.findtext("arm_group/arm_type") == "Experimental"
    assert study.findtext("intervention/intervention_type") == "Drug"
    assert study.findtext("intervention/intervention_name") == "QLS4131 for Injection"
    assert study.findtext("intervention/arm_group_label") == "QLS4131 dose escalation"
    eligibility = section["eligibilityModule"]
    assert study.findtext("eligibility/criteria/textblock") == eligibility["eligibilityCriteria"]
    assert study.findtext("eligibility/healthy_volunteers") == "No"
    assert study.findtext("eligibility/gender") == "All"
    assert study.findtext("eligibility/minimum_age") == "18 Years"
    assert study.findtext("eligibility/maximum_age") == "70 Years"
    contact = section["contactsLocationsModule"]["centralContacts"][0]
    assert study.findtext("overall_contact/last_name") == contact["name"]
    assert study.findtext("overall_contact/email") == contact["email"]


def test_every_real_spec_and_a_hostile_one_give_a_valid_file() -> None:
    for path in sorted(SPECS.glob("*.trial")):
        assert _errors(prs_xml.prs_bytes(_with_organisation(path)) or b"") == [], path.name
    hostile = compile_text(_add_organisation(HOSTILE, '  prs_organization "<b>&amp;</b>"\n'))
    data = prs_xml.prs_bytes(hostile) or b""
    assert _errors(data) == []
    study = _study(data)
    assert study.findtext("id_info/org_name") == "<b>&amp;</b>"
    assert (
        study.findtext("official_title")
        == ctgov.record(hostile)["protocolSection"]["identificationModule"]["officialTitle"]
    )


def test_without_the_prs_organisation_nothing_is_written(tmp_path: Path) -> None:
    for stem in ("qls4131_sle_phase1b", "cdiscpilot01"):
        assert prs_xml.build(load_spec(stem), tmp_path) == []
    assert not (tmp_path / "registry").exists()


def test_a_provisional_organisation_is_left_out_when_provisional_values_are() -> None:
    spec = _with_organisation(QLS4131, '  prs_organization "QiluPharm" provisional\n')
    assert prs_xml.prs_bytes(spec, "exclude") is None
    assert prs_xml.prs_bytes(spec, "flag") is not None


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    spec = _with_organisation(QLS4131)
    first = prs_xml.build(spec, tmp_path / "a")[0].read_bytes()
    second = prs_xml.build(spec, tmp_path / "b")[0].read_bytes()
    assert first == second
