"""BLISS-52 (NCT00424476): belimumab in SLE, written from its public record and report.

The spec must check without errors or warnings, build every artefact, lay out
the visits of the protocol (infusions on days 0, 14 and 28, then every 28 days
through week 48; assessments every 4 weeks to the primary endpoint at week 52),
and give witnesses that every screening engine classifies as they claim.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from protocol_dsl.schedule.regimens import planned_administrations
from tests.real_specs import support

SPEC = "bliss52_belimumab_sle.trial"

#: Protocol day N (the first infusion is day 0) is study day N + 1.
INFUSION_DAYS = [0, 14, 28, *range(56, 337, 28)]
ASSESSMENT_WEEKS = [2, 4, *range(8, 53, 4)]


def test_checks_without_errors_or_warnings() -> None:
    result = support.compiled(SPEC)
    assert result.spec is not None
    assert support.errors_and_warnings(result) == []


def test_the_visits_are_the_protocol_schedule() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    scheduled = {
        visit.name: visit.day
        for visit in spec.visits.values()
        if visit.day is not None and visit.name != "SCR"
    }
    expected = {"D0": 1, "D14": 15} | {f"W{week}": week * 7 + 1 for week in ASSESSMENT_WEEKS[1:]}
    assert scheduled == expected
    assert spec.visits["SCR"].day_end == -1
    # the four-weekly infusion visits are one repeat, W4 to W48
    repeat = [v.name for v in spec.visits.values() if v.series == "W"]
    assert repeat == [f"W{week}" for week in range(4, 49, 4)]


def test_infusions_fall_on_days_0_14_28_then_every_28_days_through_week_48() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    infusion = next(a for a in spec.activities.values() if a.name == "infusion")
    days = [spec.visits[v].day for v in infusion.visits]
    assert days == [day + 1 for day in INFUSION_DAYS]
    assert len(days) == 14  # weeks 0, 2 and 4, then weeks 8 to 48


def test_every_artefact_builds(tmp_path: Path) -> None:
    listed = support.build(SPEC, tmp_path)
    # A randomised trial without a dose-finding design has no escalation tables, and
    # without its PRS account (`prs_organization`) no PRS upload file.
    assert [a for a, files in listed.items() if files == "nothing to write for this spec"] == [
        "prs",
        "escalation",
    ]
    assert (tmp_path / "protocol.html").stat().st_size > 0
    record = json.loads((tmp_path / "registry" / "ctgov.json").read_text(encoding="utf-8"))
    study = record["protocolSection"]
    assert study["identificationModule"]["nctId"] == "NCT00424476"
    assert study["identificationModule"]["acronym"] == "BLISS-52"
    # the trial is over: the registry's count is the number enrolled
    assert study["designModule"]["enrollmentInfo"] == {"count": 865, "type": "ACTUAL"}
    assert study["designModule"]["designInfo"]["allocation"] == "RANDOMIZED"
    arms = [arm["label"] for arm in study["armsInterventionsModule"]["armGroups"]]
    assert arms == ["Placebo", "Belimumab 1 mg/kg", "Belimumab 10 mg/kg"]
    masking = study["designModule"]["designInfo"]["maskingInfo"]
    assert (masking["masking"], masking["whoMasked"]) == ("DOUBLE", ["PARTICIPANT", "INVESTIGATOR"])
    summary = (tmp_path / "sdtm" / "ts.csv").read_text(encoding="utf-8").splitlines()
    parameters = [row.split(",")[3:6] for row in summary]
    assert ["RANDQT", "Randomization Quotient", "0.67"] in parameters  # 2 of 3 arms experimental
    assert [p[2] for p in parameters if p[0] == "STRATFCT"] == [
        "Screening SELENA-SLEDAI score",
        "Proteinuria at screening",
        "Race",
    ]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_witnesses_screen_as_they_claim(tmp_path: Path, engine: str) -> None:
    # One eligible subject and at least one failing each of the 10 criteria.
    assert support.check_witnesses(SPEC, tmp_path, engine) >= 11


#: SELENA-SLEDAI descriptors present at screening, and the activity stratum they make.
ACTIVITY = {
    "nine_or_less": ("arthritis", "rash"),  # 4 + 2 = 6, the least that is eligible
    "ten_or_more": ("arthritis", "rash", "low_complement", "increased_dna_binding"),  # 10
}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(
    ("activity", "proteinuria", "race", "strata"),
    [
        ("nine_or_less", 1.99, "white", "proteinuria=below_2_g;race=other"),
        (
            "ten_or_more",
            2,
            "black_or_african_american",
            "proteinuria=two_g_or_more;race=african_or_indigenous",
        ),
        (
            "ten_or_more",
            0.4,
            "american_indian_or_alaska_native",
            "proteinuria=below_2_g;race=african_or_indigenous",
        ),
    ],
)
def test_an_eligible_subject_is_stratified_by_activity_proteinuria_and_race(
    tmp_path: Path, engine: str, activity: str, proteinuria: float, race: str, strata: str
) -> None:
    _, subjects = support.witness_file(SPEC, tmp_path)
    (eligible,) = [s for s in subjects if s["witness"]["kind"] == "eligible"]
    forms = eligible["forms"]
    descriptors = forms["selena_sledai_form"]["SCR"]
    forms["selena_sledai_form"]["SCR"] = {name: name in ACTIVITY[activity] for name in descriptors}
    forms.setdefault("screening_labs", {}).setdefault("SCR", {})["proteinuria"] = proteinuria
    forms["demographics"]["SCR"]["race"] = race
    data = tmp_path / "eligible.json"
    data.write_text(json.dumps([eligible]), encoding="utf-8")
    (result,) = support.screened(SPEC, data, engine).values()
    assert result["status"] == "eligible"
    assert result["stratum"] == f"disease_activity={activity};{strata}"


@pytest.mark.parametrize(
    ("regimen", "dose"), [("placebo_q4w", "0"), ("bel1_q4w", "1"), ("bel10_q4w", "10")]
)
def test_each_arm_is_dosed_on_days_0_14_28_then_every_28_days_through_week_48(
    regimen: str, dose: str
) -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    planned = planned_administrations(spec, spec.regimens[regimen])
    assert [p.day for p in planned] == [day + 1 for day in INFUSION_DAYS]
    assert [p.visit for p in planned] == ["D0", "D14", *(f"W{w}" for w in range(4, 49, 4))]
    # the first three are loading doses; the four-weekly repeat starts after day 28
    assert [p.repeated for p in planned] == [False] * 3 + [True] * 11
    assert {(str(p.amount.value), p.amount.unit) for p in planned if p.amount} == {(dose, "mg/kg")}
