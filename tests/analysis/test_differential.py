"""Differential property test: the interpreter and the DuckDB SQL give the same endpoint values.

Subjects are generated with visits attended or not, scores present or missing,
adverse event logs empty, absent, declared complete or answered "none", with
terms and start dates present or missing around the first dose — so that yes,
no and unknown all occur, as do events, censoring and unknown times to event.
Every analysis table both engines write is compared cell by cell.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.analysis.derive import Deriver, subjects_of
from protocol_dsl.analysis.plan import plan_endpoints
from protocol_dsl.analysis.results import write_tables
from protocol_dsl.data.batch import Batch, RawSubject
from protocol_dsl.diagnostics import has_errors
from protocol_dsl.screening.run import load_for_screening
from protocol_dsl.spec import Spec

pytest.importorskip("duckdb")

from generators.endpoints.run import derive_with_duckdb

SPEC = """\
trial ENDPOINTS {
  title "Endpoints on generated data"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1
visit W4  "Week 4" day 29
visit W8  "Week 8" day 57

anchor screening  = visit SCR
anchor first_dose = visit D1
anchor week8      = visit W8

form status "Status" at SCR {
  any_events yes_no "Any adverse events?"
  end_date   date   "End of participation"
}

form scores "Scores" at D1, W4, W8 {
  total number "Total score" range 1 .. 70
}

form events "Adverse events" repeating at D1, W4, W8 none_recorded_by status.any_events {
  term    text   "Term"
  start   date   "Start date"
  serious yes_no "Serious"
}

objective O primary "Endpoints of every kind" {
  endpoint RESP "Improved by 4 points at week 8" responder
    = scores.total at W8 - scores.total at D1 <= -4
  endpoint CHG "Change from day 1 to week 8" value = scores.total at W8 - scores.total at D1
  endpoint CHGV "Change from day 1" value by visit W4, W8 = scores.total - scores.total at D1
  endpoint PCTV "Percent change from day 1" value by visit W4, W8
    = (scores.total - scores.total at D1) / scores.total at D1 * 100
  endpoint WORSE "Worse than at the previous visit" responder by visit D1, W4, W8
    = scores.total > scores.total at previous visit
  endpoint RESPV "Improved by 4 points" responder by visit W8, W4
    = scores.total - scores.total at D1 <= -4
  endpoint SERIOUS "Serious adverse events" value = count(events where serious = yes)
  endpoint RATE "Serious adverse events per 100 days on study" value
    = count(events where serious = yes) / days_between(first_dose, status.end_date) * 100
  endpoint NSER "Number of serious adverse events" count of events where serious = yes
  endpoint NAE "Number of adverse events" count of events
  endpoint SERRATE "Serious adverse events per 100 subject-years"
    rate of events.start where serious = yes
    per 100 years
    from first_dose
    to status.end_date
  endpoint AERATE "Adverse events per month on study"
    rate of events.start
    per month
    from first_dose
    to status.end_date else week8
  endpoint COMPL "Attended week 8" flag = week8 is known
  endpoint LOWALL "At most 40 at every visit from week 4 to week 8" responder
    = all visits from W4 to W8 satisfy scores.total <= 40
  endpoint HIGHANY "At least 60 at a visit after day 1" flag
    = any visit after D1 where scores.total >= 60
  endpoint ANYRASH "Any rash" flag = any events where term contains "rash"
  endpoint TRTEM "Treatment-emergent" flag per events = start >= first_dose
  endpoint RASHTE "Treatment-emergent rash" flag per events
    = term contains "RASH" and start >= first_dose
  endpoint TTR "Time to first rash"
    time_to_event from first_dose
    event first events.start where term contains "rash" and start >= first_dose
    censored_at status.end_date
}
"""

DAY1 = dt.date(2024, 3, 1)
TERMS = ("RASH", "Rash papular", "HEADACHE", "application site rash", None)


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    path = tmp_path_factory.mktemp("spec") / "endpoints.trial"
    path.write_text(SPEC, encoding="utf-8")
    result = load_for_screening(str(path))
    assert result.spec is not None and not has_errors(result.diagnostics), result.diagnostics
    return result.spec


def _day(offset: int | None) -> str | None:
    return None if offset is None else (DAY1 + dt.timedelta(days=offset)).isoformat()


@st.composite
def subject(draw: st.DrawFn, number: int) -> tuple[dict[str, Any], bool]:
    """A subject record (the JSON format), and whether its log is declared complete."""
    maybe = st.one_of(st.none(), st.integers(1, 70))
    visits = {"SCR": _day(-7), "D1": _day(0)}
    if draw(st.booleans()):
        visits["W8"] = _day(draw(st.integers(50, 64)))
    record: dict[str, Any] = {
        "subject_id": f"S{number:03d}",
        "visits": visits,
        "forms": {
            "status": {
                "SCR": {
                    "any_events": draw(st.sampled_from([True, False, None])),
                    "end_date": _day(draw(st.one_of(st.none(), st.integers(20, 90)))),
                }
            },
            "scores": {visit: {"total": draw(maybe)} for visit in ("D1", "W4", "W8")},
        },
    }
    events = draw(
        st.one_of(
            st.none(),
            st.lists(
                st.fixed_dictionaries(
                    {
                        "term": st.sampled_from(TERMS),
                        "start": st.one_of(st.none(), st.integers(-10, 100)).map(_day),
                        "serious": st.sampled_from([True, False, None]),
                    }
                ),
                max_size=4,
            ),
        )
    )
    if events is not None:
        record["forms"]["events"] = events
    return record, draw(st.booleans())


@st.composite
def batches(draw: st.DrawFn) -> Batch:
    size = draw(st.integers(1, 8))
    batch = Batch()
    for number in range(size):
        record, complete = draw(subject(number))
        raw = RawSubject(record, f"record {number + 1}")
        if complete:
            raw.complete_forms.add("events")
        batch.subjects.append(raw)
    return batch


def _tables(spec: Spec, values: Any, out: Path) -> dict[str, bytes]:
    plan = plan_endpoints(spec)
    written = write_tables(plan, values, out, evidence=False)
    return {path.name: path.read_bytes() for path in written}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=batches())
def test_interpreter_and_duckdb_agree(spec: Spec, batch: Batch, tmp_path: Path) -> None:
    plan = plan_endpoints(spec)
    deriver = Deriver(spec, plan)
    interpreted = [deriver.subject(s) for s in subjects_of(deriver, batch)]
    by_sql = derive_with_duckdb(spec, plan, batch)
    assert [s.subject_id for s in by_sql] == sorted(s.subject_id for s in interpreted)
    a = _tables(spec, interpreted, tmp_path / "interpreter")
    b = _tables(spec, by_sql, tmp_path / "duckdb")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].decode() == b[name].decode(), name


def test_each_value_is_three_valued(spec: Spec) -> None:
    """A subject with nothing recorded: every value unknown, never no."""
    batch = Batch()
    batch.subjects.append(RawSubject({"subject_id": "EMPTY", "visits": {"D1": _day(0)}}, "1"))
    plan = plan_endpoints(spec)
    deriver = Deriver(spec, plan)
    (values,) = [deriver.subject(s) for s in subjects_of(deriver, batch)]
    assert values.values["RESP"].value is None
    assert values.values["CHG"].value is None
    assert values.values["SERIOUS"].value is None  # the log is not recorded: unknown count
    assert values.values["ANYRASH"].value is None
    assert values.values["COMPL"].value is False  # `is known` is the two-valued test
    event = values.events["TTR"]
    assert (event.date, event.days, event.censored) == (None, None, None)
    assert "events records" in values.values["ANYRASH"].missing
    for name in ("NSER", "NAE", "SERRATE", "AERATE"):  # a log not recorded: never 0
        count = values.counts[name]
        assert (count.events, count.rate) == (None, None)
        assert "events records" in count.missing
    assert "status at SCR" in values.counts["SERRATE"].missing  # the end of the time at risk


def test_counts_and_rates_are_three_valued(spec: Spec, tmp_path: Path) -> None:
    """An empty log answered "none" or declared complete counts 0; a missing end without a
    rule for it leaves the rate unknown, a missing end with one (`else week8`) uses it; a
    record whose date is missing might fall within the time at risk, so the rate is
    unknown, while the count of all records is not."""
    status = {"SCR": {"any_events": False, "end_date": _day(90)}}
    records = [
        {"subject_id": "NONE", "visits": {"D1": _day(0)}, "forms": {"status": status}},
        {"subject_id": "COMPLETE", "visits": {"D1": _day(0)},
         "forms": {"status": {"SCR": {"end_date": _day(90)}}}},
        {"subject_id": "NOEND", "visits": {"D1": _day(0), "W8": _day(56)},
         "forms": {"status": {"SCR": {"any_events": True}},
                   "events": [{"term": "RASH", "start": _day(10), "serious": True},
                              {"term": "RASH", "start": _day(-5), "serious": True}]}},
        {"subject_id": "UNDATED", "visits": {"D1": _day(0)},
         "forms": {"status": {"SCR": {"any_events": True, "end_date": _day(90)}},
                   "events": [{"term": "RASH", "start": None, "serious": True}]}},
    ]  # fmt: skip
    batch = Batch()
    for number, record in enumerate(records, 1):
        raw = RawSubject(record, str(number))
        if record["subject_id"] == "COMPLETE":
            raw.complete_forms.add("events")
        batch.subjects.append(raw)
    plan = plan_endpoints(spec)
    deriver = Deriver(spec, plan)
    for values in (
        [deriver.subject(s) for s in subjects_of(deriver, batch)],
        derive_with_duckdb(spec, plan, batch),
    ):
        by_id = {v.subject_id: v.counts for v in values}
        for subject in ("NONE", "COMPLETE"):
            assert by_id[subject]["NAE"].events == 0
            assert by_id[subject]["SERRATE"].rate == 0
            assert by_id[subject]["SERRATE"].days == 91  # days 0 to 90, both included
        noend = by_id["NOEND"]
        assert noend["NSER"].events == 2  # every record, whenever it started
        assert noend["SERRATE"].rate is None  # no end, no rule for a missing end
        aerate = noend["AERATE"]  # ends at week 8 (day 56): 57 days, one record within
        assert (aerate.events, aerate.days) == (1, 57)
        assert aerate.rate == Fraction(1, 57) * Fraction(30_4375, 10_000)
        undated = by_id["UNDATED"]
        assert (undated["NAE"].events, undated["SERRATE"].rate) == (1, None)
    why = deriver.subject(subjects_of(deriver, batch)[3]).counts["SERRATE"]
    assert why.missing == ("events[0].start",)


TWO_LOGS = """\
trial TWO { title "A record flag reading another log" eligibility_visit D1 }
visit D1 "Day 1" day 1
anchor first_dose = visit D1
form a "A" repeating at D1 { x integer "X" for_reporting }
form b "B" repeating at D1 { y integer "Y" for_reporting }
objective O primary "Flags" {
  endpoint F "F" flag per a = x > 1 and not (any b where y > 1)
  endpoint G "G" flag = any b where y > 1
  endpoint N "N" value = count(b where y > 1)
}
"""


def test_a_log_declared_complete_reads_the_same_in_both_engines(tmp_path: Path) -> None:
    """An empty log declared complete holds none (S1); not declared, it is unknown (S2)."""
    path = tmp_path / "two.trial"
    path.write_text(TWO_LOGS, encoding="utf-8")
    spec = load_for_screening(str(path)).spec
    assert spec is not None
    batch = Batch()
    complete = RawSubject({"subject_id": "S1", "forms": {"a": [{"x": 2}, {"x": 0}]}}, "1")
    complete.complete_forms.add("b")
    batch.subjects += [complete, RawSubject({"subject_id": "S2", "forms": {"a": [{"x": 2}]}}, "2")]
    plan = plan_endpoints(spec)
    deriver = Deriver(spec, plan)
    for values in (
        [deriver.subject(s) for s in subjects_of(deriver, batch)],
        derive_with_duckdb(spec, plan, batch),
    ):
        s1, s2 = values
        assert (s1.values["G"].value, s1.values["N"].value) == (False, 0)
        assert [r["F"].value for r in s1.records["a"]] == [True, False]
        assert (s2.values["G"].value, s2.values["N"].value) == (None, None)
        assert [r["F"].value for r in s2.records["a"]] == [None]
