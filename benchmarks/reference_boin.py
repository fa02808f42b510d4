"""A plain NumPy port of the BOIN simulation, as a user would write it by hand.

The baseline of `bench_simulate.py --whole-command`: the same algorithm as
`protocol simulate` (Liu & Yuan's boundaries, the elimination rule, the stop
once `max_per_dose` patients are at a level and the decision is to stay,
isotonic MTD selection as R BOIN's `select.mtd`), drawing the same binomial
numbers in the same order from the same generator, so the two print the same
operating characteristics.  One file, NumPy and the standard library only.

    python benchmarks/reference_boin.py --target 0.3 --cohort-size 3 --cohorts 12 \\
        --max-per-dose 12 --rates 0.02,0.05,0.1,0.18,0.3,0.45 --trials 100000 --seed 2025
"""

from __future__ import annotations

import argparse
import json
import math

import numpy as np


def boundaries(target: float, cohort_size: int, cohorts: int, cutoff: float = 0.95):
    """Escalate-at-most, de-escalate-at-least and eliminate-at-least counts per n."""
    phi1, phi2 = 0.6 * target, 1.4 * target
    lam_e = math.log((1 - phi1) / (1 - target)) / math.log(
        target * (1 - phi1) / (phi1 * (1 - target))
    )
    lam_d = math.log((1 - target) / (1 - phi2)) / math.log(
        phi2 * (1 - target) / (target * (1 - phi2))
    )
    max_n = cohorts * cohort_size
    n = np.arange(max_n + 1)
    escalate = np.floor(lam_e * n).astype(np.int64)
    deescalate = np.ceil(lam_d * n).astype(np.int64)
    eliminate = n + 1  # never
    for size in range(3, max_n + 1):
        for y in range(1, size + 1):
            # P(p > target | y of size) under a Beta(1, 1) prior: P(Binomial(size + 1, target) <= y)
            tail = sum(
                math.comb(size + 1, k) * target**k * (1 - target) ** (size + 1 - k)
                for k in range(y + 1)
            )
            if tail > cutoff:
                eliminate[size] = y
                break
    return escalate, np.minimum(deescalate, eliminate), eliminate


def simulate(rates, target, cohort_size, cohorts, max_per_dose, trials, seed):
    k = len(rates)
    escalate, deescalate, eliminate = boundaries(target, cohort_size, cohorts)
    rng = np.random.Generator(np.random.PCG64(seed))
    patients = np.zeros((trials, k), dtype=np.int64)
    dlts = np.zeros((trials, k), dtype=np.int64)
    level = np.zeros(trials, dtype=np.int64)
    ceiling = np.full(trials, k, dtype=np.int64)  # the lowest eliminated level
    active = np.ones(trials, dtype=bool)
    rate = np.asarray(rates, dtype=float)
    for _ in range(cohorts):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        at = level[rows]
        patients[rows, at] += cohort_size
        dlts[rows, at] += rng.binomial(cohort_size, rate[at])
        n, y = patients[rows, at], dlts[rows, at]
        out = y >= eliminate[n]
        ceiling[rows] = np.where(out, np.minimum(ceiling[rows], at), ceiling[rows])
        up = (y <= escalate[n]) & ~out
        down = ((y >= deescalate[n]) | out) & (at > 0)
        moves_up = up & (at + 1 < k) & (at + 1 < ceiling[rows])
        stays = ~moves_up & ~down & ~(out & (at == 0))
        stop = (out & (at == 0)) | (stays & (n >= max_per_dose))
        level[rows] = at + moves_up - (down & ~stop)
        active[rows] = ~stop
    return patients, dlts, select(patients, dlts, target, eliminate)


def select(n, y, target, eliminate):
    """R BOIN's select.mtd: isotonic estimates of the admissible levels, closest to target."""
    trials, k = n.shape
    out = (n >= 3) & (y >= eliminate[n])
    first_out = np.where(out.any(axis=1), out.argmax(axis=1), k)
    ok = (n > 0) & (np.arange(k) < first_out[:, None])
    yf, nf = y.astype(float), n.astype(float)
    rate = (yf + 0.05) / (nf + 0.1)
    weight = np.where(ok, (nf + 0.1) ** 2 * (nf + 1.1) / ((yf + 0.05) * (nf - yf + 0.05)), 0.0)
    # weighted isotonic regression by the max-min formula, all trials at once
    zero = np.zeros((trials, 1))
    cw = np.concatenate([zero, np.cumsum(weight, axis=1)], axis=1)
    cwv = np.concatenate([zero, np.cumsum(np.where(ok, weight * rate, 0.0), axis=1)], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (cwv[:, None, 1:] - cwv[:, :-1, None]) / (cw[:, None, 1:] - cw[:, :-1, None])
    i = np.arange(k)
    upper = i[:, None] <= i[None, :]
    mins = np.where(upper & ok[:, :, None] & ok[:, None, :], mean, np.inf)
    mins = np.minimum.accumulate(mins[:, :, ::-1], axis=2)[:, :, ::-1]
    fit = np.where(upper & ok[:, :, None], mins, -np.inf).max(axis=1)
    estimate = np.where(ok, fit, np.nan)
    rank = np.cumsum(ok, axis=1)
    distance = np.where(ok, np.abs(estimate + rank * 1e-10 - target), np.inf)
    mtd = distance.argmin(axis=1)
    none = ~ok.any(axis=1) | (first_out == 0)
    return np.where(none, -1, mtd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, required=True)
    parser.add_argument("--cohort-size", type=int, default=3)
    parser.add_argument("--cohorts", type=int, required=True)
    parser.add_argument("--max-per-dose", type=int, required=True)
    parser.add_argument("--rates", required=True)
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    a = parser.parse_args()
    rates = [float(r) for r in a.rates.split(",")]
    patients, dlts, mtd = simulate(
        rates, a.target, a.cohort_size, a.cohorts, a.max_per_dose, a.trials, a.seed
    )
    k = len(rates)
    print(
        json.dumps(
            {
                "selected_percent": [round(100 * float(np.mean(mtd == j)), 2) for j in range(k)],
                "stop_percent": round(100 * float(np.mean(mtd == -1)), 2),
                "mean_patients": [round(float(v), 3) for v in patients.mean(axis=0)],
                "mean_dlts": [round(float(v), 3) for v in dlts.mean(axis=0)],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
