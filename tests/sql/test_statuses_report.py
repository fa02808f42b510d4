"""`protocol screen --report statuses`: the same report from every engine, byte for byte.

The interpreter, DuckDB and the engine `auto` chooses write the same rows
(sorted by subject id), differing only in the engine each row names: on
subjects generated around every threshold of the real specs' rules, with
malformed rows among them (a line that is not JSON, a record that is not an
object, a record without a subject id, an id used twice), absent, null and
empty logs; on CSV tables; on subject ids a spreadsheet would read as a
formula.  Every input record comes out as one row; a line that is not JSON
is no record and is said on standard error by every engine alike.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.cli import cli
from protocol_dsl.data.tables import (
    UNIT_SUFFIX,
    subjects_to_tables,
    write_csv_folder,
    write_parquet_folder,
)
from protocol_dsl.evaluate.subject import DataDictionary
from protocol_dsl.screening import engine_choice
from tests.sql.cases import BASELINES, CDISCPILOT01, QLS4131
from tests.sql.subjects import subject_batches
from tests.sql.test_differential import SPECS

PATHS = {QLS4131.name: QLS4131, CDISCPILOT01.name: CDISCPILOT01}
ENGINES = ("python", "duckdb", "auto")


def _screen(spec: Path, data: Path, *options: str) -> tuple[bytes, str]:
    result = CliRunner().invoke(
        cli, ["screen", str(spec), str(data), "--report", "statuses", *options]
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes, result.stderr


def _engine_free(output: bytes, output_format: str) -> tuple[list[str], list[Any]]:
    """The report without its engine cells, and the engines named."""
    if output_format == "csv":
        rows = list(csv.reader(io.StringIO(output.decode("utf-8"), newline="")))
        assert rows[0][-1] == "engine"
        return [",".join(r[:-1]) for r in rows], [r[-1] for r in rows[1:]]
    entries = [json.loads(line) for line in output.decode("utf-8").splitlines()]
    engines = [entry.pop("engine") for entry in entries]
    return [json.dumps(e, ensure_ascii=False) for e in entries], engines


def _all_engines_agree(spec: Path, data: Path, output_format: str, *options: str) -> list[str]:
    reports = {}
    for engine in ENGINES:
        output, _ = _screen(spec, data, "--engine", engine, "--format", output_format, *options)
        reports[engine], named = _engine_free(output, output_format)
        if engine != "auto":
            assert set(named) <= {engine}
    assert reports["python"] == reports["duckdb"] == reports["auto"]
    return reports["python"]


def _malformed(records: list[Any]) -> list[str]:
    """The records as JSON Lines with rows no engine can screen as they are."""
    lines = [json.dumps(r) for r in records]
    lines.insert(1, "{not json")  # not a record: said on standard error, no row
    lines.append(json.dumps(["a", "list"]))  # a record that is not an object
    lines.append(json.dumps({"forms": {}}))  # a record without a subject id
    if records:
        lines.append(json.dumps(records[0]))  # an id used twice: both records come out
    return lines


def _logs_varied(records: list[dict[str, Any]]) -> None:
    """Absent, null and empty logs (repeating forms) among the records."""
    for index, record in enumerate(records):
        forms = record.get("forms")
        if not isinstance(forms, dict):
            continue
        for name in [k for k, v in forms.items() if isinstance(v, list)]:
            if index % 3 == 0:
                del forms[name]
            elif index % 3 == 1:
                forms[name] = None
            else:
                forms[name] = []


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(data=st.data())
def test_every_engine_writes_the_same_report(
    name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    spec = SPECS[name]
    records = data.draw(subject_batches(spec, BASELINES[name], max_size=6))
    if data.draw(st.booleans()):
        _logs_varied(records)
    lines = _malformed(records)
    folder = tmp_path_factory.mktemp("statuses")
    subjects = folder / "subjects.jsonl"
    subjects.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output_format = data.draw(st.sampled_from(["csv", "jsonl"]))
    report = _all_engines_agree(PATHS[name], subjects, output_format)
    # rows in = rows out: every line that is JSON is one subject, the header aside
    header = 1 if output_format == "csv" else 0
    assert len(report) - header == len(lines) - 1


def test_the_rows_not_read_are_said_alike(tmp_path: Path) -> None:
    subjects = tmp_path / "subjects.jsonl"
    subjects.write_text("\n".join(_malformed([BASELINES[QLS4131.name]])) + "\n", encoding="utf-8")
    warnings = {
        engine: _screen(QLS4131, subjects, "--engine", engine, "--format", "csv")[1]
        for engine in ("python", "duckdb")
    }
    assert warnings["python"] == warnings["duckdb"]
    assert "subjects.jsonl line 2: not valid JSON" in warnings["python"]


def test_formula_and_foreign_ids_are_written_alike(tmp_path: Path) -> None:
    """Ids a spreadsheet would run, with quotes, commas, accents and control characters:
    DuckDB's own writer (-o FILE) and Python's write the same cells."""
    base = BASELINES[QLS4131.name]
    ids = ["=1+1", "+33", "-4", "@sum", "a,b", 'q"x', "é ü", "tab\tin", "bell\x07x", "zz"]
    records = [{**copy.deepcopy(base), "subject_id": sid} for sid in ids]
    subjects = tmp_path / "subjects.jsonl"
    subjects.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    for output_format in ("csv", "jsonl"):
        written = {}
        for engine in ("python", "duckdb"):
            out = tmp_path / f"{engine}.{output_format}"
            _screen(
                QLS4131, subjects, "--engine", engine, "--format", output_format, "-o", str(out)
            )
            written[engine] = _engine_free(out.read_bytes(), output_format)[0]
        assert written["python"] == written["duckdb"]
    cells = list(csv.reader(io.StringIO((tmp_path / "duckdb.csv").read_text(), newline="")))
    assert [row[0] for row in cells[1:5]] == ["'+33", "'-4", "'=1+1", "'@sum"]


def test_csv_tables_give_the_same_report(tmp_path: Path) -> None:
    spec = SPECS[QLS4131.name]
    base = BASELINES[QLS4131.name]
    records = []
    for index, change in enumerate((None, "no_birth_date", "no_visits", "no_meds")):
        record = {**copy.deepcopy(base), "subject_id": f"T{index}"}
        if change == "no_birth_date":
            del record["forms"]["demographics"]["SCR"]["birth_date"]
        elif change == "no_visits":
            del record["visits"]
        elif change == "no_meds":
            record["forms"]["medications"] = []
        records.append(record)
    write_csv_folder(subjects_to_tables(DataDictionary(spec), records), tmp_path / "tables")
    report = _all_engines_agree(QLS4131, tmp_path / "tables", "csv")
    assert len(report) == 1 + len(records)


def _second_rows(
    draw: st.DrawFn, tables: dict[str, tuple[list[str], list[list[Any]]]], forms: set[str]
) -> None:
    """Second rows for some subjects' visits in the tables of non-repeating forms.

    Each item of a second row (its value with its unit cell) is the first row's
    (agree), blank (missing), or another row's of the table (mostly disagree);
    the row goes anywhere in the table, so rows of one visit are found apart.
    """
    for name in sorted(forms):
        columns, rows = tables[name]
        for row in list(rows):
            if not draw(st.booleans()):
                continue
            second = list(row)
            donor = draw(st.sampled_from(rows))
            for index, column in enumerate(columns):
                if column in ("subject_id", "visit") or column.endswith(UNIT_SUFFIX):
                    continue
                cells = [index]
                if f"{column}{UNIT_SUFFIX}" in columns:
                    cells.append(columns.index(f"{column}{UNIT_SUFFIX}"))
                source = draw(st.sampled_from(("same", "blank", "other")))
                for cell in cells:
                    if source == "blank":
                        second[cell] = None
                    elif source == "other":
                        second[cell] = donor[cell]
            rows.insert(draw(st.integers(0, len(rows))), second)


#: The tables keyed by more than subject and visit, with the column of their one value.
KEYED_TABLES = {"visits": "date", "attestations": "attested"}


def _second_key_rows(draw: st.DrawFn, tables: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    """Second rows for some visit dates and attestations.

    The second row's value is the first row's (agree), blank (missing), or
    another (disagree: another row's date, or the other answer); the row goes
    anywhere in the table.
    """
    for name, value_column in KEYED_TABLES.items():
        columns, rows = tables[name]
        at = columns.index(value_column)
        for row in list(rows):
            if not draw(st.booleans()):
                continue
            second = list(row)
            source = draw(st.sampled_from(("same", "blank", "other")))
            if source == "blank":
                second[at] = None
            elif source == "other" and name == "attestations":
                second[at] = not row[at] if isinstance(row[at], bool) else True
            elif source == "other":
                second[at] = draw(st.sampled_from(rows))[at]
            rows.insert(draw(st.integers(0, len(rows))), second)


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(data=st.data())
def test_csv_tables_with_several_rows_of_one_visit_give_the_same_report(
    name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Generated subjects as CSV tables, some visits, visit dates and attestations with a
    second row that agrees with the first, leaves values out or gives others: every engine
    reads them alike."""
    spec = SPECS[name]
    dictionary = DataDictionary(spec)
    records = data.draw(subject_batches(spec, BASELINES[name], max_size=6))
    tables = subjects_to_tables(dictionary, records)
    forms = {info.storage for info in dictionary.forms.values() if not info.repeating}
    data.draw(st.composite(lambda draw: _second_rows(draw, tables, forms))())
    data.draw(st.composite(lambda draw: _second_key_rows(draw, tables))())
    folder = tmp_path_factory.mktemp("second_rows") / "tables"
    write_csv_folder(tables, folder)
    report = _all_engines_agree(PATHS[name], folder, "csv")
    assert len(report) == 1 + len(records)


def test_auto_chooses_by_size_and_the_boundary_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSV tables just below the boundary go to the interpreter, from it to DuckDB: the
    subjects both inputs share get the same rows."""
    spec = SPECS[QLS4131.name]
    base = BASELINES[QLS4131.name]
    records = [{**copy.deepcopy(base), "subject_id": f"B{i}"} for i in range(4)]
    del records[1]["forms"]["demographics"]["SCR"]["birth_date"]
    below, at = tmp_path / "below", tmp_path / "at"
    write_csv_folder(subjects_to_tables(DataDictionary(spec), records[:3]), below)
    write_csv_folder(subjects_to_tables(DataDictionary(spec), records), at)
    boundary = engine_choice.estimated_subjects(sorted(at.iterdir()))
    assert engine_choice.estimated_subjects(sorted(below.iterdir())) < boundary
    monkeypatch.setattr(engine_choice, "SQL_FROM_SUBJECTS", boundary)
    rows_below, engines_below = _engine_free(_screen(QLS4131, below, "--format", "csv")[0], "csv")
    rows_at, engines_at = _engine_free(_screen(QLS4131, at, "--format", "csv")[0], "csv")
    assert set(engines_below) == {"python"}
    assert set(engines_at) == {"duckdb"}
    assert rows_at[: len(rows_below)] == rows_below
    assert len(rows_at) == 1 + len(records)


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(data=st.data())
def test_csv_tables_around_the_boundary_give_one_report(
    name: str,
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CSV tables with the boundary just above, at and just below their size: `auto` takes
    the interpreter, then DuckDB, and its report is the interpreter's and DuckDB's."""
    spec = SPECS[name]
    records = data.draw(subject_batches(spec, BASELINES[name], max_size=6))
    if data.draw(st.booleans()):
        _logs_varied(records)
    tables = tmp_path_factory.mktemp("boundary") / "tables"
    write_csv_folder(subjects_to_tables(DataDictionary(spec), records), tables)
    size = engine_choice.estimated_subjects(sorted(tables.iterdir()))
    reports = []
    for boundary, expected in (
        (size + 1, "python"),
        (size, "duckdb"),
        (max(size - 1, 1), "duckdb"),
    ):
        if size == 0 and expected == "duckdb":
            expected = "python"  # an empty input is below any boundary of at least 1
        monkeypatch.setattr(engine_choice, "SQL_FROM_SUBJECTS", boundary)
        assert engine_choice.choose([str(tables)], "statuses").engine == expected
        reports.append(_all_engines_agree(PATHS[name], tables, "csv"))
        _, named = _engine_free(_screen(PATHS[name], tables, "--format", "csv")[0], "csv")
        assert set(named) <= {expected}
    assert reports[0] == reports[1] == reports[2]


def test_json_records_stay_with_the_interpreter(tmp_path: Path) -> None:
    subjects = tmp_path / "s.jsonl"
    subjects.write_text(json.dumps(BASELINES[QLS4131.name]) + "\n", encoding="utf-8")
    assert engine_choice.choose([str(subjects)], "statuses").engine == "python"


def test_parquet_goes_to_duckdb_and_the_text_summary_names_it(tmp_path: Path) -> None:
    spec = SPECS[QLS4131.name]
    write_parquet_folder(
        subjects_to_tables(DataDictionary(spec), [BASELINES[QLS4131.name]]), tmp_path / "t"
    )
    text, _ = _screen(QLS4131, tmp_path / "t")
    assert "Engine: duckdb — Parquet or DuckDB tables".encode() in text
    assert b"1 subject \xe2\x80\x94 1 eligible" in text


def test_full_report_stays_with_the_interpreter(tmp_path: Path) -> None:
    choice = engine_choice.choose([str(tmp_path)], "full")
    assert choice.engine == "python"


def test_a_memory_limit_duckdb_refuses_is_a_plain_error(tmp_path: Path) -> None:
    subjects = tmp_path / "s.jsonl"
    subjects.write_text(json.dumps(BASELINES[QLS4131.name]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["screen", str(QLS4131), str(subjects), "--report", "statuses", "--engine", "duckdb",
         "--memory-limit", "lots"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("error: DuckDB could not screen the data")
    ok = CliRunner().invoke(
        cli,
        ["screen", str(QLS4131), str(subjects), "--report", "statuses", "--engine", "duckdb",
         "--memory-limit", "1GiB", "--temp-directory", str(tmp_path / "spill"), "--format", "csv"],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.splitlines()[1].split(",")[1] == "eligible"


def test_the_estimate_counts_lines_and_records(tmp_path: Path) -> None:
    lines = tmp_path / "a.jsonl"
    lines.write_text("{}\n" * 5, encoding="utf-8")
    listed = tmp_path / "b.json"
    listed.write_text(json.dumps([{"subject_id": str(i)} for i in range(7)]), encoding="utf-8")
    table = tmp_path / "c.csv"
    table.write_text("subject_id\n" + "S\n" * 9, encoding="utf-8")
    assert engine_choice.estimated_subjects([lines]) == 5
    assert engine_choice.estimated_subjects([listed]) == 7
    assert engine_choice.estimated_subjects([table]) == 9
