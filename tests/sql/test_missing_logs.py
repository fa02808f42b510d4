"""Absent, null, empty and complete logs: the three back ends against an oracle.

Subjects are generated with each log absent, null, an empty list or a list of
records (some null, some with missing values), and the log's "any records?"
question unanswered, answered yes or answered no.  The interpreter, the
DuckDB SQL and the generated module must give every criterion the same
status, and that status must be the one a small oracle computes from the
criteria's words alone: a log is what its records say when it has records
or when the question is answered "no" (then it has none); otherwise it is
not recorded, and whatever it would hold is unknown.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.spec import Spec
from tests.sql.test_differential import generated_module

SPEC = """
trial LOGS {
  title "Logs that record none, and logs that cannot"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1

codelist category "Category" {
  malignancy "Malignancy"
  autoimmune "Autoimmune disease"
  other      "Other"
}

form screening "Screening" at SCR {
  any_history yes_no "Any medical history?"
  any_meds    yes_no "Any medications?"
}

form history "Medical history" repeating at SCR none_recorded_by screening.any_history {
  category choice category "Category"
}

form meds "Medications" repeating at SCR none_recorded_by screening.any_meds {
  dose    quantity mg/d "Daily dose" range 0 .. 500
  ongoing yes_no "Ongoing"
}

form procedures "Procedures" repeating at SCR {
  name text "Procedure"
}

exclusion E1 "History of malignancy" = any history where category = malignancy
inclusion I1 "No autoimmune disease" = none history where category = autoimmune
inclusion I2 "Every ongoing medication at 20 mg/d or less"
  = all meds where ongoing = yes satisfy dose <= 20 mg/d
exclusion E2 "More than one ongoing medication" = count(meds where ongoing = yes) > 1
exclusion E3 "More than 40 mg/d in all" = sum(meds.dose where ongoing = yes) > 40 mg/d
inclusion I3 "No medication above 30 mg/d" = max(meds.dose) <= 30 mg/d
exclusion E4 "Any procedure" = any procedures
"""

_SPEC: list[Spec] = []


def spec() -> Spec:
    if not _SPEC:
        result = compile_spec("logs.trial", SPEC)
        assert result.spec is not None
        errors = [d.message for d in result.diagnostics if d.severity == "error"]
        assert not errors, errors
        _SPEC.append(result.spec)
    return _SPEC[0]


# ---------------------------------------------------------------- the oracle

Truth = bool | None  # None: unknown


def _or(values: list[Truth]) -> Truth:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _and(values: list[Truth]) -> Truth:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _not(value: Truth) -> Truth:
    return None if value is None else not value


def _log(record: dict[str, Any], form: str, question: str | None) -> list[dict] | None:
    """The subject's records of a log, [] when it has none, None when not recorded."""
    content = record["forms"].get(form)
    records = [r if isinstance(r, dict) else {} for r in content or []]
    if records:
        return records
    answer = record["forms"].get("screening", {}).get("SCR", {}).get(question)
    return [] if question is not None and answer == "no" else None


def _equals(value: Any, wanted: Any) -> Truth:
    return None if value is None else value == wanted


def _at_most(value: float | None, limit: float) -> Truth:
    return None if value is None else value <= limit


def oracle(record: dict[str, Any]) -> dict[str, str]:
    """Each criterion's status, from its words, for one generated subject."""
    history = _log(record, "history", "any_history")
    meds = _log(record, "meds", "any_meds")
    procedures = _log(record, "procedures", None)

    def over(log: list[dict] | None, combine: Any, test: Any) -> Truth:
        return None if log is None else combine([test(r) for r in log])

    status: dict[str, Truth] = {
        "E1": over(history, _or, lambda r: _equals(r.get("category"), "malignancy")),
        "I1": _not(over(history, _or, lambda r: _equals(r.get("category"), "autoimmune"))),
        "I2": over(
            meds,
            _and,
            lambda r: _or([_not(_equals(r.get("ongoing"), "yes")), _at_most(r.get("dose"), 20)]),
        ),
        "E4": over(procedures, _or, lambda r: True),
    }
    # count and sum: the least and the most the records can add up to
    if meds is None:
        status["E2"] = None
        status["E3"] = None
    else:
        ongoing = [_equals(r.get("ongoing"), "yes") for r in meds]
        least = sum(1 for o in ongoing if o is True)
        most = sum(1 for o in ongoing if o is not False)
        status["E2"] = True if least > 1 else False if most <= 1 else None
        low = high = 0.0
        for r, o in zip(meds, ongoing, strict=True):
            dose = r.get("dose")
            d0, d1 = (0.0, 500.0) if dose is None else (dose, dose)
            if o is True:
                low, high = low + d0, high + d1
            elif o is None:
                high += d1
        status["E3"] = True if low > 40 else False if high <= 40 else None
    # max: unknown without records; an unknown dose is anywhere in 0 .. 500
    if not meds:
        status["I3"] = None
    else:
        doses = [r.get("dose") for r in meds]
        least_max = max(0.0 if d is None else d for d in doses)
        most_max = max(500.0 if d is None else d for d in doses)
        status["I3"] = True if most_max <= 30 else False if least_max > 30 else None
    words = {True: "met", False: "not_met", None: "unknown"}
    return {cid: words[value] for cid, value in status.items()}


def overall(statuses: dict[str, str]) -> str:
    against = any(
        (cid.startswith("I") and s == "not_met") or (cid.startswith("E") and s == "met")
        for cid, s in statuses.items()
    )
    if against:
        return "ineligible"
    return "indeterminate" if "unknown" in statuses.values() else "eligible"


# ---------------------------------------------------------------- generated subjects

_MISSING = object()

categories = st.sampled_from(["malignancy", "autoimmune", "other", None])
history_records = st.one_of(st.none(), st.fixed_dictionaries({}, optional={"category": categories}))
med_records = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "dose": st.sampled_from([0, 10, 20, 25, 30, 35, 45]),
            "ongoing": st.sampled_from(["yes", "no"]),
        },
    ),
)
procedure_records = st.one_of(st.none(), st.fixed_dictionaries({"name": st.just("Biopsy")}))


