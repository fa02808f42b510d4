"""CRM: posterior mean of β against a brute-force integral written here from
the model's definition (likelihood times normal density on a much finer and
wider grid), the dose-toxicity models, dfcrm's restrictions, and simulated
selection against a per-trial reference loop built on that integral.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from generators.escalation import Cohort, Crm, decide, simulate
from generators.escalation.crm import CrmModel

SKELETON = (0.05, 0.10, 0.20, 0.35, 0.50)


def _model_rates(design: Crm, beta: np.ndarray) -> np.ndarray:
    s = np.asarray(design.skeleton)
    if design.model == "empiric":
        return s[None, :] ** np.exp(beta)[:, None]
    x = np.log(s / (1 - s)) - design.intercept
    eta = design.intercept + np.exp(beta)[:, None] * x[None, :]
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-eta))


def _brute_force_beta_mean(design: Crm, patients: list[int], dlts: list[int]) -> float:
    sd = design.prior_sd
    beta = np.linspace(-15 * sd, 15 * sd, 300_001)
    p = _model_rates(design, beta)
    likelihood = np.prod(p ** np.asarray(dlts) * (1 - p) ** (np.asarray(patients) - dlts), axis=1)
    integrand = likelihood * np.exp(-0.5 * (beta / sd) ** 2)
    return float(np.sum(beta * integrand) / np.sum(integrand))


DATASETS = [
    ([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
    ([3, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
    ([3, 3, 0, 0, 0], [0, 1, 0, 0, 0]),
    ([3, 6, 9, 3, 0], [0, 1, 3, 2, 0]),
    ([3, 3, 3, 3, 3], [0, 0, 0, 0, 0]),
    ([6, 0, 0, 0, 0], [5, 0, 0, 0, 0]),
    ([3, 3, 12, 12, 0], [0, 0, 2, 5, 0]),
]


@pytest.mark.parametrize("model", ["empiric", "logistic"])
@pytest.mark.parametrize(("patients", "dlts"), DATASETS)
def test_posterior_mean_matches_brute_force(
    model: str, patients: list[int], dlts: list[int]
) -> None:
    design = Crm(0.25, SKELETON, model=model)
    got = CrmModel(design).posterior_mean_beta(np.array([patients]), np.array([dlts]))[0]
    assert got == pytest.approx(_brute_force_beta_mean(design, patients, dlts), abs=1e-8)


@pytest.mark.parametrize("model", ["empiric", "logistic"])
def test_no_data_reproduces_the_skeleton(model: str) -> None:
    design = Crm(0.25, SKELETON, model=model)
    estimate = CrmModel(design).estimate(np.zeros((1, 5)), np.zeros((1, 5)))
    assert estimate.beta_mean[0] == pytest.approx(0.0, abs=1e-12)
    assert estimate.rates[0] == pytest.approx(SKELETON, rel=1e-12)


def test_models_at_a_given_beta() -> None:
    beta = np.array([0.4])
    empiric = CrmModel(Crm(0.25, SKELETON)).rates(beta)[0]
    assert empiric == pytest.approx([s ** math.exp(0.4) for s in SKELETON], rel=1e-12)
    logistic = CrmModel(Crm(0.25, SKELETON, model="logistic", intercept=3.0)).rates(beta)[0]
    expected = []
    for s in SKELETON:
        x = math.log(s / (1 - s)) - 3.0
        expected.append(1 / (1 + math.exp(-(3.0 + math.exp(0.4) * x))))
    assert logistic == pytest.approx(expected, rel=1e-12)


def test_decision_is_the_level_closest_to_target() -> None:
    design = Crm(0.25, SKELETON, restrict=False)
    history = [Cohort(0, 3, 0), Cohort(1, 3, 1), Cohort(1, 3, 0)]
    patients, dlts = [3, 6, 0, 0, 0], [0, 1, 0, 0, 0]
    beta = _brute_force_beta_mean(design, patients, dlts)
    rates = _model_rates(design, np.array([beta]))[0]
    expected = int(np.argmin(np.abs(rates - 0.25)))
    decision = decide(design, 5, history)
    assert decision.next_level == expected
    assert f"posterior mean of β {beta:+.3f}" in decision.rule


def test_restrict_forbids_skipping_and_escalating_after_a_dlt() -> None:
    design = Crm(0.25, SKELETON)
    no_skip = decide(design, 5, [Cohort(0, 3, 0), Cohort(1, 3, 0)])
    assert (no_skip.action, no_skip.next_level) == ("escalate", 2)
    assert "may not skip a level" in no_skip.rule
    unrestricted = decide(
        Crm(0.25, SKELETON, restrict=False), 5, [Cohort(0, 3, 0), Cohort(1, 3, 0)]
    )
    assert unrestricted.next_level == 4
    # After 0/3, 0/3 and 1/3 the model points at DL3, but the DLT in the last
    # cohort forbids escalating from DL2.
    after_dlt = decide(design, 5, [Cohort(0, 3, 0), Cohort(1, 3, 0), Cohort(1, 3, 1)])
    assert "DL3 is closest to the target" in after_dlt.rule
    assert (after_dlt.action, after_dlt.next_level) == ("stay", 1)
    assert "the last cohort had a DLT" in after_dlt.rule


def test_trial_ends_at_the_maximum_sample_size() -> None:
    design = Crm(0.25, SKELETON, n_cohorts=2)
    decision = decide(design, 5, [Cohort(0, 3, 0), Cohort(1, 3, 1)])
    assert decision.action == "select_mtd"
    assert decision.mtd is not None
    assert "maximum sample size" in decision.rule


def _reference_crm(design: Crm, rates: list[float], trials: int, seed: int) -> np.ndarray:
    """One trial at a time: posterior on a grid of its own, argmin, dfcrm's restrictions."""
    rng = np.random.default_rng(seed)
    k = len(rates)
    beta = np.linspace(-12, 12, 4001) * design.prior_sd
    p = _model_rates(design, beta)
    # Clipping keeps 0 · log 0 at 0 where the model's rate underflows.
    log_p, log_q = np.log(np.maximum(p, 1e-300)), np.log(np.maximum(1 - p, 1e-300))
    log_prior = -0.5 * (beta / design.prior_sd) ** 2

    def closest(n: list[int], y: list[int]) -> int:
        log_post = log_p @ np.asarray(y) + log_q @ (np.asarray(n) - np.asarray(y)) + log_prior
        weights = np.exp(log_post - log_post.max())
        mean = float(weights @ beta / weights.sum())
        estimates = _model_rates(design, np.array([mean]))[0]
        return int(np.argmin(np.abs(estimates - design.target)))

    selected = []
    for _ in range(trials):
        n, y, level = [0] * k, [0] * k, design.start_level
        for _cohort in range(design.n_cohorts):
            cohort_dlts = int(rng.binomial(design.cohort_size, rates[level]))
            n[level] += design.cohort_size
            y[level] += cohort_dlts
            best = min(closest(n, y), level + 1)
            if cohort_dlts > 0:
                best = min(best, level)
            level = best
        selected.append(closest(n, y))
    return np.array(selected)


def test_simulation_agrees_with_reference_loop() -> None:
    design = Crm(0.25, SKELETON, n_cohorts=8)
    rates = [0.05, 0.12, 0.25, 0.40, 0.55]
    trials = 3000
    vectorised = simulate(design, rates, n_trials=10_000, seed=1990).selected
    reference = _reference_crm(design, rates, trials, seed=1991)
    for level in range(5):
        pa, pb = np.mean(vectorised == level), np.mean(reference == level)
        pooled = (pa * len(vectorised) + pb * trials) / (len(vectorised) + trials)
        se = math.sqrt(pooled * (1 - pooled) * (1 / len(vectorised) + 1 / trials))
        assert abs(pa - pb) <= 4.5 * se + 1e-12, (level, pa, pb)
