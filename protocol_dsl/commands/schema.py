"""`protocol schema SPEC`: print the JSON Schema of one subject record."""

from __future__ import annotations

import click

from protocol_dsl.commands.options import no_color_option
from protocol_dsl.commands.spec_input import load_screening_spec


@click.command("schema")
@click.argument("spec")
@no_color_option
def command(spec: str, no_color: bool) -> None:
    """Print the JSON Schema (2020-12) of one subject record of SPEC.

    The spec must pass the checks its data dictionary relies on (names, mappings,
    types, units); `protocol check` runs the others.
    """
    from generators.schema.schema import schema_text

    checked = load_screening_spec(spec, no_color, "no schema: fix the errors above first")
    click.echo(schema_text(checked), nl=False)
