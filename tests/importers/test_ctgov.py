"""`protocol import ctgov`: a draft spec from a ClinicalTrials.gov study record.

The draft of every real spec's own record gives back that record on every
field the importer reads; the seed record, as its registry page publishes it,
gives back its criteria bullet for bullet and its header fields; every
criterion is text only (N1110) and the draft checks without errors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.importers.criteria import split_criteria
from generators.importers.ctgov import RecordError, import_record
from generators.registries import ctgov as registry
from protocol_dsl.cli import cli
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.formatter import format_source

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "specs").glob("*.trial"))
SEED = ROOT / ".." / "shared" / "seeds" / "NCT07001839_registry_record.txt"
needs_seed = pytest.mark.skipif(
    not SEED.exists(), reason="the shared seed record (../shared/seeds) is absent"
)

#: the command as the user types it after `protocol`
IMPORT_CTGOV = ["import", "ctgov"]

#: every field of the record the importer reads, as paths under protocolSection
FIELDS_READ = (
    "identificationModule.nctId",
    "identificationModule.orgStudyIdInfo.id",
    "identificationModule.secondaryIdInfos",
    "identificationModule.organization.fullName",
    "identificationModule.briefTitle",
    "identificationModule.officialTitle",
    "identificationModule.acronym",
    "statusModule.overallStatus",
    "statusModule.startDateStruct",  # date, type
    "statusModule.primaryCompletionDateStruct",
    "statusModule.completionDateStruct",
    "statusModule.statusVerifiedDate",
    "statusModule.whyStopped",
    "sponsorCollaboratorsModule.responsibleParty",  # type, investigator's name, title, affiliation
    "sponsorCollaboratorsModule.leadSponsor.name",
    "sponsorCollaboratorsModule.leadSponsor.class",
    "sponsorCollaboratorsModule.collaborators",
    "oversightModule.oversightHasDmc",
    "oversightModule.isFdaRegulatedDrug",
    "oversightModule.isFdaRegulatedDevice",
    "descriptionModule.briefSummary",
    "descriptionModule.detailedDescription",
    "conditionsModule.conditions",
    "conditionsModule.keywords",
    "designModule.studyType",
    "designModule.phases",
    "designModule.designInfo.allocation",
    "designModule.designInfo.interventionModel",
    "designModule.designInfo.primaryPurpose",
    "designModule.designInfo.maskingInfo.masking",
    "designModule.designInfo.maskingInfo.whoMasked",
    "designModule.designInfo.maskingInfo.maskingDescription",
    "designModule.enrollmentInfo.count",
    "designModule.enrollmentInfo.type",
    "armsInterventionsModule.armGroups",  # label, type, description, interventionNames
    "armsInterventionsModule.interventions",  # type, name, description, armGroupLabels
    "outcomesModule.primaryOutcomes",  # measure, timeFrame, the provisional note as description
    "outcomesModule.secondaryOutcomes",
    "outcomesModule.otherOutcomes",
    "eligibilityModule.eligibilityCriteria",
    "eligibilityModule.healthyVolunteers",
    "eligibilityModule.sex",
    "eligibilityModule.minimumAge",
    "eligibilityModule.maximumAge",
    "eligibilityModule.stdAges",
    "contactsLocationsModule.centralContacts",  # name, phone, email
    "contactsLocationsModule.overallOfficials",  # name, affiliation, role
    "contactsLocationsModule.locations",  # facility, status, city, state, zip, country, investigator
)


def _at(record: dict, path: str) -> object:
    value: object = record["protocolSection"]
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _load(text: str, tmp_path: Path, name: str = "draft.trial") -> Spec:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = compile_spec(str(path))
    errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.is_error]
    assert not errors, errors
    assert result.spec is not None
    return result.spec


# ---------------------------------------------------------------- round trip of our own records


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_draft_of_a_specs_record_gives_back_the_record(path: Path, tmp_path: Path) -> None:
    original = registry.record(compile_spec(str(path)).spec)
    draft = import_record(json.dumps(original))
    again = registry.record(_load(draft.text, tmp_path))
    compared = [f for f in FIELDS_READ if _at(original, f) is not None]
    assert len(compared) >= 20  # the real specs fill most of the record
    for field in FIELDS_READ:
        assert _at(again, field) == _at(original, field), field
    # nothing else is written either: the record the draft writes is the record read
    assert again == original


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_draft_criteria_are_the_specs_texts_numbered_and_text_only(
    path: Path, tmp_path: Path
) -> None:
    spec = compile_spec(str(path)).spec
    draft = import_record(json.dumps(registry.record(spec)))
    drafted = _load(draft.text, tmp_path)
    assert [c.text for c in drafted.inclusions] == [c.text for c in spec.inclusions]
    assert [c.text for c in drafted.exclusions] == [c.text for c in spec.exclusions]
    assert [c.id for c in drafted.inclusions] == [
        f"I{n}" for n in range(1, len(spec.inclusions) + 1)
    ]
    assert [c.id for c in drafted.exclusions] == [
        f"E{n}" for n in range(1, len(spec.exclusions) + 1)
    ]
    assert all(c.rule is None and not c.attested for c in drafted.criteria)
    codes = [d.code for d in compile_spec(str(tmp_path / "draft.trial")).diagnostics]
    assert codes.count("N1110") == len(spec.criteria)


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_draft_is_in_the_canonical_layout(path: Path) -> None:
    draft = import_record(json.dumps(registry.record(compile_spec(str(path)).spec)))
    assert format_source(draft.text) == draft.text


def test_strict_check_lists_every_informal_criterion_as_an_error(tmp_path: Path) -> None:
    spec = compile_spec(str(ROOT / "specs" / "qls4131_sle_phase1b.trial")).spec
    path = tmp_path / "draft.trial"
    path.write_text(import_record(json.dumps(registry.record(spec))).text, encoding="utf-8")
    plain = compile_spec(str(path))
    strict = compile_spec(str(path), strict=True)
    assert not any(d.is_error for d in plain.diagnostics)
    informal = [d for d in strict.diagnostics if d.code == "N1110"]
    assert [d.is_error for d in informal] == [True] * 16
    assert {d.message.split(" is text only")[0] for d in informal} == {
        f"inclusion I{n}" for n in range(1, 7)
    } | {f"exclusion E{n}" for n in range(1, 11)}


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_real_specs_have_no_informal_criteria(path: Path) -> None:
    assert not [d for d in compile_spec(str(path)).diagnostics if d.code == "N1110"]


# ---------------------------------------------------------------- the seed record as published


def _seed_bullets(text: str) -> dict[str, list[str]]:
    """The page's criteria: a `•` bullet each, its indented numbered sub-items with it."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.split("\n"):
        if line in ("Inclusion Criteria", "Exclusion Criteria"):
            current = sections.setdefault(line.split()[0].lower(), [])
        elif line == "Study & Design":
            current = []
        elif line.startswith("  • "):
            current.append(line[4:])
        elif line.startswith("    ") and line.strip() and current:
            current[-1] += "\n" + line.strip()
    return sections


