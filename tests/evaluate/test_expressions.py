"""Three-valued semantics of every expression node, evaluated on hand-made subjects."""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import Any

import pytest

from protocol_dsl.evaluate import Interval, Quantity, Truth, evaluate_expr, evaluate_subject
from protocol_dsl.spec import Spec

MET, NOT_MET, UNKNOWN = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN

BASE: dict[str, Any] = {
    "subject_id": "N1",
    "visits": {"SCR": "2025-01-06", "D1": "2025-01-20", "W4": "2025-02-17"},
    "forms": {
        "labs": {
            "SCR": {
                "c3": 0.8,
                "c3_lln": {"value": 90, "unit": "mg/dL"},
                "titer": "1:160",
                "sex": "female",
                "flag": False,
                "count": 3,
                "tested": "2025-01-02",
                "remark": "ok",
            },
            "W4": {"c3": 1.2},
        },
        "events": [
            {"kind": "a", "dose": 10, "onset": "2024-12-01", "ongoing": "yes"},
            {"kind": "b", "dose": {"value": 0.02, "unit": "g"}, "onset": "2020-01-01"},
        ],
        "activity": {"SCR": {"a1": True, "a2": False, "b1": False, "b2": True}},
    },
    "attestations": {"I2": True},
}


def subject(**changes: Any) -> dict[str, Any]:
    """BASE with dotted paths replaced (None deletes): subject(**{"labs.SCR.c3": None})."""
    record = copy.deepcopy(BASE)
    for path, value in changes.items():
        keys = path.split(".")
        target: Any = record["forms"] if keys[0] not in ("visits", "attestations") else record
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last: Any = int(keys[-1]) if isinstance(target, list) else keys[-1]
        if value is None:
            if isinstance(target, dict):
                target.pop(last, None)
            else:
                del target[last]
        else:
            target[last] = value
    return record


def value(spec: Spec, expr: str, record: dict[str, Any] | None = None) -> Any:
    return evaluate_expr(spec, expr, record if record is not None else subject()).value


# ---------------------------------------------------------------- literals, items, visits


def test_items_read_at_the_eligibility_visit_by_default(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "labs.c3") == Quantity(0.8, "g/L")
    assert value(nodes_spec, "labs.c3 at W4") == Quantity(1.2, "g/L")
    assert value(nodes_spec, "labs.count at W4") is None


def test_quantities_are_converted_into_the_items_unit(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "labs.c3_lln") == Quantity(0.9, "g/L")  # 90 mg/dL
    assert value(nodes_spec, "labs.c3 < labs.c3_lln") is MET
    assert value(nodes_spec, "labs.c3 < 80 mg/dL") is NOT_MET  # 0.8 g/L is 80 mg/dL
    assert value(nodes_spec, "labs.c3 <= 80 mg/dL") is MET
    assert value(nodes_spec, "labs.c3 >= 0.0008 kg/L") is MET


def test_missing_data_makes_a_comparison_unknown_never_false(nodes_spec: Spec) -> None:
    record = subject(**{"labs.SCR.c3": None})
    result = evaluate_expr(nodes_spec, "labs.c3 < labs.c3_lln", record)
    assert result.value is UNKNOWN
    assert result.missing == ["labs.c3 at SCR"]
    assert value(nodes_spec, "labs.c3 >= 0 g/L", record) is UNKNOWN


def test_a_whole_visit_missing_is_one_missing_entry(nodes_spec: Spec) -> None:
    result = evaluate_expr(nodes_spec, "labs.count at W4 > 1", subject(**{"labs.W4": None}))
    assert result.value is UNKNOWN
    assert result.missing == ["labs at W4"]


def test_titers_compare_by_denominator(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "labs.titer >= 1:80") is MET
    assert value(nodes_spec, "labs.titer >= 1:320") is NOT_MET
    assert value(nodes_spec, "labs.titer >= 1:80", subject(**{"labs.SCR.titer": 80})) is MET
    assert value(nodes_spec, "labs.titer = 1:160") is MET


def test_choices_yes_no_text_and_membership(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "labs.sex = female") is MET
    assert value(nodes_spec, "labs.sex != female") is NOT_MET
    assert value(nodes_spec, "labs.sex in {male, female}") is MET
    assert value(nodes_spec, "labs.sex in sex") is MET
    assert value(nodes_spec, "labs.sex in {male}") is NOT_MET
    assert value(nodes_spec, "labs.flag = no") is MET
    assert value(nodes_spec, "labs.flag") is NOT_MET
    assert value(nodes_spec, 'labs.remark = "ok"') is MET
    missing = subject(**{"labs.SCR.sex": None})
    assert value(nodes_spec, "labs.sex in {male, female}", missing) is UNKNOWN


