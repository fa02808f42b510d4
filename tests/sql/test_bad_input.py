"""One answer for bad input in every engine: null records, duplicate ids, bad lines, huge numbers.

The interpreter (`protocol screen`), the DuckDB SQL (`--engine duckdb`) and
the generated module must each put out one row per input record, report
what they could not read, and go on with the rest of the batch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generators.sql.run import screen_with_duckdb
from protocol_dsl.data.jsonfiles import read_jsonl_file
from protocol_dsl.evaluate import evaluate_subject
from protocol_dsl.screening.run import screen_batch
from tests.sql.test_differential import generated_module
from tests.sql.test_missing_logs import spec

HUGE = int("9" * 400)


def _write_lines(path: Path, lines: list[Any]) -> Path:
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return path


def _subject(subject_id: str, **forms: Any) -> dict[str, Any]:
    return {"subject_id": subject_id, "visits": {"SCR": "2025-01-06"}, "forms": forms}


def _module_main(tmp_path: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple:
    module = generated_module(spec())
    assert module.main([str(path)]) == 0
    out, err = capsys.readouterr()
    return [json.loads(line) for line in out.splitlines()], err


def test_a_null_record_is_a_record_of_unknown_values_everywhere() -> None:
    record = _subject("N", procedures=[None], history=[None])
    interpreted = evaluate_subject(spec(), record)
    # a procedure record exists, whatever it holds; the history record's category is unknown
    assert interpreted.criteria["E4"].status == "met"
    assert interpreted.criteria["E1"].status == "unknown"
    assert any("a record maps item names" in p.reason for p in interpreted.invalid)
    from_module = generated_module(spec()).screen(record)
    (from_sql,) = screen_with_duckdb(spec(), [record])
    expected = {c: r.status for c, r in interpreted.criteria.items()}
    assert from_module["criteria"] == expected
    assert from_sql["criteria"] == expected


def test_duplicate_subject_ids_are_reported_and_never_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    none_recorded = {"SCR": {"any_history": "no"}}
    lines = [
        _subject("S1", history=[{"category": "malignancy"}]),
        _subject("S1", screening=none_recorded),
        _subject("S2", screening=none_recorded),
    ]
    path = _write_lines(tmp_path / "subjects.jsonl", lines)
    # the interpreter: three rows, each screened on its own data, each reported
    run = screen_batch(spec(), read_jsonl_file(path))
    assert [o.subject_id for o in run.outcomes] == ["S1", "S1", "S2"]
    assert [o.result.criteria["E1"].status for o in run.outcomes] == ["met", "not_met", "not_met"]
    rules = [[f.rule for f in o.findings if f.rule == "DUPLICATE_SUBJECT_ID"] for o in run.outcomes]
    assert rules == [["DUPLICATE_SUBJECT_ID"], ["DUPLICATE_SUBJECT_ID"], []]
    # DuckDB: three rows too, with the same statuses, and the duplicate said
    problems: list[str] = []
    rows = screen_with_duckdb(spec(), path, problems)
    assert sorted((r["subject_id"], r["criteria"]["E1"]) for r in rows) == [
        ("S1", "met"),
        ("S1", "not_met"),
        ("S2", "not_met"),
    ]
    assert len(problems) == 1 and "S1 is used by 2 input records" in problems[0]
    # the generated module: three rows, and a warning
    results, err = _module_main(tmp_path, path, capsys)
    assert [(r["subject_id"], r["criteria"]["E1"]) for r in results] == [
        ("S1", "met"),
        ("S1", "not_met"),
        ("S2", "not_met"),
    ]
    assert "S1 is used by 2 records" in err


def test_a_malformed_line_is_reported_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_lines(
        tmp_path / "subjects.jsonl", [_subject("A"), '{"subject_id": ', _subject("B")]
    )
    batch = read_jsonl_file(path)
    assert [s.record["subject_id"] for s in batch.subjects] == ["A", "B"]
    assert [p.source for p in batch.problems] == ["subjects.jsonl line 2"]
    problems: list[str] = []
    rows = screen_with_duckdb(spec(), path, problems)
    assert [r["subject_id"] for r in rows] == ["A", "B"]
    assert problems and problems[0].startswith("subjects.jsonl line 2: not valid JSON")
    results, err = _module_main(tmp_path, path, capsys)
    assert [r["subject_id"] for r in results] == ["A", "B"]
    assert "line 2: not valid JSON" in err


def test_a_number_of_400_digits_is_an_invalid_value_not_an_internal_error() -> None:
    record = _subject(
        "H", meds=[{"dose": HUGE, "ongoing": "yes"}, {"dose": {"value": HUGE, "unit": "g/d"}}]
    )
    interpreted = evaluate_subject(spec(), record)
    reasons = [p.reason for p in interpreted.invalid]
    assert (
        reasons
        == ["a number of 400 digits is out of range: numbers are less than 10^18 in magnitude"] * 2
    )
    expected = {c: r.status for c, r in interpreted.criteria.items()}
    assert expected["E3"] == "unknown"  # the dose is unknown, so is the sum
    assert generated_module(spec()).screen(record)["criteria"] == expected
    (from_sql,) = screen_with_duckdb(spec(), [record])
    assert from_sql["criteria"] == expected
