"""Several rows of one subject at one visit in a form's table: every engine reads them alike.

The rule: for each item, the values the rows give are compared as read (in
the item's unit, valid), missing and unreadable ones left out; a value they
all agree on is read once, different values make the item unknown at that
visit.  Each case is a column of rows for one item of QLS4131, the status of
the criterion that reads it expected from the interpreter and from DuckDB.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generators.sql.run import screen_with_duckdb
from protocol_dsl.data import read_inputs
from protocol_dsl.data.tables import UNIT_SUFFIX, subjects_to_tables, write_csv_folder
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.evaluate.subject import DataDictionary
from protocol_dsl.screening.run import ScreenRun, screen_batch
from tests.sql.cases import BASELINES, QLS4131
from tests.sql.test_differential import SPECS

SPEC = SPECS[QLS4131.name]
SUBJECT = "QLS-ROWS"

#: A cell of a row: a value as written, or (value, unit) for the `<item>__unit` column.
Cell = Any

#: id → (form, item, cells of the rows in order, other values of the subject
#: (form, item, value), criterion, its expected status)
CASES: dict[str, tuple[str, str, list[Cell], list[tuple[str, str, Any]], str, str]] = {
    "one row": ("screening_labs", "hba1c", [9.5], [], "E4", "met"),
    "an exact duplicate": ("screening_labs", "hba1c", [9.5, 9.5], [], "E4", "met"),
    "the same number written otherwise": (
        "screening_labs", "hba1c", [9.5, "9.50"], [], "E4", "met",
    ),
    "two values": ("screening_labs", "hba1c", [5.5, 9.5], [], "E4", "unknown"),
    "two values on the same side of the threshold": (
        "screening_labs", "hba1c", [9.5, 12], [], "E4", "unknown",
    ),
    "the first row missing": ("screening_labs", "hba1c", ["", 9.5], [], "E4", "met"),
    "the second row missing": ("screening_labs", "hba1c", [5.5, ""], [], "E4", "not_met"),
    "three rows, one different": (
        "screening_labs", "hba1c", [9.5, 9.5, 5.5], [], "E4", "unknown",
    ),
    "a value that is not a number": ("screening_labs", "hba1c", ["abc", 9.5], [], "E4", "met"),
    "two values and one not a number": (
        "screening_labs", "hba1c", ["abc", 5.5, 9.5], [], "E4", "unknown",
    ),
    "a value outside the range": ("screening_labs", "hba1c", [25, 5.5], [], "E4", "not_met"),
    "the item's own unit and none": (
        "screening_labs", "hba1c", [(9.5, "%"), 9.5], [], "E4", "met",
    ),
    "another unit, the same value": (
        "screening_labs", "hba1c", [(95, "[ppth]"), 9.5], [], "E4", "met",
    ),
    "another unit, another value": (
        "screening_labs", "hba1c", [(50, "[ppth]"), 9.5], [], "E4", "unknown",
    ),
    "yes and no": (
        "screening_assessments", "diabetes", ["yes", "no"],
        [("screening_labs", "hba1c", 9.5)], "E4", "unknown",
    ),
    "yes written twice otherwise": (
        "screening_assessments", "diabetes", ["yes", "true"],
        [("screening_labs", "hba1c", 9.5)], "E4", "met",
    ),
    "no and nothing": (
        "screening_assessments", "diabetes", ["no", ""],
        [("screening_labs", "hba1c", 9.5)], "E4", "not_met",
    ),
    "two dates": ("demographics", "birth_date", ["1980-05-01", "1980-05-02"], [], "I1", "unknown"),
    "a date twice": ("demographics", "birth_date", ["1980-05-01", "1980-05-01"], [], "I1", "met"),
    "a date and text": ("demographics", "birth_date", ["1980-05-01", "soon"], [], "I1", "met"),
    "two codes": (
        "serology", "anti_dsdna", ["positive", "negative"],
        [("serology", "ana_titer", "1:40")], "I3", "unknown",
    ),
    "a code twice": (
        "serology", "anti_dsdna", ["negative", "negative"],
        [("serology", "ana_titer", "1:40")], "I3", "not_met",
    ),
    "two titers, written alike in value": (
        "serology", "ana_titer", ["1:160", "160"],
        [("serology", "anti_dsdna", "negative")], "I3", "met",
    ),
    "two titers": (
        "serology", "ana_titer", ["1:160", "1:40"],
        [("serology", "anti_dsdna", "negative")], "I3", "unknown",
    ),
}  # fmt: skip


def write_cases(cases: list[str], folder: Path) -> dict[str, str]:
    """The tables of one subject per case (case → subject id), and of one more subject.

    The rows of each case's form at SCR are as the case says; the other
    subjects' rows come between a case's first row and its others, so that rows
    of one visit are found apart, as in a file sorted by anything else.
    """
    ids = {case: SUBJECT if len(cases) == 1 else f"ROWS-{n:02d}" for n, case in enumerate(cases)}
    records = []
    for case in cases:
        _form, _item, _cells, others, _criterion, _status = CASES[case]
        record = copy.deepcopy(BASELINES[QLS4131.name])
        record["subject_id"] = ids[case]
        record["forms"]["screening_assessments"]["SCR"]["diabetes"] = True
        for other_form, other_item, value in others:
            record["forms"][other_form]["SCR"][other_item] = value
        records.append(record)
    records.append({**copy.deepcopy(BASELINES[QLS4131.name]), "subject_id": "QLS-OTHER"})
    tables = subjects_to_tables(DataDictionary(SPEC), records)
    for case in cases:
        form, item, cells, *_rest = CASES[case]
        columns, rows = tables[form]
        unit = f"{item}{UNIT_SUFFIX}"
        if unit not in columns and any(isinstance(cell, tuple) for cell in cells):
            columns.insert(columns.index(item) + 1, unit)
            for row in rows:
                row.insert(columns.index(unit), None)
        first = next(row for row in rows if row[0] == ids[case])
        written = []
        for cell in cells:
            row = list(first)
            value, unit_cell = cell if isinstance(cell, tuple) else (cell, None)
            row[columns.index(item)] = value
            if unit in columns:
                row[columns.index(unit)] = unit_cell
            written.append(row)
        rows[rows.index(first)] = written[0]
        rows.extend(written[1:])
    write_csv_folder(tables, folder)
    return ids


def _tables(case: str, folder: Path) -> None:
    write_cases([case], folder)


def _interpreted(folder: Path) -> ScreenRun:
    screener = compile_spec_rules(SPEC)
    batch = read_inputs(SPEC, screener.dictionary, [str(folder)])
    return screen_batch(SPEC, batch, explain=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_rows_of_one_visit_are_read_alike(case: str, tmp_path: Path) -> None:
    _tables(case, tmp_path)
    *_, criterion, expected = CASES[case]
    run = _interpreted(tmp_path)
    outcome = {o.subject_id: o.result for o in run.outcomes}[SUBJECT]
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(SPEC, tmp_path)}[SUBJECT]
    assert outcome.criteria[criterion].status == expected
    assert by_sql["criteria"] == {k: c.status for k, c in outcome.criteria.items()}
    assert by_sql["status"] == outcome.status
    # the other subject's rows are theirs alone
    assert {o.subject_id: o.result.status for o in run.outcomes}["QLS-OTHER"] == "eligible"


def test_values_that_disagree_are_reported_row_by_row(tmp_path: Path) -> None:
    _tables("two values", tmp_path)
    run = _interpreted(tmp_path)
    outcome = {o.subject_id: o.result for o in run.outcomes}[SUBJECT]
    reasons = [p.reason for p in outcome.invalid if p.item == "hba1c"]
    assert reasons == [
        "screening_labs.csv line 2 gives 5.5, screening_labs.csv line 4 gives 9.5: the rows "
        "for this visit disagree on hba1c at SCR; it is read as unknown"
    ]
    second = [p for p in outcome.invalid if p.item is None and p.form == "screening_labs"]
    assert [(p.source, p.visit_or_record_index) for p in second] == [
        ("screening_labs.csv line 4", "SCR")
    ]
    assert "the first is screening_labs.csv line 2" in second[0].reason


def test_a_duplicate_row_changes_nothing_but_the_note(tmp_path: Path) -> None:
    _tables("one row", tmp_path / "once")
    _tables("an exact duplicate", tmp_path / "twice")
    once = {o.subject_id: o.result for o in _interpreted(tmp_path / "once").outcomes}[SUBJECT]
    twice = {o.subject_id: o.result for o in _interpreted(tmp_path / "twice").outcomes}[SUBJECT]
    assert {k: c.status for k, c in twice.criteria.items()} == {
        k: c.status for k, c in once.criteria.items()
    }
    assert twice.data_needed == once.data_needed
    assert [p.reason for p in twice.invalid if p.reason not in {q.reason for q in once.invalid}]
    assert all("second row" in p.reason for p in twice.invalid if p not in once.invalid)


def test_an_unreadable_value_beside_a_read_one_is_reported(tmp_path: Path) -> None:
    _tables("a value that is not a number", tmp_path)
    outcome = {o.subject_id: o.result for o in _interpreted(tmp_path).outcomes}[SUBJECT]
    [problem] = [p for p in outcome.invalid if p.item == "hba1c"]
    assert problem.source == "screening_labs.csv line 2"
    assert problem.reason == (
        "'abc' is not a number; the value of another row for this visit is read "
        "(screening_labs.csv line 4)"
    )


def test_every_case_in_one_set_of_tables(tmp_path: Path) -> None:
    """All cases side by side, each its own subject: the same statuses as alone."""
    ids = write_cases(sorted(CASES), tmp_path)
    run = {o.subject_id: o.result for o in _interpreted(tmp_path).outcomes}
    by_sql = {row["subject_id"]: row for row in screen_with_duckdb(SPEC, tmp_path)}
    assert set(by_sql) == set(run) == {*ids.values(), "QLS-OTHER"}
    for case, subject_id in ids.items():
        *_, criterion, expected = CASES[case]
        assert run[subject_id].criteria[criterion].status == expected, case
        assert by_sql[subject_id]["criteria"] == {
            k: c.status for k, c in run[subject_id].criteria.items()
        }, case


def test_every_value_of_a_conflict_is_named(tmp_path: Path) -> None:
    _tables("two values and one not a number", tmp_path)
    outcome = {o.subject_id: o.result for o in _interpreted(tmp_path).outcomes}[SUBJECT]
    assert [p.reason for p in outcome.invalid if p.item == "hba1c"] == [
        "screening_labs.csv line 2 gives abc (not read: 'abc' is not a number), "
        "screening_labs.csv line 4 gives 5.5, screening_labs.csv line 5 gives 9.5: the rows "
        "for this visit disagree on hba1c at SCR; it is read as unknown"
    ]