def test_is_known_and_is_missing_are_the_only_two_valued_tests(nodes_spec: Spec) -> None:
    record = subject(**{"labs.SCR.c3": None})
    assert value(nodes_spec, "labs.c3 is known", record) is NOT_MET
    assert value(nodes_spec, "labs.c3 is missing", record) is MET
    assert value(nodes_spec, "labs.c3 is known") is MET
    result = evaluate_expr(nodes_spec, "labs.c3 is missing", record)
    assert result.missing == []  # decided: nothing is needed


def test_between_is_inclusive(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "labs.count between 3 and 5") is MET
    assert value(nodes_spec, "labs.count between 1 and 3") is MET
    assert value(nodes_spec, "labs.count between 4 and 5") is NOT_MET
    assert value(nodes_spec, "labs.count between 4 and 5", subject(**{"labs.SCR.count": None})) is (
        UNKNOWN
    )


# ---------------------------------------------------------------- logic


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("labs.flag = no and labs.c3 > 5 g/L", NOT_MET),
        ("labs.flag = yes and labs.count > 1", NOT_MET),  # false and unknown = false
        ("labs.flag = no and labs.count > 1", UNKNOWN),
        ("labs.flag = no or labs.count > 1", MET),  # true or unknown = true
        ("labs.flag = yes or labs.count > 1", UNKNOWN),
        ("not labs.count > 1", UNKNOWN),  # not unknown = unknown
        ("labs.flag = yes implies labs.count > 1", MET),
        ("labs.flag = no implies labs.count > 1", UNKNOWN),
        ("labs.count > 1 implies labs.flag = no", MET),
        ("labs.count > 1 implies labs.flag = yes", UNKNOWN),
    ],
)
def test_kleene_logic_on_real_missing_data(nodes_spec: Spec, expr: str, expected: Truth) -> None:
    assert value(nodes_spec, expr, subject(**{"labs.SCR.count": None})) is expected


def test_missing_data_of_a_decided_branch_is_not_needed(nodes_spec: Spec) -> None:
    record = subject(**{"labs.SCR.count": None})
    decided = evaluate_expr(nodes_spec, "labs.flag = yes and labs.count > 1", record)
    assert decided.value is NOT_MET and decided.missing == []
    open_ = evaluate_expr(nodes_spec, "labs.flag = no and labs.count > 1", record)
    assert open_.missing == ["labs.count at SCR"]


def test_conditional(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "if labs.flag then 1 else 2") == 2.0
    record = subject(**{"labs.SCR.flag": None})
    assert value(nodes_spec, "if labs.flag then 1 else 2", record) is None
    assert value(nodes_spec, "if labs.flag then 3 else 3", record) == 3.0


# ---------------------------------------------------------------- arithmetic and functions


def test_arithmetic_and_functions(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "labs.count * 2 + 1") == 7.0
    assert value(nodes_spec, "labs.count / 0") is None  # undefined, not an error
    assert value(nodes_spec, "-labs.count") == -3.0
    assert value(nodes_spec, "abs(0 - labs.count)") == 3.0
    assert value(nodes_spec, "least(labs.count, 2)") == 2.0
    assert value(nodes_spec, "greatest(labs.count, 2)") == 3.0
    assert value(nodes_spec, "labs.count + 1", subject(**{"labs.SCR.count": None})) is None


def test_dates_windows_and_calendar_functions(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "days_between(labs.tested, first_dose)") == 18.0
    assert value(nodes_spec, "years_between(2000-02-29, 2025-02-28)") == 25.0
    # Jan 31 + 1 month is Feb 28 (clamped): one completed month
    assert value(nodes_spec, "months_between(2025-01-31, 2025-02-28)") == 1.0
    assert value(nodes_spec, "months_between(2025-01-31, 2025-02-27)") == 0.0
    assert value(nodes_spec, "labs.tested within 2 weeks before first_dose") is NOT_MET
    assert value(nodes_spec, "labs.tested within 3 weeks before first_dose") is MET
    assert value(nodes_spec, "labs.tested at least 18 days before first_dose") is MET
    assert value(nodes_spec, "labs.tested at least 19 days before first_dose") is NOT_MET
    assert value(nodes_spec, "first_dose within 1 month after labs.tested") is MET
    assert value(nodes_spec, "labs.tested < screening") is MET
    assert value(nodes_spec, "screening - 4 days = labs.tested") is MET
    no_day1 = subject(**{"visits.D1": None})
    result = evaluate_expr(nodes_spec, "labs.tested within 3 weeks before first_dose", no_day1)
    assert result.value is UNKNOWN and result.missing == ["visits.D1"]


