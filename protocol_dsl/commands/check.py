"""`protocol check SPEC…`: parse, resolve and check; exit 0 clean, 1 errors, 2 internal."""

from __future__ import annotations

import sys

import click

from protocol_dsl import __version__
from protocol_dsl.commands.options import expand_spec_paths, format_option, no_color_option
from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import (
    Diagnostic,
    has_errors,
    render_github,
    render_json,
    render_sarif,
    render_text,
    sorted_diagnostics,
    use_colour,
)


@click.command("check")
@click.argument("specs", nargs=-1, required=True)
@click.option(
    "--strict", is_flag=True, help="Provisional values, open questions and warnings are errors."
)
@click.option(
    "--thorough",
    is_flag=True,
    help="Analyse every criterion for redundancy, however long it takes (no effort limit).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and warnings, not notes.")
@format_option("text", "json", "github", "sarif")
@no_color_option
def command(
    specs: tuple[str, ...],
    strict: bool,
    thorough: bool,
    quiet: bool,
    output_format: str,
    no_color: bool,
) -> None:
    """Check SPECS (files or folders of .trial files; - reads standard input)."""
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    internal = False
    paths = list(expand_spec_paths(specs))
    for path in paths:
        if path == "-":
            from protocol_dsl.commands.options import read_stdin

            result = compile_spec("<stdin>", read_stdin(), strict=strict, thorough=thorough)
        else:
            result = compile_spec(path, strict=strict, thorough=thorough)
        diagnostics += result.diagnostics
        internal = internal or result.internal
        sources.update(result.sources)
    diagnostics = sorted_diagnostics(diagnostics)
    if quiet:
        diagnostics = [d for d in diagnostics if d.severity != "note"]
    if output_format == "json":
        click.echo(render_json(diagnostics), nl=False)
    elif output_format == "github":
        click.echo(render_github(diagnostics), nl=False)
    elif output_format == "sarif":
        click.echo(render_sarif(diagnostics, __version__), nl=False)
    else:
        colour = use_colour(sys.stdout, no_color)
        text = render_text(diagnostics, sources, colour)
        if text:
            click.echo(text, nl=False)
        if not has_errors(diagnostics):
            checked = f"{len(paths)} spec{'s' if len(paths) != 1 else ''}"
            click.echo(f"ok: {checked} checked")
    # an internal error is a bug in a check: exit 2, as for any other internal error
    sys.exit(2 if internal else 1 if has_errors(diagnostics) else 0)
