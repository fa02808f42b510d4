"""The generated Spark SQL, unchanged, on a real local Apache Spark session.

The typed tables of a set of subjects (eligible, ineligible and
indeterminate ones of both real specs, and the hand-computed cases) are
written as Parquet, registered in Spark, and screened by the `spark` dialect
output of `protocol sql`; the result must equal DuckDB's, row by row.  Spark
runs in ANSI mode by default, so the query must also never fail on data
(division by zero, casts).  Tables with several rows of one subject at one
visit are read alike too.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generators.sql.compile import render, screening_query
from generators.sql.run import connect
from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec
from tests.evaluate.test_exact import SPEC as EXACT_SPEC
from tests.evaluate.test_exact import subject as exact_subject
from tests.sql.cases import CDISCPILOT01, QLS4131
from tests.sql.test_golden import SUBJECTS
from tests.sql.test_rows_of_one_key import EDIT_CHECKS as KEY_EDIT_CHECKS
from tests.sql.test_rows_of_one_key import SCREENING as KEY_CASES
from tests.sql.test_rows_of_one_key import (
    compile_dosing_spec,
    write_dosing_case,
    write_screening_cases,
)
from tests.sql.test_rows_of_one_visit import CASES as ROW_CASES
from tests.sql.test_rows_of_one_visit import write_cases
from tests.sql.test_semantics import HEADER, RULES, _records

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on this machine (Spark needs one)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("protocol-dsl-tests")
        .config("spark.ui.enabled", "false")
        # the Java process outlives this session: every later Spark test of the run
        # (the engine's, the command's) works in the heap it starts with
        .config("spark.driver.memory", "2g")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        # tiny inputs: planning and code generation dominate, so keep them cheap
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.sql.warehouse.dir", str(Path.cwd() / "spark-warehouse"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _exact_records() -> list[dict[str, object]]:
    """Exact sums and differences, durations in any unit, date-times moved and compared."""
    values = [
        {"doses": [20.1, 19.9], "a": 2, "b": 1.1, "washout": 13, "stable": 12, "fasting": 8},
        {"doses": [20.1, 20], "a": 2, "b": 1.2, "washout": 11, "stable": 5, "fasting": 7.5},
        {"seen": "2025-01-06T10:00:00", "sampled": "2025-01-06T10:06:00", "day1": "2025-01-06"},
        {"seen": "2025-01-05T23:30:00", "sampled": "2025-01-06T00:30:00", "day1": "2025-01-06"},
        {"seen": "2025-01-06T10:00:00", "sampled": "2025-01-07T14:59:00", "count": 2**63 - 1},
    ]
    records = []
    for index, history in enumerate(values, start=1):
        record = exact_subject(**history)
        record["subject_id"] = f"X{index}"
        records.append(record)
    return records


def _function_records() -> list[dict[str, object]]:
    """Functions of numbers at their thresholds and domains, averages with records in doubt."""
    from tests.functions.test_differential import _AREA, _K, _QTCF, _X, _Y

    logs: list[list[dict[str, object]]] = [
        [
            {"qtcf": q, "done": d}
            for q, d in zip(_QTCF, [True, True, False, None, True, True], strict=True)
        ],
        [{"qtcf": 440, "done": True}, {"qtcf": 460, "done": True}, {"qtcf": 470, "done": True}],
        [{"qtcf": 450.5, "done": True}, {"qtcf": 460, "done": False}],
        [],
    ]
    records: list[dict[str, object]] = []
    for index in range(max(len(_X), len(_Y))):
        labs = {
            "x": _X[index % len(_X)],
            "y": _Y[index % len(_Y)],
            "k": _K[index % len(_K)],
            "area": _AREA[index % len(_AREA)],
        }
        records.append(
            {
                "subject_id": f"F{index}",
                "visits": {"SCR": "2025-01-06", "D1": "2025-01-20"},
                "forms": {
                    "labs": {"SCR": {k: v for k, v in labs.items() if v is not None}},
                    "ecg": logs[index % len(logs)],
                },
            }
        )
    return records


def _functions_spec():  # type: ignore[no-untyped-def]
    from tests.functions.test_differential import SPEC as FUNCTIONS_SPEC

    return compile_spec("functions.trial", FUNCTIONS_SPEC).spec


def _partial_records() -> list[dict[str, object]]:
    """Partial dates: whole dates, months, years and invalid text, in every item."""
    from tests.functions.test_partial_dates import _VALUES, _subject

    values = [value for value in _VALUES if value is not None]
    names = ("diagnosis", "first_seen", "onset", "flare", "surgery")
    return [
        _subject(
            index,
            {name: values[(index + shift) % len(values)] for shift, name in enumerate(names)},
            [values[(index * 3) % len(values)], values[(index * 7) % len(values)]],
        )
        for index in range(len(values))
    ]


def _partial_spec():  # type: ignore[no-untyped-def]
    from tests.functions.test_partial_dates import SPEC as PARTIAL_SPEC

    return compile_spec("partial.trial", PARTIAL_SPEC).spec


CASES = {
    "exact": (lambda: compile_spec("exact.trial", EXACT_SPEC).spec, _exact_records()),
    "partial_dates": (_partial_spec, _partial_records()),
    "functions": (_functions_spec, _function_records()),
    "qls4131": (lambda: compile_spec(str(QLS4131)).spec, SUBJECTS["qls4131"]),
    "cdiscpilot01": (lambda: compile_spec(str(CDISCPILOT01)).spec, SUBJECTS["cdiscpilot01"]),
    "cases": (lambda: compile_spec("cases.trial", HEADER + RULES).spec, _records()),
}


def _spark_and_duckdb(
    spark: Any, tmp_path: Path, spec: Spec, source: Any
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The screening query's rows from Spark and from DuckDB, on DuckDB's typed tables
    (views over records, temporary tables read from CSV files)."""
    duckdb_connection = connect(spec, source)
    expected = duckdb_connection.sql(render(screening_query(spec, "duckdb"), "duckdb")).fetchall()
    _views_to_spark(spark, duckdb_connection, tmp_path)
    duckdb_connection.close()

    text = render(screening_query(spec, "spark"), "spark")
    rows = spark.sql(text.rstrip().rstrip(";")).collect()
    return [tuple(row) for row in rows], expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_spark_runs_the_generated_sql_like_duckdb(spark, tmp_path: Path, name: str) -> None:
    load_spec, subjects = CASES[name]
    got, expected = _spark_and_duckdb(spark, tmp_path, load_spec(), subjects)
    assert got == expected
    assert len(got) == len({s.get("subject_id") for s in subjects})


