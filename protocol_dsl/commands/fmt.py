"""`protocol fmt SPEC… [--check] [--diff]`: rewrite specs in the canonical layout.

Files and folders (every `*.trial` below them); `-` formats standard input to
standard output.  Without flags, a file that would change is rewritten in
place ("reformatted X"); `--check` changes nothing and exits 1 if any file
would change, listing them; `--diff` prints a unified diff of the changes and
exits 1 if there is any.  A file with syntax errors is never touched: its
diagnostics are printed as `protocol check` prints them, and the exit code
is 1.  Status lines go to standard error, so that standard output carries
only formatted text (for `-`) or diffs.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile

import click

from protocol_dsl import model as m
from protocol_dsl.commands.options import expand_spec_paths, no_color_option
from protocol_dsl.diagnostics import Diagnostic, render_text, use_colour
from protocol_dsl.syntax.formatter import FormatError, format_source
from protocol_dsl.syntax.loader import decode


@click.command("fmt")
@click.argument("specs", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if any file would change.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the changes as a diff instead of writing them."
)
@no_color_option
def command(specs: tuple[str, ...], check: bool, show_diff: bool, no_color: bool) -> None:
    """Format SPECS (files or folders of .trial files; - reads standard input)."""
    colour = use_colour(sys.stderr, no_color)
    failed = changed = unchanged = 0
    for path in expand_spec_paths(specs):
        name = "<stdin>" if path == "-" else path
        source, problems = _read(path)
        if source is None:
            click.echo(render_text(problems, {}, colour), err=True, nl=False)
            failed += 1
            continue
        try:
            formatted = format_source(source, name)
        except FormatError as error:
            click.echo(render_text(error.diagnostics, {name: source}, colour), err=True, nl=False)
            click.echo(f"not formatted: {name} has syntax errors", err=True)
            failed += 1
            continue
        if formatted == source:
            unchanged += 1
            if path == "-" and not (check or show_diff):
                click.echo(formatted, nl=False)
            continue
        changed += 1
        if show_diff:
            click.echo(_diff(name, source, formatted), nl=False)
        if check or show_diff:
            click.echo(f"would reformat {name}", err=True)
        elif path == "-":
            click.echo(formatted, nl=False)
        else:
            _write(path, formatted)
            click.echo(f"reformatted {name}", err=True)
    click.echo(_summary(changed, unchanged, failed, check or show_diff), err=True)
    sys.exit(1 if failed or ((check or show_diff) and changed) else 0)


def _read(path: str) -> tuple[str | None, list[Diagnostic]]:
    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        reason = {
            FileNotFoundError: "does not exist",
            IsADirectoryError: "is a folder, not a file",
            PermissionError: "cannot be read (permission denied)",
        }.get(type(error), "cannot be read")
        span = m.Span(path, 1, 1, 1, 1)
        message = f"the file '{path}' {reason}"
        return None, [Diagnostic("E0009", "error", message, span, help="check the path given")]
    return decode(data, path)


def _write(path: str, text: str) -> None:
    """Replace the file in one step, keeping its permissions."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".fmt-", suffix=".trial")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _diff(name: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=name,
        tofile=f"{name} (formatted)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _summary(changed: int, unchanged: int, failed: int, dry_run: bool) -> str:
    def files(n: int) -> str:
        return f"{n} file{'s' if n != 1 else ''}"

    parts = []
    if changed:
        parts.append(f"{files(changed)} {'would be reformatted' if dry_run else 'reformatted'}")
    if unchanged:
        parts.append(f"{files(unchanged)} already formatted")
    if failed:
        parts.append(f"{files(failed)} not formatted (errors)")
    return ", ".join(parts) if parts else "no files"
