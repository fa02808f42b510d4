"""`protocol export FORMAT SPEC`: the spec in a standard exchange format.

A group with one subcommand per format; `usdm` writes the CDISC USDM v4 JSON
of the spec (the same file `protocol build` writes as `usdm/usdm.json`).
"""

from __future__ import annotations

from pathlib import Path

import click

from protocol_dsl.commands.options import no_color_option
from protocol_dsl.commands.spec_input import load_checked_spec


@click.group("export")
def command() -> None:
    """Export a spec in a standard exchange format."""


@command.command("usdm")
@click.argument("spec")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the JSON to this file (default: standard output).",
)
@no_color_option
def usdm(spec: str, output: str | None, no_color: bool) -> None:
    """Write SPEC as a CDISC USDM v4 study (JSON).

    The spec must check without errors.  What USDM has no attribute for (a
    criterion's rule, an analysis set's definition) travels in documented
    extension attributes, so `protocol import usdm` can read it back.
    """
    from generators.usdm.build import usdm_text

    checked = load_checked_spec(spec, no_color)
    text = usdm_text(checked)
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_bytes(text.encode("utf-8"))
    click.echo(f"wrote {output}", err=True)
