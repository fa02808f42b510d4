"""The CDISC pilot exported from `specs/cdiscpilot01.trial` compared with CDISC's own USDM
example of the same study (`CDISC_Pilot_Study.json`), element by element.

Every difference is written out here, with its reason (docs/usdm.md, "The CDISC pilot
compared with CDISC's example"): information the spec lacks (it is built from the
SDTM trial design datasets, not from the protocol), or the example's own choices.
A change on either side shows up as a failing line.
"""

from __future__ import annotations

from typing import Any

from tests.usdm.support import PILOT_EXAMPLE, elements, example, exported

INCLUSION, EXCLUSION = "C25532", "C25370"
PRIMARY, SECONDARY = "C85826", "C85827"


def ours() -> dict[str, Any]:
    return elements(exported("cdiscpilot01"))


def theirs() -> dict[str, Any]:
    return elements(example(PILOT_EXAMPLE))


def test_epochs_the_example_splits_treatment_in_three_and_adds_follow_up() -> None:
    assert ours()["epochs"] == ["Screening", "Treatment"]
    # the example's epochs follow the high-dose arm's three elements (TA), and a
    # follow-up epoch; the SDTM TV dataset the spec is built from has two epochs
    assert theirs()["epochs"] == [
        "Screening", "Treatment One", "Treatment Two", "Treatment Three", "Follow Up",
    ]  # fmt: skip


def test_encounters_the_example_has_twelve_of_our_eighteen_in_the_same_order() -> None:
    mine = [e.lower() for e in ours()["encounters"]]
    example_encounters = [e.lower() for e in theirs()["encounters"]]
    assert len(example_encounters) == 12 and len(mine) == 18
    # the example's encounters are ours, in the same order
    assert [e for e in mine if e in example_encounters] == example_encounters
    # the six more are TV's ambulatory ECG visits and the telephone contacts of weeks 10-22
    assert [e for e in mine if e not in example_encounters] == [
        "ambul ecg placement", "ambul ecg removal",
        "week 10 (t)", "week 14 (t)", "week 18 (t)", "week 22 (t)",
    ]  # fmt: skip


#: the spec's activity (or form) → the example's activity for the same assessment
SAME_ACTIVITY = {
    "Informed consent": "Informed consent",
    "Demographics": "Demographics",
    "Medical history": "Medical history",
    "Vital signs": "Vital Signs and Temperature",
    "ADAS-Cog (11) and ADAS-Cog (14)": "ADAS-Cog",
    "CIBIC+": "CIBIC+",
    "Disability Assessment for Dementia (DAD)": "DAD",
    "Revised Neuropsychiatric Inventory (NPI-X)": "NPI-X",
    "Prior and concomitant medications": "Concomitant medications",
    "Study drug exposure": "Study drug record , Medications dispensed, Medications returned",
    "Adverse events": "Adverse events",
}

#: encounters where the example schedules an activity and the spec does not
EXAMPLE_ONLY = {
    # the example also administers the scales at screening (and CIBIC+ at baseline)
    "ADAS-Cog (11) and ADAS-Cog (14)": ["screening 1"],
    "CIBIC+": ["screening 1", "baseline"],
    "Disability Assessment for Dementia (DAD)": ["screening 1"],
    "Revised Neuropsychiatric Inventory (NPI-X)": [
        "screening 1", "week 2", "week 4", "week 6", "week 12", "week 20", "week 26",
    ],
    # the spec collects these logs only where SDTM has them: CM at screening and
    # baseline, EX at baseline, week 2 and week 24
    "Prior and concomitant medications": [
        "week 2", "week 4", "week 6", "week 8", "week 12", "week 16", "week 20", "week 24",
        "week 26",
    ],
    "Study drug exposure": ["week 4", "week 6", "week 8", "week 12", "week 16", "week 20", "week 26"],
}  # fmt: skip

#: encounters where the spec has an activity and the example does not
SPEC_ONLY = {
    # the example records adverse events on a timeline of their own, not at encounters
    "Adverse events": [
        "baseline", "week 2", "week 4", "week 6", "week 8", "week 12", "week 16", "week 20",
        "week 24", "week 26",
    ],
}  # fmt: skip


def _where(found: dict[str, Any], activity: str) -> list[str]:
    return [e.lower() for e, done in found["activities"].items() if activity in done]


