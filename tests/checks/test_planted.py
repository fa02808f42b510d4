"""Planted errors in copies of the real QLS4131 spec: each is found, with its code, on its line.

Each test edits the text of specs/qls4131_sle_phase1b.trial with a string
replacement and checks the copy (under the real path, so its libraries
resolve).  The expected line is found from the text itself, so the tests keep
working when the spec above the planted line changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from protocol_dsl.compiler import compile_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "qls4131_sle_phase1b.trial"
TEXT = SPEC.read_text(encoding="utf-8")


def _line_of(text: str, fragment: str) -> int:
    assert text.count(fragment) == 1, f"{fragment!r} must occur once in the planted spec"
    return text[: text.index(fragment)].count("\n") + 1


def _errors(text: str) -> list[tuple[str, int]]:
    result = compile_spec(str(SPEC), text)
    # the eligibility-logic (solver) checks have their own planted tests
    return sorted(
        (d.code, d.span.line)
        for d in result.diagnostics
        if d.is_error and d.span.file == str(SPEC) and not d.code.startswith("E04")
    )


def _plant(old: str, new: str) -> str:
    # Column alignment is the formatter's business: runs of spaces match any run.
    pattern = re.compile(
        re.escape(old).replace(r"\ ", " ").replace(" ", "[ ]+").replace("[ ]+[ ]+", "[ ]+")
    )
    matches = pattern.findall(TEXT)
    assert len(matches) == 1, f"{old!r} must occur once in the real spec"
    return pattern.sub(lambda _match: new, TEXT, count=1)


def test_the_real_spec_has_no_errors() -> None:
    assert _errors(TEXT) == []


def test_grams_per_litre_compared_with_international_units() -> None:
    text = _plant(
        'c3_lln     quantity g/L "C3 lower limit of normal (testing laboratory)" range 0 .. 10',
        "c3_lln     quantity '[IU]/mL' \"C3 lower limit of normal (testing laboratory)\"",
    )
    assert _errors(text) == [("E0303", _line_of(text, "serology.c3 < serology.c3_lln"))]


def test_eligibility_item_collected_only_after_day_1() -> None:
    text = _plant(
        'form demographics "Demographics" at SCR {', 'form demographics "Demographics" at D8 {'
    )
    # I1 reads the birth date through `age`; E10 reads the sex and childbearing potential
    assert _errors(text) == [
        ("E0501", _line_of(text, "= age between 18 and 70")),
        ("E0501", _line_of(text, "= demographics.sex = female")),
        ("E0501", _line_of(text, "and ((demographics.childbearing_potential = yes")),
    ]


def test_overlapping_visit_windows() -> None:
    text = _plant(
        'visit D15  "Day 15"             day 15 window -2 +2',
        'visit D15  "Day 15"             day 15 window -7 +2',
    )
    assert _errors(text) == [("E0603", _line_of(text, 'visit D15  "Day 15"'))]


def test_decreasing_dose_level() -> None:
    text = _plant("    DL3 0.1 mg\n", "    DL3 0.02 mg\n")
    assert _errors(text) == [("E0701", _line_of(text, "DL3 0.02 mg"))]


def test_enrolment_lower_than_the_design_needs() -> None:
    text = _plant("  enrolment    108\n", "  enrolment    30\n")
    assert _errors(text) == [("E0707", _line_of(text, "enrolment    30"))]
    result = compile_spec(str(SPEC), text)
    (mismatch,) = [d for d in result.diagnostics if d.code == "E0707"]
    # both numbers, and the arithmetic behind the design's maximum
    assert "30" in mismatch.message
    assert "12 cohorts × 3 + 72 expansion = 108" in mismatch.message


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (
            "  dlt_window 28 days from target_dose",
            "  dlt_window 26 weeks from target_dose",
            "E0607",
        ),
        ("    day 4: 30 %\n", "    day 4: 300 %\n", "E0702"),
        ("    target       0.3\n", "    target       0.6\n", "E0705"),
        (
            'visit D1   "Day 1 (first dose)" day 1 ',
            'visit D1   "Day 1 (first dose)" day 0 ',
            "E0601",
        ),
        (
            "    until 24 weeks after first_dose\n    = count",
            "    until 30 weeks after first_dose\n    = count",
            "E0605",
        ),
    ],
)
def test_more_planted_errors(old: str, new: str, code: str) -> None:
    text = _plant(old, new)
    assert code in {c for c, _line in _errors(text)}
