"""`protocol import ctgov RECORD -o SPEC`: a draft spec from a ClinicalTrials.gov record.

RECORD is a study record of the registry's data API v2 (JSON), or the text of
a registry page; `-` reads standard input.  The draft is written to SPEC (an
existing file is kept unless `--force`), or to standard output without `-o`.
A summary and the loss report (what the record says that the draft cannot
carry) go to standard error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from protocol_dsl.errors import UserError


@click.command("ctgov")
@click.argument("record")
@click.option("-o", "--output", "output", default=None, help="The spec file to write.")
@click.option("--force", is_flag=True, help="Overwrite SPEC if it exists.")
def command(record: str, output: str | None, force: bool) -> None:
    """Draft a spec from a ClinicalTrials.gov study record (JSON, or a registry page's text)."""
    try:
        _import(record, output, force)
    except UserError as error:  # the record or the command line: exit 1, in plain words
        click.echo(f"error: {error}", err=True)
        sys.exit(1)


def _import(record: str, output: str | None, force: bool) -> None:
    from generators.importers.ctgov import import_record

    text = _read(record)
    draft = import_record(text)
    if output is None:
        click.echo(draft.text, nl=False)
    else:
        target = Path(output)
        if target.exists() and not force:
            raise UserError(f"{output} exists: choose another file, or add --force to replace it")
        try:
            target.write_bytes(draft.text.encode("utf-8"))
        except OSError as error:
            raise UserError(f"cannot write {output}: {error.strerror}") from None
    where = output or "standard output"
    click.echo(
        f"drafted {where}: {draft.inclusions} inclusion and {draft.exclusions} exclusion "
        "criteria, each text only until a rule is written (protocol check lists them: N1110)",
        err=True,
    )
    for loss in draft.losses:
        click.echo(f"not carried: {loss}", err=True)


def _read(record: str) -> str:
    try:
        data = sys.stdin.buffer.read() if record == "-" else Path(record).read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {record}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{record} is not UTF-8 text: save the record as UTF-8") from None
