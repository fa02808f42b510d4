"""Operating characteristics of a design by simulation, vectorised over trials.

This module owns the simulation loop and its summary.  Every simulated trial
follows `decide`'s rules (`rules_for`): the state is a (trials × levels)
array of patients and DLTs plus per-trial vectors, and the loop runs over
cohorts, drawing one binomial DLT count per active trial, never over trials.
Results are reproducible from the seed (numpy PCG64).  `plot_oc` draws the
selection and allocation per level to a PNG that is byte-identical between
runs.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from typing import SupportsFloat

import attrs
import numpy as np

from .decide import Batch, EscalationInputError, rules_for
from .designs import Design, ThreePlusThree

Progress = Callable[[int, int], None]


@attrs.frozen(eq=False)
class SimulationResult:
    """Simulated trials and their operating characteristics.

    Per-trial arrays: `selected` (MTD level, −1 when the trial stopped without
    one), `patients` and `dlts` (trials × levels).  `true_mtd` is the level
    whose true DLT rate is closest to `target` (ties to the lower level), or
    None when the design has no target and none was given.
    """

    design: Design
    true_rates: tuple[float, ...]
    target: float | None
    true_mtd: int | None
    n_trials: int
    seed: int
    selected: np.ndarray
    patients: np.ndarray
    dlts: np.ndarray

    @property
    def n_levels(self) -> int:
        return len(self.true_rates)

    @property
    def selection_percent(self) -> tuple[float, ...]:
        """% of trials selecting each level as the MTD."""
        counts = np.bincount(self.selected[self.selected >= 0], minlength=self.n_levels)
        return tuple(float(c) for c in 100.0 * counts / self.n_trials)

    @property
    def stop_percent(self) -> float:
        """% of trials that stopped without selecting an MTD."""
        return float(100.0 * np.mean(self.selected < 0))

    @property
    def mean_patients(self) -> tuple[float, ...]:
        return tuple(float(v) for v in self.patients.mean(axis=0))

    @property
    def mean_dlts(self) -> tuple[float, ...]:
        return tuple(float(v) for v in self.dlts.mean(axis=0))

    @property
    def mean_sample_size(self) -> float:
        return float(self.patients.sum(axis=1).mean())

    @property
    def mean_total_dlts(self) -> float:
        return float(self.dlts.sum(axis=1).mean())

    @property
    def percent_correct_selection(self) -> float | None:
        if self.true_mtd is None:
            return None
        return self.selection_percent[self.true_mtd]

    @property
    def percent_patients_above_mtd(self) -> float | None:
        """% of all simulated patients treated at levels above the true MTD."""
        if self.true_mtd is None:
            return None
        above = self.patients[:, self.true_mtd + 1 :].sum()
        return float(100.0 * above / self.patients.sum())

    def render(self, level_names: Sequence[str] | None = None) -> str:
        """The operating characteristics as a plain-text table."""
        names = list(level_names or (f"DL{i + 1}" for i in range(self.n_levels)))
        rows = [
            ("true DLT rate", [f"{r:.2f}" for r in self.true_rates]),
            ("% selected as MTD", [f"{v:.1f}" for v in self.selection_percent]),
            ("mean patients", [f"{v:.2f}" for v in self.mean_patients]),
            ("mean DLTs", [f"{v:.2f}" for v in self.mean_dlts]),
        ]
        label_width = max(len(label) for label, _ in rows)
        widths = [max(len(n), *(len(cells[i]) for _, cells in rows)) for i, n in enumerate(names)]
        lines = [
            f"{self.design.name} operating characteristics: {self.n_trials} simulated trials, "
            f"seed {self.seed}",
            "",
            " " * label_width
            + "  "
            + "  ".join(n.rjust(w) for n, w in zip(names, widths, strict=True)),
        ]
        for label, cells in rows:
            lines.append(
                label.ljust(label_width)
                + "  "
                + "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
            )
        lines.append("")
        lines.append(f"% stopped without an MTD: {self.stop_percent:.1f}")
        lines.append(f"mean sample size: {self.mean_sample_size:.2f}")
        lines.append(f"mean number of DLTs: {self.mean_total_dlts:.2f}")
        if self.true_mtd is not None:
            lines.append(
                f"true MTD: {names[self.true_mtd]} (true DLT rate closest to the target "
                f"{self.target:g})"
            )
            lines.append(f"% correct selection: {self.percent_correct_selection:.1f}")
            lines.append(
                f"% patients treated above the true MTD: {self.percent_patients_above_mtd:.1f}"
            )
        return "\n".join(lines) + "\n"


def simulate(
    design: Design,
    true_rates: Sequence[SupportsFloat],
    *,
    n_trials: int = 10_000,
    seed: int = 0,
    target: float | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate `n_trials` trials of `design` with the given true DLT rate per level.

    `target` defines the true MTD for the summary; it defaults to the design's
    target (3+3 has none).  `progress`, if given, is called after every cohort
    with (cohorts simulated, most cohorts a trial can have).
    """
    rates = _check_rates(true_rates)
    if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 1:
        raise EscalationInputError(f"the number of trials must be at least 1; got {n_trials}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise EscalationInputError(f"the seed must be a whole number ≥ 0; got {seed}")
    n_levels = len(rates)
    rules = rules_for(design, n_levels)
    rng = np.random.Generator(np.random.PCG64(seed))
    patients = np.zeros((n_trials, n_levels), dtype=np.int64)
    dlts = np.zeros((n_trials, n_levels), dtype=np.int64)
    level = np.full(n_trials, rules.start_level, dtype=np.int64)
    eliminated_from = np.full(n_trials, n_levels, dtype=np.int64)
    active = np.ones(n_trials, dtype=bool)
    rate_of = np.asarray(rates)
    simulated = 0
    for cohort in range(rules.max_cohorts):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        at = level[rows]
        cohort_dlts = rng.binomial(rules.cohort_size, rate_of[at])
        # Rows are distinct, so each (row, level) pair is updated once.
        patients[rows, at] += rules.cohort_size
        dlts[rows, at] += cohort_dlts
        step = rules.step_rows(Batch(rows, at, patients, dlts, eliminated_from[rows], cohort_dlts))
        level[rows] = step.next_level
        eliminated_from[rows] = step.eliminated_from
        active[rows] = ~step.ended
        simulated = cohort + 1
        if progress is not None:
            progress(simulated, rules.max_cohorts)
    if progress is not None and simulated < rules.max_cohorts:
        # Every trial ended early: report completion once.
        progress(rules.max_cohorts, rules.max_cohorts)
    selected = _select_per_history(rules.select_mtd, patients, dlts)
    summary_target = target if target is not None else _design_target(design)
    return SimulationResult(
        design=design,
        true_rates=rates,
        target=summary_target,
        true_mtd=_true_mtd(rates, summary_target),
        n_trials=n_trials,
        seed=seed,
        selected=selected,
        patients=patients,
        dlts=dlts,
    )


def _select_per_history(
    select: Callable[[np.ndarray, np.ndarray], np.ndarray],
    patients: np.ndarray,
    dlts: np.ndarray,
) -> np.ndarray:
    """The MTD of every trial, selected once per distinct history.

    The selection is a function of a trial's patients and DLTs per level only,
    and a few thousand distinct histories cover a hundred thousand trials: each
    is selected once and the answer spread back to its trials.
    """
    histories = np.concatenate([patients, dlts], axis=1)
    _distinct, first, back = np.unique(
        _history_keys(histories), return_index=True, return_inverse=True
    )
    chosen = select(patients[first], dlts[first])
    return chosen[back.reshape(-1)]


def _history_keys(histories: np.ndarray) -> np.ndarray:
    """One integer per history (equal exactly when the histories are), or the rows as bytes."""
    radix = int(histories.max(initial=0)) + 1
    if radix ** histories.shape[1] < 2**62:
        keys = np.zeros(len(histories), dtype=np.int64)
        for column in histories.T:
            keys = keys * radix + column
        return keys
    # too many levels for one integer: compare the rows' bytes
    rows = np.ascontiguousarray(histories)
    return rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).reshape(-1)


