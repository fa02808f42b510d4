"""The SQL back end: the screening plan compiled to SQLGlot syntax trees, for any dialect.

`compile.screening_query` builds one set-based query over the tabular layout
(one table per form, `visits`, `attestations`) that returns one row per
subject with a status per criterion and the overall status; `schema` the
CREATE TABLE statements of that layout; `build` writes both for every
supported dialect; `run` executes the query with DuckDB on CSV, Parquet or
DuckDB inputs.  Nothing here imports sqlglot or duckdb at module level.
"""

#: Dialects the generated SQL is written for (SQLGlot dialect names).
DIALECTS = ("duckdb", "postgres", "spark", "trino", "bigquery", "snowflake")
