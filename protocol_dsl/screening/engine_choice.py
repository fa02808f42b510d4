"""Which engine screens an input when the user names none (`--engine auto`).

The statuses report is the same whichever engine writes it, so the choice is
only about time: the interpreter starts at once and screens a few thousand
subjects a second; DuckDB costs a fixed start (importing it, compiling the
query) and then screens hundreds of thousands a second.  The boundary
`SQL_FROM_SUBJECTS` is where the two whole commands take the same time on
JSON Lines input (measured: benchmarks/results/screen_scale.md).  Parquet and
DuckDB inputs go to DuckDB whatever their size (they are tables already); SDTM
datasets, standard input and several inputs go to the interpreter, which
alone reads them.  The full report (data still needed, evidence, edit checks)
is the interpreter's: with it, `auto` is always the interpreter.

The count of subjects is an estimate read from the file without parsing it
(lines of JSON Lines and CSV, ``"subject_id"`` keys of a JSON file): a wrong
estimate costs time, never a different report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

#: From this many subjects, DuckDB screens a JSON Lines or CSV input faster than the
#: interpreter, whole command against whole command (see the module docstring).
SQL_FROM_SUBJECTS = 20_000

_TABLE_SUFFIXES = {".parquet", ".duckdb", ".db", ".ddb"}
_READ_CHUNK = 1 << 20


@attrs.frozen
class Choice:
    engine: str  # python | duckdb
    reason: str  # in plain words, for the report


def choose(paths: Sequence[str], report: str, *, sql_available: bool = True) -> Choice:
    """The engine for `paths` and the `report` asked for (full | statuses)."""
    if report == "full":
        return Choice("python", "the full report (data needed, edit checks) is the interpreter's")
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
    subjects = estimated_subjects(files)
    if subjects >= SQL_FROM_SUBJECTS:
        return Choice("duckdb", f"about {subjects:,} subjects (DuckDB from {SQL_FROM_SUBJECTS:,})")
    return Choice(
        "python", f"about {subjects:,} subjects (the interpreter below {SQL_FROM_SUBJECTS:,})"
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
