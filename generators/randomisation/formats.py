"""Allocation tables as files: the plain CSV list, REDCap's allocation table, and the
record of a minimisation run.

REDCap (Randomization module, open allocation): the file REDCap imports has a
column `redcap_randomization_group` holding the raw coded value of the
randomisation field's choice, and one column per stratification field named
after that field, holding the raw coded value of its choice.  Here the arms are
coded 1, 2, … in the order of the ratio and each factor's strata 1, 2, … in the
order declared; the REDCap project's randomisation field and its stratification
fields must use those codes (the reference's "Randomisation and blinding"
section lists them).  Every cell is written safe from spreadsheet formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from generators.randomisation.blocks import Entry
from generators.randomisation.minimise import Allocated
from protocol_dsl.csv_cells import Cell, csv_bytes

REDCAP_GROUP = "redcap_randomization_group"


def list_csv(entries: Sequence[Entry], factors: Sequence[str]) -> bytes:
    header = [*factors, "sequence", "block", "block_size", "arm"]
    rows: list[list[Cell]] = []
    for entry in entries:
        levels = dict(entry.stratum)
        rows.append(
            [
                *(levels[f] for f in factors),
                entry.sequence,
                entry.block,
                entry.block_size,
                entry.arm,
            ]
        )
    return csv_bytes(header, rows)


def redcap_csv(
    entries: Sequence[Entry],
    arms: Sequence[str],
    strata: Sequence[tuple[str, Sequence[str]]],
) -> bytes:
    """REDCap's allocation table: arms and strata by their codes (1, 2, …)."""
    arm_codes = {arm: k for k, arm in enumerate(arms, 1)}
    stratum_codes = {
        factor: {name: k for k, name in enumerate(names, 1)} for factor, names in strata
    }
    header = [REDCAP_GROUP, *(factor for factor, _names in strata)]
    rows: list[list[Cell]] = []
    for entry in entries:
        levels = dict(entry.stratum)
        rows.append(
            [
                arm_codes[entry.arm],
                *(stratum_codes[factor][levels[factor]] for factor, _names in strata),
            ]
        )
    return csv_bytes(header, rows)


def minimisation_csv(allocated: Sequence[Allocated], arms: Sequence[str]) -> bytes:
    factors = [factor for factor, _stratum in allocated[0].levels] if allocated else []
    header = [
        "sequence",
        "subject_id",
        *factors,
        *(f"imbalance_{arm}" for arm in arms),
        "preferred_arm",
        "arm",
    ]
    rows: list[list[Cell]] = []
    for k, subject in enumerate(allocated, 1):
        rows.append(
            [
                k,
                subject.subject_id,
                *(stratum for _factor, stratum in subject.levels),
                *(_number(g) for g in subject.imbalance),
                subject.preferred,
                subject.arm,
            ]
        )
    return csv_bytes(header, rows)


def _number(value: Fraction) -> str:
    # a decimal, not "1/3": spreadsheets read a fraction as a date
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.4f}"
