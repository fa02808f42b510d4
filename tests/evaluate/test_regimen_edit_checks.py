"""Edit checks under a regimen, on the subject's calendar: missed, extra, late and
wrongly measured doses, delayed cycles, the maximum number of administrations.

A property test generates exposure logs on an oncology-shaped spec (cycles dosed
on days 1 and 8 at 10 mg/kg) and compares the findings with the protocol's rules
written out independently (`dosing.logs.expected`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate.edit_checks import RULES, EditChecker, Finding
from protocol_dsl.spec import Spec

from .dosing import logs

HERE = Path(__file__).resolve().parent / "dosing"


def _load(name: str) -> Spec:
    path = HERE / name
    result = compile_spec(str(path), path.read_text())
    assert result.spec is not None
    return result.spec


ONCOLOGY = _load("oncology.trial")
LOADING = _load("loading.trial")
CHECKER = EditChecker(ONCOLOGY)
LOADING_CHECKER = EditChecker(LOADING)


def _found(findings: list[Finding], rules: frozenset[str]) -> set[tuple[str, Any]]:
    return {
        (f.rule, f.record if f.record is not None else f.visit) for f in findings if f.rule in rules
    }


def test_the_new_rules_are_described() -> None:
    for rule in ("CYCLE_DELAYED", "DOSE_OUT_OF_WINDOW", "DOSES_BEYOND_MAXIMUM"):
        assert RULES[rule]


def test_a_subject_dosed_as_planned_has_no_dosing_finding() -> None:
    course = logs.Course("S1", (0, 0, 0, 0), 72.0)
    findings = CHECKER.check(logs.subject(course))
    assert _found(findings, logs.DOSING_RULES | logs.WINDOW_RULES) == set()


def test_a_delayed_cycle_is_reported_once_and_moves_the_doses_after_it() -> None:
    course = logs.Course("S1", (0, 0, 5, 0, 0), 72.0)
    findings = CHECKER.check(logs.subject(course))
    assert _found(findings, logs.DOSING_RULES | logs.WINDOW_RULES) == {("CYCLE_DELAYED", "C3D1")}
    (delayed,) = [f for f in findings if f.rule == "CYCLE_DELAYED"]
    assert "cycle 3 of treatment_cycle started with C3D1 on 2026-02-21, 4 days late" in (
        delayed.message
    )
    assert "the cycles after it are planned from this date" in delayed.message


def test_a_visit_moved_by_a_delay_names_the_delay() -> None:
    course = logs.Course("S1", (0, 0, 5, 0), 72.0)
    subject = logs.subject(course)
    c4 = dt.date.fromisoformat(subject["visits"]["C4D8"])
    subject["visits"]["C4D8"] = (c4 + dt.timedelta(days=4)).isoformat()
    findings = [f for f in CHECKER.check(subject) if f.rule == "VISIT_OUT_OF_WINDOW"]
    assert [f.visit for f in findings] == ["C4D8"]
    assert "planned 2026-03-21" in findings[0].message
    assert "after C3D1 was delayed 5 days" in findings[0].message
    assert "3 days late" in findings[0].message


def test_each_deviation_has_its_rule() -> None:
    course = logs.Course(
        "S1",
        (0, 0, 0),
        72.0,
        missed=frozenset({(2, 1)}),
        late=(((3, 8), 3),),
        wrong=(((1, 8), 1.5),),
        extra=frozenset({1}),
    )
    findings = CHECKER.check(logs.subject(course))
    assert _found(findings, logs.DOSING_RULES) == logs.expected(course)
    by_rule = {f.rule: f for f in findings}
    assert by_rule["PLANNED_DOSE_MISSING"].visit == "C2D1"
    assert "dose 3 of regimen q3w (cycle 2 day 1) was due 2026-01-26" in (
        by_rule["PLANNED_DOSE_MISSING"].message
    )
    assert by_rule["DOSE_NOT_AS_PLANNED"].expected == 720
    assert "planned 720 mg (10 mg/kg at 72 kg, ± 10 %)" in by_rule["DOSE_NOT_AS_PLANNED"].message
    assert "2 days late" in by_rule["DOSE_OUT_OF_WINDOW"].message
    assert "an extra dose" in by_rule["DOSE_ON_UNPLANNED_DAY"].message


def test_within_ten_percent_of_a_weight_based_dose_is_as_planned() -> None:
    course = logs.Course("S1", (0, 0), 72.0, wrong=(((1, 1), 1.05), ((2, 1), 0.95)))
    assert _found(CHECKER.check(logs.subject(course)), logs.DOSING_RULES) == set()


def test_no_weight_recorded_no_amount_finding() -> None:
    course = logs.Course("S1", (0, 0), None, wrong=(((1, 1), 3.0),))
    assert _found(CHECKER.check(logs.subject(course)), logs.DOSING_RULES) == set()


def test_a_missed_dose_is_not_reported_before_treatment_goes_on() -> None:
    # the last planned dose of the log: nothing after it, it may still come
    course = logs.Course("S1", (0, 0), 72.0, missed=frozenset({(2, 8)}))
    assert _found(CHECKER.check(logs.subject(course)), logs.DOSING_RULES) == set()


def test_cycles_not_started_are_not_missed_doses() -> None:
    # up to 6 cycles: a subject who stopped after 2 (and came to follow-up) missed nothing
    subject = logs.subject(logs.Course("S1", (0, 0), 72.0))
    subject["visits"]["EOT"] = "2026-03-01"
    subject["visits"]["SFU"] = "2026-03-10"
    assert _found(CHECKER.check(subject), logs.DOSING_RULES) == set()


def test_the_safety_follow_up_counts_from_the_last_dose_record() -> None:
    subject = logs.subject(logs.Course("S1", (0, 0), 72.0))
    last = max(r["given"] for r in subject["forms"]["exposure"])
    subject["visits"]["EOT"] = "2026-02-20"
    on_time = dt.date.fromisoformat(last) + dt.timedelta(days=30)
    subject["visits"]["SFU"] = (on_time + dt.timedelta(days=9)).isoformat()
    findings = [f for f in CHECKER.check(subject) if f.rule == "VISIT_OUT_OF_WINDOW"]
    assert [f.visit for f in findings] == ["SFU"]
    assert "2 days late" in findings[0].message and "30 days after last_dose" in findings[0].message


@given(logs.courses())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_findings_follow_the_protocol_rules(course: logs.Course) -> None:
    findings = CHECKER.check(logs.subject(course))
    assert _found(findings, logs.DOSING_RULES | logs.WINDOW_RULES) == logs.expected(course)


@given(logs.courses())
@settings(max_examples=50, deadline=None)
def test_a_course_without_deviations_has_no_dosing_finding(course: logs.Course) -> None:
    clean = logs.Course(course.subject_id, course.delays, course.weight)
    assert _found(CHECKER.check(logs.subject(clean)), logs.DOSING_RULES) == set()


# ---------------------------------------------------------------- loading doses, a maximum


def _loading_subject(days: list[int], amounts: list[float], weight: float | None = 80.0) -> dict:
    day1 = dt.date(2026, 3, 2)

    def on(day: int) -> str:
        return (day1 + dt.timedelta(days=day - 1)).isoformat()

    visits = {"D1": on(1), **{f"D{d}": on(d) for d in (15, 22, 29, 43, 57, 85) if d <= max(days)}}
    vitals = {"D1": {"weight": weight}} if weight is not None else {}
    return {
        "subject_id": "L1",
        "arm": "A",
        "visits": visits,
        "forms": {
            "vitals": vitals,
            "exposure": [{"given": on(d), "dose": a} for d, a in zip(days, amounts, strict=True)],
        },
    }


def test_loading_doses_as_planned() -> None:
    subject = _loading_subject([1, 15, 29, 57, 85], [800.0] * 5)
    assert _found(LOADING_CHECKER.check(subject), logs.DOSING_RULES) == set()


def test_the_baseline_weight_counts_for_every_dose() -> None:
    subject = _loading_subject([1, 15, 29, 57, 85], [800.0] * 5)
    subject["forms"]["vitals"]["D57"] = {"weight": 60.0}  # `dose_weight baseline`: ignored
    assert _found(LOADING_CHECKER.check(subject), logs.DOSING_RULES) == set()


def test_more_administrations_than_the_maximum() -> None:
    subject = _loading_subject([1, 15, 29, 57, 85, 113], [800.0] * 6)
    findings = [f for f in LOADING_CHECKER.check(subject) if f.rule in logs.DOSING_RULES]
    assert _found(findings, logs.DOSING_RULES) == {("DOSES_BEYOND_MAXIMUM", 5)}
    assert "administration 6; arm A plans at most 5" in findings[0].message


def test_a_dose_level_follows_its_regimen() -> None:
    subject = _loading_subject([1, 22, 43], [300.0, 300.0, 100.0])
    del subject["arm"]
    subject["dose_level"] = "DL2"
    findings = [f for f in LOADING_CHECKER.check(subject) if f.rule in logs.DOSING_RULES]
    assert _found(findings, logs.DOSING_RULES) == {("DOSE_NOT_AS_PLANNED", 2)}
    assert "planned 300 mg (300 mg)" in findings[0].message


@pytest.mark.parametrize("weight", [None, 80.0])
def test_an_early_loading_dose(weight: float | None) -> None:
    subject = _loading_subject([1, 12, 29], [800.0] * 3, weight)
    findings = [f for f in LOADING_CHECKER.check(subject) if f.rule in logs.DOSING_RULES]
    assert _found(findings, logs.DOSING_RULES) == {("DOSE_OUT_OF_WINDOW", 1)}
    assert "1 day early" in findings[0].message


@given(logs.courses())
@example(logs.Course("S1", (0, 0, 0), 70.0))  # C3D1 and TA1 on the same day
@settings(max_examples=50, deadline=None)
def test_every_planned_dose_is_due_on_the_day_of_a_visit(course: logs.Course) -> None:
    """On the subject's calendar, with its delays, each dose the regimen plans in a started
    cycle falls on the date its cycle visit was recorded (a dose day is a visit day)."""
    from protocol_dsl.evaluate.edit_checks import _dose_due

    subject = logs.subject(course)
    data = CHECKER.screener.normalise(subject)
    calendar = CHECKER.calendar(data)
    recorded: dict[dt.date, set[str]] = {}
    for name, date in data.visits.items():
        recorded.setdefault(date, set()).add(name)
    for regimen, dose in CHECKER.arm_plans["A"]:
        if dose.cycle is None or dose.cycle > len(course.delays):
            continue
        due, _before, _after = _dose_due(calendar, regimen, dose)
        assert f"C{dose.cycle}D{dose.cycle_day}" in recorded.get(due, set())
