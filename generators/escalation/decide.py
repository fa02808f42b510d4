"""The next-cohort decision from observed DLTs, explained in plain words.

This module owns:
  - `rules_for`: a design's rules as one interface (`Rules`) that applies to
    a batch of trials at once; `decide` runs it on one trial and `simulate`
    on many, so both follow exactly the same rules;
  - `decide`: replays a trial's history of cohorts, checks it against the
    design (unknown levels, impossible counts, cohorts at eliminated levels or
    after the trial ended, too many patients) and returns the `Decision` for
    the next cohort with the rule that produced it, and errors that carry
    their diagnostic code (E0710 to E0712) and the cell they come from.

The cohorts file (`dose_level,patients,dlts`) is read by `cohorts_file`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

import attrs
import numpy as np

from protocol_dsl.errors import UserError

from .boin import (
    IntervalBoundaries,
    IntervalReason,
    boin_boundaries,
    boin_lambdas,
    interval_step,
    posterior_toxicity_probability,
    select_mtd_isotonic,
)
from .crm import CrmModel, CrmReason, crm_step, select_mtd_crm
from .designs import AfterCohort, Boin, Crm, Design, IntervalDesign, Mtpi2, Step, ThreePlusThree
from .mtpi2 import keys, mtpi2_boundaries, winning_key
from .threeplusthree import (
    FULL_LEVEL,
    ThreePlusThreeReason,
    select_mtd_three_plus_three,
    three_plus_three_step,
)

#: Diagnostic codes of problems in the cohorts (docs/diagnostics/E071x.md).
UNREADABLE = "E0710"  # a line of the cohorts file that cannot be read as a cohort
INCONSISTENT = "E0711"  # counts that contradict each other (more DLTs than patients)
NOT_ALLOWED = "E0712"  # a cohort the design does not allow at that point of the trial


class EscalationInputError(UserError, ValueError):
    """Trial data that the design cannot act on, explained in plain words.

    `row` is the line of the CSV file the problem comes from, when known;
    `cohort` the 1-based position of the cohort in the history.  A problem in
    the cohorts carries its diagnostic `code`, and `cell`, the columns
    (1-based, end exclusive) of the offending cell on line `row` when known;
    `reason` is the message without the location it starts with.
    """

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        cohort: int | None = None,
        code: str | None = None,
        cell: tuple[int, int] | None = None,
        reason: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.row = row
        self.cohort = cohort
        self.code = code
        self.cell = cell
        self.reason = message if reason is None else reason


@attrs.frozen
class Cohort:
    """Patients treated together at one level and how many had a DLT.

    `line` is where the cohort came from in a CSV file, and `cells` the
    columns (1-based, end exclusive) of its `dose_level`, `patients` and
    `dlts` cells and of the whole `row` on that line, for error messages.
    """

    level_index: int
    patients: int
    dlts: int
    line: int | None = attrs.field(default=None, eq=False)
    cells: Mapping[str, tuple[int, int]] | None = attrs.field(default=None, eq=False, repr=False)


class Action(enum.StrEnum):
    """What the next step of the trial is; the values are the words the CLI prints."""

    START = "start"
    ESCALATE = "escalate"
    STAY = "stay"
    DE_ESCALATE = "de-escalate"
    ELIMINATE = "eliminate"
    STOP = "stop"
    SELECT_MTD = "select_mtd"


@attrs.frozen
class Decision:
    """What to do next, and why.

    `next_level` is None once the trial has ended (`stop`: no MTD;
    `select_mtd`: `mtd` holds the selected level).  `eliminated` lists the
    levels no patient may receive any more.  `rule` is the decision in plain
    words with the numbers behind it.
    """

    action: Action
    next_level: int | None
    eliminated: tuple[int, ...]
    rule: str
    mtd: int | None = None


# ---------------------------------------------------------------- rules


class Rules(Protocol):
    """A design's rules for a batch of trials with `n_levels` dose levels."""

    # read-only, so that each implementation may hold its own kind of design
    @property
    def design(self) -> Design: ...

    n_levels: int
    start_level: int
    cohort_size: int
    max_cohorts: int
    max_sample_size: int

    def step(self, after: AfterCohort) -> Step: ...

    def step_rows(self, batch: Batch) -> Step: ...

    def select_mtd(self, patients: np.ndarray, dlts: np.ndarray) -> np.ndarray: ...


