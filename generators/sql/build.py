"""`protocol build` artefact ``sql``: the screening query in every dialect, and the schema.

Writes ``screening.<dialect>.sql`` for DuckDB, PostgreSQL, Spark, Trino,
BigQuery and Snowflake (one SQLGlot tree, rendered per dialect,
pretty-printed) and ``schema.duckdb.sql``, the CREATE TABLE statements of the
tabular layout the query reads.
"""

from __future__ import annotations

from pathlib import Path

from generators.sql import DIALECTS
from generators.sql.compile import render, screening_query
from generators.sql.schema import render_schema
from protocol_dsl.spec import Spec


def build(spec: Spec, out_dir: Path) -> list[Path]:
    out = Path(out_dir)
    written = []
    query = screening_query(spec)
    for dialect in DIALECTS:
        path = out / f"screening.{dialect}.sql"
        path.write_text(render(query, dialect), encoding="utf-8")
        written.append(path)
    schema = out / "schema.duckdb.sql"
    schema.write_text(render_schema(spec, "duckdb"), encoding="utf-8")
    written.append(schema)
    return written
