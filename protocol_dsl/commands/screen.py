"""`protocol screen SPEC DATA…`: eligibility and edit checks over subject data.

Exit 0 when the screening ran (whatever the subjects' statuses: they are in
the output), 1 on a user error (a spec with errors, data that cannot be
read), 2 on an internal error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from protocol_dsl.commands.options import (
    ENGINES,
    mapping_option,
    no_color_option,
    output_file_option,
    spark_options,
)
from protocol_dsl.commands.spec_input import load_screening_spec
from protocol_dsl.diagnostics import use_colour

if TYPE_CHECKING:
    from protocol_dsl.data.batch import Batch
    from protocol_dsl.evaluate.interpreter import Screener
    from protocol_dsl.screening.run import ScreenRun
    from protocol_dsl.spec import Spec

#: batches at least this large get a progress bar (on a terminal only)
PROGRESS_FROM = 500


@click.command("screen")
@click.argument("spec")
@click.argument("data", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "jsonl", "csv"]),
    default="text",
    show_default=True,
    help="Output format (jsonl: one subject per line, the input of `randomise --minimise`).",
)
@output_file_option("Write to FILE.")
@click.option(
    "--funnel",
    "funnel_png",
    type=click.Path(dir_okay=False),
    help="Also draw the screen-failure funnel as a PNG chart.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", *ENGINES, "spark", "interpreter"]),
    default="auto",
    show_default=True,
    callback=lambda _ctx, _param, value: "python" if value == "interpreter" else value,
    help="python: the interpreter, with reasons and edit checks; duckdb: the generated SQL; "
    "spark: the generated SQL on Apache Spark; "
    "auto: chosen for the data (the interpreter for the full report).",
)
@click.option(
    "--report",
    "report_kind",
    type=click.Choice(["full", "statuses"]),
    default="full",
    show_default=True,
    help="full: statuses, data needed, evidence and edit checks; statuses: each subject's "
    "statuses only, the same from every engine, sorted by subject id.",
)
@click.option(
    "--memory-limit",
    metavar="SIZE",
    help="DuckDB's memory limit (e.g. 4GiB); beyond it DuckDB spills to disk.",
)
@click.option(
    "--temp-directory",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Where DuckDB spills beyond its memory limit (default: beside its database).",
)
@spark_options
@mapping_option
@no_color_option
def command(
    spec: str,
    data: tuple[str, ...],
    output_format: str,
    output: str | None,
    funnel_png: str | None,
    engine: str,
    report_kind: str,
    memory_limit: str | None,
    temp_directory: str | None,
    master: str | None,
    spark_conf: tuple[str, ...],
    mapping: str | None,
    no_color: bool,
) -> None:
    """Screen the subjects in DATA against SPEC.

    DATA: JSON or JSON Lines files, folders of CSV or Parquet tables, DuckDB
    database files, or SDTM datasets (.xpt, read through the spec's mapping);
    - reads JSON from standard input.
    """
    checked = load_screening_spec(
        spec, no_color, "nothing screened: fix the errors in the spec first"
    )
    if report_kind == "statuses":
        from protocol_dsl.commands.screen_statuses import screen_statuses

        screen_statuses(
            checked,
            spec,
            data,
            output_format,
            output,
            engine,
            mapping,
            memory_limit,
            temp_directory,
            master,
            spark_conf,
        )
        return
    if engine in ("duckdb", "spark"):
        _sql_engine(engine, checked, data, output_format, output, master, spark_conf)
        return
    if master or spark_conf:
        click.echo("error: --master and --conf are settings of --engine spark", err=True)
        sys.exit(1)

    from protocol_dsl.data import InputError, read_inputs
    from protocol_dsl.evaluate import compile_spec_rules
    from protocol_dsl.evaluate.interpreter import CompileError
    from protocol_dsl.screening import report
    from protocol_dsl.screening.run import screen_batch

    try:
        screener = compile_spec_rules(checked)
    except CompileError as error:  # check accepted the spec: the interpreter has a bug
        from protocol_dsl.commands.internal import fail_internal

        fail_internal("in the interpreter: a rule of this checked spec cannot be evaluated", error)
    stdin_text = sys.stdin.read() if "-" in data else None
    streamed = output_format in ("csv", "jsonl") and not funnel_png
    try:
        batch = read_inputs(
            checked,
            screener.dictionary,
            data,
            mapping=mapping,
            stdin_text=stdin_text,
            streamed=streamed,
        )
    except InputError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)

    explain = output_format in ("json", "jsonl")
    total = batch.subject_count()
    if streamed:
        from protocol_dsl.commands.screen_statuses import warn_problems

        # one row per subject leaves no place for the rows that are no subject's
        # (a line that is not JSON): said on standard error, as the statuses report does
        warn_problems(batch.problems)
        _stream(checked, batch, screener, output_format, output, total)
        return
    if total >= PROGRESS_FROM and sys.stderr.isatty():
        run = _with_progress(checked, batch, explain, total, screener)
    else:
        run = screen_batch(checked, batch, explain=explain, screener=screener)

    if output_format == "json":
        _write(report.render_json(run, spec).encode("utf-8"), output)
    elif output_format == "jsonl":
        _write(report.render_jsonl(run).encode("utf-8"), output)
    elif output_format == "csv":
        _write(report.render_csv(run), output)
    else:
        colour = output is None and use_colour(sys.stdout, no_color)
        _write(report.render_text(run, spec, colour=colour).encode("utf-8"), output)
    if funnel_png:
        try:
            path = report.write_funnel_png(run, Path(funnel_png))
        except ImportError:
            click.echo(
                "error: the funnel chart needs matplotlib "
                "(install with: pip install 'protocol-dsl[sim]')",
                err=True,
            )
            sys.exit(1)
        except OSError as error:
            click.echo(f"error: cannot write {funnel_png}: {error.strerror or error}", err=True)
            sys.exit(1)
        click.echo(f"funnel chart written to {path}", err=True)


def _with_progress(
    spec: Spec, batch: Batch, explain: bool, total: int, screener: Screener
) -> ScreenRun:
    """Screening with a progress bar on standard error (rich, if installed)."""
    from protocol_dsl.screening.run import screen_batch

    try:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    except ImportError:  # the rich extra is optional: screen without a bar
        return screen_batch(spec, batch, explain=explain, screener=screener)
    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn())
    console = Console(stderr=True)
    with Progress(*columns, TimeRemainingColumn(), console=console, transient=True) as progress:
        task = progress.add_task("screening", total=total)
        return screen_batch(
            spec,
            batch,
            explain=explain,
            progress=lambda n: progress.advance(task, n),
            screener=screener,
        )


def _stream(
    spec: Spec,
    batch: Batch,
    screener: Screener,
    output_format: str,
    output: str | None,
    total: int,
) -> None:
    """The CSV or JSON Lines report written subject by subject as they are screened."""
    import gc

    from protocol_dsl.data import InputError
    from protocol_dsl.screening import report
    from protocol_dsl.screening.run import screen_stream

    # The records read, the spec and the compiled rules live until the report is written:
    # set aside from the collector, they are not walked again by every full collection
    # that the subjects' short-lived results trigger (a tenth of a large run's time).
    gc.freeze()
    with ExitStack() as stack:
        stack.callback(gc.unfreeze)
        out: IO[bytes] = sys.stdout.buffer
        if output is not None:
            try:
                out = stack.enter_context(Path(output).open("wb"))
            except OSError as error:
                click.echo(f"error: cannot write {output}: {error.strerror or error}", err=True)
                sys.exit(1)
        progress = stack.enter_context(_progress_bar(total))
        outcomes = screen_stream(
            spec, batch, explain=output_format == "jsonl", screener=screener, progress=progress
        )
        try:
            if output_format == "csv":
                report.write_csv(spec, outcomes, out)
            else:
                report.write_jsonl(outcomes, out)
        except InputError as error:  # a streamed file that changed under the report
            out.flush()
            click.echo(f"error: {error}; the report above is incomplete", err=True)
            sys.exit(1)
        out.flush()


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error for a large batch on a terminal (rich, if installed)."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    try:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    except ImportError:  # the rich extra is optional: screen without a bar
        yield None
        return
    columns = ("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn())
    console = Console(stderr=True)
    with Progress(*columns, TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("screening", total=total)
        yield lambda n: bar.advance(task, n)


def _strata_cells(row: dict[str, Any], factors: list[str]) -> list[str | None]:
    strata = row.get("strata") or {}
    return [*(strata.get(f) for f in factors), row.get("stratum")]


def _write(data: bytes, output: str | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        click.echo(f"error: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(1)


def _sql_engine(
    engine: str,
    spec: Spec,
    data: tuple[str, ...],
    output_format: str,
    output: str | None,
    master: str | None = None,
    spark_conf: tuple[str, ...] = (),
) -> None:
    """Screen with the generated SQL on DuckDB or Spark: statuses, and the window and
    dosing edit checks (no reasons, no item-level edit checks)."""
    try:
        from generators.sql.run import SourceError, screen_with_duckdb
    except ImportError:
        click.echo(
            f"error: the {engine} engine is not available in this installation "
            "(install with: pip install 'protocol-dsl[sql]'); use --engine python",
            err=True,
        )
        sys.exit(1)
    if len(data) != 1:
        click.echo(f"error: the {engine} engine reads one input (a file or a folder)", err=True)
        sys.exit(1)
    if engine == "duckdb" and (master or spark_conf):
        click.echo("error: --master and --conf are settings of --engine spark", err=True)
        sys.exit(1)
    from protocol_dsl.plan import PlanError

    problems: list[str] = []
    findings: list[dict[str, object]] = []
    try:
        if engine == "spark":
            rows = _spark_rows(spec, data[0], problems, findings, master, spark_conf)
        else:
            rows = screen_with_duckdb(spec, data[0], problems, findings)
    except SourceError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except PlanError as error:  # check accepted the spec: the SQL back end has a bug
        from protocol_dsl.commands.internal import fail_internal

        fail_internal("in the SQL back end: a rule of this checked spec cannot be compiled", error)
    import json

    for problem in problems:  # unreadable input lines: reported, the batch goes on
        click.echo(f"warning: {problem}", err=True)
    by_subject: dict[object, list[dict[str, object]]] = {}
    for finding in findings:
        by_subject.setdefault(finding["subject_id"], []).append(finding)
    if output_format == "json":
        for row in rows:
            row["findings"] = by_subject.get(row["subject_id"], [])
        document: dict[str, object] = {"format_version": 1, "engine": engine, "subjects": rows}
        if problems:
            document["input_problems"] = problems
        text = json.dumps(document, indent=2, sort_keys=False)
        _write((text + "\n").encode("utf-8"), output)
        return
    if output_format == "jsonl":
        for row in rows:
            row["findings"] = by_subject.get(row["subject_id"], [])
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        _write(text.encode("utf-8"), output)
        return
    criteria = [c.id for c in spec.criteria]
    factors = [f.name for f in spec.randomisation.factors] if spec.randomisation else []
    strata_header = [*(f"stratum_{f}" for f in factors), "stratum"] if factors else []
    if output_format == "csv":
        from protocol_dsl.csv_cells import csv_bytes

        body = csv_bytes(
            ["subject_id", "status", *criteria, *strata_header, "findings"],
            [
                [
                    r["subject_id"],
                    r["status"],
                    *(r["criteria"][c] for c in criteria),
                    *(_strata_cells(r, factors) if factors else []),
                    " ".join(sorted({str(f["rule"]) for f in by_subject.get(r["subject_id"], [])})),
                ]
                for r in rows
            ],
        )
        _write(body, output)
        return
    lines = [f"{r['subject_id']}\t{r['status']}" for r in rows]
    if findings:
        lines.append("")
        lines.append(f"Edit checks ({len(findings)} findings)")
        lines += [f"{f['subject_id']}\t{f['rule']}\t{f['message']}" for f in findings]
    _write(("\n".join(lines) + "\n").encode("utf-8"), output)


def _spark_rows(
    spec: Spec,
    source: str,
    problems: list[str],
    findings: list[dict[str, object]],
    master: str | None,
    spark_conf: tuple[str, ...],
) -> list[dict[str, Any]]:
    """The rows of the spark engine; Spark that cannot run here is the user's to fix."""
    from generators.sql.spark_session import SparkSettings, SparkUnavailable, parse_conf

    try:
        from generators.sql.spark_run import screen_with_spark

        settings = SparkSettings(master, parse_conf(spark_conf))
        return screen_with_spark(spec, source, problems, findings, settings=settings)
    except SparkUnavailable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
