"""mTPI-2: keys, the decision table for target 0.3 and eps 0.05, and unit
probability masses checked by an independent numerical integration of the
Beta density (Simpson's rule on each key) and, for n = 3, by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from generators.escalation import Cohort, Mtpi2, decide, decision_table
from generators.escalation.mtpi2 import keys, unit_probability_mass, winning_key


def test_keys_for_target_030() -> None:
    assert [(k.lower, k.upper, k.decision) for k in keys(Mtpi2(0.3))] == [
        (0.0, 0.05, "E"),
        (0.05, 0.15, "E"),
        (0.15, 0.25, "E"),
        (0.25, 0.35, "S"),
        (0.35, 0.45, "D"),
        (0.45, 0.55, "D"),
        (0.55, 0.65, "D"),
        (0.65, 0.75, "D"),
        (0.75, 0.85, "D"),
        (0.85, 0.95, "D"),
        (0.95, 1.0, "D"),
    ]


def test_keys_without_partial_ends() -> None:
    assert [(k.lower, k.upper) for k in keys(Mtpi2(0.25))][:3] == [
        (0.0, 0.1),
        (0.1, 0.2),
        (0.2, 0.3),
    ]


def test_row_for_three_patients() -> None:
    # Published mTPI-2 table, target 0.3, eps 0.05: n = 3 gives
    # y = 0 escalate, y = 1 stay, y ≥ 2 de-escalate; y = 3 also eliminates.
    row = decision_table(Mtpi2(0.3)).row(3)
    assert (row.escalate_at_most, row.deescalate_at_least, row.eliminate_at_least) == (0, 2, 3)


def test_hand_computed_upm_for_one_dlt_in_three() -> None:
    # Posterior Beta(2, 3): F(x) = 1 − (1 − x)^4 − 4x(1 − x)^3.
    def cdf(x: float) -> float:
        return 1 - (1 - x) ** 4 - 4 * x * (1 - x) ** 3

    key, upm = winning_key(Mtpi2(0.3), 3, 1)
    assert (key.lower, key.upper) == (0.25, 0.35)
    assert upm == pytest.approx((cdf(0.35) - cdf(0.25)) / 0.1, rel=1e-12)


def _upm_by_simpson(design: Mtpi2, n: int, y: int) -> list[float]:
    a, b = y + 1, n - y + 1
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    masses = []
    for key in keys(design):
        x = np.linspace(key.lower, key.upper, 4001)
        density = math.exp(log_norm) * x ** (a - 1) * (1 - x) ** (b - 1)
        h = x[1] - x[0]
        ends = density[0] + density[-1]
        integral = h / 3 * (ends + 4 * density[1:-1:2].sum() + 2 * density[2:-1:2].sum())
        masses.append(integral / key.width)
    return masses


@pytest.mark.parametrize(("n", "y"), [(1, 0), (3, 1), (6, 2), (9, 4), (12, 0), (20, 13)])
def test_upm_agrees_with_numerical_integration(n: int, y: int) -> None:
    design = Mtpi2(0.3)
    got = unit_probability_mass(design, np.array(n), np.array(y))
    assert got == pytest.approx(_upm_by_simpson(design, n, y), abs=1e-9)


@pytest.mark.parametrize(
    "design", [Mtpi2(0.3), Mtpi2(0.25), Mtpi2(0.2, eps1=0.05, eps2=0.1)], ids=repr
)
def test_table_agrees_with_independent_decisions(design: Mtpi2) -> None:
    table = decision_table(design)
    decision_keys = keys(design)
    for row in table.rows:
        n = row.patients
        for y in range(n + 1):
            masses = _upm_by_simpson(design, n, y)
            expected = decision_keys[int(np.argmax(masses))].decision
            escalate = row.escalate_at_most is not None and y <= row.escalate_at_most
            deescalate = row.deescalate_at_least is not None and y >= row.deescalate_at_least
            eliminates = row.eliminate_at_least is not None and y >= row.eliminate_at_least
            got = "E" if escalate else "D" if deescalate else "S"
            # A count that eliminates the level de-escalates whatever the keys say.
            assert got == expected or (eliminates and got == "D"), (n, y, got, expected)


def test_decision_names_the_winning_key() -> None:
    decision = decide(Mtpi2(0.3), 4, [Cohort(0, 3, 0), Cohort(1, 3, 2)])
    assert decision.action == "de-escalate"
    assert decision.rule.startswith("2/3 DLTs: the highest unit probability mass")
    assert "above the equivalence interval 0.25–0.35" in decision.rule
    stay = decide(Mtpi2(0.3), 4, [Cohort(0, 3, 1)])
    assert stay.rule.endswith("is on the equivalence interval 0.25–0.35: stay at DL1")


def test_elimination_is_boins() -> None:
    decision = decide(Mtpi2(0.3), 4, [Cohort(0, 3, 0), Cohort(1, 3, 3)])
    assert decision.action == "eliminate"
    assert decision.eliminated == (1, 2, 3)
    assert decision.next_level == 0
