"""Edit checks on QLS4131 subjects: ranges, required and conditional items, windows, doses."""

from __future__ import annotations

import copy
from typing import Any

from protocol_dsl.evaluate.edit_checks import RULES, EditChecker, Finding
from protocol_dsl.spec import Spec

from .conftest import load_subject


def _base() -> dict[str, Any]:
    """The eligible subject, with the day 1 assessments as well (it attended day 1)."""
    subject = copy.deepcopy(load_subject("qls_eligible.json")["subject"])
    forms = subject["forms"]
    forms["vital_signs"]["D1"] = {"systolic_bp": 120, "diastolic_bp": 76}
    forms["sle__sledai_2k_form"]["D1"] = dict(forms["sle__sledai_2k_form"]["SCR"])
    return subject


def _check(spec: Spec, subject: dict[str, Any], **options: Any) -> list[Finding]:
    return EditChecker(spec).check(subject, **options)


def _rules(findings: list[Finding]) -> list[tuple[str, str | None, str | None, Any]]:
    return [(f.rule, f.item, f.visit, f.record) for f in findings]


def test_a_clean_subject_has_no_findings(qls_spec: Spec) -> None:
    assert _check(qls_spec, _base()) == []


def test_every_rule_id_is_upper_snake_and_described() -> None:
    for rule, description in RULES.items():
        assert rule == rule.upper() and " " not in rule and description


def test_item_out_of_range(qls_spec: Spec) -> None:
    subject = _base()
    subject["forms"]["vital_signs"]["SCR"]["systolic_bp"] = 300
    findings = _check(qls_spec, subject)
    assert _rules(findings) == [("ITEM_OUT_OF_RANGE", "systolic_bp", "SCR", None)]
    assert findings[0].expected == "50 to 250 mm[Hg]"
    assert findings[0].value == 300


def test_required_and_conditional_items(qls_spec: Spec) -> None:
    subject = _base()
    del subject["forms"]["screening_assessments"]["SCR"]["diabetes"]  # required
    del subject["forms"]["demographics"]["SCR"]["childbearing_potential"]  # asked: female
    subject["forms"]["medications"][0]["glucocorticoid"] = None  # asked: a corticosteroid
    subject["forms"]["medications"][1]["daily_dose"] = 200  # asked only for corticosteroids
    rules = _rules(_check(qls_spec, subject))
    assert ("REQUIRED_ITEM_MISSING", "diabetes", "SCR", None) in rules
    assert ("CONDITIONAL_ITEM_MISSING", "childbearing_potential", "SCR", None) in rules
    assert ("CONDITIONAL_ITEM_MISSING", "glucocorticoid", None, 0) in rules
    assert ("ITEM_NOT_APPLICABLE", "daily_dose", None, 1) in rules
    assert len(rules) == 4


def test_a_condition_that_cannot_be_evaluated_asks_nothing(qls_spec: Spec) -> None:
    subject = _base()
    del subject["forms"]["demographics"]["SCR"]["sex"]
    del subject["forms"]["demographics"]["SCR"]["childbearing_potential"]
    rules = _rules(_check(qls_spec, subject))
    assert rules == [("REQUIRED_ITEM_MISSING", "sex", "SCR", None)]


def test_visits_outside_their_windows(qls_spec: Spec) -> None:
    subject = _base()
    subject["visits"].update({"D8": "2025-01-29", "D15": "2025-02-03", "SCR": "2024-12-01"})
    findings = _check(qls_spec, subject, forms_supplied=set())
    by_visit = {f.visit: f for f in findings if f.rule == "VISIT_OUT_OF_WINDOW"}
    assert set(by_visit) == {"D8", "SCR"}  # D15 on day 15 is on time
    assert "study day 10" in by_visit["D8"].message and "1 day late" in by_visit["D8"].message
    assert by_visit["D8"].expected == "days 7 to 9"
    assert "study day -50" in by_visit["SCR"].message and "22 days early" in by_visit["SCR"].message


def test_missing_scheduled_assessments(qls_spec: Spec) -> None:
    subject = _base()
    subject["visits"]["D29"] = "2025-02-17"
    findings = [f for f in _check(qls_spec, subject) if f.rule == "MISSING_ASSESSMENT"]
    assert sorted((f.form, f.visit) for f in findings) == [
        ("serology", "D29"),
        ("sle.sledai_2k_form", "D29"),
        ("vital_signs", "D29"),
    ]
    supplied = _check(qls_spec, subject, forms_supplied={"serology"})  # a mapping's forms only
    assert [(f.form, f.visit) for f in supplied] == [("serology", "D29")]


def _dosed(
    level: str | None, doses: list[tuple[str, float]], *, seen_until: str | None = None
) -> dict[str, Any]:
    subject = _base()
    if level is not None:
        subject["dose_level"] = level
    subject["forms"]["exposure"] = [
        {"administered_on": date, "dose": dose, "step": "target"} for date, dose in doses
    ]
    if seen_until is not None:
        subject["visits"]["W8"] = seen_until
    return subject


def test_a_single_target_dose_on_day_1(qls_spec: Spec) -> None:
    assert _check(qls_spec, _dosed("DL3", [("2025-01-20", 0.1)])) == []
    findings = _check(qls_spec, _dosed("DL3", [("2025-01-20", 0.3)]))
    assert _rules(findings) == [("DOSE_NOT_AS_PLANNED", "dose", None, 0)]
    assert findings[0].expected == 0.1
    assert "dose level DL3 plans 0.1 mg" in findings[0].message


def test_the_step_up_schedule(qls_spec: Spec) -> None:
    # DL5 (1 mg): 10 % on day 1, 30 % on day 4, 100 % on day 8
    good = [("2025-01-20", 0.1), ("2025-01-23", 0.3), ("2025-01-27", 1)]
    assert _check(qls_spec, _dosed("DL5", good)) == []
    wrong = [("2025-01-20", 0.1), ("2025-01-23", 1), ("2025-01-28", 1)]
    rules = _rules(_check(qls_spec, _dosed("DL5", wrong)))
    assert rules == [
        ("DOSE_NOT_AS_PLANNED", "dose", None, 1),  # day 4: 1 mg instead of 0.3 mg
        ("DOSE_ON_UNPLANNED_DAY", "dose", None, 2),  # day 9
        ("PLANNED_DOSE_MISSING", "dose", None, None),  # nothing on day 8, seen later
    ]


def test_a_planned_dose_is_missing_only_once_its_day_has_passed(qls_spec: Spec) -> None:
    first_only = [("2025-01-20", 0.1)]
    assert _check(qls_spec, _dosed("DL5", first_only)) == []  # last seen on day 1
    later = _check(qls_spec, _dosed("DL5", first_only, seen_until="2025-03-17"))
    assert [f.rule for f in later] == ["PLANNED_DOSE_MISSING"] * 2
    assert [round(f.expected, 6) for f in later] == [0.3, 1.0]  # days 4 and 8


def test_doses_without_an_assignment(qls_spec: Spec) -> None:
    findings = _check(qls_spec, _dosed(None, [("2025-01-20", 0.1)]))
    assert _rules(findings) == [("DOSE_ASSIGNMENT_UNKNOWN", "dose", None, None)]
