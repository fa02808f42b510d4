"""Planned administrations of a regimen, expected amounts, and the weight rule.

The planner is the contract the dosing edit checks build on: for a subject,
every planned dose with its study day, cycle, amount and hosting visit.  A
property test generates regimens and schedules that check clean and asserts
every planned administration falls on a planned visit day (the check E0716
and the planner agree).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_dsl import model as m
from protocol_dsl.compiler import compile_spec
from protocol_dsl.schedule.amounts import (
    WeightRule,
    administration_amount,
    expected_amount,
    measure_for_dose,
    weight_rule,
)
from protocol_dsl.schedule.frequency import FREQUENCIES, term_for_interval
from protocol_dsl.schedule.regimens import (
    arm_regimens,
    cycle_window,
    dose_basis,
    level_administrations,
    planned_administrations,
    regimen_frequency,
)
from protocol_dsl.schedule.words import schedule_words
from protocol_dsl.spec import Spec

_HEAD = """trial T { title "Regimens" }
intervention DRUG "Drug" { type drug route intravenous }
"""


def _spec(text: str) -> Spec:
    result = compile_spec("regimen.trial", _HEAD + text)
    assert result.spec is not None, [d.message for d in result.diagnostics]
    return result.spec


def _q(value: str, unit: str) -> m.Quantity:
    return m.Quantity(Decimal(value), unit)


def test_loading_doses_then_every_4_weeks_to_week_48() -> None:
    spec = _spec(
        "regimen q4w of DRUG { dose 10 mg/kg on days 1, 15, 29 then every 4 weeks to week 48 }"
    )
    planned = planned_administrations(spec, spec.regimens["q4w"])
    days = [d.day for d in planned]
    # week 48 is study day 337; after day 29 every 28 days: 57, 85, …, 337
    assert days == [1, 15, 29, *range(57, 338, 28)]
    assert [d.number for d in planned] == list(range(1, len(days) + 1))
    assert [d.repeated for d in planned[:4]] == [False, False, False, True]
    assert all(d.amount == _q("10", "mg/kg") for d in planned)
    assert all(d.visit is None for d in planned)  # no visits declared


def test_at_most_caps_the_administrations() -> None:
    spec = _spec(
        "regimen q4w of DRUG { dose 10 mg on days 1, 15, 29 then every 4 weeks to week 48 "
        "at_most 13 administrations }"
    )
    planned = planned_administrations(spec, spec.regimens["q4w"])
    assert len(planned) == 13
    assert planned[-1].day == 29 + 28 * 10


def test_weeks_are_study_days_7n_plus_1() -> None:
    spec = _spec("regimen w of DRUG { dose 1 mg on weeks 0, 2, 4 }")
    assert [d.day for d in planned_administrations(spec, spec.regimens["w"])] == [1, 15, 29]


def test_a_dose_level_replaces_the_regimen_dose() -> None:
    spec = _spec("regimen q3w of DRUG { on day 1 then every 3 weeks to day 43 }")
    planned = planned_administrations(spec, spec.regimens["q3w"], _q("0.3", "mg/kg"))
    assert [(d.day, d.amount) for d in planned] == [
        (day, _q("0.3", "mg/kg")) for day in (1, 22, 43)
    ]


def test_the_hosting_visit_and_its_window() -> None:
    spec = _spec(
        'visit D1 "Day 1" day 1\nvisit D22 "Day 22" day 22 window -2 +3\n'
        "regimen q3w of DRUG { dose 1 mg on day 1 then every 3 weeks to day 22 }"
    )
    planned = planned_administrations(spec, spec.regimens["q3w"])
    assert [(d.visit, d.window) for d in planned] == [("D1", (0, 0)), ("D22", (2, 3))]


def test_frequency_gives_the_administrations_a_day() -> None:
    spec = _spec(
        "regimen bid of DRUG { dose 1 mg on day 1 then every 1 day to day 3 frequency BID }"
    )
    planned = planned_administrations(spec, spec.regimens["bid"])
    assert [(d.day, d.per_day) for d in planned] == [(1, 2), (2, 2), (3, 2)]


def test_dose_basis() -> None:
    assert dose_basis(_q("10", "mg/kg")) == "body_weight"
    assert dose_basis(_q("200", "ug/kg")) == "body_weight"
    assert dose_basis(_q("75", "mg/m2")) == "body_surface_area"
    assert dose_basis(_q("200", "mg")) == "absolute"


def test_expected_amount_through_weight_and_bsa() -> None:
    assert expected_amount(_q("10", "mg/kg"), 72, "kg", "mg") == _q("720", "mg")
    assert expected_amount(_q("75", "mg/m2"), 1.8, "m2", "mg") == _q("135", "mg")
    # a weight in grams and an amount recorded in grams convert
    assert expected_amount(_q("10", "mg/kg"), 72000, "g", "g") == _q("0.72", "g")
    assert expected_amount(_q("1", "g"), None, None, "mg") == _q("1000", "mg")


def test_an_unknown_weight_gives_an_unknown_amount_never_zero() -> None:
    assert expected_amount(_q("10", "mg/kg"), None, "kg", "mg") is None
    assert expected_amount(_q("10", "mg/kg"), 70, "cm", "mg") is None


def test_weight_rules() -> None:
    records = [(-7, 70.0), (29, 80.0), (57, 71.0), (90, 50.0)]
    latest = WeightRule()
    assert measure_for_dose(records, 1, 1, latest) == 70.0
    assert measure_for_dose(records, 57, 1, latest) == 71.0
    assert measure_for_dose(records, 85, 1, latest) == 71.0  # day 90 is after the dose
    baseline = WeightRule("baseline")
    assert measure_for_dose(records, 85, 1, baseline) == 70.0
    ten_percent = WeightRule("change", 0.10)
    # 80 differs from 70 by 14 %: it is used from day 29; 71 differs from 80 by 11 %
    assert measure_for_dose(records, 29, 1, ten_percent) == 80.0
    assert measure_for_dose(records, 57, 1, ten_percent) == 71.0
    assert measure_for_dose([(5, 70.0)], 1, 1, latest) is None


def test_weight_rule_from_the_regimen() -> None:
    spec = _spec(
        "regimen a of DRUG { dose 1 mg/kg on day 1 dose_weight baseline }\n"
        "regimen b of DRUG { dose 1 mg/kg on day 1 dose_weight 10 % }\n"
        "regimen c of DRUG { dose 1 mg/kg on day 1 }"
    )
    assert weight_rule(spec.regimens["a"]) == WeightRule("baseline")
    assert weight_rule(spec.regimens["b"]) == WeightRule("change", 0.10)
    assert weight_rule(spec.regimens["c"]) == WeightRule("latest")


def test_frequency_terms() -> None:
    assert term_for_interval(21) == FREQUENCIES["Q3W"]
    assert term_for_interval(28) == FREQUENCIES["Q4W"]
    assert term_for_interval(5) is None


def test_schedule_in_words() -> None:
    spec = _spec(
        "regimen q4w of DRUG { dose 10 mg/kg on days 1, 15, 29 then every 4 weeks to week 48 "
        "at_most 13 administrations frequency Q4W infusion 1 h }"
    )
    assert schedule_words(spec, spec.regimens["q4w"]) == (
        "10 mg/kg intravenous infusion over 1 hour on days 1, 15 and 29, then every 4 weeks "
        "to week 48 (Q4W, every 4 weeks; 13 administrations at most)"
    )


# ---------------------------------------------------------------- property


@st.composite
def _regimen_and_visits(draw: st.DrawFn) -> str:
    """A regimen (listed days, optionally a repeat) and a schedule with a visit on each day."""
    listed = sorted(draw(st.sets(st.integers(1, 60), min_size=1, max_size=4)))
    every = draw(st.one_of(st.none(), st.integers(1, 6)))
    weeks = draw(st.integers(1, 20))
    text = f"on days {', '.join(map(str, listed))}"
    days = list(listed)
    if every is not None:
        until = 7 * weeks + 1
        if until >= listed[-1]:
            text += f" then every {every} weeks to week {weeks}"
            day = listed[-1] + 7 * every
            while day <= until:
                days.append(day)
                day += 7 * every
    cap = draw(st.one_of(st.none(), st.integers(1, 20)))
    extra = f" at_most {cap} administrations" if cap is not None else ""
    visits = "\n".join(f'visit V{d} "Day {d}" day {d}' for d in sorted(set(days)))
    return f"{visits}\nregimen r of DRUG {{ dose 1 mg {text}{extra} }}\n"


@settings(max_examples=60, deadline=None)
@given(_regimen_and_visits())
def test_every_planned_administration_falls_on_a_planned_visit_day(text: str) -> None:
    result = compile_spec("regimen.trial", _HEAD + text)
    errors = [d for d in result.diagnostics if d.is_error]
    assert not errors, [(d.code, d.message) for d in errors]
    assert result.spec is not None
    spec = result.spec
    planned = planned_administrations(spec, spec.regimens["r"])
    assert planned
    visit_days = {v.day for v in spec.visits.values()}
    for dose in planned:
        assert dose.visit is not None
        assert spec.visits[dose.visit].day == dose.day
        assert dose.day in visit_days
    assert [d.day for d in planned] == sorted(d.day for d in planned)


def test_administration_amount_follows_the_weight_rule() -> None:
    spec = _spec(
        'visit D1 "Day 1" day 1\nvisit D29 "Day 29" day 29\n'
        "regimen q4w of DRUG { dose 10 mg/kg on day 1 then every 4 weeks to day 29 "
        "dose_weight 10 % }"
    )
    regimen = spec.regimens["q4w"]
    first, second = planned_administrations(spec, regimen)
    weights = [(-3, 70.0), (20, 75.0)]  # +7 %: not past the 10 % rule
    assert administration_amount(regimen, first, weights, "kg", "mg") == _q("700", "mg")
    assert administration_amount(regimen, second, weights, "kg", "mg") == _q("700", "mg")
    heavier = [(-3, 70.0), (20, 80.0)]  # +14 %: the new weight counts
    assert administration_amount(regimen, second, heavier, "kg", "mg") == _q("800", "mg")
    assert administration_amount(regimen, first, [], "kg", "mg") is None


def test_a_dose_level_follows_its_dose_finding_regimen() -> None:
    spec = _spec(
        "regimen q3w of DRUG { on day 1 then every 3 weeks to day 43 }\n"
        "dose_finding DRUG { regimen q3w levels { DL1 1 mg DL2 3 mg } dlt_window cycle 1 }"
    )
    finding = spec.dose_findings[0]
    level = finding.levels[1]
    planned = level_administrations(spec, finding, level)
    assert [(d.day, d.amount) for d in planned] == [(day, _q("3", "mg")) for day in (1, 22, 43)]


def test_an_arm_follows_its_regimens_and_its_elements() -> None:
    spec = _spec(
        "regimen a of DRUG { dose 1 mg on day 1 }\nregimen b of DRUG { dose 1 mg on day 8 }\n"
        'epoch treatment\nelement TRT "Treatment" dosing b\n'
        'arm A "A" receives DRUG dosing a { TRT in treatment }'
    )
    assert [r.name for r in arm_regimens(spec, spec.arms["A"])] == ["a", "b"]


_CYCLES = """epoch treatment
cycle treatment_cycle "Treatment cycle" lasts 21 days in treatment count 4 {
  visit D1 "Day 1" day 1
  visit D8 "Day 8" day 8
}
"""


def test_days_of_each_cycle() -> None:
    spec = _spec(_CYCLES + "regimen r of DRUG { dose 1 mg on days 1, 8 of each treatment_cycle }")
    planned = planned_administrations(spec, spec.regimens["r"])
    assert [(d.day, d.cycle, d.cycle_day, d.visit) for d in planned] == [
        (1, 1, 1, "C1D1"),
        (8, 1, 8, "C1D8"),
        (22, 2, 1, "C2D1"),
        (29, 2, 8, "C2D8"),
        (43, 3, 1, "C3D1"),
        (50, 3, 8, "C3D8"),
        (64, 4, 1, "C4D1"),
        (71, 4, 8, "C4D8"),
    ]


def test_a_cycle_window_is_the_regimen_cycle() -> None:
    spec = _spec(
        _CYCLES + "regimen q3w of DRUG { on day 1 of each treatment_cycle frequency Q3W }\n"
        "dose_finding DRUG { regimen q3w levels { DL1 1 mg } dlt_window cycle 2 }"
    )
    assert cycle_window(spec, spec.dose_findings[0]) == (22, 42)
    assert regimen_frequency(spec, spec.regimens["q3w"]) == "Q3W"


@settings(max_examples=40, deadline=None)
@given(
    st.integers(7, 35),
    st.integers(1, 6),
    st.sets(st.integers(1, 35), min_size=1, max_size=3),
)
def test_cycle_doses_fall_on_cycle_visits(length: int, count: int, days: set[int]) -> None:
    listed = sorted(d for d in days if d <= length) or [1]
    visits = "\n".join(f'  visit D{d} "Day {d}" day {d}' for d in listed)
    text = (
        f'cycle cyc "Cycle" lasts {length} days count {count} {{\n{visits}\n}}\n'
        f"regimen r of DRUG {{ dose 1 mg on days {', '.join(map(str, listed))} of each cyc }}\n"
    )
    result = compile_spec("regimen.trial", _HEAD + text)
    errors = [(d.code, d.message) for d in result.diagnostics if d.is_error]
    assert not errors, errors
    assert result.spec is not None
    planned = planned_administrations(result.spec, result.spec.regimens["r"])
    assert len(planned) == count * len(listed)
    for dose in planned:
        assert dose.visit is not None
        assert result.spec.visits[dose.visit].day == dose.day
        assert dose.cycle is not None and dose.cycle_day is not None
        assert dose.day == (dose.cycle - 1) * length + dose.cycle_day


@settings(max_examples=60, deadline=None)
@given(_regimen_and_visits(), st.data())
def test_the_visit_check_and_the_planner_agree(text: str, data: st.DataObject) -> None:
    """Drop some visits: E0716 is reported exactly when a planned dose has no visit."""
    lines = text.splitlines()
    visits = [line for line in lines if line.startswith("visit ")]
    dropped = data.draw(st.sets(st.sampled_from(visits)) if visits else st.just(set()))
    kept = [line for line in lines if line not in dropped]
    result = compile_spec("regimen.trial", _HEAD + "\n".join(kept) + "\n")
    assert result.spec is not None
    codes = {d.code for d in result.diagnostics if d.is_error}
    planned = planned_administrations(result.spec, result.spec.regimens["r"])
    lonely = [d.day for d in planned if d.visit is None]
    if not any(v.day is not None for v in result.spec.visits.values()):
        assert "E0716" not in codes  # no schedule at all: nothing to host doses
    else:
        assert ("E0716" in codes) == bool(lonely), (codes, lonely)


def test_a_stepped_level_starts_with_its_step_doses() -> None:
    spec = _spec(
        "regimen qw of DRUG { on day 1 then every 1 week to day 29 }\n"
        "dose_finding DRUG { regimen qw levels { DL1 1 mg DL2 10 mg } "
        "step_up at DL2 { day 1: 10 % day 4: 30 % day 8: 100 % } dlt_window cycle 1 }"
    )
    finding = spec.dose_findings[0]
    low, high = finding.levels
    assert [d.day for d in level_administrations(spec, finding, low)] == [1, 8, 15, 22, 29]
    planned = level_administrations(spec, finding, high)
    assert [(d.number, d.day, d.amount, d.step) for d in planned] == [
        (1, 1, _q("1", "mg"), True),
        (2, 4, _q("3", "mg"), True),
        (3, 8, _q("10", "mg"), True),
        (4, 15, _q("10", "mg"), False),
        (5, 22, _q("10", "mg"), False),
        (6, 29, _q("10", "mg"), False),
    ]


def test_frequency_terms_carry_the_cdisc_submission_value_and_code() -> None:
    # SDTM CT 2025-03-28, codelist FREQ (C71113): weekly abbreviations are not submission values
    assert FREQUENCIES["Q3W"][2:4] == ("EVERY 3 WEEKS", "C64535")
    assert FREQUENCIES["Q4W"][2:4] == ("EVERY 4 WEEKS", "C64529")
    assert FREQUENCIES["QW"][2:4] == ("EVERY WEEK", "C67069")
    assert FREQUENCIES["QD"][2:4] == ("QD", "C25473")
    assert len({f.code for f in FREQUENCIES.values()}) == len(FREQUENCIES)
