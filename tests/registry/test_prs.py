"""The ClinicalTrials.gov record against the registry's data element definitions
(`generators.registries.prs_rules`): every real spec's record meets them; the rules
catch what the definitions forbid; dates, people and places come from the header;
provisional content is flagged or left out."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.registries import ctgov, prs_rules
from protocol_dsl.compiler import compile_spec
from tests.crf.support import compile_text, load_spec

SPECS = ("qls4131_sle_phase1b", "cdiscpilot01", "mgc018_first_in_human", "bliss52_belimumab_sle")


def _record(text: str, provisional: ctgov.Provisional = "flag") -> dict[str, Any]:
    return ctgov.record(compile_text(text), provisional)["protocolSection"]


@pytest.mark.parametrize("stem", SPECS)
def test_every_real_record_meets_the_data_element_definitions(stem: str) -> None:
    assert prs_rules.violations(ctgov.record(load_spec(stem))) == []


def test_every_rule_cites_its_section_and_names_a_path() -> None:
    for rule in prs_rules.RULES:
        section, _sep, element = rule.section.partition(" › ")
        assert section and element, rule
        assert rule.path.split(".")[0].endswith("Module"), rule


def test_excluding_provisional_content_leaves_the_undecided_out() -> None:
    spec = load_spec("qls4131_sle_phase1b")
    flagged = ctgov.record(spec, "flag")["protocolSection"]
    excluded = ctgov.record(spec, "exclude")["protocolSection"]
    description = flagged["descriptionModule"]["detailedDescription"]
    assert description.startswith("Provisional (not final in the protocol): ")
    assert "start date" in description
    assert "startDateStruct" not in excluded["statusModule"]
    assert "detailedDescription" not in excluded.get("descriptionModule", {})
    secondary = excluded["outcomesModule"].get("secondaryOutcomes", [])
    assert all("Provisional" not in o.get("description", "") for o in secondary)
    # what is left undecided is exactly what the registry would then refuse
    problems = prs_rules.violations({"protocolSection": excluded})
    assert any(p.startswith("statusModule.startDateStruct.date: required") for p in problems)
    assert any(p.startswith("contactsLocationsModule.centralContacts: required") for p in problems)


def test_a_provisional_outcome_says_so_in_its_description() -> None:
    section = ctgov.record(load_spec("qls4131_sle_phase1b"))["protocolSection"]
    other = section["outcomesModule"]["otherOutcomes"][0]
    assert other["description"] == "Provisional: not final in the protocol."


@pytest.mark.parametrize(
    ("status", "start", "completion", "enrolment"),
    [
        ("not_yet_recruiting", "ESTIMATED", "ESTIMATED", "ESTIMATED"),
        ("recruiting", "ACTUAL", "ESTIMATED", "ESTIMATED"),
        ("active_not_recruiting", "ACTUAL", "ESTIMATED", "ACTUAL"),
        ("completed", "ACTUAL", "ACTUAL", "ACTUAL"),
        ("terminated", "ACTUAL", "ACTUAL", "ACTUAL"),
        ("withdrawn", "ESTIMATED", "ESTIMATED", "ACTUAL"),
    ],
)
def test_date_types_follow_the_recruitment_status(
    status: str, start: str, completion: str, enrolment: str
) -> None:
    section = _record(
        f"""trial T {{
  title "Dated"
  status {status}
  enrolment 20
  start_date 2024-01-15
  primary_completion_date 2025-01-15
  completion_date 2025-06-30
}}"""
    )
    dates = section["statusModule"]
    assert dates["startDateStruct"] == {"date": "2024-01-15", "type": start}
    assert dates["primaryCompletionDateStruct"]["type"] == completion
    assert dates["completionDateStruct"] == {"date": "2025-06-30", "type": completion}
    assert section["designModule"]["enrollmentInfo"]["type"] == enrolment


def test_verification_date_is_the_version_date_unless_given() -> None:
    header = 'trial T {\n  title "V"\n  version_date 2025-06-01\n%s}'
    assert _record(header % "")["statusModule"]["statusVerifiedDate"] == "2025-06"
    given_date = header % "  verification_date 2025-11-20\n"
    assert _record(given_date)["statusModule"]["statusVerifiedDate"] == "2025-11"


def test_the_brief_title_is_the_short_title_else_the_official_title() -> None:
    official = _record('trial T {\n  title "The official title"\n}')
    assert official["identificationModule"]["briefTitle"] == "The official title"
    short = _record('trial T {\n  title "The official title"\n  short_title "Short"\n}')
    assert short["identificationModule"]["briefTitle"] == "Short"


def test_a_single_group_study_has_no_allocation() -> None:
    design = ctgov.record(load_spec("qls4131_sle_phase1b"))["protocolSection"]["designModule"]
    assert design["designInfo"]["interventionModel"] == "SINGLE_GROUP"
    assert design["designInfo"]["allocation"] == "NA"


PEOPLE = """trial T {
  title "People and places"
  status recruiting
  sponsor "Example University"
  sponsor_class other
  responsible_party sponsor_investigator {
    name        "Dr Anna Meier"
    title       "Professor of Rheumatology"
    affiliation "Example University Hospital"
  }
  fda_regulated_drug yes
  fda_regulated_device no
  data_monitoring_committee no
  contact "Trial office" { role central phone "+41 61 000 00 00" email "trials@example.org" }
  contact "Prof. B. Keller" { role official affiliation "Example University" official_role study_chair }
  site "Jinan Central Hospital" {
    city "Jinan"
    country "China"
    status recruiting
    investigator "Prof. Li Wei"
  }
  site "Site 102, Basel"
}"""


def test_people_and_places_come_from_the_header_details() -> None:
    section = _record(PEOPLE)
    sponsors = section["sponsorCollaboratorsModule"]
    assert sponsors["responsibleParty"] == {
        "type": "SPONSOR_INVESTIGATOR",
        "investigatorFullName": "Dr Anna Meier",
        "investigatorTitle": "Professor of Rheumatology",
        "investigatorAffiliation": "Example University Hospital",
    }
    assert sponsors["leadSponsor"] == {"name": "Example University", "class": "OTHER"}
    assert section["oversightModule"] == {
        "oversightHasDmc": False,
        "isFdaRegulatedDrug": True,
        "isFdaRegulatedDevice": False,
    }
    contacts = section["contactsLocationsModule"]
    assert contacts["centralContacts"] == [
        {"name": "Trial office", "role": "CONTACT", "phone": "+41 61 000 00 00",
         "email": "trials@example.org"}
    ]  # fmt: skip
    assert contacts["overallOfficials"] == [
        {"name": "Prof. B. Keller", "affiliation": "Example University", "role": "STUDY_CHAIR"}
    ]
    jinan, basel = contacts["locations"]
    assert jinan == {
        "facility": "Jinan Central Hospital",
        "status": "RECRUITING",
        "city": "Jinan",
        "country": "China",
        "contacts": [{"name": "Prof. Li Wei", "role": "PRINCIPAL_INVESTIGATOR"}],
    }
    # a site written as plain text is listed, and the rules say what it lacks
    assert basel == {"facility": "Site 102, Basel"}
    problems = prs_rules.violations({"protocolSection": section})
    assert "contactsLocationsModule.locations[1].city: required" in "\n".join(problems)
    assert "contactsLocationsModule.locations[1].country: required" in "\n".join(problems)


# ---------------------------------------------------------------- the rules themselves


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    return ctgov.record(load_spec("mgc018_first_in_human"))


def _broken(study: dict[str, Any], path: str, value: Any) -> list[str]:
    changed = copy.deepcopy(study)
    *parents, last = path.split(".")
    node = changed["protocolSection"]
    for key in parents:
        node = node.setdefault(key, {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return prs_rules.violations(changed)


def test_why_stopped_is_required_of_a_stopped_trial(good: dict[str, Any]) -> None:
    problems = _broken(good, "statusModule.whyStopped", None)
    assert problems == [
        "statusModule.whyStopped: required when overallStatus is SUSPENDED or TERMINATED or "
        "WITHDRAWN (Study Status › Why Study Stopped)"
    ]


def test_a_withdrawn_trial_needs_no_completion_dates(good: dict[str, Any]) -> None:
    withdrawn = copy.deepcopy(good)
    status = withdrawn["protocolSection"]["statusModule"]
    status["overallStatus"] = "WITHDRAWN"
    del status["primaryCompletionDateStruct"], status["completionDateStruct"]
    assert prs_rules.violations(withdrawn) == []


def test_masked_roles_are_required_when_masked(good: dict[str, Any]) -> None:
    problems = _broken(good, "designModule.designInfo.maskingInfo", {"masking": "DOUBLE"})
    assert problems == [
        "designModule.designInfo.maskingInfo.whoMasked: required when masking is not NONE "
        "(Study Design › Design Details › Masking (who is masked))"
    ]


def test_values_outside_the_enumerations_are_refused(good: dict[str, Any]) -> None:
    problems = _broken(good, "statusModule.overallStatus", "HALTED")
    assert problems[0].startswith("statusModule.overallStatus: 'HALTED' is not one of")


def test_a_single_group_must_not_be_allocated(good: dict[str, Any]) -> None:
    single = copy.deepcopy(good)
    single["protocolSection"]["designModule"]["designInfo"]["interventionModel"] = "SINGLE_GROUP"
    problems = prs_rules.violations(single)
    assert problems == [
        "designModule.designInfo.allocation: 'NON_RANDOMIZED' is not one of ['NA'] "
        "(Study Design › Design Details › Allocation (N/A for a single-arm study))"
    ]


def test_fda_questions_are_required_of_studies_starting_after_the_final_rule(
    good: dict[str, Any],
) -> None:
    problems = _broken(good, "oversightModule.isFdaRegulatedDrug", None)
    assert problems == [
        "oversightModule.isFdaRegulatedDrug: required of a study starting on or after "
        "2017-01-18 (Oversight › Studies a U.S. FDA-regulated Drug Product)"
    ]
    early = copy.deepcopy(good)
    early["protocolSection"]["statusModule"]["startDateStruct"]["date"] = "2016-12-01"
    del early["protocolSection"]["oversightModule"]["isFdaRegulatedDrug"]
    assert prs_rules.violations(early) == []


def test_dates_out_of_order_are_refused(good: dict[str, Any]) -> None:
    problems = _broken(good, "statusModule.completionDateStruct", {"date": "2018-01-01",
                                                                  "type": "ACTUAL"})  # fmt: skip
    assert len(problems) == 2  # before the start and before the primary completion
    assert all(p.startswith("statusModule.completionDateStruct: 2018-01-01") for p in problems)


# ---------------------------------------------------------------- eligibility text


#: a line of criterion text as a spec holds it: no NUL (a spec file with one is refused,
#: E0003), no quote or backslash (the test writes the text into a string literal)
_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\\\"\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=20,
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(
        st.one_of(_LINE, st.sampled_from(["Exclusion Criteria:", "Inclusion Criteria:", ""])),
        min_size=1,
        max_size=5,
    )
)
def test_a_line_break_in_a_criterion_never_makes_a_second_header(lines: list[str]) -> None:
    text = "\\n".join(lines)
    spec = compile_spec(
        "t.trial",
        f'trial T {{\n  title "E"\n}}\n\ninclusion I1 "First"\nexclusion E1 "{text}"\n'
        'exclusion E2 "Last"\n',
    ).spec
    assert spec is not None
    eligibility = ctgov.eligibility_text(spec)
    headers = [
        line for line in eligibility.splitlines() if line.strip().lower() in ctgov.SECTION_HEADERS
    ]
    assert headers == ["Inclusion Criteria:", "Exclusion Criteria:"]
    assert [line for line in eligibility.splitlines() if line.startswith("*")][-1] == "* Last"
