"""Time `protocol check` as a whole process: the real QLS4131 spec and synthetic specs.

Usage:  python benchmarks/bench_check.py [--runs 5] [--sizes 1000,10000,50000]

Each figure is the median wall time of --runs runs of the `protocol` command in
a fresh process (start-up, imports, parsing, every check, report), so it is
what a writer waits for on save.  Results are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_spec

ROOT = Path(__file__).resolve().parents[1]


def time_command(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs + 1):  # the first run warms the file cache and bytecode
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,50000")
    options = parser.parse_args()
    protocol = shutil.which("protocol") or "protocol"
    rows = []
    spec = ROOT / "specs" / "qls4131_sle_phase1b.trial"
    lines = len(spec.read_text(encoding="utf-8").splitlines())
    rows.append(
        ("QLS4131 (real)", lines, time_command([protocol, "check", str(spec)], options.runs))
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in options.sizes.split(",")):
            path = Path(folder) / f"synthetic_{size}.trial"
            path.write_text(synthetic_spec(size), encoding="utf-8")
            rows.append(
                (
                    f"synthetic {size}",
                    size,
                    time_command([protocol, "check", str(path)], options.runs),
                )
            )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs per figure: {options.runs} (median)\n")
    print("| spec | lines | median s | µs per line |")
    print("|---|---:|---:|---:|")
    for name, n, seconds in rows:
        print(f"| {name} | {n} | {seconds:.3f} | {seconds / n * 1e6:.0f} |")


if __name__ == "__main__":
    main()
