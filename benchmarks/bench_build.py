"""Time `protocol build` of the QLS4131 spec as a whole process, every artefact and each alone.

Usage:  python benchmarks/bench_build.py [--runs 5] [--spec specs/qls4131_sle_phase1b.trial]

Each figure is the median of --runs runs of `protocol build SPEC -o DIR` in a
fresh process (start-up, imports, parsing, every check, every generator,
writing the files), after one warm-up run: wall time, and the CPU time
(user + system) of the process, which other work on a shared machine
disturbs less.  The `protocol` script run is the one beside this Python
(not a version-manager shim, which adds its own start-up), with bytecode
caching on, as on a user's machine.  The first row builds everything
the installation offers (`protocol build --list`); the next rows build one
artefact at a time with `--only`, to show where the time goes, and the last
row only checks the spec (the floor every build pays).  Results are printed as
a Markdown table.
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


def time_command(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of the command, in seconds."""
    walls, cpus = [], []
    for _ in range(runs + 1):  # the first run warms the file cache and bytecode
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls[1:]), statistics.median(cpus[1:])


def artefacts(protocol: str) -> list[str]:
    listing = subprocess.run(
        [protocol, "build", "unused.trial", "-o", tempfile.gettempdir(), "--list"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split()[0] for line in listing.splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spec", default=str(ROOT / "specs" / "qls4131_sle_phase1b.trial"))
    options = parser.parse_args()
    protocol = protocol_script()
    names = artefacts(protocol)
    load = f"{os.getloadavg()[0]:.2f}"
    rows: list[tuple[str, tuple[float, float], int]] = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "all"
        build = [protocol, "build", options.spec, "-o", str(out)]
        seconds = time_command(build, options.runs)
        rows.append((f"all ({', '.join(names)})", seconds, len(list(out.rglob("*.*")))))
        for name in names:
            out = Path(folder) / name
            seconds = time_command([*build[:-1], str(out), "--only", name], options.runs)
            rows.append((name, seconds, len(list(out.rglob("*.*")))))
    rows.append(
        ("(protocol check only)", time_command([protocol, "check", options.spec], options.runs), 0)
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average before / after: {load} / {os.getloadavg()[0]:.2f}")
    print(f"command: protocol build {Path(options.spec).name} -o DIR [--only NAME]")
    print(f"runs per figure: {options.runs} (median, after one warm-up run)\n")
    print("| artefacts | files | median wall s | median CPU s |")
    print("|---|---:|---:|---:|")
    for name, (wall, cpu), files in rows:
        print(f"| {name} | {files} | {wall:.3f} | {cpu:.3f} |")


if __name__ == "__main__":
    main()