def test_activities_per_encounter_with_every_difference_written_out() -> None:
    mine, example_found = ours(), theirs()
    for spec_activity, example_activity in SAME_ACTIVITY.items():
        here = _where(mine, spec_activity)
        there = _where(example_found, example_activity)
        assert [e for e in there if e not in here] == EXAMPLE_ONLY.get(spec_activity, [])
        assert [e for e in here if e not in there] == SPEC_ONLY.get(spec_activity, [])


def test_activities_the_example_has_and_the_spec_does_not() -> None:
    named = set(SAME_ACTIVITY.values())
    extra = sorted({a for done in theirs()["activities"].values() for a in done} - named)
    # laboratory panels, ECG, imaging, PK samples, procedures: the spec's data dictionary
    # holds what its criteria and endpoints read, not the whole schedule of assessments
    assert extra == [
        "Ambulatory ECG placed", "Ambulatory ECG removed", "Apo E genotyping", "CT scan",
        "Chemistry", "Chest X-ray", "ECG", "Habits", "Hachinski Ischemic Scale", "Hematology",
        "Hemoglobin A1C", "Inclusion and exclusion criteria", "MMSE", "Patient number assigned",
        "Patient randomised", "Physical examination", "Placebo TTS test",
        "Plasma Specimen (Xanomeline)", "TTS Acceptability Survey", "Uninalysis",
    ]  # fmt: skip


#: criteria (1-based, in order) whose texts are the same word for word
SAME_CRITERIA = [1, 3, 6, 7, 10, 11, 13, 15, 23, 26]


def test_criteria_same_order_and_categories_ten_texts_word_for_word() -> None:
    mine, example_found = ours()["criteria"], theirs()["criteria"]
    assert (
        [c for c, _ in mine] == [c for c, _ in example_found] == [INCLUSION] * 8 + [EXCLUSION] * 23
    )
    same = [n for n, (a, b) in enumerate(zip(mine, example_found, strict=True), 1) if a == b]
    assert same == SAME_CRITERIA
    # the other 21: the spec has SDTM TI's short texts (IETEST, at most 200 characters,
    # typos included), the example the protocol's full texts with their lists
    for number, ((_, short), (_, full)) in enumerate(zip(mine, example_found, strict=True), 1):
        if number not in SAME_CRITERIA:
            assert len(full) > len(short) or number in (2, 4, 9), number
    assert (
        mine[3][1]
        == "Modified Hachinski Ischemic Scale score of <= 4. (Protocol Attachment LZZT.8)."
    )
    assert example_found[3][1] == "Hachinski Ischemic Scale score of ≤4 (Attachment LZZT.8)."


def test_objectives_same_levels_three_texts_the_same_endpoints_differ() -> None:
    mine, example_found = ours()["objectives"], theirs()["objectives"]
    levels = [PRIMARY, PRIMARY, SECONDARY, SECONDARY, SECONDARY, SECONDARY]
    assert [o[0] for o in mine] == [o[0] for o in example_found] == levels
    same = [n for n, (a, b) in enumerate(zip(mine, example_found, strict=True)) if a[1] == b[1]]
    assert same == [1, 2, 5]
    # the example leaves three secondary objectives' endpoints "to be determined"
    assert [o[2] for o in example_found[3:]] == [["*** To be determined from protocol ***"]] * 3
    # ours adds the number of treatment-emergent dermatologic events (NDERM) to the safety objective
    assert [len(o[2]) for o in mine] == [2, 5, 1, 1, 1, 1]
    assert [len(o[2]) for o in example_found] == [2, 3, 3, 1, 1, 1]


def test_arms_same_three_the_example_types_the_active_arms_as_comparators() -> None:
    mine, example_found = ours()["arms"], theirs()["arms"]
    assert sorted(label for label, _ in mine) == sorted(label for label, _ in example_found)
    assert dict(mine) == {
        "Placebo": "C174268",  # Placebo Control Arm
        "Xanomeline High Dose": "C174266",  # Investigational Arm (TA's ARM type)
        "Xanomeline Low Dose": "C174266",
    }
    assert dict(example_found) == {
        "Placebo": "C174268",
        "Xanomeline High Dose": "C174267",  # Active Comparator Arm: the example's choice
        "Xanomeline Low Dose": "C174267",
    }
