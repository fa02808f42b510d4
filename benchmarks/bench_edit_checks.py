"""Benchmark: the window and dosing edit checks over subjects treated for up to 17 cycles.

Usage::

    python benchmarks/bench_edit_checks.py                     # 10,000 subjects
    python benchmarks/bench_edit_checks.py --subjects 1000     # a reduced run

The spec is the oncology-shaped dosing spec of the tests (21-day cycles dosed on
days 1 and 8 at 10 mg/kg of the recorded weight, tumour assessments every 6
weeks, a safety follow-up 30 days after the last dose) with up to 17 cycles.
Subjects are generated with a fixed seed: 1 to 17 cycles each, some cycles
delayed, about 3 % of doses missed, late or of a wrong amount, some extra
doses and some subjects with no weight.  Each engine runs the edit checks
over all of them, in this process:

* ``interpreter``: `EditChecker.check` per subject (every edit check, reading
  the subject's JSON record);
* ``duckdb``: the subjects loaded into DuckDB's typed views, then the
  edit-check query (`generators.sql.run.edit_check_findings`);
* ``module``: the generated ``screening_checks.py``, ``screen()`` per subject
  (screening and the window and dosing checks).

The findings of the window and dosing rules must be the same set for the three
engines; the wall times are printed and written to
``benchmarks/results/edit_checks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generators.checks.module import render_module  # noqa: E402
from generators.sql import edit_checks as sql_checks  # noqa: E402
from generators.sql.run import connect, edit_check_findings  # noqa: E402
from protocol_dsl.compiler import compile_spec  # noqa: E402
from protocol_dsl.evaluate.edit_checks import EditChecker  # noqa: E402

SPEC = ROOT / "tests" / "evaluate" / "dosing" / "oncology.trial"
RESULTS = ROOT / "benchmarks" / "results" / "edit_checks.md"
SEED = 20261207
CYCLES = 17
DAY1 = dt.date(2026, 1, 5)


WHAT = (
    "*interpreter*: `EditChecker.check` per subject (every edit check, from the JSON "
    "record); *duckdb*: loading the subjects into DuckDB's typed views, then the edit-check "
    "query; *duckdb query*: the query alone; *module*: rendering and importing the generated "
    "module, then `screen()` per subject (screening and the window and dosing checks)."
)


def subject(rng: random.Random, number: int) -> dict[str, Any]:
    cycles = rng.randint(1, CYCLES)
    weight = None if rng.random() < 0.05 else float(rng.randint(45, 120))
    visits = {"SCR": (DAY1 - dt.timedelta(days=10)).isoformat()}
    exposure = []
    start = DAY1
    for k in range(1, cycles + 1):
        if k > 1:
            start += dt.timedelta(days=21 + (rng.randint(2, 7) if rng.random() < 0.1 else 0))
        visits[f"C{k}D1"] = start.isoformat()
        visits[f"C{k}D8"] = (start + dt.timedelta(days=7)).isoformat()
        for cycle_day in (1, 8):
            if rng.random() < 0.03:
                continue  # missed
            late = rng.randint(2, 3) if rng.random() < 0.03 else 0
            factor = 1.5 if rng.random() < 0.03 else 1.0
            date = start + dt.timedelta(days=cycle_day - 1 + late)
            exposure.append((date, 10 * (weight or 70.0) * factor))
        if rng.random() < 0.02:
            exposure.append((start + dt.timedelta(days=14), 10 * (weight or 70.0)))
    for n in range(1, 30):
        date = DAY1 + dt.timedelta(days=42 * n)
        if date > start:
            break
        visits[f"TA{n}"] = date.isoformat()
    exposure.sort()
    return {
        "subject_id": f"S{number:06d}",
        "arm": "A",
        "visits": visits,
        "forms": {
            "vitals": {"SCR": {"weight": weight}} if weight is not None else {},
            "exposure": [{"given": d.isoformat(), "dose": round(a, 3)} for d, a in exposure],
        },
    }


def key(finding: dict[str, Any]) -> tuple[str, str, Any]:
    where = finding["record"] if finding["record"] is not None else finding["visit"]
    return (finding["subject_id"], finding["rule"], where)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=10_000)
    args = parser.parse_args()
    text = SPEC.read_text().replace("up_to 6", f"up_to {CYCLES}")
    result = compile_spec("oncology_17_cycles.trial", text)
    assert result.spec is not None
    spec = result.spec
    rng = random.Random(SEED)
    subjects = [subject(rng, n) for n in range(1, args.subjects + 1)]
    records = sum(len(s["forms"]["exposure"]) for s in subjects)
    visits = sum(len(s["visits"]) for s in subjects)
    rules = set(sql_checks.SQL_RULES)
    load_before = os.getloadavg()[0]
    times: dict[str, float] = {}
    found: dict[str, set[tuple[str, str, Any]]] = {}

    started = time.perf_counter()
    checker = EditChecker(spec)
    interpreted = {key(f.to_json()) for s in subjects for f in checker.check(s) if f.rule in rules}
    times["interpreter"] = time.perf_counter() - started
    found["interpreter"] = interpreted

    started = time.perf_counter()
    connection = connect(spec, subjects)
    loaded = time.perf_counter()
    found["duckdb"] = {key(f) for f in edit_check_findings(connection, spec)}
    connection.close()
    times["duckdb"] = time.perf_counter() - started
    times["duckdb query"] = time.perf_counter() - loaded

    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp())
    path = folder / "screening_checks.py"
    path.write_text(render_module(spec), encoding="utf-8")
    loader = importlib.util.spec_from_file_location("screening_checks_bench", path)
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    found["module"] = {key(f) for s in subjects for f in module.screen(s)["findings"]}
    times["module"] = time.perf_counter() - started
    load_after = os.getloadavg()[0]

    agree = found["interpreter"] == found["duckdb"] == found["module"]
    by_rule: dict[str, int] = {}
    for _subject, rule, _where in found["interpreter"]:
        by_rule[rule] = by_rule.get(rule, 0) + 1
    lines = [
        f"# Edit checks over {args.subjects:,} subjects × up to {CYCLES} cycles",
        "",
        f"Recorded {dt.date.today().isoformat()} with "
        f"`python benchmarks/bench_edit_checks.py --subjects {args.subjects}` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        f"Data: {args.subjects:,} subjects (seed {SEED}), {visits:,} visits, {records:,} dose "
        "records.  One-minute load average "
        f"{load_before:.1f} before and {load_after:.1f} after the runs "
        f"({os.cpu_count()} cores).",
        "",
        "| engine | wall time (s) |",
        "|---|---|",
        *(f"| {name} | {seconds:.2f} |" for name, seconds in times.items()),
        "",
        WHAT,
        "",
        f"Findings of the window and dosing rules: {len(found['interpreter']):,} "
        f"({', '.join(f'{r} {n:,}' for r, n in sorted(by_rule.items()))}).",
        f"The three engines agree: {'yes' if agree else 'NO'}.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    RESULTS.write_text(report, encoding="utf-8")
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    main()
