"""`protocol schema SPEC`: print the JSON Schema of one subject record."""

from __future__ import annotations

import sys

import click

from protocol_dsl.commands.options import no_color_option
from protocol_dsl.diagnostics import has_errors, render_text, use_colour


@click.command("schema")
@click.argument("spec")
@no_color_option
def command(spec: str, no_color: bool) -> None:
    """Print the JSON Schema (2020-12) of one subject record of SPEC.

    The spec must pass the checks its data dictionary relies on (names, mappings,
    types, units); `protocol check` runs the others.
    """
    from generators.schema.schema import schema_text
    from protocol_dsl.screening.run import load_for_screening

    result = load_for_screening(spec)
    if result.spec is None or has_errors(result.diagnostics):
        errors = [d for d in result.diagnostics if d.severity == "error"]
        click.echo(render_text(errors, result.sources, use_colour(sys.stderr, no_color)), err=True)
        click.echo("no schema: fix the errors above first", err=True)
        sys.exit(2 if result.internal else 1)
    click.echo(schema_text(result.spec), nl=False)
