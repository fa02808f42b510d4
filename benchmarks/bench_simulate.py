"""Benchmark: vectorised BOIN simulation, 5 levels, 10 cohorts of 3, 100,000 trials.

Target: at most 1 s per run on the reference 2-core machine.  The script runs
one warm-up, then `--repeats` timed runs (each with its own seed), and prints
the median with the machine it ran on, as Markdown for
`benchmarks/results/simulate.md`.

    python benchmarks/bench_simulate.py [--trials 100000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

from generators.escalation import Boin, simulate

TRUE_RATES = (0.05, 0.10, 0.20, 0.30, 0.50)
DESIGN = Boin(target=0.30, cohort_size=3, n_cohorts=10)
TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    simulate(DESIGN, TRUE_RATES, n_trials=args.trials, seed=0)
    timings = []
    for seed in range(1, args.repeats + 1):
        start = time.perf_counter()
        result = simulate(DESIGN, TRUE_RATES, n_trials=args.trials, seed=seed)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)

    print("| measure | value |")
    print("|---|---|")
    print(f"| design | BOIN target 0.30, {DESIGN.n_cohorts} cohorts of {DESIGN.cohort_size} |")
    print(f"| true DLT rates | {', '.join(f'{r:.2f}' for r in TRUE_RATES)} |")
    print(f"| simulated trials per run | {args.trials:,} |")
    print(f"| timed runs | {args.repeats} (after one warm-up) |")
    print(f"| median | {median:.3f} s |")
    print(f"| fastest / slowest | {min(timings):.3f} s / {max(timings):.3f} s |")
    print(
        f"| target | ≤ {TARGET_SECONDS:.1f} s ({'met' if median <= TARGET_SECONDS else 'MISSED'}) |"
    )
    print(f"| % selecting the true MTD (last run) | {result.percent_correct_selection:.1f} |")
    print(f"| cores (nproc) | {os.cpu_count()} |")
    print(f"| Python | {platform.python_version()} |")
    print(f"| numpy | {np.__version__} |")
    print(f"| platform | {platform.platform()} |")
    print(f"| processor | {platform.processor() or platform.machine()} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