def logs(records: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A log as the input gives it: absent, null, empty, or a list of records."""
    return st.one_of(
        st.just(_MISSING), st.none(), st.just([]), st.lists(records, min_size=1, max_size=3)
    )


answers = st.sampled_from([_MISSING, "yes", "no"])


@st.composite
def subjects(draw: st.DrawFn, number: int) -> dict[str, Any]:
    forms: dict[str, Any] = {}
    for form, records in (
        ("history", history_records),
        ("meds", med_records),
        ("procedures", procedure_records),
    ):
        log = draw(logs(records))
        if log is not _MISSING:
            forms[form] = log
    screening = {}
    for question in ("any_history", "any_meds"):
        answer = draw(answers)
        if answer is not _MISSING:
            screening[question] = answer
    if screening:
        forms["screening"] = {"SCR": screening}
    return {"subject_id": f"S{number:03d}", "visits": {"SCR": "2025-01-06"}, "forms": forms}


batches = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(*(subjects(i) for i in range(n)))
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_absent_null_empty_and_complete_logs_agree_with_the_oracle(
    batch: tuple[dict[str, Any], ...],
) -> None:
    trial = spec()
    module = generated_module(trial)
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(trial, list(batch))}
    assert len(by_sql) == len(batch)
    for record in batch:
        expected = oracle(record)
        interpreted = evaluate_subject(trial, record)
        assert {c: r.status for c, r in interpreted.criteria.items()} == expected, record
        assert interpreted.status == overall(expected), record
        from_module = module.screen(record)
        assert from_module["criteria"] == expected, record
        assert from_module["status"] == interpreted.status, record
        from_sql = by_sql[record["subject_id"]]
        assert from_sql["criteria"] == expected, record
        assert from_sql["status"] == interpreted.status, record


# ---------------------------------------------------------------- worked cases


def _subject(**forms: Any) -> dict[str, Any]:
    return {"subject_id": "S", "visits": {"SCR": "2025-01-06"}, "forms": forms}


def test_a_log_not_recorded_is_named_in_the_data_needed() -> None:
    record = _subject(history=[], screening={"SCR": {"any_meds": "no"}})
    result = evaluate_subject(spec(), record)
    assert result.criteria["E1"].status == "unknown"
    assert "history records" in result.criteria["E1"].missing
    assert "screening.any_history at SCR" in result.criteria["E1"].missing


def test_none_recorded_clears_the_exclusions_that_read_the_log() -> None:
    record = _subject(screening={"SCR": {"any_history": "no", "any_meds": "no"}})
    assert oracle(record)["E1"] == "not_met"
    result = evaluate_subject(spec(), record)
    assert result.criteria["E1"].status == "not_met"
    assert result.criteria["E2"].status == "not_met"
    assert result.criteria["I2"].status == "met"
    # a log that cannot record none stays unknown for a subject without records
    assert result.criteria["E4"].status == "unknown"


def test_a_met_record_decides_any_whatever_the_answer() -> None:
    record = _subject(
        history=[{"category": "malignancy"}], screening={"SCR": {"any_history": "no"}}
    )
    assert evaluate_subject(spec(), record).criteria["E1"].status == "met"


def test_counts_over_a_log_not_recorded_are_unbounded() -> None:
    from protocol_dsl.evaluate import Interval, evaluate_expr

    result = evaluate_expr(spec(), "count(meds)", _subject())
    assert result.value == Interval(0, math.inf)


def test_the_module_names_a_log_not_recorded_in_the_data_needed() -> None:
    module = generated_module(spec())
    unanswered = module.screen(_subject(screening={"SCR": {"any_meds": "no"}}))
    assert {"history records", "screening.any_history at SCR", "procedures records"} <= set(
        unanswered["needed"]
    )
    none = module.screen(_subject(screening={"SCR": {"any_meds": "no", "any_history": "no"}}))
    assert none["needed"] == ["procedures records"]


def test_a_table_folder_without_the_log_table_leaves_the_log_unknown(tmp_path: Path) -> None:
    """No history.csv at all: unknown for everyone, except where the question says none."""
    from protocol_dsl.data import read_inputs
    from protocol_dsl.evaluate import compile_spec_rules
    from protocol_dsl.screening.run import screen_batch

    (tmp_path / "screening.csv").write_text(
        "subject_id,visit,any_history,any_meds\nS1,SCR,no,no\nS2,SCR,,no\nS3,SCR,yes,\n",
        encoding="utf-8",
    )
    (tmp_path / "meds.csv").write_text("subject_id,dose,ongoing\nS3,50,yes\n", encoding="utf-8")
    trial = spec()
    screener = compile_spec_rules(trial)
    run = screen_batch(trial, read_inputs(trial, screener.dictionary, [str(tmp_path)]))
    interpreted = {
        o.subject_id: {c: r.status for c, r in o.result.criteria.items()} for o in run.outcomes
    }
    assert {sid: statuses["E1"] for sid, statuses in interpreted.items()} == {
        "S1": "not_met",
        "S2": "unknown",
        "S3": "unknown",
    }
    assert interpreted["S3"]["E3"] == "met"  # 50 mg/d recorded
    findings = [f.rule for o in run.outcomes for f in o.findings if f.rule.startswith("LOG_")]
    assert findings == ["LOG_RECORDS_MISSING"]  # S3 answered yes, no history recorded
    by_sql = {r["subject_id"]: r["criteria"] for r in screen_with_duckdb(trial, tmp_path)}
    assert by_sql == interpreted
