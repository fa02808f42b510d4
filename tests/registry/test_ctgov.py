"""ClinicalTrials.gov record: the seed record's criteria reproduced word for word, the
registry's enumerations, the registry's eligibility layout, deterministic JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generators.registries import ctgov
from tests.crf.support import (
    HOSTILE_TEXTS,
    REAL_SPECS,
    SHARED,
    check_golden,
    compile_text,
    hostile_spec,
    load_spec,
)

GOLDEN = Path(__file__).parent / "golden"
SEED = SHARED / "seeds" / "NCT07001839_registry_record.txt"

# Enumerations of the ClinicalTrials.gov data API v2 used by the record.
ENUMS = {
    "overallStatus": {
        "NOT_YET_RECRUITING", "RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING",
        "SUSPENDED", "TERMINATED", "COMPLETED", "WITHDRAWN", "UNKNOWN",
    },
    "studyType": {"INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"},
    "phases": {"EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA"},
    "allocation": {"RANDOMIZED", "NON_RANDOMIZED", "NA"},
    "interventionModel": {"SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL"},
    "primaryPurpose": {
        "TREATMENT", "PREVENTION", "DIAGNOSTIC", "ECT", "SUPPORTIVE_CARE", "SCREENING",
        "HEALTH_SERVICES_RESEARCH", "BASIC_SCIENCE", "DEVICE_FEASIBILITY", "OTHER",
    },
    "masking": {"NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"},
    "whoMasked": {"PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"},
    "armType": {
        "EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR",
        "NO_INTERVENTION", "OTHER",
    },
    "interventionType": {
        "BEHAVIORAL", "BIOLOGICAL", "COMBINATION_PRODUCT", "DEVICE", "DIAGNOSTIC_TEST",
        "DIETARY_SUPPLEMENT", "DRUG", "GENETIC", "PROCEDURE", "RADIATION", "OTHER",
    },
    "sex": {"ALL", "FEMALE", "MALE"},
    "stdAges": {"CHILD", "ADULT", "OLDER_ADULT"},
    "enrollmentType": {"ACTUAL", "ESTIMATED"},
}  # fmt: skip

BULLETS = ("•", "*", "·")


def _criteria_of_seed(text: str) -> dict[str, list[list[str]]]:
    """Inclusion and exclusion bullets of the seed record, each as its lines."""
    sections: dict[str, list[list[str]]] = {"inclusion": [], "exclusion": []}
    current: str | None = None
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line == "Inclusion Criteria":
            current = "inclusion"
        elif line == "Exclusion Criteria":
            current = "exclusion"
        elif line == "Study & Design":
            current = None
        elif current and line:
            if line.startswith(BULLETS):
                sections[current].append([line.lstrip("".join(BULLETS)).strip()])
            else:
                sections[current][-1].append(line)
    return sections


def _criteria_of_registry_text(text: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {"inclusion": [], "exclusion": []}
    current = "inclusion"
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line == "Inclusion Criteria:":
            current = "inclusion"
        elif line == "Exclusion Criteria:":
            current = "exclusion"
        elif line.startswith("* "):
            sections[current].append([line[2:]])
        elif line:
            assert raw.startswith("    "), f"a continuation line is indented: {raw!r}"
            sections[current][-1].append(line)
    return sections


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed record (../shared/seeds) is absent")
def test_eligibility_text_reproduces_the_seed_record_criteria() -> None:
    seed = _criteria_of_seed(SEED.read_text(encoding="utf-8"))
    generated = _criteria_of_registry_text(ctgov.eligibility_text(load_spec("qls4131_sle_phase1b")))
    assert len(seed["inclusion"]) == 6 and len(seed["exclusion"]) == 10
    assert generated == seed
    # inclusion 5 keeps its numbered sub-items on lines of their own
    assert [line[:3] for line in generated["inclusion"][4][1:]] == ["1. ", "2. ", "3. "]


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_golden(stem: str, tmp_path: Path) -> None:
    paths = ctgov.build(load_spec(stem), tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "registry/ctgov.json",
        "registry/eligibility.txt",
    ]
    for path in paths:
        check_golden(path.read_bytes(), GOLDEN / stem / path.name)


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_building_twice_gives_identical_bytes(stem: str, tmp_path: Path) -> None:
    first = [p.read_bytes() for p in ctgov.build(load_spec(stem), tmp_path / "a")]
    second = [p.read_bytes() for p in ctgov.build(load_spec(stem), tmp_path / "b")]
    assert first == second


@pytest.mark.parametrize("stem", REAL_SPECS)
def test_values_are_registry_enumerations(stem: str) -> None:
    section = ctgov.record(load_spec(stem))["protocolSection"]
    design = section["designModule"]
    assert design["studyType"] in ENUMS["studyType"]
    assert set(design["phases"]) <= ENUMS["phases"]
    info = design["designInfo"]
    assert info["allocation"] in ENUMS["allocation"]
    assert info["interventionModel"] in ENUMS["interventionModel"]
    assert info["primaryPurpose"] in ENUMS["primaryPurpose"]
    assert info["maskingInfo"]["masking"] in ENUMS["masking"]
    assert set(info["maskingInfo"].get("whoMasked", [])) <= ENUMS["whoMasked"]
    assert design["enrollmentInfo"]["type"] in ENUMS["enrollmentType"]
    arms = section["armsInterventionsModule"]
    assert {g["type"] for g in arms["armGroups"]} <= ENUMS["armType"]
    assert {i["type"] for i in arms["interventions"]} <= ENUMS["interventionType"]
    eligibility = section["eligibilityModule"]
    assert eligibility["sex"] in ENUMS["sex"]
    assert set(eligibility["stdAges"]) <= ENUMS["stdAges"]
    status = section.get("statusModule", {})
    if "overallStatus" in status:
        assert status["overallStatus"] in ENUMS["overallStatus"]
    for struct in ("startDateStruct", "primaryCompletionDateStruct", "completionDateStruct"):
        if "type" in status.get(struct, {}):
            assert status[struct]["type"] in ENUMS["enrollmentType"]  # ACTUAL, ESTIMATED


def test_qls4131_record() -> None:
    section = ctgov.record(load_spec("qls4131_sle_phase1b"))["protocolSection"]
    assert list(section) == [
        "identificationModule",
        "statusModule",
        "sponsorCollaboratorsModule",
        "oversightModule",
        "descriptionModule",
        "conditionsModule",
        "designModule",
        "armsInterventionsModule",
        "outcomesModule",
        "eligibilityModule",
        "contactsLocationsModule",
    ]
    assert section["identificationModule"]["nctId"] == "NCT07001839"
    assert section["statusModule"]["overallStatus"] == "NOT_YET_RECRUITING"
    assert section["sponsorCollaboratorsModule"]["leadSponsor"]["name"] == (
        "Qilu Pharmaceutical Co., Ltd."
    )
    design = section["designModule"]
    assert design["phases"] == ["PHASE1"]
    assert design["designInfo"]["interventionModel"] == "SINGLE_GROUP"
    assert design["designInfo"]["maskingInfo"] == {"masking": "NONE"}
    assert design["enrollmentInfo"] == {"count": 108, "type": "ESTIMATED"}
    arms = section["armsInterventionsModule"]
    assert arms["armGroups"][0]["interventionNames"] == ["Drug: QLS4131 for Injection"]
    primary = section["outcomesModule"]["primaryOutcomes"]
    assert [o["timeFrame"] for o in primary] == ["Up to 24 weeks", "Approximately 24 weeks"]
    eligibility = section["eligibilityModule"]
    assert (eligibility["minimumAge"], eligibility["maximumAge"]) == ("18 Years", "70 Years")
    assert eligibility["stdAges"] == ["ADULT", "OLDER_ADULT"]
    assert eligibility["healthyVolunteers"] is False


def test_pilot_record() -> None:
    section = ctgov.record(load_spec("cdiscpilot01"))["protocolSection"]
    assert "nctId" not in section["identificationModule"]
    assert section["designModule"]["designInfo"]["allocation"] == "RANDOMIZED"
    # the protocol's double-blind: participants and investigators (the registry's roles),
    # and the sponsor's personnel, which the registry names only in the description
    assert section["designModule"]["designInfo"]["maskingInfo"] == {
        "masking": "DOUBLE",
        "whoMasked": ["PARTICIPANT", "INVESTIGATOR"],
        "maskingDescription": "Also masked: the sponsor's study team.",
    }
    types = {g["label"]: g["type"] for g in section["armsInterventionsModule"]["armGroups"]}
    assert types == {
        "Placebo": "PLACEBO_COMPARATOR",
        "Xanomeline High Dose": "EXPERIMENTAL",
        "Xanomeline Low Dose": "EXPERIMENTAL",
    }
    eligibility = section["eligibilityModule"]
    assert eligibility["minimumAge"] == "50 Years" and "maximumAge" not in eligibility
    assert eligibility["stdAges"] == ["ADULT", "OLDER_ADULT"]
    text = eligibility["eligibilityCriteria"]
    assert text.startswith("Inclusion Criteria:\n\n* Males and postmenopausal females")
    assert "\n\nExclusion Criteria:\n\n* Persons who have previously completed" in text


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        ("1", ["PHASE1"]),
        ("1b", ["PHASE1"]),
        ("2", ["PHASE2"]),
        ("2/3", ["PHASE2", "PHASE3"]),
        ("1/2", ["PHASE1", "PHASE2"]),
        ("0", ["EARLY_PHASE1"]),
        ("4", ["PHASE4"]),
        ("NA", ["NA"]),
    ],
)
def test_phases(phase: str, expected: list[str]) -> None:
    assert ctgov.phases(phase) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, {"count": 40, "type": "ESTIMATED"}),
        ("not_yet_recruiting", {"count": 40, "type": "ESTIMATED"}),
        ("recruiting", {"count": 40, "type": "ESTIMATED"}),
        ("enrolling_by_invitation", {"count": 40, "type": "ESTIMATED"}),
        ("suspended", {"count": 40, "type": "ESTIMATED"}),
        ("active_not_recruiting", {"count": 40, "type": "ACTUAL"}),
        ("completed", {"count": 40, "type": "ACTUAL"}),
        ("terminated", {"count": 40, "type": "ACTUAL"}),
        ("withdrawn", {"count": 0, "type": "ACTUAL"}),
    ],
)
def test_enrolment_is_actual_once_enrolment_has_closed(
    status: str | None, expected: dict[str, object]
) -> None:
    written = f"  status {status}\n" if status else ""
    spec = compile_text(f'trial T {{\n  title "T"\n  enrolment 40\n{written}}}\n')
    design = ctgov.record(spec)["protocolSection"]["designModule"]
    assert design["enrollmentInfo"] == expected


def test_age_groups_follow_the_age_range() -> None:
    spec = compile_text(
        'trial T { title "T" minimum_age 6 months maximum_age 17 years sex female }'
    )
    eligibility = ctgov.record(spec)["protocolSection"]["eligibilityModule"]
    assert (eligibility["minimumAge"], eligibility["maximumAge"]) == ("6 Months", "17 Years")
    assert eligibility["stdAges"] == ["CHILD"]
    assert eligibility["sex"] == "FEMALE"


def test_hostile_texts_stay_text_in_json(tmp_path: Path) -> None:
    spec = hostile_spec()
    json_path, text_path = ctgov.build(spec, tmp_path)
    record = json.loads(json_path.read_text(encoding="utf-8"))
    title = record["protocolSection"]["identificationModule"]["officialTitle"]
    assert title == spec.trial_field("title").value.value
    body = json_path.read_text(encoding="utf-8") + text_path.read_text(encoding="utf-8")
    for fragment in HOSTILE_TEXTS:
        assert fragment in body


@pytest.mark.parametrize(
    ("status", "start", "completion"),
    [
        ("not_yet_recruiting", "ESTIMATED", "ESTIMATED"),
        ("recruiting", "ACTUAL", "ESTIMATED"),
        ("completed", "ACTUAL", "ACTUAL"),
        (None, None, None),  # without a status, actual or anticipated is unknown
    ],
)
def test_milestone_dates_are_actual_or_estimated_as_the_status_says(
    status: str | None, start: str | None, completion: str | None
) -> None:
    header = "\n".join(
        [
            "trial T {",
            '  title "T"',
            *([f"  status {status}"] if status else []),
            "  start_date 2024-01-15",
            "  completion_date 2026-12-31",
            "}",
        ]
    )
    module = ctgov.record(compile_text(header))["protocolSection"]["statusModule"]
    assert module["startDateStruct"] == {"date": "2024-01-15", **({"type": start} if start else {})}
    assert module["completionDateStruct"] == {
        "date": "2026-12-31",
        **({"type": completion} if completion else {}),
    }
    assert "primaryCompletionDateStruct" not in module
