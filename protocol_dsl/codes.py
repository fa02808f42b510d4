"""The catalogue of diagnostic codes: every code the compiler can report.

Each code is documented in docs/diagnostics/<CODE>.md with a bad and a good
example, and the test suite checks that the bad example triggers it and the
good one does not.  Codes are stable: a code is never reused for another
problem.

Ranges: E00xx syntax and files; E01xx names, imports and fields; E02xx types;
E03xx units; E04xx eligibility logic; E05xx data availability; E06xx
schedule; E07xx dosing and escalation; W08xx document completeness; N09xx
notes (provisional values, open questions).
"""

from __future__ import annotations

from typing import NamedTuple


class CodeInfo(NamedTuple):
    title: str
    severity: str


CODES: dict[str, CodeInfo] = {
    # ---- E00xx syntax and files
    "E0001": CodeInfo("unexpected text", "error"),
    "E0002": CodeInfo("unexpected end of file", "error"),
    "E0003": CodeInfo("not a text file", "error"),
    "E0004": CodeInfo("number out of range", "error"),
    "E0005": CodeInfo("not a calendar date", "error"),
    "E0006": CodeInfo("malformed titer", "error"),
    "E0007": CodeInfo("study day is not a whole number", "error"),
    "E0008": CodeInfo("file is not UTF-8", "error"),
    "E0009": CodeInfo("file cannot be read", "error"),
    # ---- E01xx names, imports and fields
    "E0101": CodeInfo("undefined name", "error"),
    "E0102": CodeInfo("name declared twice", "error"),
    "E0103": CodeInfo("library not found", "error"),
    "E0104": CodeInfo("import cycle", "error"),
    "E0105": CodeInfo("library has errors", "error"),
    "E0106": CodeInfo("unknown visit", "error"),
    "E0107": CodeInfo("not a repeating form", "error"),
    "E0108": CodeInfo("unknown function or wrong number of arguments", "error"),
    "E0109": CodeInfo("unknown field", "error"),
    "E0110": CodeInfo("field value of the wrong kind", "error"),
    "E0111": CodeInfo("reference to the wrong kind of declaration", "error"),
    "E0112": CodeInfo("missing trial header", "error"),
    # ---- E02xx types (consistency checks)
    # ---- E03xx units
    # ---- E04xx eligibility logic
    # ---- E05xx data availability
    # ---- E06xx schedule
    # ---- E07xx dosing and escalation
    # ---- W08xx document completeness
    # ---- N09xx notes
}


def title(code: str) -> str:
    info = CODES.get(code)
    return info.title if info else code
