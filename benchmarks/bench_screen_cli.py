"""One subject screened from the command line: whole-process time of `protocol screen`.

Runs, each as a fresh process, as a user's installation runs them (the
`protocol` script next to this Python, modules compiled to bytecode once,
kept out of the source tree)::

    protocol screen specs/qls4131_sle_phase1b.trial benchmarks/work/one_subject.json
    protocol screen … --format json

and, for the breakdown, a process that does the same steps one at a time
and times each (start-up, imports, loading the spec, compiling the
criteria, reading, screening, writing the report).  Prints medians (wall
and CPU time of the process) with the load average before and after.

Run: ``python benchmarks/bench_screen_cli.py [--runs 21] [--tree DIR …]``; each
``--tree`` adds the same commands, run as ``python -m protocol_dsl``, on
another copy of the sources (e.g. an earlier revision unpacked with ``git
archive``), all taking turns.  Results are recorded in
benchmarks/results/screen.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = "specs/qls4131_sle_phase1b.trial"
SUBJECT = "benchmarks/work/one_subject.json"

#: the steps of `protocol screen` one at a time, timed in one fresh process
_STEPS = """
import time
start = time.perf_counter()
marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import protocol_dsl.cli
mark("import the command line")
from protocol_dsl.screening.run import load_for_screening
mark("import the interpreter and the front end")
result = load_for_screening(SPEC)
mark("load the spec (parse, names, types, units)")
from protocol_dsl.data import read_inputs
from protocol_dsl.evaluate import compile_spec_rules
from protocol_dsl.screening import report
from protocol_dsl.screening.run import screen_batch
screener = compile_spec_rules(result.spec)
mark("compile the criteria")
batch = read_inputs(result.spec, screener.dictionary, [SUBJECT])
mark("read the subject")
run = screen_batch(result.spec, batch, explain=False, screener=screener)
mark("screen and edit-check")
text = report.render_text(run, SPEC)
mark("write the text report")
previous = start
for name, at in marks:
    print(f"{name}\\t{(at - previous) * 1000:.2f}")
    previous = at
"""


def _environment(cache: Path, tree: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)  # compiled once, as after an installation
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    return env


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, check=True, capture_output=True, env=env, cwd=env.get("PYTHONPATH", ROOT)
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(jobs: list[tuple[list[str], dict[str, str]]], runs: int) -> list[dict[str, float]]:
    """Each (command, environment) `runs` times, taking turns, so that load falls on all alike."""
    for command, env in jobs:
        for _ in range(2):  # compile to bytecode, warm the file cache
            _run(command, env)
    times: list[list[tuple[float, float]]] = [[] for _ in jobs]
    for _ in range(runs):
        for (command, env), found in zip(jobs, times, strict=True):
            found.append(_run(command, env))
    figures = []
    for found in times:
        walls, cpus = zip(*found, strict=True)
        figures.append(
            {
                "wall_median": statistics.median(walls),
                "wall_best": min(walls),
                "cpu_median": statistics.median(cpus),
                "cpu_best": min(cpus),
            }
        )
    return figures


def steps(env: dict[str, str], runs: int) -> list[tuple[str, float]]:
    """Median milliseconds of each step, in a fresh process each time."""
    code = f"SPEC = {SPEC!r}\nSUBJECT = {SUBJECT!r}\n" + _STEPS
    command = [sys.executable, "-c", code]
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    table: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            command, check=True, capture_output=True, text=True, env=env, cwd=ROOT
        )
        for line in done.stdout.splitlines():
            name, ms = line.split("\t")
            table.setdefault(name, []).append(float(ms))
    return [(name, statistics.median(values)) for name, values in table.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--tree", type=Path, action="append", default=[], help="another copy of the sources"
    )
    args = parser.parse_args()
    arguments = ["screen", SPEC, SUBJECT]
    with tempfile.TemporaryDirectory() as folder:
        installed = _environment(Path(folder) / "installed", None)
        labels = ["python -c pass (interpreter start-up)"]
        jobs = [([sys.executable, "-c", "pass"], installed)]
        sources: list[tuple[str, list[str], dict[str, str]]] = [
            ("this checkout", [str(Path(sys.executable).parent / "protocol")], installed)
        ]
        for number, tree in enumerate(args.tree, start=1):
            env = _environment(Path(folder) / f"tree{number}", tree)
            sources.append((str(tree), [sys.executable, "-m", "protocol_dsl"], env))
        for name, protocol, env in sources:
            for output in ([], ["--format", "json"]):
                labels.append(f"{name}: {' '.join(['protocol', *arguments[:1], *output]) or ''}")
                jobs.append(([*protocol, *arguments, *output], env))
        load_before = os.getloadavg()
        figures = measure(jobs, args.runs)
        breakdown = steps(installed, args.runs)
        load_after = os.getloadavg()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    print(f"command: protocol {' '.join(arguments)} [--format json]")
    print(f"{args.runs} runs of each, taking turns, after 2 warm-up runs; median (best) seconds")
    print(f"{'':60} {'wall':>13} {'CPU':>13}")
    for label, found in zip(labels, figures, strict=True):
        print(
            f"{label:60} {found['wall_median']:>6.3f} ({found['wall_best']:.3f})"
            f" {found['cpu_median']:>6.3f} ({found['cpu_best']:.3f})"
        )
    print("steps of this checkout, median ms of a fresh process:")
    for name, ms in breakdown:
        print(f"  {name:46} {ms:7.1f}")
    print(json.dumps(dict(zip(labels, figures, strict=True))))


if __name__ == "__main__":
    main()
