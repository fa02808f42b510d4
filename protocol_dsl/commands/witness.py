"""`protocol witness SPEC`: example subjects at the edge of every criterion.

Prints subject records in the subject-record JSON format: one eligible
subject, and for each criterion subjects that fail only that criterion, as
close to its thresholds as the data allow (age 17 and 71 for "18 to 70").
Each record carries a ``witness`` entry saying what it shows.  Where no
subject can be given for a criterion, an entry of kind ``unavailable`` says
why (it is also printed on standard error).  ``-o DIR`` writes one file per
subject instead.  The output is the same bytes on every run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from protocol_dsl.commands.options import format_option, no_color_option
from protocol_dsl.commands.spec_input import load_checked_spec


@click.command("witness")
@click.argument("spec")
@format_option("json", "jsonl", default="json")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write one JSON file per subject into (created if needed).",
)
@no_color_option
def command(spec: str, output_format: str, output: str | None, no_color: bool) -> None:
    """Example subjects for SPEC: eligible, and failing each criterion at its boundary."""
    checked = load_checked_spec(spec, no_color)
    try:
        from protocol_dsl.solver.witness import build_witnesses
    except ImportError as error:
        click.echo(
            f"error: witnesses need the SMT solver ({error.name}); "
            "install it with: pip install 'protocol-dsl[solver]'",
            err=True,
        )
        sys.exit(1)
    witnesses = build_witnesses(checked)
    for entry in witnesses:
        meta = entry["witness"]
        if meta["kind"] == "unavailable":
            what = meta["criterion"] or "an eligible subject"
            click.echo(f"no witness for {what}: {meta['reason']}", err=True)
    if output is None:
        click.echo(_render(witnesses, output_format), nl=False)
        return
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    subjects = [w for w in witnesses if "subject_id" in w]
    for subject in subjects:
        (folder / f"{subject['subject_id']}.json").write_text(
            _render([subject], "jsonl" if output_format == "jsonl" else "one"), encoding="utf-8"
        )
    missing = [w for w in witnesses if "subject_id" not in w]
    if missing:
        (folder / "unavailable.json").write_text(_render(missing, output_format), encoding="utf-8")
    click.echo(f"wrote {len(subjects)} subjects into {folder}")


def _render(entries: list[dict[str, Any]], output_format: str) -> str:
    if output_format == "jsonl":
        return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    if output_format == "one":
        return json.dumps(entries[0], indent=2, ensure_ascii=False) + "\n"
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
