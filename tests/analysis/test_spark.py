"""The endpoint query in Spark SQL, unchanged, on a real local Apache Spark session.

The typed tables of a few subjects are written as Parquet, registered in
Spark, and the `spark` rendering of the subject query (every endpoint value,
every part of a time to event) must give DuckDB's rows.  The record queries
number a log's records in the order the engine scans them, which DuckDB keeps
(`preserve_insertion_order`); Spark keeps no order, so they run on DuckDB.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generators.endpoints.run import endpoint_queries
from generators.sql.run import connect
from protocol_dsl.analysis.plan import plan_endpoints
from protocol_dsl.compiler import compile_spec
from tests.analysis.test_cli import SUBJECTS
from tests.analysis.test_differential import SPEC
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
