"""`protocol endpoints SPEC DATA… -o DIR`: every endpoint computed on subject data.

The inputs are read as `protocol screen` reads them (JSON, CSV / Parquet
folders, DuckDB files, SDTM datasets through the spec's mapping); the tables
go to DIR, one CSV per analysis structure (docs/endpoints.md).  Exit 0 when
the endpoints were computed (unknown values are in the tables, with why), 1 on
a user error (a spec with errors, data that cannot be read), 2 on an internal
error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from protocol_dsl.commands.options import (
    engine_option,
    mapping_option,
    no_color_option,
    spark_options,
)
from protocol_dsl.commands.spec_input import load_screening_spec

if TYPE_CHECKING:
    from protocol_dsl.analysis.plan import EndpointPlan
    from protocol_dsl.analysis.results import SubjectValues
    from protocol_dsl.data.batch import Batch
    from protocol_dsl.spec import Spec


@click.command("endpoints")
@click.argument("spec")
@click.argument("data", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The folder the analysis tables are written to.",
)
@engine_option(
    "python: the interpreter, values with why (evidence.csv); duckdb: the generated SQL, "
    "values only; spark: the generated SQL on Apache Spark, values only.",
    more=("spark",),
)
@spark_options
@mapping_option
@no_color_option
def command(
    spec: str,
    data: tuple[str, ...],
    out_dir: str,
    engine: str,
    master: str | None,
    spark_conf: tuple[str, ...],
    mapping: str | None,
    no_color: bool,
) -> None:
    """Compute every endpoint of SPEC for the subjects in DATA.

    DATA: JSON or JSON Lines files, folders of CSV or Parquet tables, DuckDB
    database files, or SDTM datasets (.xpt, read through the spec's mapping);
    - reads JSON from standard input.
    """
    checked = load_screening_spec(
        spec, no_color, "no endpoint computed: fix the errors in the spec first"
    )
    from protocol_dsl.analysis.derive import Deriver, subjects_of
    from protocol_dsl.analysis.plan import plan_endpoints
    from protocol_dsl.analysis.results import write_tables
    from protocol_dsl.data import InputError, read_inputs
    from protocol_dsl.evaluate.interpreter import CompileError

    if engine != "spark" and (master or spark_conf):
        click.echo("error: --master and --conf are settings of --engine spark", err=True)
        sys.exit(1)
    plan = plan_endpoints(checked)
    try:
        deriver = Deriver(checked, plan)
    except CompileError as error:  # check accepted the spec: the interpreter has a bug
        from protocol_dsl.commands.internal import fail_internal

        fail_internal(
            "in the interpreter: an endpoint of this checked spec cannot be evaluated", error
        )
    stdin_text = sys.stdin.read() if "-" in data else None
    # DuckDB and Spark read a folder of tables (Spark: CSV and Parquet) themselves
    direct = len(data) == 1 and (
        (engine == "duckdb" and _tabular(Path(data[0])))
        or (engine == "spark" and _tabular(Path(data[0])) and Path(data[0]).is_dir())
    )
    try:
        batch = (
            None
            if direct  # DuckDB reads the tables itself
            else read_inputs(
                checked, deriver.dictionary, data, mapping=mapping, stdin_text=stdin_text
            )
        )
    except InputError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    spark_problems: list[str] = []  # rows Spark could not read (CSV rows of the wrong width)
    if engine == "duckdb":
        try:
            from generators.endpoints.run import derive_with_duckdb
        except ImportError:
            click.echo(
                "error: the duckdb engine is not available in this installation "
                "(install with: pip install 'protocol-dsl[sql]'); use --engine python",
                err=True,
            )
            sys.exit(1)
        from generators.sql.run import SourceError
        from protocol_dsl.plan import PlanError

        try:
            values = derive_with_duckdb(checked, plan, batch if batch is not None else data[0])
        except SourceError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        except PlanError as error:
            from protocol_dsl.commands.internal import fail_internal

            fail_internal(
                "in the SQL back end: an endpoint of this checked spec cannot be compiled", error
            )
    elif engine == "spark":
        source = batch if batch is not None else data[0]
        values = _spark_values(checked, plan, source, master, spark_conf, spark_problems)
    else:
        assert batch is not None
        values = [deriver.subject(s) for s in subjects_of(deriver, batch)]
    try:
        written = write_tables(plan, values, Path(out_dir), evidence=engine == "python")
    except OSError as error:
        click.echo(f"error: cannot write to {out_dir}: {error.strerror or error}", err=True)
        sys.exit(1)
    problems = len(spark_problems) + (
        0 if batch is None else len(batch.problems) + sum(len(s.problems) for s in batch.subjects)
    )
    if problems:
        click.echo(
            f"warning: {problems} input values or rows could not be used (`protocol screen` "
            "lists them); the endpoints that need them are unknown where they decide",
            err=True,
        )
    click.echo(f"{len(values)} subjects, {len(written)} tables written to {out_dir}:")
    for path in written:
        click.echo(f"  {path.name}")
    if plan.skipped:
        click.echo(f"not computed (no rule): {', '.join(plan.skipped)}")


def _spark_values(
    spec: Spec,
    plan: EndpointPlan,
    source: Batch | str,
    master: str | None,
    spark_conf: tuple[str, ...],
    problems: list[str],
) -> list[SubjectValues]:
    """The values from the spark engine; Spark that cannot run here is the user's to fix."""
    from generators.sql.run import SourceError
    from generators.sql.spark_session import SparkSettings, SparkUnavailable, parse_conf
    from protocol_dsl.plan import PlanError

    try:
        from generators.endpoints.spark_run import derive_with_spark

        settings = SparkSettings(master, parse_conf(spark_conf))
        return derive_with_spark(spec, plan, source, problems, settings=settings)
    except ImportError:
        click.echo(
            "error: the spark engine is not available in this installation "
            "(install with: pip install 'protocol-dsl[sql,spark]'); use --engine python",
            err=True,
        )
        sys.exit(1)
    except (SparkUnavailable, SourceError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    except PlanError as error:
        from protocol_dsl.commands.internal import fail_internal

        fail_internal(
            "in the SQL back end: an endpoint of this checked spec cannot be compiled", error
        )


def _tabular(path: Path) -> bool:
    """A folder of CSV or Parquet tables, or a DuckDB file: the layout DuckDB reads itself."""
    if path.is_dir():
        kinds = {p.suffix.lower() for p in path.iterdir() if p.is_file()}
        return bool(kinds & {".csv", ".parquet"}) and ".xpt" not in kinds
    return path.suffix.lower() in (".duckdb", ".db", ".ddb")
