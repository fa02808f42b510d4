"""The tabular layout as CREATE TABLE statements (SQLGlot trees), from the data dictionary.

One table per form, named by its storage name: non-repeating forms have
``subject_id, visit, <items…>``, repeating forms ``subject_id, <items…>``; a
quantity item has an optional ``<item>__unit`` column for values recorded in
another unit.  Besides the forms: ``visits (subject_id, visit, date)`` and
``attestations (subject_id, criterion, attested)`` and ``subjects
(subject_id, arm, dose_level)``.  This is the layout the screening query reads.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from protocol_dsl.plan.dictionary import (
    ATTESTATIONS_TABLE,
    SUBJECTS_TABLE,
    VISITS_TABLE,
    Dictionary,
    build_dictionary,
)
from protocol_dsl.spec import Spec

#: The SQL type of each kind of item (DuckDB names; SQLGlot renders the others).
ITEM_TYPES = {
    "number": "DOUBLE",
    "integer": "BIGINT",
    "quantity": "DOUBLE",
    "date": "DATE",
    "partial_date": "VARCHAR",
    "datetime": "TIMESTAMP",
    "yes_no": "BOOLEAN",
    "choice": "VARCHAR",
    "titer": "INT",
    "text": "VARCHAR",
}


def table_columns(dictionary: Dictionary) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Every table of the layout with its (column, SQL type) pairs, in dictionary order."""
    for table in dictionary.tables:
        columns = [("subject_id", "VARCHAR")]
        if not table.repeating:
            columns.append(("visit", "VARCHAR"))
        for column in table.columns:
            columns.append((column.name, ITEM_TYPES[column.item_kind]))
            if column.unit_column is not None:
                columns.append((column.unit_column, "VARCHAR"))
        yield table.name, columns
    yield VISITS_TABLE, [("subject_id", "VARCHAR"), ("visit", "VARCHAR"), ("date", "DATE")]
    yield (
        ATTESTATIONS_TABLE,
        [("subject_id", "VARCHAR"), ("criterion", "VARCHAR"), ("attested", "BOOLEAN")],
    )
    yield SUBJECTS_TABLE, [("subject_id", "VARCHAR"), ("arm", "VARCHAR"), ("dose_level", "VARCHAR")]


def schema_statements(spec: Spec) -> list[exp.Expression]:
    """CREATE TABLE statements of every table of the tabular layout."""
    statements: list[exp.Expression] = []
    for name, columns in table_columns(build_dictionary(spec)):
        definitions = [
            exp.ColumnDef(
                this=exp.to_identifier(column, quoted=True), kind=exp.DataType.build(sql_type)
            )
            for column, sql_type in columns
        ]
        statements.append(
            exp.Create(
                this=exp.Schema(
                    this=exp.Table(this=exp.to_identifier(name, quoted=True)),
                    expressions=definitions,
                ),
                kind="TABLE",
            )
        )
    return statements


def render_schema(spec: Spec, dialect: str = "duckdb") -> str:
    return (
        "".join(
            statement.sql(dialect=dialect, pretty=True) + ";\n\n"
            for statement in schema_statements(spec)
        ).rstrip("\n")
        + "\n"
    )