class Batch(NamedTuple):
    """The simulated trials still running after a cohort: their rows of the whole state."""

    rows: np.ndarray  # which trials (rows of `patients` and `dlts`)
    level: np.ndarray  # the level each one's cohort was treated at
    patients: np.ndarray  # patients treated so far, every trial × levels
    dlts: np.ndarray  # DLTs seen so far, every trial × levels
    eliminated_from: np.ndarray  # per row: the lowest eliminated level
    cohort_dlts: np.ndarray  # per row: DLTs in this cohort

    def after(self) -> AfterCohort:
        """The same, with the running trials' rows copied out."""
        return AfterCohort(
            self.level,
            self.patients[self.rows],
            self.dlts[self.rows],
            self.eliminated_from,
            self.cohort_dlts,
        )


class _Limits:
    """What the rules of every design hold: the levels and the size of the trial."""

    def __init__(self, design: Design, n_levels: int, max_cohorts: int) -> None:
        self.n_levels = n_levels
        self.start_level = design.start_level
        self.cohort_size = design.cohort_size
        self.max_cohorts = max_cohorts
        self.max_sample_size = design.max_sample_size(n_levels)

    def step(self, after: AfterCohort) -> Step:
        raise NotImplementedError

    def step_rows(self, batch: Batch) -> Step:
        return self.step(batch.after())


class IntervalRules(_Limits):
    """BOIN and mTPI-2: boundary arrays indexed by the patients at the current level."""

    def __init__(self, design: IntervalDesign, n_levels: int) -> None:
        super().__init__(design, n_levels, design.n_cohorts)
        self.design = design
        self.bounds: IntervalBoundaries = (
            boin_boundaries(design) if isinstance(design, Boin) else mtpi2_boundaries(design)
        )

    def step(self, after: AfterCohort) -> Step:
        rows = np.arange(len(after.level))
        return interval_step(
            self.bounds,
            self.n_levels,
            self.design.max_per_dose,
            after.level,
            after.patients[rows, after.level],
            after.dlts[rows, after.level],
            after.eliminated_from,
        )

    def step_rows(self, batch: Batch) -> Step:
        # only the counts at the cohort's level: no copy of the trials' whole rows
        return interval_step(
            self.bounds,
            self.n_levels,
            self.design.max_per_dose,
            batch.level,
            batch.patients[batch.rows, batch.level],
            batch.dlts[batch.rows, batch.level],
            batch.eliminated_from,
        )

    def select_mtd(self, patients: np.ndarray, dlts: np.ndarray) -> np.ndarray:
        return select_mtd_isotonic(self.design.target, self.bounds, patients, dlts).mtd


class ThreePlusThreeRules(_Limits):
    def __init__(self, design: ThreePlusThree, n_levels: int) -> None:
        # Never more than two cohorts at a level.
        super().__init__(design, n_levels, 2 * n_levels)
        self.design = design

    def step(self, after: AfterCohort) -> Step:
        return three_plus_three_step(self.design, after)

    def select_mtd(self, patients: np.ndarray, dlts: np.ndarray) -> np.ndarray:
        return select_mtd_three_plus_three(self.design, patients, dlts)


class CrmRules(_Limits):
    def __init__(self, design: Crm, n_levels: int) -> None:
        super().__init__(design, n_levels, design.n_cohorts)
        self.design = design
        self.model = CrmModel(design)

    def step(self, after: AfterCohort) -> Step:
        return crm_step(self.model, after)

    def select_mtd(self, patients: np.ndarray, dlts: np.ndarray) -> np.ndarray:
        return select_mtd_crm(self.model, patients, dlts)


def rules_for(design: Design, n_levels: int) -> Rules:
    """The design's rules for `n_levels` dose levels; checks that they fit together."""
    if isinstance(n_levels, bool) or not isinstance(n_levels, int) or n_levels < 1:
        raise EscalationInputError(f"the number of dose levels must be at least 1; got {n_levels}")
    if isinstance(design, Crm) and len(design.skeleton) != n_levels:
        raise EscalationInputError(
            f"the CRM skeleton has {len(design.skeleton)} values but there are {n_levels} "
            "dose levels; give one prior DLT-rate guess per level"
        )
    if design.start_level >= n_levels:
        raise EscalationInputError(
            f"the design starts at level index {design.start_level} but there are only "
            f"{n_levels} dose levels"
        )
    match design:
        case ThreePlusThree():
            return ThreePlusThreeRules(design, n_levels)
        case Boin() | Mtpi2():
            return IntervalRules(design, n_levels)
        case Crm():
            return CrmRules(design, n_levels)
    raise TypeError(f"not an escalation design: {design!r}")


