"""A subject's calendar: delayed cycles move the cycles after them, calendar-anchored
repeats stay on their study days, event-relative visits count from the event's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import calendar
from protocol_dsl.spec import Spec

ONCOLOGY = Path(__file__).resolve().parents[1] / "timeline" / "oncology.trial"
DAY1 = dt.date(2026, 1, 5)


def _on(days: int) -> dt.date:
    return DAY1 + dt.timedelta(days=days)


@pytest.fixture(scope="module")
def spec() -> Spec:
    result = compile_spec(str(ONCOLOGY), ONCOLOGY.read_text())
    assert result.spec is not None
    return result.spec


def test_without_cycle_delays_every_visit_is_due_on_its_study_day(spec: Spec) -> None:
    due = calendar.build(spec, {"C1D1": DAY1}).due
    for name in ("C1D8", "C2D1", "C5D1", "C17D1", "TA1", "TA3"):
        visit = spec.visits[name]
        assert visit.day is not None
        assert due[name].date == _on(visit.day - 1), name
        assert due[name].shift == 0 and due[name].shifted_by == ()


def test_a_delayed_cycle_moves_the_cycles_after_it(spec: Spec) -> None:
    # cycle 3 starts 5 days late
    visits = {"C1D1": DAY1, "C2D1": _on(21), "C3D1": _on(47)}
    built = calendar.build(spec, visits)
    # C3D1 itself was due one cycle after C2D1 started: that is how its delay shows
    assert built.due["C3D1"].date == _on(42)
    assert built.cycles[("treatment_cycle", 3)].delay == 5
    for name, day in (("C4D1", 68), ("C5D1", 89), ("C17D1", 47 + 14 * 21)):
        assert built.due[name].date == _on(day), name
        assert built.due[name].shift == 5
        assert built.due[name].shifted_by == ("C3D1",)


def test_delays_add_up_and_an_unrecorded_cycle_is_planned_from_the_last_start(
    spec: Spec,
) -> None:
    visits = {"C1D1": DAY1, "C2D1": _on(24), "C4D1": _on(24 + 42 + 2)}
    built = calendar.build(spec, visits)
    assert built.due["C3D1"].date == _on(45)  # not recorded: C2D1's start + 21 days
    assert built.due["C4D1"].date == _on(66)
    assert built.due["C5D1"].date == _on(89)
    assert built.due["C5D1"].shifted_by == ("C2D1", "C4D1")


def test_calendar_repeats_do_not_move_with_the_cycles(spec: Spec) -> None:
    delayed = calendar.build(spec, {"C1D1": DAY1, "C2D1": _on(30)})
    on_time = calendar.build(spec, {"C1D1": DAY1, "C2D1": _on(21)})
    for n in range(1, 6):
        name = f"TA{n}"
        assert delayed.due[name].date == on_time.due[name].date == _on(42 * n)
        assert delayed.due[name].shift == 0


def test_event_relative_visits_count_from_the_event(spec: Spec) -> None:
    before = calendar.build(spec, {"C1D1": DAY1})
    assert "SFU" not in before.due and "SURV1" not in before.due  # not due: no event yet
    eot = _on(200)
    after = calendar.build(spec, {"C1D1": DAY1, "EOT": eot})
    # the spec's last dose is the EOT visit when no dose is recorded
    assert after.due["SFU"].date == eot + dt.timedelta(days=30)
    assert after.due["SFU"].earliest == eot + dt.timedelta(days=23)
    assert after.due["SURV1"].date == eot + dt.timedelta(days=84)
    assert after.due["SURV3"].date == eot + dt.timedelta(days=3 * 84)


def test_last_dose_is_the_latest_dose_record(spec: Spec) -> None:
    last = _on(180)
    built = calendar.build(spec, {"C1D1": DAY1, "EOT": _on(200)}, [DAY1, last, _on(21)])
    assert built.due["SFU"].date == last + dt.timedelta(days=30)


def test_no_first_dose_no_calendar(spec: Spec) -> None:
    built = calendar.build(spec, {"SCR": _on(-10)})
    assert built.day1 is None and built.due == {} and built.cycles == {}


def test_a_visit_planned_over_days_keeps_its_range(spec: Spec) -> None:
    due = calendar.build(spec, {"C1D1": DAY1}).due["SCR"]
    assert (due.earliest, due.latest) == (_on(-28), _on(-1))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_due_date_asked_alone_is_the_one_of_the_whole_calendar(
    spec: Spec, data: st.DataObject
) -> None:
    # the window check asks for the visits a subject attended only; the dosing checks
    # walk the whole calendar: both must see the same due dates, in schedule order
    names = sorted(spec.visits)
    recorded = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=8))
    offsets = st.integers(min_value=-40, max_value=400)
    visits = {name: _on(data.draw(offsets)) for name in recorded}
    if data.draw(st.booleans()):
        visits["C1D1"] = DAY1
    doses = [_on(d) for d in data.draw(st.lists(offsets, max_size=3))]
    plan = calendar.CalendarPlan(spec)
    whole = dict(plan.build(visits, doses).due)
    for name in names:
        assert plan.build(visits, doses).due.get(name) == whole.get(name), name
    # the cycles' visits first, as their starts are worked out; then the schedule's order
    kinds = [whole[name].cycle is None for name in whole]
    assert kinds == sorted(kinds)
    others = [name for name in whole if whole[name].cycle is None]
    assert others == [v.name for v in spec.visit_order if v.name in set(others)]
