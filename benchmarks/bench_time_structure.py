"""Benchmark: `protocol check` and `protocol build` on a spec with cycles, repeats and regimens.

Usage::

    python benchmarks/bench_time_structure.py [--runs 5]

The oncology spec (`specs/mgc018_first_in_human.trial`: 21-day cycles up to 35,
dense cycle 1, tumour assessments every 6 weeks, a safety visit 30 days after
the last dose, survival follow-up every 3 months, a weight-based regimen given
on day 1 of each cycle) is timed against the same commands on QLS4131 (hand-
written visits, one administration per level), in the same run, alternating
the two specs so that a change of machine load falls on both.  Each figure is
the median wall time of a fresh `protocol` process (start-up included,
bytecode caching on), as a user runs it; the ratio is oncology / QLS4131.
Targets: check at most 1.5 times, build at most 2 times.  The results are
printed as Markdown and written to `benchmarks/results/time_structure.md`.
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

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "time_structure.md"
BASELINE = ROOT / "specs" / "qls4131_sle_phase1b.trial"
ONCOLOGY = ROOT / "specs" / "mgc018_first_in_human.trial"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def protocol_script() -> str:
    beside = Path(sys.executable).parent / "protocol"
    return str(beside) if beside.exists() else shutil.which("protocol") or "protocol"


def run_once(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: warnings or findings; anything else is a failure
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr.decode(errors='replace')}")
    return wall


def command(protocol: str, verb: str, spec: Path, out: Path) -> list[str]:
    if verb == "check":
        return [protocol, "check", str(spec)]
    return [protocol, "build", str(spec), "-o", str(out / spec.stem)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    protocol = protocol_script()
    load_before = os.getloadavg()[0]
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for verb in ("check", "build"):
            for spec in (BASELINE, ONCOLOGY):  # warm-up: file cache, bytecode, user cache
                run_once(command(protocol, verb, spec, out))
            for _ in range(options.runs):
                for spec in (BASELINE, ONCOLOGY):
                    wall = run_once(command(protocol, verb, spec, out))
                    times.setdefault((verb, spec.stem), []).append(wall)
    load_after = os.getloadavg()[0]
    rows = []
    for verb, target in (("check", 1.5), ("build", 2.0)):
        base = statistics.median(times[(verb, BASELINE.stem)])
        onc = statistics.median(times[(verb, ONCOLOGY.stem)])
        ratio = onc / base
        verdict = "within" if ratio <= target else "above"
        rows.append(
            f"| `protocol {verb}` | {base:.3f} | {onc:.3f} | {ratio:.2f}× | "
            f"≤ {target}× ({verdict}) |"
        )
    lines = [
        "# Time structure benchmark: check and build on an oncology spec with cycles",
        "",
        "Whole commands in a fresh process, bytecode caching on; the oncology spec",
        f"(`{ONCOLOGY.relative_to(ROOT)}`) against QLS4131 (`{BASELINE.relative_to(ROOT)}`)",
        "in the same run, alternating.",
        "",
        "Command:",
        "",
        f"    python benchmarks/bench_time_structure.py --runs {options.runs}",
        "",
        f"Median of {options.runs} runs after one warm-up run of each; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load_before:.2f} before, {load_after:.2f} after.",
        "",
        "| command | QLS4131 s | oncology s | ratio | target |",
        "|---|---:|---:|---:|---|",
        *rows,
        "",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
