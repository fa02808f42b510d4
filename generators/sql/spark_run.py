"""Screening on Apache Spark: typed views over the input tables, then the screening query.

The second engine of the generated SQL, beside DuckDB (`run`): the same query,
rendered in Spark SQL, over the same tabular layout, read by the same rules.

* A folder of tables (``<table>.parquet`` or ``<table>.csv``/``.csv.gz``, a file or
  a folder of part files as Spark writes them) is read by Spark itself, so the data
  never passes through this process: CSV cells as text, Parquet columns as typed.
  A CSV row whose number of cells is not the header's is skipped and reported with
  its line, as the interpreter reports it.
* Inputs Spark has no reader for (JSON and JSON Lines subject records, a DuckDB
  database, records in memory) are read locally into the typed tables the DuckDB
  engine builds, and handed to Spark as Arrow tables.

Every table then becomes a temporary view with the types the query expects, through
the DuckDB engine's reading rules (`run._read_as`) rendered in Spark SQL; a missing
table is empty, so every input subject still comes out.  The rows come back through
`run.subject_results`, the same dicts the DuckDB engine gives.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from generators.sql import edit_checks
from generators.sql.compile import screening_query
from generators.sql.run import (
    SourceError,
    _ident,
    _read_as,
    connect,
    findings_from_rows,
    subject_results,
    units_query,
)
from generators.sql.schema import table_columns
from generators.sql.spark_session import SparkSettings, SparkUnavailable, spark_session
from protocol_dsl.plan.dictionary import build_dictionary
from protocol_dsl.spec import Spec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from protocol_dsl.screening.statuses import StatusRow

#: The column Spark's CSV reader fills with the text of a row it cannot split.
CORRUPT_RECORD = "_protocol_corrupt_record"

#: The column that orders a table's rows as the input does (`register_tables`).
INPUT_ORDER = "__input_order"
#: Its fields: the file, the start of its block, the row's place in the block's scan.
_ORDER_FIELDS = ("file", "block", "row")
_ORDER_TYPE = "STRUCT<file: STRING, block: BIGINT, row: BIGINT>"

#: At most this many malformed rows of a table are reported one by one.
REPORTED_ROWS = 1000

#: Spark's name of a column type → the name the reading rules know (DuckDB's).
_TYPE_NAMES = {
    "string": "VARCHAR",
    "double": "DOUBLE",
    "float": "FLOAT",
    "bigint": "BIGINT",
    "int": "INTEGER",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}

_TABLE_SUFFIXES = (".parquet", ".csv", ".csv.gz")


def screen_with_spark(
    spec: Spec,
    source: Any,
    problems: list[str] | None = None,
    findings: list[dict[str, Any]] | None = None,
    *,
    settings: SparkSettings | None = None,
    session: SparkSession | None = None,
) -> list[dict[str, Any]]:
    """Screen every subject of `source` on Spark; one dict per subject, sorted by id,
    as `run.screen_with_duckdb` gives them (with `findings` and `problems` alike).

    `session`: a running session to use (kept running); otherwise one is started with
    `settings` and stopped at the end.
    """
    problems = problems if problems is not None else []
    if session is not None:
        return _screen(session, spec, source, problems, findings)
    with spark_session(settings or SparkSettings()) as started:
        return _screen(started, spec, source, problems, findings)


def _screen(
    spark: SparkSession,
    spec: Spec,
    source: Any,
    problems: list[str],
    findings: list[dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    from pyspark.errors import PySparkException

    where = str(source) if isinstance(source, (str, Path)) else "the subject records"
    with warnings.catch_warnings():
        # pyspark warns about the pandas version on every Arrow transfer; not the user's
        warnings.simplefilter("ignore", FutureWarning)
        try:
            register_tables(spark, spec, source, problems)
        except PySparkException as error:  # a file Spark cannot read as its suffix says
            raise SourceError(f"{where}: Spark cannot read it: {_first_line(error)}") from None
        try:
            names, rows = _collect(spark.sql(query_text(spark, spec)))
            if findings is not None:
                edit_rows = spark.sql(edit_checks.render(spec, "spark")).collect()
                findings += findings_from_rows([tuple(row) for row in edit_rows], spec)
        except PySparkException as error:
            # Spark reads lazily: a damaged file, memory or a lost executor surface here
            raise SparkUnavailable(
                f"Spark failed while screening {where}: {_first_line(error)}"
            ) from None
    return subject_results(spec, names, rows)


def spark_status_rows(
    spec: Spec, source: Any, problems: list[str], settings: SparkSettings
) -> list[StatusRow]:
    """The statuses report's rows (`generators.sql.statuses.StatusRow`) from Spark: the same
    rows, from the same query columns, as the DuckDB engine's."""
    from pyspark.errors import PySparkException

    from generators.sql.statuses import status_rows

    where = str(source) if isinstance(source, (str, Path)) else "the subject records"
    with spark_session(settings) as spark, warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        try:
            register_tables(spark, spec, source, problems)
        except PySparkException as error:
            raise SourceError(f"{where}: Spark cannot read it: {_first_line(error)}") from None
        try:
            names, rows = _collect(spark.sql(query_text(spark, spec)))
            return list(status_rows(spec, names, rows))
        except PySparkException as error:
            raise SparkUnavailable(
                f"Spark failed while screening {where}: {_first_line(error)}"
            ) from None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def query_text(spark: SparkSession, spec: Spec) -> str:
    """The Spark screening query of `spec`, accepting every unit the data holds."""
    units: tuple[str, ...] = ()
    union = units_query(spec)
    if union is not None:
        units = tuple(sorted({row[0] for row in spark.sql(union.sql("spark")).collect()}))
    return screening_query(spec, "spark", units).sql(dialect="spark")


