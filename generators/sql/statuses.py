"""The statuses report from the generated screening query, on any SQL engine.

An engine runs the screening query (`compile.screening_query`) over the input
tables and returns its rows; `status_rows` turns them into the rows of the
statuses report (`protocol_dsl.screening.statuses`), the same whatever the
engine.  On DuckDB the report can also be written by DuckDB itself
(`copy_report`): the same cells, computed in SQL around the screening query
and written with ``COPY``, so that ten million subjects never pass through
Python.  `configure` sets DuckDB's memory limit and spill folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import duckdb
from sqlglot import exp

from generators.sql.compile import SUBJECT_ID, screening_query
from generators.sql.run import DUPLICATE_MARK, STATUS_WORDS, _strata, query_text, units_in_data
from protocol_dsl.screening.statuses import Layout, StatusRow
from protocol_dsl.spec import Spec

#: Rows fetched from the engine at a time: the report is written as they come.
FETCH_ROWS = 65_536

#: Characters `inert_text.printable` drops from a text cell, in RE2's syntax.
_ACTING = (
    r"[\x{00}-\x{08}\x{0b}-\x{1f}\x{7f}-\x{9f}\x{202a}-\x{202e}\x{2066}-\x{2069}"
    r"\x{fffe}\x{ffff}]"
)

#: A first character a spreadsheet reads as the start of a formula
#: (`csv_cells.FORMULA_STARTS`), in RE2's syntax.
_FORMULA_START = r"^[=+\-@\t\r]"


def status_rows(
    spec: Spec, names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[StatusRow]:
    """The statuses of each row of the screening query (`names`: its columns), in its order."""
    criteria = [c.id for c in spec.criteria]
    position = {name: index for index, name in enumerate(names)}
    stratified = spec.randomisation is not None and bool(spec.randomisation.factors)
    for row in rows:
        status = row[position["status"]]
        strata = None
        if stratified:
            assert spec.randomisation is not None
            values = dict(zip(names, row, strict=True))
            strata = _strata(spec.randomisation, values, status)["strata"]
        yield StatusRow(
            str(row[position[SUBJECT_ID]]).split(DUPLICATE_MARK)[0],
            status,
            {cid: STATUS_WORDS[row[position[cid]]] for cid in criteria},
            strata,
        )


def duckdb_rows(connection: duckdb.DuckDBPyConnection, spec: Spec) -> Iterator[StatusRow]:
    """The statuses of every subject over the typed views of `connection`, fetched in parts."""
    result = connection.execute(query_text(spec, units_in_data(connection, spec)))
    names = [column[0] for column in result.description or ()]
    while True:
        part = result.fetchmany(FETCH_ROWS)
        if not part:
            return
        yield from status_rows(spec, names, part)


def configure(
    connection: duckdb.DuckDBPyConnection,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
) -> None:
    """DuckDB's memory limit (``4GiB``) and the folder it spills to beyond it; no progress
    bar (DuckDB draws one on standard output for long queries, into the report).

    Under a memory limit, DuckDB is told not to keep rows in the order they were read:
    the report's order comes from its ORDER BY, and keeping every operator's input
    order holds more in memory than a limit of a few GiB allows for ten million subjects.
    """
    connection.execute("SET enable_progress_bar = false")
    if memory_limit is not None:
        connection.execute("SET preserve_insertion_order = false")
    for name, value in (("memory_limit", memory_limit), ("temp_directory", temp_directory)):
        if value is not None:
            statement = exp.Set(
                expressions=[
                    exp.SetItem(
                        this=exp.EQ(this=exp.var(name), expression=exp.Literal.string(value))
                    )
                ]
            )
            connection.execute(statement.sql("duckdb"))


def can_copy(spec: Spec) -> bool:
    """Whether DuckDB can write the report itself (strata are decided in Python)."""
    return spec.randomisation is None or not spec.randomisation.factors


def copy_report(
    connection: duckdb.DuckDBPyConnection,
    spec: Spec,
    output_format: str,
    target: str,
    engine: str = "duckdb",
) -> int:
    """The statuses report written by DuckDB to `target` (a file name, ``/dev/stdout``):
    the bytes `statuses.write_csv` / `write_jsonl` write (`can_copy` specs only); the number
    of subjects written."""
    layout = Layout.of(spec)
    query = screening_query(spec, "duckdb", units_in_data(connection, spec))
    query.set("order", None)  # sorted once, around the report's cells
    inner = query.sql(dialect="duckdb")
    select = _report_select(layout, output_format, engine)
    if output_format == "csv":
        options = "FORMAT CSV, HEADER TRUE, NEW_LINE '\r\n', QUOTE '\"', ESCAPE '\"'"
    else:
        options = "FORMAT JSON"
    screened = _ident("screened")
    # ordered here: the order of a subquery's rows is not kept by the query around it
    statement = (
        f"COPY (SELECT {select} FROM ({inner}) AS {screened} "
        f"ORDER BY {screened}.{_ident(SUBJECT_ID)}) TO {_literal(target)} ({options})"
    )
    written = connection.execute(statement).fetchone()
    return int(written[0]) if written else 0


# ---------------------------------------------------------------- the report's cells in SQL


def _report_select(layout: Layout, output_format: str, engine: str) -> str:
    subject = f"split_part({_ident(SUBJECT_ID)}, {_literal(DUPLICATE_MARK)}, 1)"
    words = {
        cid: f"CASE {_ident(cid)} WHEN 1 THEN 'met' WHEN 0 THEN 'not_met' ELSE 'unknown' END"
        for cid, _ in layout.criteria
    }
    failed = [
        f"CASE WHEN {_ident(cid)} = {0 if kind == 'inclusion' else 1} THEN {_literal(cid)} END"
        for cid, kind in layout.criteria
    ]
    unknown = [
        f"CASE WHEN {_ident(cid)} IS NULL THEN {_literal(cid)} END" for cid, _ in layout.criteria
    ]
    if output_format == "csv":
        columns = [
            (_csv_text(subject), "subject_id"),
            (_ident("status"), "status"),
            (_joined(failed), "failed"),
            (_joined(unknown), "unknown"),
            *((words[cid], cid) for cid, _ in layout.criteria),
            (_literal(engine), "engine"),
        ]
        return ", ".join(f"{value} AS {_ident(_neutralise_name(name))}" for value, name in columns)
    struct = ", ".join(f"{_ident(cid)} := {words[cid]}" for cid, _ in layout.criteria)
    columns = [
        (subject, "subject_id"),
        (_ident("status"), "status"),
        (_listed(failed), "failed"),
        (_listed(unknown), "unknown"),
        (f"struct_pack({struct})" if struct else "NULL", "criteria"),
        (_literal(engine), "engine"),
    ]
    return ", ".join(f"{value} AS {_ident(name)}" for value, name in columns)


def _joined(parts: list[str]) -> str:
    """The ids separated by spaces; NULL when none (an empty cell, as Python writes it)."""
    if not parts:
        return "NULL"
    return f"NULLIF(concat_ws(' ', {', '.join(parts)}), '')"


def _listed(parts: list[str]) -> str:
    if not parts:
        return "[]::VARCHAR[]"
    return f"list_filter([{', '.join(parts)}], lambda x: x IS NOT NULL)"


def _csv_text(value: str) -> str:
    """A text cell as `csv_cells.cell` writes it: printable, never read as a formula.

    Almost every subject id is plain: one match tells it apart from the others,
    and only those are cleaned (removing characters makes a new string per row;
    a list of first characters compared with IN is planned as a join).
    """
    text = f"regexp_replace({value}, {_literal(_ACTING)}, '', 'g')"
    cleaned = (
        f"CASE WHEN regexp_matches({text}, {_literal(_FORMULA_START)}) "
        f"THEN '''' || {text} ELSE {text} END"
    )
    special = f"regexp_matches({value}, {_literal(_ACTING + '|' + _FORMULA_START)})"
    return f"NULLIF(CASE WHEN {special} THEN {cleaned} ELSE {value} END, '')"


def _neutralise_name(name: str) -> str:
    from protocol_dsl.csv_cells import neutralise

    return neutralise(name)


def _ident(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def _literal(text: str) -> str:
    return exp.Literal.string(text).sql("duckdb")
