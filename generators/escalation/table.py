"""Decision tables: the rules of a design written out per number of patients.

This module owns the typed decision table (one row per number of patients
at the current level: escalate if DLTs ≤ …, de-escalate if ≥ …, eliminate if
≥ …, as R `BOIN::get.boundary` prints it) and its plain-text rendering.  BOIN
and mTPI-2 tables come from their boundary arrays; the 3+3 table is its rule
table with notes.  The CRM has none: its decisions depend on every level's
data through the model.
"""

from __future__ import annotations

import attrs
import numpy as np

from .boin import IntervalBoundaries, boin_boundaries, boin_lambdas
from .designs import Boin, Crm, Design, DesignError, Mtpi2, ThreePlusThree
from .mtpi2 import keys, mtpi2_boundaries

_NEVER = "-"


@attrs.frozen
class BoundaryRow:
    """The rule at one number of patients treated at the current level.

    None means the rule never applies with that many patients.
    `stop_at_least` is the extra-safe stop at the lowest level (BOIN only).
    """

    patients: int
    escalate_at_most: int | None
    deescalate_at_least: int | None
    eliminate_at_least: int | None
    stop_at_least: int | None = None


@attrs.frozen
class DecisionTable:
    title: str
    rows: tuple[BoundaryRow, ...]
    notes: tuple[str, ...] = ()

    def row(self, patients: int) -> BoundaryRow:
        for row in self.rows:
            if row.patients == patients:
                return row
        raise KeyError(f"the table has no row for {patients} patients")

    def render(self) -> str:
        """The table as plain text: a title, one line per row, then the notes."""
        headers = ["patients", "escalate if DLTs ≤", "de-escalate if DLTs ≥", "eliminate if DLTs ≥"]
        with_stop = any(row.stop_at_least is not None for row in self.rows)
        if with_stop:
            headers.append("stop at lowest level if DLTs ≥")
        body = []
        for row in self.rows:
            cells = [
                str(row.patients),
                _cell(row.escalate_at_most),
                _cell(row.deescalate_at_least),
                _cell(row.eliminate_at_least),
            ]
            if with_stop:
                cells.append(_cell(row.stop_at_least))
            body.append(cells)
        widths = [max(len(h), *(len(cells[i]) for cells in body)) for i, h in enumerate(headers)]
        lines = [self.title, ""]
        lines.append("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
        for cells in body:
            lines.append("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
        lines.append("")
        lines.append(f"{_NEVER}: the rule does not apply with that many patients.")
        lines.extend(self.notes)
        return "\n".join(lines) + "\n"


def _cell(value: int | None) -> str:
    return _NEVER if value is None else str(value)


def decision_table(design: Design) -> DecisionTable:
    """The design's decision table; a CRM has none and raises `DesignError`."""
    match design:
        case Boin():
            return _boin_table(design)
        case Mtpi2():
            return _mtpi2_table(design)
        case ThreePlusThree():
            return _three_plus_three_table(design)
        case Crm():
            raise DesignError(
                "the CRM has no decision table: each decision depends on the data at every "
                "level through the dose-toxicity model",
                "kind",
            )
    raise TypeError(f"not an escalation design: {design!r}")


def rows_from_boundaries(bounds: IntervalBoundaries) -> tuple[BoundaryRow, ...]:
    """Rows for n = 1..max, turning the arrays' unreachable sentinels into None."""

    def at_least(values: np.ndarray, n: int) -> int | None:
        return None if values[n] > n else int(values[n])

    return tuple(
        BoundaryRow(
            n,
            None if bounds.escalate_at_most[n] < 0 else int(bounds.escalate_at_most[n]),
            at_least(bounds.deescalate_at_least, n),
            at_least(bounds.eliminate_at_least, n),
            at_least(bounds.stop_at_least, n),
        )
        for n in range(1, bounds.max_patients + 1)
    )


def _interval_notes(design: Boin | Mtpi2) -> list[str]:
    notes = [
        "Use the row for all patients treated so far at the current level.",
        f"Eliminate: P(DLT rate > {design.target:g}) > {design.elimination_cutoff:g} under a "
        "Beta(1, 1) prior, from 3 patients on; the level and every level above it are not "
        "used again, and eliminating the lowest level stops the trial.",
    ]
    if design.max_per_dose is not None:
        notes.append(
            f"The trial stops when the current level has {design.max_per_dose} patients and "
            "the decision is to stay."
        )
    notes.append(
        f"After {design.n_cohorts} cohorts of {design.cohort_size} the MTD is the tried, "
        "non-eliminated level whose isotonic DLT-rate estimate is closest to the target."
    )
    return notes


def _boin_table(design: Boin) -> DecisionTable:
    lambdas = boin_lambdas(design)
    title = (
        f"BOIN decision table: target {design.target:g}, λe {lambdas.escalate:.3f}, "
        f"λd {lambdas.deescalate:.3f}"
    )
    notes = _interval_notes(design)
    if design.extrasafe:
        notes.append(
            "Extra-safe rule: stop the trial if P(DLT rate at the lowest level > "
            f"{design.target:g}) > {design.elimination_cutoff - design.extrasafe_offset:g}."
        )
    return DecisionTable(title, rows_from_boundaries(boin_boundaries(design)), tuple(notes))


def _mtpi2_table(design: Mtpi2) -> DecisionTable:
    equivalence = next(k for k in keys(design) if k.decision == "S")
    title = (
        f"mTPI-2 decision table: target {design.target:g}, equivalence interval "
        f"{equivalence.lower:.2f}–{equivalence.upper:.2f}"
    )
    return DecisionTable(
        title,
        rows_from_boundaries(mtpi2_boundaries(design)),
        tuple(_interval_notes(design)),
    )


def _three_plus_three_table(design: ThreePlusThree) -> DecisionTable:
    expand = design.mtd_rule == "expand"
    deescalate = 2 if expand else None
    rows = (BoundaryRow(3, 0, deescalate, 2), BoundaryRow(6, 1, deescalate, 2))
    notes = [
        "1 DLT among 3: treat 3 more patients at the same level.",
        "2 or more DLTs, among 3 or 6: the level exceeds the MTD and is not used again.",
    ]
    if expand:
        notes.append(
            "MTD rule 'expand': the level below is expanded to 6 patients if it has 3; the MTD "
            "is the highest level below the one that exceeded it, confirmed with at most 1 DLT "
            "among 6.  A cleared highest level is confirmed on 6 patients too."
        )
        if design.allow_deescalation:
            notes.append("If the expanded level also exceeds the MTD, de-escalate again.")
        else:
            notes.append(
                "If the expanded level also exceeds the MTD, the trial stops: the MTD is the "
                "level below only if it already has 6 patients with at most 1 DLT."
            )
    else:
        notes.append(
            "MTD rule 'previous': the trial stops, and the next lower level is the MTD. "
            "Clearing the highest level ends escalation there."
        )
    return DecisionTable(f"3+3 rule table (MTD rule: {design.mtd_rule})", rows, tuple(notes))
