"""Interpreter throughput on the QLS4131 criteria: subjects screened per second.

Synthetic subjects fill every form of the QLS4131 dictionary with values
drawn around the criteria's thresholds (ages 15 to 75, SLEDAI-2K descriptors
present one time in six, steroid doses around 40 mg/d prednisone, dose starts
around 4 weeks before day 1, …), 5 % of values missing.  Four timings:

* ``screen(record)``: validation and normalisation of the JSON record, then
  the 16 criteria — what `protocol screen` does per subject (without reasons);
* ``screen(normalised)``: the interpreter alone, on records validated once;
* the same two with reasons (``explain=True``: evidence for every criterion);
* one subject screened from the command line, whole process (see also
  ``bench_screen_cli.py``, which breaks it down).

Run: ``python benchmarks/bench_interpreter.py [--subjects 20000] [--seed 1]``.
Results are recorded in benchmarks/results/screen.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "qls4131_sle_phase1b.trial"

STEROIDS = ("prednisone", "prednisolone", "methylprednisolone", "dexamethasone", "hydrocortisone")
HISTORY = (
    "opportunistic_infection",
    "malignancy",
    "organ_transplant",
    "autoimmune_disease",
    "other",
)


def synthetic_subject(
    rng: random.Random,
    number: int,
    sledai: list[str],
    eular: list[str],
    missing: float = 0.05,
) -> dict[str, Any]:
    """One QLS4131 subject record in the JSON format (`sledai`, `eular`: the forms' yes/no items)."""

    def maybe(value: Any) -> Any:
        return None if rng.random() < missing else value

    def day(offset: int) -> str:
        return time.strftime("%Y-%m-%d", time.gmtime(1737331200 + offset * 86400))  # 2025-01-20

    yes_no = lambda p: maybe(rng.random() < p)  # noqa: E731
    medications = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(("oral_corticosteroid", "antimalarial", "immunosuppressant", "other"))
        record: dict[str, Any] = {
            "agent": "drug",
            "class": kind,
            "ongoing": yes_no(0.8),
            "dose_start": maybe(day(-rng.randint(10, 400))),
        }
        if kind == "oral_corticosteroid":
            record["glucocorticoid"] = maybe(rng.choice(STEROIDS))
            record["daily_dose"] = maybe(round(rng.uniform(2, 45), 1))
        medications.append(record)
    history = [
        {
            "condition": "condition",
            "category": maybe(rng.choice(HISTORY)),
            "onset": maybe(day(-rng.randint(1, 4000))),
            "ongoing": yes_no(0.3),
        }
        for _ in range(rng.randint(0, 3))
    ]
    titer = lambda: maybe(f"1:{rng.choice((40, 80, 160, 320, 640))}")  # noqa: E731
    return {
        "subject_id": f"S{number:07d}",
        "visits": {"SCR": day(-rng.randint(1, 28)), "D1": maybe(day(0))},
        "forms": {
            "demographics": {
                "SCR": {
                    "birth_date": maybe(day(-365 * rng.randint(15, 75) - rng.randint(0, 364))),
                    "sex": maybe(rng.choice(("female", "male"))),
                    "childbearing_potential": yes_no(0.5),
                }
            },
            "serology": {
                "SCR": {
                    "ana_titer": titer(),
                    "anti_dsdna": maybe(rng.choice(("positive", "negative"))),
                    "anti_sm": maybe(rng.choice(("positive", "negative"))),
                    "c3": maybe(round(rng.uniform(0.4, 1.6), 2)),
                    "c3_lln": maybe(0.9),
                    "c4": maybe(round(rng.uniform(0.05, 0.4), 2)),
                    "c4_lln": maybe(0.1),
                }
            },
            "sle__sledai_2k_form": {"SCR": {name: yes_no(1 / 6) for name in sledai}},
            "sle__eular_acr_2019_form": {
                "SCR": {
                    **{name: yes_no(0.3) for name in eular},
                    "ana_titer": titer(),
                    "diagnosis_date": maybe(day(-rng.randint(30, 3000))),
                }
            },
            "vital_signs": {
                "SCR": {
                    "systolic_bp": maybe(rng.randint(100, 175)),
                    "diastolic_bp": maybe(rng.randint(60, 110)),
                }
            },
            "screening_labs": {
                "SCR": {
                    "hba1c": maybe(round(rng.uniform(4.5, 10), 1)),
                    "proteinuria": maybe(round(rng.uniform(0, 4), 2)),
                    "egfr": maybe(rng.randint(20, 120)),
                    "pregnancy_test": maybe(rng.choice(("negative",) * 9 + ("positive",))),
                }
            },
            "screening_assessments": {
                "SCR": {
                    "study_drug_allergy": yes_no(0.05),
                    "active_severe_npsle": yes_no(0.05),
                    "diabetes": yes_no(0.1),
                    "lactating": yes_no(0.05),
                }
            },
            "medical_history": history,
            "medications": medications,
        },
        "attestations": {"I6": maybe(True)},
    }


def _rate(function: Any, items: list[Any], repeat: int = 3) -> tuple[float, float]:
    """Subjects per second of wall time and per second of this process's CPU time (best of)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for item in items:
            function(item)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return len(items) / wall, len(items) / cpu


def _one_subject_cli(record: dict[str, Any], runs: int = 5) -> tuple[float, float]:
    """Whole-process seconds of `protocol screen` on one subject: (wall, CPU), best of `runs`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "subject.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        # as installed: modules compiled once to bytecode (kept out of the source tree)
        env = {k: val for k, val in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        protocol = str(Path(sys.executable).parent / "protocol")  # not a version-manager shim
        command = [protocol, "screen", str(SPEC), str(path), "--format", "json"]
        subprocess.run(command, check=True, capture_output=True, env=env)  # compiles
        wall = cpu = float("inf")
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            wall = min(wall, time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            cpu = min(cpu, used)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from protocol_dsl.evaluate import compile_spec_rules
    from protocol_dsl.screening.run import load_for_screening

    spec = load_for_screening(str(SPEC)).spec
    assert spec is not None
    start = time.perf_counter()
    screener = compile_spec_rules(spec)
    compile_time = time.perf_counter() - start
    forms = screener.dictionary.forms
    sledai = [n for n, i in forms["sle__sledai_2k_form"].items.items() if i.kind == "yes_no"]
    eular = [n for n, i in forms["sle__eular_acr_2019_form"].items.items() if i.kind == "yes_no"]
    rng = random.Random(args.seed)
    records = [synthetic_subject(rng, i, sledai, eular) for i in range(args.subjects)]
    normalised = [screener.normalise(r) for r in records]
    statuses: dict[str, int] = {}
    for data in normalised:
        status = screener.screen(data, explain=False).status
        statuses[status] = statuses.get(status, 0) + 1

    fast = lambda r: screener.screen(r, explain=False)  # noqa: E731
    explained = lambda r: screener.screen(r, explain=True)  # noqa: E731
    rows = [
        ("screen(record), no reasons", _rate(fast, records)),
        ("screen(normalised), no reasons", _rate(fast, normalised)),
        ("screen(record), with reasons", _rate(explained, records[: args.subjects // 4])),
        ("screen(normalised), with reasons", _rate(explained, normalised[: args.subjects // 4])),
    ]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cli = _one_subject_cli(records[0])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(f"{args.subjects} synthetic subjects (seed {args.seed}): {statuses}")
    print(f"compile the criteria once: {compile_time * 1000:.1f} ms")
    print(f"{'':<36} {'per s (wall)':>14} {'per CPU s':>12}")
    for name, (wall, cpu) in rows:
        print(f"{name:<36} {wall:>14,.0f} {cpu:>12,.0f}")
    print(f"peak memory (process): {peak:.0f} MB")
    wall, cpu = cli
    print(
        f"one subject from the command line, whole process (best of 5): {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
