"""Specs and helpers shared by the interpreter tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from protocol_dsl.screening.run import load_for_screening
from protocol_dsl.spec import Spec

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
HERE = Path(__file__).resolve().parent
SUBJECTS = HERE / "subjects"
CDISC_DATA = ROOT / "tests" / "data" / "cdiscpilot01"

#: A small spec with every kind of item, a repeating form, scores and a table,
#: so that each expression node can be evaluated on hand-made subjects.
NODES_SPEC = """\
trial NODES {
  title "Expression nodes"
  eligibility_visit SCR
}

visit SCR "Screening" day -14 .. -1
visit D1  "Day 1" day 1
visit W4  "Week 4" day 29 window -3 +3

anchor screening  = visit SCR
anchor first_dose = visit D1

codelist sex "Sex" {
  female "Female"
  male   "Male"
}

codelist kind "Kind" {
  a "A"
  b "B"
  c "C"
}

table factor "Factor per kind" {
  keys kind
  a 1
  b 2.5
  c 0.5
}

form labs "Laboratory" at SCR, W4 {
  c3     quantity g/L "C3" range 0 .. 10
  c3_lln quantity g/L "C3 lower limit of normal" range 0 .. 10
  titer  titer "ANA titer"
  sex    choice sex "Sex"
  flag   yes_no "Flag"
  count  integer "Count" range 0 .. 100
  tested date "Date of test"
  remark text "Remark"
  any_events yes_no "Any events?"
}

form events "Events" repeating at SCR none_recorded_by labs.any_events {
  kind    choice kind "Kind"
  dose    quantity mg "Dose" range 0 .. 100
  onset   date "Onset"
  ongoing yes_no "Ongoing"
  derive scaled "Scaled dose" = dose * lookup(factor, kind)
}

form activity "Activity" at SCR, W4 {
  a1 yes_no "A1"
  a2 yes_no "A2"
  b1 yes_no "B1"
  b2 yes_no "B2"
}

score act "Activity score" {
  form activity
  domain x "X" tagged {
    a1 4 "A1"
    a2 2 "A2"
  }
  domain y "Y" other {
    b1 3 "B1"
    b2 1 "B2" = b2 = yes
  }
}

score act_highest "Highest per domain" {
  form activity
  rule highest_per_domain
  domain x "X" tagged {
    a1 4 "A1"
    a2 2 "A2"
  }
  domain y "Y" other {
    b1 3 "B1"
    b2 1 "B2"
  }
}

score act_small "Without A1" = act without a1

define low "C3 below its lower limit" = labs.c3 < labs.c3_lln

inclusion I1 "Low C3" = low
exclusion E1 "Flagged" = labs.flag = yes
inclusion I2 "Consent" = attested
"""


def compiled(path: str, source: str | None = None) -> Spec:
    """The spec with the checks evaluation relies on (names, mappings, types, units)."""
    result = load_for_screening(path, source)
    errors = [
        f"{d.code} {d.message} (line {d.span.line})" for d in result.diagnostics if d.is_error
    ]
    assert result.spec is not None and not errors, errors
    return result.spec


@pytest.fixture(scope="session")
def nodes_spec() -> Spec:
    return compiled("nodes.trial", NODES_SPEC)


@pytest.fixture(scope="session")
def qls_spec() -> Spec:
    return compiled(str(SPECS / "qls4131_sle_phase1b.trial"))


@pytest.fixture(scope="session")
def cdisc_spec() -> Spec:
    return compiled(str(SPECS / "cdiscpilot01.trial"))


def load_subject(name: str) -> dict[str, Any]:
    return json.loads((SUBJECTS / name).read_text(encoding="utf-8"))