# ---------------------------------------------------------------- decide


@attrs.define
class _Trial:
    """One trial replayed cohort by cohort."""

    patients: np.ndarray
    dlts: np.ndarray
    level: int
    eliminated_from: int
    eliminated_by: int | None = None
    ended_by: int | None = None
    total: int = 0


def decide(
    design: Design,
    n_levels: int,
    history: Sequence[Cohort],
    *,
    level_names: Sequence[str] | None = None,
) -> Decision:
    """The decision after the cohorts in `history`, in the order they were treated.

    Cohorts need not have followed earlier recommendations (an investigator
    may choose a lower level), but they must be possible under the design:
    see `EscalationInputError`.  Level indexes are 0-based; `level_names`
    (default DL1, DL2, …) only label the levels in the rule text.
    """
    rules = rules_for(design, n_levels)
    names = _level_names(n_levels, level_names)
    trial = _Trial(
        np.zeros((1, n_levels), dtype=np.int64),
        np.zeros((1, n_levels), dtype=np.int64),
        rules.start_level,
        n_levels,
    )
    if not history:
        return Decision(
            Action.START,
            rules.start_level,
            (),
            f"no cohort yet: treat the first cohort of {rules.cohort_size} at "
            f"{names[rules.start_level]}",
        )
    step: Step | None = None
    for number, cohort in enumerate(history, start=1):
        _check_cohort(rules, trial, number, cohort, names)
        level = cohort.level_index
        trial.patients[0, level] += cohort.patients
        trial.dlts[0, level] += cohort.dlts
        trial.total += cohort.patients
        step = rules.step(
            AfterCohort(
                np.array([level]),
                trial.patients,
                trial.dlts,
                np.array([trial.eliminated_from]),
                np.array([cohort.dlts]),
            )
        )
        if step.eliminated_from[0] < trial.eliminated_from:
            trial.eliminated_from = int(step.eliminated_from[0])
            trial.eliminated_by = number
        if step.ended[0] or trial.total >= rules.max_sample_size:
            trial.ended_by = number
        trial.level = int(step.next_level[0])
    assert step is not None
    return _decision(rules, trial, history[-1].level_index, step, names)


def _level_names(n_levels: int, level_names: Sequence[str] | None) -> tuple[str, ...]:
    if level_names is None:
        return tuple(f"DL{i + 1}" for i in range(n_levels))
    if len(level_names) != n_levels:
        raise EscalationInputError(
            f"{len(level_names)} level names given for {n_levels} dose levels"
        )
    return tuple(level_names)


