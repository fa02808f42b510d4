"""Time `protocol check` as a whole process: the real QLS4131 spec and synthetic specs.

Usage:  python benchmarks/bench_check.py [--runs 7] [--sizes 1000,10000,50000]

Each figure is the median of --runs runs of the `protocol` command in a fresh
process (start-up, imports, parsing, every check, report), so it is what a
writer waits for on save: wall time and CPU time (user + system).  The
`protocol` script beside the running interpreter is used (a virtual
environment's), so no version-manager shim is timed.  Bytecode caching is on,
as on a user's machine.

For QLS4131 the front end is also timed without the solver checks (the
language alone: parse, resolve imports, names, types, units, schedule, dosing,
availability, completeness), by running the same command with the solver
check replaced by one that finds nothing (and so for the synthetic specs), and
once with an empty per-user cache folder, as on the first run after installing.
Results are printed as Markdown.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import synthetic_spec

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

#: `protocol check` with the solver check switched off, for the front-end row.
WITHOUT_SOLVER = """
import sys
from protocol_dsl.checks import logic
logic.check = lambda spec, thorough=False: []
from protocol_dsl.cli import main
sys.argv = ["protocol", *sys.argv[1:]]
main()
"""


def protocol_script() -> str:
    beside = Path(sys.executable).parent / "protocol"
    return str(beside) if beside.exists() else shutil.which("protocol") or "protocol"


def time_command(args: list[str], runs: int, *, empty_cache: bool = False) -> tuple[float, float]:
    """Median wall time and median CPU time of the command, in seconds.

    `empty_cache`: every run starts with an empty per-user cache folder (the
    first run after installing: grammar tables and model methods are compiled).
    """
    walls, cpus = [], []
    for _ in range(runs + 1):  # the first run warms the file cache and bytecode
        env = dict(ENV)
        if empty_cache:
            env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="bench-cache-")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if empty_cache:
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    return statistics.median(walls[1:]), statistics.median(cpus[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1000,10000,50000")
    options = parser.parse_args()
    protocol = protocol_script()
    spec = ROOT / "specs" / "qls4131_sle_phase1b.trial"
    lines = len(spec.read_text(encoding="utf-8").splitlines())
    pilot = ROOT / "specs" / "cdiscpilot01.trial"
    load_before = os.getloadavg()[0]
    rows = [
        ("QLS4131 (real)", lines, *time_command([protocol, "check", str(spec)], options.runs)),
        (
            "QLS4131 without the solver checks",
            lines,
            *time_command([sys.executable, "-c", WITHOUT_SOLVER, "check", str(spec)], options.runs),
        ),
        (
            "QLS4131, first run after installing (empty cache folder)",
            lines,
            *time_command([protocol, "check", str(spec)], options.runs, empty_cache=True),
        ),
        (
            "CDISC pilot (real)",
            len(pilot.read_text(encoding="utf-8").splitlines()),
            *time_command([protocol, "check", str(pilot)], options.runs),
        ),
        ("`python -c pass` (the floor)", 0, *time_command([sys.executable, "-c", "pass"], 5)),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in options.sizes.split(",")):
            path = Path(folder) / f"synthetic_{size}.trial"
            path.write_text(synthetic_spec(size), encoding="utf-8")
            runs = options.runs if size <= 10_000 else max(1, options.runs // 3)
            rows.append(
                (f"synthetic {size}", size, *time_command([protocol, "check", str(path)], runs))
            )
            language = [sys.executable, "-c", WITHOUT_SOLVER, "check", str(path)]
            rows.append(
                (f"synthetic {size} without the solver checks", size, *time_command(language, runs))
            )
    load_after = os.getloadavg()[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    print(f"runs per figure: {options.runs} (median; 50k lines: a third of them)\n")
    print("| spec | lines | median wall s | median CPU s | µs per line (wall) |")
    print("|---|---:|---:|---:|---:|")
    for name, n, wall, cpu in rows:
        per_line = f"{wall / n * 1e6:.0f}" if n else ""
        print(f"| {name} | {n} | {wall:.3f} | {cpu:.3f} | {per_line} |")


if __name__ == "__main__":
    main()
