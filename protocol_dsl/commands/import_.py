"""`protocol import FORMAT FILE -o SPEC`: a draft spec from a study in a standard format.

A click group with one subcommand per format (`usdm`; others plug in as more
subcommands of `command`).  Each writes a draft spec in canonical layout that
`protocol check` accepts, marks what it guessed (`provisional`, `question`),
and lists on standard error what the spec could not carry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from protocol_dsl.errors import UserError


class ImportFileError(UserError):
    """E1101: the file to import cannot be read as JSON."""

    code = "E1101"


class DraftExistsError(UserError):
    """E1103: the draft would replace an existing file."""

    code = "E1103"


@click.group("import")
def command() -> None:
    """Draft a spec from a study in a standard format."""


def read_json(path: str) -> object:
    """The JSON document in `path`, or E1101 in plain words."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"E1101: {path} cannot be read: {error}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"E1101: {path} is not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error


def write_draft(source: str, output: str, force: bool) -> None:
    target = Path(output)
    if target.exists() and not force:
        raise DraftExistsError(
            f"E1103: {output} exists; the draft would replace it (give --force to replace it)"
        )
    target.write_bytes(source.encode("utf-8"))


@command.command("usdm")
@click.argument("file")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The draft spec to write.",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option(
    "--losses",
    type=click.Path(dir_okay=False),
    help="Write the loss report to this file too (it always goes to standard error).",
)
def usdm(file: str, output: str, force: bool, losses: str | None) -> None:
    """Draft a spec from FILE, a CDISC USDM v4 study (JSON).

    The draft holds the header, epochs, visits, activities and forms (from
    biomedical concepts), arms, criteria, objectives and endpoints; it checks
    clean, with `provisional` and `question` marks where the importer guessed.
    What the spec could not carry is listed on standard error.
    """
    from generators.usdm.draft import draft

    try:
        document = read_json(file)
        if not isinstance(document, dict):
            from generators.usdm.draft import DraftError

            raise DraftError("E1102: this is not a USDM v4 study: the file holds no JSON object")
        result = draft(document, output)
        write_draft(result.source, output, force)
    except UserError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    report = "".join(f"  {line}\n" for line in result.losses)
    heading = f"not carried into {output} ({len(result.losses)}):\n" if result.losses else ""
    click.echo(f"wrote {output}", err=True)
    if heading:
        click.echo(heading + report, err=True, nl=False)
    if losses is not None:
        Path(losses).write_bytes((heading + report).encode("utf-8"))


def _add_ctgov() -> None:
    # `protocol import ctgov` lives in its own module; click's group takes it as is
    from protocol_dsl.commands import import_ctgov

    command.add_command(import_ctgov.command, "ctgov")


_add_ctgov()
