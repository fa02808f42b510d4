"""`protocol escalate SPEC --data cohorts.csv`: the next dose-escalation decision.

Reads the cohorts observed so far (`dose_level,patients,dlts`, one row per
cohort, in order) and applies the spec's escalation design: escalate, stay,
de-escalate, eliminate, stop, or the selected MTD at the end, with the rule
that fired and whether step-up dosing applies at the next level.
"""

from __future__ import annotations

import json
import sys

import click

from protocol_dsl.commands.cohorts_diagnostics import cohorts_diagnostic
from protocol_dsl.commands.options import format_option, no_color_option, read_stdin
from protocol_dsl.commands.spec_input import load_checked_spec
from protocol_dsl.diagnostics import render_json, render_text, use_colour
from protocol_dsl.model import DoseFinding, Quantity, StepUp

FORMAT_VERSION = 1


@click.command("escalate")
@click.argument("spec")
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help=(
        "CSV of the cohorts so far, one line per cohort in order, under the header "
        "dose_level,patients,dlts (format and example: docs/escalate.md; - reads standard "
        "input)."
    ),
)
@format_option("text", "json")
@no_color_option
def command(spec: str, data: str, output_format: str, no_color: bool) -> None:
    """Decide the next cohort's dose level from the DLTs observed so far.

    Each line of the --data file is one cohort: the dose level it received (a
    level name of the spec), how many patients it had, and how many of them had
    a dose-limiting toxicity.  See docs/escalate.md.
    """
    from generators.escalation import EscalationInputError, decide
    from generators.escalation.cohorts_file import parse_cohorts
    from generators.escalation.designs import DesignError
    from generators.escalation.from_spec import NoDesign, spec_design

    # the design reads neither the eligibility criteria nor the populations
    checked = load_checked_spec(spec, no_color, solver=False)
    try:
        design = spec_design(checked)
    except (NoDesign, DesignError) as error:
        raise click.ClickException(str(error)) from error
    file = "<stdin>" if data == "-" else data
    text = ""
    try:
        text = read_stdin().removeprefix("\ufeff") if data == "-" else _read_text(data)
        cohorts = parse_cohorts(text, design.level_names)
        decision = decide(design.design, design.n_levels, cohorts, level_names=design.level_names)
    except (EscalationInputError, OSError, UnicodeDecodeError) as error:
        diagnostic = cohorts_diagnostic(error, file, text)
        if output_format == "json":
            click.echo(render_json([diagnostic]), nl=False)
        else:
            colour = use_colour(sys.stderr, no_color)
            click.echo(render_text([diagnostic], {file: text}, colour), err=True, nl=False)
        sys.exit(1)

    names = design.level_names
    next_name = names[decision.next_level] if decision.next_level is not None else None
    step_up = design.step_up(next_name) if next_name else None
    mtd_name = names[decision.mtd] if decision.mtd is not None else None
    if output_format == "json":
        payload = {
            "format_version": FORMAT_VERSION,
            "design": design.design.name,
            "cohorts": len(cohorts),
            "patients": sum(c.patients for c in cohorts),
            "action": str(decision.action),
            "next_level": next_name,
            "next_dose": str(_dose(design.dose_finding, next_name)) if next_name else None,
            "step_up": _step_up_json(step_up),
            "eliminated": [names[i] for i in decision.eliminated],
            "mtd": mtd_name,
            "rule": decision.rule,
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"design: {design.design.name}; {len(cohorts)} cohorts, "
        f"{sum(c.patients for c in cohorts)} patients so far"
    )
    click.echo(f"decision: {decision.action}")
    if next_name:
        dose = _dose(design.dose_finding, next_name)
        click.echo(f"next cohort: {next_name} ({dose})")
        if step_up is not None:
            steps = ", ".join(f"day {s.day}: {s.amount}" for s in step_up.steps)
            click.echo(f"step-up dosing applies at {next_name}: {steps}")
    if decision.eliminated:
        click.echo("eliminated: " + ", ".join(names[i] for i in decision.eliminated))
    if mtd_name:
        click.echo(f"selected MTD: {mtd_name} ({_dose(design.dose_finding, mtd_name)})")
    click.echo(f"rule: {decision.rule}")


def _dose(dose_finding: DoseFinding, name: str) -> Quantity:
    level = dose_finding.level(name)
    assert level is not None, name  # the decision names only the design's own levels
    return level.dose


def _read_text(path: str) -> str:
    # newline="": the CSV reader, not the file, decides where a line ends
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def _step_up_json(step_up: StepUp | None) -> list[dict[str, object]] | None:
    if step_up is None:
        return None
    return [{"day": s.day, "amount": str(s.amount)} for s in step_up.steps]