@needs_seed
def test_seed_page_criteria_bullet_for_bullet(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    bullets = _seed_bullets(seed)
    assert (len(bullets["inclusion"]), len(bullets["exclusion"])) == (6, 10)
    drafted = _load(import_record(seed).text, tmp_path)
    assert [c.text for c in drafted.inclusions] == bullets["inclusion"]
    assert [c.text for c in drafted.exclusions] == bullets["exclusion"]
    # the spec written by hand from the same record has the same texts
    qls = compile_spec(str(ROOT / "specs" / "qls4131_sle_phase1b.trial")).spec
    assert [c.text for c in drafted.criteria] == [c.text for c in qls.criteria]


@needs_seed
def test_seed_page_header_is_the_pages_fields(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    page = dict(
        re.findall(
            r"^(Status|Sex|Target Recruitment|Study Type|Study Design|"
            r"Registration Number|Lead Sponsor)\n(.+)$",
            seed,
            re.M,
        )
    )
    spec = _load(import_record(seed).text, tmp_path)

    def field(key: str) -> str | None:
        found = spec.trial_field(key)
        return None if found is None else str(found.value.value)

    assert field("title") == seed.split("\n")[2]
    assert field("registry") == page["Registration Number"]
    assert field("sponsor") == page["Lead Sponsor"]
    assert field("status") == page["Status"].lower()
    assert field("sex") == page["Sex"].lower()
    assert field("enrolment") == page["Target Recruitment"]
    assert field("study_type") == page["Study Type"].lower()
    assert field("model") == page["Study Design"].lower()
    assert field("phase") == "1"  # "Phase 1"
    assert [str(f.value.value) for f in spec.trial.all("condition")] == [
        "Systemic Lupus Erythematosus"
    ]
    [intervention] = spec.interventions.values()
    assert (intervention.label, str(intervention.field("type").value.value)) == (
        "QLS4131 for Injection.",
        "drug",
    )
    [arm] = spec.arms.values()
    assert (arm.label, arm.receives, arm.description) == (
        "QLS4131",
        (intervention.name,),
        "Target dose of each cohort will be administered only once",
    )
    outcomes = [(e.text, e.timeframe) for o in spec.objectives for e in o.endpoints]
    assert outcomes == [
        ("incidence of treatment emergence adverse events.", "Up to 24 weeks]"),
        ("Recommended Phase 2 Dose", "Approximately 24 weeks"),
    ]
    # where the hand-written spec of the same trial agrees with the page, and where not
    qls = compile_spec(str(ROOT / "specs" / "qls4131_sle_phase1b.trial")).spec
    for key in ("title", "sponsor", "status", "sex", "enrolment", "study_type", "model"):
        assert field(key) == str(qls.trial_field(key).value.value), key
    # the page says "Phase 1" (the registry has no phase 1b); the title says "Phase Ib"
    assert qls.trial_field("phase").value.text == "1b"
    assert qls.interventions["QLS4131"].label == "QLS4131 for Injection"  # no full stop


@needs_seed
def test_seed_page_guesses_are_marked(tmp_path: Path) -> None:
    text = import_record(SEED.read_text(encoding="utf-8")).text
    path = tmp_path / "seed.trial"
    path.write_text(text, encoding="utf-8")
    questions = [d.message for d in compile_spec(str(path)).diagnostics if d.code == "N0902"]
    assert sum("ran the table's cells together" in q for q in questions) == 3  # arm, 2 outcomes
    assert any("outcome measures, not objectives" in q for q in questions)


# ---------------------------------------------------------------- header details


def _record(**modules: dict) -> str:
    return json.dumps({"protocolSection": modules})


def _header(text: str, tmp_path: Path) -> dict[str, list[str]]:
    spec = _load(import_record(text).text, tmp_path)
    assert spec.trial is not None
    out: dict[str, list[str]] = {}
    for f in spec.trial.fields:
        out.setdefault(f.key, []).extend(str(v.value) for v in f.values)
    return out


def test_dates_to_the_day_are_kept_and_to_the_month_are_marked(tmp_path: Path) -> None:
    text = _record(
        identificationModule={"nctId": "NCT00000001", "officialTitle": "T"},
        statusModule={
            "overallStatus": "RECRUITING",
            "startDateStruct": {"date": "2024-03-15", "type": "ACTUAL"},
            "primaryCompletionDateStruct": {"date": "2026-09", "type": "ESTIMATED"},
        },
    )
    header = _header(text, tmp_path)
    assert header["start_date"] == ["2024-03-15"]
    assert header["primary_completion_date"] == ["2026-09-01"]
    draft = import_record(text).text
    assert "2026-09-01 provisional" in draft
    assert "gives the month only (2026-09)" in draft


def test_a_date_type_the_status_contradicts_is_reported(tmp_path: Path) -> None:
    draft = import_record(
        _record(
            identificationModule={"officialTitle": "T"},
            statusModule={
                "overallStatus": "COMPLETED",
                "startDateStruct": {"date": "2020-01-02", "type": "ACTUAL"},
                "completionDateStruct": {"date": "2023-05-06", "type": "ESTIMATED"},
            },
        )
    )
    assert draft.losses == (
        "completionDateStruct type ESTIMATED (the spec derives it from the status: ACTUAL)",
    )


def test_other_phases_ages_and_groups(tmp_path: Path) -> None:
    text = _record(
        identificationModule={"officialTitle": "T", "orgStudyIdInfo": {"id": "ABC-1"}},
        designModule={"phases": ["PHASE2", "PHASE3"], "studyType": "INTERVENTIONAL"},
        eligibilityModule={
            "minimumAge": "6 Months",
            "maximumAge": "17 Years",
            "stdAges": ["CHILD"],
            "healthyVolunteers": True,
            "sex": "FEMALE",
        },
    )
    header = _header(text, tmp_path)
    assert header["phase"] == ["2/3"]
    assert header["healthy_volunteers"] == ["yes"]
    assert header["sponsor_protocol_id"] == ["ABC-1"]
    assert "age_group" not in header  # the ages imply the registry's groups


def test_what_the_spec_cannot_carry_is_reported() -> None:
    draft = import_record(
        _record(
            identificationModule={
                "officialTitle": "T",
                "secondaryIdInfos": [{"id": "2024-001234-11", "type": "CTIS"}],
            },
            outcomesModule={
                "primaryOutcomes": [
                    {"measure": "Response", "timeFrame": "Week 12", "description": "ACR20"}
                ]
            },
        )
    )
    assert draft.losses == (
        "secondary identifier 2024-001234-11",
        "description of outcome measure 'Response'",
    )
    assert "#   - secondary identifier 2024-001234-11" in draft.text


def test_the_apis_list_of_one_study_is_read() -> None:
    one = {"protocolSection": {"identificationModule": {"officialTitle": "T"}}}
    assert import_record(json.dumps({"studies": [one]})).text == import_record(json.dumps(one)).text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"studies": []}', "holds 0 studies"),
        ('{"nctId": "NCT1"}', '"protocolSection"'),
        ("Just some text", "neither a ClinicalTrials.gov study record"),
    ],
)
def test_what_is_not_a_record_is_refused_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(RecordError if text.startswith("{") else Exception) as error:
        import_record(text)
    assert words in str(error.value)


