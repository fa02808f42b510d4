"""A back end that fails on a spec `protocol check` accepted: an internal error (E0999).

The contract of every command is that a checked spec either works or is refused
by `check` with a documented code.  A back end that still cannot compile such a
spec (the SQL plan, the interpreter, a generator) has found a bug: it says so
with the internal-error code and a request for a report, and exits 2, the exit
status of internal errors, never 1 (the user's error) and never a traceback.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import NoReturn

import click

#: The exit status of an internal error (see protocol_dsl/cli.py).
INTERNAL_EXIT = 2


def report_internal(what: str, error: BaseException, consequence: str = "") -> None:
    """Print the internal-error diagnostic for `what` failing with `error`."""
    note = "this is a bug in protocol-dsl, not in the spec"
    if consequence:
        note += f"; {consequence}"
    click.echo(
        f"error[E0999]: internal error {what}: {type(error).__name__}: {error}\n"
        f"  = note: {note}\n"
        "  = help: please report it with the spec and this message",
        err=True,
    )
    if os.environ.get("PROTOCOL_DEBUG"):
        traceback.print_exception(error)


def fail_internal(what: str, error: BaseException) -> NoReturn:
    report_internal(what, error)
    sys.exit(INTERNAL_EXIT)
