"""`protocol sql SPEC [--dialect …] [--schema]`: print the generated screening SQL."""

from __future__ import annotations

import sys

import click

from protocol_dsl.commands.options import no_color_option
from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import has_errors, render_text, use_colour
from protocol_dsl.spec import Spec

DIALECTS = ("duckdb", "postgres", "spark", "trino", "bigquery", "snowflake")


@click.command("sql")
@click.argument("spec")
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    default="duckdb",
    show_default=True,
    help="SQL dialect to write.",
)
@click.option(
    "--schema",
    "schema",
    is_flag=True,
    help="Print the CREATE TABLE statements of the tables the query reads instead.",
)
@click.option(
    "--endpoints",
    "endpoints",
    is_flag=True,
    help="Print the endpoint queries instead (those `protocol endpoints --engine duckdb` runs).",
)
@no_color_option
def command(spec: str, dialect: str, schema: bool, endpoints: bool, no_color: bool) -> None:
    """Print the screening query of SPEC: one row per subject, a status per criterion.

    Statuses are 1 (met), 0 (not met) or NULL (unknown); the status column is
    eligible, ineligible or indeterminate.
    """
    if spec == "-":
        from protocol_dsl.commands.options import read_stdin

        result = compile_spec("<stdin>", read_stdin())
    else:
        result = compile_spec(spec)
    # only errors: the standard output is the SQL, and `protocol check` reports the rest
    problems = [d for d in result.diagnostics if d.severity == "error"]
    if problems:
        colour = use_colour(sys.stderr, no_color)
        click.echo(render_text(problems, result.sources, colour), err=True, nl=False)
    if result.spec is None or has_errors(result.diagnostics):
        click.echo("no SQL written: fix the errors above first", err=True)
        sys.exit(2 if result.internal else 1)
    from protocol_dsl.plan import PlanError

    try:
        if schema:
            from generators.sql.schema import render_schema

            text = render_schema(result.spec, dialect)
        elif endpoints:
            text = _endpoint_queries(result.spec, dialect)
        else:
            from generators.sql.compile import render, screening_query

            text = render(screening_query(result.spec, dialect), dialect)
    except PlanError as error:  # check accepted the spec: the SQL back end has a bug
        from protocol_dsl.commands.internal import fail_internal

        fail_internal("in the SQL back end: a rule of this checked spec cannot be compiled", error)
    click.echo(text, nl=False)


def _endpoint_queries(spec: Spec, dialect: str) -> str:
    """Every endpoint query, each after a comment saying what its rows are."""
    from generators.endpoints.run import endpoint_queries
    from protocol_dsl.analysis.plan import plan_endpoints

    plan = plan_endpoints(spec)
    subject, records = endpoint_queries(spec, plan, dialect=dialect)
    columns = ", ".join(
        f"value_{n} = {key}"
        for n, key in enumerate(
            [k for e in plan.subject for k in e.keys]
            + [
                f"{t.name}.{part}"
                for t in plan.events
                for part in ("origin", "happened", "first", "censor")
            ]
            + [
                f"{c.name}.{part}"
                for c in plan.counts
                for part in (("events",) if c.kind == "count" else ("events", "start", "end"))
            ],
            start=1,
        )
    )
    parts = [f"-- one row per subject: {columns or 'no value'}\n{subject}"]
    for log, text in records.items():
        parts.append(f"-- one row per record of {log}, in input order (__row)\n{text}")
    return "\n\n".join(parts)
