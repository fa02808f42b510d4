"""SAS transport (XPORT) version 5 files, the format FDA submissions of SDTM datasets use.

This module owns the bytes of an ``.xpt`` file: the layout of SAS technical
note TS-140 (80-byte records; library, member, descriptor and NAMESTR headers;
one 140-byte NAMESTR per variable; then the observations, each a run of
fixed-width fields, padded with spaces to a whole record at the end).
Numbers are IBM System/360 double precision floats, converted from IEEE 754
the TS-140 way; a missing number is SAS's ``.`` (0x2E and seven zero bytes).
Text is UTF-8, each column as wide as its longest value in bytes (at least 1)
and padded with spaces.

The output is the same, byte for byte, as pyreadstat's ``write_xport(...,
file_format_version=5)`` for the same columns (the tests hold it to that), but
needs neither pyreadstat nor pandas, whose import alone costs more than
writing every trial design dataset.  Unlike a library writer it takes the
header time stamp as an argument, so rebuilding gives the same bytes.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import NamedTuple

RECORD = 80
NAMESTR_LENGTH = 140
MISSING = b"." + bytes(7)  # SAS's ordinary missing value
_NUMERIC_WIDTH = 8
_NUMERIC, _CHARACTER = 1, 2  # NAMESTR variable types


class Variable(NamedTuple):
    """One column: name (1-8 ASCII characters), label (up to 40), numeric or text."""

    name: str
    label: str
    numeric: bool


def xport_bytes(
    table: str,
    label: str,
    variables: Sequence[Variable],
    rows: Sequence[Sequence[float | str | None]],
    stamp: bytes,
) -> bytes:
    """The dataset as one XPORT v5 file of one member.

    `table` is the member name (at most 8 characters), `label` the dataset
    label, `stamp` the creation and modification time as SAS writes it
    (``ddMONyy:hh:mm:ss``, 16 bytes).  A numeric cell is a float or None
    (missing; NaN is missing too); a text cell a string or None (blank).
    """
    if len(stamp) != 16:
        raise ValueError(f"an XPORT time stamp has 16 bytes, not {len(stamp)}: {stamp!r}")
    _check_name(table, "dataset")
    for variable in variables:
        _check_name(variable.name, "variable")
    cells = [[_cell(row[i], v.numeric) for i, v in enumerate(variables)] for row in rows]
    widths = [
        _NUMERIC_WIDTH if v.numeric else max([1, *(len(row[i]) for row in cells)])
        for i, v in enumerate(variables)
    ]
    if any("\0" in value for row in rows for value in row if isinstance(value, str)):
        # a text value is stored like a C string: nothing after a NUL survives,
        # though the column is as wide as the whole value
        cells = [
            [c if v.numeric else c.split(b"\0", 1)[0] for c, v in zip(row, variables, strict=True)]
            for row in cells
        ]
    out = bytearray()
    out += _record(_header("LIBRARY"))
    out += _record(
        _text(("SAS", "SAS", "SASLIB", "6.06", "bsd4.2", ""), (8, 8, 8, 8, 8, 24)) + stamp
    )
    out += _record(stamp)
    out += _record(_header("MEMBER", 0, 0, 0, 160, 0, NAMESTR_LENGTH))
    out += _record(_header("DSCRPTR"))
    out += _record(
        _text(("SAS", table, "SASDATA", "6.06", "bsd4.2", ""), (8, 8, 8, 8, 8, 24)) + stamp
    )
    out += _record(stamp + _text(("", label, ""), (16, 40, 8)))
    out += _record(_header("NAMESTR", 0, len(variables)))
    position = 0
    for number, (variable, width) in enumerate(zip(variables, widths, strict=True), start=1):
        out += _namestr(number, variable, width, position)
        position += width
    _pad(out)
    out += _record(_header("OBS"))
    for row in cells:
        for value, width in zip(row, widths, strict=True):
            out += value if len(value) == width else value.ljust(width, b" ")
    _pad(out)
    return bytes(out)


def ibm_double(value: float) -> bytes:
    """`value` as an 8-byte IBM hexadecimal float (TS-140); NaN is SAS's missing value.

    Every IEEE double in the IBM range converts exactly (the IBM fraction has
    56 bits, of which the hexadecimal exponent wastes at most 3).  Outside
    that range, as ReadStat does it: too large in magnitude (and infinities)
    gives the largest IBM number of that sign, too small (and -0.0,
    subnormals) zero.
    """
    if math.isnan(value):
        return MISSING
    bits = struct.unpack(">Q", struct.pack(">d", value))[0]
    if bits == 0:
        return bytes(8)
    sign = bits >> 63
    exponent = ((bits >> 52) & 0x7FF) - 1023
    if exponent > 248:
        return bytes((0x7F | sign << 7,)) + b"\xff" * 7
    if exponent < -260:
        return bytes(8)
    # fraction with its implied leading 1, shifted so the exponent is a multiple of 4
    fraction = ((bits & ((1 << 52) - 1)) | (1 << 52)) << (exponent & 3)
    return struct.pack(">Q", (sign << 63) | (((exponent >> 2) + 65) << 56) | fraction)


def _cell(value: float | str | None, numeric: bool) -> bytes:
    if numeric:
        return MISSING if value is None else ibm_double(float(value))
    return ("" if value is None else str(value)).encode("utf-8")


def _check_name(name: str, what: str) -> None:
    if not (1 <= len(name) <= 8 and name.isascii() and name.replace("_", "a").isalnum()):
        raise ValueError(f"an XPORT v5 {what} name has 1-8 ASCII letters, digits or _: {name!r}")
    if name[0].isdigit():
        raise ValueError(f"an XPORT {what} name cannot begin with a digit: {name!r}")


def _header(name: str, *numbers: int) -> bytes:
    counts = (*numbers, *(0,) * (6 - len(numbers)))
    digits = "".join(f"{n:05d}" for n in counts)
    return f"HEADER RECORD*******{name:<8}HEADER RECORD!!!!!!!{digits}".encode("ascii")


def _text(values: Sequence[str], widths: Sequence[int]) -> bytes:
    """Fields left-aligned and space-padded, each cut to its width (in bytes)."""
    return b"".join(
        v.encode("utf-8")[:w].ljust(w, b" ") for v, w in zip(values, widths, strict=True)
    )


def _record(content: bytes) -> bytes:
    return content.ljust(RECORD, b" ")


def _pad(out: bytearray) -> None:
    """Spaces up to the end of the current 80-byte record."""
    if len(out) % RECORD:
        out += b" " * (RECORD - len(out) % RECORD)


def _namestr(number: int, variable: Variable, width: int, position: int) -> bytes:
    kind = _NUMERIC if variable.numeric else _CHARACTER
    justify = 1 if variable.numeric else 0  # numbers right-aligned, text left
    return (
        struct.pack(">hhhh", kind, 0, width, number)
        + _text((variable.name, variable.label, ""), (8, 40, 8))
        + struct.pack(">hhh", 0, 0, justify)
        + bytes(2)
        + b" " * 8  # input format: none
        + struct.pack(">hhi", 0, 0, position)
        + bytes(52)
    )
