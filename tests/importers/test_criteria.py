"""Eligibility free text split into criteria: the layouts registries hold, and texts that
survive the trip record → draft → parse unchanged whatever they contain."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from generators.importers.criteria import Criterion, registry_layout, split_criteria
from generators.importers.ctgov import import_record
from generators.registries.ctgov import escape_markup
from protocol_dsl.syntax.parser import parse_module


def _texts(text: str) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in split_criteria(text)]


def test_headings_with_star_bullets_and_blank_lines() -> None:
    text = "Inclusion Criteria:\n\n* Age 18 or over\n* Signed consent\n\nExclusion Criteria:\n\n* Pregnancy"
    assert _texts(text) == [
        ("inclusion", "Age 18 or over"),
        ("inclusion", "Signed consent"),
        ("exclusion", "Pregnancy"),
    ]


def test_numbered_items_with_bulleted_sub_items_kept_with_their_parent() -> None:
    text = (
        "Key Inclusion Criteria\n"
        "1. One of:\n"
        "   * diabetes\n"
        "   * hypertension\n"
        "2) Adults\n"
        "EXCLUSION CRITERIA:\n"
        "1. None of these:\n"
        "\n"
        "   a. cancer\n"
        "   b. dialysis\n"
        "10. Last item"
    )
    assert _texts(text) == [
        ("inclusion", "One of:\n* diabetes\n* hypertension"),
        ("inclusion", "Adults"),
        ("exclusion", "None of these:\n\na. cancer\nb. dialysis".replace("\n\n", "\n")),
        ("exclusion", "Last item"),
    ]


def test_dash_and_round_bullets_and_wrapped_lines() -> None:
    text = (
        "Inclusion criteria:\n"
        "  • Aged 18 to 70;\n"
        "  • A diagnosis made\n"
        "    at least 12 weeks ago;\n"
        "Exclusion criteria:\n"
        "- Allergy\n"
        "  - to the product\n"
        "- Pregnancy"
    )
    assert _texts(text) == [
        ("inclusion", "Aged 18 to 70;"),
        ("inclusion", "A diagnosis made\nat least 12 weeks ago;"),
        ("exclusion", "Allergy\n- to the product"),
        ("exclusion", "Pregnancy"),
    ]


def test_markup_headings_and_windows_line_ends() -> None:
    text = "**Inclusion Criteria:**\r\n* A\r\n## Exclusion Criteria\r\n* B\r\n"
    assert _texts(text) == [("inclusion", "A"), ("exclusion", "B")]


def test_an_introduction_before_the_list_is_kept_and_flagged() -> None:
    [intro, first] = split_criteria("Inclusion Criteria:\nAll of the following:\n* Adults")
    assert intro == Criterion("inclusion", "All of the following:", guessed=True)
    assert first == Criterion("inclusion", "Adults", guessed=False)


def test_text_without_headings_is_a_guess() -> None:
    criteria = split_criteria("* Adults\n* Consent")
    assert [(c.kind, c.text, c.guessed) for c in criteria] == [
        ("inclusion", "Adults", True),
        ("inclusion", "Consent", True),
    ]


def test_the_registrys_markup_escapes_stand_for_their_characters() -> None:
    text = (
        "Inclusion Criteria:\n\n\\* Age \\>= 18 years\\.\n\\* ECOG 0-1\n\n"
        "Exclusion Criteria:\n\n1\\. HbA1c \\<= 9%\n2\\. A backslash \\\\ kept"
    )
    assert _texts(text) == [
        ("inclusion", "Age >= 18 years."),
        ("inclusion", "ECOG 0-1"),
        ("exclusion", "HbA1c <= 9%"),
        ("exclusion", "A backslash \\ kept"),
    ]


def test_an_indented_heading_inside_a_criterion_is_text() -> None:
    text = registry_layout(["Adults\nExclusion Criteria:"], ["Pregnancy"])
    assert _texts(text) == [
        ("inclusion", "Adults\nExclusion Criteria:"),
        ("exclusion", "Pregnancy"),
    ]


# ---------------------------------------------------------------- hostile texts

#: a line of a criterion as the registry keeps it: no leading or trailing blanks, no
#: blank line (the registry's layout folds runs of blanks, so nothing else survives it)
_LINE = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=300,
    )
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)
_CRITERION = st.lists(_LINE, min_size=1, max_size=3).map("\n".join)
_HOSTILE = st.sampled_from(
    [
        'He said "stop" \\ then {left}',
        "<b>bold</b> & <script>alert(1)</script>",
        "=CMD('calc')",
        "* a bullet inside",
        "1. a number inside",
        "Inclusion Criteria:",
        "x" * 5000,
        "Ünïcödé ≥ 1:80 — µg/m² 😀",
        "# not a comment",
        "a \\> b \\\\ c \\",
        '"""',
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(_CRITERION, _HOSTILE), min_size=1, max_size=5),
    st.lists(st.one_of(_CRITERION, _HOSTILE), max_size=5),
)
def test_criteria_texts_survive_the_registry_layout(
    inclusions: list[str], exclusions: list[str]
) -> None:
    criteria = split_criteria(registry_layout(inclusions, exclusions))
    assert [c.text for c in criteria if c.kind == "inclusion"] == inclusions
    assert [c.text for c in criteria if c.kind == "exclusion"] == exclusions


_FREE = st.one_of(
    _HOSTILE,
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200
    ).filter(str.strip),
)


