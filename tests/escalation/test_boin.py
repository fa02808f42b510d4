"""BOIN: boundaries against the published values, the Beta tail against known
values, MTD selection against a transliteration of R `select.mtd`, and
simulated operating characteristics against an independent reference.

Published operating characteristics (Yuan et al. 2016, Clin Cancer Res
22:4291; the BOIN R package vignette) are not reproduced from memory here:
instead the vectorised simulator is compared, within Monte Carlo error, with
a straightforward per-trial loop written below from the R package's `get.oc`
algorithm, using Python's own `random` module, exact binomial arithmetic for
the elimination boundaries and a plain pool-adjacent-violators fit.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest

from generators.escalation import Boin, Cohort, decide, decision_table, simulate
from generators.escalation.boin import (
    beta_tail,
    boin_boundaries,
    boin_lambdas,
    isotonic_estimates,
    regularized_incomplete_beta,
    select_mtd_isotonic,
)

# ---------------------------------------------------------------- boundaries

# Liu & Yuan (2015) Table 1, printed to three decimals.  The printed values are
# not all rounded the same way (0.3585 appears as 0.358, 0.1968 as 0.197), so
# the check is agreement to within one unit of the last printed digit.
PUBLISHED_LAMBDAS = {0.20: (0.157, 0.238), 0.25: (0.197, 0.298), 0.30: (0.236, 0.358)}


@pytest.mark.parametrize("target", sorted(PUBLISHED_LAMBDAS))
def test_lambdas_match_liu_yuan_table(target: float) -> None:
    lambdas = boin_lambdas(Boin(target))
    escalate, deescalate = PUBLISHED_LAMBDAS[target]
    assert abs(lambdas.escalate - escalate) < 1e-3
    assert abs(lambdas.deescalate - deescalate) < 1e-3


def test_lambdas_for_target_030_to_more_digits() -> None:
    lambdas = boin_lambdas(Boin(0.3))
    assert lambdas.escalate == pytest.approx(0.236491, abs=1e-6)
    assert lambdas.deescalate == pytest.approx(0.358519, abs=1e-6)


# R: get.boundary(target = 0.3, ncohort = 10, cohortsize = 3), rows known from
# the package's output: n -> (escalate if y <=, de-escalate if y >=, eliminate if y >=).
GET_BOUNDARY_030 = {3: (0, 2, 3), 6: (1, 3, 4), 9: (2, 4, 5), 12: (2, 5, 7)}


def test_get_boundary_known_rows() -> None:
    table = decision_table(Boin(0.3, cohort_size=3, n_cohorts=10))
    for n, expected in GET_BOUNDARY_030.items():
        row = table.row(n)
        assert (row.escalate_at_most, row.deescalate_at_least, row.eliminate_at_least) == expected


def _exact_elimination(target: Fraction, cutoff: Fraction, n: int) -> int | None:
    """Smallest y ≥ 1 with P(p > target | Beta(y+1, n−y+1)) > cutoff, exactly.

    For integer parameters P(p > t) = P(Binomial(n + 1, t) ≤ y).
    """
    if n < 3:
        return None
    for y in range(1, n + 1):
        tail = sum(
            math.comb(n + 1, k) * target**k * (1 - target) ** (n + 1 - k) for k in range(y + 1)
        )
        if tail > cutoff:
            return y
    return None


@pytest.mark.parametrize("target", [0.2, 0.25, 0.3, 0.35])
def test_every_row_follows_the_formulas(target: float) -> None:
    design = Boin(target, cohort_size=3, n_cohorts=10)
    lambdas = boin_lambdas(design)
    table = decision_table(design)
    for n in range(1, 31):
        row = table.row(n)
        escalate = max(y for y in range(n + 1) if y / n <= lambdas.escalate)
        deescalate = min(y for y in range(n + 1) if y / n >= lambdas.deescalate)
        eliminate = _exact_elimination(Fraction(str(target)), Fraction("0.95"), n)
        if eliminate is not None:
            deescalate = min(deescalate, eliminate)
        assert row.escalate_at_most == escalate, n
        assert row.deescalate_at_least == deescalate, n
        assert row.eliminate_at_least == eliminate, n


def test_full_table_for_target_030() -> None:
    rows = decision_table(Boin(0.3)).rows
    assert [r.escalate_at_most for r in rows] == [
        0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7
    ]  # fmt: skip
    assert [r.deescalate_at_least for r in rows] == [
        1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 11, 11, 11
    ]  # fmt: skip
    assert [r.eliminate_at_least for r in rows] == [
        None, None, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 11, 11, 11, 12,
        12, 12, 13, 13, 14
    ]  # fmt: skip


def test_extrasafe_adds_a_stricter_stop_at_the_lowest_level() -> None:
    table = decision_table(Boin(0.3, extrasafe=True))
    # P(p > 0.3 | 2/3) = 0.916: above 0.95 − 0.05 but below 0.95.
    assert table.row(3).stop_at_least == 2
    assert table.row(3).eliminate_at_least == 3
    assert "stop at lowest level" in table.render()


def test_rendered_table_lists_every_n() -> None:
    text = decision_table(Boin(0.3)).render()
    assert text.startswith("BOIN decision table: target 0.3, λe 0.236, λd 0.359")
    assert len([line for line in text.splitlines() if line.strip()[:2].strip().isdigit()]) == 30


# ---------------------------------------------------------------- Beta tail


def test_incomplete_beta_matches_binomial_identity() -> None:
    # I_x(a, b) = P(Binomial(a + b − 1, x) ≥ a) for whole a, b.
    for a in range(1, 15):
        for b in range(1, 15):
            for x in (0.01, 0.1, 0.3, 0.5, 0.77, 0.99):
                m = a + b - 1
                expected = sum(math.comb(m, k) * x**k * (1 - x) ** (m - k) for k in range(a, m + 1))
                assert float(regularized_incomplete_beta(x, a, b)) == pytest.approx(
                    expected, rel=1e-12, abs=1e-15
                )


@pytest.mark.parametrize("x", [1e-6, 0.05, 0.25, 0.5, 0.9, 0.999])
def test_incomplete_beta_known_closed_forms(x: float) -> None:
    assert float(regularized_incomplete_beta(x, 2.7, 1.0)) == pytest.approx(x**2.7, rel=1e-12)
    assert float(regularized_incomplete_beta(x, 1.0, 3.3)) == pytest.approx(
        1 - (1 - x) ** 3.3, rel=1e-12
    )
    # Arcsine distribution.
    assert float(regularized_incomplete_beta(x, 0.5, 0.5)) == pytest.approx(
        2 / math.pi * math.asin(math.sqrt(x)), rel=1e-10
    )


def test_incomplete_beta_symmetry_and_edges() -> None:
    assert float(regularized_incomplete_beta(0.5, 50, 50)) == pytest.approx(0.5, abs=1e-13)
    assert float(regularized_incomplete_beta(0.0, 2, 3)) == 0.0
    assert float(regularized_incomplete_beta(1.0, 2, 3)) == 1.0
    left = regularized_incomplete_beta(0.37, 4.5, 7.25)
    right = regularized_incomplete_beta(0.63, 7.25, 4.5)
    assert float(left) == pytest.approx(1 - float(right), abs=1e-14)


def test_beta_tail_stays_accurate_when_tiny() -> None:
    # P(p > 0.9) for Beta(1, 20) is 0.1 ** 20 exactly.
    assert float(beta_tail(0.9, 1, 20)) == pytest.approx(1e-20, rel=1e-10)
    # Known value: P(p > 0.3 | 3 DLTs in 3) = 1 − 0.3 ** 4.
    assert float(beta_tail(0.3, 4, 1)) == pytest.approx(1 - 0.3**4, rel=1e-14)


def test_beta_tail_broadcasts() -> None:
    tails = beta_tail(0.3, np.array([1, 2, 3]), np.array([[3], [4]]))
    assert tails.shape == (2, 3)


# ---------------------------------------------------------------- MTD selection


def _pava(values: list[float], weights: list[float]) -> list[float]:
    """R BOIN's pava(), transliterated."""
    x = list(values)
    levels = list(range(len(x)))
    while True:
        violations = [i for i in range(len(x) - 1) if x[i + 1] - x[i] < 0]
        if not violations:
            return x
        i = violations[0]
        pooled = [j for j in range(len(x)) if levels[j] in (levels[i], levels[i + 1])]
        mean = sum(x[j] * weights[j] for j in pooled) / sum(weights[j] for j in pooled)
        first = levels[i]
        for j in pooled:
            x[j] = mean
            levels[j] = first


