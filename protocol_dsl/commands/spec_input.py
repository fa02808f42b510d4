"""Loading the one spec a command works on, with the checker's diagnostics on failure."""

from __future__ import annotations

import sys

import click

from protocol_dsl.compiler import compile_spec
from protocol_dsl.diagnostics import has_errors, render_text, use_colour
from protocol_dsl.spec import Spec


def load_checked_spec(path: str, no_color: bool = False, *, solver: bool = True) -> Spec:
    """The checked spec, or exit 1 after printing its errors (never a traceback); exit 2
    when a check failed with an internal error (E0999), a bug rather than the spec's.

    `solver=False`: every check but the SMT solver's analysis of the eligibility
    criteria and populations (`checks_without_solver`), for a command that reads neither.
    """
    checks = None
    if not solver:
        from protocol_dsl.checks import checks_without_solver

        checks = checks_without_solver()
    result = compile_spec(path, checks=checks)
    if result.spec is None or has_errors(result.diagnostics):
        errors = [d for d in result.diagnostics if d.severity == "error"]
        click.echo(
            render_text(errors, result.sources, use_colour(sys.stderr, no_color)),
            err=True,
            nl=False,
        )
        click.echo(f"{path}: fix the errors above first", err=True)
        sys.exit(2 if result.internal else 1)
    return result.spec


def load_screening_spec(path: str, no_color: bool, refusal: str) -> Spec:
    """The spec loaded as `screen` and `schema` load it (the checks the data dictionary
    relies on), or exit 1 after printing its errors and `refusal`; exit 2 on an internal
    error."""
    from protocol_dsl.screening.run import load_for_screening

    result = load_for_screening(path)
    if result.spec is None or has_errors(result.diagnostics):
        errors = [d for d in result.diagnostics if d.severity == "error"]
        click.echo(render_text(errors, result.sources, use_colour(sys.stderr, no_color)), err=True)
        click.echo(refusal, err=True)
        sys.exit(2 if result.internal else 1)
    return result.spec
