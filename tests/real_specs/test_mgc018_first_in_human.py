"""CP-MGC018-01 (NCT03729596): first-in-human 3+3 escalation of vobramitamab duocarmazine.

The spec must check without errors or warnings, build every artefact
(escalation tables included), lay out 21-day cycles with dosing on day 1 of
each, and give witnesses that every screening engine classifies as they claim.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.real_specs import support

SPEC = "mgc018_first_in_human.trial"
CYCLE_DAYS = 21


def test_checks_without_errors_or_warnings() -> None:
    result = support.compiled(SPEC)
    assert result.spec is not None
    assert support.errors_and_warnings(result) == []


def test_cycles_are_21_days_with_dosing_on_day_1() -> None:
    spec = support.compiled(SPEC).spec
    assert spec is not None
    dosing = next(a for a in spec.activities.values() if a.name == "dosing")
    days = [spec.visits[v].day for v in dosing.visits]
    assert days == [CYCLE_DAYS * cycle + 1 for cycle in range(len(days))]
    cycle_1 = {v.name: v.day for v in spec.visits.values() if v.name.startswith("C1D")}
    assert cycle_1 == {"C1D1": 1, "C1D8": 8, "C1D15": 15}


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
    assert all(files != "nothing to write for this spec" for files in listed.values()), listed
    table = (tmp_path / "escalation" / "decision_table.txt").read_text(encoding="utf-8")
    assert table.strip()
    record = json.loads((tmp_path / "registry" / "ctgov.json").read_text(encoding="utf-8"))
    study = record["protocolSection"]
    assert study["identificationModule"]["nctId"] == "NCT03729596"
    assert study["designModule"]["enrollmentInfo"]["count"] == 143


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_witnesses_screen_as_they_claim(tmp_path: Path, engine: str) -> None:
    # One eligible subject and at least one failing each of the 10 criteria.
    assert support.check_witnesses(SPEC, tmp_path, engine) >= 11
