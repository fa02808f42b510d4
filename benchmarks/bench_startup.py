"""Cold start of a whole command, version against version: what each change to start-up costs.

Usage:

    python benchmarks/bench_startup.py [--runs 15] [--command "check specs/…"] REV[=LABEL] …

Each REV (a commit, branch or tag of this repository) is exported into a
folder of its own (`git archive`), and the command is run there as a user
runs it: a fresh `python -m protocol_dsl …` process importing that version,
bytecode caching on (a first untimed run writes the bytecode and fills the
per-user cache folder, one folder per version), the spec read from that
version's `specs/`.  The runs alternate between the versions — one run of
each per round, the order rotating from round to round — so that a change
in the machine's load falls on every version alike, as hyperfine's
alternating mode does.  Per version: the median and the spread of the wall
time and of the CPU time (user + system) the process used; the load average
is printed before and after.  Output is Markdown for
`benchmarks/results/startup.md`.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COMMAND = "check specs/qls4131_sle_phase1b.trial"


@dataclass
class Version:
    """One version of the project, exported, with its timings."""

    rev: str
    label: str
    folder: Path
    cache: Path
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(self.folder)
        env["XDG_CACHE_HOME"] = str(self.cache)
        return env


def export(rev: str, label: str, workspace: Path) -> Version:
    """The files of `rev` in a folder of their own, with an empty per-user cache folder."""
    folder = workspace / label / "tree"
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(folder, filter="data")
    cache = workspace / label / "cache"
    cache.mkdir()
    return Version(rev, label, folder, cache)


def run_once(version: Version, args: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) and exit status of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "protocol_dsl", *args],
        cwd=version.folder,
        env=version.environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.returncode


def parse_versions(given: list[str]) -> list[tuple[str, str]]:
    versions = []
    for text in given:
        rev, _, label = text.partition("=")
        versions.append((rev, label or rev))
    return versions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", help="REV or REV=LABEL, oldest first")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per version")
    parser.add_argument(
        "--command", default=DEFAULT_COMMAND, help="the protocol command's arguments"
    )
    options = parser.parse_args()
    args = shlex.split(options.command)
    workspace = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        versions = [
            export(rev, label, workspace) for rev, label in parse_versions(options.versions)
        ]
        statuses = set()
        for version in versions:  # bytecode and the per-user cache folder, untimed
            statuses.add(run_once(version, args)[2])
            run_once(version, args)
        uptime_before = _uptime()
        load_before = os.getloadavg()
        for round_number in range(options.runs):
            shift = round_number % len(versions)
            for version in versions[shift:] + versions[:shift]:
                wall, cpu, status = run_once(version, args)
                statuses.add(status)
                version.walls.append(wall)
                version.cpus.append(cpu)
        load_after = os.getloadavg()
        uptime_after = _uptime()
    finally:
        shutil.rmtree(workspace, ignore_errors=True)

    print(f"command: `protocol {options.command}` (run as `python -m protocol_dsl …`)")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"load average (1, 5, 15 min) before: {_loads(load_before)}; after: {_loads(load_after)}")
    print(f"`uptime` before: {uptime_before}")
    print(f"`uptime` after: {uptime_after}")
    print(f"exit statuses seen: {sorted(statuses)}")
    print(f"runs per version: {options.runs}, alternating (one warm-up run each, not timed)\n")
    print(
        "| version | rev | median wall s | wall min–max s | median CPU s | CPU min–max s | "
        "CPU vs first |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    first = statistics.median(versions[0].cpus)
    for version in versions:
        wall = statistics.median(version.walls)
        cpu = statistics.median(version.cpus)
        print(
            f"| {version.label} | `{version.rev}` | {wall:.3f} | "
            f"{min(version.walls):.3f}–{max(version.walls):.3f} | {cpu:.3f} | "
            f"{min(version.cpus):.3f}–{max(version.cpus):.3f} | {cpu / first:.2f}× |"
        )


def _loads(loads: tuple[float, float, float]) -> str:
    return ", ".join(f"{load:.2f}" for load in loads)


def _uptime() -> str:
    found = shutil.which("uptime")
    if found is None:
        return "(no uptime command)"
    return subprocess.run([found], capture_output=True, text=True, check=False).stdout.strip()


if __name__ == "__main__":
    main()