def _check_cohort(
    rules: Rules, trial: _Trial, number: int, cohort: Cohort, names: Sequence[str]
) -> None:
    where = f"cohort {number}" + (f" (line {cohort.line})" if cohort.line is not None else "")

    def fail(message: str, code: str, column: str = "row") -> EscalationInputError:
        cell = cohort.cells.get(column) if cohort.cells is not None else None
        return EscalationInputError(
            f"{where}: {message}",
            row=cohort.line,
            cohort=number,
            code=code,
            cell=cell,
            reason=f"cohort {number}: {message}",
        )

    n_levels = rules.n_levels
    level = cohort.level_index
    for what, value, column in (
        ("dose level index", level, "dose_level"),
        ("patients", cohort.patients, "patients"),
    ):
        if not _is_whole(value):
            raise fail(f"{what} must be a whole number; got {value!r}", UNREADABLE, column)
    if not _is_whole(cohort.dlts):
        raise fail(f"DLTs must be a whole number; got {cohort.dlts!r}", UNREADABLE, "dlts")
    if not 0 <= level < n_levels:
        raise fail(
            f"dose level index {level!r} does not exist; the {n_levels} levels are indexed "
            f"0 to {n_levels - 1} ({names[0]} to {names[-1]})",
            UNREADABLE,
            "dose_level",
        )
    if cohort.patients < 0:
        raise fail(
            f"the number of patients cannot be negative; got {cohort.patients}",
            UNREADABLE,
            "patients",
        )
    if cohort.patients == 0:
        raise fail("a cohort needs at least one patient", INCONSISTENT, "patients")
    if cohort.dlts < 0:
        raise fail(f"the number of DLTs cannot be negative; got {cohort.dlts}", UNREADABLE, "dlts")
    if cohort.dlts > cohort.patients:
        raise fail(
            f"{cohort.dlts} DLTs among {cohort.patients} patients; a patient counts at most one DLT",
            INCONSISTENT,
            "dlts",
        )
    if trial.ended_by is not None:
        raise fail(f"the trial already ended after cohort {trial.ended_by}", NOT_ALLOWED)
    if level >= trial.eliminated_from:
        raise fail(
            f"{names[level]} was eliminated after cohort {trial.eliminated_by} "
            f"(with every level from {names[trial.eliminated_from]} up) and may not be used",
            NOT_ALLOWED,
            "dose_level",
        )
    if isinstance(rules.design, ThreePlusThree):
        if cohort.patients != rules.design.cohort_size:
            raise fail(
                f"{cohort.patients} patients; the 3+3 design treats cohorts of exactly 3",
                NOT_ALLOWED,
                "patients",
            )
        if trial.patients[0, level] + cohort.patients > FULL_LEVEL:
            raise fail(
                f"the 3+3 design treats at most {FULL_LEVEL} patients at {names[level]}",
                NOT_ALLOWED,
                "patients",
            )
    if trial.total + cohort.patients > rules.max_sample_size:
        raise fail(
            f"{trial.total + cohort.patients} patients in all, more than the design's maximum "
            f"sample size of {rules.max_sample_size}",
            NOT_ALLOWED,
            "patients",
        )


