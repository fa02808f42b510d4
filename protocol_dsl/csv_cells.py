"""CSV files no spreadsheet executes, written the same way every time.

A text cell that starts with = + - @, a tab or a carriage return is read as a
formula by spreadsheet programs ("CSV injection"); such a cell is written with a
leading apostrophe, which spreadsheets display as text.  Numbers are written
as numbers (a planned study day of -7 stays -7: a spreadsheet reads it as a
number, never as a formula).  Files are UTF-8 without a byte-order mark unless
asked for one (`bom=True`, for Excel), rows
end with CRLF as RFC 4180 has it (so a carriage return inside a cell is always
quoted), and cells are quoted only where CSV needs it.  Control characters
are dropped from text cells (`inert_text.printable`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from protocol_dsl.inert_text import printable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | None


def neutralise(text: str) -> str:
    """The text as a cell no spreadsheet evaluates."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("write booleans as the text a reader expects (Y/N, yes/no)")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return neutralise(printable(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, bom: bool = False) -> bytes:
    """The CSV file; `bom` starts it with the UTF-8 byte-order mark, without which
    Excel reads UTF-8 as the local code page ("â‰¥" for "≥")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], *, bom: bool = False
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(header, rows, bom=bom))
    return path