def _posterior_tail(target: float, n: int, y: int) -> float:
    return sum(math.comb(n + 1, k) * target**k * (1 - target) ** (n + 1 - k) for k in range(y + 1))


def _select_mtd_reference(
    target: float,
    n: list[int],
    y: list[int],
    cutoff: float = 0.95,
    extrasafe: bool = False,
    offset: float = 0.05,
) -> int:
    """R BOIN select.mtd(), transliterated; −1 stands for R's 99 (no MTD)."""
    k = len(n)
    eliminated = [False] * k
    for i in range(k):
        if n[i] >= 3 and _posterior_tail(target, n[i], y[i]) > cutoff:
            eliminated[i:] = [True] * (k - i)
            break
    if extrasafe and n[0] >= 3 and _posterior_tail(target, n[0], y[0]) > cutoff - offset:
        eliminated = [True] * k
    if eliminated[0] or sum(n[i] for i in range(k) if not eliminated[i]) == 0:
        return -1
    admissible = [i for i in range(k) if n[i] > 0 and not eliminated[i]]
    rates = [(y[i] + 0.05) / (n[i] + 0.1) for i in admissible]
    variances = [
        (y[i] + 0.05) * (n[i] - y[i] + 0.05) / ((n[i] + 0.1) ** 2 * (n[i] + 0.1 + 1))
        for i in admissible
    ]
    fitted = _pava(rates, [1 / v for v in variances])
    fitted = [value + (j + 1) * 1e-10 for j, value in enumerate(fitted)]
    distances = [abs(value - target) for value in fitted]
    return admissible[distances.index(min(distances))]


