"""`protocol check SPEC…`: parse, resolve and check; exit 0 clean, 1 errors, 2 internal."""

from __future__ import annotations

import gc
import importlib.util
import sys

import click

from protocol_dsl import __version__
from protocol_dsl.commands.options import expand_spec_paths, format_option, no_color_option
from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import (
    Diagnostic,
    allowed_summary,
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
@click.option(
    "--show-allowed",
    is_flag=True,
    help="Also print the findings an `allow` mark silences, with their reasons.",
)
@click.option(
    "--require-solver",
    is_flag=True,
    help="Fail when the solver is not installed, instead of skipping its checks with a note "
    "(for a gate: pre-commit, CI).",
)
@format_option("text", "json", "github", "sarif")
@no_color_option
def command(
    specs: tuple[str, ...],
    strict: bool,
    thorough: bool,
    quiet: bool,
    show_allowed: bool,
    require_solver: bool,
    output_format: str,
    no_color: bool,
) -> None:
    """Check SPECS (files or folders of .trial files; - reads standard input)."""
    if require_solver and importlib.util.find_spec("z3") is None:
        # a gate that skips the contradiction checks would let an impossible spec through
        click.echo(
            "error: the solver is not installed, so contradictory criteria cannot be found "
            "(--require-solver); install it with: pip install 'protocol-dsl[solver]'",
            err=True,
        )
        sys.exit(1)
    diagnostics: list[Diagnostic] = []
    allowed: list[Diagnostic] = []
    sources: dict[str, str] = {}
    internal = False
    paths = list(expand_spec_paths(specs))
    for index, path in enumerate(paths):
        if index == 1:
            # `protocol` runs the first spec without the cycle collector (see
            # cli.main); with more specs to come, memory must stay bounded
            gc.enable()
        if path == "-":
            from protocol_dsl.commands.options import read_stdin

            result = compile_spec("<stdin>", read_stdin(), strict=strict, thorough=thorough)
        else:
            result = compile_spec(path, strict=strict, thorough=thorough)
        diagnostics += result.diagnostics
        allowed += result.allowed
        internal = internal or result.internal
        sources.update(result.sources)
    diagnostics = sorted_diagnostics(diagnostics)
    allowed = sorted_diagnostics(allowed)
    if quiet:
        diagnostics = [d for d in diagnostics if d.severity != "note"]
    # machine formats always carry the allowed findings, marked as such; the
    # human formats show them only when asked, so a reviewed finding stays quiet
    shown = allowed if show_allowed else []
    if output_format == "json":
        click.echo(render_json(diagnostics, allowed), nl=False)
    elif output_format == "github":
        click.echo(render_github(diagnostics, shown), nl=False)
    elif output_format == "sarif":
        click.echo(render_sarif(diagnostics, __version__, allowed, sources), nl=False)
    else:
        colour = use_colour(sys.stdout, no_color)
        text = render_text(diagnostics, sources, colour, shown)
        if text:
            click.echo(text, nl=False)
        if allowed:
            click.echo(allowed_summary(len(allowed)))
        if not has_errors(diagnostics):
            checked = f"{len(paths)} spec{'s' if len(paths) != 1 else ''}"
            click.echo(f"ok: {checked} checked")
    # an internal error is a bug in a check: exit 2, as for any other internal error
    sys.exit(2 if internal else 1 if has_errors(diagnostics) else 0)
