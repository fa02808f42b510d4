"""What the CRF, registry and SDTM tests share: the real specs, golden files, a hostile spec.

Golden files live in each test folder's `golden/<spec>/`; `UPDATE_GOLDEN=1`
rewrites them from the current output (read the diff before committing).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from protocol_dsl.compiler import compile_spec
from protocol_dsl.spec import Spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
SHARED = ROOT / ".." / "shared"
REAL_SPECS = ("qls4131_sle_phase1b", "cdiscpilot01")
FIXTURES = ROOT / "tests" / "documents" / "fixtures"
# a fixture with the time structure: cycles, repeats, event-relative visits, time points
ONCOLOGY = "oncology_cycles"


@functools.cache
def load_spec(stem: str) -> Spec:
    """A real spec of specs/, or a fixture spec of the document tests, checked clean."""
    path = SPECS / f"{stem}.trial"
    result = compile_spec(str(path if path.exists() else FIXTURES / f"{stem}.trial"))
    assert result.ok, [d.message for d in result.diagnostics if d.severity == "error"]
    assert result.spec is not None
    return result.spec


def compile_text(text: str, name: str = "example.trial") -> Spec:
    result = compile_spec(name, text)
    assert result.ok, [d.message for d in result.diagnostics if d.severity == "error"]
    assert result.spec is not None
    return result.spec


def check_golden(data: bytes, golden: Path) -> None:
    """`data` equals the approved golden file (or becomes it under UPDATE_GOLDEN=1)."""
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
        return
    assert golden.exists(), f"missing golden file {golden}: run with UPDATE_GOLDEN=1, read, approve"
    expected = golden.read_bytes()
    if data != expected:
        assert data.decode("utf-8") == expected.decode("utf-8"), f"{golden.name} changed"


# A spec whose every text tries to break out of its format: markup, entities,
# quotes, spreadsheet formulas, tabs, carriage returns and non-ASCII.
HOSTILE = r"""
trial HOSTILE {
  title "=CMD(\"calc\") <script>alert(1)</script> & \"quoted\" 'single' — Ünïcödé ≥ 5"
  short_title "+SUM(1) <b>short</b>"
  sponsor "@Sponsor & Co <b>"
  registry NCT00000001
  phase 2
  study_type interventional
  masking open_label
  sex all
  minimum_age 18 years
  enrolment 10
  condition "=Condition <c> & co"
  summary "-summary <script>alert(1)</script>"
}

epoch treatment "-Treatment <i>"

visit V1 "=V1 <script>alert(1)</script>" day 1 in treatment
visit V2 "@V2 & more\ttab" day 8 window -1 +1 in treatment starts "=start & <b>" ends "+end"

codelist answer "=Answer <list>" {
  a "=HYPERLINK(\"http://example.org\") <b>"
  b "Ünïcödé & “quotes” | pipe"
}

form f "<script>alert(1)</script> form & co" at V1, V2 {
  x number "=1+1 <script>alert(1)</script>" range 0 .. 10
  y choice answer "@SUM(1) 'q' \"dq\"" when x > 5
  z text "\tTabbed" for_reporting
  d date "-date & <tag>" for_reporting
}

element E "=E & <e>" starts "+start" ends "-end" lasts 2 weeks
arm A "=Arm <a>" type experimental receives drug { E in treatment branch "=branch" transition "@trans" }
intervention drug "=Drug <x>" { type drug route "=oral" frequency "=QD" }

inclusion I1 "=CMD(\"rm\") <script>alert(1)</script> & “ü”" = f.x at V1 >= 1
exclusion E1 "-Excl & <b>bold</b>" = attested "=attest <i>"

objective O1 primary "=Objective <o>" {
  endpoint P1 "+Endpoint & <p>" timeframe "@Week 1"
}
"""

HOSTILE_TEXTS = (
    "<script>alert(1)</script>",
    "=CMD(",
    "Ünïcödé",
)


def hostile_spec() -> Spec:
    return compile_text(HOSTILE, "hostile.trial")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def executable_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run as a formula (numbers such as -7 are not formulas)."""
    found = []
    for row in rows:
        for value in row:
            if value.startswith(FORMULA_STARTS) and not _is_number(value):
                found.append(value)
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
