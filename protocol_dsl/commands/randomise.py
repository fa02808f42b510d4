"""`protocol randomise SPEC --seed S --out FILE`: a seeded allocation list, and its balance.

For permuted blocks and simple randomisation, a list per combined stratum
(`--per-stratum N`, or `--size N` split evenly over the strata; by default the
trial's enrolment per stratum, since every subject might fall in one stratum),
as a CSV list or REDCap's allocation table.  For minimisation, `--minimise
SUBJECTS.jsonl` allocates the subjects in the order given (one JSON object per
line with `subject_id` and `strata`, as `protocol screen --format jsonl` writes
them for eligible subjects).

Allocation concealment: the list is written only to `--out`, never to standard
output, and an existing file is not replaced without `--force`; the seed is
written nowhere.  Standard output gets the balance report: counts per arm and
stratum, which say nothing about the order.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import click

from protocol_dsl.commands.options import no_color_option
from protocol_dsl.commands.spec_input import load_checked_spec

if TYPE_CHECKING:
    from generators.randomisation.balance import Balance
    from generators.randomisation.minimise import Allocated
    from protocol_dsl.spec import Spec


@click.command("randomise")
@click.argument("spec")
@click.option("--seed", required=True, help="The seed of the list (any text; keep it concealed).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write the allocation list to (the only place it is written).",
)
@click.option("--per-stratum", type=click.IntRange(min=1), help="Entries per stratum.")
@click.option(
    "--size", type=click.IntRange(min=1), help="Entries in all, split evenly over the strata."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "redcap"]),
    default="csv",
    show_default=True,
    help="csv: the list with strata, blocks and arms; redcap: REDCap's allocation table.",
)
@click.option(
    "--minimise",
    "subjects",
    type=click.Path(exists=True, dir_okay=False),
    help="Allocate these subjects (JSON Lines) by minimisation, in order.",
)
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@no_color_option
def command(
    spec: str,
    seed: str,
    out: str,
    per_stratum: int | None,
    size: int | None,
    output_format: str,
    subjects: str | None,
    force: bool,
    no_color: bool,
) -> None:
    """A reproducible allocation list for SPEC from --seed, written only to --out."""
    from protocol_dsl.errors import UserError

    try:
        _run(spec, seed, out, per_stratum, size, output_format, subjects, force, no_color)
    except UserError as error:  # the spec, the options or the subjects file: exit 1
        click.echo(f"error: {error}", err=True)
        sys.exit(1)


def _run(
    spec: str,
    seed: str,
    out: str,
    per_stratum: int | None,
    size: int | None,
    output_format: str,
    subjects: str | None,
    force: bool,
    no_color: bool,
) -> None:
    from generators.randomisation import balance, formats, plan
    from protocol_dsl import allocation

    target = Path(out)
    if target.exists() and not force:
        raise click.UsageError(f"{out} exists: an allocation list is not replaced without --force")
    checked = load_checked_spec(spec, no_color)
    randomisation = plan.randomisation_of(checked)
    ratio = plan.ratio_of(randomisation)
    arms = [arm for arm, _weight in ratio]
    if subjects is not None:
        if output_format != "csv":
            raise click.UsageError(
                "--format redcap is a list made in advance; minimisation has none"
            )
        minimisation = plan.minimisation_of(randomisation)
        from generators.randomisation.subjects import read_subjects

        read = read_subjects(Path(subjects), randomisation, minimisation.factors)
        from generators.randomisation.minimise import minimise

        allocated = minimise(minimisation, read, seed)
        _write(target, formats.minimisation_csv(allocated, arms))
        report = [
            balance.balance(allocation.combined_stratum(levels), list_arms, ratio)
            for levels, list_arms in _by_levels(allocated)
        ]
        overall = balance.balance("all", [a.arm for a in allocated], ratio)
        _print_report([overall, *report], None, f"{len(allocated)} subjects allocated", out)
        return
    design = plan.design_of(randomisation)  # refuses a minimisation before any length
    if per_stratum is not None and size is not None:
        raise click.UsageError("give --per-stratum or --size, not both")
    combinations = allocation.strata_combinations(randomisation)
    if size is not None:
        length = math.ceil(size / len(combinations))
    elif per_stratum is not None:
        length = per_stratum
    else:
        length = _enrolment(checked)
    entries = plan.allocation_list(randomisation, length, seed)
    factors = [factor.name for factor in randomisation.factors]
    if output_format == "redcap":
        strata = [(f.name, [s.name for s in f.strata]) for f in randomisation.factors]
        data = formats.redcap_csv(entries, arms, strata)
    else:
        data = formats.list_csv(entries, factors)
    _write(target, data)
    report = []
    for levels in combinations:
        name = allocation.combined_stratum(levels)
        report.append(balance.balance(name, [e.arm for e in entries if e.stratum == levels], ratio))
    limit = balance.bound(ratio, design.block_sizes) if design.block_sizes else None
    _print_report(report, limit, f"{len(entries)} entries in {len(combinations)} strata", out)


def _enrolment(spec: Spec) -> int:
    field = spec.trial_field("enrolment")
    if field is None or not field.values:
        raise click.UsageError("give --per-stratum or --size (the trial declares no enrolment)")
    value = field.values[0].value
    if not isinstance(value, Decimal):
        raise click.UsageError("give --per-stratum or --size (the enrolment is not a number)")
    return max(1, int(value))


def _by_levels(allocated: list[Allocated]) -> list[tuple[tuple[tuple[str, str], ...], list[str]]]:
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for subject in allocated:
        groups.setdefault(subject.levels, []).append(subject.arm)
    return sorted(groups.items())


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _print_report(report: list[Balance], limit: Fraction | None, summary: str, out: str) -> None:
    from generators.randomisation.balance import fraction_text

    click.echo(f"wrote {summary} to {out}")
    for entry in report:
        counts = ", ".join(f"{arm} {count}" for arm, count in entry.counts.items())
        click.echo(
            f"  {entry.stratum}: {counts}; imbalance at the end "
            f"{fraction_text(entry.final_imbalance)}, at worst {fraction_text(entry.worst_imbalance)}"
        )
    if limit is not None:
        click.echo(f"  (permuted blocks keep the imbalance at or below {fraction_text(limit)})")
    sys.stdout.flush()