def test_isotonic_estimates_match_pava() -> None:
    rng = np.random.default_rng(7)
    for _ in range(300):
        k = int(rng.integers(1, 8))
        values = rng.random(k)
        weights = rng.random(k) + 0.01
        expected = _pava(list(values), list(weights))
        got = isotonic_estimates(values[None, :], weights[None, :])[0]
        assert got == pytest.approx(expected, rel=1e-12)


def test_selection_matches_r_select_mtd_on_random_data() -> None:
    rng = np.random.default_rng(11)
    design = Boin(0.3, extrasafe=True)
    bounds = boin_boundaries(design)
    patients = rng.integers(0, 5, size=(2000, 5)) * 3
    dlts = np.minimum(rng.binomial(patients, 0.3), patients)
    got = select_mtd_isotonic(0.3, bounds, patients, dlts).mtd
    for row in range(len(patients)):
        expected = _select_mtd_reference(0.3, list(patients[row]), list(dlts[row]), extrasafe=True)
        assert got[row] == expected, (patients[row], dlts[row])


def test_ties_break_as_in_the_r_package() -> None:
    bounds = boin_boundaries(Boin(0.3))
    # Both levels pooled above the target: the lower level wins.
    above = select_mtd_isotonic(0.3, bounds, np.array([[3, 3]]), np.array([[2, 1]]))
    assert above.mtd[0] == 0
    # Equal estimates below the target: the higher level wins.
    below = select_mtd_isotonic(0.3, bounds, np.array([[3, 3]]), np.array([[0, 0]]))
    assert below.mtd[0] == 1


# ---------------------------------------------------------------- decisions


def test_rule_text_names_the_boundary() -> None:
    history = [Cohort(0, 3, 0), Cohort(1, 3, 1), Cohort(1, 3, 1)]
    decision = decide(Boin(0.25), 5, history)
    assert decision.rule == "2/6 DLTs = 0.33 ≥ λd 0.298: de-escalate to DL1"
    assert decision.next_level == 0


def test_elimination_of_the_lowest_level_stops_the_trial() -> None:
    decision = decide(Boin(0.3), 5, [Cohort(0, 3, 3)])
    assert decision.action == "stop"
    assert decision.eliminated == (0, 1, 2, 3, 4)
    assert decision.mtd is None


def test_cap_stops_the_trial_when_the_decision_is_to_stay() -> None:
    history = [Cohort(0, 3, 1), Cohort(0, 3, 1), Cohort(0, 3, 1), Cohort(0, 3, 1)]
    decision = decide(Boin(0.3, max_per_dose=12), 3, history)
    assert decision.action == "select_mtd"
    assert decision.mtd == 0
    assert "max_per_dose 12" in decision.rule


# ---------------------------------------------------------------- simulation


