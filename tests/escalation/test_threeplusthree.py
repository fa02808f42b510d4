"""3+3: exact probabilities derived here by enumerating cohort outcomes,
compared with the vectorised simulator within Monte Carlo error, plus the
rule text and table of the design.
"""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import product

import numpy as np
import pytest

from generators.escalation import (
    Cohort,
    DesignError,
    ThreePlusThree,
    decide,
    decision_table,
    design_from_params,
    simulate,
)

TRIALS = 20_000
SIGMAS = 4.0


def _binomial(k: int, p: float, n: int = 3) -> float:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def _p_escalate_by_enumeration(p: float) -> float:
    """Escalation probability from the two cohorts' outcomes, term by term."""
    total = 0.0
    for first, second in product(range(4), repeat=2):
        clears = first == 0 or (first == 1 and first + second <= 1)
        # The second cohort only happens after exactly one DLT in the first.
        weight = _binomial(first, p) * (_binomial(second, p) if first == 1 else (second == 0))
        total += weight * clears
    return total


@pytest.mark.parametrize("p", [0.0, 0.05, 0.1, 0.2, 0.3333, 0.5, 0.8, 1.0])
def test_escalation_probability_closed_form(p: float) -> None:
    q = 1 - p
    assert _p_escalate_by_enumeration(p) == pytest.approx(q**3 * (1 + 3 * p * q**2), abs=1e-14)


def _exact_previous_rule(rates: list[float]) -> dict[int, float]:
    """P(selected MTD = k) for the 'previous' rule; −1 means no MTD."""
    q = [1 - p for p in rates]
    escalate = [qi**3 * (1 + 3 * p * qi**2) for p, qi in zip(rates, q, strict=True)]
    distribution: dict[int, float] = {}
    reach = 1.0
    for level, p_escalate in enumerate(escalate):
        distribution[level - 1] = reach * (1 - p_escalate)
        reach *= p_escalate
    distribution[len(rates) - 1] = reach
    return distribution


def _exact_previous_mean_patients(rates: list[float]) -> list[float]:
    means, reach = [], 1.0
    for p in rates:
        q = 1 - p
        # Three patients, plus three more after exactly one DLT among the first three.
        means.append(reach * (3 + 3 * 3 * p * q**2))
        reach *= q**3 * (1 + 3 * p * q**2)
    return means


def _assert_selection_matches(selected: np.ndarray, exact: dict[int, float]) -> None:
    assert sum(exact.values()) == pytest.approx(1.0)
    for level, probability in exact.items():
        observed = float(np.mean(selected == level))
        se = math.sqrt(probability * (1 - probability) / len(selected))
        assert abs(observed - probability) <= SIGMAS * se + 1e-12, (level, observed, probability)


SCENARIOS = [
    [0.05, 0.10, 0.20, 0.30, 0.50],
    [0.30, 0.40, 0.50, 0.60],
    [0.01, 0.02, 0.03],
    [0.15, 0.15, 0.35, 0.35, 0.55, 0.70],
]


@pytest.mark.parametrize("rates", SCENARIOS)
def test_previous_rule_selection_matches_exact(rates: list[float]) -> None:
    result = simulate(ThreePlusThree(), rates, n_trials=TRIALS, seed=1989)
    _assert_selection_matches(result.selected, _exact_previous_rule(rates))


@pytest.mark.parametrize("rates", SCENARIOS)
def test_previous_rule_patients_match_exact(rates: list[float]) -> None:
    result = simulate(ThreePlusThree(), rates, n_trials=TRIALS, seed=33)
    exact = _exact_previous_mean_patients(rates)
    for level, mean in enumerate(exact):
        column = result.patients[:, level]
        se = column.std() / math.sqrt(TRIALS)
        assert abs(column.mean() - mean) <= SIGMAS * se + 1e-12, (level, column.mean(), mean)


def _exact_by_enumeration(design: ThreePlusThree, rates: list[float]) -> dict[int, float]:
    """The selected MTD's distribution, by walking every sequence of cohort outcomes.

    The rules are written out here from the design's description, one case at
    a time, independently of the vectorised state machine.
    """
    k = len(rates)
    expand = design.mtd_rule == "expand"
    distribution: dict[int, float] = defaultdict(float)

    def confirmed(n: list[int], y: list[int], level: int) -> bool:
        return n[level] >= 6 and y[level] <= 1

    def visit(n: list[int], y: list[int], level: int, probability: float) -> None:
        for dlts in range(4):
            weight = probability * _binomial(dlts, rates[level])
            if weight == 0.0:
                continue
            n2, y2 = list(n), list(y)
            n2[level] += 3
            y2[level] += dlts
            came_down = level + 1 < k and y2[level + 1] >= 2
            if y2[level] >= 2:
                below = level - 1
                if not expand:
                    distribution[below] += weight
                elif below < 0:
                    distribution[-1] += weight
                elif came_down and not design.allow_deescalation:
                    distribution[below if confirmed(n2, y2, below) else -1] += weight
                elif n2[below] >= 6:
                    distribution[below] += weight
                else:
                    visit(n2, y2, below, weight)
            elif y2[level] == 1 and n2[level] == 3:
                visit(n2, y2, level, weight)
            elif level == k - 1 or came_down:
                if expand and n2[level] == 3:
                    visit(n2, y2, level, weight)
                else:
                    distribution[level] += weight
            else:
                visit(n2, y2, level + 1, weight)

    visit([0] * k, [0] * k, 0, 1.0)
    return dict(distribution)


