"""`protocol simulate` as a whole command against a plain NumPy port of the same algorithm.

Used by `bench_simulate.py --whole-command`; see its docstring.
"""

from __future__ import annotations

import json
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

from bench_startup import _uptime, export, parse_versions

ROOT = Path(__file__).resolve().parents[1]
SPEC = "specs/qls4131_sle_phase1b.trial"
SCENARIO = "safe_profile"
#: QLS4131's design and scenario, as the port takes them.
PORT_ARGS = [
    "--target", "0.3", "--cohort-size", "3", "--cohorts", "12", "--max-per-dose", "12",
    "--rates", "0.02,0.05,0.1,0.18,0.3,0.45",
]  # fmt: skip
SEED = 2025


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, done.stdout


def _selected(output: str) -> list[float]:
    data = json.loads(output)
    if "scenarios" in data:
        return [level["selected_percent"] for level in data["scenarios"][0]["levels"]]
    return data["selected_percent"]


def compare_whole_commands(versions: list[str], trials: int, rounds: int) -> None:
    workspace = Path(tempfile.mkdtemp(prefix="bench-simulate-"))
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        commands: list[tuple[str, list[str], Path, dict[str, str]]] = []
        for rev, label in parse_versions(versions):
            version = export(rev, label, workspace)
            args = [sys.executable, "-m", "protocol_dsl", "simulate", SPEC, "--scenario", SCENARIO]
            args += ["--trials", str(trials), "--seed", str(SEED), "--format", "json"]
            commands.append(
                (f"protocol simulate ({label})", args, version.folder, version.environment())
            )
        port = [sys.executable, str(ROOT / "benchmarks" / "reference_boin.py"), *PORT_ARGS]
        port += ["--trials", str(trials), "--seed", str(SEED)]
        commands.append(("reference_boin.py (NumPy port)", port, ROOT, base))
        answers = {name: _selected(_run(args, cwd, env)[2]) for name, args, cwd, env in commands}
        for _name, args, cwd, env in commands:  # a second warm-up: bytecode written
            _run(args, cwd, env)
        uptime_before = _uptime()
        walls: dict[str, list[float]] = {name: [] for name, *_ in commands}
        cpus: dict[str, list[float]] = {name: [] for name, *_ in commands}
        for round_number in range(rounds):
            shift = round_number % len(commands)
            for name, args, cwd, env in commands[shift:] + commands[:shift]:
                wall, cpu, _output = _run(args, cwd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        uptime_after = _uptime()
    finally:
        shutil.rmtree(workspace, ignore_errors=True)

    port_name = commands[-1][0]
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"`uptime` before: {uptime_before}")
    print(f"`uptime` after: {uptime_after}")
    print(f"rounds: {rounds}, commands alternating, two warm-up runs each\n")
    print("commands (from the version's folder; the port from the repository root):\n")
    for name, args, _cwd, _env in commands:
        shown = " ".join(Path(a).name if a == sys.executable else a for a in args)
        print(f"- {name}: `{shown.replace(str(ROOT) + '/', '')}`")
    print()
    same = all(answer == answers[port_name] for answer in answers.values())
    print(f"selected % per level, equal in every command: {same} ({answers[port_name]})\n")
    print(
        "| command | median wall s | wall min–max s | median CPU s | "
        "per-round wall ratio to the port: median (min–max) | same for CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, *_ in commands:
        wall_ratios = [a / b for a, b in zip(walls[name], walls[port_name], strict=True)]
        cpu_ratios = [a / b for a, b in zip(cpus[name], cpus[port_name], strict=True)]
        print(
            f"| {name} | {statistics.median(walls[name]):.3f} | {min(walls[name]):.3f}–"
            f"{max(walls[name]):.3f} | {statistics.median(cpus[name]):.3f} | "
            f"{statistics.median(wall_ratios):.2f}× ({min(wall_ratios):.2f}–{max(wall_ratios):.2f}) | "
            f"{statistics.median(cpu_ratios):.2f}× ({min(cpu_ratios):.2f}–{max(cpu_ratios):.2f}) |"
        )