def _reference_boin(
    rates: list[float],
    design: Boin,
    trials: int,
    seed: int,
) -> tuple[list[int], list[list[int]]]:
    """R BOIN get.oc(), transliterated: one trial at a time, Python's random."""
    rng = random.Random(seed)
    target = design.target
    k = len(rates)
    total = design.n_cohorts * design.cohort_size
    lam_e = boin_reference_lambda(target, design.phi1, escalate=True)
    lam_d = boin_reference_lambda(target, design.phi2, escalate=False)
    b_e = [math.floor(lam_e * n) for n in range(total + 1)]
    b_d = [math.ceil(lam_d * n) for n in range(total + 1)]
    b_elim = [
        _exact_elimination(Fraction(str(target)), Fraction(str(design.elimination_cutoff)), n)
        for n in range(total + 1)
    ]
    for n, elim in enumerate(b_elim):
        if elim is not None:
            b_d[n] = min(b_d[n], elim)
    cap = design.max_per_dose if design.max_per_dose is not None else 100
    selected: list[int] = []
    patients: list[list[int]] = []
    for _ in range(trials):
        y, n = [0] * k, [0] * k
        d, eliminated, early_stop = 0, [False] * k, False
        for _cohort in range(design.n_cohorts):
            y[d] += sum(rng.random() < rates[d] for _ in range(design.cohort_size))
            n[d] += design.cohort_size
            nd, yd = n[d], y[d]
            if nd >= cap and (
                (b_e[nd] < yd < b_d[nd])
                or (d == 0 and yd >= b_d[nd])
                or ((d == k - 1 or eliminated[d + 1]) and yd <= b_e[nd])
            ):
                break
            if b_elim[nd] is not None:
                if yd >= b_elim[nd]:
                    eliminated[d:] = [True] * (k - d)
                    if d == 0:
                        early_stop = True
                        break
                if (
                    design.extrasafe
                    and d == 0
                    and _posterior_tail(target, nd, yd)
                    > design.elimination_cutoff - design.extrasafe_offset
                ):
                    early_stop = True
                    break
            if yd <= b_e[nd] and d != k - 1:
                if not eliminated[d + 1]:
                    d += 1
            elif yd >= b_d[nd] and d != 0:
                d -= 1
        patients.append(n)
        if early_stop:
            selected.append(-1)
        else:
            selected.append(
                _select_mtd_reference(
                    target,
                    n,
                    y,
                    design.elimination_cutoff,
                    design.extrasafe,
                    design.extrasafe_offset,
                )
            )
    return selected, patients


def boin_reference_lambda(target: float, phi: float, *, escalate: bool) -> float:
    if escalate:
        return math.log((1 - phi) / (1 - target)) / math.log(
            target * (1 - phi) / (phi * (1 - target))
        )
    return math.log((1 - target) / (1 - phi)) / math.log(phi * (1 - target) / (target * (1 - phi)))


def _assert_proportions_agree(a: np.ndarray, b: np.ndarray, sigmas: float = 4.5) -> None:
    """Two-sample comparison of per-category frequencies within `sigmas` standard errors."""
    for category in sorted(set(a.tolist()) | set(b.tolist())):
        pa, pb = np.mean(a == category), np.mean(b == category)
        pooled = (pa * len(a) + pb * len(b)) / (len(a) + len(b))
        se = math.sqrt(pooled * (1 - pooled) * (1 / len(a) + 1 / len(b)))
        assert abs(pa - pb) <= sigmas * se + 1e-12, (category, pa, pb, se)


def _assert_means_agree(a: np.ndarray, b: np.ndarray, sigmas: float = 4.5) -> None:
    for column in range(a.shape[1]):
        x, z = a[:, column], b[:, column]
        se = math.sqrt(x.var() / len(x) + z.var() / len(z))
        assert abs(x.mean() - z.mean()) <= sigmas * se + 1e-12, (column, x.mean(), z.mean())


SCENARIOS = [
    (Boin(0.3), [0.05, 0.10, 0.20, 0.30, 0.50]),
    (Boin(0.3), [0.25, 0.45, 0.60, 0.70, 0.80]),
    (Boin(0.25, max_per_dose=9, extrasafe=True), [0.10, 0.25, 0.45, 0.60, 0.70]),
]


@pytest.mark.parametrize(("design", "rates"), SCENARIOS)
def test_simulation_agrees_with_reference_loop(design: Boin, rates: list[float]) -> None:
    trials = 20_000
    result = simulate(design, rates, n_trials=trials, seed=2016)
    selected, patients = _reference_boin(rates, design, trials, seed=4291)
    _assert_proportions_agree(result.selected, np.array(selected))
    _assert_means_agree(result.patients, np.array(patients))
