"""CP-MGC018-01 (NCT03729596): first-in-human 3+3 escalation of vobramitamab duocarmazine.

The spec must check without errors or warnings, build every artefact
(escalation tables included), lay out 21-day cycles with dosing on day 1 of
each, and give witnesses that every screening engine classifies as they claim.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from protocol_dsl.schedule.regimens import level_administrations, planned_administrations
from tests.real_specs import support

SPEC = "mgc018_first_in_human.trial"
CYCLE_DAYS = 21
#: Up to two years of treatment: 35 cycles of 21 days.
MAX_CYCLES = 35


def test_checks_without_errors_or_warnings() -> None:
    result = support.compiled(SPEC)
    assert result.spec is not None
    assert support.errors_and_warnings(result) == []


def test_the_visits_are_the_protocol_schedule() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    planned = [(v.name, v.day) for v in spec.visits.values() if v.day is not None]
    cycles = {f"C{c}D1": CYCLE_DAYS * (c - 1) + 1 for c in range(1, MAX_CYCLES + 1)}
    cycles |= {"C1D8": 8, "C1D15": 15}
    assessments = {f"TA{week}": 7 * week + 1 for week in range(6, 105, 6)}
    assert dict(planned) == {"SCR": -28} | cycles | assessments
    # C35D1 (day 715) is the last cycle that starts within two years of the first dose
    assert max(cycles.values()) <= 2 * 365 < max(cycles.values()) + CYCLE_DAYS


def test_follow_up_counts_from_the_last_dose() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    after_last_dose = {
        v.name: f"{v.relative_to.offset.value} {v.relative_to.offset.unit} after {v.relative_to.anchor}"
        for v in spec.visits.values()
        if v.relative_to is not None and v.relative_to.offset is not None
    }
    survival = {f"SURV{n}": f"{84 * n} days after last_dose" for n in range(1, 9)}
    assert after_last_dose == {"SFU": "30 days after last_dose"} | survival


def test_dosing_is_on_day_1_of_every_cycle_and_pk_is_dense_in_cycle_1() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    dosing = spec.activities["dosing"]
    assert [spec.visits[v].day for v in dosing.visits] == [
        CYCLE_DAYS * c + 1 for c in range(MAX_CYCLES)
    ]
    c1d1 = spec.visits["C1D1"]
    assert [t.name for t in c1d1.timepoints] == ["predose", "eoi", "h4"]
    assert [t.name for t in spec.visits["C2D1"].timepoints] == ["predose", "eoi", "h4"]


def test_the_dose_levels_are_those_reported() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    finding = spec.dose_finding
    assert finding is not None
    doses = [(str(level.dose.value), level.dose.unit) for level in finding.levels]
    assert doses == [
        ("0.5", "mg/kg"),
        ("1", "mg/kg"),
        ("2", "mg/kg"),
        ("3", "mg/kg"),
        ("4", "mg/kg"),
    ]


def test_every_artefact_builds(tmp_path: Path) -> None:
    listed = support.build(SPEC, tmp_path)
    # every artefact but the PRS upload file, which needs the PRS account (prs_organization)
    assert [a for a, files in listed.items() if files == "nothing to write for this spec"] == [
        "prs"
    ], listed
    table = (tmp_path / "escalation" / "decision_table.txt").read_text(encoding="utf-8")
    assert table.strip()
    record = json.loads((tmp_path / "registry" / "ctgov.json").read_text(encoding="utf-8"))
    study = record["protocolSection"]
    assert study["identificationModule"]["nctId"] == "NCT03729596"
    # the trial is over: the registry's count is the number enrolled
    assert study["designModule"]["enrollmentInfo"] == {"count": 143, "type": "ACTUAL"}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_witnesses_screen_as_they_claim(tmp_path: Path, engine: str) -> None:
    # One eligible subject and at least one failing each of the 10 criteria.
    assert support.check_witnesses(SPEC, tmp_path, engine) >= 11


def test_each_dose_level_is_given_every_3_weeks_on_day_1_of_each_cycle() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    finding = spec.dose_finding
    assert finding is not None
    for level in finding.levels:
        planned = level_administrations(spec, finding, level)
        assert [p.day for p in planned] == [CYCLE_DAYS * c + 1 for c in range(MAX_CYCLES)]
        assert [p.visit for p in planned] == [f"C{c}D1" for c in range(1, MAX_CYCLES + 1)]
        assert {p.amount for p in planned} == {level.dose}
    expansion = planned_administrations(spec, spec.regimens["q3w_rp2d"])
    assert len(expansion) == MAX_CYCLES
    assert {(str(p.amount.value), p.amount.unit) for p in expansion if p.amount} == {("3", "mg/kg")}
