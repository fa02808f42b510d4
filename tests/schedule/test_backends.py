"""Regimens in the artefacts: the protocol's dosing section, SDTM TS, the registry
record and the semantic diff, built from the regimens case spec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generators.diff.compare import diff
from generators.documents import protocol
from generators.registries import ctgov
from generators.sdtm import tdm
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec

CASE = Path(__file__).resolve().parents[1] / "checks" / "cases" / "regimens_ok.trial"


def _compile(source: str) -> Spec:
    result = compile_spec(str(CASE), source)
    errors = [(d.code, d.message) for d in result.diagnostics if d.is_error]
    assert not errors, errors
    assert result.spec is not None
    return result.spec


@pytest.fixture(scope="module")
def spec() -> Spec:
    return _compile(CASE.read_text(encoding="utf-8"))


def test_protocol_describes_each_regimen(spec: Spec, tmp_path: Path) -> None:
    protocol.build(spec, tmp_path)
    text = (tmp_path / "protocol.md").read_text(encoding="utf-8")
    assert "### 6.3 Dosing regimens" in text
    assert (
        "Loading doses, then every 4 weeks (Study drug): 10 mg/kg intravenous infusion over "
        "1 hour on days 1, 15 and 29, then every 4 weeks to week 12 (Q4W, every 4 weeks; "
        "5 administrations at most)."
    ) in text
    assert "Planned administrations (5 in all), on study days 1, 15, 29, 57, 85." in text
    assert "| minus1 | 7.5 mg/kg | First reduction |" in text
    assert "Dose withholding: Withhold for grade 3 toxicity" in text
    assert "the measure used is the baseline measure" in text
    # dose levels given as a regimen: no "single target dose" when a regimen says otherwise
    assert "single target dose" not in text
    assert "Every dose level is given as the regimen q3w, at the level's dose: " in text


def test_ts_gives_the_cdisc_frequency_unit_and_route(spec: Spec) -> None:
    values = {(code, value) for code, _name, _seq, value in tdm.ts_values(spec)}
    assert ("DOSFRQ", "EVERY 4 WEEKS") in values  # the FREQ submission value of Q4W
    assert ("DOSU", "mg/kg") in values
    assert ("ROUTE", "INTRAVENOUS") in values


def test_ts_frequency_from_the_days_when_none_is_written(spec: Spec) -> None:
    source = CASE.read_text(encoding="utf-8").replace("  frequency   Q4W\n", "")
    values = {(code, value) for code, _name, _seq, value in tdm.ts_values(_compile(source))}
    assert ("DOSFRQ", "EVERY 4 WEEKS") in values  # the FREQ submission value of Q4W


def test_registry_states_the_regimen(spec: Spec) -> None:
    module = ctgov.record(spec)["protocolSection"]["armsInterventionsModule"]
    arm = module["armGroups"][0]
    assert arm["description"].startswith("Study drug: 10 mg/kg intravenous infusion over 1 hour")
    drugs = {i["name"]: i["description"] for i in module["interventions"]}
    assert drugs["New drug"].startswith("Each dose level: on day 1, then every 3 weeks")
    assert json.dumps(module)  # plain JSON


@pytest.mark.parametrize(
    ("find", "replace", "rule", "direction"),
    [
        ("at_most 5 administrations", "at_most 4 administrations", "DOSING_SCHEDULE_CHANGED",
         "lowered"),
        ("  frequency   Q4W\n", "", "DOSING_SCHEDULE_CHANGED", "removed"),
        ("minus2 5 mg/kg", "minus2 2.5 mg/kg", "DOSE_MODIFICATION_CHANGED", "changed"),
        ('resume      "Resume one level lower"', 'resume      "Do not resume"',
         "DOSE_MODIFICATION_CHANGED", "reworded"),
        ("infusion    1 h", "infusion    2 h", "DOSING_REGIMEN_CHANGED", "changed"),
        ("  regimen q3w\n", "", "DOSING_REGIMEN_CHANGED", "removed"),
    ],
)  # fmt: skip
def test_a_regimen_change_is_classified(
    spec: Spec, find: str, replace: str, rule: str, direction: str
) -> None:
    source = CASE.read_text(encoding="utf-8")
    assert source.count(find) == 1
    changed = source.replace(find, replace)
    if rule == "DOSING_REGIMEN_CHANGED" and direction == "removed":
        changed = (
            changed.replace("    DL1 1 mg\n", "    DL1 1 mg\n")
            .replace("regimen q3w of NEW {\n", "regimen q3w of NEW {\n  dose 1 mg\n")
            .replace("  dlt_window cycle 1\n", "  dlt_window 21 days from first_dose\n")
        )
    changes = diff(spec, _compile(changed))
    found = [(c.rule_id, c.direction) for c in changes]
    assert (rule, direction) in found, found
    change = next(c for c in changes if (c.rule_id, c.direction) == (rule, direction))
    assert change.substantial_eu


def test_schedule_of_activities_marks_the_dosing_visits(spec: Spec) -> None:
    from generators.documents.schedule import build_schedule

    schedule = build_schedule(spec)
    visits = [c.visit.name for c in schedule.columns]
    rows = {r.name: r for r in schedule.rows if r.kind == "dosing"}
    # the at-home daily tablets are no visit's activity: no row
    assert sorted(rows) == ["regimen q3w", "regimen q4w"]
    q4w = rows["regimen q4w"]
    assert [v for v, x in zip(visits, q4w.at, strict=True) if x] == [
        "D1",
        "D15",
        "D29",
        "D57",
        "D85",
    ]
    note = next(f for f in schedule.footnotes if f.key == q4w.footnotes[0])
    assert note.text.startswith("Study drug (Loading doses, then every 4 weeks): 10 mg/kg")


def test_a_longer_cycle_count_changes_a_cycle_regimen() -> None:
    source = """trial T { title "Cycles" }
epoch treatment
cycle treatment_cycle "Treatment cycle" lasts 21 days in treatment count 4 {
  visit D1 "Day 1" day 1
}
intervention AB "Antibody" { type biological }
regimen q3w of AB {
  dose 200 mg
  on day 1 of each treatment_cycle
  frequency Q3W
}
"""
    old = _compile(source)
    new = _compile(source.replace("count 4", "count 6"))
    found = {(c.rule_id, c.direction, c.target) for c in diff(old, new)}
    assert ("DOSING_SCHEDULE_CHANGED", "raised", "regimen q3w") in found
