"""Time `protocol export usdm` against `protocol check` on the same spec, as whole processes.

Usage:  python benchmarks/bench_usdm.py [--runs 7] [--spec specs/qls4131_sle_phase1b.trial]

The export checks the spec before writing it, so `protocol check` is its floor;
the target is an export within 1.5 times the check.  Each figure is the median
of --runs runs of the command in a fresh process, after one warm-up run, the
two commands alternating so that a change in the machine's load falls on both:
wall time, and the CPU time (user + system) of the process, which other work on
a shared machine disturbs less.  The `protocol` script run is the one beside
this Python, with bytecode caching on, as on a user's machine.  `protocol
import usdm` of the export is timed too, for information.  Results are printed
as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def protocol_script() -> str:
    beside = Path(sys.executable).parent / "protocol"
    return str(beside) if beside.exists() else shutil.which("protocol") or "protocol"


def run(args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spec", default=str(ROOT / "specs" / "qls4131_sle_phase1b.trial"))
    options = parser.parse_args()
    protocol = protocol_script()
    load = f"{os.getloadavg()[0]:.2f}"
    with tempfile.TemporaryDirectory() as folder:
        exported = Path(folder) / "usdm.json"
        drafted = Path(folder) / "draft.trial"
        commands = {
            "protocol check SPEC": [protocol, "check", options.spec],
            "protocol export usdm SPEC -o usdm.json": [
                protocol, "export", "usdm", options.spec, "-o", str(exported),
            ],
            "protocol import usdm usdm.json -o draft.trial --force": [
                protocol, "import", "usdm", str(exported), "-o", str(drafted), "--force",
            ],
        }  # fmt: skip
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for round_ in range(options.runs + 1):  # the first round warms caches and bytecode
            for name, args in commands.items():
                measured = run(args)
                if round_:
                    times[name].append(measured)
    medians = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in times.items()
    }
    check_wall, check_cpu = medians["protocol check SPEC"]
    print(f"spec: {Path(options.spec).name}; {options.runs} runs each (median), alternating")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average at start {load}, at end {os.getloadavg()[0]:.2f}")  # fmt: skip
    print()
    print("| command | wall (s) | CPU (s) | wall / check | CPU / check |")
    print("|---|---:|---:|---:|---:|")
    for name, (wall, cpu) in medians.items():
        print(
            f"| `{name}` | {wall:.3f} | {cpu:.3f} | {wall / check_wall:.2f} | {cpu / check_cpu:.2f} |"
        )


if __name__ == "__main__":
    main()
