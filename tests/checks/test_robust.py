"""The consistency checks never fail on a spec that loads, however wrong it is.

Random edits of the real QLS4131 spec (a line removed, a number changed, a
unit or a visit swapped) must give diagnostics, never an exception.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocol_dsl.checks import (
    availability,
    completeness,
    dosing,
    names,
    notes,
    run_checks,
    schedule,
    types,
    units,
)
from protocol_dsl.syntax.loader import load

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "qls4131_sle_phase1b.trial"
LINES = SPEC.read_text(encoding="utf-8").splitlines()
CHECKS = [
    c.check for c in (names, types, units, availability, schedule, dosing, completeness, notes)
]

_NUMBER = re.compile(r"(?<![\w.])\d+(\.\d+)?(?![\w.:])")
_SWAPS = [
    ("g/L", "'[IU]/mL'"),
    ("mg/d", "mg/kg"),
    ("weeks", "mg"),
    ("SCR", "W24"),
    ("D1", "D36"),
    ("= yes", "= positive"),
    ("1:80", "80"),
    ("at least", "within"),
    ("between 18", "between screening"),
    (" and ", " + "),
]


@st.composite
def edited(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "number", "swap"]))
        if kind == "delete":
            del lines[index]
        elif kind == "number":
            value = draw(st.sampled_from(["0", "1", "-1", "3", "29", "100", "0.6"]))
            lines[index] = _NUMBER.sub(value, lines[index], count=1)
        else:
            old, new = draw(st.sampled_from(_SWAPS))
            lines[index] = lines[index].replace(old, new)
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_checks_never_raise_on_edited_specs(text: str) -> None:
    spec, problems, _sources = load(str(SPEC), text)
    if spec is None or any(d.is_error for d in problems):
        return  # a syntax error: the checks do not run
    for diagnostic in run_checks(spec, CHECKS):
        assert diagnostic.span.line >= 1
        assert diagnostic.message
