"""Time `protocol build` of a spec as a whole process: this tree against a baseline revision.

Usage:  python benchmarks/bench_word.py [--runs 7] [--baseline main]
                                        [--spec specs/qls4131_sle_phase1b.trial]

The baseline revision is unpacked from git (`git archive`) into a temporary
folder; both trees run as `python -m protocol_dsl build SPEC -o DIR` with
the same Python, each with its own tree first on the import path, bytecode
caching on, one warm-up run each, then the runs alternating between the two
so that load on a shared machine falls on both alike.  Printed: the median
wall and CPU (user + system) time of each, and their ratio, as Markdown.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def unpack(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_once(tree: Path, spec: str, out: Path) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "protocol_dsl", "build", spec, "-o", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tree,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--spec", default="specs/qls4131_sle_phase1b.trial")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = unpack(args.baseline, Path(scratch) / "baseline")
        trees = {"baseline": base, "this tree": ROOT}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for name, tree in trees.items():  # warm-up: bytecode and file cache
            run_once(tree, args.spec, Path(scratch) / f"out-{name}")
        for _ in range(args.runs):
            for name, tree in trees.items():
                times[name].append(run_once(tree, args.spec, Path(scratch) / f"out-{name}"))
    medians = {
        name: (statistics.median(w for w, _ in found), statistics.median(c for _, c in found))
        for name, found in times.items()
    }
    print(f"`protocol build {args.spec} -o DIR`, median of {args.runs} alternating runs")
    print(f"({platform.python_implementation()} {platform.python_version()})\n")
    print("| tree | median wall s | median CPU s |")
    print("|---|---:|---:|")
    for name, (wall, cpu) in medians.items():
        label = f"baseline (`{args.baseline}`)" if name == "baseline" else name
        print(f"| {label} | {wall:.3f} | {cpu:.3f} |")
    (base_wall, base_cpu), (wall, cpu) = medians["baseline"], medians["this tree"]
    print(f"\nratio this tree / baseline: wall {wall / base_wall:.2f}, CPU {cpu / base_cpu:.2f}")


if __name__ == "__main__":
    main()
