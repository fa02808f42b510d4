"""Invariants over random designs and random trial histories (hypothesis).

- Following a design's recommendations never treats a patient at an
  eliminated level, never exceeds the maximum sample size, and always ends
  with `stop` or `select_mtd`; eliminated levels stay eliminated.
- Arbitrary histories are either rejected with `EscalationInputError` or
  answered with a next level that is not eliminated.
- More DLTs in the last cohort never give a more aggressive decision.
- Decision tables are consistent; simulations are reproducible by seed.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generators.escalation import (
    Action,
    Boin,
    Cohort,
    Crm,
    Decision,
    EscalationInputError,
    Mtpi2,
    ThreePlusThree,
    decide,
    decision_table,
    simulate,
)
from generators.escalation.designs import Design

TARGETS = st.sampled_from([0.1, 0.15, 0.2, 0.25, 0.3, 0.33, 0.4, 0.45])


@st.composite
def interval_designs(draw: st.DrawFn) -> Boin | Mtpi2:
    target = draw(TARGETS)
    cohort_size = draw(st.integers(1, 4))
    n_cohorts = draw(st.integers(1, 12))
    cap = draw(st.none() | st.integers(cohort_size, 4 * cohort_size))
    if draw(st.booleans()):
        return Boin(
            target,
            cohort_size=cohort_size,
            n_cohorts=n_cohorts,
            max_per_dose=cap,
            extrasafe=draw(st.booleans()),
        )
    eps = draw(st.sampled_from([0.03, 0.05]))
    return Mtpi2(target, eps1=eps, eps2=eps, cohort_size=cohort_size, n_cohorts=n_cohorts)


@st.composite
def designs_with_levels(draw: st.DrawFn) -> tuple[Design, int]:
    kind = draw(st.sampled_from(["interval", "3+3", "crm"]))
    if kind == "interval":
        return draw(interval_designs()), draw(st.integers(1, 6))
    if kind == "3+3":
        rule = draw(st.sampled_from(["previous", "expand"]))
        deescalate = rule == "expand" and draw(st.booleans())
        return ThreePlusThree(rule, deescalate), draw(st.integers(1, 6))
    levels = draw(st.integers(2, 5))
    gaps = draw(st.lists(st.integers(1, 5), min_size=levels, max_size=levels))
    skeleton = tuple(0.03 * sum(gaps[: i + 1]) for i in range(levels))
    design = Crm(
        draw(TARGETS),
        skeleton,
        model=draw(st.sampled_from(["empiric", "logistic"])),
        cohort_size=draw(st.integers(1, 3)),
        n_cohorts=draw(st.integers(1, 6)),
        restrict=draw(st.booleans()),
    )
    return design, levels


def _cohort_size(design: Design) -> int:
    return design.cohort_size


def _ended(decision: Decision) -> bool:
    return decision.next_level is None


PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(designs_with_levels(), st.data())
def test_following_the_design_respects_its_limits(
    design_and_levels: tuple[Design, int], data: st.DataObject
) -> None:
    design, n_levels = design_and_levels
    maximum = design.max_sample_size(n_levels)
    history: list[Cohort] = []
    decision = decide(design, n_levels, history)
    while not _ended(decision):
        assert decision.next_level is not None
        assert decision.next_level not in decision.eliminated
        size = _cohort_size(design)
        dlts = data.draw(st.integers(0, size))
        history.append(Cohort(decision.next_level, size, dlts))
        previous = decision
        decision = decide(design, n_levels, history)
        assert set(previous.eliminated) <= set(decision.eliminated)
        assert sum(c.patients for c in history) <= maximum
    assert decision.action in (Action.STOP, Action.SELECT_MTD)
    if decision.action == Action.SELECT_MTD:
        assert decision.mtd is not None
        assert decision.mtd not in decision.eliminated
    else:
        assert decision.mtd is None


@PROPERTY_SETTINGS
@given(
    designs_with_levels(),
    st.lists(st.tuples(st.integers(-1, 6), st.integers(0, 4), st.integers(0, 4)), max_size=12),
)
def test_any_history_is_answered_or_rejected_plainly(
    design_and_levels: tuple[Design, int], cohorts: list[tuple[int, int, int]]
) -> None:
    design, n_levels = design_and_levels
    history = [Cohort(level, patients, dlts) for level, patients, dlts in cohorts]
    try:
        decision = decide(design, n_levels, history)
    except EscalationInputError as error:
        assert str(error)
        return
    if decision.next_level is not None:
        assert 0 <= decision.next_level < n_levels
        assert decision.next_level not in decision.eliminated


_AGGRESSIVE = {Action.ESCALATE}


@PROPERTY_SETTINGS
@given(designs_with_levels(), st.data())
def test_more_dlts_never_give_a_more_aggressive_decision(
    design_and_levels: tuple[Design, int], data: st.DataObject
) -> None:
    design, n_levels = design_and_levels
    size = _cohort_size(design)
    history: list[Cohort] = []
    decision = decide(design, n_levels, history)
    for _ in range(data.draw(st.integers(0, 8))):
        if _ended(decision):
            break
        assert decision.next_level is not None
        history.append(Cohort(decision.next_level, size, data.draw(st.integers(0, size))))
        decision = decide(design, n_levels, history)
    assume(not _ended(decision))
    assert decision.next_level is not None
    level = decision.next_level
    outcomes = [
        decide(design, n_levels, [*history, Cohort(level, size, dlts)]) for dlts in range(size + 1)
    ]
    for fewer, more in pairwise(outcomes):
        if fewer.next_level is not None and more.next_level is not None:
            assert more.next_level <= fewer.next_level
        if more.action in _AGGRESSIVE:
            assert fewer.action in _AGGRESSIVE
        if fewer.action == Action.STOP:
            assert more.action == Action.STOP


@settings(max_examples=60, deadline=None)
@given(interval_designs())
def test_decision_tables_are_consistent(design: Boin | Mtpi2) -> None:
    rows = decision_table(design).rows
    for row in rows:
        n = row.patients
        if row.escalate_at_most is not None and row.deescalate_at_least is not None:
            assert row.escalate_at_most < row.deescalate_at_least <= n
        if row.deescalate_at_least is not None and row.eliminate_at_least is not None:
            assert row.deescalate_at_least <= row.eliminate_at_least
        if row.eliminate_at_least is not None:
            assert n >= 3
    for before, after in pairwise(rows):
        if before.escalate_at_most is not None:
            assert after.escalate_at_most is not None
            assert after.escalate_at_most >= before.escalate_at_most
        if before.eliminate_at_least is not None:
            assert after.eliminate_at_least is not None
            assert after.eliminate_at_least >= before.eliminate_at_least


@settings(max_examples=30, deadline=None)
@given(
    designs_with_levels(),
    st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6),
    st.integers(0, 2**32 - 1),
)
def test_simulation_is_reproducible_by_seed(
    design_and_levels: tuple[Design, int], rates: list[float], seed: int
) -> None:
    design, n_levels = design_and_levels
    true_rates = sorted(rates)[:n_levels]
    first = simulate(design, true_rates, n_trials=200, seed=seed)
    second = simulate(design, true_rates, n_trials=200, seed=seed)
    assert np.array_equal(first.selected, second.selected)
    assert np.array_equal(first.patients, second.patients)
    assert np.array_equal(first.dlts, second.dlts)
    assert first.patients.sum(axis=1).max() <= design.max_sample_size(n_levels)
