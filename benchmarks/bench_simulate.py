"""Benchmark: vectorised BOIN simulation, 5 levels, 10 cohorts of 3, 100,000 trials.

Target: at most 1 s per run on the reference 2-core machine.  The script runs
one warm-up, then `--repeats` timed runs (each with its own seed), and prints
the median with the machine it ran on, as Markdown for
`benchmarks/results/simulate.md`.

    python benchmarks/bench_simulate.py [--trials 100000] [--repeats 7]

With `--whole-command REV[=LABEL] …` it times whole commands instead, as a user
runs them: `protocol simulate` of QLS4131's `safe_profile` scenario (BOIN,
6 levels, 12 cohorts of 3, at most 12 per level) for each version REV of
this repository (exported with `git archive`, run as `python -m protocol_dsl`,
bytecode caching on), against `python benchmarks/reference_boin.py`, a plain
NumPy port of the same algorithm, with the same design, rates, trials and
seed.  The commands alternate (one run of each per round, the order rotating),
the outputs are checked to agree, and the ratio of each version to the port is
taken within each round (median and spread of the per-round ratios).

    python benchmarks/bench_simulate.py --whole-command main=before HEAD=after --rounds 9
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np

from generators.escalation import Boin, simulate

TRUE_RATES = (0.05, 0.10, 0.20, 0.30, 0.50)
DESIGN = Boin(target=0.30, cohort_size=3, n_cohorts=10)
TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--whole-command", nargs="+", metavar="REV[=LABEL]", default=None)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    if args.whole_command:
        from whole_simulate import compare_whole_commands

        compare_whole_commands(args.whole_command, args.trials, args.rounds)
        return

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