def _collect(frame: DataFrame) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The rows of `frame` through Arrow (far faster than Spark's row objects)."""
    table = frame.toArrow()
    # structs come out as dicts and lists as lists, as DuckDB gives them
    columns = [column.to_pylist() for column in table.columns]
    return list(table.column_names), zip(*columns, strict=True)


# ---------------------------------------------------------------- the input tables


def register_tables(
    spark: SparkSession,
    spec: Spec,
    source: Any,
    problems: list[str],
    *,
    record_order: bool = False,
) -> None:
    """One typed temporary view per table of the layout, named as the query reads it.

    `record_order`: every table also gets the column `INPUT_ORDER`, which orders its
    rows as the input does (Spark scans in no set order; a record's number within its
    subject is counted by it).
    """
    raw = _open(spark, spec, source, problems, record_order)
    for name, columns in table_columns(build_dictionary(spec)):
        frame = raw.get(name)
        if record_order:
            columns = [*columns, (INPUT_ORDER, _ORDER_TYPE)]
        view = _typed_select(name, columns, frame)
        spark.sql(view.sql(dialect="spark"))


def _open(
    spark: SparkSession, spec: Spec, source: Any, problems: list[str], record_order: bool = False
) -> dict[str, DataFrame]:
    """The input tables of `source`, as read (registered under ``raw__<table>``)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir() and not path.name.endswith(_TABLE_SUFFIXES):
            kinds = {_suffix(file) for file in path.iterdir()}
            if kinds & set(_TABLE_SUFFIXES):
                return _table_folder(spark, path, problems, record_order)
        elif not path.exists():
            raise SourceError(f"{path}: no such file or folder")
    # JSON records, a DuckDB database, records in memory: read here, typed as DuckDB types them
    connection = connect(spec, source, problems)
    try:
        tables = {}
        for name, _columns in table_columns(build_dictionary(spec)):
            arrow = connection.table(name).fetch_arrow_table()
            if record_order:
                # the rows in the order they were loaded (DuckDB keeps it), numbered here
                arrow = arrow.append_column(INPUT_ORDER, _positions(arrow.num_rows))
            tables[name] = spark.createDataFrame(arrow)
        return tables
    finally:
        connection.close()


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in _TABLE_SUFFIXES if name.endswith(s)), path.suffix.lower())


def _positions(count: int) -> Any:
    """An Arrow column of the positions 0 … count − 1, in the struct an input order is."""
    import pyarrow as pa

    return pa.StructArray.from_arrays(
        [
            pa.array([""] * count),
            pa.array([0] * count, pa.int64()),
            pa.array(range(count), pa.int64()),
        ],
        names=list(_ORDER_FIELDS),
    )


def _with_input_order(frame: DataFrame) -> DataFrame:
    """`frame` (as read from its files, nothing between) with the column `INPUT_ORDER`:
    the file, the start of the file's block, and the row's place in the scan of that
    block.  Public Spark only: the `_metadata` column of a file source, and
    `monotonically_increasing_id`, which increases with the rows of a partition in the
    order they are read; a partition reads a block from its start, so within a block
    the order is the file's.  Files in the order of their paths, as DuckDB reads a
    folder of part files."""
    from pyspark.sql import functions as F

    order = F.struct(
        F.col("_metadata.file_path").alias(_ORDER_FIELDS[0]),
        F.col("_metadata.file_block_start").alias(_ORDER_FIELDS[1]),
        F.monotonically_increasing_id().alias(_ORDER_FIELDS[2]),
    )
    return frame.withColumn(INPUT_ORDER, order)


def _table_folder(
    spark: SparkSession, folder: Path, problems: list[str], record_order: bool = False
) -> dict[str, DataFrame]:
    tables: dict[str, DataFrame] = {}
    for path in sorted(folder.iterdir()):
        suffix = _suffix(path)
        if suffix not in _TABLE_SUFFIXES:
            continue
        name = path.name[: -len(suffix)]
        if name in tables:
            raise SourceError(f"{folder}: two files for the table '{name}'")
        if suffix == ".parquet":
            parquet = spark.read.parquet(str(path))
            tables[name] = _with_input_order(parquet) if record_order else parquet
        else:
            frame = _read_csv(spark, path, problems, record_order)
            if frame is not None:
                tables[name] = frame
    return tables


def _read_csv(
    spark: SparkSession, path: Path, problems: list[str], record_order: bool = False
) -> DataFrame | None:
    """Every cell as text; rows that do not split into the header's cells are left out,
    and said in `problems` with their line as the interpreter says it.  An empty file
    (not even a header) is no table."""
    from pyspark.sql.types import StringType, StructField, StructType

    header = spark.read.csv(str(path), header=True).columns
    if not header:
        return None
    # the header's names as the interpreter reads them (spaces around a name are not part of it)
    names = [column.strip() for column in header]
    schema = StructType(
        [StructField(name, StringType()) for name in names]
        + [StructField(CORRUPT_RECORD, StringType())]
    )
    frame = spark.read.csv(
        str(path),
        header=True,
        schema=schema,
        enforceSchema=True,
        mode="PERMISSIVE",
        columnNameOfCorruptRecord=CORRUPT_RECORD,
    )
    if record_order:
        frame = _with_input_order(frame)
    # the reader knows a row has too few or too many cells only when it splits all of them
    spark.conf.set("spark.sql.csv.parser.columnPruning.enabled", "false")
    # (Spark refuses a query of the corrupt-record column alone: another column goes along)
    bad = frame.where(frame[CORRUPT_RECORD].isNotNull()).select(CORRUPT_RECORD, *names[:1])
    found = bad.limit(REPORTED_ROWS + 1).collect()
    if found:
        problems += _bad_rows(path, len(names), [row[0] for row in found])
    return frame.where(frame[CORRUPT_RECORD].isNull()).drop(CORRUPT_RECORD)


def _bad_rows(path: Path, width: int, texts: list[str]) -> list[str]:
    """The interpreter's message for each row Spark could not split, found again in the
    file (when it is a file here) for its line number."""
    messages = [
        f"{path.name} {where}: the row has {cells} cells and the header {width}; it is skipped"
        for where, cells in _located(path, width, texts)
    ]
    if len(texts) > REPORTED_ROWS:
        messages = messages[:REPORTED_ROWS]
        messages.append(f"{path.name}: more rows than these {REPORTED_ROWS} are skipped likewise")
    return messages


def _located(path: Path, width: int, texts: list[str]) -> Iterator[tuple[str, int]]:
    if path.is_file() and path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            found = 0
            for cells in reader:
                if any(c.strip() for c in cells) and len(cells) != width:
                    yield f"line {reader.line_num}", len(cells)
                    found += 1
                    if found >= min(len(texts), REPORTED_ROWS):
                        return
        return
    for text in texts[:REPORTED_ROWS]:  # compressed or split in parts: the row's own text
        cells = next(csv.reader(io.StringIO(text)), [])
        yield f"row {text!r}", len(cells)


# ---------------------------------------------------------------- typed views


def _typed_select(
    name: str, columns: list[tuple[str, str]], frame: DataFrame | None
) -> exp.Expression:
    """CREATE TEMPORARY VIEW `name` with the layout's columns read by the rules of records."""
    present: dict[str, str] = {}
    if frame is not None:
        raw_name = f"raw__{name}"
        frame.createOrReplaceTempView(raw_name)
        present = {
            field.name: _TYPE_NAMES.get(field.dataType.simpleString(), "OTHER")
            for field in frame.schema.fields
        }
    select = exp.select()
    for column, sql_type in columns:
        value: exp.Expression
        if column == INPUT_ORDER:  # an order, not a value: as it is
            value = (
                _column(column)
                if column in present
                else exp.cast(exp.Null(), exp.DataType.build(sql_type, dialect="spark"))
            )
        elif column in present:
            value = _spark_functions(_read_as(_column(column), present[column], sql_type))
        else:
            value = exp.cast(exp.Null(), sql_type)
        select = select.select(value.as_(_ident(column)), copy=False)
    if frame is None:
        select = select.where(exp.false(), copy=False)
    else:
        select = select.from_(exp.Table(this=_ident(f"raw__{name}")), copy=False)
    return exp.Create(
        this=_ident(name),
        kind="VIEW",
        expression=select,
        replace=True,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
    )


def _column(name: str) -> exp.Column:
    return exp.Column(this=_ident(name))


def _spark_functions(value: exp.Expression) -> exp.Expression:
    """The reading rules in Spark's terms: Spark has no ``isinf``, and SQLGlot writes a
    TRY_CAST for Spark only when told it is one (a CAST fails on bad text in ANSI mode)."""

    value = value.copy()
    for cast in value.find_all(exp.TryCast):  # before `isinf` is replaced with its operand
        cast.set("safe", True)

    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Anonymous) and str(node.this).lower() == "isinf":
            infinity = exp.cast(exp.Literal.string("Infinity"), "DOUBLE")
            return exp.EQ(this=exp.Abs(this=node.expressions[0]), expression=infinity)
        return node

    return value.transform(rename)
