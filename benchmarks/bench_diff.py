"""Time `protocol diff` of two versions of the QLS4131 spec as a whole process.

Usage:  python benchmarks/bench_diff.py [--runs 5]

Each figure is the median wall time of --runs runs of the `protocol` command
in a fresh process (start-up, imports, loading and checking both versions
with their libraries, the diff, the report), after one warm-up run: what a
CI job or a writer waits for.  The versions are the real spec and its
amendment `tests/diff/amendment/qls4131_v2.trial`; the `--against` figure
reads the old version (spec and libraries) from git at HEAD.  Two more
versions are written to a temporary copy of `specs/`: one whose criterion
I3 lists its three ways of being met in another order (the tree comparison
has no direction, so the SMT solver proves the two rules equivalent: z3 is
imported and asked), and one that inserts an exclusion E9 and renumbers
E9, E10 to E10, E11 (criteria paired by content).  Two more: one renaming
the visit W12, the item diastolic_bp and the endpoint EP5 everywhere (visits,
items and endpoints paired by content, the old version read under the new
names), and one changing dexamethasone's prednisone factor in the library
(the solver decides the direction of eligibility on I5 read with each
version's table).  `protocol check` of the
same spec, solver included, runs in the same session as the baseline: the
diff must stay within 1.5 times it.  Target: ≤ 0.5 s for the plain diff.
Each command's CPU time (user and system, from `os.wait4`) is reported beside
its wall time, with its ratio to the check's: on a shared machine it moves far
less than the wall time.  Results are printed as Markdown.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
OLD = "specs/qls4131_sle_phase1b.trial"
NEW = "tests/diff/amendment/qls4131_v2.trial"


class Timing(NamedTuple):
    """Medians and extremes of wall time, and the median CPU time (user + system) of the
    process: other jobs on the machine stretch the wall time far more than the CPU time."""

    median: float
    fastest: float
    slowest: float
    cpu: float


def time_command(args: list[str], runs: int) -> Timing:
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs + 1):  # the first run warms the file cache and bytecode
        start = time.perf_counter()
        process = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _pid, _status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    walls, cpus = walls[1:], cpus[1:]
    return Timing(statistics.median(walls), min(walls), max(walls), statistics.median(cpus))


REORDERED = (
    "  = serology.ana_titer at SCR >= 1:80\n"
    "    or serology.anti_dsdna at SCR = positive\n"
    "    or serology.anti_sm at SCR = positive",
    "  = serology.anti_dsdna at SCR = positive\n"
    "    or serology.anti_sm at SCR = positive\n"
    "    or serology.ana_titer at SCR >= 1:80",
)
RENUMBERED = (
    ('exclusion E10 "Pregnant', 'exclusion E11 "Pregnant'),
    ('exclusion E9 "Receipt', 'exclusion E10 "Receipt'),
    (
        "# An infection that began",
        'exclusion E9 "Fever (body temperature of 38.5 °C or more) at screening;"\n'
        "  = vital_signs.temperature at SCR >= 38.5 Cel\n\n# An infection that began",
    ),
)


RENAMED = (("W12", "V9"), ("diastolic_bp", "dbp"), ("EP5", "EP6"))
FACTOR = (("  dexamethasone      5/0.75\n", "  dexamethasone      5/0.6\n"),)


def amended(
    folder: Path,
    name: str,
    edits: tuple[tuple[str, str], ...],
    *,
    file: str = Path(OLD).name,
    words: bool = False,
) -> str:
    """A copy of specs/ with the edits applied to `file` (each once, or as whole words
    everywhere); the path of its QLS4131 spec."""
    copy = folder / name
    shutil.copytree(ROOT / "specs", copy)
    target = copy / file
    text = target.read_text(encoding="utf-8")
    for find, replace in edits:
        if words:
            text = re.sub(rf"\b{find}\b", replace, text)
        else:
            assert text.count(find) == 1, find
            text = text.replace(find, replace)
    target.write_text(text, encoding="utf-8")
    return str(copy / Path(OLD).name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    protocol = shutil.which("protocol") or "protocol"
    folder = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    reordered = amended(folder, "reordered", (REORDERED,))
    renumbered = amended(folder, "renumbered", RENUMBERED)
    renamed = amended(folder, "renamed", RENAMED, words=True)
    factor = amended(folder, "factor", FACTOR, file="lib/glucocorticoids.trial")
    commands = [
        ("two files, text", [protocol, "diff", OLD, NEW]),
        ("two files, markdown", [protocol, "diff", OLD, NEW, "--format", "markdown"]),
        ("--against HEAD", [protocol, "diff", OLD, "--against", "HEAD"]),
        ("I3 reordered (proved equivalent by the solver)", [protocol, "diff", OLD, reordered]),
        ("E9 inserted, E10, E11 renumbered", [protocol, "diff", OLD, renumbered]),
        ("visit, item and endpoint renamed", [protocol, "diff", OLD, renamed]),
        (
            "lookup factor changed (direction decided by the solver)",
            [protocol, "diff", OLD, factor],
        ),
        ("protocol check (one version)", [protocol, "check", OLD]),
    ]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs per figure: {options.runs} (median, after one warm-up run)\n")
    timings = [(name, time_command(args, options.runs)) for name, args in commands]
    check = timings[-1][1]
    print("| command | median s | fastest s | slowest s | ratio to check | CPU s | CPU ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, t in timings:
        print(
            f"| {name} | {t.median:.3f} | {t.fastest:.3f} | {t.slowest:.3f} "
            f"| {t.median / check.median:.2f} | {t.cpu:.3f} | {t.cpu / check.cpu:.2f} |"
        )
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
