"""`protocol endpoints --engine spark`: the endpoint queries run on Apache Spark.

The input becomes the typed views `protocol screen --engine spark` reads
(`generators.sql.spark_run.register_tables`: CSV and Parquet tables read by
Spark itself, anything else read here and handed over as Arrow tables), each
with a column that orders its rows as the input does, since Spark scans in no
set order: a record flag's RECORD is the record's number within its subject in
input order, the same as DuckDB's and the interpreter's.  The logs each
subject's input declares complete become the run's `COMPLETE_TABLE`.  The rows
come back through `run.values_from_rows`, as the DuckDB engine's do.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generators.endpoints.query import COMPLETE_TABLE
from generators.endpoints.run import declared_complete, endpoint_queries, values_from_rows
from generators.sql.run import SourceError, units_query
from generators.sql.spark_run import INPUT_ORDER, register_tables
from generators.sql.spark_session import SparkSettings, SparkUnavailable, spark_session
from protocol_dsl.analysis.plan import EndpointPlan
from protocol_dsl.analysis.results import SubjectValues
from protocol_dsl.data.batch import Batch
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def derive_with_spark(
    spec: Spec,
    plan: EndpointPlan,
    source: Batch | str | Path,
    problems: list[str] | None = None,
    *,
    settings: SparkSettings | None = None,
    session: SparkSession | None = None,
) -> list[SubjectValues]:
    """Every subject's endpoint values, computed by the endpoint queries on Spark.

    `source`: a batch read by `protocol_dsl.data.read_inputs` (any input, the logs it
    declares complete included), or a folder of CSV / Parquet tables in the tabular
    layout, read by Spark.  `session`: a running session to use (kept running);
    otherwise one is started with `settings` and stopped at the end.
    """
    problems = problems if problems is not None else []
    if session is not None:
        return _derive(session, spec, plan, source, problems)
    with spark_session(settings or SparkSettings()) as started:
        return _derive(started, spec, plan, source, problems)


def _derive(
    spark: SparkSession,
    spec: Spec,
    plan: EndpointPlan,
    source: Batch | str | Path,
    problems: list[str],
) -> list[SubjectValues]:
    from pyspark.errors import PySparkException

    declared: list[tuple[str, str]] = []
    data: Any = source
    if isinstance(source, Batch):
        declared = declared_complete(source)
        data = [raw.record for raw in source.subjects]
    where = str(source) if isinstance(source, (str, Path)) else "the subject records"
    with warnings.catch_warnings():
        # pyspark warns about the pandas version on every Arrow transfer; not the user's
        warnings.simplefilter("ignore", FutureWarning)
        try:
            register_tables(spark, spec, data, problems, record_order=True)
        except PySparkException as error:  # a file Spark cannot read as its suffix says
            raise SourceError(f"{where}: Spark cannot read it: {_first_line(error)}") from None
        try:
            if declared:
                frame = spark.createDataFrame(declared, "subject_id STRING, log STRING")
                frame.createOrReplaceTempView(COMPLETE_TABLE)
            units: tuple[str, ...] = ()
            union = units_query(spec)
            if union is not None:
                found = spark.sql(union.sql("spark")).collect()
                units = tuple(sorted({row[0] for row in found}))
            complete = frozenset(log for _, log in declared)
            subject_sql, record_sql = endpoint_queries(
                spec, plan, complete, units, dialect="spark", order=INPUT_ORDER
            )
            columns, rows = _collect(spark.sql(_statement(subject_sql)))
            records = {log: _collect(spark.sql(_statement(sql))) for log, sql in record_sql.items()}
        except PySparkException as error:
            # Spark reads lazily: a damaged file, memory or a lost executor surface here
            raise SparkUnavailable(
                f"Spark failed while computing the endpoints of {where}: {_first_line(error)}"
            ) from None
    return values_from_rows(spec, plan, columns, rows, records)


def _statement(sql: str) -> str:
    """One statement as `spark.sql` takes it (no closing semicolon)."""
    return sql.rstrip().rstrip(";")


def _collect(frame: DataFrame) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows of `frame` in its order, through Arrow (far faster than Spark's rows)."""
    table = frame.toArrow()
    columns = [column.to_pylist() for column in table.columns]
    return list(table.column_names), list(zip(*columns, strict=True))


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
