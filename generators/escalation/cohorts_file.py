"""The cohorts file: CSV under the header `dose_level,patients,dlts`, one line per cohort.

`read_cohorts` turns it into `Cohort`s in file order, or raises an
`EscalationInputError` that names the line and the columns of the offending
cell, with its diagnostic code: E0710 for a line that cannot be read as a
cohort (a missing column, an unknown level, a count that is not a whole
number ≥ 0), E0711 for counts that contradict each other (more DLTs than
patients, a cohort of no patient).  The format is described in
docs/escalate.md.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from collections.abc import Sequence
from typing import TextIO

from .decide import INCONSISTENT, UNREADABLE, Cohort, EscalationInputError

_COLUMNS = ("dose_level", "patients", "dlts")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

Cell = tuple[int, int]


def read_cohorts(
    source: str | os.PathLike[str] | TextIO, level_names: Sequence[str]
) -> list[Cohort]:
    """Cohorts from CSV with the header `dose_level,patients,dlts`, in file order.

    `source` is a path or an open text stream.  Dose levels are given by
    name and resolved through `level_names`; blank lines are skipped and
    extra columns ignored.  Errors name the line (the header is line 1).
    """
    if isinstance(source, str | os.PathLike):
        with open(source, newline="", encoding="utf-8-sig") as stream:
            return parse_cohorts(stream.read(), level_names)
    return parse_cohorts(source.read(), level_names)


def parse_cohorts(text: str, level_names: Sequence[str]) -> list[Cohort]:
    """The cohorts of the text of a cohorts file (see `read_cohorts`)."""
    index_of = {name: i for i, name in enumerate(level_names)}
    if len(index_of) != len(level_names):
        raise EscalationInputError("the dose level names are not unique")
    lines = _LINE_BREAK.split(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise _error(
            1, (1, 1), UNREADABLE, "the file is empty; it needs the header dose_level,patients,dlts"
        )
    columns = [cell.strip().lower() for cell in header]
    missing = [c for c in _COLUMNS if c not in columns]
    if missing:
        raise _error(
            1,
            _whole(lines[0]) if reader.line_num == 1 else None,
            UNREADABLE,
            "the header must name the columns dose_level, patients and dlts; "
            f"missing {', '.join(missing)}",
        )
    position = {c: columns.index(c) for c in _COLUMNS}
    cohorts: list[Cohort] = []
    previous = reader.line_num
    for row in reader:
        line, first = reader.line_num, previous + 1
        previous = line
        if not any(cell.strip() for cell in row):
            continue
        # a record on one line has cells to point at; one with a quoted line break has not
        spans = cell_columns(lines[line - 1]) if first == line else None
        cells = {"row": _whole(lines[line - 1])} if spans is not None else {}
        if len(row) <= max(position.values()):
            end = len(lines[line - 1]) + 1
            raise _error(
                line,
                (end, end) if spans is not None else None,
                UNREADABLE,
                f"{len(row)} values, but the header has {len(header)} columns",
            )
        if spans is not None:
            cells.update((c, spans[position[c]]) for c in _COLUMNS)
        name = row[position["dose_level"]].strip()
        if name not in index_of:
            # Case is ignored when looking for a close match: 'dl1' means 'DL1'.
            by_lower = {level.lower(): level for level in level_names}
            close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
            hint = f" (did you mean {by_lower[close[0]]!r}?)" if close else ""
            raise _error(
                line,
                cells.get("dose_level"),
                UNREADABLE,
                f"unknown dose level {name!r}{hint}; the levels are {', '.join(level_names)}",
            )
        patients = _count(row[position["patients"]], "patients", line, cells.get("patients"))
        dlts = _count(row[position["dlts"]], "dlts", line, cells.get("dlts"))
        if patients == 0:
            raise _error(
                line, cells.get("patients"), INCONSISTENT, "a cohort needs at least one patient"
            )
        if dlts > patients:
            raise _error(
                line,
                cells.get("dlts"),
                INCONSISTENT,
                f"{dlts} DLTs among {patients} patients; a patient counts at most one DLT",
            )
        cohorts.append(Cohort(index_of[name], patients, dlts, line=line, cells=cells or None))
    return cohorts


def cell_columns(line: str) -> list[Cell]:
    """The columns (1-based, end exclusive) of each cell of one line of CSV.

    The line is split as Python's csv module does by default (commas, double
    quotes that open only at the start of a cell, `""` for a quote inside
    quotes); each span is narrowed to the cell's text without the spaces
    around it, so that a caret points at the value itself.
    """
    bounds: list[tuple[int, int]] = []
    start, quoted, i = 0, False, 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"' and line[i + 1 : i + 2] == '"':
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"' and i == start:
            quoted = True
        elif char == ",":
            bounds.append((start, i))
            start = i + 1
        i += 1
    bounds.append((start, len(line)))
    cells: list[Cell] = []
    for begin, end in bounds:
        text = line[begin:end]
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if right <= left:  # a blank cell: point at where it is
            cells.append((begin + 1, begin + 1))
        else:
            cells.append((begin + left + 1, begin + right + 1))
    return cells


def _whole(line: str) -> Cell:
    return (1, len(line) + 1)


def _error(line: int, cell: Cell | None, code: str, reason: str) -> EscalationInputError:
    return EscalationInputError(
        f"line {line}: {reason}", row=line, code=code, cell=cell, reason=reason
    )


def _count(text: str, column: str, line: int, cell: Cell | None) -> int:
    value_text = text.strip()
    try:
        value = int(value_text)
    except ValueError:
        raise _error(
            line, cell, UNREADABLE, f"{column} must be a whole number; got {value_text!r}"
        ) from None
    if value < 0:
        raise _error(line, cell, UNREADABLE, f"{column} cannot be negative; got {value}")
    return value
