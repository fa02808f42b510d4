"""Names the subject-data layout already uses (E0116, E0117).

Tabular subject data (a folder of CSV or Parquet tables, a DuckDB database, the
generated SQL) has one table per form beside three tables of its own: `visits`
(visit dates), `attestations` and `subjects`.  A form stored under one of these
names would share its table with them (E0116).  The screening result has one
column per criterion beside `subject_id` and `status`; a criterion of either
name would share its column (E0117).  Every engine reads the same layout, so the
check refuses the name rather than one engine.
"""

from __future__ import annotations

from collections.abc import Iterator

from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.spec import Spec

#: The layout's own tables (protocol_dsl/plan/dictionary.py LAYOUT_TABLES).
RESERVED_TABLES = ("visits", "attestations", "subjects")

#: The screening result's own columns (generators/sql/compile.py SUBJECT_ID, STATUS).
RESERVED_COLUMNS = ("subject_id", "status")


def check(spec: Spec) -> Iterator[Diagnostic]:
    for use in spec.form_uses:
        table = use.storage_name.lower()
        if table in RESERVED_TABLES:
            yield Diagnostic(
                "E0116",
                "error",
                f"a form's table cannot be named '{table}': that is the name of the {table} "
                "table of the subject-data layout",
                use.form.span,
                notes=(
                    "tabular subject data (CSV, Parquet, DuckDB, the generated SQL) has a "
                    "table per form beside its tables " + ", ".join(RESERVED_TABLES),
                ),
                help=f"rename the form (e.g. '{use.form.name}_form')",
            )
    for criterion in spec.criteria:
        if criterion.id.lower() in RESERVED_COLUMNS:
            yield Diagnostic(
                "E0117",
                "error",
                f"a criterion cannot be named '{criterion.id}': the screening result has a "
                "column of that name",
                criterion.span,
                notes=(
                    "the screening result has a column per criterion beside "
                    + " and ".join(RESERVED_COLUMNS),
                ),
                help="give the criterion an identifier such as I1 or E3",
            )