def test_lookup_and_derived_values(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "lookup(factor, b)") == 2.5
    assert value(nodes_spec, "sum(events.scaled)") == Quantity(60.0, "mg")  # 10×1 + 20×2.5
    result = evaluate_expr(nodes_spec, "sum(events.scaled) > 50 mg", subject())
    assert result.value is MET
    texts = [e.text for e in result.evidence]
    assert any("20 mg × 2.5 = 50 mg" in t for t in texts), texts
    assert any(
        "0.02 g" in t
        for t in [str(e.recorded) + " " + str(e.recorded_unit) for e in result.evidence]
    )
    unknown_kind = subject(**{"events.1.kind": None})
    assert value(nodes_spec, "lookup(factor, events.kind)", unknown_kind) is None


# ---------------------------------------------------------------- quantifiers and aggregates


def test_quantifiers_over_records(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "any events where kind = b") is MET
    assert value(nodes_spec, "any events where kind = c") is NOT_MET
    assert value(nodes_spec, "none events where kind = c") is MET
    assert value(nodes_spec, "all events where ongoing = yes satisfy dose > 5 mg") is MET
    assert value(nodes_spec, "all events satisfy dose > 15 mg") is NOT_MET
    assert value(nodes_spec, "any events") is MET


def test_quantifiers_on_logs_recorded_as_none(nodes_spec: Spec) -> None:
    # the form's "any events?" question answered no: the empty log means none
    for events in ([], None):
        none = subject(events=events, **{"labs.SCR.any_events": False})
        assert value(nodes_spec, "any events where kind = a", none) is NOT_MET
        assert value(nodes_spec, "none events where kind = a", none) is MET
        assert value(nodes_spec, "all events satisfy dose > 1000 mg", none) is MET
        assert value(nodes_spec, "count(events)", none) == 0.0
        assert value(nodes_spec, "sum(events.dose)", none) == Quantity(0.0, "mg")
        assert value(nodes_spec, "min(events.dose)", none) is None


def test_quantifiers_on_logs_not_recorded(nodes_spec: Spec) -> None:
    # absent, null or empty without the answer "no": not recorded, hence unknown
    for answer in (None, True):
        for events in ([], None):
            unknown = subject(events=events, **{"labs.SCR.any_events": answer})
            result = evaluate_expr(nodes_spec, "any events where kind = a", unknown)
            assert result.value is UNKNOWN
            assert "events records" in result.missing
            assert value(nodes_spec, "none events where kind = a", unknown) is UNKNOWN
            assert value(nodes_spec, "all events satisfy dose > 1000 mg", unknown) is UNKNOWN
            assert value(nodes_spec, "count(events)", unknown) == Interval(0, math.inf)
            assert value(nodes_spec, "count(events) >= 0", unknown) is MET
            assert value(nodes_spec, "sum(events.dose)", unknown) == Interval(0, math.inf)
            assert value(nodes_spec, "max(events.onset)", unknown) is None
    no_answer = evaluate_expr(nodes_spec, "any events", subject(events=[]))
    assert "labs.any_events at SCR" in no_answer.missing


def test_records_make_a_log_recorded_whatever_the_answer(nodes_spec: Spec) -> None:
    # records present: the log is as recorded, with or without the answer
    for answer in (None, True):
        record = subject(**{"labs.SCR.any_events": answer})
        assert value(nodes_spec, "any events where kind = c", record) is NOT_MET
        assert value(nodes_spec, "count(events)", record) == 2.0


def test_quantifiers_on_unknown_records(nodes_spec: Spec) -> None:
    record = subject(**{"events.0.kind": None, "events.1.kind": "c"})
    # the first record might match, the second does not
    result = evaluate_expr(nodes_spec, "any events where kind = a", record)
    assert result.value is UNKNOWN and result.missing == ["events[0].kind"]
    assert value(nodes_spec, "none events where kind = a", record) is UNKNOWN
    assert value(nodes_spec, "any events where kind = c", record) is MET
    # all: a record whose filter is unknown might break the rule
    assert value(nodes_spec, "all events where kind = a satisfy dose > 15 mg", record) is UNKNOWN
    assert value(nodes_spec, "all events where kind = a satisfy dose > 5 mg", record) is MET
    assert value(nodes_spec, "count(events where kind = a)", record) == Interval(0, 1)
    assert value(nodes_spec, "count(events where kind = c)", record) == Interval(1, 2)