# ---------------------------------------------------------------- the command


def test_command_writes_the_draft_and_keeps_an_existing_file(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    spec = compile_spec(str(ROOT / "specs" / "cdiscpilot01.trial")).spec
    record.write_text(json.dumps(registry.record(spec)), encoding="utf-8")
    out = tmp_path / "draft.trial"
    runner = CliRunner()
    first = runner.invoke(cli, [*IMPORT_CTGOV, str(record), "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert out.read_text(encoding="utf-8") == import_record(record.read_text()).text
    assert "criteria, each text only" in first.stderr
    again = runner.invoke(cli, [*IMPORT_CTGOV, str(record), "-o", str(out)])
    assert again.exit_code == 1
    assert "add --force" in again.stderr
    forced = runner.invoke(cli, [*IMPORT_CTGOV, str(record), "-o", str(out), "--force"])
    assert forced.exit_code == 0
    check = runner.invoke(cli, ["check", str(out)])
    assert check.exit_code == 0, check.output


def test_command_refuses_a_file_that_is_not_a_record(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("meeting notes", encoding="utf-8")
    result = CliRunner().invoke(cli, [*IMPORT_CTGOV, str(bad)])
    assert result.exit_code == 1
    assert "neither a ClinicalTrials.gov study record" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- a full record of the data API


FULL = Path(__file__).parent / "records" / "api_v2_study.json"


def test_full_api_record_gives_a_draft_that_checks(tmp_path: Path) -> None:
    draft = import_record(FULL.read_text(encoding="utf-8"))
    spec = _load(draft.text, tmp_path)
    assert [c.text for c in spec.inclusions] == [
        "Age 12 to 75 years at screening",
        "Physician-diagnosed asthma for at least 12 months, with:\n"
        "* pre-bronchodilator FEV1 40% to 85% of predicted, and\n"
        "* reversibility of at least 12% and 200 mL",
        "At least 2 exacerbations needing systemic corticosteroids in the last 12 months",
    ]
    # the registry's markup escapes (\< and \>) stand for the characters they escape
    assert spec.exclusions[-1].text == (
        "Pre-bronchodilator FEV1 < 40% of predicted, or > 3 courses of oral corticosteroids "
        "in the last year"
    )
    assert len(spec.exclusions) == 4
    assert {a.label: a.receives for a in spec.arms.values()} == {
        "Drug X": ("Drug_X", "Placebo"),
        "Drug X + Drug Y": ("Drug_X", "Drug_Y"),
        "Placebo": ("Placebo",),
    }
    assert draft.losses == (
        "secondary identifier 2024-512345-12-00",
        "other name 'EX-001' of intervention Drug X",
        "description of outcome measure 'Annualized rate of severe asthma exacerbations'",
        "statusModule.expandedAccessInfo",
        "designModule.designInfo.interventionModelDescription",
        "ipdSharingStatementModule (the whole module)",
    )


def test_full_api_record_comes_back_but_for_what_the_draft_cannot_hold(tmp_path: Path) -> None:
    original = json.loads(FULL.read_text(encoding="utf-8"))
    again = registry.record(_load(import_record(json.dumps(original)).text, tmp_path))
    expected_differences = {
        # a registry's domain and an organisation's class have no place in a spec
        "identificationModule.secondaryIdInfos",
        "sponsorCollaboratorsModule.collaborators",
        # dates given to the month come back on the first of the month (marked provisional)
        "statusModule.primaryCompletionDateStruct",
        "statusModule.completionDateStruct",
        # the same criteria, in the registry layout the spec writes (sub-items indented by 4)
        "eligibilityModule.eligibilityCriteria",
        # those dates, now provisional, are listed at the end of the description
        "descriptionModule.detailedDescription",
    }
    # an intervention's other names and an outcome's description are in the loss report
    section = original["protocolSection"]
    for intervention in section["armsInterventionsModule"]["interventions"]:
        intervention.pop("otherNames", None)
    for outcome in section["outcomesModule"]["primaryOutcomes"]:
        outcome.pop("description", None)
    for field in FIELDS_READ:
        if field not in expected_differences:
            assert _at(again, field) == _at(original, field), field
    assert _at(again, "identificationModule.secondaryIdInfos") == [
        {"id": "ISRCTN00000001", "type": "REGISTRY"}
    ]
    assert _at(again, "sponsorCollaboratorsModule.collaborators") == [
        {"name": "Example Research Network"}
    ]
    assert _at(again, "statusModule.completionDateStruct") == {
        "date": "2027-03-01",
        "type": "ESTIMATED",
    }
    assert _at(again, "descriptionModule.detailedDescription") == (
        f"{_at(original, 'descriptionModule.detailedDescription')}\n\n"
        "Provisional (not final in the protocol): primary completion date; completion date."
    )
    assert split_criteria(str(_at(again, "eligibilityModule.eligibilityCriteria"))) == (
        split_criteria(str(_at(original, "eligibilityModule.eligibilityCriteria")))
    )


# ---------------------------------------------------------------- people, places, provisional notes

#: a header with every people, place and oversight field the record carries, some provisional
_REGISTERED = """\
trial PEOPLE {
  title                     "A registered trial"
  sponsor                   "Example Pharma"
  sponsor_class             industry
  responsible_party         principal_investigator provisional {
    name        "Prof. Li Wei"
    title       "Director of Rheumatology" provisional
    affiliation "Jinan Central Hospital"
  }
  fda_regulated_drug        no
  fda_regulated_device      no
  data_monitoring_committee yes provisional
  status                    terminated
  why_stopped               "Sponsor decision"
  verification_date         2025-03-15
  enrolment                 60
  enrolled                  41 provisional
  condition                 "Lupus" provisional
  contact                   "Trial office" {
    role  central
    phone "+86 531 0000 0000"
    email "trials@example.org" provisional
  }
  contact                   "Dr Anna Meier" provisional {
    role          official
    affiliation   "Example Pharma"
    official_role study_director
  }
  site                      "Jinan Central Hospital" {
    city         "Jinan"
    country      "China"
    status       completed
    investigator "Prof. Li Wei"
  }
  description               "What the trial does."
}
"""


def test_people_places_and_provisional_notes_come_back(tmp_path: Path) -> None:
    original = registry.record(_load(_REGISTERED, tmp_path, "registered.trial"))
    section = original["protocolSection"]
    # the record carries what the test is about
    assert section["descriptionModule"]["detailedDescription"].startswith(
        "What the trial does.\n\nProvisional (not final in the protocol): "
    )
    assert section["contactsLocationsModule"]["overallOfficials"]
    draft = import_record(json.dumps(original))
    assert draft.losses == ()
    drafted = _load(draft.text, tmp_path)
    # the closing list of provisional entries is not description text
    assert drafted.trial_field("description").value.value == "What the trial does."
    assert registry.record(drafted) == original


def test_a_provisional_entry_the_draft_cannot_place_is_reported(tmp_path: Path) -> None:
    record = {
        "protocolSection": {
            "identificationModule": {"briefTitle": "T"},
            "descriptionModule": {
                "detailedDescription": "Text.\n\nProvisional (not final in the protocol): "
                "start date; an entry of another tool."
            },
        }
    }
    draft = import_record(json.dumps(record))
    spec = _load(draft.text, tmp_path)
    assert spec.trial_field("description").value.value == "Text."
    assert draft.losses == (
        "provisional mark on start date (not placed on the draft)",
        "provisional mark on an entry of another tool (not placed on the draft)",
    )


def test_a_contact_or_location_key_the_draft_does_not_read_is_reported(tmp_path: Path) -> None:
    record = {
        "protocolSection": {
            "identificationModule": {"briefTitle": "T"},
            "contactsLocationsModule": {
                "centralContacts": [{"name": "Desk", "role": "CONTACT", "phoneExt": "12"}],
                "locations": [
                    {
                        "facility": "Clinic",
                        "city": "Lyon",
                        "geoPoint": {"lat": 45.75, "lon": 4.85},
                        "contacts": [
                            {"name": "Dr A", "role": "PRINCIPAL_INVESTIGATOR"},
                            {"name": "Ms B", "role": "CONTACT"},
                        ],
                    }
                ],
            },
        }
    }
    draft = import_record(json.dumps(record))
    spec = _load(draft.text, tmp_path)
    assert spec.trial is not None
    (site,) = spec.trial.all("site")
    assert site.value.value == "Clinic"
    investigator = site.detail("investigator")
    assert investigator is not None and investigator.value.value == "Dr A"
    assert draft.losses == (
        "contactsLocationsModule.centralContacts[].phoneExt",
        "contactsLocationsModule.locations[].geoPoint",
        "contact Ms B of site Clinic",
    )
