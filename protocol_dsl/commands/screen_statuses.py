"""`protocol screen --report statuses`: each subject's statuses, from the engine chosen.

The interpreter and DuckDB write the same report (`screening.statuses`); the
engine is named in every row and in the text summary.  With ``-o FILE`` and
CSV or JSON Lines, DuckDB writes the file itself (nothing passes through
Python), under `--memory-limit`, spilling to `--temp-directory` beyond it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from importlib.util import find_spec
from pathlib import Path
from typing import IO, Any

import click

from protocol_dsl.screening import engine_choice, statuses
from protocol_dsl.spec import Spec


def screen_statuses(
    spec: Spec,
    spec_path: str,
    data: tuple[str, ...],
    output_format: str,
    output: str | None,
    engine: str,
    mapping: str | None,
    memory_limit: str | None,
    temp_directory: str | None,
    master: str | None = None,
    spark_conf: tuple[str, ...] = (),
) -> None:
    if output_format == "json":
        _fail("the statuses report is written as csv, jsonl or text (--format)")
    sql = find_spec("duckdb") is not None and find_spec("sqlglot") is not None
    if engine == "auto":
        choice = engine_choice.choose(data, "statuses", sql_available=sql)
    else:
        choice = engine_choice.Choice(engine, "asked for with --engine")
    if choice.engine == "duckdb" and not sql:
        _fail(
            "the duckdb engine is not available in this installation "
            "(install with: pip install 'protocol-dsl[sql]'); use --engine python"
        )
    if (master or spark_conf) and choice.engine != "spark":
        _fail("--master and --conf are settings of --engine spark")
    layout = statuses.Layout.of(spec)
    if choice.engine == "spark":
        rows = _spark_rows(spec, data, master, spark_conf)
        _write(spec, spec_path, layout, statuses.in_report_order(rows), output_format, output,
               choice)  # fmt: skip
        return
    if choice.engine == "duckdb":
        _with_duckdb(spec, spec_path, data, layout, output_format, output, choice, memory_limit,
                     temp_directory)  # fmt: skip
        return
    rows = _interpreter_rows(spec, data, mapping)
    _write(spec, spec_path, layout, rows, output_format, output, choice)


def _spark_rows(
    spec: Spec, data: tuple[str, ...], master: str | None, spark_conf: tuple[str, ...]
) -> list[statuses.StatusRow]:
    if find_spec("pyspark") is None or find_spec("duckdb") is None:
        _fail(
            "the spark engine is not available in this installation "
            "(install with: pip install 'protocol-dsl[sql,spark]'); use --engine python"
        )
    if len(data) != 1:
        _fail("the spark engine reads one input (a file or a folder)")
    from generators.sql.run import SourceError
    from generators.sql.spark_run import spark_status_rows
    from generators.sql.spark_session import SparkSettings, SparkUnavailable, parse_conf

    problems: list[str] = []
    try:
        source = _json_records(spec, data[0])
        rows = spark_status_rows(
            spec,
            data[0] if source is None else source,
            problems,
            SparkSettings(master, parse_conf(spark_conf)),
        )
    except (SourceError, SparkUnavailable) as error:
        _fail(str(error))
    warn_problems(problems)
    return rows


def _interpreter_rows(
    spec: Spec, data: tuple[str, ...], mapping: str | None
) -> list[statuses.StatusRow]:
    from protocol_dsl.data import InputError, read_inputs
    from protocol_dsl.evaluate import compile_spec_rules
    from protocol_dsl.screening.run import screen_stream

    screener = compile_spec_rules(spec)
    stdin_text = sys.stdin.read() if "-" in data else None
    try:
        batch = read_inputs(
            spec, screener.dictionary, data, mapping=mapping, stdin_text=stdin_text, streamed=True
        )
    except InputError as error:
        _fail(str(error))
    warn_problems(batch.problems)
    # one subject's record at a time: only the statuses are kept, to be put in order
    outcomes = screen_stream(spec, batch, explain=False, screener=screener, edit_checks=False)
    try:
        return statuses.in_report_order(statuses.from_result(o.result) for o in outcomes)
    except InputError as error:  # a streamed file that changed while it was screened
        return _fail(str(error))


def _with_duckdb(
    spec: Spec,
    spec_path: str,
    data: tuple[str, ...],
    layout: statuses.Layout,
    output_format: str,
    output: str | None,
    choice: engine_choice.Choice,
    memory_limit: str | None,
    temp_directory: str | None,
) -> None:
    import duckdb

    from generators.sql import statuses as sql_statuses
    from generators.sql.run import SourceError, connect
    from protocol_dsl.plan import PlanError

    if len(data) != 1:
        _fail("the duckdb engine reads one input (a file or a folder)")
    try:
        source = _json_records(spec, data[0])
        connection = connect(
            spec,
            data[0] if source is None else source,
            settings=lambda c: sql_statuses.configure(c, memory_limit, temp_directory),
        )
    except SourceError as error:
        _fail(str(error))
    except duckdb.Error as error:  # a setting refused, or a CSV table read at connection
        _duckdb_failed(error)
    try:
        if output is not None and output_format in ("csv", "jsonl") and sql_statuses.can_copy(spec):
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            written = sql_statuses.copy_report(connection, spec, output_format, output)
            click.echo(
                f"{written:,} subjects screened by {choice.engine} — {choice.reason}", err=True
            )
            return
        rows = sql_statuses.duckdb_rows(connection, spec)
        _write(spec, spec_path, layout, rows, output_format, output, choice)
    except PlanError as error:  # check accepted the spec: the SQL back end has a bug
        from protocol_dsl.commands.internal import fail_internal

        fail_internal("in the SQL back end: a rule of this checked spec cannot be compiled", error)
    except duckdb.Error as error:
        _duckdb_failed(error)
    finally:
        connection.close()


def _duckdb_failed(error: Exception) -> Any:
    import duckdb

    if isinstance(error, duckdb.OutOfMemoryException):
        return _fail(f"DuckDB ran out of memory ({error}); raise --memory-limit or free disk space "
              "for --temp-directory")  # fmt: skip
    return _fail(f"DuckDB could not screen the data: {error}")


def _json_records(spec: Spec, path_text: str) -> list[dict[str, Any]] | None:
    """JSON or JSON Lines subject records read as the interpreter reads them (the same rows
    not read, the same ids for records without one); None for tables."""
    from protocol_dsl.data import InputError, read_inputs
    from protocol_dsl.evaluate.subject import DataDictionary, subject_id_of

    path = Path(path_text)
    files = [p for p in path.iterdir() if p.is_file()] if path.is_dir() else [path]
    suffixes = {p.suffix.lower() for p in files}
    if not suffixes & {".json", ".jsonl", ".ndjson"} or suffixes & {".csv", ".parquet", ".xpt"}:
        return None
    try:
        batch = read_inputs(spec, DataDictionary(spec), (path_text,))
    except InputError as error:
        _fail(str(error))
    warn_problems(batch.problems)
    records = []
    for raw in batch.subjects:
        subject_id = subject_id_of(raw.record, raw.fallback_id)
        record = raw.record if isinstance(raw.record, Mapping) else {}
        records.append({**record, "subject_id": subject_id})
    return records


def _write(
    spec: Spec,
    spec_path: str,
    layout: statuses.Layout,
    rows: Iterable[statuses.StatusRow],
    output_format: str,
    output: str | None,
    choice: engine_choice.Choice,
) -> None:
    with ExitStack() as stack:
        out: IO[bytes]
        if output is None:
            out = sys.stdout.buffer
        else:
            try:
                Path(output).parent.mkdir(parents=True, exist_ok=True)
                out = stack.enter_context(Path(output).open("wb"))
            except OSError as error:
                _fail(f"cannot write {output}: {error.strerror or error}")
        if output_format == "csv":
            statuses.write_csv(layout, rows, choice.engine, out)
        elif output_format == "jsonl":
            statuses.write_jsonl(layout, rows, choice.engine, out)
        else:
            out.write(_text(spec, spec_path, layout, rows, choice).encode("utf-8"))
        out.flush()


def _text(
    spec: Spec,
    spec_path: str,
    layout: statuses.Layout,
    rows: Iterable[statuses.StatusRow],
    choice: engine_choice.Choice,
) -> str:
    lines = []
    found = {"eligible": 0, "ineligible": 0, "indeterminate": 0}
    for row in rows:
        found[row.status] += 1
        failed = " ".join(layout.failed(row)) or "-"
        unknown = " ".join(layout.unknown(row)) or "-"
        lines.append(f"{row.subject_id}\t{row.status}\tfailed: {failed}\tunknown: {unknown}")
    total = sum(found.values())
    trial = spec.trial.name if spec.trial else spec_path
    summary = (
        f"Screening of {trial} ({spec_path}): {total} subject{'s' if total != 1 else ''}"
        f" — {found['eligible']} eligible, {found['ineligible']} ineligible, "
        f"{found['indeterminate']} indeterminate"
    )
    engine = f"Engine: {choice.engine} — {choice.reason}"
    return "\n".join([summary, engine, "", *lines]) + "\n"


def warn_problems(problems: Iterable[Any]) -> None:
    """Rows the reader could not use (`DataProblem`s): said, the batch goes on."""
    for problem in problems:
        # the row's place ("subjects.jsonl line 3"), with the field when there is one
        field = problem.form is not None or problem.item is not None
        where = problem.where() if field else problem.source or problem.where()
        click.echo(f"warning: {where}: {problem.reason}", err=True)


def _fail(message: str) -> Any:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)
