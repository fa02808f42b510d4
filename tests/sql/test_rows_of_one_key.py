"""A second row for one visit date, one attestation or one subject: every engine reads it alike.

The rule of a form's rows at one visit (`test_rows_of_one_visit`), for the
three tables beside the forms: the values of the rows of one key (a subject's
visit in ``visits``, a subject's criterion in ``attestations``, a subject in
``subjects``) are compared as read, missing and unreadable ones left out; a
value they agree on is read once, values that differ are unknown.

Visit dates and attestations are read by the screening (QLS4131: the age at
SCR, the attested I6); visit dates, arms and a weight by the window and dosing edit
checks (an oncology-shaped schedule dosed by arm).  Each case is the cells of
the rows of one key, with what the interpreter and DuckDB must both give.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from generators.sql import edit_checks as sql_checks
from generators.sql.run import screen_with_duckdb
from protocol_dsl.compiler import compile_spec
from protocol_dsl.data import read_inputs
from protocol_dsl.data.tables import subjects_to_tables, write_csv_folder
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.evaluate.edit_checks import EditChecker
from protocol_dsl.evaluate.subject import DataDictionary
from protocol_dsl.screening.run import ScreenRun, screen_batch
from protocol_dsl.spec import Spec
from tests.evaluate.dosing import logs
from tests.sql.cases import BASELINES, QLS4131
from tests.sql.test_differential import SPECS

SPEC = SPECS[QLS4131.name]
SUBJECT = "QLS-KEYS"
OTHER = "QLS-OTHER"

#: The key column of each table and the column of its value.
KEYS = {
    "visits": ("visit", "date"),
    "attestations": ("criterion", "attested"),
    "vitals": ("visit", "weight"),
}

#: id → (table, key, cells of the rows in order, criterion, its expected status).
#: The subject is born on 1980-05-01: screened on 2060-01-01, they are 79.
SCREENING: dict[str, tuple[str, str, list[Any], str, str]] = {
    "one date": ("visits", "SCR", ["2025-01-06"], "I1", "met"),
    "an exact duplicate date": ("visits", "SCR", ["2025-01-06", "2025-01-06"], "I1", "met"),
    "a date and the same date with a time": (
        "visits", "SCR", ["2025-01-06", "2025-01-06T09:30"], "I1", "met",
    ),
    "two dates": ("visits", "SCR", ["2025-01-06", "2060-01-01"], "I1", "unknown"),
    "two dates on the same side": (
        "visits", "SCR", ["2025-01-06", "2025-01-07"], "I1", "unknown",
    ),
    "the first date missing": ("visits", "SCR", ["", "2060-01-01"], "I1", "not_met"),
    "the second date missing": ("visits", "SCR", ["2060-01-01", ""], "I1", "not_met"),
    "a date and text": ("visits", "SCR", ["soon", "2060-01-01"], "I1", "not_met"),
    "three dates, one different": (
        "visits", "SCR", ["2025-01-06", "2025-01-06", "2060-01-01"], "I1", "unknown",
    ),
    "one answer": ("attestations", "I6", ["yes"], "I6", "met"),
    "an exact duplicate answer": ("attestations", "I6", ["no", "no"], "I6", "not_met"),
    "yes written otherwise": ("attestations", "I6", ["yes", "true"], "I6", "met"),
    "no then yes": ("attestations", "I6", ["no", "yes"], "I6", "unknown"),
    "yes then no": ("attestations", "I6", ["yes", "no"], "I6", "unknown"),
    "the first answer missing": ("attestations", "I6", ["", "no"], "I6", "not_met"),
    "the second answer missing": ("attestations", "I6", ["no", ""], "I6", "not_met"),
    "an answer and text": ("attestations", "I6", ["maybe", "no"], "I6", "not_met"),
}  # fmt: skip


def write_screening_cases(cases: list[str], folder: Path) -> dict[str, str]:
    """The tables of one subject per case (case → subject id), and of one more subject.

    The rows of each case's key are as the case says, the first in the
    subject's place, the others after every other subject's rows.
    """
    ids = {case: SUBJECT if len(cases) == 1 else f"KEYS-{n:02d}" for n, case in enumerate(cases)}
    records = []
    for case in cases:
        record = copy.deepcopy(BASELINES[QLS4131.name])
        record["subject_id"] = ids[case]
        records.append(record)
    records.append({**copy.deepcopy(BASELINES[QLS4131.name]), "subject_id": OTHER})
    tables = subjects_to_tables(DataDictionary(SPEC), records)
    for case in cases:
        table, key, cells, _criterion, _status = SCREENING[case]
        columns, rows = tables[table]
        key_at, value_at = (columns.index(c) for c in KEYS[table])
        first = next(row for row in rows if row[0] == ids[case] and row[key_at] == key)
        written = []
        for cell in cells:
            row = list(first)
            row[value_at] = cell
            written.append(row)
        rows[rows.index(first)] = written[0]
        rows.extend(written[1:])
    write_csv_folder(tables, folder)
    return ids


def _interpreted(spec: Spec, folder: Path) -> ScreenRun:
    screener = compile_spec_rules(spec)
    batch = read_inputs(spec, screener.dictionary, [str(folder)])
    return screen_batch(spec, batch, explain=False)


@pytest.mark.parametrize("case", sorted(SCREENING))
def test_the_rows_of_one_key_screen_alike(case: str, tmp_path: Path) -> None:
    write_screening_cases([case], tmp_path)
    *_, criterion, expected = SCREENING[case]
    run = _interpreted(SPEC, tmp_path)
    outcome = {o.subject_id: o.result for o in run.outcomes}[SUBJECT]
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(SPEC, tmp_path)}
    assert outcome.criteria[criterion].status == expected
    assert by_sql[SUBJECT]["criteria"] == {k: c.status for k, c in outcome.criteria.items()}
    assert by_sql[SUBJECT]["status"] == outcome.status
    # the other subject's rows are theirs alone
    assert {o.subject_id: o.result.status for o in run.outcomes}[OTHER] == "eligible"
    assert by_sql[OTHER]["status"] == "eligible"


def test_every_screening_case_in_one_set_of_tables(tmp_path: Path) -> None:
    ids = write_screening_cases(sorted(SCREENING), tmp_path)
    run = {o.subject_id: o.result for o in _interpreted(SPEC, tmp_path).outcomes}
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(SPEC, tmp_path)}
    assert set(by_sql) == set(run) == {*ids.values(), OTHER}
    for case, subject_id in ids.items():
        *_, criterion, expected = SCREENING[case]
        assert run[subject_id].criteria[criterion].status == expected, case
        assert by_sql[subject_id]["criteria"] == {
            k: c.status for k, c in run[subject_id].criteria.items()
        }, case


def _problems(case: str, folder: Path) -> list[tuple[str | None, str]]:
    write_screening_cases([case], folder)
    run = _interpreted(SPEC, folder)
    outcome = {o.subject_id: o.result for o in run.outcomes}[SUBJECT]
    return [(p.source, p.reason) for p in outcome.invalid]


def test_two_dates_are_reported_row_by_row(tmp_path: Path) -> None:
    assert _problems("two dates", tmp_path) == [
        (
            "visits.csv line 6",
            "a second row for this visit (the first is visits.csv line 2); dates given "
            "differently by the rows are read as unknown",
        ),
        (
            "visits.csv line 6",
            "visits.csv line 2 gives 2025-01-06, visits.csv line 6 gives 2060-01-01: the rows "
            "disagree on the date of SCR; it is read as unknown",
        ),
    ]


def test_two_answers_are_reported_row_by_row(tmp_path: Path) -> None:
    assert _problems("no then yes", tmp_path) == [
        (
            "attestations.csv line 4",
            "a second row for this criterion (the first is attestations.csv line 2); answers "
            "given differently by the rows are read as unknown",
        ),
        (
            "attestations.csv line 4",
            "attestations.csv line 2 gives no, attestations.csv line 4 gives yes: the rows "
            "disagree on the attestation of I6; it is read as unknown",
        ),
    ]


def test_an_unreadable_date_beside_a_read_one_is_reported(tmp_path: Path) -> None:
    problems = _problems("a date and text", tmp_path)
    assert (
        "visits.csv line 2",
        "'soon' is not a date (write YYYY-MM-DD); the value of another row is read "
        "(visits.csv line 6)",
    ) in problems


def test_a_duplicate_row_changes_nothing_but_the_note(tmp_path: Path) -> None:
    for once, twice in (
        ("one date", "an exact duplicate date"),
        ("one answer", "yes written otherwise"),
    ):
        write_screening_cases([once], tmp_path / once)
        write_screening_cases([twice], tmp_path / twice)
        one = {o.subject_id: o.result for o in _interpreted(SPEC, tmp_path / once).outcomes}
        two = {o.subject_id: o.result for o in _interpreted(SPEC, tmp_path / twice).outcomes}
        assert {k: c.status for k, c in two[SUBJECT].criteria.items()} == {
            k: c.status for k, c in one[SUBJECT].criteria.items()
        }
        assert two[SUBJECT].data_needed == one[SUBJECT].data_needed
        added = [p.reason for p in two[SUBJECT].invalid if p not in one[SUBJECT].invalid]
        assert added and all(reason.startswith("a second row for this") for reason in added)


# ---------------------------------------------------------------- the edit checks

#: The oncology-shaped schedule with a second arm dosed alike, so that two rows of a
#: subject can name two arms the spec declares.
DOSING_SPEC_TEXT = (
    logs.SPEC.read_text(encoding="utf-8")
    + '\narm B "Antibody, second site" type experimental receives AB dosing q3w\n'
)
#: Cycle 2 starts 5 days late (CYCLE_DELAYED at C2D1); its day-8 dose is given at half
#: the planned amount (DOSE_NOT_AS_PLANNED).
COURSE = logs.Course("ONC-KEYS", delays=(0, 5), weight=70.0, wrong=(((2, 8), 0.5),))
ON_TIME = (logs.DAY1 + dt.timedelta(days=logs.CYCLE_DAYS)).isoformat()
LATE = (logs.DAY1 + dt.timedelta(days=logs.CYCLE_DAYS + 5)).isoformat()

#: Cycle 2 without the date of its first visit: due on its planned day, its doses and its
#: day-8 visit, all 5 days late, are out of their windows.
NO_C2D1 = {"VISIT_OUT_OF_WINDOW", "DOSE_OUT_OF_WINDOW", "DOSE_ON_UNPLANNED_DAY",
           "PLANNED_DOSE_MISSING"}  # fmt: skip

#: id → (table, key, cells of the rows in order, the rules expected among the findings)
EDIT_CHECKS: dict[str, tuple[str, str, list[Any], set[str]]] = {
    "one arm": ("subjects", "arm", ["A"], {"CYCLE_DELAYED", "DOSE_NOT_AS_PLANNED"}),
    "an arm twice": ("subjects", "arm", ["A", "A"], {"CYCLE_DELAYED", "DOSE_NOT_AS_PLANNED"}),
    "an arm and none": ("subjects", "arm", ["", "A"], {"CYCLE_DELAYED", "DOSE_NOT_AS_PLANNED"}),
    "an arm and one not declared": (
        "subjects", "arm", ["X", "A"], {"CYCLE_DELAYED", "DOSE_NOT_AS_PLANNED"},
    ),
    "two arms": ("subjects", "arm", ["A", "B"], {"CYCLE_DELAYED"}),
    "a cycle's first date twice": (
        "visits", "C2D1", [LATE, LATE], {"CYCLE_DELAYED", "DOSE_NOT_AS_PLANNED"},
    ),
    "a cycle's first date and none": (
        "visits", "C2D1", [LATE, ""], {"CYCLE_DELAYED", "DOSE_NOT_AS_PLANNED"},
    ),
    "no first date of a cycle": ("visits", "C2D1", [""], NO_C2D1),
    # a date in conflict is no date: cycle 2 is then due on its planned day, as when
    # its first visit has no date
    "two first dates of a cycle": ("visits", "C2D1", [LATE, ON_TIME], NO_C2D1),
    # the weight the doses are computed from, given twice at screening
    "a weight twice": ("vitals", "SCR", [70.0, 70.0], {"CYCLE_DELAYED", "DOSE_NOT_AS_PLANNED"}),
    "two weights": ("vitals", "SCR", [70.0, 35.0], {"CYCLE_DELAYED"}),
}  # fmt: skip


def compile_dosing_spec() -> Spec:
    result = compile_spec("oncology_two_arms.trial", DOSING_SPEC_TEXT)
    assert result.spec is not None
    return result.spec


@pytest.fixture(scope="module")
def dosing_spec() -> Spec:
    return compile_dosing_spec()


def write_dosing_case(spec: Spec, case: str, folder: Path) -> None:
    table, key, cells, _rules = EDIT_CHECKS[case]
    other = {**logs.subject(logs.Course("ONC-OTHER", delays=(0, 0), weight=70.0)), "arm": "B"}
    tables = subjects_to_tables(DataDictionary(spec), [logs.subject(COURSE), other])
    columns, rows = tables[table]
    if table == "subjects":
        first = rows[0]
        value_at = columns.index(key)
    else:
        key_at, value_at = (columns.index(c) for c in KEYS[table])
        first = next(row for row in rows if row[0] == COURSE.subject_id and row[key_at] == key)
    written = []
    for cell in cells:
        row = list(first)
        row[value_at] = cell
        written.append(row)
    rows[rows.index(first)] = written[0]
    rows.extend(written[1:])
    write_csv_folder(tables, folder)


def _findings(
    spec: Spec, folder: Path
) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """The findings of the rules the SQL reports, by the interpreter and by DuckDB."""
    checker = EditChecker(spec)
    batch = read_inputs(spec, checker.dictionary, [str(folder)])
    rules = set(sql_checks.SQL_RULES)
    interpreted = Counter(
        (f.subject_id, f.rule, f.record if f.record is not None else f.visit)
        for raw in batch.subjects
        for f in checker.check(raw.record)
        if f.rule in rules
    )
    found: list[dict[str, Any]] = []
    screen_with_duckdb(spec, folder, [], found)
    by_sql = Counter(
        (f["subject_id"], f["rule"], f["record"] if f["record"] is not None else f["visit"])
        for f in found
    )
    return interpreted, by_sql


@pytest.mark.parametrize("case", sorted(EDIT_CHECKS))
def test_the_rows_of_one_key_give_the_same_edit_checks(
    case: str, dosing_spec: Spec, tmp_path: Path
) -> None:
    write_dosing_case(dosing_spec, case, tmp_path)
    interpreted, by_sql = _findings(dosing_spec, tmp_path)
    assert by_sql == interpreted
    rules = {rule for subject_id, rule, _at in interpreted if subject_id == COURSE.subject_id}
    assert rules == EDIT_CHECKS[case][3]
    # the other subject, dosed as planned, has no finding
    assert not [key for key in interpreted if key[0] == "ONC-OTHER"]


def test_two_arms_are_reported_and_leave_the_doses_unchecked(
    dosing_spec: Spec, tmp_path: Path
) -> None:
    write_dosing_case(dosing_spec, "two arms", tmp_path)
    checker = EditChecker(dosing_spec)
    batch = read_inputs(dosing_spec, checker.dictionary, [str(tmp_path)])
    [raw] = [raw for raw in batch.subjects if raw.record["subject_id"] == COURSE.subject_id]
    assert [(p.source, p.item, p.reason) for p in raw.problems] == [
        (
            "subjects.csv line 4",
            None,
            "a second row for this subject (the first is subjects.csv line 2); an arm or dose "
            "level given differently by the rows is read as unknown",
        ),
        (
            "subjects.csv line 4",
            "arm",
            "subjects.csv line 2 gives A, subjects.csv line 4 gives B: the rows disagree on "
            "the subject's arm; it is read as unknown",
        ),
    ]
    assert "DOSE_ASSIGNMENT_UNKNOWN" in {f.rule for f in checker.check(raw.record)}