def test_sums_with_unknown_parts_are_intervals(nodes_spec: Spec) -> None:
    record = subject(**{"events.0.dose": None})
    total = value(nodes_spec, "sum(events.dose)", record)
    assert total == Interval(20, 120)  # 20 mg known + an unknown dose in 0..100 mg
    assert value(nodes_spec, "sum(events.dose) >= 20 mg", record) is MET
    assert value(nodes_spec, "sum(events.dose) > 150 mg", record) is NOT_MET
    assert value(nodes_spec, "sum(events.dose) > 50 mg", record) is UNKNOWN
    unsure = subject(**{"events.0.kind": None})
    assert value(nodes_spec, "sum(events.dose where kind = a)", unsure) == Interval(0, 10)
    assert value(nodes_spec, "min(events.dose)") == Quantity(10.0, "mg")
    assert value(nodes_spec, "max(events.dose where kind = b)") == Quantity(20.0, "mg")
    assert value(nodes_spec, "max(events.dose where kind = a)", unsure) is None


# ---------------------------------------------------------------- scores


def test_scores_sum_weights_of_true_descriptors(nodes_spec: Spec) -> None:
    assert value(nodes_spec, "act") == 5.0  # a1 4 + b2 1
    assert value(nodes_spec, "act.x") == 4.0  # one domain
    assert value(nodes_spec, "act.tagged") == 4.0  # domains with a tag
    assert value(nodes_spec, "act.other") == 1.0
    assert value(nodes_spec, "act_small") == 1.0  # without a1
    assert value(nodes_spec, "act at W4") == Interval(0, 10)  # not recorded at W4


def test_highest_weight_per_domain(nodes_spec: Spec) -> None:
    both = subject(**{"activity.SCR.a2": True, "activity.SCR.b1": True})
    assert value(nodes_spec, "act", both) == 10.0
    assert value(nodes_spec, "act_highest", both) == 7.0  # 4 (x) + 3 (y)


def test_scores_with_unknown_descriptors_are_intervals(nodes_spec: Spec) -> None:
    record = subject(**{"activity.SCR.a2": None, "activity.SCR.b1": None})
    assert value(nodes_spec, "act", record) == Interval(5, 10)
    assert value(nodes_spec, "act >= 5", record) is MET
    assert value(nodes_spec, "act >= 8", record) is UNKNOWN
    assert value(nodes_spec, "act > 10", record) is NOT_MET
    assert value(nodes_spec, "act_highest", record) == Interval(5, 7)
    result = evaluate_expr(nodes_spec, "act >= 5", record)
    assert result.missing == []  # decided whatever the missing descriptors are


# ---------------------------------------------------------------- criteria and subjects


def test_subject_status_follows_the_criteria(nodes_spec: Spec) -> None:
    result = evaluate_subject(nodes_spec, subject())
    assert {k: c.status for k, c in result.criteria.items()} == {
        "I1": "met",
        "E1": "not_met",
        "I2": "met",
    }
    assert result.status == "eligible"
    flagged = evaluate_subject(nodes_spec, subject(**{"labs.SCR.flag": True}))
    assert flagged.status == "ineligible" and flagged.failed == ["E1"]
    unknown = evaluate_subject(nodes_spec, subject(attestations={}))
    assert unknown.status == "indeterminate"
    assert unknown.data_needed == ["attestations.I2"]


def test_invalid_values_become_missing_and_are_reported(nodes_spec: Spec) -> None:
    record = subject(
        **{
            "labs.SCR.c3": {"value": 1, "unit": "mg"},  # a unit C3 cannot have
            "labs.SCR.sex": "unknown",
            "labs.SCR.tested": "2025-02-30",
            "labs.SCR.count": 250,
            "labs.SCR.titer": "2:40",
        }
    )
    result = evaluate_subject(nodes_spec, record)
    reasons = {p.item: p.reason for p in result.invalid}
    assert set(reasons) == {"c3", "sex", "tested", "count", "titer"}
    assert "cannot be converted" in reasons["c3"]
    assert "not a code" in reasons["sex"]
    assert "not a calendar date" in reasons["tested"]
    assert "outside the allowed range" in reasons["count"]
    assert result.criteria["I1"].status == "unknown"
    assert "labs.c3 at SCR" in result.data_needed


def test_evidence_names_values_visits_and_anchors(nodes_spec: Spec) -> None:
    result = evaluate_expr(nodes_spec, "labs.tested at least 18 days before first_dose", subject())
    sources = {(e.source, e.visit) for e in result.evidence}
    assert ("labs.tested", "SCR") in sources
    assert ("anchor first_dose", "D1") in sources
    assert any(e.value == "2025-01-20" for e in result.evidence)


def test_a_normalised_subject_is_accepted_as_well(nodes_spec: Spec) -> None:
    from protocol_dsl.evaluate import compile_spec_rules

    screener = compile_spec_rules(nodes_spec)
    data = screener.normalise(subject())
    assert data.visits["D1"] == dt.date(2025, 1, 20)
    assert screener.screen(data).status == screener.screen(subject()).status == "eligible"