def test_spark_reads_several_rows_of_one_visit_like_duckdb(spark, tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    ids = write_cases(sorted(ROW_CASES), tables)
    spec = compile_spec(str(QLS4131)).spec
    got, expected = _spark_and_duckdb(spark, tmp_path, spec, tables)
    assert got == expected
    assert len(got) == len(ids) + 1


def test_spark_reads_several_rows_of_one_key_like_duckdb(spark, tmp_path: Path) -> None:
    """Two dates of one visit, two answers of one criterion: Spark reads them as DuckDB."""
    tables = tmp_path / "tables"
    ids = write_screening_cases(sorted(KEY_CASES), tables)
    spec = compile_spec(str(QLS4131)).spec
    got, expected = _spark_and_duckdb(spark, tmp_path, spec, tables)
    assert got == expected
    assert len(got) == len(ids) + 1


@pytest.mark.parametrize("case", ["two arms", "two first dates of a cycle", "an arm twice"])
def test_spark_checks_several_rows_of_one_key_like_duckdb(spark, tmp_path: Path, case: str) -> None:
    """The edit checks over two arms of a subject, two dates of a cycle's first visit."""
    from generators.sql import edit_checks

    spec = compile_dosing_spec()
    tables = tmp_path / "tables"
    write_dosing_case(spec, case, tables)
    duckdb_connection = connect(spec, tables)
    expected = sorted(duckdb_connection.sql(edit_checks.render(spec, "duckdb")).fetchall())
    _views_to_spark(spark, duckdb_connection, tmp_path)
    duckdb_connection.close()
    rows = spark.sql(edit_checks.render(spec, "spark")).collect()
    assert sorted(tuple(row) for row in rows) == expected
    assert {r[1] for r in expected} >= KEY_EDIT_CHECKS[case][3]


def _views_to_spark(spark: Any, duckdb_connection: Any, folder: Path) -> None:
    """Every table and view of a DuckDB connection, as Spark temporary views."""
    views = [
        row[0]
        for row in duckdb_connection.sql(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal UNION "
            "SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1"
        ).fetchall()
    ]
    for view in views:
        path = folder / f"{view}.parquet"
        duckdb_connection.view(view).write_parquet(str(path))
        spark.read.parquet(str(path)).createOrReplaceTempView(view)


def test_spark_runs_the_edit_check_query_like_duckdb(spark, tmp_path: Path) -> None:
    """The window and dosing edit checks: the same finding rows on Spark as on DuckDB."""
    from generators.sql import edit_checks
    from tests.evaluate.dosing import logs

    spec = compile_spec(str(logs.SPEC)).spec
    courses = [
        logs.Course("S1", (0, 0, 5, 0), 72.0, frozenset({(2, 1)}), (((3, 8), 3),)),
        logs.Course("S2", (0, 3, 0), None, wrong=(((1, 1), 2.0),), extra=frozenset({2})),
        logs.Course("S3", (0, 0, 0, 0, 0, 0), 80.0, wrong=(((2, 8), 1.5),)),
        logs.Course("S4", (0, -1, 7, 0, 2), 64.0, frozenset({(5, 8)}), extra=frozenset({4})),
    ]
    subjects = [logs.subject(c) for c in courses]
    duckdb_connection = connect(spec, subjects)
    expected = sorted(duckdb_connection.sql(edit_checks.render(spec, "duckdb")).fetchall())
    _views_to_spark(spark, duckdb_connection, tmp_path)
    duckdb_connection.close()
    rows = spark.sql(edit_checks.render(spec, "spark")).collect()
    assert sorted(tuple(row) for row in rows) == expected
    assert {r[1] for r in expected} >= {"CYCLE_DELAYED", "PLANNED_DOSE_MISSING"}
