"""`protocol build` artefact ``spark_job``: a ready `spark-submit` screening job.

Writes ``screening_spark_job.py``, a Python file that needs nothing but pyspark::

    spark-submit screening_spark_job.py --output results labs=data/labs.parquet \\
        visits=data/visits.csv …

Each ``TABLE=PATH`` argument names a table of the layout (`protocol sql --schema`)
and where Spark reads it (any path Spark reads: a file, a folder of part files,
``hdfs://``, ``s3a://``; ``.csv`` and ``.csv.gz`` as CSV with a header, anything else
as Parquet).  A table not given is empty.  The job reads every column by the rules
of subject records (the reading rules of the DuckDB engine, `run._read_as`, rendered
in Spark SQL once per column: for a column already of its type, and for text),
leaves out CSV rows that do not split into the header's cells, runs the screening
query of ``screening.spark.sql`` unchanged, and writes one row per subject (a
status per criterion, 1 met, 0 not met, empty unknown, and the overall status) as
Parquet, or CSV with ``--format csv``.

The spec's text reaches the job only inside string literals (Python's `repr`),
never as code.
"""

from __future__ import annotations

from pathlib import Path

from sqlglot import exp

from generators.sql.compile import render, screening_query
from generators.sql.run import _read_as
from generators.sql.schema import table_columns
from generators.sql.spark_run import _spark_functions
from protocol_dsl.plan.dictionary import build_dictionary
from protocol_dsl.spec import Spec

FILE_NAME = "screening_spark_job.py"

#: The Spark name of each type of the layout (what a column already of its type reads as).
SPARK_TYPES = {
    "VARCHAR": "string",
    "DOUBLE": "double",
    "BIGINT": "bigint",
    "INT": "int",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}


def build(spec: Spec, out_dir: Path) -> list[Path]:
    path = Path(out_dir) / FILE_NAME
    path.write_text(render_job(spec), encoding="utf-8")
    return [path]


def render_job(spec: Spec) -> str:
    """The job's source: the tables, their reading rules and the query as literals."""
    tables = []
    for name, columns in table_columns(build_dictionary(spec)):
        rows = [
            (column, SPARK_TYPES[sql_type], _reading(column, sql_type, sql_type),
             _reading(column, "VARCHAR", sql_type))
            for column, sql_type in columns
        ]  # fmt: skip
        tables.append((name, rows))
    query = render(screening_query(spec), "spark").rstrip().rstrip(";")
    lines = [_HEADER.format(trial=repr(spec.trial.name if spec.trial else "")), "TABLES = {"]
    for name, rows in tables:
        lines.append(f"    {name!r}: [")
        lines += [f"        ({', '.join(repr(cell) for cell in row)})," for row in rows]
        lines.append("    ],")
    lines.append("}")
    lines.append("")
    lines.append("QUERY = " + _string_block(query))
    lines.append(_BODY)
    return "\n".join(lines)


def _reading(column: str, actual: str, wanted: str) -> str:
    """The Spark SQL that reads `column` of type `actual` as `wanted`, by the rules of records."""
    value: exp.Expression = exp.Column(this=exp.to_identifier(column, quoted=True))
    if actual == "VARCHAR":  # whatever its type in the input, read through its text
        value = exp.cast(value, "VARCHAR")
    return _spark_functions(_read_as(value, actual, wanted)).sql(dialect="spark")


def _string_block(text: str) -> str:
    """`text` as a parenthesised run of string literals, one per line of the query."""
    parts = [repr(line + "\n") for line in text.splitlines()]
    return "(\n" + "".join(f"    {part}\n" for part in parts) + ")"


_HEADER = '''\
"""Eligibility screening of trial {trial} on Apache Spark, written by `protocol build`.

Run with spark-submit (or `python` where pyspark is installed):

    spark-submit screening_spark_job.py --output RESULTS [--format parquet|csv] TABLE=PATH ...

TABLE is a table of the layout (`protocol sql --schema`); PATH is where Spark reads
it (.csv and .csv.gz: CSV with a header, anything else Parquet).  Tables not given
are empty.  One row per subject is written to RESULTS: a status per criterion (1 met,
0 not met, empty unknown) and the overall status.  Generated: do not edit.
"""

import argparse
import sys

from pyspark.sql import SparkSession

#: Each table: (column, Spark type, reading of a column of that type, reading of text).
'''

_BODY = '''

CORRUPT = "_protocol_corrupt_record"


def read_table(spark, name, path):
    """The table at `path` as a temporary view `name` with the layout's typed columns."""
    csv = path.lower().endswith((".csv", ".csv.gz"))
    if csv:
        header = [column.strip() for column in spark.read.csv(path, header=True).columns]
        schema = ", ".join(f"`{column}` STRING" for column in [*header, CORRUPT])
        frame = spark.read.csv(path, header=True, schema=schema, enforceSchema=True,
                               mode="PERMISSIVE", columnNameOfCorruptRecord=CORRUPT)
        # a row whose cells are not the header's is left out, as protocol screen does
        frame = frame.where(frame[CORRUPT].isNull()).drop(CORRUPT)
    else:
        frame = spark.read.parquet(path)
    frame.createOrReplaceTempView(f"raw__{name}")
    types = {field.name: field.dataType.simpleString() for field in frame.schema.fields}
    selected = []
    for column, spark_type, as_typed, as_text in TABLES[name]:
        if column not in types:
            selected.append(f"CAST(NULL AS {spark_type}) AS `{column}`")
        elif types[column] == spark_type:
            selected.append(f"{as_typed} AS `{column}`")
        else:  # any other type is read through its text
            selected.append(f"{as_text} AS `{column}`")
    spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW `{name}` AS SELECT {', '.join(selected)} "
              f"FROM raw__{name}")


def empty_table(spark, name):
    columns = ", ".join(f"CAST(NULL AS {spark_type}) AS `{column}`"
                        for column, spark_type, _typed, _text in TABLES[name])
    spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW `{name}` AS SELECT {columns} WHERE FALSE")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Eligibility screening on Apache Spark.")
    parser.add_argument("tables", nargs="*", metavar="TABLE=PATH")
    parser.add_argument("--output", required=True, help="where the results are written")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    args = parser.parse_args(argv)
    paths = {}
    for argument in args.tables:
        name, _, path = argument.partition("=")
        if name not in TABLES or not path:
            parser.error(f"{argument!r}: expected TABLE=PATH, TABLE one of {', '.join(TABLES)}")
        paths[name] = path
    spark = SparkSession.builder.appName("screening").getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    # the CSV reader knows a row has too few or too many cells only when it splits all
    spark.conf.set("spark.sql.csv.parser.columnPruning.enabled", "false")
    for name in TABLES:
        if name in paths:
            read_table(spark, name, paths[name])
        else:
            empty_table(spark, name)
    result = spark.sql(QUERY)
    writer = result.write.mode("overwrite")
    if args.format == "csv":
        writer.option("header", True).csv(args.output)
    else:
        writer.parquet(args.output)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''
