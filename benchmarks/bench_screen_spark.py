"""Benchmark: `protocol screen --engine spark` on 1,000,000 QLS4131 subjects, whole command.

Usage::

    python benchmarks/bench_screen_spark.py                 # 1,000,000 subjects, local[*]
    python benchmarks/bench_screen_spark.py --subjects 100000 --runs 2

The Parquet tables of `bench_screen_sql.generate` (fixed seed, kept in
``benchmarks/work/``, not in git) are screened by the whole command, as a user
runs it (bytecode caching on), with ``--format csv -o FILE``: once with
``--engine spark`` (a local Spark session started and stopped inside the
command) and once with ``--engine duckdb`` in the same run, alternately.  Both
outputs must be identical.  Wall time, subjects per second, and the machine load
(``uptime``) before and after go to ``benchmarks/results/screen_spark.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_screen_sql import SPEC, WORK, generate  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "screen_spark.md"
#: The spec as the results show it (relative to the project root).
SHOWN = SPEC.relative_to(ROOT)


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _command(engine: str, data: Path, out: Path, master: str, spec: Path = SPEC) -> list[str]:
    command = [sys.executable, "-m", "protocol_dsl", "screen", str(spec), str(data)]
    command += ["--engine", engine, "--format", "csv", "-o", str(out)]
    if engine == "spark":
        command += ["--master", master, "--conf", "spark.driver.memory=4g"]
    return command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1, help="alternating pairs")
    parser.add_argument("--master", default="local[*]")
    args = parser.parse_args()

    data = WORK / f"qls4131_{args.subjects}"
    if not (data / "visits.parquet").exists():
        generate(data, args.subjects)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    load_before = _uptime()
    times: dict[str, list[float]] = {"spark": [], "duckdb": []}
    outputs: dict[str, bytes] = {}
    for _ in range(args.runs):
        for engine in ("spark", "duckdb"):
            out = WORK / f"screen_{engine}.csv"
            command = _command(engine, data, out, args.master)
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, cwd=ROOT)
            times[engine].append(time.perf_counter() - start)
            outputs[engine] = out.read_bytes()
            print(engine, f"{times[engine][-1]:.1f} s", flush=True)
    load_after = _uptime()
    if outputs["spark"] != outputs["duckdb"]:
        raise SystemExit("the spark and duckdb outputs differ")
    rows = outputs["spark"].count(b"\n") - 1
    if rows != args.subjects:
        raise SystemExit(f"{rows} rows out for {args.subjects} subjects in")

    def line(engine: str) -> str:
        best = min(times[engine])
        shown = ", ".join(f"{t:.1f}" for t in times[engine])
        return f"| {engine} | {shown} | {best:.1f} | {args.subjects / best:,.0f} |"

    report = [
        "# protocol screen --engine spark: 1,000,000 subjects, whole command",
        "",
        f"Date: {dt.date.today().isoformat()}; machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        f"Load before: `{load_before}`",
        f"Load after: `{load_after}`",
        "",
        f"Data: {args.subjects:,} synthetic QLS4131 subjects as Parquet tables "
        "(`bench_screen_sql.generate`, fixed seed).  Commands, alternately, each a fresh "
        "process with bytecode caching on:",
        "",
        "```",
        *(
            "python " + " ".join(_command(e, Path("DATA"), Path("out.csv"), args.master, SHOWN)[1:])
            for e in ("spark", "duckdb")
        ),
        "```",
        "",
        "| engine | wall time per run (s) | best (s) | subjects/s (best) |",
        "|---|---|---|---|",
        line("spark"),
        line("duckdb"),
        "",
        f"Both outputs identical, {rows:,} rows out for {args.subjects:,} subjects in.  The "
        "spark figure includes starting and stopping the local Spark session (the JVM).",
        "",
        "Read the figures with the load above: other work shared the machine, so both "
        "engines ran far slower than on a quiet one; the two were measured in the same "
        "conditions, alternately.",
    ]
    RESULTS.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
