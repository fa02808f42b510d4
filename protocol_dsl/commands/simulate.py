"""`protocol simulate SPEC`: operating characteristics of the spec's escalation design.

True DLT rates come from `--true-rates` or from the scenarios the spec
declares (`scenario NAME = rates…` in `dose_finding`); every scenario is run
when neither is given.  Results are reproducible by `--seed`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from protocol_dsl.commands.options import format_option, no_color_option
from protocol_dsl.commands.spec_input import load_checked_spec

if TYPE_CHECKING:
    from generators.escalation.from_spec import SpecDesign
    from generators.escalation.simulate import SimulationResult

FORMAT_VERSION = 1


@click.command("simulate")
@click.argument("spec")
@click.option(
    "--true-rates",
    "true_rates",
    default=None,
    help="Comma-separated true DLT rates, one per dose level.",
)
@click.option(
    "--scenario",
    "scenario_names",
    multiple=True,
    help="Run this declared scenario (repeatable; default: all of them).",
)
@click.option(
    "--trials",
    default=10_000,
    show_default=True,
    type=click.IntRange(1, 10_000_000),
    help="Number of simulated trials.",
)
@click.option("--seed", default=2025, show_default=True, type=int, help="Random seed.")
@click.option(
    "--plot",
    "plot",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write a PNG of selection and allocation per dose level "
    "(one file per scenario: NAME is inserted before .png).",
)
@format_option("text", "json")
@no_color_option
def command(
    spec: str,
    true_rates: str | None,
    scenario_names: tuple[str, ...],
    trials: int,
    seed: int,
    plot: str | None,
    output_format: str,
    no_color: bool,
) -> None:
    """Simulate the design: % selection of each dose, early stops, patients and DLTs per dose."""
    from generators.escalation.designs import DesignError
    from generators.escalation.from_spec import NoDesign, spec_design
    from generators.escalation.simulate import plot_oc, simulate

    # the design reads neither the eligibility criteria nor the populations
    checked = load_checked_spec(spec, no_color, solver=False)
    try:
        design = spec_design(checked)
    except (NoDesign, DesignError) as error:
        raise click.ClickException(str(error)) from error
    scenarios = _scenarios(design, true_rates, scenario_names)
    results = []
    for name, rates in scenarios:
        progress = (
            _progress_bar(name, trials) if sys.stderr.isatty() and trials >= 100_000 else None
        )
        try:
            result = simulate(
                design.design,
                rates,
                n_trials=trials,
                seed=seed,
                progress=progress[1] if progress else None,
            )
        except ValueError as error:
            raise click.ClickException(f"scenario {name}: {error}") from error
        finally:
            if progress:
                progress[0].stop()
        results.append((name, result))
        if plot:
            target = plot if len(scenarios) == 1 else plot.replace(".png", f"_{name}.png")
            plot_oc(result, target, level_names=design.level_names)
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "format_version": FORMAT_VERSION,
                    "design": design.design.name,
                    "trials": trials,
                    "seed": seed,
                    "scenarios": [_json(name, r, design.level_names) for name, r in results],
                },
                indent=2,
            )
        )
        return
    for name, result in results:
        click.echo(f"scenario {name}")
        click.echo(result.render(design.level_names))


def _scenarios(
    design: SpecDesign, true_rates: str | None, names: tuple[str, ...]
) -> list[tuple[str, list[float]]]:
    if true_rates:
        try:
            rates = [float(r) for r in true_rates.split(",") if r.strip()]
        except ValueError as error:
            raise click.BadParameter(
                f"not a list of numbers: {true_rates}", param_hint="--true-rates"
            ) from error
        if len(rates) != design.n_levels:
            raise click.BadParameter(
                f"{len(rates)} rates for {design.n_levels} dose levels ({', '.join(design.level_names)})",
                param_hint="--true-rates",
            )
        if any(not 0 <= r <= 1 for r in rates):
            raise click.BadParameter(
                "rates are probabilities between 0 and 1", param_hint="--true-rates"
            )
        return [("given", rates)]
    declared = {s.name: [float(r) for r in s.rates] for s in design.scenarios()}
    if names:
        unknown = [n for n in names if n not in declared]
        if unknown:
            raise click.BadParameter(
                f"no scenario {', '.join(unknown)}; the spec declares {', '.join(declared) or 'none'}",
                param_hint="--scenario",
            )
        return [(n, declared[n]) for n in names]
    if not declared:
        raise click.UsageError("the spec declares no scenario: give --true-rates")
    return list(declared.items())


def _json(name: str, result: SimulationResult, level_names: Sequence[str]) -> dict[str, object]:
    return {
        "scenario": name,
        "true_rates": list(result.true_rates),
        "levels": [
            {
                "level": level,
                "selected_percent": round(sel, 2),
                "mean_patients": round(pat, 3),
                "mean_dlts": round(dlt, 3),
            }
            for level, sel, pat, dlt in zip(
                level_names,
                result.selection_percent,
                result.mean_patients,
                result.mean_dlts,
                strict=True,
            )
        ],
        "stop_percent": round(result.stop_percent, 2),
        "mean_sample_size": round(result.mean_sample_size, 3),
        "true_mtd": level_names[result.true_mtd] if result.true_mtd is not None else None,
        "percent_patients_above_mtd": (
            round(result.percent_patients_above_mtd, 2)
            if result.percent_patients_above_mtd is not None
            else None
        ),
    }


def _progress_bar(name: str, total: int) -> tuple[Any, Callable[[int, int], None]]:
    from rich.progress import Progress

    progress = Progress(transient=True)
    task = progress.add_task(f"simulating {name}", total=total)
    progress.start()
    return progress, lambda done, _total: progress.update(task, completed=done)