def _check_rates(true_rates: Sequence[SupportsFloat]) -> tuple[float, ...]:
    rates = tuple(float(r) for r in true_rates)
    if not rates:
        raise EscalationInputError("give one true DLT rate per dose level")
    for i, rate in enumerate(rates, start=1):
        if not (math.isfinite(rate) and 0.0 <= rate <= 1.0):
            raise EscalationInputError(
                f"true DLT rate {i} is {rate:g}; a rate must lie between 0 and 1"
            )
    return rates


def _design_target(design: Design) -> float | None:
    return None if isinstance(design, ThreePlusThree) else design.target


def _true_mtd(rates: Sequence[float], target: float | None) -> int | None:
    if target is None:
        return None
    return int(np.argmin(np.abs(np.asarray(rates) - target)))


def plot_oc(
    result: SimulationResult,
    path: str | os.PathLike[str],
    *,
    level_names: Sequence[str] | None = None,
) -> None:
    """Write a PNG of selection % and mean patients per level.

    Matplotlib is imported here, not at module load, so that deciding and
    simulating never pay for it.  The figure is drawn without pyplot (no
    global state) and saved without the 'Software' metadata, so two runs
    write identical bytes.
    """
    from matplotlib.figure import Figure

    names = list(level_names or (f"DL{i + 1}" for i in range(result.n_levels)))
    positions = np.arange(result.n_levels)
    figure = Figure(figsize=(8.0, 3.6), dpi=100)
    selection_axes, patients_axes = figure.subplots(1, 2)
    colours = ["#1f77b4"] * result.n_levels
    if result.true_mtd is not None:
        colours[result.true_mtd] = "#d62728"
    selection_axes.bar(positions, result.selection_percent, color=colours)
    selection_axes.set_xticks(positions, names)
    selection_axes.set_ylabel("% selected as MTD")
    selection_axes.set_ylim(0, 100)
    selection_axes.set_title(f"Selection (stopped without MTD: {result.stop_percent:.1f}%)")
    patients_axes.bar(positions, result.mean_patients, color=colours)
    patients_axes.set_xticks(positions, names)
    patients_axes.set_ylabel("mean patients")
    patients_axes.set_title(f"Allocation (mean sample size {result.mean_sample_size:.1f})")
    for axes in (selection_axes, patients_axes):
        axes.set_xlabel("dose level")
        axes.spines[["top", "right"]].set_visible(False)
    suptitle = f"{result.design.name}: {result.n_trials} simulated trials, seed {result.seed}"
    if result.true_mtd is not None:
        suptitle += f" (true MTD {names[result.true_mtd]} in red)"
    figure.suptitle(suptitle)
    figure.tight_layout()
    figure.savefig(os.fspath(path), format="png", metadata={"Software": None})
