"""The continual reassessment method: posterior by quadrature, and its rules.

This module owns the CRM's one-parameter dose-toxicity models (empiric and
logistic, as in R `dfcrm`), the posterior mean of β under its normal prior by
trapezoidal quadrature on a fixed grid (vectorised over trials; no scipy),
the next-level rule with dfcrm's `restrict` option, and MTD selection.

As in dfcrm, the DLT-rate estimates are the model evaluated at the posterior
mean of β (a plug-in), not the posterior means of the rates themselves.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

import numpy as np

from .designs import AfterCohort, Crm, Step

# The grid spans ±10 prior standard deviations: the prior mass outside is
# about 1e-23, and the likelihood never exceeds 1, so the posterior mass lost
# there is negligible.  801 points keep the spacing (0.03 for the usual
# prior_sd) far below the posterior's width even after 100 patients, where
# the trapezoidal rule is accurate to many digits for smooth integrands.
_GRID_HALF_WIDTH = 10.0
_GRID_POINTS = 801
# Trials are processed in chunks so the (trials × grid) likelihood stays small.
_CHUNK_TRIALS = 4096


class CrmEstimate(NamedTuple):
    """Posterior mean of β and the plug-in DLT-rate estimates, per trial."""

    beta_mean: np.ndarray
    rates: np.ndarray


class CrmModel:
    """A CRM design's model and quadrature grid, computed once per design."""

    def __init__(self, design: Crm) -> None:
        self.design = design
        sd = design.prior_sd
        self.grid = np.linspace(-_GRID_HALF_WIDTH * sd, _GRID_HALF_WIDTH * sd, _GRID_POINTS)
        trapezoid = np.ones(_GRID_POINTS)
        trapezoid[[0, -1]] = 0.5
        # Normal prior density (up to a constant) times the trapezoidal weights.
        self._log_weights = -0.5 * (self.grid / sd) ** 2 + np.log(trapezoid)
        self._log_p, self._log_q = self._log_rates(self.grid)

    def _log_rates(self, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log p_k(β) and log(1 − p_k(β)), shape (len(beta), levels), overflow-safe."""
        skeleton = np.asarray(self.design.skeleton)
        slope = np.exp(beta)[:, None]
        if self.design.model == "empiric":
            log_p = slope * np.log(skeleton)[None, :]
            return log_p, np.log(-np.expm1(log_p))
        intercept = self.design.intercept
        labels = np.log(skeleton / (1.0 - skeleton)) - intercept
        eta = intercept + slope * labels[None, :]
        return -np.logaddexp(0.0, -eta), -np.logaddexp(0.0, eta)

    def rates(self, beta: np.ndarray) -> np.ndarray:
        """The model's DLT rate at every level for each β, shape (len(beta), levels)."""
        return np.exp(self._log_rates(np.asarray(beta, dtype=float))[0])

    def posterior_mean_beta(self, patients: np.ndarray, dlts: np.ndarray) -> np.ndarray:
        """E[β | data] per trial (row) for counts of shape (trials, levels)."""
        patients = np.asarray(patients, dtype=float)
        dlts = np.asarray(dlts, dtype=float)
        means = np.empty(len(patients))
        for start in range(0, len(patients), _CHUNK_TRIALS):
            part = slice(start, start + _CHUNK_TRIALS)
            log_post = (
                dlts[part] @ self._log_p.T
                + (patients[part] - dlts[part]) @ self._log_q.T
                + self._log_weights
            )
            log_post -= log_post.max(axis=1, keepdims=True)
            weights = np.exp(log_post)
            means[part] = (weights @ self.grid) / weights.sum(axis=1)
        return means

    def estimate(self, patients: np.ndarray, dlts: np.ndarray) -> CrmEstimate:
        beta = self.posterior_mean_beta(patients, dlts)
        return CrmEstimate(beta, self.rates(beta))

    def closest_to_target(self, rates: np.ndarray) -> np.ndarray:
        """The level whose estimated rate is closest to the target; ties go to the lower."""
        return np.abs(rates - self.design.target).argmin(axis=1)


class CrmReason(enum.IntEnum):
    """Which CRM rule set the next level."""

    ESCALATE = 0
    STAY = 1
    DEESCALATE = 2
    NO_SKIPPING = 3
    NO_ESCALATION_AFTER_DLT = 4


def crm_step(model: CrmModel, after: AfterCohort) -> Step:
    """The CRM's next level after a cohort, for every trial (row).

    With `restrict`, escalation is at most one level above the current one
    and none at all right after a cohort with a DLT (dfcrm's `restrict`).
    The CRM itself never ends a trial early; the caller ends it at the
    maximum sample size.
    """
    level, patients, dlts, eliminated_from, cohort_dlts = after
    best = model.closest_to_target(model.estimate(patients, dlts).rates)
    reason = np.select(
        [best > level, best == level], [CrmReason.ESCALATE, CrmReason.STAY], CrmReason.DEESCALATE
    )
    if model.design.restrict:
        skipping = best > level + 1
        best = np.where(skipping, level + 1, best)
        reason = np.where(skipping, CrmReason.NO_SKIPPING, reason)
        after_dlt = (cohort_dlts > 0) & (best > level)
        best = np.where(after_dlt, level, best)
        reason = np.where(after_dlt, CrmReason.NO_ESCALATION_AFTER_DLT, reason)
    return Step(best, np.zeros(len(level), dtype=bool), eliminated_from, reason)


def select_mtd_crm(model: CrmModel, patients: np.ndarray, dlts: np.ndarray) -> np.ndarray:
    """The final MTD: the level closest to the target, without restrictions, as dfcrm."""
    return model.closest_to_target(model.estimate(patients, dlts).rates)
