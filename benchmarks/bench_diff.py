"""Time `protocol diff` of two versions of the QLS4131 spec as a whole process.

Usage:  python benchmarks/bench_diff.py [--runs 5]

Each figure is the median wall time of --runs runs of the `protocol` command
in a fresh process (start-up, imports, loading and checking both versions
with their libraries, the diff, the report), after one warm-up run: what a
CI job or a writer waits for.  The versions are the real spec and its
amendment `tests/diff/amendment/qls4131_v2.trial`; the `--against` figure
reads the old version (spec and libraries) from git at HEAD.  Target:
≤ 0.5 s.  Results are printed as Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD = "specs/qls4131_sle_phase1b.trial"
NEW = "tests/diff/amendment/qls4131_v2.trial"


def time_command(args: list[str], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs + 1):  # the first run warms the file cache and bytecode
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    timed = times[1:]
    return statistics.median(timed), min(timed), max(timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    protocol = shutil.which("protocol") or "protocol"
    commands = [
        ("two files, text", [protocol, "diff", OLD, NEW]),
        ("two files, markdown", [protocol, "diff", OLD, NEW, "--format", "markdown"]),
        ("--against HEAD", [protocol, "diff", OLD, "--against", "HEAD"]),
        ("protocol check (one version)", [protocol, "check", OLD]),
    ]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs per figure: {options.runs} (median, after one warm-up run)\n")
    print("| command | median s | fastest s | slowest s |")
    print("|---|---:|---:|---:|")
    for name, args in commands:
        median, fastest, slowest = time_command(args, options.runs)
        print(f"| {name} | {median:.3f} | {fastest:.3f} | {slowest:.3f} |")


if __name__ == "__main__":
    main()
