"""The endpoint queries on a real local Apache Spark session, against DuckDB and the interpreter.

* The `spark` rendering of the subject query, unchanged, over the typed tables
  written as Parquet, gives DuckDB's rows.
* `--engine spark` (`derive_with_spark`) writes the same tables, byte for byte,
  as the interpreter and DuckDB on generated subjects (missing values and dates,
  logs absent, empty, answered none or declared complete).
* Records are numbered in input order on Spark too: a log whose records of
  several subjects are interleaved, read from CSV and from Parquet split into
  many small blocks (so that Spark reads it in many partitions), gives DuckDB's
  RECORD for every record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from generators.endpoints.run import derive_with_duckdb, endpoint_queries
from generators.endpoints.spark_run import derive_with_spark
from generators.sql.run import connect
from protocol_dsl.analysis.derive import Deriver, subjects_of
from protocol_dsl.analysis.plan import plan_endpoints
from protocol_dsl.analysis.results import write_tables
from protocol_dsl.compiler import compile_spec
from protocol_dsl.data.batch import Batch
from protocol_dsl.spec import Spec
from tests.analysis.test_cli import SUBJECTS
from tests.analysis.test_differential import SPEC, batches
from tests.sql.test_spark import spark  # noqa: F401 - the shared Spark session fixture

pytestmark = pytest.mark.spark


def test_spark_computes_the_endpoint_values_like_duckdb(spark, tmp_path: Path) -> None:  # noqa: F811
    spec = compile_spec("endpoints.trial", SPEC).spec
    assert spec is not None
    plan = plan_endpoints(spec)
    connection = connect(spec, SUBJECTS)
    duckdb_query, _records = endpoint_queries(spec, plan)
    expected = connection.sql(duckdb_query).fetchall()
    views = [
        row[0]
        for row in connection.sql(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name"
        ).fetchall()
    ]
    for view in views:
        path = tmp_path / f"{view}.parquet"
        connection.view(view).write_parquet(str(path))
        spark.read.parquet(str(path)).createOrReplaceTempView(view)
    connection.close()
    spark_query, _records = endpoint_queries(spec, plan, dialect="spark")
    got = [tuple(row) for row in spark.sql(spark_query.rstrip().rstrip(";")).collect()]
    assert got == expected
    assert len(got) == len(SUBJECTS)


@pytest.fixture(scope="module")
def spec() -> Spec:
    compiled = compile_spec("endpoints.trial", SPEC).spec
    assert compiled is not None
    return compiled


def _tables(spec: Spec, values: Any, out: Path) -> dict[str, str]:
    written = write_tables(plan_endpoints(spec), values, out, evidence=False)
    return {path.name: path.read_text(encoding="utf-8") for path in written}


@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,  # the same two batches every run: Spark is slow to start a query
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=batches())
def test_spark_writes_the_tables_of_the_interpreter_and_duckdb(
    spark,  # noqa: F811
    spec: Spec,
    batch: Batch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    plan = plan_endpoints(spec)
    deriver = Deriver(spec, plan)
    out = tmp_path_factory.mktemp("tables")
    interpreted = _tables(
        spec, [deriver.subject(s) for s in subjects_of(deriver, batch)], out / "python"
    )
    by_duckdb = _tables(spec, derive_with_duckdb(spec, plan, batch), out / "duckdb")
    by_spark = _tables(spec, derive_with_spark(spec, plan, batch, session=spark), out / "spark")
    assert by_spark.keys() == interpreted.keys() == by_duckdb.keys()
    for name in interpreted:
        assert by_spark[name] == interpreted[name] == by_duckdb[name], name


def _interleaved() -> list[dict[str, Any]]:
    """Subjects whose adverse events are many, so that a log's file has many blocks."""
    day1 = dt.date(2024, 3, 1)
    subjects = []
    for number in range(6):
        events = [
            {
                "term": ("RASH", "HEADACHE", "application site rash")[(number + k) % 3],
                "start": (day1 + dt.timedelta(days=(k * 7 + number) % 40 - 5)).isoformat(),
                "serious": (k + number) % 4 == 0,
            }
            for k in range(30)
        ]
        subjects.append(
            {
                "subject_id": f"S{number}",
                "visits": {"SCR": "2024-02-20", "D1": day1.isoformat()},
                "forms": {
                    "status": {"SCR": {"any_events": True, "end_date": "2024-04-30"}},
                    "events": events,
                },
            }
        )
    return subjects


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_spark_numbers_records_in_input_order(
    spark,  # noqa: F811
    spec: Spec,
    suffix: str,
    tmp_path: Path,
) -> None:
    connection = connect(spec, _interleaved())
    folder = tmp_path / "tables"
    folder.mkdir()
    tables = [
        row[0]
        for row in connection.sql(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name"
        ).fetchall()
    ]
    for table in tables:
        # the records of the subjects interleaved, in an order no sort would give back
        order = "ORDER BY hash(subject_id, start)" if table == "events" else ""
        rows = connection.sql(f'SELECT * FROM "{table}" {order}')
        path = folder / f"{table}.{suffix}"
        if suffix == "csv":
            rows.write_csv(str(path))
        else:
            rows.write_parquet(str(path), row_group_size=8)  # many row groups to split on
    connection.close()
    plan = plan_endpoints(spec)
    expected = _tables(spec, derive_with_duckdb(spec, plan, folder), tmp_path / "duckdb")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "512")
    spark.conf.set("spark.sql.files.openCostInBytes", "0")
    try:
        log = str(folder / f"events.{suffix}")
        read = spark.read.csv(log, header=True) if suffix == "csv" else spark.read.parquet(log)
        assert read.rdd.getNumPartitions() > 1  # the log is read in several pieces
        got = _tables(spec, derive_with_spark(spec, plan, folder, session=spark), tmp_path / "s")
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
        spark.conf.unset("spark.sql.files.openCostInBytes")
    assert got["events.csv"].count("\n") == 1 + 6 * 30  # rows in = rows out
    assert got == expected