@settings(max_examples=60, deadline=None)
@given(
    title=_FREE,
    summary=_FREE,
    arm=_FREE,
    measure=_FREE,
    criteria=st.lists(st.one_of(_CRITERION, _HOSTILE), min_size=1, max_size=3),
)
def test_any_text_survives_record_to_draft_to_parse(
    title: str, summary: str, arm: str, measure: str, criteria: list[str]
) -> None:
    record = {
        "protocolSection": {
            "identificationModule": {"officialTitle": title},
            "descriptionModule": {"briefSummary": escape_markup(summary)},
            "armsInterventionsModule": {
                "armGroups": [
                    {"label": arm, "description": summary, "interventionNames": [f"Drug: {title}"]}
                ],
                "interventions": [{"type": "DRUG", "name": title, "description": measure}],
            },
            "outcomesModule": {"primaryOutcomes": [{"measure": measure, "timeFrame": title}]},
            "eligibilityModule": {"eligibilityCriteria": registry_layout(criteria, criteria)},
        }
    }
    module, diagnostics = parse_module(import_record(json.dumps(record)).text, "draft.trial")
    assert module is not None, [d.message for d in diagnostics]
    trial = next(d for d in module.declarations if type(d).__name__ == "Trial")
    fields = {f.key: f.values[0].value for f in trial.fields}
    assert (fields["title"], fields["summary"]) == (title, summary)
    [arm_decl] = [d for d in module.declarations if type(d).__name__ == "Arm"]
    assert (arm_decl.label, arm_decl.description) == (arm, summary)
    [drug] = [d for d in module.declarations if type(d).__name__ == "Intervention"]
    assert arm_decl.receives == (drug.name,)
    assert (drug.label, drug.field("description").value.value) == (title, measure)
    [objective] = [d for d in module.declarations if type(d).__name__ == "Objective"]
    assert [(e.text, e.timeframe) for e in objective.endpoints] == [(measure, title)]
    texts = [d.text for d in module.declarations if type(d).__name__ == "Criterion"]
    assert texts == criteria + criteria


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _FREE,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_FREE, inner, max_size=3),
    max_leaves=12,
)
_MODULES = {
    "identificationModule": ["nctId", "briefTitle", "officialTitle", "acronym", "orgStudyIdInfo"],
    "statusModule": ["overallStatus", "startDateStruct", "statusVerifiedDate", "whyStopped"],
    "sponsorCollaboratorsModule": ["responsibleParty", "leadSponsor", "collaborators"],
    "oversightModule": ["oversightHasDmc", "isFdaRegulatedDrug"],
    "descriptionModule": ["detailedDescription"],
    "designModule": ["phases", "designInfo", "enrollmentInfo", "studyType"],
    "armsInterventionsModule": ["armGroups", "interventions"],
    "outcomesModule": ["primaryOutcomes"],
    "eligibilityModule": ["eligibilityCriteria", "minimumAge", "sex", "stdAges"],
    "contactsLocationsModule": ["centralContacts", "overallOfficials", "locations"],
}


@st.composite
def _odd_records(draw: st.DrawFn) -> dict:
    """Records of the registry's shape whose values are of any JSON type."""
    section = {}
    for module, keys in _MODULES.items():
        chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
        section[module] = {key: draw(_JSON) for key in chosen}
    return {"protocolSection": section}


@settings(max_examples=80, deadline=None)
@given(_odd_records())
def test_a_record_with_values_of_any_type_still_gives_a_draft_that_parses(record: dict) -> None:
    draft = import_record(json.dumps(record))
    module, diagnostics = parse_module(draft.text, "draft.trial")
    assert module is not None, [d.message for d in diagnostics]


@settings(max_examples=60, deadline=None)
@given(name=_FREE, detail=_FREE, facility=_FREE, why=_FREE)
def test_any_text_of_people_and_places_survives_record_to_draft_to_parse(
    name: str, detail: str, facility: str, why: str
) -> None:
    record = {
        "protocolSection": {
            "statusModule": {"overallStatus": "TERMINATED", "whyStopped": why},
            "sponsorCollaboratorsModule": {
                "responsibleParty": {
                    "type": "PRINCIPAL_INVESTIGATOR",
                    "investigatorFullName": name,
                    "investigatorAffiliation": detail,
                }
            },
            "contactsLocationsModule": {
                "centralContacts": [{"name": name, "role": "CONTACT", "email": detail}],
                "locations": [
                    {
                        "facility": facility,
                        "city": detail,
                        "contacts": [{"name": name, "role": "PRINCIPAL_INVESTIGATOR"}],
                    }
                ],
            },
        }
    }
    module, diagnostics = parse_module(import_record(json.dumps(record)).text, "draft.trial")
    assert module is not None, [d.message for d in diagnostics]
    trial = next(d for d in module.declarations if type(d).__name__ == "Trial")
    fields = {f.key: f for f in trial.fields}
    party, contact, site = fields["responsible_party"], fields["contact"], fields["site"]

    def detail_of(f: object, key: str) -> object:
        found = f.detail(key)  # type: ignore[attr-defined]
        return None if found is None else found.value.value

    assert fields["why_stopped"].values[0].value == why
    assert (detail_of(party, "name"), detail_of(party, "affiliation")) == (name, detail)
    assert (contact.values[0].value, detail_of(contact, "email")) == (name, detail)
    assert (site.values[0].value, detail_of(site, "city")) == (facility, detail)
    assert detail_of(site, "investigator") == name
