"""Which engine screens an input when the user names none (`--engine auto`).

The statuses report is the same whichever engine writes it, so the choice is
only about time.  DuckDB costs a fixed start (importing it, compiling the
query) and then reads tables at hundreds of thousands of subjects a second;
the interpreter starts at once and screens one to two thousand a second on
this kind of machine.  Measured whole command against whole command
(benchmarks/results/screen_scale.md):

* Parquet and DuckDB tables go to DuckDB whatever their size (100,000
  subjects: 6 s against 91 s);
* CSV tables go to DuckDB from `SQL_FROM_SUBJECTS` rows in their largest
  table (DuckDB reads CSV itself, as it reads Parquet).  Measured on QLS4131
  CSV tables in alternating pairs (wall and CPU time): the interpreter is
  faster at 1,000 and 5,000 subjects (CPU 0.76 s against 2.89 s; 1.96 s
  against 2.45 s), DuckDB from 10,000 (CPU 2.94 s against 3.70 s); the two
  cross at about 7,000 subjects, whose largest tables (visits, medications)
  hold two rows per subject: 14,000 rows;
* JSON and JSON Lines go to the interpreter whatever their size: both engines
  read subject records in Python, and DuckDB's whole command was no faster
  (2,000, 10,000, 30,000 and 100,000 subjects);
* SDTM datasets, standard input and several inputs go to the interpreter,
  which alone reads them.

The full report (data still needed, evidence, edit checks) is the
interpreter's: with it, `auto` is always the interpreter.  The size of a CSV
table is read from the file without parsing it (its lines): a wrong estimate
costs time, never a different report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

#: From this many rows in the largest CSV table, DuckDB screens the tables faster than
#: the interpreter, whole command against whole command (see the module docstring).
SQL_FROM_SUBJECTS = 14_000

_TABLE_SUFFIXES = {".parquet", ".duckdb", ".db", ".ddb"}
_READ_CHUNK = 1 << 20


@attrs.frozen
class Choice:
    engine: str  # python | duckdb
    reason: str  # in plain words, for the report


def choose(paths: Sequence[str], report: str, *, sql_available: bool = True) -> Choice:
    """The engine for `paths` and the `report` asked for (full | statuses)."""
    if report == "full":
        return Choice(
            "python", "the full report, with data needed and edit checks, is the interpreter's"
        )
    if len(paths) != 1 or paths[0] == "-":
        return Choice("python", "several inputs, or standard input: read by the interpreter")
    path = Path(paths[0])
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    suffixes = {p.suffix.lower() for p in files}
    if ".xpt" in suffixes:
        return Choice("python", "SDTM datasets are read by the interpreter")
    if not sql_available:
        return Choice("python", "DuckDB is not installed")
    if suffixes & _TABLE_SUFFIXES:
        return Choice("duckdb", "Parquet or DuckDB tables")
    if suffixes & {".json", ".jsonl", ".ndjson"}:
        return Choice("python", "JSON subject records, read in Python by either engine")
    rows = estimated_subjects(files)
    if rows >= SQL_FROM_SUBJECTS:
        return Choice(
            "duckdb", f"CSV tables of about {rows:,} rows; DuckDB from {SQL_FROM_SUBJECTS:,}"
        )
    return Choice(
        "python", f"CSV tables of about {rows:,} rows; the interpreter below {SQL_FROM_SUBJECTS:,}"
    )


def estimated_subjects(files: Sequence[Path]) -> int:
    """About how many subjects the files hold (their largest table, for CSV tables)."""
    json_total = 0
    largest_table = 0
    for file in files:
        suffix = file.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            json_total += _count(file, b"\n")
        elif suffix == ".json":
            json_total += _count(file, b'"subject_id"')
        elif suffix == ".csv":
            largest_table = max(largest_table, _count(file, b"\n") - 1)
    return max(json_total, largest_table, 0)


def _count(path: Path, needle: bytes) -> int:
    """Occurrences of `needle` in the file, read in parts (never the whole file at once)."""
    found = 0
    tail = b""
    try:
        with path.open("rb") as handle:
            while part := handle.read(_READ_CHUNK):
                block = tail + part
                found += block.count(needle)
                # a needle cut in two by the read is counted in the next block; the tail
                # kept is shorter than the needle, so no needle is counted twice
                keep = len(needle) - 1
                tail = block[-keep:] if keep else b""
    except OSError:
        return 0
    return found