DESIGNS = [
    ThreePlusThree("previous"),
    ThreePlusThree("expand", allow_deescalation=True),
    ThreePlusThree("expand", allow_deescalation=False),
]


@pytest.mark.parametrize("design", DESIGNS, ids=lambda d: f"{d.mtd_rule}-{d.allow_deescalation}")
@pytest.mark.parametrize("rates", SCENARIOS[:3])
def test_selection_matches_enumeration(design: ThreePlusThree, rates: list[float]) -> None:
    exact = _exact_by_enumeration(design, rates)
    if design.mtd_rule == "previous":
        expected = _exact_previous_rule(rates)
        for level in expected:
            assert exact.get(level, 0.0) == pytest.approx(expected[level], abs=1e-12)
    result = simulate(design, rates, n_trials=TRIALS, seed=2001)
    _assert_selection_matches(result.selected, exact)


def test_never_more_than_six_per_level() -> None:
    result = simulate(ThreePlusThree("expand", True), [0.2, 0.3, 0.4, 0.5], n_trials=5000, seed=3)
    assert result.patients.max() <= 6
    assert set(np.unique(result.patients)) <= {0, 3, 6}


# ---------------------------------------------------------------- decisions


def test_walk_through_previous_rule() -> None:
    design = ThreePlusThree()
    history = [Cohort(0, 3, 0)]
    assert decide(design, 4, history).action == "escalate"
    history.append(Cohort(1, 3, 1))
    decision = decide(design, 4, history)
    assert (decision.action, decision.next_level) == ("stay", 1)
    assert decision.rule == "1/3 DLTs at DL2: treat 3 more patients at DL2"
    history.append(Cohort(1, 3, 0))
    assert decide(design, 4, history).rule == "1/6 DLTs at DL2: escalate to DL3"
    history.append(Cohort(2, 3, 2))
    decision = decide(design, 4, history)
    assert decision.action == "select_mtd"
    assert decision.mtd == 1
    assert decision.eliminated == (2, 3)
    assert decision.rule == "2/3 DLTs at DL3: DL3 exceeds the MTD: the trial ends; MTD = DL2"


def test_expand_rule_de_escalates_to_confirm_the_level_below() -> None:
    design = ThreePlusThree("expand", allow_deescalation=True)
    history = [Cohort(0, 3, 0), Cohort(1, 3, 0), Cohort(2, 3, 2)]
    decision = decide(design, 4, history)
    assert (decision.action, decision.next_level) == ("de-escalate", 1)
    history.append(Cohort(1, 3, 1))
    decision = decide(design, 4, history)
    assert decision.action == "select_mtd"
    assert decision.mtd == 1
    assert "1/6 DLTs at DL2" in decision.rule


def test_expand_rule_keeps_going_down_only_when_allowed() -> None:
    history = [Cohort(0, 3, 0), Cohort(1, 3, 0), Cohort(2, 3, 2), Cohort(1, 3, 2)]
    allowed = decide(ThreePlusThree("expand", allow_deescalation=True), 4, history)
    assert (allowed.action, allowed.next_level) == ("de-escalate", 0)
    stopped = decide(ThreePlusThree("expand", allow_deescalation=False), 4, history)
    assert stopped.action == "stop"
    assert "not been confirmed on 6 patients" in stopped.rule


def test_expand_rule_confirms_a_cleared_top_level() -> None:
    design = ThreePlusThree("expand", allow_deescalation=True)
    history = [Cohort(0, 3, 0), Cohort(1, 3, 0)]
    decision = decide(design, 2, history)
    assert (decision.action, decision.next_level) == ("stay", 1)
    history.append(Cohort(1, 3, 0))
    assert decide(design, 2, history).mtd == 1
    assert decide(ThreePlusThree(), 2, history[:2]).mtd == 1


def test_rule_table() -> None:
    table = decision_table(ThreePlusThree())
    assert [(r.patients, r.escalate_at_most, r.eliminate_at_least) for r in table.rows] == [
        (3, 0, 2),
        (6, 1, 2),
    ]
    assert "1 DLT among 3: treat 3 more patients at the same level." in table.render()


def test_previous_rule_does_not_de_escalate() -> None:
    with pytest.raises(DesignError) as caught:
        design_from_params("3+3", {"mtd_rule": "previous", "allow_deescalation": True})
    assert caught.value.parameter == "allow_deescalation"