def _is_whole(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _decision(
    rules: Rules, trial: _Trial, level: int, step: Step, names: Sequence[str]
) -> Decision:
    eliminated = tuple(range(trial.eliminated_from, rules.n_levels))
    next_level = trial.level
    basis, consequence = _explain(rules, trial, level, step, names)
    if trial.ended_by is None:
        action = _action(rules, step, level, next_level)
        return Decision(action, next_level, eliminated, f"{basis}: {consequence}")
    mtd = int(rules.select_mtd(trial.patients, trial.dlts)[0])
    if not step.ended[0]:
        consequence = (
            f"{trial.total} patients treated, the design's maximum sample size: the trial ends"
        )
        rule = f"{basis}; {consequence}"
    else:
        rule = f"{basis}: {consequence}"
    rule = f"{rule}; {_explain_mtd(rules, trial, mtd, names)}"
    if mtd < 0:
        return Decision(Action.STOP, None, eliminated, rule)
    return Decision(Action.SELECT_MTD, None, eliminated, rule, mtd)


def _action(rules: Rules, step: Step, level: int, next_level: int) -> Action:
    if isinstance(rules, IntervalRules) and step.reason[0] == IntervalReason.ELIMINATE:
        return Action.ELIMINATE
    if next_level > level:
        return Action.ESCALATE
    if next_level < level:
        return Action.DE_ESCALATE
    return Action.STAY


# ---------------------------------------------------------------- explanations


def _explain(
    rules: Rules, trial: _Trial, level: int, step: Step, names: Sequence[str]
) -> tuple[str, str]:
    """The numbers behind the last step, and what they lead to."""
    match rules:
        case IntervalRules():
            return _explain_interval(rules, trial, level, step, names)
        case ThreePlusThreeRules():
            return _explain_three_plus_three(rules, trial, level, step, names)
        case CrmRules():
            return _explain_crm(rules, trial, level, step, names)
    raise TypeError(f"no explanation for {rules!r}")


def _counts(trial: _Trial, level: int) -> tuple[int, int]:
    """The patients treated at `level` and their DLTs."""
    return int(trial.patients[0, level]), int(trial.dlts[0, level])


def _interval_basis(design: IntervalDesign, n: int, y: int, reason: IntervalReason) -> str:
    """Why the boundary decision went the way it did, in the design's own terms."""
    if isinstance(design, Boin):
        lambdas = boin_lambdas(design)
        rate = f"{y}/{n} DLTs = {y / n:.2f}"
        if reason in (
            IntervalReason.ESCALATE,
            IntervalReason.ESCALATE_BLOCKED_TOP,
            IntervalReason.ESCALATE_BLOCKED_ELIMINATED,
        ):
            return f"{rate} ≤ λe {lambdas.escalate:.3f}"
        if reason in (IntervalReason.DEESCALATE, IntervalReason.DEESCALATE_BLOCKED_BOTTOM):
            return f"{rate} ≥ λd {lambdas.deescalate:.3f}"
        return f"{rate} lies between λe {lambdas.escalate:.3f} and λd {lambdas.deescalate:.3f}"
    key, upm = winning_key(design, n, y)
    equivalence = next(k for k in keys(design) if k.decision == "S")
    interval = f"the equivalence interval {equivalence.lower:.2f}–{equivalence.upper:.2f}"
    mass = f"{y}/{n} DLTs: the highest unit probability mass ({upm:.2f}) is on"
    if key.decision == "S":
        return f"{mass} {interval}"
    side = "below" if key.decision == "E" else "above"
    return f"{mass} {key.lower:.2f}–{key.upper:.2f}, {side} {interval}"


def _explain_interval(
    rules: IntervalRules, trial: _Trial, level: int, step: Step, names: Sequence[str]
) -> tuple[str, str]:
    design = rules.design
    n, y = _counts(trial, level)
    reason = IntervalReason(int(step.reason[0]))
    here = names[level]
    if reason in (
        IntervalReason.ELIMINATE,
        IntervalReason.ELIMINATE_LOWEST,
        IntervalReason.SAFETY_STOP,
    ):
        probability = float(posterior_toxicity_probability(design.target, n, y))
        basis = f"{y}/{n} DLTs at {here}: P(DLT rate > {design.target:g}) = {probability:.3f}"
        if reason == IntervalReason.SAFETY_STOP:
            assert isinstance(design, Boin)
            cutoff = design.elimination_cutoff - design.extrasafe_offset
            return (
                f"{basis} > {cutoff:g} (extra-safe rule at the lowest level)",
                "stop the trial",
            )
        basis = f"{basis} > {design.elimination_cutoff:g}"
        if reason == IntervalReason.ELIMINATE_LOWEST:
            return (
                basis,
                f"eliminate {here}, the lowest level, and every level above: stop the trial",
            )
        return (
            basis,
            f"eliminate {here} and every level above; de-escalate to {names[level - 1]}",
        )
    if reason == IntervalReason.CAP_REACHED:
        # Say which 'stay' it was, then why the trial ends.
        uncapped = interval_step(
            rules.bounds,
            rules.n_levels,
            None,
            np.array([level]),
            np.array([n]),
            np.array([y]),
            np.array([trial.eliminated_from]),
        )
        stay = IntervalReason(int(uncapped.reason[0]))
        basis, consequence = _interval_consequence(design, n, y, stay, level, names)
        return (
            f"{basis}, so {consequence}",
            f"{here} has {n} patients, reaching max_per_dose {design.max_per_dose}: the trial ends",
        )
    return _interval_consequence(design, n, y, reason, level, names)


def _interval_consequence(
    design: IntervalDesign,
    n: int,
    y: int,
    reason: IntervalReason,
    level: int,
    names: Sequence[str],
) -> tuple[str, str]:
    basis = _interval_basis(design, n, y, reason)
    here = names[level]
    match reason:
        case IntervalReason.ESCALATE:
            return basis, f"escalate to {names[level + 1]}"
        case IntervalReason.ESCALATE_BLOCKED_TOP:
            return basis, f"{here} is the highest level: stay at {here}"
        case IntervalReason.ESCALATE_BLOCKED_ELIMINATED:
            return basis, f"{names[level + 1]} is eliminated: stay at {here}"
        case IntervalReason.DEESCALATE:
            return basis, f"de-escalate to {names[level - 1]}"
        case IntervalReason.DEESCALATE_BLOCKED_BOTTOM:
            return basis, f"{here} is the lowest level: stay at {here}"
    return basis, f"stay at {here}"


def _explain_three_plus_three(
    rules: ThreePlusThreeRules, trial: _Trial, level: int, step: Step, names: Sequence[str]
) -> tuple[str, str]:
    n, y = _counts(trial, level)
    reason = ThreePlusThreeReason(int(step.reason[0]))
    here = names[level]
    basis = f"{y}/{n} DLTs at {here}"
    above = names[level + 1] if level + 1 < rules.n_levels else ""
    below = names[level - 1] if level > 0 else ""
    below_counts = f"{trial.dlts[0, level - 1]}/{trial.patients[0, level - 1]}" if level > 0 else ""
    Reason = ThreePlusThreeReason
    consequences = {
        Reason.ESCALATE: f"escalate to {above}",
        Reason.EXPAND: f"treat 3 more patients at {here}",
        Reason.CONFIRM_TOP: (
            f"{here} is the highest level; treat 3 more at {here} to confirm it on 6 patients"
        ),
        Reason.CONFIRM_BELOW_TOXIC: (
            f"{above} exceeded the MTD; treat 3 more at {here} to confirm it on 6 patients"
        ),
        Reason.TOP_CLEARED: f"{here} is the highest level: the trial ends",
        Reason.CLEARED_BELOW_TOXIC: f"{above} exceeded the MTD: the trial ends",
        Reason.TOXIC_PREVIOUS: f"{here} exceeds the MTD: the trial ends",
        Reason.TOXIC_EXPAND_BELOW: (
            f"{here} exceeds the MTD and {below} has only {trial.patients[0, level - 1]} "
            f"patients: de-escalate to {below} and treat 3 more there"
        ),
        Reason.TOXIC_BELOW_CONFIRMED: (
            f"{here} exceeds the MTD and {below} already has {below_counts}: the trial ends"
        ),
        Reason.TOXIC_LOWEST: f"{here}, the lowest level, exceeds the MTD: the trial ends",
        Reason.TOXIC_NO_FURTHER_DEESCALATION: (
            f"{here} exceeds the MTD after being expanded below {above}, and the design does "
            "not de-escalate further: the trial ends"
        ),
    }
    return basis, consequences[reason]


def _rates_text(rates: Iterable[float], names: Sequence[str]) -> str:
    return ", ".join(f"{name} {rate:.3f}" for name, rate in zip(names, rates, strict=True))


def _explain_crm(
    rules: CrmRules, trial: _Trial, level: int, step: Step, names: Sequence[str]
) -> tuple[str, str]:
    estimate = rules.model.estimate(trial.patients, trial.dlts)
    rates = estimate.rates[0]
    best = int(rules.model.closest_to_target(estimate.rates)[0])
    basis = (
        f"posterior mean of β {estimate.beta_mean[0]:+.3f}; estimated DLT rates "
        f"{_rates_text(rates, names)}; {names[best]} is closest to the target "
        f"{rules.design.target:g}"
    )
    reason = CrmReason(int(step.reason[0]))
    next_level = int(step.next_level[0])
    here = names[level]
    if reason == CrmReason.NO_SKIPPING:
        return basis, f"escalation may not skip a level: escalate to {names[next_level]}"
    if reason == CrmReason.NO_ESCALATION_AFTER_DLT:
        return basis, f"the last cohort had a DLT, so no escalation: stay at {here}"
    if next_level > level:
        return basis, f"escalate to {names[next_level]}"
    if next_level < level:
        return basis, f"de-escalate to {names[next_level]}"
    return basis, f"stay at {here}"


def _explain_mtd(rules: Rules, trial: _Trial, mtd: int, names: Sequence[str]) -> str:
    match rules:
        case IntervalRules():
            selection = select_mtd_isotonic(
                rules.design.target, rules.bounds, trial.patients, trial.dlts
            )
            estimated = [
                f"{names[i]} {value:.3f}"
                for i, value in enumerate(selection.estimates[0])
                if not np.isnan(value)
            ]
            if mtd < 0:
                if trial.eliminated_from == 0:
                    return f"no MTD: {names[0]} is eliminated"
                if not estimated:
                    return "no MTD: every level tried is eliminated"
                return "no MTD: the lowest level is too toxic by the extra-safe rule"
            return (
                f"isotonic DLT-rate estimates {', '.join(estimated)}; {names[mtd]} is closest "
                f"to the target {rules.design.target:g}: MTD = {names[mtd]}"
            )
        case ThreePlusThreeRules():
            if mtd >= 0:
                return f"MTD = {names[mtd]}"
            toxic = np.flatnonzero(trial.dlts[0] >= 2)
            candidate = (int(toxic[0]) if toxic.size else rules.n_levels) - 1
            if candidate < 0:
                return "no MTD: the lowest level exceeds it"
            return (
                f"no MTD: {names[candidate]} has not been confirmed on 6 patients with at most "
                "1 DLT"
            )
        case CrmRules():
            return f"MTD = {names[mtd]}"
    raise TypeError(f"no MTD explanation for {rules!r}")
